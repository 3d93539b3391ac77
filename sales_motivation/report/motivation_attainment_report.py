# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from ..models.motivation_achievement import METRICS


class MotivationAttainmentReport(models.Model):
    """Attainment Analysis: one row per target of an approved or closed
    sales plan (draft targets are not in force), with what its salesperson
    achieved over the plan's period and the attainment, by salesperson,
    team (the salesperson's team in the plan, as the bonus line's) and
    month (the plan's first day). Grouped, the attainment is the weighted
    average of the targets' (their weights), the salesperson's overall
    attainment of a plan."""

    _name = "motivation.attainment.report"
    _description = "Attainment Analysis"
    _auto = False
    _order = "date desc, plan_id desc, user_id, metric"
    _rec_name = "metric"
    # what the view reads: flushed before it is searched
    _depends = {
        "motivation.achievement": [
            "user_id",
            "metric",
            "date",
            "value",
            "item_count",
            "partner_id",
            "company_id",
        ],
        "motivation.sales.target": ["plan_id", "user_id", "metric", "target", "weight"],
        "motivation.sales.plan": [
            "state",
            "date_from",
            "date_to",
            "company_id",
            "team_ids",
        ],
        "crm.team.member": ["user_id", "crm_team_id", "active", "create_date"],
    }

    target_id = fields.Many2one(
        "motivation.sales.target", string="Sales Target", readonly=True
    )
    plan_id = fields.Many2one("motivation.sales.plan", readonly=True)
    plan_state = fields.Selection(
        [("approved", "Approved"), ("closed", "Closed")], readonly=True
    )
    date = fields.Date(string="Period", readonly=True, help="The plan's first day.")
    date_to = fields.Date(string="Period End", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    metric = fields.Selection(
        [(key, metric["label"]) for key, metric in METRICS.items()], readonly=True
    )
    target = fields.Float(digits=(16, 2), readonly=True)
    achieved = fields.Float(
        digits=(16, 2),
        readonly=True,
        help="What the achievement ledger holds for the target over the "
        "plan's period, as the target, the strip and the bonus read it.",
    )
    attainment = fields.Float(
        string="Attainment (%)",
        digits=(16, 1),
        aggregator="weighted",
        readonly=True,
        help="Achieved as a percentage of the target; grouped, the average "
        "of the targets' attainments by their weights.",
    )
    weight = fields.Float(digits=(16, 2), readonly=True)
    target_count = fields.Integer(string="Targets", readonly=True)

    @api.model
    def _sm_target_figures_sql(self):
        """SELECT of one row per target of the approved and closed plans
        with its achieved and attainment: this view's, and the
        leaderboard's (motivation.leaderboard) by salesperson.

        SQL: a report is grouped, pivoted and ranked by its figures, so
        they must be columns, and the ORM cannot group or sort by a field
        computed in Python. These figures are those of
        ``motivation.achievement._totals`` written as one set-wise query
        (its three ways rows add up, taken from METRICS: a sum, a percent
        metric's values divided by its items, the distinct clients whose
        rows add up to more than zero), over the same rows (the
        salesperson's, of the metric, in the plan's company, dated in its
        period); tests/test_leaderboard.py checks that they are equal,
        cent for cent, over periods with reversals."""
        average = [key for key, m in METRICS.items() if m["aggregate"] == "average"]
        distinct = [key for key, m in METRICS.items() if m["aggregate"] == "distinct"]
        teams = self.env["motivation.sales.plan"]._fields["team_ids"]
        rows = SQL(
            """
                  FROM motivation_achievement a
                 WHERE a.user_id = t.user_id AND a.metric = t.metric
                   AND a.company_id = p.company_id
                   AND a.date >= p.date_from AND a.date <= p.date_to
            """
        )
        return SQL(
            """
            SELECT t.id, t.id AS target_id, t.plan_id, p.state AS plan_state,
                   p.date_from AS date, p.date_to, p.company_id, t.user_id,
                   team.id AS team_id, t.metric, t.target, t.weight,
                   1 AS target_count, fig.achieved,
                   CASE WHEN t.target > 0 THEN 100.0 * fig.achieved / t.target
                        ELSE 0.0 END AS attainment
              FROM motivation_sales_target t
              JOIN motivation_sales_plan p ON p.id = t.plan_id
              -- the salesperson's team in the plan (as a bonus line's): the
              -- first of their active memberships in one of the plan's
              -- teams, else their first membership
              LEFT JOIN LATERAL (
                   SELECT m.crm_team_id AS id FROM crm_team_member m
                    WHERE m.user_id = t.user_id AND m.active
                    ORDER BY m.crm_team_id IN (
                             SELECT r.%(team_column)s FROM %(team_table)s r
                              WHERE r.%(plan_column)s = p.id) DESC,
                             m.create_date, m.id
                    LIMIT 1) team ON TRUE
             CROSS JOIN LATERAL (
                   SELECT (CASE
                       WHEN t.metric = ANY(%(distinct)s) THEN (
                            SELECT count(*) FROM (
                                   SELECT a.partner_id %(rows)s
                                      AND a.partner_id IS NOT NULL
                                    GROUP BY a.partner_id
                                   HAVING SUM(a.value) > 0) served)
                       WHEN t.metric = ANY(%(average)s) THEN (
                            SELECT CASE WHEN SUM(a.item_count) > 0
                                        THEN SUM(a.value) / SUM(a.item_count)
                                        ELSE 0 END %(rows)s)
                       ELSE (SELECT COALESCE(SUM(a.value), 0) %(rows)s)
                   END)::float8 AS achieved) fig
             WHERE p.state IN ('approved', 'closed')
            """,
            team_column=SQL.identifier(teams.column2),
            team_table=SQL.identifier(teams.relation),
            plan_column=SQL.identifier(teams.column1),
            distinct=distinct,
            average=average,
            rows=rows,
        )

    def init(self):
        # SQL: a reporting model is a view (_auto = False), as Odoo's own
        # reports are; why its figures are SQL: _sm_target_figures_sql
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._sm_target_figures_sql(),
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        """``weighted``: the average by the rows' weights (0 when they
        weigh nothing), the aggregator of the attainment."""
        if aggregate_spec != "__count":
            fname, property_name, func = parse_read_group_spec(aggregate_spec)
            if func == "weighted" and not property_name and fname in self._fields:
                return SQL(
                    "COALESCE(SUM(%(weight)s * %(value)s)"
                    " / NULLIF(SUM(%(weight)s), 0), 0)",
                    weight=self._field_to_sql(self._table, "weight", query),
                    value=self._field_to_sql(self._table, fname, query),
                )
        return super()._read_group_select(aggregate_spec, query)

    def action_sm_view_achievement(self):
        """The ledger rows behind the row's figures (its target's)."""
        self.ensure_one()
        return self.target_id.action_sm_view_achievement()
