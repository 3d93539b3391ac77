"""Benchmark scenarios on copies of the generated template database.

Run by scripts/bench.sh (`make bench`), with the project's venv python:
    python bench/run.py --template sm_bench_base --db-port 54330 \\
        --addons-path=... --data-dir=... [--scenarios install,...]

A scenario is a function registered with @scenario(name, title, baseline=...).
It receives a Bench (the cluster, the template and helpers) and returns rows
(measurement, seconds, queries or "-", notes); each measures our operation
and, next to it, Odoo's own comparable operation on the same data. Every
scenario works on fresh copies of the template (`bench.fresh_db()`), dropped
afterwards. The runner prints one table per scenario and writes it to
bench/RESULTS.md, replacing the sections of the scenarios it ran.

Helpers for scenarios running ORM operations in-process:
    with bench.fresh_db("orm") as db, bench.env(db, user="bench_sp_02") as env:
        timing = measure(lambda: env["crm.lead"].web_search_read(...), env=env)
        rows.append(timing.row("web_search_read 80 leads"))
`measure` runs the callable several times (ORM cache cleared before each run),
keeps the median time and counts the queries of one run (Odoo's cursor
`sql_log_count`); `count_queries(env, func)` counts them for a single call.
"""

import argparse
import contextlib
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo-src")
SM_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(SM_ROOT, "bench", "RESULTS.md")
sys.path.insert(0, ODOO_SRC)

import psycopg2  # noqa: E402

# Odoo's log lines look like "2026-01-01 10:00:00,000 123 WARNING db logger: msg".
PROBLEM_RE = re.compile(r"^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ")
LOADED_RE = re.compile(
    r"modules loaded in [0-9.]+s, ([0-9]+) queries \(\+([0-9]+) extra\)"
)
REGISTRY_RE = re.compile(r"Registry loaded in ([0-9.]+)s")


# --------------------------------------------------------------------------
# Scenario registry and results
# --------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    title: str
    baseline: str
    func: object


SCENARIOS = {}


def scenario(name, title, baseline=""):
    """Register a benchmark scenario: a function (bench) -> list of Row.

    `title` and `baseline` may use {leads}, {users} (the template's sizes).
    """

    def register(func):
        if name in SCENARIOS:
            raise ValueError(f"scenario {name!r} registered twice")
        SCENARIOS[name] = Scenario(name, title, baseline, func)
        return func

    return register


@dataclass
class Row:
    measurement: str
    seconds: float | None
    queries: int | str = "-"
    notes: str = ""

    def cells(self):
        seconds = "-" if self.seconds is None else f"{self.seconds:.3f}"
        return [self.measurement, seconds, str(self.queries), self.notes]


@dataclass
class Timing:
    """What `measure` found: median seconds, queries of one run, all runs."""

    seconds: float
    queries: int | str
    runs: list = field(default_factory=list)

    def row(self, measurement, notes=""):
        spread = ""
        if len(self.runs) > 1:
            spread = (
                f"median of {len(self.runs)} "
                f"(min {min(self.runs):.3f}, max {max(self.runs):.3f})"
            )
        return Row(
            measurement,
            self.seconds,
            self.queries,
            "; ".join(filter(None, [notes, spread])),
        )


def count_queries(env, func):
    """Call func(); return (its result, the number of SQL queries it ran on env.cr)."""
    before = env.cr.sql_log_count
    result = func()
    return result, env.cr.sql_log_count - before


def measure(func, env=None, repeat=5, warmup=1, cold=True):
    """Time func() `repeat` times after `warmup` untimed calls; median seconds.

    With env: queries are counted on env.cr (for the last run) and, when cold,
    the ORM cache is cleared before every call (env.invalidate_all()) so that
    every run reads what it needs, as a new request would.
    """
    for _ in range(warmup):
        if env is not None and cold:
            env.invalidate_all()
        func()
    runs = []
    queries = "-"
    for _ in range(repeat):
        if env is not None and cold:
            env.invalidate_all()
        before = env.cr.sql_log_count if env is not None else 0
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
        if env is not None:
            queries = env.cr.sql_log_count - before
    return Timing(statistics.median(runs), queries, runs)


