# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models


class CrmTeam(models.Model):
    """The team's card shows its attainment of the current sales plan."""

    _inherit = "crm.team"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_plan_attainment = fields.Float(
        string="Plan Attainment (%)",
        compute="_compute_sm_plan_attainment",
        digits=(16, 1),
        help="The team's attainment of the approved sales plans covering today: "
        "the average of its members' targets' attainment, each target counted "
        "by its weight.",
    )
    sm_has_plan = fields.Boolean(
        string="Has a Current Plan", compute="_compute_sm_plan_attainment"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends_context("uid", "company")
    def _compute_sm_plan_attainment(self):
        """For every card at once: the approved plans covering the
        company-local today that name the team (or no team), the targets of
        the team's active members in them, their figures read through
        ``motivation.achievement._totals`` (one call per plan period).
        Shown to those who may see the team's figures: its leader and
        members, heads of sales and commission administrators."""
        self.sm_plan_attainment = 0.0
        self.sm_has_plan = False
        teams = self._sm_plan_readable_teams()
        if not teams:
            return
        # sudo: motivation.sales.plan, crm.team.member, motivation.sales.target
        # - a team's aggregate figure, shown only to those allowed above
        members = defaultdict(set)
        for member in (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch(
                [("crm_team_id", "in", teams.ids)], ["crm_team_id", "user_id"]
            )
        ):
            members[member.crm_team_id.id].add(member.user_id.id)
        Plan = self.env["motivation.sales.plan"].sudo()
        Achievement = self.env["motivation.achievement"]
        for company, company_teams in teams.grouped("company_id").items():
            company = company or self.env.company
            today = company._sm_local_date()
            plans = Plan.search_fetch(
                [
                    ("state", "=", "approved"),
                    ("company_id", "=", company.id),
                    ("date_from", "<=", today),
                    ("date_to", ">=", today),
                    "|",
                    ("team_ids", "=", False),
                    ("team_ids", "in", company_teams.ids),
                ],
                ["date_from", "date_to", "team_ids"],
            )
            if not plans:
                continue
            user_ids = set().union(*(members[team.id] for team in company_teams))
            targets = defaultdict(list)  # plan: [(user id, metric, target, weight)]
            for plan, user, metric, target, weight in (
                self.env["motivation.sales.target"]
                .sudo()
                ._read_group(
                    [
                        ("plan_id", "in", plans.ids),
                        ("user_id", "in", list(user_ids)),
                        ("target", ">", 0),
                    ],
                    ["plan_id", "user_id", "metric"],
                    ["target:sum", "weight:sum"],
                )
            ):
                targets[plan].append((user.id, metric, target, weight))
            # the weighted attainments of each team: [(weight, attainment)]
            attainments = defaultdict(list)
            by_period = defaultdict(lambda: Plan)  # sudo, as the plans above
            for plan in plans:
                by_period[(plan.date_from, plan.date_to)] |= plan
            for (date_from, date_to), period_plans in by_period.items():
                rows = [row for plan in period_plans for row in targets[plan]]
                if not rows:
                    continue
                users = self.env["res.users"].browse(sorted({row[0] for row in rows}))
                totals = Achievement._totals(
                    users, {row[1] for row in rows}, date_from, date_to, company
                )
                for plan in period_plans:
                    plan_teams = company_teams.filtered(
                        lambda team, plan=plan: not plan.team_ids
                        or team in plan.team_ids
                    )
                    for user_id, metric, target, weight in targets[plan]:
                        achieved = totals[(users.browse(user_id), metric)]
                        for team in plan_teams:
                            if user_id in members[team.id]:
                                attainments[team].append(
                                    (weight, 100.0 * achieved / target)
                                )
            for team, values in attainments.items():
                total_weight = sum(weight for weight, _value in values)
                team.sm_has_plan = True
                team.sm_plan_attainment = (
                    sum(weight * value for weight, value in values) / total_weight
                    if total_weight
                    else sum(value for _weight, value in values) / len(values)
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_plan_readable_teams(self):
        """The teams of ``self`` whose plan figures the current user may
        see: all for heads of sales and commission administrators, else
        those they lead or are a member of."""
        user = self.env.user
        if self.env.su or (
            user.has_group("sales_team.group_sale_salesman_all_leads")
            or user.has_group("sales_motivation.group_commission_manager")
        ):
            return self
        return self.filtered(
            lambda team: team.user_id == user or user in team.member_ids
        )

    def action_sm_plan_targets(self):
        """The targets of the team's members in the current approved plans."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_motivation.motivation_sales_target_action"
        )
        today = (self.company_id or self.env.company)._sm_local_date()
        action["domain"] = [
            ("plan_id.state", "=", "approved"),
            ("plan_id.date_from", "<=", today),
            ("plan_id.date_to", ">=", today),
            ("user_id", "in", self.member_ids.ids),
            "|",
            ("plan_id.team_ids", "=", False),
            ("plan_id.team_ids", "in", self.ids),
        ]
        action["context"] = {"group_by": ["user_id"], "create": False}
        action["name"] = self.env._("Plan of %s", self.name)
        return action
