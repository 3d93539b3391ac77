# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .sql import lock_query, lock_rows


class MotivationSettlement(models.Model):
    """The approved commission of one beneficiary for one period."""

    _name = "motivation.settlement"
    _inherit = ["mail.thread"]
    _description = "Commission Settlement"
    _order = "date_to desc, id desc"
    # approved lines settled per call of the monthly cron: about a second
    _settle_batch_size = 10000

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

    _sql_constraints = [
        (
            "one_draft_per_period",
            "EXCLUDE USING btree (partner_id WITH =, company_id WITH =, "
            "currency_id WITH =, date_from WITH =, date_to WITH =) "
            "WHERE (state = 'draft')",
            "A beneficiary has one draft settlement per period, company and "
            "currency: the approved commission lines are added to it.",
        )
    ]

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
        settlement.

        All the lines at once (the *Settle Commission* wizard): they are
        locked first, waiting for a cron batch holding some of them; when that
        batch settled some meanwhile, PostgreSQL refuses (a serialization
        failure) and Odoo runs the request again, on the new state."""
        domain = self._settle_domain(date_to, companies, partners)
        Line = self.env["motivation.commission.line"]
        Line.flush_model()
        line_ids = lock_query(
            self.env.cr, Line._search(domain, order="id"), skip_locked=False
        )
        settlements, _done = self._settle_lines(
            Line.browse(line_ids), date_from, date_to, wait=True
        )
        return settlements

    @api.model
    def _settle_domain(self, date_to, companies=None, partners=None):
        domain = [
            ("state", "=", "approved"),
            ("settlement_id", "=", False),
            ("date", "<=", date_to),
        ]
        if companies:
            domain.append(("company_id", "in", companies.ids))
        if partners:
            domain.append(("partner_id", "in", partners.ids))
        return domain

    @api.model
    def _settle_lines(self, lines, date_from, date_to, wait=False):
        """Put ``lines`` (locked by the caller) into the draft settlements of
        the period, made when missing. Returns (the settlements, the number
        of lines settled).

        Two runs at once: the drafts the lines join are locked, and so are the
        beneficiaries of the drafts to make. A cron batch (``wait`` false)
        leaves the lines of a draft or beneficiary another transaction holds
        to its next batch; the wizard waits. The constraint
        one_draft_per_period stops what slips through (a draft made and
        committed between the start of this transaction and its lock)."""
        if not lines:
            return self.browse(), 0
        Line = self.env["motivation.commission.line"]
        cr = self.env.cr
        groups = Line._read_group(
            [("id", "in", lines.ids)],
            ["partner_id", "company_id", "currency_id"],
            ["id:array_agg"],
        )
        existing = self.search(
            [
                ("state", "=", "draft"),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
                ("partner_id", "in", [g[0].id for g in groups]),
            ]
        )
        existing = self.browse(
            lock_rows(cr, self._table, existing.ids, skip_locked=not wait)
        )
        by_key = {(s.partner_id, s.company_id, s.currency_id): s for s in existing}
        new_keys = [g[:3] for g in groups if g[:3] not in by_key]
        # a draft is made by one transaction at a time: the one holding its
        # beneficiary (the partner's row, locked for the batch)
        beneficiaries = set(
            lock_rows(
                cr,
                "res_partner",
                {partner.id for partner, _c, _cur in new_keys},
                skip_locked=not wait,
            )
        )
        new_keys = [key for key in new_keys if key[0].id in beneficiaries]
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
        settlements, done = self.browse(), 0
        for partner, company, currency, line_ids in groups:
            settlement = by_key.get((partner, company, currency))
            if settlement:
                Line.browse(line_ids).write({"settlement_id": settlement.id})
                settlements |= settlement
                done += len(line_ids)
        return settlements, done

    @api.model
    def _cron_settle_previous_month(self, batch_size=None):
        """The previous month's approved lines into their settlements, by
        batches of ``batch_size`` lines (default ``_settle_batch_size``).

        A call locks the next batch of lines, in the order of their
        beneficiary (rows another transaction holds are skipped: two runs
        split them), settles them and reports what is left to Odoo's cron
        runner, which commits and calls again: killed between two commits,
        the rerun goes on from what was committed; a line joins at most one
        settlement. Each company settles its previous month by its own local
        date."""
        periods = {}
        for company in self.env["res.company"].search([]):
            date_to = company._sm_local_date().replace(day=1) - relativedelta(days=1)
            periods[company] = (date_to.replace(day=1), date_to)
        Line = self.env["motivation.commission.line"]
        Line.flush_model()
        cr = self.env.cr
        period_end = SQL(" ").join(
            SQL("WHEN %s THEN %s::date", company.id, date_to)
            for company, (_date_from, date_to) in periods.items()
        )
        eligible = SQL(
            "state = 'approved' AND settlement_id IS NULL"
            " AND date <= CASE company_id %s END",
            period_end,
        )
        # SQL: the batch is locked as it is taken (SKIP LOCKED: two runs split
        # the lines), which the ORM cannot say; the period ends at each
        # company's own date
        cr.execute(
            SQL(
                """
                SELECT id FROM motivation_commission_line
                 WHERE %s
                 ORDER BY partner_id, company_id, currency_id, id
                 LIMIT %s
                   FOR NO KEY UPDATE SKIP LOCKED
                """,
                eligible,
                batch_size or self._settle_batch_size,
            )
        )
        lines = Line.browse([row[0] for row in cr.fetchall()])
        done = 0
        for company, company_lines in lines.grouped("company_id").items():
            _settlements, settled = self._settle_lines(company_lines, *periods[company])
            done += settled
        Line.flush_model()
        # SQL: the same condition as the batch's
        cr.execute(
            SQL("SELECT count(*) FROM motivation_commission_line WHERE %s", eligible)
        )
        self.env["ir.cron"]._sm_notify_progress(done=done, remaining=cr.fetchone()[0])

    def _sm_access_error(self, operation):
        """Refused by the record rules (ir.rule._make_access_error)."""
        return self.env["motivation.commission.line"]._sm_access_error(operation)
