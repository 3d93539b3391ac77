# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sm_personal_data_by_operators = fields.Boolean(
        string="Client Personal Data Edited by Data Operators Only",
        help="Salespeople can no longer change the name, phone, e-mail, address "
        "or tax id of the company's clients; data operators can.",
    )
