# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    sm_absent_until = fields.Date(
        string="Absent Until",
        help="No new leads are distributed to this member until this day "
        "(included).",
    )

    def _sm_available(self, today):
        """Members who take new leads today."""
        return self.filtered(
            lambda m: m.user_id.active
            and not m.assignment_optout
            and m.assignment_max > 0
            and not (m.sm_absent_until and m.sm_absent_until >= today)
        )
