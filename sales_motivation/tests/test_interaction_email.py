# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from markupsafe import Markup
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.motivation_interaction_email import MotivationInteraction
from .common import InteractionCommon, implementation_detail


class InteractionEmailCommon(InteractionCommon):
    client_email = "office@hardware.example.com"
    buyer_phone = "+7 912 345-67-89"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.email_result = cls.env.ref("sales_motivation.interaction_result_email")

    def _send(self, record, user, partners, **kwargs):
        """A message sent from the chatter, as the web client posts it."""
        return record.with_user(user).message_post(
            body=kwargs.pop("body", Markup("<p>Here is our offer.</p>")),
            message_type="comment",
            subtype_xmlid=kwargs.pop("subtype_xmlid", "mail.mt_comment"),
            partner_ids=partners.ids,
            **kwargs,
        )

    def _receive(self, parent, sender, body="When can you deliver?", message_id=None):
        """An e-mail answering ``parent`` through the mail gateway."""
        raw = (
            f"From: {sender}\r\n"
            "To: sales@example.com\r\n"
            "Subject: Re: Shelves\r\n"
            f"Message-ID: <{message_id or 'reply-1'}@hardware.example.com>\r\n"
            f"In-Reply-To: {parent.message_id}\r\n"
            f"References: {parent.message_id}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            f"{body}\r\n"
        )
        return self.env["mail.thread"].message_process(False, raw)

    def _log(self, direction, date, record=None, user=None, **vals):
        record = record or self.lead
        with freeze_time(date):
            return self.Interaction.with_user(user or self.user_sam).create(
                {
                    "kind": "call",
                    "direction": direction,
                    "lead_id": record.id,
                    "contact_name": "Olga Buyer",
                    "contact_phone": "+7 912 345-67-89",
                    "topic": "Shelves",
                    "result_id": self.taken.id,
                    **vals,
                }
            )


