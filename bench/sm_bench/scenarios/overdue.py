"""overdue: the daily checkpoint cron on many late deals, next to Odoo's own
creation of the same activities."""

import contextlib
import statistics
from functools import partial

from ..baselines import odoo_activities
from ..cron_runner import run_overdue_cron
from ..data import open_all_leads, seed_mail
from ..harness import Row, alternate, log, spread, timed
from ..registry import scenario

# p.late: the numbers of late deals measured; p.repeat: runs per number
# (the median is reported), p.odoo_repeat: Odoo's side when fewer; p.batch:
# the cron's default batch size (deals per call), Odoo's side's batches.
SIZES = {
    # three of ours each time; Odoo's side of 100k takes a minute and a
    # half, so it runs once
    "default": {
        "late": (1000, 10000, 100000),
        "repeat": {1000: 3, 10000: 3, 100000: 3},
        "odoo_repeat": {100000: 1},
        "batch": 10000,
    },
    # one number: each of ours runs on a copy of its own (a registry load)
    "tiny": {"late": (1000,), "repeat": {}, "odoo_repeat": {}, "batch": 10000},
}


def overdue_prepare(bench, plain, ours):
    """Every lead an open opportunity on both copies; on ours, each with its
    three checkpoints (the install hook made them for the opportunities open
    then, the others are inserted the same way), all pending."""
    opened = {db: open_all_leads(bench, db, opportunities=True) for db in (plain, ours)}
    for db in (plain, ours):
        seeded = seed_mail(bench, db)
    bench.sql(
        ours,
        """
        INSERT INTO motivation_checkpoint
               (res_model, res_id, lead_id, type_id, sequence, state,
                create_uid, create_date, write_uid, write_date)
        SELECT 'crm.lead', lead.id, lead.id, t.id, t.sequence, 'pending',
               1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM crm_lead lead JOIN motivation_checkpoint_type t ON t.active
         WHERE lead.active AND lead.type = 'opportunity'
           AND lead.team_id IS NOT NULL AND lead.probability < 100
        ON CONFLICT DO NOTHING
        """,
    )
    bench.sql(ours, "UPDATE motivation_checkpoint SET state = 'pending'")
    types = bench.sql(
        ours,
        "SELECT count(*), string_agg(name->>'en_US', ', ' ORDER BY sequence)"
        " FROM motivation_checkpoint_type WHERE active",
    )[0]
    checkpoints = bench.sql_value(ours, "SELECT count(*) FROM motivation_checkpoint")
    return opened[plain], opened[ours], types, checkpoints, seeded


def overdue_late(bench, db, size):
    """The checkpoints of the first `size` deals (by id) past their deadline
    (Presentation 30 days ago, proposal 20, contract 10), the others due in a
    month. Committed, then the table rewritten compact, as checkpoints written
    once each are in a database in use: this preparation rewrites every row
    (once per size), which would otherwise leave the table and its indexes
    several times their size for the measured runs. Returns the lead ids."""
    ids = [
        i
        for (i,) in bench.sql(
            db, "SELECT id FROM crm_lead ORDER BY id LIMIT %s", [size]
        )
    ]
    bench.sql(
        db,
        """
        UPDATE motivation_checkpoint
           SET deadline = CASE WHEN lead_id <= %s
                   THEN current_date - (40 - sequence)
                   ELSE current_date + 30 END
        """,
        [ids[-1]],
    )
    bench.sql(db, "VACUUM (FULL, ANALYZE) motivation_checkpoint")
    return ids


def overdue_check(env, ids):
    env.cr.execute(
        """
        SELECT count(*) FILTER (WHERE state = 'overdue'),
               count(*) FILTER (WHERE state = 'overdue' AND alert_date IS NULL),
               count(*) FILTER (WHERE alert_date IS NOT NULL)
          FROM motivation_checkpoint WHERE lead_id = ANY(%s)
        """,
        [ids],
    )
    overdue, unalerted, alerted = env.cr.fetchone()
    env.cr.execute(
        "SELECT count(*), count(DISTINCT res_id) FROM mail_activity"
        " WHERE res_model = 'crm.lead' AND summary LIKE 'Intervene:%%'"
    )
    alerts, deals = env.cr.fetchone()
    return overdue, unalerted, alerted, alerts, deals


def queries_note(per_call, unit):
    if not per_call:
        return ""
    low, high = min(per_call), max(per_call)
    each = f"{low}" if low == high else f"{low}-{high}"
    return f"{len(per_call)} {unit}(s) of {each} queries"


