# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
