# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import SalesMotivationCommon, implementation_detail


class CommissionCommon(SalesMotivationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["motivation.commission.plan"].create(
            {
                "name": "Direct sales",
                "registrar_percent": 5.0,
                "closer_percent": 10.0,
            }
        )
        cls.Line = cls.env["motivation.commission.line"]
        cls.stage_won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.stage_new = cls.env["crm.stage"].search(
            [("is_won", "=", False)], order="sequence", limit=1
        )

    def _deal(self, registrar, closer, revenue=100000.0, **vals):
        return self._create_lead(
            closer,
            self.team_east,
            registrar=registrar,
            expected_revenue=revenue,
            stage_id=self.stage_new.id,
            **vals,
        )

    def _lines(self, lead, **filters):
        domain = [("lead_id", "=", lead.id)]
        domain += [(key, "=", value) for key, value in filters.items()]
        return self.Line.search(domain)

    def _amounts(self, lead):
        lines = self._lines(lead).filtered(lambda line: line.state != "cancelled")
        return sorted((line.role, line.partner_id.name, line.amount) for line in lines)


@tagged("post_install", "-at_install")
class TestCommissionLines(CommissionCommon):
    def test_registrar_and_closer_are_paid(self):
        """Sam registers a deal, Sara closes it at 100,000 (5% / 10%)."""
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_sam)
            .create(
                {
                    "name": "Big deal",
                    "type": "opportunity",
                    "team_id": self.team_east.id,
                    "expected_revenue": 100000.0,
                }
            )
        )
        lead.user_id = self.user_sara
        lead.with_user(self.user_sara).action_set_won()
        self.assertEqual(
            self._amounts(lead),
            [("closer", "Sara", 10000.0), ("registrar", "Sam", 5000.0)],
        )
        registrar_line = self._lines(lead, role="registrar")
        self.assertEqual(registrar_line.user_id, self.user_sam)
        self.assertEqual(registrar_line.state, "draft")
        self.assertEqual(registrar_line.currency_id, lead.company_currency)
        self.assertEqual(lead.sm_closer_id, self.user_sara)

    def test_same_person_in_both_roles(self):
        lead = self._deal(self.user_sam, self.user_sam)
        lead.action_set_won()
        self.assertEqual(
            self._amounts(lead),
            [("closer", "Sam", 10000.0), ("registrar", "Sam", 5000.0)],
        )

    def test_won_by_stage_change_and_in_batch(self):
        leads = self._deal(self.user_sam, self.user_sara) | self._deal(
            self.user_sara, self.user_sam, revenue=2000.0
        )
        leads.write({"stage_id": self.stage_won.id})
        self.assertEqual(len(self.Line.search([("lead_id", "in", leads.ids)])), 4)
        leads.write({"stage_id": self.stage_won.id})  # again: nothing new
        self.assertEqual(len(self.Line.search([("lead_id", "in", leads.ids)])), 4)

    def test_deleting_a_deal_takes_its_open_lines(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        lines = self._lines(lead)
        lead.unlink()
        self.assertFalse(lines.exists())

    def test_no_plan_no_commission(self):
        self.plan.team_ids = self.team_west
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        self.assertFalse(self._lines(lead))

    def test_lost_and_reopened_before_settlement(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        lines = self._lines(lead)
        lead.action_set_lost()
        self.assertEqual(set(lines.mapped("state")), {"cancelled"})
        lead.action_unarchive()
        lead.stage_id = self.stage_new
        lead.action_set_won()
        self.assertEqual(self._lines(lead), lines, "the same lines come back")
        self.assertEqual(set(lines.mapped("state")), {"draft"})
        lead.stage_id = self.stage_new  # reopened
        self.assertEqual(set(lines.mapped("state")), {"cancelled"})

    def test_revenue_change_after_won_follows(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        self._lines(lead).action_approve()
        lead.expected_revenue = 120000.0
        closer = self._lines(lead, role="closer")
        self.assertEqual(closer.amount, 12000.0)
        self.assertEqual(closer.base_amount, 120000.0)
        self.assertEqual(closer.state, "draft", "a new amount is approved anew")

    def test_reassignment_after_won_keeps_closer(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        lead.user_id = self.user_will
        lead.expected_revenue = 200000.0
        self.assertEqual(
            self._amounts(lead),
            [("closer", "Sara", 20000.0), ("registrar", "Sam", 10000.0)],
        )

    def test_registrar_kept_through_pool_and_reassignment(self):
        """Sam registers, releases to the pool; Sara claims it and wins it."""
        lead = self._deal(self.user_sam, self.user_sam)
        lead.with_user(self.user_sam).action_release_to_pool()
        lead.with_user(self.user_sara).action_claim()
        lead.with_user(self.user_sara).action_set_won()
        self.assertEqual(
            self._amounts(lead),
            [("closer", "Sara", 10000.0), ("registrar", "Sam", 5000.0)],
        )

    def test_merge_keeps_earliest_registrar(self):
        first = self._deal(self.user_sam, self.user_sam, name="Fair contact")
        second = self._deal(self.user_sara, self.user_sara, name="Same client")
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = now() - interval '2 days' WHERE id = %s",
            (first.id,),
        )
        first.invalidate_recordset(["create_date"])
        merged = (
            (second | first)
            .with_user(self.user_leader_east)
            ._merge_opportunity(user_id=self.user_sara.id, auto_unlink=False)
        )
        self.assertEqual(merged.registrar_id, self.user_sam)
        self.assertIn(
            "earliest registered",
            "".join(merged.message_ids.mapped("body")),
        )

    def test_registrar_share_gated_by_first_contact_data(self):
        self.plan.registrar_requires_first_contact = True
        bare = (
            self.env["crm.lead"]
            .with_user(self.user_sam)
            .create(
                {
                    "name": "No details",
                    "team_id": self.team_east.id,
                    "type": "opportunity",
                }
            )
        )
        full = (
            self.env["crm.lead"]
            .with_user(self.user_sam)
            .create(
                {
                    "name": "Full details",
                    "team_id": self.team_east.id,
                    "type": "opportunity",
                    "contact_name": "Anna",
                    "phone": "+7 900 123",
                }
            )
        )
        self.assertFalse(bare.sm_first_contact_complete)
        self.assertTrue(full.sm_first_contact_complete)
        (bare | full).write({"expected_revenue": 1000.0})
        (bare | full).action_set_won()
        self.assertEqual(self._amounts(bare), [("closer", "Sam", 100.0)])
        self.assertEqual(
            self._amounts(full), [("closer", "Sam", 100.0), ("registrar", "Sam", 50.0)]
        )

    def test_closer_share_gated_by_checkpoints(self):
        """The contract checkpoint (required for commission) must be done or
        waived for the closer's share; when it is done later, the closer's
        line appears then."""
        self.plan.closer_requires_checkpoints = True
        contract = self.env.ref("sales_motivation.checkpoint_type_contract")
        contract.team_ids = False
        lead = self._deal(self.user_sam, self.user_sara)
        checkpoint = lead.sm_checkpoint_ids.filtered(lambda c: c.type_id == contract)
        self.assertTrue(checkpoint)
        lead.action_set_won()
        self.assertEqual(self._amounts(lead), [("registrar", "Sam", 5000.0)])
        checkpoint.with_user(self.user_leader_east).action_waive("Signed on paper")
        self.assertEqual(
            self._amounts(lead),
            [("closer", "Sara", 10000.0), ("registrar", "Sam", 5000.0)],
        )

    def test_agent_earns_registrar_share(self):
        agent = self.env["res.partner"].create(
            {"name": "Dealer Ltd", "sm_is_agent": True}
        )
        lead = self._deal(self.user_sam, self.user_sara)
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sam).sm_agent_id = agent
        lead.with_user(self.user_leader_east).sm_agent_id = agent
        lead.action_set_won()
        registrar = self._lines(lead, role="registrar")
        self.assertEqual(registrar.partner_id, agent)
        self.assertFalse(registrar.user_id)
        self.assertEqual(registrar.amount, 5000.0)

    def test_portal_agent_registers_deal(self):
        agent = self.env["res.partner"].create(
            {"name": "Agent Oleg", "sm_is_agent": True}
        )
        portal = self.env["res.users"].create(
            {
                "name": "Agent Oleg",
                "login": "sm_agent_portal",
                "partner_id": agent.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        lead = (
            self.env["crm.lead"].with_user(portal).sudo().create({"name": "Via portal"})
        )
        self.assertEqual(lead.sm_agent_id, agent)
        self.assertFalse(lead.registrar_id)

    def test_sale_order_base(self):
        self.plan.base = "sale_order"
        lead = self._deal(
            self.user_sam,
            self.user_sara,
            partner_id=self.env["res.partner"].create({"name": "Buyer"}).id,
        )
        product = self.env["product.product"].create(
            {"name": "Rack", "list_price": 100.0}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": lead.partner_id.id,
                "opportunity_id": lead.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": 10,
                            "price_unit": 100.0,
                        },
                    )
                ],
            }
        )
        lead.action_set_won()
        self.assertEqual(self._amounts(lead), [], "nothing confirmed yet: base 0")
        order.action_confirm()
        self.assertEqual(
            self._amounts(lead), [("closer", "Sara", 100.0), ("registrar", "Sam", 50.0)]
        )
        order.order_line.product_uom_qty = 20  # amended
        self.assertEqual(
            self._amounts(lead),
            [("closer", "Sara", 200.0), ("registrar", "Sam", 100.0)],
        )

    def test_rights(self):
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        sam_line = self._lines(lead, role="registrar")
        sara_line = self._lines(lead, role="closer")
        Line = self.Line.with_user(self.user_sam)
        self.assertEqual(Line.search([("lead_id", "=", lead.id)]), sam_line)
        with self.assertRaises(AccessError):
            sara_line.with_user(self.user_sam).read(["amount"])
        with self.assertRaises(AccessError):
            sam_line.with_user(self.user_sam).write({"amount": 1e6})
        with self.assertRaises(AccessError):
            self.plan.with_user(self.user_sam).write({"registrar_percent": 50})
        # the basis of the registrar's commission stays visible to him
        lead.with_user(self.user_sam).read(["name", "expected_revenue"])
        # the team leader sees both; the commission manager approves
        self.assertEqual(
            self.Line.with_user(self.user_leader_east).search(
                [("lead_id", "=", lead.id)]
            ),
            sam_line | sara_line,
        )
        (sam_line | sara_line).with_user(self.user_commission).action_approve()
        self.assertEqual(set((sam_line | sara_line).mapped("state")), {"approved"})