# --------------------------------------------------------------------------
# The bench: cluster, template copies, odoo-bin, in-process environments
# --------------------------------------------------------------------------


@dataclass
class OdooRun:
    """An odoo-bin subprocess: wall time, exit code, log and what it logged."""

    seconds: float
    returncode: int
    log: str
    problems: list
    queries: int | str
    registry_seconds: float | None

    @property
    def ok(self):
        return self.returncode == 0

    def notes(self, *extra):
        status = "finished" if self.ok else f"FAILED (exit {self.returncode})"
        parts = [status]
        if self.registry_seconds is not None:
            parts.append(f"registry load {self.registry_seconds:.1f} s of it")
        parts.extend(e for e in extra if e)
        parts.append(f"{len(self.problems)} warnings/errors logged")
        return "; ".join(parts)


class Bench:
    def __init__(self, args):
        self.args = args
        self.template = args.template
        self.log_dir = args.log_dir
        os.makedirs(self.log_dir, exist_ok=True)
        self._odoo_ready = False
        self.current = None  # name of the running scenario
        self.info = self._template_info()

    # -- SQL ---------------------------------------------------------------
    def connect(self, dbname="postgres"):
        cnx = psycopg2.connect(
            dbname=dbname,
            host=self.args.db_host,
            port=self.args.db_port,
            user=self.args.db_user,
            options="-c client_min_messages=warning",
        )
        cnx.autocommit = True
        return cnx

    def sql(self, dbname, query, params=None):
        """Run one statement on dbname (autocommit); return its rows, if any."""
        cnx = self.connect(dbname)
        try:
            with cnx.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchall() if cur.description else []
        finally:
            cnx.close()

    def sql_value(self, dbname, query, params=None):
        return self.sql(dbname, query, params)[0][0]

    def _template_info(self):
        db = self.template
        return {
            "leads": self.sql_value(db, "SELECT count(*) FROM crm_lead"),
            "active_leads": self.sql_value(
                db, "SELECT count(*) FROM crm_lead WHERE active"
            ),
            "users": self.sql_value(
                db, "SELECT count(*) FROM res_users WHERE login LIKE 'bench\\_sp\\_%%'"
            ),
            "postgresql": self.sql_value("postgres", "SHOW server_version"),
        }

    # -- template copies ---------------------------------------------------
    def filestore(self, dbname):
        return os.path.join(self.args.data_dir, "filestore", dbname)

    def drop_db(self, dbname):
        if self._odoo_ready:
            import odoo

            odoo.modules.registry.Registry.delete(dbname)
            odoo.sql_db.close_db(dbname)
        self.sql("postgres", f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        shutil.rmtree(self.filestore(dbname), ignore_errors=True)

    @contextlib.contextmanager
    def fresh_db(self, label="db"):
        """A copy of the template (database and filestore), dropped afterwards."""
        name = f"sm_bench_{self.current or 'x'}_{label}"[:63]
        self.drop_db(name)
        start = time.perf_counter()
        self.sql("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        if os.path.isdir(self.filestore(self.template)):
            shutil.copytree(self.filestore(self.template), self.filestore(name))
        log(f"copied {self.template} to {name} in {time.perf_counter() - start:.1f} s")
        try:
            yield name
        finally:
            if not self.args.keep_dbs:
                self.drop_db(name)

    # -- odoo-bin ----------------------------------------------------------
    def odoo_options(self):
        return [
            f"--addons-path={self.args.addons_path}",
            f"--db_host={self.args.db_host}",
            f"--db_port={self.args.db_port}",
            f"--db_user={self.args.db_user}",
            f"--data-dir={self.args.data_dir}",
        ]

    def odoo_bin(self, dbname, *args, label=None):
        """Run odoo-bin on dbname with the project's options; time it.

        Its log (level info) goes to <log dir>/<db>-<label>.log; the queries
        are those Odoo reports while loading modules ("N queries (+M extra)").
        """
        label = label or "odoo"
        logfile = os.path.join(self.log_dir, f"{dbname}-{label}.log")
        cmd = [
            sys.executable,
            os.path.join(ODOO_SRC, "odoo-bin"),
            *self.odoo_options(),
            "-d",
            dbname,
            "--log-level=info",
            *args,
        ]
        log(f"odoo-bin -d {dbname} {' '.join(args)}  (log: {logfile})")
        start = time.perf_counter()
        with open(logfile, "w") as out:
            proc = subprocess.run(
                cmd, stdout=out, stderr=subprocess.STDOUT, check=False
            )
        seconds = time.perf_counter() - start
        problems, queries, registry_seconds = [], 0, None
        with open(logfile, errors="replace") as lines:
            for line in lines:
                if PROBLEM_RE.match(line):
                    problems.append(line.rstrip())
                match = LOADED_RE.search(line)
                if match:  # "+M extra" counts all cursors' queries, N included
                    queries += max(int(match.group(1)), int(match.group(2)))
                match = REGISTRY_RE.search(line)
                if match:
                    registry_seconds = float(match.group(1))
        for line in problems:
            log(f"  logged: {line[:300]}")
        return OdooRun(
            seconds, proc.returncode, logfile, problems, queries, registry_seconds
        )

    # -- in-process Odoo ---------------------------------------------------
    def _setup_odoo(self):
        if self._odoo_ready:
            return
        import odoo

        odoo.tools.config.parse_config([*self.odoo_options(), "--log-level=warn"])
        self._odoo_ready = True

    def registry(self, dbname):
        """Odoo's registry of dbname, loaded in this process."""
        self._setup_odoo()
        import odoo

        return odoo.modules.registry.Registry(dbname)

    @contextlib.contextmanager
    def env(self, dbname, user=None, context=None, commit=False):
        """An Odoo environment on dbname (superuser, or user: a login or id).

        Its cursor is rolled back at the end unless commit=True.
        """
        from odoo import SUPERUSER_ID, api

        registry = self.registry(dbname)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context or {})
            if isinstance(user, str):
                found = env["res.users"].search([("login", "=", user)])
                if not found:
                    raise ValueError(f"no user {user!r} in {dbname}")
                user = found.id
            if user:
                env = env(user=user)
            try:
                yield env
            finally:
                if commit:
                    cr.commit()
                else:
                    cr.rollback()


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------


@scenario(
    "install",
    "Install sales_motivation on {leads} leads",
    baseline="Updating Odoo's CRM module (odoo-bin -u crm) on another copy of the "
    "same database; the startup row is odoo-bin loading that database without "
    "installing or updating anything, a fixed cost included in both.",
)
def scenario_install(bench):
    rows = []
    with bench.fresh_db("install") as db:
        startup = bench.odoo_bin(db, "--stop-after-init", "--no-http", label="startup")
        ours = bench.odoo_bin(
            db,
            "-i",
            "sales_motivation",
            "--stop-after-init",
            "--no-http",
            label="install",
        )
        registrars = "-"
        if ours.ok:
            with_registrar, total = bench.sql(
                db,
                "SELECT count(*) FILTER (WHERE registrar_id IS NOT NULL), count(*)"
                " FROM crm_lead",
            )[0]
            state = bench.sql_value(
                db, "SELECT state FROM ir_module_module WHERE name = 'sales_motivation'"
            )
            registrars = (
                f"module {state}; {with_registrar} of {total} leads got a registrar"
            )
        rows.append(
            Row(
                "odoo-bin -i sales_motivation (ours)",
                ours.seconds,
                ours.queries,
                ours.notes(registrars),
            )
        )
    with bench.fresh_db("update_crm") as db:
        startup2 = bench.odoo_bin(db, "--stop-after-init", "--no-http", label="startup")
        odoo_run = bench.odoo_bin(
            db, "-u", "crm", "--stop-after-init", "--no-http", label="update-crm"
        )
        rows.append(
            Row(
                "odoo-bin -u crm (Odoo's own)",
                odoo_run.seconds,
                odoo_run.queries,
                odoo_run.notes(),
            )
        )
    rows.append(
        Row(
            "odoo-bin startup, nothing to do",
            statistics.median([startup.seconds, startup2.seconds]),
            startup.queries,
            f"median of 2 (one per copy, before the runs above); "
            f"{len(startup.problems) + len(startup2.problems)} warnings/errors logged",
        )
    )
    if not (ours.ok and odoo_run.ok):
        raise RuntimeError("odoo-bin failed:\n" + "\n".join(rows_text(rows)))
    return rows


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

HEADERS = ["Measurement", "Seconds", "Queries", "Notes"]


def rows_text(rows):
    table = [HEADERS] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(3)]
    lines = []
    for k, cells in enumerate(table):
        lines.append(
            "  ".join(
                [
                    cells[0].ljust(widths[0]),
                    cells[1].rjust(widths[1]),
                    cells[2].rjust(widths[2]),
                    cells[3],
                ]
            ).rstrip()
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 5)
    return lines


