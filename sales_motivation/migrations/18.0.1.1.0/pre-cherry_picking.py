# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: cherry-picking made visible.

The company setting *Lost Needs a Reason and a Touch*
(``res.company.sm_lost_needs_touch``) is off for every existing company: a
salesperson closes a deal lost as before until an administrator turns it on.
The column is created here with its default, in one statement."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE res_company
            ADD COLUMN IF NOT EXISTS sm_lost_needs_touch boolean DEFAULT false
        """
    )
    cr.execute("ALTER TABLE res_company ALTER COLUMN sm_lost_needs_touch DROP DEFAULT")
