# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import SalesMotivationCommon


class DistributionCommon(SalesMotivationCommon):
    """A fair-distribution team of Sam, Sara (30 a day each) and Tom (60)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_tom = new_test_user(
            cls.env, "sm_tom", groups="sales_team.group_sale_salesman", name="Tom"
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Inbound", "sm_fair_distribution": True}
        )
        Member = cls.env["crm.team.member"]
        cls.members = Member.create(
            [
                {"crm_team_id": cls.team.id, "user_id": user.id, "assignment_max": cap}
                for user, cap in (
                    (cls.user_sam, 30),
                    (cls.user_sara, 30),
                    (cls.user_tom, 60),
                )
            ]
        )
        cls.env["res.config.settings"].create({"is_membership_multi": True}).execute()

    def _incoming(self, count):
        return self.env["crm.lead"].create(
            [
                {"name": f"Web request {i}", "team_id": self.team.id, "user_id": False}
                for i in range(count)
            ]
        )


@tagged("post_install", "-at_install")
class TestFairDistribution(DistributionCommon):
    def _counts(self, leads):
        return Counter(lead.user_id.name for lead in leads)

    def test_equal_counts_weighted_by_capacity(self):
        with freeze_time("2027-06-10 10:00"):
            leads = self._incoming(40)
            # with chatter tracking on, as in production
            self.env["crm.team"].with_context(
                tracking_disable=False
            )._cron_distribute_leads()
        self.assertEqual(self._counts(leads), {"Sam": 10, "Sara": 10, "Tom": 20})
        log = self.env["motivation.transfer"].search([("lead_id", "in", leads.ids)])
        self.assertEqual(len(log), 40)
        self.assertEqual(set(log.mapped("kind")), {"assign"})
        # the assignee follows the lead and was notified
        lead = leads.filtered(lambda lead: lead.user_id == self.user_sam)[:1]
        self.assertIn(self.user_sam.partner_id, lead.message_partner_ids)

    def _notifications(self, user):
        return self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
            ]
        )

    def test_one_notification_per_assignee_and_run(self):
        """Assigned as Odoo's own lead assignment does (the salesperson's
        change tracked in the chatter, the assignee following the lead, no
        "You have been assigned" per lead); each assignee is told once per
        run, whatever the number of leads."""
        Team = self.env["crm.team"].with_context(tracking_disable=False)
        with freeze_time("2027-06-10 10:00"):
            leads = self._incoming(40)
            # committed, as the cron finds them (Odoo does not track the
            # records created in the same transaction)
            self.env.flush_all()
            self.env.cr.precommit.run()
            Team._cron_distribute_leads()
            self.env.flush_all()
            self.env.cr.precommit.run()  # the tracking messages
        self.assertEqual(self._counts(leads), {"Sam": 10, "Sara": 10, "Tom": 20})
        for user, count in (
            (self.user_sam, 10),
            (self.user_sara, 10),
            (self.user_tom, 20),
        ):
            notification = self._notifications(user)
            self.assertEqual(len(notification), 1)
            self.assertIn(
                f"Leads assigned to you (Fair distribution of new leads): {count}",
                notification.body,
            )
            self.assertEqual(
                (notification.model, notification.res_id), ("crm.team", self.team.id)
            )
            mine = leads.filtered(lambda lead, user=user: lead.user_id == user)
            self.assertIn(mine[0].name, notification.body)
        self.assertFalse(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )
        # followed and tracked, as by Odoo's own assignment
        lead = leads[0]
        self.assertIn(lead.user_id.partner_id, lead.message_partner_ids)
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "crm.lead"),
                ("mail_message_id.res_id", "in", leads.ids),
                ("field_id.name", "=", "user_id"),
            ]
        )
        self.assertEqual(len(tracked), 40)
        with freeze_time("2027-06-11 10:00"):
            self._incoming(25)
            Team._cron_distribute_leads()
        for user in (self.user_sam, self.user_sara, self.user_tom):
            self.assertEqual(len(self._notifications(user)), 2)

    def test_queries_do_not_grow_with_the_leads(self):
        """Set-wise: a run costs the same number of queries for 5 leads as for
        20 (Odoo's tracking messages, one per lead as in Odoo's own
        assignment, are posted at commit and not counted here)."""
        Team = self.env["crm.team"].with_context(tracking_disable=False)
        counts = []
        with freeze_time("2027-06-10 10:00"):
            for size in (3, 5, 20):  # the first run warms the caches up
                self._incoming(size)
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                Team._cron_distribute_leads()
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[1], counts[2], counts)

    def test_no_seniority_bias_over_runs(self):
        """One lead per run with equal capacities: the leads rotate over the
        members instead of always going to the first one (odoo/odoo#259775)."""
        self.members.assignment_max = 30
        leads = self.env["crm.lead"]
        for day in range(9):
            with freeze_time(datetime(2027, 6, 1, 9) + timedelta(days=day)):
                lead = self._incoming(1)
                self.env["crm.team"]._cron_distribute_leads()
                leads |= lead
        self.assertEqual(self._counts(leads), {"Sam": 3, "Sara": 3, "Tom": 3})

    def test_absent_and_opted_out_members_skipped(self):
        self.members.filtered(
            lambda m: m.user_id == self.user_tom
        ).sm_absent_until = date(2027, 6, 30)
        self.members.filtered(
            lambda m: m.user_id == self.user_sara
        ).assignment_optout = True
        with freeze_time("2027-06-10 10:00"):
            leads = self._incoming(5)
            self.env["crm.team"]._cron_distribute_leads()
        self.assertEqual(self._counts(leads), {"Sam": 5})
        with freeze_time("2027-07-01 10:00"):
            later = self._incoming(2)
            self.env["crm.team"]._cron_distribute_leads()
        # a new month: everybody starts from zero; Tom, back, is served first
        # (never served yet), then Sam
        self.assertEqual(self._counts(later), {"Tom": 1, "Sam": 1})

    def test_deterministic_and_idempotent(self):
        with freeze_time("2027-06-10 10:00"):
            leads = self._incoming(7)
            team = self.env["crm.team"]
            team._cron_distribute_leads()
            first = {lead.id: lead.user_id.id for lead in leads}
            team._cron_distribute_leads()  # nothing left to distribute
        self.assertEqual({lead.id: lead.user_id.id for lead in leads}, first)
        self.assertEqual(
            self.env["motivation.transfer"].search_count(
                [("lead_id", "in", leads.ids)]
            ),
            7,
        )

    def test_teams_without_the_option_are_left_alone(self):
        leads = self._create_lead(False, self.team_east, registrar=False)
        self.env["crm.team"]._cron_distribute_leads()
        self.assertFalse(leads.user_id)
