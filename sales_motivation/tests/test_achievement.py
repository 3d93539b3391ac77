# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SalesMotivationCommon, implementation_detail


class AchievementCommon(SalesMotivationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Achievement = cls.env["motivation.achievement"]
        cls.plan = cls.env["motivation.commission.plan"].create(
            {"name": "Direct sales", "registrar_percent": 5.0, "closer_percent": 10.0}
        )
        cls.stage_won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.stage_new = cls.env["crm.stage"].search(
            [("is_won", "=", False)], order="sequence", limit=1
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Acme", "is_company": True, "user_id": cls.user_sam.id}
        )
        cls.client_contact = cls.env["res.partner"].create(
            {"name": "Ann of Acme", "parent_id": cls.client.id}
        )
        cls.result_reached = cls.env["motivation.interaction.result"].create(
            {"name": "Taken to work", "reached": True, "needs_detail": False}
        )
        cls.result_no_answer = cls.env["motivation.interaction.result"].create(
            {"name": "No answer", "reached": False, "needs_detail": False}
        )

    def _deal(self, closer, registrar=None, revenue=1000.0, **vals):
        return self._create_lead(
            closer,
            self.team_east,
            registrar=registrar,
            expected_revenue=revenue,
            stage_id=self.stage_new.id,
            **vals,
        )

    def _created_on(self, records, when):
        """The ORM dates a record's creation by the transaction's start,
        which freeze_time does not move."""
        records.flush_recordset()
        self.env.cr.execute(
            f"UPDATE {records._table} SET create_date = %s WHERE id IN %s",
            (when, tuple(records.ids)),
        )
        records.invalidate_recordset(["create_date"])

    def _rows(self, **filters):
        domain = [(key, "=", value) for key, value in filters.items()]
        return self.Achievement.search(domain, order="id")

    def _facts(self, rows):
        return [
            (row.user_id.name, row.metric, row.value, row.item_count) for row in rows
        ]

    def _totals(self, users, metrics, date_from=None, date_to=None):
        today = self.env.company._sm_local_date()
        return self.Achievement._totals(
            users,
            metrics,
            date_from or today - timedelta(days=40),
            date_to or today + timedelta(days=40),
            self.env.company,
        )


@tagged("post_install", "-at_install")
class TestAchievementLedger(AchievementCommon):
    def test_win_registrar_and_closer(self):
        """Sam registers a deal Sara wins: Sam's deals_registered, Sara's
        deals_won and new revenue (the commission base)."""
        lead = self._deal(self.user_sara, registrar=self.user_sam, revenue=2500.0)
        self.assertEqual(
            self._facts(self._rows(lead_id=lead.id)),
            [("Sam", "deals_registered", 1.0, 1)],
        )
        lead.action_set_won()
        self.assertEqual(lead.sm_client_segment, "new")
        self.assertEqual(
            sorted(self._facts(self._rows(lead_id=lead.id))),
            [
                ("Sam", "deals_registered", 1.0, 1),
                ("Sara", "deals_won", 1.0, 1),
                ("Sara", "revenue_new", 2500.0, 1),
            ],
        )
        totals = self._totals(
            self.user_sam | self.user_sara, ["deals_won", "deals_registered"]
        )
        self.assertEqual(totals[(self.user_sara, "deals_won")], 1.0)
        self.assertEqual(totals[(self.user_sam, "deals_won")], 0.0)
        self.assertEqual(totals[(self.user_sam, "deals_registered")], 1.0)

    def test_lost_after_win_is_a_negative_row_dated_that_day(self):
        """A deal won in November and lost in December: November keeps its
        win, December gets the reversal."""
        lead = self._deal(self.user_sam, revenue=800.0)
        with freeze_time("2026-11-20 10:00:00"):
            lead.action_set_won()
        with freeze_time("2026-12-03 10:00:00"):
            lead.action_set_lost()
        won = self._rows(lead_id=lead.id, metric="deals_won")
        self.assertEqual(won.mapped("value"), [1.0, -1.0])
        self.assertEqual(won.mapped("date"), [date(2026, 11, 20), date(2026, 12, 3)])
        revenue = self._rows(lead_id=lead.id, metric="revenue_new")
        self.assertEqual(revenue.mapped("value"), [800.0, -800.0])
        november = self._totals(
            self.user_sam, ["deals_won"], date(2026, 11, 1), date(2026, 11, 30)
        )
        december = self._totals(
            self.user_sam, ["deals_won"], date(2026, 12, 1), date(2026, 12, 31)
        )
        self.assertEqual(november[(self.user_sam, "deals_won")], 1.0)
        self.assertEqual(december[(self.user_sam, "deals_won")], -1.0)
        # won again: a new row, nothing edited
        with freeze_time("2026-12-10 10:00:00"):
            lead.action_unarchive()
            lead.action_set_won()
        self.assertEqual(
            self._rows(lead_id=lead.id, metric="deals_won").mapped("value"),
            [1.0, -1.0, 1.0],
        )

    def test_rerunning_the_sync_adds_nothing(self):
        lead = self._deal(self.user_sam)
        lead.action_set_won()
        count = self.Achievement.search_count([])
        self.Achievement._sm_sync_records(lead)
        lead.write({"stage_id": self.stage_won.id})
        self.assertEqual(self.Achievement.search_count([]), count)

    def test_revenue_change_after_win_is_a_correction(self):
        lead = self._deal(self.user_sam, revenue=1000.0)
        lead.action_set_won()
        lead.expected_revenue = 1200.0
        self.assertEqual(
            self._rows(lead_id=lead.id, metric="revenue_new").mapped("value"),
            [1000.0, 200.0],
        )

    def test_new_and_existing_clients(self):
        """A client is existing for a deal when it had a confirmed order (or
        a won deal) dated before the deal was created; an order after the
        deal's creation does not make it existing."""
        first = self._deal(self.user_sam, partner_id=self.client.id)
        self._created_on(first, "2026-03-01 09:00:00")
        with freeze_time("2026-03-05 09:00:00"):
            order = self.env["sale.order"].create(
                {"partner_id": self.client_contact.id, "user_id": self.user_sam.id}
            )
            order.action_confirm()
        with freeze_time("2026-03-06 09:00:00"):
            first.action_set_won()
            second = self._deal(
                self.user_sam, partner_id=self.client_contact.id, revenue=300.0
            )
            self._created_on(second, "2026-03-06 09:00:00")
        with freeze_time("2026-03-07 09:00:00"):
            second.action_set_won()
        self.assertEqual(first.sm_client_segment, "new")
        self.assertEqual(second.sm_client_segment, "existing")
        self.assertEqual(
            self._facts(self._rows(lead_id=second.id, metric="revenue_existing")),
            [("Sam", "revenue_existing", 300.0, 1)],
        )
        # fixed when won: reopening and winning again keeps it
        second.action_set_lost()
        second.action_unarchive()
        second.action_set_won()
        self.assertEqual(second.sm_client_segment, "existing")

    def test_won_deal_before_creation_makes_existing(self):
        earlier = self._deal(self.user_sam, partner_id=self.client.id)
        later = self._deal(self.user_sara, partner_id=self.client.id)
        self._created_on(earlier, "2026-04-01 08:00:00")
        self._created_on(later, "2026-04-02 08:00:00")
        with freeze_time("2026-04-03 09:00:00"):
            later.action_set_won()
        self.assertEqual(later.sm_client_segment, "new", "no earlier win yet")
        with freeze_time("2026-04-01 09:00:00"):
            earlier.action_set_won()
        later.action_set_lost()
        later.action_unarchive()
        self.assertEqual(later.sm_client_segment, "new", "fixed when won")
        # a third deal, created after the first win: an existing client
        third = self._deal(self.user_sara, partner_id=self.client.id)
        self._created_on(third, "2026-04-05 08:00:00")
        third.action_set_won()
        self.assertEqual(third.sm_client_segment, "existing")

    def _log(self, result, kind="call", lead=None, partner=None, user=None):
        return self.env["motivation.interaction"].create(
            {
                "lead_id": lead.id if lead else False,
                "contact_partner_id": partner.id if partner else False,
                "user_id": (user or self.user_sam).id,
                "kind": kind,
                "contact_name": "Ann",
                "contact_phone": "+1 555 0101",
                "result_id": result.id,
                "topic": "Offer",
            }
        )

    def test_calls_and_meetings_that_reached_the_client(self):
        call = self._log(self.result_reached, partner=self.client_contact)
        self._log(self.result_no_answer, partner=self.client_contact)
        self._log(self.result_reached, kind="meeting", partner=self.client)
        totals = self._totals(self.user_sam, ["calls", "meetings", "clients_served"])
        self.assertEqual(totals[(self.user_sam, "calls")], 1.0)
        self.assertEqual(totals[(self.user_sam, "meetings")], 1.0)
        # one client served, however many times it was reached
        self.assertEqual(totals[(self.user_sam, "clients_served")], 1)
        call.unlink()
        rows = self._rows(
            res_model="motivation.interaction", metric="calls", user_id=self.user_sam.id
        )
        self.assertEqual(rows.mapped("value"), [1.0, -1.0])
        totals = self._totals(self.user_sam, ["calls", "clients_served"])
        self.assertEqual(totals[(self.user_sam, "calls")], 0.0)
        self.assertEqual(totals[(self.user_sam, "clients_served")], 1)

    def test_order_confirmed_then_cancelled(self):
        order = self.env["sale.order"].create(
            {"partner_id": self.client_contact.id, "user_id": self.user_sara.id}
        )
        self.assertFalse(self._rows(res_model="sale.order", res_id=order.id))
        order.action_confirm()
        totals = self._totals(self.user_sara, ["clients_served"])
        self.assertEqual(totals[(self.user_sara, "clients_served")], 1)
        row = self._rows(res_model="sale.order", res_id=order.id)
        self.assertEqual(row.partner_id, self.client, "the commercial partner")
        order._action_cancel()
        totals = self._totals(self.user_sara, ["clients_served"])
        self.assertEqual(totals[(self.user_sara, "clients_served")], 0)

    def test_checkpoints_on_time_is_an_average(self):
        """One row per checkpoint that fell due: 100 when met by its
        deadline, 0 when overdue; achieved is their average."""
        with freeze_time("2026-05-01 09:00:00"):
            lead = self._deal(self.user_sam)
        checkpoints = lead.sm_checkpoint_ids.sorted("sequence")
        self.assertEqual(len(checkpoints), 3)
        first, second, third = checkpoints
        first.type_id.evidence = "none"
        second.type_id.evidence = "none"
        deadline = first.deadline
        self.assertTrue(deadline)
        with freeze_time(datetime.combine(deadline, datetime.min.time())):
            first.action_done()
        second.sudo().write({"deadline": date(2026, 5, 2)})
        with freeze_time("2026-05-10 09:00:00"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        self.assertEqual(second.state, "overdue")
        self.assertEqual(third.state, "pending")
        totals = self._totals(
            self.user_sam,
            ["checkpoints_on_time"],
            date(2026, 5, 1),
            date(2026, 6, 30),
        )
        self.assertEqual(totals[(self.user_sam, "checkpoints_on_time")], 50.0)
        rows = self._rows(metric="checkpoints_on_time", lead_id=lead.id)
        self.assertEqual(sorted(rows.mapped("value")), [0.0, 100.0])
        # done late after being overdue: still missed, no new row
        with freeze_time("2026-05-11 09:00:00"):
            second.action_done()
        self.assertEqual(
            len(self._rows(metric="checkpoints_on_time", lead_id=lead.id)), 2
        )

    def test_period_edges_in_the_company_time_zone(self):
        """A deal won at 22:30 UTC on 31 March is won on 1 April in Moscow:
        it counts in April's plan, not March's."""
        self.env.company.resource_calendar_id = self.env["resource.calendar"].create(
            {"name": "Moscow", "tz": "Europe/Moscow", "company_id": self.env.company.id}
        )
        lead = self._deal(self.user_sam)
        with freeze_time("2026-03-31 22:30:00"):
            lead.action_set_won()
        row = self._rows(lead_id=lead.id, metric="deals_won")
        self.assertEqual(row.date, date(2026, 4, 1))
        march = self._totals(
            self.user_sam, ["deals_won"], date(2026, 3, 1), date(2026, 3, 31)
        )
        april = self._totals(
            self.user_sam, ["deals_won"], date(2026, 4, 1), date(2026, 4, 30)
        )
        self.assertEqual(march[(self.user_sam, "deals_won")], 0.0)
        self.assertEqual(april[(self.user_sam, "deals_won")], 1.0)

    def test_deleting_a_deal_reverses_its_rows(self):
        lead = self._deal(self.user_sam)
        self._log(self.result_reached, lead=lead)
        lead.action_set_won()
        lead.action_set_lost()
        lead.unlink()
        totals = self._totals(self.user_sam, ["deals_registered", "calls"])
        self.assertEqual(totals[(self.user_sam, "deals_registered")], 0.0)
        self.assertEqual(totals[(self.user_sam, "calls")], 0.0)

    def test_rows_are_never_edited(self):
        lead = self._deal(self.user_sam)
        row = self._rows(lead_id=lead.id)
        with self.assertRaises(UserError):
            row.with_user(self.user_commission).write({"value": 5})
        with self.assertRaises(UserError):
            row.with_user(self.user_commission).unlink()

    def test_rebuild_shows_then_writes_the_difference(self):
        lead = self._deal(self.user_sam, revenue=500.0)
        lead.action_set_won()
        self._log(self.result_reached, partner=self.client)
        # rows lost behind the ORM's back (a restored backup, say)
        self.env.cr.execute(
            "DELETE FROM motivation_achievement WHERE metric IN "
            "('deals_won', 'calls') AND user_id = %s",
            [self.user_sam.id],
        )
        self.env.invalidate_all()
        wizard = (
            self.env["motivation.achievement.rebuild"]
            .with_user(self.user_commission)
            .create({})
        )
        wizard.action_compute()
        self.assertEqual(wizard.state, "computed")
        # (the database's own documents from before the install show too:
        # the install leaves the ledger of past documents to a rebuild)
        sams = wizard.line_ids.filtered(lambda line: line.user_id == self.user_sam)
        self.assertEqual(
            sorted((line.metric, line.value, line.item_count) for line in sams),
            [("calls", 1.0, 1), ("deals_won", 1.0, 1)],
        )
        self.assertFalse(
            self._rows(metric="deals_won", user_id=self.user_sam.id),
            "nothing written yet",
        )
        wizard.action_apply()
        self.assertEqual(wizard.state, "done")
        won = self._rows(metric="deals_won", user_id=self.user_sam.id)
        self.assertEqual(won.lead_id, lead)
        self.assertEqual(won.date, self.env.company._sm_local_date())
        again = (
            self.env["motivation.achievement.rebuild"]
            .with_user(self.user_commission)
            .create({})
        )
        again.action_compute()
        self.assertEqual(again.row_count, 0, "rebuilding twice changes nothing")

    def test_only_administrators_rebuild(self):
        with self.assertRaises(AccessError):
            self.env["motivation.achievement.rebuild"].with_user(self.user_sam).create(
                {}
            )
        with self.assertRaises(AccessError):
            self.Achievement.with_user(self.user_head)._sm_rebuild_differences()


@tagged("post_install", "-at_install")
class TestAchievementQueries(AchievementCommon):
    def _new_deals(self, count):
        return self._create_leads(
            count,
            self.user_sara,
            self.team_east,
            self.user_sam,
            partner_id=self.client.id,
            expected_revenue=1000.0,
            stage_id=self.stage_new.id,
        )

    def _queries_of_the_ledger(self, leads):
        """Queries action_set_won spends in the achievement hook (the win's
        own pending writes flushed first: they are Odoo's)."""
        Lead = type(self.env["crm.lead"])
        original = Lead._sm_achievement_on_write
        spent = []

        def counting(records, *args):
            records.env.flush_all()
            before = self.env.cr.sql_log_count
            result = original(records, *args)
            records.env.flush_all()
            spent.append(self.env.cr.sql_log_count - before)
            return result

        with patch.object(Lead, "_sm_achievement_on_write", counting):
            leads.action_set_won()
        return sum(spent)

    def _set_won(self, leads, hooks=True):
        """action_set_won on leads, flushed as a commit would (tracking
        included); hooks=False: the addon's hooks of crm.lead.write off,
        what plain Odoo spends."""
        Lead = type(self.env["crm.lead"])
        names = [
            name
            for name in dir(Lead)
            if name.startswith("_sm_")
            and (name.endswith("_before_write") or name.endswith("_on_write"))
        ]
        with contextlib.ExitStack() as stack:
            if not hooks:
                for name in names:
                    stack.enter_context(
                        patch.object(Lead, name, lambda *args, **kwargs: None)
                    )
            leads.action_set_won()
            self.env.cr.flush()

    def test_winning_in_batch_adds_constant_queries(self):
        """action_set_won on 10 or 100 deals: the ledger's hook spends the
        same queries, its new rows (two per deal: deals_won and its revenue)
        written in one INSERT whatever their number."""
        self._new_deals(3).action_set_won()  # warm the caches up
        at_10 = self._queries_of_the_ledger(self._new_deals(10))
        at_100 = self._queries_of_the_ledger(self._new_deals(100))
        self.assertEqual(at_100, at_10)
        self.assertLess(at_10, 25)
        self.assertEqual(
            len(self._rows(metric="deals_won", user_id=self.user_sara.id)), 113
        )

    @implementation_detail
    def test_set_won_added_queries_constant(self):
        """What the addon adds to action_set_won (its hooks of write: closer,
        client segment, ledger, commission lines, registration) costs the
        same queries for 2 and 10 deals (bench plan_win at 1,000 and 5,000)."""
        self._set_won(self._new_deals(3))  # warm the caches up
        self._set_won(self._new_deals(3), hooks=False)
        added = {}
        for count in (2, 10):
            leads, plain = self._new_deals(count), self._new_deals(count)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self._set_won(plain, hooks=False)
            odoo = self.env.cr.sql_log_count - before
            if count == 10:
                with self.assertQueryCount(odoo + added[2]):
                    self._set_won(leads)
            before = self.env.cr.sql_log_count
            if count == 2:
                self._set_won(leads)
                added[2] = self.env.cr.sql_log_count - before - odoo
        self.assertEqual(
            len(self._rows(metric="deals_won", user_id=self.user_sara.id)), 15
        )

    @implementation_detail
    def test_totals_index(self):
        """_totals reads a salesperson's period from one index, without the
        table (bench plan_figures: 17 ms through the user and date indexes
        on a million rows)."""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes"
            " WHERE indexname = 'motivation_achievement_totals_idx'"
        )
        self.assertIn(
            "(user_id, date) INCLUDE (metric, company_id, partner_id, value, "
            "item_count)",
            self.env.cr.fetchone()[0],
        )

    def _won_by_sql(self, count):
        leads = self._new_deals(count)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET stage_id = %s, probability = 100,"
            " date_closed = now() at time zone 'UTC', sm_closer_id = user_id,"
            " sm_client_segment = 'new' WHERE id IN %s",
            (self.stage_won.id, tuple(leads.ids)),
        )
        self.env.invalidate_all()
        return leads

    def test_sync_query_count(self):
        self.Achievement._sm_sync_records(self._won_by_sql(3))  # warm up
        leads = self._won_by_sql(10)
        before = self.env.cr.sql_log_count
        self.Achievement._sm_sync_records(leads)
        self.env.flush_all()
        at_10 = self.env.cr.sql_log_count - before
        self.assertLess(at_10, 20)
        leads = self._won_by_sql(100)
        with self.assertQueryCount(at_10):
            self.Achievement._sm_sync_records(leads)
            self.env.flush_all()
        self.assertEqual(
            len(self._rows(metric="deals_won", user_id=self.user_sara.id)), 113
        )
