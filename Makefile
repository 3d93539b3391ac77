# sales_motivation: one command runs it, one command tests it.
# ODOO_SRC (default /opt/odoo-src) must hold an Odoo 18.0 Community tree.
ODOO_SRC ?= /opt/odoo-src
export ODOO_SRC

.PHONY: run test test-upgrade test-odoo bench load pot screenshots venv clean help

help:
	@echo "make run    - Odoo with sales_motivation and demo data on http://localhost:8069"
	@echo "make test   - lint + install on a fresh database + the addon's test suite"
	@echo "make test-upgrade - the upgrade test alone (last release -> working tree)"
	@echo "make test-odoo - Odoo's own crm, sale_crm, sale, sale_management, mail suites, with and without the addon"
	@echo "make bench  - benchmark scenarios on a generated 100k-lead database (BENCH_SIZE=tiny: 3k leads, every scenario, as make test runs it)"
	@echo "make load   - 50 salespeople at once on a 4-worker server, crons running, vs plain Odoo"
	@echo "make pot    - regenerate the addon's translation template"
	@echo "make screenshots - the screenshots of static/description/, from the demo database"
	@echo "make clean  - remove the state folder (venv, databases, logs)"

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

test-upgrade:
	@bash scripts/upgrade_test.sh

test-odoo:
	@bash scripts/test_odoo.sh

bench:
	@bash scripts/bench.sh

load:
	@bash scripts/load.sh

pot:
	@bash scripts/pot.sh

screenshots:
	@bash scripts/screenshots.sh

venv:
	@bash -c 'source scripts/common.sh && ensure_venv'

clean:
	@bash -c 'source scripts/common.sh && pg_stop "$$SM_STATE/pg-test"; pg_stop "$$SM_STATE/pg-run"; pg_stop "$$SM_STATE/pg-bench"; pg_stop "$$SM_STATE/pg-load"; rm -rf "$$SM_STATE"'
