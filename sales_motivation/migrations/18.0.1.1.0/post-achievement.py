# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: sales plans read the achievement ledger (new model).

1. Won deals get their client segment (crm.lead.sm_client_segment: new or
   existing, by the client's confirmed orders and won deals dated before
   the deal's creation), in one UPDATE through the same query the win uses.
2. The ledger is built from the existing documents, as the administrators'
   *Rebuild* would: each row dated by its event (the win's, the call's, the
   order's company-local day), so that plans of past periods show what
   happened in them. Deals won and then lost before the upgrade leave no
   row (there is nothing left to reverse)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        SQL(
            "UPDATE crm_lead l SET sm_client_segment = s.segment"
            " FROM (%s) AS s(id, segment) WHERE l.id = s.id",
            env["crm.lead"]._sm_client_segment_sql(),
        )
    )
    Achievement = env["motivation.achievement"]
    Achievement._sm_insert(Achievement._sm_rebuild_differences())
