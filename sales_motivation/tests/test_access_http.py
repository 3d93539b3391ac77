# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import SalesMotivationAccessCommon


@tagged("post_install", "-at_install")
class TestAccessOverJsonRpc(SalesMotivationAccessCommon, HttpCase):
    """A salesperson logged in through the web client reaches only what the
    record rules allow, whatever JSON-RPC call they make."""

    def setUp(self):
        super().setUp()
        self.authenticate(self.user_sam.login, "sm_samxx")

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_pipeline_over_json_rpc(self):
        ids = [lead.id for lead in self.leads.values()]
        result = self._call_kw(
            "crm.lead",
            "web_search_read",
            [[("id", "in", ids)]],
            {"specification": {"name": {}, "user_id": {"fields": {}}}},
        )
        self.assertEqual(
            sorted(r["name"] for r in result["records"]),
            sorted(self.leads[k].name for k in ("own", "team_pool", "registered")),
        )
        groups = self._call_kw(
            "crm.lead",
            "web_read_group",
            [[("id", "in", ids)], ["stage_id"], ["stage_id"]],
        )
        self.assertEqual(sum(g["stage_id_count"] for g in groups["groups"]), 3)

    @mute_logger("odoo.http")
    def test_foreign_deal_and_client_refused(self):
        for model, record in (
            ("crm.lead", self.leads["colleague"]),
            ("res.partner", self.partner_sara),
        ):
            with self.subTest(model=model), self.assertRaises(JsonRpcException):
                self._call_kw(
                    model, "web_read", [[record.id]], {"specification": {"name": {}}}
                )
        with self.assertRaises(JsonRpcException):
            self._call_kw(
                "crm.lead", "write", [[self.leads["team_pool"].id], {"name": "Mine"}]
            )

    @mute_logger("odoo.http")
    def test_chatter_over_http(self):
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "crm.lead", "thread_id": self.leads["own"].id},
        )
        self.assertIn(self.messages["own"].id, messages["messages"])
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "crm.lead", "thread_id": self.leads["colleague"].id},
        )
        self.assertEqual(messages["messages"], [])
        response = self.url_open(
            f"/web/content/{self.attachments['colleague'].id}?download=true"
        )
        self.assertNotEqual(response.status_code, 200)
        response = self.url_open(
            f"/web/content/{self.attachments['own'].id}?download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"offer")

    def test_read_only_deal_opens_with_its_chatter(self):
        """A pool deal and a deal Sam registered open in the form with their
        chatter (messages, followers, attachments, activities)."""
        for key in ("team_pool", "registered"):
            lead = self.leads[key]
            data = self.make_jsonrpc_request(
                "/mail/thread/data",
                {
                    "thread_model": "crm.lead",
                    "thread_id": lead.id,
                    "request_list": ["activities", "attachments", "followers"],
                },
            )
            thread = next(t for t in data["mail.thread"] if t["id"] == lead.id)
            self.assertTrue(thread["hasReadAccess"])
            self.assertFalse(thread["hasWriteAccess"])
            self.assertIn(
                self.attachments[key].id, [a["id"] for a in data["ir.attachment"]]
            )
            result = self._call_kw(
                "crm.lead",
                "web_read",
                [[lead.id]],
                {"specification": {"name": {}, "activity_ids": {}}},
            )
            self.assertEqual(result[0]["name"], lead.name)
