# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from .common import SalesMotivationCommon

# what must never reach a salesperson looking up a colleague's client
SECRETS = ("Western Mills", "Walter Mill", "777-11-22", "mills.example.com", "Flour")


class CallerLookupCommon(SalesMotivationCommon):
    """Sam (team East) holds Hardware Store; Will (team West, led by Walt)
    holds Western Mills; Corner Shop is nobody's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.own = Partner.create(
            {
                "name": "Hardware Store",
                "is_company": True,
                "user_id": cls.user_sam.id,
                "phone": "+7 912 345-67-89",
                "email": "office@hardware.example.com",
            }
        )
        cls.foreign = Partner.create(
            {
                "name": "Western Mills",
                "is_company": True,
                "user_id": cls.user_will.id,
                "email": "office@mills.example.com",
            }
        )
        cls.foreign_contact = Partner.create(
            {
                "name": "Walter Mill",
                "parent_id": cls.foreign.id,
                "phone": "+7 912 777-11-22",
                "email": "walter@mills.example.com",
            }
        )
        cls.free = Partner.create(
            {"name": "Corner Shop", "is_company": True, "phone": "+81 3-1234-5678"}
        )
        taken = cls.env.ref("sales_motivation.interaction_result_taken")
        Interaction = cls.env["motivation.interaction"]
        for user, partner, topic in (
            (cls.user_sam, cls.own, "Shelves for spring"),
            (cls.user_sara, cls.own, "Sara called about delivery"),
            (cls.user_will, cls.foreign, "Flour prices"),
            (cls.user_will, cls.free, "Will offered a discount"),
        ):
            Interaction.create(
                {
                    "kind": "call",
                    "direction": "incoming",
                    "user_id": user.id,
                    "partner_id": partner.id,
                    "contact_name": partner.name,
                    "contact_phone": "+7 000",
                    "topic": topic,
                    "result_id": taken.id,
                }
            )
        cls._create_lead(
            cls.user_will, cls.team_west, partner_id=cls.foreign.id, name="Flour deal"
        )
        cls._create_lead(
            cls.user_sam, cls.team_east, partner_id=cls.own.id, name="Spring shelves"
        )

    def _lookup(self, user, query):
        with Form(self.env["motivation.caller.lookup"].with_user(user)) as form:
            form.query = query
        return form.record


@tagged("post_install", "-at_install")
class TestCallerLookup(CallerLookupCommon):
    def test_own_client_by_any_phone_format(self):
        lookup = self._lookup(self.user_sam, "8 (912) 345 67 89")
        self.assertEqual(lookup.state, "mine")
        self.assertEqual(lookup.partner_id, self.own)
        # every salesperson's history, and the open deal
        self.assertIn("Shelves for spring", lookup.history_html)
        self.assertIn("Sara called about delivery", lookup.history_html)
        self.assertIn("Spring shelves", lookup.history_html)
        self.assertIn("contact no. 2", lookup.history_html)
        action = lookup.action_sm_open_client()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("res.partner", self.own.id)
        )

    def test_by_email_address(self):
        lookup = self._lookup(self.user_sam, "  Office@Hardware.example.com ")
        self.assertEqual(lookup.partner_id, self.own)

    def test_unassigned_client_shows_its_history(self):
        lookup = self._lookup(self.user_sam, "03 1234 5678")
        self.assertEqual(lookup.state, "free")
        self.assertEqual(lookup.partner_id, self.free)
        self.assertIn("Will offered a discount", lookup.history_html)

    def test_colleagues_client_shows_only_its_holder(self):
        lookup = self._lookup(self.user_sam, "+7 (912) 777 11 22")
        self.assertEqual(lookup.state, "colleague")
        self.assertEqual(lookup.holder_id, self.user_will)
        self.assertFalse(lookup.partner_id)
        self.assertFalse(lookup.lead_id)
        self.assertFalse(lookup.history_html)
        self.assertIn("Will", lookup.summary)
        values = json.dumps(
            lookup.with_user(self.user_sam).read(list(lookup._fields)), default=str
        )
        for secret in SECRETS:
            self.assertNotIn(secret, values)
        with self.assertRaises(UserError):
            lookup.action_sm_open_client()

    def test_notify_the_holder_once(self):
        lookup = self._lookup(self.user_sam, "walter@mills.example.com")
        self.assertEqual(lookup.state, "colleague")
        action = lookup.action_sm_notify_holder()
        self.assertEqual(action["tag"], "display_notification")
        lookup.action_sm_notify_holder()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.foreign.id)]
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.user_will)
        self.assertIn("Sam", activities.summary)
        self.assertEqual(
            activities.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        own = self._lookup(self.user_sam, "office@hardware.example.com")
        with self.assertRaises(UserError):
            own.action_sm_notify_holder()

    def test_team_leader_and_head_see_the_history(self):
        for user in (self.user_leader_west, self.user_head):
            lookup = self._lookup(user, "+7 912 777 11 22")
            self.assertEqual(lookup.state, "team")
            self.assertEqual(lookup.partner_id, self.foreign)
            self.assertIn("Flour prices", lookup.history_html)
        # the other team's leader is a colleague
        lookup = self._lookup(self.user_leader_east, "+7 912 777 11 22")
        self.assertEqual(lookup.state, "colleague")

    def test_unassigned_client_of_a_colleagues_open_deal(self):
        self._create_lead(
            self.user_will, self.team_west, partner_id=self.free.id, name="Shop deal"
        )
        lookup = self._lookup(self.user_sam, "+81 3 1234 5678")
        self.assertEqual(lookup.state, "colleague")
        self.assertEqual(lookup.holder_id, self.user_will)
        self.assertFalse(lookup.history_html)

    def test_deal_without_client(self):
        own = self._create_lead(
            self.user_sam, self.team_east, email_from="nina@new.example.com"
        )
        lookup = self._lookup(self.user_sam, "nina@new.example.com")
        self.assertEqual(lookup.state, "mine")
        self.assertEqual(lookup.lead_id, own)
        self._create_lead(
            self.user_will, self.team_west, email_from="secret@mills.example.com"
        )
        lookup = self._lookup(self.user_sam, "secret@mills.example.com")
        self.assertEqual(lookup.state, "colleague")
        self.assertFalse(lookup.lead_id)

    def test_a_colleague_or_the_company_calling_is_no_client(self):
        """Sara's own number, or the company's, finds no client: neither is
        shown as an unassigned client to take, nor its history."""
        self.user_sara.partner_id.phone = "+7 912 555-01-01"
        company_partner = self.env.company.partner_id
        company_partner.phone = "+7 912 555-02-02"
        employee_contact = self.env["res.partner"].create(
            {
                "name": "Front Desk",
                "parent_id": company_partner.id,
                "phone": "+7 912 555-03-03",
            }
        )
        for number in ("8 912 555 01 01", "8 912 555 02 02", "8 912 555 03 03"):
            lookup = self._lookup(self.user_sam, number)
            self.assertEqual(lookup.state, "none", number)
            self.assertFalse(lookup.history_html)
        # a deal logged with a colleague as its contact is no client's either
        self._create_lead(
            self.user_will,
            self.team_west,
            partner_id=employee_contact.id,
            name="Internal test",
        )
        self.assertEqual(self._lookup(self.user_sam, "8 912 555 03 03").state, "none")

    def test_nothing_found_and_too_short(self):
        lookup = self._lookup(self.user_sam, "+7 999 000-00-00")
        self.assertEqual(lookup.state, "none")
        lookup = self._lookup(self.user_sam, "12-34")
        self.assertEqual(lookup.state, "none")
        self.assertIn("7 digits", lookup.summary)


@tagged("post_install", "-at_install")
class TestCallerLookupHttp(HttpCase, CallerLookupCommon):
    def test_json_rpc_read_leaks_nothing(self):
        self.authenticate(self.user_sam.login, self.user_sam.login)
        wizard_id = self.make_jsonrpc_request(
            "/web/dataset/call_kw/motivation.caller.lookup/create",
            {
                "model": "motivation.caller.lookup",
                "method": "create",
                "args": [{"query": "+7 912 777 11 22"}],
                "kwargs": {},
            },
        )
        fields = list(self.env["motivation.caller.lookup"]._fields)
        for method, kwargs in (
            ("read", {"fields": fields}),
            (
                "web_read",
                {
                    "specification": {
                        "summary": {},
                        "state": {},
                        "history_html": {},
                        "holder_id": {"fields": {"display_name": {}}},
                        "partner_id": {"fields": {"display_name": {}, "phone": {}}},
                        "lead_id": {"fields": {"display_name": {}}},
                    }
                },
            ),
        ):
            result = self.make_jsonrpc_request(
                f"/web/dataset/call_kw/motivation.caller.lookup/{method}",
                {
                    "model": "motivation.caller.lookup",
                    "method": method,
                    "args": [wizard_id],
                    "kwargs": kwargs,
                },
            )
            self.assertEqual(result[0]["state"], "colleague")
            values = json.dumps(result)
            self.assertIn("Will", values)
            for secret in SECRETS:
                self.assertNotIn(secret, values)

    def test_lookup_tour(self):
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline",
            "sales_motivation_caller_lookup",
            login=self.user_sam.login,
        )
        self.assertTrue(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.foreign.id),
                    ("user_id", "=", self.user_will.id),
                ]
            )
        )
