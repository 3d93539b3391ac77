# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: a commission line is dated by the company's local day of the
win (res.company._sm_local_date: the working-time calendar's time zone), no
longer by its UTC day. Open commission lines (draft or approved, in no
settlement) are re-dated in one statement; settled lines, lines in a
settlement and adjustments keep their date, as a settled line never
changes."""

# the query reads only the migration's own tables and columns
OPEN_COMMISSION_LINES_LOCAL_DATE = """
    UPDATE motivation_commission_line line
       SET date = (lead.date_closed AT TIME ZONE 'UTC'
                   AT TIME ZONE coalesce(calendar.tz, 'UTC'))::date
      FROM crm_lead lead, res_company company
      LEFT JOIN resource_calendar calendar
        ON calendar.id = company.resource_calendar_id
     WHERE lead.id = line.lead_id
       AND company.id = line.company_id
       AND lead.date_closed IS NOT NULL
       AND line.line_type = 'commission'
       AND line.state IN ('draft', 'approved')
       AND line.settlement_id IS NULL
       AND line.date IS DISTINCT FROM (lead.date_closed AT TIME ZONE 'UTC'
                   AT TIME ZONE coalesce(calendar.tz, 'UTC'))::date
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(OPEN_COMMISSION_LINES_LOCAL_DATE)
