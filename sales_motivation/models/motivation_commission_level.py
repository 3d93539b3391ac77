# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MotivationCommissionLevel(models.Model):
    """One attainment level of a commission plan: from this attainment of a
    target on, the closer share of the revenue achieved is multiplied by
    ``multiplier`` (plans paying a multiplier), or ``amount`` is paid for the
    target (plans paying a fixed bonus). Between two levels the plan pays
    the lower one (tiered) or interpolates linearly (linear)."""

    _name = "motivation.commission.level"
    _description = "Commission Attainment Level"
    _order = "plan_id, attainment, id"

    plan_id = fields.Many2one(
        "motivation.commission.plan",
        string="Commission Plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    attainment = fields.Float(
        string="From Attainment (%)",
        digits=(16, 2),
        required=True,
        help="The level applies from this attainment of a target on.",
    )
    multiplier = fields.Float(
        digits=(16, 2),
        default=1.0,
        help="The closer share of the revenue achieved is multiplied by this "
        "(1.5: half of the closer share again as a bonus).",
    )
    amount = fields.Monetary(
        string="Bonus per Target",
        help="Paid for each target reaching this level (plans paying a fixed "
        "bonus).",
    )

    _sql_constraints = [
        (
            "one_per_attainment",
            "UNIQUE(plan_id, attainment)",
            "A commission plan has one level per attainment.",
        ),
        (
            "attainment_positive",
            "CHECK(attainment >= 0)",
            "A level's attainment cannot be negative.",
        ),
        (
            "multiplier_at_least_one",
            "CHECK(multiplier >= 1)",
            "A level's multiplier is at least 1: a bonus never takes back the "
            "commission already earned.",
        ),
        (
            "amount_positive",
            "CHECK(amount >= 0)",
            "A level's bonus cannot be negative.",
        ),
    ]

    @api.depends("attainment")
    def _compute_display_name(self):
        for level in self:
            level.display_name = self.env._(
                "From %(attainment)s %%", attainment=round(level.attainment, 2)
            )

    @api.constrains("attainment", "multiplier", "amount")
    def _check_increasing(self):
        """Higher attainment never pays less."""
        for plan in self.plan_id:
            fname = "multiplier" if plan.bonus_mode == "multiplier" else "amount"
            levels = plan.level_ids.sorted("attainment")
            for lower, upper in zip(levels, levels[1:], strict=False):
                if upper[fname] < lower[fname]:
                    raise ValidationError(
                        self.env._(
                            "Plan %(plan)s: the level from %(upper)s %% pays less "
                            "than the level from %(lower)s %%.",
                            plan=plan.name,
                            upper=upper.attainment,
                            lower=lower.attainment,
                        )
                    )
