"""The harness: the cluster, template copies, odoo-bin runs, in-process Odoo
environments, timing and query counts.

    with bench.fresh_db("orm") as db, bench.env(db, user="bench_sp_02") as env:
        timing = measure(lambda: env["crm.lead"].web_search_read(...), env=env)
        rows.append(timing.row("web_search_read 80 leads"))

`measure` runs the callable several times (ORM cache cleared before each run),
keeps the median time and counts the queries of one run (Odoo's cursor
`sql_log_count`); `count_queries(env, func)` counts them for a single call.
`bench.addon_db(label)` is a fresh copy with sales_motivation installed (the
install runs once per run, on a template copy that later copies start from);
`measure_sides` times Odoo's and our side in turns, `timed` times one call
with the flush and precommit hooks (mail tracking) a commit would run, `probe`
times some methods within a call.

Also used by bench/load.py (`Bench`, `PROBLEM_RE`, the paths).
"""

import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo-src")
SM_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ODOO_SRC)

import psycopg2  # noqa: E402

ADDON = "sales_motivation"

# Odoo's log lines look like "2026-01-01 10:00:00,000 123 WARNING db logger: msg".
PROBLEM_RE = re.compile(r"^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ")
LOADED_RE = re.compile(
    r"modules loaded in [0-9.]+s, ([0-9]+) queries \(\+([0-9]+) extra\)"
)
REGISTRY_RE = re.compile(r"Registry loaded in ([0-9.]+)s")


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Rows, timings, query counts
# --------------------------------------------------------------------------


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


def measure_sides(calls, repeat=7, warmup=1):
    """`measure` for several sides in turns: {side: (func, env)} -> {side: Timing}.

    The sides alternate run by run (in reverse order every other round) so
    that the machine's load drifts over both alike; the ORM cache is cleared
    before every call, the caches keyed by user (record rules) stay warm.
    """
    for _ in range(warmup):
        for func, env in calls.values():
            env.invalidate_all()
            func()
    runs = {side: [] for side in calls}
    queries = {}
    order = list(calls)
    for k in range(repeat):
        for side in order if k % 2 == 0 else order[::-1]:
            func, env = calls[side]
            timing = measure(func, env=env, repeat=1, warmup=0)
            runs[side] += timing.runs
            queries[side] = timing.queries
    return {
        side: Timing(statistics.median(r), queries[side], r) for side, r in runs.items()
    }


def timed(env, func):
    """func() and what a commit would still do (flush, precommit hooks such as
    mail tracking), timed: (result, seconds, queries)."""
    before = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.cr.flush()  # pending writes, then precommit hooks (mail tracking)
    env.flush_all()  # what those hooks left pending
    return result, time.perf_counter() - start, env.cr.sql_log_count - before


@contextlib.contextmanager
def probe(env, calls):
    """Time the calls of some methods meanwhile, nested calls included once.

    calls: [(model name, method name)]; yields {method name: [seconds,
    queries, calls]}, filled as they run. The methods are wrapped on the
    registry's classes and restored afterwards.
    """
    stats, patched = {}, []
    for model, name in calls:
        cls = type(env[model])
        original = getattr(cls, name)
        stats[name] = [0.0, 0, 0]
        depth = [0]

        def wrapper(
            self, *args, _original=original, _s=stats[name], _depth=depth, **kw
        ):
            if _depth[0]:  # a nested call: counted by the outer one
                return _original(self, *args, **kw)
            before, start = self.env.cr.sql_log_count, time.perf_counter()
            _depth[0] += 1
            try:
                return _original(self, *args, **kw)
            finally:
                _depth[0] -= 1
                _s[0] += time.perf_counter() - start
                _s[1] += self.env.cr.sql_log_count - before
                _s[2] += 1

        patched.append((cls, name, cls.__dict__.get(name)))
        setattr(cls, name, wrapper)
    try:
        yield stats
    finally:
        for cls, name, own in patched:
            if own is None:
                delattr(cls, name)
            else:
                setattr(cls, name, own)


@contextlib.contextmanager
def capture_sql(cr):
    """The statements run on cr meanwhile: [(query, params)]."""
    captured = []
    execute = cr.execute

    def recording(query, params=None, log_exceptions=True):
        captured.append((query, params))
        return execute(query, params, log_exceptions)

    cr.execute = recording
    try:
        yield captured
    finally:
        del cr.execute


def explain(env, query, params=None):
    """EXPLAIN (ANALYZE, BUFFERS) of one captured statement: its lines."""
    from odoo.tools import SQL

    if isinstance(query, SQL):
        env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
    else:
        env.cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}", params)
    return [row[0] for row in env.cr.fetchall()]


def ratio_note(ours, odoo, target):
    ratio = ours / odoo if odoo else float("inf")
    verdict = "within" if ratio <= target else "MISSES"
    return ratio, f"{ratio:.2f}x Odoo's time, {verdict} the {target}x target"


def spread(runs):
    if len(runs) < 2:
        return ""
    return f"median of {len(runs)} (min {min(runs):.3f}, max {max(runs):.3f})"


