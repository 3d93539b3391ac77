# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MotivationResponse(models.Model):
    """How long the first response took, in the team's working hours: what
    the response report's median is taken of."""

    _inherit = "motivation.response"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    response_hours = fields.Float(
        string="First Response Time (working hours)",
        compute="_compute_response_hours",
        store=True,
        digits=(16, 2),
        help="Working hours of the team's working time (its time zone and "
        "leaves) from the assignment to the first response; wall-clock "
        "hours when no working time is set anywhere. Empty until answered.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("assigned_at", "responded_at", "team_id")
    def _compute_response_hours(self):
        """One read of the working time per team, whatever the number of
        responses."""
        answered = self.filtered(lambda r: r.assigned_at and r.responded_at)
        (self - answered).response_hours = False
        for team, responses in answered.grouped("team_id").items():
            calendar = team._sm_response_calendar() if team else None
            pairs = [(r.assigned_at, r.responded_at) for r in responses]
            hours = calendar._sm_hours_between(pairs) if calendar else {}
            for response, pair in zip(responses, pairs, strict=True):
                if calendar:
                    response.response_hours = hours.get(pair, 0.0)
                else:
                    seconds = (pair[1] - pair[0]).total_seconds()
                    response.response_hours = round(max(seconds, 0) / 3600, 2)
