# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: My Plan, the leaderboard, reactivated clients.

1. Won deals get ``sm_client_reactivated`` (new column): true when their
   client was dormant when the deal was created (its last purchase, a
   confirmed order or a won deal, at least the company's *Repeat Client
   Dormant* days before), in one UPDATE through the query the win uses
   (crm.lead._sm_client_reactivated_sql); other deals keep it empty, read
   as false (no rewrite of the whole table).
2. Companies get ``sm_leaderboard_visibility`` (the ORM fills the new
   column with its default, *everyone*; stated again here for rows an
   earlier failed attempt may have left empty: idempotent).
3. The leaderboard and the attainment analysis are SQL views, their
   record rules new noupdate records: the ORM creates them."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        SQL(
            "UPDATE crm_lead l SET sm_client_reactivated = TRUE"
            " FROM (%s) AS r(id) WHERE l.id = r.id",
            env["crm.lead"]._sm_client_reactivated_sql(),
        )
    )
    cr.execute(
        "UPDATE res_company SET sm_leaderboard_visibility = 'everyone'"
        " WHERE sm_leaderboard_visibility IS NULL"
    )
