# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: agents and dealers in the portal (issue 18).

New columns: crm_lead.sm_registration_state, _need, _reason,
_progress_date, _lapsed; res_partner.sm_agent_team_id;
res_company.sm_registration_lapse_days (30) and sm_registration_team_id.
New data: the portal rules on commission lines and settlements, the lapse
cron and the agents' mail templates (loaded by the upgrade like any new
record of a data file).

The deals that already name an agent were registered by staff for that
agent: they carry no registration state, so they are neither reviewed nor
lapse, and their registrar share is paid as before. Nothing else to
convert; this states it in the database (a registration state the
released code never wrote is cleared) and the upgrade check
(scripts/upgrade/checks.py, _agent_portal) proves it."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE crm_lead
           SET sm_registration_state = NULL,
               sm_registration_lapsed = NULL
         WHERE sm_registration_state IS NOT NULL
            OR sm_registration_lapsed IS NOT NULL
        """
    )
