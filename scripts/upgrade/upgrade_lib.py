"""The upgrade test's facts and checks (see ``scripts/upgrade_test.sh``).

``snapshot(cr)``: what the addon holds in a database, in plain SQL so that
the released code and the new code read the same facts:

- for each table of the addon's own models: the row count, the count by
  ``state`` (and ``kind``, ``role``, ``line_type``, ``trigger``, ``action``)
  where the column exists, and for every column its non-null count and a
  digest of its values in id order: any value lost or changed shows;
- for each stored column the addon adds to another module's table
  (``crm_lead``, ``res_partner``…): the same count and digest;
- what the addon writes in Odoo's tables: activities per activity type,
  chatter messages per model.

``compare(before, after, expected)``: the differences, less those a
migration declares in ``checks.EXPECTED``.

``data_not_in_force(env, module)``: the records of the new version's data
files (record rules, crons, sequences, default records…) whose values in the
database differ from what a fresh install would hold — what ``noupdate="1"``
keeps an upgrade from writing unless a migration does — and the addon's
``noupdate`` records that no data file defines any more.
"""

import os

from lxml import etree

MODULE = "sales_motivation"
GROUP_COLUMNS = ("state", "kind", "role", "line_type", "trigger", "action")
# written on every row an upgrade touches: when, not what
VOLATILE_COLUMNS = ("create_date", "write_date", "write_uid")
# values a data file computes at load time (``eval="DateTime.now()…"``)
VOLATILE_FIELDS = {"ir.cron": {"nextcall"}}
# ir.model.data entries that describe the schema, not data records
SCHEMA_MODELS = (
    "ir.model",
    "ir.model.fields",
    "ir.model.fields.selection",
    "ir.model.constraint",
    "ir.model.relation",
    "ir.model.access",
)


def _columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = %s
         ORDER BY column_name""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def _column_facts(cr, table, column):
    cr.execute(
        f"""SELECT count("{column}"),
                   md5(string_agg("{column}"::text, ',' ORDER BY id))
              FROM "{table}" """
    )
    count, digest = cr.fetchone()
    return {"non_null": count, "digest": digest}


def _own_tables(cr):
    """{table: model} of the models the addon defines (not those it extends)."""
    # every model of the addon is named motivation.*; Odoo's own models it
    # extends have an ir.model xml id of the addon's too
    cr.execute(
        """SELECT m.model FROM ir_model m
             JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
            WHERE d.module = %s AND m.model LIKE 'motivation.%%'
              AND NOT coalesce(m.transient, false)""",
        [MODULE],
    )
    return {
        model.replace(".", "_"): model
        for (model,) in cr.fetchall()
        if _is_table(cr, model.replace(".", "_"))  # abstract models, SQL views aside
    }


def _is_table(cr, table):
    cr.execute("SELECT relkind FROM pg_class WHERE relname = %s", [table])
    row = cr.fetchone()
    return bool(row) and row[0] == "r"


def _extended_columns(cr, own_tables):
    """{table: [column]}: stored columns the addon adds to other tables."""
    cr.execute(
        """SELECT f.model, f.name FROM ir_model_fields f
             JOIN ir_model m ON m.id = f.model_id
             JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
            WHERE d.module = %s AND f.store AND NOT coalesce(m.transient, false)
              AND f.ttype NOT IN ('one2many', 'many2many')""",
        [MODULE],
    )
    result = {}
    for model, name in cr.fetchall():
        table = model.replace(".", "_")
        if (
            table in own_tables
            or not _is_table(cr, table)
            or name not in _columns(cr, table)
        ):
            continue
        result.setdefault(table, []).append(name)
    return {table: sorted(cols) for table, cols in result.items()}


def snapshot(cr):
    cr.execute("SELECT latest_version FROM ir_module_module WHERE name = %s", [MODULE])
    facts = {"version": cr.fetchone()[0], "tables": {}, "extended": {}, "odoo": {}}
    own = _own_tables(cr)
    for table, model in sorted(own.items()):
        cols = _columns(cr, table)
        cr.execute(f'SELECT count(*) FROM "{table}"')
        entry = {"model": model, "count": cr.fetchone()[0], "columns": {}, "groups": {}}
        for column in cols:
            if column not in VOLATILE_COLUMNS:
                entry["columns"][column] = _column_facts(cr, table, column)
        for column in GROUP_COLUMNS:
            if column in cols:
                cr.execute(
                    f"SELECT coalesce(\"{column}\"::text, ''), count(*)"
                    f' FROM "{table}" GROUP BY 1 ORDER BY 1'
                )
                entry["groups"][column] = dict(cr.fetchall())
        facts["tables"][table] = entry
    for table, cols in _extended_columns(cr, set(own)).items():
        facts["extended"][table] = {c: _column_facts(cr, table, c) for c in cols}
    cr.execute(
        """SELECT t.name->>'en_US', count(a.id) FROM mail_activity a
             JOIN mail_activity_type t ON t.id = a.activity_type_id
         GROUP BY 1 ORDER BY 1"""
    )
    facts["odoo"]["activities by type"] = dict(cr.fetchall())
    cr.execute(
        """SELECT model, count(*) FROM mail_message
            WHERE model IN ('crm.lead', 'res.partner', 'motivation.settlement')
         GROUP BY 1 ORDER BY 1"""
    )
    facts["odoo"]["messages by model"] = dict(cr.fetchall())
    return facts


