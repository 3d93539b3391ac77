# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

# the reminder to call a repeat client (res_partner_regularity.py); the view
# is built before the data files are loaded on install: by its XML id
REMINDER_TYPE = SQL(
    "SELECT res_id FROM ir_model_data WHERE module = 'sales_motivation'"
    " AND name = 'mail_activity_type_order_reminder'"
)


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
    email_count = fields.Integer(
        string="E-mails",
        readonly=True,
        help="E-mails exchanged with the clients, sent and received.",
    )
    incoming_count = fields.Integer(
        string="Incoming Contacts",
        readonly=True,
        help="Calls, meetings and e-mails that came from the clients.",
    )
    first_contact_count = fields.Integer(
        string="First-Time Contacts",
        readonly=True,
        help="Incoming contacts of clients reaching the company for the first " "time.",
    )
    repeat_contact_count = fields.Integer(
        string="Repeat Contacts",
        readonly=True,
        help="Incoming contacts of clients that had reached the company "
        "before (their second, third... time).",
    )
    won_count = fields.Integer(string="Deals Won", readonly=True)
    touches_before_order = fields.Integer(
        string="Touches Before First Order",
        readonly=True,
        help="Interactions that reached the client, and e-mails exchanged, "
        "before the first confirmed order (or the win) of the deals won that "
        "month.",
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
    # cherry-picking made visible: the requests received (first responses)
    request_count = fields.Integer(string="Requests Received", readonly=True)
    requests_on_time_rate = fields.Float(
        string="Requests Answered in Time (%)", aggregator="avg", readonly=True
    )
    response_hours_median = fields.Float(
        string="Median First Response (working hours)",
        aggregator="avg",
        readonly=True,
        help="The month's median of the working hours from the assignment "
        "to the first response (the Response Analysis gives the median of "
        "any period).",
    )
    lost_untouched_count = fields.Integer(
        string="Requests Lost Without Any Touch", readonly=True
    )
    # existing clients worked (the ledger's clients_served)
    clients_served_count = fields.Integer(
        string="Clients Served",
        readonly=True,
        help="Distinct clients reached by an interaction or ordering that "
        "month: the sales plans' Clients Served.",
    )
    assigned_client_count = fields.Integer(
        string="Assigned Clients",
        aggregator="max",
        readonly=True,
        help="The clients assigned to the salesperson now.",
    )
    assigned_served_count = fields.Integer(
        string="Assigned Clients Worked", readonly=True
    )
    assigned_served_rate = fields.Float(
        string="Assigned Clients Worked (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the clients assigned to the salesperson that they "
        "reached or that ordered from them that month.",
    )
    reminder_count = fields.Integer(string="Repeat-Client Reminders", readonly=True)
    reminder_worked_count = fields.Integer(
        string="Reminders Worked",
        readonly=True,
        help="Reminders to call a repeat client followed by a touch: the "
        "client reached or ordering, on the reminder's day or later.",
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
                -- an e-mail received counts for the deal's salesperson, else
                -- the client's
                SELECT COALESCE(i.user_id, il.user_id, ip.user_id) AS user_id,
                       date_trunc('month', i.date)::date AS month,
                       i.company_id,
                       count(*) AS interaction_count,
                       count(*) FILTER (WHERE i.direction = 'outgoing') AS outgoing,
                       count(*) FILTER (WHERE i.complete) AS complete,
                       count(*) FILTER (WHERE i.kind = 'email') AS emails,
                       count(*) FILTER (WHERE i.direction = 'incoming') AS incoming,
                       count(*) FILTER (WHERE i.sm_contact_rank = 1) AS first_contacts,
                       count(*) FILTER (WHERE i.sm_contact_rank > 1) AS repeat_contacts
                  FROM motivation_interaction i
                  LEFT JOIN crm_lead il ON il.id = i.lead_id
                  LEFT JOIN res_partner ip ON ip.id = i.partner_id
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
                            WHERE i.lead_id = l.id
                              AND (i.reached OR i.kind = 'email')
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
            ), resp AS (
                -- requests received, by the company-local day of assignment
                SELECT r.user_id,
                       date_trunc('month', r.assigned_at AT TIME ZONE 'UTC'
                           AT TIME ZONE COALESCE(cal.tz, 'UTC'))::date AS month,
                       r.company_id,
                       count(*) AS request_count,
                       count(*) FILTER (WHERE r.state = 'on_time') AS on_time,
                       count(*) FILTER (
                           WHERE r.state IN ('on_time', 'late', 'missed')
                       ) AS decided,
                       percentile_cont(0.5) WITHIN GROUP (
                           ORDER BY r.response_hours)
                           FILTER (WHERE r.responded_at IS NOT NULL)
                           AS median_hours,
                       count(*) FILTER (
                           WHERE r.current AND NOT rl.active
                             AND COALESCE(rl.probability, 0) = 0
                             AND NOT %s
                       ) AS lost_untouched
                  FROM motivation_response r
                  JOIN crm_lead rl ON rl.id = r.lead_id
                  LEFT JOIN res_company rc ON rc.id = r.company_id
                  LEFT JOIN resource_calendar cal
                         ON cal.id = rc.resource_calendar_id
                 WHERE r.state != 'withdrawn'
                 GROUP BY 1, 2, 3
            ), served AS (%s
            ), clients AS (
                SELECT s.user_id, s.period AS month, s.company_id,
                       count(*) AS served,
                       count(*) FILTER (WHERE p.user_id = s.user_id)
                           AS assigned_served
                  FROM served s
                  JOIN res_partner p ON p.id = s.partner_id
                 GROUP BY 1, 2, 3
            ), reminder AS (
                -- the salesperson's reminders to call a repeat client: open
                -- (the activity) or done (its message, by who marked it)
                SELECT a.user_id, a.res_id AS partner_id,
                       a.create_date AS moment
                  FROM mail_activity a
                 WHERE a.res_model = 'res.partner'
                   AND a.activity_type_id = (%s)
                UNION ALL
                SELECT mu.id, m.res_id, m.date
                  FROM mail_message m
                  JOIN res_users mu ON mu.partner_id = m.author_id
                 WHERE m.model = 'res.partner'
                   AND m.mail_activity_type_id = (%s)
            ), reminders AS (
                SELECT rm.user_id, date_trunc('month', rm.moment)::date AS month,
                       COALESCE(rp.company_id, ru.company_id) AS company_id,
                       count(*) AS reminder_count,
                       count(*) FILTER (WHERE EXISTS (
                           SELECT 1 FROM motivation_achievement ach
                            WHERE ach.metric = 'clients_served'
                              AND ach.user_id = rm.user_id
                              AND ach.partner_id = rp.commercial_partner_id
                              AND ach.value > 0
                              AND ach.date >= rm.moment::date
                       )) AS worked
                  FROM reminder rm
                  JOIN res_partner rp ON rp.id = rm.partner_id
                  JOIN res_users ru ON ru.id = rm.user_id
                 GROUP BY 1, 2, 3
            ), keys AS (
                SELECT user_id, month, company_id FROM inter
                UNION SELECT user_id, month, company_id FROM won
                UNION SELECT user_id, month, company_id FROM cp
                UNION SELECT user_id, month, company_id FROM quality
                UNION SELECT user_id, month, company_id FROM resp
                UNION SELECT user_id, month, company_id FROM clients
                UNION SELECT user_id, month, company_id FROM reminders
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
                   COALESCE(i.emails, 0) AS email_count,
                   COALESCE(i.incoming, 0) AS incoming_count,
                   COALESCE(i.first_contacts, 0) AS first_contact_count,
                   COALESCE(i.repeat_contacts, 0) AS repeat_contact_count,
                   q.quality AS quality_score,
                   COALESCE(r.request_count, 0) AS request_count,
                   CASE WHEN r.decided > 0
                        THEN 100.0 * r.on_time / r.decided END
                       AS requests_on_time_rate,
                   r.median_hours AS response_hours_median,
                   COALESCE(r.lost_untouched, 0) AS lost_untouched_count,
                   COALESCE(cl.served, 0) AS clients_served_count,
                   asg.assigned AS assigned_client_count,
                   COALESCE(cl.assigned_served, 0) AS assigned_served_count,
                   CASE WHEN asg.assigned > 0
                        THEN 100.0 * COALESCE(cl.assigned_served, 0) / asg.assigned
                   END AS assigned_served_rate,
                   COALESCE(rem.reminder_count, 0) AS reminder_count,
                   COALESCE(rem.worked, 0) AS reminder_worked_count
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
              LEFT JOIN resp r ON r.user_id = k.user_id AND r.month = k.month
                   AND r.company_id IS NOT DISTINCT FROM k.company_id
              LEFT JOIN clients cl ON cl.user_id = k.user_id AND cl.month = k.month
                   AND cl.company_id IS NOT DISTINCT FROM k.company_id
              LEFT JOIN reminders rem ON rem.user_id = k.user_id
                   AND rem.month = k.month
                   AND rem.company_id IS NOT DISTINCT FROM k.company_id
             CROSS JOIN LATERAL (SELECT %s AS assigned) asg
            )
            """,
                SQL.identifier(self._table),
                # met on time in the deal's company's local days
                self.env["motivation.checkpoint"]._met_on_time_sql(
                    "c", SQL("l.company_id")
                ),
                self.env["crm.lead"]._sm_quality_score_sql("l"),
                self.env["crm.lead"]._sm_touch_sql("rl"),
                # the ledger's rule for clients served, by month
                self.env["motivation.achievement"]._sm_served_clients_sql(
                    SQL("date_trunc('month', date)::date")
                ),
                REMINDER_TYPE,
                REMINDER_TYPE,
                self.env["motivation.achievement"]._sm_assigned_clients_sql(
                    SQL("k.user_id"), SQL("k.company_id")
                ),
            )
        )
