# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MotivationInteractionData(models.AbstractModel):
    """What a call or meeting record says, shared by the interaction and the
    form that logs it: the contact's phone and e-mail come from the contact
    chosen, and stay editable."""

    _name = "motivation.interaction.data"
    _description = "Interaction Data"

    kind = fields.Selection(
        [("call", "Call"), ("meeting", "Meeting")], required=True, default="call"
    )
    direction = fields.Selection(
        [("outgoing", "Outgoing"), ("incoming", "Incoming")],
        required=True,
        default="outgoing",
    )
    contact_partner_id = fields.Many2one("res.partner", string="Contact")
    contact_name = fields.Char(
        compute="_compute_contact", store=True, readonly=False, precompute=True
    )
    contact_phone = fields.Char(
        string="Phone",
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
    )
    contact_email = fields.Char(
        string="E-mail",
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
    )
    topic = fields.Char()
    note = fields.Text()

    @api.depends("contact_partner_id")
    def _compute_contact(self):
        for record in self:
            contact = record.contact_partner_id
            if contact:
                record.contact_name = contact.name
                record.contact_phone = contact.phone or contact.mobile
                record.contact_email = contact.email
