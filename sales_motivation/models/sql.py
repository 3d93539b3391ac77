# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addon's raw SQL helpers, and why each is SQL: row and advisory locks
(lock_rows, lock_query, try_advisory_locks: the ORM has no way to lock rows,
skip locked ones or take an advisory lock), per-row values in one statement
(update_rows: the ORM writes each record whose values differ in its own
UPDATE; write_rows: the same for records, their cache kept as the ORM's
write keeps it; insert_rows: its create inserts 100 rows per statement).
Unique rules are _sql_constraints instead (UNIQUE, or EXCLUDE
with = for one restricted by a WHERE clause), each with its message."""

import json
from collections import defaultdict

from psycopg2.extras import execute_values

from odoo.tools import float_round
from odoo.tools.sql import SQL

# the columns the ORM fills itself on create
LOG_ACCESS = ("create_uid", "create_date", "write_uid", "write_date")


def update_rows(env, table, columns, rows, page_size=5000):
    """UPDATE ``table`` with values that differ per row, one statement per
    page of rows where the ORM would issue one per record: ``columns`` are
    (name, SQL type) pairs, the first one the key; ``rows`` tuples in that
    order. Sets ``write_uid`` and ``write_date`` as the ORM's write does
    (``env``'s user, the transaction's time). The caller invalidates the
    ORM cache of what it wrote."""
    key = columns[0][0]
    template = "(" + ", ".join(f"%s::{sqltype}" for _name, sqltype in columns) + ")"
    assignments = ", ".join(f'"{name}" = v."{name}"' for name, _type in columns[1:])
    names = ", ".join(f'"{name}"' for name, _type in columns)
    cr = env.cr
    # the user id and time are the caller's, as literals: execute_values
    # takes the rows as its only parameters
    audit = cr.mogrify("write_uid = %s, write_date = %s", [env.uid, cr.now()]).decode()
    query = (
        f'UPDATE "{table}" AS t SET {assignments}, {audit} '  # noqa: S608
        f'FROM (VALUES %s) AS v({names}) WHERE t."{key}" = v."{key}"'
    )
    # column names are the caller's constants, values go as parameters
    execute_values(cr, query, rows, template=template, page_size=page_size)


def write_rows(records, values):
    """Write values that differ per record into stored fields of
    ``records`` in one UPDATE (update_rows) where the ORM's flush issues one
    per 100 records, after whatever it flushed before (what the callers'
    bench scenarios measured: their comments say which). ``values``:
    {field name: [value of each record, in order]}, plain columns (not
    translated, company-dependent nor with an inverse). As the ORM's write:
    ``write_uid``/``write_date`` set, the cache holds the new values, the
    fields written are not recomputed (a stored compute among them is given
    its value) and their dependents are marked."""
    if not records:
        return
    env = records.env
    fields = [records._fields[name] for name in values]
    # a pending (dirty) value of these fields would overwrite the UPDATE,
    # and one of write_uid/write_date the values it sets
    records.flush_recordset([*values, "write_uid", "write_date"])
    rows = [
        (
            record.id,
            *(
                _column_value(env, field, {field.name: values[field.name][index]})
                for field in fields
            ),
        )
        for index, record in enumerate(records)
    ]
    update_rows(
        env,
        records._table,
        [("id", "int4"), *((field.name, field.column_type[1]) for field in fields)],
        rows,
    )
    now = env.cr.now()
    with env.protecting(fields, records):
        for field in fields:
            env.cache.update(
                records,
                field,
                [
                    field.convert_to_cache(value, record, validate=False)
                    for record, value in zip(records, values[field.name], strict=True)
                ],
            )
        for name, value in (("write_uid", env.uid), ("write_date", now)):
            env.cache.update(records, records._fields[name], [value] * len(records))
        records.modified(list(values))


def insert_rows(model, vals_list):
    """Create records of ``model`` from ``vals_list`` (values for create)
    in one INSERT whatever their number, where the ORM's create issues one
    per 100 rows and builds each record on its way (what the callers'
    bench scenarios measured: their comments say which). For models whose
    rows the ORM computes nothing for: no stored compute or related field
    (unless every row gives its value: the caller computed it, and it is
    kept as the ORM's create keeps a value given to it), no inverse, no
    create override, no Python constraint; the fields' defaults are applied,
    magic columns set as the ORM sets them (``model``'s user, the
    transaction's time). The new records are put in the cache with their
    values, the one2many fields pointing at them follow and their dependents
    are marked, as the ORM's create does. Returns them, in the order of
    ``vals_list``."""
    if not vals_list:
        return model.browse()
    env = model.env
    fields = {
        name: field
        for name, field in model._fields.items()
        if field.store and field.column_type and name != "id" and name not in LOG_ACCESS
    }
    given_computes = [
        field
        for name, field in fields.items()
        if field.compute and all(name in vals for vals in vals_list)
    ]
    computed = sorted(
        name
        for name, field in fields.items()
        if field.compute and field not in given_computes
    )
    if computed:
        raise ValueError(f"insert_rows cannot compute {model._name}'s {computed}")
    given = {name for vals in vals_list for name in vals}
    # a default for every field some row leaves out
    defaults = model.default_get(
        [
            name
            for name, field in fields.items()
            if field.default and any(name not in vals for vals in vals_list)
        ]
    )
    names = sorted(given | set(defaults))
    rows = []
    for vals in vals_list:
        row = dict(defaults, **vals)
        rows.append({name: _column_value(env, fields[name], row) for name in names})
    model.flush_model()
    types = SQL(", ").join(
        SQL("%s %s", SQL.identifier(name), SQL(fields[name].column_type[1]))
        for name in names
    )
    columns = SQL(", ").join(SQL.identifier(name) for name in names)
    env.cr.execute(
        SQL(
            """
            INSERT INTO %(table)s (%(columns)s, create_uid, create_date,
                                   write_uid, write_date)
            SELECT %(columns)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM ROWS FROM (jsonb_to_recordset(%(rows)s::jsonb) AS (%(types)s))
                   WITH ORDINALITY AS r(%(columns)s, ord)
             ORDER BY r.ord
            RETURNING id
            """,
            table=SQL.identifier(model._table),
            columns=columns,
            types=types,
            uid=env.uid,
            now=env.cr.now(),
            rows=json.dumps(rows, default=str),
        )
    )
    # INSERT ... SELECT ... ORDER BY assigns the ids in that order
    records = model.browse(sorted(row[0] for row in env.cr.fetchall()))
    inverses = defaultdict(list)
    for record, row in zip(records, rows, strict=True):
        for name, field in fields.items():
            value = field.convert_to_cache(row.get(name), record, validate=False)
            env.cache.set(record, field, value)
            if (
                field.type in ("many2one", "many2one_reference")
                and value
                and model.pool.field_inverses[field]
            ):
                inverses[(field, value)].append(record.id)
        for field in model._fields.values():
            if field.type in ("one2many", "many2many"):
                env.cache.set(record, field, ())
    for (field, value), ids in inverses.items():
        field._update_inverses(model.browse(ids), value)
    # the computed values given are not recomputed (the ORM's create
    # protects them the same way)
    with env.protecting(given_computes, records):
        records.modified(names, create=True)
    return records


def _column_value(env, field, row):
    """The value ``row`` gives ``field``, as its column stores it (the ORM's
    convert_to_column): numbers rounded to their digits or currency, empty
    relations and texts NULL."""
    value = row.get(field.name)
    if field.type == "boolean":
        return bool(value)
    if field.type in ("integer", "float", "monetary"):
        value = value or 0
        if field.type == "monetary":
            currency = env["res.currency"].browse(
                row.get(field.get_currency_field(env[field.model_name]))
            )
            return currency.round(value) if currency else value
        digits = field.type == "float" and field.get_digits(env)
        return float_round(value, precision_digits=digits[1]) if digits else value
    return None if value is False or value is None else value


def lock_rows(cr, table, ids, skip_locked=True, limit=None):
    """Lock the rows of ``table`` with these ids for this transaction (FOR NO
    KEY UPDATE, the lock an UPDATE takes: foreign keys pointing at the rows
    are not blocked) and return the ids locked, in id order: at most
    ``limit`` of them. With ``skip_locked``, rows another transaction holds
    are skipped, not waited for: two runs of a cron split the work instead
    of doing it twice, the second taking the next rows."""
    if not ids or limit == 0:
        return []
    cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id%s FOR NO KEY UPDATE%s",
            SQL.identifier(table),
            list(ids),
            SQL(" LIMIT %s", limit) if limit is not None else SQL(),
            SQL(" SKIP LOCKED" if skip_locked else ""),
        )
    )
    return [row[0] for row in cr.fetchall()]


def lock_query(cr, query, skip_locked=True):
    """Run an ORM search query (``Model._search(...)``) locking the rows it
    selects of its own table, as ``lock_rows``; returns their ids in the
    query's order."""
    cr.execute(
        SQL(
            "%s FOR NO KEY UPDATE OF %s%s",
            query.select(),
            SQL.identifier(query.table),
            SQL(" SKIP LOCKED" if skip_locked else ""),
        )
    )
    return [row[0] for row in cr.fetchall()]


def try_advisory_locks(cr, namespace, keys, wait=False):
    """Transaction-level advisory locks on a few integer ``keys`` (teams,
    periods: each lock takes a slot of PostgreSQL's shared lock table, so not
    one per row) in ``namespace``; returns the keys this transaction now
    holds. Without ``wait``, keys another transaction holds are left out;
    with it, they are waited for (in key order: no deadlock)."""
    keys = sorted(set(keys))
    if not keys:
        return set()
    if wait:
        cr.execute(
            SQL(
                # the array is sorted: unnest takes the locks in key order
                "SELECT pg_advisory_xact_lock(hashtext(%s), k)"
                " FROM unnest(%s::int[]) AS u(k)",
                namespace,
                keys,
            )
        )
        return set(keys)
    cr.execute(
        SQL(
            "SELECT k FROM unnest(%s::int[]) AS u(k)"
            " WHERE pg_try_advisory_xact_lock(hashtext(%s), k)",
            keys,
            namespace,
        )
    )
    return {row[0] for row in cr.fetchall()}
