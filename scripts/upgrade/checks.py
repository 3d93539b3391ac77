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


def _unique_constraints(env, before):
    """unique rules are constraints with a message (pre-unique_constraints)"""
    names = (
        "motivation_checkpoint_one_per_type",
        "motivation_commission_line_unique_commission",
        "motivation_pool_notice_one_pending",
        "motivation_pool_notice_one_pending_client",
    )
    env.cr.execute(
        "SELECT conname FROM pg_constraint WHERE conname = ANY(%s)", [list(names)]
    )
    found = {row[0] for row in env.cr.fetchall()}
    return [f"the constraint {name} is missing" for name in names if name not in found]


def _response_deadlines(env, before):
    """response deadlines off on existing data, their cron in force"""
    cr = env.cr
    problems = []
    cron = env.ref("sales_motivation.ir_cron_escalate_responses", False)
    if not cron or not cron.active:
        problems.append("the response escalation cron is missing or inactive")
    elif (cron.interval_number, cron.interval_type) != (5, "minutes"):
        problems.append(
            f"the response escalation cron runs every {cron.interval_number} "
            f"{cron.interval_type}, not 5 minutes"
        )
    cr.execute(
        "SELECT count(*) FROM crm_lead WHERE sm_response_state IS NOT NULL"
        " OR sm_response_deadline IS NOT NULL"
    )
    if cr.fetchone()[0]:
        problems.append("existing deals got a response deadline")
    cr.execute("SELECT count(*) FROM crm_team WHERE sm_response_hours != 0")
    if cr.fetchone()[0]:
        problems.append("existing teams got a response deadline")
    cr.execute(
        """SELECT count(*) FROM crm_team team
             JOIN res_company company ON company.id = team.company_id
            WHERE team.sm_resource_calendar_id IS DISTINCT FROM
                  company.resource_calendar_id"""
    )
    if cr.fetchone()[0]:
        problems.append("a team's working time is not its company's")
    cr.execute(
        "SELECT 1 FROM pg_indexes WHERE tablename = 'motivation_response'"
        " AND indexdef LIKE '%next_check%' AND indexdef LIKE '%WHERE%'"
    )
    if not cr.fetchone():
        problems.append(
            "the partial index on motivation_response.next_check is missing"
        )
    return problems


def _achievement_ledger_built(env, before):
    """won deals have a client segment; the ledger counts them, as a rebuild"""
    cr = env.cr
    problems = []
    cr.execute(
        """SELECT count(*) FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
            WHERE s.is_won AND l.sm_client_segment IS NULL"""
    )
    missing = cr.fetchone()[0]
    if missing:
        problems.append(f"{missing} won deals have no client segment")
    cr.execute(
        """SELECT count(*) FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
            WHERE s.is_won AND l.active
              AND l.sm_closer_id IS NOT NULL"""
    )
    won = cr.fetchone()[0]
    cr.execute(
        "SELECT coalesce(sum(value), 0) FROM motivation_achievement"
        " WHERE metric = 'deals_won'"
    )
    counted = cr.fetchone()[0]
    if not won:
        problems.append("the populated data holds no won deal to check")
    elif counted != won:
        problems.append(f"the ledger counts {counted} won deals, not {won}")
    rows = env["motivation.achievement"]._sm_rebuild_differences()
    if rows:
        problems.append(f"a rebuild would still write {len(rows)} rows")
    return problems


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


def _attainment_levels(env, before):
    """commission plans pay no attainment bonus until told; bonus lines may
    lack a deal, registrar and closer lines may not (post-attainment_levels)"""
    cr = env.cr
    problems = []
    cr.execute(
        """SELECT count(*) FROM motivation_commission_plan
            WHERE bonus_mode IS DISTINCT FROM 'none'
               OR level_mode IS DISTINCT FROM 'tiered'
               OR coalesce(attainment_cap, -1) != 0
               OR coalesce(gate_requests_on_time, -1) != 0
               OR coalesce(gate_min_quality, -1) != 0"""
    )
    changed = cr.fetchone()[0]
    if changed:
        problems.append(f"{changed} commission plans do not default to no bonus")
    cr.execute(
        """SELECT is_nullable FROM information_schema.columns
            WHERE table_name = 'motivation_commission_line'
              AND column_name = 'lead_id'"""
    )
    if cr.fetchone() != ("YES",):
        problems.append("motivation_commission_line.lead_id is still NOT NULL")
    names = (
        "motivation_commission_line_lead_for_deal_roles",
        "motivation_commission_line_unique_bonus",
        "motivation_commission_level_one_per_attainment",
    )
    cr.execute(
        "SELECT conname FROM pg_constraint WHERE conname = ANY(%s)", [list(names)]
    )
    found = {row[0] for row in cr.fetchall()}
    problems += [
        f"the constraint {name} is missing" for name in names if name not in found
    ]
    cr.execute(
        "SELECT count(*) FROM motivation_commission_line"
        " WHERE role = 'bonus' OR lead_id IS NULL"
    )
    bonus = cr.fetchone()[0]
    if bonus:
        problems.append(
            f"{bonus} commission lines became bonus lines or lost their deal"
        )
    return problems


