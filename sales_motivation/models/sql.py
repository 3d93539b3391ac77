# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2.extras import execute_values

from odoo.tools.sql import SQL


def create_partial_unique_index(cr, name, table, columns, where):
    """A UNIQUE index over ``columns`` of the rows matching ``where`` (Odoo's
    create_unique_index has no WHERE clause)."""
    cr.execute(
        SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (%s) WHERE %s",
            SQL.identifier(name),
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(where),
        )
    )


def update_rows(cr, table, columns, rows, page_size=5000):
    """UPDATE ``table`` with values that differ per row, one statement per
    page of rows where the ORM would issue one per record: ``columns`` are
    (name, SQL type) pairs, the first one the key; ``rows`` tuples in that
    order. The caller invalidates the ORM cache of what it wrote."""
    key = columns[0][0]
    template = "(" + ", ".join(f"%s::{sqltype}" for _name, sqltype in columns) + ")"
    assignments = ", ".join(f'"{name}" = v."{name}"' for name, _type in columns[1:])
    names = ", ".join(f'"{name}"' for name, _type in columns)
    query = (
        f'UPDATE "{table}" AS t SET {assignments} '  # noqa: S608
        f'FROM (VALUES %s) AS v({names}) WHERE t."{key}" = v."{key}"'
    )
    # column names are the caller's constants, values go as parameters
    execute_values(cr, query, rows, template=template, page_size=page_size)
