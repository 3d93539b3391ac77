# shellcheck shell=bash
# Shared settings and helpers for the project's scripts (sourced, not run).
#
# Everything the scripts create lives in the git-ignored state folder
# ($SM_STATE, default ./.state): the virtualenv, PostgreSQL clusters, Odoo
# filestores and logs. Odoo itself is read from $ODOO_SRC and never copied.

set -euo pipefail

SM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
SM_STATE="${SM_STATE:-$SM_ROOT/.state}"
SM_VENV="${SM_VENV:-$SM_STATE/venv}"
mkdir -p "$SM_STATE"
SM_PYTHON="${SM_PYTHON:-python3.11}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
ADDONS_PATH="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$SM_ROOT"

log() { printf '\033[1m[sales_motivation]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[sales_motivation] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# ODOO_SRC holds an Odoo 18.0 tree: odoo-bin and odoo/release.py saying 18.0.
is_odoo_18() {
    [ -f "$1/odoo/release.py" ] && [ -x "$1/odoo-bin" ] \
        && grep -q "version_info = (18, 0" "$1/odoo/release.py"
}

# When ODOO_SRC holds no Odoo 18.0: a shallow clone of branch 18.0 of
# ODOO_GIT_URL (default: Odoo's public repository) in the state folder,
# checked to be 18.0 and reused afterwards; when that fails (no network),
# stop at once, saying what to put where.
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
SM_ODOO_CLONE="${SM_ODOO_CLONE:-$SM_STATE/odoo-src}"
require_odoo() {
    is_odoo_18 "$ODOO_SRC" && return 0
    if ! is_odoo_18 "$SM_ODOO_CLONE"; then
        log "No Odoo 18.0 at ODOO_SRC=$ODOO_SRC: cloning branch 18.0 of $ODOO_GIT_URL into $SM_ODOO_CLONE"
        local tmp="$SM_ODOO_CLONE.partial"
        rm -rf "$tmp"
        mkdir -p "$(dirname "$SM_ODOO_CLONE")"
        if ! command -v git >/dev/null \
            || ! git clone -q --depth 1 --branch 18.0 --single-branch "$ODOO_GIT_URL" "$tmp" \
                >"$SM_STATE/odoo-clone.log" 2>&1 \
            || ! is_odoo_18 "$tmp"; then
            rm -rf "$tmp"
            die "No Odoo 18.0 source tree at ODOO_SRC=$ODOO_SRC, and none could be cloned
  from ODOO_GIT_URL=$ODOO_GIT_URL (branch 18.0; see $SM_STATE/odoo-clone.log).
  Put an unmodified Odoo 18.0 Community tree there (a checkout of
  https://github.com/odoo/odoo branch 18.0, so that $ODOO_SRC/odoo-bin exists),
  or point ODOO_SRC at one:  make test ODOO_SRC=/path/to/odoo
  or ODOO_GIT_URL at a reachable copy of Odoo's repository."
        fi
        rm -rf "$SM_ODOO_CLONE"
        mv "$tmp" "$SM_ODOO_CLONE"
    fi
    ODOO_SRC="$SM_ODOO_CLONE"
    export ODOO_SRC
    ADDONS_PATH="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$SM_ROOT"
    log "Using Odoo 18.0 from $ODOO_SRC"
}

as_root() { [ "$(id -u)" = 0 ]; }

# Debian packages needed to build Odoo's requirements and to run PostgreSQL.
ensure_debian_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    as_root || die "Missing Debian packages: ${missing[*]} (install them: sudo apt-get install ${missing[*]})"
    log "Installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The virtualenv with Odoo's requirements and the project's dev tools.
# Rebuilt when requirements change (a stamp holds their checksum).
ensure_venv() {
    require_odoo
    local stamp="$SM_VENV/.sm-stamp"
    local want
    want="$(cat "$ODOO_SRC/requirements.txt" "$SM_ROOT/requirements-dev.txt" | sha1sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    ensure_debian_packages libldap2-dev libsasl2-dev libpq-dev libxml2-dev libxslt1-dev \
        libjpeg-dev zlib1g-dev
    command -v "$SM_PYTHON" >/dev/null || die "$SM_PYTHON not found (Odoo 18.0 runs on Python 3.10-3.12)."
    local pip=("$SM_VENV/bin/pip" install --quiet --disable-pip-version-check)
    # requirements changed: brought up to date in place when the venv is whole
    if [ -f "$stamp" ] && [ -x "$SM_VENV/bin/python" ]; then
        log "Updating the virtualenv in $SM_VENV (requirements changed)"
        if "${pip[@]}" --no-build-isolation -r "$ODOO_SRC/requirements.txt" \
            && "${pip[@]}" -r "$SM_ROOT/requirements-dev.txt"; then
            echo "$want" >"$stamp"
            return 0
        fi
        log "Updating failed: building the virtualenv anew"
    fi
    log "Creating the virtualenv in $SM_VENV (a few minutes the first time)"
    rm -rf "$SM_VENV"
    mkdir -p "$SM_STATE"
    "$SM_PYTHON" -m venv "$SM_VENV"
    # cbor2 5.4.2 does not build with setuptools>=81 nor in an isolated build env.
    "${pip[@]}" "setuptools<81" wheel "setuptools_scm<9"
    "${pip[@]}" --no-build-isolation "cbor2==5.4.2"
    "${pip[@]}" --no-build-isolation -r "$ODOO_SRC/requirements.txt"
    "${pip[@]}" -r "$SM_ROOT/requirements-dev.txt"
    echo "$want" >"$stamp"
}

ensure_postgres() {
    if [ ! -x "$PG_BIN/initdb" ]; then
        ensure_debian_packages postgresql
    fi
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found in PG_BIN=$PG_BIN."
}

# Run a command as the owner of the cluster: `postgres` when we are root
# (PostgreSQL refuses to run as root), ourselves otherwise.
pg_as_owner() {
    if as_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# pg_start DIR PORT: initialise (first time) and start a throwaway cluster in
# DIR, listening on loopback only, socket in DIR too. Trust auth, loopback only.
pg_start() {
    local dir="$1" port="$2"
    ensure_postgres
    mkdir -p "$dir"
    if as_root; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        log "Initialising a PostgreSQL cluster in $dir"
        pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; die "initdb failed"; }
        cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 100
CONF
    fi
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        return 0
    fi
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir" start >/dev/null || { tail -20 "$dir/server.log"; die "PostgreSQL did not start"; }
    # Odoo refuses to connect as "postgres": it gets a role of its own.
    "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -X -q -d postgres -c \
        "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odoo')
         THEN CREATE ROLE odoo LOGIN SUPERUSER; END IF; END\$\$" >/dev/null
}

pg_stop() {
    local dir="$1"
    if [ -f "$dir/data/postmaster.pid" ]; then
        pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

# Run odoo-bin from the venv against a cluster on 127.0.0.1:PORT.
odoo_bin() {
    local port="$1"; shift
    "$SM_VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" \
        --db_host=127.0.0.1 --db_port="$port" --db_user=odoo \
        --data-dir="$SM_STATE/filestore" "$@"
}

# odoo_server_opts WORKERS CRON_WORKERS GEVENT_PORT: fills the array
# SERVER_OPTS with the options of an Odoo server. WORKERS = 0: threaded (one
# process, Odoo's default), CRON_WORKERS cron threads. WORKERS > 0:
# multi-process, as production runs it: WORKERS HTTP worker processes,
# CRON_WORKERS cron worker processes, the bus (websocket) on GEVENT_PORT, and
# per worker a memory limit (soft: recycled after the request; hard: the
# allocation fails) and time limits. The CPU limit also bounds what one cron
# worker runs in one poll of a database (every job due then), hence more than
# Odoo's 60 s; a long request is a manager's mass action (5,000 deals won take
# about 200 s on the bench).
odoo_server_opts() {
    local workers="$1" crons="$2" gevent_port="$3"
    [[ "$workers" =~ ^[0-9]+$ ]] || die "SM_WORKERS must be a number (0: threaded), not '$workers'."
    [[ "$crons" =~ ^[0-9]+$ ]] || die "SM_CRON_WORKERS must be a number, not '$crons'."
    SERVER_OPTS=(--max-cron-threads="$crons")
    if [ "$workers" -gt 0 ]; then
        SERVER_OPTS+=(
            --workers="$workers"
            --gevent-port="$gevent_port"
            --limit-memory-soft="${SM_LIMIT_MEMORY_SOFT:-2147483648}"
            --limit-memory-hard="${SM_LIMIT_MEMORY_HARD:-2684354560}"
            --limit-time-cpu="${SM_LIMIT_TIME_CPU:-300}"
            --limit-time-real="${SM_LIMIT_TIME_REAL:-600}"
            --limit-time-real-cron="${SM_LIMIT_TIME_REAL_CRON:-1800}"
        )
    fi
}

psql_q() {
    local port="$1"; shift
    PGOPTIONS="-c client_min_messages=warning" \
        "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U odoo -X -q -t -A "$@"
}

# Odoo's log lines look like "2026-01-01 10:00:00,000 123 WARNING db logger: msg".
problems() { grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$1" || true; }

SM_FILESTORE="$SM_STATE/filestore/filestore"

db_exists() {  # db_exists PORT DB
    [ -n "$(psql_q "$1" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$2'")" ]
}

drop_db() {  # drop_db PORT DB (and its filestore)
    psql_q "$1" -d postgres -c "DROP DATABASE IF EXISTS $2" >/dev/null
    rm -rf "${SM_FILESTORE:?}/$2"
}

copy_db() {  # copy_db PORT FROM TO (database and filestore)
    drop_db "$1" "$3"
    psql_q "$1" -d postgres -c "CREATE DATABASE $3 TEMPLATE $2" >/dev/null
    if [ -d "$SM_FILESTORE/$2" ]; then
        mkdir -p "$SM_FILESTORE"
        cp -a "$SM_FILESTORE/$2" "$SM_FILESTORE/$3"
    fi
}

# ensure_base_db PORT DB LOGFILE: a database with CRM and Sales and their demo
# data, as an existing company's would be; built anew unless SM_KEEP_BASE=1
# (developers only) and it exists. Fails on any error Odoo logs meanwhile.
ensure_base_db() {
    local port="$1" db="$2" logfile="$3"
    if [ "${SM_KEEP_BASE:-0}" = 1 ] && db_exists "$port" "$db"; then
        log "Copying the kept base database $db"
        return 0
    fi
    drop_db "$port" "$db"
    log "Creating a fresh database with CRM and Sales and their demo data"
    odoo_bin "$port" -d "$db" -i sale_crm,sale_management --stop-after-init \
        --no-http --log-level=warn >"$logfile" 2>&1 \
        || { tail -50 "$logfile"; die "creating the base database failed"; }
    if [ -n "$(problems "$logfile")" ]; then
        problems "$logfile"
        die "Odoo logged errors while installing CRM and Sales (before this addon)."
    fi
}

# ensure_template KIND PORT DB LEADS USERS REGENERATE LOGFILE: the template
# database of the benchmark (KIND bench) or the load test (load) on the
# cluster at PORT: CRM and Sales without demo data (odoo-bin -i sale_crm),
# filled by bench/generate.py with USERS salespeople and LEADS leads; built
# once, then reused. Its comment records what it holds; one without it was
# not finished (generation failed or was interrupted), and one holding other
# sizes, or REGENERATE=1, is dropped and built anew.
ensure_template() {
    local kind="$1" port="$2" db="$3" leads="$4" users="$5" regenerate="$6" logfile="$7"
    local want="sales_motivation $kind: leads=$leads users=$users"
    local have start base_time
    have="$(psql_q "$port" -d postgres -c \
        "SELECT coalesce(shobj_description(oid, 'pg_database'), 'unfinished')
           FROM pg_database WHERE datname = '$db'")"
    if [ -n "$have" ] && { [ "$regenerate" = 1 ] || [ "$have" != "$want" ]; }; then
        if [ "$regenerate" = 1 ]; then
            log "${kind^^}_REGENERATE=1: dropping the template $db"
        else
            log "The template $db holds '$have', not '$want': rebuilding it"
        fi
        psql_q "$port" -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
        rm -rf "${SM_FILESTORE:?}/$db"
        have=""
    fi
    if [ -n "$have" ]; then
        log "Reusing the template $db ($have; ${kind^^}_REGENERATE=1 rebuilds it)"
        return 0
    fi
    start=$SECONDS
    log "Creating the template $db: CRM and Sales without demo data"
    odoo_bin "$port" -d "$db" -i sale_crm --without-demo=all \
        --stop-after-init --no-http --log-level=warn >"$logfile" 2>&1 \
        || { tail -50 "$logfile"; die "creating $db failed"; }
    base_time=$((SECONDS - start))
    log "Filling $db: $users salespeople, $leads leads"
    "$SM_VENV/bin/python" "$SM_ROOT/bench/generate.py" \
        --leads "$leads" --users "$users" \
        --addons-path="$ADDONS_PATH" --db_host=127.0.0.1 --db_port="$port" \
        --db_user=odoo --data-dir="$SM_STATE/filestore" -d "$db" --log-level=warn \
        || die "generating the data of $db failed"
    psql_q "$port" -d postgres -c "COMMENT ON DATABASE $db IS '$want'" >/dev/null
    log "Template ready in $((SECONDS - start)) s (CRM and Sales install: ${base_time} s)"
}

# odoo_shell PORT ARGS...: `odoo-bin shell` (the command comes first),
# reading a Python script on standard input.
odoo_shell() {
    local port="$1"; shift
    "$SM_VENV/bin/python" "$ODOO_SRC/odoo-bin" shell --addons-path="$ADDONS_PATH" \
        --db_host=127.0.0.1 --db_port="$port" --db_user=odoo \
        --data-dir="$SM_STATE/filestore" --no-http "$@"
}
