# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .test_responses import ResponseCommon

# Monday 8 March 2027, 9:00 in Berlin (CET): 8:00 UTC; due at 11:00 Berlin
MONDAY_0900_BERLIN = datetime(2027, 3, 8, 8, 0)


@tagged("post_install", "-at_install")
class TestResponseReport(ResponseCommon):
    """Cherry-picking made visible: per salesperson and period, requests
    received, answered in time, the median first response in working hours,
    requests lost without any touch and their reasons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["motivation.response.report"]
        cls.reason = cls.env["crm.lost.reason"].create({"name": "Too expensive"})

    def _sams_month(self):
        """Sam gets four requests on Monday 9:00 (Berlin, two working hours
        to answer): answered after 1 working hour, after 4 (10:00 to 14:00
        Berlin with the lunch hour: 5 hours of clock), never (missed, then
        lost untouched), after half an hour."""
        leads = self.env["crm.lead"].concat(
            *(self._request(MONDAY_0900_BERLIN, name=f"Request {i}") for i in range(4))
        )
        self._log_call(leads[0], self.user_sam, MONDAY_0900_BERLIN + timedelta(hours=1))
        self._log_call(leads[1], self.user_sam, MONDAY_0900_BERLIN + timedelta(hours=5))
        self._log_call(
            leads[3], self.user_sam, MONDAY_0900_BERLIN + timedelta(minutes=30)
        )
        self._cron(MONDAY_0900_BERLIN + timedelta(hours=6))
        with freeze_time(MONDAY_0900_BERLIN + timedelta(hours=7)):
            leads[2].with_user(self.user_sam).action_set_lost(
                lost_reason_id=self.reason.id
            )
        self.env.flush_all()
        return leads

    def test_figures_per_salesperson(self):
        leads = self._sams_month()
        self.assertEqual(
            leads.sm_response_ids.mapped("response_hours"), [1.0, 4.0, 0.0, 0.5]
        )
        # as the pivot reads them: each measure with its field's aggregator
        [row] = self.Report.with_user(self.user_sam).read_group(
            [],
            ["request_count", "on_time_rate", "response_hours", "lost_untouched_count"],
            ["user_id"],
        )
        self.assertEqual(row["user_id"][0], self.user_sam.id)
        self.assertEqual(row["request_count"], 4)
        # on time: the first and the last; late: the second; missed: the third
        self.assertEqual(row["on_time_rate"], 50.0)
        # the median of 1, 4 and 0.5 working hours (the unanswered one has none)
        self.assertEqual(row["response_hours"], 1.0)
        self.assertEqual(row["lost_untouched_count"], 1)
        lost = self.Report.search(
            [("lead_id", "in", leads.ids), ("lost_untouched_count", "=", 1)]
        )
        self.assertEqual(lost.lead_id, leads[2])
        self.assertEqual(lost.lost_reason_id, self.reason)
        self.assertEqual(lost.state, "missed")
        # the month's figures in the interaction analysis
        month = self.env["motivation.interaction.report"].search(
            [("user_id", "=", self.user_sam.id), ("date", "=", "2027-03-01")]
        )
        self.assertRecordValues(
            month,
            [
                {
                    "request_count": 4,
                    "requests_on_time_rate": 50.0,
                    "response_hours_median": 1.0,
                    "lost_untouched_count": 1,
                }
            ],
        )

    def test_median_of_an_even_number_and_by_month(self):
        """Two answers in March (1 and 4 working hours): the median is their
        mean; April's request is its own period."""
        leads = self._sams_month()
        april = self._request(datetime(2027, 4, 5, 7, 0), name="April")
        self._log_call(april, self.user_sam, datetime(2027, 4, 5, 9, 0))
        (leads[3] | leads[2]).sm_response_ids.unlink()
        self.env.flush_all()
        groups = self.Report.read_group(
            [("user_id", "=", self.user_sam.id)],
            ["request_count", "response_hours"],
            ["date:month"],
            orderby="date:month",
        )
        # March: the median of 1 and 4 working hours; April: 2 (7:00 to
        # 9:00 UTC, 9:00 to 11:00 in Berlin's summer time)
        self.assertEqual(
            [(g["request_count"], g["response_hours"]) for g in groups],
            [(2, 2.5), (1, 2.0)],
        )

    def test_period_in_the_companys_time_zone(self):
        """31 March 23:30 UTC is 1 April in Tokyo, the company's time zone:
        the request belongs to April."""
        self.env.company.resource_calendar_id.tz = "Asia/Tokyo"
        self._request(datetime(2027, 3, 31, 23, 30))
        self.env.flush_all()
        row = self.Report.search([("user_id", "=", self.user_sam.id)])
        self.assertEqual(row.date, date(2027, 4, 1))
        month = self.env["motivation.interaction.report"].search(
            [("user_id", "=", self.user_sam.id), ("request_count", ">", 0)]
        )
        self.assertEqual(month.date, date(2027, 4, 1))

    def test_who_sees_which_figures(self):
        sam = self._request(MONDAY_0900_BERLIN)
        sara = self._request(MONDAY_0900_BERLIN, user=self.user_sara)
        will = self._request(MONDAY_0900_BERLIN, self.user_will, self.team_west)
        self.env.flush_all()
        for user, leads in (
            (self.user_sam, sam),
            (self.user_sara, sara),
            (self.user_leader_east, sam | sara),
            (self.user_leader_west, will),
            (self.user_head, sam | sara | will),
        ):
            with self.subTest(user=user.name):
                self.assertEqual(
                    self.Report.with_user(user)
                    .search([("lead_id", "in", (sam | sara | will).ids)])
                    .lead_id,
                    leads,
                )
        with self.assertRaises(AccessError):
            self.Report.with_user(self.user_operator).search([])
        # the interaction analysis follows the same rights
        Analysis = self.env["motivation.interaction.report"]
        self.assertEqual(
            Analysis.with_user(self.user_sam).search([]).user_id, self.user_sam
        )

    def test_missed_requests_filter(self):
        lead = self._request(MONDAY_0900_BERLIN)
        answered = self._request(MONDAY_0900_BERLIN, name="Answered")
        self._log_call(answered, self.user_sam, MONDAY_0900_BERLIN)
        self._cron(MONDAY_0900_BERLIN + timedelta(hours=3))
        view = self.env.ref(
            "sales_motivation.view_crm_case_opportunities_filter_response"
        )
        self.assertIn('name="missed_requests"', view.arch_db)
        domain = [("sm_response_state", "=", "missed")]
        found = self.env["crm.lead"].with_user(self.user_sam).search(domain)
        self.assertEqual(found, lead)


