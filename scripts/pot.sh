#!/usr/bin/env bash
# `make pot`: regenerate sales_motivation/i18n/sales_motivation.pot from a
# database where the addon is installed (the test database, built if needed).
source "$(dirname "$0")/common.sh"

PORT="${SM_TEST_PORT:-54329}"
PG="$SM_STATE/pg-test"
DB="sm_pot"

require_odoo
ensure_venv
trap 'pg_stop "$PG"' EXIT
pg_start "$PG" "$PORT"
psql_q "$PORT" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
log "Installing sales_motivation in $DB (no demo data)"
odoo_bin "$PORT" -d "$DB" -i sales_motivation --without-demo=all --stop-after-init \
    --no-http --log-level=warn
mkdir -p "$SM_ROOT/sales_motivation/i18n"
odoo_bin "$PORT" -d "$DB" --modules=sales_motivation --stop-after-init --no-http \
    --log-level=warn --i18n-export="$SM_ROOT/sales_motivation/i18n/sales_motivation.pot"
psql_q "$PORT" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
log "Wrote sales_motivation/i18n/sales_motivation.pot"
