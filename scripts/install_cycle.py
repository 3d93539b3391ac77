"""Uninstall sales_motivation, check CRM still works, reinstall it.

Run with the project's venv python and odoo-bin's database options, e.g.
    python scripts/install_cycle.py --addons-path=... -d sm_test
Prints one "ok ..." line per check and exits non-zero on the first failure.
"""

import os
import sys

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo-src")
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402

MODULE = "sales_motivation"


def env_for(dbname, cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def module_state(dbname):
    with odoo.modules.registry.Registry(dbname).cursor() as cr:
        env = env_for(dbname, cr)
        return env["ir.module.module"].search([("name", "=", MODULE)]).state


def immediate(dbname, method):
    with odoo.modules.registry.Registry(dbname).cursor() as cr:
        env = env_for(dbname, cr)
        getattr(env["ir.module.module"].search([("name", "=", MODULE)]), method)()


def check(condition, message):
    if not condition:
        print(f"FAIL {message}")
        sys.exit(1)
    print(f"ok {message}")


def crm_works(dbname):
    """A salesperson's everyday CRM: create a lead, convert, move, win."""
    with odoo.modules.registry.Registry(dbname).cursor() as cr:
        env = env_for(dbname, cr)
        salesman = env["res.users"].create(
            {
                "name": "Cycle Salesperson",
                "login": "install_cycle_salesperson",
                "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        Lead = env["crm.lead"].with_user(salesman)
        lead = Lead.create({"name": "Install cycle check", "type": "lead"})
        lead.convert_opportunity(False)
        lead.action_set_won()
        ok = lead.stage_id.is_won and lead.user_id == salesman
        groups = Lead.read_group([], ["expected_revenue:sum"], ["stage_id"])
        env["crm.lead"].search([]).mapped("name")
        cr.rollback()
        return ok and bool(groups)


def odoo_lead_rule_active(dbname):
    with odoo.modules.registry.Registry(dbname).cursor() as cr:
        return env_for(dbname, cr).ref("crm.crm_rule_personal_lead").active


def main():
    odoo.tools.config.parse_config(sys.argv[1:])
    dbname = odoo.tools.config["db_name"]
    if isinstance(dbname, list):  # odoo 18 may keep a list
        dbname = dbname[0]
    check(module_state(dbname) == "installed", f"{MODULE} is installed")
    check(crm_works(dbname), "CRM works with the addon")
    check(not odoo_lead_rule_active(dbname), "Odoo's own-or-unassigned rule is off")

    immediate(dbname, "button_immediate_uninstall")
    check(module_state(dbname) == "uninstalled", f"{MODULE} uninstalls")
    with odoo.modules.registry.Registry(dbname).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_name = 'crm_lead' AND column_name = 'registrar_id'"
        )
        check(cr.fetchone()[0] == 0, "its columns are gone from crm_lead")
        cr.execute("SELECT count(*) FROM ir_model_data WHERE module = %s", (MODULE,))
        check(cr.fetchone()[0] == 0, "no record of it is left in ir_model_data")
    check(odoo_lead_rule_active(dbname), "Odoo's own lead rule is back")
    check(crm_works(dbname), "CRM works after uninstall")

    immediate(dbname, "button_immediate_install")
    check(module_state(dbname) == "installed", f"{MODULE} reinstalls")
    check(not odoo_lead_rule_active(dbname), "reinstall switches it off again")
    check(crm_works(dbname), "CRM works after reinstall")


if __name__ == "__main__":
    main()