def _flatten(facts):
    flat = {}
    for table, entry in facts["tables"].items():
        flat[(table, "rows")] = entry["count"]
        for column, value in entry["columns"].items():
            flat[(table, column)] = value
        for column, groups in entry["groups"].items():
            flat[(table, f"count by {column}")] = groups
    for table, cols in facts["extended"].items():
        for column, value in cols.items():
            flat[(table, column)] = value
    for name, value in facts["odoo"].items():
        flat[("odoo", name)] = value
    return flat


def compare(before, after, expected):
    """Differences between two snapshots, as sentences; ``expected`` maps
    ``(table, column)`` (or ``(table, "*")``) to why a migration changes it."""
    problems = []
    flat_before, flat_after = _flatten(before), _flatten(after)
    for key, value in sorted(flat_before.items()):
        table, column = key
        if key in expected or (table, "*") in expected:
            continue
        if key not in flat_after:
            problems.append(f"{table}.{column} is gone (held {value})")
        elif flat_after[key] != value:
            problems.append(f"{table}.{column} changed: {value} -> {flat_after[key]}")
    return problems


def _xml_ids(path, module):
    """The full xml ids a data file defines."""
    ids = set()
    for node in etree.parse(path).iter():
        xid = node.get("id") if isinstance(node.tag, str) else None
        if xid and node.tag in ("record", "menuitem", "template", "report"):
            ids.add(xid if "." in xid else f"{module}.{xid}")
    return ids


def data_not_in_force(env, module=MODULE):
    """Load the new version's data files as a fresh install would (``init``
    mode writes ``noupdate`` records too), inside a savepoint that is rolled
    back, and report each value that loading would change in a ``noupdate``
    record — what the upgrade left out — and each ``noupdate`` record of the
    addon that no data file defines any more (it would stay in force)."""
    from odoo.models import BaseModel
    from odoo.modules.module import get_manifest, get_module_path
    from odoo.tools.convert import convert_file

    manifest = get_manifest(module)
    root = get_module_path(module)
    Data = env["ir.model.data"]
    noupdate = {
        f"{d.module}.{d.name}": (d.model, d.res_id)
        for d in Data.search([("module", "=", module), ("noupdate", "=", True)])
        if d.model not in SCHEMA_MODELS
    }
    problems = []
    seen = {}
    original = BaseModel._load_records

    def load_records(self, data_list, update=False, ignore_duplicates=False):
        for data in data_list:
            xid = data.get("xml_id")
            if xid in noupdate and xid not in seen:
                fields = [
                    name
                    for name in data["values"]
                    if name in self._fields
                    and name not in VOLATILE_FIELDS.get(self._name, ())
                ]
                record = self.browse(noupdate[xid][1]).exists()
                seen[xid] = (
                    self._name,
                    fields,
                    record.read(fields) if record else None,
                )
        return original(
            self, data_list, update=update, ignore_duplicates=ignore_duplicates
        )

    defined = set()
    with env.cr.savepoint(flush=True) as savepoint:
        BaseModel._load_records = load_records
        try:
            idref = {}
            for filename in manifest["data"]:
                if not filename.endswith(".xml"):
                    continue
                defined |= _xml_ids(os.path.join(root, filename), module)
                convert_file(
                    env,
                    module,
                    filename,
                    idref,
                    mode="init",
                    noupdate=False,
                    kind="data",
                )
            env.flush_all()
            env.invalidate_all()
            for xid, (model, fields, values) in sorted(seen.items()):
                record = env[model].browse(noupdate[xid][1]).exists()
                now = record.read(fields) if record else None
                if values is None:
                    problems.append(f"{xid}: the record was deleted from the database")
                    continue
                for name in fields:
                    if values[0][name] != now[0][name]:
                        held, defined_value = values[0][name], now[0][name]
                        problems.append(
                            f"{xid}.{name} not in force: the database holds "
                            f"{held!r}, this version defines {defined_value!r}"
                        )
        finally:
            BaseModel._load_records = original
            savepoint.close(rollback=True)
    env.invalidate_all()
    for filename in manifest.get("demo", ()):
        if filename.endswith(".xml"):
            defined |= _xml_ids(os.path.join(root, filename), module)
    # the parents Odoo creates for ``_inherits`` (a cron's server action, a
    # user's partner) are named after their record: ``<xml id>_<model>``
    defined |= {
        xid
        for xid, (model, _res_id) in noupdate.items()
        if xid.removesuffix("_" + model.replace(".", "_")) in defined
    }
    for xid in sorted(set(noupdate) - defined):
        problems.append(
            f"{xid}: a noupdate record no data file defines any more (still in force;"
            " a migration must delete or archive it)"
        )
    return problems


def version_tuple(version):
    return tuple(int(part) for part in version.split("."))
