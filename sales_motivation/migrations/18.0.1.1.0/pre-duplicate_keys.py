# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: registration integrity (models/crm_lead_duplicate.py). The
phone key of deals and clients and the tax id key of clients are stored and
indexed: their columns are created and filled here in SQL, one UPDATE per
table, so that the upgrade does not compute them over every existing row
(the ORM then builds their indexes; res.partner's init the e-mail
indexes of deals and clients).
Existing deals are not flagged: only registrations from now on are
checked."""

from odoo.addons.sales_motivation.models.res_partner_duplicate import (
    fill_duplicate_keys,
)


def migrate(cr, version):
    if not version:
        return
    fill_duplicate_keys(cr)
