#!/usr/bin/env bash
# The project's benchmark command (`make bench`):
#   1. a throwaway PostgreSQL cluster of its own ($SM_STATE/pg-bench, port
#      54330), stopped on exit;
#   2. the template database sm_bench_base, built once and then reused: CRM and
#      Sales without demo data (odoo-bin -i sale_crm), filled by
#      bench/generate.py with BENCH_USERS salespeople and BENCH_LEADS leads;
#   3. bench/run.py: each scenario on fresh copies of the template, a table on
#      stdout and in bench/RESULTS.md.
# Settings (environment or make variables):
#   BENCH_LEADS=100000  BENCH_USERS=30  BENCH_SCENARIOS=all (comma list)
#   BENCH_REGENERATE=1  drop and rebuild the template (it is rebuilt anyway
#                       when its sizes differ from BENCH_LEADS / BENCH_USERS)
#   SM_BENCH_PORT=54330
source "$(dirname "$0")/common.sh"

BENCH_PORT="${SM_BENCH_PORT:-54330}"
BENCH_PG="$SM_STATE/pg-bench"
BENCH_DB="sm_bench_base"
BENCH_LEADS="${BENCH_LEADS:-100000}"
BENCH_USERS="${BENCH_USERS:-30}"
BENCH_SCENARIOS="${BENCH_SCENARIOS:-all}"
BENCH_REGENERATE="${BENCH_REGENERATE:-0}"
LOGS="$SM_STATE/logs"

[[ "$BENCH_LEADS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_LEADS must be a positive number."
[[ "$BENCH_USERS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_USERS must be a positive number."

require_odoo
ensure_venv
mkdir -p "$LOGS"

trap 'pg_stop "$BENCH_PG"' EXIT
pg_start "$BENCH_PG" "$BENCH_PORT"

# The template's comment records what it holds; a template without it was not
# finished (generation failed or was interrupted) and is rebuilt.
want="sales_motivation bench: leads=$BENCH_LEADS users=$BENCH_USERS"
have="$(psql_q "$BENCH_PORT" -d postgres -c \
    "SELECT coalesce(shobj_description(oid, 'pg_database'), 'unfinished')
       FROM pg_database WHERE datname = '$BENCH_DB'")"

drop_template() {
    psql_q "$BENCH_PORT" -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null
    rm -rf "$SM_STATE/filestore/filestore/$BENCH_DB"
}

if [ -n "$have" ] && [ "$BENCH_REGENERATE" = 1 ]; then
    log "BENCH_REGENERATE=1: dropping the template $BENCH_DB"
    drop_template
    have=""
elif [ -n "$have" ] && [ "$have" != "$want" ]; then
    log "The template $BENCH_DB holds '$have', not '$want': rebuilding it"
    drop_template
    have=""
fi

if [ -z "$have" ]; then
    start=$SECONDS
    log "Creating the template $BENCH_DB: CRM and Sales without demo data"
    odoo_bin "$BENCH_PORT" -d "$BENCH_DB" -i sale_crm --without-demo=all \
        --stop-after-init --no-http --log-level=warn >"$LOGS/bench-base.log" 2>&1 \
        || { tail -50 "$LOGS/bench-base.log"; die "creating $BENCH_DB failed"; }
    base_time=$((SECONDS - start))
    log "Filling $BENCH_DB: $BENCH_USERS salespeople, $BENCH_LEADS leads"
    "$SM_VENV/bin/python" "$SM_ROOT/bench/generate.py" \
        --leads "$BENCH_LEADS" --users "$BENCH_USERS" \
        --addons-path="$ADDONS_PATH" --db_host=127.0.0.1 --db_port="$BENCH_PORT" \
        --db_user=odoo --data-dir="$SM_STATE/filestore" -d "$BENCH_DB" --log-level=warn \
        || die "generating the benchmark data failed"
    psql_q "$BENCH_PORT" -d postgres -c "COMMENT ON DATABASE $BENCH_DB IS '$want'" >/dev/null
    log "Template ready in $((SECONDS - start)) s (CRM and Sales install: ${base_time} s)"
else
    log "Reusing the template $BENCH_DB ($have; BENCH_REGENERATE=1 rebuilds it)"
fi

export ADDONS_PATH SM_STATE
"$SM_VENV/bin/python" "$SM_ROOT/bench/run.py" \
    --template "$BENCH_DB" --scenarios "$BENCH_SCENARIOS" \
    --db-host 127.0.0.1 --db-port "$BENCH_PORT" --db-user odoo \
    --addons-path "$ADDONS_PATH" --data-dir "$SM_STATE/filestore" \
    --log-dir "$LOGS/bench"
