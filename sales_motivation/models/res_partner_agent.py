# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    """Agents in the portal: an agent's (or a dealer's) registration team,
    and the agent a portal user registers for."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_agent_team_id = fields.Many2one(
        "crm.team",
        string="Registration Team",
        help="The sales team whose leader reviews this agent's registrations "
        "(empty: the company's registration team).",
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_agent_partner(self):
        """The agent this partner registers for: itself when it is an agent,
        else its company when that is one (a dealer's employee)."""
        self.ensure_one()
        if self.sm_is_agent:
            return self
        commercial = self.commercial_partner_id
        return commercial if commercial.sm_is_agent else self.browse()
