# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        done = [
            (
                activity.res_model,
                activity.res_id,
                activity.activity_type_id,
                activity.summary,
            )
            for activity in self
            if activity.res_model
            and "sm_checkpoint_ids" in self.env[activity.res_model]._fields
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        Checkpoint = self.env["motivation.checkpoint"]
        for model, res_id, activity_type, summary in done:
            Checkpoint._detect(
                model,
                [res_id],
                "activity",
                summary or activity_type.name,
                activity_type=activity_type,
            )
        return result
