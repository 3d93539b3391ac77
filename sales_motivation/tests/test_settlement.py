# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .test_commission import CommissionCommon


@tagged("post_install", "-at_install")
class TestSettlement(CommissionCommon):
    def _won(self, registrar, closer, revenue=100000.0, day="2027-03-15"):
        lead = self._deal(registrar, closer, revenue=revenue)
        with freeze_time(day):
            lead.action_set_won()
        self._lines(lead).action_approve()
        return lead

    def _settle(self, date_from, date_to):
        return self.env["motivation.settlement"]._settle(date_from, date_to)

    def test_done_means(self):
        """5% / 10%: Sam registers, Sara closes at 100,000. Sam's statement
        shows 5,000, Sara's 10,000; neither sees the other's money."""
        lead = self._won(self.user_sam, self.user_sara)
        wizard = Form(
            self.env["motivation.settlement.wizard"].with_user(self.user_commission)
        )
        wizard.date_from = date(2027, 3, 1)
        wizard.date_to = date(2027, 3, 31)
        action = wizard.save().action_settle()
        settlements = self.env["motivation.settlement"].search(
            action["params"]["next"]["domain"]
        )
        by_partner = {s.partner_id: s for s in settlements}
        sam, sara = (
            by_partner[self.user_sam.partner_id],
            by_partner[self.user_sara.partner_id],
        )
        self.assertEqual((sam.amount_total, sara.amount_total), (5000.0, 10000.0))
        self.assertEqual(sam.user_id, self.user_sam)
        settlements.with_user(self.user_commission).action_confirm()
        self.assertEqual(set(self._lines(lead).mapped("state")), {"settled"})

        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "sales_motivation.report_settlement_statement", sam.ids
        )
        html = html.decode()
        self.assertIn("5,000.00", html)
        self.assertIn(lead.name, html)
        self.assertIn("Registrar", html)
        self.assertNotIn("10,000.00", html)

        Settlement = self.env["motivation.settlement"]
        self.assertEqual(Settlement.with_user(self.user_sam).search([]), sam)
        self.assertEqual(Settlement.with_user(self.user_sara).search([]), sara)
        with self.assertRaises(AccessError):
            sara.with_user(self.user_sam).read(["amount_total"])
        with self.assertRaises(AccessError):
            sam.with_user(self.user_sam).action_pay()
        # the team leader follows both
        self.assertEqual(
            Settlement.with_user(self.user_leader_east).search(
                [("id", "in", settlements.ids)]
            ),
            settlements,
        )

    def test_settle_twice_creates_nothing_more(self):
        self._won(self.user_sam, self.user_sara)
        first = self._settle(date(2027, 3, 1), date(2027, 3, 31))
        second = self._settle(date(2027, 3, 1), date(2027, 3, 31))
        self.assertEqual(len(first), 2)
        self.assertFalse(second)
        self.assertEqual(
            self.env["motivation.settlement"].search_count(
                [("date_from", "=", date(2027, 3, 1))]
            ),
            2,
        )

    def test_cron_settles_previous_month_once(self):
        self._won(self.user_sam, self.user_sara, day="2027-03-15")
        Settlement = self.env["motivation.settlement"]
        with freeze_time("2027-04-01 02:00:00"):
            Settlement._cron_settle_previous_month()
            Settlement._cron_settle_previous_month()
        settlements = Settlement.search([("date_to", "=", date(2027, 3, 31))])
        self.assertEqual(len(settlements), 2)
        self.assertEqual(sum(settlements.mapped("amount_total")), 15000.0)

    def test_late_approval_joins_next_settlement(self):
        lead = self._deal(self.user_sam, self.user_sara)
        with freeze_time("2027-03-15"):
            lead.action_set_won()
        self.assertFalse(self._settle(date(2027, 3, 1), date(2027, 3, 31)))
        self._lines(lead).action_approve()
        april = self._settle(date(2027, 4, 1), date(2027, 4, 30))
        self.assertEqual(sum(april.mapped("amount_total")), 15000.0)

    def test_settled_line_is_locked_and_reversed(self):
        lead = self._won(self.user_sam, self.user_sara)
        march = self._settle(date(2027, 3, 1), date(2027, 3, 31))
        march.action_confirm()
        closer = self._lines(lead, role="closer")
        with self.assertRaises(UserError):
            closer.write({"amount": 1.0})
        with self.assertRaises(UserError):
            closer.unlink()
        with self.assertRaisesRegex(UserError, "archive them instead"):
            lead.unlink()
        # the deal is lost after its commission was settled
        with freeze_time("2027-04-10"):
            lead.action_set_lost()
        self.assertEqual(closer.amount, 10000.0)
        self.assertEqual(closer.state, "settled")
        reversal = self._lines(lead, role="closer", line_type="adjustment")
        self.assertEqual(reversal.amount, -10000.0)
        self.assertEqual(reversal.origin_line_id, closer)
        self.assertEqual(reversal.date, date(2027, 4, 10))
        reversal.action_approve()
        self._lines(lead, role="registrar", line_type="adjustment").action_approve()
        april = self._settle(date(2027, 4, 1), date(2027, 4, 30))
        self.assertEqual(sorted(april.mapped("amount_total")), [-10000.0, -5000.0])

    def test_base_change_after_settlement_gets_difference(self):
        lead = self._won(self.user_sam, self.user_sara)
        self._settle(date(2027, 3, 1), date(2027, 3, 31)).action_confirm()
        lead.expected_revenue = 110000.0
        diff = self._lines(lead, role="closer", line_type="adjustment")
        self.assertEqual(diff.amount, 1000.0)
        self.assertEqual(diff.base_amount, 110000.0)
        lead.expected_revenue = 120000.0
        self.assertEqual(diff.amount, 2000.0, "the open difference line follows")
        self.assertEqual(
            len(self._lines(lead, role="closer", line_type="adjustment")), 1
        )

    def test_cancel_settlement_frees_lines(self):
        lead = self._won(self.user_sam, self.user_sara)
        settlements = self._settle(date(2027, 3, 1), date(2027, 3, 31))
        settlements.action_confirm()
        settlements.action_cancel()
        lines = self._lines(lead)
        self.assertEqual(set(lines.mapped("state")), {"approved"})
        self.assertFalse(lines.settlement_id)
        again = self._settle(date(2027, 3, 1), date(2027, 3, 31))
        self.assertEqual(len(again), 2)
        again.action_confirm()
        again.action_pay()
        with self.assertRaises(UserError):
            again.action_cancel()

    def test_report_totals_equal_lines(self):
        self._won(self.user_sam, self.user_sara, revenue=1000.0)
        self._won(self.user_sara, self.user_sam, revenue=3000.0)
        Line = self.env["motivation.commission.line"]
        domain = [
            ("lead_id.team_id", "=", self.team_east.id),
            ("state", "!=", "cancelled"),
        ]
        groups = Line.read_group(
            domain, ["amount:sum"], ["partner_id", "role"], lazy=False
        )
        lines = Line.search(domain)
        for group in groups:
            partner_id, role = group["partner_id"][0], group["role"]
            expected = sum(
                lines.filtered(
                    lambda line, p=partner_id, r=role: line.partner_id.id == p
                    and line.role == r
                ).mapped("amount")
            )
            self.assertEqual(group["amount"], expected)
        self.assertEqual(sum(g["amount"] for g in groups), 600.0)


