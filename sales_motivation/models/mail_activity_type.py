# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    sm_interaction_kind = fields.Selection(
        [("call", "Call"), ("meeting", "Meeting")],
        string="Interaction Record",
        help="Activities of this type on deals and clients are marked done by "
        "logging the interaction: contact, phone or e-mail, topic, result and "
        "direction.",
    )
