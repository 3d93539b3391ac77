# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SalesMotivationAccessCommon, implementation_detail

OPERATIONS = (
    "read",
    "write",
    "unlink",
    "search",
    "read_group",
    "name_search",
    "message",
    "attachment",
    "activity",
)
NONE = frozenset()
# Odoo lets a user read a document's activities only where they may post on it
# (crm.lead: write), so read-only deals show their chatter but not activities.
READ_ONLY = frozenset(OPERATIONS) - {"write", "unlink", "activity"}
READ_WRITE = frozenset(OPERATIONS) - {"unlink"}  # only sales managers delete leads


@tagged("post_install", "-at_install")
class TestLeadAccessMatrix(SalesMotivationAccessCommon):
    """Who reaches which deal, through every door.

    Deals as seen by salesperson Sam (team East): ``own`` (assigned to him),
    ``colleague`` (Sara's, same team), ``team_pool`` (East's shared pool),
    ``registered`` (Sara's, registered by Sam), ``team_unassigned`` (East, no
    salesperson, not in the pool), ``other_team`` (Will's, West) and
    ``other_pool`` (West's pool).
    """

    def _allowed(self, user, key, operation):
        lead = self.leads[key]
        Lead = self.env["crm.lead"].with_user(user)
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.models.unlink"):
                if operation == "read":
                    lead.with_user(user).read(["name", "partner_id", "stage_id"])
                elif operation == "write":
                    lead.with_user(user).write({"description": "checked"})
                elif operation == "unlink":
                    lead.with_user(user).unlink()
                elif operation == "search":
                    return bool(Lead.search([("id", "=", lead.id)]))
                elif operation == "read_group":
                    groups = Lead.read_group(
                        [("id", "=", lead.id)], ["expected_revenue:sum"], ["stage_id"]
                    )
                    return sum(g["stage_id_count"] for g in groups) == 1
                elif operation == "name_search":
                    found = Lead.name_search(lead.name, operator="=")
                    return lead.id in [lead_id for lead_id, _name in found]
                elif operation == "message":
                    message = self.messages[key].with_user(user)
                    message.read(["body"])
                    Message = self.env["mail.message"].with_user(user)
                    return message in Message.search([("res_id", "=", lead.id)])
                elif operation == "attachment":
                    attachment = self.attachments[key].with_user(user)
                    attachment.read(["datas"])
                    Attachment = self.env["ir.attachment"].with_user(user)
                    return attachment in Attachment.search(
                        [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
                    )
                elif operation == "activity":
                    self.activities[key].with_user(user).read(["summary"])
                    Activity = self.env["mail.activity"].with_user(user)
                    return self.activities[key] in Activity.search(
                        [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
                    )
                return True
        except AccessError:
            return False

    def assertMatrix(self, user, expected):
        denied_everywhere = set(self.leads) - set(expected)
        for key in self.leads:
            allowed = expected.get(key, NONE)
            for operation in OPERATIONS:
                with self.subTest(user=user.login, deal=key, operation=operation):
                    self.assertEqual(
                        self._allowed(user, key, operation),
                        operation in allowed,
                        f"{user.name} / {key} / {operation}",
                    )
        return denied_everywhere

    def test_salesperson(self):
        self.assertMatrix(
            self.user_sam,
            {"own": READ_WRITE, "team_pool": READ_ONLY, "registered": READ_ONLY},
        )

    def test_salesperson_registrar_setting_off(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.group_sm_registrar_follow, "on by default")
        settings.group_sm_registrar_follow = False
        settings.execute()
        self.assertMatrix(self.user_sam, {"own": READ_WRITE, "team_pool": READ_ONLY})

    def test_salesperson_of_another_team(self):
        self.assertMatrix(
            self.user_will, {"other_team": READ_WRITE, "other_pool": READ_ONLY}
        )

    def test_team_leader(self):
        east = {
            key: READ_WRITE
            for key in (
                "own",
                "colleague",
                "team_pool",
                "registered",
                "team_unassigned",
            )
        }
        self.assertMatrix(self.user_leader_east, east)

    def test_all_documents(self):
        self.assertMatrix(self.user_head, dict.fromkeys(self.leads, READ_WRITE))

    def test_data_operator_and_commission_manager_see_no_deal(self):
        self.assertMatrix(self.user_operator, {})
        self.assertMatrix(self.user_commission, {})

    def test_pipeline_counts_only_what_is_visible(self):
        """The grouped pipeline, its counters and search_count agree with
        what the salesperson may open."""
        Lead = self.env["crm.lead"].with_user(self.user_sam)
        mine = self.leads["own"] | self.leads["team_pool"] | self.leads["registered"]
        domain = [("id", "in", [lead.id for lead in self.leads.values()])]
        self.assertEqual(Lead.search(domain), mine)
        self.assertEqual(Lead.search_count(domain), 3)
        groups = Lead.read_group(domain, ["expected_revenue:sum"], ["user_id"])
        self.assertEqual(sum(g["user_id_count"] for g in groups), 3)
        self.assertEqual(
            {g["user_id"] and g["user_id"][0] for g in groups},
            {self.user_sam.id, self.user_sara.id, False},
        )

    def _access(self, user, lead):
        """'write', 'read' or None: what ``user`` may do with ``lead``."""
        Lead = self.env["crm.lead"].with_user(user)
        if not Lead.search([("id", "=", lead.id)]):
            return None
        lead.with_user(user).read(["name"])
        try:
            with self.env.cr.savepoint():
                lead.with_user(user).write({"description": "checked"})
        except AccessError:
            return "read"
        return "write"

    def test_registrar_and_closer_follow_their_deal(self):
        """The registrar and the closer read a deal whoever holds it; the
        columns their rules look up stay empty while they hold it themselves."""
        lead = self._create_lead(
            self.user_sam, self.team_east, registrar=self.user_sara, name="Handed on"
        )
        lead.stage_id = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self.assertEqual(lead.sm_closer_id, self.user_sam)
        self.assertEqual(lead.sm_registrar_reader_id, self.user_sara)
        self.assertFalse(lead.sm_closer_reader_id, "Sam holds it: his own rule")
        expected = {self.user_sam: "write", self.user_sara: "read"}
        self.assertEqual({u: self._access(u, lead) for u in expected}, expected)

        lead.user_id = self.user_will  # West: neither Sam's nor Sara's team
        self.assertEqual(lead.sm_closer_reader_id, self.user_sam)
        expected = {
            self.user_sam: "read",  # closer
            self.user_sara: "read",  # registrar
            self.user_will: "write",
        }
        self.assertEqual({u: self._access(u, lead) for u in expected}, expected)

        lead.user_id = self.user_sara
        self.assertFalse(lead.sm_registrar_reader_id, "Sara holds it: her own rule")
        expected = {self.user_sam: "read", self.user_sara: "write"}
        self.assertEqual({u: self._access(u, lead) for u in expected}, expected)

        settings = self.env["res.config.settings"].create({})
        settings.group_sm_registrar_follow = False
        settings.execute()
        lead.user_id = self.user_will
        expected = {self.user_sam: "read", self.user_sara: None}
        self.assertEqual(
            {u: self._access(u, lead) for u in expected},
            expected,
            "without the registrar setting, only the closer's rule is left",
        )

    @implementation_detail
    def test_search_then_read_checks_rules_without_more_queries(self):
        """web_search_read fetches what the rules test (pool, readers) in its
        search query: the access check on the cards found reads nothing more."""
        Lead = self.env["crm.lead"].with_user(self.user_sam)
        domain = [("id", "in", [lead.id for lead in self.leads.values()])]
        spec = {"name": {}, "user_id": {}}
        Lead.web_search_read(domain, spec)  # rule domains and ACLs cached
        Lead.invalidate_model()
        with self.assertQueryCount(1):
            found = Lead.search_fetch(domain, ["name", "user_id"])
            found.read(["name", "user_id"], load=None)
        self.assertEqual(
            found,
            self.leads["own"] | self.leads["team_pool"] | self.leads["registered"],
        )

    def test_export(self):
        self.user_sam.groups_id += self.env.ref("base.group_allow_export")
        Lead = self.env["crm.lead"].with_user(self.user_sam)
        rows = Lead.search([("id", "in", [lead.id for lead in self.leads.values()])])
        exported = rows.export_data(["name", "user_id"])["datas"]
        self.assertEqual(
            sorted(row[0] for row in exported),
            sorted(rows.mapped("name")),
        )
        with self.assertRaises(AccessError):
            self.leads["colleague"].with_user(self.user_sam).export_data(["name"])

    def test_multi_company_rule_still_applies(self):
        """A lead of another company shows only while that company is active
        in the salesperson's company switcher, even when it is theirs."""
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.user_sam.company_ids |= other_company
        lead = self.env["crm.lead"].create(
            {
                "name": "Foreign company deal",
                "user_id": self.user_sam.id,
                "company_id": other_company.id,
                "team_id": False,
            }
        )
        Lead = self.env["crm.lead"].with_user(self.user_sam)
        domain = [("id", "=", lead.id)]
        main = self.env.company
        self.assertFalse(Lead.with_context(allowed_company_ids=main.ids).search(domain))
        self.assertEqual(
            Lead.with_context(allowed_company_ids=other_company.ids).search(domain),
            lead,
        )

    def test_activity_report(self):
        """CRM > Reporting > Activities shows the activities of my deals only,
        and of my teams' deals to a team leader."""
        for activity in self.activities.values():
            activity.action_feedback(feedback="Done")
        ours = [lead.id for lead in self.leads.values()]
        domain = [("lead_id", "in", ours)]
        Report = self.env["crm.activity.report"]
        self.assertEqual(
            Report.with_user(self.user_sam).search(domain).lead_id, self.leads["own"]
        )
        east = Report.with_user(self.user_leader_east).search(domain).lead_id
        self.assertEqual(east.team_id, self.team_east)
        self.assertEqual(len(east), 5)
        groups = Report.with_user(self.user_will).read_group(
            domain, ["lead_id"], ["lead_id"]
        )
        self.assertEqual(
            [g["lead_id"][0] for g in groups], self.leads["other_team"].ids
        )

    def test_membership_change_takes_effect(self):
        """Joining a team shows its pool at once; leaving hides it."""
        newcomer = new_test_user(
            self.env, "sm_nina", groups="sales_team.group_sale_salesman"
        )
        Lead = self.env["crm.lead"].with_user(newcomer)
        pool = self.leads["team_pool"]
        self.assertFalse(Lead.search([("id", "=", pool.id)]))
        membership = self.env["crm.team.member"].create(
            {"crm_team_id": self.team_east.id, "user_id": newcomer.id}
        )
        self.assertEqual(Lead.search([("id", "=", pool.id)]), pool)
        membership.action_archive()
        self.assertFalse(Lead.search([("id", "=", pool.id)]))
