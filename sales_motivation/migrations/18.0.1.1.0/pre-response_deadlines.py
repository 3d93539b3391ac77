# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: response deadlines (crm.team.sm_response_hours, the
motivation.response history, three stored fields on crm.lead).

No deal of an existing database is due a response: every team's response
deadline is 0 (off) until a team leader sets one, and only assignments made
from then on are due one. The deal columns are created here, empty, so that
the upgrade does not compute them over every existing lead (they would all
be empty anyway)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE crm_lead
            ADD COLUMN IF NOT EXISTS sm_response_deadline timestamp,
            ADD COLUMN IF NOT EXISTS sm_first_response_date timestamp,
            ADD COLUMN IF NOT EXISTS sm_response_state varchar
        """
    )
