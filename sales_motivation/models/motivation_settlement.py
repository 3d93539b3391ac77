# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class MotivationSettlement(models.Model):
    """The approved commission of one beneficiary for one period."""

    _name = "motivation.settlement"
    _inherit = ["mail.thread"]
    _description = "Commission Settlement"
    _order = "date_to desc, id desc"

    name = fields.Char(
        required=True, copy=False, readonly=True, default="/", index="trigram"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Beneficiary", required=True, index=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date_from = fields.Date(required=True, readonly=True)
    date_to = fields.Date(required=True, readonly=True)
    line_ids = fields.One2many(
        "motivation.commission.line", "settlement_id", string="Commission Lines"
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amount_total", store=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("paid", "Paid"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        totals = {
            settlement.id: amount
            for settlement, amount in self.env[
                "motivation.commission.line"
            ]._read_group(
                [("settlement_id", "in", self.ids)], ["settlement_id"], ["amount:sum"]
            )
        }
        for settlement in self:
            settlement.amount_total = totals.get(settlement.id, 0.0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "motivation.settlement"
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        if self.filtered(lambda s: s.state in ("confirmed", "paid")):
            raise UserError(
                self.env._("Confirmed or paid settlements cannot be deleted.")
            )

    def action_confirm(self):
        drafts = self.filtered(lambda s: s.state == "draft")
        drafts.line_ids.write({"state": "settled"})
        drafts.write({"state": "confirmed"})

    def action_pay(self):
        if self.filtered(lambda s: s.state != "confirmed"):
            raise UserError(self.env._("Only confirmed settlements can be paid."))
        self.write({"state": "paid"})

    def action_cancel(self):
        if self.filtered(lambda s: s.state == "paid"):
            raise UserError(self.env._("A paid settlement cannot be cancelled."))
        lines = self.line_ids
        lines.filtered(lambda line: line.state == "settled").write(
            {"state": "approved"}
        )
        lines.write({"settlement_id": False})
        self.write({"state": "cancelled"})

    def action_print_statement(self):
        return self.env.ref(
            "sales_motivation.motivation_settlement_report_statement"
        ).report_action(self)

    @api.model
    def _settle(self, date_from, date_to, companies=None, partners=None):
        """Group the approved, unsettled lines dated up to the end of the
        period into one draft settlement per beneficiary, company and currency
        (lines of earlier periods approved late join the first settlement
        made after their approval); an existing draft settlement of the same
        period takes them. Reruns add nothing: a line joins at most one
        settlement."""
        domain = [
            ("state", "=", "approved"),
            ("settlement_id", "=", False),
            ("date", "<=", date_to),
        ]
        if companies:
            domain.append(("company_id", "in", companies.ids))
        if partners:
            domain.append(("partner_id", "in", partners.ids))
        Line = self.env["motivation.commission.line"]
        groups = Line._read_group(
            domain, ["partner_id", "company_id", "currency_id"], ["id:array_agg"]
        )
        if not groups:
            return self.browse()
        existing = self.search(
            [
                ("state", "=", "draft"),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
                ("partner_id", "in", [g[0].id for g in groups]),
            ]
        )
        by_key = {(s.partner_id, s.company_id, s.currency_id): s for s in existing}
        new_keys = [g[:3] for g in groups if g[:3] not in by_key]
        users = {
            partner: partner.user_ids.filtered(lambda u: not u.share)[:1]
            for partner, _c, _cur in new_keys
        }
        created = self.create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": users[partner].id,
                    "company_id": company.id,
                    "currency_id": currency.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
                for partner, company, currency in new_keys
            ]
        )
        by_key.update({(s.partner_id, s.company_id, s.currency_id): s for s in created})
        for partner, company, currency, line_ids in groups:
            Line.browse(line_ids).write(
                {"settlement_id": by_key[(partner, company, currency)].id}
            )
        return created | existing

    @api.model
    def _cron_settle_previous_month(self):
        # each company's previous month, by its local date
        for company in self.env["res.company"].search([]):
            today = company._sm_local_date()
            date_to = today.replace(day=1) - relativedelta(days=1)
            self._settle(date_to.replace(day=1), date_to, companies=company)
