# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import date_utils


class CrmLead(models.Model):
    """The win message counts the deal against the closer's plan."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # BUSINESS: the win message
    # ------------------------------------------------------------

    def _get_rainbowman_message(self):
        """Odoo's win message (rainbow man), when the closer has a deals won
        target in an approved plan covering the day of the win: *5 of 10
        deals won this month — 5 to go*; Odoo's own message otherwise."""
        message = self._sm_plan_win_message()
        return message or super()._get_rainbowman_message()

    def _sm_plan_win_message(self):
        self.ensure_one()
        if not self.user_id or not self.stage_id.is_won:
            return False
        company = self.company_id or self.env.company
        won_on = company._sm_local_date(self.date_closed)
        # sudo: motivation.sales.target - the closer's own target, told to
        # whoever just won the deal (the closer, or their team leader)
        target = (
            self.env["motivation.sales.target"]
            .sudo()
            .search(
                [
                    ("user_id", "=", self.user_id.id),
                    ("metric", "=", "deals_won"),
                    ("plan_id.state", "=", "approved"),
                    ("plan_id.company_id", "=", company.id),
                    ("plan_id.date_from", "<=", won_on),
                    ("plan_id.date_to", ">=", won_on),
                    ("target", ">", 0),
                ],
                order="id desc",
                limit=1,
            )
        )
        if not target:
            return False
        plan = target.plan_id
        won = round(
            self.env["motivation.achievement"]._totals(
                self.user_id, ["deals_won"], plan.date_from, plan.date_to, company
            )[(self.user_id, "deals_won")]
        )
        goal = round(target.target)
        monthly = (
            plan.date_from == date_utils.start_of(plan.date_from, "month")
            and plan.date_to == date_utils.end_of(plan.date_from, "month")
            and plan.date_from <= company._sm_local_date() <= plan.date_to
        )
        if won >= goal:
            if monthly:
                message = self.env._(
                    "%(won)s of %(target)s deals won this month — target reached!",
                    won=won,
                    target=goal,
                )
            else:
                message = self.env._(
                    "%(won)s of %(target)s deals won in %(plan)s — target reached!",
                    won=won,
                    target=goal,
                    plan=plan.name,
                )
        elif monthly:
            message = self.env._(
                "%(won)s of %(target)s deals won this month — %(left)s to go",
                won=won,
                target=goal,
                left=goal - won,
            )
        else:
            message = self.env._(
                "%(won)s of %(target)s deals won in %(plan)s — %(left)s to go",
                won=won,
                target=goal,
                left=goal - won,
                plan=plan.name,
            )
        if self.user_id != self.env.user:
            message = self.env._(
                "%(user)s: %(message)s", user=self.user_id.name, message=message
            )
        return message
