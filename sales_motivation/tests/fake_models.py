# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmTestContract(models.Model):
    """A test-only document carrying checkpoints (a yearly contract)."""

    _name = "sm.test.contract"
    _inherit = ["motivation.checkpoint.mixin"]
    _description = "Test contract with checkpoints"

    name = fields.Char()
    type_ids = fields.Many2many("motivation.checkpoint.type")

    def _sm_checkpoint_types(self):
        return {record: record.type_ids for record in self}
