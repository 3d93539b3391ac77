# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SalesMotivationCommon

START = datetime(2027, 3, 1, 9, 0)


@tagged("post_install", "-at_install")
class TestPoolRules(SalesMotivationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["motivation.pool.rule"]
        cls.Notice = cls.env["motivation.pool.notice"]
        cls.Transfer = cls.env["motivation.transfer"]
        cls.rule = cls.Rule.create(
            {
                "name": "Silent month",
                "team_ids": [(6, 0, cls.team_east.ids)],
                "trigger": "no_interaction",
                "days": 30,
                "warning_days": 5,
                "action": "release",
            }
        )

    def setUp(self):
        super().setUp()
        with freeze_time(START):
            self.lead = self._create_lead(self.user_sam, self.team_east, name="Quiet")

    def _run(self, when):
        with freeze_time(when):
            self.Rule._cron_apply_rules()

    def _notices(self, lead=None):
        return self.Notice.search([("lead_id", "=", (lead or self.lead).id)])

    def test_warning_then_release(self):
        """Silent for 25 days: warned; 30 days and the warning period over:
        released to the pool, with the reason in the log and the chatter."""
        self._run(START + timedelta(days=24))
        self.assertFalse(self._notices())
        self._run(START + timedelta(days=25, hours=1))
        notice = self._notices()
        self.assertEqual(notice.state, "pending")
        activity = notice.activity_id
        self.assertEqual(activity.user_id, self.user_sam)
        self.assertIn("Will be released on 03/31/2027", activity.summary)
        self.assertIn("Silent month", activity.summary)
        # nothing moves before the announced day
        self._run(START + timedelta(days=29, hours=23))
        self.assertEqual(self.lead.user_id, self.user_sam)
        self._run(START + timedelta(days=30, hours=2))
        self.assertTrue(self.lead.in_pool)
        self.assertFalse(self.lead.user_id)
        self.assertEqual(self.lead.registrar_id, self.user_sam)
        self.assertEqual(notice.state, "done")
        transfer = self.Transfer.search([("lead_id", "=", self.lead.id)])
        self.assertRecordValues(
            transfer,
            [
                {
                    "kind": "release",
                    "from_user_id": self.user_sam.id,
                    "to_pool": True,
                    "actor_id": False,
                    "rule_id": self.rule.id,
                }
            ],
        )
        self.assertIn("no interaction for 30 days", transfer.reason)
        self.assertIn("Silent month", self.lead.message_ids[0].body)

    def test_interaction_withdraws_the_warning(self):
        self._run(START + timedelta(days=26))
        notice = self._notices()
        activity = notice.activity_id
        with freeze_time(START + timedelta(days=27)):
            self.lead.with_user(self.user_sam).message_post(
                body="Called, they will order in May", message_type="comment"
            )
        self._run(START + timedelta(days=31))
        self.assertEqual(notice.state, "lapsed")
        self.assertFalse(activity.exists())
        self.assertEqual(self.lead.user_id, self.user_sam)

    def test_run_twice_or_interrupted_does_nothing_twice(self):
        when = START + timedelta(days=26)
        self._run(when)
        self._run(when)
        self.assertEqual(len(self._notices()), 1)
        self.assertEqual(
            len(self.lead.activity_ids.filtered(lambda a: "released" in a.summary)), 1
        )
        later = START + timedelta(days=32)
        self._run(later)
        self._run(later)
        self.assertEqual(len(self.Transfer.search([("lead_id", "=", self.lead.id)])), 1)

    def test_interrupted_halfway_leaves_nothing_half_done(self):
        """The cron dies after moving the deals but before closing the
        notices: its transaction is rolled back whole, and the next run moves
        each deal once."""
        self._run(START + timedelta(days=26))
        later = START + timedelta(days=32)
        Notice = type(self.env["motivation.pool.notice"])
        with (
            patch.object(Notice, "_done", side_effect=RuntimeError("killed")),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            self._run(later)
        self.env.invalidate_all()
        self.assertEqual(self.lead.user_id, self.user_sam)
        self.assertFalse(self.Transfer.search([("lead_id", "=", self.lead.id)]))
        self._run(later)
        self._run(later)
        self.assertEqual(len(self.Transfer.search([("lead_id", "=", self.lead.id)])), 1)
        self.assertEqual(self._notices().state, "done")

    def test_exclusions(self):
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        with freeze_time(START):
            won = self._create_lead(self.user_sam, self.team_east, name="Won")
            won.stage_id = won_stage
            lost = self._create_lead(self.user_sam, self.team_east, name="Lost")
            lost.action_set_lost()
            protected = self._create_lead(self.user_sam, self.team_east, name="Kept")
            protected.with_user(self.user_leader_east).sm_protected = True
            planned = self._create_lead(self.user_sam, self.team_east, name="Planned")
            planned.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=(START + timedelta(days=40)).date(),
                user_id=self.user_sam.id,
            )
            other_team = self._create_lead(self.user_will, self.team_west, name="West")
        self._run(START + timedelta(days=26))
        self._run(START + timedelta(days=40))
        for lead in (won, lost, protected, planned, other_team):
            with self.subTest(lead=lead.name):
                self.assertFalse(self._notices(lead))
                self.assertFalse(lead.in_pool)
        self.assertTrue(self.lead.in_pool)

    def test_only_team_leaders_protect(self):
        with self.assertRaises(AccessError):
            self.lead.with_user(self.user_sam).sm_protected = True

    def test_reassign_least_loaded(self):
        self.rule.write({"action": "reassign", "warning_days": 0})
        with freeze_time(START):
            # Sara already has two open deals, Lena (leader, member too) none
            self.team_east.member_ids |= self.user_leader_east
            self._create_lead(self.user_sara, self.team_east, name="Busy 1")
            self._create_lead(self.user_sara, self.team_east, name="Busy 2")
        self._run(START + timedelta(days=31))  # warned (0 days before)
        self._run(START + timedelta(days=31, hours=1))
        self.assertEqual(self.lead.user_id, self.user_leader_east)
        transfer = self.Transfer.search([("lead_id", "=", self.lead.id)])
        self.assertEqual(transfer.kind, "reassign")
        self.assertEqual(transfer.to_user_id, self.user_leader_east)

    def test_reassign_notifies_once_per_run_queries_do_not_grow(self):
        """Each run tells the new salesperson once, whatever the number of
        deals, and costs as many queries for 5 deals as for 20 (Odoo's
        tracking messages, posted at commit, aside)."""
        self.rule.action = "reassign"
        self.team_east.crm_team_member_ids.assignment_max = 0  # no limit
        Lead = self.env["crm.lead"]
        counts = []
        for size in (3, 5, 20):  # the first run warms the caches up
            with freeze_time(START):
                leads = Lead.concat(
                    *(
                        self._create_lead(
                            self.user_sam, self.team_east, name=f"Quiet {size}.{i}"
                        )
                        for i in range(size)
                    )
                )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time(START + timedelta(days=31)):
                self.rule._act(leads)
                self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(leads.user_id, self.user_sara)
        self.assertEqual(counts[1], counts[2], counts)
        notifications = self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.user_sara.partner_id.ids),
            ]
        )
        self.assertEqual(len(notifications), 3)
        self.assertIn(
            "Leads assigned to you (Silent month: no interaction for 30 days): 20",
            notifications[0].body,
        )
        self.assertFalse(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "crm.lead"),
                    ("message_type", "=", "user_notification"),
                    ("partner_ids", "in", self.user_sara.partner_id.ids),
                ]
            )
        )

    def test_alert_only(self):
        self.rule.write({"action": "alert", "warning_days": 0})
        self._run(START + timedelta(days=31))
        self._run(START + timedelta(days=31, hours=1))
        self.assertEqual(self.lead.user_id, self.user_sam)
        alert = self.lead.activity_ids.filtered(lambda a: "Intervene" in a.summary)
        self.assertEqual(alert.user_id, self.user_leader_east)
        self._run(START + timedelta(days=32))
        self.assertEqual(
            len(self.lead.activity_ids.filtered(lambda a: "Intervene" in a.summary)), 1
        )

    def test_stage_stuck_trigger(self):
        self.rule.write({"trigger": "stage_stuck", "days": 10, "warning_days": 0})
        self.env.cr.execute(
            "UPDATE crm_lead SET date_last_stage_update = %s WHERE id = %s",
            (START, self.lead.id),
        )
        self.lead.invalidate_recordset()
        self._run(START + timedelta(days=10, hours=1))
        self._run(START + timedelta(days=10, hours=2))
        self.assertTrue(self.lead.in_pool)

    def test_checkpoint_overdue_trigger(self):
        """A checkpoint overdue for 3 days: warned at once (no warning
        period), released; not warned again for the same deviation."""
        self.rule.write({"trigger": "checkpoint_overdue", "days": 3, "warning_days": 0})
        presentation = self.env.ref("sales_motivation.checkpoint_type_presentation")
        checkpoint = self.lead.sm_checkpoint_ids.filtered(
            lambda c: c.type_id == presentation
        )
        checkpoint.sudo().write({"deadline": START.date(), "state": "overdue"})
        self._run(START + timedelta(days=2))
        self.assertFalse(self._notices())
        self._run(START + timedelta(days=3, hours=1))
        self._run(START + timedelta(days=3, hours=2))
        self.assertTrue(self.lead.in_pool)
        transfer = self.Transfer.search([("lead_id", "=", self.lead.id)])
        self.assertIn("checkpoint overdue for 3 days", transfer.reason)

    def test_invalid_configuration(self):
        for vals in (
            {"days": -1},
            {"warning_days": -2},
            {"days": 3, "warning_days": 5},
            {"domain": "[('no_such_field', '=', 1)]"},
            {"domain": "not a domain"},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.Rule.create(dict({"name": "Bad"}, **vals))

    def test_rights(self):
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.user_leader_east).create({"name": "Mine"})
        self.rule.with_user(self.user_sam).read(["name", "days"])


