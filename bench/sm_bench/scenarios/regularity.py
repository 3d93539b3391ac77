"""regularity: the repeat-client cron over many clients and their orders,
next to Odoo's sale order counts and activity_schedule of the same size."""

import datetime
import os
import statistics
import time
from functools import partial

from ..cron_runner import run_cron_calls
from ..harness import Row, log, probe, spread, timed
from ..registry import scenario

# The addon's steps within the cron, and the ORM's activity creation in them.
REG_HOOKS = [
    ("res.partner", "_sm_refresh_regularity"),
    ("res.partner", "_sm_regularity_activities"),
    ("mail.activity", "create"),
]
# Share of the repeat clients per profile (by row number modulo 20): where
# their last confirmed order lies relative to their expected interval I.
REG_PROFILES = """
    CASE WHEN n %% 20 < 9 THEN 'regular'  -- last order 0 .. I-4 days ago
         WHEN n %% 20 < 13 THEN 'due'     -- I-3 .. I+7 days ago
         WHEN n %% 20 < 17 THEN 'late'    -- I+8 .. 179 days ago
         WHEN n %% 20 < 19 THEN 'dormant' -- 180 .. 330 days ago
         ELSE 'target'                    -- monthly target only, 0 .. 39 days
    END
"""


def regularity_prepare(bench, db, size):
    """`size` repeat clients, about ten confirmed orders each, in SQL.

    The template's customers (companies, each with a bench salesperson) are
    completed by clones of them (same salesperson, so same team and leader)
    up to `size`; each gets an expected interval of 7..60 days (a
    quarter of them also a monthly target of 500..5,000, one in twenty a
    target only) and 5..15 orders (state 'sale', 100..5,000 untaxed, rate 1)
    over the last year, the last one placed so that its profile (REG_PROFILES)
    makes it regular, due, late or dormant today. Returns a description.
    """
    start = time.perf_counter()
    customers = "is_company AND id = commercial_partner_id AND user_id IS NOT NULL"
    existing = bench.sql_value(
        db, f"SELECT count(*) FROM res_partner WHERE {customers}"
    )
    clones = max(0, size - existing)
    if clones:
        columns = [
            c
            for (c,) in bench.sql(
                db,
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = 'res_partner'"
                " ORDER BY ordinal_position",
            )
        ]
        name = "'Repeat client ' || lpad(g.j::text, 5, '0')"
        email = "'buyer@repeat' || lpad(g.j::text, 5, '0') || '.example.com'"
        overrides = {
            "id": "g.id",
            "commercial_partner_id": "g.id",
            "name": name,
            "complete_name": name,
            "commercial_company_name": name,
            "email": email,
            "email_normalized": email,
        }
        select = ", ".join(overrides.get(c, f'p."{c}"') for c in columns)
        cnx = bench.connect(db)
        try:
            cnx.autocommit = False
            with cnx.cursor() as cur:
                # the prototypes' references are valid: skip the FK checks
                cur.execute("SET LOCAL session_replication_role = replica")
                cur.execute(
                    f"""
                    WITH p AS MATERIALIZED (
                        SELECT row_number() OVER (ORDER BY user_id) AS k, *
                          FROM res_partner
                         WHERE id IN (SELECT min(id) FROM res_partner
                                       WHERE {customers} GROUP BY user_id)
                    ), nb AS (SELECT count(*) AS c FROM p)
                    INSERT INTO res_partner ({", ".join(f'"{c}"' for c in columns)})
                    SELECT {select}
                      FROM (SELECT j, nextval('res_partner_id_seq') AS id
                              FROM generate_series(1, %(clones)s) AS j
                             ORDER BY j) AS g
                      CROSS JOIN nb
                      JOIN p ON p.k = 1 + (g.j - 1) %% nb.c
                    """,
                    {"clones": clones},
                )
            cnx.commit()
        finally:
            cnx.close()
    bench.sql(
        db,
        f"""
        UPDATE res_partner p
           SET sm_purchase_interval = CASE WHEN r.profile = 'target' THEN 0
                                           ELSE r.interval END,
               sm_monthly_target = CASE WHEN r.profile = 'target' OR r.n %% 4 = 0
                                        THEN 500 + (r.n * 31 %% 10) * 500 END
          FROM (SELECT n, id, 7 + (n * 7919 %% 54) AS interval, {REG_PROFILES} profile
                  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
                          FROM res_partner WHERE {customers}
                         ORDER BY id LIMIT %(limit)s) c) r
         WHERE p.id = r.id
        """,
        {"limit": size},
    )
    company_id, currency_id = bench.sql(
        db, "SELECT id, currency_id FROM res_company ORDER BY id LIMIT 1"
    )[0]
    orders = bench.sql_value(
        db,
        f"""
        WITH c AS (
            SELECT id, user_id, n, interval, profile,
                   CASE profile
                        WHEN 'regular' THEN n * 13 %% greatest(interval - 3, 1)
                        WHEN 'due' THEN interval - 3 + n * 13 %% 11
                        WHEN 'late' THEN interval + 8 + n * 13 %% (172 - interval)
                        WHEN 'dormant' THEN 180 + n * 13 %% 151
                        ELSE n * 13 %% 40
                   END AS age,
                   5 + n * 17 %% 11 AS orders
              FROM (SELECT id, user_id, n, 7 + (n * 7919 %% 54) AS interval,
                           {REG_PROFILES} AS profile
                      FROM (SELECT id, user_id, row_number() OVER (ORDER BY id) AS n
                              FROM res_partner WHERE {customers}
                             ORDER BY id LIMIT %(limit)s) x) y
        ), o AS (
            SELECT c.*, k, row_number() OVER (ORDER BY c.id, k) AS o,
                   c.age + (k * c.interval) %% greatest(365 - c.age, 1) AS days
              FROM c CROSS JOIN LATERAL generate_series(0, c.orders - 1) AS k
        ), ins AS (
            INSERT INTO sale_order (
                name, partner_id, partner_invoice_id, partner_shipping_id,
                company_id, currency_id, currency_rate, user_id, team_id,
                date_order, state, invoice_status, locked, require_signature,
                require_payment, prepayment_percent, amount_untaxed, amount_tax,
                amount_total, create_uid, create_date, write_uid, write_date)
            SELECT 'SB' || lpad(o.o::text, 7, '0'), o.id, o.id, o.id,
                   %(company)s, %(currency)s, 1.0, o.user_id, m.crm_team_id,
                   current_date - o.days::int
                       + make_interval(hours => 8 + o.o::int %% 10),
                   'sale', 'no', FALSE, FALSE, FALSE, 1.0,
                   100 + o.o %% 4900, 0, 100 + o.o %% 4900,
                   o.user_id, current_date - o.days::int,
                   o.user_id, current_date - o.days::int
              FROM o
              LEFT JOIN LATERAL (SELECT crm_team_id FROM crm_team_member
                                  WHERE user_id = o.user_id AND active
                                  ORDER BY id LIMIT 1) m ON TRUE
            RETURNING 1
        )
        SELECT count(*) FROM ins
        """,
        {"limit": size, "company": company_id, "currency": currency_id},
    )
    bench.sql(db, "VACUUM (ANALYZE) res_partner, sale_order")
    repeat, with_target, target_only = bench.sql(
        db,
        "SELECT count(*), count(*) FILTER (WHERE sm_monthly_target > 0),"
        " count(*) FILTER (WHERE sm_purchase_interval = 0)"
        " FROM res_partner WHERE sm_purchase_interval > 0 OR sm_monthly_target > 0",
    )[0]
    log(f"regularity data loaded in {time.perf_counter() - start:.1f} s")
    return (
        f"{repeat} repeat clients ({existing} from the template, {clones} cloned "
        f"in SQL; {with_target} with a monthly target, {target_only} of them "
        f"without interval), {orders} confirmed orders over the last 12 months "
        "(5..15 each); loaded by SQL, then VACUUM ANALYZE"
    )


