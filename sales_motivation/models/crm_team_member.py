# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmTeamMember(models.Model):
    # The pool rule names the teams of the user (user.crm_team_ids) and Odoo
    # caches rule domains per user: memberships changing clear that cache.
    _name = "crm.team.member"
    _inherit = ["crm.team.member", "motivation.cache.mixin"]
    _sm_cached_fields = ("active", "user_id", "crm_team_id")

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
