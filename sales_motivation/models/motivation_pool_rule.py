# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from .sql import lock_rows, try_advisory_locks

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

    # ------------------------------------------------------------------
    # The scheduler
    # ------------------------------------------------------------------

    @api.model
    def _cron_apply_rules(self, batch_size=None):
        """Apply the rules, by batches of ``batch_size`` deals or clients
        (default ``_apply_batch_size``) warned, moved or whose warning is
        withdrawn, over all the rules in their order; reports what is left to
        Odoo's cron runner, which commits and calls again. Each batch
        records what it did (the notices) with the work itself: a rerun
        after an interruption goes on from there."""
        now = fields.Datetime.now()
        budget = batch_size or self._apply_batch_size
        done = remaining = 0
        for rule in self.search([("trigger", "!=", "manual")]):
            rule_done, rule_left = rule._apply(now, limit=max(budget - done, 0))
            done += rule_done
            remaining += rule_left
        self.env["ir.cron"]._sm_notify_progress(done=done, remaining=remaining)

    def _apply(self, now, limit=None):
        """Warn what will move, then move what was warned long enough ago.

        At most ``limit`` deals (or clients) per call: first the warnings to
        withdraw, then the new warnings, then the moves. The deals (clients)
        of the call are locked for it (rows another transaction holds, say a
        salesperson saving the deal, are skipped: they wait for the next
        call), and a team's reassignments are made by one transaction at a
        time. Returns (deals or clients handled, left to handle)."""
        self.ensure_one()
        subject = self._subject_field()
        Subject = self.env[self._subject_model()].sudo()
        Notice = self.env["motivation.pool.notice"].sudo()
        pending = Notice.search([("rule_id", "=", self.id), ("state", "=", "pending")])
        # deals worked on since their warning (or now protected, won...) are
        # no longer candidates: their notice lapses, the warning is withdrawn
        warned = self._candidates(now, self.days - self.warning_days)
        warned_ids = set(warned.ids)
        lapse = pending.filtered(lambda n: n[subject].id not in warned_ids)
        pending -= lapse
        # warn the new ones: once per rule, deal and deviation (a deal whose
        # notice was acted on after its last interaction is not warned again)
        acted = Notice.search(
            [
                ("rule_id", "=", self.id),
                ("state", "=", "done"),
                (subject, "in", warned.ids),
            ]
        )
        same_deviation = acted.filtered(
            lambda n: (start := self._deviation_start(n[subject]))
            and n.warn_date >= start
        )[subject]
        new = warned - pending[subject] - same_deviation
        # act on the deals whose notice is due and whose trigger has run out
        due = self._candidates(now, self.days)
        due_ids = set(due.ids)
        ready = pending.filtered(
            lambda n: n.act_date <= now and n[subject].id in due_ids
        )
        # a warning given 0 days before is acted on at once
        act_now = Subject.browse() if self.warning_days else new & due
        total = len(lapse) + len(new) + len(ready) + len(act_now)
        # the call's deals (clients), locked for it, phase by phase up to the
        # limit: those another transaction holds are skipped, the next taken
        cr, table, taken = self.env.cr, Subject._table, set()
        for records in (lapse[subject], new, ready[subject]):
            taken.update(
                lock_rows(
                    cr,
                    table,
                    set(records.ids) - taken,
                    limit=None if limit is None else limit - len(taken),
                )
            )
        lapse = lapse.filtered(lambda n: n[subject].id in taken)
        new = new.filtered(lambda record: record.id in taken)
        ready = ready.filtered(lambda n: n[subject].id in taken)
        lapse._lapse()
        if new:
            created = Notice._warn(self, new, now)
            act_now_ids = set(act_now.ids)
            ready |= created.filtered(lambda n: n[subject].id in act_now_ids)
        if self.action == "reassign":
            ready = self._ready_in_free_teams(ready, subject)
        done = len(lapse) + len(new) + len(ready)
        if ready:
            if subject == "partner_id":
                self._act_customers(ready.partner_id)
            else:
                self._act(ready.lead_id)
            ready._done()
        return done, total - done

    def _ready_in_free_teams(self, notices, subject):
        """The notices whose deal's (client's) team no other transaction is
        assigning deals of (fair distribution, another reassignment): members'
        loads and capacities are counted by one at a time."""
        team_of = {
            notice: (
                notice.partner_id.sm_team_id
                if subject == "partner_id"
                else notice.lead_id.team_id
            )
            for notice in notices
        }
        free = try_advisory_locks(
            self.env.cr,
            "sales_motivation.team_assignment",
            [team.id for team in team_of.values() if team],
        )
        return notices.filtered(lambda n: not team_of[n] or team_of[n].id in free)

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

    def _act(self, leads):
        self.ensure_one()
        now = fields.Datetime.now()
        leads = leads.with_context(tracking_disable=False, sm_transfer_logged=True)
        Transfer = self.env["motivation.transfer"]
        nobody = self.env["res.users"]

        def reason(env):  # in the language of whom it is written for
            return self.with_env(env)._reason()

        if self.action == "release":
            origin = {lead.id: lead.user_id.id for lead in leads}
            leads.write({"user_id": False, "in_pool": True})
            entries = Transfer.with_context(sm_from_user=origin)._log(
                leads, "release", "rule", actor=nobody, rule=self
            )
            leads._sm_log_moves(
                entries,
                lambda env, why: env._("Released to the shared pool by rule %s", why),
            )
        elif self.action == "reassign":
            plan = self._reassignment_plan(leads)
            origin = {lead.id: lead.user_id.id for lead in leads}
            entries = Transfer.browse()
            for user, user_leads in plan.items():
                # the new salesperson's clock starts anew; tracked, followed,
                # one summary per assignee (see crm.team._sm_distribute)
                user_leads.with_context(mail_auto_subscribe_no_notify=True).write(
                    {"user_id": user.id, "sm_last_touch_date": now}
                )
                entries |= Transfer.with_context(sm_from_user=origin)._log(
                    user_leads,
                    "reassign",
                    "rule",
                    to_user=user,
                    actor=nobody,
                    rule=self,
                )
                user_leads._sm_notify_assigned(user, reason)
            unassigned = leads - self.env["crm.lead"].concat(*plan.values())
            if unassigned:  # nobody free in the team: the pool takes them
                unassigned.write({"user_id": False, "in_pool": True})
                entries |= Transfer.with_context(sm_from_user=origin)._log(
                    unassigned, "release", "rule", actor=nobody, rule=self
                )
            leads._sm_log_moves(
                entries, lambda env, why: env._("Moved by rule %s", why)
            )
        else:
            self.env["motivation.pool.notice"]._alert_leaders(self, leads)

    def _act_customers(self, partners):
        """Move repeat clients: released (their open opportunities follow
        them to the pool when the setting says so, and a "repeat order"
        opportunity waits in the pool for a client without one, so that a
        colleague can take it), reassigned within the salesperson's team, or
        reported to the team leader."""
        self.ensure_one()
        Transfer = self.env["motivation.transfer"]
        nobody = self.env["res.users"]
        if self.action == "alert":
            partners._sm_alert_late(self)
            return
        origin = {partner.id: partner.user_id.id for partner in partners}
        if self.action == "reassign":
            plan = self._reassignment_plan(partners, team_of=lambda p: p.sm_team_id)
            for user, user_partners in plan.items():
                # their opportunities follow (setting), logged there
                user_partners.write({"user_id": user.id})
                Transfer._log_partners(
                    user_partners, "reassign", "rule", origin, user, nobody, self
                )
            partners -= self.env["res.partner"].concat(*plan.values())
        if partners:
            partners._sm_release_to_pool(origin, self)

    def _reassignment_plan(self, records, team_of=None):
        """{user: records} spreading each team's deals (or clients) over its
        other members: absent members, members who opted out of assignment or
        are at capacity are skipped; least loaded (fewest open deals) first
        (ties: the member created first), or in turn."""
        plan = {}
        Lead = self.env["crm.lead"].sudo()
        team_of = team_of or (lambda lead: lead.team_id)
        for team, team_leads in records.grouped(team_of).items():
            # absent "today" in the team's company's local days (the current
            # company's for a team without company)
            today = (team.company_id or self.env.company)._sm_local_date()
            members = team.crm_team_member_ids.filtered(
                lambda m, today=today: not m.assignment_optout
                and m.user_id.active
                and not (m.sm_absent_until and m.sm_absent_until >= today)
            ).sorted("id")
            loads = dict(
                Lead._read_group(
                    [
                        ("user_id", "in", members.user_id.ids),
                        ("active", "=", True),
                        ("probability", "<", 100),
                    ],
                    ["user_id"],
                    ["__count"],
                )
            )
            load = {m: loads.get(m.user_id, 0) for m in members}
            turn = 0
            for lead in team_leads.sorted("id"):
                free = [
                    m
                    for m in members
                    if m.user_id != lead.user_id
                    and (not m.assignment_max or load[m] < m.assignment_max)
                ]
                if not free:
                    continue
                if self.reassign_method == "least_loaded":
                    member = min(free, key=lambda m: (load[m], m.id))
                else:
                    member = free[turn % len(free)]
                    turn += 1
                load[member] += 1
                plan.setdefault(member.user_id, records.browse())
                plan[member.user_id] |= lead
        return plan