@tagged("post_install", "-at_install")
class TestCommissionPlan(CommissionCommon):
    def test_invalid_percentages(self):
        Plan = self.env["motivation.commission.plan"]
        for vals in (
            {"registrar_percent": 120.0},
            {"closer_percent": -1.0},
            {"registrar_percent": 60.0, "closer_percent": 50.0},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Plan.create(
                    dict(
                        {"name": "Bad", "team_ids": [(6, 0, self.team_west.ids)]},
                        **vals,
                    )
                )

    def test_overlapping_plans(self):
        Plan = self.env["motivation.commission.plan"]
        Plan.create(
            {
                "name": "West 2027",
                "team_ids": [(6, 0, self.team_west.ids)],
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 12, 31),
            }
        )
        with self.assertRaises(ValidationError):
            Plan.create(
                {
                    "name": "West mid-2027",
                    "team_ids": [(6, 0, self.team_west.ids)],
                    "date_from": date(2027, 6, 1),
                }
            )
        with self.assertRaises(ValidationError):
            Plan.create({"name": "Everyone again"})  # overlaps self.plan
        Plan.create(
            {
                "name": "West 2028",
                "team_ids": [(6, 0, self.team_west.ids)],
                "date_from": date(2028, 1, 1),
            }
        )

    def test_team_plan_wins_over_company_plan(self):
        self.env["motivation.commission.plan"].create(
            {
                "name": "East special",
                "team_ids": [(6, 0, self.team_east.ids)],
                "registrar_percent": 1.0,
                "closer_percent": 2.0,
            }
        )
        lead = self._deal(self.user_sam, self.user_sara)
        lead.action_set_won()
        self.assertEqual(
            self._amounts(lead),
            [("closer", "Sara", 2000.0), ("registrar", "Sam", 1000.0)],
        )

    def test_plan_changes_apply_to_the_next_win(self):
        """Archiving a plan, restoring it or moving its start applies to the
        very next win, in the same transaction as on another worker: the
        active plans are looked up once per change, not per win."""
        first, second, third = (
            self._deal(self.user_sam, self.user_sara) for _i in range(3)
        )
        first.action_set_won()
        self.assertTrue(self._lines(first))
        self.plan.active = False
        second.action_set_won()
        self.assertFalse(self._lines(second), "an archived plan pays nothing")
        self.plan.write({"active": True, "date_from": date(2099, 1, 1)})
        third.action_set_won()
        self.assertFalse(
            self._lines(third), "a plan that starts later pays nothing yet"
        )

    def test_defaults_from_settings(self):
        settings = self.env["res.config.settings"].create(
            {"sm_registrar_percent": 7.0, "sm_closer_percent": 8.0}
        )
        settings.execute()
        with Form(self.env["motivation.commission.plan"]) as plan:
            plan.name = "From defaults"
            plan.team_ids.add(self.team_west)
        self.assertEqual(
            (plan.record.registrar_percent, plan.record.closer_percent), (7.0, 8.0)
        )

    def test_only_commission_managers_edit_plans(self):
        with self.assertRaises(AccessError):
            self.env["motivation.commission.plan"].with_user(self.user_head).create(
                {"name": "Mine", "team_ids": [(6, 0, self.team_west.ids)]}
            )
        self.plan.with_user(self.user_commission).registrar_percent = 6.0
        self.assertEqual(self.plan.registrar_percent, 6.0)


