# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    """Interactions: the client's journal of calls and meetings, its deals'
    and its own (motivation.interaction)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_interaction_ids = fields.One2many(
        "motivation.interaction", "partner_id", string="Interactions"
    )
    sm_interaction_count = fields.Integer(
        string="Interaction Count", compute="_compute_sm_interaction_count"
    )
    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_sm_interaction_count(self):
        counts = dict(
            self.env["motivation.interaction"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.sm_interaction_count = counts.get(partner, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_sm_view_interactions(self):
        """The client's interaction journal: its deals' and its own, every
        salesperson's."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_motivation.motivation_interaction_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_sm_log_interaction(self):
        """Log a call or meeting with the client, with its minimum data."""
        self.ensure_one()
        return self.env["motivation.interaction.wizard"]._open(self)
