# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        Checkpoint = self.env["motivation.checkpoint"]
        for model, group in attachments.filtered("res_id").grouped("res_model").items():
            if model and "sm_checkpoint_ids" in self.env[model]._fields:
                Checkpoint._detect(
                    model, set(group.mapped("res_id")), "attachment", group[0].name
                )
        return attachments