@tagged("post_install", "-at_install")
class TestClientRules(SalesMotivationCommon):
    """A repeat client late on its purchases is warned about, then moves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "sm_regularity_due_days": 3,
                "sm_regularity_late_days": 7,
                "sm_opportunities_follow_client": True,
                "sm_client_follows_opportunity": True,
            }
        )
        cls.rule = cls.env["motivation.pool.rule"].create(
            {
                "name": "Stopped ordering",
                "team_ids": [(6, 0, cls.team_east.ids)],
                "applies_to": "customer",
                "trigger": "client_late",
                "days": 10,
                "warning_days": 3,
                "action": "release",
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Box of pens", "list_price": 50.0, "taxes_id": False}
        )
        cls.Transfer = cls.env["motivation.transfer"]

    def setUp(self):
        super().setUp()
        self.client = self.env["res.partner"].create(
            {
                "name": "Stationery Shop",
                "is_company": True,
                "user_id": self.user_sam.id,
                "sm_purchase_interval": 30,
            }
        )
        self._order("2027-01-01 10:00:00")

    def _order(self, when):
        with freeze_time(when):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.client.id,
                    "order_line": [(0, 0, {"product_id": self.product.id})],
                }
            )
            order.action_confirm()

    def _day(self, when):
        with freeze_time(when):
            self.env["res.partner"]._cron_sm_regularity()
            self.env["motivation.pool.rule"]._cron_apply_rules()

    def _notice(self):
        return self.env["motivation.pool.notice"].search(
            [("partner_id", "=", self.client.id)]
        )

    def test_late_client_warned_then_released_with_its_deals(self):
        deal = self._create_lead(
            self.user_sam, self.team_east, partner_id=self.client.id, name="Q2 order"
        )
        self._day("2027-02-08")
        self.assertEqual(self.client.sm_regularity_state, "late")
        self.assertFalse(self._notice())
        self._day("2027-02-15")
        notice = self._notice()
        self.assertEqual(notice.state, "pending")
        self.assertEqual(notice.activity_id.user_id, self.user_sam)
        self.assertEqual(notice.activity_id.res_model, "res.partner")
        self.assertIn("Will be released on 02/18/2027", notice.activity_id.summary)
        self._day("2027-02-17")
        self.assertEqual(self.client.user_id, self.user_sam)
        self._day("2027-02-18")
        self.assertFalse(self.client.user_id)
        self.assertEqual(notice.state, "done")
        self.assertTrue(deal.in_pool)
        self.assertFalse(deal.user_id)
        self.assertEqual(deal.registrar_id, self.user_sam, "the registrar stays")
        client_log = self.Transfer.search([("partner_id", "=", self.client.id)])
        self.assertRecordValues(
            client_log.filtered(lambda t: not t.lead_id),
            [
                {
                    "kind": "release",
                    "from_user_id": self.user_sam.id,
                    "to_pool": True,
                    "rule_id": self.rule.id,
                    "team_id": self.team_east.id,
                }
            ],
        )
        self.assertIn("late on purchases for 10 days", client_log[0].reason)
        self.assertEqual(client_log.filtered("lead_id").lead_id, deal)
        # run again: nothing new
        self._day("2027-02-19")
        self.assertEqual(
            self.Transfer.search_count([("partner_id", "=", self.client.id)]), 2
        )

    def test_released_client_without_deal_is_claimable_from_the_pool(self):
        for day in ("2027-02-08", "2027-02-15", "2027-02-18"):
            self._day(day)
        repeat = self.env["crm.lead"].search([("partner_id", "=", self.client.id)])
        self.assertEqual(len(repeat), 1)
        self.assertTrue(repeat.in_pool)
        self.assertEqual(repeat.team_id, self.team_east)
        self.assertIn("Repeat order", repeat.name)
        # a colleague claims it and becomes the client's salesperson
        repeat.with_user(self.user_sara).action_claim()
        self.assertEqual(repeat.user_id, self.user_sara)
        self.assertEqual(self.client.user_id, self.user_sara)

    def test_an_order_withdraws_the_warning(self):
        self._day("2027-02-08")
        self._day("2027-02-15")
        activity = self._notice().activity_id
        self._order("2027-02-16 09:00:00")
        self.assertEqual(self.client.sm_regularity_state, "regular")
        self._day("2027-02-18")
        self.assertEqual(self._notice().state, "lapsed")
        self.assertFalse(activity.exists())
        self.assertEqual(self.client.user_id, self.user_sam)

    def test_reassign_within_the_team_and_alert(self):
        self.rule.action = "reassign"
        deal = self._create_lead(
            self.user_sam, self.team_east, partner_id=self.client.id
        )
        for day in ("2027-02-08", "2027-02-15", "2027-02-18"):
            self._day(day)
        self.assertEqual(self.client.user_id, self.user_sara)
        self.assertEqual(deal.user_id, self.user_sara, "the deal follows")
        moved = self.Transfer.search(
            [("partner_id", "=", self.client.id), ("lead_id", "=", False)]
        )
        self.assertEqual(moved.to_user_id, self.user_sara)

        alert_rule = self.rule.copy({"action": "alert", "name": "Tell the leader"})
        self.rule.active = False
        other = self.env["res.partner"].create(
            {
                "name": "Print Shop",
                "user_id": self.user_sam.id,
                "sm_purchase_interval": 30,
            }
        )
        self.client = other
        self._order("2027-03-01 10:00:00")
        for day in ("2027-04-08", "2027-04-15", "2027-04-18"):
            self._day(day)
        self.assertEqual(other.user_id, self.user_sam, "alert only: nothing moves")
        alerts = other.activity_ids.filtered(
            lambda a: "Tell the leader" in (a.summary or "")
        )
        self.assertEqual(alerts.user_id, self.user_leader_east)
        self.assertTrue(alert_rule.notice_ids)

    def test_invalid_customer_rules(self):
        with self.assertRaises(ValidationError):
            self.rule.trigger = "no_interaction"
        with self.assertRaises(ValidationError):
            self.rule.copy({"applies_to": "opportunity"})
        with self.assertRaises(ValidationError):
            self.rule.domain = "[('expected_revenue', '>', 5)]"
        self.rule.domain = "[('sm_purchase_interval', '>', 5)]"
