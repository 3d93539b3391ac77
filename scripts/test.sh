#!/usr/bin/env bash
# The project's test command (`make test`, also run by .ci/run):
#   1. lint: pre-commit with OCA's hooks (ruff, pylint-odoo's mandatory checks
#      for 18.0, oca-checks-odoo-module/-po…), the wheel whool builds; then
#      how the scripts get Odoo when ODOO_SRC holds none
#      (scripts/test_odoo_fetch.sh);
#   2. a fresh database on a throwaway PostgreSQL cluster holding CRM and
#      Sales with their demo data (an existing company's CRM);
#   3. installs sales_motivation there and runs its whole test suite inside
#      Odoo (odoo-bin --test-enable); any ERROR or WARNING Odoo logs fails;
#   4. uninstalls it, checks CRM still works, reinstalls it;
#   5. the upgrade test: the last release installed with data through every
#      feature, upgraded to this working tree (scripts/upgrade_test.sh);
#   6. the benchmark at its tiny size (scripts/bench.sh, BENCH_SIZE=tiny):
#      every scenario end to end on a few thousand leads, strict (a failing
#      scenario, an error or warning Odoo logs or an unexpected result fails),
#      its results in a temporary file, not bench/RESULTS.md;
#   7. prints "N passed, N failed" and stops PostgreSQL.
source "$(dirname "$0")/common.sh"

TEST_PORT="${SM_TEST_PORT:-54329}"
# the browser and HTTP tests' server (not `make run`'s 8069)
TEST_HTTP_PORT="${SM_TEST_HTTP_PORT:-8079}"
TEST_PG="$SM_STATE/pg-test"
TEST_DB="sm_test"
LOGS="$SM_STATE/logs"
ODOO_TEST_TAGS="${ODOO_TEST_TAGS:-/sales_motivation}"

require_odoo
ensure_venv
# the browser tests (tours) drive Chromium
command -v chromium >/dev/null || ensure_debian_packages chromium
mkdir -p "$LOGS"

if [ "${SM_SKIP_LINT:-0}" != 1 ]; then  # developers only: CI always lints
    # the hooks of .pre-commit-config.yaml (ruff, pylint-odoo, OCA's module and
    # PO checks, README, hygiene) on every file git tracks; their tools are
    # installed from PyPI into $SM_STATE/pre-commit the first time
    log "Lint: pre-commit run --all-files"
    (cd "$SM_ROOT" && PRE_COMMIT_HOME="$SM_STATE/pre-commit" \
        "$SM_VENV/bin/pre-commit" run --all-files --show-diff-on-failure)
    log "Translations: every entry of the template translated, placeholders kept"
    "$SM_VENV/bin/python" "$SM_ROOT/scripts/check_po.py"
    log "Package: the wheel pip builds with whool installs the addon"
    bash "$SM_ROOT/scripts/check_package.sh"
fi

log "Getting Odoo when ODOO_SRC holds none (scripts/test_odoo_fetch.sh)"
fetch_status=0
bash "$SM_ROOT/scripts/test_odoo_fetch.sh" || fetch_status=1

trap 'pg_stop "$TEST_PG"' EXIT
pg_start "$TEST_PG" "$TEST_PORT"
BASE_DB="sm_test_base"
ensure_base_db "$TEST_PORT" "$BASE_DB" "$LOGS/base.log"
copy_db "$TEST_PORT" "$BASE_DB" "$TEST_DB"

log "Installing sales_motivation and running its tests ($ODOO_TEST_TAGS)"
set +e
odoo_bin "$TEST_PORT" -d "$TEST_DB" -i sales_motivation --test-enable \
    --test-tags "$ODOO_TEST_TAGS" --stop-after-init --no-http \
    --http-interface=127.0.0.1 --http-port="$TEST_HTTP_PORT" \
    --log-handler=odoo.tests.stats:INFO >"$LOGS/test.log" 2>&1
rc=$?
set -e

