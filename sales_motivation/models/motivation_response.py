# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, format_datetime

from .sql import insert_rows, lock_rows

# what a response's row in the achievement ledger depends on (it is created
# pending: no row yet)
LEDGER_TRIGGERS = {
    "state",
    "user_id",
    "deadline",
    "responded_at",
    "company_id",
    "team_id",
    "lead_id",
}

STATES = [
    ("pending", "Pending"),
    ("on_time", "On Time"),
    ("late", "Late"),
    ("missed", "Missed"),
    ("withdrawn", "Withdrawn"),
]


class MotivationResponse(models.Model):
    """One assignment of a request (lead or opportunity) to a salesperson and
    its first response: due ``deadline`` (working hours of the team after the
    assignment), answered at ``responded_at``.

    A deal has one current row, the one of its salesperson; a reassignment
    closes it (a deadline already passed stays *missed*: the previous
    salesperson keeps their miss; one not passed yet is *withdrawn*) and
    opens the new salesperson's. Written by ``crm.lead._sm_response_update``
    only, and by the escalation cron's steps (warned, escalated).
    """

    _name = "motivation.response"
    _description = "First Response to a Request"
    _order = "assigned_at desc, id desc"
    _sql_constraints = [
        (
            "one_current",
            "EXCLUDE USING btree (lead_id WITH =) WHERE (current)",
            "A deal has one current first-response deadline.",
        ),
    ]
    _rec_name = "lead_id"
    # responses checked (marked missed, warned, escalated) per call of the cron
    _escalate_batch_size = 500

    lead_id = fields.Many2one(
        "crm.lead", string="Deal", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    company_id = fields.Many2one("res.company", index=True)
    assigned_at = fields.Datetime(required=True, readonly=True)
    deadline = fields.Datetime(string="Response Deadline", required=True)
    responded_at = fields.Datetime(string="First Response")
    response_kind = fields.Selection(
        [
            ("interaction", "Interaction"),
            ("email", "E-mail"),
            ("quotation", "Quotation"),
        ],
        string="Responded By",
    )
    state = fields.Selection(
        STATES,
        required=True,
        default="pending",
        index=True,
        help="Pending: no response yet, the deadline not passed. On time or "
        "late: the first response came before or after the deadline. Missed: "
        "the deadline passed without response. Withdrawn: the request left "
        "the salesperson before its deadline.",
    )
    current = fields.Boolean(
        default=True,
        help="The response the deal waits for: its salesperson's.",
    )
    # escalation (a pool rule "no first response within N working hours")
    rule_id = fields.Many2one(
        "motivation.pool.rule", string="Escalation Rule", ondelete="set null"
    )
    warn_at = fields.Datetime(string="Warning Due")
    escalate_at = fields.Datetime(string="Escalation Due")
    warned_at = fields.Datetime(string="Warned")
    escalated_at = fields.Datetime(string="Escalated")
    activity_id = fields.Many2one("mail.activity", ondelete="set null")
    next_check = fields.Datetime(
        compute="_compute_next_check",
        store=True,
        index="btree_not_null",
        help="When the scheduled action must look at the response next "
        "(deadline, warning, escalation); empty when nothing more is due.",
    )

    @api.depends(
        "current",
        "state",
        "deadline",
        "rule_id",
        "warn_at",
        "escalate_at",
        "warned_at",
        "escalated_at",
    )
    def _compute_next_check(self):
        for response in self:
            moments = []
            if response.current and response.state in ("pending", "missed"):
                if response.state == "pending":
                    moments.append(response.deadline)
                if response.rule_id and not response.escalated_at:
                    moments.append(
                        response.escalate_at if response.warned_at else response.warn_at
                    )
            moments = [moment for moment in moments if moment]
            response.next_check = min(moments) if moments else False

    # ------------------------------------------------------------
    # ORM: the achievement ledger's requests_on_time follows
    # ------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if LEDGER_TRIGGERS & set(vals):
            self.env["motivation.achievement"]._sm_sync_records(self)
        return res

    def unlink(self):
        ids = self.ids
        res = super().unlink()
        self.env["motivation.achievement"]._sm_sync(self._name, ids, deleted=True)
        return res

    # ------------------------------------------------------------
    # BUSINESS: what _sm_response_update decides
    # ------------------------------------------------------------

    @api.model
    def _sm_open(self, leads, when):
        """The responses due by the salespeople just given ``leads``;
        ``when``: {lead id: assignment moment}. One query per team's
        calendar, one INSERT."""
        items = []
        for team, team_leads in leads.grouped("team_id").items():
            calendar = team._sm_response_calendar()
            starts = [when[lead.id] for lead in team_leads]
            if calendar:
                deadlines = calendar._sm_plan_hours(team.sm_response_hours, starts)
            else:  # no working time anywhere: wall-clock hours
                deadlines = {
                    start: start + timedelta(hours=team.sm_response_hours)
                    for start in starts
                }
            for lead in team_leads:
                items.append((lead, when[lead.id], deadlines[when[lead.id]]))
        escalation = self._sm_escalation_vals(items)
        # the closed responses' "current" first: one current per deal
        self.flush_model(["current"])
        # one INSERT (sql.insert_rows), the stored computes given: the ORM's
        # create of the responses took a third of response tracking's work
        # in Odoo's assignment (0.4 of 1.2 s profiled for 600 leads; bench
        # response_assign: the tracking's work is 7 % of the assignment)
        vals_list = []
        for lead, assigned_at, deadline in items:
            escalate = escalation[lead.id]
            vals_list.append(
                {
                    "lead_id": lead.id,
                    "user_id": lead.user_id.id,
                    "team_id": lead.team_id.id,
                    "company_id": (lead.company_id or lead.team_id.company_id).id,
                    "assigned_at": assigned_at,
                    "deadline": deadline,
                    "state": "pending",
                    "current": True,
                    **escalate,
                    # _compute_next_check and _compute_response_hours of a
                    # new pending response: its deadline or its warning;
                    # not answered yet
                    "next_check": min(
                        filter(None, [deadline, escalate.get("warn_at")])
                    ),
                    "response_hours": False,
                }
            )
        return insert_rows(self, vals_list)

    def _sm_close(self, now):
        """The deal left the salesperson: a deadline passed stays missed, one
        not passed yet is withdrawn."""
        passed = self.filtered(lambda r: r.state == "pending" and r.deadline <= now)
        passed.write({"state": "missed"})
        (self - passed).filtered(lambda r: r.state == "pending").write(
            {"state": "withdrawn"}
        )
        self._sm_drop_warnings()
        self.write({"current": False})

    def _sm_respond(self, touches):
        """Each response's first touch by its salesperson: ``touches``
        {lead id: [(user id, moment, kind)]}. Touches before the assignment
        answer an earlier one, not this one."""
        answered = self.browse()
        for response in self.filtered(lambda r: r.state in ("pending", "missed")):
            moments = [
                (moment, kind)
                for user_id, moment, kind in touches.get(response.lead_id.id, ())
                if user_id == response.user_id.id and moment >= response.assigned_at
            ]
            if not moments:
                continue
            moment, kind = min(moments)
            response.write(
                {
                    "responded_at": moment,
                    "response_kind": kind,
                    "state": "on_time" if moment <= response.deadline else "late",
                }
            )
            answered |= response
        answered._sm_drop_warnings()

    def _sm_drop_warnings(self):
        warnings = self.activity_id
        if warnings:
            # sudo: mail.activity - the escalation's warning, scheduled by
            # the cron for the salesperson, withdrawn by whoever ends it
            warnings.sudo().unlink()

    # ------------------------------------------------------------
    # BUSINESS: escalation
    # ------------------------------------------------------------

    @api.model
    def _sm_rules_for(self, lead, rules):
        """The first escalation rule (by sequence) for ``lead``."""
        company = lead.company_id or lead.team_id.company_id
        for rule in rules:
            if (
                (not company or rule.company_id == company)
                and (not rule.team_ids or lead.team_id in rule.team_ids)
                and rule.applies_to in ("both", lead.type)
            ):
                return rule
        return rules.browse()

    @api.model
    def _sm_escalation_vals(self, items):
        """{lead id: escalation values} of the responses ``items``: [(lead,
        assigned at, deadline)]: the rule that escalates them, when it warns
        and when it acts (its working hours after the assignment, or the
        response deadline when it names none)."""
        # sudo: motivation.pool.rule - the rules apply whoever assigns
        rules = (
            self.env["motivation.pool.rule"]
            .sudo()
            .search([("trigger", "=", "no_response")])
        )
        result = {}
        planned = {}
        for lead, assigned_at, deadline in items:
            rule = self._sm_rules_for(lead, rules) if rules else rules
            result[lead.id] = {"rule_id": rule.id}
            if rule:
                planned.setdefault((lead.team_id, rule), []).append(
                    (lead, assigned_at, deadline)
                )
        for (team, rule), team_items in planned.items():
            calendar = team._sm_response_calendar()
            if rule.response_hours and calendar:
                acts = calendar._sm_plan_hours(
                    rule.response_hours, [item[1] for item in team_items]
                )
            for lead, assigned_at, deadline in team_items:
                if not rule.response_hours:
                    act = deadline
                elif calendar:
                    act = acts[assigned_at]
                else:
                    act = assigned_at + timedelta(hours=rule.response_hours)
                result[lead.id].update(
                    escalate_at=act,
                    warn_at=max(
                        assigned_at, act - timedelta(minutes=rule.warning_minutes)
                    ),
                )
        return result

    @api.model
    def _sm_replan_escalation(self):
        """The escalation rules changed: the open responses follow them."""
        responses = self.search(
            [
                ("current", "=", True),
                ("state", "in", ("pending", "missed")),
                ("escalated_at", "=", False),
            ]
        )
        escalation = self._sm_escalation_vals(
            [(r.lead_id, r.assigned_at, r.deadline) for r in responses]
        )
        for response in responses:
            vals = {
                "rule_id": False,
                "warn_at": False,
                "escalate_at": False,
                **escalation[response.lead_id.id],
            }
            if response.warned_at and vals["rule_id"] == response.rule_id.id:
                continue  # a warning given stays, and its notice period
            if response.warned_at:
                response._sm_drop_warnings()
                vals["warned_at"] = False
            response.write(vals)

    @api.model
    def _cron_escalate(self, batch_size=None):
        """Mark the responses whose deadline passed missed, warn the
        salespeople of those an escalation rule is about to act on, and act,
        by batches of ``batch_size`` responses (default
        ``_escalate_batch_size``); reports what is left to Odoo's cron
        runner, which commits and calls again.

        One query on the index of ``next_check`` when nothing is due. The
        responses of a batch, and their deals, are locked for it: rows
        another transaction holds (a second server's run, a salesperson
        saving the deal) are skipped and wait for the next call. Each step
        is recorded on the response with the work itself (warned, escalated):
        a rerun does nothing twice."""
        now = fields.Datetime.now()
        limit = batch_size or self._escalate_batch_size
        self.flush_model(["next_check"])
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, lead_id FROM motivation_response WHERE next_check <= %s"
                " ORDER BY next_check, id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED",
                now,
                limit,
            )
        )
        rows = cr.fetchall()
        if not rows:
            self.env["ir.cron"]._sm_notify_progress(done=0, remaining=0)
            return
        # sudo: crm.lead - the scheduler works every team's deals
        Lead = self.env["crm.lead"].sudo()
        free = set(lock_rows(cr, Lead._table, {lead_id for _id, lead_id in rows}))
        responses = self.sudo().browse(
            [response_id for response_id, lead_id in rows if lead_id in free]
        )
        # the one method that decides what is due: deadlines passed
        responses.lead_id._sm_response_update()
        responses._sm_escalate(now)
        # the rows this call could not move on (deals locked elsewhere, a
        # team being assigned by another transaction) wait for the next run
        blocked = len(rows) - len(responses)
        blocked += len(
            responses.filtered(lambda r: r.next_check and r.next_check <= now)
        )
        remaining = self.sudo().search_count([("next_check", "<=", now)])
        self.env["ir.cron"]._sm_notify_progress(
            done=len(rows) - blocked, remaining=max(remaining - blocked, 0)
        )

    def _sm_escalate(self, now):
        """The escalation steps due at ``now``: warn, then act once the
        warning period is over. Deals the rule may not move (won, lost, in
        the pool, protected, outside its filter) are not escalated."""
        todo = self.filtered(
            lambda r: r.current
            and r.rule_id
            and r.state in ("pending", "missed")
            and not r.escalated_at
        )
        for rule, responses in todo.grouped("rule_id").items():
            movable = responses.lead_id.search(
                expression.AND(
                    [rule._base_domain(), [("id", "in", responses.lead_id.ids)]]
                )
            )
            stuck = responses.filtered(
                lambda r, movable=movable: r.lead_id not in movable
            )
            stuck.write({"escalated_at": now})
            stuck._sm_drop_warnings()
            responses -= stuck
            warn = responses.filtered(lambda r: not r.warned_at and r.warn_at <= now)
            warn._sm_warn(rule, now)
            ready = responses.filtered(lambda r: r.warned_at and r.escalate_at <= now)
            if rule.action == "reassign":
                ready = rule._ready_in_free_teams(ready, "lead_id")
            if ready:
                ready.write({"escalated_at": now})
                ready._sm_drop_warnings()
                rule._act(ready.lead_id)

    def _sm_warn(self, rule, now):
        """One activity per response for its salesperson, in their language,
        naming what will happen and when; created in one batch. The act
        waits at least the rule's warning minutes after the warning."""
        if not self:
            return
        entries, acts = [], []
        for response in self:
            user = response.user_id
            env = self.with_context(lang=user.lang).env
            act = max(
                response.escalate_at, now + timedelta(minutes=rule.warning_minutes)
            )
            acts.append(act)
            when = format_datetime(env, act, tz=user.tz or "UTC", dt_format="short")
            summaries = {
                "release": env._(
                    "No first response yet: released to the pool at %(when)s "
                    "(%(rule)s)",
                    when=when,
                    rule=rule.name,
                ),
                "reassign": env._(
                    "No first response yet: reassigned at %(when)s (%(rule)s)",
                    when=when,
                    rule=rule.name,
                ),
                "alert": env._(
                    "No first response yet: team leader alerted at %(when)s "
                    "(%(rule)s)",
                    when=when,
                    rule=rule.name,
                ),
            }
            entries.append(
                (
                    response.lead_id,
                    "sales_motivation.mail_activity_type_pool_notice",
                    user,
                    summaries[rule.action],
                    # due the day it acts, in the salesperson's time zone
                    pytz.utc.localize(act)
                    .astimezone(pytz.timezone(user.tz or "UTC"))
                    .date(),
                )
            )
        activities = self.env["mail.activity"]._sm_schedule(entries)
        for response, activity, act in zip(self, activities, acts, strict=True):
            response.write(
                {"warned_at": now, "activity_id": activity.id, "escalate_at": act}
            )
