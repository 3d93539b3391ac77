#!/usr/bin/env bash
# `make screenshots`: the screenshots of sales_motivation/static/description/
# (README, the addon's description page), taken from the demo database of
# `make run` (created the first time, as `make run` does) in headless
# Chromium at 1366x768, by scripts/screenshots.py. Odoo is served for it on a
# port of its own (SM_SHOTS_HTTP_PORT, default the run port + 1: 8070), crons
# off, so that a `make run` may go on meanwhile; PostgreSQL is the run
# cluster's (SM_RUN_PG_PORT), left running if it was.
source "$(dirname "$0")/common.sh"

RUN_PORT="${SM_RUN_PG_PORT:-54328}"
RUN_PG="$SM_STATE/pg-run"
RUN_DB="${SM_RUN_DB:-sales_motivation}"
SHOTS_PORT="${SM_SHOTS_HTTP_PORT:-$(( ${SM_HTTP_PORT:-8069} + 1 ))}"

require_odoo
ensure_venv
mkdir -p "$SM_STATE/logs"
command -v chromium >/dev/null || { as_root && ensure_debian_packages chromium; } \
    || die "Chromium is missing (sudo apt-get install chromium)"

pg_was_running=0
if [ -f "$RUN_PG/data/postmaster.pid" ]; then pg_was_running=1; fi
pg_start "$RUN_PG" "$RUN_PORT"
odoo_pid=
cleanup() {
    local status=$?
    set +e
    # odoo_bin runs in a subshell: stop Odoo (its child), then the subshell
    if [ -n "$odoo_pid" ]; then
        pkill -TERM -P "$odoo_pid" 2>/dev/null
        wait "$odoo_pid" 2>/dev/null
    fi
    if [ "$pg_was_running" = 0 ]; then pg_stop "$RUN_PG"; fi
    exit "$status"
}
trap cleanup EXIT

if [ -z "$(psql_q "$RUN_PORT" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$RUN_DB'")" ]; then
    log "Creating database $RUN_DB with sales_motivation and its demo data (about two minutes)"
    odoo_bin "$RUN_PORT" -d "$RUN_DB" -i sales_motivation --stop-after-init --no-http \
        --log-level=warn >"$SM_STATE/logs/run-init.log" 2>&1 \
        || { tail -30 "$SM_STATE/logs/run-init.log"; die "Database creation failed (log: $SM_STATE/logs/run-init.log)"; }
fi

log "Serving $RUN_DB on port $SHOTS_PORT for the screenshots"
odoo_bin "$RUN_PORT" -d "$RUN_DB" --db-filter="^$RUN_DB\$" --http-interface=127.0.0.1 \
    --http-port="$SHOTS_PORT" --gevent-port="$((SHOTS_PORT + 3))" --max-cron-threads=0 \
    --log-level=warn >"$SM_STATE/logs/screenshots-server.log" 2>&1 &
odoo_pid=$!
for _ in $(seq 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$SHOTS_PORT/web/login" 2>/dev/null; then break; fi
    kill -0 "$odoo_pid" 2>/dev/null || { tail -20 "$SM_STATE/logs/screenshots-server.log"; die "Odoo did not start"; }
    sleep 1
done

"$SM_VENV/bin/python" "$SM_ROOT/scripts/screenshots.py" --url "http://127.0.0.1:$SHOTS_PORT" \
    --db "$RUN_DB" "$@"
log "Screenshots in sales_motivation/static/description/ (git diff --stat to see what changed)"