@tagged("post_install", "-at_install")
class TestEmailsInTheJournal(InteractionEmailCommon):
    """E-mails exchanged with the client, both ways, are in the journal next
    to calls and meetings; notes and messages among colleagues are not."""

    def test_email_sent_from_the_deal(self):
        with freeze_time("2026-03-02 10:00:00"):
            message = self._send(self.lead, self.user_sam, self.buyer)
        email = self.lead.sm_interaction_ids
        self.assertRecordValues(
            email,
            [
                {
                    "kind": "email",
                    "direction": "outgoing",
                    "user_id": self.user_sam.id,
                    "author_id": self.user_sam.partner_id.id,
                    "partner_id": self.client.id,
                    "contact_partner_id": self.buyer.id,
                    "contact_name": "Olga Buyer",
                    "contact_email": "olga@hardware.example.com",
                    "contact_phone": "+7 912 345-67-89",
                    "topic": "Shelves",
                    "note": "Here is our offer.",
                    "result_id": self.email_result.id,
                    "message_id": message.id,
                    "date": datetime(2026, 3, 2, 10, 0),
                    "sm_contact_rank": 0,
                    "complete": True,
                }
            ],
        )
        # the salesperson sees it in the client's journal too
        self.assertEqual(self.client.with_user(self.user_sam).sm_interaction_ids, email)

    def test_email_sent_from_the_client(self):
        self._send(self.client, self.user_sam, self.client)
        email = self.client.sm_interaction_ids
        self.assertRecordValues(
            email,
            [
                {
                    "kind": "email",
                    "direction": "outgoing",
                    "lead_id": False,
                    "partner_id": self.client.id,
                    "contact_partner_id": self.client.id,
                }
            ],
        )

    def test_email_to_a_deal_without_client(self):
        lead = self._create_lead(
            self.user_sam, self.team_east, email_from="Nina <nina@new.example.com>"
        )
        nina = self.env["res.partner"].create(
            {"name": "Nina", "email": "nina@new.example.com"}
        )
        self._send(lead, self.user_sam, nina)
        self.assertRecordValues(
            lead.sm_interaction_ids,
            [{"kind": "email", "partner_id": nina.id, "contact_name": "Nina"}],
        )

    def test_email_to_the_client_as_follower(self):
        """Sent to the followers (the client among them), no one named."""
        self.lead.message_subscribe(self.buyer.ids)
        self._send(self.lead, self.user_sam, self.env["res.partner"])
        self.assertEqual(self.lead.sm_interaction_ids.contact_partner_id, self.buyer)

    def test_notes_and_internal_messages_are_not_emails(self):
        self._send(self.lead, self.user_sam, self.buyer, subtype_xmlid="mail.mt_note")
        self._send(self.lead, self.user_sam, self.user_sara.partner_id)
        self.lead.message_post(body="Stage changed", message_type="notification")
        self.assertFalse(self.lead.sm_interaction_ids)
        # a call logged posts a note: one interaction, the call
        self._log("outgoing", "2026-03-02 10:00:00")
        self.assertEqual(self.lead.sm_interaction_ids.mapped("kind"), ["call"])

    def test_email_received_through_the_gateway(self):
        sent = self._send(self.lead, self.user_sam, self.buyer)
        with freeze_time("2026-03-03 09:00:00"):
            self._receive(sent, "Olga Buyer <olga@hardware.example.com>")
        received = self.lead.sm_interaction_ids.filtered(
            lambda i: i.direction == "incoming"
        )
        self.assertRecordValues(
            received,
            [
                {
                    "kind": "email",
                    "user_id": False,
                    "author_id": self.buyer.id,
                    "partner_id": self.client.id,
                    "contact_partner_id": self.buyer.id,
                    "topic": "Re: Shelves",
                    "note": "When can you deliver?",
                    "sm_contact_rank": 1,
                }
            ],
        )
        # the deal's salesperson reads it, a colleague does not
        self.assertIn(received, self.lead.with_user(self.user_sam).sm_interaction_ids)
        self.assertFalse(
            self.Interaction.with_user(self.user_will).search(
                [("id", "=", received.id)]
            )
        )

    def test_email_received_from_an_unknown_sender_of_the_deal(self):
        lead = self._create_lead(
            self.user_sam, self.team_east, email_from="nina@new.example.com"
        )
        # (a reply to a note would be a note)
        sent = self._send(lead, self.user_sam, self.env["res.partner"])
        self._receive(sent, "Nina New <nina@new.example.com>", message_id="nina-1")
        self.assertRecordValues(
            lead.sm_interaction_ids,
            [
                {
                    "kind": "email",
                    "direction": "incoming",
                    "partner_id": False,
                    "contact_name": "Nina New",
                    "contact_email": "nina@new.example.com",
                    "sm_contact_rank": 1,
                }
            ],
        )

    def test_an_email_is_journaled_once(self):
        message = self._send(self.lead, self.user_sam, self.buyer)
        email = self.lead.sm_interaction_ids
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            email.copy({"message_id": message.id})

    def test_an_email_stays_an_email(self):
        """The salesperson can neither turn their e-mail into a call (the
        form shows its kind read-only) nor a logged call into an e-mail."""
        self._send(self.lead, self.user_sam, self.buyer)
        email = self.lead.sm_interaction_ids.with_user(self.user_sam)
        with Form(email) as form:
            self.assertTrue(form._get_modifier("kind", "readonly"))
        with self.assertRaisesRegex(UserError, "cannot become an e-mail"):
            email.kind = "call"
        call = self._log("outgoing", "2026-03-02 10:00:00")
        with self.assertRaisesRegex(UserError, "cannot become an e-mail"):
            call.kind = "email"
        call.kind = "meeting"
        self.assertEqual(call.kind, "meeting")

    def test_outgoing_email_is_the_first_response(self):
        self.team_east.sm_response_hours = 4
        with freeze_time("2026-03-02 09:00:00"):  # a Monday
            lead = self._create_lead(self.user_sam, self.team_east, name="Request")
            lead.partner_id = self.buyer
        self.assertEqual(lead.sm_response_state, "pending")
        with freeze_time("2026-03-02 10:00:00"):
            self._send(lead, self.user_sam, self.buyer)
        with freeze_time("2026-03-02 11:00:00"):
            self._send(lead, self.user_sam, self.buyer)
        self.assertRecordValues(
            lead.sm_response_ids,
            [
                {
                    "state": "on_time",
                    "response_kind": "email",
                    "responded_at": datetime(2026, 3, 2, 10, 0),
                }
            ],
        )
        self.assertEqual(len(lead.sm_interaction_ids), 2)
        # a colleague's e-mail or the client's does not answer it
        with freeze_time("2026-03-02 09:00:00"):
            other = self._create_lead(self.user_sam, self.team_east, name="Other")
            other.partner_id = self.buyer
        with freeze_time("2026-03-02 10:30:00"):
            sent = self._send(other, self.user_leader_east, self.buyer)
            self._receive(sent, "olga@hardware.example.com", message_id="other-1")
        self.assertEqual(other.sm_response_state, "pending")
        self.assertEqual(len(other.sm_interaction_ids), 2)

    def test_emails_count_no_call_nor_meeting(self):
        self._send(self.lead, self.user_sam, self.buyer)
        rows = self.env["motivation.achievement"].search(
            [
                ("res_model", "=", "motivation.interaction"),
                ("res_id", "in", self.lead.sm_interaction_ids.ids),
            ]
        )
        self.assertFalse(rows)

    @implementation_detail
    def test_sending_costs_at_most_two_queries_more(self):
        """The journal's row costs at most two queries on top of Odoo's
        message_post: its INSERT and its result's flags (reached), the rest
        being read by message_post already."""
        lead = self.lead.with_user(self.user_sam)

        def send(journal):
            if journal:
                return self._send(lead, self.user_sam, self.buyer)
            with patch.object(
                MotivationInteraction, "_sm_journal_message", lambda *a: None
            ):
                return self._send(lead, self.user_sam, self.buyer)

        def count(journal):
            # a new request: nothing of the deal in cache (Odoo's caches warm)
            self.env.invalidate_all()
            queries = []
            execute = type(self.env.cr).execute

            def spy(cr, query, params=None, log_exceptions=True):
                queries.append(str(query)[:160])
                return execute(cr, query, params, log_exceptions)

            with patch.object(type(self.env.cr), "execute", spy):
                send(journal)
                self.env.flush_all()  # what the request writes at its end
            return queries

        # each send at its own time: both move the deal's last touch (an
        # e-mail within the second of the previous one would write nothing)
        with freeze_time("2026-03-03 09:00:00"):
            send(True)  # warm-up of both paths
            send(False)
        with freeze_time("2026-03-03 10:00:00"):
            without = count(False)
        with freeze_time("2026-03-03 11:00:00"):
            with_journal = count(True)
        self.assertLessEqual(
            len(with_journal) - len(without),
            2,
            "\n".join(q for q in with_journal if q not in without),
        )
        self.assertEqual(len(self.lead.sm_interaction_ids), 2)

    @implementation_detail
    def test_interaction_written_by_its_insert_alone(self):
        """reached and complete are computed with the INSERT (precompute)."""
        statements = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            statements.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", spy):
            interaction = self._log("outgoing", "2026-03-02 10:00:00")
            self.env.flush_all()
        self.assertTrue(interaction.reached)
        writes = [
            q
            for q in statements
            if q.lstrip("SQL('\" \n").startswith(("INSERT", "UPDATE"))
            and '"motivation_interaction"' in q
        ]
        self.assertEqual(len(writes), 1, writes)


