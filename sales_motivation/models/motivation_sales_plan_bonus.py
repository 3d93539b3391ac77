# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_compare


class MotivationSalesPlan(models.Model):
    """Pay by attainment: closing a sales plan writes one bonus line per
    target its commission plan pays (motivation.commission.plan bonus_mode),
    keeping the target, what the ledger showed (motivation.achievement.
    _totals, as the targets' achieved), the attainment and the level. A
    later change of a closed period's figures (a row dated in it written
    after the close: an interaction logged late, a rebuild) becomes an
    adjustment line when the next plan of the company closes, dated at its
    end; a correction dated the day it happens (a deal lost after its win)
    lowers the period it happens in, and the closed plan stays as it was."""

    _inherit = "motivation.sales.plan"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    commission_plan_id = fields.Many2one(
        "motivation.commission.plan",
        string="Bonus Paid By",
        check_company=True,
        tracking=True,
        domain="[('bonus_mode', '!=', 'none')]",
        help="The commission plan whose attainment levels and gates pay the "
        "targets' bonus when the plan is closed (empty: no bonus).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    bonus_line_ids = fields.One2many(
        "motivation.commission.line",
        "sales_plan_id",
        string="Bonus Lines",
        readonly=True,
    )
    bonus_total = fields.Monetary(
        string="Bonus", compute="_compute_bonus_total", compute_sudo=False
    )
    closed_date = fields.Datetime(string="Closed On", readonly=True, copy=False)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("bonus_line_ids.amount", "bonus_line_ids.state")
    def _compute_bonus_total(self):
        totals = dict(
            self.env["motivation.commission.line"]._read_group(
                [("sales_plan_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["sales_plan_id"],
                ["amount:sum"],
            )
        )
        for plan in self:
            plan.bonus_total = totals.get(plan, 0.0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_close(self):
        todo = self.filtered(lambda plan: plan.state == "approved")
        res = super().action_close()
        todo.with_context(sm_plan_state=True).write(
            {"closed_date": fields.Datetime.now()}
        )
        todo._sm_write_bonus_lines()
        return res

    def action_view_bonus_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sales_motivation.motivation_commission_line_action"
        )
        action["domain"] = [("sales_plan_id", "=", self.id)]
        action["context"] = {"search_default_bonus": 1}
        action["name"] = self.env._("Bonus of %s", self.name)
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_gates(self, users):
        """{user: True} for the salespeople whose accelerator a gate of the
        commission plan blocks over the period: requests on time under the
        plan's minimum (when some fell due), or the average data quality of
        the deals they won under its minimum (when they won some)."""
        self.ensure_one()
        commission_plan = self.commission_plan_id
        Achievement = self.env["motivation.achievement"]
        period = (self.date_from, self.date_to, self.company_id)
        blocked = {}
        if commission_plan.gate_requests_on_time:
            totals = Achievement._totals(users, ["requests_on_time"], *period)
            items = Achievement._sm_items(users, "requests_on_time", *period)
            for user in users:
                due = items.get(user, (0, None))[0]
                if due > 0 and (
                    float_compare(
                        totals[(user, "requests_on_time")],
                        commission_plan.gate_requests_on_time,
                        precision_digits=2,
                    )
                    < 0
                ):
                    blocked[user] = True
        if commission_plan.gate_min_quality:
            for user, (_items, leads) in Achievement._sm_items(
                users, "deals_won", *period
            ).items():
                # sudo: crm.lead - the score of the deals the salesperson won,
                # whoever closes the plan
                scores = leads.sudo().mapped("sm_quality_score")
                if scores and sum(scores) / len(scores) < (
                    commission_plan.gate_min_quality
                ):
                    blocked[user] = True
        return blocked

    def _sm_bonus_due(self, gates=None, targets=None):
        """{target: line values} of what each target the commission plan pays
        earns now: the ledger's figures over the period (_totals, the one
        way figures are read), the gates (``gates``: {user: blocked}, those
        kept by the lines; default: evaluated now). ``targets``: some of the
        plan's targets only (My Plan's bonus so far: what closing now would
        pay them); default: all."""
        self.ensure_one()
        commission_plan = self.commission_plan_id
        if not commission_plan or commission_plan.bonus_mode == "none":
            return {}
        targets = (self.target_ids if targets is None else targets).filtered(
            lambda target: commission_plan._sm_pays_bonus(target.metric)
        )
        if not targets:
            return {}
        totals = self.env["motivation.achievement"]._totals(
            targets.user_id,
            set(targets.mapped("metric")),
            self.date_from,
            self.date_to,
            self.company_id,
        )
        if gates is None:
            gates = self._sm_gates(targets.user_id)
        return {
            target: commission_plan._sm_target_bonus(
                target.target,
                totals[(target.user_id, target.metric)],
                target.metric,
                gates.get(target.user_id, False),
            )
            for target in targets
        }

    def _sm_prepare_bonus_vals(self, target, vals, date):
        self.ensure_one()
        user = target.user_id
        team = (user.crm_team_ids & self.team_ids)[:1] or user.sale_team_id
        return dict(
            vals,
            role="bonus",
            plan_id=self.commission_plan_id.id,
            sales_plan_id=self.id,
            sales_target_id=target.id,
            partner_id=user.partner_id.id,
            user_id=user.id,
            company_id=self.company_id.id,
            currency_id=self.company_id.currency_id.id,
            team_id=team.id,
            date=date,
        )

    def _sm_write_bonus_lines(self):
        """The bonus lines of the plans just closed, and the adjustments of
        the company's plans closed before them."""
        vals_list = []
        for plan in self:
            vals_list += [
                plan._sm_prepare_bonus_vals(target, vals, plan.date_to)
                for target, vals in plan._sm_bonus_due().items()
            ]
            vals_list += plan._sm_bonus_adjustments()
        return self.env["motivation.commission.line"].create(vals_list)

    def _sm_bonus_adjustments(self):
        """Adjustment lines, dated at the end of this plan, for the targets
        of the company's earlier closed plans whose figures changed since
        their bonus was written (achieved differs from what their last line
        kept): the difference between what they earn now, by the gates their
        lines kept, and what their lines pay."""
        self.ensure_one()
        Line = self.env["motivation.commission.line"]
        earlier = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "closed"),
                ("date_to", "<", self.date_from),
                ("commission_plan_id", "!=", False),
                ("bonus_line_ids", "!=", False),
            ]
        )
        if not earlier:
            return []
        lines = Line.search(
            [
                ("sales_plan_id", "in", earlier.ids),
                ("role", "=", "bonus"),
                ("state", "!=", "cancelled"),
            ],
            order="id",
        )
        by_target = lines.grouped("sales_target_id")
        vals_list = []
        for plan in earlier:
            plan_lines = lines.filtered(
                lambda line, plan=plan: line.sales_plan_id == plan
            )
            gates = {line.user_id: line.gate_blocked for line in plan_lines}
            for target, vals in plan._sm_bonus_due(gates=gates).items():
                paid = by_target.get(target, Line)
                if not paid or not float_compare(
                    vals["achieved"], paid[-1].achieved, precision_digits=2
                ):
                    continue
                currency = plan.company_id.currency_id
                original = paid.filtered(lambda line: line.line_type == "commission")
                vals_list.append(
                    plan._sm_prepare_bonus_vals(
                        target,
                        dict(
                            vals,
                            amount=currency.round(
                                vals["amount"] - sum(paid.mapped("amount"))
                            ),
                            line_type="adjustment",
                            origin_line_id=original[:1].id,
                        ),
                        self.date_to,
                    )
                )
        return vals_list
