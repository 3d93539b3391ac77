# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class MotivationLeaderboard(models.Model):
    """The leaderboard: the salespeople of each team ranked by their
    overall attainment of a plan, the average of their targets'
    attainments by the targets' weights (0 when they weigh nothing).

    Who sees it is the company's *Leaderboard Visible To*
    (res.company.sm_leaderboard_visibility), enforced by record rules
    (security/motivation_leaderboard_rules.xml): everyone (a salesperson
    sees the boards of their teams), or team leaders (their teams') and
    administrators only. Rows show attainment and rank, never targets or
    amounts."""

    _name = "motivation.leaderboard"
    _description = "Leaderboard"
    _auto = False
    _order = "date desc, plan_id desc, team_id, rank, user_id"
    _rec_name = "user_id"
    # the attainment analysis' figures, by salesperson: flushed as its own
    _depends = {"motivation.attainment.report": ["target_id"]}

    plan_id = fields.Many2one("motivation.sales.plan", readonly=True)
    plan_state = fields.Selection(
        [("approved", "Approved"), ("closed", "Closed")], readonly=True
    )
    date = fields.Date(string="Period", readonly=True)
    date_to = fields.Date(string="Period End", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    rank = fields.Integer(
        readonly=True,
        aggregator=None,
        help="1 for the highest overall attainment in the team and plan; "
        "equal attainments share a rank.",
    )
    attainment = fields.Float(
        string="Overall Attainment (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="The average of the salesperson's targets' attainments in the "
        "plan, by the targets' weights.",
    )
    target_count = fields.Integer(string="Targets", readonly=True)

    def init(self):
        # SQL: ranks are a window over every salesperson of a team, which
        # the ORM has no way to say; the figures are the attainment
        # analysis' (one definition, see _sm_target_figures_sql)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                SELECT MIN(f.id) AS id, f.plan_id, f.plan_state, f.date,
                       f.date_to, f.company_id, f.team_id, f.user_id,
                       count(*) AS target_count,
                       %(overall)s AS attainment,
                       RANK() OVER (PARTITION BY f.plan_id, f.team_id
                                    ORDER BY %(overall)s DESC) AS rank
                  FROM (%(figures)s) f
                 GROUP BY f.plan_id, f.plan_state, f.date, f.date_to,
                          f.company_id, f.team_id, f.user_id
                )
                """,
                table=SQL.identifier(self._table),
                overall=SQL(
                    "COALESCE(SUM(f.weight * f.attainment)"
                    " / NULLIF(SUM(f.weight), 0), 0)"
                ),
                figures=self.env[
                    "motivation.attainment.report"
                ]._sm_target_figures_sql(),
            )
        )
