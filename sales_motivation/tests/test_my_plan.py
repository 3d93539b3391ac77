# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import float_compare

from .test_bonus import BonusCommon

MAY = "2026-05-20 10:00:00"


class MyPlanCommon(BonusCommon):
    def _my_plan(self, user, current=True):
        """The targets My Plan shows ``user`` (its action's domain, and its
        default filter *Current Plan* when ``current``)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_motivation.motivation_sales_target_action_my_plan"
        )
        self.assertIn("uid", action["domain"])
        domain = [("user_id", "=", user.id), ("state", "in", ("approved", "closed"))]
        if current:
            domain.append(("plan_id.sm_is_current", "=", True))
        return self.env["motivation.sales.target"].with_user(user).search(domain)

    def _target(self, plan, user, metric):
        return plan.target_ids.filtered(
            lambda t: t.user_id == user and t.metric == metric
        )


@tagged("post_install", "-at_install")
class TestMyPlan(MyPlanCommon):
    def test_current_targets_of_the_user_only(self):
        """In May, Sam's My Plan shows his targets of May's approved plan;
        April's closed plan comes with the filter off; never Sara's."""
        april = self._sales_plan(4, [(self.user_sam, "deals_won", 3.0)])
        april.with_user(self.user_commission).action_close()
        may = self._sales_plan(
            5,
            [
                (self.user_sam, "deals_won", 10.0),
                (self.user_sam, "calls", 40.0),
                (self.user_sara, "deals_won", 4.0),
            ],
        )
        with freeze_time(MAY):
            self.assertEqual(self._my_plan(self.user_sam).plan_id, may)
            self.assertEqual(len(self._my_plan(self.user_sam)), 2)
            self.assertEqual(
                self._my_plan(self.user_sam, current=False).plan_id, april | may
            )
            self.assertTrue(may.sm_is_current)
            self.assertFalse(april.sm_is_current)
        with freeze_time("2026-06-02 10:00:00"):
            self.assertFalse(self._my_plan(self.user_sam))
        sara_target = self._target(may, self.user_sara, "deals_won")
        with self.assertRaises(AccessError):
            sara_target.with_user(self.user_sam).read(["sm_bonus_so_far"])

    def test_the_current_plan_is_the_companys_local_today(self):
        """At 22:30 UTC on 31 May it is already 1 June in Moscow: May's plan
        is no longer current for a company working in Moscow time."""
        may = self._sales_plan(5, [(self.user_sam, "deals_won", 10.0)])
        self.env.company.resource_calendar_id.tz = "UTC"
        with freeze_time("2026-05-31 22:30:00"):
            self.assertTrue(may.sm_is_current)
        self.env.company.resource_calendar_id.tz = "Europe/Moscow"
        with freeze_time("2026-05-31 22:30:00"):
            may.invalidate_recordset(["sm_is_current"])
            self.assertFalse(may.sm_is_current)
            self.assertFalse(self._my_plan(self.user_sam))

    def test_bonus_so_far_is_what_closing_pays(self):
        """Sara's new revenue target 2,000, she won 2,500 in May: 125 %,
        linear × 1.35 of her closer share (250), 87.50 above it. My Plan
        shows 87.50 before the close; closing pays the same; once closed it
        shows what the line pays."""
        self._configure(level_mode="linear")
        self._win(self.user_sara, 2500.0, "2026-05-12 10:00:00")
        plan = self._sales_plan(5, [(self.user_sara, "revenue_new", 2000.0)])
        target = self._target(plan, self.user_sara, "revenue_new")
        with freeze_time(MAY):
            mine = self._my_plan(self.user_sara)
            self.assertEqual(mine, target)
            self.assertTrue(mine.sm_pays_bonus)
            self.assertEqual(mine.sm_bonus_so_far, 87.5)
            self.assertIn("500.00", mine.sm_next_level)
            self.assertIn("for 150 %", mine.sm_next_level)
        with freeze_time("2026-06-01 09:00:00"):
            line = self._close(plan)
        self.assertEqual(
            float_compare(line.amount, 87.5, precision_digits=2), 0, line.amount
        )
        target.invalidate_recordset()
        self.assertEqual(target.with_user(self.user_sara).sm_bonus_so_far, 87.5)
        self.assertFalse(target.sm_next_level, "a closed period has no next level")

    def test_bonus_so_far_follows_a_reversal_and_the_gates(self):
        """A fixed bonus of 100 from 100 %, 300 from 150 %: Sam's 3 deals of
        a target of 2 earn 300; one lost, 100; a data quality gate above his
        deals' scores holds him at the 100 % level."""
        self._configure(mode="fixed")
        leads = [
            self._win(self.user_sam, 100.0, f"2026-05-0{day} 10:00:00")
            for day in (4, 5, 6)
        ]
        plan = self._sales_plan(5, [(self.user_sam, "deals_won", 2.0)])
        target = self._target(plan, self.user_sam, "deals_won")
        with freeze_time(MAY):
            self.assertEqual(target.with_user(self.user_sam).sm_bonus_so_far, 300.0)
            self.assertEqual(target.sm_next_level, "Top level reached")
            leads[0].action_set_lost()
            target.invalidate_recordset()
            self.assertEqual(target.sm_bonus_so_far, 100.0)
            self.assertEqual(target.sm_next_level, "1 more for 150 %")
            self.plan.gate_min_quality = 100
            self._win(self.user_sam, 100.0, MAY)
            target.invalidate_recordset()
            self.assertEqual(target.sm_bonus_so_far, 100.0, "no accelerator")
            self.assertIn("conditions", target.sm_next_level)
            due = plan._sm_bonus_due()[target]
            self.assertEqual(due["amount"], target.sm_bonus_so_far)

    def test_next_level_text(self):
        """Levels at 100 % and 120 % of 10 deals: at 9, 1 more for 100 %;
        at 10, 2 more for 120 %; a cap at 110 % makes 100 % the top. Without
        a bonus, the target is the next level; a percent target counts
        points."""
        self._configure(mode="fixed", levels=[(100, 1, 100.0), (120, 1, 200.0)])
        plan = self._sales_plan(
            5,
            [
                (self.user_sam, "deals_won", 10.0),
                (self.user_sam, "checkpoints_on_time", 90.0),
            ],
        )
        target = self._target(plan, self.user_sam, "deals_won")
        for day in range(1, 10):
            self._win(self.user_sam, 10.0, f"2026-05-{day:02d} 10:00:00")
        self.assertEqual(target.sm_next_level, "1 more for 100 %")
        self._win(self.user_sam, 10.0, "2026-05-10 10:00:00")
        target.invalidate_recordset()
        self.assertEqual(target.sm_next_level, "2 more for 120 %")
        self.plan.attainment_cap = 110.0
        target.invalidate_recordset()
        self.assertEqual(target.sm_next_level, "Top level reached")
        # checkpoints on time: 2 of 3 met (66.7 %) of a target of 90 %
        self.Achievement.create(
            [
                {
                    "user_id": self.user_sam.id,
                    "metric": "checkpoints_on_time",
                    "date": date(2026, 5, 10 + i),
                    "value": 0.0 if i == 2 else 100.0,
                    "company_id": self.env.company.id,
                    "res_model": "motivation.checkpoint",
                    "res_id": 1000 + i,
                }
                for i in range(3)
            ]
        )
        percent = self._target(plan, self.user_sam, "checkpoints_on_time")
        self.assertEqual(percent.sm_next_level, "23.4 points more for 100 %")
        # no bonus: the target is the level
        plan.with_user(self.user_commission).write(
            {"commission_plan_id": False, "change_reason": "no bonus this month"}
        )
        target.invalidate_recordset()
        self.assertFalse(target.sm_pays_bonus)
        self.assertEqual(target.sm_next_level, "Target reached")

    def test_each_figure_opens_the_ledger_rows_behind_it(self):
        """The rows the action opens are the target's: Sam's, of its
        metric, in the period; their values add up to the achieved."""
        self._win(self.user_sam, 100.0, "2026-04-28 10:00:00")
        may_win = self._win(self.user_sam, 100.0, "2026-05-04 10:00:00")
        self._win(self.user_sara, 100.0, "2026-05-05 10:00:00")
        lost = self._win(self.user_sam, 100.0, "2026-05-06 10:00:00")
        with freeze_time("2026-05-07 10:00:00"):
            lost.action_set_lost()
        plan = self._sales_plan(5, [(self.user_sam, "deals_won", 5.0)])
        target = self._target(plan, self.user_sam, "deals_won").with_user(self.user_sam)
        action = target.action_sm_view_achievement()
        self.assertEqual(action["res_model"], "motivation.achievement")
        rows = self.Achievement.with_user(self.user_sam).search(action["domain"])
        self.assertEqual(rows.lead_id, may_win | lost)
        self.assertEqual(set(rows.mapped("metric")), {"deals_won"})
        self.assertEqual(sum(rows.mapped("value")), target.achieved)
        self.assertEqual(target.achieved, 1.0)

    def test_team_leader_reads_the_progress_of_their_team(self):
        self._configure(mode="fixed")
        self._win(self.user_sam, 100.0, "2026-05-04 10:00:00")
        plan = self._sales_plan(5, [(self.user_sam, "deals_won", 1.0)])
        target = self._target(plan, self.user_sam, "deals_won")
        self.assertEqual(target.with_user(self.user_leader_east).sm_bonus_so_far, 100.0)
        with self.assertRaises(AccessError):
            target.with_user(self.user_leader_west).read(["sm_bonus_so_far"])


