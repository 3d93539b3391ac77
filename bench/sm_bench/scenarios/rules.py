"""rules: a pool rule's candidate search and its warn phase, next to Odoo's
search of the same shape and its activity creation. Its data preparation
(`rules_prepare`) is also the release and crons scenarios'."""

import datetime
import statistics
from functools import partial

from ..baselines import odoo_activities
from ..data import (
    MEMBER_CAPACITY,
    every_nth_lead,
    open_all_leads,
    seed_mail,
    set_capacity,
)
from ..harness import (
    Row,
    alternate,
    log,
    measure_sides,
    probe,
    ratio_note,
    spread,
    timed,
)
from ..registry import scenario

RULE_DAYS = 30
# p.due: deals without interaction for longer than the rule's days
SIZES = {"default": {"due": 10000, "repeat": 3}, "tiny": {"due": 200, "repeat": 1}}


def rules_prepare(bench, plain, ours, due_count):
    """Both copies: every lead open and assigned (leads and opportunities),
    due_count of them (every n-th by id) last touched 60 days ago, the others
    yesterday; team members' capacity MEMBER_CAPACITY. Ours: sm_last_touch_date
    and a rule "no interaction for 30 days" (release) for every team. The
    plain copy: the same dates in Odoo's own date_last_stage_update, which
    Odoo's side searches on. Returns (due lead ids, rule id, data text)."""
    for db in (plain, ours):
        opened = open_all_leads(bench, db)
        set_capacity(bench, db)
        seeded = seed_mail(bench, db)
    due = every_nth_lead(bench, ours, due_count)
    for db, column in ((plain, "date_last_stage_update"), (ours, "sm_last_touch_date")):
        bench.sql(
            db,
            f"""
            UPDATE crm_lead SET {column} = CASE WHEN id = ANY(%s)
                THEN now() at time zone 'UTC' - interval '60 days'
                ELSE now() at time zone 'UTC' - interval '1 day' END
            """,
            [due],
        )
        bench.sql(db, "VACUUM (ANALYZE) crm_lead")
    with bench.env(ours, commit=True) as env:
        rule = env["motivation.pool.rule"].create(
            {
                "name": "No interaction for 30 days",
                "trigger": "no_interaction",
                "days": RULE_DAYS,
                "warning_days": 5,
                "action": "release",
            }
        )
        rule_id = rule.id
    data = (
        f"{opened} open leads and opportunities, all assigned; {len(due)} of them "
        f"last touched 60 days ago, the others yesterday; rule "
        f"'No interaction for {RULE_DAYS} days' (warning 5 days before, every "
        f"team, skip deals with a planned activity), members' capacity "
        f"{MEMBER_CAPACITY} a month; {seeded}"
    )
    return due, rule_id, data


def odoo_stale_domain(env, days):
    """Odoo's own search of the same shape as the rule's, on its indexed
    date_last_stage_update (what the addon's 'stage unchanged' trigger uses)."""
    now = datetime.datetime.now()
    return [
        ("active", "=", True),
        ("probability", "<", 100),
        ("user_id", "!=", False),
        ("company_id", "in", [env.company.id, False]),
        ("team_id", "!=", False),
        (
            "activity_ids",
            "not any",
            [("date_deadline", ">=", datetime.date.today())],
        ),
        ("date_last_stage_update", "<=", now - datetime.timedelta(days=days)),
    ]


