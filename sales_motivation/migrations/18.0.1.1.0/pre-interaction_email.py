# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: the journal holds e-mails and counts repeat contacts
(models/motivation_interaction_email.py). The interactions' author (who
logged them) and the rank of each incoming contact among its client's are
stored: their columns are created and filled here in SQL, two UPDATEs, so
that the upgrade does not compute the author row by row. E-mails exchanged
before the upgrade are not added to the journal."""

from odoo.addons.sales_motivation.models.motivation_interaction_email import (
    fill_contact_ranks,
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE motivation_interaction
            ADD COLUMN IF NOT EXISTS author_id int4,
            ADD COLUMN IF NOT EXISTS sm_contact_rank int4
        """
    )
    cr.execute(
        """
        UPDATE motivation_interaction i
           SET author_id = u.partner_id
          FROM res_users u
         WHERE u.id = i.user_id AND i.author_id IS NULL
        """
    )
    fill_contact_ranks(cr)
