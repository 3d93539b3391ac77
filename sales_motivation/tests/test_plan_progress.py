# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import date_utils

from odoo.addons.crm.models.crm_lead import Lead as CrmLead

from .common import implementation_detail
from .test_achievement import AchievementCommon

MAY_15 = "2026-05-15 12:00:00"


class PlanProgressCommon(AchievementCommon):
    """One approved plan for May 2026 naming both teams: Sam (East) has
    10 deals, 200,000 of new revenue and 60 calls to make, Sara (East) 4
    deals, Will (West) 3 deals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Target = cls.env["motivation.sales.target"]
        cls.may_plan = cls.env["motivation.sales.plan"].create(
            {
                "name": "May 2026",
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 5, 31),
                "team_ids": [(6, 0, (cls.team_east | cls.team_west).ids)],
                "target_ids": [
                    (0, 0, {"user_id": user.id, "metric": metric, "target": target})
                    for user, metric, target in (
                        (cls.user_sam, "deals_won", 10),
                        (cls.user_sam, "revenue_new", 200000),
                        (cls.user_sam, "calls", 60),
                        (cls.user_sara, "deals_won", 4),
                        (cls.user_will, "deals_won", 3),
                    )
                ],
            }
        )
        cls.may_plan.with_user(cls.user_commission).action_approve()

    def _win(self, user, count=1, revenue=1000.0):
        deals = self.env["crm.lead"]
        for _i in range(count):
            deals |= self._deal(user, revenue=revenue)
        deals.action_set_won()
        return deals

    def _strip(self, user, domain=None):
        return self.Target.with_user(user).sm_progress_strip(
            domain if domain is not None else [("type", "=", "opportunity")]
        )

    def _figures(self, strip):
        return [
            (item["metric"], item["achieved"], item["target"])
            for item in strip["items"]
        ]


@tagged("post_install", "-at_install")
class TestPlanProgressStrip(PlanProgressCommon):
    def test_own_figures(self):
        """Sam wins 5 deals in May: *Won 5/10 · New 5k/200k · Calls 0/60*,
        each item naming the ledger rows behind it."""
        with freeze_time(MAY_15):
            self._win(self.user_sam, 5)
            self._win(self.user_sara)
            strip = self._strip(self.user_sam)
        self.assertEqual(
            self._figures(strip),
            [
                ("deals_won", 5.0, 10.0),
                ("revenue_new", 5000.0, 200000.0),
                ("calls", 0.0, 60.0),
            ],
        )
        won = strip["items"][0]
        self.assertEqual(won["label"], "Won")
        self.assertEqual(won["ratio"], 0.5)
        self.assertEqual(won["user_ids"], self.user_sam.ids)
        self.assertEqual(strip["currency_id"], self.env.company.currency_id.id)
        rows = self.Achievement.with_user(self.user_sam).search(won["ledger_domain"])
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows.user_id, self.user_sam)

    def test_salesperson_cannot_look_at_a_colleague(self):
        """Sam filters the pipeline on Sara, or on his team: the strip still
        shows his own figures only."""
        with freeze_time(MAY_15):
            self._win(self.user_sara, 3)
            for domain in (
                [("user_id", "=", self.user_sara.id)],
                [("user_id", "in", (self.user_sam | self.user_sara).ids)],
                [("team_id", "=", self.team_east.id)],
            ):
                strip = self._strip(self.user_sam, domain)
                self.assertEqual(strip["items"][0]["user_ids"], self.user_sam.ids)
                self.assertEqual(self._figures(strip)[0], ("deals_won", 0.0, 10.0))
                self.assertEqual(strip["user_count"], 1)

    def test_leader_filters_on_team_or_salesperson(self):
        with freeze_time(MAY_15):
            self._win(self.user_sam, 2)
            self._win(self.user_sara, 1)
            self._win(self.user_will, 1)
            leader = self.user_leader_east
            # their team, by id or as the "My Teams" filter does
            for domain in (
                [("type", "=", "opportunity"), ("team_id", "=", self.team_east.id)],
                [("team_id.user_id", "=", leader.id)],
                [("team_id", "ilike", "East")],
            ):
                strip = self._strip(leader, domain)
                self.assertEqual(
                    self._figures(strip),
                    [
                        ("deals_won", 3.0, 14.0),
                        ("revenue_new", 2000.0, 200000.0),
                        ("calls", 0.0, 60.0),
                    ],
                    domain,
                )
                self.assertEqual(strip["user_count"], 2)
            # one of its salespeople
            strip = self._strip(leader, [("user_id", "=", self.user_sara.id)])
            self.assertEqual(self._figures(strip), [("deals_won", 1.0, 4.0)])
            # either of two, the search's "or" of one field
            strip = self._strip(
                leader,
                [
                    "|",
                    ("user_id", "=", self.user_sara.id),
                    ("user_id", "=", self.user_sam.id),
                ],
            )
            self.assertEqual(self._figures(strip)[0], ("deals_won", 3.0, 14.0))
            # the other team's salesperson, although the plan names both teams
            self.assertEqual(
                self._strip(leader, [("user_id", "=", self.user_will.id)])["items"],
                [],
            )
            self.assertEqual(
                self._strip(leader, [("team_id", "=", self.team_west.id)])["items"],
                [],
            )
            # no filter: their own figures, and they have no target
            self.assertEqual(self._strip(leader)["items"], [])
            # a head of sales sees anyone's
            strip = self._strip(self.user_head, [("user_id", "=", self.user_will.id)])
            self.assertEqual(self._figures(strip), [("deals_won", 1.0, 3.0)])

    def test_nothing_without_an_approved_plan_covering_today(self):
        with freeze_time("2026-06-01 12:00:00"):
            self.assertEqual(self._strip(self.user_sam)["items"], [])
        with freeze_time("2026-04-30 12:00:00"):
            self.assertEqual(self._strip(self.user_sam)["items"], [])
        self.may_plan.with_user(self.user_commission).action_reset_draft()
        with freeze_time(MAY_15):
            self.assertEqual(self._strip(self.user_sam)["items"], [])

    def test_today_is_the_company_local_day(self):
        """At 22:30 UTC on 31 May it is already 1 June in Moscow: the May
        plan is over there."""
        self.env.company.resource_calendar_id.tz = "Europe/Moscow"
        self.env.flush_all()
        with freeze_time("2026-05-31 22:30:00"):
            self.assertEqual(self._strip(self.user_sam)["items"], [])
        with freeze_time("2026-04-30 22:30:00"):
            self.assertEqual(len(self._strip(self.user_sam)["items"]), 3)

    def test_percent_metrics_average_and_clients_count(self):
        plan = self.env["motivation.sales.plan"].create(
            {
                "name": "May extra",
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 5, 31),
                "target_ids": [
                    (0, 0, {"user_id": user.id, "metric": metric, "target": target})
                    for user, metric, target in (
                        (self.user_sam, "checkpoints_on_time", 80),
                        (self.user_sara, "checkpoints_on_time", 90),
                        (self.user_sam, "clients_served", 20),
                    )
                ],
            }
        )
        plan.with_user(self.user_commission).action_approve()
        with freeze_time(MAY_15):
            strip = self._strip(
                self.user_leader_east, [("team_id", "=", self.team_east.id)]
            )
        figures = dict((metric, (a, t)) for metric, a, t in self._figures(strip))
        self.assertEqual(figures["checkpoints_on_time"], (0.0, 85.0))
        self.assertEqual(figures["clients_served"], (0.0, 20.0))

    @implementation_detail
    def test_two_queries(self):
        """The targets with their plans' periods and the local today in one
        query, the ledger's totals (sums, averages, distinct clients) in the
        other."""
        self.Target.with_context(sm_plan_unlocked=True).create(
            {
                "plan_id": self.may_plan.id,
                "user_id": self.user_sam.id,
                "metric": "clients_served",
                "target": 40,
            }
        )
        # as the web client calls it: with the user's companies
        with freeze_time(MAY_15):
            self._win(self.user_sam, 3)
            for user, domain in (
                (self.user_sam, [("user_id", "=", self.user_sam.id)]),
                (self.user_leader_east, [("team_id", "=", self.team_east.id)]),
            ):
                Target = self.Target.with_user(user).with_context(
                    allowed_company_ids=self.env.company.ids
                )
                Target.sm_progress_strip(domain)  # warm the rules' caches
                self.env.invalidate_all()
                with self.assertQueryCount(2):
                    strip = Target.sm_progress_strip(domain)
                self.assertEqual(len(strip["items"]), 4)
            # no target, no ledger query
            Target = self.Target.with_user(self.user_leader_west).with_context(
                allowed_company_ids=self.env.company.ids
            )
            Target.sm_progress_strip([])
            self.env.invalidate_all()
            with self.assertQueryCount(1):
                self.assertEqual(Target.sm_progress_strip([])["items"], [])


@tagged("post_install", "-at_install")
class TestPlanWinMessage(PlanProgressCommon):
    def _message(self, lead, user):
        # the web client calls it in the user's language
        action = (
            lead.with_user(user)
            .with_context(lang=user.lang)
            .action_set_won_rainbowman()
        )
        return action["effect"]["message"] if isinstance(action, dict) else False

    def test_five_of_ten(self):
        with freeze_time(MAY_15):
            self._win(self.user_sam, 4)
            lead = self._deal(self.user_sam)
            self.assertEqual(
                self._message(lead, self.user_sam),
                "5 of 10 deals won this month — 5 to go",
            )
            # the kanban's drag to the won stage asks the same
            self.assertEqual(
                lead.with_user(self.user_sam).get_rainbowman_message(),
                "5 of 10 deals won this month — 5 to go",
            )

    def test_target_reached(self):
        with freeze_time(MAY_15):
            self._win(self.user_sara, 3)
            lead = self._deal(self.user_sara)
            self.assertEqual(
                self._message(lead, self.user_sara),
                "4 of 4 deals won this month — target reached!",
            )

    def test_leader_wins_for_the_salesperson(self):
        with freeze_time(MAY_15):
            lead = self._deal(self.user_sam)
            self.assertEqual(
                self._message(lead, self.user_leader_east),
                "Sam: 1 of 10 deals won this month — 9 to go",
            )

    def test_odoo_message_without_a_target(self):
        """Hugo has no deals won target: Odoo's own message (his first deal
        of the year)."""
        with freeze_time(MAY_15):
            lead = self._create_lead(
                self.user_head,
                self.team_east,
                expected_revenue=500.0,
                stage_id=self.stage_new.id,
            )
            message = self._message(lead, self.user_head)
            self.assertTrue(message)
            # crm's own method, bypassing the addon's
            self.assertEqual(
                message, CrmLead._get_rainbowman_message(lead.with_user(self.user_head))
            )
        # after the plan's period, Sam gets Odoo's message again
        with freeze_time("2026-06-02 12:00:00"):
            lead = self._deal(self.user_sam, revenue=900.0)
            self.assertNotIn("deals won", self._message(lead, self.user_sam) or "")

    def test_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_motivation"], ["ru_RU"], overwrite=True
        )
        self.user_sam.lang = "ru_RU"
        with freeze_time(MAY_15):
            lead = self._deal(self.user_sam)
            message = self._message(lead, self.user_sam)
        self.assertEqual(message, "Выиграно сделок в этом месяце: 1 из 10 — осталось 9")
        with freeze_time(MAY_15):
            strip = (
                self.Target.with_user(self.user_sam)
                .with_context(lang="ru_RU")
                .sm_progress_strip([])
            )
        self.assertEqual(
            [item["label"] for item in strip["items"]],
            ["Выиграно", "Новые", "Звонки"],
        )


@tagged("post_install", "-at_install")
class TestTeamPlanCard(PlanProgressCommon):
    def test_team_attainment(self):
        """East: Sam 5/10 (50 %), 5,000/200,000 (2.5 %), 0/60 calls, Sara
        0/4: (50 + 2.5 + 0 + 0) / 4 = 13.1 %. West: Will 1/3 = 33.3 %."""
        Team = self.env["crm.team"].with_user(self.user_head)
        with freeze_time(MAY_15):
            self._win(self.user_sam, 5)
            self._win(self.user_will, 1)
            teams = Team.browse((self.team_east | self.team_west).ids)
            self.assertTrue(all(teams.mapped("sm_has_plan")))
            self.assertAlmostEqual(teams[0].sm_plan_attainment, 13.1, places=1)
            self.assertAlmostEqual(teams[1].sm_plan_attainment, 33.3, places=1)

    def test_weights_count(self):
        sam_won = self.may_plan.target_ids.filtered(
            lambda t: t.user_id == self.user_sam and t.metric == "deals_won"
        )
        self.may_plan.with_user(self.user_commission).write(
            {
                "target_ids": [(1, sam_won.id, {"weight": 3.0})],
                "change_reason": "Deals count most",
            }
        )
        with freeze_time(MAY_15):
            self._win(self.user_sam, 5)
            east = self.team_east.with_user(self.user_head)
            # (3 × 50 + 2.5 + 0 + 0) / 6
            self.assertAlmostEqual(east.sm_plan_attainment, 25.4, places=1)

    def test_shown_to_the_team_only(self):
        with freeze_time(MAY_15):
            self._win(self.user_will, 1)
            for user, east, west in (
                (self.user_will, False, True),
                (self.user_sam, True, False),
                (self.user_leader_east, True, False),
                (self.user_commission, True, True),
            ):
                teams = (
                    self.env["crm.team"]
                    .with_user(user)
                    .browse((self.team_east | self.team_west).ids)
                )
                self.assertEqual(teams.mapped("sm_has_plan"), [east, west], user.name)
        with freeze_time("2026-06-15 12:00:00"):
            self.env.invalidate_all()
            self.assertFalse(self.team_east.with_user(self.user_head).sm_has_plan)

    @implementation_detail
    def test_all_cards_at_once(self):
        """The same queries for one card or for all: the company's local
        today (company, calendar), memberships, plans and their teams,
        targets, the ledger (one call per plan period)."""
        with freeze_time(MAY_15):
            self._win(self.user_sam, 2)
            Team = (
                self.env["crm.team"]
                .with_user(self.user_head)
                .with_context(allowed_company_ids=self.env.company.ids)
            )
            for _round in range(2):  # the first warms the rules' caches
                counts = []
                for teams in (self.team_east, self.team_east | self.team_west):
                    teams = Team.browse(teams.ids)
                    self.env.invalidate_all()
                    teams.mapped("company_id")  # as the kanban reads them
                    count = self.cr.sql_log_count
                    teams.mapped("sm_plan_attainment")
                    counts.append(self.cr.sql_log_count - count)
            # no more for two cards than for one (a card alone reads the
            # other team of its plan, which the two cards have read)
            self.assertLessEqual(counts[1], counts[0])
            self.assertLessEqual(counts[0], 8)


@tagged("post_install", "-at_install")
class TestTargetLeaderRule(PlanProgressCommon):
    def test_plan_of_two_teams_shows_each_leader_their_team(self):
        """The May plan names East and West: Lena (East) reads Sam's and
        Sara's targets, not Will's; Walt (West) only Will's."""
        Target = self.Target.with_user(self.user_leader_east)
        self.assertEqual(
            Target.search([("plan_id", "=", self.may_plan.id)]).user_id,
            self.user_sam | self.user_sara,
        )
        will = self.may_plan.target_ids.filtered(lambda t: t.user_id == self.user_will)
        with self.assertRaises(AccessError):
            will.with_user(self.user_leader_east).read(["target", "achieved"])
        self.assertEqual(
            self.Target.with_user(self.user_leader_west)
            .search([("plan_id", "=", self.may_plan.id)])
            .user_id,
            self.user_will,
        )

    def test_former_member_is_no_longer_read(self):
        membership = self.env["crm.team.member"].search(
            [
                ("crm_team_id", "=", self.team_east.id),
                ("user_id", "=", self.user_sara.id),
            ]
        )
        membership.active = False
        Target = self.Target.with_user(self.user_leader_east)
        self.assertEqual(
            Target.search([("plan_id", "=", self.may_plan.id)]).user_id, self.user_sam
        )


