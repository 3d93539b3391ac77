# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, date_utils, mute_logger
from odoo.tools.sql import create_index

# Fields whose change may change what a won deal's commission is.
COMMISSION_TRIGGERS = {"stage_id", "active", "probability", "expected_revenue"}
# Deals named one by one in an assignment summary; the others are counted.
SUMMARY_LEADS = 20


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
    sm_protected = fields.Boolean(
        string="Protected from Pool Rules",
        copy=False,
        tracking=True,
        help="Set by a team leader: the pool and reassignment rules leave this "
        "deal with its salesperson.",
    )
    in_pool = fields.Boolean(
        string="In Shared Pool",
        copy=False,
        tracking=True,
        help="Released to the shared pool: every salesperson of the sales team "
        "sees it and may claim it.",
    )
    sm_commission_line_ids = fields.One2many(
        "motivation.commission.line", "lead_id", string="Commission Lines"
    )
    sm_commission_line_count = fields.Integer(
        string="Commission", compute="_compute_sm_commission_line_count"
    )

    def init(self):
        res = super().init()
        # The pool rule looks up pool leads by team; pool leads are few. The
        # predicate matches what the ORM writes for ('in_pool', '=', True).
        self.env.cr.execute("DROP INDEX IF EXISTS crm_lead_sm_pool_team_idx")
        create_index(
            self.env.cr,
            "crm_lead_sm_pool_idx",
            self._table,
            ["team_id"],
            where="in_pool",
        )
        return res

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

    def _sm_pool_before_write(self, vals):
        """Returns whether the clients are to follow their opportunities."""
        if "sm_protected" in vals and not self._sm_can_set_registrar():
            raise AccessError(
                self.env._("Only team leaders can protect deals from the pool rules.")
            )
        return "user_id" in vals and not self.env.context.get("sm_following")

    def _sm_pool_on_write(self, vals, follow):
        if follow:
            self._sm_client_follows()

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

    def action_release_to_pool(self, reason=None, rule=None):
        """Put the deals in their team's shared pool: the salesperson is
        cleared, the team and the registrar stay. Logged with its reason."""
        leads = self.filtered(lambda lead: not lead.in_pool)
        if not leads:
            return True
        without_team = leads.filtered(lambda lead: not lead.team_id)
        if without_team:
            raise UserError(
                self.env._(
                    "A deal goes to the shared pool of its sales team; set a team "
                    "first: %s",
                    ", ".join(without_team.mapped("display_name")),
                )
            )
        reason = reason or self.env._("Released by %s", self.env.user.name)
        origin = {lead.id: lead.user_id.id for lead in leads}
        leads.write({"user_id": False, "in_pool": True})
        self.env["motivation.transfer"].with_context(sm_from_user=origin)._log(
            leads, "release", reason, rule=rule
        )
        leads._message_log_batch(
            bodies={
                lead.id: self.env._("Released to the shared pool: %s", reason)
                for lead in leads
            }
        )
        return True

    def action_claim(self):
        """Take deals from the shared pool of one's teams. When two
        salespeople claim the same deal at once, the first one gets it and the
        other a clear message."""
        user = self.env.user
        # sudo: crm.lead - a deal claimed by someone else meanwhile is no
        # longer readable by the claimer, who must still be told why; the
        # checks below are the pool rule's own (in the pool, of one's team)
        leads = self.sudo()
        try:
            # lock the rows without waiting: a concurrent claim fails here and
            # is told why; the savepoint and the muted logger keep the failed
            # query out of the transaction and out of the error log
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    "SELECT id FROM crm_lead WHERE id IN %s FOR UPDATE NOWAIT",
                    (tuple(leads.ids),),
                )
        except (
            psycopg2.errors.LockNotAvailable,
            psycopg2.errors.SerializationFailure,
        ) as error:
            raise UserError(
                self.env._(
                    "Another salesperson has just claimed or is claiming %s; "
                    "reload the pool.",
                    ", ".join(leads.mapped("display_name")),
                )
            ) from error
        leads.invalidate_recordset(["user_id", "in_pool"])
        leads._sm_check_claim(user)
        leads.write(
            {
                "user_id": user.id,
                "in_pool": False,
                "sm_last_touch_date": fields.Datetime.now(),
            }
        )
        self.env["motivation.transfer"]._log(
            leads, "claim", self.env._("Claimed by %s", user.name), to_user=user
        )
        leads._message_log_batch(
            bodies={
                lead.id: self.env._("Claimed from the shared pool by %s", user.name)
                for lead in leads
            }
        )
        return True

    def _sm_check_claim(self, user):
        """Pool membership, the team's claim cap and the cooldown after a lead
        was taken away from the claimer."""
        not_pool = self.filtered(lambda lead: not lead.in_pool)
        if not_pool:
            raise UserError(
                self.env._(
                    "Not in the shared pool (any more): %s.",
                    ", ".join(
                        f"{lead.display_name} ({lead.user_id.name})"
                        if lead.user_id
                        else lead.display_name
                        for lead in not_pool
                    ),
                )
            )
        foreign = self.filtered(lambda lead: user not in lead.team_id.member_ids)
        if foreign:
            raise UserError(
                self.env._(
                    "You can only claim from the pool of your own sales teams: %s.",
                    ", ".join(foreign.mapped("display_name")),
                )
            )
        Transfer = self.env["motivation.transfer"].sudo()
        now = fields.Datetime.now()
        for team, leads in self.grouped("team_id").items():
            if team.sm_claim_cap:
                start = date_utils.start_of(now, team.sm_claim_period)
                claimed = Transfer.search_count(
                    [
                        ("kind", "=", "claim"),
                        ("to_user_id", "=", user.id),
                        ("team_id", "=", team.id),
                        ("date", ">=", start),
                    ]
                )
                if claimed + len(leads) > team.sm_claim_cap:
                    raise UserError(
                        self.env._(
                            "%(team)s allows %(cap)s pool claims per %(period)s and "
                            "you have made %(claimed)s.",
                            team=team.name,
                            cap=team.sm_claim_cap,
                            period=dict(
                                team._fields["sm_claim_period"]._description_selection(
                                    self.env
                                )
                            )[team.sm_claim_period].lower(),
                            claimed=claimed,
                        )
                    )
            if team.sm_claim_cooldown_days:
                recent = Transfer.search(
                    [
                        ("lead_id", "in", leads.ids),
                        ("from_user_id", "=", user.id),
                        ("kind", "in", ("release", "reassign")),
                        ("actor_id", "!=", user.id),
                        (
                            "date",
                            ">=",
                            now - timedelta(days=team.sm_claim_cooldown_days),
                        ),
                    ]
                )
                if recent:
                    until = max(recent.mapped("date")) + timedelta(
                        days=team.sm_claim_cooldown_days
                    )
                    raise UserError(
                        self.env._(
                            "%(leads)s was taken away from you; you can claim it "
                            "again from %(date)s.",
                            leads=", ".join(recent.lead_id.mapped("display_name")),
                            date=fields.Date.to_string(until.date()),
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

    def _sm_client_follows(self):
        """The opportunity changed salesperson (or went to the pool): its
        client follows (setting "Client follows its opportunities")."""
        leads = self.filtered(
            lambda lead: lead.type == "opportunity"
            and lead.partner_id
            and (lead.company_id or self.env.company).sm_client_follows_opportunity
        )
        for user, user_leads in leads.grouped("user_id").items():
            clients = user_leads.partner_id.commercial_partner_id.filtered(
                lambda p, user=user: p.user_id != user
            )
            # sudo: res.partner - the client moves with the deal, even when the
            # user moving the deal may not edit the client
            clients.sudo().with_context(sm_following=True).write({"user_id": user.id})

    def _sm_notify_assigned(self, user, reason):
        """Tell ``user`` once about the deals of ``self`` just given to them
        (fair distribution, a rule's reassignment): one message, in their
        inbox or by e-mail as they chose, on the deals' team. Odoo's own lead
        assignment turns off its "You have been assigned" message per deal
        (``mail_auto_subscribe_no_notify``) and sends nothing instead; the
        callers turn it off the same way and send this summary."""
        if not self or not user.active or user == self.env.user:
            return
        leads = self.with_context(lang=user.lang)
        env = leads.env
        items = Markup().join(
            Markup('<li><a href="/mail/view?model=crm.lead&amp;res_id=%s">%s</a></li>')
            % (lead.id, lead.name)
            for lead in leads[:SUMMARY_LEADS]
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "Leads assigned to you (%(reason)s): %(count)s",
                count=len(leads),
                reason=reason,
            ),
            items,
        )
        if len(leads) > SUMMARY_LEADS:
            body += Markup("<p>%s</p>") % env._(
                "and %s more.", len(leads) - SUMMARY_LEADS
            )
        teams = leads.team_id
        # sudo: crm.team - the scheduler (or a team leader) tells the
        # assignee, whatever their rights on the team
        record = teams.sudo() if len(teams) == 1 else env["crm.team"].sudo()
        record.message_notify(
            subject=env._("Leads assigned to you: %s", len(leads)),
            body=env["mail.render.mixin"]._replace_local_links(body),
            partner_ids=user.partner_id.ids,
            email_layout_xmlid="mail.mail_notification_layout",
        )

    def _sm_alert_team_leaders(self, summaries):
        """One activity due today per deal for its team leader (its
        salesperson when the team has none), created in one batch; returned
        in the order of ``self``. ``summaries``: {lead: text}."""
        activity_type = self.env.ref("sales_motivation.mail_activity_type_pool_notice")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        today = fields.Date.context_today(self)
        # sudo: mail.activity - scheduled by the crons for other users
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": lead.id,
                        "activity_type_id": activity_type.id,
                        "user_id": (lead.team_id.user_id or lead.user_id).id,
                        "date_deadline": today,
                        "summary": summaries[lead],
                    }
                    for lead in self
                ]
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
