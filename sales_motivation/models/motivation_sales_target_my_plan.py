# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, fields, models
from odoo.tools import float_compare, format_amount

from .motivation_achievement import METRICS


class MotivationSalesTarget(models.Model):
    """My Plan: a target's progress as its salesperson sees it, the bonus it
    earned so far and what the next attainment level needs, each opening
    the ledger rows behind it. The bonus so far is what closing the plan
    now would pay (motivation.sales.plan._sm_bonus_due, the computation the
    bonus lines are written by); of a closed plan, what its lines pay."""

    _inherit = "motivation.sales.target"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    currency_id = fields.Many2one(related="plan_id.company_id.currency_id")
    # computed with superuser rights: the commission plan, its levels and
    # the bonus lines are the administrators'; the salesperson reads what
    # their own target earns
    sm_pays_bonus = fields.Boolean(
        string="Earns a Bonus",
        compute="_compute_sm_progress",
        compute_sudo=True,
    )
    sm_bonus_so_far = fields.Monetary(
        string="Bonus So Far",
        compute="_compute_sm_progress",
        compute_sudo=True,
        aggregator=None,
        help="What closing the plan now would pay for this target, by its "
        "commission plan's attainment levels and gates; of a closed plan, "
        "what its bonus lines pay.",
    )
    sm_next_level = fields.Char(
        string="Next Level",
        compute="_compute_sm_progress",
        compute_sudo=True,
        help="What the next attainment level of the commission plan needs "
        "(without levels: what reaching the target needs).",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("achieved", "target", "plan_id.state", "plan_id.commission_plan_id")
    def _compute_sm_progress(self):
        Line = self.env["motivation.commission.line"]
        for plan, targets in self.grouped("plan_id").items():
            commission_plan = plan.commission_plan_id
            paid, due = {}, {}
            if plan.state == "closed":
                paid = dict(
                    Line._read_group(
                        [
                            ("sales_target_id", "in", targets.ids),
                            ("state", "!=", "cancelled"),
                        ],
                        ["sales_target_id"],
                        ["amount:sum"],
                    )
                )
            elif plan.date_from and plan.date_to:
                due = plan._sm_bonus_due(targets=targets)
            for target in targets:
                target.sm_pays_bonus = bool(
                    commission_plan
                    and target.metric
                    and commission_plan.bonus_mode != "none"
                    and commission_plan._sm_pays_bonus(target.metric)
                )
                vals = due.get(target)
                if plan.state == "closed":
                    target.sm_bonus_so_far = paid.get(target, 0.0)
                    target.sm_next_level = False
                else:
                    target.sm_bonus_so_far = vals["amount"] if vals else 0.0
                    target.sm_next_level = target._sm_next_level_text(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_sm_view_achievement(self):
        """The ledger rows behind the target's figures: its salesperson's
        rows of its metric over the plan's period, in the plan's company."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_motivation.motivation_achievement_action"
        )
        action["domain"] = [
            ("user_id", "=", self.user_id.id),
            ("metric", "=", self.metric),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
            ("company_id", "=", self.company_id.id),
        ]
        action["context"] = {"create": False}
        action["name"] = self.env._(
            "%(metric)s of %(user)s, %(plan)s",
            metric=dict(self._fields["metric"]._description_selection(self.env)).get(
                self.metric
            ),
            user=self.user_id.name,
            plan=self.plan_id.name,
        )
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_next_level_text(self, vals):
        """What the next level needs, in words: "3 more for 120 %".
        ``vals``: what the target earns now (_sm_target_bonus), None when
        its plan pays it no bonus: then the next level is the target
        itself (100 %)."""
        self.ensure_one()
        env = self.env
        if not self.target or not self.metric:
            return False
        attainment = 100.0 * self.achieved / self.target
        commission_plan = self.plan_id.commission_plan_id
        if vals is None:
            if float_compare(attainment, 100.0, precision_digits=2) >= 0:
                return env._("Target reached")
            goal = 100.0
        else:
            # the attainment paid, as _sm_target_bonus counts it
            cap = commission_plan.attainment_cap
            counted = min(attainment, cap) if cap else attainment
            if vals["gate_blocked"]:
                counted = min(counted, 100.0)
            levels = commission_plan.level_ids.sorted("attainment")
            upper = levels.filtered(lambda level: level.attainment > counted)[:1]
            if not upper or (cap and upper.attainment > cap):
                return env._("Top level reached") if levels else False
            if vals["gate_blocked"] and upper.attainment > 100.0:
                return env._(
                    "Levels above %(level)s %% wait for the commission plan's "
                    "conditions (requests on time, data quality).",
                    level=100,
                )
            goal = upper.attainment
        missing = goal * self.target / 100.0 - self.achieved
        unit = METRICS[self.metric]["unit"]
        level = f"{goal:g}"
        if unit == "amount":
            currency = self.plan_id.company_id.currency_id
            return env._(
                "%(missing)s more for %(level)s %%",
                missing=format_amount(env, currency.round(missing), currency),
                level=level,
            )
        if unit == "percent":
            points = format(math.ceil(missing * 10 - 1e-6) / 10, "g")
            return env._(
                "%(missing)s points more for %(level)s %%", missing=points, level=level
            )
        return env._(
            "%(missing)s more for %(level)s %%",
            missing=math.ceil(missing - 1e-6),
            level=level,
        )
