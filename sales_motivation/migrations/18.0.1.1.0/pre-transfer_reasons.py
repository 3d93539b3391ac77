# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: a transfer's reason is kept as facts (reason_code, the rule's
trigger and days then) and shown in the reader's language (the computed
``reason``). The text 18.0.1.0.0 stored, in the language of whoever moved
the deal, is kept as written in ``reason_note``: the column is renamed
before the new code reads the table (post-transfer_reasons.py then reads
the facts out of it)."""


def migrate(cr, version):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'motivation_transfer'
              AND column_name IN ('reason', 'reason_note')"""
    )
    columns = {row[0] for row in cr.fetchall()}
    if "reason" in columns and "reason_note" not in columns:
        cr.execute(
            "ALTER TABLE motivation_transfer RENAME COLUMN reason TO reason_note"
        )
        cr.execute(
            "ALTER TABLE motivation_transfer ALTER COLUMN reason_note DROP NOT NULL"
        )
