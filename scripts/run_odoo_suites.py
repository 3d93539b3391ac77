"""Run Odoo's own test suites of some modules against an installed database.

    python scripts/run_odoo_suites.py [--modules crm,sale_crm] [--expected FILE]
        [--expected-kind all|environment] [--results FILE] [--compare FILE]
        -- ODOO-BIN OPTIONS

ODOO-BIN OPTIONS are odoo-bin's own (--addons-path, --db_*, -d, --http-port,
--log-level...). Nothing is installed or updated: the database must already
hold the modules.

Why not `odoo-bin -d DB --test-tags /crm`? Without -i/-u, Odoo runs every
module's at_install tests while that module is being loaded, i.e. crm's tests
run in a registry that holds crm and its dependencies only. The record rules
stored in the database (those of the addons installed on top of crm) then name
fields this partial registry does not know, and the tests fail for a reason
that has nothing to do with them. `-u crm` has the same problem. This runner
loads the complete registry first (no test runs while loading), starts the
HTTP server HttpCase needs, then runs the modules' at_install tests and their
post_install tests, in that order, as Odoo's test loader does.

The modules run one after the other (each one's at_install tests, then its
post_install ones); `--test-tags` (odoo-bin's option) narrows them, e.g.
`/crm,/sale,/mail:TestPartner` runs crm's and sale's tests and one class of
mail's. Prints one line per failing test, each module's counts and time, and a
summary; --results writes every test's outcome and each module's counts and
time as JSON. With --expected, failing tests listed in that file (one
`module.tests.file:Class.test_method  # reason` per line) are expected ones;
--expected-kind environment only accepts the entries whose reason starts with
"environment:" (for a database without the addon under test). --compare
FILE (the --results of a run without the addon) adds, per module, both runs'
counts and times and the tests that fail only in this one. Exit status: 0
when every failure is expected, 1 otherwise, 2 when the run itself broke.
"""

import argparse
import functools
import json
import os
import re
import sys
import threading
import time
import traceback

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo-src")
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.tools import config  # noqa: E402

# odoo.tests is imported only once the options are parsed: imported outside
# test mode, it logs an error.
# A tag no test carries: no test runs while the registry is being loaded.
NO_TEST_WHILE_LOADING = "sm_no_test_while_loading"
ENVIRONMENT = "environment:"
POSITIONS = ("at_install", "post_install")
ASSETS_READY = []  # the assets bundles are generated once per run
CLASS_LEVEL = re.compile(r"^(?P<method>\w+) \((?P<cls>[\w.]+)\)$")


def short_id(full_id):
    """odoo.addons.crm.tests.test_x.TestX.test_y -> crm.tests.test_x:TestX.test_y"""
    match = CLASS_LEVEL.match(full_id)  # "setUpClass (odoo.addons...TestX)"
    if match:
        full_id = f"{match['cls']}.{match['method']}"
    full_id = full_id.removeprefix("odoo.addons.")
    module, cls, method = full_id.rsplit(".", 2)
    return f"{module}:{cls}.{method}"


@functools.cache
def recording_result_class():
    """Odoo's test result, which only counts, plus every test's outcome."""
    from odoo.tests.result import OdooTestResult

    class RecordingResult(OdooTestResult):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.outcomes = {}  # short id -> {"outcome": ..., "detail": ...}

        @staticmethod
        def _test_id(test):
            # a subTest reports under its test's id
            return short_id(getattr(test, "test_case", test).id())

        def _record(self, test, outcome, detail=""):
            entry = self.outcomes.setdefault(
                self._test_id(test), {"outcome": "passed", "detail": ""}
            )
            if entry["outcome"] in ("passed", "running"):
                entry.update(outcome=outcome, detail=detail)
            elif detail and outcome in ("failed", "error"):
                entry["detail"] += "\n" + detail

        def startTest(self, test):
            super().startTest(test)
            self._record(test, "running")

        def stopTest(self, test):
            super().stopTest(test)
            entry = self.outcomes[self._test_id(test)]
            if entry["outcome"] == "running":
                entry["outcome"] = "passed"

        def addError(self, test, err):
            super().addError(test, err)
            self._record(test, "error", self._exc_info_to_string(err, test))

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._record(test, "failed", self._exc_info_to_string(err, test))

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            self._record(test, "skipped", reason)

    return RecordingResult


