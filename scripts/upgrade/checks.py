"""What each version's migration changes on purpose, and its own checks.

The upgrade test (``scripts/upgrade_test.sh``) compares the addon's data
before and after ``-u sales_motivation``; a migration that changes stored
data on purpose declares it here, under the version it ships with:

- ``EXPECTED[version]``: ``{(table, column): why}`` — the facts of the
  snapshot it changes (``(table, "*")`` for a whole table);
- ``CHECKS[version]``: functions ``check(env, before) -> [problem, ...]``
  that prove the migration did its work (``before`` is the snapshot taken
  with the released code).

Every version from the last release (excluded) to the manifest's (included)
applies.
"""


def _open_lines_dated_locally(env, before):
    """open commission lines are dated by the company's local day of the win"""
    env.cr.execute(
        """
        SELECT count(*)
          FROM motivation_commission_line line
          JOIN crm_lead lead ON lead.id = line.lead_id
          JOIN res_company company ON company.id = line.company_id
          LEFT JOIN resource_calendar calendar
            ON calendar.id = company.resource_calendar_id
         WHERE lead.date_closed IS NOT NULL
           AND line.line_type = 'commission'
           AND line.state IN ('draft', 'approved')
           AND line.settlement_id IS NULL
           AND line.date != (lead.date_closed AT TIME ZONE 'UTC'
                  AT TIME ZONE coalesce(calendar.tz, 'UTC'))::date
        """
    )
    wrong = env.cr.fetchone()[0]
    return [f"{wrong} open commission lines keep their UTC date"] if wrong else []


EXPECTED = {
    "18.0.1.1.0": {
        ("motivation_commission_line", "date"): (
            "open commission lines re-dated by the company's local day of the "
            "win (post-migrate.py)"
        ),
    },
}

CHECKS = {
    "18.0.1.1.0": [_open_lines_dated_locally],
}
