"""portal: an agent's /my/registrations next to Odoo's own /my/orders, over
HTTP on one odoo-bin server (issue 18)."""

import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import time

from ..harness import ODOO_SRC, PROBLEM_RE, Row, alternate, log
from ..registry import scenario

TARGET = 1.2
PASSWORD = "bench-portal-1"
AGENT_LOGIN = "bench_agent"
CUSTOMER_LOGIN = "bench_customer"

SIZES = {
    "default": {"documents": 5000, "repeat": 21},
    "tiny": {"documents": 100, "repeat": 3},
}


def portal_prepare(bench, db, documents):
    """An agent (a portal user whose partner is an agent) with `documents`
    registrations (existing deals made theirs, accepted; SQL) and a customer
    (a portal user) with `documents` confirmed orders it follows, as Odoo's
    portal lists them (SQL). Returns the number of each."""
    with bench.env(db, commit=True) as env:
        portal = env.ref("base.group_portal")
        users = {}
        for login, name in (
            (AGENT_LOGIN, "Bench Agent"),
            (CUSTOMER_LOGIN, "Bench Customer"),
        ):
            partner = env["res.partner"].create(
                {"name": name, "email": f"{login}@example.com", "is_company": True}
            )
            users[login] = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "login": login,
                        "password": PASSWORD,
                        "partner_id": partner.id,
                        "groups_id": [(6, 0, [portal.id])],
                    }
                )
            )
        users[AGENT_LOGIN].partner_id.sm_is_agent = True
        agent_id = users[AGENT_LOGIN].partner_id.id
        customer_id = users[CUSTOMER_LOGIN].partner_id.id
        company = env.company
        currency_id = company.currency_id.id
    bench.sql(
        db,
        """
        UPDATE crm_lead SET sm_agent_id = %(agent)s, sm_registration_state = 'accepted'
         WHERE id IN (SELECT id FROM crm_lead ORDER BY id DESC LIMIT %(n)s)
        """,
        {"agent": agent_id, "n": documents},
    )
    bench.sql(
        db,
        """
        WITH ins AS (
            INSERT INTO sale_order (
                name, partner_id, partner_invoice_id, partner_shipping_id,
                company_id, currency_id, currency_rate, date_order, state,
                invoice_status, locked, require_signature, require_payment,
                prepayment_percent, amount_untaxed, amount_tax, amount_total,
                create_uid, create_date, write_uid, write_date)
            SELECT 'SP' || lpad(g::text, 7, '0'), %(partner)s, %(partner)s,
                   %(partner)s, %(company)s, %(currency)s, 1.0,
                   now() at time zone 'UTC' - make_interval(hours => g), 'sale',
                   'no', FALSE, FALSE, FALSE, 1.0, 100 + g %% 900, 0,
                   100 + g %% 900, 1, now() at time zone 'UTC', 1,
                   now() at time zone 'UTC'
              FROM generate_series(1, %(n)s) g
            RETURNING id
        )
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'sale.order', id, %(partner)s FROM ins
        """,
        {
            "partner": customer_id,
            "company": company.id,
            "currency": currency_id,
            "n": documents,
        },
    )
    bench.sql(db, "VACUUM (ANALYZE) crm_lead, sale_order, mail_followers")
    registrations = bench.sql_value(
        db, "SELECT count(*) FROM crm_lead WHERE sm_agent_id = %s", [agent_id]
    )
    orders = bench.sql_value(
        db, "SELECT count(*) FROM sale_order WHERE partner_id = %s", [customer_id]
    )
    return registrations, orders


@contextlib.contextmanager
def server(bench, db):
    """odoo-bin serving db over HTTP (threaded, no cron) on
    SM_BENCH_HTTP_PORT (default: the cluster's port + 5); yields its base
    URL. What it logs at WARNING or above is a problem of the run."""
    import requests

    port = int(os.environ.get("SM_BENCH_HTTP_PORT", bench.args.db_port + 5))
    logfile = os.path.join(bench.log_dir, f"{db}-http.log")
    cmd = [
        sys.executable,
        os.path.join(ODOO_SRC, "odoo-bin"),
        *bench.odoo_options(),
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--max-cron-threads=0",
        "--log-level=info",
        f"--logfile={logfile}",
    ]
    log(f"starting odoo-bin on port {port} (log: {logfile})")
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"odoo-bin exited, see {logfile}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/web/health", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"odoo-bin did not answer on {url}")
            time.sleep(1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        with open(logfile, errors="replace") as lines:
            problems = [line.rstrip() for line in lines if PROBLEM_RE.match(line)]
        for line in problems:
            log(f"  logged: {line[:300]}")
        bench.problems += problems


def login(url, user):
    import requests

    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(
        f"{url}/web/login",
        data={"login": user, "password": PASSWORD, "csrf_token": token},
        timeout=60,
    )
    response.raise_for_status()
    return session


@scenario(
    "portal",
    "An agent's /my/registrations with {documents} registrations",
    baseline="Odoo's own /my/orders of a customer (a portal user) with "
    "{documents} confirmed orders it follows, on the same server (odoo-bin, "
    "threaded, on the copy with the addon), vs /my/registrations of an agent "
    "(a portal user whose partner is an agent) with {documents} accepted "
    "registrations: the first page of each (the portal's 80 rows, its pager "
    "counting them all), over HTTP, each user logged in with its own session; "
    "warm (one untimed call each), the two pages requested in turns. "
    "Target: at most 1.2x Odoo's time.",
    sizes=SIZES,
)
def scenario_portal(bench, p):
    rows = []
    with bench.addon_db("ours") as ours:
        registrations, orders = portal_prepare(bench, ours, p.documents)
        log(f"portal: {registrations} registrations, {orders} orders")
        with server(bench, ours) as url:
            sessions = {
                "Odoo": (login(url, CUSTOMER_LOGIN), "/my/orders"),
                "ours": (login(url, AGENT_LOGIN), "/my/registrations"),
            }
            sizes = {}
            for side, (session, path) in sessions.items():
                response = session.get(url + path, timeout=120)
                bench.expect(
                    response.status_code == 200 and response.url.endswith(path),
                    f"portal: {path} answered {response.status_code} {response.url}",
                )
                sizes[side] = len(response.content)
            runs = {"Odoo": [], "ours": []}
            for _k, side in alternate(["Odoo", "ours"], p.repeat):
                session, path = sessions[side]
                start = time.perf_counter()
                response = session.get(url + path, timeout=120)
                runs[side].append(time.perf_counter() - start)
                response.raise_for_status()
            content = sessions["ours"][0].get(url + "/my/registrations").text
            listed = content.count("/my/registrations/") - content.count(
                "/my/registrations/new"
            )
            bench.expect(listed > 0, "portal: no registration listed")
    medians = {side: statistics.median(r) for side, r in runs.items()}
    ratio = medians["ours"] / medians["Odoo"]
    for side, path, count in (
        ("Odoo", "/my/orders", orders),
        ("ours", "/my/registrations", registrations),
    ):
        spread = (
            f"median of {len(runs[side])} (min {min(runs[side]):.3f}, "
            f"max {max(runs[side]):.3f})"
        )
        notes = [f"{count} documents, first page {sizes[side] // 1024} KiB", spread]
        if side == "ours":
            notes.insert(
                0,
                f"{ratio:.2f}x Odoo's time, target <= {TARGET}x: "
                f"{'met' if ratio <= TARGET else 'MISSED'}",
            )
        rows.append(Row(f"GET {path} ({side})", medians[side], "-", "; ".join(notes)))
    return rows
