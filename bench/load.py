"""Load test: N simulated salespeople on a multi-process Odoo, crons running.

Run by scripts/load.sh (`make load`) with the project's venv python, on the
load cluster and its template database (bench/generate.py at a smaller size):
    python bench/load.py --template sm_load_base --db-port 54331 \\
        --http-port 8073 --server-opts "--workers=4 --max-cron-threads=2 ..."

What it does, each step bounded in count and time, on 127.0.0.1 only:
1. two copies of the template: "odoo" (plain Odoo: CRM and Sales) and "ours"
   (the same with sales_motivation installed), the same changes on both:
   every team led by the administrator (so that each simulated salesperson
   is a plain salesperson on both sides), a password per salesperson, the
   deals each one will open, call and win, ITERATIONS deals per team without
   salesperson (ours: in the team's shared pool), new unassigned leads, and
   followers and to-dos as in a CRM in use; ours also gets a commission plan,
   a pool rule, fair distribution, repeat clients with their orders, and work
   for each cron (late checkpoints, deals untouched for long, deals warned
   long enough ago to be released);
2. for each side in turn: odoo-bin with the given server options (HTTP
   workers and cron workers), then USERS client threads, each logged in as
   its own salesperson through odoorpc's JSON-RPC transport with a session
   cookie, as the web client is (/web/session/authenticate, then
   /web/dataset/call_kw and /web/dataset/call_button), running ITERATIONS
   rounds of: the pipeline load (web_read_group by stage, read_progress_bar
   and one web_search_read per open stage, with the fields of that side's
   own kanban view, as the web client loads a grouped kanban), opening a
   deal (web_read of that side's own form fields), logging a call on it
   (ours: the addon's Log Interaction form, then its Log button, which is
   the dialog's save;
   Odoo: a note posted in the chatter), claiming the deal every member of
   the team claims at once (ours: the pool's Claim button; Odoo: setting
   oneself as salesperson of the unassigned deal in its form) and winning
   the deal (the Won button). ROUNDS runs per side, in turns (the order
   reversed every other round), each on a fresh copy of that side's
   prepared database. Meanwhile, on ours, a driver makes more work due every
   CRON_EVERY seconds (deals untouched for 27 days, checkpoints past their
   deadline, new unassigned leads) and triggers the addon's crons (overdue
   checkpoints, pool rules, regularity, distribution), which the cron
   workers run; the same leads are unassigned on Odoo's side;
3. the table (requests, requests per second, p50/p95 latency, errors per
   operation, both sides, p95 ratio), then the checks on ours: one owner and
   one claim transfer per claimed deal, every loser told in plain words, no
   duplicate activity, pool notice, transfer or open commission line, no
   deadlock or serialization failure left to a user or a cron, no error
   logged. Written to bench/RESULTS.md (section "load"); exit status 1 when
   a check fails.
"""

import argparse
import collections
import contextlib
import datetime
import json
import os
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from types import SimpleNamespace

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH_DIR)

import odoorpc  # noqa: E402
from sm_bench import (  # noqa: E402  (bench/sm_bench: the benchmark's harness)
    data as bench_data,
    harness,
    results as bench_results,
)
from sm_bench.scenarios.regularity import regularity_prepare  # noqa: E402

ODOO_SRC = harness.ODOO_SRC
SM_ROOT = harness.SM_ROOT
ADDON = harness.ADDON
HOST = "127.0.0.1"  # loopback only: every request of this test goes there
PASSWORD = "load"  # every simulated salesperson's password
ADMIN_UID = 2
PIPELINE_DOMAIN = [("type", "=", "opportunity")]
PIPELINE_ORDER = "stage_id, priority desc, id desc"  # the pipeline action's order
KANBAN_LIMIT = 40  # records per kanban column (Odoo's default)
X2MANY_LIMIT = 40  # records per one2many list of a form
OPERATIONS = ("pipeline", "open", "call_form", "log_call", "claim", "win")
LABELS = {
    "pipeline": "pipeline load",
    "open": "open a deal",
    "call_form": "open the call form",
    "log_call": "log a call",
    "claim": "claim a pool deal",
    "win": "win the deal",
}
PLAIN_CLAIM_ANSWERS = (
    "Another salesperson has just claimed",
    "Not in the shared pool (any more)",
)
CONCURRENCY_TEXT = re.compile(
    r"deadlock detected|could not serialize|could not obtain lock"
    r"|SerializationFailure|DeadlockDetected|LockNotAvailable",
    re.I,
)
RETRY_RE = re.compile(
    r"INFO \S+ odoo\.service\.model: (SERIALIZATION_FAILURE|DEADLOCK_DETECTED"
    r"|LOCK_NOT_AVAILABLE), (\d+ tries left|maximum number of tries reached)"
)
# Odoo logs a job's name with repr(): in double quotes when it holds a quote
_JOB = r"Job (['\"])(?P<name>.+?)\1 \((?P<id>\d+)\)"
CRON_DONE_RE = re.compile(_JOB + r" done in (?P<seconds>[0-9.]+)s")
CRON_START_RE = re.compile(_JOB + r" starting")
CRON_FAILED_RE = re.compile(_JOB + r" server action #\d+ failed")
PROBLEM_RE = harness.PROBLEM_RE
EXTERNAL_CRON_MODULES = (
    "crm_iap_enrich",
    "iap",
    "partner_autocomplete",
    "sms",
    "snailmail",
)
# Odoo's access log: "POST /path HTTP/1.1" 200 - queries sql_seconds other_seconds
ACCESS_RE = re.compile(
    r"^(?P<ts>\S+ \S+),\d+ \d+ INFO \S+ werkzeug: .*\"POST (?P<path>\S+) HTTP/1\.[01]\""
    r" (?P<status>\d+) - (?P<queries>\d+) (?P<sql>[0-9.]+) (?P<py>[0-9.]+)"
)
ADDON_CRONS = (
    "ir_cron_checkpoints_overdue",
    "ir_cron_apply_pool_rules",
    "ir_cron_repeat_clients",
    "ir_cron_distribute_leads",
)


def log(message):
    print(f"[load] {message}", file=sys.stderr, flush=True)


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


# --------------------------------------------------------------------------
# The two databases
# --------------------------------------------------------------------------


def ids(rows):
    return [r[0] for r in rows]


def common_prepare(bench, db, args):
    """What both sides get: teams led by the administrator, passwords, mail
    data as in a CRM in use. Returns nothing."""
    # one hash for every salesperson (same password): hashing is slow on purpose
    with bench.env(db) as env:
        digest = env["res.users"]._crypt_context().hash(PASSWORD)
    bench.sql(
        db,
        "UPDATE res_users SET password = %s WHERE login LIKE 'bench\\_sp\\_%%'",
        [digest],
    )
    bench.sql(db, "UPDATE crm_team SET user_id = %s", [ADMIN_UID])
    # loopback only: no cron that calls Odoo's servers (IAP enrichment,
    # partner autocomplete, SMS, letters, the publisher's update check)
    bench.sql(
        db,
        """
        UPDATE ir_cron SET active = FALSE
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE model = 'ir.cron'
                         AND (module = ANY(%s) OR (module, name) IN
                              (('mail', 'ir_cron_module_update_notification'))))
        """,
        [list(EXTERNAL_CRON_MODULES)],
    )
    bench_data.seed_mail(bench, db)


