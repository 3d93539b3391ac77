# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    """The registrar: external agents and dealers register deals and earn
    their registrar share (crm_lead_registrar.py)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_is_agent = fields.Boolean(
        string="Sales Agent",
        help="An external agent or dealer who registers deals and earns the "
        "registrar share of them (with or without a portal account).",
    )