@tagged("post_install", "-at_install")
class TestMyPlanTours(HttpCase):
    """My Plan as a salesperson, the leaderboard as a team leader, in
    Chromium (static/tests/tours/my_plan_tour.js), on a plan of this month:
    Sam won 1 deal of 2 (50 %: the first level's 100.00), Sara 1 of 1."""

    def setUp(self):
        super().setUp()
        salesman = "sales_team.group_sale_salesman"
        self.sam = new_test_user(
            self.env, "sm_tour_mp_sam", groups=salesman, name="Tour Sam"
        )
        self.sara = new_test_user(
            self.env, "sm_tour_mp_sara", groups=salesman, name="Tour Sara"
        )
        self.leader = new_test_user(
            self.env,
            "sm_tour_mp_lena",
            groups="sales_motivation.group_team_leader",
            name="Tour Lena",
        )
        team = self.env["crm.team"].create(
            {
                "name": "Tour East",
                "user_id": self.leader.id,
                "member_ids": [Command.set((self.sam | self.sara).ids)],
            }
        )
        commission_plan = self.env["motivation.commission.plan"].create(
            {
                "name": "Tour bonus",
                "team_ids": [Command.set(team.ids)],
                "bonus_mode": "fixed",
                "level_ids": [
                    Command.create({"attainment": 50.0, "amount": 100.0}),
                    Command.create({"attainment": 100.0, "amount": 300.0}),
                ],
            }
        )
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        for user in (self.sam, self.sara):
            self.env["crm.lead"].create(
                {
                    "name": f"{user.name}'s win",
                    "type": "opportunity",
                    "user_id": user.id,
                    "team_id": team.id,
                    "expected_revenue": 1000.0,
                }
            ).write({"stage_id": won.id})
        today = self.env.company._sm_local_date()
        first = today.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        plan = self.env["motivation.sales.plan"].create(
            {
                "name": "Tour plan",
                "date_from": first,
                "date_to": last,
                "team_ids": [Command.set(team.ids)],
                "commission_plan_id": commission_plan.id,
                "target_ids": [
                    Command.create(
                        {"user_id": self.sam.id, "metric": "deals_won", "target": 2}
                    ),
                    Command.create(
                        {"user_id": self.sara.id, "metric": "deals_won", "target": 1}
                    ),
                ],
            }
        )
        plan.action_approve()

    def test_salesperson_opens_my_plan(self):
        self.start_tour("/odoo", "sales_motivation_my_plan", login=self.sam.login)

    def test_team_leader_opens_the_leaderboard(self):
        self.start_tour(
            "/odoo", "sales_motivation_leaderboard", login=self.leader.login
        )
