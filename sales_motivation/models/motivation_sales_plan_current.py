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
    def _sm_current_domain(self, days):
        """The rule of the plan in force, in the two steps of a set-wise
        reader: this domain keeps the approved plans whose period meets the
        span of ``days`` (the local todays that may apply; the targets have
        the same fields), then ``_sm_covers_today`` keeps those covering
        their own company's local today."""
        return [
            ("state", "=", "approved"),
            ("date_from", "<=", max(days)),
            ("date_to", ">=", min(days)),
        ]

    @api.model
    def _sm_covers_today(self, date_from, date_to, today):
        """Whether the period ``date_from``-``date_to`` of a plan found by
        ``_sm_current_domain`` covers ``today``, its company's local today:
        then the plan is in force."""
        return date_from <= today <= date_to

    @api.model
    def _sm_current_ids(self):
        """Ids of the approved plans covering their company's local today:
        one search, whatever the number of plans read."""
        todays = self.env["res.company"]._sm_todays()
        # sudo: motivation.sales.plan - which plans are current does not
        # depend on who asks; the caller's own rules still apply to its search
        plans = self.sudo().search(self._sm_current_domain(list(todays.values())))
        return {
            plan.id
            for plan in plans
            if self._sm_covers_today(
                plan.date_from,
                plan.date_to,
                todays.get(plan.company_id.id, todays[None]),
            )
        }
