# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Whatever anyone does to a deal after it is won, its commission lines add
up to what the plan says is due."""

import random
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import float_round

from .test_commission import CommissionCommon


class TruthCommon(CommissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Rack", "list_price": 100.0, "taxes_id": [(5, 0, 0)]}
        )
        cls.buyer = cls.env["res.partner"].create({"name": "Buyer"})

    # -- what is due, computed here from the deal and the plan -------------

    def _plan_of(self, lead):
        """The test's plans: West has its own, every other team the common
        one (no plan with dates or gates in these tests)."""
        return self.plans.get(lead.team_id, self.plan)

    def _due(self, lead):
        """{(partner, role): amount} the plan says the deal pays."""
        lead = lead.sudo()
        if not (lead.active and lead.stage_id.is_won):
            return {}
        plan = self._plan_of(lead)
        if plan.base == "sale_order":
            base = sum(
                order.amount_untaxed
                for order in lead.order_ids
                if order.state == "sale"
            )
        else:
            base = lead.expected_revenue
        due = {}
        registrar = lead.sm_agent_id or lead.registrar_id.partner_id
        # a duplicate registration's share waits for a team leader
        held = lead.sm_duplicate_state == "flagged"
        if registrar and plan.registrar_percent and not held:
            due[(registrar, "registrar")] = self._share(base, plan.registrar_percent)
        if lead.sm_closer_id and plan.closer_percent:
            key = (lead.sm_closer_id.partner_id, "closer")
            due[key] = self._share(base, plan.closer_percent)
        return {key: amount for key, amount in due.items() if amount}

    @staticmethod
    def _share(base, percent):
        return float_round(base * percent / 100, precision_rounding=0.01)

    def _effective(self, lead):
        """{(partner, role): amount} of the effective lines: open, settled and
        adjustments, cancelled ones aside."""
        effective = {}
        for line in self._lines(lead).filtered(lambda line: line.state != "cancelled"):
            key = (line.partner_id, line.role)
            effective[key] = round(effective.get(key, 0.0) + line.amount, 2)
        return {key: amount for key, amount in effective.items() if amount}

    def _readable(self, amounts):
        return sorted((p.name, role, amount) for (p, role), amount in amounts.items())

    def assertTruth(self, lead, msg=None):
        self.assertEqual(
            self._readable(self._effective(lead)), self._readable(self._due(lead)), msg
        )

    def _settle_all(self):
        """The commission administrator approves and settles everything of
        the test's beneficiaries."""
        partners = self.env["res.partner"].search(
            [("name", "in", ("Sam", "Sara", "Will", "Dealer"))]
        )
        Line = self.Line.with_user(self.user_commission)
        Line.search(
            [("state", "=", "draft"), ("partner_id", "in", partners.ids)]
        ).action_approve()
        settlements = (
            self.env["motivation.settlement"]
            .with_user(self.user_commission)
            ._settle(date(2000, 1, 1), date(2100, 12, 31), partners=partners)
        )
        settlements.action_confirm()
        return settlements

    def _order(self, lead, qty=10, price=100.0, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": lead.partner_id.id or self.buyer.id,
                "opportunity_id": lead.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_id": [(5, 0, 0)],
                        },
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order


