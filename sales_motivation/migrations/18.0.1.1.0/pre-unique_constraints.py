# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Unique rules as constraints with a message users can read.

18.0.1.0.0 built them as unique indexes in init(); 18.0.1.1.0 declares them
as _sql_constraints (a UNIQUE constraint for the checkpoints, exclusion
constraints for the partial rules of commission lines and pool notices),
which Odoo creates under the same names: the indexes are dropped first, so
that the constraints can be added. The rows already satisfy them (the
indexes enforced the same rules)."""

from odoo.tools import SQL

INDEXES = (
    "motivation_checkpoint_one_per_type",
    "motivation_commission_line_unique_commission",
    "motivation_pool_notice_one_pending",
    "motivation_pool_notice_one_pending_client",
    # made by a version before 18.0.1.0.0, whose init() dropped it: gone
    # from any database that ran it, dropped here for one that did not
    "crm_lead_sm_pool_team_idx",
)


def migrate(cr, version):
    for name in INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
