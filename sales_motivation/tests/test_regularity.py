# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SalesMotivationCommon


@tagged("post_install", "-at_install")
class TestRegularity(SalesMotivationCommon):
    """A distribution client who stops ordering gets its salesperson a reminder
    on the right day, then its team leader an alert."""

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
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Paper Shop",
                "is_company": True,
                "user_id": cls.user_sam.id,
                "sm_purchase_interval": 30,
            }
        )
        cls.reminder = cls.env.ref("sales_motivation.mail_activity_type_order_reminder")
        cls.late = cls.env.ref("sales_motivation.mail_activity_type_client_late")

    def _order(self, when, partner=None, qty=1):
        with freeze_time(when):
            order = self.env["sale.order"].create(
                {
                    "partner_id": (partner or self.client).id,
                    "order_line": [
                        (0, 0, {"product_id": self.product.id, "product_uom_qty": qty})
                    ],
                }
            )
            order.action_confirm()
        return order

    def _cron(self, when):
        # as the cron worker starts: nothing in the ORM cache (not even the
        # company and its currency)
        self.env.invalidate_all()
        with freeze_time(when):
            self.env["res.partner"]._cron_sm_regularity()

    def _activities(self, activity_type, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.client).id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def test_interval_client_due_late_and_back(self):
        self._order("2026-01-10 10:00:00")
        self.assertEqual(self.client.sm_last_order_date, date(2026, 1, 10))
        self.assertEqual(self.client.sm_next_order_date, date(2026, 2, 9))

        self._cron("2026-02-01")
        self.assertEqual(self.client.sm_regularity_state, "regular")
        self.assertFalse(self._activities(self.reminder))

        # due 3 days before the expected purchase: the salesperson is reminded
        self._cron("2026-02-06")
        self.assertEqual(self.client.sm_regularity_state, "due")
        self.assertEqual(self.client.sm_regularity_since, date(2026, 2, 6))
        reminder = self._activities(self.reminder)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.user_sam)
        self.assertIn("02/09/2026", reminder.summary)
        self._cron("2026-02-07")
        self.assertEqual(len(self._activities(self.reminder)), 1, "reminded once")

        # late 7 days after it: the team leader is alerted, once
        self._cron("2026-02-16")
        self.assertEqual(self.client.sm_regularity_state, "due")
        self._cron("2026-02-17")
        self.assertEqual(self.client.sm_regularity_state, "late")
        alert = self._activities(self.late)
        self.assertEqual(alert.user_id, self.user_leader_east)
        self.assertIn("Sam", alert.summary)
        self._cron("2026-02-18")
        self.assertEqual(len(self._activities(self.late)), 1)
        self.assertEqual(len(self._activities(self.reminder)), 1)

        # the client orders again: regular at once, a new cycle reminds again
        self._order("2026-02-20 09:00:00")
        self.assertEqual(self.client.sm_regularity_state, "regular")
        self.assertEqual(self.client.sm_next_order_date, date(2026, 3, 22))
        self._cron("2026-03-19")
        self.assertEqual(self.client.sm_regularity_state, "due")
        self.assertEqual(len(self._activities(self.reminder)), 2)

        # months without orders: dormant
        self._cron("2026-08-19")
        self.assertEqual(self.client.sm_regularity_state, "dormant")

    def test_late_without_cron_in_between_reminds_and_alerts(self):
        """A client that went from regular to late between two runs still
        gets its salesperson reminded and its leader alerted."""
        self._order("2026-01-10 10:00:00")
        self._cron("2026-02-20")
        self.assertEqual(self.client.sm_regularity_state, "late")
        self.assertEqual(len(self._activities(self.reminder)), 1)
        self.assertEqual(len(self._activities(self.late)), 1)

    def test_monthly_volume_target(self):
        client = self.env["res.partner"].create(
            {
                "name": "Kiosk",
                "is_company": True,
                "user_id": self.user_sara.id,
                "sm_monthly_target": 1000.0,
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "Kiosk buyer", "parent_id": client.id}
        )
        # a contact's orders are the client's
        self._order("2026-03-02 10:00:00", partner=contact, qty=6)
        self._cron("2026-03-10")
        self.assertEqual(client.sm_monthly_volume, 200.0)
        self.assertEqual(client.sm_regularity_state, "due")
        self.assertFalse(client.sm_next_order_date)
        self.assertEqual(len(self._activities(self.reminder, client)), 1)
        # 3,300 over the last three months: 1,100 a month, on target
        self._order("2026-04-01 10:00:00", partner=client, qty=12)
        self._order("2026-04-20 10:00:00", partner=client, qty=15)
        self._cron("2026-04-25")
        self.assertEqual(client.sm_monthly_volume, 1100.0)
        self.assertEqual(client.sm_regularity_state, "regular")
        # under target again and no order for a month: late
        self._cron("2026-06-10")
        self.assertEqual(client.sm_regularity_state, "late")
        self.assertEqual(len(self._activities(self.reminder, client)), 2)

    def test_cancelled_orders_do_not_count(self):
        order = self._order("2026-01-10 10:00:00")
        self._order("2026-01-05 10:00:00")
        self.assertEqual(self.client.sm_last_order_date, date(2026, 1, 10))
        order._action_cancel()
        self.assertEqual(self.client.sm_last_order_date, date(2026, 1, 5))

    def test_no_longer_a_repeat_client(self):
        self._order("2026-01-10 10:00:00")
        self._cron("2026-02-06")
        self.assertEqual(self.client.sm_regularity_state, "due")
        self.client.sm_purchase_interval = 0
        self.assertFalse(self.client.sm_regularity_state)
        self.assertNotIn(
            self.client,
            self.env["res.partner"].search([("sm_regularity_state", "!=", False)]),
        )

    def test_configuration_errors(self):
        with self.assertRaises(ValidationError):
            self.client.sm_purchase_interval = -5
        Partner = self.env["res.partner"].with_context(default_is_company=True)
        with Form(Partner.with_user(self.user_sam)) as form:
            form.name = "New shop"
            form.sm_purchase_interval = 14
        self.assertEqual(form.record.sm_purchase_interval, 14)
        self.assertFalse(form.record.sm_regularity_state, "no order yet")

    def test_refresh_queries_do_not_grow_with_clients(self):
        Partner = self.env["res.partner"]

        def queries(count):
            clients = Partner.create(
                [
                    {"name": f"Shop {count}-{i}", "sm_purchase_interval": 7}
                    for i in range(count)
                ]
            )
            for client in clients:
                self._order("2026-01-10 10:00:00", partner=client)
            Partner.invalidate_model()
            before = self.env.cr.sql_log_count
            with freeze_time("2026-01-20"):
                clients._sm_refresh_regularity()
            self.assertEqual(set(clients.mapped("sm_regularity_state")), {"due"})
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(3), queries(30))
