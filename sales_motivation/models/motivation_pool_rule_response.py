# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# what a change of a rule's field changes in the responses it escalates
ESCALATION_FIELDS = {
    "active",
    "trigger",
    "sequence",
    "company_id",
    "team_ids",
    "applies_to",
    "response_hours",
    "warning_minutes",
}


class MotivationPoolRule(models.Model):
    """The trigger "no first response within N working hours": applied by the
    escalation cron of the responses (motivation.response._cron_escalate),
    every few minutes, not by the daily one."""

    _inherit = "motivation.pool.rule"  # pylint: disable=consider-merging-classes-inherited

    trigger = fields.Selection(
        selection_add=[
            ("no_response", "No first response within N working hours"),
            ("manual",),
        ],
        ondelete={"no_response": "cascade"},
    )
    response_hours = fields.Float(
        string="Working Hours Without Response",
        help="Counted in the team's working time from the assignment; 0: the "
        "team's response deadline. Teams without a response deadline are not "
        "escalated.",
    )
    warning_minutes = fields.Integer(
        string="Warning (minutes before)",
        default=30,
        help="The salesperson is told this many minutes before the rule acts.",
    )

    @api.constrains("response_hours", "warning_minutes")
    def _check_response_escalation(self):
        for rule in self:
            if rule.response_hours < 0 or rule.warning_minutes < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %s: the hours and minutes cannot be negative.",
                        rule.name,
                    )
                )
            if rule.trigger == "no_response" and rule.applies_to == "customer":
                raise ValidationError(
                    self.env._(
                        "Rule %s: a first response is due on leads and "
                        "opportunities, not on customers.",
                        rule.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        if any(rule.trigger == "no_response" for rule in rules):
            self.env["motivation.response"].sudo()._sm_replan_escalation()
        return rules

    def write(self, vals):
        before = any(rule.trigger == "no_response" for rule in self)
        res = super().write(vals)
        if ESCALATION_FIELDS & set(vals) and (
            before or any(rule.trigger == "no_response" for rule in self)
        ):
            self.env["motivation.response"].sudo()._sm_replan_escalation()
        return res

    def unlink(self):
        escalating = any(rule.trigger == "no_response" for rule in self)
        res = super().unlink()
        if escalating:
            self.env["motivation.response"].sudo()._sm_replan_escalation()
        return res

    def _apply(self, now, limit=None):
        if self.trigger == "no_response":  # the escalation cron's
            return 0, 0
        return super()._apply(now, limit=limit)

    def _activity_domain(self):
        # a planned activity is no response to the client
        if self.trigger == "no_response":
            return []
        return super()._activity_domain()

    def _reason(self):
        self.ensure_one()
        if self.trigger == "no_response":
            if self.response_hours:
                hours = f"{self.response_hours:g}"
                return self.env._(
                    "%(rule)s: no first response within %(hours)s working hours",
                    rule=self.name,
                    hours=hours,
                )
            return self.env._(
                "%(rule)s: no first response by the deadline", rule=self.name
            )
        return super()._reason()

    @api.model
    def _format_reason(self, name, trigger, days):
        # a transfer's reason (called on its rule): the hours are the rule's
        # of today, not kept on the transfer as the days of other triggers
        if trigger == "no_response":
            hours = len(self) == 1 and self.response_hours
            if hours:
                # formatted before the call: the translation template's
                # extractor evaluates the string arguments of self.env._()
                hours = f"{hours:g}"
                return self.env._(
                    "%(rule)s: no first response within %(hours)s working hours",
                    rule=name,
                    hours=hours,
                )
            return self.env._("%(rule)s: no first response by the deadline", rule=name)
        return super()._format_reason(name, trigger, days)


class MotivationTransfer(models.Model):
    """Moves made by a "no first response" rule keep that trigger as their
    reason, rendered in the reader's language like the other rules'."""

    _inherit = "motivation.transfer"

    reason_trigger = fields.Selection(
        selection_add=[
            ("no_response", "No first response within N working hours"),
            ("manual",),
        ],
        ondelete={"no_response": "set null"},
    )
