# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MotivationAchievement(models.Model):
    """What the gates of an attainment bonus read from the ledger besides
    the figures (_totals): the items due and the deals counted."""

    _inherit = "motivation.achievement"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sm_items(self, users, metric, date_from, date_to, company):
        """{user: (items, deals)} of ``metric`` over the period: the net
        number of items counted (the items due of a percent metric) and the
        deals whose rows add up to more than zero. One grouped query."""
        # sudo: motivation.achievement - as _totals: the same for every reader
        result = {}
        for user, lead, value, count in self.sudo()._read_group(
            [
                ("user_id", "in", users.ids),
                ("metric", "=", metric),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("company_id", "=", company.id),
            ],
            ["user_id", "lead_id"],
            ["value:sum", "item_count:sum"],
        ):
            items, leads = result.get(user, (0, lead.browse()))
            if lead and value > 0:
                leads |= lead
            result[user] = (items + count, leads)
        return result