@tagged("post_install", "-at_install")
class TestPlanProgressTour(HttpCase):
    def test_strip_follows_a_win(self):
        """A salesperson opens the pipeline: the strip shows 0/3 deals; wins
        a deal from its form (the win message counts it) and comes back:
        1/3; drags another to the won stage: 2/3; logs a call from a card:
        1/20 calls, without reloading."""
        salesperson = new_test_user(
            self.env,
            "sm_tour_strip_sam",
            groups="sales_team.group_sale_salesman",
            name="Strip Sam",
        )
        team = self.env["crm.team"].create(
            {"name": "Strip Team", "member_ids": [(6, 0, salesperson.ids)]}
        )
        company = self.env.company
        today = company._sm_local_date()
        plan = self.env["motivation.sales.plan"].create(
            {
                "name": "Strip plan",
                "date_from": date_utils.start_of(today, "month"),
                "date_to": date_utils.end_of(today, "month"),
                "team_ids": [(6, 0, team.ids)],
                "target_ids": [
                    (
                        0,
                        0,
                        {"user_id": salesperson.id, "metric": "deals_won", "target": 3},
                    ),
                    (
                        0,
                        0,
                        {"user_id": salesperson.id, "metric": "calls", "target": 20},
                    ),
                ],
            }
        )
        plan.action_approve()
        stage = self.env["crm.stage"].search(
            [("is_won", "=", False)], order="sequence", limit=1
        )
        client = self.env["res.partner"].create(
            {"name": "Strip Client", "phone": "+1 555 0199", "user_id": salesperson.id}
        )
        for name in ("Strip deal A", "Strip deal B", "Strip deal C"):
            deal = self.env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "user_id": salesperson.id,
                    "team_id": team.id,
                    "partner_id": client.id,
                    "expected_revenue": 1000,
                    "stage_id": stage.id,
                }
            )
        deal.activity_schedule(
            "mail.mail_activity_data_call", user_id=salesperson.id, summary="Call"
        )
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline",
            "sales_motivation_plan_progress",
            login=salesperson.login,
        )
        won = self.env["crm.lead"].search(
            [("user_id", "=", salesperson.id), ("stage_id.is_won", "=", True)]
        )
        self.assertEqual(len(won), 2)
        targets = {t.metric: t.achieved for t in plan.target_ids}
        self.assertEqual(targets, {"deals_won": 2, "calls": 1})


