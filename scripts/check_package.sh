#!/usr/bin/env bash
# The addon as pip installs it: builds the wheel of sales_motivation/ with
# OCA's build backend (whool, from PyPI, at requirements-dev.txt's version),
# installs it with pip into a throwaway virtualenv, and checks that
#   - it is odoo-addon-sales_motivation at the manifest's version (whool adds
#     ".N", the commits since the manifest's version last changed);
#   - every file git tracks in the addon is installed under odoo/addons/;
#   - Odoo ($ODOO_SRC) finds and imports it there, with no addons path naming
#     this repository.
# Run by `make test` (lint step); alone: bash scripts/check_package.sh
# Files git does not track are not packaged (whool copies `git ls-files`).
source "$(dirname "$0")/common.sh"

require_odoo
ensure_venv
WORK="$SM_STATE/package"
rm -rf "$WORK"
mkdir -p "$WORK"

# build isolation as for any pip user; the constraint pins whool's version
PIP_CONSTRAINT="$SM_ROOT/requirements-dev.txt" "$SM_VENV/bin/pip" wheel --quiet \
    --disable-pip-version-check --no-deps -w "$WORK/dist" "$SM_ROOT/sales_motivation"
wheel="$(ls "$WORK"/dist/*.whl)"
log "Built $(basename "$wheel")"

"$SM_PYTHON" -m venv --without-pip "$WORK/venv"
"$SM_VENV/bin/pip" --python "$WORK/venv/bin/python" install --quiet \
    --disable-pip-version-check --no-deps "$wheel"
site="$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"

"$SM_VENV/bin/python" - "$SM_ROOT" "$site" "$wheel" <<'PY'
import ast
import subprocess
import sys
from pathlib import Path

root, site, wheel = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
addon = root / "sales_motivation"
version = ast.literal_eval((addon / "__manifest__.py").read_text())["version"]
name, wheel_version = wheel.name.split("-")[:2]
problems = []
if name != "odoo_addon_sales_motivation":
    problems.append(f"wheel named {name}, not odoo_addon_sales_motivation")
if wheel_version != version and not wheel_version.startswith(version + "."):
    problems.append(f"wheel version {wheel_version}, manifest {version}")
installed = site / "odoo" / "addons" / "sales_motivation"
tracked = subprocess.check_output(["git", "ls-files"], cwd=addon, text=True).split()
missing = [f for f in tracked if f != "pyproject.toml" and not (installed / f).is_file()]
if missing:
    problems.append(f"not installed: {', '.join(missing[:10])}")
if problems:
    sys.exit("Package check failed:\n  " + "\n  ".join(problems))
print(f"ok: {len(tracked) - 1} files installed in {installed}")
PY

# Odoo finds the addon where pip put it (odoo.addons is a namespace package)
PYTHONPATH="$ODOO_SRC:$site" "$SM_VENV/bin/python" - "$ODOO_SRC" "$site" <<'PY'
import sys

import odoo
from odoo.modules.module import get_manifest, get_module_path
from odoo.tools import config

odoo_src, site = sys.argv[1], sys.argv[2]
config.parse_config([f"--addons-path={odoo_src}/addons"])
path = get_module_path("sales_motivation")
if not path or not path.startswith(site):
    sys.exit(f"Odoo finds sales_motivation at {path}, not in {site}")
import odoo.addons.sales_motivation as addon  # noqa: E402  the installed copy imports

if not addon.__file__.startswith(site):
    sys.exit(f"odoo.addons.sales_motivation imported from {addon.__file__}, not {site}")
print(f"ok: Odoo loads sales_motivation {get_manifest('sales_motivation')['version']} from {path}")
PY
