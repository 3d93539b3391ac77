"""Data preparation shared by several scenarios (each scenario's own is in its
module): users, a commission plan, open deals, followers and activities as in
a CRM in use, team capacities, spread-out lead ids."""

BENCH_TEAMS_SQL = "SELECT id FROM crm_team WHERE name->>'en_US' LIKE 'Bench Team %%'"
MEMBER_CAPACITY = 30000  # per month: Odoo's daily quota 1000, enough for 10k leads


def user_ids(bench, db, login):
    """(user id, partner id, [team ids]) of a login."""
    uid, partner_id = bench.sql(
        db, "SELECT id, partner_id FROM res_users WHERE login = %s", [login]
    )[0]
    teams = bench.sql(
        db,
        "SELECT crm_team_id FROM crm_team_member WHERE user_id = %s AND active"
        " ORDER BY crm_team_id",
        [uid],
    )
    return uid, partner_id, [t for (t,) in teams]


def create_plan(bench, db, **vals):
    """A commission plan (committed) through the ORM; its id."""
    with bench.env(db, commit=True) as env:
        plan = env["motivation.commission.plan"].create(
            {"name": "Bench plan", "registrar_percent": 5, "closer_percent": 10, **vals}
        )
        return plan.id


def open_all_leads(bench, db, opportunities=False):
    """Every lead open (SQL): active, not won, probability < 100, no lost
    reason; won ones move to the last open stage. opportunities=True also
    makes every lead an opportunity."""
    stage = bench.sql_value(
        db,
        "SELECT id FROM crm_stage WHERE is_won IS NOT TRUE"
        " ORDER BY sequence DESC, id DESC LIMIT 1",
    )
    kind = "'opportunity'" if opportunities else "l.type"
    bench.sql(
        db,
        f"""
        UPDATE crm_lead l
           SET type = {kind}, active = TRUE, lost_reason_id = NULL,
               date_closed = NULL,
               date_conversion = CASE WHEN {kind} = 'opportunity'
                   THEN coalesce(l.date_conversion, l.create_date) END,
               stage_id = CASE WHEN s.is_won THEN %(stage)s ELSE l.stage_id END,
               probability = CASE WHEN s.is_won OR NOT l.active
                   OR l.probability >= 100 THEN 50 ELSE l.probability END
          FROM crm_stage s
         WHERE s.id = l.stage_id
        """,
        {"stage": stage},
    )
    return bench.sql_value(
        db,
        "SELECT count(*) FROM crm_lead WHERE active AND probability < 100"
        " AND user_id IS NOT NULL AND team_id IS NOT NULL",
    )


def seed_mail(bench, db):
    """What a CRM in use has and the generated template lacks, so that the
    planner does not take mail_followers and mail_activity for empty tables
    (it would plan their foreign-key checks as sequential scans, cached for
    the session: quadratic on both sides): each lead followed by its
    salesperson (Discussions subtype, as creating it through the ORM does),
    and every 4th lead with a past-due To-Do of its salesperson. Analysed."""
    bench.sql(
        db,
        """
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'crm.lead', l.id, u.partner_id
          FROM crm_lead l JOIN res_users u ON u.id = l.user_id
        ON CONFLICT DO NOTHING
        """,
    )
    bench.sql(
        db,
        """
        INSERT INTO mail_followers_mail_message_subtype_rel
               (mail_followers_id, mail_message_subtype_id)
        SELECT f.id, s.id FROM mail_followers f
          JOIN mail_message_subtype s ON s."default" AND s.res_model IS NULL
               AND s.internal IS NOT TRUE
         WHERE f.res_model = 'crm.lead'
        ON CONFLICT DO NOTHING
        """,
    )
    bench.sql(
        db,
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
               activity_type_id, user_id, date_deadline, summary, automated,
               active, create_uid, create_date, write_uid, write_date)
        SELECT m.id, 'crm.lead', l.id, l.name, t.res_id, l.user_id,
               current_date - 10, 'Follow up', FALSE, TRUE,
               l.user_id, now() at time zone 'UTC', l.user_id,
               now() at time zone 'UTC'
          FROM crm_lead l
          JOIN ir_model m ON m.model = 'crm.lead'
          JOIN ir_model_data t ON t.module = 'mail'
               AND t.name = 'mail_activity_data_todo'
         WHERE l.user_id IS NOT NULL AND l.id % 4 = 0
        """,
    )
    for table in (
        "mail_followers",
        "mail_followers_mail_message_subtype_rel",
        "mail_activity",
    ):
        bench.sql(db, f"VACUUM (ANALYZE) {table}")
    return (
        "every lead followed by its salesperson, every 4th lead with a past-due "
        "To-Do (as in a CRM in use)"
    )


def set_capacity(bench, db):
    """Every member of the bench teams takes MEMBER_CAPACITY leads a month."""
    bench.sql(
        db,
        f"UPDATE crm_team_member SET assignment_max = %s, assignment_optout = FALSE"
        f" WHERE crm_team_id IN ({BENCH_TEAMS_SQL})",
        [MEMBER_CAPACITY],
    )


def every_nth_lead(bench, db, count, where="TRUE"):
    """count lead ids spread over the table (every n-th by id)."""
    total = bench.sql_value(db, f"SELECT count(*) FROM crm_lead WHERE {where}")
    step = max(total // count, 1)
    return [
        i
        for (i,) in bench.sql(
            db,
            f"""
            SELECT id FROM (
                SELECT id, row_number() OVER (ORDER BY id) n FROM crm_lead
                 WHERE {where}) t
             WHERE n %% %s = 0 ORDER BY id LIMIT %s
            """,
            [step, count],
        )
    ]


# the plan figures' metrics: every metric but requests_on_time (8)
PLAN_METRICS = (
    "deals_won",
    "revenue_new",
    "revenue_existing",
    "deals_registered",
    "calls",
    "meetings",
    "clients_served",
    "checkpoints_on_time",
)


def create_sales_plan(bench, db, date_from, date_to, commission_plan_id=None):
    """An approved sales plan (committed, ORM) of the bench teams over
    date_from..date_to: a target per bench salesperson and PLAN_METRICS
    (30 x 8 at the default size). Returns (plan id, target count)."""
    with bench.env(db, commit=True) as env:
        users = env["res.users"].search([("login", "like", "bench_sp_")], order="id")
        teams = env["crm.team"].search([("name", "like", "Bench Team")])
        targets = {
            "deals_won": 10,
            "revenue_new": 200000,
            "revenue_existing": 150000,
            "deals_registered": 20,
            "calls": 60,
            "meetings": 10,
            "clients_served": 40,
            "checkpoints_on_time": 90,
        }
        plan = env["motivation.sales.plan"].create(
            {
                "name": f"Bench plan {date_from:%Y-%m}",
                "date_from": date_from,
                "date_to": date_to,
                "team_ids": [(6, 0, teams.ids)],
                "commission_plan_id": commission_plan_id or False,
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "user_id": user.id,
                            "metric": metric,
                            "target": targets[metric],
                        },
                    )
                    for user in users
                    for metric in PLAN_METRICS
                ],
            }
        )
        plan.action_approve()
        return plan.id, len(plan.target_ids)
