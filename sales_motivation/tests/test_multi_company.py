# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The record's company decides, not the company the user works in."""

from datetime import date

from odoo.tests import tagged

from .test_commission import CommissionCommon


@tagged("post_install", "-at_install")
class TestRecordsCompany(CommissionCommon):
    """Company A (the test's, East and West) and company B, in another
    currency, with its own team North, plan and checkpoint type. Sam is
    allowed in both and works in A while he touches a deal of B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        currency_b = cls.env["res.currency"].search(
            [
                ("name", "in", ("EUR", "GBP", "JPY")),
                ("id", "!=", cls.company_a.currency_id.id),
                ("active", "in", (True, False)),
            ],
            limit=1,
        )
        currency_b.active = True
        cls.currency_b = currency_b
        cls.company_b = cls.env["res.company"].create(
            {"name": "Company B", "currency_id": currency_b.id}
        )
        # one A is worth two B's
        cls.env["res.currency.rate"].create(
            [
                {
                    "name": date(2020, 1, 1),
                    "rate": 2.0 * cls.company_a.currency_id.rate,
                    "currency_id": currency_b.id,
                    "company_id": cls.company_a.id,
                },
            ]
        )
        users = cls.user_sam | cls.user_sara | cls.user_leader_east
        users.write({"company_ids": [(4, cls.company_b.id)]})
        cls.team_north = cls.env["crm.team"].create(
            {
                "name": "North",
                "company_id": cls.company_b.id,
                # Odoo's members belong to the team's company as their
                # main one: Sam, of A, is B's deal's salesperson, no member
                "user_id": cls.user_leader_east.id,
            }
        )
        cls.plan_b = cls.env["motivation.commission.plan"].create(
            {
                "name": "Company B plan",
                "company_id": cls.company_b.id,
                "registrar_percent": 1.0,
                "closer_percent": 2.0,
            }
        )
        Type = cls.env["motivation.checkpoint.type"]
        cls.type_a = Type.create({"name": "A's check", "company_id": cls.company_a.id})
        cls.type_b = Type.create({"name": "B's check", "company_id": cls.company_b.id})
        # Sam works in company A, with B allowed too
        cls.sam_in_a = cls.env(
            user=cls.user_sam,
            context=dict(
                cls.env.context,
                allowed_company_ids=[cls.company_a.id, cls.company_b.id],
            ),
        )

    def _deal_b(self, **vals):
        return self._create_lead(
            self.user_sam,
            self.team_north,
            expected_revenue=1000.0,
            stage_id=self.stage_new.id,
            **vals,
        )

    def test_deal_of_b_is_paid_by_bs_plan_in_bs_currency(self):
        lead = self._deal_b()
        self.assertEqual(lead.company_id, self.company_b)
        self.assertEqual(self.sam_in_a.company, self.company_a)
        lead.with_env(self.sam_in_a).action_set_won()
        lines = self._lines(lead)
        self.assertEqual(lines.plan_id, self.plan_b)
        self.assertEqual(lines.company_id, self.company_b)
        self.assertEqual(lines.currency_id, self.currency_b)
        self.assertEqual(
            sorted(lines.mapped("amount")), [10.0, 20.0], "B's 1 % and 2 %"
        )
        # a deal of A won the same way keeps A's plan and currency
        lead_a = self._deal(self.user_sam, self.user_sam, revenue=1000.0)
        lead_a.with_env(self.sam_in_a).action_set_won()
        self.assertEqual(self._lines(lead_a).plan_id, self.plan)
        self.assertEqual(self._lines(lead_a).currency_id, self.company_a.currency_id)

    def test_settlements_by_company_and_currency(self):
        lead_b = self._deal_b()
        lead_a = self._deal(self.user_sam, self.user_sam, revenue=1000.0)
        (lead_a | lead_b).with_env(self.sam_in_a).action_set_won()
        lines = self._lines(lead_a) | self._lines(lead_b)
        lines.action_approve()
        Settlement = self.env["motivation.settlement"]
        today = date.today()
        settlements = Settlement._settle(today.replace(day=1), today)
        sam = settlements.filtered(lambda s: s.partner_id == self.user_sam.partner_id)
        self.assertEqual(
            sorted(
                (s.company_id.name, s.currency_id.name, s.amount_total) for s in sam
            ),
            sorted(
                [
                    ("Company B", self.currency_b.name, 30.0),
                    (self.company_a.name, self.company_a.currency_id.name, 150.0),
                ]
            ),
        )

    def test_checkpoint_types_of_the_deals_company(self):
        lead = (
            self.env["crm.lead"]
            .with_env(self.sam_in_a)
            .create(
                {
                    "name": "North deal",
                    "type": "opportunity",
                    "team_id": self.team_north.id,
                }
            )
        )
        lead.env.flush_all()
        types = lead.sudo().sm_checkpoint_ids.type_id
        self.assertIn(self.type_b, types)
        self.assertNotIn(self.type_a, types)
        # moved to company A's team East: A's types
        lead.sudo().write({"team_id": self.team_east.id, "company_id": False})
        lead.env.flush_all()
        types = lead.sudo().sm_checkpoint_ids.type_id
        self.assertIn(self.type_a, types)
        self.assertNotIn(self.type_b, types)

    def test_interaction_of_the_deals_company(self):
        lead = self._deal_b()
        result = self.env["motivation.interaction.result"].search([], limit=1)
        interaction = (
            self.env["motivation.interaction"]
            .with_env(self.sam_in_a)
            .create(
                {
                    "kind": "call",
                    "direction": "outgoing",
                    "lead_id": lead.id,
                    "contact_name": "Olga",
                    "contact_phone": "+7 495 000 00 00",
                    "topic": "Prices",
                    "result_id": result.id,
                }
            )
        )
        self.assertEqual(interaction.company_id, self.company_b)

    def test_sale_order_base_in_the_deals_currency(self):
        """A plan on orders: an order of B for B's deal counts in B's
        currency, whoever's company the user works in."""
        self.plan_b.base = "sale_order"
        product = self.env["product.product"].create(
            {"name": "Rack", "list_price": 100.0, "taxes_id": [(5, 0, 0)]}
        )
        buyer = self.env["res.partner"].create({"name": "Buyer B"})
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "B prices",
                "company_id": self.company_b.id,
                "currency_id": self.currency_b.id,
            }
        )
        lead = self._deal_b(partner_id=buyer.id)
        order = (
            self.env["sale.order"]
            .with_company(self.company_b)
            .create(
                {
                    "partner_id": buyer.id,
                    "opportunity_id": lead.id,
                    "company_id": self.company_b.id,
                    "pricelist_id": pricelist.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "price_unit": 500.0})
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.currency_id, self.currency_b)
        lead.with_env(self.sam_in_a).action_set_won()
        closer = self._lines(lead, role="closer")
        self.assertEqual(closer.currency_id, self.currency_b)
        self.assertEqual(closer.base_amount, 500.0)
        self.assertEqual(closer.amount, 10.0)

    def test_repeat_client_volume_in_its_companys_currency(self):
        """A client shared by both companies (of no company) orders from A
        (300 in A's currency) and from B (600 in B's, worth 300 in A's): its
        monthly volume, in the current company's currency, is 200, not
        (300 + 600) / 3."""
        product = self.env["product.product"].create(
            {"name": "Pallet", "list_price": 100.0, "taxes_id": [(5, 0, 0)]}
        )
        client = self.env["res.partner"].create(
            {
                "name": "Paper Shop",
                "is_company": True,
                "company_id": False,
                "user_id": self.user_sam.id,
                "sm_monthly_target": 1000.0,
            }
        )
        pricelist_b = self.env["product.pricelist"].create(
            {
                "name": "B prices",
                "company_id": self.company_b.id,
                "currency_id": self.currency_b.id,
            }
        )
        for company, pricelist, price in (
            (self.company_a, False, 300.0),
            (self.company_b, pricelist_b, 600.0),
        ):
            order = (
                self.env["sale.order"]
                .with_company(company)
                .create(
                    {
                        "partner_id": client.id,
                        "company_id": company.id,
                        **({"pricelist_id": pricelist.id} if pricelist else {}),
                        "order_line": [
                            (0, 0, {"product_id": product.id, "price_unit": price})
                        ],
                    }
                )
            )
            order.action_confirm()
        self.assertEqual(order.currency_id, self.currency_b)
        client._sm_refresh_regularity()
        client.invalidate_recordset()
        self.assertAlmostEqual(client.sm_monthly_volume, 200.0, places=2)
