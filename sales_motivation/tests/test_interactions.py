# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2.errors import CheckViolation

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..hooks import pre_init_hook
from .common import InteractionCommon, SalesMotivationCommon


@tagged("post_install", "-at_install")
class TestInteractions(InteractionCommon):
    """A salesperson logs a call in seconds, with the data that make it
    useful; the journal and the analysis show everyone's work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_answer = cls.env.ref("sales_motivation.interaction_result_no_answer")

    def _wizard(self, record, user=None, activity=None):
        """The wizard as the button opens it."""
        record = record.with_user(user or self.user_sam)
        action = (
            activity.with_user(user or self.user_sam).action_sm_log_interaction()
            if activity
            else record.action_sm_log_interaction()
        )
        Wizard = self.env[action["res_model"]].with_user(user or self.user_sam)
        return Form(Wizard.with_context(**action["context"]))

    def test_log_a_call_from_the_deal_in_seconds(self):
        with self._wizard(self.lead) as wizard:
            # prefilled from the deal: only the result is a click away
            self.assertEqual(wizard.contact_name, "Olga Buyer")
            self.assertEqual(wizard.contact_phone, "+1 555 0100")
            self.assertEqual(wizard.topic, "Shelves")
            self.assertEqual(wizard.direction, "outgoing")
            wizard.result_id = self.taken
        interaction = self.lead.sm_interaction_ids
        self.assertRecordValues(
            interaction,
            [
                {
                    "user_id": self.user_sam.id,
                    "partner_id": self.client.id,
                    "contact_partner_id": self.buyer.id,
                    "direction": "outgoing",
                    "kind": "call",
                    "result_id": self.taken.id,
                    "topic": "Shelves",
                    "team_id": self.team_east.id,
                }
            ],
        )
        self.assertEqual(interaction.message_id, self.lead.message_ids[0])
        self.assertIn("Taken to work", self.lead.message_ids[0].body)
        self.assertIn("Olga Buyer", self.lead.message_ids[0].body)
        self.assertEqual(self.lead.sm_interaction_count, 1)
        self.assertEqual(self.client.sm_interaction_count, 1)

    def test_missing_data_is_refused_and_nothing_saved(self):
        messages = len(self.lead.message_ids)
        wizard = self._wizard(self.lead)
        wizard.result_id = self.taken
        wizard.contact_partner_id = self.env["res.partner"]
        wizard.contact_name = "Somebody"
        wizard.contact_phone = False
        wizard.contact_email = "someone@example.com"
        wizard.topic = False
        # the Log button saves the form: refused, the dialog stays open
        with self.assertRaises(ValidationError) as error:
            wizard.save()
        self.assertIn("topic", str(error.exception))
        self.assertFalse(self.Interaction.search([("lead_id", "=", self.lead.id)]))
        self.assertEqual(len(self.lead.message_ids), messages)
        # no phone nor e-mail: refused too, whatever the result
        with self.assertRaises(ValidationError):
            self.Interaction.create(
                {
                    "lead_id": self.lead.id,
                    "contact_name": "Somebody",
                    "result_id": self.no_answer.id,
                }
            )
        # "no answer" needs no topic
        with self._wizard(self.lead) as wizard:
            wizard.result_id = self.no_answer
            wizard.topic = False
        self.assertEqual(self.lead.sm_interaction_ids.result_id, self.no_answer)

    def test_call_activity_is_done_by_logging_it(self):
        activity = self.lead.activity_schedule(
            "mail.mail_activity_data_call",
            user_id=self.user_sam.id,
            summary="Discuss the delivery",
        )
        with self.assertRaises(UserError):
            activity.with_user(self.user_sam).action_feedback(feedback="called")
        self.assertTrue(activity.exists())
        with self._wizard(self.lead, activity=activity) as wizard:
            self.assertEqual(wizard.topic, "Discuss the delivery")
            wizard.direction = "incoming"
            wizard.result_id = self.taken
        self.assertFalse(activity.exists(), "done")
        interaction = self.lead.sm_interaction_ids
        self.assertEqual(interaction.direction, "incoming")
        self.assertEqual(
            interaction.activity_type_id,
            self.env.ref("mail.mail_activity_data_call"),
        )
        self.assertIn("Discuss the delivery", interaction.message_id.body)
        # other activities are done as usual
        todo = self.lead.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_sam.id
        )
        self.assertFalse(todo.with_user(self.user_sam).action_sm_log_interaction())
        todo.with_user(self.user_sam).action_feedback(feedback="ok")
        self.assertFalse(todo.exists())

    def test_journal_shows_every_salesperson_and_follows_access(self):
        with self._wizard(self.lead) as wizard:
            wizard.result_id = self.taken
        self.lead.user_id = self.user_sara
        journal = self.lead.with_user(self.user_sara).action_sm_view_interactions()
        found = self.Interaction.with_user(self.user_sara).search(journal["domain"])
        self.assertEqual(found.user_id, self.user_sam, "Sam's call, on Sara's deal")
        with self.assertRaises(AccessError):
            found.with_user(self.user_sara).write({"topic": "rewritten"})
        with self.assertRaises(AccessError):
            found.with_user(self.user_will).read(["topic"])
        leader = found.with_user(self.user_leader_east)
        self.assertEqual(leader.topic, "Shelves")
        # the client's journal includes its deals'
        partner_journal = self.client.action_sm_view_interactions()
        self.assertEqual(self.Interaction.search(partner_journal["domain"]), found)

    def test_log_on_the_client_directly(self):
        with self._wizard(self.client) as wizard:
            wizard.contact_partner_id = self.buyer
            wizard.result_id = self.taken
            wizard.topic = "Yearly prices"
        interaction = self.client.sm_interaction_ids
        self.assertFalse(interaction.lead_id)
        self.assertEqual(interaction.contact_email, "olga@hardware.example.com")
        self.assertEqual(interaction.message_id.model, "res.partner")

    def test_analysis_per_salesperson_and_month(self):
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        with freeze_time("2027-05-10 10:00"):
            for direction, result in (
                ("outgoing", self.taken),
                ("outgoing", self.taken),
                ("incoming", self.no_answer),
            ):
                self.Interaction.with_user(self.user_sam).create(
                    {
                        "lead_id": self.lead.id,
                        "contact_partner_id": self.buyer.id,
                        "direction": direction,
                        "result_id": result.id,
                        "topic": "Shelves",
                    }
                )
        with freeze_time("2027-05-20 10:00"):
            self.lead.write({"stage_id": stage_won.id})
        self.env.flush_all()
        row = self.env["motivation.interaction.report"].search(
            [("user_id", "=", self.user_sam.id), ("date", "=", "2027-05-01")]
        )
        self.assertEqual(row.interaction_count, 3)
        self.assertAlmostEqual(row.outgoing_rate, 200 / 3, places=2)
        self.assertEqual(row.won_count, 1)
        # "no answer" did not reach the client
        self.assertEqual(row.touches_before_order, 2)
        self.assertEqual(row.touches_per_won, 2.0)
        self.assertEqual(row.complete_rate, 0.0, "no note was written")
        # a salesperson sees their own rows only
        Report = self.env["motivation.interaction.report"]
        self.assertFalse(
            Report.with_user(self.user_will).search(
                [("user_id", "=", self.user_sam.id)]
            )
        )

    def test_analysis_counts_a_deal_created_won(self):
        """A deal created in a won stage (an import) has no closing date:
        it counts in the month it entered its stage, with its touches."""
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        won = self._create_lead(
            self.user_sam,
            self.team_east,
            name="Imported won deal",
            stage_id=stage_won.id,
        )
        self.assertFalse(won.date_closed)
        entered = won.date_last_stage_update
        self.Interaction.with_user(self.user_sam).create(
            {
                "lead_id": won.id,
                "contact_partner_id": self.buyer.id,
                "result_id": self.taken.id,
                "topic": "Shelves",
                "date": entered - timedelta(hours=1),
            }
        )
        self.env.flush_all()
        row = self.env["motivation.interaction.report"].search(
            [
                ("user_id", "=", self.user_sam.id),
                ("date", "=", entered.date().replace(day=1)),
            ]
        )
        self.assertEqual(row.won_count, 1)
        self.assertEqual(row.touches_per_won, 1.0)


@tagged("post_install", "-at_install")
class TestDataQuality(SalesMotivationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.env["utm.source"].create({"name": "Fair"})
        cls.result = cls.env.ref("sales_motivation.interaction_result_taken")

    def _complete_deal(self, **vals):
        return self._create_lead(
            self.user_sam,
            self.team_east,
            contact_name="Ivan",
            phone="+1 555 0199",
            expected_revenue=1000.0,
            source_id=self.source.id,
            **vals,
        )

    def test_score_counts_data_interactions_and_checkpoints(self):
        bare = self._create_lead(self.user_sam, self.team_east)
        self.assertEqual(bare.sm_quality_score, 30, "only the on-time checkpoints")
        with freeze_time("2027-02-01 09:00"):
            lead = self._complete_deal()
        self.assertEqual(lead.sm_quality_score, 70)
        self.env["motivation.interaction"].with_user(self.user_sam).create(
            {
                "lead_id": lead.id,
                "contact_name": "Ivan",
                "contact_phone": "+1 555 0199",
                "result_id": self.result.id,
                "topic": "Intro",
            }
        )
        self.assertEqual(lead.sm_quality_score, 100)
        with freeze_time("2027-02-20"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        # the presentation is overdue: 2 of 3 checkpoints still on time
        self.assertEqual(lead.sm_quality_score, 90)
        self.assertEqual(bare.sm_quality_score, 20, "its presentation is late too")
        # searchable, e.g. the deals to complete
        Lead = self.env["crm.lead"]
        deals = [("id", "in", (lead | bare).ids)]
        self.assertEqual(Lead.search([*deals, ("sm_quality_score", "<", 50)]), bare)
        self.assertEqual(Lead.search([*deals, ("sm_quality_score", "=", 90)]), lead)
        # per manager and month of creation: the Interaction Analysis report
        # averages the scores of the deals created that month
        month = lead.create_date.date().replace(day=1)
        sams = Lead.search(
            [
                ("user_id", "=", self.user_sam.id),
                ("create_date", ">=", month),
                ("create_date", "<", month + relativedelta(months=1)),
            ]
        )
        self.assertTrue((lead | bare) <= sams)
        report = self.env["motivation.interaction.report"].search(
            [("user_id", "=", self.user_sam.id), ("date", "=", month)]
        )
        self.assertAlmostEqual(
            report.quality_score,
            sum(sams.mapped("sm_quality_score")) / len(sams),
            places=6,
        )

    def test_sql_matches_the_orm(self):
        with freeze_time("2027-02-01 09:00"):
            leads = (
                self._complete_deal()
                | self._complete_deal()
                | self._create_lead(self.user_sam, self.team_east, email_from="x@y.z")
            )
        first, second, third = leads
        self.env["motivation.interaction"].create(
            {
                "lead_id": first.id,
                "user_id": self.user_sam.id,
                "contact_name": "Ivan",
                "contact_phone": "+1",
                "result_id": self.result.id,
                "topic": "Intro",
            }
        )
        presentation = self.env.ref("sales_motivation.checkpoint_type_presentation")
        with freeze_time("2027-02-20"):
            # one done late, one waived, the others pending or overdue
            second.sm_checkpoint_ids.filtered(
                lambda c: c.type_id == presentation
            ).action_done()
            third.sm_checkpoint_ids[:1].sudo().write({"state": "waived"})
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT l.id, %s FROM crm_lead l WHERE l.id IN %s",
                self.env["crm.lead"]._sm_quality_score_sql("l"),
                tuple(leads.ids),
            )
        )
        by_sql = dict(self.env.cr.fetchall())
        by_orm = {lead.id: lead.sm_quality_score for lead in leads}
        self.assertEqual(by_sql, by_orm)
        self.assertEqual(len(set(by_orm.values())), 3, by_orm)

    def test_commission_plan_gate(self):
        self.env["motivation.commission.plan"].create(
            {
                "name": "Quality first",
                "registrar_percent": 5.0,
                "closer_percent": 10.0,
                "closer_min_quality": 80,
            }
        )
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        sloppy = self._create_lead(
            self.user_sam, self.team_east, expected_revenue=1000.0
        )
        careful = self._complete_deal()
        self.env["motivation.interaction"].create(
            {
                "lead_id": careful.id,
                "user_id": self.user_sam.id,
                "contact_name": "Ivan",
                "contact_phone": "+1",
                "result_id": self.result.id,
                "topic": "Offer",
            }
        )
        (sloppy | careful).write({"stage_id": stage_won.id})
        self.assertEqual(
            sloppy.sm_commission_line_ids.mapped("role"), ["registrar"], "no closer"
        )
        self.assertEqual(
            sorted(careful.sm_commission_line_ids.mapped("role")),
            ["closer", "registrar"],
        )
        with (
            self.assertRaises(CheckViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["motivation.commission.plan"].create(
                {"name": "Bad", "closer_min_quality": 120}
            )

    def test_install_hook_fills_the_clients_team(self):
        client = self.env["res.partner"].create(
            {"name": "Client", "user_id": self.user_will.id}
        )
        self.env.cr.execute(
            "UPDATE res_partner SET sm_team_id = NULL WHERE id = %s", [client.id]
        )
        pre_init_hook(self.env)
        self.env.invalidate_all()
        self.assertEqual(client.sm_team_id, self.team_west)


@tagged("post_install", "-at_install")
class TestInteractionTour(HttpCase):
    def test_call_done_from_the_chatter(self):
        user = new_test_user(
            self.env,
            "sm_tour_sam",
            groups="sales_team.group_sale_salesman",
            name="Tour Sam",
        )
        client = self.env["res.partner"].create(
            {"name": "Tour Client", "phone": "+1 555 0142", "user_id": user.id}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour deal",
                "type": "opportunity",
                "user_id": user.id,
                "partner_id": client.id,
            }
        )
        lead.activity_schedule(
            "mail.mail_activity_data_call",
            user_id=user.id,
            summary="Ask about the order",
        )
        self.start_tour(
            f"/odoo/crm/{lead.id}", "sales_motivation_log_call", login=user.login
        )
        self.assertEqual(
            lead.sm_interaction_ids.result_id,
            self.env.ref("sales_motivation.interaction_result_taken"),
        )
        self.assertEqual(lead.sm_interaction_ids.contact_phone, "+1 555 0142")
        self.assertFalse(lead.activity_ids)
