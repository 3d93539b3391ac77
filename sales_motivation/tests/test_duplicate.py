# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged

from .common import SalesMotivationCommon, implementation_detail


class DuplicateCommon(SalesMotivationCommon):
    """Sam holds the client Acme (e-mail, phone, tax id) and an open deal
    with it; Will holds the client Globex, without any deal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create(
            {
                "name": "Acme",
                "is_company": True,
                "user_id": cls.user_sam.id,
                "email": "Office@Acme.example.com",
                "phone": "+7 (912) 345-67-89",
                "vat": "RU 7707083893",
            }
        )
        cls.acme_contact = Partner.create(
            {
                "name": "Anna Acme",
                "parent_id": cls.acme.id,
                "email": "anna@acme.example",
            }
        )
        cls.globex = Partner.create(
            {
                "name": "Globex",
                "is_company": True,
                "user_id": cls.user_will.id,
                "email": "hello@globex.example.com",
                "phone": "03-1234-5678",
            }
        )
        cls.deal_sam = (
            cls.env["crm.lead"]
            .with_user(cls.user_sam)
            .create(
                {
                    "name": "Acme pumps",
                    "type": "opportunity",
                    "partner_id": cls.acme.id,
                    "team_id": cls.team_east.id,
                }
            )
        )
        cls.plan = cls.env["motivation.commission.plan"].create(
            {"name": "Direct sales", "registrar_percent": 5.0, "closer_percent": 10.0}
        )
        cls.stage_won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)

    def _register(self, user, **vals):
        """A deal registered by ``user`` for themselves, through the form."""
        with Form(self.env["crm.lead"].with_user(user)) as form:
            form.name = vals.pop("name", "New contact")
            for fname, value in vals.items():
                setattr(form, fname, value)
        return form.record

    def _registrar_lines(self, lead):
        return self.env["motivation.commission.line"].search(
            [
                ("lead_id", "=", lead.id),
                ("role", "=", "registrar"),
                ("state", "!=", "cancelled"),
            ]
        )


@tagged("post_install", "-at_install")
class TestDuplicateKeys(DuplicateCommon):
    """A registration duplicates an earlier one by each key, whatever the
    case and formatting of its e-mail and phone."""

    def assertDuplicateOf(self, lead, earlier=None, client=None, holder="Sam"):
        self.assertEqual(lead.sm_duplicate_state, "flagged")
        self.assertEqual(lead.sm_duplicate_of_id, earlier or self.env["crm.lead"])
        self.assertEqual(
            lead.sm_duplicate_partner_id, client or self.env["res.partner"]
        )
        self.assertEqual(lead.sm_duplicate_holder, holder)

    def test_email_in_other_case_and_spaces(self):
        lead = self._register(self.user_sara, email_from="  OFFICE@acme.Example.COM ")
        self.assertDuplicateOf(lead, self.deal_sam)

    def test_phone_in_other_formats(self):
        for phone in (
            "8 912 345 67 89",
            "+79123456789",
            "８ (９１２) ３４５-６７-８９",
        ):
            with self.subTest(phone=phone):
                lead = self._register(self.user_sara, phone=phone)
                self.assertDuplicateOf(lead, self.deal_sam)

    def test_mobile_when_no_phone(self):
        lead = self._register(self.user_sara, mobile="007 912 345 6789")
        self.assertDuplicateOf(lead, self.deal_sam)

    def test_same_partner_or_commercial_partner(self):
        # the leader registers for Sara a deal with a contact of Acme
        lead = self._create_lead(
            self.user_sara,
            self.team_east,
            registrar=self.user_leader_east,
            partner_id=self.acme_contact.id,
        )
        self.assertDuplicateOf(lead, self.deal_sam)

    def test_tax_id_of_another_entity(self):
        sister = self.env["res.partner"].create(
            {"name": "Acme Trading", "is_company": True, "vat": "ru-7707083893"}
        )
        lead = self._create_lead(self.user_sara, self.team_east, partner_id=sister.id)
        self.assertDuplicateOf(lead, self.deal_sam)

    def test_assigned_client_without_deal(self):
        lead = self._register(self.user_sara, phone="+81 3 1234 5678")
        self.assertDuplicateOf(lead, client=self.globex, holder="Will")
        lead = self._register(self.user_sam, email_from="Hello@Globex.example.com")
        self.assertDuplicateOf(lead, client=self.globex, holder="Will")

    def test_earliest_open_deal_first(self):
        later = self._create_lead(
            self.user_will, self.team_west, email_from="office@acme.example.com"
        )
        self.assertDuplicateOf(later, self.deal_sam)
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        self.assertDuplicateOf(lead, self.deal_sam)

    def test_pool_deal_is_held_by_the_pool(self):
        pooled = self._create_lead(
            self.env["res.users"],
            self.team_east,
            registrar=self.user_will,
            email_from="pool@client.example",
            in_pool=True,
        )
        lead = self._register(self.user_sara, email_from="Pool@Client.example")
        self.assertDuplicateOf(lead, pooled, holder="the shared pool")

    def test_not_a_duplicate(self):
        cases = {
            "own client": (self.user_sam, {"email_from": "office@acme.example.com"}),
            "other client": (self.user_sara, {"email_from": "new@client.example"}),
            "short number": (self.user_sara, {"phone": "12-34"}),
        }
        for case, (user, vals) in cases.items():
            with self.subTest(case=case):
                lead = self._register(user, **vals)
                self.assertFalse(lead.sm_duplicate_state)
                self.assertFalse(lead.sm_duplicate_of_id)

    def test_won_or_lost_deal_is_not_held(self):
        self.acme.user_id = False
        self.deal_sam.stage_id = self.stage_won
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        self.assertFalse(lead.sm_duplicate_state)
        lost = self._create_lead(
            self.user_will, self.team_west, email_from="lost@client.example"
        )
        lost.action_set_lost()
        lead = self._register(self.user_sara, email_from="lost@client.example")
        self.assertFalse(lead.sm_duplicate_state)

    def test_lapsed_registration_is_not_held(self):
        """A registration that lapsed (no progress for the company's delay)
        frees its client: it may be registered again."""
        self.acme.user_id = False
        self.deal_sam.sudo().sm_registration_lapsed = True
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        self.assertFalse(lead.sm_duplicate_state)

    def test_unregistered_deal_is_not_checked(self):
        lead = self._create_lead(
            self.user_sara,
            self.team_east,
            registrar=False,
            email_from="office@acme.example.com",
        )
        self.assertFalse(lead.sm_duplicate_state)

    def test_registering_person_told_a_name_only(self):
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        note = lead.with_user(self.user_sara).message_ids.filtered(
            lambda message: "Duplicate registration" in message.body
        )
        self.assertEqual(len(note), 1)
        self.assertIn("already held by Sam", note.body)
        for private in ("Acme pumps", "912", "7707083893"):
            self.assertNotIn(private, note.body)
        # the live notification, sent at commit
        bus = self.env.cr.precommit.data["bus.bus.values"][-1]
        self.assertIn("simple_notification", bus["message"])
        self.assertIn("Already held by Sam", bus["message"])
        self.assertEqual(
            json.loads(bus["channel"])[1:],
            ["res.partner", self.user_sara.partner_id.id],
        )
        # the registering salesperson cannot read the earlier deal
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sara).sm_duplicate_of_id.check_access("read")

    def test_told_in_their_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_motivation"], ["ru_RU"], overwrite=True
        )
        self.user_sara.lang = "ru_RU"
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        self.assertIn("Sam", lead.message_ids[:1].body)
        self.assertIn("Повторная регистрация", lead.message_ids[:1].body)

    def test_search_filter(self):
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        found = (
            self.env["crm.lead"]
            .with_user(self.user_leader_east)
            .search([("sm_duplicate_state", "=", "flagged")])
        )
        self.assertEqual(found, lead)


@tagged("post_install", "-at_install")
class TestDuplicateCommission(DuplicateCommon):
    """The registrar share of a flagged deal waits for a team leader."""

    def _flagged_won(self):
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        lead.write({"expected_revenue": 1000.0})
        lead.with_user(self.user_sara).action_set_won()
        return lead

    def test_no_registrar_share_until_confirmed(self):
        lead = self._flagged_won()
        self.assertFalse(self._registrar_lines(lead))
        closer = lead.sm_commission_line_ids.filtered(
            lambda line: line.role == "closer"
        )
        self.assertEqual(closer.amount, 100.0)
        lead.with_user(self.user_leader_east).action_sm_confirm_registration()
        self.assertEqual(lead.sm_duplicate_state, "confirmed")
        self.assertEqual(self._registrar_lines(lead).amount, 50.0)
        self.assertEqual(
            self._registrar_lines(lead).partner_id, self.user_sara.partner_id
        )

    def test_salesperson_cannot_confirm_or_clear(self):
        lead = self._flagged_won()
        as_sara = lead.with_user(self.user_sara)
        with self.assertRaises(AccessError):
            as_sara.action_sm_confirm_registration()
        for vals in ({"sm_duplicate_state": False}, {"sm_duplicate_of_id": False}):
            with self.assertRaises(AccessError):
                as_sara.write(vals)
        self.assertEqual(lead.sm_duplicate_state, "flagged")

    def test_merge_keeps_the_earliest_registration(self):
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        wizard = (
            self.env["crm.merge.opportunity"]
            .with_user(self.user_leader_east)
            .create(
                {
                    "opportunity_ids": [(6, 0, (self.deal_sam | lead).ids)],
                    "user_id": self.user_sam.id,
                }
            )
        )
        head = self.env["crm.lead"].browse(wizard.action_merge()["res_id"])
        self.assertEqual(head.registrar_id, self.user_sam)
        self.assertFalse(head.sm_duplicate_state)
        self.assertFalse(head.sm_duplicate_of_id)
        head.write({"expected_revenue": 1000.0})
        head.action_set_won()
        self.assertEqual(
            self._registrar_lines(head).partner_id, self.user_sam.partner_id
        )

    def test_flagged_deal_created_won(self):
        lead = self._create_lead(
            self.user_sara,
            self.team_east,
            email_from="office@acme.example.com",
            expected_revenue=1000.0,
            stage_id=self.stage_won.id,
        )
        self.assertEqual(lead.sm_duplicate_state, "flagged")
        self.assertFalse(self._registrar_lines(lead))
        self.assertTrue(lead.sm_commission_line_ids)


@tagged("post_install", "-at_install")
class TestDuplicateQueries(DuplicateCommon):
    @implementation_detail
    def test_check_costs_constant_queries(self):
        """Flagging one registration or five costs the same queries."""
        Lead = self.env["crm.lead"].with_user(self.user_leader_east)

        def batch(size, tag):
            leads = Lead.create(
                [
                    {
                        "name": f"{tag} {i}",
                        "user_id": self.user_sara.id,
                        "team_id": self.team_east.id,
                        "email_from": "office@acme.example.com",
                        "phone": f"+7 900 000-00-{i:02d}",
                    }
                    for i in range(size)
                ]
            )
            self.env.flush_all()
            return leads

        # the first run warms the caches (languages, groups) a request has
        for size, measured in ((1, False), (1, True), (5, True)):
            leads = batch(size, "check")
            leads.write({"sm_duplicate_state": False})
            self.env.flush_all()
            self.env.invalidate_all()
            if measured:
                with self.assertQueryCount(10):
                    leads._sm_duplicate_on_create([])
                    self.env.flush_all()
            else:
                leads._sm_duplicate_on_create([])
            self.assertEqual(set(leads.mapped("sm_duplicate_state")), {"flagged"})


@tagged("post_install", "-at_install")
class TestDuplicateTour(HttpCase, DuplicateCommon):
    def test_leader_confirms_in_the_form(self):
        lead = self._register(self.user_sara, email_from="office@acme.example.com")
        self.start_tour(
            f"/odoo/crm/{lead.id}",
            "sales_motivation_duplicate_confirm",
            login=self.user_leader_east.login,
        )
        self.assertEqual(lead.sm_duplicate_state, "confirmed")
