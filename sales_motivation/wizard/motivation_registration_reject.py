# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MotivationRegistrationReject(models.TransientModel):
    _name = "motivation.registration.reject"
    _description = "Reject an Agent's Registration"

    lead_ids = fields.Many2many("crm.lead", required=True)
    reason = fields.Text(required=True, help="The agent reads it in the portal.")

    def action_reject(self):
        self.ensure_one()
        self.lead_ids.action_sm_reject_registration(self.reason)
        return {"type": "ir.actions.act_window_close"}