@tagged("post_install", "-at_install")
class TestCommissionQueries(CommissionCommon):
    """Winning deals in batch costs the addon a fixed number of queries."""

    def _new_deals(self, count):
        return self._create_leads(
            count,
            self.user_sara,
            self.team_east,
            self.user_sam,
            expected_revenue=1000.0,
            stage_id=self.stage_new.id,
        )

    # The queries do not depend on the number of deals: the lines are
    # inserted in one statement whatever their number (sql.insert_rows).

    def _won_by_sql(self, count):
        leads = self._new_deals(count)
        self.env.cr.execute(
            "UPDATE crm_lead SET stage_id = %s, probability = 100, "
            "sm_closer_id = user_id WHERE id IN %s",
            (self.stage_won.id, tuple(leads.ids)),
        )
        self.env.invalidate_all()
        return leads

    @implementation_detail
    def test_commission_sync_query_count(self):
        self._new_deals(3).action_set_won()  # warms the caches up
        leads = self._won_by_sql(10)
        before = self.env.cr.sql_log_count
        self.Line._sync_leads(leads)
        self.env.flush_all()
        at_10 = self.env.cr.sql_log_count - before
        self.assertLess(at_10, 20)
        leads = self._won_by_sql(100)
        with self.assertQueryCount(at_10):
            self.Line._sync_leads(leads)
        self.assertEqual(len(self._lines_of(leads)), 200)

    def test_winning_overhead_does_not_grow(self):
        """The queries action_set_won spends in the addon's hooks (closer and
        commission) are the same for 10 and 100 deals."""
        Lead = type(self.env["crm.lead"])
        Line = type(self.Line)
        spent = []

        def counting(original):
            def wrapper(records, *args, **kwargs):
                before = self.env.cr.sql_log_count
                result = original(records, *args, **kwargs)
                spent.append(self.env.cr.sql_log_count - before)
                return result

            return wrapper

        overhead = {}
        with (
            patch.object(Lead, "_sm_set_closer", counting(Lead._sm_set_closer)),
            patch.object(Line, "_sync_leads", counting(Line._sync_leads)),
        ):
            for count in (3, 10, 100):  # 3: warms the caches up
                leads = self._new_deals(count)
                self.env.invalidate_all()
                spent.clear()
                leads.action_set_won()
                self.env.flush_all()
                overhead[count] = sum(spent)
                self.assertEqual(len(self._lines_of(leads)), 2 * count)
        self.assertEqual(overhead[100], overhead[10])
        self.assertLess(overhead[10], 20)

    def _lines_of(self, leads):
        return self.Line.search([("lead_id", "in", leads.ids)])