def start_http_server():
    """What odoo-bin does in test mode: HttpCase talks to this server."""
    odoo.service.server.load_server_wide_modules()
    server = odoo.service.server.ThreadedServer(odoo.http.root)
    server.http_spawn()
    odoo.service.server.server = server  # HttpCase.http_port() reads it
    return server


def load_registry(dbname):
    threading.current_thread().dbname = dbname
    test_tags = config["test_tags"]
    config["test_tags"] = NO_TEST_WHILE_LOADING
    try:
        return Registry.new(dbname)
    finally:
        config["test_tags"] = test_tags


def run_position(registry, modules, position):
    from odoo.tests import loader

    suite = loader.make_suite(modules, position)
    if position == "post_install" and suite.has_http_case() and not ASSETS_READY:
        # as odoo.service.server.preload_registries does, once
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["ir.qweb"]._pregenerate_assets_bundles()
        ASSETS_READY.append(True)
    tests = list(suite)
    result = recording_result_class()(global_report=registry._assertion_report)
    odoo.modules.module.current_test = True
    threading.current_thread().testing = True
    try:
        suite(result)
    finally:
        threading.current_thread().testing = False
        odoo.modules.module.current_test = False
    registry._assertion_report.update(result)
    # a test never started: its class failed to set up (recorded apart)
    for test in tests:
        result.outcomes.setdefault(
            short_id(test.id()), {"outcome": "not run", "detail": ""}
        )
    return result.outcomes


def read_expected(path, kind):
    expected = {}
    if not path:
        return expected
    with open(path, encoding="utf-8") as file:
        for line in file:
            test_id, _sep, reason = line.partition("#")
            test_id, reason = test_id.strip(), reason.strip()
            if not test_id:
                continue
            if kind == "environment" and not reason.startswith(ENVIRONMENT):
                continue
            expected[test_id] = reason
    return expected


BAD = ("failed", "error", "not run")


def counts(outcomes):
    """{"passed": n, "failed": n (failed, error or not run), "skipped": n}"""
    result = {"passed": 0, "failed": 0, "skipped": 0}
    for entry in outcomes.values():
        outcome = "failed" if entry["outcome"] in BAD else entry["outcome"]
        result[outcome] = result.get(outcome, 0) + 1
    return result


def report(outcomes, expected):
    """Print the failures and the counts; return whether all were expected."""
    by_outcome = {}
    for test_id, entry in sorted(outcomes.items()):
        by_outcome.setdefault(entry["outcome"], []).append(test_id)
    bad = [test_id for outcome in BAD for test_id in by_outcome.get(outcome, [])]
    unexpected = [test_id for test_id in bad if test_id not in expected]
    for test_id in bad:
        outcome = outcomes[test_id]["outcome"].upper()
        note = f"expected: {expected[test_id]}" if test_id in expected else "UNEXPECTED"
        print(f"{outcome:8} {test_id}  ({note})")
    # entries not run this time (another module, or narrowed by --test-tags)
    # are not reported: only those that ran and did not fail
    fixed = sorted(set(expected).intersection(outcomes) - set(bad))
    for test_id in fixed:
        state = outcomes[test_id]["outcome"]
        print(f"NOTE     {test_id} is listed as expected to fail but is {state}")
    skipped = len(by_outcome.get("skipped", []))
    print(
        f"{len(bad)} failed: {len(bad) - len(unexpected)} expected, "
        f"{len(unexpected)} unexpected; {skipped} skipped"
    )
    print(f"{len(by_outcome.get('passed', []))} passed, {len(bad)} failed")
    return not unexpected


