# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import float_compare

from .test_bonus import BonusCommon


class LeaderboardCommon(BonusCommon):
    """May 2026, team East: Sam 3 deals won of 2 (150 %) and calls, Sara
    1 of 4 (25 %); team West: Will 1 of 1 (100 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Board = cls.env["motivation.leaderboard"]
        cls.Report = cls.env["motivation.attainment.report"]

    def _may(self):
        for day in (4, 5, 6):
            self._win(self.user_sam, 100.0, f"2026-05-0{day} 10:00:00")
        self._win(self.user_sara, 100.0, "2026-05-07 10:00:00")
        with freeze_time("2026-05-08 10:00:00"):
            self._create_lead(
                self.user_will, self.team_west, stage_id=self.stage_new.id
            ).action_set_won()
        east = self._sales_plan(
            5,
            [
                (self.user_sam, "deals_won", 2.0),
                (self.user_sara, "deals_won", 4.0),
            ],
        )
        west = self.Plan.create(
            {
                "name": "2026-05 West",
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 5, 31),
                "team_ids": [Command.set(self.team_west.ids)],
                "target_ids": [
                    Command.create(
                        {
                            "user_id": self.user_will.id,
                            "metric": "deals_won",
                            "target": 1,
                        }
                    )
                ],
            }
        )
        west.with_user(self.user_commission).action_approve()
        return east, west

    def _board(self, user, plan=None):
        domain = [("plan_id", "=", plan.id)] if plan else []
        return self.Board.with_user(user).search(domain)

    def _set_visibility(self, value):
        self.env.company.sm_leaderboard_visibility = value


@tagged("post_install", "-at_install")
class TestLeaderboard(LeaderboardCommon):
    def test_ranked_by_overall_attainment_per_team(self):
        east, west = self._may()
        board = self._board(self.user_commission, east)
        self.assertEqual(
            [(row.user_id, row.team_id, row.rank, row.attainment) for row in board],
            [
                (self.user_sam, self.team_east, 1, 150.0),
                (self.user_sara, self.team_east, 2, 25.0),
            ],
        )
        self.assertEqual(
            [(r.user_id, r.rank) for r in self._board(self.user_commission, west)],
            [(self.user_will, 1)],
        )

    def test_overall_attainment_is_weighted(self):
        """Sam: deals won 150 % (weight 3), calls 0 of 10 (weight 1):
        (3 × 150 + 1 × 0) / 4 = 112.5 %; the analysis' grouping says the
        same."""
        self._may()
        plan = self._sales_plan(
            5,
            [(self.user_sam, "deals_won", 2.0), (self.user_sam, "calls", 10.0)],
            name="weighted",
        )
        plan.with_user(self.user_commission).write(
            {
                "target_ids": [
                    Command.update(
                        t.id, {"weight": 3.0 if t.metric == "deals_won" else 1.0}
                    )
                    for t in plan.target_ids
                ],
                "change_reason": "weights",
            }
        )
        row = self._board(self.user_commission, plan)
        self.assertEqual(row.attainment, 112.5)
        grouped = self.Report.with_user(self.user_commission)._read_group(
            [("plan_id", "=", plan.id)], ["user_id"], ["attainment:weighted"]
        )
        self.assertEqual(grouped, [(self.user_sam, 112.5)])

    def test_salespeople_see_their_teams_when_shown_to_everyone(self):
        east, west = self._may()
        self._set_visibility("everyone")
        board = self._board(self.user_sam)
        self.assertEqual(board.user_id, self.user_sam | self.user_sara)
        self.assertEqual(board.mapped("attainment"), [150.0, 25.0])
        west_row = self._board(self.user_commission, west)
        with self.assertRaises(AccessError):
            west_row.with_user(self.user_sam).read(["attainment"])
        self.assertEqual(self._board(self.user_will).user_id, self.user_will)

    def test_leaders_only_hides_it_from_salespeople(self):
        east, west = self._may()
        self._set_visibility("leaders")
        self.assertFalse(self._board(self.user_sam))
        east_rows = self._board(self.user_commission, east)
        with self.assertRaises(AccessError):
            east_rows.with_user(self.user_sam).read(["attainment"])
        # team leaders see the teams they lead, whatever the setting
        self.assertEqual(self._board(self.user_leader_east), east_rows)
        self.assertEqual(self._board(self.user_leader_west).plan_id, west)
        with self.assertRaises(AccessError):
            east_rows.with_user(self.user_leader_west).read(["attainment"])
        # heads of sales and commission administrators, every team
        domain = [("plan_id", "in", (east | west).ids)]
        everything = self.Board.with_user(self.user_commission).search(domain)
        self.assertEqual(
            self.Board.with_user(self.user_head).search(domain), everything
        )
        self.assertEqual(
            everything.user_id, self.user_sam | self.user_sara | self.user_will
        )

    def test_setting_in_crm_settings(self):
        admin = self.env.ref("base.user_admin")
        settings = Form(self.env["res.config.settings"].with_user(admin))
        settings.sm_leaderboard_visibility = "leaders"
        settings.save().execute()
        self.assertEqual(self.env.company.sm_leaderboard_visibility, "leaders")

    def test_current_plan_filter(self):
        plans = self.Plan.union(*self._may())
        with freeze_time("2026-05-20 10:00:00"):
            current = self.Board.with_user(self.user_commission).search(
                [("plan_id.sm_is_current", "=", True), ("plan_id", "in", plans.ids)]
            )
        self.assertEqual(len(current), 3)
        with freeze_time("2026-06-20 10:00:00"):
            self.assertFalse(
                self.Board.with_user(self.user_commission).search(
                    [("plan_id.sm_is_current", "=", True)]
                )
            )


@tagged("post_install", "-at_install")
class TestAttainmentReport(LeaderboardCommon):
    def test_figures_equal_totals_with_reversals(self):
        """A May with a win lost, a deal reopened and won again, an April
        win lost in May, amounts with cents, checkpoints met and missed (and
        one reversed), clients served twice, once cancelled out: every row
        of the analysis equals motivation.achievement._totals, the target's
        achieved, and the leaderboard its weighted average."""
        self._may_with_reversals(self.user_sara)
        other = self.env["res.partner"].create({"name": "Other client"})
        company = self.env.company.id
        rows = [
            # checkpoints: met, missed, met then reversed
            ("checkpoints_on_time", 100.0, 1, False, 1),
            ("checkpoints_on_time", 0.0, 1, False, 2),
            ("checkpoints_on_time", 100.0, 1, False, 3),
            ("checkpoints_on_time", -100.0, -1, False, 3),
            # clients served: Acme twice, Other once and cancelled
            ("clients_served", 1.0, 1, self.client.id, 4),
            ("clients_served", 1.0, 1, self.client.id, 5),
            ("clients_served", 1.0, 1, other.id, 6),
            ("clients_served", -1.0, -1, other.id, 6),
        ]
        self.Achievement.create(
            [
                {
                    "user_id": self.user_sara.id,
                    "metric": metric,
                    "date": date(2026, 5, 15),
                    "value": value,
                    "item_count": items,
                    "partner_id": partner,
                    "company_id": company,
                    "res_model": "motivation.checkpoint",
                    "res_id": 9000 + res_id,
                }
                for metric, value, items, partner, res_id in rows
            ]
        )
        metrics = {
            "revenue_new": 1000.0,
            "deals_won": 3.0,
            "checkpoints_on_time": 80.0,
            "clients_served": 3.0,
        }
        plan = self._sales_plan(
            5, [(self.user_sara, metric, t) for metric, t in metrics.items()]
        )
        totals = self.Achievement._totals(
            self.user_sara, list(metrics), plan.date_from, plan.date_to, plan.company_id
        )
        expected = {
            "revenue_new": 1234.56 + 410.10 - 700.0,
            "deals_won": 1.0,
            "checkpoints_on_time": 50.0,
            "clients_served": 1.0,
        }
        report = self.Report.with_user(self.user_commission).search(
            [("plan_id", "=", plan.id)]
        )
        self.assertEqual(len(report), 4)
        attainments = []
        for row in report:
            target = row.target_id
            figures = (
                totals[(self.user_sara, row.metric)],
                target.achieved,
                row.achieved,
            )
            for figure in figures:
                self.assertEqual(
                    float_compare(figure, expected[row.metric], precision_digits=2),
                    0,
                    f"{row.metric}: {figures}",
                )
            self.assertEqual(
                float_compare(row.attainment, target.attainment, precision_digits=1),
                0,
                f"{row.metric}: {row.attainment} != {target.attainment}",
            )
            self.assertEqual(row.team_id, self.team_east)
            attainments.append(target.attainment)
        # the leaderboard: the targets' attainments from _totals, averaged
        # (equal weights)
        overall = sum(
            100.0 * totals[(self.user_sara, metric)] / target
            for metric, target in metrics.items()
        ) / len(metrics)
        board = self._board(self.user_commission, plan)
        self.assertEqual(
            float_compare(board.attainment, overall, precision_digits=1),
            0,
            f"{board.attainment} != {overall} ({attainments})",
        )
        # what the salesperson sees as their own is the same
        own = self.Report.with_user(self.user_sara).search([("plan_id", "=", plan.id)])
        self.assertEqual(own.mapped("achieved"), report.mapped("achieved"))

    def test_grouped_by_salesperson_team_and_month(self):
        self._may()
        june = self._sales_plan(6, [(self.user_sam, "deals_won", 4.0)])
        with freeze_time("2026-06-03 10:00:00"):
            self._win(self.user_sam, 100.0, "2026-06-03 10:00:00")
        groups = self.Report.with_user(self.user_commission)._read_group(
            [("team_id", "=", self.team_east.id)],
            ["user_id", "date:month"],
            ["attainment:weighted", "target:sum", "achieved:sum"],
        )
        facts = {
            (user.name, month.month): (attainment, target, achieved)
            for user, month, attainment, target, achieved in groups
        }
        self.assertEqual(facts[("Sam", 5)], (150.0, 2.0, 3.0))
        self.assertEqual(facts[("Sam", 6)], (25.0, 4.0, 1.0))
        self.assertEqual(facts[("Sara", 5)], (25.0, 4.0, 1.0))
        self.assertTrue(june)

    def test_rights(self):
        """Salespeople their own rows; team leaders their teams'; every
        door refuses the others'."""
        east, west = self._may()
        Report = self.Report.with_user(self.user_sam)
        self.assertEqual(Report.search([]).user_id, self.user_sam)
        sara_row = self.Report.search([("user_id", "=", self.user_sara.id)])
        with self.assertRaises(AccessError):
            sara_row.with_user(self.user_sam).read(["achieved"])
        self.assertEqual(
            self.Report.with_user(self.user_leader_east).search([]).user_id,
            self.user_sam | self.user_sara,
        )
        self.assertEqual(
            self.Report.with_user(self.user_leader_west).search([]).plan_id, west
        )
        self.assertEqual(
            len(self.Report.with_user(self.user_head).search([])),
            len(self.Report.with_user(self.user_commission).search([])),
        )


