# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from datetime import date

from freezegun import freeze_time
from odoo_test_helper import FakeModelLoader

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from ..hooks import post_init_hook
from .common import SalesMotivationCommon, implementation_detail


class CheckpointCommon(SalesMotivationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.presentation = cls.env.ref("sales_motivation.checkpoint_type_presentation")
        cls.proposal = cls.env.ref("sales_motivation.checkpoint_type_proposal")
        cls.contract = cls.env.ref("sales_motivation.checkpoint_type_contract")
        # only the addon's default types, whatever else the database holds
        (
            cls.env["motivation.checkpoint.type"].search([])
            - cls.presentation
            - cls.proposal
            - cls.contract
        ).active = False
        cls.stage_late = cls.env["crm.stage"].create(
            {"name": "Negotiation (test)", "sequence": 500}
        )

    def _opportunity(self, when="2027-02-01 09:00"):
        with freeze_time(when):
            return self._create_lead(self.user_sam, self.team_east, name="Checked deal")

    def _cp(self, lead, cp_type):
        return lead.sm_checkpoint_ids.filtered(lambda c: c.type_id == cp_type)

    def _quotation(self, lead, user=None):
        """A draft quotation for the deal, made by ``user`` (default: the
        superuser)."""
        if not lead.partner_id:
            lead.partner_id = self.env["res.partner"].create({"name": "Buyer"})
        product = self.env["product.product"].create({"name": "Rack", "list_price": 10})
        return (
            self.env["sale.order"]
            .with_user(user or self.env.user)
            .create(
                {
                    "partner_id": lead.partner_id.id,
                    "opportunity_id": lead.id,
                    "order_line": [(0, 0, {"product_id": product.id})],
                }
            )
        )


@tagged("post_install", "-at_install")
class TestCheckpoints(CheckpointCommon):
    def test_created_with_deadlines(self):
        lead = self._opportunity()
        self.assertEqual(
            lead.sm_checkpoint_ids.type_id,
            self.presentation | self.proposal | self.contract,
        )
        self.assertEqual(set(lead.sm_checkpoint_ids.mapped("state")), {"pending"})
        self.assertEqual(self._cp(lead, self.presentation).deadline, date(2027, 2, 8))
        self.assertFalse(
            self._cp(lead, self.proposal).deadline, "counts from the previous"
        )
        with freeze_time("2027-02-05"):
            self._cp(lead, self.presentation).with_user(self.user_sam).action_done()
        self.assertEqual(self._cp(lead, self.proposal).deadline, date(2027, 2, 12))
        self.assertFalse(
            self._cp(lead, self.contract).deadline, "counts from the proposal"
        )
        with freeze_time("2027-02-10"):
            self._quotation(lead, self.user_sam).action_quotation_sent()
        self.assertEqual(self._cp(lead, self.proposal).state, "done")
        self.assertEqual(self._cp(lead, self.contract).deadline, date(2027, 2, 24))
        self.assertEqual(
            self._cp(lead, self.proposal).deadline,
            date(2027, 2, 12),
            "a reached checkpoint keeps its deadline",
        )
        # plain leads have none
        lead2 = self._create_lead(self.user_sam, self.team_east, type="lead")
        self.assertFalse(lead2.sm_checkpoint_ids)
        lead2.convert_opportunity(False)
        self.assertEqual(len(lead2.sm_checkpoint_ids), 3)

    def test_team_specific_types(self):
        self.proposal.team_ids = self.team_west
        lead = self._opportunity()
        self.assertNotIn(self.proposal, lead.sm_checkpoint_ids.type_id)
        lead.team_id = self.team_west
        self.assertIn(self.proposal, lead.sm_checkpoint_ids.type_id)

    def test_alert_withdrawn_when_the_checkpoint_no_longer_applies(self):
        """A deal moved to a team that does not follow its overdue
        checkpoint: the checkpoint goes, and so does the leader's alert."""
        self.presentation.team_ids = self.team_east
        lead = self._opportunity()
        with freeze_time("2027-02-09"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        alert = self._alerts(lead)
        self.assertEqual(len(alert), 1)
        lead.team_id = self.team_west
        self.assertNotIn(self.presentation, lead.sm_checkpoint_ids.type_id)
        self.assertFalse(alert.exists())

    def test_stage_gating_through_every_path(self):
        self.proposal.stage_id = self.stage_late
        lead = self._opportunity()
        with self.assertRaisesRegex(ValidationError, "Commercial proposal"):
            lead.with_user(self.user_sam).write({"stage_id": self.stage_late.id})
        form = Form(lead.with_user(self.user_sam))  # the form
        form.stage_id = self.stage_late
        with self.assertRaises(ValidationError):
            form.save()
        self.assertNotEqual(lead.stage_id, self.stage_late)
        # a salesperson cannot waive, a team leader can
        with self.assertRaises(AccessError):
            self._cp(lead, self.proposal).with_user(self.user_sam).action_waive("no")
        wizard = Form(
            self.env["motivation.checkpoint.waive"]
            .with_user(self.user_leader_east)
            .with_context(default_checkpoint_ids=self._cp(lead, self.proposal).ids)
        )
        wizard.reason = "Framework agreement signed last year"
        wizard.save().action_waive()
        self.assertEqual(self._cp(lead, self.proposal).state, "waived")
        self.assertIn("Framework agreement", lead.message_ids[0].body)
        lead.with_user(self.user_sam).write({"stage_id": self.stage_late.id})
        self.assertEqual(lead.stage_id, self.stage_late)

    def test_evidence_from_sale_orders(self):
        lead = self._opportunity()
        lead.partner_id = self.env["res.partner"].create({"name": "Buyer"})
        product = self.env["product.product"].create({"name": "Rack", "list_price": 10})
        order = self.env["sale.order"].create(
            {
                "partner_id": lead.partner_id.id,
                "opportunity_id": lead.id,
                "order_line": [(0, 0, {"product_id": product.id})],
            }
        )
        order.action_quotation_sent()
        self.assertEqual(self._cp(lead, self.proposal).state, "done")
        self.assertEqual(self._cp(lead, self.proposal).evidence, order.name)
        self.assertEqual(self._cp(lead, self.contract).state, "pending")
        order.action_confirm()
        self.assertEqual(self._cp(lead, self.contract).state, "done")

    def test_evidence_from_attachment_and_activity(self):
        self.presentation.write(
            {
                "evidence": "activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_meeting").id,
            }
        )
        self.proposal.evidence = "attachment"
        lead = self._opportunity()
        lead.contact_name, lead.phone = "Olga", "+1 555 0101"
        meeting = lead.activity_schedule(
            "mail.mail_activity_data_meeting", summary="Demo", user_id=self.user_sam.id
        )
        # a meeting with a client is done by logging it
        action = meeting.with_user(self.user_sam).action_sm_log_interaction()
        Wizard = self.env[action["res_model"]].with_user(self.user_sam)
        with Form(Wizard.with_context(**action["context"])) as wizard:
            self.assertEqual(wizard.kind, "meeting")
            wizard.result_id = self.env.ref("sales_motivation.interaction_result_done")
        self.assertEqual(self._cp(lead, self.presentation).state, "done")
        self.env["ir.attachment"].create(
            {
                "name": "offer.pdf",
                "raw": b"%PDF",
                "res_model": "crm.lead",
                "res_id": lead.id,
            }
        )
        self.assertEqual(self._cp(lead, self.proposal).state, "done")

    def test_overdue_cron_alerts_team_leader_once(self):
        lead = self._opportunity()
        Checkpoint = self.env["motivation.checkpoint"]
        with freeze_time("2027-02-08"):
            Checkpoint._cron_mark_overdue()
        self.assertEqual(self._cp(lead, self.presentation).state, "pending")
        with freeze_time("2027-02-09"):
            Checkpoint._cron_mark_overdue()
            Checkpoint._cron_mark_overdue()
        self.assertEqual(self._cp(lead, self.presentation).state, "overdue")
        self.assertEqual(lead.sm_checkpoint_status, "overdue")
        # what the pipeline card says
        self.assertEqual(
            lead.sm_checkpoint_overdue, "Presentation overdue since 02/08/2027"
        )
        self.assertIn(
            lead,
            self.env["crm.lead"].search([("sm_checkpoint_status", "=", "overdue")]),
        )
        alerts = lead.activity_ids.filtered(lambda a: "Intervene" in (a.summary or ""))
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.user_leader_east)
        self.assertIn("Presentation overdue since 02/08/2027", alerts.summary)
        # doing it withdraws the alert
        self._cp(lead, self.presentation).with_user(self.user_sam).action_done()
        self.assertFalse(alerts.exists())
        self.assertEqual(lead.sm_checkpoint_status, "on_track")

    def test_overdue_alert_done_not_alerted_again(self):
        """The leader marks the alert done (Odoo deletes the activity): the
        next days' crons do not alert the same deviation again."""
        lead = self._opportunity()
        Checkpoint = self.env["motivation.checkpoint"]
        with freeze_time("2027-02-09"):
            Checkpoint._cron_mark_overdue()
        checkpoint = self._cp(lead, self.presentation)
        alert = self._alerts(lead)
        self.assertEqual(len(alert), 1)
        self.assertEqual(checkpoint.alert_date, date(2027, 2, 9))
        with freeze_time("2027-02-09 15:00"):
            alert.with_user(self.user_leader_east).action_feedback(
                feedback="Called Sam"
            )
        self.assertFalse(alert.exists())
        self.assertEqual(checkpoint.state, "overdue")
        self.assertEqual(checkpoint.alert_date, date(2027, 2, 9))
        for day in ("2027-02-10", "2027-02-11"):
            with freeze_time(day):
                Checkpoint._cron_mark_overdue()
        self.assertFalse(self._alerts(lead))
        # done late, it keeps its alert date; the next checkpoint, late in
        # turn, is a new deviation and is alerted
        with freeze_time("2027-02-12"):
            checkpoint.with_user(self.user_sam).action_done()
        self.assertEqual(checkpoint.alert_date, date(2027, 2, 9))
        with freeze_time("2027-02-20"):
            Checkpoint._cron_mark_overdue()
        alerts = self._alerts(lead)
        self.assertEqual(len(alerts), 1)
        self.assertEqual(
            alerts.summary, "Intervene: Commercial proposal overdue since 02/19/2027"
        )

    def test_alert_withdrawn_when_the_deal_is_back_on_track(self):
        """An alert stays while any checkpoint of its deal is overdue; the
        deal back on track (done, or waived by the leader), it is withdrawn;
        other activities of the deal stay."""
        lead = self._opportunity()
        todo = lead.activity_schedule(
            "mail.mail_activity_data_todo", summary="Send the brochure"
        )
        presentation = self._cp(lead, self.presentation)
        proposal = self._cp(lead, self.proposal)
        proposal.sudo().deadline = date(2027, 2, 15)  # set by hand
        with freeze_time("2027-02-20"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        alert = self._alerts(lead)
        self.assertEqual(
            alert.summary,
            "Intervene: Presentation, Commercial proposal overdue since 02/08/2027",
        )
        with freeze_time("2027-02-21"):
            presentation.with_user(self.user_sam).action_done()
        self.assertTrue(alert.exists(), "the proposal is still overdue")
        with self.assertRaises(AccessError):
            proposal.with_user(self.user_sam).action_waive("Client on holiday")
        proposal.with_user(self.user_leader_east).action_waive("Client on holiday")
        self.assertFalse(alert.exists())
        self.assertTrue(todo.exists())
        self.assertEqual(lead.sm_checkpoint_status, "on_track")

    def test_overdue_alert_as_odoo_activity(self):
        """The cron writes its activities in SQL: the team leader sees them
        on the deal as any activity, the bus tells his counter, and marking
        one done goes through Odoo's own feedback."""
        self._drain_overdue()
        self.user_leader_east.tz = "Europe/Brussels"
        lead = self._opportunity()

        def activity_notices():
            # what the bus will send on commit
            return [
                value
                for value in self.env.cr.precommit.data.get("bus.bus.values", [])
                if "mail.activity/updated" in value["message"]
            ]

        before = len(activity_notices())
        with freeze_time("2027-02-09"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        notices = activity_notices()[before:]
        self.assertEqual(len(notices), 1)
        self.assertEqual(
            json.loads(notices[0]["channel"])[1:],
            ["res.partner", self.user_leader_east.partner_id.id],
        )
        self.assertEqual(
            json.loads(notices[0]["message"])["payload"],
            {"activity_created": True, "count_diff": 1},
        )
        leader_lead = lead.with_user(self.user_leader_east)
        alert = leader_lead.activity_ids.filtered(
            lambda a: a.user_id == self.user_leader_east
        )
        self.assertEqual(len(alert), 1)
        self.assertEqual(
            alert.summary, "Intervene: Presentation overdue since 02/08/2027"
        )
        self.assertEqual(alert.date_deadline, date(2027, 2, 9))
        self.assertEqual(
            alert.activity_type_id,
            self.env.ref("sales_motivation.mail_activity_type_checkpoint_alert"),
        )
        self.assertEqual(alert.res_model, "crm.lead")
        self.assertEqual(alert.res_model_id, self.env["ir.model"]._get("crm.lead"))
        self.assertEqual(alert.res_name, lead.name)
        self.assertEqual(alert.user_tz, "Europe/Brussels")
        self.assertTrue(alert.automated)
        self.assertTrue(alert.active)
        self.assertFalse(alert.date_done)
        self.assertIn(
            alert,
            self.env["mail.activity"]
            .with_user(self.user_leader_east)
            .search([("user_id", "=", self.user_leader_east.id)]),
        )
        with freeze_time("2027-02-09 10:00"):
            self.assertEqual(alert.state, "today")
            self.assertEqual(leader_lead.activity_state, "today")
            self.assertEqual(leader_lead.activity_user_id, self.user_leader_east)
            groups = (
                self.env["res.users"]
                .with_user(self.user_leader_east)
                ._get_activity_groups()
            )
        crm_group = [g for g in groups if g.get("model") == "crm.lead"]
        self.assertTrue(crm_group and crm_group[0]["today_count"] >= 1)
        # done through Odoo's own feedback, as the chatter's Done button
        with freeze_time("2027-02-09 11:00"):
            alert.action_feedback(feedback="Spoke with Sam")
        self.assertFalse(alert.exists())
        self.assertFalse(leader_lead.activity_ids)
        done = lead.message_ids.filtered(
            lambda m: m.mail_activity_type_id
            == self.env.ref("sales_motivation.mail_activity_type_checkpoint_alert")
        )
        self.assertEqual(len(done), 1)
        self.assertIn("Spoke with Sam", done.body)
        self.assertEqual(done.author_id, self.user_leader_east.partner_id)
        self.assertEqual(self._cp(lead, self.presentation).alert_date, date(2027, 2, 9))

    def test_courtesy_call_when_all_met_on_time(self):
        self.env.company.sm_courtesy_call = True
        # ticked by hand in this test: no evidence asked
        (self.proposal | self.contract).evidence = "none"

        def courtesy_calls(lead):
            return lead.activity_ids.filtered(
                lambda a: "Courtesy call" in (a.summary or "")
            )

        on_time = self._opportunity()
        late = self._opportunity()
        for lead, when in ((on_time, "2027-02-05"), (late, "2027-02-12")):
            for cp_type in (self.presentation, self.proposal, self.contract):
                with freeze_time(when):
                    self._cp(lead, cp_type).with_user(self.user_sam).action_done()
                self.assertFalse(
                    courtesy_calls(lead) if cp_type != self.contract else False
                )
        call = courtesy_calls(on_time)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.user_id, self.user_sam)
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertFalse(courtesy_calls(late), "the presentation came late")
        # the setting off: no call
        self.env.company.sm_courtesy_call = False
        other = self._opportunity()
        with freeze_time("2027-02-05"):
            other.sm_checkpoint_ids.with_user(self.user_sam).action_done()
        self.assertFalse(courtesy_calls(other))

    def _late_deals(self, count):
        """``count`` deals of Sam (team East) whose presentation was due on
        2027-02-08."""
        with freeze_time("2027-02-01 09:00"):
            return self.env["crm.lead"].create(
                [
                    {
                        "name": f"Late deal {i}",
                        "type": "opportunity",
                        "user_id": self.user_sam.id,
                        "team_id": self.team_east.id,
                    }
                    for i in range(count)
                ]
            )

    def _drain_overdue(self):
        """Alert what other deals (demo data) owe first, in one call."""
        with freeze_time("2027-02-11"):
            self.env["motivation.checkpoint"]._cron_mark_overdue(batch_size=10**6)

    def _alerts(self, leads):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("summary", "like", "Intervene"),
            ]
        )

    def test_overdue_cron_batches(self):
        """By batches of deals: the scheduler is told how many are left and
        calls it again; every deal gets its one alert, and only one."""
        self._drain_overdue()
        leads = self._late_deals(5)
        cron = self.env.ref("sales_motivation.ir_cron_checkpoints_overdue")
        Checkpoint = self.env["motivation.checkpoint"]
        progress_seen = []
        with freeze_time("2027-02-09"):
            for _call in range(4):
                _cron, progress = cron._add_progress()
                Checkpoint.with_context(
                    ir_cron_progress_id=progress.id
                )._cron_mark_overdue(batch_size=2)
                progress_seen.append((progress.done, progress.remaining))
        self.assertEqual(progress_seen, [(2, 3), (2, 1), (1, 0), (0, 0)])
        self.assertEqual(
            set(leads.sm_checkpoint_ids.mapped("state")), {"overdue", "pending"}
        )
        alerts = self._alerts(leads)
        self.assertEqual(sorted(alerts.mapped("res_id")), sorted(leads.ids))
        self.assertEqual(set(alerts.user_id.ids), {self.user_leader_east.id})
        overdue = leads.sm_checkpoint_ids.filtered(lambda c: c.state == "overdue")
        self.assertEqual(len(overdue), 5)
        for checkpoint in overdue:
            self.assertEqual(checkpoint.alert_date, date(2027, 2, 9))

    @implementation_detail
    def test_overdue_rewrite_stays_on_its_page(self):
        """Marking checkpoints overdue rewrites each row where it is (a HOT
        update, which touches no index): no index of the table holds a column
        the cron writes, and its pages keep half their room for the new
        versions of their rows. Without it, the cron on 100k late deals takes
        a third longer (the overdue benchmark)."""
        cr = self.env.cr
        cr.execute(
            "SELECT reloptions FROM pg_class WHERE relname = 'motivation_checkpoint'"
        )
        self.assertIn("fillfactor=50", cr.fetchone()[0] or [])
        cr.execute(
            """
            SELECT indexrelid::regclass::text,
                   split_part(pg_get_indexdef(indexrelid), ' USING ', 2)
              FROM pg_index WHERE indrelid = 'motivation_checkpoint'::regclass
            """
        )
        indexes = dict(cr.fetchall())
        self.assertIn("motivation_checkpoint_open_deadline_idx", indexes)
        # the columns _cron_mark_overdue's UPDATE sets
        written = re.compile(r"\b(state|alert_date|write_uid|write_date)\b")
        for name, definition in indexes.items():
            self.assertFalse(written.search(definition), f"{name}: {definition}")

    def test_overdue_deals_without_anybody_to_alert_wait(self):
        """Deals with neither team leader nor salesperson are marked overdue
        and wait for somebody to alert, however many they are, without
        holding up the others; once their team has a leader, he is alerted."""
        self._drain_overdue()
        orphans = self._late_deals(5)
        orphans.user_id = False
        self.team_east.user_id = False
        self.env.flush_all()
        with freeze_time("2027-02-01 09:00"):
            kept = self._create_lead(self.user_will, self.team_west, name="Kept")
        cron = self.env.ref("sales_motivation.ir_cron_checkpoints_overdue")
        Checkpoint = self.env["motivation.checkpoint"]

        def run_as_the_scheduler():
            calls = 0
            while True:
                calls += 1
                _cron, progress = cron._add_progress()
                Checkpoint.with_context(
                    ir_cron_progress_id=progress.id
                )._cron_mark_overdue(batch_size=2)
                if not progress.remaining or calls > 10:
                    return calls

        with freeze_time("2027-02-09"):
            self.assertEqual(run_as_the_scheduler(), 3)
        self.assertEqual(len(self._alerts(kept)), 1)
        self.assertFalse(self._alerts(orphans))
        late = (orphans | kept).sm_checkpoint_ids.filtered(
            lambda c: c.type_id == self.presentation
        )
        self.assertEqual(set(late.mapped("state")), {"overdue"})
        self.assertFalse(
            any(late.filtered(lambda c: c.lead_id in orphans).mapped("alert_date"))
        )
        self.team_east.user_id = self.user_leader_east
        with freeze_time("2027-02-10"):
            self.assertEqual(run_as_the_scheduler(), 3)
        alerts = self._alerts(orphans)
        self.assertEqual(sorted(alerts.mapped("res_id")), sorted(orphans.ids))
        self.assertEqual(alerts.user_id, self.user_leader_east)
        self.assertEqual(
            alerts[0].summary, "Intervene: Presentation overdue since 02/08/2027"
        )
        self.assertEqual(len(self._alerts(kept)), 1, "not alerted twice")

    @implementation_detail
    def test_overdue_cron_constant_queries(self):
        """A batch costs the same queries whatever the number of deals."""
        self._drain_overdue()
        Checkpoint = self.env["motivation.checkpoint"]
        for count, day in ((1, "2027-02-09"), (2, "2027-02-10"), (12, "2027-02-11")):
            leads = self._late_deals(count)
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(day):
                if count == 1:  # warm the caches (types, translations, models)
                    Checkpoint._cron_mark_overdue()
                else:
                    # one of them locks the batch's deals, one reads every
                    # company's local today, one the leaders' languages (the
                    # alerts are in theirs), two are for the commission of
                    # the deals won (an overdue checkpoint lowers their data
                    # quality), two read the language the alerts' dates
                    # are written in (the scheduler's user), one the leaders'
                    # languages, four write the missed checkpoints' rows in
                    # the achievement ledger
                    with self.assertQueryCount(21):
                        Checkpoint._cron_mark_overdue()
            self.assertEqual(len(self._alerts(leads)), count)

    def test_odoo_lead_assignment_gives_checkpoints(self):
        """Odoo's own assignment converts leads one by one; their checkpoints
        are created at its end, all at once."""
        self.env["crm.lead"].create(
            [
                {
                    "name": f"Inbound {i}",
                    "type": "lead",
                    "team_id": self.team_east.id,
                    "user_id": False,
                }
                for i in range(6)
            ]
        )
        self.team_east.crm_team_member_ids.assignment_max = 90  # 3 a day
        _teams, members = self.team_east._action_assign_leads(
            force_quota=True, creation_delta_days=0
        )
        assigned = self.env["crm.lead"].concat(
            *(data["assigned"] for data in members.values())
        )
        self.assertEqual(len(assigned), 6)
        for lead in assigned:
            self.assertEqual(lead.type, "opportunity")
            self.assertEqual(
                lead.sm_checkpoint_ids.type_id,
                self.presentation | self.proposal | self.contract,
            )

    def test_existing_opportunities_get_checkpoints_at_install(self):
        lead = self._opportunity()
        self.env.cr.execute(
            "DELETE FROM motivation_checkpoint WHERE lead_id = %s", (lead.id,)
        )
        lead.invalidate_recordset(["sm_checkpoint_ids"])
        post_init_hook(self.env)
        self.assertEqual(len(lead.sm_checkpoint_ids), 3)
        self.assertFalse(any(lead.sm_checkpoint_ids.mapped("deadline")))

    def test_invalid_type(self):
        with self.assertRaises(ValidationError):
            self.env["motivation.checkpoint.type"].create(
                {"name": "Bad", "deadline_days": -1}
            )
        with self.assertRaises(ValidationError):
            self.env["motivation.checkpoint.type"].create(
                {"name": "Bad", "evidence": "activity"}
            )

    def test_checkpoints_follow_deal_access(self):
        lead = self._opportunity()
        Checkpoint = self.env["motivation.checkpoint"]
        domain = [("lead_id", "=", lead.id)]
        self.assertEqual(len(Checkpoint.with_user(self.user_sam).search(domain)), 3)
        self.assertFalse(Checkpoint.with_user(self.user_sara).search(domain))
        self.assertFalse(Checkpoint.with_user(self.user_will).search(domain))
        with self.assertRaises(AccessError):
            self._cp(lead, self.presentation).with_user(self.user_sara).action_done()

    def test_pool_deal_checkpoints_follow_team_membership(self):
        """A deal in the pool shows its checkpoints to the members of its
        team, from the moment they join it until they leave it."""
        lead = self._opportunity()
        lead.action_release_to_pool()
        Checkpoint = self.env["motivation.checkpoint"].with_user(self.user_will)
        domain = [("lead_id", "=", lead.id)]
        self.assertEqual(len(Checkpoint.with_user(self.user_sara).search(domain)), 3)
        self.assertFalse(Checkpoint.search(domain), "Will is not in East")
        self.team_east.member_ids |= self.user_will
        self.assertEqual(len(Checkpoint.search(domain)), 3)
        self.team_east.member_ids -= self.user_will
        self.assertFalse(Checkpoint.search(domain))


