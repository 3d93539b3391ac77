#!/usr/bin/env bash
# The project's benchmark command (`make bench`; `make test` runs its tiny
# size):
#   1. a throwaway PostgreSQL cluster of its own ($SM_STATE/pg-bench, port
#      54330), stopped on exit;
#   2. the template database, built once and then reused (ensure_template in
#      scripts/common.sh): CRM and Sales without demo data, filled by
#      bench/generate.py with BENCH_USERS salespeople and BENCH_LEADS leads;
#      sm_bench_base for the default size, sm_bench_tiny for the tiny one;
#   3. bench/run.py (the package bench/sm_bench): each scenario on fresh
#      copies of the template, a table on stdout and in BENCH_RESULTS.
# Settings (environment or make variables):
#   BENCH_SCENARIOS=all (comma list)  BENCH_USERS=30
#   BENCH_SIZE=default  the scenarios' sizes: default (BENCH_LEADS=100000,
#                       the figures of bench/RESULTS.md) or tiny (BENCH_LEADS=3000,
#                       every scenario end to end in minutes; its figures
#                       mean nothing)
#   BENCH_RESULTS=bench/RESULTS.md  where the sections are written
#   BENCH_STRICT=0      1: a scenario also fails when Odoo logs a warning or an
#                       error or a result is not the expected one (default 1
#                       for the tiny size)
#   BENCH_REGENERATE=1  drop and rebuild the template (it is rebuilt anyway
#                       when its sizes differ from BENCH_LEADS / BENCH_USERS)
#   SM_BENCH_PORT=54330
source "$(dirname "$0")/common.sh"

BENCH_PORT="${SM_BENCH_PORT:-54330}"
BENCH_PG="$SM_STATE/pg-bench"
BENCH_SIZE="${BENCH_SIZE:-default}"
case "$BENCH_SIZE" in
    default) BENCH_DB="sm_bench_base"; default_leads=100000; default_strict=0 ;;
    tiny) BENCH_DB="sm_bench_tiny"; default_leads=3000; default_strict=1 ;;
    *) die "BENCH_SIZE must be default or tiny, not '$BENCH_SIZE'." ;;
esac
BENCH_LEADS="${BENCH_LEADS:-$default_leads}"
BENCH_USERS="${BENCH_USERS:-30}"
BENCH_SCENARIOS="${BENCH_SCENARIOS:-all}"
BENCH_REGENERATE="${BENCH_REGENERATE:-0}"
BENCH_RESULTS="${BENCH_RESULTS:-$SM_ROOT/bench/RESULTS.md}"
BENCH_STRICT="${BENCH_STRICT:-$default_strict}"
LOGS="$SM_STATE/logs"

[[ "$BENCH_LEADS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_LEADS must be a positive number."
[[ "$BENCH_USERS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_USERS must be a positive number."

require_odoo
ensure_venv
mkdir -p "$LOGS"

trap 'pg_stop "$BENCH_PG"' EXIT
pg_start "$BENCH_PG" "$BENCH_PORT"
ensure_template bench "$BENCH_PORT" "$BENCH_DB" "$BENCH_LEADS" "$BENCH_USERS" \
    "$BENCH_REGENERATE" "$LOGS/bench-base.log"

strict=()
[ "$BENCH_STRICT" = 1 ] && strict=(--strict)
export ADDONS_PATH SM_STATE
"$SM_VENV/bin/python" "$SM_ROOT/bench/run.py" \
    --template "$BENCH_DB" --scenarios "$BENCH_SCENARIOS" --size "$BENCH_SIZE" \
    --results "$BENCH_RESULTS" "${strict[@]}" \
    --db-host 127.0.0.1 --db-port "$BENCH_PORT" --db-user odoo \
    --addons-path "$ADDONS_PATH" --data-dir "$SM_STATE/filestore" \
    --log-dir "$LOGS/bench"
