# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The crons work in batches that Odoo's cron runner commits one by one: a
worker killed in the middle of a batch loses that batch only (its transaction
is rolled back), and the next run goes on from what was committed, giving
exactly what one uninterrupted run gives. Two runs at once (two servers) split
the work: each batch locks what it works on, and the other run skips it."""

import importlib.util
import os
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import SalesMotivationCommon, implementation_detail
from .test_commission import CommissionCommon
from .test_distribution import DistributionCommon

# name: (cron xml id, model, method)
CRONS = {
    "settle": (
        "sales_motivation.ir_cron_settle_previous_month",
        "motivation.settlement",
        "_cron_settle_previous_month",
    ),
    "rules": (
        "sales_motivation.ir_cron_apply_pool_rules",
        "motivation.pool.rule",
        "_cron_apply_rules",
    ),
    "distribute": (
        "sales_motivation.ir_cron_distribute_leads",
        "crm.team",
        "_cron_distribute_leads",
    ),
    "regularity": (
        "sales_motivation.ir_cron_repeat_clients",
        "res.partner",
        "_cron_sm_regularity",
    ),
    "overdue": (
        "sales_motivation.ir_cron_checkpoints_overdue",
        "motivation.checkpoint",
        "_cron_mark_overdue",
    ),
    "responses": (
        "sales_motivation.ir_cron_escalate_responses",
        "motivation.response",
        "_cron_escalate",
    ),
}
ALL = 10**6  # a batch size that takes everything in one call


class Killed(Exception):
    """The cron worker dies before its batch is committed."""


class CronRunner:
    """Run a cron's method as Odoo's runner does: a progress record per call,
    called again while a call did something and something is left."""

    def _call(self, env, cron, batch_size):
        """One call; returns the (done, remaining) it reported."""
        xmlid, model, method = CRONS[cron]
        record = env.ref(xmlid)
        # a new transaction starts with an empty cache
        env.flush_all()
        env.invalidate_all()
        _cron, progress = record._add_progress()
        self.__dict__.setdefault("progress_ids", []).append(progress.id)
        getattr(
            env[model].with_context(ir_cron_progress_id=progress.id, cron_id=record.id),
            method,
        )(batch_size=batch_size)
        env.flush_all()
        return progress.done, progress.remaining

    def _run(self, env, cron, batch_size, commit=None):
        """Calls until the runner would stop; returns their progress."""
        calls = []
        while len(calls) < 20:
            calls.append(self._call(env, cron, batch_size))
            if commit:
                commit()
            done, remaining = calls[-1]
            if not (done and remaining):
                return calls
        self.fail(f"{cron}: still running after {calls}")


class CronBatchesCommon(CronRunner):
    """In one test transaction: a commit is a released savepoint, a worker
    killed in a batch a rolled-back one."""

    def call(self, cron, batch_size):
        return self._call(self.env, cron, batch_size)

    def run_cron(self, cron, batch_size):
        return self._run(self.env, cron, batch_size)

    def killed(self, cron, batch_size):
        """A call whose worker dies before the commit."""
        with self.assertRaises(Killed), self.env.cr.savepoint():
            self.call(cron, batch_size)
            raise Killed
        self.env.invalidate_all()

    def uninterrupted(self, steps, outcome):
        """What ``steps`` (one run each) give in one call each, rolled back
        afterwards: the reference for the runs in batches."""
        with self.assertRaises(Killed), self.env.cr.savepoint():
            for when, cron in steps:
                with freeze_time(when):
                    self.assertEqual(self.call(cron, ALL)[1], 0)
            result = outcome()
            raise Killed
        self.env.invalidate_all()
        return result


@tagged("post_install", "-at_install")
class TestSettlementBatches(CronBatchesCommon, CommissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agents = cls.env["res.partner"].create(
            [{"name": f"Agent {i}", "sm_is_agent": True} for i in range(4)]
        )
        cls.Settlement = cls.env["motivation.settlement"]

    def _approved(self, agents, per_agent, day=10):
        """``per_agent`` approved lines of each agent, dated in March 2027."""
        leads = self.env["crm.lead"].create(
            [{"name": f"Deal {i}"} for i in range(len(agents) * per_agent)]
        )
        leads = iter(leads)
        return self.Line.create(
            [
                {
                    "lead_id": next(leads).id,
                    "plan_id": self.plan.id,
                    "partner_id": agent.id,
                    "role": "registrar",
                    "company_id": self.env.company.id,
                    "currency_id": self.env.company.currency_id.id,
                    "date": date(2027, 3, day + i),
                    "amount": 100.0 * (i + 1),
                    "state": "approved",
                }
                for agent in agents
                for i in range(per_agent)
            ]
        )

    def _results(self):
        settlements = self.Settlement.search(
            [("partner_id", "in", self.agents.ids)], order="partner_id, id"
        )
        return [
            (s.partner_id.name, s.date_to, s.state, len(s.line_ids), s.amount_total)
            for s in settlements
        ]

    def setUp(self):
        super().setUp()
        with freeze_time("2027-04-01 02:00"):
            self.call("settle", ALL)  # what the database held before

    def test_killed_then_rerun_settles_each_line_once(self):
        lines = self._approved(self.agents, 3)
        with freeze_time("2027-04-01 02:00"):
            expected = self.uninterrupted(
                [("2027-04-01 02:00", "settle")], self._results
            )
            self.assertEqual(
                expected,
                [
                    (f"Agent {i}", date(2027, 3, 31), "draft", 3, 600.0)
                    for i in range(4)
                ],
            )
            self.killed("settle", 5)
            self.assertFalse(lines.settlement_id)
            self.assertFalse(self._results())
            # one batch committed, then the worker stops; the next run goes on
            self.assertEqual(self.call("settle", 5), (5, 7))
            self.assertEqual(len(self._results()), 2, "Agent 1 half settled")
            self.killed("settle", 5)
            self.assertEqual(self.run_cron("settle", 5), [(5, 2), (2, 0)])
            self.assertEqual(self._results(), expected)
            self.assertEqual(self.call("settle", 5), (0, 0))
        self.assertEqual(lines.settlement_id.line_ids, lines)

    def test_late_lines_join_the_draft(self):
        """Lines approved after a run join the draft the run made, whatever
        the batch they come in."""
        self._approved(self.agents[:2], 2)
        with freeze_time("2027-04-01 02:00"):
            self.assertEqual(self.run_cron("settle", 3), [(3, 1), (1, 0)])
            self._approved(self.agents[:2], 1, day=20)
            self.assertEqual(self.run_cron("settle", 1), [(1, 1), (1, 0)])
        self.assertEqual(
            self._results(),
            [
                ("Agent 0", date(2027, 3, 31), "draft", 3, 400.0),
                ("Agent 1", date(2027, 3, 31), "draft", 3, 400.0),
            ],
        )

    @implementation_detail
    def test_batch_queries_do_not_grow_with_the_lines(self):
        with freeze_time("2027-04-01 02:00"):
            self._approved(self.agents[:1], 1)
            self.call("settle", ALL)  # warm the caches up (sequence, models)
            for agent, count in ((self.agents[1], 2), (self.agents[2], 6)):
                self._approved(agent, count)
                self.env.flush_all()
                self.env.invalidate_all()
                # 22: two of them read the companies and their calendars'
                # time zones (each company settles its own local month)
                with self.assertQueryCount(22):
                    self.assertEqual(self.call("settle", ALL), (count, 0))
        self.assertEqual(len(self._results()), 3)

    def test_one_draft_per_beneficiary_and_period(self):
        """Even two transactions racing cannot make a second draft of the
        same beneficiary, period, company and currency; a confirmed or
        cancelled settlement does not count."""
        self._approved(self.agents[:1], 1)
        with freeze_time("2027-04-01 02:00"):
            self.call("settle", ALL)
        draft = self.Settlement.search([("partner_id", "=", self.agents[0].id)])
        values = {
            "partner_id": draft.partner_id.id,
            "company_id": draft.company_id.id,
            "currency_id": draft.currency_id.id,
            "date_from": draft.date_from,
            "date_to": draft.date_to,
        }
        # sql_db logs the refused INSERT (the log would fail the run)
        with (
            self.assertRaisesRegex(IntegrityError, "one_draft_per_period"),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Settlement.create(values)
        draft.action_confirm()
        self.env.flush_all()
        again = self.Settlement.create(values)
        again.action_cancel()
        self.env.flush_all()
        self.Settlement.create(values)
        self.assertEqual(self.Settlement.search_count([("id", ">=", draft.id)]), 3)

    def test_upgrade_merges_duplicate_drafts(self):
        """A database of 18.0.1.0.0 may hold two drafts of the same
        beneficiary and period (two runs at once): the upgrade merges them
        into the first, so that the constraint can be added."""
        self.env.cr.execute(
            "ALTER TABLE motivation_settlement"
            " DROP CONSTRAINT motivation_settlement_one_draft_per_period"
        )
        lines = self._approved(self.agents[:1], 3)
        values = {
            "partner_id": self.agents[0].id,
            "company_id": self.env.company.id,
            "currency_id": self.env.company.currency_id.id,
            "date_from": date(2027, 3, 1),
            "date_to": date(2027, 3, 31),
        }
        first, second = self.Settlement.create([values, values])
        lines[:1].settlement_id = first
        lines[1:].settlement_id = second
        self.env.flush_all()
        path = os.path.join(
            os.path.dirname(os.path.dirname(__file__)),
            "migrations",
            "18.0.1.1.0",
            "pre-settlement_one_draft.py",
        )
        spec = importlib.util.spec_from_file_location("pre_one_draft", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(lines.settlement_id, first)
        self.assertEqual((first.state, first.amount_total), ("draft", 600.0))
        self.assertEqual((second.state, second.amount_total), ("cancelled", 0.0))


@tagged("post_install", "-at_install")
class TestRegularityBatches(CronBatchesCommon, SalesMotivationCommon):
    DAY = "2026-02-20 05:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "sm_regularity_due_days": 3,
                "sm_regularity_late_days": 7,
                "sm_regularity_dormant_days": 180,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Pallet of paper", "list_price": 100.0, "taxes_id": False}
        )
        cls.reminder = cls.env.ref("sales_motivation.mail_activity_type_order_reminder")
        cls.late = cls.env.ref("sales_motivation.mail_activity_type_client_late")

    def _clients(self, last_orders):
        """Repeat clients of Sam ordering every 30 days, one per last order."""
        clients = self.env["res.partner"].create(
            [
                {
                    "name": f"Shop {i}",
                    "is_company": True,
                    "user_id": self.user_sam.id,
                    "sm_purchase_interval": 30,
                }
                for i in range(len(last_orders))
            ]
        )
        for client, when in zip(clients, last_orders, strict=True):
            with freeze_time(when):
                order = self.env["sale.order"].create(
                    {
                        "partner_id": client.id,
                        "order_line": [(0, 0, {"product_id": self.product.id})],
                    }
                )
                order.action_confirm()
        return clients

    def _results(self, clients):
        Activity = self.env["mail.activity"]

        def count(client, activity_type):
            return Activity.search_count(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", client.id),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )

        return [
            (
                client.name,
                client.sm_regularity_state,
                client.sm_regularity_checked,
                count(client, self.reminder),
                count(client, self.late),
            )
            for client in clients
        ]

    def setUp(self):
        super().setUp()
        with freeze_time(self.DAY):
            self.call("regularity", ALL)  # the database's other clients

    def test_killed_then_rerun_reminds_each_client_once(self):
        # due (next purchase 02-19, 02-21), late (02-09, 02-12), regular
        clients = self._clients(
            ["2026-01-20", "2026-01-22", "2026-01-10", "2026-01-13", "2026-02-10"]
        )
        with freeze_time(self.DAY):
            expected = self.uninterrupted(
                [(self.DAY, "regularity")], lambda: self._results(clients)
            )
            day = date(2026, 2, 20)
            self.assertEqual(
                expected,
                [
                    ("Shop 0", "due", day, 1, 0),
                    ("Shop 1", "due", day, 1, 0),
                    ("Shop 2", "late", day, 1, 1),
                    ("Shop 3", "late", day, 1, 1),
                    ("Shop 4", "regular", day, 0, 0),
                ],
            )
            self.killed("regularity", 2)
            self.assertFalse(any(clients.mapped("sm_regularity_checked")))
            self.assertEqual(self.call("regularity", 2), (2, 3))
            self.killed("regularity", 2)
            self.assertEqual(self.run_cron("regularity", 2), [(2, 1), (1, 0)])
            self.assertEqual(self._results(clients), expected)
            # the same day again: nothing left to do
            self.assertEqual(self.call("regularity", 2), (0, 0))
        # the next day goes over everybody again, and reminds nobody twice
        with freeze_time("2026-02-21 05:00"):
            self.assertEqual(self.call("regularity", ALL)[1], 0)
        self.assertEqual(
            [row[3:] for row in self._results(clients)],
            [(1, 0), (1, 0), (1, 1), (1, 1), (0, 0)],
        )

    @implementation_detail
    def test_batch_queries_do_not_grow_with_the_clients(self):
        with freeze_time(self.DAY):
            self._clients(["2026-01-10"])
            self.call("regularity", ALL)  # warm the caches up
        for count, day in ((2, "2026-02-23"), (6, "2026-02-24")):
            # the clients already in the database were checked that day
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET sm_regularity_checked = %s"
                    " WHERE sm_regularity_checked IS NOT NULL",
                    date.fromisoformat(day),
                )
            )
            clients = self._clients(["2026-01-10"] * count)
            with freeze_time(day):
                self.env.flush_all()
                self.env.invalidate_all()
                # (one of them reads every company's local today)
                with self.assertQueryCount(35):
                    self.assertEqual(self.call("regularity", ALL), (count, 0))
            # late: a reminder for the salesperson, an alert for the leader
            self.assertEqual(
                [row[3:] for row in self._results(clients)], [(1, 1)] * count
            )


@tagged("post_install", "-at_install")
class TestPoolRuleBatches(CronBatchesCommon, SalesMotivationCommon):
    START = datetime(2027, 3, 1, 9, 0)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["motivation.pool.rule"].create(
            {
                "name": "Silent month",
                "team_ids": [(6, 0, cls.team_east.ids)],
                "trigger": "no_interaction",
                "days": 30,
                "warning_days": 5,
                "action": "release",
            }
        )

    def _results(self, leads):
        Notice = self.env["motivation.pool.notice"]
        Transfer = self.env["motivation.transfer"]
        return [
            (
                lead.name,
                lead.user_id.name,
                lead.in_pool,
                sorted(Notice.search([("lead_id", "=", lead.id)]).mapped("state")),
                len(
                    lead.activity_ids.filtered(
                        lambda a: "Will be released" in (a.summary or "")
                    )
                ),
                Transfer.search_count([("lead_id", "=", lead.id)]),
                len(
                    lead.message_ids.filtered(
                        lambda m: "Released to the shared pool" in (m.body or "")
                    )
                ),
            )
            for lead in leads
        ]

    def test_killed_then_rerun_warns_and_moves_each_deal_once(self):
        with freeze_time(self.START):
            leads = self.env["crm.lead"].concat(
                *(
                    self._create_lead(self.user_sam, self.team_east, name=f"Quiet {i}")
                    for i in range(5)
                )
            )
        warn_day = self.START + timedelta(days=26)
        act_day = self.START + timedelta(days=31)
        expected = self.uninterrupted(
            [(warn_day, "rules"), (act_day, "rules")], lambda: self._results(leads)
        )
        self.assertEqual(
            expected,
            [(f"Quiet {i}", False, True, ["done"], 0, 1, 1) for i in range(5)],
        )
        with freeze_time(warn_day):
            self.killed("rules", 2)
            self.assertFalse(
                self.env["motivation.pool.notice"].search(
                    [("lead_id", "in", leads.ids)]
                )
            )
            self.assertEqual(self.call("rules", 2), (2, 3))
            self.killed("rules", 2)
            self.assertEqual(self.run_cron("rules", 2), [(2, 1), (1, 0)])
            self.assertEqual(self.call("rules", 2), (0, 0))
        self.assertEqual(
            [row[3:5] for row in self._results(leads)], [(["pending"], 1)] * 5
        )
        with freeze_time(act_day):
            self.killed("rules", 3)
            self.assertEqual(leads.user_id, self.user_sam)
            self.assertEqual(self.call("rules", 3), (3, 2))
            self.killed("rules", 3)
            self.assertEqual(self.run_cron("rules", 3), [(2, 0)])
        self.assertEqual(self._results(leads), expected)

    def test_withdrawals_count_in_the_batch(self):
        """Deals worked on since their warning: the withdrawals are batched
        too, and come first."""
        with freeze_time(self.START):
            leads = self.env["crm.lead"].concat(
                *(
                    self._create_lead(self.user_sam, self.team_east, name=f"Quiet {i}")
                    for i in range(3)
                )
            )
        with freeze_time(self.START + timedelta(days=26)):
            self.run_cron("rules", ALL)
        with freeze_time(self.START + timedelta(days=27)):
            for lead in leads[:2]:
                lead.with_user(self.user_sam).message_post(
                    body="Called", message_type="comment"
                )
        with freeze_time(self.START + timedelta(days=31)):
            # 2 warnings withdrawn, then 1 deal released
            self.assertEqual(self.run_cron("rules", 1), [(1, 2), (1, 1), (1, 0)])
        self.assertEqual(
            [row[1:4] for row in self._results(leads)],
            [
                ("Sam", False, ["lapsed"]),
                ("Sam", False, ["lapsed"]),
                (False, True, ["done"]),
            ],
        )


@tagged("post_install", "-at_install")
class TestDistributionBatches(CronBatchesCommon, DistributionCommon):
    def _results(self, leads):
        Transfer = self.env["motivation.transfer"]
        return [
            (
                lead.name,
                lead.user_id.name,
                Transfer.search_count([("lead_id", "=", lead.id)]),
            )
            for lead in leads
        ]

    def test_killed_then_rerun_assigns_as_one_run(self):
        """In batches, killed or not, each lead goes to whom one run over all
        of them gives it, once."""
        when = "2027-06-10 10:00"
        with freeze_time(when):
            leads = self._incoming(10)
            expected = self.uninterrupted(
                [(when, "distribute")], lambda: self._results(leads)
            )
            self.killed("distribute", 4)
            self.assertFalse(leads.user_id)
            self.assertEqual(self.call("distribute", 4), (4, 6))
            self.killed("distribute", 4)
            self.assertEqual(self.run_cron("distribute", 4), [(4, 2), (2, 0)])
        self.assertEqual(self._results(leads), expected)
        users = [row[1] for row in expected]
        self.assertEqual(
            {user: users.count(user) for user in users},
            {"Sam": 3, "Sara": 3, "Tom": 4},
        )

    def test_teams_without_anybody_to_take_leads_do_not_hold_the_others(self):
        closed = self.env["crm.team"].create(
            {"name": "Closed", "sm_fair_distribution": True}
        )
        with freeze_time("2027-06-10 09:00"):
            waiting = self.env["crm.lead"].create(
                [{"name": "Waits", "team_id": closed.id, "user_id": False}] * 3
            )
        with freeze_time("2027-06-10 10:00"):
            leads = self._incoming(3)
            self.assertEqual(self.run_cron("distribute", 2), [(2, 1), (1, 0)])
        self.assertTrue(all(leads.mapped("user_id")))
        self.assertFalse(waiting.user_id)

    def test_run_manually_goes_on_in_the_background(self):
        """Run Manually makes one call: when leads are left, the cron is
        triggered to run again soon."""
        cron = self.env.ref(CRONS["distribute"][0])
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        CrmTeam = type(self.env["crm.team"])
        with (
            freeze_time("2027-06-10 10:00"),
            patch.object(CrmTeam, "_sm_distribute_batch_size", 4),
        ):
            leads = self._incoming(6)
            cron.method_direct_trigger()
            self.assertEqual(len(leads.filtered("user_id")), 4)
            self.assertEqual(
                len(Trigger.search([("cron_id", "=", cron.id)]) - before), 1
            )
            cron.method_direct_trigger()  # the last 2: nothing more to trigger
            self.assertTrue(all(leads.mapped("user_id")))
            self.assertEqual(
                len(Trigger.search([("cron_id", "=", cron.id)]) - before), 1
            )


@tagged("post_install", "-at_install")
class TestCronsOnTwoServers(CronRunner, BaseCase):
    """Two runs of each cron at once, on two database connections as two
    servers would: the first one's batch is not committed yet when the second
    one's runs; the second must neither wait for it nor redo its work. Then
    both commit and the first goes on to the end. Everything is committed:
    each test removes what it made."""

    def setUp(self):
        super().setUp()
        self.db = db_connect(get_db_name())
        self.progress_ids = []

    def _race(self, cron, batch_size):
        """Returns the progress of the first server's first call, of the
        second server's call, and of the first server's next calls."""
        cr_a, cr_b = self.db.cursor(), self.db.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            first = self._call(env_a, cron, batch_size)
            # waiting for the first server would wait here forever
            cr_b.execute("SET LOCAL lock_timeout = '10s'")
            second = self._call(env_b, cron, batch_size)
            cr_a.commit()
            cr_b.commit()
            rest = self._run(env_a, cron, batch_size, commit=cr_a.commit)
        finally:
            cr_a.rollback()
            cr_b.rollback()
            cr_a.close()
            cr_b.close()
        return first, second, rest

    def _setup(self, build):
        """``build(env)`` in a committed transaction; returns what it made."""
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = build(env)
            env.flush_all()  # the commit flushes the environments still alive
            return result

    def _cleanup(self, clean):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            clean(env)
            # the progress records of the runs above
            env["ir.cron.progress"].browse(self.progress_ids).exists().unlink()
            env.flush_all()

    def _users(self, env, prefix, count, groups="sales_team.group_sale_salesman"):
        return env["res.users"].concat(
            *(
                new_test_user(env, f"{prefix}_{i}", groups=groups, name=f"{prefix} {i}")
                for i in range(count)
            )
        )

    def _setup_rule_race(self, prefix, team_vals, rule_vals, start):
        """A salesperson's team with a pool rule and 4 of their deals
        created at ``start``, committed: (user, team, rule, lead ids)."""

        def build(env):
            users = self._users(env, prefix, 1)
            team = env["crm.team"].create(
                {"member_ids": [(6, 0, users.ids)], **team_vals}
            )
            rule = env["motivation.pool.rule"].create(
                {"team_ids": [(6, 0, team.ids)], **rule_vals}
            )
            with freeze_time(start):
                leads = env["crm.lead"].create(
                    [
                        {
                            "name": f"{rule.name} {i}",
                            "type": "opportunity",
                            "team_id": team.id,
                            "user_id": users.id,
                        }
                        for i in range(4)
                    ]
                )
            return users.ids, team.ids, rule.ids, leads.ids

        return self._setup(build)

    def _cleanup_rule_race(self, user_ids, team_ids, rule_ids, lead_ids):
        def clean(env):
            env["motivation.transfer"].sudo().search(
                [("lead_id", "in", lead_ids)]
            ).unlink()
            env["crm.lead"].browse(lead_ids).unlink()
            env["motivation.pool.rule"].browse(rule_ids).unlink()
            env["crm.team"].browse(team_ids).unlink()
            env["res.users"].browse(user_ids).unlink()

        self._cleanup(clean)

    def test_distribution(self):
        def build(env):
            users = self._users(env, "sm_race_dist", 2)
            teams = env["crm.team"].create(
                [
                    {
                        "name": f"Race inbound {i}",
                        "sm_fair_distribution": True,
                        "crm_team_member_ids": [
                            (0, 0, {"user_id": user.id, "assignment_max": 30})
                        ],
                    }
                    for i, user in enumerate(users)
                ]
            )
            leads = env["crm.lead"].create(
                [
                    {"name": f"Race request {i}", "team_id": team.id, "user_id": False}
                    for team in teams
                    for i in range(3)
                ]
            )
            return users.ids, teams.ids, leads.ids

        def clean(env):
            env["motivation.transfer"].sudo().search(
                [("lead_id", "in", lead_ids)]
            ).unlink()
            env["crm.lead"].browse(lead_ids).unlink()
            env["crm.team"].browse(team_ids).unlink()
            env["res.users"].browse(user_ids).unlink()

        user_ids, team_ids, lead_ids = [], [], []
        try:
            with freeze_time("2027-06-10 10:00"):
                user_ids, team_ids, lead_ids = self._setup(build)
                first, second, rest = self._race("distribute", 3)
            # the first took the first team, the second the other one
            self.assertEqual(first, (3, 3))
            self.assertEqual(second, (3, 3))
            self.assertEqual(rest, [(0, 0)])
            with self.db.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                leads = env["crm.lead"].browse(lead_ids)
                self.assertEqual(
                    [lead.user_id.id for lead in leads],
                    [user_ids[0]] * 3 + [user_ids[1]] * 3,
                )
                self.assertEqual(
                    env["motivation.transfer"].search_count(
                        [("lead_id", "in", lead_ids)]
                    ),
                    6,
                )
        finally:
            if user_ids:
                self._cleanup(clean)

    def test_pool_rules(self):
        start = datetime(2027, 3, 1, 9, 0)

        def state(env):
            Notice = env["motivation.pool.notice"]
            return [
                (
                    sorted(Notice.search([("lead_id", "=", lead.id)]).mapped("state")),
                    len(lead.activity_ids),
                    env["motivation.transfer"].search_count(
                        [("lead_id", "=", lead.id)]
                    ),
                )
                for lead in env["crm.lead"].browse(lead_ids)
            ]

        user_ids, team_ids, rule_ids, lead_ids = [], [], [], []
        try:
            user_ids, team_ids, rule_ids, lead_ids = self._setup_rule_race(
                "sm_race_rule",
                {"name": "Race rules"},
                {"name": "Race silent month", "days": 30, "warning_days": 5},
                start,
            )
            with freeze_time(start + timedelta(days=26)):
                self.assertEqual(self._race("rules", 2), ((2, 2), (2, 2), [(0, 0)]))
            with self.db.cursor() as cr:
                self.assertEqual(
                    state(api.Environment(cr, SUPERUSER_ID, {})),
                    [(["pending"], 1, 0)] * 4,
                )
            with freeze_time(start + timedelta(days=31)):
                self.assertEqual(self._race("rules", 2), ((2, 2), (2, 2), [(0, 0)]))
            with self.db.cursor() as cr:
                self.assertEqual(
                    state(api.Environment(cr, SUPERUSER_ID, {})), [(["done"], 0, 1)] * 4
                )
        finally:
            if user_ids:
                self._cleanup_rule_race(user_ids, team_ids, rule_ids, lead_ids)

    def test_response_escalation(self):
        start = datetime(2027, 3, 1, 9, 0)

        def state(env):
            return [
                (
                    lead.sm_response_state,
                    bool(lead.sm_response_ids.warned_at),
                    bool(lead.sm_response_ids.escalated_at),
                    len(lead.activity_ids),
                )
                for lead in env["crm.lead"].browse(lead_ids)
            ]

        user_ids, team_ids, rule_ids, lead_ids = [], [], [], []
        try:
            user_ids, team_ids, rule_ids, lead_ids = self._setup_rule_race(
                "sm_race_resp",
                {"name": "Race responses", "sm_response_hours": 2},
                {
                    "name": "Race answer fast",
                    "trigger": "no_response",
                    "warning_minutes": 30,
                    "action": "alert",
                },
                start,
            )
            # deadlines passed: missed and warned, each once
            with freeze_time(start + timedelta(days=30)):
                self.assertEqual(self._race("responses", 2), ((2, 2), (2, 2), [(0, 0)]))
            with self.db.cursor() as cr:
                self.assertEqual(
                    state(api.Environment(cr, SUPERUSER_ID, {})),
                    [("missed", True, False, 1)] * 4,
                )
            # the warning's minutes over: the leader alerted, each once
            with freeze_time(start + timedelta(days=30, hours=1)):
                self.assertEqual(self._race("responses", 2), ((2, 2), (2, 2), [(0, 0)]))
            with self.db.cursor() as cr:
                self.assertEqual(
                    state(api.Environment(cr, SUPERUSER_ID, {})),
                    [("missed", True, True, 1)] * 4,
                )
        finally:
            if user_ids:
                self._cleanup_rule_race(user_ids, team_ids, rule_ids, lead_ids)

    def test_settlement(self):
        def build(env):
            agents = env["res.partner"].create(
                [{"name": f"Race agent {i}", "sm_is_agent": True} for i in range(4)]
            )
            plan = env["motivation.commission.plan"].create(
                {
                    "name": "Race plan",
                    "registrar_percent": 5.0,
                    "closer_percent": 10.0,
                    "date_from": date(2020, 1, 1),
                    "date_to": date(2020, 1, 31),
                }
            )
            leads = env["crm.lead"].create(
                [{"name": f"Race deal {i}"} for i in range(12)]
            )
            leads = iter(leads)
            lines = env["motivation.commission.line"].create(
                [
                    {
                        "lead_id": next(leads).id,
                        "plan_id": plan.id,
                        "partner_id": agent.id,
                        "role": "registrar",
                        "company_id": env.company.id,
                        "currency_id": env.company.currency_id.id,
                        "date": date(2020, 1, 15),
                        "amount": 100.0,
                        "state": "approved" if i == 0 else "draft",
                    }
                    for agent in agents
                    for i in range(3)
                ]
            )
            return agents.ids, plan.ids, lines.ids

        def clean(env):
            lines = env["motivation.commission.line"].browse(line_ids)
            settlements = lines.settlement_id
            settlements.write({"state": "draft"})
            settlements.unlink()
            leads = lines.lead_id
            lines.unlink()
            leads.unlink()
            env["motivation.commission.plan"].browse(plan_ids).unlink()
            env["res.partner"].browse(agent_ids).unlink()

        agent_ids, plan_ids, line_ids = [], [], []
        try:
            with freeze_time("2020-02-01 02:00"):
                agent_ids, plan_ids, line_ids = self._setup(build)
                # a first run made each agent's draft; 2 more lines each
                # approved since then
                self._setup(lambda env: self._run(env, "settle", 4))

                def approve(env):
                    lines = env["motivation.commission.line"].browse(line_ids)
                    lines.filtered(
                        lambda line: line.state == "draft"
                    ).state = "approved"

                self._setup(approve)
                # the first server takes the lines of the first two agents,
                # the second server those of the other two
                self.assertEqual(self._race("settle", 4), ((4, 4), (4, 4), [(0, 0)]))
            with self.db.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                settlements = env["motivation.settlement"].search(
                    [("partner_id", "in", agent_ids)]
                )
                self.assertEqual(len(settlements), 4)
                self.assertEqual(settlements.mapped("amount_total"), [300.0] * 4)
                self.assertEqual(len(settlements.line_ids), 12)
        finally:
            if agent_ids:
                self._cleanup(clean)

    def test_regularity(self):
        ResPartner = Registry(get_db_name())["res.partner"]
        scope = ResPartner._sm_regularity_scope

        def build(env):
            users = self._users(env, "sm_race_reg", 1)
            product = env["product.product"].create(
                {"name": "Race paper", "list_price": 10.0, "taxes_id": False}
            )
            clients = env["res.partner"].create(
                [
                    {
                        "name": f"Race shop {i}",
                        "is_company": True,
                        "user_id": users.id,
                        "sm_purchase_interval": 30,
                    }
                    for i in range(4)
                ]
            )
            with freeze_time("2026-01-20 10:00"):
                orders = env["sale.order"].create(
                    [
                        {
                            "partner_id": client.id,
                            "order_line": [(0, 0, {"product_id": product.id})],
                        }
                        for client in clients
                    ]
                )
                orders.action_confirm()
            return users.ids, product.ids, clients.ids, orders.ids

        def clean(env):
            orders = env["sale.order"].browse(order_ids)
            orders._action_cancel()
            orders.unlink()
            env["res.partner"].browse(client_ids).unlink()
            env["product.product"].browse(product_ids).unlink()
            env["res.users"].browse(user_ids).unlink()

        def only_ours(model):
            # the other repeat clients of the database stay as they are
            return SQL("%s AND p.id = ANY(%s)", scope(model), client_ids)

        user_ids, product_ids, client_ids, order_ids = [], [], [], []
        try:
            user_ids, product_ids, client_ids, order_ids = self._setup(build)
            with (
                freeze_time("2026-02-20 05:00"),
                patch.object(ResPartner, "_sm_regularity_scope", only_ours),
            ):
                self.assertEqual(
                    self._race("regularity", 2), ((2, 2), (2, 2), [(0, 0)])
                )
            with self.db.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                reminder = env.ref("sales_motivation.mail_activity_type_order_reminder")
                clients = env["res.partner"].browse(client_ids)
                self.assertEqual(set(clients.mapped("sm_regularity_state")), {"due"})
                self.assertEqual(
                    [
                        len(
                            c.activity_ids.filtered(
                                lambda a: a.activity_type_id == reminder
                            )
                        )
                        for c in clients
                    ],
                    [1] * 4,
                )
        finally:
            if user_ids:
                self._cleanup(clean)

    def test_overdue_checkpoints(self):
        def build(env):
            users = self._users(env, "sm_race_cp", 1)
            leader = self._users(
                env, "sm_race_cp_lead", 1, groups="sales_motivation.group_team_leader"
            )
            team = env["crm.team"].create(
                {
                    "name": "Race checkpoints",
                    "user_id": leader.id,
                    "member_ids": [(6, 0, users.ids)],
                }
            )
            with freeze_time("2020-02-01 09:00"):
                leads = env["crm.lead"].create(
                    [
                        {
                            "name": f"Race late {i}",
                            "type": "opportunity",
                            "team_id": team.id,
                            "user_id": users.id,
                        }
                        for i in range(4)
                    ]
                )
            return (users | leader).ids, team.ids, leads.ids

        def clean(env):
            env["crm.lead"].browse(lead_ids).unlink()
            env["crm.team"].browse(team_ids).unlink()
            env["res.users"].browse(user_ids).unlink()

        user_ids, team_ids, lead_ids = [], [], []
        try:
            user_ids, team_ids, lead_ids = self._setup(build)
            with freeze_time("2020-02-20"):
                first, second, rest = self._race("overdue", 2)
            self.assertEqual(first[0], 2)
            self.assertEqual(second[0], 2, "the second server alerted the others")
            self.assertEqual(rest[-1], (0, 0))
            with self.db.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                alerts = env["mail.activity"].search(
                    [
                        ("res_model", "=", "crm.lead"),
                        ("res_id", "in", lead_ids),
                        ("summary", "like", "Intervene"),
                    ]
                )
                self.assertEqual(sorted(alerts.mapped("res_id")), sorted(lead_ids))
        finally:
            if user_ids:
                self._cleanup(clean)
