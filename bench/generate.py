"""Fill a fresh CRM database (sale_crm, no demo data) with benchmark data, fast.

Run with the project's venv python, this script's options, then odoo-bin's
database options, e.g.
    python bench/generate.py --leads 100000 --users 30 \\
        --addons-path=... -d sm_bench_base --db_host=127.0.0.1 --db_port=54330 \\
        --db_user=odoo

What it creates (deterministic: fixed ORM creation order, fixed SQL seed):
- USERS internal users "Salesperson NN" (group sales_team.group_sale_salesman)
  in ceil(USERS / 10) sales teams of up to 10 members, the first member of
  each team being its team leader (crm.team.user_id);
- PARTNERS customer companies (default LEADS / 5), each with one of the
  salespeople as its salesperson (customer j -> salesperson j mod USERS):
  one per salesperson through the ORM, the others cloned from those in SQL;
- LEADS crm.lead rows in one INSERT ... SELECT over generate_series: 20 %
  leads in the first stage, 56 % open opportunities spread over the open
  stages, 20 % won, 4 % lost (archived, probability 0, lost reason); each
  assigned to a salesperson (with the salesperson's team) who also created it,
  except AUTO_SHARE (default 2 %) created by OdooBot, as the mail gateway or
  a website form would, which must not get a registrar; the customer is one
  of the salesperson's customers; created and changed over the last year.
  Stored computed fields are filled in the same statement (prorated revenue,
  automated probability, dates and days to assign / close, customer name,
  e-mail and domain, language), so that nothing is left to recompute.

Prints how long each step took, then checks that a salesperson can list and
group the leads through the ORM.
"""

import argparse
import math
import os
import sys
import time

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo-src")
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402

SEED = 0.4242  # PostgreSQL setseed() takes a value in [-1, 1]
NO_MAIL = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}
# Probability of an open deal by open stage position (then +-10 of noise).
OPEN_STAGE_PROBABILITY = [10, 30, 60, 80, 90]

LEADS_SQL = """
INSERT INTO crm_lead (
    name, type, active, priority, color, company_id, user_id, team_id,
    partner_id, partner_name, email_from, email_normalized,
    email_domain_criterion, email_state, lang_id, stage_id, lost_reason_id,
    probability, automated_probability, expected_revenue, prorated_revenue,
    recurring_revenue, recurring_revenue_monthly,
    recurring_revenue_monthly_prorated, recurring_revenue_prorated,
    create_uid, write_uid, create_date, write_date, date_open, day_open,
    date_last_stage_update, date_closed, day_close, message_bounce
)
SELECT
    CASE WHEN d.kind = 'lead' THEN 'Lead ' ELSE 'Deal ' END
        || lpad(d.i::text, 7, '0') || ' - ' || p.name,
    CASE WHEN d.kind = 'lead' THEN 'lead' ELSE 'opportunity' END,
    d.kind <> 'lost',
    '0',
    0,
    %(company_id)s,
    d.user_id,
    d.team_id,
    p.id,
    p.name,
    p.email,
    lower(p.email),
    '@' || split_part(lower(p.email), '@', 2),
    'correct',
    %(lang_id)s,
    d.stage_id,
    CASE WHEN d.kind = 'lost' THEN (%(lost_reasons)s::int[])[1 + floor(d.r_misc
        * cardinality(%(lost_reasons)s::int[]))::int] END,
    d.probability,
    d.probability,
    d.revenue,
    round(d.revenue * d.probability::numeric / 100, 2),
    0, 0, 0, 0,
    d.creator,
    d.user_id,
    d.create_date,
    d.write_date,
    d.create_date,
    0,
    d.stage_date,
    CASE WHEN d.kind IN ('won', 'lost') THEN d.stage_date END,
    CASE WHEN d.kind IN ('won', 'lost')
        THEN extract(day FROM d.stage_date - d.create_date) END,
    0
FROM (
    SELECT
        g.i,
        g.kind,
        g.r_misc,
        (%(users)s::int[])[g.ui] AS user_id,
        (%(teams)s::int[])[g.ui] AS team_id,
        (%(partners)s::int[])[g.ui + %(n_users)s * floor(g.r_partner
            * %(per_user)s)::int] AS partner_id,
        CASE WHEN g.r_creator < %(auto_share)s THEN %(superuser)s
            ELSE (%(users)s::int[])[g.ui] END AS creator,
        CASE
            WHEN g.kind = 'lead' THEN (%(open_stages)s::int[])[1]
            WHEN g.kind = 'won' THEN %(won_stage)s
            ELSE (%(open_stages)s::int[])[g.si]
        END AS stage_id,
        CASE
            WHEN g.kind = 'won' THEN 100
            WHEN g.kind = 'lost' THEN 0
            WHEN g.kind = 'lead' THEN (%(open_prob)s::int[])[1]
            ELSE least(99, greatest(1, (%(open_prob)s::int[])[g.si]
                + floor((g.r_prob - 0.5) * 20)))
        END::float AS probability,
        round((500 + g.r_revenue * g.r_revenue * 99500)::numeric, 2) AS revenue,
        g.create_date,
        g.create_date + g.r_write * (g.now - g.create_date) AS write_date,
        g.create_date + g.r_stage_date * g.r_write * (g.now - g.create_date)
            AS stage_date
    FROM (
        SELECT
            s.*,
            1 + floor(s.r_user * %(n_users)s)::int AS ui,
            1 + floor(s.r_stage * cardinality(%(open_stages)s::int[]))::int AS si,
            CASE
                WHEN s.r_kind < 0.20 THEN 'lead'
                WHEN s.r_kind < 0.76 THEN 'open'
                WHEN s.r_kind < 0.96 THEN 'won'
                ELSE 'lost'
            END AS kind,
            date_trunc('second', s.now - s.r_age * interval '365 days') AS create_date
        FROM (
            SELECT
                i,
                (now() AT TIME ZONE 'UTC')::timestamp AS now,
                random() AS r_user, random() AS r_partner, random() AS r_kind,
                random() AS r_stage, random() AS r_prob, random() AS r_revenue,
                random() AS r_age, random() AS r_write, random() AS r_stage_date,
                random() AS r_creator, random() AS r_misc
            FROM generate_series(1, %(n_leads)s) AS i
            ORDER BY i
        ) s
    ) g
) d
JOIN res_partner p ON p.id = d.partner_id
ORDER BY d.i
"""


