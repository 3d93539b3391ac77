# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAgentPortalDemo(TransactionCase):
    """The dealer network's demo (skipped without it): the team leader sees
    a registration flagged a duplicate; the agent reads the messages meant
    for them, not the salesperson's note."""

    def test_a_registration_flagged_a_duplicate(self):
        lead = self.env.ref(
            "sales_motivation.crm_lead_registration_duplicate_demo",
            raise_if_not_found=False,
        )
        if not lead:
            self.skipTest("the demo data is not loaded")
        held = self.env.ref("sales_motivation.res_partner_customer_03_demo")
        self.assertEqual(lead.sm_duplicate_state, "flagged")
        earlier = lead.sm_duplicate_of_id
        self.assertEqual(
            earlier.partner_id.commercial_partner_id or lead.sm_duplicate_partner_id,
            held,
        )
        self.assertTrue(lead.sm_duplicate_holder)
        self.assertEqual(lead.sm_registration_state, "pending")
        leader = lead.team_id.user_id
        flagged = (
            self.env["crm.lead"]
            .with_user(leader)
            .search([("sm_duplicate_state", "=", "flagged")])
        )
        self.assertIn(lead, flagged)

    def test_messages_with_the_agent(self):
        lead = self.env.ref(
            "sales_motivation.crm_lead_registration_accepted_demo",
            raise_if_not_found=False,
        )
        if not lead:
            self.skipTest("the demo data is not loaded")
        agent = self.env.ref("sales_motivation.res_partner_dealer_neva_demo")
        bodies = [m["body"] for m in lead._sm_portal_message_values(agent)]
        self.assertEqual(len(bodies), 2)
        self.assertIn("a visit to the fishery", bodies[0])
        self.assertIn("I call Oleg on Monday", bodies[1])
        self.assertTrue(
            lead.message_ids.filtered(lambda m: "payment history" in (m.body or ""))
        )
