# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Agents and dealers in the portal (issue 18, items 1, 2, 4 to 6): their
registrations, the team leader's review, the lapse, commission to a
dealer company, and every door a portal user may knock at."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .test_commission import CommissionCommon


class AgentPortalCommon(CommissionCommon):
    """Two dealers, each an agent company: Acme (reviewed by team East)
    with two portal users, Bolt (no team: the company's first) with one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.dealer_acme = Partner.create(
            {
                "name": "Acme Dealer",
                "is_company": True,
                "sm_is_agent": True,
                "sm_agent_team_id": cls.team_east.id,
                "email": "acme@example.com",
                "lang": "en_US",
            }
        )
        cls.dealer_bolt = Partner.create(
            {
                "name": "Bolt Dealer",
                "is_company": True,
                "sm_is_agent": True,
                "sm_agent_team_id": cls.team_west.id,
                "email": "bolt@example.com",
            }
        )
        portal = "base.group_portal"
        cls.agent_anna = new_test_user(cls.env, "sm_anna", groups=portal, name="Anna")
        cls.agent_alex = new_test_user(cls.env, "sm_alex", groups=portal, name="Alex")
        cls.agent_bert = new_test_user(cls.env, "sm_bert", groups=portal, name="Bert")
        (cls.agent_anna | cls.agent_alex).partner_id.parent_id = cls.dealer_acme
        cls.agent_bert.partner_id.parent_id = cls.dealer_bolt
        cls.Lead = cls.env["crm.lead"]

    def _register(self, agent_user, client="Globex", **data):
        agent = agent_user.partner_id._sm_agent_partner()
        values = {
            "client": client,
            "contact": "Gina",
            "phone": "+1 555 0100",
            "email": "gina@globex.example.com",
            "need": "Ten forklifts",
            **data,
        }
        return self.Lead.with_user(agent_user)._sm_portal_register(agent, values)

    def _mails(self, lead, subject):
        return (
            self.env["mail.mail"]
            .search([("model", "=", "crm.lead"), ("res_id", "=", lead.id)])
            .filtered(lambda mail: subject in (mail.subject or ""))
        )


@tagged("post_install", "-at_install")
class TestAgentRegistration(AgentPortalCommon):
    def test_registration_arrives_pending_in_the_agents_team(self):
        lead = self._register(self.agent_anna)
        self.assertEqual(lead.sm_registration_state, "pending")
        # a dealer's employee registers for the dealer: the company is the agent
        self.assertEqual(lead.sm_agent_id, self.dealer_acme)
        self.assertEqual(lead.team_id, self.team_east)
        self.assertFalse(lead.user_id)
        self.assertFalse(lead.registrar_id)
        self.assertFalse(lead.in_pool)
        # the agent follows nothing of the deal's chatter
        self.assertNotIn(
            self.agent_anna.partner_id, lead.message_follower_ids.partner_id
        )
        # the team leader sees it; salespeople of the team do not yet
        self.assertTrue(lead.with_user(self.user_leader_east).read(["name"]))
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sam).read(["name"])
        with self.assertRaises(AccessError):
            lead.with_user(self.user_leader_west).read(["name"])

    def test_accept_to_a_salesperson(self):
        lead = self._register(self.agent_anna)
        lead.with_user(self.user_leader_east).action_sm_accept_registration(
            user=self.user_sam
        )
        self.assertEqual(lead.sm_registration_state, "accepted")
        self.assertEqual(lead.user_id, self.user_sam)
        self.assertTrue(self._mails(lead, "is accepted"))
        self.assertEqual(
            self._mails(lead, "is accepted").recipient_ids,
            self.dealer_acme | self.agent_anna.partner_id,
        )

    def test_accept_into_the_pool(self):
        lead = self._register(self.agent_anna)
        lead.with_user(self.user_leader_east).action_sm_accept_registration()
        self.assertTrue(lead.in_pool)
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.sm_registration_state, "accepted")
        # a member claims it; the dealer stays the registrar
        lead.with_user(self.user_sara).action_claim()
        self.assertEqual(lead.user_id, self.user_sara)
        self.assertEqual(lead.sm_agent_id, self.dealer_acme)

    def test_review_rights(self):
        lead = self._register(self.agent_anna)
        for user in (self.user_sam, self.user_leader_west):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                lead.with_user(user).action_sm_accept_registration()
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                lead.with_user(user).action_sm_reject_registration("No")
        with self.assertRaises(AccessError):
            lead.with_user(self.agent_anna).action_sm_accept_registration()
        self.assertEqual(lead.sm_registration_state, "pending")
        # the head of sales reviews any team's
        lead.with_user(self.user_head).action_sm_accept_registration()
        with self.assertRaises(UserError):
            lead.with_user(self.user_leader_east).action_sm_accept_registration()

    def test_reject_with_a_reason(self):
        lead = self._register(self.agent_anna)
        with self.assertRaises(UserError):
            lead.with_user(self.user_leader_east).action_sm_reject_registration(" ")
        wizard = (
            self.env["motivation.registration.reject"]
            .with_user(self.user_leader_east)
            .create({"lead_ids": [(6, 0, lead.ids)], "reason": "Already our client"})
        )
        wizard.action_reject()
        self.assertEqual(lead.sm_registration_state, "rejected")
        self.assertEqual(lead.sm_registration_reason, "Already our client")
        self.assertFalse(lead.active)
        self.assertEqual(lead._sm_registration_outcome(), "Rejected")
        mail = self._mails(lead, "is rejected")
        self.assertIn("Already our client", mail.body_html)

    def test_notification_in_the_agents_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.dealer_bolt.lang = "ru_RU"
        lead = self._register(self.agent_bert)
        template = self.env.ref("sales_motivation.mail_template_registration_accepted")
        template.with_context(lang="ru_RU").subject = "Регистрация {{ object.name }}"
        lead.with_user(self.user_leader_west).action_sm_accept_registration()
        mails = self.env["mail.mail"].search(
            [("model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertIn("Регистрация Globex", mails.mapped("subject"))

    def test_won_commission_goes_to_the_dealer(self):
        lead = self._register(self.agent_anna)
        lead.expected_revenue = 100000.0
        # won while pending: no registrar share yet
        lead.with_user(self.user_leader_east).write(
            {"user_id": self.user_sam.id, "stage_id": self.stage_won.id}
        )
        self.assertEqual(self._amounts(lead), [("closer", "Sam", 10000.0)])
        lead.stage_id = self.stage_new
        lead.with_user(self.user_leader_east).action_sm_accept_registration()
        lead.with_user(self.user_sam).write({"stage_id": self.stage_won.id})
        self.assertEqual(
            self._amounts(lead),
            [("closer", "Sam", 10000.0), ("registrar", "Acme Dealer", 5000.0)],
        )
        self.assertTrue(self._mails(lead, "is won"))
        self.assertEqual(lead._sm_registration_outcome(), "Won")
        # the dealer's two portal users both see the line; the other dealer not
        line = self._lines(lead, role="registrar")
        for agent in (self.agent_anna, self.agent_alex):
            self.assertEqual(
                self.Line.with_user(agent).search([("lead_id", "=", lead.id)]), line
            )
        self.assertFalse(self.Line.with_user(self.agent_bert).search([]))

    def test_lapse_without_progress(self):
        self.env.company.sm_registration_lapse_days = 10
        with freeze_time("2027-03-01 09:00"):
            lead = self._register(self.agent_anna)
            accepted = self._register(self.agent_anna, client="Initech")
            accepted.with_user(self.user_leader_east).action_sm_accept_registration(
                user=self.user_sam
            )
        with freeze_time("2027-03-08 09:00"):
            # progress: Sam moves his deal on
            stage = self.env["crm.stage"].search(
                [("is_won", "=", False), ("id", "!=", self.stage_new.id)], limit=1
            )
            accepted.with_user(self.user_sam).stage_id = stage
        with freeze_time("2027-03-11 10:00"):
            self.Lead._cron_sm_lapse_registrations()
        self.assertTrue(lead.sm_registration_lapsed)
        self.assertFalse(accepted.sm_registration_lapsed)
        self.assertEqual(lead._sm_registration_outcome(), "Lapsed")
        self.assertTrue(self._mails(lead, "lapsed"))
        # a lapsed registration is not reviewed any more; running again tells
        # nobody twice
        with self.assertRaises(UserError):
            lead.with_user(self.user_leader_east).action_sm_accept_registration()
        with freeze_time("2027-03-19 10:00"):
            self.Lead._cron_sm_lapse_registrations()
        self.assertEqual(len(self._mails(lead, "lapsed")), 1)
        self.assertTrue(accepted.sm_registration_lapsed)
        # the lapsed agent earns no registrar share when the deal is won later
        accepted.expected_revenue = 1000.0
        accepted.with_user(self.user_sam).stage_id = self.stage_won
        self.assertEqual(self._amounts(accepted), [("closer", "Sam", 100.0)])

    def test_lapse_off(self):
        self.env["res.company"].search([]).sm_registration_lapse_days = 0
        lead = self._register(self.agent_anna)
        lead.sm_registration_progress_date = datetime.now() - timedelta(days=400)
        self.Lead._cron_sm_lapse_registrations()
        self.assertFalse(lead.sm_registration_lapsed)

    def test_staff_deals_have_no_registration_state(self):
        lead = self.Lead.with_user(self.user_sam).create({"name": "Staff deal"})
        self.assertFalse(lead.sm_registration_state)
        self.assertFalse(lead.sm_agent_id)


@tagged("post_install", "-at_install")
class TestAgentPortalDoors(AgentPortalCommon, HttpCase):
    """Anna (Acme) and Bert (Bolt) logged in over HTTP try every door."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead_acme = cls._register_cls(cls.agent_alex, "Acme's client")
        cls.lead_bolt = cls._register_cls(cls.agent_bert, "Bolt's client")
        (cls.lead_acme | cls.lead_bolt).expected_revenue = 20000.0
        cls.lead_acme.with_user(cls.user_leader_east).action_sm_accept_registration(
            user=cls.user_sam
        )
        cls.lead_bolt.with_user(cls.user_leader_west).action_sm_accept_registration(
            user=cls.user_will
        )
        cls.lead_acme.description = "<p>Internal: client is price-sensitive</p>"
        cls.lead_acme.message_post(body="Salesperson's chatter", message_type="comment")
        (cls.lead_acme | cls.lead_bolt).stage_id = cls.stage_won
        Attachment = cls.env["ir.attachment"]
        cls.attachment_bolt = Attachment.create(
            {
                "name": "offer.txt",
                "raw": b"bolt offer",
                "res_model": "crm.lead",
                "res_id": cls.lead_bolt.id,
            }
        )
        cls.line_acme = cls.Line.search(
            [("lead_id", "=", cls.lead_acme.id), ("role", "=", "registrar")]
        )
        cls.line_bolt = cls.Line.search(
            [("lead_id", "=", cls.lead_bolt.id), ("role", "=", "registrar")]
        )
        (cls.line_acme | cls.line_bolt).action_approve()
        Settlement = cls.env["motivation.settlement"]
        settlements, _count = Settlement._settle_lines(
            cls.line_acme | cls.line_bolt,
            cls.line_acme.date.replace(day=1),
            cls.line_acme.date,
        )
        settlements.action_confirm()
        cls.settlement_acme = settlements.filtered(
            lambda s: s.partner_id == cls.dealer_acme
        )
        cls.settlement_bolt = settlements - cls.settlement_acme

    @classmethod
    def _register_cls(cls, agent_user, client):
        """A registration of ``client`` by ``agent_user``: each client its
        own contact data (the same phone or e-mail would make the second
        dealer's registration a duplicate, its registrar share held)."""
        agent = agent_user.partner_id._sm_agent_partner()
        index = cls._registered = getattr(cls, "_registered", 0) + 1
        return cls.Lead.with_user(agent_user)._sm_portal_register(
            agent,
            {
                "client": client,
                "contact": "Gina",
                "phone": f"+1 555 01{index:02d}",
                "email": f"gina{index}@example.com",
                "need": "Forklifts",
            },
        )

    def setUp(self):
        super().setUp()
        self.authenticate(self.agent_anna.login, "sm_annax")

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _found_or_refused(self, model, domain, fnames):
        """What search_read finds: refused or nothing, either way nothing."""
        try:
            return self._call_kw(model, "search_read", [domain], {"fields": fnames})
        except JsonRpcException:
            return []

    def test_registration_pages(self):
        response = self.url_open("/my/registrations")
        self.assertEqual(response.status_code, 200)
        # Alex registered it, Anna sees it: Acme is the agent
        self.assertIn("Acme&#39;s client", response.text)
        self.assertNotIn("Bolt&#39;s client", response.text)
        self.assertNotIn("Bolt", response.text)
        response = self.url_open(f"/my/registrations/{self.lead_acme.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Forklifts", response.text)
        self.assertIn("Won", response.text)
        # never internal notes or the salesperson's chatter
        self.assertNotIn("price-sensitive", response.text)
        self.assertNotIn("Salesperson&#39;s chatter", response.text)
        response = self.url_open(f"/my/registrations/{self.lead_bolt.id}")
        self.assertNotIn("Bolt&#39;s client", response.text)
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_register_over_http(self):
        response = self.url_open("/my/registrations/new")
        self.assertEqual(response.status_code, 200)
        # incomplete: said, nothing registered
        response = self.url_open(
            "/my/registrations/new",
            data={
                "client": "Umbrella",
                "contact": "Ula",
                "need": "Pumps",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertIn("Give a phone number or an e-mail address.", response.text)
        self.assertFalse(self.Lead.search([("name", "=", "Umbrella")]))
        response = self.url_open(
            "/my/registrations/new",
            data={
                "client": "Umbrella",
                "contact": "Ula",
                "email": "ula@umbrella.example.com",
                "need": "Pumps",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        lead = self.Lead.search([("name", "=", "Umbrella")])
        self.assertEqual(lead.sm_agent_id, self.dealer_acme)
        self.assertEqual(lead.create_uid, self.agent_anna)
        self.assertTrue(response.url.endswith(f"/my/registrations/{lead.id}"))
        self.assertIn("Pending review", response.text)

    def test_counters(self):
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["sm_registration_count", "sm_commission_count"]},
        )
        self.assertEqual(counters["sm_registration_count"], 1)
        self.assertEqual(counters["sm_commission_count"], 1)
        self.authenticate(self.user_sam.login, "sm_samxx")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["sm_registration_count"]}
        )
        self.assertEqual(counters["sm_registration_count"], 0)

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_model")
    def test_json_rpc_on_deals_refused(self):
        for method, args, kwargs in (
            ("read", [[self.lead_acme.id], ["name", "description"]], {}),
            ("read", [[self.lead_bolt.id], ["name"]], {}),
            ("search_read", [[]], {"fields": ["name"]}),
            ("web_search_read", [[]], {"specification": {"name": {}}}),
            ("search_count", [[]], {}),
            ("name_search", [], {"name": "client"}),
            ("write", [[self.lead_acme.id], {"name": "Mine"}], {}),
        ):
            with self.subTest(method=method), self.assertRaises(JsonRpcException):
                self._call_kw("crm.lead", method, args, kwargs)

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_json_rpc_commission(self):
        lines = self._call_kw(
            "motivation.commission.line", "search_read", [[]], {"fields": ["amount"]}
        )
        self.assertEqual([line["id"] for line in lines], self.line_acme.ids)
        settlements = self._call_kw(
            "motivation.settlement", "search_read", [[]], {"fields": ["name"]}
        )
        self.assertEqual([s["id"] for s in settlements], self.settlement_acme.ids)
        for model, record in (
            ("motivation.commission.line", self.line_bolt),
            ("motivation.settlement", self.settlement_bolt),
        ):
            with self.subTest(model=model), self.assertRaises(JsonRpcException):
                self._call_kw(model, "read", [record.ids, ["amount"]])
        with self.assertRaises(JsonRpcException):
            self._call_kw(
                "motivation.commission.line",
                "write",
                [self.line_acme.ids, {"amount": 1}],
            )

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_model")
    def test_messages_and_attachments(self):
        for lead in (self.lead_acme, self.lead_bolt):
            with self.subTest(lead=lead.name):
                try:
                    messages = self.make_jsonrpc_request(
                        "/mail/thread/messages",
                        {"thread_model": "crm.lead", "thread_id": lead.id},
                    )
                except JsonRpcException:
                    messages = {"messages": []}
                self.assertEqual(messages["messages"], [])
        self.assertEqual(
            self._found_or_refused(
                "mail.message", [("model", "=", "crm.lead")], ["body"]
            ),
            [],
        )
        message = self.lead_acme.message_ids[:1]
        with self.assertRaises(JsonRpcException):
            self._call_kw("mail.message", "read", [message.ids, ["body"]])
        self.assertEqual(
            self._found_or_refused(
                "ir.attachment", [("res_model", "=", "crm.lead")], ["name"]
            ),
            [],
        )
        with self.assertRaises(JsonRpcException):
            self._call_kw("ir.attachment", "read", [self.attachment_bolt.ids, ["raw"]])
        response = self.url_open(
            f"/web/content/{self.attachment_bolt.id}?download=true"
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"bolt offer", response.content)

    @mute_logger("odoo.http")
    def test_commission_page_and_statements(self):
        response = self.url_open("/my/commission")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Acme&#39;s client", response.text)
        self.assertIn(self.settlement_acme.name, response.text)
        self.assertNotIn("Bolt&#39;s client", response.text)
        self.assertNotIn(self.settlement_bolt.name, response.text)
        response = self.url_open(f"/my/commission/statement/{self.settlement_acme.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Acme Dealer", response.text)
        self.assertIn("Acme&#39;s client", response.text)
        response = self.url_open(f"/my/commission/statement/{self.settlement_bolt.id}")
        self.assertNotIn("Bolt Dealer", response.text)
        for settlement in (self.settlement_bolt,):
            response = self.url_open(
                "/report/pdf/sales_motivation.report_settlement_statement/"
                f"{settlement.id}"
            )
            self.assertNotEqual(response.status_code, 200)
            self.assertNotIn("Bolt Dealer", response.text)
            response = self.url_open(
                "/report/html/sales_motivation.report_settlement_statement/"
                f"{settlement.id}"
            )
            self.assertNotEqual(response.status_code, 200)

    @mute_logger("odoo.http")
    def test_raw_report_route(self):
        """Odoo's own report route prints an agent their own statement
        (its deals by name, although they read no deal) and refuses
        another dealer's."""
        for converter in ("pdf", "html"):
            with self.subTest(converter=converter):
                url = (
                    f"/report/{converter}/sales_motivation.report_settlement_statement/"
                )
                response = self.url_open(f"{url}{self.settlement_acme.id}")
                self.assertEqual(response.status_code, 200)
                self.assertIn("Acme Dealer", response.text)
                self.assertIn("Acme&#39;s client", response.text)
                response = self.url_open(f"{url}{self.settlement_bolt.id}")
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn("Bolt Dealer", response.text)
                # both at once: refused, nothing of either
                response = self.url_open(
                    f"{url}{self.settlement_acme.id},{self.settlement_bolt.id}"
                )
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn("Bolt Dealer", response.text)

    def _staff_messages(self):
        """On Acme's deal: Sam's message to the dealer with a file, his
        internal note with a file, his message to the client, and a file
        attached to the deal by the staff."""
        lead = self.lead_acme.with_user(self.user_sam)
        client = self.env["res.partner"].create(
            {"name": "Globex Buyer", "email": "buyer@globex.example.com"}
        )
        lead.sudo().message_subscribe(partner_ids=client.ids)
        to_agent = lead.message_post(
            body="Meet the client on Monday",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.dealer_acme.ids,
            attachments=[("plan.txt", b"shared plan")],
        )
        lead.message_post(
            body="Internal: margin is thin",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachments=[("margin.txt", b"internal margin")],
        )
        lead.message_post(
            body="Dear buyer, our offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=client.ids,
        )
        internal = self.env["ir.attachment"].create(
            {
                "name": "costs.txt",
                "raw": b"internal costs",
                "res_model": "crm.lead",
                "res_id": self.lead_acme.id,
            }
        )
        return to_agent, internal, client

    @mute_logger("odoo.http")
    def test_messages_and_files_meant_for_the_agent(self):
        to_agent, internal, _client = self._staff_messages()
        response = self.url_open(f"/my/registrations/{self.lead_acme.id}")
        self.assertIn("Meet the client on Monday", response.text)
        self.assertIn("plan.txt", response.text)
        for hidden in (
            "margin is thin",
            "margin.txt",
            "Dear buyer",
            "costs.txt",
            "Salesperson&#39;s chatter",
        ):
            with self.subTest(hidden=hidden):
                self.assertNotIn(hidden, response.text)
        # the shared file downloads through its access token
        attachment = to_agent.attachment_ids
        self.assertTrue(attachment.access_token)
        response = self.url_open(
            f"/web/content/{attachment.id}?access_token={attachment.access_token}"
            "&download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"shared plan")
        # without the token, or the staff's own file: refused
        for refused in (attachment, internal):
            with self.subTest(attachment=refused.name):
                response = self.url_open(f"/web/content/{refused.id}?download=true")
                self.assertNotEqual(response.status_code, 200)
        # the other dealer sees none of it
        self.authenticate(self.agent_bert.login, "sm_bertx")
        response = self.url_open(f"/my/registrations/{self.lead_bolt.id}")
        self.assertNotIn("Meet the client", response.text)
        self.assertNotIn("plan.txt", response.text)

    @mute_logger("odoo.http")
    def test_agent_writes_with_files(self):
        """Anna writes with a file; Sam (the salesperson) is notified, the
        client following the deal is not; Alex (same dealer) reads it;
        Bert (another dealer) may not write on it."""
        _to_agent, _internal, client = self._staff_messages()
        response = self.url_open(
            f"/my/registrations/{self.lead_acme.id}/message",
            data={
                "message": "The client asks for a demo",
                "csrf_token": http.Request.csrf_token(self),
            },
            files={"attachments": ("request.txt", b"demo request")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("The client asks for a demo", response.text)
        self.assertIn("request.txt", response.text)
        message = self.lead_acme.message_ids.filtered(
            lambda m: "asks for a demo" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.agent_anna.partner_id)
        self.assertEqual(message.attachment_ids.raw, b"demo request")
        self.assertEqual(
            message.subtype_id,
            self.env.ref("sales_motivation.mt_registration_agent_message"),
        )
        notified = message.notification_ids.res_partner_id
        self.assertIn(self.user_sam.partner_id, notified)
        self.assertNotIn(client, notified)
        # the agent follows nothing
        self.assertNotIn(self.agent_anna.partner_id, self.lead_acme.message_partner_ids)
        self.authenticate(self.agent_alex.login, "sm_alexx")
        response = self.url_open(f"/my/registrations/{self.lead_acme.id}")
        self.assertIn("The client asks for a demo", response.text)
        self.assertIn("request.txt", response.text)
        self.authenticate(self.agent_bert.login, "sm_bertx")
        count = len(self.lead_acme.message_ids)
        response = self.url_open(
            f"/my/registrations/{self.lead_acme.id}/message",
            data={
                "message": "Bert was here",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertEqual(len(self.lead_acme.message_ids), count)

    @mute_logger("odoo.http")
    def test_staff_write_to_the_agent(self):
        """Sam writes to the agent from the deal: the dealer and Alex (who
        registered it) receive it, the client following the deal does not;
        Anna reads it on the registration's page."""
        _to_agent, _internal, client = self._staff_messages()
        action = self.lead_acme.with_user(self.user_sam).action_sm_message_agent()
        composer_form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_sam)
            .with_context(**action["context"])
        )
        composer_form.body = "<p>The contract is ready</p>"
        composer_form.save().action_send_mail()
        message = self.lead_acme.message_ids.filtered(
            lambda m: "contract is ready" in (m.body or "")
        )
        self.assertEqual(
            message.subtype_id,
            self.env.ref("sales_motivation.mt_registration_agent_message"),
        )
        self.assertEqual(
            message.partner_ids, self.dealer_acme | self.agent_alex.partner_id
        )
        self.assertNotIn(client, message.notification_ids.res_partner_id)
        response = self.url_open(f"/my/registrations/{self.lead_acme.id}")
        self.assertIn("The contract is ready", response.text)

    def test_register_with_files(self):
        response = self.url_open(
            "/my/registrations/new",
            data={
                "client": "Hooli",
                "contact": "Hank",
                "phone": "+1 555 0199",
                "need": "Servers",
                "csrf_token": http.Request.csrf_token(self),
            },
            files={"attachments": ("rfq.txt", b"request for quotation")},
        )
        lead = self.Lead.search([("name", "=", "Hooli")])
        self.assertEqual(lead.sm_agent_id, self.dealer_acme)
        self.assertIn("rfq.txt", response.text)
        self.assertEqual(lead.message_ids.attachment_ids.raw, b"request for quotation")
        # the team leader is told (nobody holds the deal yet)
        self.assertIn(
            self.user_leader_east.partner_id,
            lead.message_ids.notification_ids.res_partner_id,
        )

    @mute_logger(
        "odoo.http",
        "odoo.models",
        "odoo.addons.base.models.ir_model",
        "odoo.addons.base.models.ir_rule",
    )
    def test_json_rpc_nothing_of_another_dealer(self):
        """Bert, over JSON-RPC, reads nothing of Acme: no deal, commission
        line, attachment or message, whether searched or read by id."""
        to_agent, internal, _client = self._staff_messages()
        self.lead_acme._sm_portal_post(
            self.agent_anna.partner_id, "Anna's note", [("anna.txt", b"anna")]
        )
        acme_messages = self.lead_acme.message_ids
        acme_attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead_acme.id)]
        )
        self.assertIn(internal, acme_attachments)
        self.assertIn(to_agent.attachment_ids, acme_attachments)
        self.authenticate(self.agent_bert.login, "sm_bertx")
        for model, records, fnames in (
            ("crm.lead", self.lead_acme, ["name"]),
            ("motivation.commission.line", self.line_acme, ["amount"]),
            ("motivation.settlement", self.settlement_acme, ["name"]),
            ("ir.attachment", acme_attachments, ["name", "datas"]),
            ("mail.message", acme_messages, ["body"]),
        ):
            with self.subTest(model=model, method="search_read"):
                found = self._found_or_refused(model, [], fnames)
                self.assertFalse({row["id"] for row in found} & set(records.ids), model)
            for record in records:
                with self.subTest(model=model, method="read", id=record.id):
                    try:
                        rows = self._call_kw(model, "read", [record.ids, fnames])
                    except JsonRpcException:
                        rows = []
                    self.assertEqual(rows, [])

    def test_other_dealer_sees_only_its_own(self):
        self.authenticate(self.agent_bert.login, "sm_bertx")
        response = self.url_open("/my/registrations")
        self.assertIn("Bolt&#39;s client", response.text)
        self.assertNotIn("Acme", response.text)
        response = self.url_open(f"/my/registrations/{self.lead_acme.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        response = self.url_open("/my/commission")
        self.assertNotIn(self.settlement_acme.name, response.text)
        self.assertIn(self.settlement_bolt.name, response.text)

    def test_customer_portal_user_is_no_agent(self):
        customer = new_test_user(
            self.env, "sm_cust", groups="base.group_portal", name="Customer"
        )
        self.authenticate(customer.login, "sm_custx")
        response = self.url_open("/my/registrations")
        self.assertTrue(response.url.endswith("/my"), response.url)
        response = self.url_open("/my/commission")
        self.assertTrue(response.url.endswith("/my"), response.url)


@tagged("post_install", "-at_install")
class TestAgentPortalTour(AgentPortalCommon, HttpCase):
    def test_agent_flow_and_review(self):
        """Anna registers a deal; Lena accepts it to Sam; Anna sees it
        accepted, reads Sam's message and answers; Sam wins it; the month is
        settled; Anna sees it won and downloads Acme's statement."""
        self.user_sam.name = "Tour Sam"
        self.start_tour(
            "/my/registrations",
            "sales_motivation_agent_register",
            login=self.agent_anna.login,
        )
        lead = self.Lead.search([("name", "=", "Tour Client")])
        self.assertEqual(lead.sm_registration_state, "pending")
        self.assertEqual(lead.sm_agent_id, self.dealer_acme)
        self.start_tour(
            "/odoo/action-sales_motivation.crm_lead_action_registration_review",
            "sales_motivation_registration_review",
            login=self.user_leader_east.login,
        )
        self.assertEqual(lead.sm_registration_state, "accepted")
        self.assertEqual(lead.user_id, self.user_sam)
        sam_lead = lead.with_user(self.user_sam)
        sam_lead.message_post(
            body="Call me about the pumps",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.dealer_acme.ids,
        )
        sam_lead.message_post(body="Internal tour note", subtype_xmlid="mail.mt_note")
        self.start_tour(
            "/my/registrations",
            "sales_motivation_agent_accepted",
            login=self.agent_anna.login,
        )
        answer = lead.message_ids.filtered(
            lambda m: "Tomorrow at ten" in (m.body or "")
        )
        self.assertEqual(answer.author_id, self.agent_anna.partner_id)
        lead.expected_revenue = 40000.0
        lead.with_user(self.user_sam).stage_id = self.stage_won
        line = self._lines(lead, role="registrar")
        self.assertEqual((line.partner_id, line.amount), (self.dealer_acme, 2000.0))
        line.action_approve()
        settlements, _count = self.env["motivation.settlement"]._settle_lines(
            line, line.date.replace(day=1), line.date
        )
        settlements.action_confirm()
        self.start_tour(
            "/my/registrations",
            "sales_motivation_agent_follow",
            login=self.agent_anna.login,
        )