@tagged("post_install", "-at_install")
class TestLostNeedsTouch(ResponseCommon):
    """With the setting, a request is closed as lost only with a reason and
    after a touch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.sm_lost_needs_touch = True
        cls.reason = cls.env["crm.lost.reason"].create({"name": "No budget"})

    def _lost_wizard(self, lead, reason=None):
        wizard = Form(
            self.env["crm.lead.lost"]
            .with_user(self.user_sam)
            .with_context(active_ids=lead.ids, default_lead_ids=lead.ids)
        )
        if reason:
            wizard.lost_reason_id = reason
        return wizard.save()

    def test_untouched_request_cannot_be_lost(self):
        lead = self._request(MONDAY_0900_BERLIN, name="Untouched")
        wizard = self._lost_wizard(lead, self.reason)
        with self.assertRaisesRegex(UserError, "Untouched first: log a call"):
            wizard.action_lost_reason_apply()
        self.assertTrue(lead.active)
        # archiving from the list is the same as losing
        with self.assertRaisesRegex(UserError, "at least one touch"):
            lead.with_user(self.user_sam).action_archive()
        self.assertTrue(lead.active)

    def test_reason_needed(self):
        lead = self._request(MONDAY_0900_BERLIN, name="Touched")
        self._log_call(lead, self.user_sam, MONDAY_0900_BERLIN)
        wizard = self._lost_wizard(lead)
        with self.assertRaisesRegex(UserError, "give a lost reason for Touched"):
            wizard.action_lost_reason_apply()
        self.assertTrue(lead.active)
        self._lost_wizard(lead, self.reason).action_lost_reason_apply()
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id, self.reason)

    def test_every_touch_counts(self):
        """An e-mail from the chatter, a quotation sent, a call: each is a
        touch; an internal note is not."""
        mailed, quoted, noted = (
            self._request(MONDAY_0900_BERLIN, name=name)
            for name in ("Mailed", "Quoted", "Noted")
        )
        mailed.with_user(self.user_sam).message_post(
            body="Our offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.client.ids,
        )
        noted.with_user(self.user_sam).message_post(
            body="Call them", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        order = (
            self.env["sale.order"]
            .with_user(self.user_sam)
            .create({"partner_id": self.client.id, "opportunity_id": quoted.id})
        )
        order.action_quotation_sent()
        leads = mailed | quoted | noted
        self.assertEqual(leads._sm_touched(), mailed | quoted)
        (mailed | quoted).with_user(self.user_sam).action_set_lost(
            lost_reason_id=self.reason.id
        )
        self.assertFalse((mailed | quoted).filtered("active"))
        with self.assertRaises(UserError):
            noted.with_user(self.user_sam).action_set_lost(
                lost_reason_id=self.reason.id
            )

    def test_setting_off_and_the_system(self):
        lead = self._request(MONDAY_0900_BERLIN)
        lead.with_user(self.user_sam).with_company(
            self.env.company
        ).sudo().action_set_lost()
        self.assertFalse(lead.active, "the system is not refused")
        self.env.company.sm_lost_needs_touch = False
        other = self._request(MONDAY_0900_BERLIN)
        other.with_user(self.user_sam).action_set_lost()
        self.assertFalse(other.active)

    def test_error_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_motivation"], ["ru_RU"], overwrite=True
        )
        self.user_sam.lang = "ru_RU"
        lead = self._request(MONDAY_0900_BERLIN)
        with self.assertRaisesRegex(UserError, "касани"):
            # as the web client calls it: in the user's language
            lead.with_user(self.user_sam).with_context(lang="ru_RU").action_set_lost(
                lost_reason_id=self.reason.id
            )


@tagged("post_install", "-at_install")
class TestClientsWorked(ResponseCommon):
    """Existing clients worked: the share of the salesperson's clients they
    reached or that ordered from them, and the repeat-client reminders
    followed by a touch; the same figure as the plans' Clients Served."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.reached, cls.ordering, cls.forgotten = (
            Partner.create(
                {"name": name, "is_company": True, "user_id": cls.user_sam.id}
            )
            for name in ("Reached Ltd", "Ordering Ltd", "Forgotten Ltd")
        )
        cls.saras = Partner.create(
            {"name": "Sara's Ltd", "is_company": True, "user_id": cls.user_sara.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Paper", "list_price": 10.0, "taxes_id": False}
        )
        cls.reminder = cls.env.ref("sales_motivation.mail_activity_type_order_reminder")

    def _reach(self, partner, when):
        with freeze_time(when):
            return self.env["motivation.interaction"].create(
                {
                    "user_id": self.user_sam.id,
                    "partner_id": partner.id,
                    "contact_name": "Buyer",
                    "contact_phone": "+49 30 1234567",
                    "result_id": self.result_reached.id,
                    "topic": "Next order",
                    "date": when,
                }
            )

    def test_share_of_assigned_clients_worked(self):
        self._reach(self.reached, datetime(2027, 3, 3, 9, 0))
        # Sam reaches Sara's client too: served, but not one of his
        self._reach(self.saras, datetime(2027, 3, 4, 9, 0))
        with freeze_time("2027-03-10 09:00"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.ordering.id,
                    "user_id": self.user_sam.id,
                    "order_line": [(0, 0, {"product_id": self.product.id})],
                }
            )
            order.action_confirm()
        # a reminder on the forgotten client, not followed by a touch yet
        with freeze_time("2027-03-15 09:00"):
            self.env["mail.activity"]._sm_schedule(
                [
                    (
                        self.forgotten,
                        "sales_motivation.mail_activity_type_order_reminder",
                        self.user_sam,
                        "Remind",
                    )
                ]
            )
        # the reminder was given on 15 March (the database's clock, which
        # freeze_time does not move, dates the creation)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_activity SET create_date = '2027-03-15 09:00'"
            " WHERE res_model = 'res.partner' AND res_id = %s",
            [self.forgotten.id],
        )
        Achievement = self.env["motivation.achievement"]
        company = self.env.company
        figures = Achievement._sm_clients_worked(
            self.user_sam, date(2027, 3, 1), date(2027, 3, 31), company
        )[self.user_sam]
        self.assertEqual(
            figures,
            {"served": 3, "assigned": 3, "assigned_served": 2, "share": 200 / 3},
        )
        totals = Achievement._totals(
            self.user_sam,
            ["clients_served"],
            date(2027, 3, 1),
            date(2027, 3, 31),
            company,
        )
        self.assertEqual(totals[(self.user_sam, "clients_served")], figures["served"])
        Analysis = self.env["motivation.interaction.report"].with_user(self.user_sam)
        month = Analysis.search([("date", "=", "2027-03-01")])
        self.assertRecordValues(
            month,
            [
                {
                    "clients_served_count": 3,
                    "assigned_client_count": 3,
                    "assigned_served_count": 2,
                    "reminder_count": 1,
                    "reminder_worked_count": 0,
                }
            ],
        )
        self.assertAlmostEqual(month.assigned_served_rate, 200 / 3, places=2)
        # the reminder followed by a call: worked, and every client is
        self._reach(self.forgotten, datetime(2027, 3, 16, 9, 0))
        self.env.flush_all()
        self.env.invalidate_all()  # the view's rows read again
        month = Analysis.search([("date", "=", "2027-03-01")])
        self.assertEqual(month.reminder_worked_count, 1)
        self.assertEqual(month.assigned_served_rate, 100.0)
        self.assertEqual(
            Achievement._sm_clients_worked(
                self.user_sam, date(2027, 3, 1), date(2027, 3, 31), company
            )[self.user_sam]["share"],
            100.0,
        )
        # Sara sees none of Sam's figures
        self.assertFalse(
            self.env["motivation.interaction.report"]
            .with_user(self.user_sara)
            .search([("user_id", "=", self.user_sam.id)])
        )


@tagged("post_install", "-at_install")
class TestResponseReportTour(HttpCase, ResponseCommon):
    """The pipeline's Missed Requests filter and the Response Analysis in
    Chromium, as the salesperson (static/tests/tours/response_report_tour.js)."""

    def test_missed_requests_and_the_analysis(self):
        self._request(MONDAY_0900_BERLIN, name="Missed request")
        answered = self._request(MONDAY_0900_BERLIN, name="Answered request")
        self._log_call(answered, self.user_sam, MONDAY_0900_BERLIN)
        self._cron(MONDAY_0900_BERLIN + timedelta(hours=3))
        self.start_tour(
            "/odoo",
            "sales_motivation_response_report",
            login=self.user_sam.login,
        )
