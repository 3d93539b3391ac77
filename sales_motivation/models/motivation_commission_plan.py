# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.osv import expression


class MotivationCommissionPlan(models.Model):
    """How much of a won deal its registrar and its closer earn.

    A plan applies to the deals of its company won between its dates, in its
    sales teams (none: every team). A plan naming a team takes precedence over
    a plan for every team; two plans for the same team (or two plans for every
    team) may not overlap in time.
    """

    _name = "motivation.commission.plan"
    _inherit = ["motivation.cache.mixin"]  # _sm_active_plan_ids is cached
    _description = "Commission Plan"
    _order = "date_from desc, id desc"
    _sm_cached_fields = ("active", "company_id", "date_from")

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        check_company=True,
        help="Deals of these teams follow this plan. Empty: every team without "
        "a plan of its own.",
    )
    date_from = fields.Date(
        string="Valid From", help="Deals won from this day on (empty: always)."
    )
    date_to = fields.Date(
        string="Valid Until", help="Deals won until this day (empty: open-ended)."
    )
    registrar_percent = fields.Float(
        string="Registrar Share (%)",
        digits=(5, 2),
        default=lambda self: self.env.company.sm_registrar_percent,
        help="Share of the deal's base paid to whoever registered the deal.",
    )
    closer_percent = fields.Float(
        string="Closer Share (%)",
        digits=(5, 2),
        default=lambda self: self.env.company.sm_closer_percent,
        help="Share of the deal's base paid to the salesperson who won it.",
    )
    base = fields.Selection(
        [
            ("expected_revenue", "Expected revenue when won"),
            ("sale_order", "Untaxed amount of confirmed sale orders"),
        ],
        required=True,
        default="expected_revenue",
        help="What the percentages apply to. Sale orders confirmed or amended "
        "after the deal was won update its commission.",
    )
    registrar_requires_first_contact = fields.Boolean(
        string="Registrar Share Needs First-Contact Data",
        help="The registrar earns their share only for deals registered with the "
        "complete first-contact data set (see CRM settings).",
    )
    closer_requires_checkpoints = fields.Boolean(
        string="Closer Share Needs Checkpoints",
        help="The closer earns their share only when every checkpoint of the "
        "deal marked 'required for commission' is done or waived.",
    )
    closer_min_quality = fields.Integer(
        string="Closer Share Needs Data Quality (%)",
        help="The closer earns their share only for deals whose data quality "
        "score reaches this (0: no condition).",
    )
    line_ids = fields.One2many("motivation.commission.line", "plan_id")
    line_count = fields.Integer(compute="_compute_line_count")

    _sql_constraints = [
        (
            "dates_order",
            "CHECK(date_from IS NULL OR date_to IS NULL OR date_from <= date_to)",
            "A plan cannot end before it starts.",
        ),
        (
            "closer_min_quality_range",
            "CHECK(closer_min_quality BETWEEN 0 AND 100)",
            "The data quality a plan requires is a score from 0 to 100.",
        ),
    ]

    def _compute_line_count(self):
        counts = dict(
            self.env["motivation.commission.line"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.line_count = counts.get(plan, 0)

    @api.constrains("registrar_percent", "closer_percent")
    def _check_percent(self):
        for plan in self:
            for label, value in (
                (self.env._("registrar share"), plan.registrar_percent),
                (self.env._("closer share"), plan.closer_percent),
            ):
                if not 0 <= value <= 100:
                    raise ValidationError(
                        self.env._(
                            "Plan %(plan)s: the %(share)s must be between 0 and "
                            "100%%, not %(value)s%%.",
                            plan=plan.name,
                            share=label,
                            value=value,
                        )
                    )
            if plan.registrar_percent + plan.closer_percent > 100:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: the registrar and closer shares add up to "
                        "%(total)s%%, more than the whole deal.",
                        plan=plan.name,
                        total=plan.registrar_percent + plan.closer_percent,
                    )
                )

    @api.constrains("active", "company_id", "team_ids", "date_from", "date_to")
    def _check_overlap(self):
        for plan in self.filtered("active"):
            domain = [
                ("id", "!=", plan.id),
                ("company_id", "=", plan.company_id.id),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", plan.date_from or fields.Date.to_date("1900-01-01")),
                "|",
                ("date_from", "=", False),
                ("date_from", "<=", plan.date_to or fields.Date.to_date("9999-12-31")),
            ]
            if plan.team_ids:
                domain = expression.AND(
                    [domain, [("team_ids", "in", plan.team_ids.ids)]]
                )
            else:
                domain = expression.AND([domain, [("team_ids", "=", False)]])
            other = self.search(domain, limit=1)
            if other:
                shared = (plan.team_ids & other.team_ids).mapped("name")
                raise ValidationError(
                    self.env._(
                        "Plans %(plan)s and %(other)s overlap in time for %(teams)s; "
                        "a deal would not know which one to follow.",
                        plan=plan.name,
                        other=other.name,
                        teams=", ".join(shared) or self.env._("every team"),
                    )
                )

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sales_motivation.motivation_commission_line_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    @api.model
    @tools.ormcache("company_ids")
    def _sm_active_plan_ids(self, company_ids):
        """The ids of the active plans of ``company_ids``, in the plans'
        order. Cached: every win looks them up twice (its commission, its
        ledger rows; bench scenario "win", load "win the deal"); cleared
        when a plan is created, deleted or changes its activity, company or
        start (motivation.cache.mixin)."""
        # sudo: motivation.commission.plan - which plan applies is the same
        # whoever wins the deal
        return tuple(self.sudo().search([("company_id", "in", list(company_ids))]).ids)

    def _plan_for_leads(self, leads):
        """Map each lead to the plan that applies to it on its closing date
        (the company-local day, res.company._sm_local_date):
        the active plan of its company naming its team, else the one for every
        team. One search for all the leads."""
        if not leads:
            return {}
        companies = leads.company_id | self.env.company
        plans = self.browse(self._sm_active_plan_ids(tuple(sorted(companies.ids))))
        result = {}
        for lead in leads:
            company = lead.company_id or self.env.company
            # the day the deal was won in its company's time zone
            day = company._sm_local_date(lead.date_closed)
            candidates = plans.filtered(
                lambda p, company=company, lead=lead, day=day: p.company_id == company
                and (not p.date_from or p.date_from <= day)
                and (not p.date_to or day <= p.date_to)
                and (not p.team_ids or lead.team_id in p.team_ids)
            )
            specific = candidates.filtered("team_ids")
            plan = (specific or candidates)[:1]
            if plan:
                result[lead] = plan
        return result
