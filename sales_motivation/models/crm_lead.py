# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# Fields whose change may change what a won deal's commission is.
COMMISSION_TRIGGERS = {"stage_id", "active", "probability", "expected_revenue"}


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "motivation.checkpoint.mixin"]

    sm_closer_id = fields.Many2one(
        "res.users",
        string="Closer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The salesperson who won the deal, paid the closer share.",
    )
    sm_commission_line_ids = fields.One2many(
        "motivation.commission.line", "lead_id", string="Commission Lines"
    )
    sm_commission_line_count = fields.Integer(
        string="Commission", compute="_compute_sm_commission_line_count"
    )

    def _compute_sm_commission_line_count(self):
        # the lines the current user may see, cancelled ones aside
        counts = dict(
            self.env["motivation.commission.line"]._read_group(
                [("lead_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["lead_id"],
                ["__count"],
            )
        )
        for lead in self:
            lead.sm_commission_line_count = counts.get(lead, 0)

    @api.model_create_multi
    def create(self, vals_list):
        """Create the leads; each concern of the addon acts through its hooks,
        in the order of ``write``'s docstring."""
        self._sm_registrar_before_create(vals_list)
        self._sm_interaction_before_create(vals_list)
        leads = super().create(vals_list)
        leads._sm_registrar_on_create(vals_list)
        leads._sm_checkpoint_on_create(vals_list)
        leads._sm_commission_on_create(vals_list)
        return leads

    def write(self, vals):
        """Write the leads; each concern of the addon acts through its hooks.

        ``_sm_<concern>_before_write(vals)`` runs before the write: it checks
        (and raises) and returns what the concern needs to know from before
        (or None); ``_sm_<concern>_on_write(vals, before)`` runs after it,
        with that value. ``create`` works alike, with
        ``_sm_<concern>_before_create(vals_list)`` (which may complete the
        values) and ``_sm_<concern>_on_create(vals_list)`` on the new leads.
        The order, the same for both:

        1. registrar: who may register, or change the registrar, in whose
           name; the first-contact data of a new deal;
        2. interaction: a new deal's last touch is its registration;
        3. pool: who may protect deals from the pool rules; the client follows
           its opportunity to a new salesperson;
        4. checkpoint: the stages a deal may not enter yet; the checkpoints
           follow a change of type, team or active flag;
        5. commission, last: the closer and the commission lines of the deals
           won or no longer won, once the others have written.
        """
        pool = self._sm_pool_before_write(vals)
        self._sm_registrar_before_write(vals)
        checkpoint = self._sm_checkpoint_before_write(vals)
        commission = self._sm_commission_before_write(vals)
        res = super().write(vals)
        self._sm_checkpoint_on_write(vals, checkpoint)
        self._sm_pool_on_write(vals, pool)
        self._sm_commission_on_write(vals, commission)
        return res

    # The hooks of create and write, by concern

    def _sm_checkpoint_on_create(self, vals_list):
        self.filtered(
            lambda lead: lead.type == "opportunity"
        )._sm_sync_checkpoints_soon()

    def _sm_checkpoint_before_write(self, vals):
        """Returns the leads whose checkpoints may change."""
        if vals.get("stage_id"):
            self._sm_check_stage_checkpoints(vals["stage_id"])
        # leads whose checkpoints may change: a new type, team or active flag
        return self.filtered(
            lambda lead: any(
                fname in vals
                and (lead[fname].id if fname == "team_id" else lead[fname])
                != (vals[fname] or False)
                for fname in ("type", "team_id", "active")
            )
        )

    def _sm_checkpoint_on_write(self, vals, resync):
        if resync:
            resync._sm_sync_checkpoints_soon()

    def _sm_commission_on_create(self, vals_list):
        won = self._sm_won()
        if won:
            won._sm_set_closer()
            self.env["motivation.commission.line"]._sync_leads(won)

    def _sm_commission_before_write(self, vals):
        """Returns the deals won before the write, or None when nothing their
        commission depends on changes."""
        if COMMISSION_TRIGGERS & set(vals):
            return self._sm_won()
        return None

    def _sm_commission_on_write(self, vals, won_before):
        if won_before is None:
            return
        won_after = self._sm_won()
        (won_after - won_before)._sm_set_closer()
        if won_before or won_after:
            self.env["motivation.commission.line"]._sync_leads(won_before | won_after)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled_commission(self):
        # sudo: motivation.commission.line - the deleting user may not see
        # every beneficiary's lines, the check must
        settled = (
            self.sudo()
            .sm_commission_line_ids.filtered(
                lambda line: line.state == "settled" or line.settlement_id
            )
            .lead_id
        )
        if settled:
            raise UserError(
                self.env._(
                    "These deals carry commission that is settled or being settled "
                    "and cannot be deleted; archive them instead: %s",
                    ", ".join(settled.mapped("display_name")),
                )
            )

    def action_sm_view_commission(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sales_motivation.motivation_commission_line_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {}
        return action

    def _sm_checkpoint_types(self):
        """Open opportunities follow the checkpoint types of their team."""
        by_team = (
            self.env["motivation.checkpoint.type"].sudo()._types_by_team(self.team_id)
        )
        nothing = self.env["motivation.checkpoint.type"]
        return {
            lead: by_team.get(lead.team_id, nothing)
            if lead.type == "opportunity" and lead.active and lead.team_id
            else nothing
            for lead in self
        }

    def _sm_checkpoint_extra_vals(self):
        return {"lead_id": self.id}

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
                and (not c.deadline or c.done_date.date() <= c.deadline)
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
                    "summary": self.env._(
                        "Courtesy call: every checkpoint met on time"
                    ),
                }
                for lead in on_time
            ]
        )

    def _sm_won(self):
        return self.filtered(lambda lead: lead.active and lead.stage_id.is_won)

    def _sm_set_closer(self):
        """Whoever is the salesperson when the deal is won closed it."""
        for user, leads in self.grouped("user_id").items():
            # sudo: crm.lead - the closer is not editable by anybody
            leads.sudo().write({"sm_closer_id": user.id})

    def _sm_sync_commission_if_won(self):
        """Something the commission of won deals depends on changed (a sale
        order, a checkpoint): their commission follows."""
        won = self._sm_won()
        if won:
            self.env["motivation.commission.line"]._sync_leads(won)

    def _sm_commission_base(self, plan):
        """The amount the plan's percentages apply to, in company currency."""
        self.ensure_one()
        if plan.base == "sale_order":
            return self.sale_amount_total
        return self.expected_revenue

    def _sm_quality_ok(self, plan):
        self.ensure_one()
        return self.sm_quality_score >= plan.closer_min_quality

    def _sm_commission_checkpoints_ok(self):
        """Every checkpoint required for commission is done or waived."""
        self.ensure_one()
        return all(
            checkpoint.state in ("done", "waived")
            for checkpoint in self.sm_checkpoint_ids
            if checkpoint.type_id.required_for_commission
        )

    def _sm_beneficiaries(self, plan):
        """(role, partner, user, percent) for each share the deal pays."""
        self.ensure_one()
        shares = []
        registrar = self.sm_agent_id or self.registrar_id.partner_id
        if (
            registrar
            and plan.registrar_percent
            and (
                not plan.registrar_requires_first_contact
                or self.sm_first_contact_complete
            )
        ):
            user = self.env["res.users"] if self.sm_agent_id else self.registrar_id
            shares.append(("registrar", registrar, user, plan.registrar_percent))
        closer = self.sm_closer_id
        if (
            closer
            and plan.closer_percent
            and (
                not plan.closer_requires_checkpoints
                or self._sm_commission_checkpoints_ok()
            )
            and self._sm_quality_ok(plan)
        ):
            shares.append(("closer", closer.partner_id, closer, plan.closer_percent))
        return shares
