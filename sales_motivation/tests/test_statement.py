# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The commission statement (issue 17, item 7): the company's letterhead
and footer data in its body (Debian's wkhtmltopdf prints no header or
footer), numbers in the language of the beneficiary it is for."""

from html import unescape

from odoo.tests import tagged
from odoo.tools.misc import formatLang

from .test_commission import CommissionCommon


@tagged("post_install", "-at_install")
class TestStatement(CommissionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env.company.write(
            {
                "name": "Motivation Test Company",
                "street": "Nevsky prospekt 28",
                "city": "Saint Petersburg",
                "company_registry": "REG-771234",
                "website": "https://motivation.example.com",
                "email": "office@motivation.example.com",
                "phone": "+7 812 555 00 11",
                "report_footer": False,
            }
        )
        cls.user_sam.partner_id.lang = "ru_RU"

    def _statement_html(self, partner, revenue=100000.0):
        lead = self._deal(self.user_sam, self.user_sara, revenue=revenue)
        lead.with_user(self.user_sara).action_set_won()
        lines = self._lines(lead)
        lines.action_approve()
        date = lines[0].date
        settlements = self.env["motivation.settlement"]._settle(
            date.replace(day=1), date
        )
        settlement = settlements.filtered(lambda s: s.partner_id == partner)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "sales_motivation.report_settlement_statement", settlement.ids
        )[0]
        return settlement, unescape(html.decode())

    def test_numbers_in_the_beneficiarys_language(self):
        """Sam reads Russian: "5,00 %" next to "5 000,00", not "5.0 %";
        Sara reads English: "10.00 %" next to "10,000.00"."""
        _settlement, html = self._statement_html(self.user_sam.partner_id)
        env_ru = self.env(context=dict(self.env.context, lang="ru_RU"))
        self.assertIn(f"{formatLang(env_ru, 5.0)}</span> %", html)
        self.assertIn(f'oe_currency_value">{formatLang(env_ru, 5000.0)}<', html)
        self.assertNotIn("5.0 %", html)
        self.assertNotIn("5.00</span> %", html)
        # Sara reads English
        _settlement, html = self._statement_html(self.user_sara.partner_id)
        self.assertIn(f"{formatLang(self.env, 10.0)}</span> %", html)
        self.assertIn(f'oe_currency_value">{formatLang(self.env, 10000.0)}<', html)

    def test_company_block_in_the_body(self):
        _settlement, html = self._statement_html(self.user_sam.partner_id)
        body = html.split('<div class="article"', 1)[1]
        for text in (
            "Motivation Test Company",
            "Nevsky prospekt 28",
            "Saint Petersburg",
            "REG-771234",
            "https://motivation.example.com",
            "office@motivation.example.com",
            "+7 812 555 00 11",
        ):
            with self.subTest(text=text):
                self.assertIn(text, body)
        # not in web.external_layout's header or footer, which Debian's
        # wkhtmltopdf does not print
        self.assertNotIn('class="header', html)
        self.assertNotIn('class="footer', html)

    def test_company_report_footer_when_set(self):
        self.env.company.report_footer = "<p>Bank: Neva Bank, account 4070</p>"
        _settlement, html = self._statement_html(self.user_sam.partner_id)
        self.assertIn("Bank: Neva Bank, account 4070", html)
