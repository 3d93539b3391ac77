# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SalesMotivationCommon

START = datetime(2027, 3, 1, 9, 0)


@tagged("post_install", "-at_install")
class TestTransferLogTruth(SalesMotivationCommon):
    """The transfer log says who took what from whom, and why, in the
    language of whoever reads it: Sam works in English, Sara in Russian,
    and a list both read mixes no languages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.user_sara.lang = "ru_RU"
        cls.Transfer = cls.env["motivation.transfer"]
        cls.Rule = cls.env["motivation.pool.rule"]

    def setUp(self):
        super().setUp()
        self.lead = self._create_lead(self.user_sam, self.team_east, name="Mills")

    def _log(self, lead=None):
        return self.Transfer.search(
            [("lead_id", "=", (lead or self.lead).id)], order="id"
        )

    def _reasons(self, entries, lang):
        return entries.with_context(lang=lang).mapped("reason")

    def test_claim_comes_from_the_pool(self):
        """Sam releases his deal; Sara claims it: From the pool (nobody) of
        East To Sara, never "Sara -> Sara"."""
        self.lead.with_user(self.user_sam).action_release_to_pool()
        self.lead.with_user(self.user_sara).action_claim()
        release, claim = self._log()
        self.assertRecordValues(
            release | claim,
            [
                {
                    "kind": "release",
                    "from_user_id": self.user_sam.id,
                    "from_pool": False,
                    "to_user_id": False,
                    "to_pool": True,
                    "actor_id": self.user_sam.id,
                    "team_id": self.team_east.id,
                },
                {
                    "kind": "claim",
                    "from_user_id": False,
                    "from_pool": True,
                    "to_user_id": self.user_sara.id,
                    "to_pool": False,
                    "actor_id": self.user_sara.id,
                    "team_id": self.team_east.id,
                },
            ],
        )
        # what Sam reads, and what Sara reads, of the same two entries
        log = self._log().with_user(self.user_sam)
        self.assertEqual(
            self._reasons(log, "en_US"), ["Released by Sam", "Claimed by Sara"]
        )
        self.assertEqual(
            self._reasons(log.with_user(self.user_sara), "ru_RU"),
            ["Отправлено в пул пользователем Sam", "Взято продавцом Sara"],
        )
        self.assertEqual(claim.display_name, "Claimed by Sara")

    def test_reason_given_is_kept_as_written(self):
        self.lead.with_user(self.user_sam).action_release_to_pool(reason="On leave")
        entry = self._log()
        self.assertEqual(entry.reason_code, "note")
        self.assertEqual(self._reasons(entry, "ru_RU"), ["On leave"])

    def test_manual_rule_reads_in_the_readers_language(self):
        rule = self.Rule.create({"name": "Client asked", "trigger": "manual"})
        rule.with_context(lang="ru_RU").name = "Клиент попросил"
        self.lead.with_user(self.user_sam).action_release_to_pool(
            reason="Client asked", rule=rule
        )
        entry = self._log()
        self.assertEqual((entry.reason_code, entry.rule_id), ("rule", rule))
        self.assertEqual(self._reasons(entry, "en_US"), ["Client asked"])
        self.assertEqual(self._reasons(entry, "ru_RU"), ["Клиент попросил"])

    def test_rule_release_keeps_its_figures(self):
        """A rule releases Sara's silent deal: from Sara to the pool, done
        by nobody, the reason with the rule's days then, even once the rule
        says otherwise; her warning and the chatter line are in Russian."""
        rule = self.Rule.create(
            {
                "name": "Silent month",
                "team_ids": [(6, 0, self.team_east.ids)],
                "trigger": "no_interaction",
                "days": 30,
                "warning_days": 5,
                "action": "release",
            }
        )
        rule.with_context(lang="ru_RU").name = "Тихий месяц"
        with freeze_time(START):
            lead = self._create_lead(self.user_sara, self.team_east, name="Quiet")
        with freeze_time(START + timedelta(days=26)):
            self.Rule._cron_apply_rules()
        notice = self.env["motivation.pool.notice"].search([("lead_id", "=", lead.id)])
        self.assertIn("Тихий месяц", notice.activity_id.summary)
        self.assertIn("01.04.2027", notice.activity_id.summary)
        self.assertNotIn("Will be released", notice.activity_id.summary)
        with freeze_time(START + timedelta(days=32)):
            self.Rule._cron_apply_rules()
        self.assertTrue(lead.in_pool)
        entry = self._log(lead)
        self.assertRecordValues(
            entry,
            [
                {
                    "kind": "release",
                    "from_user_id": self.user_sara.id,
                    "to_user_id": False,
                    "to_pool": True,
                    "actor_id": False,
                    "rule_id": rule.id,
                    "reason_code": "rule",
                    "reason_trigger": "no_interaction",
                    "reason_days": 30,
                }
            ],
        )
        rule.days = 45
        self.assertEqual(
            self._reasons(entry, "en_US"), ["Silent month: no interaction for 30 days"]
        )
        self.assertEqual(
            self._reasons(entry, "ru_RU"), ["Тихий месяц: нет взаимодействий 30 дн."]
        )
        # the chatter line is Sara's, in Russian
        line = lead.message_ids.filtered(lambda m: "Тихий месяц" in (m.body or ""))
        self.assertTrue(line, lead.message_ids.mapped("body"))

    def test_reassigned_by_hand(self):
        """The team leader gives Sam's deal to Sara in the form: logged as a
        change by hand, from Sam to Sara, by the leader."""
        self.lead.with_user(self.user_leader_east).user_id = self.user_sara
        entry = self._log()
        self.assertRecordValues(
            entry,
            [
                {
                    "kind": "manual",
                    "from_user_id": self.user_sam.id,
                    "from_pool": False,
                    "to_user_id": self.user_sara.id,
                    "to_pool": False,
                    "actor_id": self.user_leader_east.id,
                    "reason_code": "manual",
                }
            ],
        )
        self.assertEqual(self._reasons(entry, "en_US"), ["Changed by Lena"])
        self.assertEqual(
            self._reasons(entry.with_user(self.user_sara), "ru_RU"),
            [entry.with_context(lang="ru_RU").env._("Changed by %s", "Lena")],
        )
        # taken away by hand counts for the claim cooldown
        self.team_east.sm_claim_cooldown_days = 10
        self.lead.with_user(self.user_leader_east).action_release_to_pool()
        with self.assertRaisesRegex(Exception, "was taken away from you"):
            self.lead.with_user(self.user_sam).action_claim()

    def test_assigning_a_deal_nobody_had_is_no_transfer(self):
        lead = self._create_lead(False, self.team_east, registrar=False, name="New")
        lead.with_user(self.user_leader_east).user_id = self.user_sam
        self.assertFalse(self._log(lead))

    def test_opportunities_following_their_client(self):
        self.env.company.sm_opportunities_follow_client = True
        client = self.env["res.partner"].create(
            {"name": "Kazan Mills", "is_company": True, "user_id": self.user_sam.id}
        )
        self.lead.partner_id = client
        client.with_user(self.user_leader_east).user_id = self.user_sara
        entry = self._log()
        self.assertRecordValues(
            entry,
            [
                {
                    "kind": "reassign",
                    "from_user_id": self.user_sam.id,
                    "to_user_id": self.user_sara.id,
                    "actor_id": self.user_leader_east.id,
                    "reason_code": "follows_client",
                }
            ],
        )
        self.assertEqual(self._reasons(entry, "en_US"), ["Follows its client"])
        self.assertEqual(self._reasons(entry, "ru_RU"), ["Передано вслед за клиентом"])

    def test_distribution(self):
        self.team_east.sm_fair_distribution = True
        self.team_east.crm_team_member_ids.assignment_max = 30
        lead = self.env["crm.lead"].create(
            {
                "name": "Web request",
                "type": "lead",
                "team_id": self.team_east.id,
                "user_id": False,
            }
        )
        self.env["crm.team"]._cron_distribute_leads()
        entry = self._log(lead)
        self.assertEqual(len(entry), 1)
        self.assertRecordValues(
            entry,
            [
                {
                    "kind": "assign",
                    "from_user_id": False,
                    "from_pool": False,
                    "to_user_id": lead.user_id.id,
                    "actor_id": False,
                    "reason_code": "distribution",
                }
            ],
        )
        self.assertEqual(
            self._reasons(entry, "ru_RU"), ["Равномерное распределение новых лидов"]
        )

    def test_one_list_one_language(self):
        """Sam (English) and Sara (Russian) both move deals; the team
        leader's list reads in the leader's language only."""
        other = self._create_lead(self.user_sara, self.team_east, name="Sara's")
        self.lead.with_user(self.user_sam).action_release_to_pool()
        other.with_user(self.user_sara).action_release_to_pool()
        self.lead.with_user(self.user_sara).action_claim()
        log = self.Transfer.with_user(self.user_leader_east).search(
            [("lead_id", "in", (self.lead | other).ids)], order="id"
        )
        self.assertEqual(
            self._reasons(log, "en_US"),
            ["Released by Sam", "Released by Sara", "Claimed by Sara"],
        )
        self.assertEqual(
            self._reasons(log, "ru_RU"),
            [
                "Отправлено в пул пользователем Sam",
                "Отправлено в пул пользователем Sara",
                "Взято продавцом Sara",
            ],
        )

    def test_alerts_and_chatter_in_the_recipients_language(self):
        """Lena, the leader, reads Russian: her overdue alert on Sam's deal
        is in Russian; Sam's chatter line of her waiver in English."""
        self.user_leader_east.lang = "ru_RU"
        with freeze_time("2027-02-01 09:00"):
            lead = self._create_lead(self.user_sam, self.team_east, name="Late")
        presentation = self.env.ref("sales_motivation.checkpoint_type_presentation")
        presentation.with_context(lang="ru_RU").name = "Презентация"
        with freeze_time("2027-02-09 09:00"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        alert = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("user_id", "=", self.user_leader_east.id),
            ]
        )
        self.assertEqual(len(alert), 1)
        self.assertEqual(
            alert.summary, "Вмешайтесь: Презентация — просрочка с 08.02.2027"
        )
        checkpoint = lead.sm_checkpoint_ids.filtered(
            lambda c: c.type_id == presentation
        )
        checkpoint.with_user(self.user_leader_east).with_context(
            lang="ru_RU"
        ).action_waive("Client on holiday")
        self.assertIn(
            "Checkpoint Presentation waived by Lena: Client on holiday",
            lead.message_ids[0].body,
        )
