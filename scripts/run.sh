#!/usr/bin/env bash
# `make run`: Odoo 18.0 with sales_motivation and its demo data on
# http://localhost:8069, on a throwaway PostgreSQL cluster kept in the state
# folder. The first run creates the database; later runs reuse it.
# Ctrl-C stops Odoo and PostgreSQL.
# SM_WORKERS=N (default 0: threaded) runs Odoo multi-process, as production
# does: N HTTP workers, SM_CRON_WORKERS cron workers (default 2; cron threads
# when threaded), the bus on SM_GEVENT_PORT (default HTTP port + 3).
source "$(dirname "$0")/common.sh"

RUN_PORT="${SM_RUN_PG_PORT:-54328}"
RUN_PG="$SM_STATE/pg-run"
RUN_DB="${SM_RUN_DB:-sales_motivation}"
HTTP_PORT="${SM_HTTP_PORT:-8069}"
WORKERS="${SM_WORKERS:-0}"
CRON_WORKERS="${SM_CRON_WORKERS:-2}"
GEVENT_PORT="${SM_GEVENT_PORT:-$((HTTP_PORT + 3))}"
odoo_server_opts "$WORKERS" "$CRON_WORKERS" "$GEVENT_PORT"

require_odoo
ensure_venv
mkdir -p "$SM_STATE/logs"
# PDF statements need wkhtmltopdf; without it Odoo still runs (HTML reports only)
if ! command -v wkhtmltopdf >/dev/null; then
    if as_root; then
        ensure_debian_packages wkhtmltopdf || log "wkhtmltopdf could not be installed: PDF reports will not print"
    else
        log "wkhtmltopdf is not installed: PDF reports will not print (sudo apt-get install wkhtmltopdf)"
    fi
fi

trap 'log "Stopping PostgreSQL"; pg_stop "$RUN_PG"' EXIT
pg_start "$RUN_PG" "$RUN_PORT"

if [ -z "$(psql_q "$RUN_PORT" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$RUN_DB'")" ]; then
    log "Creating database $RUN_DB with sales_motivation and its demo data (about two minutes)"
    odoo_bin "$RUN_PORT" -d "$RUN_DB" -i sales_motivation --stop-after-init --no-http \
        --log-level=warn >"$SM_STATE/logs/run-init.log" 2>&1 \
        || { tail -30 "$SM_STATE/logs/run-init.log"; die "Database creation failed (log: $SM_STATE/logs/run-init.log)"; }
    update=()
else
    log "Reusing database $RUN_DB, updating sales_motivation in it (make clean starts over)"
    update=(-u sales_motivation)
fi

cat >&2 <<MSG

  Odoo is starting on  http://localhost:$HTTP_PORT  (database $RUN_DB)
  $(if [ "$WORKERS" -gt 0 ]; then echo "$WORKERS HTTP workers, $CRON_WORKERS cron workers, bus on port $GEVENT_PORT"; else echo "threaded, $CRON_WORKERS cron threads (SM_WORKERS=4 for multi-process)"; fi)
  Logins (password = login):
    admin   administrator, head of sales, commission administrator
    leader  Olga Leader, team leader of "Direct Sales"
    ivan    Ivan Petrov, salesperson
    maria   Maria Sokolova, salesperson
    kenji   Kenji Sato, salesperson
  Ctrl-C stops Odoo and PostgreSQL.

MSG
# Odoo runs in the foreground; Ctrl-C reaches it, then the trap stops PostgreSQL.
odoo_bin "$RUN_PORT" -d "$RUN_DB" --db-filter="^$RUN_DB\$" "${update[@]}" \
    --http-interface=127.0.0.1 --http-port="$HTTP_PORT" "${SERVER_OPTS[@]}" || true
