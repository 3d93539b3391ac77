# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .sql import create_partial_unique_index


class MotivationCheckpoint(models.Model):
    """Where one document stands at one checkpoint."""

    _name = "motivation.checkpoint"
    _description = "Checkpoint"
    _order = "sequence, id"

    res_model = fields.Char(required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        model_field="res_model", required=True, index=True, readonly=True
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
        index=True,
        readonly=True,
    )
    deadline = fields.Date(index=True, readonly=True)
    done_date = fields.Datetime(readonly=True)
    done_by_id = fields.Many2one("res.users", readonly=True)
    evidence = fields.Char(readonly=True, help="What proved it (document, activity).")
    waiver_reason = fields.Char(readonly=True)
    alert_activity_id = fields.Many2one(
        "mail.activity", ondelete="set null", readonly=True
    )
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
        # what the overdue cron looks for: late pending checkpoints, and
        # overdue ones of deals whose team leader was not alerted yet
        create_index(
            self.env.cr,
            "motivation_checkpoint_pending_deadline_idx",
            self._table,
            ["deadline"],
            where="state = 'pending'",
        )
        # the alert link empties when the leader marks the alert done: what
        # was alerted is told by alert_date (the earlier index used the link)
        self.env.cr.execute("DROP INDEX IF EXISTS motivation_checkpoint_unalerted_idx")
        create_index(
            self.env.cr,
            "motivation_checkpoint_to_alert_idx",
            self._table,
            ["lead_id"],
            where="state = 'overdue' AND alert_date IS NULL AND lead_id IS NOT NULL",
        )

    @api.depends("type_id", "state")
    def _compute_display_name(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for checkpoint in self:
            checkpoint.display_name = (
                f"{checkpoint.type_id.name}: {states.get(checkpoint.state)}"
            )

    def _documents(self):
        """{model: records} of the documents carrying these checkpoints."""
        docs = {}
        for model, checkpoints in self.grouped("res_model").items():
            docs[model] = self.env[model].browse(checkpoints.mapped("res_id"))
        return docs

    def action_done(self, evidence=None):
        """Mark reached (by hand, or by detected evidence)."""
        todo = self.filtered(lambda c: c.state in ("pending", "overdue"))
        if not todo:
            return True
        for documents in todo._documents().values():
            documents.check_access("write")
        # sudo: motivation.checkpoint - checkpoints are written by these
        # actions only; the document's write right was checked above
        todo.sudo()._mark_done(evidence or self.env._("Marked done"))
        return True

    def _mark_done(self, evidence):
        todo = self.filtered(lambda c: c.state in ("pending", "overdue"))
        todo.write(
            {
                "state": "done",
                "done_date": fields.Datetime.now(),
                "done_by_id": self.env.uid,
                "evidence": evidence,
            }
        )
        todo.alert_activity_id.unlink()
        todo._restart_following()
        todo._reached()

    def _reached(self):
        """A checkpoint required for commission reached on a won deal may
        release the closer's share; the last one reached on time may call for
        a courtesy call."""
        self.filtered(
            "type_id.required_for_commission"
        ).lead_id._sm_sync_commission_if_won()
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
        todo.alert_activity_id.sudo().unlink()
        todo.sudo()._reached()
        for checkpoint in todo.filtered("lead_id"):
            checkpoint.lead_id._message_log(
                body=self.env._(
                    "Checkpoint %(checkpoint)s waived by %(user)s: %(reason)s",
                    checkpoint=checkpoint.type_id.name,
                    user=self.env.user.name,
                    reason=reason,
                )
            )
        todo._restart_following()
        return True

    def _restart_following(self):
        """Checkpoints counted from the previous one get their deadline once
        the previous one is reached."""
        following = self.search(
            [
                ("res_model", "in", list(set(self.mapped("res_model")))),
                ("res_id", "in", self.mapped("res_id")),
                ("state", "=", "pending"),
                ("type_id.deadline_from", "=", "previous"),
            ]
        )
        today = fields.Date.context_today(self)
        for checkpoint in following:
            earlier = self.filtered(
                lambda c, cp=checkpoint: c.res_model == cp.res_model
                and c.res_id == cp.res_id
                and c.sequence <= cp.sequence
            )
            if earlier and checkpoint.type_id.deadline_days:
                # sudo: motivation.checkpoint - written by these actions only
                checkpoint.sudo().deadline = today + timedelta(
                    days=checkpoint.type_id.deadline_days
                )

    @api.model
    def _cron_mark_overdue(self, batch_size=1000):
        """Pending checkpoints past their deadline become overdue, and the team
        leader gets one activity per deviating deal, never twice for the same
        deviation.

        One call marks every late checkpoint overdue (one UPDATE) and alerts
        the leaders of at most ``batch_size`` deals, in a number of queries
        that does not depend on the number of deals. It reports the deals left
        to Odoo's cron runner (``_notify_progress``), which commits and calls
        it again until none is left; called directly, it alerts one batch.
        """
        today = fields.Date.context_today(self)
        cr = self.env.cr
        self.flush_model()
        cr.execute(
            SQL(
                """
                UPDATE motivation_checkpoint
                   SET state = 'overdue', write_uid = %(uid)s, write_date = %(now)s
                 WHERE state = 'pending' AND deadline < %(today)s
             RETURNING lead_id
                """,
                uid=self.env.uid,
                now=cr.now(),
                today=today,
            )
        )
        late = cr.fetchall()
        if late:
            # the ORM cache does not know the rows updated above, nor the
            # documents' checkpoint status computed from them; the deals' data
            # quality counts late checkpoints: recomputed set-wise too
            self.env.invalidate_all()
            self.env["crm.lead"]._sm_recompute_quality_score(
                {lead_id for (lead_id,) in late if lead_id}
            )
        # the next deals with overdue checkpoints not alerted yet, in the
        # order of the partial index that holds exactly those (no join, no
        # scan of the others: each call costs the same whatever is left)
        unalerted = SQL(
            "c.state = 'overdue' AND c.alert_date IS NULL AND c.lead_id IS NOT NULL"
        )
        cr.execute(
            SQL(
                """
                SELECT DISTINCT c.lead_id
                  FROM motivation_checkpoint c
                 WHERE %(unalerted)s
                 ORDER BY c.lead_id
                 LIMIT %(probe)s
                """,
                unalerted=unalerted,
                probe=2 * batch_size + 1,
            )
        )
        picked = [lead_id for (lead_id,) in cr.fetchall()]
        if not picked:
            return
        # of those, the deals with somebody to alert (deals without team
        # leader nor salesperson wait for one), with their checkpoints
        self.env["crm.lead"].flush_model(["name", "team_id", "user_id"])
        self.env["crm.team"].flush_model(["user_id"])
        cr.execute(
            SQL(
                """
                SELECT c.lead_id, COALESCE(t.user_id, l.user_id), l.name,
                       array_agg(c.id ORDER BY c.sequence, c.id),
                       array_agg(c.type_id ORDER BY c.sequence, c.id),
                       min(c.deadline)
                  FROM motivation_checkpoint c
                  JOIN crm_lead l ON l.id = c.lead_id
                  LEFT JOIN crm_team t ON t.id = l.team_id
                 WHERE c.lead_id = ANY(%(picked)s) AND %(unalerted)s
                   AND COALESCE(t.user_id, l.user_id) IS NOT NULL
                 GROUP BY c.lead_id, t.user_id, l.user_id, l.name
                 ORDER BY c.lead_id
                 LIMIT %(limit)s
                """,
                picked=picked,
                unalerted=unalerted,
                limit=batch_size,
            )
        )
        batch = cr.fetchall()
        if not batch:
            return
        types = self.env["motivation.checkpoint.type"].browse(
            sorted({t for *_lead, type_ids, _date in batch for t in type_ids})
        )
        names = {cp_type.id: cp_type.name for cp_type in types}
        activity_ids = self.env["crm.lead"]._sm_insert_team_leader_alerts(
            [
                (
                    lead_id,
                    user_id,
                    lead_name,
                    self.env._(
                        "Intervene: %(checkpoints)s overdue since %(date)s",
                        checkpoints=", ".join(names[type_id] for type_id in type_ids),
                        date=fields.Date.to_string(deadline),
                    ),
                )
                for lead_id, user_id, lead_name, _ids, type_ids, deadline in batch
            ]
        )
        # one UPDATE links every checkpoint of the batch to its deal's
        # activity and records that its deviation was alerted
        checkpoint_ids, checkpoint_activities = [], []
        for lead_id, _user, _name, ids, _types, _date in batch:
            checkpoint_ids += ids
            checkpoint_activities += [activity_ids[lead_id]] * len(ids)
        cr.execute(
            SQL(
                """
                UPDATE motivation_checkpoint c
                   SET alert_activity_id = v.activity_id, alert_date = %(today)s,
                       write_uid = %(uid)s, write_date = %(now)s
                  FROM unnest(%(ids)s::int[], %(activities)s::int[])
                       AS v(id, activity_id)
                 WHERE c.id = v.id AND c.id = ANY(%(ids)s)
                """,
                today=today,
                uid=self.env.uid,
                now=cr.now(),
                ids=checkpoint_ids,
                activities=checkpoint_activities,
            )
        )
        self.browse(checkpoint_ids).invalidate_recordset(
            ["alert_activity_id", "alert_date", "write_uid", "write_date"]
        )
        # what is left, as far as this call looked (a lower bound: enough for
        # the runner to call again, without counting every deviation left)
        remaining = len(picked) - len(batch) if len(batch) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
