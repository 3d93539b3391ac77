# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SalesMotivationCommon

# Friday 5 March 2027, 16:30 in Berlin (CET, UTC+1): 15:30 UTC
FRIDAY_1630_BERLIN = datetime(2027, 3, 5, 15, 30)
# Monday 8 March 2027, 9:30 in Berlin: 8:30 UTC
MONDAY_0930_BERLIN = datetime(2027, 3, 8, 8, 30)


def office_hours(name, tz):
    """8:00-12:00 and 13:00-17:00, Monday to Friday, in ``tz``."""
    return {
        "name": name,
        "tz": tz,
        "attendance_ids": [Command.clear()]
        + [
            Command.create(
                {
                    "name": f"{day} {period}",
                    "dayofweek": str(day),
                    "hour_from": hour_from,
                    "hour_to": hour_to,
                    "day_period": period,
                }
            )
            for day in range(5)
            for period, hour_from, hour_to in (
                ("morning", 8, 12),
                ("afternoon", 13, 17),
            )
        ],
    }


class ResponseCommon(SalesMotivationCommon):
    """Team East counts in Berlin's office hours, West in Tokyo's; both give
    two working hours for the first response."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Calendar = cls.env["resource.calendar"]
        cls.berlin = Calendar.create(office_hours("Berlin office", "Europe/Berlin"))
        cls.tokyo = Calendar.create(office_hours("Tokyo office", "Asia/Tokyo"))
        cls.team_east.write(
            {"sm_response_hours": 2, "sm_resource_calendar_id": cls.berlin.id}
        )
        cls.team_west.write(
            {
                "sm_response_hours": 2,
                "sm_resource_calendar_id": cls.tokyo.id,
            }
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Client", "email": "buyer@client.example"}
        )
        cls.Response = cls.env["motivation.response"]
        cls.result_reached = cls.env["motivation.interaction.result"].search(
            [("reached", "=", True)], limit=1
        )

    def _request(self, when=FRIDAY_1630_BERLIN, user=None, team=None, **vals):
        with freeze_time(when):
            return self._create_lead(
                user or self.user_sam,
                team or self.team_east,
                partner_id=self.client.id,
                **vals,
            )

    def _cron(self, when):
        with freeze_time(when):
            self.Response._cron_escalate()

    def _log_call(self, lead, user, when):
        with freeze_time(when):
            return (
                self.env["motivation.interaction"]
                .with_user(user)
                .create(
                    {
                        "lead_id": lead.id,
                        "contact_name": "Buyer",
                        "contact_phone": "+49 30 1234567",
                        "result_id": self.result_reached.id,
                        "topic": "Their request",
                        "date": when,
                    }
                )
            )


@tagged("post_install", "-at_install")
class TestResponseDeadlines(ResponseCommon):
    """A request assigned to a salesperson is due its first response within
    the team's working hours; what answers it; reassignments."""

    def test_friday_afternoon_due_monday_morning(self):
        """16:30 on a Friday, two working hours, 8-12 and 13-17: half an hour
        on Friday, one and a half on Monday: due at 9:30 on Monday."""
        lead = self._request()
        self.assertEqual(lead.sm_response_deadline, MONDAY_0930_BERLIN)
        self.assertEqual(lead.sm_response_state, "pending")
        self.assertFalse(lead.sm_first_response_date)

    def test_public_holiday_is_not_working_time(self):
        """The Monday is a public holiday (a global leave): due on Tuesday."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.berlin.id,
                "date_from": datetime(2027, 3, 7, 23, 0),
                "date_to": datetime(2027, 3, 8, 22, 59, 59),
            }
        )
        lead = self._request()
        self.assertEqual(lead.sm_response_deadline, MONDAY_0930_BERLIN + timedelta(1))

    def test_lunch_break_and_other_time_zone(self):
        """Tokyo's team counts in Tokyo's hours: 11:30 local plus two hours
        is 14:30 (the lunch hour does not count); Friday 16:30 in Tokyo is
        due on Monday 9:30 in Tokyo (0:30 UTC), while the same moment in
        Berlin is Friday 8:30, due 10:30."""
        # 11:30 in Tokyo = 2:30 UTC
        lead = self._request(
            datetime(2027, 3, 3, 2, 30), self.user_will, self.team_west
        )
        self.assertEqual(lead.sm_response_deadline, datetime(2027, 3, 3, 5, 30))
        friday_tokyo = datetime(2027, 3, 5, 7, 30)
        tokyo = self._request(friday_tokyo, self.user_will, self.team_west)
        berlin = self._request(friday_tokyo)
        self.assertEqual(tokyo.sm_response_deadline, datetime(2027, 3, 8, 0, 30))
        self.assertEqual(berlin.sm_response_deadline, datetime(2027, 3, 5, 9, 30))

    def test_no_deadline_when_the_team_sets_none(self):
        self.team_east.sm_response_hours = 0
        lead = self._request()
        self.assertFalse(lead.sm_response_state)
        self.assertFalse(lead.sm_response_ids)

    def test_a_call_logged_in_time_answers_it(self):
        """Sam logs a call on Monday at 9:00, as himself: on time."""
        lead = self._request()
        self._log_call(lead, self.user_sam, datetime(2027, 3, 8, 8, 0))
        self.assertEqual(lead.sm_response_state, "on_time")
        self.assertEqual(lead.sm_first_response_date, datetime(2027, 3, 8, 8, 0))
        self.assertEqual(lead.sm_response_ids.response_kind, "interaction")

    def test_another_salespersons_call_does_not_answer_it(self):
        lead = self._request()
        # Lena leads the team: she may log on Sam's deal
        self._log_call(lead, self.user_leader_east, datetime(2027, 3, 8, 8, 0))
        self.assertEqual(lead.sm_response_state, "pending")

    def test_missed_then_answered_late(self):
        lead = self._request()
        self._cron(MONDAY_0930_BERLIN - timedelta(minutes=1))
        self.assertEqual(lead.sm_response_state, "pending")
        self._cron(MONDAY_0930_BERLIN + timedelta(minutes=1))
        self.assertEqual(lead.sm_response_state, "missed")
        self._log_call(lead, self.user_sam, datetime(2027, 3, 8, 12, 0))
        self.assertEqual(lead.sm_response_state, "late")
        self.assertEqual(lead.sm_first_response_date, datetime(2027, 3, 8, 12, 0))

    def test_email_to_the_client_from_the_chatter_answers_it(self):
        """A message to the client answers; an internal note does not."""
        lead = self._request()
        with freeze_time(datetime(2027, 3, 8, 7, 0)):
            lead.with_user(self.user_sam).message_post(
                body="Internal: call them back", message_type="comment"
            )
        self.assertEqual(lead.sm_response_state, "pending")
        with freeze_time(datetime(2027, 3, 8, 7, 15)):
            lead.with_user(self.user_sam).message_post(
                body="Here is our offer",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.client.ids,
            )
        self.assertEqual(lead.sm_response_state, "on_time")
        self.assertEqual(lead.sm_response_ids.response_kind, "email")
        self.assertEqual(lead.sm_first_response_date, datetime(2027, 3, 8, 7, 15))

    def test_quotation_sent_answers_it(self):
        lead = self._request()
        with freeze_time(datetime(2027, 3, 8, 7, 45)):
            order = (
                self.env["sale.order"]
                .with_user(self.user_sam)
                .create({"partner_id": self.client.id, "opportunity_id": lead.id})
            )
            order.action_quotation_sent()
        self.assertEqual(lead.sm_response_state, "on_time")
        self.assertEqual(lead.sm_response_ids.response_kind, "quotation")

    def test_reassignment_keeps_the_previous_miss(self):
        """Sam missed; the deal goes to Sara: Sam keeps his miss, Sara gets
        her own deadline from the reassignment."""
        lead = self._request()
        self._cron(MONDAY_0930_BERLIN + timedelta(minutes=5))
        with freeze_time(datetime(2027, 3, 8, 9, 0)):  # 10:00 in Berlin
            lead.with_user(self.user_leader_east).user_id = self.user_sara
        sam, sara = lead.sm_response_ids.sorted("id")
        self.assertRecordValues(
            sam | sara,
            [
                {
                    "user_id": self.user_sam.id,
                    "state": "missed",
                    "current": False,
                    "deadline": MONDAY_0930_BERLIN,
                },
                {
                    "user_id": self.user_sara.id,
                    "state": "pending",
                    "current": True,
                    "deadline": datetime(2027, 3, 8, 11, 0),
                },
            ],
        )
        self.assertEqual(lead.sm_response_state, "pending")
        # Sara answers in time: Sam's miss stays his
        self._log_call(lead, self.user_sara, datetime(2027, 3, 8, 10, 0))
        self.assertEqual(sara.state, "on_time")
        self.assertEqual(sam.state, "missed")

    def test_reassignment_before_the_deadline_withdraws(self):
        lead = self._request()
        with freeze_time(datetime(2027, 3, 8, 7, 0)):
            lead.user_id = self.user_sara
        sam = lead.sm_response_ids.filtered(lambda r: r.user_id == self.user_sam)
        self.assertEqual(sam.state, "withdrawn")
        with freeze_time(datetime(2027, 3, 8, 7, 5)):
            lead.action_release_to_pool(reason="Too busy")
        self.assertFalse(lead.sm_response_state)
        self.assertFalse(lead.sm_response_ids.filtered("current"))

    def test_claim_from_the_pool_starts_a_deadline(self):
        lead = self._create_lead(False, self.team_east, in_pool=True)
        self.assertFalse(lead.sm_response_ids)
        with freeze_time(datetime(2027, 3, 8, 9, 0)):
            lead.with_user(self.user_sara).action_claim()
        self.assertEqual(lead.sm_response_ids.user_id, self.user_sara)
        self.assertEqual(lead.sm_response_deadline, datetime(2027, 3, 8, 11, 0))

    def test_salesperson_reads_only_their_responses(self):
        lead = self._request()
        with freeze_time(datetime(2027, 3, 8, 9, 0)):
            lead.user_id = self.user_sara
        Response = self.Response.with_user(self.user_sam)
        self.assertEqual(Response.search([]).user_id, self.user_sam)
        leader = self.Response.with_user(self.user_leader_east).search([])
        self.assertEqual(len(leader), 2)
        self.assertFalse(self.Response.with_user(self.user_will).search([]))


@tagged("post_install", "-at_install")
class TestResponseLedger(ResponseCommon):
    """Requests on time, the plans' metric: each first response that fell
    due is one row of the salesperson it was assigned to, 100 in time, 0
    late or missed."""

    def _rows(self, lead):
        return self.env["motivation.achievement"].search(
            [
                ("metric", "=", "requests_on_time"),
                ("res_model", "=", "motivation.response"),
                ("lead_id", "=", lead.id),
            ],
            order="id",
        )

    def _on_time(self, user, day):
        company = self.env.company
        return self.env["motivation.achievement"]._totals(
            user, ["requests_on_time"], day, day, company
        )[(user, "requests_on_time")]

    def test_answered_in_time_counts_100_on_its_day(self):
        lead = self._request()
        self.assertFalse(self._rows(lead), "pending: nothing fell due yet")
        self._log_call(lead, self.user_sam, datetime(2027, 3, 8, 8, 0))
        self.assertRecordValues(
            self._rows(lead),
            [
                {
                    "user_id": self.user_sam.id,
                    "value": 100.0,
                    "item_count": 1,
                    "date": date(2027, 3, 8),
                }
            ],
        )
        self.assertEqual(self._on_time(self.user_sam, date(2027, 3, 8)), 100.0)

    def test_missed_then_late_stays_one_miss(self):
        """Missed on Monday; answered late the same day: still one item,
        worth 0, on the day it was due."""
        lead = self._request()
        self._cron(MONDAY_0930_BERLIN + timedelta(minutes=1))
        self._log_call(lead, self.user_sam, datetime(2027, 3, 8, 12, 0))
        self.assertEqual(lead.sm_response_state, "late")
        self.assertRecordValues(
            self._rows(lead),
            [{"user_id": self.user_sam.id, "value": 0.0, "item_count": 1}],
        )
        self.assertEqual(self._rows(lead).date, date(2027, 3, 8))

    def test_reassignment_keeps_the_miss_and_counts_the_new_answer(self):
        lead = self._request()
        self._cron(MONDAY_0930_BERLIN + timedelta(minutes=5))
        with freeze_time(datetime(2027, 3, 8, 9, 0)):
            lead.with_user(self.user_leader_east).user_id = self.user_sara
        self._log_call(lead, self.user_sara, datetime(2027, 3, 8, 10, 0))
        day = date(2027, 3, 8)
        self.assertEqual(self._on_time(self.user_sam, day), 0.0)
        self.assertEqual(self._on_time(self.user_sara, day), 100.0)
        self.assertEqual(len(self._rows(lead)), 2)

    def test_withdrawn_counts_for_nobody(self):
        lead = self._request()
        with freeze_time(datetime(2027, 3, 8, 7, 0)):
            lead.user_id = self.user_sara
        self.assertFalse(self._rows(lead))

    def test_deleted_deal_reverses_its_rows(self):
        lead = self._request()
        self._log_call(lead, self.user_sam, datetime(2027, 3, 8, 8, 0))
        rows = self._rows(lead)
        lead.sudo().unlink()
        self.assertEqual(
            sum(
                self.env["motivation.achievement"]
                .search(
                    [
                        ("metric", "=", "requests_on_time"),
                        ("user_id", "=", self.user_sam.id),
                        ("res_id", "in", rows.mapped("res_id")),
                    ]
                )
                .mapped("item_count")
            ),
            0,
        )


@tagged("post_install", "-at_install")
class TestResponseEscalation(ResponseCommon):
    """The pool rule "no first response within N working hours": warned some
    minutes before, then acted on, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["motivation.pool.rule"].create(
            {
                "name": "Answer fast",
                "team_ids": [Command.set(cls.team_east.ids)],
                "trigger": "no_response",
                "response_hours": 3,
                "warning_minutes": 30,
                "action": "reassign",
            }
        )

    def test_warned_then_reassigned_once(self):
        """Three working hours after Friday 16:30 is Monday 10:30 (9:30 UTC);
        warned at 10:00, reassigned to Sara at 10:30; running twice changes
        nothing."""
        lead = self._request()
        response = lead.sm_response_ids
        self.assertEqual(response.escalate_at, datetime(2027, 3, 8, 9, 30))
        self.assertEqual(response.warn_at, datetime(2027, 3, 8, 9, 0))
        self._cron(datetime(2027, 3, 8, 8, 59))
        self.assertFalse(lead.activity_ids)
        for _run in range(2):
            self._cron(datetime(2027, 3, 8, 9, 0))
        warning = lead.activity_ids
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.user_id, self.user_sam)
        self.assertIn("Answer fast", warning.summary)
        self.assertEqual(lead.user_id, self.user_sam)
        for _run in range(2):
            self._cron(datetime(2027, 3, 8, 9, 31))
        self.assertEqual(lead.user_id, self.user_sara)
        self.assertFalse(warning.exists())
        transfers = self.env["motivation.transfer"].search([("lead_id", "=", lead.id)])
        self.assertRecordValues(
            transfers,
            [
                {
                    "kind": "reassign",
                    "from_user_id": self.user_sam.id,
                    "to_user_id": self.user_sara.id,
                    "rule_id": self.rule.id,
                }
            ],
        )
        self.assertIn("no first response within 3 working hours", transfers.reason)
        sam, sara = lead.sm_response_ids.sorted("id")
        self.assertEqual(sam.state, "missed")
        self.assertEqual(sam.escalated_at, datetime(2027, 3, 8, 9, 31))
        self.assertEqual(sara.state, "pending")
        self.assertEqual(sara.assigned_at, datetime(2027, 3, 8, 9, 31))

    def test_interrupted_then_rerun_acts_once(self):
        """The run dies while moving the deal: its transaction is rolled back
        whole (nothing marked escalated), and the next run moves it once."""
        lead = self._request()
        self._cron(datetime(2027, 3, 8, 9, 0))
        Rule = type(self.env["motivation.pool.rule"])
        with (
            patch.object(Rule, "_act", side_effect=RuntimeError("killed")),
            self.assertRaises(RuntimeError),
            self.env.cr.savepoint(),
        ):
            self._cron(datetime(2027, 3, 8, 9, 31))
        self.env.invalidate_all()
        self.assertEqual(lead.user_id, self.user_sam)
        self.assertFalse(lead.sm_response_ids.escalated_at)
        self._cron(datetime(2027, 3, 8, 9, 32))
        self._cron(datetime(2027, 3, 8, 9, 33))
        self.assertEqual(lead.user_id, self.user_sara)
        self.assertEqual(
            self.env["motivation.transfer"].search_count([("lead_id", "=", lead.id)]),
            1,
        )

    def test_answer_after_the_warning_stops_the_escalation(self):
        lead = self._request()
        self._cron(datetime(2027, 3, 8, 9, 5))
        self.assertTrue(lead.activity_ids)
        self._log_call(lead, self.user_sam, datetime(2027, 3, 8, 9, 10))
        self.assertFalse(lead.activity_ids)
        self._cron(datetime(2027, 3, 8, 12, 0))
        self.assertEqual(lead.user_id, self.user_sam)
        self.assertEqual(lead.sm_response_state, "late")

    def test_cron_down_still_warns_before_acting(self):
        """The scheduler was stopped over the warning: it warns first and
        acts the warning's minutes later."""
        lead = self._request()
        self._cron(datetime(2027, 3, 8, 11, 0))
        self.assertEqual(lead.user_id, self.user_sam)
        self.assertEqual(len(lead.activity_ids), 1)
        self._cron(datetime(2027, 3, 8, 11, 31))
        self.assertEqual(lead.user_id, self.user_sara)

    def test_release_and_alert(self):
        self.rule.action = "release"
        released = self._request()
        self._cron(datetime(2027, 3, 8, 9, 5))
        self._cron(datetime(2027, 3, 8, 9, 35))
        self.assertTrue(released.in_pool)
        self.assertFalse(released.user_id)
        # the miss stays visible on the deal in the pool
        self.assertEqual(released.sm_response_state, "missed")
        self.rule.action = "alert"
        alerted = self._request(datetime(2027, 3, 8, 9, 40))
        due = alerted.sm_response_ids.escalate_at
        self._cron(alerted.sm_response_ids.warn_at)
        self._cron(due + timedelta(minutes=1))
        self._cron(due + timedelta(minutes=2))
        self.assertEqual(alerted.user_id, self.user_sam)
        alerts = alerted.activity_ids.filtered(
            lambda a: a.user_id == self.user_leader_east
        )
        self.assertEqual(len(alerts), 1)

    def test_protected_deal_is_not_escalated(self):
        lead = self._request(sm_protected=True)
        self._cron(datetime(2027, 3, 8, 9, 5))
        self._cron(datetime(2027, 3, 8, 9, 35))
        self.assertEqual(lead.user_id, self.user_sam)
        self.assertFalse(lead.activity_ids)
        self.assertFalse(lead.sm_response_ids.next_check)

    def test_rule_created_later_escalates_open_requests(self):
        self.rule.active = False
        lead = self._request()
        self.assertFalse(lead.sm_response_ids.rule_id)
        self.rule.active = True
        self.assertEqual(lead.sm_response_ids.rule_id, self.rule)
        self.assertEqual(lead.sm_response_ids.escalate_at, datetime(2027, 3, 8, 9, 30))

    def test_nothing_due_costs_one_query(self):
        self._request()
        self.env.flush_all()
        with freeze_time(datetime(2027, 3, 8, 7, 0)), self.assertQueryCount(1):
            self.Response._cron_escalate()

    def test_daily_rules_cron_leaves_it_alone(self):
        lead = self._request()
        with freeze_time(datetime(2027, 3, 20)):
            self.env["motivation.pool.rule"]._cron_apply_rules()
        self.assertEqual(lead.user_id, self.user_sam)

    def test_warning_in_the_salespersons_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_motivation"], ["ru_RU"], overwrite=True
        )
        self.user_sam.lang = "ru_RU"
        lead = self._request()
        self._cron(datetime(2027, 3, 8, 9, 0))
        self.assertIn("Первого ответа ещё нет", lead.activity_ids.summary)
        self.assertIn("Answer fast", lead.activity_ids.summary)


