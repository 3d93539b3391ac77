# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .sql import lock_rows, try_advisory_locks


class MotivationPoolRule(models.Model):
    """The pool rules' scheduler: the daily cron warns the salespeople of
    what will move, then releases, reassigns or alerts about what was warned
    long enough ago (motivation_pool_rule.py: the rules and what they
    select)."""

    _inherit = "motivation.pool.rule"  # pylint: disable=consider-merging-classes-inherited

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
        # sudo: crm.lead / res.partner, motivation.pool.notice - the rule
        # warns and moves every salesperson's deals (clients) of its teams,
        # whoever runs it (the cron, a manager's "run now")
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
        # sudo: crm.lead - members' loads count all their open deals
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