def alternate(sides, repeat):
    """[(k, side)] for `repeat` rounds, sides in turns (reversed every other)."""
    for k in range(repeat):
        for side in sides if k % 2 == 0 else sides[::-1]:
            yield k, side


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
    """args: template, log_dir, db_host, db_port, db_user, addons_path,
    data_dir, keep_dbs, settle_copies (optional) (the runner's options;
    bench/load.py passes its own)."""

    def __init__(self, args):
        self.args = args
        self.template = args.template
        self.log_dir = args.log_dir
        os.makedirs(self.log_dir, exist_ok=True)
        self._odoo_ready = False
        self._addon_template = None  # the template with the addon, once built
        self.current = None  # name of the running scenario
        # what went wrong without stopping the run: the warnings and errors
        # odoo-bin runs logged, the checks a scenario found false (`expect`)
        self.problems = []
        self.unmet = []
        # False (the tiny size, whose figures mean nothing): copies are not
        # written to disk before use (a CHECKPOINT and a sync each)
        self.settle_copies = getattr(args, "settle_copies", True)
        self.info = self._template_info()

    def expect(self, ok, what):
        """A check of a scenario's result (a count it expects...): a false
        one is logged and remembered; the runner's --strict fails on it."""
        if not ok:
            log(f"  UNEXPECTED: {what}")
            self.unmet.append(what)
        return ok

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

    def close_db(self, dbname):
        """Drop this process's registry and connections of dbname."""
        if self._odoo_ready:
            import odoo

            odoo.modules.registry.Registry.delete(dbname)
            odoo.sql_db.close_db(dbname)

    def drop_db(self, dbname):
        self.close_db(dbname)
        self.sql("postgres", f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        shutil.rmtree(self.filestore(dbname), ignore_errors=True)

    def copy_db(self, template, name):
        """CREATE DATABASE name TEMPLATE template, with its filestore."""
        self.drop_db(name)
        start = time.perf_counter()
        self.sql("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        if os.path.isdir(self.filestore(template)):
            shutil.copytree(self.filestore(template), self.filestore(name))
        if self.settle_copies:
            # the copy on disk before anything is measured on it: otherwise
            # the kernel writes its gigabyte back during the measurement
            self.sql("postgres", "CHECKPOINT")
            os.sync()
        log(f"copied {template} to {name} in {time.perf_counter() - start:.1f} s")

    @contextlib.contextmanager
    def fresh_db(self, label="db", template=None):
        """A copy of the template (database and filestore), dropped afterwards.

        template: another database to copy, e.g. `addon_template()`.
        """
        name = f"sm_bench_{self.current or 'x'}_{label}"[:63]
        self.copy_db(template or self.template, name)
        try:
            yield name
        finally:
            if not self.args.keep_dbs:
                self.drop_db(name)

    def addon_template(self):
        """A copy of the template with sales_motivation installed, vacuumed.

        Built on first use (odoo-bin -i sales_motivation) and kept for the
        other scenarios of this run: `addon_db()` copies it. Dropped by
        `cleanup()` at the end of the run. Returns its name.
        """
        if self._addon_template:
            return self._addon_template
        name = f"{self.template}_with_sm"[:63]
        self.copy_db(self.template, name)
        run = self.odoo_bin(
            name, "-i", ADDON, "--stop-after-init", "--no-http", label="install"
        )
        state = self.sql(
            name, "SELECT state FROM ir_module_module WHERE name = %s", [ADDON]
        )
        if not run.ok or state != [("installed",)]:
            raise RuntimeError(f"installing {ADDON} failed, see {run.log}")
        if run.problems:
            log(f"  {len(run.problems)} warnings/errors while installing {ADDON}")
        log(f"{ADDON} installed in {name} in {run.seconds:.1f} s")
        self._vacuum_addon_template(name)
        return name

    def adopt_addon_template(self, dbname):
        """dbname, a copy of the template where odoo-bin just installed
        sales_motivation (the install scenario), becomes the addon template
        when none was built yet, instead of installing it once more: renamed
        (with its filestore), vacuumed. Returns whether it was."""
        if self._addon_template:
            return False
        name = f"{self.template}_with_sm"[:63]
        self.drop_db(name)
        self.close_db(dbname)
        try:
            self.sql("postgres", f'ALTER DATABASE "{dbname}" RENAME TO "{name}"')
        except psycopg2.Error as error:  # still in use: installed again later
            log(f"{dbname} not kept as {name}: {error}")
            return False
        if os.path.isdir(self.filestore(dbname)):
            os.rename(self.filestore(dbname), self.filestore(name))
        log(f"{dbname} kept as {name}, the template with {ADDON}")
        self._vacuum_addon_template(name)
        return True

    def _vacuum_addon_template(self, name):
        # The install hook rewrote every lead (registrar_id): vacuum now, as
        # autovacuum would soon, rather than at some point during a measurement.
        start = time.perf_counter()
        self.sql(name, "VACUUM (ANALYZE)")
        log(f"{name} vacuumed in {time.perf_counter() - start:.1f} s")
        self._addon_template = name

    def addon_db(self, label="addon"):
        """A fresh copy of the template with sales_motivation installed."""
        return self.fresh_db(label, template=self.addon_template())

    def cleanup(self):
        if self._addon_template and not self.args.keep_dbs:
            self.drop_db(self._addon_template)
        self._addon_template = None

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
        The warnings and errors it logged are also added to `problems`.
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
        self.problems += problems
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
