# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from odoo.addons.mail.tools.discuss import Store

from .common import SalesMotivationAccessCommon


@tagged("post_install", "-at_install")
class TestClientAccess(SalesMotivationAccessCommon):
    """A client with a salesperson belongs to that salesperson, the leaders of
    their teams and all-documents users; everything else keeps working."""

    def _can_read(self, user, partner):
        try:
            partner.with_user(user).read(["name", "email"])
        except AccessError:
            return False
        return True

    def _can_write(self, user, partner):
        try:
            with self.env.cr.savepoint():
                partner.with_user(user).write({"comment": "checked"})
        except AccessError:
            return False
        return True

    def _visible(self, user, partner):
        Partner = self.env["res.partner"].with_user(user)
        found = Partner.search([("id", "=", partner.id)])
        named = [pid for pid, _n in Partner.name_search(partner.name, operator="=")]
        self.assertEqual(bool(found), partner.id in named, "search = name_search")
        return bool(found)

    def test_salesperson(self):
        sam = self.user_sam
        for partner, read, write in (
            (self.partner_sam, True, True),
            (self.partner_free, True, True),
            (self.partner_sara, False, False),
            (self.partner_will, False, False),
            # Odoo itself reserves other users' partners to user admins
            (self.user_sara.partner_id, True, False),
            (self.env.company.partner_id, True, True),
        ):
            with self.subTest(partner=partner.name):
                self.assertEqual(self._can_read(sam, partner), read)
                self.assertEqual(self._visible(sam, partner), read)
                self.assertEqual(self._can_write(sam, partner), write)

    def test_team_leader(self):
        lena = self.user_leader_east
        for partner, allowed in (
            (self.partner_sam, True),
            (self.partner_sara, True),
            (self.partner_free, True),
            (self.partner_will, False),
        ):
            with self.subTest(partner=partner.name):
                self.assertEqual(self._can_read(lena, partner), allowed)
                self.assertEqual(self._can_write(lena, partner), allowed)

    def test_all_documents_and_data_operator(self):
        for user in (self.user_head, self.user_operator):
            for partner in (self.partner_sam, self.partner_sara, self.partner_will):
                with self.subTest(user=user.name, partner=partner.name):
                    self.assertTrue(self._can_read(user, partner))
                    self.assertTrue(self._can_write(user, partner))

    def test_contact_person_follows_company(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer at Sara's client", "parent_id": self.partner_sara.id}
        )
        self.assertEqual(contact.user_id, self.user_sara)
        self.assertFalse(self._can_read(self.user_sam, contact))
        self.assertTrue(self._can_read(self.user_sara, contact))

    def test_client_of_my_deal_is_readable(self):
        """A deal of mine refers to a client of a colleague: I read the client
        (my deal and its quotation must work), I do not edit it."""
        lead = self.leads["own"]
        lead.partner_id = self.partner_sara
        self.assertTrue(self._can_read(self.user_sam, self.partner_sara))
        self.assertFalse(self._can_write(self.user_sam, self.partner_sara))
        self.assertFalse(self._can_read(self.user_sam, self.partner_will))

    def test_quotation_from_my_opportunity(self):
        lead = self.leads["own"]
        lead.partner_id = self.partner_sam
        action = lead.with_user(self.user_sam).action_sale_quotations_new()
        product = self.env["product.product"].create(
            {"name": "Rack", "list_price": 100.0}
        )
        Order = self.env["sale.order"].with_user(self.user_sam)
        order_form = Form(Order.with_context(**action["context"]))
        with order_form.order_line.new() as line:
            line.product_id = product
        order_form.save()
        order = order_form.record
        self.assertEqual(order.partner_id, self.partner_sam)
        self.assertEqual(order.opportunity_id, lead)
        order.with_user(self.user_sam).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_chatter_of_my_deal_with_foreign_authors(self):
        """Messages written by a colleague's client on my deal, and followers
        I cannot open, still show in my chatter."""
        lead = self.leads["own"]
        lead.message_subscribe(partner_ids=self.partner_will.ids)
        lead.message_post(body="Question from a client", author_id=self.partner_will.id)
        messages = lead.with_user(self.user_sam).message_ids
        self.assertIn(self.partner_will, messages.sudo().author_id)
        store = Store()
        messages._to_store(store, for_current_user=True)
        partners = {p["id"]: p for p in store.get_result()["res.partner"]}
        self.assertEqual(partners[self.partner_will.id]["name"], "Client of Will")
        followers = lead.with_user(self.user_sam).message_follower_ids
        self.assertIn(self.partner_will, followers.sudo().partner_id)
        store = Store()
        followers._to_store(store)
        self.assertIn(
            self.partner_will.id, [p["id"] for p in store.get_result()["res.partner"]]
        )


