# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .test_achievement import AchievementCommon


class SalesPlanCommon(AchievementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["motivation.sales.plan"]
        cls.sales_plan = cls.Plan.create(
            {
                "name": "May 2026",
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 5, 31),
                "team_ids": [(6, 0, cls.team_east.ids)],
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "user_id": cls.user_sam.id,
                            "metric": "deals_won",
                            "target": 10,
                        },
                    ),
                    (
                        0,
                        0,
                        {"user_id": cls.user_sam.id, "metric": "calls", "target": 60},
                    ),
                    (
                        0,
                        0,
                        {
                            "user_id": cls.user_sara.id,
                            "metric": "deals_won",
                            "target": 4,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "user_id": cls.user_sara.id,
                            "metric": "revenue_new",
                            "target": 20000,
                        },
                    ),
                ],
            }
        )
        cls.west_plan = cls.Plan.create(
            {
                "name": "May 2026 West",
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 5, 31),
                "team_ids": [(6, 0, cls.team_west.ids)],
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "user_id": cls.user_will.id,
                            "metric": "deals_won",
                            "target": 3,
                        },
                    ),
                ],
            }
        )

    def _target(self, plan, user, metric):
        return plan.target_ids.filtered(
            lambda t: t.user_id == user and t.metric == metric
        )


@tagged("post_install", "-at_install")
class TestSalesPlan(SalesPlanCommon):
    def test_five_of_ten(self):
        """Sam wins 5 deals in May, one in April and one in June: his target
        of 10 deals shows 5 achieved, 50 %."""
        for when in ("2026-04-30 12:00:00", "2026-06-01 12:00:00"):
            with freeze_time(when):
                self._deal(self.user_sam).action_set_won()
        with freeze_time("2026-05-15 12:00:00"):
            deals = self.env["crm.lead"]
            for _i in range(5):
                deals |= self._deal(self.user_sam)
            deals.action_set_won()
        target = self._target(self.sales_plan, self.user_sam, "deals_won")
        self.assertEqual(target.achieved, 5.0)
        self.assertEqual(target.attainment, 50.0)
        sara = self._target(self.sales_plan, self.user_sara, "deals_won")
        self.assertEqual(sara.achieved, 0.0)

    def test_revenue_target_reads_the_commission_base(self):
        with freeze_time("2026-05-10 12:00:00"):
            self._deal(self.user_sara, revenue=5000.0).action_set_won()
        target = self._target(self.sales_plan, self.user_sara, "revenue_new")
        self.assertEqual(target.achieved, 5000.0)
        self.assertEqual(target.attainment, 25.0)

    def test_approve_locks_the_plan(self):
        plan = self.sales_plan.with_user(self.user_commission)
        plan.action_approve()
        self.assertEqual(plan.state, "approved")
        target = self._target(plan, self.user_sam, "deals_won")
        with self.assertRaises(UserError):
            target.target = 12
        with self.assertRaises(UserError):
            plan.date_to = date(2026, 6, 30)
        # the administrator changes it with a reason, logged in the chatter
        plan.write(
            {
                "target_ids": [(1, target.id, {"target": 12})],
                "change_reason": "Sam took over Sara's region",
            }
        )
        self.assertEqual(target.target, 12)
        self.assertFalse(plan.change_reason, "a reason per change")
        self.assertIn("Sam took over Sara's region", str(plan.message_ids[0].body))
        # a reason saved first, then the change: logged with it
        plan.change_reason = "Region split"
        plan.date_to = date(2026, 6, 30)
        self.assertIn("Region split", str(plan.message_ids[0].body))
        self.assertFalse(plan.change_reason)
        plan.action_close()
        with self.assertRaises(UserError):
            plan.write({"name": "Changed", "change_reason": "typo"})

    def test_approved_plan_is_locked_for_others(self):
        self.sales_plan.with_user(self.user_commission).action_approve()
        with self.assertRaises(AccessError):
            self.sales_plan.with_user(self.user_head).write(
                {"name": "Mine", "change_reason": "because"}
            )
        with self.assertRaises(AccessError):
            self.sales_plan.with_user(self.user_sam).action_close()

    def test_approve_needs_targets(self):
        empty = self.Plan.create(
            {
                "name": "Empty",
                "date_from": date(2026, 6, 1),
                "date_to": date(2026, 6, 30),
            }
        )
        with self.assertRaises(UserError):
            empty.with_user(self.user_commission).action_approve()

    def test_copy_from_previous_period_with_growth(self):
        june = self.Plan.with_user(self.user_commission).create(
            {
                "name": "June 2026",
                "date_from": date(2026, 6, 1),
                "date_to": date(2026, 6, 30),
                "team_ids": [(6, 0, self.team_east.ids)],
            }
        )
        action = june.action_copy_previous()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_commission)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.source_plan_id, self.sales_plan, "same team first")
        wizard.growth_percent = 15
        wizard.save().action_copy()
        self.assertEqual(
            sorted((t.user_id.name, t.metric, t.target) for t in june.target_ids),
            [
                ("Sam", "calls", 69.0),
                ("Sam", "deals_won", 12.0),  # 11.5, a whole number of deals
                ("Sara", "deals_won", 5.0),
                ("Sara", "revenue_new", 23000.0),
            ],
        )

    def test_targets_grid_is_grouped_by_salesperson(self):
        action = self.sales_plan.action_view_targets()
        self.assertEqual(action["context"]["group_by"], ["user_id"])
        groups = self.env["motivation.sales.target"].read_group(
            action["domain"], ["target:sum"], ["user_id"]
        )
        self.assertEqual(len(groups), 2)