@tagged("post_install", "-at_install")
class TestCheckpointEvidence(CheckpointCommon):
    """A salesperson cannot tick a checkpoint for show: a type asking for
    evidence is done when the evidence is on the deal, else only a team
    leader's waiver closes it."""

    def _as_sam(self, checkpoint):
        return checkpoint.with_user(self.user_sam)

    def test_done_refused_without_a_quotation(self):
        lead = self._opportunity()
        proposal = self._as_sam(self._cp(lead, self.proposal))
        self.assertFalse(proposal.can_mark_done, "no Done button")
        with self.assertRaisesRegex(
            UserError,
            "Commercial proposal needs a quotation sent for this deal; send one, "
            "or ask your team leader to waive it.",
        ):
            proposal.action_done()
        self.assertEqual(proposal.state, "pending")
        # a draft quotation is not a quotation sent
        order = self._quotation(lead, self.user_sam)
        with self.assertRaises(UserError):
            proposal.action_done()
        self.assertEqual(proposal.state, "pending")
        # sending it is the evidence, detected
        order.action_quotation_sent()
        self.assertEqual(proposal.state, "done")
        self.assertEqual(proposal.evidence, order.name)
        self.assertEqual(proposal.done_by_id, self.user_sam)
        # the contract waits for the order confirmed
        contract = self._as_sam(self._cp(lead, self.contract))
        with self.assertRaisesRegex(UserError, "Contract needs a confirmed sale order"):
            contract.action_done()
        self.assertEqual(contract.state, "pending")

    def test_quotation_sent_by_email_marks_it_done(self):
        """Send by Email: the composer posts with mark_so_as_sent."""
        lead = self._opportunity()
        order = self._quotation(lead, self.user_sam)
        order.with_context(mark_so_as_sent=True).message_post(body="Our offer")
        self.assertEqual(order.state, "sent")
        self.assertEqual(self._cp(lead, self.proposal).state, "done")
        self.assertEqual(self._cp(lead, self.proposal).evidence, order.name)

    def test_done_button_when_the_evidence_is_already_there(self):
        """A quotation sent while the deal was still a lead: the
        opportunity's proposal finds it; a refused batch marks nothing."""
        lead = self._create_lead(self.user_sam, self.team_east, type="lead")
        order = self._quotation(lead, self.user_sam)
        order.action_quotation_sent()
        lead.convert_opportunity(False)
        proposal = self._as_sam(self._cp(lead, self.proposal))
        contract = self._as_sam(self._cp(lead, self.contract))
        self.assertEqual(proposal.state, "pending")
        self.assertTrue(proposal.can_mark_done)
        self.assertFalse(contract.can_mark_done)
        with self.assertRaisesRegex(UserError, "Contract needs"):
            (proposal | contract).action_done()
        self.assertEqual(proposal.state, "pending", "nothing is marked")
        proposal.action_done()
        self.assertEqual(proposal.state, "done")
        self.assertEqual(proposal.evidence, order.name)

    @implementation_detail
    def test_evidence_checked_set_wise(self):
        """Many deals' checkpoints at once, the proposal's and the contract's
        together (the deal form shows both): one query for their orders."""
        leads = self.env["crm.lead"]
        for _i in range(5):
            lead = self._create_lead(self.user_sam, self.team_east, type="lead")
            self._quotation(lead).action_quotation_sent()
            leads |= lead
        leads.convert_opportunity(False)
        every = leads.sm_checkpoint_ids.with_user(self.user_sam)
        # the checkpoints and their types read (as the form's list does)
        every.mapped("type_id.activity_type_id")
        every.mapped("res_id")
        self.env.flush_all()
        with self.assertQueryCount(1):  # the deals' orders sent or confirmed
            found = every._evidence_found()
        self.assertEqual(
            set(found), set(every.filtered(lambda c: c.type_id == self.proposal).ids)
        )
        checkpoints = every.filtered(lambda c: c.type_id != self.contract)
        checkpoints.action_done()
        self.assertEqual(set(checkpoints.mapped("state")), {"done"})

    def test_attachment_posted_in_the_chatter_counts(self):
        self.proposal.evidence = "attachment"
        lead, other = self._opportunity(), self._opportunity()
        proposal = self._as_sam(self._cp(lead, self.proposal))
        with self.assertRaisesRegex(UserError, "needs a document attached"):
            proposal.action_done()
        # the chatter uploads to mail.compose.message, the message moves it
        upload = (
            self.env["ir.attachment"]
            .with_user(self.user_sam)
            .create(
                {
                    "name": "offer.pdf",
                    "raw": b"%PDF",
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                }
            )
        )
        lead.with_user(self.user_sam).message_post(
            body="Our offer", attachment_ids=upload.ids
        )
        self.assertEqual(upload.res_model, "crm.lead")
        self.assertEqual(proposal.state, "done")
        self.assertEqual(proposal.evidence, "offer.pdf")
        # the full composer (Send message with an attachment)
        upload = (
            self.env["ir.attachment"]
            .with_user(self.user_sam)
            .create(
                {
                    "name": "offer-2.pdf",
                    "raw": b"%PDF",
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                }
            )
        )
        Composer = (
            self.env["mail.compose.message"]
            .with_user(self.user_sam)
            .with_context(
                default_model="crm.lead",
                default_res_ids=other.ids,
                default_composition_mode="comment",
                default_subtype_xmlid="mail.mt_note",
            )
        )
        with Form(Composer) as composer:
            composer.body = "Offer attached"
            composer.attachment_ids.add(upload)
        composer.record.action_send_mail()
        self.assertEqual(upload.res_model, "crm.lead")
        self.assertEqual(upload.res_id, other.id)
        self.assertEqual(self._cp(other, self.proposal).state, "done")
        self.assertEqual(self._cp(other, self.proposal).evidence, "offer-2.pdf")

    def test_done_activity_of_the_type_counts(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.presentation.write({"evidence": "activity", "activity_type_id": todo.id})
        lead = self._opportunity()
        presentation = self._as_sam(self._cp(lead, self.presentation))
        with self.assertRaisesRegex(UserError, 'needs a done "To-Do" activity'):
            presentation.action_done()
        # an activity of another type proves nothing
        email = lead.activity_schedule(
            "mail.mail_activity_data_email", user_id=self.user_sam.id
        )
        email.with_user(self.user_sam).action_feedback(feedback="Mailed")
        self.assertEqual(presentation.state, "pending")
        self.assertFalse(presentation.can_mark_done)
        activity = lead.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Present the range",
            user_id=self.user_sam.id,
        )
        activity.with_user(self.user_sam).action_feedback(feedback="Presented")
        self.assertEqual(presentation.state, "done")
        self.assertEqual(presentation.evidence, "Present the range")
        # done before the checkpoint existed: its Done button finds it
        lead2 = self._create_lead(self.user_sam, self.team_east, type="lead")
        activity = lead2.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_sam.id
        )
        activity.with_user(self.user_sam).action_feedback(feedback="Presented")
        lead2.convert_opportunity(False)
        presentation2 = self._as_sam(self._cp(lead2, self.presentation))
        self.assertTrue(presentation2.can_mark_done)
        presentation2.action_done()
        self.assertEqual(presentation2.state, "done")
        self.assertEqual(presentation2.evidence, todo.name)

    def test_type_without_evidence_keeps_its_done_button(self):
        lead = self._opportunity()
        presentation = self._as_sam(self._cp(lead, self.presentation))
        self.assertTrue(presentation.can_mark_done)
        presentation.action_done()
        self.assertEqual(presentation.state, "done")
        self.assertEqual(presentation.evidence, "Marked done")
        self.assertFalse(presentation.can_mark_done, "done already")

    def test_only_a_team_leader_waives_an_evidence_type(self):
        lead = self._opportunity()
        proposal = self._cp(lead, self.proposal)
        with self.assertRaises(AccessError):
            proposal.with_user(self.user_sam).action_waive("Sent on paper")
        with self.assertRaises(AccessError):
            self.env["motivation.checkpoint.waive"].with_user(self.user_sam).create(
                {"checkpoint_ids": proposal.ids, "reason": "Sent on paper"}
            )
        self.assertEqual(proposal.state, "pending")
        wizard = Form(
            self.env["motivation.checkpoint.waive"]
            .with_user(self.user_leader_east)
            .with_context(default_checkpoint_ids=proposal.ids)
        )
        wizard.reason = "Proposal sent on paper by the director"
        wizard.save().action_waive()
        self.assertEqual(proposal.state, "waived")
        self.assertEqual(
            proposal.waiver_reason, "Proposal sent on paper by the director"
        )


