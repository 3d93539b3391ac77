# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class MotivationSalesPlanCopy(models.TransientModel):
    """Copy the targets of a previous plan into a draft plan, grown by a
    percentage."""

    _name = "motivation.sales.plan.copy"
    _description = "Copy Targets from a Previous Plan"

    plan_id = fields.Many2one("motivation.sales.plan", required=True)
    company_id = fields.Many2one(related="plan_id.company_id")
    source_plan_id = fields.Many2one(
        "motivation.sales.plan",
        string="Copy From",
        required=True,
        compute="_compute_source_plan_id",
        store=True,
        readonly=False,
        domain="[('company_id', '=', company_id), ('id', '!=', plan_id)]",
    )
    growth_percent = fields.Float(
        string="Growth (%)",
        digits=(5, 2),
        help="Each target is the previous one increased by this percentage "
        "(negative: decreased).",
    )

    @api.depends("plan_id")
    def _compute_source_plan_id(self):
        for wizard in self:
            wizard.source_plan_id = (
                wizard.plan_id._sm_previous() if wizard.plan_id else False
            )

    def action_copy(self):
        self.ensure_one()
        if self.growth_percent <= -100:
            raise UserError(self.env._("A growth of -100% or less leaves no target."))
        self.plan_id._sm_copy_targets(self.source_plan_id, self.growth_percent)
        return self.plan_id.action_view_targets()