@tagged("post_install", "-at_install")
class TestSettlementWizard(CommissionCommon):
    """The commission administrator's Settle Commission wizard says what it
    settles, and why nothing when nothing."""

    def _won_approved(self, day):
        lead = self._deal(self.user_sam, self.user_sara)
        with freeze_time(day):
            lead.action_set_won()
        lines = self._lines(lead)
        lines.action_approve()
        return lines

    def _wizard(self, **values):
        wizard = Form(
            self.env["motivation.settlement.wizard"].with_user(self.user_commission)
        )
        for name, value in values.items():
            setattr(wizard, name, value)
        return wizard

    def test_defaults_to_previous_month_with_approved_lines(self):
        self._won_approved("2027-03-15")
        with freeze_time("2027-04-10"):
            wizard = self._wizard()
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2027, 3, 1), date(2027, 3, 31))
        )
        self.assertEqual(wizard.line_count, 2)
        self.assertIn("2 approved commission lines of 2 beneficiaries", wizard.summary)

    def test_defaults_to_this_month_when_only_it_has_approved_lines(self):
        self._won_approved("2027-04-03")
        with freeze_time("2027-04-10"):
            wizard = self._wizard()
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2027, 4, 1), date(2027, 4, 30))
        )
        self.assertEqual(wizard.line_count, 2)

    def test_nothing_to_settle_says_why(self):
        """March: one deal's lines still draft, another's settled already;
        approved lines wait in April."""
        draft = self._deal(self.user_sam, self.user_sara)
        with freeze_time("2027-03-20"):
            draft.action_set_won()
        settled = self._won_approved("2027-03-05")
        march = self.env["motivation.settlement"]._settle(
            date(2027, 3, 1), date(2027, 3, 31)
        )
        self._won_approved("2027-04-02")
        with freeze_time("2027-04-10"):
            wizard = self._wizard(date_from=date(2027, 3, 1), date_to=date(2027, 3, 31))
        self.assertEqual(wizard.line_count, 0)
        with self.assertRaises(UserError) as refused:
            wizard.save().action_settle()
        message = str(refused.exception)
        self.assertEqual(message, wizard.summary)
        self.assertIn("Nothing to settle for March 2027", message)
        self.assertIn("2 lines of this period are still to approve", message)
        self.assertIn("2 lines of this period are already in settlements", message)
        for name in march.mapped("name"):
            self.assertIn(name, message)
        self.assertIn("2 approved lines are dated April 2027", message)
        self.assertEqual(settled.settlement_id, march)
        self.assertEqual(
            self.env["motivation.settlement"].search_count(
                [("date_from", "=", date(2027, 3, 1))]
            ),
            len(march),
            "nothing made",
        )

    def test_settling_says_what_it_did(self):
        self._won_approved("2027-03-15")
        with freeze_time("2027-04-10"):
            action = self._wizard().save().action_settle()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"]["message"],
            "2 approved commission lines settled in 2 draft settlements for "
            "March 2027: check and confirm them.",
        )
        settlements = self.env["motivation.settlement"].search(
            action["params"]["next"]["domain"]
        )
        self.assertEqual(sorted(settlements.mapped("amount_total")), [5000.0, 10000.0])

    def test_says_it_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        with freeze_time("2027-04-10"):
            wizard = Form(
                self.env["motivation.settlement.wizard"]
                .with_user(self.user_commission)
                .with_context(lang="ru_RU")
            )
        self.assertIn("март 2027", wizard.summary)


@tagged("post_install", "-at_install")
class TestCommissionTours(HttpCase, CommissionCommon):
    """Commission in Chromium, as its users (static/tests/tours/
    commission_tour.js): Sam registered a deal Sara won at 100,000 today."""

    def setUp(self):
        super().setUp()
        self.lead = self._deal(self.user_sam, self.user_sara, name="Commission deal")
        self.lead.action_set_won()
        self._lines(self.lead).action_approve()

    def test_salesperson_opens_their_commission(self):
        self.start_tour("/odoo", "sales_motivation_my_commission", login="sm_sam")

    def test_administrator_settles_and_prints(self):
        wizard = Form(
            self.env["motivation.settlement.wizard"].with_user(self.user_commission)
        )
        self.assertEqual(wizard.line_count, 2, "only this test's lines wait")
        self.start_tour("/odoo", "sales_motivation_settle_and_print", login="sm_carla")
        settlements = self._lines(self.lead).settlement_id
        self.assertRecordValues(
            settlements.sorted("amount_total"),
            [
                {"partner_id": self.user_sam.partner_id.id, "state": "confirmed"},
                {"partner_id": self.user_sara.partner_id.id, "state": "draft"},
            ],
        )
