"""crons: the addon's batched crons as Odoo's cron runner runs them, on the
data of their own scenarios (settle, regularity, rules, distribute)."""

import os
import statistics
import time

from ..cron_runner import run_cron_calls
from ..harness import Row, log
from ..registry import scenario
from . import distribute, regularity, rules, settle
from .distribute import distribute_prepare
from .regularity import regularity_prepare
from .rules import rules_prepare
from .settle import settle_prepare

# p.batches: batch sizes tried per cron, the default first; "all": one call
# for all (what the cron did before it worked in batches); the data: the
# sizes of the crons' own scenarios. BENCH_CRON_SIZES, e.g.
# "rules:500,250 distribute:500", runs those only.
SIZES = {
    size: {
        "batches": batches,
        "lines": settle.SIZES[size]["lines"],
        "customers": regularity.SIZES[size]["customers"],
        "due": rules.SIZES[size]["due"],
        "new_leads": distribute.SIZES[size]["new_leads"],
    }
    for size, batches in (
        (
            "default",
            {
                "settle": [10000, 2500, "all"],
                "regularity": [5000, 1000, "all"],
                "rules": [500, 1000, 250],
                "distribute": [500, 1000],
            },
        ),
        # the defaults are more than the tiny data: batches that split it
        (
            "tiny",
            {"settle": [400], "regularity": [200], "rules": [80], "distribute": [80]},
        ),
    )
}


def cron_sizes(p):
    wanted = os.environ.get("BENCH_CRON_SIZES", "").split()
    if not wanted:
        return p.batches
    sizes = {}
    for item in wanted:
        name, _sep, values = item.partition(":")
        if name not in p.batches:
            raise ValueError(f"BENCH_CRON_SIZES: unknown cron {name!r}")
        sizes[name] = [v if v == "all" else int(v) for v in values.split(",")]
    return sizes


def crons_prepare(bench, name, db, p):
    """The data of the cron's own scenario on an addon copy; returns (a
    description, a function giving the checks of a run's result)."""
    if name == "settle":
        _first, _last, inserted = settle_prepare(bench, db, p.lines)

        def check(env):
            env.cr.execute(
                "SELECT count(*), count(DISTINCT settlement_id)"
                " FROM motivation_commission_line WHERE settlement_id IS NOT NULL"
            )
            lines, settlements = env.cr.fetchone()
            env.cr.execute(
                "SELECT count(*) FROM (SELECT 1 FROM motivation_settlement"
                " GROUP BY partner_id, date_from HAVING count(*) > 1) d"
            )
            return (
                f"{lines} lines in {settlements} settlements, "
                f"{env.cr.fetchone()[0]} beneficiaries with two"
            )

        return f"{len(inserted)} approved lines of the previous month", check
    if name == "regularity":
        data = regularity_prepare(bench, db, p.customers)

        def check(env):
            env.cr.execute(
                "SELECT count(*) FROM res_partner WHERE sm_regularity_checked"
                " = (now() at time zone 'UTC')::date"
            )
            checked = env.cr.fetchone()[0]
            env.cr.execute(
                "SELECT count(*), count(DISTINCT (res_id, activity_type_id))"
                " FROM mail_activity WHERE res_model = 'res.partner'"
            )
            activities, distinct = env.cr.fetchone()
            return (
                f"{checked} clients checked, {activities} activities "
                f"({activities - distinct} duplicates)"
            )

        return data, check
    if name == "rules":
        plain = f"{db}_plain"[:63]
        bench.copy_db(bench.template, plain)
        try:
            _due, _rule, data = rules_prepare(bench, plain, db, p.due)
        finally:
            bench.drop_db(plain)

        def check(env):
            env.cr.execute(
                "SELECT count(*), count(DISTINCT lead_id),"
                " count(*) FILTER (WHERE state = 'done')"
                " FROM motivation_pool_notice"
            )
            notices, deals, done = env.cr.fetchone()
            env.cr.execute(
                "SELECT count(*), count(DISTINCT lead_id) FROM motivation_transfer"
            )
            transfers, moved = env.cr.fetchone()
            return (
                f"{notices} notices for {deals} deals ({done} acted on), "
                f"{transfers} transfers of {moved} deals"
            )

        return data, check
    leads, seeded = distribute_prepare(bench, db, p.new_leads)

    def check(env):
        env.cr.execute(
            "SELECT count(*), count(DISTINCT lead_id) FROM motivation_transfer"
            " WHERE kind = 'assign'"
        )
        transfers, leads_moved = env.cr.fetchone()
        env.cr.execute(
            "SELECT count(*) FROM crm_lead WHERE id = ANY(%s) AND user_id IS NULL",
            [leads],
        )
        return (
            f"{transfers} assignments of {leads_moved} leads, "
            f"{env.cr.fetchone()[0]} of the {len(leads)} left unassigned"
        )

    return f"{len(leads)} new leads made unassigned; {seeded}", check


@scenario(
    "crons",
    "The batched crons as Odoo's cron runner runs them, at the sizes of their "
    "own scenarios",
    baseline="No Odoo counterpart: what counts is how long one call (one "
    "batch: one transaction, the longest any row stays locked by the cron) "
    "takes, and the whole run. Each cron runs as Odoo's runner runs it: a "
    "progress record per call, called again while it reports work left, a "
    "commit after each call (included in the call's time); on its own copy "
    "of the prepared database per batch size, as superuser. The data: the "
    "settle, regularity, rules (the warnings, then the moves once the "
    "warnings' days are made past) and distribute scenarios'.",
    sizes=SIZES,
)
def scenario_crons(bench, p):
    rows = []
    for name, sizes in cron_sizes(p).items():
        with bench.addon_db(f"{name}_prep") as prepared:
            data, check = crons_prepare(bench, name, prepared, p)
            log(f"crons {name} data: {data}")
            bench.close_db(prepared)  # copies need it without connections
            for size in sizes:
                with (
                    bench.fresh_db(f"{name}_{size}", template=prepared) as db,
                    bench.env(db) as env,
                ):
                    phases = ["warn", "act"] if name == "rules" else [""]
                    for phase in phases:
                        if phase == "act":
                            # the warnings given, as if their days had passed
                            env.cr.execute(
                                "UPDATE motivation_pool_notice SET act_date ="
                                " now() at time zone 'UTC' - interval '1 minute'"
                            )
                            env.cr.commit()
                        start = time.perf_counter()
                        calls = run_cron_calls(
                            env, name, 10**9 if size == "all" else size, commit=True
                        )
                        total = time.perf_counter() - start
                        per_call = [c[0] for c in calls]
                        queries = [c[1] for c in calls]
                        median = statistics.median(per_call)
                        label = f"{name}{', ' + phase if phase else ''}, batch {size}"
                        log(f"crons {label}: {total:.1f} s in {len(calls)} calls")
                        rows.append(
                            Row(
                                label,
                                total,
                                sum(queries),
                                f"{len(calls)} calls, {sum(c[2] for c in calls)} "
                                f"done; per call median {median:.2f} s, max "
                                f"{max(per_call):.2f} s, "
                                f"{min(queries)}-{max(queries)} queries; "
                                f"{check(env)}",
                            )
                        )
        rows.append(Row(f"{name} data", None, "-", data))
    return rows
