# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import UserError

# documents whose calls and meetings are done with an interaction record
INTERACTION_MODELS = ("crm.lead", "res.partner")


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _sm_needs_interaction(self):
        return self.filtered(
            lambda a: a.activity_type_id.sm_interaction_kind
            and a.res_model in INTERACTION_MODELS
        )

    def action_sm_log_interaction(self, feedback=False):
        """The chatter's Done button: the interaction form when the activity
        is a call or meeting on a deal or client, else False (done as usual)."""
        self.ensure_one()
        if not self._sm_needs_interaction():
            return False
        record = self.env[self.res_model].browse(self.res_id)
        return self.env["motivation.interaction.wizard"]._open(
            record, activity=self, note=feedback or None
        )

    def _action_done(self, feedback=False, attachment_ids=None):
        if not self.env.context.get("sm_interaction_logged"):
            needs = self._sm_needs_interaction()
            if needs:
                raise UserError(
                    self.env._(
                        "%(activities)s: calls and meetings with clients are marked "
                        "done by logging them with their contact, phone or e-mail, "
                        "topic and result. Use the activity's Done button in the "
                        "chatter, or Log Interaction on the deal or client.",
                        activities=", ".join(needs.mapped("display_name")),
                    )
                )
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
