#!/usr/bin/env python3
# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screenshots of the addon's main screens, from the demo database.

Run by ``make screenshots`` (scripts/screenshots.sh), which serves the demo
database of ``make run`` on a port of its own. Drives headless Chromium, the
browser Odoo's tours use, through its DevTools protocol: logs in as each demo
user (password = login), opens each screen at 1366x768, waits for what the
screen is about to be drawn, and saves a palette PNG (256 colours, optimised)
in sales_motivation/static/description/.

    python scripts/screenshots.py --url http://127.0.0.1:8070 --db sales_motivation
"""

import argparse
import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

WIDTH, HEIGHT = 1366, 768
OUT = Path(__file__).resolve().parent.parent / "sales_motivation/static/description"

# A screen is drawn when this JavaScript expression is true: the selector
# found, no request pending (Odoo's loading indicator gone).
READY = """(() => {
    const found = %s;
    const busy = document.querySelector('.o_loading_indicator, .o_blockUI');
    return Boolean(found) && !busy;
})()"""


def present(selector, text=None):
    """A JS expression: an element matching ``selector`` (containing ``text``)."""
    if text is None:
        return f"document.querySelector({json.dumps(selector)})"
    return (
        f"[...document.querySelectorAll({json.dumps(selector)})]"
        f".some((el) => el.textContent.includes({json.dumps(text)}))"
    )


class Odoo:
    """JSON-RPC as one demo user, for the ids the screens' URLs need."""

    def __init__(self, url, db, login):
        self.url = url
        self.session = requests.Session()
        response = self.session.post(
            f"{url}/web/session/authenticate",
            json={"params": {"db": db, "login": login, "password": login}},
            timeout=60,
        )
        result = response.json()
        if not result.get("result", {}).get("uid"):
            raise SystemExit(f"Cannot log in as {login}: {result.get('error')}")
        self.uid = result["result"]["uid"]
        self.session_id = self.session.cookies["session_id"]

    def call(self, model, method, *args, **kwargs):
        response = self.session.post(
            f"{self.url}/web/dataset/call_kw",
            json={
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                }
            },
            timeout=60,
        ).json()
        if "error" in response:
            raise SystemExit(
                f"{model}.{method}: {response['error']['data']['message']}"
            )
        return response["result"]

    def first_id(self, model, domain, order="id"):
        ids = self.call(model, "search", domain, limit=1, order=order)
        if not ids:
            raise SystemExit(f"The demo has no {model} matching {domain}")
        return ids[0]


class Chromium:
    """A headless Chromium driven through the DevTools protocol."""

    def __init__(self):
        binary = next(
            (
                shutil.which(name)
                for name in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(name)
            ),
            None,
        )
        if not binary:
            raise SystemExit("Chromium is missing (Debian: apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="sm_screenshots_")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-extensions",
                "--force-device-scale-factor=1",
                "--lang=en-US",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile, "DevToolsActivePort")
        for _i in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        else:
            raise SystemExit("Chromium did not start")
        port = port_file.read_text().split()[0]
        pages = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(p for p in pages if p["type"] == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.ids = 0
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        self.ids += 1
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.ids:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        return result.get("result", {}).get("value")

    def log_in(self, url, session_id):
        self.send("Network.clearBrowserCookies")
        self.send(
            "Network.setCookie",
            name="session_id",
            value=session_id,
            url=url,
            path="/",
            httpOnly=True,
        )

    def shoot(self, url, ready, path, timeout=60):
        self.send("Page.navigate", url=url)
        deadline = time.time() + timeout
        while not self.evaluate(READY % ready):
            if time.time() > deadline:
                raise SystemExit(f"{path.name}: the screen did not show ({ready})")
            time.sleep(0.3)
        # let animations (progress bars, graphs) finish, the mouse out of the way
        self.evaluate("document.activeElement && document.activeElement.blur()")
        time.sleep(1.5)
        shot = self.send("Page.captureScreenshot", format="png")
        save_png(base64.b64decode(shot["data"]), path)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=20)
            shutil.rmtree(self.profile, ignore_errors=True)