def plan_data(bench, db, args):
    """Which records each part of the test uses (ids are the same on both
    copies: they come from the same template). Returns a namespace."""
    users = bench.sql(
        db,
        "SELECT u.id, u.login, m.crm_team_id FROM res_users u"
        " JOIN crm_team_member m ON m.user_id = u.id AND m.active"
        " WHERE u.login LIKE 'bench\\_sp\\_%%' ORDER BY u.login",
    )
    users = users[: args.users]
    if len(users) < args.users:
        raise SystemExit(f"the template has {len(users)} salespeople, not {args.users}")
    uids = [u[0] for u in users]
    open_opps = """
        SELECT l.id FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
         WHERE l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
           AND l.probability < 100 AND l.partner_id IS NOT NULL
    """
    work = {}
    for uid, _login, _team in users:
        deals = ids(
            bench.sql(
                db,
                open_opps + " AND l.user_id = %s ORDER BY l.id LIMIT %s",
                [uid, args.iterations],
            )
        )
        if len(deals) < args.iterations:
            raise SystemExit(f"user {uid} has only {len(deals)} open deals")
        work[uid] = deals
    taken = {d for deals in work.values() for d in deals}
    teams = sorted({u[2] for u in users})
    pool = {}
    for team in teams:
        rows = ids(
            bench.sql(
                db,
                open_opps + " AND l.team_id = %s AND l.user_id <> ALL(%s)"
                " AND l.id <> ALL(%s) ORDER BY l.id DESC LIMIT %s",
                [team, uids, list(taken), args.iterations],
            )
        )
        if len(rows) < args.iterations:
            # teams whose members are all simulated: any open deal of theirs
            rows = ids(
                bench.sql(
                    db,
                    open_opps + " AND l.team_id = %s AND l.id <> ALL(%s)"
                    " ORDER BY l.id DESC LIMIT %s",
                    [team, list(taken), args.iterations],
                )
            )
        pool[team] = rows
        taken.update(rows)
    # reserves for the crons, spread over the table: disjoint from the above
    others = ids(
        bench.sql(
            db,
            open_opps + " AND l.user_id IS NOT NULL AND l.id <> ALL(%s)"
            " ORDER BY md5(l.id::text)",
            [list(taken)],
        )
    )
    new_leads = ids(
        bench.sql(
            db,
            "SELECT id FROM crm_lead WHERE active AND type = 'lead'"
            " AND user_id IS NOT NULL AND team_id IS NOT NULL"
            " AND id <> ALL(%s) ORDER BY md5(id::text)",
            [list(taken)],
        )
    )
    waves = args.max_waves + 1
    need = args.release + waves * (args.stale_per_wave + args.late_per_wave)
    if len(others) < need:
        raise SystemExit(f"{len(others)} open deals for the crons, {need} needed")
    if len(new_leads) < waves * args.new_per_wave:
        raise SystemExit(f"{len(new_leads)} leads to unassign, too few")
    cut = iter(others)
    release = [next(cut) for _ in range(args.release)]
    stale = [[next(cut) for _ in range(args.stale_per_wave)] for _ in range(waves)]
    late = [[next(cut) for _ in range(args.late_per_wave)] for _ in range(waves)]
    lead_cut = iter(new_leads)
    new = [[next(lead_cut) for _ in range(args.new_per_wave)] for _ in range(waves)]
    return SimpleNamespace(
        users=users,
        work=work,
        pool=pool,
        release=release,
        stale=stale,
        late=late,
        new=new,
    )


def unassign(bench, db, lead_ids):
    bench.sql(
        db,
        "UPDATE crm_lead SET user_id = NULL, date_open = NULL WHERE id = ANY(%s)",
        [lead_ids],
    )


def plain_prepare(bench, db, data):
    bench.sql(
        db,
        "UPDATE crm_lead SET user_id = NULL WHERE id = ANY(%s)",
        [[d for deals in data.pool.values() for d in deals]],
    )
    unassign(bench, db, data.new[0])
    bench.sql(db, "VACUUM (ANALYZE) crm_lead")


def ours_prepare(bench, db, data, args):
    """The addon's configuration and the crons' first day of work."""
    pool_ids = [d for deals in data.pool.values() for d in deals]
    bench.sql(
        db,
        "UPDATE crm_lead SET user_id = NULL, in_pool = TRUE WHERE id = ANY(%s)",
        [pool_ids],
    )
    unassign(bench, db, data.new[0])
    # every deal touched yesterday, every checkpoint pending and due in a
    # month: only what this test makes due below is
    bench.sql(
        db,
        "UPDATE crm_lead SET sm_last_touch_date ="
        " now() at time zone 'UTC' - interval '1 day'",
    )
    bench.sql(
        db,
        "UPDATE motivation_checkpoint SET state = 'pending', alert_date = NULL,"
        " deadline = current_date + 30",
    )
    bench.sql(
        db,
        "UPDATE crm_team_member SET assignment_max = 1000, assignment_optout = FALSE",
    )
    bench.sql(db, "UPDATE crm_team SET sm_fair_distribution = TRUE")
    reg = regularity_prepare(bench, db, args.repeat_clients)  # the bench's, smaller
    with bench.env(db, commit=True) as env:
        env["motivation.commission.plan"].create(
            {"name": "Load plan", "registrar_percent": 5, "closer_percent": 10}
        )
        rule = env["motivation.pool.rule"].create(
            {
                "name": "No interaction for 30 days",
                "trigger": "no_interaction",
                "days": 30,
                "warning_days": 5,
                "action": "release",
                "applies_to": "opportunity",
            }
        )
        rule_id = rule.id
    # the deals to release: untouched for 60 days and warned 6 days ago
    bench.sql(
        db,
        "UPDATE crm_lead SET sm_last_touch_date ="
        " now() at time zone 'UTC' - interval '60 days' WHERE id = ANY(%s)",
        [data.release],
    )
    with bench.env(db, commit=True) as env:
        from odoo import fields

        env["motivation.pool.rule"].browse(rule_id)._apply(fields.Datetime.now())
    bench.sql(
        db,
        "UPDATE motivation_pool_notice SET"
        " warn_date = now() at time zone 'UTC' - interval '6 days',"
        " act_date = now() at time zone 'UTC' - interval '1 day'"
        " WHERE lead_id = ANY(%s)",
        [data.release],
    )
    make_wave_due(bench, db, data, 0)
    bench.sql(db, "VACUUM (ANALYZE)")
    return (
        f"commission plan 5 % / 10 % for every team; pool rule 'no interaction for "
        f"30 days' (warning 5 days before, release); fair distribution in every "
        f"team; {len(data.release)} deals warned 6 days ago, to release; {reg}"
    )


def make_wave_due(bench, db, data, wave):
    """Work for the crons (ours): deals untouched for 27 days (the rule warns
    them), checkpoints past their deadline (overdue, the leader alerted)."""
    bench.sql(
        db,
        "UPDATE crm_lead SET sm_last_touch_date ="
        " now() at time zone 'UTC' - interval '27 days' WHERE id = ANY(%s)",
        [data.stale[wave]],
    )
    bench.sql(
        db,
        "UPDATE motivation_checkpoint SET deadline = current_date - 1"
        " WHERE lead_id = ANY(%s) AND state = 'pending'",
        [data.late[wave]],
    )


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


class Server:
    """odoo-bin serving one database on 127.0.0.1, started and stopped here."""

    def __init__(self, args, db, logfile):
        self.args = args
        self.db = db
        self.logfile = logfile
        self.proc = None

    def start(self):
        a = self.args
        cmd = [
            sys.executable,
            os.path.join(ODOO_SRC, "odoo-bin"),
            f"--addons-path={a.addons_path}",
            f"--db_host={a.db_host}",
            f"--db_port={a.db_port}",
            f"--db_user={a.db_user}",
            f"--data-dir={a.data_dir}",
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            f"--http-interface={HOST}",
            f"--http-port={a.http_port}",
            *shlex.split(a.server_opts),
            "--log-level=info",
            f"--logfile={self.logfile}",
        ]
        log(f"starting {' '.join(cmd[2:])}")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.logfile)
        # the clients share these 2 CPUs with the server: a worker waits up
        # to 30 s (not Odoo's 2 s) for a request to arrive in full once it
        # took the connection, as a buffering reverse proxy would spare it
        env = dict(os.environ, ODOO_HTTP_SOCKET_TIMEOUT=str(self.args.socket_timeout))
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        url = f"http://{HOST}:{a.http_port}/web/health"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"odoo-bin exited ({self.proc.returncode}), see {self.logfile}"
                )
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise RuntimeError(f"odoo-bin did not answer on {url} in 180 s")

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        # the master stops its workers (graceful: the current requests end)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            log("odoo-bin did not stop in 90 s: killing its process group")
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        # workers it may have left behind (its own process group)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)


# --------------------------------------------------------------------------
# The client: a salesperson's session through odoorpc
# --------------------------------------------------------------------------