@tagged("post_install", "-at_install")
class TestSalespersonActions(TruthCommon):
    """Sara works her own deal (Sam registered it) with a salesperson's
    rights only: every action works and the commission follows it."""

    plans = {}

    def setUp(self):
        super().setUp()
        self.lead = self._deal(self.user_sam, self.user_sara)
        self.as_sara = self.lead.with_user(self.user_sara)
        self.as_sara.action_set_won_rainbowman()
        self.assertTruth(self.lead)
        self.assertTrue(self._effective(self.lead))

    def test_lost_then_restored_then_won_again(self):
        self.as_sara.action_set_lost()
        self.assertEqual(self._effective(self.lead), {})
        self.as_sara.toggle_active()  # restored: in the won stage again
        self.assertTruth(self.lead)
        self.assertTrue(self._effective(self.lead))
        self.as_sara.write({"stage_id": self.stage_new.id})
        self.assertEqual(self._effective(self.lead), {})
        self.as_sara.action_set_won_rainbowman()
        self.assertTruth(self.lead)

    def test_lost_wizard(self):
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive"})
        wizard = (
            self.env["crm.lead.lost"]
            .with_user(self.user_sara)
            .create({"lead_ids": [(6, 0, self.lead.ids)], "lost_reason_id": reason.id})
        )
        wizard.action_lost_reason_apply()
        self.assertFalse(self.lead.active)
        self.assertEqual(self._effective(self.lead), {})
        self.assertTruth(self.lead)

    def test_archived_and_unarchived(self):
        self.as_sara.action_archive()
        self.assertEqual(self._effective(self.lead), {})
        self.as_sara.action_unarchive()
        self.assertTruth(self.lead)
        self.assertTrue(self._effective(self.lead))

    def test_stage_dragged_back_and_forth(self):
        self.as_sara.write({"stage_id": self.stage_new.id})
        self.assertEqual(self._effective(self.lead), {})
        self.as_sara.write({"stage_id": self.stage_won.id})
        self.assertTruth(self.lead)
        self.assertTrue(self._effective(self.lead))

    def test_lost_after_settlement_is_reversed(self):
        self._settle_all()
        self.as_sara.action_set_lost()
        self.assertTruth(self.lead)
        adjustments = self._lines(self.lead, line_type="adjustment")
        self.assertEqual(sorted(adjustments.mapped("amount")), [-10000.0, -5000.0])
        self.as_sara.toggle_active()
        self.assertTruth(self.lead)
        self.assertEqual(
            self._effective(self.lead)[(self.user_sara.partner_id, "closer")], 10000.0
        )

    def test_merged(self):
        other = self._deal(self.user_sam, self.user_sara, revenue=30000.0)
        other.with_user(self.user_sara).action_set_won()
        third = self._deal(self.user_sara, self.user_sara, revenue=1000.0)
        wizard = (
            self.env["crm.merge.opportunity"]
            .with_user(self.user_sara)
            .create(
                {
                    "opportunity_ids": [(6, 0, (self.lead | third).ids)],
                    "user_id": self.user_sara.id,
                }
            )
        )
        merged = wizard.action_merge()
        head = self.env["crm.lead"].browse(merged["res_id"])
        self.assertEqual(head, self.lead, "the won deal leads the merge")
        self.assertFalse(third.exists())
        self.assertTruth(head)
        self.assertTruth(other)
        # merged through the ORM as well, the won deal absorbed
        merged = (
            (head | other)
            .with_user(self.user_sara)
            ._merge_opportunity(user_id=self.user_sara.id)
        )
        self.assertEqual(merged, head)
        self.assertFalse(other.exists())
        self.assertTruth(head)
        self.assertFalse(
            self.Line.search([("lead_id", "in", (other | third).ids)]),
            "no line outlives its deal",
        )

    def test_salesperson_never_writes_a_line(self):
        line = self._lines(self.lead, role="closer").with_user(self.user_sara)
        self.assertEqual(line.read(["amount"])[0]["amount"], 10000.0)
        with self.assertRaises(AccessError):
            line.write({"amount": 1e6})
        with self.assertRaises(AccessError):
            line.write({"state": "cancelled"})
        with self.assertRaises(AccessError):
            self.Line.with_user(self.user_sara).create(
                {
                    "lead_id": self.lead.id,
                    "plan_id": self.plan.id,
                    "partner_id": self.user_sara.partner_id.id,
                    "role": "closer",
                    "company_id": self.env.company.id,
                    "currency_id": self.env.company.currency_id.id,
                    "date": date(2027, 1, 1),
                    "amount": 1e6,
                }
            )
        with self.assertRaises(AccessError):
            line.action_approve()