def _duplicate_keys(env, before):
    """deals and clients carry their phone and tax id keys, computed in SQL
    as the ORM computes them, the keys of the duplicate check indexed"""
    from odoo.addons.sales_motivation.models.res_partner_duplicate import (
        phone_key,
        vat_key,
    )

    cr = env.cr
    problems = []
    for table in ("crm_lead", "res_partner"):
        cr.execute(
            f"SELECT id, phone, mobile, sm_phone_key FROM {table}"  # noqa: S608
            " WHERE phone IS NOT NULL OR mobile IS NOT NULL OR sm_phone_key IS NOT NULL"
        )
        wrong = [
            row[0]
            for row in cr.fetchall()
            if (phone_key(row[1]) or phone_key(row[2]) or None) != row[3]
        ]
        if wrong:
            problems.append(f"{len(wrong)} rows of {table} with a wrong phone key")
    cr.execute(
        "SELECT id, vat, sm_vat_key FROM res_partner"
        " WHERE vat IS NOT NULL OR sm_vat_key IS NOT NULL"
    )
    wrong = [row[0] for row in cr.fetchall() if (vat_key(row[1]) or None) != row[2]]
    if wrong:
        problems.append(f"{len(wrong)} clients with a wrong tax id key")
    cr.execute("SELECT count(*) FROM crm_lead WHERE sm_duplicate_state IS NOT NULL")
    if cr.fetchone()[0]:
        problems.append("existing deals were flagged duplicates")
    for name in (
        "crm_lead_sm_email_normalized_idx",
        "res_partner_sm_email_normalized_idx",
    ):
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
        if not cr.fetchone():
            problems.append(f"the index {name} is missing")
    for table, column in (
        ("crm_lead", "sm_phone_key"),
        ("res_partner", "sm_phone_key"),
        ("res_partner", "sm_vat_key"),
        ("res_partner", "commercial_partner_id"),
    ):
        cr.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexdef ~ %s",
            [table, rf"\m{column}\M"],
        )
        if not cr.fetchone():
            problems.append(f"{table}.{column} is not indexed")
    return problems


def _cherry_picking(env, before):
    """the lost check off on existing companies, answered responses timed,
    the response report and the interaction analysis readable"""
    cr = env.cr
    problems = []
    cr.execute("SELECT count(*) FROM res_company WHERE sm_lost_needs_touch")
    if cr.fetchone()[0]:
        problems.append("an existing company requires a touch to close a deal lost")
    cr.execute(
        "SELECT count(*) FROM motivation_response"
        " WHERE responded_at IS NOT NULL AND response_hours IS NULL"
    )
    if cr.fetchone()[0]:
        problems.append("answered first responses without their working hours")
    for view in ("motivation_response_report", "motivation_interaction_report"):
        cr.execute(f"SELECT count(*) FROM {view}")  # noqa: S608 - a fixed name
        cr.fetchone()
    for xmlid in (
        "sales_motivation.motivation_response_report_rule_salesman",
        "sales_motivation.motivation_response_report_rule_team_leader",
        "sales_motivation.motivation_response_report_rule_all",
        "sales_motivation.motivation_response_report_rule_company",
    ):
        if not env.ref(xmlid, raise_if_not_found=False):
            problems.append(f"the record rule {xmlid} is missing")
    return problems


