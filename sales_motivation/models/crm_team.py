# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    @api.constrains("sm_claim_cap", "sm_claim_cooldown_days")
    def _check_sm_claims(self):
        for team in self:
            if team.sm_claim_cap < 0 or team.sm_claim_cooldown_days < 0:
                raise ValidationError(
                    self.env._(
                        "Team %s: the pool claim cap and cooldown cannot be negative.",
                        team.name,
                    )
                )
