# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoShowsEveryFeature(TransactionCase):
    """About the demo data itself (skipped without it): what someone logging
    in the first time sees has figures everywhere (issue 17)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref(
            "sales_motivation.crm_team_motivation_demo", raise_if_not_found=False
        )
        if cls.team:
            cls.leader = cls.team.user_id
            cls.salespeople = cls.team.member_ids - cls.leader
            cls.leads = (
                cls.env["crm.lead"]
                .with_context(active_test=False)
                .search([("team_id", "=", cls.team.id)])
            )
            cls.today = cls.env.company._sm_local_date()
            cls.month = cls.today.replace(day=1)

    def setUp(self):
        super().setUp()
        if not self.team:
            self.skipTest("the demo data is not loaded")

    def test_checkpoints_in_every_state_and_the_leaders_alerts(self):
        checkpoints = self.leads.sm_checkpoint_ids
        self.assertEqual(
            set(checkpoints.mapped("state")), {"pending", "done", "overdue", "waived"}
        )
        late = checkpoints.filtered(lambda c: c.state == "overdue").lead_id
        self.assertEqual(set(late.mapped("user_id")), set(self.salespeople))
        alert = self.env.ref("sales_motivation.mail_activity_type_checkpoint_alert")
        alerted = self.env["mail.activity"].search(
            [("activity_type_id", "=", alert.id), ("res_model", "=", "crm.lead")]
        )
        self.assertEqual(set(alerted.mapped("res_id")), set(late.ids))
        self.assertEqual(alerted.user_id, self.leader)

    def test_won_deals_met_their_checkpoints_on_time(self):
        won = self.leads.filtered(lambda lead: lead.stage_id.is_won and lead.active)
        self.assertEqual(len(won), 6)
        company = self.env.company
        for lead in won:
            for checkpoint in lead.sm_checkpoint_ids:
                self.assertIn(checkpoint.state, ("done", "waived"), lead.name)
                self.assertLessEqual(
                    company._sm_local_date(checkpoint.done_date),
                    checkpoint.deadline,
                    lead.name,
                )
            self.assertLessEqual(company._sm_local_date(lead.date_closed), self.today)

    def test_commission_over_three_months_last_one_settled(self):
        Line = self.env["motivation.commission.line"]
        months = [self.month - relativedelta(months=n) for n in (2, 1, 0)]
        states = []
        for start in months:
            lines = Line.search(
                [
                    ("lead_id", "in", self.leads.ids),
                    ("date", ">=", start),
                    ("date", "<", start + relativedelta(months=1)),
                ]
            )
            self.assertTrue(lines, start)
            states.append(
                (set(lines.mapped("state")), set(lines.settlement_id.mapped("state")))
            )
        self.assertEqual(
            states,
            [({"settled"}, {"paid"}), ({"settled"}, {"confirmed"}), ({"draft"}, set())],
        )

    def test_settle_wizard_explains_the_demo_month(self):
        wizard = Form(
            self.env["motivation.settlement.wizard"].with_user(
                self.env.ref("base.user_admin")
            )
        )
        previous = self.month - relativedelta(months=1)
        self.assertEqual(wizard.date_from, previous)
        self.assertIn("already in settlements", wizard.summary)
        self.assertIn("still to approve", wizard.summary)

    def test_pool_transfers_of_every_kind(self):
        Transfer = self.env["motivation.transfer"]
        transfers = Transfer.search([("team_id", "=", self.team.id)])
        self.assertEqual(
            set(transfers.mapped("kind")), {"release", "claim", "reassign", "assign"}
        )
        pool = self.leads.filtered("in_pool")
        self.assertTrue(pool)
        for lead in pool:
            release = Transfer.search(
                [("lead_id", "=", lead.id), ("kind", "=", "release")], limit=1
            )
            self.assertTrue(release.reason, lead.name)
            self.assertLess(release.date.date(), self.today, "has an age")

    def test_repeat_clients_in_every_state(self):
        partners = self.env["res.partner"].search([("sm_purchase_interval", ">", 0)])
        self.assertEqual(
            set(partners.mapped("sm_regularity_state")),
            {"regular", "due", "late", "dormant"},
        )

    def test_interaction_analysis_has_figures(self):
        """Each salesperson has interactions in each of the last three
        months, and every measure of the pivot has figures."""
        Report = self.env["motivation.interaction.report"]
        start = self.month - relativedelta(months=2)
        rows = Report.search(
            [("user_id", "in", self.salespeople.ids), ("date", ">=", start)]
        )
        for user in self.salespeople:
            months = set(
                rows.filtered(
                    lambda r, u=user: r.user_id == u and r.interaction_count
                ).mapped("date")
            )
            self.assertEqual(len(months), 3, user.name)
        for measure in (
            "interaction_count",
            "outgoing_rate",
            "won_count",
            "touches_per_won",
            "checkpoint_count",
            "on_time_count",
            "on_time_rate",
            "complete_rate",
            "quality_score",
        ):
            self.assertTrue(any(rows.mapped(measure)), measure)

    def test_last_month_sales_plan_closed_with_bonus(self):
        """Last month's plan is closed; its bonus lines keep each target's
        figures and are in last month's confirmed settlements."""
        previous = self.month - relativedelta(months=1)
        plan = self.env["motivation.sales.plan"].search(
            [("team_ids", "in", self.team.ids), ("date_from", "=", previous)]
        )
        self.assertEqual(plan.state, "closed")
        self.assertEqual(plan.commission_plan_id.bonus_mode, "multiplier")
        self.assertTrue(plan.commission_plan_id.level_ids)
        lines = plan.bonus_line_ids
        self.assertTrue(lines)
        self.assertEqual(set(lines.mapped("role")), {"bonus"})
        self.assertEqual(set(lines.settlement_id.mapped("state")), {"confirmed"})
        for line in lines:
            self.assertEqual(line.achieved, line.sales_target_id.achieved)

    def test_won_deals_count_on_their_closing_day(self):
        """Each won deal counts in the achievement ledger on the day it was
        won, so that last month's closed plan shows what was won in it and
        pays a bonus for it."""
        won = self.leads.filtered(lambda lead: lead.stage_id.is_won)
        rows = self.env["motivation.achievement"].search(
            [("lead_id", "in", won.ids), ("metric", "=", "deals_won")]
        )
        self.assertEqual(rows.lead_id, won)
        for row in rows:
            self.assertEqual(
                row.date, row.company_id._sm_local_date(row.lead_id.date_closed)
            )
        previous = self.month - relativedelta(months=1)
        plan = self.env["motivation.sales.plan"].search(
            [("team_ids", "in", self.team.ids), ("date_from", "=", previous)]
        )
        # whatever the team: an agent's registration won by one of them too
        won_last_month = self.env["crm.lead"].search_count(
            [
                ("stage_id.is_won", "=", True),
                ("sm_closer_id", "in", plan.target_ids.user_id.ids),
                ("date_closed", ">=", previous),
                ("date_closed", "<", self.month),
            ]
        )
        self.assertTrue(won_last_month)
        deals_won = plan.target_ids.filtered(lambda t: t.metric == "deals_won")
        self.assertEqual(sum(deals_won.mapped("achieved")), won_last_month)
        self.assertTrue(any(plan.bonus_line_ids.mapped("amount")))

    def test_response_analysis_shows_who_picks_cherries(self):
        """Every salesperson received requests; the cherry-picker missed
        some and lost one without any touch; each measure has figures."""
        Report = self.env["motivation.response.report"]
        rows = {
            row["user_id"][0]: row
            for row in Report.read_group(
                [("user_id", "in", self.salespeople.ids)],
                [
                    "request_count",
                    "on_time_rate",
                    "response_hours",
                    "missed_count",
                    "lost_untouched_count",
                ],
                ["user_id"],
            )
        }
        self.assertEqual(set(rows), set(self.salespeople.ids))
        rates = sorted(row["on_time_rate"] for row in rows.values())
        self.assertEqual(rates[-1], 100.0, "one answers every request in time")
        self.assertLess(rates[0], 50.0, "another picks cherries")
        self.assertTrue(all(row["response_hours"] for row in rows.values()))
        self.assertTrue(any(row["lost_untouched_count"] for row in rows.values()))
        month = self.env["motivation.interaction.report"].search(
            [("user_id", "in", self.salespeople.ids), ("request_count", ">", 0)]
        )
        self.assertTrue(month)
