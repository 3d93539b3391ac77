# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    """Interactions: the client's journal of calls and meetings, its deals'
    and its own (motivation_interaction_mixin.py)."""

    _name = "res.partner"
    _inherit = ["res.partner", "motivation.interaction.mixin"]
    _sm_interaction_field = "partner_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_interaction_ids = fields.One2many(
        "motivation.interaction", "partner_id", string="Interactions"
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _sm_interaction_journal(self):
        """A contact's journal is its company's: its deals' and its own."""
        return self.commercial_partner_id
