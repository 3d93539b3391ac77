# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    """Who sees the leaderboard (motivation.leaderboard): the record rules
    read this setting on each row's company."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    sm_leaderboard_visibility = fields.Selection(
        [
            ("everyone", "Everyone (salespeople see their teams')"),
            ("leaders", "Team leaders and administrators only"),
        ],
        string="Leaderboard Visible To",
        required=True,
        default="everyone",
        help="Everyone: each salesperson sees the leaderboard of the teams they "
        "are a member of. Team leaders and administrators only: salespeople "
        "see no leaderboard; team leaders see their teams', heads of sales and "
        "commission administrators every team's.",
    )