def compare(results, baseline):
    """Per module: this run's and the baseline's counts and times, and the
    tests failing only here."""
    print("---- with the addon / without it (baseline) ----")
    for module, info in results["modules"].items():
        base = baseline["modules"].get(module)
        mine = info["counts"]
        line = (
            f"{module:16} with: {mine['passed']} passed, {mine['failed']} failed, "
            f"{mine['skipped']} skipped, {info['seconds']:.0f}s"
        )
        if base:
            theirs = base["counts"]
            line += (
                f" | without: {theirs['passed']} passed, {theirs['failed']} failed, "
                f"{theirs['skipped']} skipped, {base['seconds']:.0f}s"
            )
        else:
            line += " | without: not run"
        print(line)
    only_here = sorted(
        test_id
        for test_id, entry in results["tests"].items()
        if entry["outcome"] in BAD
        and baseline["tests"].get(test_id, {}).get("outcome") not in BAD
    )
    for test_id in only_here:
        state = baseline["tests"].get(test_id, {}).get("outcome", "absent")
        print(f"ONLY     {test_id} fails only with the addon (without: {state})")
    print(f"{len(only_here)} failing only with the addon")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--modules", default="crm,sale_crm")
    parser.add_argument("--expected", help="file of expected failures")
    parser.add_argument(
        "--expected-kind", choices=("all", "environment"), default="all"
    )
    parser.add_argument("--results", help="write every test's outcome there (JSON)")
    parser.add_argument(
        "--compare", help="the --results of a run without the addon, to compare"
    )
    return parser.parse_known_args(argv)


def main(argv):
    args, odoo_args = parse_args(argv)
    odoo_args = [arg for arg in odoo_args if arg != "--"]
    if "--test-enable" not in odoo_args and not any(
        arg.startswith("--test-tags") for arg in odoo_args
    ):
        odoo_args.append("--test-enable")
    config.parse_config(odoo_args, setup_logging=True)
    dbname = config["db_name"]
    if not dbname or "," in dbname:
        raise RuntimeError("give exactly one database (-d)")
    modules = [name.strip() for name in args.modules.split(",") if name.strip()]
    expected = read_expected(args.expected, args.expected_kind)

    start_http_server()
    registry = load_registry(dbname)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT name FROM ir_module_module WHERE state = 'installed'"
            " AND name = ANY(%s)",
            (modules,),
        )
        missing = set(modules) - {name for (name,) in cr.fetchall()}
    if missing:
        raise RuntimeError(f"not installed in {dbname}: {sorted(missing)}")

    outcomes, per_module = {}, {}
    t0 = time.time()
    for module in modules:
        t1 = time.time()
        mine = {}
        for position in POSITIONS:
            mine.update(run_position(registry, [module], position))
        per_module[module] = {"seconds": time.time() - t1, "counts": counts(mine)}
        outcomes.update(mine)
        done = per_module[module]["counts"]
        print(
            f"{module}: {done['passed']} passed, {done['failed']} failed, "
            f"{done['skipped']} skipped in {per_module[module]['seconds']:.0f}s",
            flush=True,
        )
    print(f"{len(outcomes)} tests of {', '.join(modules)} in {time.time() - t0:.0f}s")
    results = {"modules": per_module, "tests": outcomes}
    if args.results:
        with open(args.results, "w", encoding="utf-8") as file:
            json.dump(results, file, indent=1, sort_keys=True)
    ok = report(outcomes, expected)
    if args.compare:
        with open(args.compare, encoding="utf-8") as file:
            compare(results, json.load(file))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        status = main(sys.argv[1:])
    except Exception:  # the run itself broke: say so, with a status of its own
        traceback.print_exc()
        status = 2
    sys.stdout.flush()
    sys.stderr.flush()
    # the HTTP server's threads must not keep the process alive
    os._exit(status)
