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


def _one_draft_per_period(env, before):
    """duplicate draft settlements merged, and no more can be made"""
    cr = env.cr
    problems = []
    cr.execute(
        """SELECT partner_id, date_from, date_to, count(*) FROM motivation_settlement
            WHERE state = 'draft'
         GROUP BY partner_id, company_id, currency_id, date_from, date_to
           HAVING count(*) > 1"""
    )
    if cr.fetchall():
        problems.append("two draft settlements share a beneficiary and period")
    cr.execute(
        "SELECT 1 FROM pg_constraint"
        " WHERE conname = 'motivation_settlement_one_draft_per_period'"
    )
    if not cr.fetchone():
        problems.append("the constraint one_draft_per_period is missing")
    cr.execute(
        """SELECT count(*) FROM motivation_settlement s
            WHERE s.state = 'cancelled' AND EXISTS (
                  SELECT 1 FROM motivation_commission_line l
                   WHERE l.settlement_id = s.id)"""
    )
    if cr.fetchone()[0]:
        problems.append("a cancelled duplicate still holds commission lines")
    cr.execute(
        """SELECT count(*) FROM motivation_settlement s
            WHERE s.amount_total IS DISTINCT FROM (
                  SELECT coalesce(sum(amount), 0) FROM motivation_commission_line l
                   WHERE l.settlement_id = s.id)"""
    )
    if cr.fetchone()[0]:
        problems.append("a settlement's total differs from its lines")
    settled = before["tables"]["motivation_commission_line"]["columns"]["settlement_id"]
    cr.execute("SELECT count(settlement_id) FROM motivation_commission_line")
    if cr.fetchone()[0] != settled["non_null"]:
        problems.append("commission lines left their settlement")
    return problems


def _regularity_checked(env, before):
    """repeat clients get sm_regularity_checked (empty: not checked yet)"""
    env.cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'res_partner' AND column_name = 'sm_regularity_checked'"
    )
    return [] if env.cr.fetchone() else ["res_partner.sm_regularity_checked is missing"]


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


def _transfer_log_truth(env, before):
    """transfers: claims come from the pool; every reason is a fact shown in
    the reader's language, or the text as written; none is lost"""
    import upgrade_lib

    cr = env.cr
    problems = []
    cr.execute(
        """SELECT count(*) FROM motivation_transfer
            WHERE kind = 'claim'
              AND (from_user_id IS NOT NULL OR NOT from_pool OR to_user_id IS NULL)"""
    )
    if cr.fetchone()[0]:
        problems.append("a claim is not logged from the pool to the claimer")
    cr.execute("SELECT count(*) FROM motivation_transfer WHERE reason_code IS NULL")
    if cr.fetchone()[0]:
        problems.append("a transfer has no reason kind")
    for kind, code in (("claim", "claimed"), ("assign", "distribution")):
        cr.execute(
            "SELECT count(*) FROM motivation_transfer"
            " WHERE kind = %s AND reason_code != %s",
            [kind, code],
        )
        if cr.fetchone()[0]:
            problems.append(f"a {kind} transfer's reason was not read as {code}")
    cr.execute(
        """SELECT count(*) FROM motivation_transfer t
             JOIN motivation_pool_rule r ON r.id = t.rule_id
            WHERE r.trigger != 'manual'
              AND (t.reason_code != 'rule' OR t.reason_trigger != r.trigger
                   OR t.reason_days IS DISTINCT FROM r.days)"""
    )
    if cr.fetchone()[0]:
        problems.append("a rule's transfer did not get the rule's trigger and days")
    # "Released by …" in any language the addon speaks is read as such
    from odoo.tools.translate import code_translations

    for code, _name in env["res.lang"].get_installed():
        source = "Released by %s"
        text = code_translations.get_python_translations("sales_motivation", code).get(
            source, source
        )
        cr.execute(
            "SELECT count(*) FROM motivation_transfer"
            " WHERE kind = 'release' AND reason_code = 'note' AND reason_note LIKE %s",
            [text.replace("%s", "%")],
        )
        if cr.fetchone()[0]:
            problems.append(f"a release's reason in {code} was not read as a fact")
    # the text as written is all there, value for value
    old = before["tables"]["motivation_transfer"]["columns"].get("reason")
    if (
        old
        and upgrade_lib._column_facts(cr, "motivation_transfer", "reason_note") != old
    ):
        problems.append("reason_note does not hold the texts logged before")
    # every entry reads in English and in Russian (when installed)
    Transfer = env["motivation.transfer"].with_context(active_test=False)
    entries = Transfer.search([])
    langs = ["en_US"] + [
        code for code, _name in env["res.lang"].get_installed() if code == "ru_RU"
    ]
    for lang in langs:
        empty = entries.with_context(lang=lang).filtered(lambda e: not e.reason)
        if empty:
            problems.append(f"{len(empty)} transfers read no reason in {lang}")
    return problems


def _interactions_of_their_company(env, before):
    """an interaction belongs to its deal's company, else its client's"""
    env.cr.execute(
        """SELECT count(*) FROM motivation_interaction i
             LEFT JOIN crm_lead l ON l.id = i.lead_id
             LEFT JOIN res_partner p ON p.id = i.partner_id
            WHERE COALESCE(l.company_id, p.company_id) IS NOT NULL
              AND i.company_id != COALESCE(l.company_id, p.company_id)"""
    )
    wrong = env.cr.fetchone()[0]
    return (
        [f"{wrong} interactions of another company than their deal's"] if wrong else []
    )


EXPECTED = {
    "18.0.1.1.0": {
        # pre-settlement_one_draft: duplicate drafts merged into the first
        ("motivation_settlement", "state"): "duplicate drafts cancelled",
        ("motivation_settlement", "count by state"): "duplicate drafts cancelled",
        ("motivation_settlement", "amount_total"): "merged drafts' totals",
        ("motivation_commission_line", "settlement_id"): "lines of a duplicate "
        "draft moved to the first one",
        # pre- and post-transfer_reasons: the text kept as written in
        # reason_note (checked value for value), claims from the pool
        ("motivation_transfer", "reason"): "renamed reason_note, the reason "
        "now a fact (reason_code) shown in the reader's language",
        ("motivation_transfer", "from_user_id"): "a claim comes from the pool, "
        "not from the claimer",
        ("motivation_interaction", "company_id"): "the deal's company, else the "
        "client's",
        ("motivation_commission_line", "date"): (
            "open commission lines re-dated by the company's local day of the "
            "win (post-migrate.py)"
        ),
    },
}

CHECKS = {
    "18.0.1.1.0": [
        _one_draft_per_period,
        _regularity_checked,
        _open_lines_dated_locally,
        _transfer_log_truth,
        _interactions_of_their_company,
    ],
}
