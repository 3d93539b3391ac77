# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date


class MotivationCheckpointMixin(models.AbstractModel):
    """Checkpoints for any document (a deal, a sale order, a yearly contract).

    The inheriting model says which checkpoint types apply to which records
    (``_sm_checkpoint_types``) and from when deadlines count
    (``_sm_checkpoint_start``); ``_sm_sync_checkpoints`` creates the missing
    ones and drops pending ones that no longer apply, set-wise.
    """

    _name = "motivation.checkpoint.mixin"
    _description = "Checkpoint Tracking"

    # what the cards, the strip and the data quality score read of a checkpoint
    _sm_card_checkpoint_fields = (
        "res_id",
        "type_id",
        "sequence",
        "state",
        "deadline",
        "done_date",
    )

    sm_checkpoint_ids = fields.One2many(
        "motivation.checkpoint",
        "res_id",
        string="Checkpoints",
        domain=lambda self: [("res_model", "=", self._name)],
    )
    sm_checkpoint_status = fields.Selection(
        [("on_track", "On track"), ("overdue", "Overdue"), ("none", "No checkpoint")],
        string="Checkpoint Status",
        compute="_compute_sm_checkpoint_status",
        search="_search_sm_checkpoint_status",
    )
    sm_checkpoint_overdue = fields.Char(
        string="Overdue Checkpoints",
        compute="_compute_sm_checkpoint_status",
        help="Which checkpoints are overdue, and since when.",
    )

    sm_checkpoint_progress = fields.Char(
        string="Checkpoint Progress",
        compute="_compute_sm_checkpoint_progress",
        help="Checkpoints done out of those that count (waived ones aside), and "
        "the next one with its deadline.",
    )
    sm_checkpoint_strip = fields.Html(
        string="Checkpoint Strip",
        compute="_compute_sm_checkpoint_strip",
        sanitize=False,
        help="Each checkpoint, its state and its date, in order.",
    )

    @api.depends("sm_checkpoint_ids.state", "sm_checkpoint_ids.deadline")
    @api.depends_context("lang", "tz")
    def _compute_sm_checkpoint_strip(self):
        styles = {
            "done": ("text-bg-success", "fa-check"),
            "waived": ("text-bg-secondary", "fa-ban"),
            "overdue": ("text-bg-danger", "fa-exclamation-triangle"),
            "pending": ("text-bg-light border", "fa-clock-o"),
        }
        self._sm_fetch_checkpoints()
        date_text = self._sm_date_text()
        for record in self:
            badges = []
            for checkpoint in record._sm_checkpoints_in_order():
                css, icon = styles[checkpoint.state]
                # done: its day in the user's time zone; else the deadline
                when = checkpoint.done_date or checkpoint.deadline
                badges.append(
                    Markup(
                        '<span class="badge rounded-pill me-1 %s" title="%s">'
                        '<i class="fa %s me-1"></i>%s%s</span>'
                    )
                    % (
                        css,
                        checkpoint.display_name,
                        icon,
                        checkpoint.type_id.name,
                        f" · {date_text(when)}" if when else "",
                    )
                )
            record.sm_checkpoint_strip = (
                Markup('<div class="o_sm_checkpoint_strip mb-2">%s</div>')
                % Markup("").join(badges)
                if badges
                else False
            )

    @api.depends(
        "sm_checkpoint_ids.state",
        "sm_checkpoint_ids.deadline",
        "sm_checkpoint_ids.sequence",
    )
    @api.depends_context("lang")
    def _compute_sm_checkpoint_progress(self):
        self._sm_fetch_checkpoints()
        date_text = self._sm_date_text()
        for record in self:
            counted = [
                checkpoint
                for checkpoint in record._sm_checkpoints_in_order()
                if checkpoint.state != "waived"
            ]
            if not counted:
                record.sm_checkpoint_progress = False
                continue
            done = sum(1 for checkpoint in counted if checkpoint.state == "done")
            following = next(
                (c for c in counted if c.state in ("pending", "overdue")), None
            )
            if not following:
                record.sm_checkpoint_progress = self.env._(
                    "%(done)s/%(total)s done", done=done, total=len(counted)
                )
            elif following.deadline:
                record.sm_checkpoint_progress = self.env._(
                    "%(done)s/%(total)s, next: %(checkpoint)s by %(date)s",
                    done=done,
                    total=len(counted),
                    checkpoint=following.type_id.name,
                    date=date_text(following.deadline),
                )
            else:
                record.sm_checkpoint_progress = self.env._(
                    "%(done)s/%(total)s, next: %(checkpoint)s",
                    done=done,
                    total=len(counted),
                    checkpoint=following.type_id.name,
                )

    @api.depends("sm_checkpoint_ids.state")
    @api.depends_context("lang")
    def _compute_sm_checkpoint_status(self):
        self._sm_fetch_checkpoints()
        date_text = self._sm_date_text()
        today = fields.Date.today()
        for record in self:
            checkpoints = list(record.sm_checkpoint_ids)
            overdue = sorted(
                (c for c in checkpoints if c.state == "overdue"),
                key=lambda c: (c.deadline or today, c.sequence),
            )
            record.sm_checkpoint_overdue = (
                self.env._(
                    "%(checkpoints)s overdue since %(date)s",
                    checkpoints=", ".join(c.type_id.name for c in overdue),
                    date=date_text(overdue[0].deadline),
                )
                if overdue
                else False
            )
            if not checkpoints:
                record.sm_checkpoint_status = "none"
            elif overdue:
                record.sm_checkpoint_status = "overdue"
            else:
                record.sm_checkpoint_status = "on_track"

    def _search_sm_checkpoint_status(self, operator, value):
        if operator not in ("=", "!=") or value not in ("on_track", "overdue", "none"):
            raise NotImplementedError(operator, value)
        overdue = ("sm_checkpoint_ids", "any", [("state", "=", "overdue")])
        domain = {
            "overdue": [overdue],
            "none": [("sm_checkpoint_ids", "=", False)],
            "on_track": [
                ("sm_checkpoint_ids", "!=", False),
                ("sm_checkpoint_ids", "not any", [("state", "=", "overdue")]),
            ],
        }[value]
        return domain if operator == "=" else ["!", *domain]

    def _sm_fetch_checkpoints(self):
        """Put ``sm_checkpoint_ids`` of the saved records of ``self`` that are
        not in memory yet in the cache, with the checkpoints' fields the
        computes read, in one query. Odoo's One2many.read costs two (the
        records' access, the lines' ids) and a third for the lines' fields,
        for each of a kanban page's computes; the pipeline's cards read three
        of them (bench/RESULTS.md, the load test's web_search_read). The
        search applies the checkpoints' record rules, as the One2many does."""
        field = self._fields["sm_checkpoint_ids"]
        missing = self.browse(
            id_ for id_ in self.env.cache.get_missing_ids(self, field) if id_
        )
        if not missing:
            return
        Checkpoint = self.env["motivation.checkpoint"].with_context(active_test=False)
        checkpoints = Checkpoint.search_fetch(
            [("res_model", "=", self._name), ("res_id", "in", missing.ids)],
            self._sm_card_checkpoint_fields,
        )
        by_record = defaultdict(list)
        for checkpoint in checkpoints:
            by_record[checkpoint.res_id].append(checkpoint.id)
        self.env.cache.insert_missing(
            missing, field, [tuple(by_record[id_]) for id_ in missing._ids]
        )

    def _sm_checkpoints_in_order(self):
        """The record's checkpoints in their order, as a list."""
        self.ensure_one()
        return sorted(self.sm_checkpoint_ids, key=lambda c: (c.sequence, c.id))

    def _sm_date_text(self):
        """format_date in the user's language, each date formatted once: a
        kanban page's cards share a few deadlines, and each format_date looks
        the language up anew."""
        return functools.cache(lambda value: format_date(self.env, value))

    def _sm_checkpoint_types(self):
        """{record: checkpoint types that apply to it}; none by default."""
        return {record: self.env["motivation.checkpoint.type"] for record in self}

    def _sm_checkpoint_start(self):
        """When the first deadline starts counting: when the checkpoints are
        created, i.e. when the document starts following them (an
        opportunity's creation or its conversion from a lead)."""
        self.ensure_one()
        return fields.Datetime.now()

    def _sm_checkpoint_company(self):
        """The company whose local days deadlines count in: the document's
        (the current company for a document without one)."""
        self.ensure_one()
        return self["company_id"] if "company_id" in self._fields else self.env.company

    def _sm_sync_checkpoints(self):
        # sudo: motivation.checkpoint - checkpoints follow their document's
        # changes; users have no right to create or write them
        Checkpoint = self.env["motivation.checkpoint"].sudo()
        existing = Checkpoint.search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        )
        have = {(c.res_id, c.type_id) for c in existing}
        wanted = self._sm_checkpoint_types()
        vals_list = []
        for record, types in wanted.items():
            company = record._sm_checkpoint_company() or self.env.company
            start = company._sm_local_date(record._sm_checkpoint_start())
            first = True
            for cp_type in types.sorted(lambda t: (t.sequence, t.id)):
                counts_now = cp_type.deadline_from == "creation" or first
                first = False
                if (record.id, cp_type) in have:
                    continue
                deadline = False
                if cp_type.deadline_days and counts_now:
                    deadline = start + timedelta(days=cp_type.deadline_days)
                vals_list.append(
                    {
                        "res_model": self._name,
                        "res_id": record.id,
                        "type_id": cp_type.id,
                        "deadline": deadline,
                        **record._sm_checkpoint_extra_vals(),
                    }
                )
        stale = existing.filtered(
            lambda c: c.state in ("pending", "overdue")
            and c.type_id not in wanted.get(self.browse(c.res_id), c.type_id.browse())
        )
        # the deals whose overdue checkpoints no longer apply (a new team)
        # are no longer alerted for them
        stale_leads = stale.filtered(lambda c: c.state == "overdue").lead_id
        stale.unlink()
        Checkpoint._withdraw_alerts(stale_leads)
        return Checkpoint.create(vals_list)

    def _sm_checkpoint_extra_vals(self):
        return {}

    def _sm_evidences(self, kinds):
        """{kind: _sm_evidence(kind, activity types)} for ``kinds``, {evidence
        kind: activity types}: models that can read several kinds in one
        query override it (a deal: its sale orders)."""
        return {
            kind: self._sm_evidence(kind, activity_types)
            for kind, activity_types in kinds.items()
        }

    def _sm_evidence(self, kind, activity_types):
        """The evidence of ``kind`` (a checkpoint type's ``evidence``) on
        these records, in one query: {(record id, activity type id for
        "activity", else False): what proves it}. Here: an attachment, a
        done activity of one of ``activity_types``; models add their own
        kinds (a deal: its sale orders)."""
        if kind == "attachment":
            # sudo: ir.attachment - whether a document is attached, and its
            # name, whoever attached it
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .search_fetch(
                    [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                    ["res_id", "name"],
                    order="id",
                )
            )
            return {(att.res_id, False): att.name for att in attachments}
        if kind == "activity" and activity_types:
            # a done activity leaves its message (mail.message_activity_done);
            # sudo: mail.message - whether it is there, whoever did it
            names = {
                activity_type.id: activity_type.name for activity_type in activity_types
            }
            messages = (
                self.env["mail.message"]
                .sudo()
                .search_fetch(
                    [
                        ("model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("mail_activity_type_id", "in", activity_types.ids),
                        ("subtype_id", "=", self.env.ref("mail.mt_activities").id),
                    ],
                    ["res_id", "mail_activity_type_id"],
                    order="id",
                )
            )
            return {
                (msg.res_id, msg.mail_activity_type_id.id): names[
                    msg.mail_activity_type_id.id
                ]
                for msg in messages
            }
        return {}
