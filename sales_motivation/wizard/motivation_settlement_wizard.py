# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date


class MotivationSettlementWizard(models.TransientModel):
    _name = "motivation.settlement.wizard"
    _description = "Settle Commission"

    date_from = fields.Date(
        required=True, default=lambda self: self._default_dates()[0]
    )
    date_to = fields.Date(required=True, default=lambda self: self._default_dates()[1])
    partner_ids = fields.Many2many(
        "res.partner",
        string="Beneficiaries",
        help="Settle these beneficiaries only (empty: everybody).",
    )
    summary = fields.Text(
        compute="_compute_summary",
        help="What settling this period would do, and why nothing if nothing.",
    )
    line_count = fields.Integer(
        string="Lines to Settle",
        compute="_compute_summary",
        help="Approved commission lines dated up to the end of the period and "
        "not settled yet.",
    )

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    @api.model
    def _default_dates(self):
        """The previous month, by the local date of the company the user
        works in (the wizard settles the companies selected); when no
        approved line waits up to its end but some of this month do, this
        month."""
        today = self.env.company._sm_local_date()
        month_start = today.replace(day=1)
        date_to = month_start - relativedelta(days=1)
        Line = self.env["motivation.commission.line"]
        Settlement = self.env["motivation.settlement"]
        companies = self.env.companies
        if not Line.search_count(
            Settlement._settle_domain(date_to, companies), limit=1
        ) and Line.search_count(
            Settlement._settle_domain(
                month_start + relativedelta(months=1, days=-1), companies
            ),
            limit=1,
        ):
            return month_start, month_start + relativedelta(months=1, days=-1)
        return date_to.replace(day=1), date_to

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("date_from", "date_to", "partner_ids")
    def _compute_summary(self):
        for wizard in self:
            if not (wizard.date_from and wizard.date_to):
                wizard.summary = False
                wizard.line_count = 0
                continue
            wizard.line_count = len(wizard._lines_to_settle())
            wizard.summary = wizard._explain()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_settle(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The period ends before it starts."))
        lines = self._lines_to_settle()
        if not lines:
            raise UserError(self._explain())
        settlements = self.env["motivation.settlement"]._settle(
            self.date_from,
            self.date_to,
            companies=self.env.companies,
            partners=self.partner_ids,
        )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sales_motivation.motivation_settlement_action"
        )
        action["domain"] = [("id", "in", settlements.ids)]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Commission settled"),
                "message": self.env._(
                    "%(lines)s approved commission lines settled in %(count)s "
                    "draft settlements for %(period)s: check and confirm them.",
                    lines=len(lines),
                    count=len(settlements),
                    period=self._period_name(),
                ),
                "next": action,
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lines_to_settle(self):
        self.ensure_one()
        return self.env["motivation.commission.line"].search(
            self.env["motivation.settlement"]._settle_domain(
                self.date_to, self.env.companies, self.partner_ids
            )
        )

    def _period_name(self):
        """The period in words: "November 2026" for a whole month."""
        self.ensure_one()
        month_end = self.date_from + relativedelta(day=31)
        if self.date_from.day == 1 and self.date_to == month_end:
            return format_date(self.env, self.date_from, date_format="LLLL y")
        return self.env._(
            "%(start)s to %(end)s",
            start=format_date(self.env, self.date_from),
            end=format_date(self.env, self.date_to),
        )

    def _explain(self):
        """What settling the period does, in the user's language; when
        nothing, why: the lines of the period already settled or still
        draft, and the approved lines dated later (by month)."""
        self.ensure_one()
        Line = self.env["motivation.commission.line"]
        common = [("company_id", "in", self.env.companies.ids)]
        if self.partner_ids:
            common.append(("partner_id", "in", self.partner_ids.ids))
        period = self._period_name()
        to_settle = self._lines_to_settle()
        if to_settle:
            return self.env._(
                "%(lines)s approved commission lines of %(partners)s beneficiaries "
                "are settled (approved lines of earlier periods not settled yet "
                "included).",
                lines=len(to_settle),
                partners=len(to_settle.partner_id),
            )
        reasons = [
            self.env._(
                "Nothing to settle for %(period)s: no approved commission line of "
                "this period is waiting.",
                period=period,
            )
        ]
        in_period = common + [
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        drafts = Line.search_count(in_period + [("state", "=", "draft")])
        if drafts:
            reasons.append(
                self.env._(
                    "%(count)s lines of this period are still to approve.",
                    count=drafts,
                )
            )
        settled = Line.search(in_period + [("settlement_id", "!=", False)])
        if settled:
            reasons.append(
                self.env._(
                    "%(count)s lines of this period are already in settlements "
                    "%(settlements)s.",
                    count=len(settled),
                    settlements=", ".join(settled.settlement_id.mapped("name")),
                )
            )
        later = Line._read_group(
            common
            + [
                ("state", "in", ("draft", "approved")),
                ("settlement_id", "=", False),
                ("date", ">", self.date_to),
            ],
            ["date:month", "state"],
            ["__count"],
            order="date:month, state desc",
        )
        for month, state, count in later:
            month_name = format_date(self.env, month, date_format="LLLL y")
            if state == "approved":
                reasons.append(
                    self.env._(
                        "%(count)s approved lines are dated %(month)s: choose "
                        "that period to settle them.",
                        count=count,
                        month=month_name,
                    )
                )
            else:
                reasons.append(
                    self.env._(
                        "%(count)s lines dated %(month)s are still to approve.",
                        count=count,
                        month=month_name,
                    )
                )
        return "\n".join(reasons)
