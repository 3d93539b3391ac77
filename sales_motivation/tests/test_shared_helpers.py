# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.sales_motivation.hooks import post_init_hook
from odoo.addons.sales_motivation.models import sql

from .common import SalesMotivationCommon

POOL_NOTICE = "sales_motivation.mail_activity_type_pool_notice"


@tagged("post_install", "-at_install")
class TestScheduledActivities(SalesMotivationCommon):
    """The addon's activities are scheduled as Odoo's activity_schedule
    schedules automatic ones (mail.activity._sm_schedule)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_leader_east.tz = "Asia/Tokyo"  # UTC+9
        cls.user_sam.tz = "America/New_York"  # UTC-5 in March
        cls.lead = cls._create_lead(cls.user_sam, cls.team_east)

    def _schedule(self, **kwargs):
        return self.env["mail.activity"]._sm_schedule(
            [
                (self.lead, POOL_NOTICE, self.user_leader_east, "For the leader"),
                (self.lead, POOL_NOTICE, self.user_sam, "For the salesperson"),
            ],
            **kwargs,
        )

    def test_due_on_each_assignees_today(self):
        """At 20:00 UTC it is already tomorrow in Tokyo and still today in
        New York: each one's activity is due on their own today, automated."""
        for bulk in (False, True):
            with self.subTest(bulk=bulk), freeze_time(datetime(2027, 3, 1, 20, 0)):
                activities = self._schedule(bulk=bulk)
                self.assertEqual(
                    activities.mapped("summary"),
                    ["For the leader", "For the salesperson"],
                )
                self.assertEqual(
                    activities.mapped("date_deadline"),
                    [date(2027, 3, 2), date(2027, 3, 1)],
                )
                self.assertEqual(activities.mapped("state"), ["today", "today"])
                self.assertTrue(all(activities.mapped("automated")))
                self.assertEqual(activities.mapped("res_name"), [self.lead.name] * 2)
                activities.unlink()

    def test_nobody_has_a_time_zone(self):
        """A cron's user and the assignees without time zone (a fresh
        database): the activities are due on the UTC day, bulk or not."""
        (self.user_leader_east | self.user_sam | self.env.user).write({"tz": False})
        for bulk in (False, True):
            with self.subTest(bulk=bulk), freeze_time(datetime(2027, 3, 1, 20, 0)):
                activities = self.env["mail.activity"].with_context(tz=False)
                activities = activities._sm_schedule(
                    [(self.lead, POOL_NOTICE, self.user_sam, "No time zone")],
                    bulk=bulk,
                )
                self.assertEqual(activities.date_deadline, date(2027, 3, 1))
                activities.unlink()

    def test_given_deadline(self):
        activities = self._schedule(date_deadline=date(2027, 3, 5))
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2027, 3, 5)})

    def test_automation_skip(self):
        """Under mail_activity_automation_skip (data imports, Odoo's own
        automation switched off) nothing is scheduled."""
        for bulk in (False, True):
            with self.subTest(bulk=bulk):
                activities = (
                    self.env["mail.activity"]
                    .with_context(mail_activity_automation_skip=True)
                    ._sm_schedule(
                        [(self.lead, POOL_NOTICE, self.user_sam, "Skipped")],
                        bulk=bulk,
                    )
                )
                self.assertFalse(activities)
                self.assertNotIn("Skipped", self.lead.activity_ids.mapped("summary"))