def _agent_portal(env, before):
    """agents' registrations (issue 18): the new columns, rules, cron and
    templates are there; deals staff registered for an agent are no
    registrations (paid as before)"""
    cr = env.cr
    problems = []
    for table, column in (
        ("crm_lead", "sm_registration_state"),
        ("crm_lead", "sm_registration_lapsed"),
        ("crm_lead", "sm_registration_progress_date"),
        ("res_partner", "sm_agent_team_id"),
        ("res_company", "sm_registration_lapse_days"),
    ):
        cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = %s AND column_name = %s",
            (table, column),
        )
        if not cr.fetchone():
            problems.append(f"{table}.{column} is missing")
    if problems:
        return problems
    cr.execute(
        "SELECT count(*) FROM crm_lead"
        " WHERE sm_registration_state IS NOT NULL OR sm_registration_lapsed"
    )
    if cr.fetchone()[0]:
        problems.append("deals registered before the upgrade became registrations")
    for xmlid in (
        "sales_motivation.motivation_commission_line_rule_portal",
        "sales_motivation.motivation_settlement_rule_portal",
        "sales_motivation.ir_cron_lapse_registrations",
        "sales_motivation.mail_template_registration_accepted",
        "sales_motivation.mail_template_registration_rejected",
        "sales_motivation.mail_template_registration_won",
        "sales_motivation.mail_template_registration_lapsed",
    ):
        if not env.ref(xmlid, raise_if_not_found=False):
            problems.append(f"{xmlid} is missing")
    portal = env.ref("base.group_portal")
    rule = env.ref(
        "sales_motivation.motivation_settlement_rule_portal", raise_if_not_found=False
    )
    if rule and rule.groups != portal:
        problems.append("the settlements' portal rule is not the portal group's")
    cr.execute(
        "SELECT count(*) FROM res_company WHERE sm_registration_lapse_days IS NULL"
    )
    if cr.fetchone()[0]:
        problems.append("a company has no registration lapse delay")
    return problems


def _agent_messages(env, before):
    """agents' messages (issue 18): the subtype no follower receives by
    default is there, non-internal, on deals, followed by nobody; the
    statement's report model checks who prints it"""
    problems = []
    subtype = env.ref(
        "sales_motivation.mt_registration_agent_message", raise_if_not_found=False
    )
    if not subtype:
        return ["sales_motivation.mt_registration_agent_message is missing"]
    if subtype.internal or subtype.default or subtype.res_model != "crm.lead":
        problems.append(
            "the agents' message subtype is internal, a default or not on deals"
        )
    env.cr.execute(
        "SELECT count(*) FROM mail_followers_mail_message_subtype_rel"
        " WHERE mail_message_subtype_id = %s",
        (subtype.id,),
    )
    if env.cr.fetchone()[0]:
        problems.append("followers receive the agents' messages by default")
    if "report.sales_motivation.report_settlement_statement" not in env:
        problems.append("the statement's report model is missing")
    return problems


def _target_leader_rule(env, before):
    """team leaders read the targets of their teams' members only, not every
    target of a plan naming one of their teams (post-target_leader_rule)"""
    rule = env.ref(
        "sales_motivation.motivation_sales_target_rule_team_leader",
        raise_if_not_found=False,
    )
    if not rule:
        return ["the team leaders' target rule is missing"]
    problems = []
    if "plan_id.team_ids" in rule.domain_force:
        problems.append(
            "the team leaders' target rule still reads every target of their "
            f"teams' plans: {rule.domain_force}"
        )
    if "crm_team_member_ids" not in rule.domain_force:
        problems.append(
            f"the team leaders' target rule is not on memberships: {rule.domain_force}"
        )
    return problems


def _achievement_totals_index(env, before):
    """the plan figures' index on the ledger: (user_id, date) including what
    _totals reads"""
    env.cr.execute(
        "SELECT indexdef FROM pg_indexes"
        " WHERE indexname = 'motivation_achievement_totals_idx'"
    )
    row = env.cr.fetchone()
    if not row:
        return ["the index motivation_achievement_totals_idx is missing"]
    wanted = (
        "(user_id, date) INCLUDE (metric, company_id, partner_id, value, item_count)"
    )
    if wanted not in row[0]:
        return [f"motivation_achievement_totals_idx is {row[0]}, not on {wanted}"]
    return []