def regularity_states(env):
    """{partner id: regularity state} of the repeat clients (and former ones)."""
    env.cr.execute(
        "SELECT id, sm_regularity_state FROM res_partner"
        " WHERE sm_purchase_interval > 0 OR sm_monthly_target > 0"
        " OR sm_regularity_state IS NOT NULL"
    )
    return dict(env.cr.fetchall())


SIZES = {
    "default": {
        "customers": 50000,
        "orders": "500k",
        "repeat": int(os.environ.get("BENCH_REG_REPEAT", "3")),
    },
    # more than the tiny template's 600 customers: some cloned, as at 100k
    "tiny": {"customers": 800, "orders": "8k", "repeat": 1},
}


@scenario(
    "regularity",
    "The repeat-client regularity cron over {customers} clients and "
    "{orders} confirmed sale orders",
    baseline="No Odoo counterpart to the cron itself; next to it, Odoo's own "
    "operations of the same size on the same data: res.partner."
    "_compute_sale_order_count() for the same clients (the customer "
    "statistics of the partner form: a search of the clients' contacts and a "
    "_read_group of the sale orders by partner; as admin, sudo) and Odoo's "
    "activity_schedule() creating the same reminders and alerts (same "
    "partners, users and types, one call per user and type, no e-mail "
    "notification: mail_activity_quick_update, as ours). Ours: res.partner."
    "_cron_sm_regularity() as the cron runs it (superuser; all its batches, "
    "flushed between calls instead of committed): the refresh of "
    "every repeat client's figures and state, then the activities; with the "
    "flush and precommit hooks a commit would run. Then a second run the same "
    "day in the same transaction (nothing to create). Each round in a new "
    "transaction, rolled back, then res_partner and mail_activity vacuumed; "
    "{repeat} rounds, medians. Target: the cron under 60 s.",
    sizes=SIZES,
)
def scenario_regularity(bench, p):
    from odoo import fields

    target = 60.0
    with bench.addon_db("ours") as db:
        data = regularity_prepare(bench, db, p.customers)
        log(f"regularity data: {data}")
        runs = {"first": [], "second": [], "next": [], "count": [], "schedule": []}
        queries, checks, hook_runs = {}, {}, {}
        for k in range(p.repeat):
            with bench.env(db) as env:
                Partner = env["res.partner"]
                before = regularity_states(env)
                env.cr.execute("SELECT coalesce(max(id), 0) FROM mail_activity")
                last_activity = env.cr.fetchone()[0]
                with probe(env, REG_HOOKS) as stats:
                    _, seconds, count = timed(
                        env, partial(run_cron_calls, env, "regularity")
                    )
                log(f"cron run {k + 1}: {seconds:.1f} s, {count} queries")
                runs["first"].append(seconds)
                queries["first"] = count
                for name, (hook_s, hook_q, _calls) in stats.items():
                    log(f"  of which {name}: {hook_s:.1f} s, {hook_q} queries")
                    hook_runs.setdefault(name, []).append((hook_s, hook_q))
                after = regularity_states(env)
                changed = sum(after[i] != before.get(i) for i in after)
                by_state = {}
                for state in sorted(after.values(), key=str):
                    by_state[state] = by_state.get(state, 0) + 1
                env.cr.execute(
                    """
                    SELECT a.res_id, a.user_id, a.activity_type_id, a.summary
                      FROM mail_activity a WHERE a.id > %s ORDER BY a.id
                    """,
                    [last_activity],
                )
                created = env.cr.fetchall()
                types = env["mail.activity.type"].browse(
                    {t for _r, _u, t, _s in created}
                )
                per_type = {
                    t.name: sum(1 for row in created if row[2] == t.id) for t in types
                }
                states = ", ".join(f"{n} {s or 'none'}" for s, n in by_state.items())
                checks["first"] = (
                    f"{changed} clients changed state ({states}); "
                    f"{len(created)} activities created "
                    f"({', '.join(f'{n} {t}' for t, n in sorted(per_type.items()))})"
                )
                env.invalidate_all()
                env.cr.execute("SELECT coalesce(max(id), 0) FROM mail_activity")
                last_activity = env.cr.fetchone()[0]
                _, seconds, count = timed(
                    env, partial(run_cron_calls, env, "regularity")
                )
                log(
                    f"cron again the same day {k + 1}: {seconds:.1f} s, {count} queries"
                )
                runs["second"].append(seconds)
                queries["second"] = count
                again = regularity_states(env)
                env.cr.execute(
                    "SELECT count(*) FROM mail_activity WHERE id > %s", [last_activity]
                )
                checks["second"] = (
                    f"{sum(again[i] != after.get(i) for i in again)} clients changed "
                    f"state, {env.cr.fetchone()[0]} activities created"
                )
                # the next day: the cron's two steps with tomorrow's date
                env.invalidate_all()
                tomorrow = fields.Date.context_today(Partner) + datetime.timedelta(1)

                def next_day(Partner=Partner, tomorrow=tomorrow):
                    attention = Partner.browse()._sm_refresh_regularity(
                        everyone=True, today=tomorrow
                    )
                    return Partner._sm_regularity_activities(attention)

                states = regularity_states(env)
                activities, seconds, count = timed(env, next_day)
                log(f"cron the next day {k + 1}: {seconds:.1f} s, {count} queries")
                runs["next"].append(seconds)
                queries["next"] = count
                moved = regularity_states(env)
                moved = sum(moved[i] != states.get(i) for i in moved)
                checks["next"] = (
                    f"{moved} clients changed state, "
                    f"{len(activities)} activities created"
                )
            bench.sql(db, "VACUUM (ANALYZE) res_partner, mail_activity, mail_followers")
            # Odoo: the sale order counts of the same clients
            ids = sorted(after)
            with bench.env(db, user="admin") as env:
                partners = env["res.partner"].sudo().browse(ids)
                _, seconds, count = timed(env, partners._compute_sale_order_count)
                log(f"sale_order_count {k + 1}: {seconds:.1f} s, {count} queries")
                runs["count"].append(seconds)
                queries["count"] = count
                total = sum(partners.mapped("sale_order_count"))
                checks["count"] = f"{len(ids)} clients, {total} orders counted"
            # Odoo: the same activities through activity_schedule
            with bench.env(db) as env:
                groups = {}
                for res_id, user_id, type_id, summary in created:
                    groups.setdefault((user_id, type_id), ([], summary))[0].append(
                        res_id
                    )
                Partner = env["res.partner"].with_context(
                    mail_activity_quick_update=True
                )

                def schedule(groups=groups, Partner=Partner):
                    for (user_id, type_id), (res_ids, summary) in groups.items():
                        Partner.browse(res_ids).activity_schedule(
                            activity_type_id=type_id, user_id=user_id, summary=summary
                        )

                env.cr.execute("SELECT coalesce(max(id), 0) FROM mail_activity")
                last_activity = env.cr.fetchone()[0]
                _, seconds, count = timed(env, schedule)
                log(f"activity_schedule {k + 1}: {seconds:.1f} s, {count} queries")
                runs["schedule"].append(seconds)
                queries["schedule"] = count
                env.cr.execute(
                    "SELECT count(*) FROM mail_activity WHERE id > %s", [last_activity]
                )
                checks["schedule"] = (
                    f"{env.cr.fetchone()[0]} activities created in "
                    f"{len(groups)} calls (one per user and type)"
                )
            bench.sql(db, "VACUUM (ANALYZE) res_partner, mail_activity, mail_followers")
    first = statistics.median(runs["first"])
    verdict = "within" if first < target else "MISSES"
    hooks = ", ".join(
        f"{'mail.activity.' if name == 'create' else ''}{name} "
        f"{statistics.median(s for s, _q in measured):.1f} s "
        f"({statistics.median(q for _s, q in measured):.0f} queries)"
        for name, measured in hook_runs.items()
    )
    return [
        Row(
            "_cron_sm_regularity, first run of the day (ours)",
            first,
            queries["first"],
            "; ".join(
                filter(
                    None,
                    [
                        f"{verdict} the {target:.0f} s target",
                        f"in it: {hooks} (medians)",
                        checks["first"],
                        spread(runs["first"]),
                    ],
                )
            ),
        ),
        Row(
            "_cron_sm_regularity, again the same day (ours)",
            statistics.median(runs["second"]),
            queries["second"],
            "; ".join(filter(None, [checks["second"], spread(runs["second"])])),
        ),
        Row(
            "refresh + activities the next day (ours)",
            statistics.median(runs["next"]),
            queries["next"],
            "; ".join(
                filter(
                    None,
                    [
                        "the cron's two steps with today = tomorrow, after the "
                        "two runs above (a normal day)",
                        checks["next"],
                        spread(runs["next"]),
                    ],
                )
            ),
        ),
        Row(
            "_compute_sale_order_count of the same clients (Odoo)",
            statistics.median(runs["count"]),
            queries["count"],
            "; ".join(filter(None, [checks["count"], spread(runs["count"])])),
        ),
        Row(
            "activity_schedule of the same activities (Odoo)",
            statistics.median(runs["schedule"]),
            queries["schedule"],
            "; ".join(filter(None, [checks["schedule"], spread(runs["schedule"])])),
        ),
        Row("data", None, "-", data),
    ]