@tagged("post_install", "-at_install")
class TestRepeatContacts(InteractionEmailCommon):
    """How many times a client reached the company: each incoming call,
    meeting or e-mail is its first, second, fourth time."""

    def test_incoming_contacts_are_ranked(self):
        first = self._log("incoming", "2026-03-02 10:00:00")
        self._log("outgoing", "2026-03-03 10:00:00")
        second = self._log(
            "incoming", "2026-03-04 10:00:00", user=self.user_sara, kind="meeting"
        )
        sent = self._send(self.lead, self.user_sam, self.buyer)
        with freeze_time("2026-03-05 10:00:00"):
            self._receive(sent, "olga@hardware.example.com")
        third = self.lead.sm_interaction_ids.filtered(
            lambda i: i.kind == "email" and i.direction == "incoming"
        )
        # the client's own journal counts too, with its deals'
        fourth = self._log(
            "incoming", "2026-03-06 10:00:00", lead_id=False, partner_id=self.client.id
        )
        self.assertEqual(
            (first | second | third | fourth).mapped("sm_contact_rank"), [1, 2, 3, 4]
        )
        outgoing = self.Interaction.search(
            [("partner_id", "=", self.client.id), ("direction", "=", "outgoing")]
        )
        self.assertEqual(set(outgoing.mapped("sm_contact_rank")), {0})
        # a call logged afterwards with an earlier date, one deleted: the
        # ranks follow
        earliest = self._log("incoming", "2026-03-01 10:00:00")
        self.assertEqual(earliest.sm_contact_rank, 1)
        self.assertEqual(fourth.sm_contact_rank, 5)
        second.sudo().unlink()
        self.assertEqual(fourth.sm_contact_rank, 4)
        # turned outgoing: no rank
        first.direction = "outgoing"
        self.assertEqual(first.sm_contact_rank, 0)
        self.assertEqual(fourth.sm_contact_rank, 3)
        # another client counts from one
        other = self.env["res.partner"].create({"name": "Other Client"})
        call = self._log(
            "incoming", "2026-03-06 10:00:00", lead_id=False, partner_id=other.id
        )
        self.assertEqual(call.sm_contact_rank, 1)

    def test_analysis_counts_emails_and_repeat_contacts(self):
        with freeze_time("2026-03-02 10:00:00"):
            sent = self._send(self.lead, self.user_sam, self.buyer)
        with freeze_time("2026-03-03 10:00:00"):
            self._receive(sent, "olga@hardware.example.com")
        self._log("incoming", "2026-03-04 10:00:00")
        self._log("outgoing", "2026-03-05 10:00:00")
        self.env.flush_all()
        row = self.env["motivation.interaction.report"].search(
            [("user_id", "=", self.user_sam.id), ("date", "=", "2026-03-01")]
        )
        self.assertRecordValues(
            row,
            [
                {
                    # the client's e-mail counts for the deal's salesperson
                    "interaction_count": 4,
                    "outgoing_count": 2,
                    "outgoing_rate": 50.0,
                    "email_count": 2,
                    "incoming_count": 2,
                    "first_contact_count": 1,
                    "repeat_contact_count": 1,
                }
            ],
        )

    def test_emails_are_touches_before_the_first_order(self):
        with freeze_time("2026-03-02 10:00:00"):
            sent = self._send(self.lead, self.user_sam, self.buyer)
        with freeze_time("2026-03-03 10:00:00"):
            self._receive(sent, "olga@hardware.example.com")
        with freeze_time("2026-03-04 10:00:00"):
            self.lead.with_user(self.user_sam).action_set_won()
        self.env.flush_all()
        row = self.env["motivation.interaction.report"].search(
            [("user_id", "=", self.user_sam.id), ("date", "=", "2026-03-01")]
        )
        self.assertEqual(row.won_count, 1)
        self.assertEqual(row.touches_before_order, 2)