def save_png(data, path):
    """A palette PNG, optimised: a screenshot of Odoo's flat colours loses
    nothing visible at 256 colours and weighs a third."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    if image.size != (WIDTH, HEIGHT):
        image = image.crop((0, 0, WIDTH, HEIGHT))
    image = image.quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    image.save(path, format="PNG", optimize=True)
    print(f"{path.name}: {path.stat().st_size // 1024} KiB", file=sys.stderr)


def screens(url, db):
    """(user, file, path of the page, the JS expression true once it shows)."""
    ivan = Odoo(url, db, "ivan")
    admin = Odoo(url, db, "admin")
    # a deal of Ivan's with checkpoints done and to do, the largest
    deal = ivan.first_id(
        "crm.lead",
        [
            ("user_id", "=", ivan.uid),
            ("type", "=", "opportunity"),
            ("sm_checkpoint_ids.state", "=", "done"),
            ("sm_checkpoint_ids.state", "in", ("pending", "overdue")),
        ],
        order="expected_revenue desc, id",
    )
    partner = ivan.call("res.users", "read", [ivan.uid], ["partner_id"])[0]
    statement = ivan.first_id(
        "motivation.settlement",
        [
            ("partner_id", "=", partner["partner_id"][0]),
            ("state", "in", ("confirmed", "paid")),
        ],
        order="date_from desc",
    )
    plan = admin.first_id(
        "motivation.sales.plan",
        [("state", "in", ("approved", "closed"))],
        order="date_from desc",
    )
    action = "/odoo/action-sales_motivation."
    report = "/report/html/sales_motivation.report_settlement_statement"
    return [
        (
            "ivan",
            "pipeline.png",
            "/odoo/crm",
            f"{present('.o_kanban_record .o_sm_checkpoint_progress')}"
            f" && {present('.o_sm_plan_strip .o_sm_plan_item')}",
        ),
        (
            "ivan",
            "my_plan.png",
            f"{action}motivation_sales_target_action_my_plan",
            present(".o_kanban_record"),
        ),
        (
            "leader",
            "leaderboard.png",
            f"{action}motivation_leaderboard_action",
            present(".o_list_view .o_data_row"),
        ),
        (
            "ivan",
            "deal_form.png",
            f"/odoo/crm/{deal}",
            present(".o_form_view .o_sm_checkpoint_strip"),
        ),
        (
            "ivan",
            "pool.png",
            f"{action}crm_lead_action_pool",
            present(".o_kanban_record .o_sm_pool_reason"),
        ),
        (
            "leader",
            "team_pipeline.png",
            "/odoo/crm",
            present(".o_kanban_record .badge", "overdue since"),
        ),
        (
            "ivan",
            "commission.png",
            f"{action}motivation_commission_line_action",
            present(".o_list_view .o_data_row"),
        ),
        ("ivan", "statement.png", f"{report}/{statement}", present(".page h2")),
        (
            "leader",
            "interaction_analysis.png",
            f"{action}motivation_interaction_report_action",
            present(".o_pivot table td.o_pivot_cell_value"),
        ),
        (
            "admin",
            "sales_plan.png",
            f"{action}motivation_sales_plan_action/{plan}",
            present(".o_form_view .o_field_widget[name=target_ids] .o_data_row"),
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", required=True, help="the demo server, e.g. http://127.0.0.1:8070"
    )
    parser.add_argument("--db", default="sales_motivation")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", help="these files only (pipeline.png …)")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    shots = screens(url, args.db)
    if args.only:
        shots = [shot for shot in shots if shot[1] in args.only]
    sessions = {}
    browser = Chromium()
    try:
        for user, name, page, ready in shots:
            if user not in sessions:
                sessions[user] = Odoo(url, args.db, user).session_id
            browser.log_in(url, sessions[user])
            browser.shoot(url + page, ready, args.out / name)
    finally:
        browser.close()


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    main()
