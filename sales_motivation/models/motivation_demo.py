# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


class MotivationDemo(models.AbstractModel):
    """What the demo data (demo/*.xml) calls to date its story relative to
    today, in the demo company's local days: deals created, checkpoints met
    or missed, deals won, months settled, moves of the pool. Called by the
    demo files only (``<function>``); each call may run again and leaves the
    same result."""

    _name = "motivation.demo"
    _description = "Demo Data Story"

    # ------------------------------------------------------------
    # Dates
    # ------------------------------------------------------------

    @api.model
    def _today(self):
        return self.env.company._sm_local_date()

    @api.model
    def _moment(self, day, hour=10):
        """The naive UTC datetime of ``hour`` o'clock on the company-local
        ``day``, never later than now."""
        tz = self.env.company._sm_tz()
        local = tz.localize(datetime.combine(day, time(hour)))
        moment = local.astimezone(pytz.utc).replace(tzinfo=None)
        return min(moment, fields.Datetime.now() - timedelta(minutes=5))

    @api.model
    def _month_day(self, months_ago, day):
        """Day ``day`` of the month ``months_ago`` months before this one
        (company-local), never later than today."""
        today = self._today()
        first = today.replace(day=1) - relativedelta(months=months_ago)
        last = first + relativedelta(months=1, days=-1)
        return min(first.replace(day=min(day, last.day)), today)

    # ------------------------------------------------------------
    # Deals and their checkpoints
    # ------------------------------------------------------------

    @api.model
    def _follow(self, lead_ids, closed, next_in):
        """Open deals: their first ``closed`` checkpoints reached on time
        (done, or kept waived), the next one due in ``next_in`` days
        (negative: late by that many days; the overdue scheduled action,
        called next by the demo, marks it and alerts the team leader)."""
        today = self._today()
        for lead in self.env["crm.lead"].browse(lead_ids):
            checkpoints = lead.sm_checkpoint_ids.sorted(lambda c: (c.sequence, c.id))
            if closed < len(checkpoints):
                following = checkpoints[closed].type_id
                last = today + timedelta(days=next_in - (following.deadline_days or 7))
            else:
                last = today
            self._schedule(lead, checkpoints, closed, last)

    @api.model
    def _win(self, lead_ids, months_ago, day):
        """Won deals: won on ``day`` of the month ``months_ago`` months ago,
        every checkpoint reached on time before (waived ones stay waived).
        Their commission lines follow the closing date."""
        won_on = self._month_day(months_ago, day)
        for lead in self.env["crm.lead"].browse(lead_ids):
            checkpoints = lead.sm_checkpoint_ids.sorted(lambda c: (c.sequence, c.id))
            self._schedule(lead, checkpoints, len(checkpoints), won_on)
            closed_at = self._moment(won_on, 15)
            lead.write({"date_closed": closed_at})
            self._set_dates(lead, date_last_stage_update=closed_at)
            self._date_back_ledger(lead)

    @api.model
    def _date_back_ledger(self, leads):
        """The demo wins deals now and dates them back afterwards; a real
        deal's rows in the achievement ledger are dated when it is won and
        never re-dated (a later change is a correction of today). Write the
        deals' client segment and rows again as if they had been created
        and won on their dates, so that past plans show what was won then."""
        leads = leads.sudo()
        leads.write({"sm_client_segment": False})
        leads._sm_fix_client_segment()
        Achievement = self.env["motivation.achievement"].sudo()
        Achievement.search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)]
        ).unlink()
        Achievement._sm_sync_records(leads)

    @api.model
    def _waive(self, lead_ids, type_id, reason):
        """The team leader waives a checkpoint of these deals, with a reason
        (dated by the next ``_follow`` or ``_win``)."""
        leads = self.env["crm.lead"].browse(lead_ids)
        for leader, team_leads in leads.grouped(
            lambda lead: lead.team_id.user_id
        ).items():
            checkpoints = team_leads.sm_checkpoint_ids.filtered(
                lambda c: c.type_id.id == type_id and c.state in ("pending", "overdue")
            )
            checkpoints.with_user(leader).action_waive(reason)

    @api.model
    def _schedule(self, lead, checkpoints, closed, last):
        """Date ``lead`` and its checkpoints so that the first ``closed``
        were reached on time, the last of them on ``last``: each one done
        two thirds into its time, counted as its type says (from the deal's
        creation or from the previous checkpoint); the deal was created
        when the first one's time started."""
        days = [c.type_id.deadline_days for c in checkpoints]
        gaps = [max(1, (d or 6) * 2 // 3) for d in days]
        # backwards from the last one reached: when each was reached
        reached = [None] * closed
        day = last
        for index in range(closed - 1, -1, -1):
            reached[index] = day
            day -= timedelta(days=gaps[index])
        created = day if closed else last
        values = []
        previous = created
        for index, checkpoint in enumerate(checkpoints):
            cp_type = checkpoint.type_id
            from_creation = cp_type.deadline_from == "creation" or index == 0
            start = created if from_creation else previous
            started = from_creation or index <= closed
            deadline = start + timedelta(days=days[index]) if days[index] else False
            vals = {"deadline": deadline if started else False}
            if index < closed:
                vals["done_date"] = self._moment(reached[index], 11)
                if checkpoint.state != "waived":
                    vals.update(
                        state="done",
                        done_by_id=lead.user_id.id or lead.team_id.user_id.id,
                        evidence=self._evidence(cp_type),
                    )
                previous = reached[index]
            elif checkpoint.state in ("done", "waived") or (
                # still late: stays overdue, its leader already alerted
                checkpoint.state == "overdue"
                and not (vals["deadline"] and vals["deadline"] < self._today())
            ):
                vals.update(state="pending", done_date=False, done_by_id=False)
            values.append((checkpoint, vals))
        for checkpoint, vals in values:
            checkpoint.write(vals)
        self._set_dates(
            lead,
            create_date=self._moment(created, 9),
            date_open=self._moment(created, 9),
            date_last_stage_update=self._moment(reached[-1] if closed else created, 12),
        )

    @api.model
    def _evidence(self, cp_type):
        return {
            "quotation_sent": "Quotation sent",
            "order_confirmed": "Contract signed",
            "attachment": "Document attached",
            "activity": cp_type.activity_type_id.name,
        }.get(cp_type.evidence, "Marked done")

    @api.model
    def _set_dates(self, records, **values):
        """Write what the ORM keeps to itself (creation date) or sets to now."""
        records.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id IN %s",
                SQL.identifier(records._table),
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value)
                    for name, value in values.items()
                ),
                tuple(records.ids),
            )
        )
        records.invalidate_recordset(list(values))

    # ------------------------------------------------------------
    # Commission
    # ------------------------------------------------------------

    @api.model
    def _settle_month(self, months_ago, paid=False):
        """The month ``months_ago`` months ago: its lines approved, settled
        and the settlements confirmed (and paid)."""
        first = self._month_day(months_ago, 1)
        last = min(first + relativedelta(months=1, days=-1), self._today())
        lines = self.env["motivation.commission.line"].search(
            [("date", ">=", first), ("date", "<=", last), ("state", "=", "draft")]
        )
        lines.action_approve()
        Settlement = self.env["motivation.settlement"]
        Settlement._settle(first, last)
        settlements = Settlement.search(
            [("date_from", "=", first), ("date_to", "=", last)]
        )
        settlements.action_confirm()
        if paid:
            settlements.filtered(lambda s: s.state == "confirmed").action_pay()

    @api.model
    def _close_sales_plan(self, months_ago, team_id, commission_plan_id):
        """The sales plan of the month ``months_ago`` months ago for the team:
        per salesperson, targets of won deals and of new and existing revenue
        set around what the ledger shows (the first above it, the second at
        it, the third under it), approved and closed: its bonus lines are
        written. Run again, it finds the plan closed and leaves it."""
        first = self._month_day(months_ago, 1)
        last = first + relativedelta(months=1, days=-1)
        team = self.env["crm.team"].browse(team_id)
        Plan = self.env["motivation.sales.plan"]
        plan = Plan.search(
            [("date_from", "=", first), ("team_ids", "in", team.ids)], limit=1
        )
        if plan.state == "closed":
            return plan
        salespeople = (team.member_ids - team.user_id).sorted("login")
        metrics = ["deals_won", "revenue_new", "revenue_existing"]
        totals = self.env["motivation.achievement"]._totals(
            salespeople, metrics, first, last, self.env.company
        )
        targets = []
        for factor, user in zip((0.8, 1.0, 1.25), salespeople, strict=False):
            for metric in metrics:
                achieved = totals[(user, metric)]
                if achieved > 0:
                    value = achieved * factor
                    value = round(value) if metric == "deals_won" else round(value, -2)
                else:
                    value = 2 if metric == "deals_won" else 10000
                targets.append(
                    {"user_id": user.id, "metric": metric, "target": max(value, 1)}
                )
        if not plan:
            plan = Plan.create(
                {
                    "name": self.env._("Plan %s", first.strftime("%Y-%m")),
                    "date_from": first,
                    "date_to": last,
                    "team_ids": [fields.Command.set(team.ids)],
                    "commission_plan_id": commission_plan_id,
                    "target_ids": [fields.Command.create(vals) for vals in targets],
                }
            )
        plan.action_approve()
        plan.action_close()
        return plan

    # ------------------------------------------------------------
    # Pool and transfers
    # ------------------------------------------------------------

    @api.model
    def _not_moved(self, lead_ids, kind):
        """These deals, but those the transfer log has a ``kind`` move of
        (a demo call run again)."""
        leads = self.env["crm.lead"].browse(lead_ids)
        moved = self.env["motivation.transfer"].search(
            [("lead_id", "in", leads.ids), ("kind", "=", kind)]
        )
        return leads - moved.lead_id

    @api.model
    def _release(self, lead_ids, days_ago, user_id, reason=None, rule_id=None):
        """``user_id`` released these deals to the pool ``days_ago`` days ago."""
        leads = self._not_moved(lead_ids, "release")
        if not leads:
            return
        when = self._moment(self._today() - timedelta(days=days_ago), 16)
        leads.with_user(user_id).with_context(
            sm_transfer_dates=dict.fromkeys(leads.ids, when)
        ).action_release_to_pool(
            reason=reason, rule=self.env["motivation.pool.rule"].browse(rule_id)
        )
        self._set_dates(leads, sm_last_touch_date=when)

    @api.model
    def _claim(self, lead_ids, days_ago, user_id):
        """``user_id`` claimed these deals from the pool ``days_ago`` days ago."""
        leads = self._not_moved(lead_ids, "claim")
        if not leads:
            return
        when = self._moment(self._today() - timedelta(days=days_ago), 9)
        leads.with_user(user_id).with_context(
            sm_transfer_dates=dict.fromkeys(leads.ids, when)
        ).action_claim()
        self._set_dates(leads, sm_last_touch_date=when)

    @api.model
    def _reassign(self, lead_ids, days_ago, user_id, reason):
        """The team leader gave these deals to ``user_id`` ``days_ago`` days
        ago, as a reassignment rule does (logged so)."""
        user = self.env["res.users"].browse(user_id)
        leads = self._not_moved(lead_ids, "reassign")
        if not leads:
            return
        when = self._moment(self._today() - timedelta(days=days_ago), 10)
        origin = {lead.id: lead.user_id.id for lead in leads}
        # logged below with the leader's reason (not as a change by hand)
        leads.with_context(sm_transfer_logged=True).write({"user_id": user.id})
        self.env["motivation.transfer"].with_context(
            sm_from_user=origin, sm_transfer_dates=dict.fromkeys(leads.ids, when)
        )._log(
            leads,
            "reassign",
            "note",
            to_user=user,
            actor=leads.team_id.user_id,
            note=reason,
        )
        self._set_dates(leads, sm_last_touch_date=when)
