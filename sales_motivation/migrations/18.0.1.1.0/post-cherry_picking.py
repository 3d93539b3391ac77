# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: cherry-picking made visible.

Every first response already answered gets its time in working hours
(``motivation.response.response_hours``, what the Response Analysis takes
the median of), counted in its team's working time; the response report
and the interaction analysis are views, rebuilt by the update itself."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        "SELECT id FROM motivation_response"
        " WHERE responded_at IS NOT NULL AND response_hours IS NULL"
    )
    ids = [row[0] for row in cr.fetchall()]
    Response = env["motivation.response"].with_context(active_test=False)
    for start in range(0, len(ids), 2000):
        batch = Response.browse(ids[start : start + 2000])
        env.add_to_compute(Response._fields["response_hours"], batch)
        batch.flush_recordset(["response_hours"])
        env.invalidate_all()
