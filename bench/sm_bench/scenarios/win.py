"""win: action_set_won on many deals at once, commission lines created."""

import statistics

from ..data import create_plan
from ..harness import Row, log, probe, ratio_note, spread, timed
from ..registry import scenario

WIN_USER = "admin"  # a sales manager, as when a manager wins deals in bulk
# The addon's work when deals are won, timed within the call.
WIN_HOOKS = [
    ("crm.lead", "_sm_set_closer"),
    ("motivation.commission.line", "_sync_leads"),
]


SIZES = {"default": {"deals": 5000, "repeat": 3}, "tiny": {"deals": 100, "repeat": 1}}


@scenario(
    "win",
    "Winning {deals} opportunities in one action_set_won call",
    baseline="The same call on the same deals on a copy without the addon. "
    "As a sales manager (admin), mail tracking on; each run starts from the "
    "same state (a new transaction, rolled back afterwards) and includes the "
    "flush and the precommit hooks (tracking messages) a commit would run. "
    "Ours has a commission plan for every team (registrar 5 %, closer 10 %), "
    "so each deal gets its closer and registrar lines. Target: at most 1.3x "
    "Odoo's time.",
    sizes=SIZES,
)
def scenario_win(bench, p):
    target = 1.3
    ids = [
        i
        for (i,) in bench.sql(
            bench.template,
            """
            SELECT l.id FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
             ORDER BY l.id LIMIT %s
            """,
            [p.deals],
        )
    ]
    with bench.fresh_db("odoo") as plain, bench.addon_db("ours") as ours:
        create_plan(bench, ours)
        expected = bench.sql_value(
            ours,
            "SELECT count(*) + count(registrar_id) + count(sm_agent_id)"
            " FROM crm_lead WHERE id = ANY(%s) AND user_id IS NOT NULL",
            [ids],
        )
        runs = {"Odoo": [], "ours": []}
        queries, checks, hook_runs = {}, {}, {}
        sides = [("Odoo", plain), ("ours", ours)]
        for k in range(p.repeat):
            for side, db in sides if k % 2 == 0 else sides[::-1]:
                with bench.env(db, user=WIN_USER) as env:
                    env.cr.execute("SELECT coalesce(max(id), 0) FROM mail_message")
                    last_message = env.cr.fetchone()[0]
                    leads = env["crm.lead"].browse(ids)
                    hooks = WIN_HOOKS if side == "ours" else []
                    with probe(env, hooks) as stats:
                        _, seconds, count = timed(env, leads.action_set_won)
                    log(f"win {side} run {k + 1}: {seconds:.1f} s, {count} queries")
                    runs[side].append(seconds)
                    queries[side] = count
                    for name, (hook_s, hook_q, _calls) in stats.items():
                        log(f"  of which {name}: {hook_s:.1f} s, {hook_q} queries")
                        hook_runs.setdefault(name, []).append((hook_s, hook_q))
                    env.cr.execute(
                        """
                        SELECT count(*) FROM crm_lead l
                          JOIN crm_stage s ON s.id = l.stage_id
                         WHERE l.id = ANY(%s) AND s.is_won
                        """,
                        [ids],
                    )
                    won = env.cr.fetchone()[0]
                    env.cr.execute(
                        "SELECT count(*) FROM mail_message WHERE id > %s"
                        " AND model = 'crm.lead'",
                        [last_message],
                    )
                    messages = env.cr.fetchone()[0]
                    check = f"{won} deals won, {messages} tracking messages"
                    bench.expect(won == len(ids), f"win: {won} of {len(ids)} won")
                    if side == "ours":
                        env.cr.execute(
                            "SELECT role, count(*) FROM motivation_commission_line"
                            " WHERE lead_id = ANY(%s) GROUP BY role ORDER BY role",
                            [ids],
                        )
                        by_role = dict(env.cr.fetchall())
                        bench.expect(
                            sum(by_role.values()) == expected,
                            f"win: {sum(by_role.values())} lines, not {expected}",
                        )
                        check += (
                            f", {sum(by_role.values())} commission lines created "
                            f"({', '.join(f'{n} {r}' for r, n in by_role.items())};"
                            f" expected {expected})"
                        )
                    checks[side] = check
    odoo_s = statistics.median(runs["Odoo"])
    ours_s = statistics.median(runs["ours"])
    _ratio, note = ratio_note(ours_s, odoo_s, target)
    hooks = ", ".join(
        f"{name} {statistics.median(s for s, _q in measured):.1f} s "
        f"({statistics.median(q for _s, q in measured):.0f} queries)"
        for name, measured in hook_runs.items()
    )
    if hooks:
        note += f"; the addon's hooks in it: {hooks} (medians)"
    return [
        Row(
            f"action_set_won on {len(ids)} deals (Odoo)",
            odoo_s,
            queries["Odoo"],
            "; ".join(filter(None, [checks["Odoo"], spread(runs["Odoo"])])),
        ),
        Row(
            f"action_set_won on {len(ids)} deals (ours)",
            ours_s,
            queries["ours"],
            "; ".join(filter(None, [note, checks["ours"], spread(runs["ours"])])),
        ),
    ]
