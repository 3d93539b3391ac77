#!/usr/bin/env bash
# `make run` and `make test` get Odoo themselves when ODOO_SRC holds no Odoo
# 18.0 (scripts/common.sh: require_odoo). Checked here against local git
# repositories standing in for Odoo's: cloned, checked to be 18.0, reused,
# refused when not 18.0, and the clear message when nothing can be cloned.
# Prints one "ok"/"FAIL" line per check; exits 1 on the first failure.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

fake_odoo() {  # fake_odoo DIR VERSION: a repository with branch 18.0
    git init -q -b 18.0 "$1"
    mkdir -p "$1/odoo"
    echo "version_info = ($2, 0, 0, FINAL, 0, '')" >"$1/odoo/release.py"
    printf '#!/bin/sh\n' >"$1/odoo-bin"
    chmod +x "$1/odoo-bin"
    git -C "$1" add -A
    git -C "$1" -c user.name=t -c user.email=t@t commit -q -m "Odoo $2"
}
require() {  # require STATE ODOO_SRC URL: prints the ODOO_SRC in use
    SM_STATE="$1" ODOO_SRC="$2" ODOO_GIT_URL="$3" bash -c \
        'source "$0/scripts/common.sh" && require_odoo >/dev/null 2>&1 && echo "$ODOO_SRC"' "$ROOT"
}
check() {
    if [ "$1" = 0 ]; then echo "ok $2"; else echo "FAIL $2"; exit 1; fi
}

fake_odoo "$TMP/odoo18" 18
fake_odoo "$TMP/odoo17" 17

got="$(require "$TMP/s1" "$TMP/none" "file://$TMP/odoo18")"
[ "$got" = "$TMP/s1/odoo-src" ] && [ -x "$got/odoo-bin" ] \
    && [ "$(git -C "$got" rev-parse --is-shallow-repository)" = true ]
check $? "no Odoo at ODOO_SRC: a shallow clone of branch 18.0 in the state folder"

rm -rf "$TMP/odoo18"
got="$(require "$TMP/s1" "$TMP/none" "file://$TMP/odoo18")"
[ "$got" = "$TMP/s1/odoo-src" ]
check $? "the clone is reused afterwards (the repository is gone)"

got="$(require "$TMP/s2" "$TMP/none" "file://$TMP/odoo17")"
[ -z "$got" ] && [ ! -e "$TMP/s2/odoo-src" ]
check $? "a clone that is not Odoo 18.0 is refused and removed"

msg="$(SM_STATE="$TMP/s3" ODOO_SRC="$TMP/none" ODOO_GIT_URL="file://$TMP/nowhere" bash -c \
    'source "$0/scripts/common.sh" && require_odoo' "$ROOT" 2>&1)"
rc=$?
[ "$rc" != 0 ] && grep -q "Put an unmodified Odoo 18.0 Community tree there" <<<"$msg" \
    && grep -q "ODOO_GIT_URL=file://$TMP/nowhere" <<<"$msg"
check $? "nothing to clone: stops with the message saying what to put where"

fake_odoo "$TMP/present" 18
got="$(require "$TMP/s4" "$TMP/present" "file://$TMP/nowhere")"
[ "$got" = "$TMP/present" ] && [ ! -e "$TMP/s4/odoo-src" ]
check $? "an Odoo 18.0 at ODOO_SRC is used as it is, nothing cloned"
