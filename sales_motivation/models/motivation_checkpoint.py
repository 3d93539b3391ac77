# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .sql import create_partial_unique_index, lock_rows


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

    def init(self):
        create_partial_unique_index(
            self.env.cr,
            "motivation_checkpoint_one_per_type",
            self._table,
            ["res_model", "res_id", "type_id"],
            "TRUE",
        )
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
        return res

    def unlink(self):
        leads = self.lead_id
        res = super().unlink()
        leads._sm_sync_commission_if_won()
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
        evidence kind (the documents' ``_sm_evidence``)."""
        found = {}
        with_evidence = self.filtered(lambda c: c.type_id.evidence != "none")
        for (model, kind), checkpoints in with_evidence.grouped(
            lambda c: (c.res_model, c.type_id.evidence)
        ).items():
            documents = self.env[model].browse(set(checkpoints.mapped("res_id")))
            proofs = documents._sm_evidence(kind, checkpoints.type_id.activity_type_id)
            for checkpoint in checkpoints:
                activity_type = (
                    checkpoint.type_id.activity_type_id.id
                    if kind == "activity"
                    else False
                )
                proof = proofs.get((checkpoint.res_id, activity_type))
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

    @api.model
    def _cron_mark_overdue(self, batch_size=10000):
        """Pending checkpoints past their deadline become overdue, and the team
        leader gets one activity per deviating deal, never twice for the same
        deviation.

        One call handles the late checkpoints of at most ``batch_size`` deals
        (or other documents) in a number of queries that does not depend on
        the number of deals, and writes each checkpoint once: overdue, and
        when its deal's leader was alerted. It reports the deals left to
        Odoo's cron runner (``_notify_progress``), which commits and calls it
        again until none is left; called directly, it handles one batch.
        10000 deals make a call of about a second. Smaller calls cost more
        in all: each reads past the checkpoints the calls before it marked
        overdue (see ``_overdue_next``), and the runner's own cost (its
        progress record, the commit, the bus notice) is paid per call.
        The call's deals are locked for it, and those another transaction
        holds are skipped (left for the next call): two runs at once split
        the deals instead of alerting them twice.
        """
        # "today" is each deal's company's local today (see _overdue_late)
        today = self.env["res.company"]._sm_todays()
        cr = self.env.cr
        self.flush_model()
        self.env["crm.lead"].flush_model(["name", "team_id", "user_id"])
        self.env["crm.team"].flush_model(["user_id"])
        lead_ids, others, more = self._overdue_next(today, batch_size)
        batch = self._overdue_of_deals(today, lead_ids) if lead_ids else []
        alerts = [row for row in batch if row[1]]
        activity_ids = self._overdue_alert(alerts)
        # one UPDATE: each checkpoint overdue, alerted when its deal's team
        # leader was (deals without leader nor salesperson wait for one)
        checkpoint_ids, alerted = list(others), [False] * len(others)
        for lead_id, _user, _name, ids, _types, _date in batch:
            checkpoint_ids += ids
            alerted += [lead_id in activity_ids] * len(ids)
        if checkpoint_ids:
            cr.execute(
                SQL(
                    """
                    UPDATE motivation_checkpoint c
                       SET state = 'overdue',
                           alert_date = CASE WHEN v.alerted THEN %(today)s END,
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM unnest(%(ids)s::int[], %(alerted)s::bool[])
                           AS v(id, alerted)
                     WHERE c.id = v.id AND c.id = ANY(%(ids)s)
                    """,
                    today=self.env["res.company"]._sm_today_sql(
                        SQL(
                            "(SELECT l.company_id FROM crm_lead l"
                            " WHERE l.id = c.lead_id)"
                        ),
                        today,
                    ),
                    uid=self.env.uid,
                    now=cr.now(),
                    ids=checkpoint_ids,
                    alerted=alerted,
                )
            )
            # the ORM cache knows neither these rows nor what the documents
            # compute from them (checkpoint status, data quality)
            self.env.invalidate_all()
            # an overdue checkpoint lowers its won deal's data quality score
            self.env["crm.lead"].browse(lead_ids)._sm_sync_commission_if_won()
        if not more:
            more = int(self._overdue_left(today))
        self.env["ir.cron"]._sm_notify_progress(
            done=len(lead_ids) + len(others), remaining=more
        )

    @api.model
    def _overdue_next(self, today, batch_size):
        """What the next call handles: the documents of the next late pending
        checkpoints, in order of deadline among the open checkpoints (the
        partial index motivation_checkpoint_open_deadline_idx: the overdue
        ones already handled are read past, not indexed apart, so that
        marking them overdue stays a HOT update); once there are none, the
        deals whose overdue checkpoints still wait for somebody to alert.
        At most ``batch_size`` of them, locked for the call: the deals (the
        other documents' checkpoints) another transaction holds are left to
        the next call, and the next ones taken instead.
        Returns (the deals' ids; the other documents' checkpoint ids; a lower
        bound of the documents left)."""
        cr = self.env.cr
        probe = 3 * batch_size
        cr.execute(
            SQL(
                """
                SELECT c.id, c.lead_id FROM motivation_checkpoint c
                 WHERE %(late)s
                 ORDER BY c.deadline
                 LIMIT %(probe)s
                """,
                late=self._overdue_late(today),
                probe=probe,
            )
        )
        rows = cr.fetchall()
        if not rows:
            cr.execute(
                SQL(
                    """
                    SELECT DISTINCT c.lead_id FROM %(waiting)s
                     ORDER BY c.lead_id
                     LIMIT %(limit)s
                    """,
                    waiting=self._overdue_waiting(),
                    limit=batch_size + 1,
                )
            )
            rows = [(None, lead_id) for (lead_id,) in cr.fetchall()]
        keys = list(
            dict.fromkeys(lead_id or ("checkpoint", cp_id) for cp_id, lead_id in rows)
        )
        lead_ids = lock_rows(
            cr, "crm_lead", [k for k in keys if isinstance(k, int)], limit=batch_size
        )
        others = lock_rows(
            cr,
            self._table,
            [k[1] for k in keys if not isinstance(k, int)],
            limit=batch_size - len(lead_ids),
        )
        more = len(keys) - len(lead_ids) - len(others) or int(len(rows) == probe)
        return lead_ids, others, more

    @api.model
    def _overdue_late(self, todays):
        """The late pending checkpoints (alias c): past their deadline in
        their deal's company's local today (``todays``, see
        ``res.company._sm_todays``; a document that is not a deal, or a deal
        without company, in the current company's). The latest of the
        todays bounds the deadline first, so that the partial index on
        open deadlines serves it."""
        return SQL(
            "c.done_date IS NULL AND c.state = 'pending' AND c.deadline < %s"
            " AND c.deadline < %s",
            max(todays.values()),
            self.env["res.company"]._sm_today_sql(
                SQL("(SELECT l.company_id FROM crm_lead l WHERE l.id = c.lead_id)"),
                todays,
            ),
        )

    @api.model
    def _overdue_unalerted(self):
        # among the open checkpoints (the partial index on deadline holds
        # them): the overdue ones not alerted yet
        return SQL(
            "c.done_date IS NULL AND c.state = 'overdue' AND c.alert_date IS NULL"
            " AND c.lead_id IS NOT NULL"
        )

    @api.model
    def _overdue_waiting(self):
        """FROM and WHERE of the overdue checkpoints (alias c) still waiting
        for their alert whose deal has somebody to alert: its team leader,
        else its salesperson."""
        return SQL(
            """
            motivation_checkpoint c
            JOIN crm_lead l ON l.id = c.lead_id
            LEFT JOIN crm_team t ON t.id = l.team_id
           WHERE %s AND COALESCE(t.user_id, l.user_id) IS NOT NULL
            """,
            self._overdue_unalerted(),
        )

    @api.model
    def _overdue_of_deals(self, today, lead_ids):
        """The deals' checkpoints late or waiting for their alert, per deal:
        [(lead_id, user to alert or None, deal name, checkpoint ids, type ids,
        earliest deadline)]."""
        self.env.cr.execute(
            SQL(
                """
                WITH late AS (
                    SELECT c.lead_id,
                           array_agg(c.id ORDER BY c.sequence, c.id) AS ids,
                           array_agg(c.type_id ORDER BY c.sequence, c.id) AS types,
                           min(c.deadline) AS since
                      FROM motivation_checkpoint c
                     WHERE c.lead_id = ANY(%(leads)s)
                       AND (%(late)s OR %(unalerted)s)
                     GROUP BY c.lead_id
                )
                SELECT late.lead_id, COALESCE(t.user_id, l.user_id), l.name,
                       late.ids, late.types, late.since
                  FROM late
                  JOIN crm_lead l ON l.id = late.lead_id
                  LEFT JOIN crm_team t ON t.id = l.team_id
                 WHERE l.id = ANY(%(leads)s)
                 ORDER BY late.lead_id
                """,
                leads=lead_ids,
                late=self._overdue_late(today),
                unalerted=self._overdue_unalerted(),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _overdue_alert(self, alerts):
        """One "Checkpoint Overdue" activity per deal for its team leader
        (else its salesperson): "Intervene: <checkpoints> overdue since
        <date>". Returns {lead_id: activity_id}."""
        if not alerts:
            return {}
        types = self.env["motivation.checkpoint.type"].browse(
            sorted({t for *_lead, type_ids, _date in alerts for t in type_ids})
        )
        # each summary in its recipient's language
        langs = {
            user.id: user.lang or self.env.lang
            for user in self.env["res.users"].browse(sorted({row[1] for row in alerts}))
        }
        names = {}  # {lang: {type id: name}}
        summaries = {}  # deals late on the same checkpoints since the same day

        def summary(user_id, type_ids, deadline):
            lang = langs.get(user_id)
            key = (lang, tuple(type_ids), deadline)
            if key not in summaries:
                if lang not in names:
                    names[lang] = {t.id: t.name for t in types.with_context(lang=lang)}
                summaries[key] = self.with_context(lang=lang).env._(
                    "Intervene: %(checkpoints)s overdue since %(date)s",
                    checkpoints=", ".join(names[lang][t] for t in type_ids),
                    date=fields.Date.to_string(deadline),
                )
            return summaries[key]

        return self.env["crm.lead"]._sm_insert_team_leader_alerts(
            [
                (lead_id, user_id, lead_name, summary(user_id, type_ids, deadline))
                for lead_id, user_id, lead_name, _ids, type_ids, deadline in alerts
            ]
        )

    @api.model
    def _overdue_left(self, today):
        """Whether a late pending checkpoint, or a deal with somebody to alert
        of its overdue ones, is left."""
        self.env.cr.execute(
            SQL(
                """
                SELECT EXISTS (
                           SELECT FROM motivation_checkpoint c
                            WHERE %(late)s)
                    OR EXISTS (SELECT FROM %(waiting)s)
                """,
                late=self._overdue_late(today),
                waiting=self._overdue_waiting(),
            )
        )
        return self.env.cr.fetchone()[0]
