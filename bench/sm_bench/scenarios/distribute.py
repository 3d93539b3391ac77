"""distribute: the addon's fair distribution of new leads, next to Odoo's own
lead assignment of the same leads. Its data preparation
(`distribute_prepare`) is also the crons scenario's."""

import statistics

from ..baselines import odoo_assign
from ..data import BENCH_TEAMS_SQL, every_nth_lead, seed_mail, set_capacity
from ..harness import Row, alternate, log, ratio_note, spread, timed
from ..registry import scenario


def distribute_prepare(bench, db, count, fair=True):
    """`count` new leads (type lead, every n-th by id) made unassigned, the
    bench teams' members' capacity MEMBER_CAPACITY, followers and activities
    as in a CRM in use (seed_mail); fair=True: the bench teams distribute
    fairly (the addon's setting). Returns (the lead ids, seed_mail's text)."""
    leads = every_nth_lead(bench, db, count, where="active AND type = 'lead'")
    set_capacity(bench, db)
    bench.sql(
        db,
        "UPDATE crm_lead SET user_id = NULL, date_open = NULL WHERE id = ANY(%s)",
        [leads],
    )
    seeded = seed_mail(bench, db)
    if fair:
        bench.sql(
            db,
            f"UPDATE crm_team SET sm_fair_distribution = TRUE"
            f" WHERE id IN ({BENCH_TEAMS_SQL})",
        )
    bench.sql(db, "VACUUM (ANALYZE) crm_lead")
    return leads, seeded


# Odoo's side takes minutes: one run per side
SIZES = {
    "default": {"new_leads": 10000, "repeat": 1},
    "tiny": {"new_leads": 200, "repeat": 1},
}


@scenario(
    "distribute",
    "Distributing {new_leads} new unassigned leads over the members of " "three teams",
    baseline="Odoo's own member assignment (crm.team._action_assign_leads, "
    "daily quota forced, all creation dates, as the Assign Leads button; it "
    "also converts each lead to an opportunity, lead by lead) of the same "
    "leads on a copy WITHOUT the addon, vs the addon's fair distribution "
    "(crm.team._sm_distribute, as its hourly cron calls it) on a copy with it. "
    "The leads: new leads (type lead, first stage) of the three teams, made "
    "unassigned in both; members' capacity 30000 a month in both. Each run in "
    "a transaction rolled back afterwards, with flush and precommit hooks "
    "(tracking messages); Odoo's commits every 100 leads replaced by flushes. "
    "As superuser (the cron's user). Target: at most 1.0x Odoo's time.",
    sizes=SIZES,
)
def scenario_distribute(bench, p):
    target = 1.0
    rows = []
    with bench.fresh_db("odoo") as plain, bench.addon_db("ours") as ours:
        leads, seeded = distribute_prepare(bench, plain, p.new_leads, fair=False)
        same, seeded = distribute_prepare(bench, ours, p.new_leads)
        bench.expect(same == leads, "distribute: not the same leads on both copies")
        unassigned = bench.sql_value(
            ours,
            "SELECT count(*) FROM crm_lead WHERE user_id IS NULL AND active"
            " AND probability < 100 AND team_id IS NOT NULL AND in_pool IS NOT TRUE",
        )
        data = (
            f"{len(leads)} new leads (type lead) made unassigned in both copies; "
            f"{unassigned} unassigned open leads of the teams in ours; {seeded}"
        )
        log(f"distribute data: {data}")
        runs = {"Odoo": [], "ours": []}
        queries, checks = {}, {}
        for k, side in alternate(["Odoo", "ours"], p.repeat):
            with bench.env(plain if side == "Odoo" else ours) as env:
                if side == "Odoo":
                    seconds, count, checks[side] = odoo_assign(env, leads)
                else:
                    teams = env["crm.team"].search(
                        [("sm_fair_distribution", "=", True)]
                    )
                    plan, seconds, count = timed(env, teams._sm_distribute)
                    counts = sorted(len(v) for v in plan.values())
                    bench.expect(
                        sum(counts) == len(leads),
                        f"distribute: {sum(counts)} of {len(leads)} distributed",
                    )
                    checks[side] = (
                        f"{sum(counts)} leads distributed over {len(plan)} "
                        f"salespeople ({counts[0]}-{counts[-1]} each)"
                    )
                log(f"distribute {side} run {k + 1}: {seconds:.1f} s, {count} queries")
                runs[side].append(seconds)
                queries[side] = count
        odoo_s = statistics.median(runs["Odoo"])
        ours_s = statistics.median(runs["ours"])
        _ratio, note = ratio_note(ours_s, odoo_s, target)
        rows.append(
            Row(
                f"_action_assign_leads, {len(leads)} leads (Odoo)",
                odoo_s,
                queries["Odoo"],
                "; ".join(filter(None, [checks["Odoo"], spread(runs["Odoo"])])),
            )
        )
        rows.append(
            Row(
                f"_sm_distribute, {len(leads)} leads (ours)",
                ours_s,
                queries["ours"],
                "; ".join(filter(None, [note, checks["ours"], spread(runs["ours"])])),
            )
        )
    rows.append(Row("data", None, "-", data))
    return rows
