# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .motivation_achievement import METRICS


class MotivationCommissionPlan(models.Model):
    """Pay by attainment: the levels and gates a commission plan pays the
    targets of a sales plan by, when the sales plan is closed
    (motivation.sales.plan._sm_bonus_due)."""

    _inherit = "motivation.commission.plan"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    bonus_mode = fields.Selection(
        [
            ("none", "No attainment bonus"),
            ("multiplier", "Multiplier of the closer share"),
            ("fixed", "Fixed bonus per target"),
        ],
        string="Attainment Bonus",
        required=True,
        default="none",
        help="Multiplier: a revenue target's level multiplies the closer share "
        "of the revenue achieved, the bonus being the part above the share "
        "already paid. Fixed: each target reaching a level earns its amount.",
    )
    level_mode = fields.Selection(
        [("tiered", "Tiered"), ("linear", "Linear between levels")],
        string="Between Levels",
        required=True,
        default="tiered",
        help="Tiered: the highest level reached pays. Linear: between two "
        "levels the pay rises in proportion of the attainment.",
    )
    level_ids = fields.One2many(
        "motivation.commission.level", "plan_id", string="Attainment Levels", copy=True
    )
    attainment_cap = fields.Float(
        string="Attainment Cap (%)",
        digits=(16, 2),
        help="Attainment above this counts as this (0: no cap).",
    )
    gate_requests_on_time = fields.Float(
        string="Accelerator Needs Requests on Time (%)",
        digits=(16, 2),
        help="Below this share of requests answered on time in the period, "
        "attainment above 100 % pays as 100 % (0: no condition; a salesperson "
        "with no request due passes).",
    )
    gate_min_quality = fields.Integer(
        string="Accelerator Needs Data Quality (%)",
        help="Below this average data quality score of the deals the "
        "salesperson won in the period, attainment above 100 % pays as 100 % "
        "(0: no condition).",
    )

    _sql_constraints = [
        (
            "attainment_cap_positive",
            "CHECK(attainment_cap >= 0)",
            "An attainment cap cannot be negative.",
        ),
        (
            "gate_requests_range",
            "CHECK(gate_requests_on_time BETWEEN 0 AND 100)",
            "The share of requests on time a plan requires is from 0 to 100 %.",
        ),
        (
            "gate_quality_range",
            "CHECK(gate_min_quality BETWEEN 0 AND 100)",
            "The data quality a plan requires is a score from 0 to 100.",
        ),
    ]

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_level(self, attainment):
        """(level, value) the attainment (in percent, capped and gated by the
        caller) reaches: the level itself (the highest reached, or nothing)
        and its multiplier or amount, interpolated when the plan is linear.
        Below the first level: no level, multiplier 1, amount 0."""
        self.ensure_one()
        fname = "multiplier" if self.bonus_mode == "multiplier" else "amount"
        nothing = 1.0 if fname == "multiplier" else 0.0
        levels = self.level_ids.sorted("attainment")
        reached = levels.filtered(lambda level: level.attainment <= attainment)
        if not reached:
            return self.env["motivation.commission.level"], nothing
        lower = reached[-1]
        value = lower[fname]
        upper = (levels - reached)[:1]
        if self.level_mode == "linear" and upper:
            share = (attainment - lower.attainment) / (
                upper.attainment - lower.attainment
            )
            value += share * (upper[fname] - value)
        return lower, value

    def _sm_target_bonus(self, target_value, achieved, metric, gate_blocked):
        """What one target earns: a dict of the line's frozen inputs
        (target, achieved, attainment, level, multiplier, base, amount)."""
        self.ensure_one()
        currency = self.currency_id
        attainment = 100.0 * achieved / target_value if target_value else 0.0
        counted = attainment
        if self.attainment_cap:
            counted = min(counted, self.attainment_cap)
        if gate_blocked:  # no accelerator: above 100 % pays as 100 %
            counted = min(counted, 100.0)
        level, value = self._sm_level(counted)
        vals = {
            "metric": metric,
            "target_value": target_value,
            "achieved": achieved,
            "attainment": attainment,
            "level_id": level.id,
            "level_attainment": level.attainment if level else 0.0,
            "gate_blocked": gate_blocked,
        }
        if self.bonus_mode == "multiplier":
            base = (
                currency.round(achieved * self.closer_percent / 100.0)
                if METRICS[metric]["unit"] == "amount"
                else 0.0
            )
            vals.update(
                multiplier=value,
                base_amount=base,
                percent=self.closer_percent,
                amount=currency.round(max(base, 0.0) * (value - 1.0)),
            )
        else:
            vals.update(
                multiplier=0.0,
                base_amount=0.0,
                percent=0.0,
                amount=currency.round(value),
            )
        return vals

    def _sm_pays_bonus(self, metric):
        """Whether a target of ``metric`` can earn this plan's bonus."""
        self.ensure_one()
        if self.bonus_mode == "multiplier":
            return METRICS[metric]["unit"] == "amount"
        return self.bonus_mode == "fixed"
