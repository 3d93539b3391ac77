# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    group_sm_registrar_follow = fields.Boolean(
        string="Registrars Follow Their Deals",
        implied_group="sales_motivation.group_registrar_follow",
        group="sales_team.group_sale_salesman",
        help="Salespeople keep read-only access to the deals they registered "
        "after they move to another salesperson, to follow their commission "
        "basis. Off: access follows the assigned salesperson only.",
    )
    sm_personal_data_by_operators = fields.Boolean(
        related="company_id.sm_personal_data_by_operators",
        readonly=False,
    )
    sm_opportunities_follow_client = fields.Boolean(
        related="company_id.sm_opportunities_follow_client", readonly=False
    )
    sm_client_follows_opportunity = fields.Boolean(
        related="company_id.sm_client_follows_opportunity", readonly=False
    )
    sm_registrar_percent = fields.Float(
        related="company_id.sm_registrar_percent", readonly=False
    )
    sm_closer_percent = fields.Float(
        related="company_id.sm_closer_percent", readonly=False
    )
    sm_first_contact_name = fields.Boolean(
        related="company_id.sm_first_contact_name", readonly=False
    )
    sm_first_contact_channel = fields.Boolean(
        related="company_id.sm_first_contact_channel", readonly=False
    )
    sm_first_contact_source = fields.Boolean(
        related="company_id.sm_first_contact_source", readonly=False
    )
    sm_courtesy_call = fields.Boolean(
        related="company_id.sm_courtesy_call", readonly=False
    )
    sm_regularity_due_days = fields.Integer(
        related="company_id.sm_regularity_due_days", readonly=False
    )
    sm_regularity_late_days = fields.Integer(
        related="company_id.sm_regularity_late_days", readonly=False
    )
    sm_regularity_dormant_days = fields.Integer(
        related="company_id.sm_regularity_dormant_days", readonly=False
    )
    sm_lost_needs_touch = fields.Boolean(
        related="company_id.sm_lost_needs_touch", readonly=False
    )
    sm_registration_lapse_days = fields.Integer(
        related="company_id.sm_registration_lapse_days", readonly=False
    )
    sm_registration_team_id = fields.Many2one(
        related="company_id.sm_registration_team_id", readonly=False
    )
