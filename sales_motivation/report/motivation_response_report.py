# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from ..models.motivation_response import STATES


class MotivationResponseReport(models.Model):
    """Cherry-picking made visible: one row per request a salesperson
    received (an assignment due a first response, motivation.response;
    withdrawn ones, taken away before their deadline, are not theirs), dated
    the company-local day of the assignment. Group by salesperson and
    period: requests received, answered in time (%), the median first
    response time in working hours, requests lost without any touch, and
    their lost reasons."""

    _name = "motivation.response.report"
    _description = "Response Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "lead_id"

    date = fields.Date(string="Assigned On", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Request", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_type = fields.Selection(
        [("lead", "Lead"), ("opportunity", "Opportunity")],
        string="Type",
        readonly=True,
    )
    state = fields.Selection(
        [state for state in STATES if state[0] != "withdrawn"],
        string="Response",
        readonly=True,
    )
    response_kind = fields.Selection(
        [
            ("interaction", "Interaction"),
            ("email", "E-mail"),
            ("quotation", "Quotation"),
        ],
        string="Responded By",
        readonly=True,
    )
    lost_reason_id = fields.Many2one("crm.lost.reason", readonly=True)
    request_count = fields.Integer(string="Requests Received", readonly=True)
    answered_count = fields.Integer(string="Answered", readonly=True)
    on_time_count = fields.Integer(string="Answered in Time", readonly=True)
    missed_count = fields.Integer(
        string="Missed",
        readonly=True,
        help="Deadline passed without a response (yet).",
    )
    on_time_rate = fields.Float(
        string="Answered in Time (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the requests whose deadline passed or that were "
        "answered, answered by their deadline.",
    )
    response_hours = fields.Float(
        string="Median First Response (working hours)",
        aggregator="median",
        readonly=True,
        help="Median of the working hours (the team's working time) from "
        "the assignment to the first response, over the answered requests.",
    )
    lost_count = fields.Integer(string="Lost", readonly=True)
    lost_untouched_count = fields.Integer(
        string="Lost Without Any Touch",
        readonly=True,
        help="Requests the salesperson closed as lost (or still held when "
        "lost) without any interaction, e-mail or quotation on the deal.",
    )

    def init(self):
        # SQL: a reporting model is a view (_auto = False), as Odoo's own
        # reports (crm.activity.report, sale.report) are
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
            SELECT r.id, r.lead_id, r.user_id, r.team_id, r.company_id,
                   (r.assigned_at AT TIME ZONE 'UTC'
                       AT TIME ZONE COALESCE(cal.tz, 'UTC'))::date AS date,
                   l.type AS lead_type, r.state, r.response_kind,
                   1 AS request_count,
                   (r.responded_at IS NOT NULL)::int AS answered_count,
                   (r.state = 'on_time')::int AS on_time_count,
                   (r.state = 'missed')::int AS missed_count,
                   CASE WHEN r.state = 'on_time' THEN 100.0
                        WHEN r.state IN ('late', 'missed') THEN 0.0
                   END AS on_time_rate,
                   -- unanswered: no time (the column holds 0)
                   CASE WHEN r.responded_at IS NOT NULL
                        THEN r.response_hours END AS response_hours,
                   lost.lost::int AS lost_count,
                   CASE WHEN lost.lost THEN l.lost_reason_id END AS lost_reason_id,
                   (lost.lost AND NOT %(touched)s)::int AS lost_untouched_count
              FROM motivation_response r
              JOIN crm_lead l ON l.id = r.lead_id
              LEFT JOIN res_company c ON c.id = r.company_id
              LEFT JOIN resource_calendar cal ON cal.id = c.resource_calendar_id
             CROSS JOIN LATERAL (
                   -- Odoo's lost: archived with no probability; it counts
                   -- for the salesperson who held the deal then
                   SELECT r.current AND NOT l.active
                          AND COALESCE(l.probability, 0) = 0 AS lost
                   ) lost
             WHERE r.state != 'withdrawn'
            )
            """,
                table=SQL.identifier(self._table),
                touched=self.env["crm.lead"]._sm_touch_sql("l"),
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        """``median``: the median of the rows grouped (PostgreSQL's
        percentile_cont), the aggregator of the response time."""
        if aggregate_spec != "__count":
            fname, property_name, func = parse_read_group_spec(aggregate_spec)
            if func == "median" and not property_name and fname in self._fields:
                return SQL(
                    "percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)",
                    self._field_to_sql(self._table, fname, query),
                )
        return super()._read_group_select(aggregate_spec, query)
