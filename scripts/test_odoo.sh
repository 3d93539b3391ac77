#!/usr/bin/env bash
# Odoo's own crm and sale_crm test suites, with sales_motivation installed:
#   1. a fresh database on a throwaway PostgreSQL cluster of its own holding
#      CRM and Sales with their demo data, then sales_motivation;
#   2. scripts/run_odoo_suites.py runs crm's and sale_crm's at_install and
#      post_install tests against it (why not odoo-bin --test-tags: see there);
#   3. failures listed in scripts/odoo_suites_expected_failures.txt are
#      expected (behaviour the addon changes on purpose, or this environment);
#      any other failure fails the command;
#   4. prints "N passed, N failed" and stops PostgreSQL.
# SM_ODOO_SUITES_BASELINE=1 first runs the same suites on a database without
# sales_motivation, where only the "environment:" entries may fail.
# SM_KEEP_BASE=1 (developers only) keeps the CRM + Sales database between runs.
source "$(dirname "$0")/common.sh"

SUITES_PORT="${SM_ODOO_SUITES_PORT:-54331}"
SUITES_HTTP_PORT="${SM_ODOO_SUITES_HTTP_PORT:-8071}"
SUITES_PG="$SM_STATE/pg-odoo-suites"
BASE_DB="sm_odoo_suites_base"
ADDON_DB="sm_odoo_suites"
PLAIN_DB="sm_odoo_suites_plain"
MODULES="crm,sale_crm"
EXPECTED="$SM_ROOT/scripts/odoo_suites_expected_failures.txt"
LOGS="$SM_STATE/logs"

require_odoo
ensure_venv
mkdir -p "$LOGS"

trap 'pg_stop "$SUITES_PG"' EXIT
pg_start "$SUITES_PG" "$SUITES_PORT"

ensure_base_db "$SUITES_PORT" "$BASE_DB" "$LOGS/odoo_suites_base.log"

# run_suites DB KIND NAME: Odoo's suites on DB; KIND: which expected failures count.
run_suites() {
    local db="$1" kind="$2" name="$3" rc=0
    log "Running Odoo's $MODULES tests on $db (log: $LOGS/$name.log; a long while)"
    "$SM_VENV/bin/python" "$SM_ROOT/scripts/run_odoo_suites.py" --modules "$MODULES" \
        --expected "$EXPECTED" --expected-kind "$kind" --results "$LOGS/$name.json" -- \
        --addons-path="$ADDONS_PATH" --db_host=127.0.0.1 --db_port="$SUITES_PORT" \
        --db_user=odoo --data-dir="$SM_STATE/filestore" -d "$db" \
        --http-interface=127.0.0.1 --http-port="$SUITES_HTTP_PORT" --max-cron-threads=0 \
        --test-enable --log-level=info >"$LOGS/$name.out" 2>"$LOGS/$name.log" || rc=$?
    cat "$LOGS/$name.out"
    if [ "$rc" -ge 2 ]; then
        tail -40 "$LOGS/$name.log"
        die "running the suites on $db broke (see $LOGS/$name.log)"
    fi
    return "$rc"
}

status=0
if [ "${SM_ODOO_SUITES_BASELINE:-0}" = 1 ]; then
    copy_db "$SUITES_PORT" "$BASE_DB" "$PLAIN_DB"
    echo "---- without sales_motivation (only environment failures expected) ----"
    run_suites "$PLAIN_DB" environment odoo_suites_plain || status=1
    echo "---- with sales_motivation ----"
fi

copy_db "$SUITES_PORT" "$BASE_DB" "$ADDON_DB"
log "Installing sales_motivation"
odoo_bin "$SUITES_PORT" -d "$ADDON_DB" -i sales_motivation --stop-after-init --no-http \
    --log-level=warn >"$LOGS/odoo_suites_install.log" 2>&1 \
    || { tail -50 "$LOGS/odoo_suites_install.log"; die "installing sales_motivation failed"; }
run_suites "$ADDON_DB" all odoo_suites || status=1

log "Logs: $LOGS/odoo_suites*.log, outcomes: $LOGS/odoo_suites*.json"
exit "$status"
