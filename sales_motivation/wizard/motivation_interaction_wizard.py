# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# what the wizard passes on to the interaction as it is
INTERACTION_FIELDS = (
    "kind",
    "direction",
    "contact_partner_id",
    "contact_name",
    "contact_phone",
    "contact_email",
    "topic",
    "result_id",
    "note",
)


class MotivationInteractionWizard(models.TransientModel):
    """Log a call or meeting in seconds: the contact and its phone or e-mail
    come from the deal or client, the topic from the activity, the result is
    one click among the presets."""

    _name = "motivation.interaction.wizard"
    _inherit = ["motivation.interaction.data"]
    _description = "Log an Interaction"

    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Integer(required=True, readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Deal", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    contact_partner_id = fields.Many2one(
        domain="[('commercial_partner_id', '=', partner_id)] if partner_id else []",
    )
    result_id = fields.Many2one("motivation.interaction.result")

    @api.model
    def _defaults_for(self, record):
        """What the wizard proposes for a deal or a client."""
        if record._name == "crm.lead":
            partner = record.partner_id
            return {
                "lead_id": record.id,
                "partner_id": partner.commercial_partner_id.id,
                "contact_partner_id": partner.id if partner.parent_id else False,
                "contact_name": record.contact_name or partner.name,
                "contact_phone": record.phone or record.mobile,
                "contact_email": record.email_from,
                "topic": record.name,
            }
        return {
            "partner_id": record.commercial_partner_id.id,
            "contact_partner_id": record.id if record.parent_id else False,
            "contact_name": record.name,
            "contact_phone": record.phone or record.mobile,
            "contact_email": record.email,
        }

    @api.model
    def _open(self, record, activity=None, note=None):
        """The wizard's window for ``record`` (a deal or a client), or for
        marking ``activity`` done."""
        defaults = {
            "res_model": record._name,
            "res_id": record.id,
            **self._defaults_for(record),
        }
        if activity:
            defaults.update(
                activity_id=activity.id,
                kind=activity.activity_type_id.sm_interaction_kind or "call",
                topic=activity.summary or defaults.get("topic"),
            )
        if note:
            defaults["note"] = note
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log an Interaction"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {f"default_{key}": value for key, value in defaults.items()},
        }

    @api.model_create_multi
    def create(self, vals_list):
        """Saving the form is logging the interaction (its Log button is the
        dialog's save): one request, as a note posted in the chatter."""
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._log()
        return wizards

    def _log(self):
        """Save the interaction, and mark the activity done or post it in the
        chatter; nothing is saved when a required piece of data is missing."""
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id)
        record.check_access("read")
        values = {name: self[name] for name in INTERACTION_FIELDS}
        values = self.env["motivation.interaction"]._convert_to_write(values)
        interaction = self.env["motivation.interaction"].create(
            {
                **values,
                "lead_id": self.lead_id.id,
                "partner_id": self.partner_id.id,
                "activity_type_id": self.activity_id.activity_type_id.id,
            }
        )
        body = interaction._message_body()
        if self.activity_id:
            messages, _next = self.activity_id.with_context(
                sm_interaction_logged=True
            )._action_done(feedback=body)
            message = messages[:1]
        else:
            message = record.message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_note"
            )
        interaction.message_id = message
