#!/usr/bin/env bash
# Odoo's own test suites of the modules the addon extends (crm, sale_crm,
# sale, sale_management and mail), with sales_motivation installed and
# without it:
#   1. a fresh database on a throwaway PostgreSQL cluster of its own holding
#      CRM and Sales with their demo data;
#   2. the baseline: scripts/run_odoo_suites.py runs the suites' at_install and
#      post_install tests on a copy of it without sales_motivation (why not
#      odoo-bin --test-tags: see there), where only the "environment:" entries
#      of scripts/odoo_suites_expected_failures.txt may fail;
#   3. the same suites on a copy with sales_motivation installed: failures
#      listed in that file are expected (behaviour the addon changes on
#      purpose, or this environment); any other failure fails the command;
#   4. prints, per module, both runs' counts and times and the tests failing
#      only with the addon, then "N passed, N failed", and stops PostgreSQL.
# SM_ODOO_SUITES_BASELINE=0 skips the baseline (step 2; about half the time).
# SM_ODOO_SUITES_MODULES / SM_ODOO_SUITES_TAGS (odoo-bin's --test-tags
# syntax) narrow the run, e.g. SM_ODOO_SUITES_MODULES=sale
# SM_ODOO_SUITES_TAGS=/sale:TestSaleOrderCancel.
# SM_KEEP_BASE=1 (developers only) keeps the CRM + Sales database between runs.
source "$(dirname "$0")/common.sh"

SUITES_PORT="${SM_ODOO_SUITES_PORT:-54331}"
SUITES_HTTP_PORT="${SM_ODOO_SUITES_HTTP_PORT:-8071}"
SUITES_PG="$SM_STATE/pg-odoo-suites"
BASE_DB="sm_odoo_suites_base"
ADDON_DB="sm_odoo_suites"
PLAIN_DB="sm_odoo_suites_plain"
# mail's whole suite (about 270 tests, 9 to 12 minutes here): the client rules
# touch its partners, followers, authors, composer and templates
MODULES="${SM_ODOO_SUITES_MODULES:-crm,sale_crm,sale,sale_management,mail}"
TAGS="${SM_ODOO_SUITES_TAGS:-$(sed 's/^/\//; s/,/,\//g' <<<"$MODULES")}"
EXPECTED="$SM_ROOT/scripts/odoo_suites_expected_failures.txt"
LOGS="$SM_STATE/logs"

require_odoo
ensure_venv
mkdir -p "$LOGS"

trap 'pg_stop "$SUITES_PG"' EXIT
pg_start "$SUITES_PG" "$SUITES_PORT"

ensure_base_db "$SUITES_PORT" "$BASE_DB" "$LOGS/odoo_suites_base.log"

# run_suites DB KIND NAME [RUNNER OPTIONS...]: Odoo's suites on DB; KIND:
# which expected failures count.
run_suites() {
    local db="$1" kind="$2" name="$3" rc=0
    shift 3
    log "Running Odoo's $MODULES tests on $db (log: $LOGS/$name.log; a long while)"
    "$SM_VENV/bin/python" "$SM_ROOT/scripts/run_odoo_suites.py" --modules "$MODULES" \
        --expected "$EXPECTED" --expected-kind "$kind" --results "$LOGS/$name.json" "$@" -- \
        --addons-path="$ADDONS_PATH" --db_host=127.0.0.1 --db_port="$SUITES_PORT" \
        --db_user=odoo --data-dir="$SM_STATE/filestore" -d "$db" \
        --http-interface=127.0.0.1 --http-port="$SUITES_HTTP_PORT" --max-cron-threads=0 \
        --test-enable --test-tags="$TAGS" --log-level=info \
        >"$LOGS/$name.out" 2>"$LOGS/$name.log" || rc=$?
    cat "$LOGS/$name.out"
    if [ "$rc" -ge 2 ]; then
        tail -40 "$LOGS/$name.log"
        die "running the suites on $db broke (see $LOGS/$name.log)"
    fi
    return "$rc"
}

status=0
compare=()
if [ "${SM_ODOO_SUITES_BASELINE:-1}" = 1 ]; then
    copy_db "$SUITES_PORT" "$BASE_DB" "$PLAIN_DB"
    echo "---- without sales_motivation (only environment failures expected) ----"
    run_suites "$PLAIN_DB" environment odoo_suites_plain || status=1
    compare=(--compare "$LOGS/odoo_suites_plain.json")
    echo "---- with sales_motivation ----"
fi

copy_db "$SUITES_PORT" "$BASE_DB" "$ADDON_DB"
# The addon without its own demo data (a company's database has none; CRM's
# and Sales' demo data stay, which Odoo's tests rely on): the demo story's
# settled commission makes its deals undeletable, as it should, and Odoo's
# tests that clear every lead first (crm's TestCRMPLS, TestCrmDigest, a
# TestUi tour) would stop there.
# Odoo loads a new module's demo data when a module it depends on has
# some: the flags are lowered while it installs, then restored.
demo_modules="$(psql_q "$SUITES_PORT" -d "$ADDON_DB" -c \
    "UPDATE ir_module_module SET demo = FALSE WHERE demo RETURNING name" | paste -sd, -)"
log "Installing sales_motivation (without its demo data)"
odoo_bin "$SUITES_PORT" -d "$ADDON_DB" -i sales_motivation --stop-after-init --no-http \
    --log-level=warn >"$LOGS/odoo_suites_install.log" 2>&1 \
    || { tail -50 "$LOGS/odoo_suites_install.log"; die "installing sales_motivation failed"; }
psql_q "$SUITES_PORT" -d "$ADDON_DB" -c "UPDATE ir_module_module SET demo = TRUE
    WHERE name = ANY(string_to_array('$demo_modules', ','))" >/dev/null
run_suites "$ADDON_DB" all odoo_suites "${compare[@]}" || status=1

log "Logs: $LOGS/odoo_suites*.log, outcomes: $LOGS/odoo_suites*.json"
exit "$status"