@tagged("post_install", "-at_install")
class TestPlanProgressDemo(TransactionCase):
    """The demo's plan of this month (skipped without the demo data): the
    strip, the win message and the team's card have figures."""

    def setUp(self):
        super().setUp()
        self.plan = self.env.ref(
            "sales_motivation.sales_plan_demo_current", raise_if_not_found=False
        )
        if not self.plan:
            self.skipTest("the demo data is not loaded")
        today = self.plan.company_id._sm_local_date()
        if not self.plan.date_from <= today <= self.plan.date_to:
            self.skipTest("the demo was loaded another month")

    def test_figures_everywhere(self):
        self.assertEqual(self.plan.state, "approved")
        ivan = self.env.ref("sales_motivation.user_salesperson_1_demo")
        strip = (
            self.env["motivation.sales.target"]
            .with_user(ivan)
            .sm_progress_strip([("type", "=", "opportunity")])
        )
        self.assertEqual(
            [item["metric"] for item in strip["items"]],
            ["deals_won", "revenue_new", "revenue_existing", "calls", "clients_served"],
        )
        team = self.env.ref("sales_motivation.crm_team_motivation_demo")
        self.assertTrue(team.with_user(team.user_id).sm_has_plan)
        maria = self.env.ref("sales_motivation.user_salesperson_2_demo")
        deal = self.env["crm.lead"].search(
            [
                ("user_id", "=", maria.id),
                ("type", "=", "opportunity"),
                ("stage_id.is_won", "=", False),
            ],
            limit=1,
        )
        action = deal.with_user(maria).action_set_won_rainbowman()
        self.assertIn("deals won this month", action["effect"]["message"])