@tagged("post_install", "-at_install")
class TestDemoAttainment(TransactionCase):
    """About the demo data (skipped without it): the demo's plans show
    figures in My Plan, the leaderboard and the analysis (last month's
    closed plan; this month's, sales_plan_demo_current*, when the demo has
    it)."""

    def setUp(self):
        super().setUp()
        self.team = self.env.ref(
            "sales_motivation.crm_team_motivation_demo", raise_if_not_found=False
        )
        if not self.team:
            self.skipTest("the demo data is not loaded")
        self.plans = self.env["motivation.sales.plan"].search(
            [("team_ids", "in", self.team.ids), ("state", "!=", "draft")]
        )
        if not self.plans:
            self.skipTest("the demo has no sales plan")

    def test_demo_plans_have_figures(self):
        salespeople = self.plans.target_ids.user_id
        report = self.env["motivation.attainment.report"].search(
            [("plan_id", "in", self.plans.ids)]
        )
        # (what they achieved may be nothing: the demo's wins are dated the
        # day its database was made, see test_demo.py)
        self.assertEqual(len(report), len(self.plans.target_ids))
        board = self.env["motivation.leaderboard"].search(
            [("plan_id", "in", self.plans.ids)]
        )
        self.assertEqual(board.user_id, salespeople)
        self.assertIn(1, board.mapped("rank"))
        for user in salespeople:
            mine = (
                self.env["motivation.sales.target"]
                .with_user(user)
                .search([("user_id", "=", user.id), ("plan_id", "in", self.plans.ids)])
            )
            self.assertTrue(mine)
            for target in mine:
                row = report.filtered(lambda r, t=target: r.target_id == t)
                self.assertEqual(
                    float_compare(row.achieved, target.achieved, precision_digits=2), 0
                )
        current = self.env["ir.model.data"].search(
            [
                ("module", "=", "sales_motivation"),
                ("model", "=", "motivation.sales.plan"),
                ("name", "=like", "sales_plan_demo_current%"),
            ]
        )
        if current:
            plan = self.env["motivation.sales.plan"].browse(current[0].res_id)
            self.assertTrue(plan.sm_is_current)
            user = plan.target_ids.user_id[:1]
            self.assertTrue(
                self.env["motivation.sales.target"]
                .with_user(user)
                .search(
                    [("plan_id.sm_is_current", "=", True), ("user_id", "=", user.id)]
                )
            )