@tagged("post_install", "-at_install")
class TestEmailDemo(TransactionCase):
    """The demo shows e-mails in the journal and a repeat caller (skipped
    without the demo data)."""

    def test_demo_emails_and_repeat_caller(self):
        deal = self.env.ref(
            "sales_motivation.crm_lead_13_demo", raise_if_not_found=False
        )
        if not deal:
            self.skipTest("the demo data is not loaded")
        emails = deal.sm_interaction_ids.filtered(lambda i: i.kind == "email")
        self.assertEqual(
            sorted(emails.mapped("direction")), ["incoming", "outgoing", "outgoing"]
        )
        self.assertTrue(all(emails.message_id))
        caller = self.env.ref("sales_motivation.res_partner_customer_04_demo")
        incoming = caller.sm_interaction_ids.filtered(
            lambda i: i.direction == "incoming"
        )
        self.assertEqual(sorted(incoming.mapped("sm_contact_rank")), [1, 2, 3])
        self.assertEqual(incoming.sorted("date")[-1].kind, "email")
        ivan = self.env.ref("sales_motivation.user_salesperson_1_demo")
        maria = self.env.ref("sales_motivation.user_salesperson_2_demo")
        Lookup = self.env["motivation.caller.lookup"]
        mine = Lookup.with_user(ivan).create({"query": "+7 900 000 01 07"})
        self.assertEqual(mine.state, "mine")
        self.assertIn("Can you deliver the chairs first?", mine.history_html)
        theirs = Lookup.with_user(maria).create({"query": "+7 900 000 01 07"})
        self.assertEqual((theirs.state, theirs.holder_id), ("colleague", ivan))