@scenario(
    "rules",
    "Pool rule evaluation over {leads} open leads, {due} due",
    baseline="Candidate selection: rule._candidates (one search) vs, on a copy "
    "without the addon, Odoo's own crm.lead search of the same shape (open, "
    "assigned, in a team, company, no planned activity) on its indexed "
    "date_last_stage_update carrying the same dates; warm, ORM cache cleared "
    "before every call, the two copies measured in turns. The warn phase: "
    "rule._apply (lapse, warn: one notice and one activity per deal) vs Odoo's "
    "own mail.activity create of the same number of activities in one batch; "
    "each run in a transaction rolled back afterwards, with flush and precommit "
    "hooks. As superuser (the cron's user). Target: candidate selection under "
    "2 s.",
    sizes=SIZES,
)
def scenario_rules(bench, p):
    target = 2.0
    rows = []
    with bench.fresh_db("odoo") as plain, bench.addon_db("ours") as ours:
        due, rule_id, data = rules_prepare(bench, plain, ours, p.due)
        log(f"rules data: {data}")
        with bench.env(plain) as odoo_env, bench.env(ours) as our_env:
            rule = our_env["motivation.pool.rule"].browse(rule_id)
            now = datetime.datetime.now()

            def ours_candidates():
                return rule._candidates(now, rule.days)

            def ours_warned():
                return rule._candidates(now, rule.days - rule.warning_days)

            def odoo_candidates():
                return odoo_env["crm.lead"].search(odoo_stale_domain(odoo_env, 30))

            found = {
                "ours": len(ours_candidates()),
                "warned": len(ours_warned()),
                "Odoo": len(odoo_candidates()),
            }
            timings = measure_sides(
                {
                    "Odoo": (odoo_candidates, odoo_env),
                    "ours": (ours_candidates, our_env),
                    "warned": (ours_warned, our_env),
                }
            )
        for side, label in (
            ("Odoo", "Odoo's search of the same shape"),
            ("ours", f"rule._candidates(now, {RULE_DAYS} days) (ours)"),
            ("warned", f"rule._candidates(now, {RULE_DAYS - 5} days) (ours)"),
        ):
            note = f"{found[side]} deals found (expected {len(due)})"
            bench.expect(found[side] == len(due), f"rules {side}: {note}")
            if side != "Odoo":
                _ratio, ratio = ratio_note(
                    timings[side].seconds, timings["Odoo"].seconds, 1.0
                )
                verdict = "within" if timings[side].seconds < target else "MISSES"
                note = (
                    f"{verdict} the {target:.0f} s target; "
                    f"{ratio.split(',')[0]}; {note}"
                )
            rows.append(timings[side].row(label, note))
        # the warn phase of _apply, and Odoo's own activity create
        runs = {"Odoo": [], "ours": []}
        queries, checks = {}, {}
        for k, side in alternate(["Odoo", "ours"], p.repeat):
            with bench.env(plain if side == "Odoo" else ours) as env:
                if side == "Odoo":
                    per_batch, seconds, count = timed(
                        env, partial(odoo_activities, env, due, len(due))
                    )
                    checks[side] = f"{len(due)} activities created"
                else:
                    rule = env["motivation.pool.rule"].browse(rule_id)
                    with probe(env, [("motivation.pool.rule", "_candidates")]) as stats:
                        _, seconds, count = timed(
                            env, partial(rule._apply, datetime.datetime.now())
                        )
                    env.cr.execute(
                        "SELECT count(*), count(activity_id) FROM"
                        " motivation_pool_notice WHERE state = 'pending'"
                    )
                    notices, activities = env.cr.fetchone()
                    cand_s, cand_q, cand_n = stats["_candidates"]
                    checks[side] = (
                        f"{notices} notices with {activities} activities; "
                        f"{cand_n} candidate searches in it: {cand_s:.2f} s, "
                        f"{cand_q} queries"
                    )
                log(f"rules warn {side} run {k + 1}: {seconds:.1f} s, {count} queries")
                runs[side].append(seconds)
                queries[side] = count
        odoo_s = statistics.median(runs["Odoo"])
        ours_s = statistics.median(runs["ours"])
        rows.append(
            Row(
                f"mail.activity create, {len(due)} activities (Odoo)",
                odoo_s,
                queries["Odoo"],
                "; ".join(filter(None, [checks["Odoo"], spread(runs["Odoo"])])),
            )
        )
        rows.append(
            Row(
                "rule._apply, first run: warn (ours)",
                ours_s,
                queries["ours"],
                "; ".join(
                    filter(
                        None,
                        [
                            f"{ours_s / odoo_s:.2f}x Odoo's time (no target)",
                            checks["ours"],
                            spread(runs["ours"]),
                        ],
                    )
                ),
            )
        )
    rows.append(Row("data", None, "-", data))
    return rows
