"""Benchmark scenarios on copies of the generated template database.

Run by scripts/bench.sh (`make bench`; `make test` runs the tiny size), with
the project's venv python:
    python bench/run.py --template sm_bench_base --db-port 54330 \\
        --addons-path=... --data-dir=... [--scenarios install,...] \\
        [--size tiny] [--strict] [--results FILE]

Each scenario (bench/sm_bench/scenarios/) measures our operation and, next
to it, Odoo's own comparable operation on the same data, on fresh copies of
the template, dropped afterwards. The runner prints one table per scenario
and writes it to the results file (bench/RESULTS.md), replacing the sections
of the scenarios it ran. Exit status 1 when a scenario failed (raised); with
--strict also when it logged a warning or an error (odoo-bin or in this
process) or found a result it did not expect (Bench.expect).
"""

import argparse
import datetime
import logging
import os
import sys
import time
import traceback

from . import scenarios  # noqa: F401  (registers them)
from .harness import ODOO_SRC, SM_ROOT, Bench, log
from .registry import SCENARIOS, SIZES
from .results import RESULTS, machine_line, rows_text, section_md, write_results


def parse_args(argv):
    env = os.environ.get
    state = env("SM_STATE", os.path.join(SM_ROOT, ".state"))
    parser = argparse.ArgumentParser(
        description=__doc__,
        allow_abbrev=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--template", default=env("BENCH_TEMPLATE", "sm_bench_base"))
    parser.add_argument("--scenarios", default=env("BENCH_SCENARIOS", "all"))
    parser.add_argument(
        "--size",
        choices=SIZES,
        default=env("BENCH_SIZE", "default"),
        help="the scenarios' sizes (tiny: a smoke run, its figures mean nothing)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also fail on a warning or error logged, or an unexpected result",
    )
    parser.add_argument("--db-host", default=env("BENCH_DB_HOST", "127.0.0.1"))
    parser.add_argument("--db-port", type=int, default=int(env("BENCH_PORT", "54330")))
    parser.add_argument("--db-user", default=env("BENCH_DB_USER", "odoo"))
    parser.add_argument(
        "--addons-path",
        default=env(
            "ADDONS_PATH", f"{ODOO_SRC}/odoo/addons,{ODOO_SRC}/addons,{SM_ROOT}"
        ),
    )
    parser.add_argument("--data-dir", default=os.path.join(state, "filestore"))
    parser.add_argument("--log-dir", default=os.path.join(state, "logs", "bench"))
    parser.add_argument("--results", default=RESULTS)
    parser.add_argument(
        "--keep-dbs", action="store_true", help="do not drop the template copies"
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios")
    return parser.parse_args(argv)


class _Keep(dict):
    """Format values that leave unknown {names} as they are."""

    def __missing__(self, key):
        return "{" + key + "}"


class LoggedProblems(logging.Handler):
    """Warnings and errors logged in this process (Odoo's in-process runs):
    printed to stderr as Python would, and kept."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record):
        text = self.format(record)
        self.records.append(text)
        print(text, file=sys.stderr, flush=True)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.list:
        for sc in SCENARIOS.values():  # {leads} and {users}: the template's
            title = sc.title.format_map(_Keep(sc.sizes[args.size]))
            print(f"{sc.name:<20} {title}")
        return 0
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if wanted in ([], ["all"]):
        wanted = list(SCENARIOS)
    unknown = [name for name in wanted if name not in SCENARIOS]
    if unknown:
        print(
            f"Unknown scenario(s): {', '.join(unknown)}; known: {', '.join(SCENARIOS)}"
        )
        return 2
    args.settle_copies = args.size == "default"
    bench = Bench(args)
    print(f"Machine: {machine_line(bench)}", flush=True)
    if args.size != "default":
        print(f"Size: {args.size} (figures not comparable with bench/RESULTS.md)")
    logged = LoggedProblems()
    logging.getLogger().addHandler(logged)
    sections, failed = {}, []
    try:
        run_scenarios(bench, wanted, sections, failed, logged)
    finally:
        bench.cleanup()
        logging.getLogger().removeHandler(logged)
    if sections:
        write_results(args.results, sections)
        where = os.path.relpath(args.results, SM_ROOT)
        print(f"\nWritten to {where}: {', '.join(sections)}")
    if bench.unmet and not args.strict:
        print(f"Unexpected results: {'; '.join(bench.unmet)}")
    if failed:
        print(f"Failed scenarios: {', '.join(failed)}")
        return 1
    return 0


def run_scenarios(bench, wanted, sections, failed, logged):
    args = bench.args
    for name in wanted:
        sc = SCENARIOS[name]
        bench.current = name
        title, baseline = sc.heading(bench.info, args.size)
        print(f"\n== {name}: {title} ==", flush=True)
        when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        start = time.perf_counter()
        seen = (len(bench.problems), len(bench.unmet), len(logged.records))
        load = [os.getloadavg()[0]]
        try:
            rows = sc.func(bench, sc.params(args.size))
        except Exception:  # one failing scenario must not hide the others
            traceback.print_exc()
            failed.append(name)
            print(f"FAILED: {name} (its section of {args.results} is left as it was)")
            continue
        load.append(os.getloadavg()[0])
        print("\n".join(rows_text(rows)), flush=True)
        print(f"({name} took {time.perf_counter() - start:.0f} s in all)", flush=True)
        problems = [
            *bench.problems[seen[0] :],
            *(f"unexpected: {what}" for what in bench.unmet[seen[1] :]),
            *logged.records[seen[2] :],
        ]
        if args.strict and problems:
            failed.append(name)
            log(f"FAILED: {name} (--strict):")
            for line in problems:
                log(f"  {line[:300]}")
            continue
        sections[name] = section_md(bench, name, title, baseline, rows, when, load)


if __name__ == "__main__":
    sys.exit(main())
