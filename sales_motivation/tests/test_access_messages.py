# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SalesMotivationAccessCommon


@tagged("post_install", "-at_install")
class TestAccessMessages(SalesMotivationAccessCommon):
    """A deal the addon's rules refuse says so in plain words, not with
    Odoo's generic "top-secret records"."""

    def _as_sam(self, key):
        return self.leads[key].with_user(self.user_sam)

    def test_colleagues_deal_by_url_says_it_cannot_be_opened(self):
        """Opening Will's deal (another team) by its URL: the form's read."""
        for key in ("colleague", "other_team", "other_pool"):
            with self.subTest(deal=key):
                with self.assertRaises(AccessError) as refused:
                    self._as_sam(key).web_read({"name": {}, "user_id": {}})
                message = str(refused.exception)
                self.assertIn("You cannot open this deal", message)
                self.assertNotIn("top-secret", message)
                self.assertNotIn(self.leads[key].name, message, "nothing leaks")
                self.assertEqual(
                    getattr(refused.exception, "context", {}),
                    {"sm_refused_read": True},
                    "the web client says it in a notification, which outlives "
                    "the previous view shown again",
                )

    def test_followed_deal_says_whose_it_is(self):
        """Sam registered Sara's deal: he reads it, and is told why he may
        not change it."""
        deal = self._as_sam("registered")
        self.assertEqual(deal.name, "Deal Sam registered for Sara")
        with self.assertRaises(AccessError) as refused:
            form = Form(deal)
            form.description = "My notes"
            form.save()
        self.assertEqual(
            str(refused.exception),
            "Deal Sam registered for Sara is the deal of Sara: you see it because "
            "you registered or won it, but only its salesperson or the team "
            "leader can change it.",
        )
        self.assertFalse(
            getattr(refused.exception, "context", {}),
            "a refused change stays a dialog: the form is still there",
        )

    def test_registrar_of_a_colleagues_deal_is_refused_plainly(self):
        with self.assertRaises(AccessError) as refused:
            self._as_sam("registered").write({"registrar_id": self.user_sara.id})
        self.assertIn("only team leaders can change it", str(refused.exception))
        with self.assertRaises(AccessError) as refused:
            self._as_sam("colleague").write({"registrar_id": self.user_sam.id})
        self.assertNotIn("top-secret", str(refused.exception))

    def test_pool_deal_says_claim_it(self):
        with self.assertRaises(AccessError) as refused:
            self._as_sam("team_pool").write({"description": "Mine now"})
        self.assertEqual(
            str(refused.exception),
            "East pool deal is in the shared pool: claim it to work on it.",
        )

    def test_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.user_sam.lang = "ru_RU"
        with self.assertRaises(AccessError) as refused:
            self._as_sam("colleague").read(["name"])
        self.assertIn("Эту сделку открыть нельзя", str(refused.exception))

    def _refused_change_on_my_deal(self, **vals):
        """An interaction on Sam's deal that Sam reads but may not change:
        the message of the refused change."""
        interaction = self.env["motivation.interaction"].create(
            {
                "lead_id": self.leads["own"].id,
                "contact_name": "Olga",
                "topic": "Prices",
                **vals,
            }
        )
        mine = interaction.with_user(self.user_sam)
        self.assertEqual(mine.topic, "Prices")
        with self.assertRaises(AccessError) as refused:
            mine.write({"topic": "Mine"})
        return str(refused.exception)

    def test_colleagues_call_on_my_deal(self):
        """Sara logged a call on Sam's deal: Sam reads it, may not change it."""
        message = self._refused_change_on_my_deal(
            user_id=self.user_sara.id,
            contact_phone="+1 555 0100",
            result_id=self.env.ref("sales_motivation.interaction_result_taken").id,
        )
        self.assertIn("was logged by Sara", message)
        self.assertIn("only they or the team leader can change it", message)

    def test_clients_email_on_my_deal(self):
        """An e-mail the client sent is nobody's to have logged: Sam is told
        it came from the client, not "logged by" an empty name."""
        message = self._refused_change_on_my_deal(
            kind="email",
            direction="incoming",
            user_id=False,
            contact_email="olga@example.com",
            result_id=self.env.ref("sales_motivation.interaction_result_email").id,
        )
        self.assertIn("was received from the client", message)
        self.assertNotIn("logged by", message)

    def test_someone_elses_commission(self):
        plan = self.env["motivation.commission.plan"].create(
            {"name": "Plan", "registrar_percent": 5.0, "closer_percent": 10.0}
        )
        self.assertTrue(plan)
        lead = self.leads["colleague"]
        lead.expected_revenue = 1000.0
        lead.action_set_won()
        line = lead.sm_commission_line_ids[:1]
        self.assertTrue(line)
        with self.assertRaises(AccessError) as refused:
            line.with_user(self.user_sam).read(["amount"])
        self.assertIn("You cannot open this commission", str(refused.exception))

    def test_team_leader_of_another_team(self):
        with self.assertRaises(AccessError) as refused:
            self.leads["other_team"].with_user(self.user_leader_east).read(["name"])
        self.assertIn("not in a team you lead", str(refused.exception))


@tagged("post_install", "-at_install")
class TestForeignDealTour(HttpCase):
    def test_colleagues_deal_by_url(self):
        """Sam opens Sara's deal by its URL: told why he cannot, in a
        notification that outlives the pipeline shown again."""
        salesman = "sales_team.group_sale_salesman"
        sam = new_test_user(self.env, "sm_url_sam", groups=salesman, name="Sam")
        sara = new_test_user(self.env, "sm_url_sara", groups=salesman, name="Sara")
        lead = self.env["crm.lead"].create(
            {"name": "Sara's secret deal", "type": "opportunity", "user_id": sara.id}
        )
        # the refused read is logged by odoo.http as a warning; the message
        # stays in a notification once the pipeline is shown again
        with mute_logger("odoo.http"):
            self.start_tour(
                f"/odoo/crm/{lead.id}", "sales_motivation_foreign_deal", login=sam.login
            )