class Timer:
    def __init__(self):
        self.start = time.monotonic()
        self.steps = []

    def step(self, label, t0):
        elapsed = time.monotonic() - t0
        self.steps.append((label, elapsed))
        print(f"  {label:<52} {elapsed:8.2f} s", flush=True)
        return time.monotonic()


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--leads", type=int, default=100000)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument(
        "--partners", type=int, default=None, help="default: leads / 5 (at least users)"
    )
    parser.add_argument(
        "--auto-share",
        type=float,
        default=0.02,
        help="share of leads created by OdooBot (no registrar), default 0.02",
    )
    args, odoo_args = parser.parse_known_args(argv)
    if args.users < 1 or args.leads < 1:
        parser.error("--users and --leads must be at least 1")
    if args.partners is None:
        args.partners = max(args.leads // 5, args.users)
    args.partners = max(args.partners, args.users)
    return args, odoo_args


def create_users_and_teams(env, n_users):
    salesman = env.ref("sales_team.group_sale_salesman")
    company = env.company
    users = env["res.users"].create(
        [
            {
                "name": f"Salesperson {i:02d}",
                "login": f"bench_sp_{i:02d}",
                "email": f"bench_sp_{i:02d}@bench.example.com",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, salesman.ids)],
            }
            for i in range(1, n_users + 1)
        ]
    )
    n_teams = math.ceil(n_users / 10)
    teams = env["crm.team"].create(
        [
            {
                "name": f"Bench Team {t + 1:02d}",
                "user_id": users[t * 10].id,
                "company_id": company.id,
                "use_leads": True,
                "use_opportunities": True,
                "crm_team_member_ids": [
                    (0, 0, {"user_id": user.id}) for user in users[t * 10 : t * 10 + 10]
                ],
            }
            for t in range(n_teams)
        ]
    )
    team_of_user = [teams[i // 10].id for i in range(n_users)]
    return users, teams, team_of_user


_NAME = "'Customer ' || lpad(g.j::text, 5, '0') || ' Ltd'"
_EMAIL = "'contact@customer' || lpad(g.j::text, 5, '0') || '.example.com'"
# Columns of the cloned customers that differ from their prototype's.
PARTNER_OVERRIDES = {
    "name": _NAME,
    "complete_name": _NAME,
    "commercial_company_name": _NAME,
    "email": _EMAIL,
    "email_normalized": _EMAIL,
}


def partner_vals(j, user_id):
    name = f"Customer {j:05d} Ltd"
    return {
        "name": name,
        "is_company": True,
        "email": f"contact@customer{j:05d}.example.com",
        "user_id": user_id,
        "customer_rank": 1,
        "company_id": False,
    }


def create_partners(env, users, n_partners):
    """One customer per salesperson through the ORM, the others cloned from them.

    Customer j (1-based) belongs to salesperson (j - 1) mod USERS and is a copy
    of that salesperson's ORM-created customer with its own name and e-mail:
    every stored column Odoo computed stays consistent, whatever modules add.
    """
    cr = env.cr
    n_users = len(users)
    protos = env["res.partner"].create(
        [partner_vals(j, users[j - 1].id) for j in range(1, n_users + 1)]
    )
    env.flush_all()
    if n_partners > n_users:
        cr.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = 'res_partner'"
            " ORDER BY ordinal_position"
        )
        columns = [row[0] for row in cr.fetchall()]
        overrides = dict(PARTNER_OVERRIDES, id="g.id", commercial_partner_id="g.id")
        select = ", ".join(overrides.get(col, f'p."{col}"') for col in columns)
        # The clones reference what their (valid) prototypes do. Checking
        # foreign keys row by row would plan the self-reference check as a
        # sequential scan of the table growing under it: skip the checks.
        cr.execute("SET LOCAL session_replication_role = replica")
        cr.execute(
            f"""
            -- Read the prototypes once: a join to res_partner itself would
            -- rescan the rows this statement inserts, quadratically.
            WITH p AS MATERIALIZED (
                SELECT array_position(%(protos)s::int[], id) AS k, *
                  FROM res_partner
                 WHERE id = ANY(%(protos)s::int[])
            )
            INSERT INTO res_partner ({", ".join(f'"{col}"' for col in columns)})
            SELECT {select}
              FROM (SELECT j, nextval('res_partner_id_seq') AS id
                      FROM generate_series(%(first)s, %(last)s) AS j
                     ORDER BY j) AS g
              JOIN p ON p.k = 1 + (g.j - 1) %% %(n_users)s
             ORDER BY g.j
            RETURNING id
            """,
            {
                "first": n_users + 1,
                "last": n_partners,
                "protos": protos.ids,
                "n_users": n_users,
            },
        )
        clone_ids = sorted(row[0] for row in cr.fetchall())
        cr.execute("SET LOCAL session_replication_role = DEFAULT")
        cr.execute("ANALYZE res_partner")
    else:
        clone_ids = []
    env.invalidate_all()
    return protos.ids + clone_ids


def insert_leads(env, args, users, team_of_user, partner_ids):
    cr = env.cr
    stages = env["crm.stage"].search([], order="sequence, id")
    open_stages = stages.filtered(lambda s: not s.is_won and not s.fold)
    won_stage = stages.filtered("is_won")[:1]
    if not open_stages or not won_stage:
        raise SystemExit("Expected open stages and a won stage in crm_stage.")
    lost_reasons = env["crm.lost.reason"].search([], order="id").ids or [None]
    n_users = len(users)
    per_user = len(partner_ids) // n_users
    lang = env["res.lang"]._lang_get(env.lang or "en_US")
    # Trigram (GIN) indexes cost most of a row-by-row insert: build them after.
    cr.execute(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE schemaname = current_schema() AND tablename = 'crm_lead'"
        " AND indexdef ILIKE '%% USING gin %%'"
    )
    gin_indexes = cr.fetchall()
    for name, _definition in gin_indexes:
        cr.execute(f'DROP INDEX "{name}"')
    # Every reference comes from rows read above: skip the per-row foreign
    # key checks (most of the insert's time otherwise).
    cr.execute("SET LOCAL session_replication_role = replica")
    cr.execute("SELECT setseed(%s)", (SEED,))
    cr.execute(
        LEADS_SQL,
        {
            "n_leads": args.leads,
            "n_users": n_users,
            "users": users.ids,
            "teams": team_of_user,
            "partners": partner_ids[: per_user * n_users],
            "per_user": per_user,
            "open_stages": open_stages.ids,
            "open_prob": [
                OPEN_STAGE_PROBABILITY[min(k, len(OPEN_STAGE_PROBABILITY) - 1)]
                for k in range(len(open_stages))
            ],
            "won_stage": won_stage.id,
            "lost_reasons": lost_reasons,
            "auto_share": args.auto_share,
            "superuser": SUPERUSER_ID,
            "company_id": env.company.id,
            "lang_id": lang.id or None,
        },
    )
    count = cr.rowcount
    cr.execute("SET LOCAL session_replication_role = DEFAULT")
    cr.execute(
        """
        SELECT count(*) FROM crm_lead l
          LEFT JOIN res_partner p ON p.id = l.partner_id
          LEFT JOIN res_users u ON u.id = l.user_id
          LEFT JOIN res_users c ON c.id = l.create_uid
          LEFT JOIN crm_team t ON t.id = l.team_id
          LEFT JOIN crm_stage s ON s.id = l.stage_id
         WHERE p.id IS NULL OR u.id IS NULL OR c.id IS NULL OR t.id IS NULL
            OR s.id IS NULL
        """
    )
    dangling = cr.fetchone()[0]
    if dangling:
        raise SystemExit(f"{dangling} generated leads reference missing records")
    t0 = time.monotonic()
    for _name, definition in gin_indexes:
        cr.execute(definition)
    elapsed = time.monotonic() - t0
    print(f"  ({len(gin_indexes)} trigram indexes rebuilt in {elapsed:.2f} s)")
    return count


def vacuum_analyze(dbname):
    import psycopg2

    _name, info = odoo.sql_db.connection_info_for(dbname)
    cnx = psycopg2.connect(**info)
    try:
        cnx.autocommit = True
        with cnx.cursor() as cur:
            cur.execute("VACUUM (ANALYZE)")
    finally:
        cnx.close()


def verify(registry, user_id):
    """A salesperson lists 80 of their leads and groups them by stage."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        login = env["res.users"].browse(user_id).login
        Lead = env["crm.lead"].with_user(user_id)
        fields_list = [
            "name",
            "type",
            "partner_id",
            "email_from",
            "stage_id",
            "user_id",
            "team_id",
            "expected_revenue",
            "prorated_revenue",
            "probability",
            "priority",
            "create_date",
            "date_last_stage_update",
        ]
        rows = Lead.search_read([("type", "=", "opportunity")], fields_list, limit=80)
        spec = {
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "stage_id": {"fields": {"display_name": {}}},
            "user_id": {"fields": {"display_name": {}}},
            "expected_revenue": {},
            "probability": {},
            "activity_ids": {},
            "tag_ids": {"fields": {"display_name": {}}},
        }
        web = Lead.web_search_read([], spec, limit=80)
        groups = Lead.read_group(
            [("type", "=", "opportunity")], ["expected_revenue:sum"], ["stage_id"]
        )
        # Every field of a few leads, lost ones included, reads too.
        sample = Lead.with_context(active_test=False).search([], limit=20, order="id")
        sample |= Lead.with_context(active_test=False).search(
            [("active", "=", False)], limit=5
        )
        sample.read()
        total = Lead.search_count([])
        n_opportunities = Lead.search_count([("type", "=", "opportunity")])
        cr.rollback()
    expected = min(80, total)
    if len(rows) != min(80, n_opportunities) or len(web["records"]) != expected:
        raise SystemExit("verification failed: the salesperson cannot list their leads")
    if n_opportunities and not groups:
        raise SystemExit("verification failed: the salesperson cannot list their leads")
    print(
        f"  check: {login} sees {total} active leads; search_read and "
        f"web_search_read gave {len(rows)} and {len(web['records'])} rows; "
        "read_group by stage: "
        + ", ".join(f"{g['stage_id'][1]}={g['stage_id_count']}" for g in groups),
        flush=True,
    )


def main():
    args, odoo_args = parse_args(sys.argv[1:])
    odoo.tools.config.parse_config(odoo_args)
    dbname = odoo.tools.config["db_name"]
    if isinstance(dbname, list):  # odoo 18 may keep a list
        dbname = dbname[0]
    if not dbname:
        raise SystemExit("give the database with -d")
    print(
        f"Generating {args.leads} leads, {args.users} users, {args.partners} "
        f"customers in {dbname}",
        flush=True,
    )
    timer = Timer()
    t0 = time.monotonic()
    registry = odoo.modules.registry.Registry(dbname)
    t0 = timer.step("load registry", t0)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, NO_MAIL)
        cr.execute("SELECT count(*) FROM crm_lead")
        if cr.fetchone()[0]:
            raise SystemExit(f"{dbname} already has leads; generate into a fresh one.")
        users, teams, team_of_user = create_users_and_teams(env, args.users)
        check_user_id = users[1 % len(users)].id  # a salesperson, not a leader
        t0 = timer.step(f"{len(users)} salespeople in {len(teams)} teams (ORM)", t0)
        partner_ids = create_partners(env, users, args.partners)
        t0 = timer.step(
            f"{len(partner_ids)} customers ({len(users)} ORM, others SQL)", t0
        )
        n = insert_leads(env, args, users, team_of_user, partner_ids)
        t0 = timer.step(f"{n} leads (SQL INSERT ... SELECT)", t0)
        env.invalidate_all()
        cr.commit()
    vacuum_analyze(dbname)
    t0 = timer.step("VACUUM ANALYZE", t0)
    verify(registry, check_user_id)
    t0 = timer.step("ORM check as a salesperson", t0)
    print(f"  {'total':<52} {time.monotonic() - timer.start:8.2f} s", flush=True)


if __name__ == "__main__":
    main()
