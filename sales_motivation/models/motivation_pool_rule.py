# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

# trigger -> stored, indexed crm.lead date field the trigger measures from
TRIGGER_FIELDS = {
    "no_interaction": "sm_last_touch_date",
    "stage_stuck": "date_last_stage_update",
}

# what a rule watches; also kept on each transfer a rule made (its reason)
TRIGGERS = [
    ("no_interaction", "No interaction for N days"),
    ("stage_stuck", "Stage unchanged for N days"),
    ("checkpoint_overdue", "A checkpoint overdue for N days"),
    ("client_late", "A repeat client late on purchases for N days"),
    ("manual", "Manual release only"),
]


class MotivationPoolRule(models.Model):
    """When a deal or a client leaves its salesperson: explicit, announced,
    logged.

    A rule finds the open deals (or the repeat clients) of its teams whose
    salesperson has let the trigger run for ``days`` days. ``warning_days``
    before acting, the salesperson gets an activity naming the day and the
    rule; then the deal is released to the pool, reassigned within the team,
    or only reported to the team leader. The cron applies the rules; running
    it twice, or after an interruption, neither warns nor moves anything
    twice.
    """

    _name = "motivation.pool.rule"
    _description = "Pool and Reassignment Rule"
    _order = "sequence, id"
    # deals (or clients) warned, moved or withdrawn per call of the cron
    _apply_batch_size = 500

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        check_company=True,
        help="Deals of these teams (empty: every team).",
    )
    applies_to = fields.Selection(
        [
            ("lead", "Leads"),
            ("opportunity", "Opportunities"),
            ("both", "Leads and opportunities"),
            ("customer", "Customers"),
        ],
        required=True,
        default="both",
    )
    trigger = fields.Selection(
        TRIGGERS,
        required=True,
        default="no_interaction",
        help="Interactions are messages, e-mails, logged notes and done "
        "activities. Repeat clients are late past their expected purchase "
        "(Repeat Clients); rules on customers use this trigger. Manual rules "
        "are never applied by the scheduler; they name the reason of a manual "
        "release.",
    )
    days = fields.Integer(default=30)
    warning_days = fields.Integer(
        string="Warning (days before)",
        default=5,
        help="The salesperson is told this many days before the rule acts.",
    )
    action = fields.Selection(
        [
            ("release", "Release to the shared pool"),
            ("reassign", "Reassign within the team"),
            ("alert", "Alert the team leader only"),
        ],
        required=True,
        default="release",
    )
    reassign_method = fields.Selection(
        [("least_loaded", "Least loaded member"), ("round_robin", "Round robin")],
        default="least_loaded",
        required=True,
    )
    exclude_future_activity = fields.Boolean(
        string="Skip Deals With a Planned Activity",
        default=True,
        help="A deal with an activity planned from today on is being worked.",
    )
    domain = fields.Char(
        string="Only Records Matching",
        default="[]",
        help="An extra filter on the deals (or the customers), as an Odoo domain.",
    )
    subject_model = fields.Char(compute="_compute_subject_model")
    notice_ids = fields.One2many("motivation.pool.notice", "rule_id")

    @api.depends("applies_to")
    def _compute_subject_model(self):
        for rule in self:
            rule.subject_model = rule._subject_model()

    @api.constrains("days", "warning_days", "trigger", "action", "domain", "applies_to")
    def _check_configuration(self):
        for rule in self:
            if rule.days < 0 or rule.warning_days < 0:
                raise ValidationError(
                    self.env._("Rule %s: days cannot be negative.", rule.name)
                )
            if rule.trigger != "manual" and rule.warning_days > rule.days:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the warning (%(warning)s days before) cannot "
                        "come before the trigger starts counting (%(days)s days).",
                        rule=rule.name,
                        warning=rule.warning_days,
                        days=rule.days,
                    )
                )
            if not rule.action:
                raise ValidationError(self.env._("Rule %s has no action.", rule.name))
            if (rule.applies_to == "customer") != (
                rule.trigger == "client_late"
            ) and rule.trigger != "manual":
                raise ValidationError(
                    self.env._(
                        "Rule %s: rules on customers trigger on late purchases, "
                        "and late purchases are a trigger of customers only.",
                        rule.name,
                    )
                )
            try:
                domain = safe_eval(rule.domain or "[]")
                # sudo: crm.lead, res.partner - the domain is checked as the
                # cron will run it, over every team's deals (clients)
                self.env[rule._subject_model()].sudo()._search(domain)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the filter %(domain)s is not a valid domain "
                        "of %(records)s (%(error)s).",
                        records=self.env[rule._subject_model()]._description,
                        rule=rule.name,
                        domain=rule.domain,
                        error=error,
                    )
                ) from error

    # ------------------------------------------------------------------
    # Candidate selection
    # ------------------------------------------------------------------

    def _subject_model(self):
        """What the rule moves: deals, or clients."""
        return "res.partner" if self.applies_to == "customer" else "crm.lead"

    def _subject_field(self):
        """The notice's field naming what the rule moves."""
        return "partner_id" if self.applies_to == "customer" else "lead_id"

    def _base_domain(self):
        """Open, assigned deals (or repeat clients) of the rule's teams that
        may move."""
        self.ensure_one()
        if self.applies_to == "customer":
            return self._base_domain_customers()
        domain = [
            ("active", "=", True),
            ("probability", "<", 100),
            ("user_id", "!=", False),
            ("in_pool", "=", False),
            ("sm_protected", "=", False),
            ("company_id", "in", [self.company_id.id, False]),
        ]
        if self.applies_to != "both":
            domain.append(("type", "=", self.applies_to))
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        else:
            domain.append(("team_id", "!=", False))
        return expression.AND(
            [domain, self._activity_domain(), safe_eval(self.domain or "[]")]
        )

    def _base_domain_customers(self):
        domain = [
            ("active", "=", True),
            ("user_id", "!=", False),
            ("company_id", "in", [self.company_id.id, False]),
            ("sm_team_id", "in", self.team_ids.ids)
            if self.team_ids
            else ("sm_team_id", "!=", False),
        ]
        return expression.AND(
            [domain, self._activity_domain(), safe_eval(self.domain or "[]")]
        )

    def _activity_domain(self):
        """Records with an activity planned from today on are being worked
        (the rules' own notices aside)."""
        if not self.exclude_future_activity:
            return []
        # today in the rule's company's local days, not the scheduler's
        today = self.company_id._sm_local_date()
        notice_type = self.env["motivation.pool.notice"]._activity_type()
        return [
            (
                "activity_ids",
                "not any",
                [
                    ("date_deadline", ">=", today),
                    ("activity_type_id", "!=", notice_type.id),
                ],
            )
        ]

    def _due_domain(self, now, days):
        """Deals whose trigger has run ``days`` days at ``now``."""
        self.ensure_one()
        # the dates these triggers read (late since, deadline) are the
        # company's local days: the days are counted in the rule's company's
        since = self.company_id._sm_local_date(now) - timedelta(days=days)
        if self.trigger == "client_late":
            return [("sm_late_since", "<=", since)]
        if self.trigger == "checkpoint_overdue":
            return [
                (
                    "sm_checkpoint_ids",
                    "any",
                    [
                        ("state", "=", "overdue"),
                        ("deadline", "<=", since),
                    ],
                )
            ]
        return [(TRIGGER_FIELDS[self.trigger], "<=", now - timedelta(days=days))]

    def _deviation_start(self, lead):
        """Since when the deal (or client) deviates (what a notice was about)."""
        if self.trigger == "client_late":
            return fields.Datetime.to_datetime(lead.sm_late_since)
        if self.trigger == "checkpoint_overdue":
            deadlines = lead.sm_checkpoint_ids.filtered(
                lambda c: c.state == "overdue"
            ).mapped("deadline")
            return fields.Datetime.to_datetime(min(deadlines)) if deadlines else None
        return lead[TRIGGER_FIELDS[self.trigger]]

    def _candidates(self, now, days):
        # sudo: crm.lead / res.partner - the scheduler sees every team's
        Subject = self.env[self._subject_model()].sudo()
        return Subject.search(
            expression.AND([self._base_domain(), self._due_domain(now, days)])
        )

    def _reason(self):
        """Why the rule moves a deal, in the current language."""
        self.ensure_one()
        return self._format_reason(self.name, self.trigger, self.days)

    @api.model
    def _format_reason(self, name, trigger, days):
        """The reason of rule ``name`` with ``trigger`` and ``days`` (those
        of a rule then, for the transfer log), in the current language."""
        if trigger == "client_late":
            return self.env._(
                "%(rule)s: late on purchases for %(days)s days", rule=name, days=days
            )
        if trigger == "checkpoint_overdue":
            return self.env._(
                "%(rule)s: a checkpoint overdue for %(days)s days",
                rule=name,
                days=days,
            )
        if trigger == "stage_stuck":
            return self.env._(
                "%(rule)s: stage unchanged for %(days)s days", rule=name, days=days
            )
        if trigger == "manual":
            return name
        return self.env._(
            "%(rule)s: no interaction for %(days)s days", rule=name, days=days
        )