@tagged("post_install", "-at_install")
class TestCommissionInputs(TruthCommon):
    """Whatever changes after the win, by whom, the lines follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan_west = cls.env["motivation.commission.plan"].create(
            {
                "name": "West",
                "team_ids": [(6, 0, cls.team_west.ids)],
                "registrar_percent": 3.0,
                "closer_percent": 7.0,
            }
        )
        cls.plans = {cls.team_west: cls.plan_west}

    def test_registrar_corrected_open_line(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        sam_line = self._lines(lead, role="registrar")
        lead.with_user(self.user_leader_east).registrar_id = self.user_will
        self.assertEqual(sam_line.state, "cancelled", "Sam is no longer paid")
        self.assertTruth(lead)
        self.assertEqual(
            self._lines(lead, role="registrar", state="draft").partner_id,
            self.user_will.partner_id,
        )

    def test_registrar_corrected_after_settlement(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        self._settle_all()
        lead.with_user(self.user_leader_east).registrar_id = self.user_will
        self.assertTruth(lead)
        reversal = self._lines(lead, line_type="adjustment")
        self.assertEqual(reversal.partner_id, self.user_sam.partner_id)
        self.assertEqual(reversal.amount, -5000.0)
        # an agent takes the registrar share instead
        agent = self.env["res.partner"].create({"name": "Dealer", "sm_is_agent": True})
        lead.with_user(self.user_leader_east).sm_agent_id = agent
        self.assertTruth(lead)
        self.assertEqual(
            self._lines(lead, role="registrar", partner_id=agent.id).amount, 5000.0
        )

    def test_team_changed_changes_plan(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        self._settle_all()
        lead.team_id = self.team_west
        self.assertTruth(lead)
        west = self._lines(lead, plan_id=self.plan_west.id, state="draft")
        self.assertEqual(sorted(west.mapped("amount")), [3000.0, 7000.0])
        east = self._lines(lead, plan_id=self.plan.id)
        self.assertEqual(
            sum(east.filtered(lambda x: x.state != "cancelled").mapped("amount")),
            0.0,
            "the East plan's settled lines reversed",
        )

    def test_company_changed(self):
        other = self.env["res.company"].create(
            {"name": "Other Co", "currency_id": self.env.company.currency_id.id}
        )
        plan = self.env["motivation.commission.plan"].create(
            {
                "name": "Other",
                "company_id": other.id,
                "closer_percent": 1.0,
                "registrar_percent": 0.0,
            }
        )
        (self.user_sam | self.user_sara).write({"company_ids": [(4, other.id)]})
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        lead.write({"company_id": other.id, "team_id": False})
        lines = self._lines(lead).filtered(lambda line: line.state != "cancelled")
        self.assertEqual(lines.plan_id, plan)
        self.assertEqual(lines.company_id, other)
        self.assertEqual(lines.amount, 1000.0)

    def test_gates_change_after_the_win(self):
        self.plan.write(
            {
                "registrar_requires_first_contact": True,
                "closer_requires_checkpoints": True,
            }
        )
        contract = self.env.ref("sales_motivation.checkpoint_type_contract")
        # ticked by hand here: a contract without evidence required (with
        # evidence, only a confirmed order or a waiver closes it)
        contract.write({"team_ids": False, "evidence": "none"})
        lead = self._deal(self.user_sam, self.user_sara)
        checkpoint = lead.sm_checkpoint_ids.filtered(lambda c: c.type_id == contract)
        lead.action_set_won()
        self.assertEqual(self._amounts(lead), [])
        lead.sm_first_contact_complete = True  # corrected by an administrator
        self.assertEqual(self._amounts(lead), [("registrar", "Sam", 5000.0)])
        checkpoint.with_user(self.user_leader_east).action_waive("On paper")
        self.assertEqual(len(self._amounts(lead)), 2)
        checkpoint.sudo().write({"state": "pending"})  # reopened
        self.assertEqual(self._amounts(lead), [("registrar", "Sam", 5000.0)])
        checkpoint.with_user(self.user_sara).action_done()
        self.assertEqual(len(self._amounts(lead)), 2)
        # data quality: the closer needs 70 %; the deal has a phone, a
        # revenue and its checkpoints on time (50), no interaction yet
        self.plan.closer_min_quality = 70
        lead.with_user(self.user_sara).phone = "+7 900"
        self.assertEqual(lead.sm_quality_score, 50)
        self.assertEqual(self._amounts(lead), [("registrar", "Sam", 5000.0)])
        result = self.env.ref("sales_motivation.interaction_result_done")
        self.env["motivation.interaction"].with_user(self.user_sara).create(
            {
                "lead_id": lead.id,
                "contact_name": "Anna",
                "contact_phone": "+7 900",
                "result_id": result.id,
                "topic": "Delivery",
            }
        )
        self.assertEqual(lead.sm_quality_score, 80)
        self.assertEqual(len(self._amounts(lead)), 2, "the interaction lifts it")

    def _order_deal(self):
        self.plan.base = "sale_order"
        lead = self._deal(self.user_sam, self.user_sara, partner_id=self.buyer.id)
        order = self._order(lead)
        lead.action_set_won()
        self.assertEqual(
            self._amounts(lead), [("closer", "Sara", 100.0), ("registrar", "Sam", 50.0)]
        )
        return lead, order

    def test_order_prices_recomputed(self):
        """The pricelist's rule changes and the confirmed order's prices are
        recomputed (computed prices, not written by a form)."""
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Partners",
                "item_ids": [
                    (
                        0,
                        0,
                        {
                            "compute_price": "percentage",
                            "percent_price": 0.0,
                            "applied_on": "3_global",
                        },
                    )
                ],
            }
        )
        self.buyer.property_product_pricelist = pricelist
        lead, order = self._order_deal()
        self.assertEqual(order.pricelist_id, pricelist)
        pricelist.item_ids.percent_price = 50.0
        order._recompute_prices()
        self.assertEqual(order.amount_untaxed, 500.0)
        self.assertTruth(lead)
        self.assertEqual(
            self._amounts(lead), [("closer", "Sara", 50.0), ("registrar", "Sam", 25.0)]
        )

    def test_order_amended_every_way(self):
        lead, order = self._order_deal()
        self._settle_all()
        order.order_line.discount = 10.0
        self.assertTruth(lead)
        order.write(
            {
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 5,
                            "price_unit": 100.0,
                            "tax_id": [(5, 0, 0)],
                        },
                    )
                ]
            }
        )
        self.assertTruth(lead)
        self.assertEqual(lead.sale_amount_total, 1400.0)
        order.order_line[-1:].product_uom_qty = 1
        self.assertTruth(lead)
        self.assertEqual(lead.sale_amount_total, 1000.0)
        order.action_lock()
        order.action_unlock()
        self.assertTruth(lead)
        order._action_cancel()
        self.assertEqual(self._effective(lead), {})
        self.assertTruth(lead)
        order.action_draft()
        order.order_line.filtered(lambda line: line.product_uom_qty == 1).unlink()
        self.assertTruth(lead)
        order.action_confirm()
        self.assertTruth(lead)
        self.assertEqual(lead.sale_amount_total, 900.0)
        second = self._order(lead, qty=1, confirm=False)
        self.assertTruth(lead)
        second.action_confirm()
        self.assertTruth(lead)
        self.assertEqual(lead.sale_amount_total, 1000.0)
        second._action_cancel()
        self.assertTruth(lead)


@tagged("post_install", "-at_install")
class TestCommissionInvariant(TruthCommon):
    """Random sequences of whatever people do to deals: after every step the
    effective lines equal what the plan says is due."""

    STEPS = 300

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan_west = cls.env["motivation.commission.plan"].create(
            {
                "name": "West orders",
                "team_ids": [(6, 0, cls.team_west.ids)],
                "registrar_percent": 3.0,
                "closer_percent": 7.0,
                "base": "sale_order",
            }
        )
        cls.plans = {cls.team_west: cls.plan_west}
        cls.agent = cls.env["res.partner"].create(
            {"name": "Dealer", "sm_is_agent": True}
        )
        cls.teams = {
            cls.user_sam: cls.team_east,
            cls.user_sara: cls.team_east,
            cls.user_will: cls.team_west,
        }

    def _amend_order(self, rng, order):
        how = rng.choice(["qty", "price", "add", "cancel", "confirm"])
        if how == "qty" and order.order_line:
            rng.choice(order.order_line).product_uom_qty = rng.randint(1, 20)
        elif how == "price" and order.order_line:
            rng.choice(order.order_line).price_unit = rng.choice([10.0, 99.5])
        elif how == "add":
            order.order_line = [
                (
                    0,
                    0,
                    {
                        "product_id": self.product.id,
                        "product_uom_qty": 2,
                        "price_unit": 33.0,
                        "tax_id": [(5, 0, 0)],
                    },
                )
            ]
        elif how == "cancel" and order.state != "cancel":
            order._action_cancel()
        elif how == "confirm" and order.state != "sale":
            if order.state == "cancel":
                order.action_draft()
            order.action_confirm()

    def _step(self, rng, leads):
        lead = rng.choice(leads)
        owner = lead.user_id
        action = rng.choice(
            [
                "win",
                "win",
                "lose",
                "reopen",
                "reassign",
                "registrar",
                "revenue",
                "order",
                "order",
                "approve",
                "settle",
            ]
        )
        if action == "win":
            lead.with_user(owner).action_set_won_rainbowman()
        elif action == "lose":
            lead.with_user(owner).action_set_lost()
        elif action == "reopen":
            if not lead.active:
                lead.with_user(owner).toggle_active()
            lead.with_user(owner).write({"stage_id": self.stage_new.id})
        elif action == "reassign":
            user = rng.choice(list(self.teams))
            lead.write({"user_id": user.id, "team_id": self.teams[user].id})
        elif action == "registrar":
            if rng.random() < 0.3:
                lead.write({"sm_agent_id": self.agent.id, "registrar_id": False})
            else:
                lead.write(
                    {
                        "sm_agent_id": False,
                        "registrar_id": rng.choice(list(self.teams)).id
                        if rng.random() < 0.9
                        else False,
                    }
                )
        elif action == "revenue":
            lead.with_user(owner).expected_revenue = rng.choice([0, 1000, 2500, 7777])
        elif action == "order":
            self._amend_order(rng, rng.choice(lead.order_ids))
        elif action == "approve":
            self.Line.with_user(self.user_commission).search(
                [("state", "=", "draft")]
            ).action_approve()
        else:
            self._settle_all()
        return f"{action} {lead.name}"

    def test_random_sequences(self):
        for seed in (1, 2):
            rng = random.Random(seed)
            leads = self.env["crm.lead"]
            for i, owner in enumerate((self.user_sam, self.user_sara, self.user_will)):
                for j in range(2):
                    lead = self._deal(
                        rng.choice([self.user_sam, self.user_will]),
                        owner,
                        revenue=1000.0 * (i + j + 1),
                        partner_id=self.buyer.id,
                        team_id=self.teams[owner].id,
                        name=f"Deal {seed}-{i}-{j}",
                    )
                    self._order(lead, qty=i + j + 1, confirm=j == 0)
                    leads |= lead
            history = []
            for step in range(self.STEPS // 2):
                history.append(self._step(rng, leads))
                for lead in leads:
                    due, effective = self._due(lead), self._effective(lead)
                    if due != effective:
                        self.fail(
                            f"seed {seed}, step {step} ({history[-1]}), {lead.name}: "
                            f"due {self._readable(due)}, lines "
                            f"{self._readable(effective)}; last steps: {history[-8:]}"
                        )


@tagged("post_install", "-at_install")
class TestCommissionCheck(TruthCommon):
    """The scheduled check finds lines that differ from what is due."""

    plans = {}

    def test_check_finds_a_difference_made_by_sql(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        fine = self._deal(self.user_sam, self.user_sam)
        fine.action_set_won()
        Line = self.Line.with_user(self.user_commission)
        self.assertEqual(self.Line._sm_check_commission(), [])
        action = Line.action_sm_check_commission()
        self.assertEqual(action["tag"], "display_notification")
        line = self._lines(lead, role="closer")
        self.env.cr.execute(
            "UPDATE motivation_commission_line SET amount = 9000 WHERE id = %s",
            (line.id,),
        )
        self.env.invalidate_all()
        differences = self.Line._sm_check_commission()
        self.assertEqual(
            [(d[0], d[1], d[2], d[3], d[4]) for d in differences],
            [(lead, self.user_sara.partner_id, "closer", 10000.0, 9000.0)],
        )
        notified = self.env["mail.message"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("partner_ids", "in", self.user_commission.partner_id.ids),
            ]
        )
        self.assertTrue(notified, "the commission administrators are told")
        self.assertIn("9000", "".join(notified.mapped("body")).replace(",", ""))
        action = Line.action_sm_check_commission()
        self.assertEqual(action["domain"], [("lead_id", "in", [lead.id])])
        with self.assertRaises(AccessError):
            self.Line.with_user(self.user_sam).action_sm_check_commission()
        # the cron runs the same check
        cron = self.env.ref("sales_motivation.ir_cron_check_commission")
        self.assertEqual(cron.interval_type, "days")
        cron.method_direct_trigger()
        self.assertEqual(
            len(
                self.env["mail.message"].search(
                    [
                        ("model", "=", "crm.lead"),
                        ("res_id", "=", lead.id),
                        ("partner_ids", "in", self.user_commission.partner_id.ids),
                    ]
                )
            ),
            len(notified) + 2,
            "one notice by the button, one by the cron",
        )


@tagged("post_install", "-at_install")
class TestCommissionLocalDate(TruthCommon):
    """Commission belongs to the company's local day and month."""

    plans = {}

    def _tz(self, tz):
        self.env.company.resource_calendar_id.tz = tz

    def _split_plans(self):
        """March and April plans instead of the open-ended one."""
        self.plan.write({"date_from": date(2027, 4, 1), "closer_percent": 20.0})
        return self.env["motivation.commission.plan"].create(
            {
                "name": "March",
                "date_to": date(2027, 3, 31),
                "registrar_percent": 5.0,
                "closer_percent": 10.0,
            }
        )

    def test_moscow_deal_won_after_midnight_is_april(self):
        self._tz("Europe/Moscow")  # UTC+3
        march = self._split_plans()
        lead = self._deal(self.user_sam, self.user_sara)
        with freeze_time("2027-03-31 21:30:00"):  # 00:30 on April 1st in Moscow
            lead.action_set_won()
        lines = self._lines(lead)
        self.assertEqual(set(lines.mapped("date")), {date(2027, 4, 1)})
        self.assertEqual(lines.plan_id, self.plan, "April's plan")
        self.assertNotIn(march, lines.plan_id)
        # the settlement run in the night of April 1st settles March; the
        # wizard proposes March (before the lines are approved: with approved
        # lines in April only, it proposes April)
        with freeze_time("2027-03-31 22:00:00"):
            wizard = self.env["motivation.settlement.wizard"].create({})
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2027, 3, 1), date(2027, 3, 31))
        )
        lines.action_approve()
        with freeze_time("2027-03-31 22:00:00"):
            Settlement = self.env["motivation.settlement"]
            Settlement._cron_settle_previous_month()
        self.assertFalse(lines.settlement_id, "April's lines wait for April")
        # an adjustment is dated the company's day of the change
        Settlement._settle(date(2027, 4, 1), date(2027, 4, 30)).action_confirm()
        self.assertEqual(set(lines.mapped("state")), {"settled"})
        with freeze_time("2027-04-30 21:30:00"):  # May 1st in Moscow
            lead.action_set_lost()
        adjustments = self._lines(lead, line_type="adjustment")
        self.assertEqual(set(adjustments.mapped("date")), {date(2027, 5, 1)})

    def test_new_york_deal_won_before_midnight_is_march(self):
        self._tz("America/New_York")  # UTC-4 in spring, UTC-5 in winter
        march = self._split_plans()
        lead = self._deal(self.user_sam, self.user_sara)
        with freeze_time("2027-04-01 03:30:00"):  # 23:30 on March 31st in New York
            lead.action_set_won()
        lines = self._lines(lead)
        self.assertEqual(set(lines.mapped("date")), {date(2027, 3, 31)})
        self.assertEqual(lines.plan_id, march)
        with freeze_time("2027-04-01 03:30:00"):
            # still March in New York: the previous month is February (the
            # wizard's default while no line is approved)
            wizard = self.env["motivation.settlement.wizard"].create({})
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2027, 2, 1), date(2027, 2, 28))
        )
        lines.action_approve()
        with freeze_time("2027-04-01 03:30:00"):
            self.env["motivation.settlement"]._cron_settle_previous_month()
        self.assertFalse(lines.settlement_id)
        with freeze_time("2027-04-01 05:30:00"):  # April 1st, 01:30 in New York
            self.env["motivation.settlement"]._cron_settle_previous_month()
        self.assertEqual(
            set(lines.settlement_id.mapped(lambda s: (s.date_from, s.date_to))),
            {(date(2027, 3, 1), date(2027, 3, 31))},
        )

    def test_winter_new_york_is_utc_minus_5(self):
        self._tz("America/New_York")
        lead = self._deal(self.user_sam, self.user_sara)
        with freeze_time("2027-01-01 04:30:00"):  # 23:30 on Dec 31st in New York
            lead.action_set_won()
        self.assertEqual(set(self._lines(lead).mapped("date")), {date(2026, 12, 31)})
