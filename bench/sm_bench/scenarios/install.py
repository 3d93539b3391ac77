"""install: odoo-bin -i sales_motivation on the template, next to -u crm."""

import statistics

from ..harness import Row
from ..registry import scenario
from ..results import rows_text


@scenario(
    "install",
    "Install sales_motivation on {leads} leads",
    baseline="Updating Odoo's CRM module (odoo-bin -u crm) on another copy of the "
    "same database; the startup row is odoo-bin loading that database without "
    "installing or updating anything, a fixed cost included in both.",
)
def scenario_install(bench, p):
    rows = []
    with bench.fresh_db("install") as db:
        startup = bench.odoo_bin(db, "--stop-after-init", "--no-http", label="startup")
        ours = bench.odoo_bin(
            db,
            "-i",
            "sales_motivation",
            "--stop-after-init",
            "--no-http",
            label="install",
        )
        registrars = "-"
        if ours.ok:
            with_registrar, total = bench.sql(
                db,
                "SELECT count(*) FILTER (WHERE registrar_id IS NOT NULL), count(*)"
                " FROM crm_lead",
            )[0]
            state = bench.sql_value(
                db, "SELECT state FROM ir_module_module WHERE name = 'sales_motivation'"
            )
            bench.expect(state == "installed", f"sales_motivation {state}")
            registrars = (
                f"module {state}; {with_registrar} of {total} leads got a registrar"
            )
        rows.append(
            Row(
                "odoo-bin -i sales_motivation (ours)",
                ours.seconds,
                ours.queries,
                ours.notes(registrars),
            )
        )
        if ours.ok and not ours.problems and not bench.args.keep_dbs:
            # the other scenarios' copies with the addon start from it
            bench.adopt_addon_template(db)
    with bench.fresh_db("update_crm") as db:
        startup2 = bench.odoo_bin(db, "--stop-after-init", "--no-http", label="startup")
        odoo_run = bench.odoo_bin(
            db, "-u", "crm", "--stop-after-init", "--no-http", label="update-crm"
        )
        rows.append(
            Row(
                "odoo-bin -u crm (Odoo's own)",
                odoo_run.seconds,
                odoo_run.queries,
                odoo_run.notes(),
            )
        )
    rows.append(
        Row(
            "odoo-bin startup, nothing to do",
            statistics.median([startup.seconds, startup2.seconds]),
            startup.queries,
            f"median of 2 (one per copy, before the runs above); "
            f"{len(startup.problems) + len(startup2.problems)} warnings/errors logged",
        )
    )
    if not (ours.ok and odoo_run.ok):
        raise RuntimeError("odoo-bin failed:\n" + "\n".join(rows_text(rows)))
    return rows
