"""escalation: the selection of the first responses the escalation cron
(motivation.response._cron_escalate, the pool rule trigger "no first
response within N working hours") must look at, over every open lead
(issue 16)."""

import datetime

from ..data import BENCH_TEAMS_SQL, open_all_leads
from ..harness import Row, capture_sql, count_queries, explain, log, measure, timed
from ..registry import scenario

SELECT_TARGET = 0.5  # seconds

SIZES = {
    "default": {"due": 5000, "repeat": 11},
    "tiny": {"due": 150, "repeat": 3},
}


def escalation_prepare(bench, db):
    """Every lead open (SQL); the bench teams answer within 2 working hours
    and a "no first response" rule releases to the pool (ORM, committed);
    every assigned open lead has its current pending response (SQL),
    assigned yesterday, due tomorrow: none due yet. Returns the number of
    responses."""
    open_all_leads(bench, db)
    with bench.env(db, commit=True) as env:
        teams = env["crm.team"].search([("name", "like", "Bench Team")])
        teams.write({"sm_response_hours": 2})
        rule = env["motivation.pool.rule"].create(
            {
                "name": "No first response",
                "trigger": "no_response",
                "action": "release",
                "applies_to": "both",
                "response_hours": 0,
                "warning_minutes": 30,
                "team_ids": [(6, 0, teams.ids)],
            }
        )
        rule_id = rule.id
    bench.sql(
        db,
        f"""
        INSERT INTO motivation_response (
            lead_id, user_id, team_id, company_id, assigned_at, deadline, state,
            current, rule_id, warn_at, escalate_at, next_check,
            create_uid, create_date, write_uid, write_date)
        SELECT l.id, l.user_id, l.team_id, l.company_id, t.now - interval '1 day',
               t.now + interval '1 day', 'pending', TRUE, %(rule)s,
               t.now + interval '1 day' - interval '30 minutes',
               t.now + interval '1 day',
               t.now + interval '1 day' - interval '30 minutes',
               1, t.now, 1, t.now
          FROM crm_lead l
         CROSS JOIN (SELECT now() at time zone 'UTC' AS now) t
         WHERE l.active AND l.user_id IS NOT NULL
           AND l.team_id IN ({BENCH_TEAMS_SQL})
        """,
        {"rule": rule_id},
    )
    bench.sql(db, "VACUUM (ANALYZE) motivation_response")
    return bench.sql_value(db, "SELECT count(*) FROM motivation_response")


def make_due(bench, db, due):
    """`due` responses spread over the table (every n-th by id) are due:
    their deadline passed an hour ago, the rule's warning due."""
    total = bench.sql_value(db, "SELECT count(*) FROM motivation_response")
    bench.sql(
        db,
        """
        UPDATE motivation_response r
           SET deadline = t.now - interval '1 hour',
               warn_at = t.now - interval '90 minutes',
               escalate_at = t.now - interval '1 hour',
               next_check = t.now - interval '90 minutes'
          FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
                  FROM motivation_response) s,
               (SELECT now() at time zone 'UTC' AS now) t
         WHERE s.id = r.id AND s.n %% %(step)s = 0 AND s.n / %(step)s <= %(due)s
        """,
        {"step": max(total // due, 1), "due": due},
    )
    bench.sql(db, "VACUUM (ANALYZE) motivation_response")
    return bench.sql_value(
        db,
        "SELECT count(*) FROM motivation_response"
        " WHERE next_check <= now() at time zone 'UTC'",
    )


@scenario(
    "escalation",
    "Escalation: selecting the due first responses among every open lead's",
    baseline="No Odoo counterpart: the absolute time and the queries count. "
    "Every lead open, every assigned one with its current pending first "
    "response (the bench teams answer within 2 working hours; a pool rule "
    "'no first response' releases to the pool). With none due: the cron's "
    "call (motivation.response._cron_escalate(), outside Odoo's runner: the "
    "runner's progress record is one more UPDATE). Then {due} responses due "
    "(deadline passed, warning due), spread over the table: the cron's "
    "selection (its own statement, captured, with a limit of {due} instead of "
    "its batch of 500: every due response at once), and one call of the "
    "cron at its batch size (the 500 it warns), for scale. In a transaction "
    "rolled back. Targets: the selection under 0.5 s; with none due, one "
    "query.",
    sizes=SIZES,
)
def scenario_escalation(bench, p):
    rows = []
    with bench.addon_db("ours") as ours:
        responses = escalation_prepare(bench, ours)
        log(f"escalation: {responses} pending responses")
        with bench.env(ours) as env:
            Response = env["motivation.response"]
            with capture_sql(env.cr) as captured:
                _, queries = count_queries(env, Response._cron_escalate)
            timing = measure(Response._cron_escalate, env=env, repeat=p.repeat)
            bench.expect(queries == 1, f"escalation: {queries} queries, none due")
            rows.append(
                timing.row(
                    "_cron_escalate(), none due",
                    f"target: one query: {'met' if queries == 1 else 'MISSED'}",
                )
            )
            statement = next(q for q, _a in captured if "next_check" in str(q))
        due = make_due(bench, ours, p.due)
        bench.expect(due == p.due, f"escalation: {due} due, not {p.due}")
        from odoo.tools import SQL

        with bench.env(ours) as env:
            now = datetime.datetime.utcnow().replace(microsecond=0)
            params = list(statement.params)
            params[-1] = p.due  # LIMIT
            params[0] = now
            select = SQL(statement.code, *params)

            def selection():
                env.cr.execute(select)
                return env.cr.fetchall()

            found, queries = count_queries(env, selection)
            bench.expect(len(found) == p.due, f"escalation: {len(found)} selected")
            timing = measure(selection, env=env, repeat=p.repeat)
            lines = explain(env, select)
            for line in lines:
                log(f"  {line}")
            plan = "; ".join(
                line.strip().split("  (")[0] for line in lines if "Scan" in line
            )
            met = timing.seconds < SELECT_TARGET
            rows.append(
                timing.row(
                    f"the cron's selection, {p.due} due of {responses}",
                    f"{len(found)} selected and locked; target < "
                    f"{SELECT_TARGET} s: {'met' if met else 'MISSED'}; plan: {plan}",
                )
            )
            env.invalidate_all()
            Response = env["motivation.response"]
            _, seconds, queries = timed(env, Response._cron_escalate)
            env.cr.execute(
                "SELECT count(*) FROM motivation_response WHERE warned_at IS NOT NULL"
            )
            warned = env.cr.fetchone()[0]
            bench.expect(warned > 0, "escalation: the cron's call warned nobody")
            rows.append(
                Row(
                    "_cron_escalate(), one call (batch of "
                    f"{Response._escalate_batch_size})",
                    seconds,
                    queries,
                    f"{warned} salespeople warned (an activity each)",
                )
            )
    rows.append(
        Row(
            "data",
            None,
            "-",
            f"{responses} current pending responses, {p.due} of them due",
        )
    )
    return rows