class Session:
    """One salesperson's web session: odoorpc's JSON-RPC connector (its
    cookie jar holds the session, as the browser's does)."""

    def __init__(self, args, db, login):
        self.db = db
        self.login = login
        self.odoo = odoorpc.ODOO(
            HOST, port=args.http_port, timeout=args.request_timeout
        )
        self.uid = None
        self.context = {}

    def authenticate(self):
        result = self.odoo.json(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": PASSWORD},
        )["result"]
        self.uid = result["uid"]
        ctx = result.get("user_context") or {}
        self.context = {
            "lang": ctx.get("lang", "en_US"),
            "tz": ctx.get("tz") or "UTC",
            "uid": self.uid,
            "allowed_company_ids": [
                result.get("user_companies", {}).get("current_company", 1)
            ],
        }

    def call(self, model, method, *args, route="call_kw", context=None, **kwargs):
        kwargs["context"] = {**self.context, **(context or {})}
        return self.odoo.json(
            f"/web/dataset/{route}/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )["result"]

    def button(self, model, method, record_ids, context=None):
        return self.call(
            model, method, record_ids, route="call_button", context=context
        )

    def route(self, url, params):
        return self.odoo.json(url, params)["result"]


def view_spec(arch, fields, models, sub=False):
    """The web client's read specification for a view's arch: each field of
    the view, many2one with its display name, x2many with the fields of
    their inline list (or their display name), as Odoo's web client asks."""
    root = ET.fromstring(arch) if isinstance(arch, str) else arch
    spec = {}

    def walk(node):
        for child in node:
            if child.tag == "field":
                name = child.get("name")
                field = fields.get(name)
                if not field:
                    continue
                entry = spec.setdefault(name, {})
                ftype = field.get("type")
                if ftype == "many2one":
                    entry["fields"] = {"display_name": {}}
                elif ftype in ("one2many", "many2many"):
                    related = model_fields(models, field.get("relation"))
                    inline = [c for c in child if c.tag in ("list", "tree")]
                    subspec = (
                        view_spec(inline[0], related, models, sub=True)
                        if inline
                        else {}
                    )
                    if child.get("widget") == "many2many_tags":
                        subspec = {"display_name": {}}
                        if "color" in related:
                            subspec["color"] = {}
                    entry["fields"] = subspec or {"display_name": {}}
                    if not sub and child.get("widget") != "many2many_tags":
                        entry["limit"] = X2MANY_LIMIT
            elif child.tag not in ("list", "tree", "form", "kanban") or not sub:
                walk(child)

    walk(root)
    return spec


def model_fields(models, model):
    info = models.get(model) or {}
    return info.get("fields", info)


class Views:
    """What the web client knows of crm.lead's pipeline on one side (its
    views are cached in the browser: read once, not measured)."""

    def __init__(self, session):
        result = session.call(
            "crm.lead",
            "get_views",
            views=[[False, "kanban"], [False, "form"]],
            options={"toolbar": False, "load_filters": False},
        )
        models = result["models"]
        fields = model_fields(models, "crm.lead")
        kanban = result["views"]["kanban"]["arch"]
        form = result["views"]["form"]["arch"]
        self.kanban_spec = view_spec(kanban, fields, models)
        self.form_spec = view_spec(form, fields, models)
        self.aggregates = [
            f"{name}:{fields[name]['aggregator']}"
            for name in self.kanban_spec
            if fields[name].get("aggregator") and name != "stage_id"
        ]
        bar = ET.fromstring(kanban).find(".//progressbar")
        self.progress_bar = None
        if bar is not None:
            self.progress_bar = {
                "field": bar.get("field"),
                "colors": json.loads(bar.get("colors") or "{}"),
            }
            if bar.get("sum_field"):
                self.progress_bar["sum_field"] = bar.get("sum_field")
            if bar.get("help"):
                self.progress_bar["help"] = bar.get("help")


class Recorder:
    """Every operation's latency and outcome, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ops = []  # (op, seconds, requests, outcome, message)
        self.requests = []  # (op, request name, seconds)
        self.claims = collections.defaultdict(list)  # lead -> [(uid, outcome, msg)]

    def add(self, op, seconds, requests, outcome="ok", message=""):
        with self.lock:
            self.ops.append((op, seconds, requests, outcome, message))

    def add_request(self, op, name, seconds):
        with self.lock:
            self.requests.append((op, name, seconds))


def error_text(exc):
    """(exception class name, message) of a failed call."""
    if isinstance(exc, odoorpc.error.RPCError):
        data = (exc.info or {}).get("data") or {}
        return data.get("name") or "RPCError", data.get("message") or str(exc)
    return type(exc).__name__, str(exc)


class Salesperson(threading.Thread):
    """One simulated salesperson working through their rounds."""

    def __init__(
        self, side, args, db, uid, login, team, data, barriers, rec, start, views
    ):
        super().__init__(name=f"{side}-{login}", daemon=True)
        self.side, self.args, self.db = side, args, db
        self.uid, self.login, self.team = uid, login, team
        self.data, self.barriers, self.rec = data, barriers, rec
        self.start_event, self.stop_at = start, time.monotonic() + args.time_limit
        self.session = Session(args, db, login)
        self.views = views
        self.delay = 0
        self.claim_request = "web_save" if side == "odoo" else "action_claim"
        self.ready = threading.Event()
        self.failure = None
        self.random = random.Random(uid)
        self.rounds = 0

    # each operation: its requests, timed together
    def timed(self, op, steps):
        t0 = time.perf_counter()
        count = 0
        try:
            for name, func in steps:
                r0 = time.perf_counter()
                result = func()
                self.rec.add_request(op, name, time.perf_counter() - r0)
                count += 1
                steps_result = result
        except Exception as exc:  # noqa: BLE001 - counted and reported
            kind, message = error_text(exc)
            self.rec.add(
                op, time.perf_counter() - t0, count + 1, "error", f"{kind}: {message}"
            )
            return None, (kind, message)
        self.rec.add(op, time.perf_counter() - t0, count)
        return steps_result, None

    def pipeline(self):
        s, v = self.session, self.views
        t0 = time.perf_counter()
        count = 0
        try:
            r0 = time.perf_counter()
            groups = s.call(
                "crm.lead",
                "web_read_group",
                PIPELINE_DOMAIN,
                v.aggregates,
                ["stage_id"],
                orderby="",
                lazy=True,
                offset=0,
                limit=80,
            )
            self.rec.add_request("pipeline", "web_read_group", time.perf_counter() - r0)
            count += 1
            if v.progress_bar:
                r0 = time.perf_counter()
                s.call(
                    "crm.lead",
                    "read_progress_bar",
                    domain=PIPELINE_DOMAIN,
                    group_by="stage_id",
                    progress_bar=v.progress_bar,
                )
                self.rec.add_request(
                    "pipeline", "read_progress_bar", time.perf_counter() - r0
                )
                count += 1
            for group in groups["groups"]:
                if group.get("__fold") or not group.get("stage_id_count"):
                    continue
                r0 = time.perf_counter()
                s.call(
                    "crm.lead",
                    "web_search_read",
                    group["__domain"],
                    v.kanban_spec,
                    offset=0,
                    limit=KANBAN_LIMIT,
                    order=PIPELINE_ORDER,
                    count_limit=KANBAN_LIMIT + 1,
                    context={
                        "bin_size": True,
                        "default_stage_id": group["stage_id"][0],
                    },
                )
                self.rec.add_request(
                    "pipeline", "web_search_read", time.perf_counter() - r0
                )
                count += 1
        except Exception as exc:  # noqa: BLE001
            kind, message = error_text(exc)
            self.rec.add(
                "pipeline",
                time.perf_counter() - t0,
                count + 1,
                "error",
                f"{kind}: {message}",
            )
            return
        self.rec.add("pipeline", time.perf_counter() - t0, count)

    def open_deal(self, deal):
        return self.timed(
            "open",
            [
                (
                    "web_read",
                    lambda: self.session.call(
                        "crm.lead",
                        "web_read",
                        [deal],
                        self.views.form_spec,
                        context={"bin_size": True},
                    ),
                )
            ],
        )

    def log_call(self, deal, n):
        s = self.session
        note = f"Call {n} by {self.login}: discussed the offer"
        if self.side == "odoo":
            # Odoo's own way: a note in the deal's chatter (the Log note button)
            return self.timed(
                "log_call",
                [
                    (
                        "/mail/message/post",
                        lambda: s.route(
                            "/mail/message/post",
                            {
                                "thread_model": "crm.lead",
                                "thread_id": deal,
                                "post_data": {
                                    "body": note,
                                    "message_type": "comment",
                                    "subtype_xmlid": "mail.mt_note",
                                },
                                "context": s.context,
                            },
                        ),
                    )
                ],
            )
        # the addon's Log Interaction button: the form opens, prefilled from
        # the action's context (default_*) by an onchange, as in the browser
        opened = {}

        def open_form():
            opened["action"] = s.button("crm.lead", "action_sm_log_interaction", [deal])
            return opened["action"]

        def defaults():
            opened["values"] = s.call(
                "motivation.interaction.wizard",
                "onchange",
                [],
                {},
                [],
                {name: {} for name in WIZARD_FIELDS},
                context=opened["action"]["context"],
            )["value"]
            return opened["values"]

        _result, error = self.timed(
            "call_form",
            [("action_sm_log_interaction", open_form), ("onchange", defaults)],
        )
        if error:
            return None, error
        ctx = opened["action"]["context"]
        # what the browser sends on save: the editable fields (the readonly
        # ones come from the context's defaults), and the result clicked
        values = {
            key: value
            for key, value in opened["values"].items()
            if key in WIZARD_EDITABLE and not isinstance(value, dict | list)
        }
        values.update(result_id=self.args.result_id, note=note)
        # the Log button is the dialog's save: the web client sends the
        # record and reads the form's fields back, in one request
        return self.timed(
            "log_call",
            [
                (
                    "web_save",
                    lambda: s.call(
                        "motivation.interaction.wizard",
                        "web_save",
                        [],
                        values,
                        specification={name: {} for name in WIZARD_FIELDS},
                        context=ctx,
                    ),
                )
            ],
        )

    def claim(self, k):
        lead = self.data.pool[self.team][k]
        barrier = self.barriers[(self.team, k)]
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=self.args.barrier_timeout)
        t0 = time.perf_counter()
        try:
            if self.side == "odoo":
                # Odoo's own way to take an unassigned deal: set oneself as
                # its salesperson in the form and save (nobody is told when a
                # colleague did the same a moment before)
                self.session.call(
                    "crm.lead",
                    "web_save",
                    [lead],
                    {"user_id": self.uid},
                    specification={},
                )
            else:
                self.session.button("crm.lead", "action_claim", [lead])
        except Exception as exc:  # noqa: BLE001
            kind, message = error_text(exc)
            seconds = time.perf_counter() - t0
            plain = kind == "odoo.exceptions.UserError" and any(
                text in message for text in PLAIN_CLAIM_ANSWERS
            )
            outcome = "plain" if plain else "error"
            if self.side == "odoo" and kind.startswith("odoo.exceptions."):
                outcome = "refused"  # plain Odoo's answer to the later writers
            self.rec.add("claim", seconds, 1, outcome, f"{kind}: {message}")
            self.rec.add_request("claim", self.claim_request, seconds)
            with self.rec.lock:
                self.rec.claims[lead].append((self.uid, outcome, message))
            return
        seconds = time.perf_counter() - t0
        self.rec.add("claim", seconds, 1)
        self.rec.add_request("claim", self.claim_request, seconds)
        with self.rec.lock:
            self.rec.claims[lead].append((self.uid, "won", ""))

    def win(self, deal):
        return self.timed(
            "win",
            [
                (
                    "action_set_won_rainbowman",
                    lambda: self.session.button(
                        "crm.lead", "action_set_won_rainbowman", [deal]
                    ),
                )
            ],
        )

    def think(self):
        if self.args.think > 0:
            time.sleep(self.random.uniform(0, 2 * self.args.think))

    def warm_up(self):
        """Log in, then what the browser loads once per session (not counted)."""
        self.session.authenticate()
        if self.session.uid != self.uid:
            raise RuntimeError(f"{self.login} logged in as uid {self.session.uid}")
        warm = Recorder()
        real, self.rec = self.rec, warm
        try:
            self.pipeline()
            self.open_deal(self.data.work[self.uid][0])
        finally:
            self.rec = real
        errors = [op for op in warm.ops if op[3] == "error"]
        if errors:
            raise RuntimeError(f"warm-up failed: {errors[0][4]}")

    def run(self):
        # the salespeople arrive one after the other (RAMP_UP s apart), and a
        # login that fails on a connection (the server's listen queue is
        # short while its workers load) is tried again, as a person would
        time.sleep(self.delay)
        for attempt in range(3):
            try:
                self.warm_up()
                self.failure = None
                break
            except Exception as exc:  # noqa: BLE001
                self.failure = f"{type(exc).__name__}: {exc} (try {attempt + 1})"
                self.session = Session(self.args, self.db, self.login)
                time.sleep(5)
        if self.failure:
            self.ready.set()
            return
        self.ready.set()
        self.start_event.wait()
        try:
            self.rounds_loop()
        except Exception:  # noqa: BLE001 - a bug of this test, not an answer
            self.failure = traceback.format_exc(limit=3)

    def rounds_loop(self):
        deals = self.data.work[self.uid]
        for k in range(self.args.iterations):
            if time.monotonic() > self.stop_at:
                break
            deal = deals[k]
            self.pipeline()
            self.think()
            self.open_deal(deal)
            self.think()
            self.log_call(deal, k + 1)
            self.think()
            self.claim(k)
            self.think()
            self.win(deal)
            self.rounds += 1
            self.think()


WIZARD_FIELDS = (
    "res_model",
    "res_id",
    "activity_id",
    "lead_id",
    "partner_id",
    "kind",
    "direction",
    "contact_partner_id",
    "contact_name",
    "contact_phone",
    "contact_email",
    "topic",
    "result_id",
    "note",
)
WIZARD_EDITABLE = (
    "kind",
    "direction",
    "contact_partner_id",
    "contact_name",
    "contact_phone",
    "contact_email",
    "topic",
)


# --------------------------------------------------------------------------
# One side's run
# --------------------------------------------------------------------------


class CronDriver(threading.Thread):
    """Every CRON_EVERY seconds: more work due (ours: deals untouched for 27
    days, late checkpoints; both: new unassigned leads), then, on ours, the
    addon's crons triggered as Odoo's own _trigger() does (a trigger row and
    a NOTIFY the cron workers listen to)."""

    def __init__(self, bench, side, db, data, args, cron_ids):
        super().__init__(name=f"crons-{side}", daemon=True)
        self.bench, self.side, self.db = bench, side, db
        self.data, self.args, self.cron_ids = data, args, cron_ids
        self.halt = threading.Event()
        self.waves = 0
        self.failure = None

    def trigger(self):
        """The addon's crons due now (ours), and the cron workers woken up on
        both sides (otherwise they look for due jobs once a minute)."""
        if self.cron_ids:
            self.bench.sql(
                self.db,
                "INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid,"
                " create_date, write_uid, write_date)"
                " SELECT id, now() at time zone 'UTC', 1, now() at time zone 'UTC',"
                " 1, now() at time zone 'UTC' FROM unnest(%s::int[]) AS id",
                [self.cron_ids],
            )
        self.bench.sql("postgres", "SELECT pg_notify('cron_trigger', %s)", [self.db])

    def run(self):
        try:
            self.trigger()  # the first day's work, prepared beforehand
            while not self.halt.wait(self.args.cron_every):
                wave = self.waves + 1
                if wave > self.args.max_waves:
                    break
                unassign(self.bench, self.db, self.data.new[wave])
                if self.side == "ours":
                    make_wave_due(self.bench, self.db, self.data, wave)
                self.trigger()
                self.waves = wave
        except Exception as exc:  # noqa: BLE001
            self.failure = f"{type(exc).__name__}: {exc}"


def cron_activity(logfile):
    """{cron name: [durations]}, failures and jobs still running, from the log."""
    done, started, failed = collections.defaultdict(list), collections.Counter(), []
    with contextlib.suppress(FileNotFoundError), open(logfile, errors="replace") as f:
        for line in f:
            if m := CRON_START_RE.search(line):
                started[m["name"]] += 1
            elif m := CRON_DONE_RE.search(line):
                done[m["name"]].append(float(m["seconds"]))
            elif m := CRON_FAILED_RE.search(line):
                failed.append(m["name"])
    running = sum(started.values()) - sum(len(v) for v in done.values()) - len(failed)
    return done, failed, running


def run_side(bench, side, db, data, args, cron_ids, round_no=1):
    """Start the server, run the salespeople, stop. Returns a namespace."""
    logfile = os.path.join(args.log_dir, f"{db}-{round_no}-server.log")
    server = Server(args, db, logfile)
    rec = Recorder()
    result = SimpleNamespace(side=side, db=db, rec=rec, logfile=logfile, failures=[])
    start_event = threading.Event()
    barriers = {}  # (team, round) -> the team's ready members meet there
    server.start()
    driver = None
    try:
        t_ready = time.monotonic()
        # the views, as the browser caches them: read once per side (every
        # salesperson has the same groups, hence the same views)
        first = data.users[0]
        probe = Session(args, db, first[1])
        probe.authenticate()
        views = Views(probe)
        clients = [
            Salesperson(
                side,
                args,
                db,
                uid,
                login,
                team,
                data,
                barriers,
                rec,
                start_event,
                views,
            )
            for uid, login, team in data.users
        ]
        for k, client in enumerate(clients):
            client.delay = k * args.ramp_up
            client.start()
        for client in clients:
            client.ready.wait(timeout=args.time_limit)
        result.failures = [f"{c.login}: {c.failure}" for c in clients if c.failure]
        ready = [c for c in clients if c.ready.is_set() and not c.failure]
        log(
            f"{side}: {len(ready)} of {len(clients)} salespeople logged in and warmed"
            f" up in {time.monotonic() - t_ready:.0f} s"
        )
        members = collections.Counter(c.team for c in ready)
        barriers.update(
            {
                (team, k): threading.Barrier(n)
                for team, n in members.items()
                for k in range(args.iterations)
            }
        )
        if not ready:
            raise RuntimeError(f"no salesperson could start: {result.failures[:3]}")
        result.views = views
        log(
            f"{side}: kanban cards read {len(views.kanban_spec)} fields"
            f" ({', '.join(sorted(views.kanban_spec))}); the form"
            f" {len(views.form_spec)} fields; aggregates {views.aggregates};"
            f" progress bar {views.progress_bar}"
        )
        driver = CronDriver(bench, side, db, data, args, cron_ids)
        result.start = now_utc()
        result.start_local = datetime.datetime.now()
        t0 = time.monotonic()
        # the clients' time limit counts from here
        for client in clients:
            client.stop_at = t0 + args.time_limit
        driver.start()
        start_event.set()
        for client in clients:
            client.join(
                timeout=max(
                    1,
                    t0 + args.time_limit + 2 * args.request_timeout - time.monotonic(),
                )
            )
        result.seconds = time.monotonic() - t0
        result.rounds = sum(c.rounds for c in clients)
        result.timed_out = [c.login for c in clients if c.is_alive()]
        driver.halt.set()
        driver.join(timeout=60)
        result.waves = driver.waves
        if driver.failure:
            result.failures.append(f"cron driver: {driver.failure}")
        # let the crons running or due finish before stopping the server
        grace = time.monotonic() + args.cron_grace
        while time.monotonic() < grace:
            _done, _failed, running = cron_activity(logfile)
            due = bench.sql_value(
                db,
                "SELECT count(*) FROM ir_cron_trigger WHERE cron_id = ANY(%s)",
                [cron_ids],
            )
            if running <= 0 and not due:
                break
            time.sleep(2)
        result.crons = cron_activity(logfile)
        result.server = server_times(result)
        log(
            f"{side}: {len(rec.ops)} operations in {result.seconds:.0f} s,"
            f" {result.rounds} rounds; {result.waves} cron waves"
        )
    finally:
        if driver:
            driver.halt.set()
        server.stop()
    return result


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def op_stats(result, op):
    rows = [o for o in result.rec.ops if o[0] == op]
    ok = [o[1] for o in rows if o[3] != "error"]
    return SimpleNamespace(
        operations=len(rows),
        requests=sum(o[2] for o in rows),
        per_second=sum(o[2] for o in rows) / result.seconds if result.seconds else 0,
        p50=percentile(ok, 0.5),
        p95=percentile(ok, 0.95),
        errors=sum(1 for o in rows if o[3] == "error"),
        plain=sum(1 for o in rows if o[3] == "plain"),
        refused=sum(1 for o in rows if o[3] == "refused"),
    )


def request_stats(result, op, name):
    values = [r[2] for r in result.rec.requests if r[0] == op and r[1] == name]
    return len(values), percentile(values, 0.5), percentile(values, 0.95)


def server_times(result):
    """{request name: [(queries, seconds)]} from the server's access log, for
    the measured part of the run (Odoo's own timing: SQL and Python, not the
    wait for a free worker)."""
    times = collections.defaultdict(list)
    start = result.start_local.strftime("%Y-%m-%d %H:%M:%S")
    with (
        contextlib.suppress(FileNotFoundError),
        open(result.logfile, errors="replace") as f,
    ):
        for line in f:
            m = ACCESS_RE.match(line)
            if not m or m["ts"] < start:
                continue
            path = m["path"]
            if path.startswith("/web/dataset/call_"):
                path = path.rsplit("/", 1)[-1]
            times[path].append((int(m["queries"]), float(m["sql"]) + float(m["py"])))
    return times


def fmt(seconds):
    return "-" if seconds is None else f"{seconds:.3f}"


def table_rows(results):
    """[(operation, cells of Odoo, cells of ours, ratio)]"""
    odoo, ours = results.get("odoo"), results.get("ours")
    rows = []
    for op in OPERATIONS:
        cells = {}
        for side, result in (("odoo", odoo), ("ours", ours)):
            if result is None:
                cells[side] = None
                continue
            st = op_stats(result, op)
            cells[side] = st if st.operations else None
        if not cells["odoo"] and not cells["ours"]:
            continue
        ratio = None
        if cells["odoo"] and cells["ours"] and cells["odoo"].p95 and cells["ours"].p95:
            ratio = cells["ours"].p95 / cells["odoo"].p95
        rows.append((op, cells["odoo"], cells["ours"], ratio))
    return rows


def side_cells(st):
    if st is None:
        return ["-"] * 5
    errors = str(st.errors)
    if st.plain:
        errors += f" (+{st.plain} 'already claimed')"
    if st.refused:
        errors += f" (+{st.refused} refused)"
    return [
        f"{st.operations} ({st.requests})",
        f"{st.per_second:.1f}",
        fmt(st.p50),
        fmt(st.p95),
        errors,
    ]


HEADERS = [
    "Operation",
    "Odoo: ops (requests)",
    "req/s",
    "p50 s",
    "p95 s",
    "errors",
    "ours: ops (requests)",
    "req/s",
    "p50 s",
    "p95 s",
    "errors",
    "p95 ours/Odoo",
]


def result_table(results, targets):
    lines = ["| " + " | ".join(HEADERS) + " |", "|---|" + "---:|" * (len(HEADERS) - 1)]
    for op, odoo, ours, ratio in table_rows(results):
        label = LABELS[op]
        note = ""
        if ratio is not None:
            note = f"{ratio:.2f}x"
            if op in targets:
                note += (
                    " (target ≤ 1.2x: " + ("met" if ratio <= 1.2 else "MISSED") + ")"
                )
        lines.append(
            "| "
            + " | ".join([label, *side_cells(odoo), *side_cells(ours), note or "-"])
            + " |"
        )
    totals = []
    for side in ("odoo", "ours"):
        result = results.get(side)
        if result is None:
            totals += ["-"] * 5
            continue
        ops = result.rec.ops
        requests = sum(o[2] for o in ops)
        totals += [
            f"{len(ops)} ({requests})",
            f"{requests / result.seconds:.1f}",
            "-",
            "-",
            str(sum(1 for o in ops if o[3] == "error")),
        ]
    lines.append("| " + " | ".join(["all", *totals, "-"]) + " |")
    return lines


def request_table(results):
    """p50/p95 of each kind of request, both sides: as the client saw it, and
    the server's own time and queries (median) from its access log."""
    lines = [
        "| Request (operation) | Odoo: n | p50 s | p95 s | server p50 s | p95 s"
        " | queries | ours: n | p50 s | p95 s | server p50 s | p95 s | queries |",
        "|---|" + "---:|" * 12,
    ]
    server = {side: r.server for side, r in results.items()}
    names = []
    for result in results.values():
        for op, name, _s in result.rec.requests:
            if (op, name) not in names:
                names.append((op, name))
    names.sort(key=lambda k: (OPERATIONS.index(k[0]), k[1]))
    for op, name in names:
        cells = []
        for side in ("odoo", "ours"):
            result = results.get(side)
            n, p50, p95 = request_stats(result, op, name) if result else (0, None, None)
            cells += [str(n) if n else "-", fmt(p50), fmt(p95)]
            # the server's log names requests only (a web_save is a claim on
            # Odoo's side and the call form's save on ours): none when this
            # side made no such request in this operation
            own = server.get(side, {}).get(name, []) if n else []
            seconds = [t for _q, t in own]
            queries = statistics.median([q for q, _t in own]) if own else None
            cells += [
                fmt(percentile(seconds, 0.5)),
                fmt(percentile(seconds, 0.95)),
                "-" if queries is None else f"{queries:g}",
            ]
        lines.append(f"| {name} ({LABELS[op]}) | " + " | ".join(cells) + " |")
    return lines


# --------------------------------------------------------------------------
# Checks (ours)
# --------------------------------------------------------------------------


def log_concurrency(logfile):
    """Retries of concurrency failures (Odoo's HTTP layer retries a request
    up to 5 times), those that reached the user or a cron, problems logged."""
    retries, exhausted, texts, problems = collections.Counter(), 0, [], []
    with contextlib.suppress(FileNotFoundError), open(logfile, errors="replace") as f:
        for line in f:
            if m := RETRY_RE.search(line):
                if "maximum" in m.group(2):
                    exhausted += 1
                else:
                    retries[m.group(1)] += 1
                continue
            # Odoo logs every UserError answered at WARNING: the plain
            # "already claimed" answers are counted as answers, not here
            plain_answer = (
                " WARNING " in line
                and " odoo.http: " in line
                and any(text in line for text in PLAIN_CLAIM_ANSWERS)
            )
            if PROBLEM_RE.match(line) and not plain_answer:
                problems.append(line.rstrip())
            if CONCURRENCY_TEXT.search(line) and " odoo.service.model: " not in line:
                texts.append(line.rstrip())
    return retries, exhausted, texts, problems


def pg_log_deadlocks(args):
    path = os.path.join(args.pg_dir, "server.log") if args.pg_dir else None
    if not path or not os.path.exists(path):
        return None
    with open(path, errors="replace") as f:
        return sum(1 for line in f if "deadlock detected" in line)


def run_checks(bench, result, data):
    """[(check, ok, detail)] on ours after its run."""
    db, since = result.db, result.start
    checks = []
    rec = result.rec
    # claims: one winner each, the others told plainly, one owner, one transfer
    attempted = {lead: answers for lead, answers in rec.claims.items()}
    winners = {
        lead: [a[0] for a in answers if a[1] == "won"]
        for lead, answers in attempted.items()
    }
    bad_winners = {lead: w for lead, w in winners.items() if len(w) != 1}
    owners = dict(
        bench.sql(
            db, "SELECT id, user_id FROM crm_lead WHERE id = ANY(%s)", [list(attempted)]
        )
    )
    transfers = dict(
        bench.sql(
            db,
            "SELECT lead_id, array_agg(to_user_id ORDER BY id) FROM motivation_transfer"
            " WHERE kind = 'claim' AND lead_id = ANY(%s) GROUP BY lead_id",
            [list(attempted)],
        )
    )
    wrong_owner = [
        lead
        for lead, w in winners.items()
        if len(w) == 1 and (owners.get(lead) != w[0] or transfers.get(lead) != [w[0]])
    ]
    attempts = sum(len(a) for a in attempted.values())
    checks.append(
        (
            "exactly one owner per claimed deal",
            not bad_winners and not wrong_owner,
            f"{len(attempted)} pool deals claimed by {attempts} salespeople at once"
            f" (about {attempts / max(len(attempted), 1):.0f} each): "
            f"{sum(1 for w in winners.values() if len(w) == 1)} with exactly one winner"
            f", {len(bad_winners)} with another number"
            f"; owner and single claim transfer = the winner on"
            f" {len(attempted) - len(wrong_owner) - len(bad_winners)}",
        )
    )
    losers = [a for answers in attempted.values() for a in answers if a[1] != "won"]
    unplain = [a for a in losers if a[1] != "plain"]
    samples = sorted(
        {re.sub(r"Deal \d+.*?(;|\.)", "<deal>\\1", a[2])[:120] for a in losers}
    )[:2]
    checks.append(
        (
            "the loser told plainly",
            not unplain,
            f"{len(losers)} losing claims, {len(losers) - len(unplain)} answered "
            f"'already claimed' (UserError): "
            + " / ".join(f'"{s}"' for s in samples)
            + (f"; other answers: {unplain[:2]}" if unplain else ""),
        )
    )
    dup_activities = bench.sql(
        db,
        """
        SELECT res_model, res_id, activity_type_id, user_id, summary,
               create_date::date, count(*)
          FROM mail_activity
         GROUP BY 1, 2, 3, 4, 5, 6
        HAVING count(*) > 1 AND max(create_date) >= %s
        """,
        [since],
    )
    new_activities = bench.sql_value(
        db, "SELECT count(*) FROM mail_activity WHERE create_date >= %s", [since]
    )
    checks.append(
        (
            "no duplicate activity",
            not dup_activities,
            f"{new_activities} activities created during the run, "
            f"{len(dup_activities)} duplicated (same document, type, user, summary"
            " and day)" + (f": {dup_activities[:3]}" if dup_activities else ""),
        )
    )
    dup_notices = bench.sql(
        db,
        "SELECT rule_id, lead_id, partner_id, count(*) FROM motivation_pool_notice"
        " WHERE state = 'pending' GROUP BY 1, 2, 3 HAVING count(*) > 1",
    )
    notices = bench.sql_value(
        db,
        "SELECT count(*) FROM motivation_pool_notice WHERE create_date >= %s",
        [since],
    )
    checks.append(
        (
            "no duplicate pool notice",
            not dup_notices,
            f"{notices} notices created during the run, {len(dup_notices)} rule/deal"
            " pairs with two pending" + (f": {dup_notices[:3]}" if dup_notices else ""),
        )
    )
    dup_transfers = bench.sql(
        db,
        "SELECT lead_id, partner_id, kind, from_user_id, to_user_id, count(*)"
        " FROM motivation_transfer WHERE create_date >= %s"
        " GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1",
        [since],
    )
    kinds = bench.sql(
        db,
        "SELECT kind, count(*) FROM motivation_transfer WHERE create_date >= %s"
        " GROUP BY kind ORDER BY kind",
        [since],
    )
    checks.append(
        (
            "no duplicate transfer",
            not dup_transfers,
            "transfers logged during the run: "
            + (", ".join(f"{n} {k}" for k, n in kinds) or "none")
            + f"; {len(dup_transfers)} duplicated"
            + (f": {dup_transfers[:3]}" if dup_transfers else ""),
        )
    )
    dup_lines = bench.sql(
        db,
        "SELECT lead_id, user_id, role, line_type, count(*)"
        " FROM motivation_commission_line"
        " WHERE state IN ('draft', 'approved') GROUP BY 1, 2, 3, 4 HAVING count(*) > 1",
    )
    won = [o for o in rec.ops if o[0] == "win" and o[3] == "ok"]
    won_deals = [d for deals in data.work.values() for d in deals]
    won_db, closer_lines, lines = bench.sql(
        db,
        """
        SELECT count(*) FILTER (WHERE s.is_won),
               (SELECT count(*) FROM motivation_commission_line c
                 WHERE c.lead_id = ANY(%(ids)s) AND c.role = 'closer'
                   AND c.state IN ('draft', 'approved')),
               (SELECT count(*) FROM motivation_commission_line c
                 WHERE c.lead_id = ANY(%(ids)s) AND c.state IN ('draft', 'approved'))
          FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
         WHERE l.id = ANY(%(ids)s)
        """,
        {"ids": won_deals},
    )[0]
    checks.append(
        (
            "no duplicate commission line",
            not dup_lines and closer_lines == won_db,
            f"{len(won)} deals won by the salespeople ({won_db} won in the database), "
            f"{closer_lines} closer lines and {lines} lines in all on them; "
            f"{len(dup_lines)} duplicated open lines (deal, beneficiary, role)"
            + (f": {dup_lines[:3]}" if dup_lines else ""),
        )
    )
    return checks


def plain_claims(bench, result):
    """What plain Odoo's salespeople were told when they took the same
    unassigned deal at once (for comparison; not a check of the addon)."""
    claims = result.rec.claims
    told = [sum(1 for a in answers if a[1] == "won") for answers in claims.values()]
    owners = dict(
        bench.sql(
            result.db,
            "SELECT id, user_id FROM crm_lead WHERE id = ANY(%s)",
            [list(claims)],
        )
    )
    kept = sum(
        1
        for lead, answers in claims.items()
        if sum(1 for a in answers if a[1] == "won" and a[0] == owners.get(lead)) == 1
    )
    refused = [a[2] for answers in claims.values() for a in answers if a[1] != "won"]
    sample = refused[0].split("\n")[0][:120] if refused else ""
    return (
        "for comparison, plain Odoo: the same unassigned deal taken at once",
        None,
        f"{len(claims)} deals: {sum(told)} salespeople told they took one (up to"
        f" {max(told, default=0)} for the same deal), {len(refused)} refused"
        + (f' ("{sample}")' if sample else "")
        + f"; {kept} of {len(claims)} deals held by exactly one of those told",
    )


def concurrency_checks(result):
    retries, exhausted, texts, problems = log_concurrency(result.logfile)
    answered = [
        o for o in result.rec.ops if o[3] == "error" and CONCURRENCY_TEXT.search(o[4])
    ]
    _done, cron_failed, _running = result.crons
    ok = not answered and not exhausted and not texts
    detail = (
        f"{len(answered)} concurrency errors answered to a salesperson, {exhausted}"
        f" requests out of retries, {len(texts)} lines about one in Odoo's log"
        f" outside the retries; Odoo's HTTP layer retried "
        + (", ".join(f"{n} {k}" for k, n in sorted(retries.items())) or "none")
        + (f"; e.g. {texts[0][:200]}" if texts else "")
    )
    checks = [
        (
            "no deadlock or serialization failure left to the user",
            ok,
            detail,
        )
    ]
    errors = [o for o in result.rec.ops if o[3] == "error"]
    checks.append(
        (
            "no error answered, 'already claimed' aside",
            not errors,
            f"{len(errors)} errors"
            + (f"; e.g. {errors[0][0]}: {errors[0][4][:200]}" if errors else ""),
        )
    )
    checks.append(
        (
            "no error or warning logged by Odoo",
            not problems and not cron_failed,
            f"{len(problems)} lines, {len(cron_failed)} cron runs failed"
            + (f"; e.g. {problems[0][:240]}" if problems else ""),
        )
    )
    return checks


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def cron_lines(result):
    done, failed, _running = result.crons
    parts = []
    for name, durations in sorted(done.items()):
        short = name.replace("Sales Motivation: ", "")
        parts.append(
            f"{short}: {len(durations)} runs, {sum(durations):.1f} s in all,"
            f" longest {max(durations):.1f} s"
        )
    if failed:
        parts.append(f"FAILED runs: {', '.join(failed)}")
    return "; ".join(parts) or "none"


def section(bench, args, results, checks, data_text, targets):
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    info = bench.info
    first = next(iter(results.values()))
    lines = [
        "<!-- bench:load -->",
        f"## load: {args.users} salespeople at once on a multi-process server,"
        " crons running",
        "",
        f"Run {when}; machine: {bench_results.machine_line(bench)}.",
        "",
        f"Server: odoo-bin {args.server_opts}, on 127.0.0.1, with"
        f" ODOO_HTTP_SOCKET_TIMEOUT={args.socket_timeout:g} (the client threads run"
        " on the same CPUs: with Odoo's 2 s, a worker gave up on requests a starved"
        " client had not finished sending; a buffering proxy spares it that in"
        " production). Method: "
        f"{args.users} client threads, each logged in as its own salesperson"
        " through odoorpc 0.10.1's JSON-RPC connector with its own session cookie"
        f" (/web/session/authenticate, then /web/dataset/call_kw and call_button,"
        f" as the web client), {args.iterations} rounds each, a random pause of 0 to"
        f" {2 * args.think:.1f} s between operations, at most {args.time_limit} s"
        " per side;"
        " one warm-up pipeline load and deal opening per session first, not counted."
        " A round: the pipeline load (web_read_group by stage, read_progress_bar,"
        " then web_search_read of each open stage's first 40 cards, with the fields"
        " of that side's own kanban view), opening a deal (web_read of that side's"
        " own form view fields), logging a call on it (ours: Log Interaction, i.e."
        " action_sm_log_interaction and the form's onchange ('open the call form'),"
        " then its Log button, the dialog's save, web_save ('log a call'); Odoo: a note"
        " posted in the chatter, /mail/message/post), claiming the round's deal"
        " without salesperson of the team, which every member of the team claims"
        " at once (ours: the pool's Claim button, action_claim; Odoo: setting"
        " oneself as its salesperson in the form, web_save), then winning the"
        " deal (Won button, action_set_won_rainbowman)."
        f" Crons: on ours, every {args.cron_every:g} s more work falls due (deals"
        f" untouched for 27 days: {args.stale_per_wave}, checkpoints past deadline on"
        f" {args.late_per_wave} deals, {args.new_per_wave} new unassigned leads, also"
        " unassigned on Odoo's side) and the four crons are triggered; the cron"
        " workers run them while the salespeople work."
        " Latencies: wall time of an operation's requests, seen by the client;"
        " requests per second over the side's run.",
        "",
        "Compared with: the same test on plain Odoo (CRM and Sales), same data,"
        f" same server settings; the sides in turns, {args.rounds} rounds each, the"
        " order reversed every other round, each on a fresh copy of that side's"
        " prepared database, figures over all rounds; its salespeople"
        " see their own and unassigned leads (Odoo's 'Personal Leads' rule), ours"
        " their own and their teams' pool. Targets: no error other than the plain"
        " 'already claimed' answers; p95 of the pipeline load and of logging a call"
        " at most 1.2x Odoo's.",
        "",
        *result_table(results, targets),
        "",
        "Requests in them:",
        "",
        *request_table(results),
        "",
        "| Check (ours) | Result | Detail |",
        "|---|---|---|",
    ]
    for name, ok, detail in checks:
        lines.append(f"| {name} | {verdict(ok)} | {bench_results.md_escape(detail)} |")
    for side, result in results.items():
        lines.append(
            f"| crons ({side}) | - | {bench_results.md_escape(cron_lines(result))};"
            f" {result.waves} waves of work in {result.seconds:.0f} s |"
        )
    lines.append(f"| data | - | {bench_results.md_escape(data_text)} |")
    lines.append("<!-- /bench:load -->")
    del first, info
    return "\n".join(lines)


def verdict(ok):
    return "-" if ok is None else "ok" if ok else "FAILED"


def print_report(results, checks, targets):
    print()
    for line in result_table(results, targets):
        print(line)
    print()
    for line in request_table(results):
        print(line)
    print()
    for name, ok, detail in checks:
        print(f"{verdict(ok):<6} {name}: {detail}")
    for side, result in results.items():
        print(f"       crons ({side}): {cron_lines(result)}")


# --------------------------------------------------------------------------


def parse_args(argv):
    env = os.environ.get
    state = env("SM_STATE", os.path.join(SM_ROOT, ".state"))
    p = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    p.add_argument("--template", default="sm_load_base")
    p.add_argument("--db-host", default="127.0.0.1")
    p.add_argument("--db-port", type=int, default=54331)
    p.add_argument("--db-user", default="odoo")
    p.add_argument("--pg-dir", default="", help="the cluster's folder (its server.log)")
    p.add_argument(
        "--addons-path",
        default=env(
            "ADDONS_PATH", f"{ODOO_SRC}/odoo/addons,{ODOO_SRC}/addons,{SM_ROOT}"
        ),
    )
    p.add_argument("--data-dir", default=os.path.join(state, "filestore"))
    p.add_argument("--log-dir", default=os.path.join(state, "logs", "load"))
    p.add_argument("--results", default=bench_results.RESULTS)
    p.add_argument("--http-port", type=int, default=8073)
    p.add_argument("--server-opts", default="--workers=4 --max-cron-threads=2")
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument(
        "--think", type=float, default=1.0, help="mean pause (s) between operations"
    )
    p.add_argument("--time-limit", type=int, default=900, help="seconds per side")
    p.add_argument("--request-timeout", type=float, default=300)
    p.add_argument(
        "--ramp-up", type=float, default=0.5, help="s between two salespeople's logins"
    )
    p.add_argument(
        "--socket-timeout",
        type=float,
        default=30,
        help="ODOO_HTTP_SOCKET_TIMEOUT of the servers (Odoo's default: 2 s)",
    )
    p.add_argument("--barrier-timeout", type=float, default=120)
    p.add_argument("--sides", default="odoo,ours")
    p.add_argument("--rounds", type=int, default=2, help="runs per side, in turns")
    p.add_argument("--cron-every", type=float, default=120)
    p.add_argument("--max-waves", type=int, default=20)
    p.add_argument("--release", type=int, default=200)
    p.add_argument("--stale-per-wave", type=int, default=100)
    p.add_argument("--late-per-wave", type=int, default=100)
    p.add_argument("--new-per-wave", type=int, default=20)
    p.add_argument("--repeat-clients", type=int, default=2000)
    p.add_argument("--cron-grace", type=int, default=180)
    p.add_argument("--keep-dbs", action="store_true")
    p.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    return p.parse_args(argv)


def merge(side, runs):
    """One side's rounds as one result (their operations, time and crons)."""
    rec = Recorder()
    done, failed = collections.defaultdict(list), []
    server = collections.defaultdict(list)
    for run in runs:
        for name, times in run.server.items():
            server[name] += times
        rec.ops += run.rec.ops
        rec.requests += run.rec.requests
        for name, durations in run.crons[0].items():
            done[name] += durations
        failed += run.crons[1]
    return SimpleNamespace(
        side=side,
        rec=rec,
        seconds=sum(r.seconds for r in runs),
        waves=sum(r.waves for r in runs),
        crons=(done, failed, 0),
        runs=len(runs),
        server=server,
    )


def prepare_sides(bench, sides, ready, data, args):
    """The prepared copy of each side (copied again for every round)."""
    text = ""
    for side in sides:
        db = ready[side]
        bench.copy_db(args.template, db)
        if side == "ours":
            run = bench.odoo_bin(
                db, "-i", ADDON, "--stop-after-init", "--no-http", label="install"
            )
            if not run.ok:
                raise RuntimeError(f"installing {ADDON} failed, see {run.log}")
            log(f"{ADDON} installed in {run.seconds:.0f} s")
        common_prepare(bench, db, args)
        if side == "ours":
            text += "; ours: " + ours_prepare(bench, db, data, args)
        else:
            plain_prepare(bench, db, data)
        close_odoo_db(db)
    return text


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.makedirs(args.log_dir, exist_ok=True)
    sides = [s.strip() for s in args.sides.split(",") if s.strip()]
    if not set(sides) <= {"odoo", "ours"} or not sides:
        raise SystemExit("--sides: odoo, ours or both")
    bench = harness.Bench(
        SimpleNamespace(
            template=args.template,
            log_dir=args.log_dir,
            db_host=args.db_host,
            db_port=args.db_port,
            db_user=args.db_user,
            addons_path=args.addons_path,
            data_dir=args.data_dir,
            keep_dbs=args.keep_dbs,
        )
    )
    print(f"Machine: {bench_results.machine_line(bench)}", flush=True)
    bench._setup_odoo()
    ready = {side: f"sm_load_{side}_ready" for side in ("odoo", "ours")}
    data = plan_data(bench, args.template, args)
    data_text = (
        f"{bench.info['leads']} leads over {bench.info['users']} salespeople in"
        f" {len(data.pool)} teams (bench/generate.py), every team led by the"
        " administrator;"
        f" each salesperson works on {args.iterations} of their open deals;"
        f" {args.iterations} deals per team without salesperson (ours: in the pool)"
    )
    # the sides in turns, the order reversed every other round (ABBA): the
    # load of a shared machine drifts, and each side gets its share of it
    schedule = [
        (k, side)
        for k in range(args.rounds)
        for side in (sides if k % 2 == 0 else sides[::-1])
    ]
    runs, checks = collections.defaultdict(list), []
    try:
        data_text += prepare_sides(bench, sides, ready, data, args)
        for k, side in schedule:
            db = f"sm_load_{side}"
            bench.copy_db(ready[side], db)
            cron_ids = []
            if side == "ours":
                cron_ids = ids(
                    bench.sql(
                        db,
                        "SELECT res_id FROM ir_model_data WHERE module = %s"
                        " AND model = 'ir.cron' AND name = ANY(%s)",
                        [ADDON, list(ADDON_CRONS)],
                    )
                )
                args.result_id = bench.sql_value(
                    db,
                    "SELECT res_id FROM ir_model_data WHERE module = %s"
                    " AND name = 'interaction_result_taken'",
                    [ADDON],
                )
            label = f"{side}, round {k + 1}"
            log(f"== {label}: {args.users} salespeople on {db} ==")
            result = run_side(bench, side, db, data, args, cron_ids, k + 1)
            runs[side].append(result)
            for failure in result.failures:
                log(f"  {failure}")
            if side == "ours":
                checks += [
                    (f"{name} (round {k + 1})", ok, detail)
                    for name, ok, detail in run_checks(bench, result, data)
                ]
            else:
                name, ok, detail = plain_claims(bench, result)
                checks.append((f"{name} (round {k + 1})", ok, detail))
            # the checks are the addon's; plain Odoo's figures are shown for
            # comparison (its simultaneous takes fail with a serialization
            # failure that Odoo logs and retries, then an access error)
            checks += [
                (f"{name} ({label})", ok if side == "ours" else None, detail)
                for name, ok, detail in concurrency_checks(result)
            ]
            if side == "ours" and (result.failures or result.timed_out):
                checks.append(
                    (
                        f"every salesperson ran ({label})",
                        False,
                        f"{result.failures[:3]} {result.timed_out[:3]}",
                    )
                )
            if not args.keep_dbs:
                bench.drop_db(db)
        deadlocks = pg_log_deadlocks(args)
        if deadlocks is not None:
            checks.append(
                (
                    "deadlocks PostgreSQL detected (all rounds, both sides)",
                    True,
                    f"{deadlocks} (a deadlock aborts one of the transactions after"
                    " 1 s; Odoo retries it: counted above when it reached a user)",
                )
            )
    finally:
        if not args.keep_dbs:
            for db in [*ready.values(), "sm_load_odoo", "sm_load_ours"]:
                with contextlib.suppress(Exception):
                    bench.drop_db(db)
    results = {side: merge(side, runs[side]) for side in sides if runs[side]}
    targets = ("pipeline", "log_call")
    print_report(results, checks, targets)
    if not args.no_results and len(results) == 2:
        text = section(bench, args, results, checks, data_text, targets)
        bench_results.write_results(args.results, {"load": text})
        print(f"\nWritten to {os.path.relpath(args.results, SM_ROOT)}: load")
    failed = [name for name, ok, _detail in checks if ok is False]
    if failed:
        print(f"\nFAILED checks: {'; '.join(failed)}")
        return 1
    print("\nAll checks passed.")
    return 0


def close_odoo_db(db):
    """Drop this process's registry and connections of db (the servers own it now)."""
    import odoo

    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)


if __name__ == "__main__":
    sys.exit(main())
