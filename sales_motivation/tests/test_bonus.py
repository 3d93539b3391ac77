# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import float_compare

from .test_achievement import AchievementCommon


class BonusCommon(AchievementCommon):
    """Commission plan ``plan`` (5 % registrar, 10 % closer) pays the
    attainment bonus of the sales plans of team East."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["motivation.sales.plan"]
        cls.Line = cls.env["motivation.commission.line"]

    def _configure(self, mode="multiplier", level_mode="tiered", levels=None, **vals):
        levels = levels or [(100, 1.2, 100.0), (150, 1.5, 300.0)]
        self.plan.write(
            {
                "bonus_mode": mode,
                "level_mode": level_mode,
                "level_ids": [Command.clear()]
                + [
                    Command.create({"attainment": a, "multiplier": m, "amount": amount})
                    for a, m, amount in levels
                ],
                **vals,
            }
        )

    def _sales_plan(self, month, targets, name=None):
        """The plan of ``month`` of 2026 for team East, approved:
        ``targets`` [(user, metric, target)]."""
        first = date(2026, month, 1)
        last = date(2026, month + 1, 1).toordinal() - 1
        plan = self.Plan.create(
            {
                "name": name or f"2026-{month:02d}",
                "date_from": first,
                "date_to": date.fromordinal(last),
                "team_ids": [Command.set(self.team_east.ids)],
                "commission_plan_id": self.plan.id,
                "target_ids": [
                    Command.create({"user_id": u.id, "metric": m, "target": t})
                    for u, m, t in targets
                ],
            }
        )
        plan.with_user(self.user_commission).action_approve()
        return plan

    def _close(self, plan):
        plan.with_user(self.user_commission).action_close()
        return plan.bonus_line_ids.sorted("id")

    def _win(self, user, revenue, when, **vals):
        with freeze_time(when):
            lead = self._deal(user, revenue=revenue, **vals)
            lead.action_set_won()
        return lead

    def _may_with_reversals(self, user):
        """``user``'s May 2026 with reversals: a win lost, a deal reopened
        and won again, an April win lost in May, amounts with cents; and a
        win of June (not May's). May's revenue: 1234.56 + 410.10 - 700,
        one deal won."""
        april = self._win(user, 700.0, "2026-04-28 10:00:00")
        self._win(user, 1234.56, "2026-05-04 10:00:00")
        lost = self._win(user, 999.99, "2026-05-05 10:00:00")
        reopened = self._win(user, 410.10, "2026-05-06 10:00:00")
        with freeze_time("2026-05-08 10:00:00"):
            lost.action_set_lost()
            reopened.write({"stage_id": self.stage_new.id})
            april.action_set_lost()
        with freeze_time("2026-05-20 10:00:00"):
            reopened.write({"stage_id": self.stage_won.id})
        # a change after the period: not May's
        with freeze_time("2026-06-02 10:00:00"):
            self._deal(user, revenue=50.0).action_set_won()

    def _log(self, result, user=None, **vals):
        return self.env["motivation.interaction"].create(
            {
                **vals,
                "contact_partner_id": self.client_contact.id,
                "user_id": (user or self.user_sam).id,
                "kind": "call",
                "contact_name": "Ann",
                "contact_phone": "+1 555 0101",
                "result_id": result.id,
                "topic": "Offer",
            }
        )

    def _log_call(self, when, user=None):
        with freeze_time(when):
            return self._log(self.result_reached, user=user)


@tagged("post_install", "-at_install")
class TestBonusLevels(BonusCommon):
    def test_tiered_and_linear_levels(self):
        """Tiered pays the highest level reached; linear interpolates between
        two levels; below the first level nothing, above the last the last."""
        self._configure(level_mode="tiered")
        level_100, level_150 = self.plan.level_ids.sorted("attainment")
        self.assertEqual(self.plan._sm_level(90.0), (self.plan.level_ids[:0], 1.0))
        self.assertEqual(self.plan._sm_level(125.0), (level_100, 1.2))
        self.assertEqual(self.plan._sm_level(200.0), (level_150, 1.5))
        self.plan.level_mode = "linear"
        level, multiplier = self.plan._sm_level(125.0)
        self.assertEqual(level, level_100)
        self.assertAlmostEqual(multiplier, 1.35)
        self.assertEqual(self.plan._sm_level(200.0), (level_150, 1.5))

    def test_closing_pays_the_closer_share_multiplied(self):
        """Sara's new revenue target 2,000 and she wins 2,500 in May: 125 %.
        Linear: × 1.35 of her closer share (10 % of 2,500 = 250), the bonus
        being the part above the share: 87.50. Her calls target is no
        revenue: a multiplier plan pays it nothing."""
        self._configure(level_mode="linear")
        self._win(self.user_sara, 2500.0, "2026-05-12 10:00:00")
        plan = self._sales_plan(
            5,
            [
                (self.user_sara, "revenue_new", 2000.0),
                (self.user_sara, "calls", 10.0),
            ],
        )
        with freeze_time("2026-06-01 09:00:00"):
            lines = self._close(plan)
        self.assertEqual(plan.state, "closed")
        self.assertEqual(len(lines), 1)
        self.assertRecordValues(
            lines,
            [
                {
                    "role": "bonus",
                    "line_type": "commission",
                    "state": "draft",
                    "user_id": self.user_sara.id,
                    "partner_id": self.user_sara.partner_id.id,
                    "team_id": self.team_east.id,
                    "lead_id": False,
                    "metric": "revenue_new",
                    "target_value": 2000.0,
                    "achieved": 2500.0,
                    "attainment": 125.0,
                    "level_id": self.plan.level_ids.sorted("attainment")[0].id,
                    "multiplier": 1.35,
                    "base_amount": 250.0,
                    "amount": 87.5,
                    "date": date(2026, 5, 31),
                }
            ],
        )

    def test_cap_limits_the_attainment_paid(self):
        """Cap 120 %: 150 % attainment pays as 120 % (linear: 1.2 + 20/50 of
        0.3 = × 1.32); the line keeps the real attainment."""
        self._configure(level_mode="linear", attainment_cap=120.0)
        self._win(self.user_sara, 3000.0, "2026-05-12 10:00:00")
        plan = self._sales_plan(5, [(self.user_sara, "revenue_new", 2000.0)])
        line = self._close(plan)
        self.assertEqual(line.attainment, 150.0)
        self.assertAlmostEqual(line.multiplier, 1.32)
        self.assertEqual(line.amount, 96.0)  # 300 × 0.32

    def test_quality_gate_blocks_the_accelerator(self):
        """The deals Sara won score under the plan's data quality minimum: her
        150 % pays as 100 % (× 1.2, not × 1.5)."""
        self._configure(gate_min_quality=90)
        lead = self._win(self.user_sara, 3000.0, "2026-05-12 10:00:00")
        self.assertLess(lead.sm_quality_score, 90)
        plan = self._sales_plan(5, [(self.user_sara, "revenue_new", 2000.0)])
        line = self._close(plan)
        self.assertTrue(line.gate_blocked)
        self.assertEqual(line.level_id, self.plan.level_ids.sorted("attainment")[0])
        self.assertEqual(line.multiplier, 1.2)
        self.assertEqual(line.amount, 60.0)  # 300 × 0.2
        # no gate: the accelerator pays
        self.plan.gate_min_quality = 0
        self.assertEqual(
            plan._sm_bonus_due()[plan.target_ids]["amount"], 150.0
        )  # 300 × 0.5

    def test_requests_on_time_gate(self):
        """Two of Sara's four requests of May answered on time (50 %), the
        plan asking 90 %: no accelerator. Will, with no request due, passes."""
        self._configure(gate_requests_on_time=90.0)
        self._win(self.user_sara, 3000.0, "2026-05-12 10:00:00")
        self._win(self.user_will, 3000.0, "2026-05-12 10:00:00")
        # the rows response deadlines write (one per request due)
        self.Achievement.create(
            [
                {
                    "user_id": self.user_sara.id,
                    "metric": "requests_on_time",
                    "date": date(2026, 5, 10 + i),
                    "value": 100.0 if i % 2 else 0.0,
                    "company_id": self.env.company.id,
                    "res_model": "motivation.response",
                    "res_id": i + 1,
                }
                for i in range(4)
            ]
        )
        plan = self._sales_plan(
            5,
            [
                (self.user_sara, "revenue_new", 2000.0),
                (self.user_will, "revenue_new", 2000.0),
            ],
        )
        lines = self._close(plan)
        sara = lines.filtered(lambda line: line.user_id == self.user_sara)
        will = lines.filtered(lambda line: line.user_id == self.user_will)
        self.assertTrue(sara.gate_blocked)
        self.assertEqual(sara.amount, 60.0)
        self.assertFalse(will.gate_blocked)
        self.assertEqual(will.amount, 150.0)

    def test_fixed_bonus_per_target(self):
        """A fixed-bonus plan pays each target the amount of its level: Sam's
        calls at 100 % earn 100, his won deals at 50 % nothing (a line all
        the same, keeping the figures)."""
        self._configure(mode="fixed")
        for day in (5, 6):
            self._log_call(f"2026-05-{day:02d} 10:00:00")
        self._win(self.user_sam, 500.0, "2026-05-07 10:00:00")
        plan = self._sales_plan(
            5,
            [
                (self.user_sam, "calls", 2.0),
                (self.user_sam, "deals_won", 2.0),
            ],
        )
        lines = self._close(plan)
        self.assertEqual(
            sorted(
                (line.metric, line.achieved, line.attainment, line.amount)
                for line in lines
            ),
            [("calls", 2.0, 100.0, 100.0), ("deals_won", 1.0, 50.0, 0.0)],
        )
        self.assertEqual(plan.bonus_total, 100.0)
        # the lines settle with the period's commission
        lines.action_approve()
        settlements = self.env["motivation.settlement"]._settle(
            date(2026, 5, 1), date(2026, 5, 31)
        )
        self.assertEqual(settlements.line_ids.filtered("sales_plan_id"), lines)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sales_motivation.report_settlement_statement", settlements.ids
            )[0]
            .decode()
        )
        self.assertIn("plan_part", html)
        self.assertIn("2026-05", html)

    def test_no_bonus_without_commission_plan_levels(self):
        self._win(self.user_sara, 3000.0, "2026-05-12 10:00:00")
        plan = self._sales_plan(5, [(self.user_sara, "revenue_new", 2000.0)])
        self.assertFalse(self._close(plan))


@tagged("post_install", "-at_install")
class TestBonusClosedPeriods(BonusCommon):
    def test_closing_freezes_and_a_later_reversal_lowers_the_next_period(self):
        """May closed with Sara's 2,500 won; the deal is lost in June: May's
        line and its target keep 2,500 (the reversal is dated in June),
        June's plan shows -2,500."""
        self._configure(mode="fixed")
        lead = self._win(self.user_sara, 2500.0, "2026-05-12 10:00:00")
        may = self._sales_plan(5, [(self.user_sara, "revenue_new", 2000.0)])
        with freeze_time("2026-06-01 09:00:00"):
            line = self._close(may)
        self.assertEqual((line.achieved, line.amount), (2500.0, 100.0))
        with freeze_time("2026-06-10 10:00:00"):
            lead.action_set_lost()
        june = self._sales_plan(6, [(self.user_sara, "revenue_new", 2000.0)])
        self.assertEqual(june.target_ids.achieved, -2500.0)
        with freeze_time("2026-07-01 09:00:00"):
            june_lines = self._close(june)
        self.assertEqual(may.target_ids.achieved, 2500.0)
        self.assertEqual(may.bonus_line_ids, line)
        self.assertEqual((line.achieved, line.amount), (2500.0, 100.0))
        self.assertEqual(june_lines.achieved, -2500.0)
        self.assertEqual(june_lines.amount, 0.0)
        with self.assertRaises(UserError):
            may.with_user(self.user_commission).write(
                {"name": "May again", "change_reason": "typo"}
            )

    def test_late_row_in_a_closed_period_is_an_adjustment_of_the_next(self):
        """A call of May logged after May was closed: May's bonus line stays;
        closing June writes May's adjustment, dated at the end of June."""
        self._configure(mode="fixed")
        self._log_call("2026-05-05 10:00:00")
        may = self._sales_plan(5, [(self.user_sam, "calls", 2.0)])
        with freeze_time("2026-06-01 09:00:00"):
            original = self._close(may)
        self.assertEqual((original.achieved, original.amount), (1.0, 0.0))
        original.action_approve()
        self.env["motivation.settlement"]._settle(
            date(2026, 5, 1), date(2026, 5, 31)
        ).action_confirm()
        self.assertEqual(original.state, "settled")
        # logged on 3 June, dated 20 May
        with freeze_time("2026-06-03 10:00:00"):
            self._log(self.result_reached, date=datetime(2026, 5, 20, 10, 0))
        self.assertEqual(may.target_ids.achieved, 2.0)
        june = self._sales_plan(6, [(self.user_sam, "calls", 2.0)])
        with freeze_time("2026-07-01 09:00:00"):
            june.with_user(self.user_commission).action_close()
        adjustment = may.bonus_line_ids - original
        self.assertRecordValues(
            adjustment,
            [
                {
                    "line_type": "adjustment",
                    "origin_line_id": original.id,
                    "sales_target_id": may.target_ids.id,
                    "achieved": 2.0,
                    "attainment": 100.0,
                    "amount": 100.0,
                    "date": date(2026, 6, 30),
                    "state": "draft",
                }
            ],
        )
        self.assertEqual((original.achieved, original.amount), (1.0, 0.0))
        # closing again later finds nothing new
        july = self._sales_plan(7, [(self.user_sam, "calls", 2.0)])
        july.with_user(self.user_commission).action_close()
        self.assertEqual(may.bonus_line_ids, original | adjustment)

    def test_report_equals_pay_cent_for_cent(self):
        """A May with reversals: a win lost, a deal reopened and won again, an
        April win lost in May, an amount with cents; the ledger's totals,
        the achievement report's grouping, the targets' achieved and the
        bonus lines' inputs are equal to the cent."""
        self._configure(mode="fixed")
        self._may_with_reversals(self.user_sara)
        metrics = ["revenue_new", "deals_won"]
        plan = self._sales_plan(
            5, [(self.user_sara, metric, 1000.0) for metric in metrics]
        )
        ledger = self.Achievement._totals(
            self.user_sara, metrics, plan.date_from, plan.date_to, plan.company_id
        )
        report = {
            metric: value
            for metric, value in self.Achievement.with_user(
                self.user_commission
            )._read_group(
                [
                    ("user_id", "=", self.user_sara.id),
                    ("date", ">=", plan.date_from),
                    ("date", "<=", plan.date_to),
                ],
                ["metric"],
                ["value:sum"],
            )
        }
        with freeze_time("2026-06-03 09:00:00"):
            lines = self._close(plan)
        expected = {"revenue_new": 1234.56 + 410.10 - 700.0, "deals_won": 1.0}
        for metric, value in expected.items():
            target = plan.target_ids.filtered(lambda t, m=metric: t.metric == m)
            line = lines.filtered(lambda t, m=metric: t.metric == m)
            for figure in (
                ledger[(self.user_sara, metric)],
                report[metric],
                target.achieved,
                line.achieved,
            ):
                self.assertEqual(float_compare(figure, value, precision_digits=2), 0)
            self.assertEqual(
                float_compare(line.attainment, target.attainment, precision_digits=1),
                0,
            )


@tagged("post_install", "-at_install")
class TestBonusAccess(BonusCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.write(
            {
                "bonus_mode": "fixed",
                "level_ids": [Command.create({"attainment": 50, "amount": 40.0})],
            }
        )

    def _closed_plan(self):
        self._win(self.user_sam, 800.0, "2026-05-12 10:00:00")
        self._win(self.user_sara, 900.0, "2026-05-12 10:00:00")
        plan = self._sales_plan(
            5,
            [
                (self.user_sam, "revenue_new", 1000.0),
                (self.user_sara, "revenue_new", 1000.0),
            ],
        )
        return plan, self._close(plan)

    def test_salesperson_reads_own_bonus_only(self):
        plan, lines = self._closed_plan()
        sam_line = lines.filtered(lambda line: line.user_id == self.user_sam)
        sara_line = lines - sam_line
        Line = self.Line.with_user(self.user_sam)
        self.assertEqual(Line.search([("role", "=", "bonus")]), sam_line)
        self.assertEqual(sam_line.with_user(self.user_sam).achieved, 800.0)
        with self.assertRaises(AccessError):
            sara_line.with_user(self.user_sam).read(["amount"])
        with self.assertRaises(AccessError):
            sam_line.with_user(self.user_sam).write({"amount": 1000.0})
        with self.assertRaises(AccessError):
            sam_line.with_user(self.user_sam).action_approve()
        self.assertEqual(plan.with_user(self.user_sam).bonus_line_ids, sam_line)

    def test_salesperson_cannot_close_or_edit_levels(self):
        self._win(self.user_sam, 800.0, "2026-05-12 10:00:00")
        plan = self._sales_plan(5, [(self.user_sam, "revenue_new", 1000.0)])
        with self.assertRaises(AccessError):
            plan.with_user(self.user_sam).action_close()
        self.assertEqual(plan.state, "approved")
        self.assertFalse(plan.bonus_line_ids)
        with self.assertRaises(AccessError):
            self.plan.level_ids.with_user(self.user_sam).write({"amount": 1e6})
        with self.assertRaises(AccessError):
            self.plan.with_user(self.user_sam).write({"bonus_mode": "none"})

    def test_commission_administrator_closes_and_approves(self):
        _plan, lines = self._closed_plan()
        self.assertEqual(len(lines), 2)
        lines.with_user(self.user_commission).action_approve()
        self.assertEqual(set(lines.mapped("state")), {"approved"})
        leader_lines = self.Line.with_user(self.user_leader_east).search(
            [("role", "=", "bonus")]
        )
        self.assertEqual(leader_lines, lines)

    def test_levels_edited_in_the_plan_form(self):
        plan = self.env["motivation.commission.plan"].with_user(self.user_commission)
        with Form(plan.browse(self.plan.id)) as form:
            form.bonus_mode = "multiplier"
            form.level_mode = "linear"
            with form.level_ids.edit(0) as level:
                level.attainment = 80.0
                level.multiplier = 1.1
            with form.level_ids.new() as level:
                level.attainment = 120.0
                level.multiplier = 1.4
            form.attainment_cap = 150.0
        self.assertEqual(
            [(lv.attainment, lv.multiplier) for lv in self.plan.level_ids],
            [(80.0, 1.1), (120.0, 1.4)],
        )
        self.assertEqual(self.plan._sm_level(100.0)[1], 1.25)
        form = Form(plan.browse(self.plan.id))
        with form.level_ids.edit(1) as level:
            level.multiplier = 1.05  # less than the level below
        with self.assertRaises(UserError):
            form.save()


@tagged("post_install", "-at_install")
class TestBonusLevelsTour(HttpCase):
    def test_levels_in_the_commission_plan_form(self):
        admin = new_test_user(
            self.env,
            "sm_tour_bonus_carla",
            groups="sales_motivation.group_commission_manager",
            name="Tour Carla",
        )
        # a new plan for every team overlaps no other
        self.env["motivation.commission.plan"].search([]).write({"active": False})
        self.start_tour(
            "/odoo/action-sales_motivation.motivation_commission_plan_action",
            "sales_motivation_bonus_levels",
            login=admin.login,
        )
        plan = self.env["motivation.commission.plan"].search(
            [("name", "=", "Tour bonus plan")]
        )
        self.assertEqual(plan.bonus_mode, "fixed")
        self.assertEqual(
            [(lv.attainment, lv.amount) for lv in plan.level_ids], [(100.0, 500.0)]
        )
