# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the sales team sees: the pipeline cards, the deal form, the shared
pool and the team leader's pipeline (issue 17, items 2 to 4)."""

from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import implementation_detail
from .test_checkpoints import CheckpointCommon


class ScreensCommon(CheckpointCommon):
    def _backdate_release(self, lead, days):
        """The deal's release to the pool ``days`` ago (the transfer log is
        written once: dated in SQL)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE motivation_transfer SET date = date - %s"
            " WHERE lead_id = %s AND kind = 'release'",
            (timedelta(days=days), lead.id),
        )
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestPipelineCards(ScreensCommon):
    def test_checkpoint_progress(self):
        lead = self._opportunity()
        self.assertEqual(
            lead.sm_checkpoint_progress, "0/3, next: Presentation by 02/08/2027"
        )
        with freeze_time("2027-02-05"):
            self._cp(lead, self.presentation).with_user(self.user_sam).action_done()
        self.assertEqual(
            lead.sm_checkpoint_progress,
            "1/3, next: Commercial proposal by 02/12/2027",
        )
        # a waived checkpoint no longer counts; the last one has no deadline
        # until the proposal is done
        self._cp(lead, self.proposal).with_user(self.user_leader_east).action_waive(
            "Framework contract"
        )
        self.assertRegex(
            lead.sm_checkpoint_progress, r"^1/2, next: Contract( by \d\d/\d\d/\d{4})?$"
        )
        self._cp(lead, self.contract).sudo().state = "done"
        self.assertEqual(lead.sm_checkpoint_progress, "2/2 done")
        self.assertFalse(self._create_lead(self.user_sam, None).sm_checkpoint_progress)

    @implementation_detail
    def test_card_fields_queries(self):
        """A page of cards costs four queries more than Odoo's own card
        fields: the checkpoints (with what the cards show of them), their
        types' names, which deals have an interaction, and the pool deals'
        release dates (the load test's pipeline, bench/RESULTS.md); not the
        release's reason, which only the pool's cards show."""
        # Odoo's own card fields, those that read what the addon's read too
        name = {"fields": {"display_name": {}}}
        odoo_spec = {
            "name": {},
            "stage_id": name,
            "user_id": name,
            "partner_id": name,
            "company_currency": {"fields": {}},
        }
        spec = dict(
            odoo_spec,
            **{
                name: {}
                for name in (
                    "in_pool",
                    "sm_pool_age",
                    "sm_quality_score",
                    "sm_checkpoint_overdue",
                    "sm_checkpoint_progress",
                )
            },
        )
        result = self.env.ref("sales_motivation.interaction_result_taken")
        leads = self.env["crm.lead"]
        for index in range(6):
            lead = self._opportunity()
            if index % 2:
                self.env["motivation.interaction"].with_user(self.user_sam).create(
                    {
                        "lead_id": lead.id,
                        "contact_name": "Ivan",
                        "contact_phone": "+1 555 0199",
                        "result_id": result.id,
                        "topic": "Intro",
                    }
                )
            if index % 3 == 2:
                lead.action_release_to_pool(reason="Cards")
            leads |= lead
        # as the web client calls it: the user's language in the context
        Lead = (
            self.env["crm.lead"]
            .with_user(self.user_leader_east)
            .with_context(lang=self.user_leader_east.lang)
        )
        self.env.flush_all()

        def queries(fields):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records = Lead.web_search_read([("id", "in", leads.ids)], fields)
            self.assertEqual(records["length"], 6)
            return self.env.cr.sql_log_count - before

        queries(spec)  # caches warm (rules, languages)
        self.assertEqual(queries(spec) - queries(odoo_spec), 4)

    def test_dates_in_the_users_language(self):
        """The strip, the overdue badge and the leader's alert read dates as
        the user's language writes them, never as ISO dates."""
        lead = self._opportunity()
        with freeze_time("2027-02-09"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        self.assertIn("02/08/2027", lead.sm_checkpoint_strip)
        self.assertNotIn("2027-02-08", lead.sm_checkpoint_strip)
        self.assertEqual(
            lead.sm_checkpoint_overdue, "Presentation overdue since 02/08/2027"
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        lead_fr = lead.with_context(lang="fr_FR")
        self.assertIn("08/02/2027", lead_fr.sm_checkpoint_strip)
        self.assertIn("08/02/2027", lead_fr.sm_checkpoint_overdue)
        alert = lead.activity_ids.filtered(lambda a: "Intervene" in (a.summary or ""))
        self.assertNotIn("2027-02-08", alert.summary)

    def test_incomplete_data_filter(self):
        """Incomplete Data: no client or no way to reach them; not every deal
        without an interaction."""
        Lead = self.env["crm.lead"].with_user(self.user_sam)
        complete = self._create_lead(
            self.user_sam,
            self.team_east,
            name="Complete",
            contact_name="Olga",
            phone="+7 900 000 00 00",
        )
        no_contact = self._create_lead(
            self.user_sam, self.team_east, name="No client", phone="+7 900 1"
        )
        unreachable = self._create_lead(
            self.user_sam, self.team_east, name="Unreachable", contact_name="Ivan"
        )
        self.assertLess(complete.sm_quality_score, 70, "no interaction yet")
        incomplete = Lead.search(
            self._filter_domain("data_quality_low")
            + [("user_id", "=", self.user_sam.id)]
        )
        self.assertEqual(
            incomplete & (complete | no_contact | unreachable), no_contact | unreachable
        )
        no_interaction = Lead.search(self._filter_domain("no_interaction"))
        self.assertIn(complete, no_interaction)

    def _filter_domain(self, name):
        arch = self.env["crm.lead"].get_view(
            self.env.ref("crm.view_crm_case_opportunities_filter").id, "search"
        )["arch"]

        node = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(node.get("domain"), {"uid": self.env.uid})

    def test_internal_fields_hidden(self):
        """The rules' internal columns are offered neither as filters nor as
        groupings nor for export; the registrar is."""
        described = (
            self.env["crm.lead"]
            .with_user(self.user_sam)
            .fields_get(
                attributes=["searchable", "groupable", "sortable", "exportable"]
            )
        )
        for name in ("sm_registrar_reader_id", "sm_closer_reader_id"):
            self.assertFalse(described[name]["searchable"], name)
            self.assertFalse(described[name]["groupable"], name)
            self.assertFalse(described[name]["exportable"], name)
        self.assertTrue(described["registrar_id"]["groupable"])
        self.assertTrue(described["registrar_id"]["searchable"])
        # every attribute fields_get gives still comes (the views' loading)
        full = self.env["crm.lead"].fields_get(["sm_closer_reader_id"])
        self.assertEqual(full["sm_closer_reader_id"]["type"], "many2one")

    def test_last_touch_hidden_without_interaction(self):
        arch = self.env["crm.lead"].get_view(
            self.env.ref("crm.crm_lead_view_form").id, "form"
        )["arch"]
        self.assertIn(
            '<field name="sm_last_touch_date" invisible="not sm_interaction_count"',
            arch,
        )

    def test_pool_marker_and_age(self):
        lead = self._create_lead(self.user_sam, self.team_east, name="Pooled")
        self.assertFalse(lead.sm_pool_age)
        lead.with_user(self.user_sam).action_release_to_pool(reason="On leave")
        self._backdate_release(lead, 3)
        self.assertEqual(lead.sm_pool_reason, "On leave")
        self.assertEqual(lead.sm_pool_age, "3 days")
        self.env["res.lang"]._activate_lang("ru_RU")
        lead.invalidate_recordset(["sm_pool_age"])
        self.assertEqual(lead.with_context(lang="ru_RU").sm_pool_age, "3 дня")
        lead.with_user(self.user_sara).action_claim()
        self.assertFalse(lead.sm_pool_age)
        self.assertFalse(lead.sm_pool_date)

    def test_card_fields_batch(self):
        """The card's fields cost the same queries for 2 deals or 8."""

        def leads(count):
            records = self.env["crm.lead"]
            for index in range(count):
                with freeze_time("2027-02-01"):
                    lead = self._create_lead(
                        self.user_sam, self.team_east, name=f"Card {index}"
                    )
                if index % 2:
                    lead.action_release_to_pool(reason="Batch")
                records |= lead
            return records.with_user(self.user_leader_east)

        def queries(records):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            records.read(
                [
                    "sm_checkpoint_progress",
                    "sm_checkpoint_overdue",
                    "sm_quality_score",
                    "in_pool",
                    "sm_pool_age",
                    "sm_pool_reason",
                ]
            )
            return self.env.cr.sql_log_count - start

        small, large = leads(2), leads(8)
        queries(small)  # caches warm (rules, languages)
        self.assertEqual(queries(small), queries(large))


@tagged("post_install", "-at_install")
class TestPoolScreens(ScreensCommon):
    def test_claim_converts_a_lead(self):
        """A lead claimed from the pool is an opportunity of the claimer's
        pipeline (the Leads feature may be off)."""
        lead = self._create_lead(None, self.team_east, type="lead", name="Pool lead")
        lead.in_pool = True
        result = lead.with_user(self.user_sara).action_claim()
        self.assertRecordValues(
            lead,
            [{"type": "opportunity", "user_id": self.user_sara.id, "in_pool": False}],
        )
        self.assertTrue(lead.stage_id)
        self.assertTrue(lead.date_conversion)
        self.assertTrue(lead.sm_checkpoint_ids, "an opportunity follows checkpoints")
        self.assertIn(
            lead,
            self.env["crm.lead"]
            .with_user(self.user_sara)
            .search(
                [("type", "=", "opportunity"), ("user_id", "=", self.user_sara.id)]
            ),
        )
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(
            result["params"]["message"], "Pool lead is yours, in your pipeline."
        )
        self.assertFalse(result["params"]["sticky"])

    def test_release_wizard_notifies(self):
        lead = self._create_lead(self.user_sam, self.team_east, name="Leaving deal")
        wizard = Form(
            self.env["motivation.release.wizard"]
            .with_user(self.user_sam)
            .with_context(default_lead_ids=lead.ids)
        )
        wizard.reason = "On leave"
        result = wizard.save().action_release()
        self.assertTrue(lead.in_pool)
        self.assertEqual(
            result["params"]["message"], "Leaving deal is in the shared pool of East."
        )
        self.assertEqual(
            result["params"]["next"], {"type": "ir.actions.act_window_close"}
        )

    def test_empty_pool_has_help(self):
        """An empty pool shows the standard help, not a blank page: the pool
        kanban is not grouped (an empty grouped kanban shows nothing)."""
        action = self.env.ref("sales_motivation.crm_lead_action_pool")
        self.assertIn("o_view_nocontent_smiling_face", action.help)
        arch = self.env["crm.lead"].get_view(
            self.env.ref("sales_motivation.crm_lead_view_kanban_pool").id, "kanban"
        )["arch"]
        self.assertNotIn("default_group_by", arch)


@tagged("post_install", "-at_install")
class TestTeamPipeline(ScreensCommon):
    def test_my_teams_and_overdue_first(self):
        late = self._opportunity("2027-02-01 09:00")
        fresh = self._opportunity("2027-02-20 09:00")
        west = self._create_lead(self.user_will, self.team_west, name="West deal")
        with freeze_time("2027-02-22"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        self.assertEqual(late.sm_checkpoint_status, "overdue")
        self.assertEqual(fresh.sm_checkpoint_status, "on_track")
        Lead = self.env["crm.lead"].with_user(self.user_leader_east)
        domain = [("team_id.user_id", "=", self.user_leader_east.id)]
        found = Lead.search(
            domain + [("id", "in", (late | fresh | west).ids)],
            order="sm_checkpoint_status desc, id desc",
        )
        self.assertEqual(found.ids, [late.id, fresh.id])

    def test_leader_lands_on_team_pipeline(self):
        Team = self.env["crm.team"]
        action = Team.with_user(self.user_leader_east).action_your_pipeline()
        self.assertEqual(action["name"], "Team Pipeline")
        self.assertEqual(action["context"].get("search_default_my_teams"), 1)
        # salespeople keep their own pipeline
        action = Team.with_user(self.user_sam).action_your_pipeline()
        self.assertEqual(action["context"].get("search_default_assigned_to_me"), 1)
        # a team leader of no team too
        nobody = new_test_user(
            self.env, "sm_lead_none", groups="sales_motivation.group_team_leader"
        )
        action = Team.with_user(nobody).action_your_pipeline()
        self.assertEqual(action["context"].get("search_default_assigned_to_me"), 1)


@tagged("post_install", "-at_install")
class TestScreenTours(HttpCase, ScreensCommon):
    """Each screen in Chromium, as its user (static/tests/tours/)."""

    def test_pipeline_card_and_form(self):
        """Sam reads his deal's card and form and releases it to the pool;
        Sara claims it there."""
        lead = self._create_lead(
            self.user_sam, self.team_east, name="Screen deal", contact_name="Olga"
        )
        self._cp(lead, self.presentation).with_user(self.user_sam).action_done()
        self.assertTrue(self._cp(lead, self.proposal).deadline)
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline",
            "sales_motivation_pipeline",
            login=self.user_sam.login,
        )
        self.assertTrue(lead.in_pool, "released from the form's action menu")
        self.assertEqual(lead.sm_pool_reason, "Client asked for another manager")
        # his colleague claims it from the pool
        self.start_tour(
            "/odoo/action-sales_motivation.crm_lead_action_pool",
            "sales_motivation_claim_released",
            login=self.user_sara.login,
        )
        self.assertRecordValues(
            lead, [{"user_id": self.user_sara.id, "in_pool": False}]
        )

    def test_pool_claim(self):
        lead = self._create_lead(None, self.team_east, type="lead", name="Pool lead")
        lead.action_release_to_pool(reason="Client on holiday")
        self._backdate_release(lead, 2)
        self.start_tour(
            "/odoo/action-sales_motivation.crm_lead_action_pool",
            "sales_motivation_pool",
            login=self.user_sara.login,
        )
        self.assertRecordValues(
            lead,
            [{"type": "opportunity", "user_id": self.user_sara.id, "in_pool": False}],
        )

    def test_team_leader_pipeline(self):
        late = self._create_lead(self.user_sam, self.team_east, name="Late deal")
        self._create_lead(self.user_sara, self.team_east, name="Fresh deal")
        self._cp(late, self.presentation).sudo().write(
            {"deadline": date.today() - timedelta(days=3)}
        )
        self.env["motivation.checkpoint"]._cron_mark_overdue()
        self.assertEqual(late.sm_checkpoint_status, "overdue")
        self.start_tour("/odoo", "sales_motivation_team_pipeline", login="sm_lena")
        self.assertRecordValues(
            self._cp(late, self.presentation),
            [
                {
                    "state": "waived",
                    "waiver_reason": "Client saw the product at the fair",
                }
            ],
        )

    def test_register_a_deal(self):
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline",
            "sales_motivation_register_deal",
            login=self.user_sam.login,
        )
        lead = self.env["crm.lead"].search([("name", "=", "Tour registration")])
        self.assertRecordValues(
            lead,
            [
                {
                    "type": "opportunity",
                    "user_id": self.user_sam.id,
                    "registrar_id": self.user_sam.id,
                }
            ],
        )
        self.assertEqual(len(lead.sm_checkpoint_ids), 3)

    def test_stage_refused_for_a_missing_checkpoint(self):
        proposition = self.env.ref("crm.stage_lead3")
        self.proposal.stage_id = proposition
        lead = self._create_lead(self.user_sam, self.team_east, name="Gated deal")
        new_stage = lead.stage_id
        self.assertEqual(new_stage.name, "New")
        # the refused write is logged by odoo.http as a warning
        with mute_logger("odoo.http"):
            self.start_tour(
                f"/odoo/crm/{lead.id}",
                "sales_motivation_stage_refused",
                login=self.user_sam.login,
            )
        self.assertEqual(lead.stage_id, new_stage)

    def test_form_stage_bar_in_russian(self):
        """At 1366 px (the tours' window), in Russian, the deal form keeps
        every stage of the pipeline in its stage bar."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["web", "mail", "crm", "sale_crm", "sales_motivation"], ["ru_RU"]
        )
        self.user_sam.lang = "ru_RU"
        lead = self._create_lead(self.user_sam, self.team_east, name="Сделка")
        self.start_tour(
            f"/odoo/crm/{lead.id}",
            "sales_motivation_form_ru",
            login=self.user_sam.login,
        )
