# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import Form, tagged

from .test_achievement import AchievementCommon


@tagged("post_install", "-at_install")
class TestClientReactivated(AchievementCommon):
    """Acme's last purchase was on 10 January 2026; the company's repeat
    clients are dormant after 180 days without one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.sm_regularity_dormant_days = 180
        cls.env.company.resource_calendar_id.tz = "UTC"
        with freeze_time("2026-01-10 09:00:00"):
            order = cls.env["sale.order"].create(
                {"partner_id": cls.client_contact.id, "user_id": cls.user_sam.id}
            )
            order.action_confirm()

    def _won_deal(self, created, won, partner=None):
        lead = self._deal(self.user_sam, partner_id=(partner or self.client).id)
        self._created_on(lead, created)
        with freeze_time(won):
            lead.action_set_won()
        return lead

    def test_dormant_client_ordering_again_is_reactivated(self):
        """A deal created on 9 July (180 days later) and won: reactivated,
        and an existing client."""
        lead = self._won_deal("2026-07-09 08:00:00", "2026-07-20 10:00:00")
        self.assertTrue(lead.sm_client_reactivated)
        self.assertEqual(lead.sm_client_segment, "existing")

    def test_active_client_is_not(self):
        """Created on 8 July, 179 days after the order: not dormant yet."""
        lead = self._won_deal("2026-07-08 08:00:00", "2026-07-20 10:00:00")
        self.assertFalse(lead.sm_client_reactivated)
        self.assertEqual(lead.sm_client_segment, "existing")

    def test_new_client_is_not(self):
        newcomer = self.env["res.partner"].create({"name": "Newcomer"})
        lead = self._won_deal("2026-07-09 08:00:00", "2026-07-20 10:00:00", newcomer)
        self.assertFalse(lead.sm_client_reactivated)
        self.assertEqual(lead.sm_client_segment, "new")

    def test_a_won_deal_is_a_purchase_too(self):
        """A deal of Acme won on 1 March: a deal created in July is not a
        comeback; with no such win, it would be."""
        self._won_deal("2026-02-20 08:00:00", "2026-03-01 10:00:00")
        lead = self._won_deal("2026-07-20 08:00:00", "2026-07-25 10:00:00")
        self.assertFalse(lead.sm_client_reactivated)

    def test_open_deal_is_not_marked_and_the_first_win_decides(self):
        """Only a won deal is marked; reopened and won again, it keeps what
        its first win said, as its segment."""
        lead = self._deal(self.user_sam, partner_id=self.client.id)
        self._created_on(lead, "2026-08-01 08:00:00")
        self.assertFalse(lead.sm_client_reactivated)
        with freeze_time("2026-08-02 10:00:00"):
            lead.action_set_won()
        self.assertTrue(lead.sm_client_reactivated)
        self.env.company.sm_regularity_dormant_days = 400
        lead.action_set_lost()
        lead.action_unarchive()
        lead.action_set_won()
        self.assertTrue(lead.sm_client_reactivated)

    def test_the_company_setting_decides(self):
        """Dormant after 30 days: the deal of 8 July is a comeback; 0 days:
        nobody is ever dormant."""
        self.env.company.sm_regularity_dormant_days = 30
        lead = self._won_deal("2026-07-08 08:00:00", "2026-07-20 10:00:00")
        self.assertTrue(lead.sm_client_reactivated)
        self.env.company.sm_regularity_dormant_days = 0
        other = self._won_deal("2026-07-08 08:00:00", "2026-07-20 10:00:00")
        self.assertFalse(other.sm_client_reactivated)

    def test_company_local_days(self):
        """In Tokyo (UTC+9), the order of 10 January 09:00 UTC and a deal
        created on 8 July 20:00 UTC (9 July there) are 180 local days
        apart."""
        self.env.company.resource_calendar_id.tz = "Asia/Tokyo"
        lead = self._won_deal("2026-07-08 20:00:00", "2026-07-20 10:00:00")
        self.assertTrue(lead.sm_client_reactivated)

    def test_shown_on_the_deal_and_the_upgrade_backfill(self):
        lead = self._won_deal("2026-07-09 08:00:00", "2026-07-20 10:00:00")
        form = Form(lead.with_user(self.user_sam))
        self.assertTrue(form.sm_client_reactivated)
        # the upgrade's backfill (every won deal) says the same of them
        active = self._won_deal("2026-07-08 08:00:00", "2026-07-20 10:00:00")
        self.assertFalse(active.sm_client_reactivated)
        self.env.flush_all()
        self.env.cr.execute(self.env["crm.lead"]._sm_client_reactivated_sql())
        found = {row[0] for row in self.env.cr.fetchall()}
        self.assertIn(lead.id, found)
        self.assertNotIn(active.id, found)
