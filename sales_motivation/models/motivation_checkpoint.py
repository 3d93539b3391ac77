# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.sql import create_index


class MotivationCheckpoint(models.Model):
    """Where one document stands at one checkpoint."""

    _name = "motivation.checkpoint"
    _description = "Checkpoint"
    _order = "sequence, id"

    # looked up by (res_model, res_id): the unique index of init() serves it
    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Many2oneReference(
        model_field="res_model", required=True, readonly=True
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Deal",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="Set when the document is a deal.",
    )
    type_id = fields.Many2one(
        "motivation.checkpoint.type", required=True, ondelete="cascade", readonly=True
    )
    sequence = fields.Integer(related="type_id.sequence", store=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Done"),
            ("overdue", "Overdue"),
            ("waived", "Waived"),
        ],
        default="pending",
        required=True,
        readonly=True,
    )
    deadline = fields.Date(readonly=True)
    done_date = fields.Datetime(readonly=True)
    done_by_id = fields.Many2one("res.users", readonly=True)
    evidence = fields.Char(readonly=True, help="What proved it (document, activity).")
    can_mark_done = fields.Boolean(
        compute="_compute_can_mark_done",
        help="Open, and its type asks for no evidence or the evidence is on "
        "the document: the Done button is shown.",
    )
    waiver_reason = fields.Char(readonly=True)
    # The alert itself is the deal's "Checkpoint Overdue" activity, not linked
    # from here: a link would be checked and indexed for every checkpoint the
    # cron alerts, and looked up at every deletion of any activity.
    alert_date = fields.Date(
        readonly=True,
        help="When the team leader was alerted that this checkpoint is "
        "overdue. Kept when the alert is done or withdrawn: a deviation is "
        "alerted once.",
    )

    # looked up by (res_model, res_id) through its index
    _sql_constraints = [
        (
            "one_per_type",
            "UNIQUE (res_model, res_id, type_id)",
            "A document goes through each checkpoint once.",
        )
    ]

    def init(self):
        # The overdue cron rewrites every late checkpoint of a deal (they sit
        # side by side) in one transaction, and each checkpoint is rewritten
        # a few times in its life (pending, overdue, done). Half of each page
        # left free and no index on what these rewrites change (state,
        # alert_date, write_date) keep them on their page, touching no index
        # (HOT updates): a third of the cron's time on 100k late deals.
        cr = self.env.cr
        cr.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [self._table])
        if "fillfactor=50" not in (cr.fetchone()[0] or []):
            cr.execute(
                SQL("ALTER TABLE %s SET (fillfactor = 50)", SQL.identifier(self._table))
            )
        # the late pending checkpoints are found among the open ones by
        # deadline (done_date is set when one is done or waived); the
        # "overdue checkpoints" filter reads the table, as Odoo's own
        # activity-state filter reads all the activities
        create_index(
            cr,
            "motivation_checkpoint_open_deadline_idx",
            self._table,
            ["deadline"],
            where="done_date IS NULL",
        )

    @api.depends("type_id", "state")
    def _compute_display_name(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for checkpoint in self:
            checkpoint.display_name = (
                f"{checkpoint.type_id.name}: {states.get(checkpoint.state)}"
            )

    @api.depends("state", "type_id.evidence", "type_id.activity_type_id")
    def _compute_can_mark_done(self):
        open_checkpoints = self.filtered(lambda c: c.state in ("pending", "overdue"))
        found = open_checkpoints._evidence_found()
        for checkpoint in self:
            checkpoint.can_mark_done = checkpoint in open_checkpoints and (
                checkpoint.type_id.evidence == "none" or checkpoint.id in found
            )

    # ------------------------------------------------------------
    # ORM: a checkpoint required for commission may gate the closer's share,
    # and every checkpoint counts in the deal's data quality score; whatever
    # changes them (done, waived, reopened, overdue, added, removed), the
    # commission of a won deal follows
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        checkpoints = super().create(vals_list)
        checkpoints.lead_id._sm_sync_commission_if_won()
        return checkpoints

    def write(self, vals):
        res = super().write(vals)
        if {"state", "done_date", "deadline", "type_id", "lead_id"} & set(vals):
            self.lead_id._sm_sync_commission_if_won()
            # met or missed: the checkpoints_on_time ledger
            self.env["motivation.achievement"]._sm_sync_records(self)
        return res

    def unlink(self):
        leads = self.lead_id
        ids = self.ids
        res = super().unlink()
        leads._sm_sync_commission_if_won()
        self.env["motivation.achievement"]._sm_sync(self._name, ids, deleted=True)
        return res

    def _documents(self):
        """{model: records} of the documents carrying these checkpoints."""
        docs = {}
        for model, checkpoints in self.grouped("res_model").items():
            docs[model] = self.env[model].browse(checkpoints.mapped("res_id"))
        return docs

    def action_done(self):
        """Mark reached by hand: a checkpoint whose type asks for evidence
        only when the evidence is on its document (a quotation sent, an
        attachment...), recorded as what proved it. Without it, nothing is
        marked: the user is told what is missing (a team leader may waive)."""
        todo = self.filtered(lambda c: c.state in ("pending", "overdue"))
        if not todo:
            return True
        for documents in todo._documents().values():
            documents.check_access("write")
        found = todo._evidence_found()
        missing = todo.filtered(
            lambda c: c.type_id.evidence != "none" and c.id not in found
        )
        if missing:
            raise UserError(missing._missing_evidence_message())
        marked = self.env._("Marked done")
        # sudo: motivation.checkpoint - checkpoints are written by these
        # actions only; the document's write right was checked above
        todo.sudo()._mark_done({c.id: found.get(c.id, marked) for c in todo})
        return True

    def _evidence_found(self):
        """{checkpoint id: what proves it} of these checkpoints whose type's
        evidence is on their document: one query per document model and
        evidence kind at most (the documents' ``_sm_evidences``)."""
        found = {}
        with_evidence = self.filtered(lambda c: c.type_id.evidence != "none")
        for model, checkpoints in with_evidence.grouped("res_model").items():
            documents = self.env[model].browse(set(checkpoints.mapped("res_id")))
            by_kind = checkpoints.grouped(lambda c: c.type_id.evidence)
            proofs = documents._sm_evidences(
                {
                    kind: kind_checkpoints.type_id.activity_type_id
                    for kind, kind_checkpoints in by_kind.items()
                }
            )
            for kind, kind_checkpoints in by_kind.items():
                for checkpoint in kind_checkpoints:
                    activity_type = (
                        checkpoint.type_id.activity_type_id.id
                        if kind == "activity"
                        else False
                    )
                    proof = proofs[kind].get((checkpoint.res_id, activity_type))
                    if proof:
                        found[checkpoint.id] = proof
        return found

    def _missing_evidence_message(self):
        """What these checkpoints wait for, one line each, in the user's
        language."""
        several = len({(c.res_model, c.res_id) for c in self}) > 1
        lines = []
        for checkpoint in self:
            cp_type = checkpoint.type_id
            name = cp_type.name
            if cp_type.evidence == "quotation_sent":
                line = self.env._(
                    "%(checkpoint)s needs a quotation sent for this deal; send "
                    "one, or ask your team leader to waive it.",
                    checkpoint=name,
                )
            elif cp_type.evidence == "order_confirmed":
                line = self.env._(
                    "%(checkpoint)s needs a confirmed sale order for this deal; "
                    "confirm one, or ask your team leader to waive it.",
                    checkpoint=name,
                )
            elif cp_type.evidence == "attachment":
                line = self.env._(
                    "%(checkpoint)s needs a document attached to this deal; "
                    "attach one, or ask your team leader to waive it.",
                    checkpoint=name,
                )
            else:
                line = self.env._(
                    '%(checkpoint)s needs a done "%(activity)s" activity on '
                    "this deal; do one, or ask your team leader to waive it.",
                    checkpoint=name,
                    activity=cp_type.activity_type_id.name,
                )
            if several:
                document = self.env[checkpoint.res_model].browse(checkpoint.res_id)
                line = f"{document.display_name}: {line}"
            lines.append(line)
        return "\n".join(lines)

    def _mark_done(self, evidence):
        """``evidence``: what proved them, one text for all, or {checkpoint
        id: text}."""
        todo = self.filtered(lambda c: c.state in ("pending", "overdue"))
        if not todo:
            return
        if isinstance(evidence, str):
            evidence = dict.fromkeys(todo.ids, evidence)
        now = fields.Datetime.now()
        for proof, checkpoints in todo.grouped(lambda c: evidence[c.id]).items():
            checkpoints.write(
                {
                    "state": "done",
                    "done_date": now,
                    "done_by_id": self.env.uid,
                    "evidence": proof,
                }
            )
        todo._withdraw_alerts()
        todo._restart_following()
        todo._reached()

    def _reached(self):
        """The last checkpoint reached on time may call for a courtesy call
        (the commission followed the write)."""
        self.lead_id._sm_courtesy_call()

    @api.model
    def _detect(self, model, res_ids, evidence_kind, evidence, activity_type=None):
        """Evidence found on documents: mark their matching checkpoints done."""
        domain = [
            ("res_model", "=", model),
            ("res_id", "in", list(res_ids)),
            ("state", "in", ("pending", "overdue")),
            ("type_id.evidence", "=", evidence_kind),
        ]
        if activity_type:
            domain.append(("type_id.activity_type_id", "=", activity_type.id))
        # sudo: motivation.checkpoint - detection follows the document's own
        # events, whoever triggered them
        self.sudo().search(domain)._mark_done(evidence)

    def action_waive(self, reason):
        """Team leaders waive a checkpoint with a reason (logged on the deal)."""
        if not self.env.user.has_group("sales_motivation.group_team_leader"):
            raise AccessError(self.env._("Only team leaders can waive checkpoints."))
        if not reason:
            raise UserError(self.env._("Say why the checkpoint is waived."))
        todo = self.filtered(lambda c: c.state in ("pending", "overdue"))
        # sudo: motivation.checkpoint - written by these actions only
        todo.sudo().write(
            {
                "state": "waived",
                "done_date": fields.Datetime.now(),
                "done_by_id": self.env.uid,
                "waiver_reason": reason,
            }
        )
        todo._withdraw_alerts()
        # sudo: crm.lead, mail.activity - reaching the last checkpoint may
        # schedule the salesperson's courtesy call on the deal
        todo.sudo()._reached()
        for checkpoint in todo.filtered("lead_id"):
            # in the language of the deal's salesperson
            lang = checkpoint.lead_id.user_id.lang or self.env.lang
            translated = checkpoint.with_context(lang=lang)
            checkpoint.lead_id._message_log(
                body=translated.env._(
                    "Checkpoint %(checkpoint)s waived by %(user)s: %(reason)s",
                    checkpoint=translated.type_id.name,
                    user=self.env.user.name,
                    reason=reason,
                )
            )
        todo._restart_following()
        return True

    def _withdraw_alerts(self, leads=None):
        """The team leader's "Checkpoint Overdue" alerts of deals back on
        track (none of their checkpoints overdue any more) are withdrawn.
        ``leads``: the deals to look at, by default these checkpoints'."""
        leads = self.lead_id if leads is None else leads
        if not leads:
            return
        # sudo: motivation.checkpoint, mail.activity - the salesperson who
        # reaches the checkpoint withdraws the alert scheduled for the leader
        still_late = (
            self.sudo()
            .search([("lead_id", "in", leads.ids), ("state", "=", "overdue")])
            .lead_id
        )
        back = leads - still_late
        if back:
            self.env["mail.activity"].sudo().search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", back.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "sales_motivation.mail_activity_type_checkpoint_alert"
                        ).id,
                    ),
                ]
            ).unlink()

    def _restart_following(self):
        """A checkpoint counted from the previous one gets its deadline when
        the one before it on the same document (in the types' order) is
        reached, done or waived: the proposal's clock starts at the
        presentation, the contract's at the proposal."""
        reached = set(self.ids)
        previous = {}
        restart = []
        # ordered by sequence, then id, as the document's strip shows them
        for checkpoint in self.search(
            [
                ("res_model", "in", list(set(self.mapped("res_model")))),
                ("res_id", "in", self.mapped("res_id")),
            ]
        ):
            key = (checkpoint.res_model, checkpoint.res_id)
            if (
                previous.get(key) in reached
                and checkpoint.state == "pending"
                and checkpoint.type_id.deadline_from == "previous"
                and checkpoint.type_id.deadline_days
            ):
                restart.append(checkpoint.id)
            previous[key] = checkpoint.id
        # counted from today in the deal's company's local days (the current
        # company's for a document that is not a deal, or has no company)
        todays = {}
        for (company, days), checkpoints in (
            self.browse(restart)
            .grouped(
                lambda c: (
                    c.lead_id.company_id or self.env.company,
                    c.type_id.deadline_days,
                )
            )
            .items()
        ):
            if company not in todays:
                todays[company] = company._sm_local_date()
            # sudo: motivation.checkpoint - written by these actions only
            checkpoints.sudo().deadline = todays[company] + timedelta(days=days)

    # ------------------------------------------------------------
    # BUSINESS: met on time
    # ------------------------------------------------------------

    def _met_on_time(self, company):
        """Whether the checkpoint was met on time, the one rule of it: done
        (a waived one is not met), on or before its deadline (or without
        one), the moment it was done counted in the local days of
        ``company`` (UTC when empty). The courtesy call and the data quality
        score use it; its SQL twin, ``_met_on_time_sql``, the quality
        score's search and the Interaction Analysis report."""
        self.ensure_one()
        if self.state != "done":
            return False
        if not self.deadline:
            return True
        done = (
            company._sm_local_date(self.done_date) if company else self.done_date.date()
        )
        return done <= self.deadline

    @api.model
    def _met_on_time_sql(self, alias, company):
        """``_met_on_time`` as an SQL condition on the motivation_checkpoint
        row ``alias``, in the local days of the company whose id is the SQL
        expression ``company`` (UTC when NULL)."""
        checkpoint = SQL.identifier(alias)
        return SQL(
            "(%(c)s.state = 'done' AND (%(c)s.deadline IS NULL"
            " OR %(done)s <= %(c)s.deadline))",
            c=checkpoint,
            done=self.env["res.company"]._sm_local_date_sql(
                company, SQL("%s.done_date", checkpoint)
            ),
        )
