# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The addon's raw SQL helpers, and why each is SQL: row and advisory locks
(lock_rows, lock_query, try_advisory_locks: the ORM has no way to lock rows,
skip locked ones or take an advisory lock), per-row values in one statement
(update_rows: the ORM writes each record whose values differ in its own
UPDATE). Unique rules are _sql_constraints instead (UNIQUE, or EXCLUDE
with = for one restricted by a WHERE clause), each with its message."""

from psycopg2.extras import execute_values

from odoo.tools.sql import SQL


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