@tagged("post_install", "-at_install")
class TestUniqueRules(SalesMotivationCommon):
    def test_one_checkpoint_per_type(self):
        lead = self._create_lead(self.user_sam, self.team_east)
        checkpoint = lead.sm_checkpoint_ids[:1]
        self.assertTrue(checkpoint, "the deal follows the default checkpoints")
        with (
            self.assertRaisesRegex(IntegrityError, "one_per_type"),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            checkpoint.copy()
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestInstallHook(SalesMotivationCommon):
    def test_checkpoints_of_the_deals_company(self):
        """Installing on existing deals gives each open opportunity the
        checkpoint types of its company (and those of every company), no
        other company's."""
        company_b = self.env["res.company"].create({"name": "SM Company B"})
        type_b = self.env["motivation.checkpoint.type"].create(
            {"name": "B only", "company_id": company_b.id}
        )
        team_b = self.env["crm.team"].create(
            {"name": "B team", "company_id": company_b.id}
        )
        lead_a = self._create_lead(self.user_sam, self.team_east)
        lead_b = self._create_lead(False, team_b, company_id=company_b.id)
        leads = lead_a | lead_b
        # as before the install: no checkpoint yet
        leads.sm_checkpoint_ids.unlink()
        post_init_hook(self.env)
        self.assertNotIn(type_b, lead_a.sm_checkpoint_ids.type_id)
        self.assertIn(type_b, lead_b.sm_checkpoint_ids.type_id)
        self.assertEqual(
            set(lead_b.sm_checkpoint_ids.type_id.company_id.ids), {company_b.id}
        )


@tagged("post_install", "-at_install")
class TestSetWiseRows(SalesMotivationCommon):
    """sql.insert_rows and sql.write_rows leave the database, the cache and
    the audit columns as the ORM's create and write would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leads = cls._create_lead(cls.user_sam, cls.team_east)
        cls.leads |= cls._create_lead(cls.user_sam, cls.team_east)

    def _row(self, lead, **vals):
        return {
            "user_id": self.user_sam.id,
            "metric": "deals_won",
            "date": date(2027, 3, 1),
            "value": 1.0,
            "lead_id": lead.id,
            "company_id": lead.company_id.id or self.env.company.id,
            "res_model": "crm.lead",
            "res_id": lead.id,
            **vals,
        }

    def _as_stored(self, records, names):
        values = records.read(names)
        records.invalidate_recordset()
        self.assertEqual(records.read(names), values, "the cache is the database")
        return values

    def test_insert_in_order_with_each_rows_defaults(self):
        Achievement = self.env["motivation.achievement"].with_user(self.user_sam)
        first, second = self.leads
        rows = Achievement.sudo()._sm_insert(
            [self._row(first, item_count=3), self._row(second, value=2.5)]
        )
        self.assertEqual(rows.mapped("lead_id"), first | second)
        values = self._as_stored(rows, ["item_count", "value", "create_uid"])
        # the default (1) where a row gives none, though the other gives one
        self.assertEqual([v["item_count"] for v in values], [3, 1])
        self.assertEqual([v["value"] for v in values], [1.0, 2.5])
        self.assertEqual(rows.create_uid, self.user_sam)
        self.assertEqual(rows.write_uid, self.user_sam)

    def test_insert_refuses_what_the_orm_must_compute(self):
        with self.assertRaises(ValueError):
            sql.insert_rows(self.env["crm.lead"], [{"name": "x"}])

    def test_insert_keeps_the_computed_values_given(self):
        # a response's next check given by every row is written as given
        # and not computed again afterwards (the ORM's create protects it)
        lead = self.leads[0]
        deadline = datetime(2027, 3, 1, 10, 0)
        given = datetime(2027, 3, 1, 9, 0)
        response = sql.insert_rows(
            self.env["motivation.response"],
            [
                {
                    "lead_id": lead.id,
                    "user_id": self.user_sam.id,
                    "assigned_at": datetime(2027, 3, 1, 8, 0),
                    "deadline": deadline,
                    "next_check": given,
                    "response_hours": False,
                }
            ],
        )
        self.env.flush_all()
        values = self._as_stored(response, ["next_check", "state", "current"])
        self.assertEqual(values[0]["next_check"], given)
        self.assertEqual((values[0]["state"], values[0]["current"]), ("pending", True))
        # a computed value some row leaves out is the ORM's to compute
        with self.assertRaises(ValueError):
            sql.insert_rows(
                self.env["motivation.response"],
                [{"lead_id": lead.id, "user_id": self.user_sam.id}],
            )

    def test_written_rows_read_back_as_written(self):
        self.leads.with_user(self.user_sam).write({"priority": "1"})  # dirty
        sql.write_rows(self.leads.sudo(), {"sm_client_segment": ["new", "existing"]})
        # the cache holds the values: no query to read them
        with self.assertQueryCount(0):
            segments = self.leads.mapped("sm_client_segment")
        self.assertEqual(segments, ["new", "existing"])
        values = self._as_stored(self.leads, ["sm_client_segment", "write_uid"])
        self.assertEqual([v["sm_client_segment"] for v in values], ["new", "existing"])
        self.assertEqual(self.leads.write_uid, self.env.user)
        self.assertEqual(self.leads.mapped("write_date"), [self.env.cr.now()] * 2)
        self.assertEqual(self.leads.mapped("priority"), ["1", "1"], "flushed first")
