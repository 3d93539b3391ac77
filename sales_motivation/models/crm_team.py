# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from .sql import lock_query, try_advisory_locks


class CrmTeam(models.Model):
    _inherit = "crm.team"
    # new leads distributed per call of the hourly cron: a few seconds
    _sm_distribute_batch_size = 500

    sm_claim_cap = fields.Integer(
        string="Pool Claims per Salesperson",
        help="How many leads one salesperson may claim from the shared pool per "
        "period (0: no limit).",
    )
    sm_claim_period = fields.Selection(
        [("day", "Day"), ("week", "Week"), ("month", "Month")],
        string="Claim Period",
        default="month",
        required=True,
    )
    sm_claim_cooldown_days = fields.Integer(
        string="Claim Cooldown (days)",
        default=30,
        help="A salesperson whose lead was taken away (by a rule or a team "
        "leader) cannot claim it back from the pool during these days.",
    )

    sm_fair_distribution = fields.Boolean(
        string="Fair Distribution of New Leads",
        help="New leads of the team without a salesperson are spread over its "
        "members, the same number per month for the same capacity, by the "
        "scheduled action (instead of Odoo's own member assignment).",
    )

    @api.constrains("sm_claim_cap", "sm_claim_cooldown_days")
    def _check_sm_claims(self):
        for team in self:
            if team.sm_claim_cap < 0 or team.sm_claim_cooldown_days < 0:
                raise ValidationError(
                    self.env._(
                        "Team %s: the pool claim cap and cooldown cannot be negative.",
                        team.name,
                    )
                )

    @api.model
    def action_your_pipeline(self):
        """A team leader lands on the pipeline of the teams they lead,
        overdue deals first (Team Pipeline); salespeople on their own."""
        if self.env.user.has_group(
            "sales_motivation.group_team_leader"
        ) and self.search_count([("user_id", "=", self.env.uid)], limit=1):
            action = self.env["ir.actions.actions"]._for_xml_id(
                "sales_motivation.crm_lead_action_team_pipeline"
            )
            return self._action_update_to_pipeline(action)
        return super().action_your_pipeline()

    def _action_assign_leads(self, force_quota=False, creation_delta_days=7):
        # Odoo converts and assigns the leads one by one: their checkpoints
        # are created together, at each of its commits and at the end, rather
        # than with a search and an insert per lead.
        # The same for the first responses due (crm_lead_response.py).
        deferred, responses = set(), {}
        context = {
            "sm_deferred_checkpoints": deferred,
            "sm_deferred_responses": responses,
        }
        Lead = self.env["crm.lead"].with_context(**context)
        result = super(CrmTeam, self.with_context(**context))._action_assign_leads(
            force_quota=force_quota, creation_delta_days=creation_delta_days
        )
        Lead._sm_sync_deferred_checkpoints()
        Lead._sm_response_deferred()
        return result

    def _sm_distribute(self, leads=None):
        """Spread the team's new, unassigned leads over its available members.

        Each member's share of the month is proportional to its capacity
        (``assignment_max``): the next lead goes to the member furthest behind
        its share (assigned this month / capacity), ties to the member who got
        a lead least recently, then to the lowest member id. Unlike ordering
        by seniority alone (odoo/odoo#259775), the recency tie-break rotates
        between members from one run to the next, so nobody's head start adds
        up. Deterministic: the same data always gives the same result.
        Returns {user: leads}.
        """
        # sudo: crm.lead - the cron or a team leader spreads the team's leads
        # over members whose loads count every deal, whoever may read them
        Lead = self.env["crm.lead"].sudo()
        if leads is None:
            leads = Lead.search(self._sm_new_leads_domain(), order="create_date, id")
        now = fields.Datetime.now()
        # the month (and the members' availability today) in each team's
        # company's local days; a team of no company counts in the current
        # company's
        company_of = {team: team.company_id or self.env.company for team in self}
        today_of = {}
        month_domains = []
        for company, teams in self.grouped(company_of.get).items():
            today_of[company] = company._sm_local_date(now)
            month_start, _end = company._sm_utc_bounds(
                today_of[company].replace(day=1), today_of[company]
            )
            month_domains.append(
                [("team_id", "in", teams.ids), ("date", ">=", month_start)]
            )
        # sudo: motivation.transfer - the month's assignments of every member
        # of the teams, whoever distributes
        Transfer = self.env["motivation.transfer"].sudo()
        history = {
            (team.id, user.id): (count, last)
            for team, user, count, last in Transfer._read_group(
                [("kind", "=", "assign"), *expression.OR(month_domains)],
                ["team_id", "to_user_id"],
                ["__count", "date:max"],
            )
        }
        plan = {}
        # when each lead was given, after anything logged (whatever the
        # clocks of the servers say): the next run's "served least recently"
        # reads it from the log, so that batches give what one run would
        start = max([now] + [last for _count, last in history.values() if last])
        when = {}
        for team, team_leads in leads.grouped("team_id").items():
            members = team.crm_team_member_ids._sm_available(
                today_of.get(company_of.get(team)) or self.env.company._sm_local_date()
            )
            if not members:
                continue
            state = {}
            for member in members:
                count, last = history.get((team.id, member.user_id.id), (0, None))
                state[member] = [
                    count,
                    last or fields.Datetime.to_datetime("1970-01-01"),
                ]
            for step, lead in enumerate(
                team_leads.sorted(lambda lead: (lead.create_date, lead.id))
            ):
                member = min(
                    members,
                    key=lambda m: (
                        state[m][0] / m.assignment_max,
                        state[m][1],
                        m.id,
                    ),
                )
                state[member][0] += 1
                # later in this run than any earlier assignment
                state[member][1] = when[lead.id] = start + timedelta(
                    microseconds=step + 1
                )
                plan.setdefault(member.user_id, Lead.browse())
                plan[member.user_id] |= lead
        for user, user_leads in plan.items():
            # as Odoo's own assignment: the change of salesperson is tracked
            # in the chatter and the assignee follows the leads, but is not
            # sent one message per lead; one summary per assignee instead
            user_leads.with_context(
                mail_auto_subscribe_no_notify=True, sm_transfer_logged=True
            ).write({"user_id": user.id, "sm_last_touch_date": now})
            Transfer.with_context(sm_transfer_dates=when)._log(
                user_leads,
                "assign",
                "distribution",
                to_user=user,
                actor=self.env["res.users"],
            )
            user_leads._sm_notify_assigned(
                user, lambda env: env._("Fair distribution of new leads")
            )
        return plan

    def _sm_new_leads_domain(self):
        """The new leads of these teams waiting for a salesperson."""
        return [
            ("team_id", "in", self.ids),
            ("user_id", "=", False),
            ("in_pool", "=", False),
            ("active", "=", True),
            ("probability", "<", 100),
        ]

    @api.model
    def _cron_distribute_leads(self, batch_size=None):
        """Distribute the new leads of the teams with fair distribution, by
        batches of ``batch_size`` leads (default ``_sm_distribute_batch_size``),
        oldest first; reports what is left to Odoo's cron runner, which
        commits and calls again.

        A team is distributed by one transaction at a time (an advisory lock,
        taken team by team as the batch fills up: the counts it balances are
        read from the log), so that two runs at once take different teams;
        the batch's leads are locked for the batch, and those another
        transaction holds (somebody editing one) wait for the next. Each
        assignment is logged in the same transaction: a rerun after an
        interruption goes on with the leads still unassigned."""
        # teams with somebody to take leads today (the team's company's local
        # today; the current company's for a team without company): the
        # others' leads wait
        teams = self.search([("sm_fair_distribution", "=", True)]).filtered(
            lambda team: team.crm_team_member_ids._sm_available(
                (team.company_id or self.env.company)._sm_local_date()
            )
        )
        budget = batch_size or self._sm_distribute_batch_size
        cr = self.env.cr
        # sudo: crm.lead - the cron distributes every team's new leads
        Lead = self.env["crm.lead"].sudo()
        Lead.flush_model()
        leads = Lead.browse()
        for team in teams:
            if len(leads) >= budget:
                break
            if try_advisory_locks(cr, "sales_motivation.team_assignment", team.ids):
                query = Lead._search(
                    team._sm_new_leads_domain(),
                    order="create_date, id",
                    limit=budget - len(leads),
                )
                leads |= Lead.browse(lock_query(cr, query))
        leads.team_id._sm_distribute(leads)
        self.env["ir.cron"]._sm_notify_progress(
            done=len(leads), remaining=Lead.search_count(teams._sm_new_leads_domain())
        )