def _my_plan(env, before):
    """won deals of dormant clients are marked reactivated, and no other
    deal; companies show the leaderboard to everyone; the leaderboard and
    the attainment analysis read (post-my_plan)"""
    cr = env.cr
    problems = []
    cr.execute(env["crm.lead"]._sm_client_reactivated_sql())
    expected = {row[0] for row in cr.fetchall()}
    cr.execute("SELECT id FROM crm_lead WHERE sm_client_reactivated")
    marked = {row[0] for row in cr.fetchall()}
    if expected - marked:
        problems.append(
            f"{len(expected - marked)} won deals of dormant clients unmarked"
        )
    if marked - expected:
        problems.append(f"{len(marked - expected)} deals marked reactivated wrongly")
    cr.execute(
        "SELECT l.name FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id"
        " WHERE l.sm_client_reactivated AND p.name = 'Upgrade dormant client'"
    )
    if not cr.fetchone():
        problems.append("the populated dormant client's comeback is not marked")
    cr.execute(
        "SELECT count(*) FROM res_company"
        " WHERE sm_leaderboard_visibility IS DISTINCT FROM 'everyone'"
    )
    if cr.fetchone()[0]:
        problems.append("a company does not show the leaderboard to everyone")
    for view in ("motivation_leaderboard", "motivation_attainment_report"):
        cr.execute(f"SELECT count(*) FROM {view}")  # noqa: S608 - a fixed name
        cr.fetchone()
        for group in ("salesman", "team_leader", "all", "company"):
            xmlid = f"sales_motivation.{view}_rule_{group}"
            if not env.ref(xmlid, raise_if_not_found=False):
                problems.append(f"the record rule {xmlid} is missing")
    return problems


def _interaction_email(env, before):
    """the journal's interactions have their author (who logged them) and
    the incoming ones their rank among the client's incoming contacts, as
    the ORM keeps them (pre-interaction_email); the e-mail result exists"""
    from odoo.addons.sales_motivation.models.motivation_interaction_email import (
        fill_contact_ranks,
    )

    cr = env.cr
    problems = []
    cr.execute(
        """SELECT count(*) FROM motivation_interaction i
             JOIN res_users u ON u.id = i.user_id
            WHERE i.author_id IS DISTINCT FROM u.partner_id"""
    )
    wrong = cr.fetchone()[0]
    if wrong:
        problems.append(f"{wrong} interactions without their salesperson as author")
    cr.execute(
        "SELECT count(*) FROM motivation_interaction"
        " WHERE direction = 'incoming' AND sm_contact_rank IS NULL"
    )
    unranked = cr.fetchone()[0]
    if unranked:
        problems.append(f"{unranked} incoming interactions without their rank")
    cr.execute("SELECT count(*) FROM motivation_interaction WHERE sm_contact_rank > 1")
    if before["tables"]["motivation_interaction"]["count"] > 4 and not cr.fetchone()[0]:
        problems.append("no repeat contact ranked (populate.py calls twice)")
    # the ranks as the ORM's maintenance computes them: recomputing changes
    # nothing (rolled back)
    cr.execute("SAVEPOINT sm_check_ranks")
    fill_contact_ranks(cr)
    changed = cr.rowcount
    cr.execute("ROLLBACK TO SAVEPOINT sm_check_ranks")
    if changed:
        problems.append(f"{changed} interactions ranked wrongly")
    if not env.ref(
        "sales_motivation.interaction_result_email", raise_if_not_found=False
    ):
        problems.append("the e-mail result of the journal is missing")
    cr.execute(
        "SELECT 1 FROM pg_constraint"
        " WHERE conname = 'motivation_interaction_email_message_unique'"
    )
    if not cr.fetchone():
        problems.append("an e-mail may be journaled twice (no constraint)")
    return problems


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
        # data/motivation_interaction_email_data.xml: one new row, the
        # (archived) result of the e-mails the journal records
        ("motivation_interaction_result", "*"): "the e-mail result added",
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
        _unique_constraints,
        _response_deadlines,
        _achievement_ledger_built,
        _transfer_log_truth,
        _interactions_of_their_company,
        _attainment_levels,
        _duplicate_keys,
        _cherry_picking,
        _agent_portal,
        _agent_messages,
        _target_leader_rule,
        _achievement_totals_index,
        _my_plan,
        _interaction_email,
    ],
}
