# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sm_claim_cap = fields.Integer(
        string="Pool Claims per Salesperson",
        help="How many leads one salesperson may claim from the shared pool per "
        "period (0: no limit).",
    )
    sm_claim_period = fields.Selection(
        [("day", "Day"), ("week", "Week"), ("month", "Month")],
        string="Claim Period",
        default="month",
        required=True,
    )
    sm_claim_cooldown_days = fields.Integer(
        string="Claim Cooldown (days)",
        default=30,
        help="A salesperson whose lead was taken away (by a rule or a team "
        "leader) cannot claim it back from the pool during these days.",
    )

    _sql_constraints = [
        (
            "sm_claim_cap_positive",
            "CHECK(sm_claim_cap >= 0)",
            "The number of pool claims cannot be negative.",
        ),
        (
            "sm_claim_cooldown_positive",
            "CHECK(sm_claim_cooldown_days >= 0)",
            "The claim cooldown cannot be negative.",
        ),
    ]