@tagged("post_install", "-at_install")
class TestSalesPlanAccess(SalesPlanCommon):
    def test_salesperson_reads_own_targets_only(self):
        Target = self.env["motivation.sales.target"].with_user(self.user_sam)
        self.assertEqual(Target.search([]).mapped("metric"), ["calls", "deals_won"])
        self.assertEqual(Target.search([]).user_id, self.user_sam)
        sara_target = self._target(self.sales_plan, self.user_sara, "deals_won")
        with self.assertRaises(AccessError):
            sara_target.with_user(self.user_sam).read(["target"])
        own = self._target(self.sales_plan, self.user_sam, "deals_won")
        with self.assertRaises(AccessError):
            own.with_user(self.user_sam).write({"target": 1})
        with self.assertRaises(AccessError):
            self.sales_plan.with_user(self.user_sam).write({"name": "Mine"})
        # the plan of their team shows only their own targets
        plan = self.sales_plan.with_user(self.user_sam)
        self.assertEqual(plan.target_ids.user_id, self.user_sam)
        with self.assertRaises(AccessError):
            self.west_plan.with_user(self.user_sam).read(["name"])

    def test_salesperson_reads_own_ledger_and_cannot_write(self):
        with freeze_time("2026-05-10 12:00:00"):
            self._deal(self.user_sam).action_set_won()
            self._deal(self.user_sara).action_set_won()
        Achievement = self.Achievement.with_user(self.user_sam)
        self.assertEqual(Achievement.search([]).user_id, self.user_sam)
        with self.assertRaises(AccessError):
            Achievement.create(
                {
                    "user_id": self.user_sam.id,
                    "metric": "deals_won",
                    "date": date(2026, 5, 1),
                    "value": 100,
                    "company_id": self.env.company.id,
                    "res_model": "crm.lead",
                    "res_id": 1,
                }
            )
        sara_row = self._rows(user_id=self.user_sara.id)[:1]
        with self.assertRaises(AccessError):
            sara_row.with_user(self.user_sam).read(["value"])
        # what the salesperson sees as achieved is the same as the head's
        own = self._target(self.sales_plan, self.user_sam, "deals_won")
        self.assertEqual(own.with_user(self.user_sam).achieved, 1.0)

    def test_team_leader_reads_their_teams(self):
        with freeze_time("2026-05-10 12:00:00"):
            self._deal(self.user_sara).action_set_won()
            self._create_lead(
                self.user_will, self.team_west, stage_id=self.stage_won.id
            )
        Target = self.env["motivation.sales.target"].with_user(self.user_leader_east)
        self.assertEqual(Target.search([]).user_id, self.user_sam | self.user_sara)
        self.assertEqual(
            self.Plan.with_user(self.user_leader_east).search([]), self.sales_plan
        )
        Achievement = self.Achievement.with_user(self.user_leader_east)
        self.assertEqual(Achievement.search([]).team_id, self.team_east)
        with self.assertRaises(AccessError):
            self._target(self.west_plan, self.user_will, "deals_won").with_user(
                self.user_leader_east
            ).read(["target"])
        with self.assertRaises(AccessError):
            self._target(self.sales_plan, self.user_sam, "deals_won").with_user(
                self.user_leader_east
            ).write({"target": 3})

    def test_commission_administrator_sees_everything(self):
        self._deal(self.user_will)
        Plan = self.Plan.with_user(self.user_commission)
        # every plan, those of the demo data too (its last month's plan)
        self.assertEqual(Plan.search([]), self.Plan.sudo().search([]))
        self.assertLessEqual(self.sales_plan | self.west_plan, Plan.search([]))
        self.assertTrue(
            self.Achievement.with_user(self.user_commission).search(
                [("user_id", "=", self.user_will.id)]
            )
        )

    def test_other_company_is_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        plan = self.Plan.create(
            {
                "name": "Other",
                "company_id": other.id,
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 5, 31),
            }
        )
        Plan = self.Plan.with_user(self.user_commission)
        self.assertNotIn(plan, Plan.search([]))
        with self.assertRaises(AccessError):
            plan.with_user(self.user_commission).read(["name"])
        self.user_commission.company_ids = self.env.company | other
        main_only = Plan.with_context(allowed_company_ids=[self.env.company.id])
        self.assertNotIn(plan, main_only.search([]))
        both = Plan.with_context(allowed_company_ids=[self.env.company.id, other.id])
        self.assertIn(plan, both.search([]))


@tagged("post_install", "-at_install")
class TestSalesPlanTour(HttpCase):
    def test_create_and_approve_a_plan(self):
        sam = new_test_user(
            self.env,
            "sm_tour_plan_sam",
            groups="sales_team.group_sale_salesman",
            name="Tour Sam",
        )
        admin = new_test_user(
            self.env,
            "sm_tour_plan_carla",
            groups="sales_motivation.group_commission_manager",
            name="Tour Carla",
        )
        self.start_tour(
            "/odoo/action-sales_motivation.motivation_sales_plan_action",
            "sales_motivation_sales_plan",
            login=admin.login,
        )
        plan = self.env["motivation.sales.plan"].search([("name", "=", "Tour plan")])
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.date_from, date(2027, 5, 1))
        self.assertEqual(
            [(t.user_id, t.metric, t.target) for t in plan.target_ids],
            [(sam, "deals_won", 10.0)],
        )
