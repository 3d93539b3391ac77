#!/usr/bin/env bash
# The load test (`make load`): LOAD_USERS simulated salespeople working at
# once over HTTP JSON-RPC on a multi-process Odoo while the crons run, next to
# plain Odoo on the same data and server settings (bench/load.py says how).
#   1. a throwaway PostgreSQL cluster of its own ($SM_STATE/pg-load), stopped
#      on exit;
#   2. the template database sm_load_base, built once and then reused
#      (ensure_template in scripts/common.sh): CRM and Sales without demo
#      data, filled by bench/generate.py with LOAD_USERS salespeople and
#      LOAD_LEADS leads;
#   3. bench/load.py: copies of it (plain Odoo, and with the addon), each
#      served in turn by odoo-bin with LOAD_WORKERS HTTP workers and
#      LOAD_CRON_WORKERS cron workers on 127.0.0.1, the salespeople, the table
#      and the checks; the table goes to bench/RESULTS.md. Exits 1 when a
#      check fails.
# Settings (environment or make variables):
#   LOAD_USERS=50  LOAD_LEADS=25000  LOAD_ITERATIONS=10  LOAD_WORKERS=4
#   LOAD_CRON_WORKERS=2  LOAD_THINK=1 (mean pause, s)  LOAD_SIDES=odoo,ours
#   LOAD_TIME_LIMIT=900 (s per side)  LOAD_TIMEOUT=5400 (s, the whole command)
#   LOAD_REGENERATE=1  SM_LOAD_PORT=54331  SM_LOAD_HTTP_PORT=8073
#   LOAD_ARGS="..."   more options of bench/load.py (--help lists them)
source "$(dirname "$0")/common.sh"

LOAD_PORT="${SM_LOAD_PORT:-54331}"
LOAD_HTTP_PORT="${SM_LOAD_HTTP_PORT:-8073}"
LOAD_PG="$SM_STATE/pg-load"
LOAD_DB="sm_load_base"
LOAD_USERS="${LOAD_USERS:-50}"
LOAD_LEADS="${LOAD_LEADS:-25000}"
LOAD_ITERATIONS="${LOAD_ITERATIONS:-10}"
LOAD_WORKERS="${LOAD_WORKERS:-4}"
LOAD_CRON_WORKERS="${LOAD_CRON_WORKERS:-2}"
LOAD_THINK="${LOAD_THINK:-1}"
LOAD_SIDES="${LOAD_SIDES:-odoo,ours}"
LOAD_TIME_LIMIT="${LOAD_TIME_LIMIT:-900}"
LOAD_TIMEOUT="${LOAD_TIMEOUT:-5400}"
LOAD_REGENERATE="${LOAD_REGENERATE:-0}"
LOGS="$SM_STATE/logs"

for var in LOAD_USERS LOAD_LEADS LOAD_ITERATIONS LOAD_WORKERS LOAD_TIME_LIMIT LOAD_TIMEOUT; do
    [[ "${!var}" =~ ^[1-9][0-9]*$ ]] || die "$var must be a positive number."
done

require_odoo
ensure_venv
mkdir -p "$LOGS"
odoo_server_opts "$LOAD_WORKERS" "$LOAD_CRON_WORKERS" "$((LOAD_HTTP_PORT + 3))"

trap 'pg_stop "$LOAD_PG"' EXIT
pg_start "$LOAD_PG" "$LOAD_PORT"

ensure_template load "$LOAD_PORT" "$LOAD_DB" "$LOAD_LEADS" "$LOAD_USERS" \
    "$LOAD_REGENERATE" "$LOGS/load-base.log"

export ADDONS_PATH SM_STATE
# shellcheck disable=SC2086  # LOAD_ARGS: several options
timeout --signal=INT --kill-after=120 "$LOAD_TIMEOUT" \
    "$SM_VENV/bin/python" "$SM_ROOT/bench/load.py" \
    --template "$LOAD_DB" --db-host 127.0.0.1 --db-port "$LOAD_PORT" --db-user odoo \
    --pg-dir "$LOAD_PG" --addons-path "$ADDONS_PATH" --data-dir "$SM_STATE/filestore" \
    --log-dir "$LOGS/load" --http-port "$LOAD_HTTP_PORT" \
    --server-opts "${SERVER_OPTS[*]}" --users "$LOAD_USERS" \
    --iterations "$LOAD_ITERATIONS" --think "$LOAD_THINK" --sides "$LOAD_SIDES" \
    --time-limit "$LOAD_TIME_LIMIT" ${LOAD_ARGS:-}
