# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .motivation_achievement import METRICS

# what an approved plan locks (its state moves through its actions)
LOCKED_FIELDS = {
    "name",
    "company_id",
    "date_from",
    "date_to",
    "team_ids",
    "target_ids",
    "commission_plan_id",
}


class MotivationSalesPlan(models.Model):
    """A period's targets for the salespeople of some teams: each target a
    metric of the achievement ledger (motivation.achievement) for one
    salesperson. Draft plans are edited freely by commission
    administrators; an approved plan is locked, except for them with a
    reason logged in its chatter; a closed plan never changes."""

    _name = "motivation.sales.plan"
    _inherit = ["mail.thread"]
    _description = "Sales Plan"
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    date_from = fields.Date(
        string="From",
        required=True,
        tracking=True,
        help="First day of the period, in the company's local days.",
    )
    date_to = fields.Date(
        string="To",
        required=True,
        tracking=True,
        help="Last day of the period (included).",
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        check_company=True,
        tracking=True,
        help="The teams whose salespeople the plan sets targets for.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    target_ids = fields.One2many(
        "motivation.sales.target", "plan_id", string="Targets", copy=True
    )
    target_count = fields.Integer(compute="_compute_target_count")
    change_reason = fields.Char(
        string="Reason for the Change",
        copy=False,
        help="Required to change an approved plan; logged in its chatter.",
    )

    _sql_constraints = [
        (
            "dates_order",
            "CHECK(date_from <= date_to)",
            "A sales plan cannot end before it starts.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_target_count(self):
        counts = dict(
            self.env["motivation.sales.target"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.target_count = counts.get(plan, 0)

    # ------------------------------------------------------------
    # ORM: the lock
    # ------------------------------------------------------------

    def write(self, vals):
        if self.env.context.get("sm_plan_state") or not (LOCKED_FIELDS & set(vals)):
            return super().write(vals)
        locked = self.filtered(lambda plan: plan.state != "draft")
        if not locked:
            return super().write(vals)
        # the reason typed with the change, or saved just before it
        reasons = {
            plan: (vals.get("change_reason") or plan.change_reason or "").strip()
            for plan in locked
        }
        locked._sm_check_unlock(reasons)
        res = super(
            MotivationSalesPlan, self.with_context(sm_plan_unlocked=True)
        ).write(dict(vals, change_reason=False))
        locked._sm_log_change(vals, reasons)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft(self):
        if self.filtered(lambda plan: plan.state != "draft"):
            raise UserError(
                self.env._("Only draft sales plans can be deleted; close it instead.")
            )

    def _sm_check_unlock(self, reasons):
        """An approved plan changes only by a commission administrator giving
        a reason (``reasons``: {plan: text}); a closed plan never."""
        closed = self.filtered(lambda plan: plan.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "Sales plan %s is closed: its targets and figures no longer "
                    "change.",
                    ", ".join(closed.mapped("name")),
                )
            )
        if not self.env.is_superuser() and not self.env.user.has_group(
            "sales_motivation.group_commission_manager"
        ):
            raise AccessError(
                self.env._(
                    "Sales plan %s is approved: only commission administrators "
                    "change it.",
                    ", ".join(self.mapped("name")),
                )
            )
        unexplained = self.filtered(lambda plan: not reasons.get(plan))
        if unexplained:
            raise UserError(
                self.env._(
                    "Sales plan %s is approved: say why it changes (Reason for "
                    "the Change).",
                    ", ".join(unexplained.mapped("name")),
                )
            )

    def _sm_log_change(self, vals, reasons):
        labels = [
            self._fields[name].get_description(self.env)["string"]
            for name in sorted(LOCKED_FIELDS & set(vals))
        ]
        for plan in self:
            plan.message_post(
                body=Markup("%s")
                % self.env._(
                    "Approved plan changed by %(user)s (%(fields)s): %(reason)s",
                    user=self.env.user.name,
                    fields=", ".join(labels),
                    reason=reasons[plan],
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def _sm_check_targets_unlocked(self):
        """Targets of a draft plan change freely; those of an approved one
        only through the plan's own write (a commission administrator with
        a reason); those of a closed one never."""
        if self.env.context.get("sm_plan_unlocked"):
            return
        locked = self.filtered(lambda plan: plan.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "Sales plan %s is no longer a draft: change its targets from "
                    "the plan, with a reason (commission administrators).",
                    ", ".join(locked.mapped("name")),
                )
            )

    @api.constrains("company_id", "team_ids")
    def _check_team_company(self):
        for plan in self:
            other = plan.team_ids.filtered(
                lambda team, plan=plan: team.company_id
                and team.company_id != plan.company_id
            )
            if other:
                raise ValidationError(
                    self.env._(
                        "Sales plan %(plan)s: team %(team)s belongs to another "
                        "company.",
                        plan=plan.name,
                        team=other[0].name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _sm_check_manager(self):
        if not self.env.is_superuser() and not self.env.user.has_group(
            "sales_motivation.group_commission_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only commission administrators approve and close sales plans."
                )
            )

    def action_approve(self):
        """Draft plans become approved: locked, their targets in force."""
        self._sm_check_manager()
        todo = self.filtered(lambda plan: plan.state == "draft")
        empty = todo.filtered(lambda plan: not plan.target_ids)
        if empty:
            raise UserError(
                self.env._(
                    "Sales plan %s has no targets to approve.",
                    ", ".join(empty.mapped("name")),
                )
            )
        todo.with_context(sm_plan_state=True).write({"state": "approved"})
        return True

    def action_close(self):
        """Approved plans are closed: they never change again."""
        self._sm_check_manager()
        todo = self.filtered(lambda plan: plan.state == "approved")
        todo.with_context(sm_plan_state=True).write({"state": "closed"})
        return True

    def action_reset_draft(self):
        """Back to draft, before it is closed."""
        self._sm_check_manager()
        todo = self.filtered(lambda plan: plan.state == "approved")
        todo.with_context(sm_plan_state=True).write({"state": "draft"})
        return True

    def action_view_targets(self):
        """The targets as a grid: one group per salesperson, one line per
        metric, edited in place."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_motivation.motivation_sales_target_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {
            "default_plan_id": self.id,
            "group_by": ["user_id"],
        }
        action["name"] = self.env._("Targets of %s", self.name)
        return action

    def action_copy_previous(self):
        """Open the wizard copying the previous period's targets."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Copy Targets"),
            "res_model": "motivation.sales.plan.copy",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_previous(self):
        """The company's latest plan that ended before this one starts,
        preferring one sharing a team."""
        self.ensure_one()
        plans = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("date_to", "<", self.date_from),
                ("id", "!=", self.id),
            ],
            order="date_to desc, id desc",
            limit=20,
        )
        sharing = plans.filtered(lambda plan: plan.team_ids & self.team_ids)
        return (sharing or plans)[:1]

    def _sm_copy_targets(self, source, growth_percent):
        """Set this plan's targets to ``source``'s grown by ``growth_percent``
        (counts rounded to whole numbers, percent metrics capped at 100)."""
        self.ensure_one()
        existing = {(t.user_id, t.metric): t for t in self.target_ids}
        commands = []
        factor = 1 + growth_percent / 100.0
        for target in source.target_ids:
            unit = METRICS[target.metric]["unit"]
            value = target.target * factor
            if unit == "count":
                value = round(value)
            elif unit == "percent":
                value = min(round(value, 2), 100.0)
            else:
                value = self.company_id.currency_id.round(value)
            current = existing.get((target.user_id, target.metric))
            if current:
                commands.append(
                    fields.Command.update(
                        current.id, {"target": value, "weight": target.weight}
                    )
                )
            else:
                commands.append(
                    fields.Command.create(
                        {
                            "user_id": target.user_id.id,
                            "metric": target.metric,
                            "target": value,
                            "weight": target.weight,
                        }
                    )
                )
        if commands:
            self.write({"target_ids": commands})
