# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import SalesMotivationCommon

MOSCOW = "Europe/Moscow"  # UTC+3
NEW_YORK = "America/New_York"  # UTC-5 in winter, UTC-4 in summer


@tagged("post_install", "-at_install")
class TestLocalDates(SalesMotivationCommon):
    """Periods, deadlines and thresholds are counted in the company's local
    days (its working-time calendar's time zone), not in UTC: what a
    salesperson in Moscow or New York sees on the wall clock decides."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.presentation = cls.env.ref("sales_motivation.checkpoint_type_presentation")
        cls.proposal = cls.env.ref("sales_motivation.checkpoint_type_proposal")
        cls.contract = cls.env.ref("sales_motivation.checkpoint_type_contract")
        (
            cls.env["motivation.checkpoint.type"].search([])
            - cls.presentation
            - cls.proposal
            - cls.contract
        ).active = False

    def _set_tz(self, tz, company=None):
        company = company or self.company
        company.resource_calendar_id = self.env["resource.calendar"].create(
            {"name": f"Hours {tz}", "tz": tz, "company_id": company.id}
        )

    def test_time_zone_change_applies_at_once(self):
        """22:30 UTC on 31 May is 1 June in Moscow, still 31 May in New York:
        changing the calendar's time zone, or the company's calendar, moves
        the day money and deadlines are counted in at once."""
        moment = datetime(2027, 5, 31, 22, 30)
        self._set_tz(MOSCOW)
        self.assertEqual(self.company._sm_local_date(moment), date(2027, 6, 1))
        self.company.resource_calendar_id.tz = NEW_YORK
        self.assertEqual(self.company._sm_local_date(moment), date(2027, 5, 31))
        self._set_tz(MOSCOW)
        self.assertEqual(self.company._sm_local_date(moment), date(2027, 6, 1))

    # ------------------------------------------------------------------
    # 1. claim caps per period
    # ------------------------------------------------------------------

    def _claimable(self, count):
        leads = self.env["crm.lead"].browse()
        for i in range(count):
            leads |= self._create_lead(self.user_sam, self.team_east, name=f"Pool {i}")
        leads.action_release_to_pool()
        return leads

    def test_claim_cap_month_in_moscow(self):
        """In Moscow, a claim at 01:30 on 1 June (22:30 UTC on 31 May) is one
        of June's claims: a salesperson with a cap of one per month cannot
        claim again that June."""
        self._set_tz(MOSCOW)
        self.team_east.write({"sm_claim_cap": 1, "sm_claim_period": "month"})
        first, second = self._claimable(2)
        with freeze_time("2027-05-31 22:30"):
            first.with_user(self.user_sara).action_claim()
        with (
            freeze_time("2027-06-01 12:00"),
            self.assertRaisesRegex(UserError, "1 pool claims per month"),
        ):
            second.with_user(self.user_sara).action_claim()
        with freeze_time("2027-07-01 12:00"):
            second.with_user(self.user_sara).action_claim()
        self.assertEqual(second.user_id, self.user_sara)

    def test_claim_cap_month_in_new_york(self):
        """In New York, a claim at 18:30 on 31 May (22:30 UTC) is one of May's:
        at 23:00 on 31 May (03:00 UTC on 1 June) the cap is still reached,
        on the morning of 1 June it is a new month."""
        self._set_tz(NEW_YORK)
        self.team_east.write({"sm_claim_cap": 1, "sm_claim_period": "month"})
        first, second = self._claimable(2)
        with freeze_time("2027-05-31 22:30"):
            first.with_user(self.user_sara).action_claim()
        with (
            freeze_time("2027-06-01 03:00"),
            self.assertRaisesRegex(UserError, "1 pool claims per month"),
        ):
            second.with_user(self.user_sara).action_claim()
        with freeze_time("2027-06-01 12:00"):
            second.with_user(self.user_sara).action_claim()
        self.assertEqual(second.user_id, self.user_sara)

    # ------------------------------------------------------------------
    # 2. the distribution month
    # ------------------------------------------------------------------

    def _distribution_team(self):
        team = self.env["crm.team"].create(
            {"name": "Inbound", "sm_fair_distribution": True}
        )
        self.env["crm.team.member"].create(
            [
                {"crm_team_id": team.id, "user_id": user.id, "assignment_max": 30}
                for user in (self.user_sam, self.user_sara)
            ]
        )
        return team

    def _distribute_one(self, team, when):
        with freeze_time(when):
            lead = self.env["crm.lead"].create(
                {"name": f"Request {when}", "team_id": team.id, "user_id": False}
            )
            self.env["crm.team"]._cron_distribute_leads()
        return lead.user_id

    def test_distribution_month_in_moscow(self):
        """In Moscow a lead given at 01:30 on 1 June counts in June's shares:
        the next June lead goes to the other salesperson."""
        self.env["res.config.settings"].create({"is_membership_multi": True}).execute()
        self._set_tz(MOSCOW)
        team = self._distribution_team()
        first = self._distribute_one(team, "2027-05-31 22:30")
        second = self._distribute_one(team, "2027-06-01 12:00")
        self.assertTrue(first and second)
        self.assertNotEqual(first, second, "both leads are June's")

    def test_distribution_month_in_new_york(self):
        """In New York leads given at 18:30 and 23:00 on 31 May both count in
        May's shares: they go to different salespeople."""
        self.env["res.config.settings"].create({"is_membership_multi": True}).execute()
        self._set_tz(NEW_YORK)
        team = self._distribution_team()
        first = self._distribute_one(team, "2027-05-31 22:30")
        second = self._distribute_one(team, "2027-06-01 03:00")
        self.assertTrue(first and second)
        self.assertNotEqual(first, second, "both leads are May's")

    # ------------------------------------------------------------------
    # 3. checkpoint deadlines and overdue
    # ------------------------------------------------------------------

    def _cp(self, lead, cp_type):
        return lead.sm_checkpoint_ids.filtered(lambda c: c.type_id == cp_type)

    def test_checkpoint_deadline_counts_from_the_local_day(self):
        """A deal created at 02:00 on 1 February in Moscow (23:00 UTC on 31
        January) gets its first deadline a week after 1 February; one created
        at 22:00 on 31 January in New York (03:00 UTC on 1 February), a week
        after 31 January."""
        self._set_tz(MOSCOW)
        with freeze_time("2027-01-31 23:00"):
            moscow = self._create_lead(self.user_sam, self.team_east)
        self.assertEqual(self._cp(moscow, self.presentation).deadline, date(2027, 2, 8))
        self._set_tz(NEW_YORK)
        with freeze_time("2027-02-01 03:00"):
            new_york = self._create_lead(self.user_sam, self.team_east)
        self.assertEqual(
            self._cp(new_york, self.presentation).deadline, date(2027, 2, 7)
        )

    def test_overdue_on_each_companys_local_day(self):
        """The overdue check at 22:00 UTC on a deadline day: in Moscow it is
        already the next day, the checkpoint is overdue and the leader
        alerted; in New York it is 17:00 on the deadline day, still on time."""
        self._set_tz(MOSCOW)
        company_ny = self.env["res.company"].create({"name": "Paper Inc. (NY)"})
        self._set_tz(NEW_YORK, company_ny)
        # a deal follows its company's checkpoint types: the presentation is
        # every company's here
        self.presentation.company_id = False
        team_ny = self.env["crm.team"].create(
            {"name": "Manhattan", "company_id": company_ny.id}
        )
        with freeze_time("2027-02-01 12:00"):
            moscow = self._create_lead(self.user_sam, self.team_east)
            new_york = self.env["crm.lead"].create(
                {
                    "name": "NY deal",
                    "type": "opportunity",
                    "team_id": team_ny.id,
                    "company_id": company_ny.id,
                    "user_id": False,
                }
            )
        cp_moscow = self._cp(moscow, self.presentation)
        cp_new_york = self._cp(new_york, self.presentation)
        self.assertEqual(cp_moscow.deadline, date(2027, 2, 8))
        self.assertEqual(cp_new_york.deadline, date(2027, 2, 8))
        Checkpoint = self.env["motivation.checkpoint"]
        with freeze_time("2027-02-08 22:00"):
            Checkpoint._cron_mark_overdue()
        self.assertEqual(cp_moscow.state, "overdue")
        self.assertEqual(cp_moscow.alert_date, date(2027, 2, 9))
        self.assertEqual(cp_new_york.state, "pending")
        with freeze_time("2027-02-09 06:00"):  # 01:00 in New York
            Checkpoint._cron_mark_overdue()
        self.assertEqual(cp_new_york.state, "overdue")

    def test_met_on_time_on_the_local_day(self):
        """A checkpoint done at 23:30 on its deadline day in New York (04:30
        UTC the day after) was met on time: the deal's data quality keeps its
        full checkpoint score, in the form as in searches and reports."""
        self._set_tz(NEW_YORK)
        with freeze_time("2027-02-01 15:00"):
            lead = self._create_lead(self.user_sam, self.team_east)
        before = lead.sm_quality_score
        checkpoint = self._cp(lead, self.presentation)
        self.assertEqual(checkpoint.deadline, date(2027, 2, 8))
        with freeze_time("2027-02-09 04:30"):
            checkpoint.with_user(self.user_sam).action_done()
        self.assertEqual(checkpoint.state, "done")
        self.assertEqual(lead.sm_quality_score, before, "met on time")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM crm_lead l WHERE l.id = %s",
                self.env["crm.lead"]._sm_quality_score_sql("l"),
                lead.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], before)

    # ------------------------------------------------------------------
    # 4. repeat-client thresholds
    # ------------------------------------------------------------------

    def _repeat_client(self):
        product = self.env["product.product"].create(
            {"name": "Pallet of paper", "list_price": 100.0, "taxes_id": False}
        )
        client = self.env["res.partner"].create(
            {
                "name": "Paper Shop",
                "is_company": True,
                "user_id": self.user_sam.id,
                "company_id": self.company.id,
                "sm_purchase_interval": 30,
            }
        )
        self.company.write(
            {
                "sm_regularity_due_days": 3,
                "sm_regularity_late_days": 7,
                "sm_regularity_dormant_days": 180,
            }
        )
        with freeze_time("2026-01-10 10:00"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": client.id,
                    "order_line": [(0, 0, {"product_id": product.id})],
                }
            )
            order.action_confirm()
        return client

    def _regularity_cron(self, when):
        self.env.invalidate_all()
        with freeze_time(when):
            self.env["res.partner"]._cron_sm_regularity()

    def test_repeat_client_due_on_the_local_day_in_moscow(self):
        """Expected on 9 February, a client is due from 6 February: in Moscow
        the reminder comes at 01:00 on the 6th (22:00 UTC on the 5th)."""
        self._set_tz(MOSCOW)
        client = self._repeat_client()
        self.assertEqual(client.sm_next_order_date, date(2026, 2, 9))
        self._regularity_cron("2026-02-05 20:00")  # 23:00 on the 5th
        self.assertEqual(client.sm_regularity_state, "regular")
        self._regularity_cron("2026-02-05 22:00")  # 01:00 on the 6th
        self.assertEqual(client.sm_regularity_state, "due")
        self.assertEqual(client.sm_regularity_since, date(2026, 2, 6))

    def test_repeat_client_due_on_the_local_day_in_new_york(self):
        """In New York, 22:00 UTC on 5 February is still the 5th: the client
        is not due yet; at 01:00 on the 6th (06:00 UTC) it is."""
        self._set_tz(NEW_YORK)
        client = self._repeat_client()
        self._regularity_cron("2026-02-05 22:00")  # 17:00 on the 5th
        self.assertEqual(client.sm_regularity_state, "regular")
        self._regularity_cron("2026-02-06 06:00")  # 01:00 on the 6th
        self.assertEqual(client.sm_regularity_state, "due")
        self.assertEqual(client.sm_regularity_since, date(2026, 2, 6))
        # late 7 days after the expected date, on New York's 17 February
        self._regularity_cron("2026-02-17 03:00")  # 22:00 on the 16th
        self.assertEqual(client.sm_regularity_state, "due")
        self._regularity_cron("2026-02-17 06:00")  # 01:00 on the 17th
        self.assertEqual(client.sm_regularity_state, "late")
        self.assertEqual(client.sm_late_since, date(2026, 2, 17))
