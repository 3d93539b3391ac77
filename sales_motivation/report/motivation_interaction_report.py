# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class MotivationInteractionReport(models.Model):
    """How each salesperson works, month by month: interactions and the share
    of outgoing calls, touches before the first order of the deals they won,
    checkpoints met on time, and how complete their data is."""

    _name = "motivation.interaction.report"
    _description = "Interaction Analysis"
    _auto = False
    _order = "date desc, user_id"

    date = fields.Date(string="Month", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    interaction_count = fields.Integer(string="Interactions", readonly=True)
    outgoing_count = fields.Integer(string="Outgoing", readonly=True)
    outgoing_rate = fields.Float(string="Outgoing (%)", aggregator="avg", readonly=True)
    won_count = fields.Integer(string="Deals Won", readonly=True)
    touches_before_order = fields.Integer(
        string="Touches Before First Order",
        readonly=True,
        help="Interactions that reached the client before the first confirmed "
        "order (or the win) of the deals won that month.",
    )
    touches_per_won = fields.Float(
        string="Touches per Won Deal", aggregator="avg", readonly=True
    )
    checkpoint_count = fields.Integer(string="Checkpoints Due", readonly=True)
    on_time_count = fields.Integer(string="Checkpoints on Time", readonly=True)
    on_time_rate = fields.Float(
        string="Checkpoints on Time (%)", aggregator="avg", readonly=True
    )
    complete_rate = fields.Float(
        string="Complete Interactions (%)",
        aggregator="avg",
        readonly=True,
        help="Interactions with every field filled in.",
    )
    quality_score = fields.Float(
        string="Deal Data Quality (%)",
        aggregator="avg",
        readonly=True,
        help="Average data quality score of the deals created that month.",
    )

    def init(self):
        # SQL: a reporting model is a view (_auto = False), as Odoo's own
        # reports (crm.activity.report, sale.report) are
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
            WITH inter AS (
                SELECT user_id, date_trunc('month', date)::date AS month,
                       company_id,
                       count(*) AS interaction_count,
                       count(*) FILTER (WHERE direction = 'outgoing') AS outgoing,
                       count(*) FILTER (WHERE complete) AS complete
                  FROM motivation_interaction
                 GROUP BY 1, 2, 3
            ), won_deal AS (
                -- a deal created won (imported) has no closing date: when
                -- it entered its stage
                SELECT l.id, l.sm_closer_id, l.company_id, l.stage_id, l.active,
                       COALESCE(l.date_closed, l.date_last_stage_update,
                                l.create_date) AS won_date
                  FROM crm_lead l
            ), won AS (
                SELECT l.sm_closer_id AS user_id,
                       date_trunc('month', l.won_date)::date AS month,
                       l.company_id,
                       count(*) AS won_count,
                       sum((
                           SELECT count(*)
                             FROM motivation_interaction i
                            WHERE i.lead_id = l.id AND i.reached
                              AND i.date < COALESCE((
                                    SELECT min(so.date_order)
                                      FROM sale_order so
                                     WHERE so.opportunity_id = l.id
                                       AND so.state = 'sale'), l.won_date)
                       )) AS touches
                  FROM won_deal l
                  JOIN crm_stage s ON s.id = l.stage_id AND s.is_won
                 WHERE l.active AND l.sm_closer_id IS NOT NULL
                 GROUP BY 1, 2, 3
            ), cp AS (
                SELECT l.user_id, date_trunc('month', c.deadline)::date AS month,
                       l.company_id,
                       count(*) AS checkpoint_count,
                       count(*) FILTER (WHERE %s) AS on_time
                  FROM motivation_checkpoint c
                  JOIN crm_lead l ON l.id = c.lead_id
                 WHERE l.user_id IS NOT NULL AND c.deadline IS NOT NULL
                   AND c.state != 'waived'
                   AND (c.state IN ('done', 'overdue') OR c.deadline < CURRENT_DATE)
                 GROUP BY 1, 2, 3
            ), quality AS (
                SELECT l.user_id, date_trunc('month', l.create_date)::date AS month,
                       l.company_id, avg(%s) AS quality
                  FROM crm_lead l
                 WHERE l.user_id IS NOT NULL AND l.active
                 GROUP BY 1, 2, 3
            ), keys AS (
                SELECT user_id, month, company_id FROM inter
                UNION SELECT user_id, month, company_id FROM won
                UNION SELECT user_id, month, company_id FROM cp
                UNION SELECT user_id, month, company_id FROM quality
            )
            SELECT row_number() OVER (
                       ORDER BY k.month, k.user_id, k.company_id) AS id,
                   k.month AS date, k.user_id, u.sale_team_id AS team_id,
                   k.company_id,
                   COALESCE(i.interaction_count, 0) AS interaction_count,
                   COALESCE(i.outgoing, 0) AS outgoing_count,
                   CASE WHEN i.interaction_count > 0
                        THEN 100.0 * i.outgoing / i.interaction_count END
                       AS outgoing_rate,
                   COALESCE(w.won_count, 0) AS won_count,
                   COALESCE(w.touches, 0) AS touches_before_order,
                   CASE WHEN w.won_count > 0
                        THEN w.touches::float / w.won_count END AS touches_per_won,
                   COALESCE(c.checkpoint_count, 0) AS checkpoint_count,
                   COALESCE(c.on_time, 0) AS on_time_count,
                   CASE WHEN c.checkpoint_count > 0
                        THEN 100.0 * c.on_time / c.checkpoint_count END
                       AS on_time_rate,
                   CASE WHEN i.interaction_count > 0
                        THEN 100.0 * i.complete / i.interaction_count END
                       AS complete_rate,
                   q.quality AS quality_score
              FROM keys k
              JOIN res_users u ON u.id = k.user_id
              LEFT JOIN inter i ON i.user_id = k.user_id AND i.month = k.month
                   AND i.company_id IS NOT DISTINCT FROM k.company_id
              LEFT JOIN won w ON w.user_id = k.user_id AND w.month = k.month
                   AND w.company_id IS NOT DISTINCT FROM k.company_id
              LEFT JOIN cp c ON c.user_id = k.user_id AND c.month = k.month
                   AND c.company_id IS NOT DISTINCT FROM k.company_id
              LEFT JOIN quality q ON q.user_id = k.user_id AND q.month = k.month
                   AND q.company_id IS NOT DISTINCT FROM k.company_id
            )
            """,
                SQL.identifier(self._table),
                # met on time in the deal's company's local days
                self.env["motivation.checkpoint"]._met_on_time_sql(
                    "c", SQL("l.company_id")
                ),
                self.env["crm.lead"]._sm_quality_score_sql("l"),
            )
        )
