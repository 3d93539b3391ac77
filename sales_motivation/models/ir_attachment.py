# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._sm_detect_checkpoints()
        return attachments

    def write(self, vals):
        res = super().write(vals)
        # the chatter's composer uploads to mail.compose.message, then the
        # posted message moves the attachments to the document
        if "res_model" in vals or "res_id" in vals:
            self._sm_detect_checkpoints()
        return res

    def _sm_detect_checkpoints(self):
        """A document attached to a record proves its "attachment"
        checkpoints (not a binary field's content: res_field)."""
        Checkpoint = self.env["motivation.checkpoint"]
        attached = self.filtered(lambda att: att.res_id and not att.res_field)
        for model, group in attached.grouped("res_model").items():
            if model in self.env and "sm_checkpoint_ids" in self.env[model]._fields:
                Checkpoint._detect(
                    model, set(group.mapped("res_id")), "attachment", group[0].name
                )
