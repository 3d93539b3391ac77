# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .motivation_achievement import METRICS


class MotivationSalesTarget(models.Model):
    """One salesperson's target for one metric in one plan; what they
    achieved is read from the achievement ledger (motivation.achievement.
    _totals) over the plan's period, live."""

    _name = "motivation.sales.target"
    _description = "Sales Target"
    _order = "plan_id, user_id, metric"
    _rec_name = "metric"

    plan_id = fields.Many2one(
        "motivation.sales.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, string="Company"
    )
    state = fields.Selection(related="plan_id.state", string="Plan State")
    date_from = fields.Date(related="plan_id.date_from")
    date_to = fields.Date(related="plan_id.date_to")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('share', '=', False)]",
    )
    metric = fields.Selection(
        [(key, metric["label"]) for key, metric in METRICS.items()],
        required=True,
    )
    target = fields.Float(digits=(16, 2), aggregator="sum")
    weight = fields.Float(
        default=1.0,
        digits=(16, 2),
        aggregator=None,
        help="How much this target counts in the salesperson's overall "
        "attainment of the plan.",
    )
    # computed with superuser rights: a salesperson reads the period of a
    # plan of another team their target is in, and the ledger's totals are
    # the same whoever reads them
    achieved = fields.Float(
        compute="_compute_achieved",
        compute_sudo=True,
        digits=(16, 2),
        aggregator=None,
        help="Read from the achievement ledger over the plan's period.",
    )
    attainment = fields.Float(
        string="Attainment (%)",
        compute="_compute_achieved",
        compute_sudo=True,
        digits=(16, 1),
        aggregator=None,
        help="Achieved as a percentage of the target.",
    )

    _sql_constraints = [
        (
            "one_per_metric",
            "UNIQUE(plan_id, user_id, metric)",
            "A salesperson has one target per metric in a plan.",
        ),
        ("target_positive", "CHECK(target >= 0)", "A target cannot be negative."),
        ("weight_positive", "CHECK(weight >= 0)", "A weight cannot be negative."),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(
        "plan_id.date_from",
        "plan_id.date_to",
        "plan_id.company_id",
        "user_id",
        "metric",
        "target",
    )
    def _compute_achieved(self):
        Achievement = self.env["motivation.achievement"]
        for plan, targets in self.grouped("plan_id").items():
            if not plan.date_from or not plan.date_to:
                totals = {}
            else:
                totals = Achievement._totals(
                    targets.user_id,
                    set(targets.mapped("metric")) - {False},
                    plan.date_from,
                    plan.date_to,
                    plan.company_id,
                )
            for target in targets:
                achieved = totals.get((target.user_id, target.metric), 0.0)
                target.achieved = achieved
                target.attainment = (
                    100.0 * achieved / target.target if target.target else 0.0
                )

    @api.depends("user_id", "metric")
    def _compute_display_name(self):
        metrics = dict(self._fields["metric"]._description_selection(self.env))
        for target in self:
            target.display_name = (
                f"{target.user_id.name or ''}: {metrics.get(target.metric, '')}"
            )

    @api.constrains("metric", "target")
    def _check_percent_target(self):
        for target in self:
            if (
                target.metric
                and METRICS[target.metric]["unit"] == "percent"
                and target.target > 100
            ):
                raise ValidationError(
                    self.env._(
                        "A target in percent is at most 100, not %(value)s "
                        "(%(target)s).",
                        value=target.target,
                        target=target.display_name,
                    )
                )

    # ------------------------------------------------------------
    # ORM: an approved plan's targets change through the plan
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["motivation.sales.plan"].browse(
            {vals["plan_id"] for vals in vals_list if vals.get("plan_id")}
        )
        plans._sm_check_targets_unlocked()
        return super().create(vals_list)

    def write(self, vals):
        self.plan_id._sm_check_targets_unlocked()
        if "plan_id" in vals:
            self.env["motivation.sales.plan"].browse(
                vals["plan_id"]
            )._sm_check_targets_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.plan_id._sm_check_targets_unlocked()
