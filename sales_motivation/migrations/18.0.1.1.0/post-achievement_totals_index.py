# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: the index the plan figures read (motivation.achievement
_totals: a salesperson's period in an index-only scan; bench plan_figures).
The model's init creates it too; built here explicitly on upgraded
databases."""

from odoo.addons.sales_motivation.models.motivation_achievement import (
    TOTALS_INDEX_SQL,
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(TOTALS_INDEX_SQL)
