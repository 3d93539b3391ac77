# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .motivation_achievement import METRICS


class MotivationCommissionLine(models.Model):
    """Bonus lines (``role = 'bonus'``): what one target of a closed sales
    plan earns by its attainment. They keep the target, what was achieved
    (read from the ledger through motivation.achievement._totals), the
    attainment and the level as they were at closing; a later change of the
    period's figures is an adjustment line of the period it is found in
    (motivation.sales.plan._sm_write_bonus_lines)."""

    _inherit = "motivation.commission.line"  # pylint: disable=consider-merging-classes-inherited

    sales_plan_id = fields.Many2one(
        "motivation.sales.plan",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
        help="The closed sales plan whose target this bonus pays.",
    )
    sales_target_id = fields.Many2one(
        "motivation.sales.target",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
    )
    metric = fields.Selection(
        [(key, metric["label"]) for key, metric in METRICS.items()], readonly=True
    )
    target_value = fields.Float(
        string="Target", digits=(16, 2), aggregator=None, readonly=True
    )
    achieved = fields.Float(
        digits=(16, 2),
        aggregator=None,
        readonly=True,
        help="What the ledger showed for the target's period when the line "
        "was written.",
    )
    attainment = fields.Float(
        string="Attainment (%)", digits=(16, 1), aggregator=None, readonly=True
    )
    level_id = fields.Many2one(
        "motivation.commission.level",
        ondelete="set null",
        readonly=True,
    )
    level_attainment = fields.Float(
        string="Level From (%)",
        digits=(16, 2),
        aggregator=None,
        readonly=True,
        help="The attainment the level reached starts from (kept should the "
        "level change later).",
    )
    multiplier = fields.Float(
        digits=(16, 2),
        aggregator=None,
        readonly=True,
        help="The multiplier of the closer share applied (plans paying a "
        "multiplier).",
    )
    gate_blocked = fields.Boolean(
        string="Accelerator Blocked",
        readonly=True,
        help="A gate of the commission plan (requests on time, data quality) "
        "was not met: attainment above 100 % paid as 100 %.",
    )

    _sql_constraints = [
        (
            "unique_bonus",
            "EXCLUDE USING btree (sales_target_id WITH =) "
            "WHERE (role = 'bonus' AND line_type = 'commission')",
            "A target earns one bonus line; corrections are adjustment lines.",
        ),
    ]