failed_lines="$(problems "$LOGS/test.log")"
# "odoo.tests.result: 0 failed, 0 error(s) of 17 tests when loading database"
result="$(grep -E 'odoo.tests.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOGS/test.log" | tail -1 || true)"
if [ -n "$result" ]; then
    nfail=$(( $(sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error.*/\1 + \2/' <<<"$result") ))
    ntotal=$(sed -E 's/.* of ([0-9]+) tests.*/\1/' <<<"$result")
else
    nfail=0
    ntotal=$(grep -cE 'odoo.addons.sales_motivation.tests.*: Starting ' "$LOGS/test.log" || true)
fi
npass=$((ntotal - nfail))

status=0
if [ -n "$failed_lines" ]; then
    echo "---- ERROR / WARNING lines logged by Odoo ----"
    echo "$failed_lines"
    echo "----------------------------------------------"
    status=1
fi
if [ "$rc" -ne 0 ] || [ "$ntotal" -eq 0 ]; then
    tail -40 "$LOGS/test.log"
    [ "$ntotal" -eq 0 ] && log "No test ran."
    status=1
fi

if [ "$status" -eq 0 ] && [ "${SM_SKIP_INSTALL_CYCLE:-0}" != 1 ]; then
    log "Uninstall / reinstall cycle"
    if "$SM_VENV/bin/python" "$SM_ROOT/scripts/install_cycle.py" \
        --addons-path="$ADDONS_PATH" --db_host=127.0.0.1 --db_port="$TEST_PORT" \
        --db_user=odoo --data-dir="$SM_STATE/filestore" -d "$TEST_DB" \
        >"$LOGS/install_cycle.log" 2>&1; then
        grep -E '^(ok|FAIL)' "$LOGS/install_cycle.log" || true
        cycle_problems="$(problems "$LOGS/install_cycle.log")"
        if [ -n "$cycle_problems" ]; then
            echo "$cycle_problems"
            status=1
            nfail=$((nfail + 1))
        else
            npass=$((npass + 1))
        fi
    else
        tail -40 "$LOGS/install_cycle.log"
        status=1
        nfail=$((nfail + 1))
    fi
fi

if [ "$status" -eq 0 ] && [ "${SM_SKIP_UPGRADE:-0}" != 1 ]; then
    log "Upgrade test: from the last release to this working tree"
    if SM_KEEP_BASE=1 bash "$SM_ROOT/scripts/upgrade_test.sh" >"$LOGS/upgrade_test.log" 2>&1; then
        grep -E '^(ok|FAIL)' "$LOGS/upgrade_test.log" || true
        npass=$((npass + 1))
    else
        grep -vE '^\S*\[sales_motivation\]' "$LOGS/upgrade_test.log" | tail -40
        status=1
        nfail=$((nfail + 1))
    fi
fi

if [ "$status" -eq 0 ] && [ "${SM_SKIP_BENCH:-0}" != 1 ]; then
    log "Benchmark, tiny size: every scenario end to end (scripts/bench.sh)"
    bench_results="$(mktemp "${TMPDIR:-/tmp}/sm-bench-tiny.XXXXXX.md")"
    bench_start=$SECONDS
    # the tiny size's own settings, whatever `make bench` was given
    if BENCH_SIZE=tiny BENCH_SCENARIOS=all BENCH_LEADS="" BENCH_USERS="" \
        BENCH_STRICT=1 BENCH_REGENERATE=0 BENCH_RESULTS="$bench_results" \
        bash "$SM_ROOT/scripts/bench.sh" >"$LOGS/bench_tiny.log" 2>&1; then
        log "Benchmark scenarios passed in $((SECONDS - bench_start)) s"
        npass=$((npass + 1))
    else
        grep -E '^(== |FAILED|Failed|\[bench\] +(UNEXPECTED|FAILED))' "$LOGS/bench_tiny.log" || true
        tail -40 "$LOGS/bench_tiny.log"
        status=1
        nfail=$((nfail + 1))
    fi
    rm -f "$bench_results"
fi

if [ "$fetch_status" -eq 0 ]; then
    npass=$((npass + 1))
else
    status=1
    nfail=$((nfail + 1))
fi

log "Logs: $LOGS"
if [ "$status" -ne 0 ] && [ "$nfail" -eq 0 ]; then
    nfail=1
fi
echo "$npass passed, $nfail failed"
exit "$status"