def md_escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def machine_line(bench):
    mem_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    try:
        import odoo.release

        odoo_version = odoo.release.version
    except ImportError:
        odoo_version = "?"
    info = bench.info
    return (
        f"{os.cpu_count()} CPUs, {mem_kb / 1024 / 1024:.1f} GiB RAM, "
        f"PostgreSQL {info['postgresql']}, Python {platform.python_version()}, "
        f"Odoo {odoo_version}; {info['leads']} leads ({info['active_leads']} active), "
        f"{info['users']} salespeople"
    )


def section_md(bench, sc, rows, when):
    info = bench.info
    lines = [
        f"<!-- bench:{sc.name} -->",
        f"## {sc.name}: {sc.title.format(**info)}",
        "",
        f"Run {when}; machine: {machine_line(bench)}.",
        "",
    ]
    if sc.baseline:
        lines += [f"Compared with: {sc.baseline.format(**info)}", ""]
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|---|---:|---:|---|")
    for row in rows:
        lines.append("| " + " | ".join(md_escape(c) for c in row.cells()) + " |")
    lines.append(f"<!-- /bench:{sc.name} -->")
    return "\n".join(lines)


SECTION_RE = re.compile(r"<!-- bench:([\w-]+) -->.*?<!-- /bench:\1 -->", re.S)
RESULTS_HEADER = """# Benchmark results

Written by `make bench` (scripts/bench.sh, bench/run.py) on a database generated
by bench/generate.py. Each scenario's section is replaced when it runs again;
run some only with `make bench BENCH_SCENARIOS=name,...`. Seconds are wall
time; queries are SQL statements Odoo counted (for odoo-bin: while loading
modules). Timings depend on the machine and on what else runs on it.
"""


