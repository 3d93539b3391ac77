# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MotivationCheckpointWaive(models.TransientModel):
    _name = "motivation.checkpoint.waive"
    _description = "Waive a Checkpoint"

    checkpoint_ids = fields.Many2many("motivation.checkpoint", required=True)
    reason = fields.Char(required=True)

    def action_waive(self):
        self.ensure_one()
        return self.checkpoint_ids.action_waive(self.reason)