@tagged("post_install", "-at_install")
class TestPersonalData(SalesMotivationAccessCommon):
    def _reserve_to_operators(self, value=True):
        self.env.company.sm_personal_data_by_operators = value

    def test_off_by_default(self):
        self.partner_sam.with_user(self.user_sam).write({"phone": "+7 900 1"})
        self.assertEqual(self.partner_sam.phone, "+7 900 1")

    def test_salesperson_cannot_change_personal_data(self):
        self._reserve_to_operators()
        for field, value in (
            ("name", "Renamed"),
            ("phone", "+7 900 2"),
            ("email", "x@example.com"),
            ("street", "Lenina 1"),
            ("vat", "RU123"),
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                self.partner_sam.with_user(self.user_sam).write({field: value})
        self.assertEqual(self.partner_sam.name, "Client of Sam")
        # other data stays the salesperson's
        self.partner_sam.with_user(self.user_sam).write({"comment": "Call on Monday"})
        # and their own user preferences too
        self.user_sam.partner_id.with_user(self.user_sam).write({"phone": "+7 1"})

    def test_data_operator_edits_every_client(self):
        self._reserve_to_operators()
        for partner in (self.partner_sam, self.partner_will):
            partner.with_user(self.user_operator).write({"phone": "+7 900 3"})
            self.assertEqual(partner.phone, "+7 900 3")

    def test_lead_edit_does_not_leak_to_client(self):
        """Changing the e-mail on a deal does not rewrite a protected client."""
        self._reserve_to_operators()
        lead = self.leads["own"]
        lead.partner_id = self.partner_sam
        self.partner_sam.email = "old@example.com"
        lead.with_user(self.user_sam).write({"email_from": "new@example.com"})
        self.assertEqual(lead.email_from, "new@example.com")
        self.assertEqual(self.partner_sam.email, "old@example.com")


@tagged("post_install", "-at_install")
class TestClientRulesLeakNothing(SalesMotivationAccessCommon):
    """Checking a client against the rules reads nothing the user then sees:
    Odoo 18 checks records in Python with superuser rights, and the client
    rules ask about orders, leads and contacts of every salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Order = cls.env["sale.order"]
        # a client of nobody, with an order of Sam's and one of Sara's
        cls.order_sam, cls.order_sara = Order.create(
            [
                {"partner_id": cls.partner_free.id, "user_id": cls.user_sam.id},
                {"partner_id": cls.partner_free.id, "user_id": cls.user_sara.id},
            ]
        )
        # a company of nobody: a buyer who is Sam's client and one of Will's
        cls.company_free = cls.env["res.partner"].create(
            {"name": "Company of nobody", "is_company": True}
        )
        cls.buyer_sam, cls.buyer_will = cls.env["res.partner"].create(
            [
                {
                    "name": "Buyer of Sam",
                    "parent_id": cls.company_free.id,
                    "user_id": cls.user_sam.id,
                },
                {
                    "name": "Buyer of Will",
                    "parent_id": cls.company_free.id,
                    "user_id": cls.user_will.id,
                },
            ]
        )
        # Will's client, with a deal of team East (Lena's) and Will's own
        cls.leads["colleague"].partner_id = cls.partner_will
        cls.leads["other_team"].partner_id = cls.partner_will

    def setUp(self):
        super().setUp()
        # the user's reads start from an empty cache, as in a new request
        self.env.invalidate_all()

    def test_my_client_orders_are_mine_only(self):
        """Sam opens his quotation: its customer's orders, as Sam reads them,
        are his, not Sara's."""
        order = self.order_sam.with_user(self.user_sam)
        self.assertEqual(order.partner_id.name, "Client of nobody")
        self.assertEqual(order.partner_id.sale_order_ids, self.order_sam)
        self.assertEqual(order.partner_id.sale_order_count, 1)

    def test_cancellation_email_counts_my_orders(self):
        """Sam cancels his quotation: the e-mail rendered for him counts the
        client's orders he may read (Odoo's own sale test, with the addon's
        rules)."""
        template = self.env.ref("sale.mail_template_sale_cancellation")
        template.write(
            {
                "subject": "I can see {{ len(object.partner_id.sale_order_ids) }}",
                "body_html": "I see <t t-out='len(object.partner_id.sale_order_ids)'/>",
            }
        )
        self.env.invalidate_all()
        cancel = (
            self.env["sale.order.cancel"]
            .with_user(self.user_sam)
            .create({"template_id": template.id, "order_id": self.order_sam.id})
        )
        self.assertEqual(cancel.subject, "I can see 1")
        self.assertEqual(cancel.body, "<p>I see 1</p>")

    def test_company_contacts_i_may_read(self):
        """Sam opens a company of nobody: its contacts, as he reads them, are
        those he may open, and the contacts tab shows without an error."""
        company = self.company_free.with_user(self.user_sam)
        self.assertEqual(company.name, "Company of nobody")
        self.assertEqual(company.child_ids, self.buyer_sam)
        values = company.web_read({"child_ids": {"fields": {"name": {}}}})
        self.assertEqual(
            [contact["name"] for contact in values[0]["child_ids"]], ["Buyer of Sam"]
        )

    def test_team_leader_reads_the_leads_of_their_teams(self):
        """Lena opens Will's client, named by a deal of her team: its leads,
        as she reads them, are her team's, not team West's."""
        partner = self.partner_will.with_user(self.user_leader_east)
        self.assertEqual(partner.name, "Client of Will")
        self.assertEqual(partner.sm_lead_ids, self.leads["colleague"])
        partner.sm_lead_ids.mapped("name")  # readable: no AccessError

    def _access(self, user, partner):
        """Whether ``user`` may read ``partner``, as Odoo checks it before
        reading non-stored fields (in Python) and stored ones (in SQL)."""
        partner = partner.with_user(user)
        in_sql = partner.with_context(active_test=False).search(
            [("id", "=", partner.id)]
        )
        return partner.has_access("read"), bool(in_sql)

    def test_rules_follow_the_documents_at_once(self):
        """Sam reads a colleague's client while his order or his deal names
        it, and no longer once the order goes to Sara or the deal is lost,
        in the same transaction, whichever way Odoo checks it."""
        sam, client = self.user_sam, self.partner_sara
        self.order_sam.partner_id = client
        self.assertEqual(self._access(sam, client), (True, True))
        self.order_sam.user_id = self.user_sara
        self.assertEqual(self._access(sam, client), (False, False))
        lead = self.leads["own"]
        lead.partner_id = client
        self.assertEqual(self._access(sam, client), (True, True))
        lead.action_set_lost()  # archived: a lost deal opens no client
        self.assertEqual(self._access(sam, client), (False, False))
        lead.action_unarchive()
        self.assertEqual(self._access(sam, client), (True, True))
        lead.partner_id = self.partner_will
        self.assertEqual(self._access(sam, client), (False, False))

    def test_team_leader_rule_follows_the_teams(self):
        """Lena reads the clients of her team's members, and no longer those
        of a member who leaves the team."""
        lena, client = self.user_leader_east, self.partner_sara
        self.assertEqual(self._access(lena, client), (True, True))
        self.team_east.crm_team_member_ids.filtered(
            lambda m: m.user_id == self.user_sara
        ).action_archive()
        self.assertEqual(self._access(lena, client), (False, False))

    def test_rules_search_and_check_agree(self):
        """What a search shows Sam and Lena is what they may open."""
        self.order_sam.partner_id = self.partner_sara
        for user in (self.user_sam, self.user_sara, self.user_leader_east):
            with self.subTest(user=user.name):
                Partner = self.env["res.partner"].with_user(user)
                found = Partner.search([("id", "in", self.all_clients.ids)])
                self.assertEqual(
                    found, self.all_clients.with_user(user)._filtered_access("read")
                )

    @property
    def all_clients(self):
        return (
            self.partner_sam
            | self.partner_sara
            | self.partner_will
            | self.partner_free
            | self.company_free
            | self.buyer_sam
            | self.buyer_will
        )
