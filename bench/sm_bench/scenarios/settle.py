"""settle: a month of approved commission lines settled and confirmed."""

import datetime
import statistics

from ..data import create_plan
from ..harness import Row, log, spread, timed
from ..registry import scenario


def settle_prepare(bench, db, lines):
    """`lines` approved lines of the previous month (one per deal, the
    deal's salesperson, roles alternating) on an addon copy. Returns (first
    day, last day, [amount of each line])."""
    today = datetime.date.today()
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    first_day = last_day.replace(day=1)
    days = (last_day - first_day).days + 1
    plan_id = create_plan(bench, db)
    inserted = bench.sql(
        db,
        """
        INSERT INTO motivation_commission_line (
            lead_id, plan_id, partner_id, user_id, role, line_type, company_id,
            currency_id, team_id, date, base_amount, percent, amount, state,
            create_uid, create_date, write_uid, write_date)
        SELECT l.id, %(plan)s, u.partner_id, u.id,
               CASE WHEN l.n %% 2 = 0 THEN 'registrar' ELSE 'closer' END,
               'commission', l.company_id, c.currency_id, l.team_id,
               %(first)s::date + (l.n %% %(days)s)::int,
               l.expected_revenue, l.pct,
               round(l.expected_revenue * l.pct / 100, 2),
               'approved', 1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
          FROM (SELECT *, row_number() OVER (ORDER BY id) n,
                       CASE WHEN id %% 2 = 0 THEN 5.0 ELSE 10.0 END pct
                  FROM crm_lead WHERE user_id IS NOT NULL
                 ORDER BY id LIMIT %(lines)s) l
          JOIN res_users u ON u.id = l.user_id
          JOIN res_company c ON c.id = l.company_id
        RETURNING amount
        """,
        {"plan": plan_id, "first": first_day, "days": days, "lines": lines},
    )
    bench.sql(db, "VACUUM (ANALYZE) motivation_commission_line")
    return first_day, last_day, [amount for (amount,) in inserted]


SIZES = {"default": {"lines": 50000, "repeat": 3}, "tiny": {"lines": 1000, "repeat": 1}}


@scenario(
    "settle",
    "Settling a month of {lines} approved commission lines",
    baseline="No Odoo counterpart: the absolute time counts. "
    "motivation.settlement._settle(first day, last day) as the monthly cron "
    "runs it (superuser), then action_confirm() on the settlements it made, "
    "in one transaction each run, rolled back afterwards; both include the "
    "flush and precommit hooks a commit would run. The lines: one per deal on "
    "the first {lines} deals, beneficiary the deal's salesperson, roles "
    "alternating, dated over the previous month. Target: _settle under 30 s.",
    sizes=SIZES,
)
def scenario_settle(bench, p):
    target = 30.0
    with bench.addon_db("ours") as db:
        first_day, last_day, inserted = settle_prepare(bench, db, p.lines)
        lines_total = sum(inserted)
        settle_runs, confirm_runs = [], []
        queries, checks = {}, {}
        for k in range(p.repeat):
            with bench.env(db) as env:
                settlements, seconds, count = timed(
                    env,
                    lambda env=env: env["motivation.settlement"]._settle(
                        first_day, last_day
                    ),
                )
                log(f"settle run {k + 1}: {seconds:.1f} s, {count} queries")
                settle_runs.append(seconds)
                queries["settle"] = count
                env.cr.execute(
                    "SELECT count(*), coalesce(sum(amount), 0)"
                    " FROM motivation_commission_line WHERE settlement_id = ANY(%s)",
                    [settlements.ids],
                )
                settled_lines, settled_sum = env.cr.fetchone()
                totals = sum(settlements.mapped("amount_total"))
                currency = settlements[:1].currency_id
                same = not currency.compare_amounts(totals, float(lines_total))
                bench.expect(same, f"settle: totals {totals} != lines {lines_total}")
                checks["settle"] = (
                    f"{len(settlements)} settlements of {settled_lines} lines; "
                    f"sum of amount_total {totals:,.2f} "
                    f"{'==' if same else '!='} sum of the lines {lines_total:,.2f}"
                    f" (lines in settlements: {settled_sum:,.2f})"
                )
                _, seconds, count = timed(env, settlements.action_confirm)
                log(f"confirm run {k + 1}: {seconds:.1f} s, {count} queries")
                confirm_runs.append(seconds)
                queries["confirm"] = count
                env.cr.execute(
                    "SELECT count(*) FROM motivation_commission_line"
                    " WHERE state = 'settled'"
                )
                confirmed = sum(s.state == "confirmed" for s in settlements)
                checks["confirm"] = (
                    f"{confirmed} settlements confirmed, "
                    f"{env.cr.fetchone()[0]} lines settled"
                )
    settle_s = statistics.median(settle_runs)
    verdict = "within" if settle_s < target else "MISSES"
    return [
        Row(
            f"_settle of {len(inserted)} approved lines",
            settle_s,
            queries["settle"],
            "; ".join(
                [f"{verdict} the {target:.0f} s target", checks["settle"]]
                + list(filter(None, [spread(settle_runs)]))
            ),
        ),
        Row(
            "action_confirm of those settlements",
            statistics.median(confirm_runs),
            queries["confirm"],
            "; ".join(filter(None, [checks["confirm"], spread(confirm_runs)])),
        ),
    ]