@tagged("post_install", "-at_install")
class TestResponseAssignment(ResponseCommon):
    """Every way a deal reaches a salesperson starts their deadline, set-wise."""

    def _incoming(self, count, when=FRIDAY_1630_BERLIN):
        with freeze_time(when):
            return self.env["crm.lead"].create(
                [
                    {
                        "name": f"Inbound {i}",
                        "type": "lead",
                        "team_id": self.team_east.id,
                        "user_id": False,
                        "registrar_id": False,
                    }
                    for i in range(count)
                ]
            )

    def test_odoo_lead_assignment(self):
        """Odoo's own assignment converts and assigns the leads one by one;
        their responses are decided at its end, all at once."""
        self._incoming(6)
        self.team_east.crm_team_member_ids.assignment_max = 90  # 3 a day
        with freeze_time(FRIDAY_1630_BERLIN):
            _teams, members = self.team_east._action_assign_leads(
                force_quota=True, creation_delta_days=0
            )
        assigned = self.env["crm.lead"].concat(
            *(data["assigned"] for data in members.values())
        )
        self.assertEqual(len(assigned), 6)
        self.assertEqual(set(assigned.mapped("sm_response_state")), {"pending"})
        self.assertEqual(
            set(assigned.mapped("sm_response_deadline")), {MONDAY_0930_BERLIN}
        )
        self.assertEqual(
            assigned.sm_response_ids.mapped("user_id"), assigned.mapped("user_id")
        )
        self.assertEqual(len(assigned.sm_response_ids), 6)

    def test_fair_distribution(self):
        self.team_east.sm_fair_distribution = True
        leads = self._incoming(4)
        with freeze_time(FRIDAY_1630_BERLIN):
            self.env["crm.team"]._cron_distribute_leads()
        self.assertEqual(leads.sm_response_ids.user_id, self.user_sam | self.user_sara)
        self.assertEqual(set(leads.mapped("sm_response_state")), {"pending"})

    def test_queries_do_not_grow_with_the_leads(self):
        """Deciding the responses of 20 newly assigned deals costs the
        queries of 5."""
        counts = []
        for size in (2, 5, 20):  # the first run warms the caches up
            leads = self._incoming(size)
            # assigned without the ORM's write: only the decision is counted
            leads._write({"user_id": self.user_sam.id})
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time(FRIDAY_1630_BERLIN):
                leads._sm_response_update()
                self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(leads.sm_response_ids), size)
        self.assertEqual(counts[1], counts[2], counts)