@scenario(
    "overdue",
    "The daily checkpoint cron (_cron_mark_overdue) on up to {leads} open "
    "opportunities with 3 checkpoints each, all past their deadline",
    baseline="Odoo's own mail.activity create, on a copy without the addon, of "
    "the same team-leader activities (one per deal, To-Do, same user, deadline "
    "and summary, without e-mail notification as ours) in batches of the same "
    "size as ours, each batch flushed as a commit would: the part of the cron's "
    "work that Odoo itself does; ours also finds the late checkpoints, marks "
    "them overdue and records that each was alerted. Ours is run as Odoo's cron "
    "runner runs it (a progress record per call, called again while deals "
    "remain, a commit after each call), each run on its own copy of the "
    "prepared database; Odoo's side in a transaction rolled back after each "
    "run. The first N deals by id are late, the others due in a month. As "
    "superuser (the cron's user). Target: under 20 s for all deals, queries "
    "per call constant.",
    sizes=SIZES,
)
def scenario_overdue(bench, p):
    target = 20.0
    rows = []
    with bench.fresh_db("odoo") as plain, bench.addon_db("ours") as ours:
        open_plain, open_ours, (ntypes, tnames), ncp, seeded = overdue_prepare(
            bench, plain, ours
        )
        data = (
            f"{open_plain} open opportunities (Odoo copy), {open_ours} (ours), "
            f"{ncp} checkpoints of {ntypes} types ({tnames}); {seeded}"
        )
        log(f"overdue data: {data}")
        bench.sql(plain, "VACUUM (ANALYZE) crm_lead")
        for size in p.late:
            ids = overdue_late(bench, ours, size)
            runs = {"Odoo": [], "ours": []}
            queries, checks = {}, {}
            for k, side in alternate(["Odoo", "ours"], p.repeat.get(size, 1)):
                if side == "Odoo" and k >= p.odoo_repeat.get(size, k + 1):
                    continue
                # ours commits between calls as the cron runner does: each
                # run on its own copy
                copy = (
                    contextlib.nullcontext(plain)
                    if side == "Odoo"
                    else bench.fresh_db("ours_run", template=ours)
                )
                with copy as db, bench.env(db) as env:
                    if side == "Odoo":
                        per_batch, seconds, count = timed(
                            env, partial(odoo_activities, env, ids, p.batch)
                        )
                        checks[side] = (
                            f"{queries_note(per_batch, 'batch')}; "
                            f"{len(ids)} activities created"
                        )
                    else:
                        per_call, seconds, count = timed(
                            env, partial(run_overdue_cron, env, commit=True)
                        )
                        overdue, unalerted, alerted, alerts, deals = overdue_check(
                            env, ids
                        )
                        again = run_overdue_cron(env)
                        after = overdue_check(env, ids)
                        bench.expect(
                            deals == len(ids) and after[3] == alerts,
                            f"overdue {size}: activities for {deals} deals, "
                            f"{after[3] - alerts} new when run again",
                        )
                        checks[side] = (
                            f"{queries_note(per_call, 'call')}; {overdue} "
                            f"checkpoints overdue ({unalerted} without alert), "
                            f"{alerts} activities for {deals} deals (expected "
                            f"{len(ids)}), {alerted} marked alerted; run again: "
                            f"{after[3] - alerts} new activities in "
                            f"{queries_note(again, 'call')}"
                        )
                    log(
                        f"overdue {size} {side} run {k + 1}: {seconds:.1f} s, "
                        f"{count} queries"
                    )
                    runs[side].append(seconds)
                    queries[side] = count
            odoo_s = statistics.median(runs["Odoo"])
            ours_s = statistics.median(runs["ours"])
            ratio = ours_s / odoo_s if odoo_s else float("inf")
            note = f"{ratio:.2f}x Odoo's time"
            if size == p.late[-1]:
                verdict = "within" if ours_s < target else "MISSES"
                note += f", {verdict} the {target:.0f} s target"
            rows.append(
                Row(
                    f"activities for {size} deals (Odoo)",
                    odoo_s,
                    queries["Odoo"],
                    "; ".join(filter(None, [checks["Odoo"], spread(runs["Odoo"])])),
                )
            )
            rows.append(
                Row(
                    f"_cron_mark_overdue, {size} late deals (ours)",
                    ours_s,
                    queries["ours"],
                    "; ".join(
                        filter(None, [note, checks["ours"], spread(runs["ours"])])
                    ),
                )
            )
    rows.append(Row("data", None, "-", data))
    return rows
