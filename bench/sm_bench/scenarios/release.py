"""release: a pool rule releasing, then reassigning, its due leads, next to
Odoo's own lead assignment of the same leads."""

import statistics
from functools import partial

from ..baselines import odoo_assign
from ..harness import Row, alternate, log, ratio_note, spread, timed
from ..registry import scenario
from .rules import rules_prepare

# Odoo's side takes minutes: one run per side
SIZES = {"default": {"due": 10000, "repeat": 1}, "tiny": {"due": 200, "repeat": 1}}


@scenario(
    "release",
    "Releasing and reassigning the {due} due leads of a pool rule",
    baseline="Odoo's own lead assignment (crm.team._action_assign_leads, daily "
    "quota forced, all creation dates, as the Assign Leads button; it converts "
    "and assigns lead by lead) of the same leads, made unassigned, to the "
    "members of the same three teams, on a copy WITHOUT the addon. Ours: "
    "rule._act(leads) with the rule's action 'release', then 'reassign' "
    "(least loaded member), on a copy with the addon, the salesperson's "
    "tracking on. Each run in a transaction rolled back afterwards, with flush "
    "and precommit hooks (tracking messages); Odoo's commits every 100 leads "
    "replaced by flushes. As superuser (the cron's user). Target: per lead at "
    "most 1.0x Odoo's time.",
    sizes=SIZES,
)
def scenario_release(bench, p):
    target = 1.0
    rows = []
    with bench.fresh_db("odoo") as plain, bench.addon_db("ours") as ours:
        due, rule_id, data = rules_prepare(bench, plain, ours, p.due)
        bench.sql(
            plain,
            "UPDATE crm_lead SET user_id = NULL, date_open = NULL WHERE id = ANY(%s)",
            [due],
        )
        bench.sql(plain, "VACUUM (ANALYZE) crm_lead")
        log(f"release data: {data}")
        runs = {"Odoo": [], "release": [], "reassign": []}
        queries, checks = {}, {}
        for k, side in alternate(["Odoo", "release", "reassign"], p.repeat):
            with bench.env(plain if side == "Odoo" else ours) as env:
                if side == "Odoo":
                    seconds, count, checks[side] = odoo_assign(env, due)
                else:
                    rule = env["motivation.pool.rule"].browse(rule_id)
                    rule.action = side
                    env.flush_all()
                    leads = env["crm.lead"].browse(due)
                    _, seconds, count = timed(env, partial(rule._act, leads))
                    env.cr.execute(
                        """
                        SELECT count(*) FILTER (WHERE in_pool),
                               count(user_id), count(DISTINCT user_id)
                          FROM crm_lead WHERE id = ANY(%s)
                        """,
                        [due],
                    )
                    pooled, assigned, users = env.cr.fetchone()
                    env.cr.execute(
                        "SELECT count(*) FROM motivation_transfer"
                        " WHERE lead_id = ANY(%s)",
                        [due],
                    )
                    transfers = env.cr.fetchone()[0]
                    moved = pooled if side == "release" else assigned
                    bench.expect(
                        moved == transfers == len(due),
                        f"release {side}: {moved} moved, {transfers} transfers "
                        f"of {len(due)}",
                    )
                    checks[side] = (
                        f"{pooled} in the pool, {assigned} reassigned over {users} "
                        f"salespeople, {transfers} transfers logged"
                    )
                log(f"release {side} run {k + 1}: {seconds:.1f} s, {count} queries")
                runs[side].append(seconds)
                queries[side] = count
        odoo_s = statistics.median(runs["Odoo"])
        rows.append(
            Row(
                f"_action_assign_leads, {len(due)} leads (Odoo)",
                odoo_s,
                queries["Odoo"],
                "; ".join(
                    filter(
                        None,
                        [
                            f"{odoo_s / len(due) * 1000:.2f} ms per lead",
                            checks["Odoo"],
                            spread(runs["Odoo"]),
                        ],
                    )
                ),
            )
        )
        for side in ("release", "reassign"):
            ours_s = statistics.median(runs[side])
            _ratio, note = ratio_note(ours_s, odoo_s, target)
            rows.append(
                Row(
                    f"rule._act, action {side}, {len(due)} leads (ours)",
                    ours_s,
                    queries[side],
                    "; ".join(
                        filter(
                            None,
                            [
                                f"{ours_s / len(due) * 1000:.2f} ms per lead, {note}",
                                checks[side],
                                spread(runs[side]),
                            ],
                        )
                    ),
                )
            )
    rows.append(Row("data", None, "-", data))
    return rows
