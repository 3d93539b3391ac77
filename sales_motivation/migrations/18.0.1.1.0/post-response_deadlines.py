# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: a team's response deadlines are counted in its working time
(crm.team.sm_resource_calendar_id). Odoo fills the new column of existing
teams with the default, the current company's calendar; each team gets its
own company's instead (teams without company keep the default)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE crm_team team
           SET sm_resource_calendar_id = company.resource_calendar_id
          FROM res_company company
         WHERE company.id = team.company_id
           AND company.resource_calendar_id IS NOT NULL
           AND team.sm_resource_calendar_id IS DISTINCT FROM
               company.resource_calendar_id
        """
    )