@tagged("post_install", "-at_install")
class TestCheckpointMixin(TransactionCase):
    """Any document can carry checkpoints: a test-only contract model."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import SmTestContract

        cls.loader.update_registry((SmTestContract,))

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def test_mixin_on_another_model(self):
        cp_type = self.env["motivation.checkpoint.type"].create(
            {"name": "Yearly review", "deadline_days": 30, "deadline_from": "creation"}
        )
        with freeze_time("2027-01-01"):
            contract = self.env["sm.test.contract"].create(
                {"name": "Supply 2027", "type_ids": [(6, 0, cp_type.ids)]}
            )
            contract._sm_sync_checkpoints()
        self.assertEqual(contract.sm_checkpoint_ids.type_id, cp_type)
        self.assertEqual(contract.sm_checkpoint_ids.deadline, date(2027, 1, 31))
        self.assertEqual(contract.sm_checkpoint_status, "on_track")
        with freeze_time("2027-02-01"):
            self.env["motivation.checkpoint"]._cron_mark_overdue()
        self.assertEqual(contract.sm_checkpoint_status, "overdue")
        contract._sm_sync_checkpoints()  # again: nothing new
        self.assertEqual(len(contract.sm_checkpoint_ids), 1)
        contract.type_ids = False
        contract._sm_sync_checkpoints()
        self.assertFalse(contract.sm_checkpoint_ids, "no longer applies")
