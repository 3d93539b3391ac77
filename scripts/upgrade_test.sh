#!/usr/bin/env bash
# The upgrade test (step 5 of `make test`; alone: `make test-upgrade`):
#   1. a git worktree of the last release (scripts/releases.txt, its tag);
#   2. a copy of the base database (CRM and Sales with their demo data)
#      gets that release installed, then data through every feature
#      (scripts/upgrade/populate.py) and a snapshot of what the addon holds;
#   3. `-u sales_motivation` with the working tree: any WARNING or ERROR
#      logged fails;
#   4. scripts/upgrade/step.py checks that nothing was lost or changed
#      (but what a migration declares in scripts/upgrade/checks.py), that
#      every record rule, cron, sequence and default record of the new
#      version is in force although `noupdate`, and runs the migrations'
#      own checks. Prints one "ok"/"FAIL" line per check.
# Expects the test cluster and base database of scripts/test.sh
# (SM_TEST_PORT, sm_test_base); starts and builds them when alone.
source "$(dirname "$0")/common.sh"

TEST_PORT="${SM_TEST_PORT:-54329}"
TEST_PG="$SM_STATE/pg-test"
BASE_DB="sm_test_base"
UPG_DB="sm_upgrade"
LOGS="$SM_STATE/logs"
UPG="$SM_ROOT/scripts/upgrade"
mkdir -p "$LOGS"

read -r RELEASE RELEASE_COMMIT < <(grep -vE '^\s*(#|$)' "$SM_ROOT/scripts/releases.txt" | tail -1)
if ! git -C "$SM_ROOT" rev-parse --verify -q "$RELEASE_COMMIT^{commit}" >/dev/null \
    && [ "$(git -C "$SM_ROOT" rev-parse --is-shallow-repository)" = true ]; then
    log "Shallow clone: fetching the history back to release $RELEASE"
    git -C "$SM_ROOT" fetch -q --unshallow --tags || true
fi
RELEASE_COMMIT="$(git -C "$SM_ROOT" rev-parse --verify -q "$RELEASE_COMMIT^{commit}")" \
    || die "release $RELEASE: commit $RELEASE_COMMIT is not in this clone (clone the full history)"
if tagged="$(git -C "$SM_ROOT" rev-parse --verify -q "refs/tags/$RELEASE^{commit}")"; then
    [ "$tagged" = "$RELEASE_COMMIT" ] \
        || die "tag $RELEASE is $tagged, scripts/releases.txt says $RELEASE_COMMIT"
fi
CURRENT="$(python3 -c "import ast,sys; print(ast.literal_eval(open(sys.argv[1]).read())['version'])" \
    "$SM_ROOT/sales_motivation/__manifest__.py")"
if ! git -C "$SM_ROOT" diff --quiet "$RELEASE_COMMIT" -- sales_motivation/models \
        sales_motivation/data sales_motivation/security sales_motivation/hooks.py \
    && [ "$CURRENT" = "$RELEASE" ]; then
    die "models, data or security changed since release $RELEASE but the manifest still says $RELEASE: bump the version (migrations only run for a newer one)"
fi

WT="$SM_STATE/releases/$RELEASE"
if [ "$(git -C "$WT" rev-parse HEAD 2>/dev/null || true)" != "$RELEASE_COMMIT" ]; then
    rm -rf "$WT"
    git -C "$SM_ROOT" worktree prune
    git -C "$SM_ROOT" worktree add --detach -q "$WT" "$RELEASE_COMMIT"
fi
require_odoo
ensure_venv
OLD_ADDONS="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$WT"
if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$TEST_PG/data" status >/dev/null 2>&1; then
    trap 'pg_stop "$TEST_PG"' EXIT  # alone: stop the cluster it starts
fi
pg_start "$TEST_PG" "$TEST_PORT"
ensure_base_db "$TEST_PORT" "$BASE_DB" "$LOGS/base.log"
copy_db "$TEST_PORT" "$BASE_DB" "$UPG_DB"

fail() { echo "FAIL $*"; echo "---- see $LOGS/upgrade_*.log"; exit 1; }
clean_log() {  # clean_log LOG WHAT: fails on any WARNING or ERROR line
    local found
    found="$(problems "$1")"
    if [ -n "$found" ]; then
        echo "$found"
        fail "$2 logged warnings or errors"
    fi
}

log "Upgrade test: installing release $RELEASE ($RELEASE_COMMIT)"
ADDONS_PATH="$OLD_ADDONS" odoo_bin "$TEST_PORT" -d "$UPG_DB" -i sales_motivation \
    --stop-after-init --no-http >"$LOGS/upgrade_install.log" 2>&1 \
    || { tail -30 "$LOGS/upgrade_install.log"; fail "installing $RELEASE"; }
clean_log "$LOGS/upgrade_install.log" "installing $RELEASE"

log "Upgrade test: data through every feature, with $RELEASE's code"
ADDONS_PATH="$OLD_ADDONS" odoo_shell "$TEST_PORT" -d "$UPG_DB" \
    <"$UPG/populate.py" >"$LOGS/upgrade_populate.log" 2>&1 || true
grep -q '^populated$' "$LOGS/upgrade_populate.log" \
    || { tail -30 "$LOGS/upgrade_populate.log"; fail "populating with $RELEASE"; }
clean_log "$LOGS/upgrade_populate.log" "populating"

export SM_UPGRADE_LIB="$UPG/upgrade_lib.py"
BEFORE="$SM_STATE/upgrade_before.json"
ADDONS_PATH="$OLD_ADDONS" SM_UPGRADE_STEP=snapshot SM_UPGRADE_OUT="$BEFORE" \
    odoo_shell "$TEST_PORT" -d "$UPG_DB" <"$UPG/step.py" >"$LOGS/upgrade_snapshot.log" 2>&1 || true
grep -q '^snapshot written$' "$LOGS/upgrade_snapshot.log" \
    || { tail -30 "$LOGS/upgrade_snapshot.log"; fail "the snapshot before the upgrade"; }

log "Upgrade test: -u sales_motivation, $RELEASE -> $CURRENT"
odoo_bin "$TEST_PORT" -d "$UPG_DB" -u sales_motivation --stop-after-init --no-http \
    >"$LOGS/upgrade.log" 2>&1 || { tail -30 "$LOGS/upgrade.log"; fail "the upgrade"; }
clean_log "$LOGS/upgrade.log" "the upgrade"
echo "ok upgrade from $RELEASE to $CURRENT logs no warning or error"

RESULT="$SM_STATE/upgrade_check.txt"
rm -f "$RESULT"
SM_UPGRADE_STEP=check SM_UPGRADE_BEFORE="$BEFORE" SM_UPGRADE_OUT="$RESULT" \
    odoo_shell "$TEST_PORT" -d "$UPG_DB" <"$UPG/step.py" >"$LOGS/upgrade_check.log" 2>&1 || true
[ -f "$RESULT" ] || { tail -30 "$LOGS/upgrade_check.log"; fail "the checks did not run"; }
clean_log "$LOGS/upgrade_check.log" "the checks"
cat "$RESULT"
! grep -q '^FAIL' "$RESULT" || exit 1
