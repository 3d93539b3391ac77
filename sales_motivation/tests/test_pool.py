# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, Form, get_db_name, new_test_user, tagged

from .common import SalesMotivationCommon


@tagged("post_install", "-at_install")
class TestPool(SalesMotivationCommon):
    def setUp(self):
        super().setUp()
        self.lead = self._create_lead(self.user_sam, self.team_east, name="Pool me")
        self.Transfer = self.env["motivation.transfer"]

    def test_release_keeps_team_and_registrar(self):
        self.lead.with_user(self.user_sam).action_release_to_pool(reason="On leave")
        self.assertTrue(self.lead.in_pool)
        self.assertFalse(self.lead.user_id)
        self.assertEqual(self.lead.team_id, self.team_east)
        self.assertEqual(self.lead.registrar_id, self.user_sam)
        log = self.Transfer.search([("lead_id", "=", self.lead.id)])
        self.assertRecordValues(
            log,
            [
                {
                    "kind": "release",
                    "from_user_id": self.user_sam.id,
                    "to_user_id": False,
                    "to_pool": True,
                    "actor_id": self.user_sam.id,
                    "reason": "On leave",
                }
            ],
        )
        self.assertIn("On leave", self.lead.message_ids[0].body)

    def test_release_wizard_with_manual_rule(self):
        rule = self.env["motivation.pool.rule"].create(
            {"name": "Client asked for another manager", "trigger": "manual"}
        )
        wizard = Form(
            self.env["motivation.release.wizard"]
            .with_user(self.user_sam)
            .with_context(default_lead_ids=self.lead.ids)
        )
        wizard.rule_id = rule
        self.assertEqual(wizard.reason, "Client asked for another manager")
        wizard.save().action_release()
        self.assertTrue(self.lead.in_pool)
        log = self.Transfer.search([("lead_id", "=", self.lead.id)])
        self.assertEqual(log.rule_id, rule)
        self.assertEqual(log.reason, "Client asked for another manager")
        # the scheduler never applies a manual rule
        other = self._create_lead(self.user_sam, self.team_east, name="Untouched")
        self.env["motivation.pool.rule"]._cron_apply_rules()
        self.assertEqual(other.user_id, self.user_sam)
        self.assertFalse(
            self.env["motivation.pool.notice"].search([("rule_id", "=", rule.id)])
        )

    def test_cannot_release_another_salespersons_lead(self):
        with self.assertRaises(AccessError):
            self.lead.with_user(self.user_sara).action_release_to_pool()

    def test_claim(self):
        self.lead.action_release_to_pool()
        self.lead.with_user(self.user_sara).action_claim()
        self.assertEqual(self.lead.user_id, self.user_sara)
        self.assertFalse(self.lead.in_pool)
        self.assertEqual(self.lead.registrar_id, self.user_sam)
        claim = self.Transfer.search(
            [("lead_id", "=", self.lead.id), ("kind", "=", "claim")]
        )
        self.assertEqual(claim.to_user_id, self.user_sara)
        # already taken
        with self.assertRaisesRegex(UserError, "Not in the shared pool"):
            self.lead.with_user(self.user_sam).action_claim()

    def test_no_claim_outside_ones_teams(self):
        self.lead.action_release_to_pool()
        with self.assertRaisesRegex(UserError, "your own sales teams"):
            self.lead.with_user(self.user_will).action_claim()
        self.assertTrue(self.lead.in_pool)

    def test_claim_cap(self):
        self.team_east.write({"sm_claim_cap": 1, "sm_claim_period": "week"})
        other = self._create_lead(self.user_sam, self.team_east, name="Second")
        (self.lead | other).action_release_to_pool()
        with freeze_time("2027-05-05"):  # a Wednesday
            self.lead.with_user(self.user_sara).action_claim()
            with self.assertRaisesRegex(UserError, "1 pool claims per week"):
                other.with_user(self.user_sara).action_claim()
        with freeze_time("2027-05-10"):  # next week
            other.with_user(self.user_sara).action_claim()
        self.assertEqual(other.user_id, self.user_sara)

    def test_cooldown_after_losing_a_lead(self):
        self.team_east.sm_claim_cooldown_days = 10
        with freeze_time("2027-05-01"):
            # the team leader takes the lead away from Sam
            self.lead.with_user(self.user_leader_east).action_release_to_pool(
                reason="No contact for 30 days"
            )
        with (
            freeze_time("2027-05-05"),
            self.assertRaisesRegex(UserError, "again from 05/11/2027"),
        ):
            self.lead.with_user(self.user_sam).action_claim()
        with freeze_time("2027-05-12"):
            self.lead.with_user(self.user_sam).action_claim()
        self.assertEqual(self.lead.user_id, self.user_sam)

    def test_own_release_has_no_cooldown(self):
        self.team_east.sm_claim_cooldown_days = 10
        self.lead.with_user(self.user_sam).action_release_to_pool()
        self.lead.with_user(self.user_sam).action_claim()
        self.assertEqual(self.lead.user_id, self.user_sam)

    def test_transfer_log_is_read_only(self):
        self.lead.action_release_to_pool()
        log = self.Transfer.search([("lead_id", "=", self.lead.id)])
        with self.assertRaises(UserError):
            log.write({"reason_note": "Edited"})
        with self.assertRaises(AccessError):
            log.with_user(self.user_head).unlink()
        with self.assertRaises(AccessError):
            self.Transfer.with_user(self.user_head).create(
                {"kind": "release", "reason_note": "Forged", "lead_id": self.lead.id}
            )
        self.assertEqual(
            self.Transfer.with_user(self.user_sam).search(
                [("lead_id", "=", self.lead.id)]
            ),
            log,
        )
        self.assertFalse(
            self.Transfer.with_user(self.user_will).search(
                [("lead_id", "=", self.lead.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestClientsFollow(SalesMotivationCommon):
    def setUp(self):
        super().setUp()
        self.client = self.env["res.partner"].create(
            {"name": "Kazan Mills", "is_company": True, "user_id": self.user_sam.id}
        )
        self.buyer = self.env["res.partner"].create(
            {"name": "Buyer at Kazan Mills", "parent_id": self.client.id}
        )
        self.deal = self._create_lead(
            self.user_sam, self.team_east, name="Mills deal", partner_id=self.buyer.id
        )
        self.other = self._create_lead(
            self.user_sara,
            self.team_east,
            name="Sara's mills deal",
            partner_id=self.client.id,
        )

    def test_opportunities_follow_their_client(self):
        self.env.company.sm_opportunities_follow_client = True
        second = self._create_lead(
            self.user_sam, self.team_east, name="Mills, 2nd", partner_id=self.client.id
        )

        def notices():
            return self.env["mail.message"].search(
                [
                    ("message_type", "=", "user_notification"),
                    ("partner_ids", "in", self.user_will.partner_id.ids),
                ]
            )

        before = notices()
        # with chatter tracking on, as in production
        self.client.with_user(self.user_leader_east).with_context(
            tracking_disable=False
        ).user_id = self.user_will
        self.assertEqual(self.buyer.user_id, self.user_will, "contacts follow too")
        self.assertEqual((self.deal | second).user_id, self.user_will)
        self.assertEqual(
            self.other.user_id, self.user_sara, "only the previous holder's"
        )
        log = self.env["motivation.transfer"].search(
            [("lead_id", "in", (self.deal | second).ids)]
        )
        self.assertEqual(len(log), 2)
        self.assertEqual(
            set(log.mapped(lambda entry: (entry.from_user_id, entry.to_user_id))),
            {(self.user_sam, self.user_will)},
        )
        self.assertEqual(self.deal.registrar_id, self.user_sam)
        # Odoo tells Will about the client, the addon about its two deals in
        # one message, nothing per deal nor per contact; Will follows them
        new = notices() - before
        self.assertEqual(
            sorted(new.mapped(lambda m: (m.model, m.res_id))),
            [("crm.team", second.team_id.id), ("res.partner", self.client.id)],
        )
        self.assertIn("Mills, 2nd", new.filtered(lambda m: m.model == "crm.team").body)
        self.assertIn(self.user_will.partner_id, second.message_partner_ids)

    def test_off_by_default(self):
        self.client.user_id = self.user_will
        self.assertEqual(self.deal.user_id, self.user_sam)

    def test_client_follows_its_opportunity(self):
        self.env.company.sm_client_follows_opportunity = True
        self.deal.with_user(self.user_leader_east).user_id = self.user_sara
        self.assertEqual(self.client.user_id, self.user_sara)
        self.assertEqual(self.buyer.user_id, self.user_sara)
        # released to the pool: the client is nobody's until claimed (by
        # Sam, who may: no cooldown after the leader took it from him)
        self.team_east.sm_claim_cooldown_days = 0
        self.deal.with_user(self.user_sara).action_release_to_pool()
        self.assertFalse(self.client.user_id)
        self.deal.with_user(self.user_sam).action_claim()
        self.assertEqual(self.client.user_id, self.user_sam)


@tagged("post_install", "-at_install")
class TestConcurrentClaims(BaseCase):
    """Two salespeople claim the same pool lead at the same moment, on two
    real database connections: exactly one gets it, the other is told."""

    def test_two_cursors(self):
        db = db_connect(get_db_name())
        setup = db.cursor()
        env = api.Environment(setup, SUPERUSER_ID, {})
        ids = {}
        try:
            users = [
                new_test_user(env, login, groups="sales_team.group_sale_salesman")
                for login in ("sm_race_a", "sm_race_b")
            ]
            team = env["crm.team"].create(
                {"name": "Race team", "member_ids": [(6, 0, [u.id for u in users])]}
            )
            lead = env["crm.lead"].create(
                {
                    "name": "Race lead",
                    "team_id": team.id,
                    "in_pool": True,
                    "user_id": False,
                }
            )
            ids = {"users": [u.id for u in users], "team": team.id, "lead": lead.id}
            setup.commit()

            cr_a, cr_b = db.cursor(), db.cursor()
            try:
                env_a = api.Environment(cr_a, ids["users"][0], {})
                env_b = api.Environment(cr_b, ids["users"][1], {})
                env_a["crm.lead"].browse(lead.id).action_claim()  # not committed yet
                with self.assertRaisesRegex(UserError, "just claimed or is claiming"):
                    env_b["crm.lead"].browse(lead.id).action_claim()
                cr_b.rollback()
                cr_a.commit()
                # after the first claim is committed, a late claim is refused too
                with self.assertRaises(UserError):
                    env_b["crm.lead"].browse(lead.id).action_claim()
                cr_b.rollback()
            finally:
                cr_a.close()
                cr_b.close()

            env.invalidate_all()
            lead = env["crm.lead"].browse(ids["lead"])
            self.assertEqual(lead.user_id.id, ids["users"][0])
            self.assertFalse(lead.in_pool)
            claims = env["motivation.transfer"].search(
                [("lead_id", "=", lead.id), ("kind", "=", "claim")]
            )
            self.assertEqual(len(claims), 1)
        finally:
            setup.rollback()
            if ids:
                # sudo'ed environment of the superuser: remove what was committed
                env["motivation.transfer"].search(
                    [("lead_id", "=", ids["lead"])]
                ).sudo().unlink()
                env["crm.lead"].browse(ids["lead"]).unlink()
                env["crm.team"].browse(ids["team"]).unlink()
                env["res.users"].browse(ids["users"]).unlink()
                setup.commit()
            setup.close()
