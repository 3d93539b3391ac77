# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
        for record in self:
            badges = []
            for checkpoint in record.sm_checkpoint_ids.sorted(
                lambda c: (c.sequence, c.id)
            ):
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
                        f" · {format_date(self.env, when)}" if when else "",
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
        for record in self:
            counted = record.sm_checkpoint_ids.filtered(
                lambda c: c.state != "waived"
            ).sorted(lambda c: (c.sequence, c.id))
            if not counted:
                record.sm_checkpoint_progress = False
                continue
            done = len(counted.filtered(lambda c: c.state == "done"))
            following = counted.filtered(lambda c: c.state in ("pending", "overdue"))
            if not following:
                record.sm_checkpoint_progress = self.env._(
                    "%(done)s/%(total)s done", done=done, total=len(counted)
                )
            elif following[0].deadline:
                record.sm_checkpoint_progress = self.env._(
                    "%(done)s/%(total)s, next: %(checkpoint)s by %(date)s",
                    done=done,
                    total=len(counted),
                    checkpoint=following[0].type_id.name,
                    date=format_date(self.env, following[0].deadline),
                )
            else:
                record.sm_checkpoint_progress = self.env._(
                    "%(done)s/%(total)s, next: %(checkpoint)s",
                    done=done,
                    total=len(counted),
                    checkpoint=following[0].type_id.name,
                )

    @api.depends("sm_checkpoint_ids.state")
    @api.depends_context("lang")
    def _compute_sm_checkpoint_status(self):
        for record in self:
            overdue = record.sm_checkpoint_ids.filtered(
                lambda c: c.state == "overdue"
            ).sorted(lambda c: (c.deadline or fields.Date.today(), c.sequence))
            record.sm_checkpoint_overdue = (
                self.env._(
                    "%(checkpoints)s overdue since %(date)s",
                    checkpoints=", ".join(overdue.type_id.mapped("name")),
                    date=format_date(self.env, overdue[0].deadline),
                )
                if overdue
                else False
            )
            states = set(record.sm_checkpoint_ids.mapped("state"))
            if not states:
                record.sm_checkpoint_status = "none"
            elif "overdue" in states:
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
