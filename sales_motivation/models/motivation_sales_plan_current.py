# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class MotivationSalesPlan(models.Model):
    """The plan in force: approved and covering its company's local today.
    What My Plan, the leaderboard and the attainment analysis open on."""

    _inherit = "motivation.sales.plan"  # pylint: disable=consider-merging-classes-inherited

    sm_is_current = fields.Boolean(
        string="Current Plan",
        compute="_compute_sm_is_current",
        search="_search_sm_is_current",
        help="Approved, and covering today (the company's local day).",
    )

    @api.depends("state", "date_from", "date_to", "company_id")
    def _compute_sm_is_current(self):
        current = self._sm_current_ids()
        for plan in self:
            plan.sm_is_current = plan.id in current

    def _search_sm_is_current(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Search Current Plan with = or != only."))
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", list(self._sm_current_ids()))]

    @api.model
    def _sm_current_ids(self):
        """Ids of the approved plans covering their company's local today:
        one search, whatever the number of plans read."""
        todays = self.env["res.company"]._sm_todays()
        days = list(todays.values())
        # sudo: motivation.sales.plan - which plans are current does not
        # depend on who asks; the caller's own rules still apply to its search
        plans = self.sudo().search(
            [
                ("state", "=", "approved"),
                ("date_from", "<=", max(days)),
                ("date_to", ">=", min(days)),
            ]
        )
        return {
            plan.id
            for plan in plans
            if plan.date_from
            <= todays.get(plan.company_id.id, todays[None])
            <= plan.date_to
        }
