# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class CrmLead(models.Model):
    """Checkpoints: the open opportunities follow their team's checkpoint
    types (motivation.checkpoint.mixin), stages wait for the checkpoints
    required before them, the overdue cron's alerts to team leaders
    (motivation_checkpoint.py) and the courtesy call."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "motivation.checkpoint.mixin"]

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _sm_checkpoint_on_create(self, vals_list):
        """New opportunities get their checkpoints."""
        self.filtered(
            lambda lead: lead.type == "opportunity"
        )._sm_sync_checkpoints_soon()

    def _sm_checkpoint_before_write(self, vals):
        """Stages wait for the checkpoints required before them. Returns
        the leads whose checkpoints may change."""
        if vals.get("stage_id"):
            self._sm_check_stage_checkpoints(vals["stage_id"])
        # leads whose checkpoints may change: a new type, team, company
        # (its checkpoint types) or active flag
        return self.filtered(
            lambda lead: any(
                fname in vals
                and (
                    lead[fname].id
                    if fname in ("team_id", "company_id")
                    else lead[fname]
                )
                != (vals[fname] or False)
                for fname in ("type", "team_id", "company_id", "active")
            )
        )

    def _sm_checkpoint_on_write(self, vals, resync):
        """The checkpoints follow a new type, team, company or active flag."""
        if resync:
            resync._sm_sync_checkpoints_soon()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_checkpoint_types(self):
        """Open opportunities follow the checkpoint types of their team, of
        their company (the team's, else the current one, for a deal of no
        company)."""
        Type = self.env["motivation.checkpoint.type"].sudo()
        nothing = self.env["motivation.checkpoint.type"]
        result = {}
        for company, leads in self.grouped(
            lambda lead: lead.company_id or lead.team_id.company_id or self.env.company
        ).items():
            by_team = Type._types_by_team(leads.team_id, company)
            for lead in leads:
                result[lead] = (
                    by_team.get(lead.team_id, nothing)
                    if lead.type == "opportunity" and lead.active and lead.team_id
                    else nothing
                )
        return {lead: result[lead] for lead in self}

    def _sm_checkpoint_extra_vals(self):
        return {"lead_id": self.id}

    def _sm_evidence(self, kind, activity_types):
        """A deal's quotation sent (or confirmed since) proves the proposal, a
        confirmed order the contract."""
        states = {"quotation_sent": ("sent", "sale"), "order_confirmed": ("sale",)}
        if kind not in states:
            return super()._sm_evidence(kind, activity_types)
        # sudo: sale.order - the deal's orders prove it whoever made them (the
        # back office's included); only their names are read
        orders = (
            self.env["sale.order"]
            .sudo()
            .search_fetch(
                [("opportunity_id", "in", self.ids), ("state", "in", states[kind])],
                ["opportunity_id", "name"],
                order="id",
            )
        )
        return {(order.opportunity_id.id, False): order.name for order in orders}

    def _sm_check_stage_checkpoints(self, stage_id):
        """Refuse a move into a stage (drag and drop, form, write) while
        checkpoints required before it are neither done nor waived."""
        stage = self.env["crm.stage"].browse(stage_id)
        missing = {}
        for lead in self.filtered(lambda lead: lead.stage_id != stage):
            for checkpoint in lead.sudo().sm_checkpoint_ids:
                required = checkpoint.type_id.stage_id
                if (
                    required
                    and checkpoint.state in ("pending", "overdue")
                    and (required.sequence, required.id) <= (stage.sequence, stage.id)
                ):
                    missing.setdefault(lead, []).append(checkpoint.type_id.name)
        if missing:
            raise ValidationError(
                self.env._(
                    "%(stage)s needs these checkpoints done (or waived by a team "
                    "leader) first:\n%(missing)s",
                    stage=stage.name,
                    missing="\n".join(
                        f"- {lead.display_name}: {', '.join(names)}"
                        for lead, names in missing.items()
                    ),
                )
            )

    def _sm_sync_checkpoints_soon(self):
        """Sync the checkpoints now, or, inside a batch that converts leads one
        by one (Odoo's lead assignment, see crm.team), at the batch's end or
        its next commit, for all its leads at once."""
        deferred = self.env.context.get("sm_deferred_checkpoints")
        if deferred is None:
            return self._sm_sync_checkpoints()
        if not deferred:
            self.env.cr.precommit.add(self._sm_sync_deferred_checkpoints)
        deferred.update(self.ids)

    def _sm_sync_deferred_checkpoints(self):
        deferred = self.env.context["sm_deferred_checkpoints"]
        leads = self.browse(deferred).exists()
        deferred.clear()
        leads.with_context(sm_deferred_checkpoints=None)._sm_sync_checkpoints()

    @api.model
    def _sm_insert_team_leader_alerts(self, alerts):
        """The overdue cron's alerts: one "Checkpoint Overdue" activity due
        today per deal for ``user_id``, like ``_sm_alert_team_leaders`` but in
        one INSERT (the ORM's create costs about 1 ms per activity).
        ``alerts``: [(lead_id, user_id, lead name, summary)], one per deal.
        Returns {lead_id: activity_id}.

        Fills every column mail.activity's create would, its stored related
        and computed ones included (res_model, res_name, user_tz, date_done
        empty while active). What create does besides, left out: the leader
        is not subscribed to each deal (team leaders read their teams' deals
        anyway, and 100k follower rows would cost more than the alerts), and
        no assignation e-mail is sent (the ORM path skips it too, with
        mail_activity_quick_update). The leaders' activity counters are told
        on the bus, once per leader, as create does."""
        if not alerts:
            return {}
        activity_type = self.env.ref(
            "sales_motivation.mail_activity_type_checkpoint_alert"
        )
        model_id = self.env["ir.model"]._get_id("crm.lead")
        today = fields.Date.context_today(self)
        lead_ids, user_ids, lead_names, summaries = (
            list(column) for column in zip(*alerts, strict=True)
        )
        self.env["res.partner"].flush_model(["tz"])
        cr = self.env.cr
        # SQL: mail_activity rows as the ORM's create writes them; user_tz is
        # the related res.users.tz, stored on the user's partner
        cr.execute(
            SQL(
                """
                INSERT INTO mail_activity (
                    res_model_id, res_model, res_id, res_name,
                    activity_type_id, summary, date_deadline, user_id, user_tz,
                    automated, active, create_uid, create_date, write_uid,
                    write_date)
                SELECT %(model_id)s, 'crm.lead', v.lead_id, v.lead_name,
                       %(type_id)s, v.summary, %(today)s, v.user_id, p.tz,
                       TRUE, TRUE, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(lead_ids)s::int[], %(user_ids)s::int[],
                              %(lead_names)s::varchar[], %(summaries)s::varchar[])
                       AS v(lead_id, user_id, lead_name, summary)
                  JOIN res_users u ON u.id = v.user_id
                  JOIN res_partner p ON p.id = u.partner_id
                RETURNING res_id, id
                """,
                model_id=model_id,
                type_id=activity_type.id,
                today=today,
                uid=self.env.uid,
                now=cr.now(),
                lead_ids=lead_ids,
                user_ids=user_ids,
                lead_names=lead_names,
                summaries=summaries,
            )
        )
        activity_ids = dict(cr.fetchall())
        # the ORM cache does not know the new rows: the deals' activities and
        # everything computed from them (state, deadline, user)
        self.env["mail.activity"].invalidate_model()
        self.browse(lead_ids).invalidate_recordset()
        # as mail.activity's create: each user's counter of activities due
        # today or earlier grows (all of these are due today)
        if today <= fields.Date.today():
            counts = Counter(user_ids)
            for user in self.env["res.users"].browse(sorted(counts)):
                user._bus_send(
                    "mail.activity/updated",
                    {"activity_created": True, "count_diff": counts[user.id]},
                )
        return activity_ids

    def _sm_courtesy_call(self):
        """Deals that reached every checkpoint by its deadline get a call
        activity for their salesperson (company setting)."""
        on_time = self.filtered(
            lambda lead: lead.user_id
            and (lead.company_id or self.env.company).sm_courtesy_call
            and lead.sm_checkpoint_ids
            and all(
                c.state == "done"
                and (
                    not c.deadline
                    or (lead.company_id or self.env.company)._sm_local_date(c.done_date)
                    <= c.deadline
                )
                for c in lead.sm_checkpoint_ids
            )
        )
        if not on_time:
            return
        call = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        today = fields.Date.context_today(self)
        # sudo: mail.activity - the last checkpoint may be reached by evidence
        # another user produced (a sale order confirmed by the back office)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": call.id,
                    "user_id": lead.user_id.id,
                    "date_deadline": today,
                    # in the salesperson's language
                    "summary": self.with_context(
                        lang=lead.user_id.lang or self.env.lang
                    ).env._("Courtesy call: every checkpoint met on time"),
                }
                for lead in on_time
            ]
        )