def write_results(path, sections):
    """Replace (or append) the given sections, keep the other ones."""
    text = RESULTS_HEADER
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    existing = {m.group(1) for m in SECTION_RE.finditer(text)}
    text = SECTION_RE.sub(lambda m: sections.get(m.group(1), m.group(0)), text)
    text = text.rstrip("\n") + "\n"
    for name, body in sections.items():
        if name not in existing:
            text += "\n" + body + "\n"
    with open(path, "w") as f:
        f.write(text)


# --------------------------------------------------------------------------


def parse_args(argv):
    env = os.environ.get
    state = env("SM_STATE", os.path.join(SM_ROOT, ".state"))
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--template", default=env("BENCH_TEMPLATE", "sm_bench_base"))
    parser.add_argument("--scenarios", default=env("BENCH_SCENARIOS", "all"))
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


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.list:
        for sc in SCENARIOS.values():
            print(f"{sc.name:<20} {sc.title}")
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
    bench = Bench(args)
    print(f"Machine: {machine_line(bench)}", flush=True)
    sections, failed = {}, []
    for name in wanted:
        sc = SCENARIOS[name]
        bench.current = name
        title = sc.title.format(**bench.info)
        print(f"\n== {name}: {title} ==", flush=True)
        when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        start = time.perf_counter()
        try:
            rows = sc.func(bench)
        except Exception:  # one failing scenario must not hide the others
            traceback.print_exc()
            failed.append(name)
            print(f"FAILED: {name} (its section of {args.results} is left as it was)")
            continue
        print("\n".join(rows_text(rows)), flush=True)
        print(f"({name} took {time.perf_counter() - start:.0f} s in all)", flush=True)
        sections[name] = section_md(bench, sc, rows, when)
    if sections:
        write_results(args.results, sections)
        where = os.path.relpath(args.results, SM_ROOT)
        print(f"\nWritten to {where}: {', '.join(sections)}")
    if failed:
        print(f"Failed scenarios: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
