# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: the transfer log tells the truth, in the reader's language.

- A claim was logged from the claimer to the claimer ("Ivan -> Ivan"): it
  comes from the shared pool (``from_pool``, nobody as ``from_user_id``).
- Each reason 18.0.1.0.0 wrote as text (pre-transfer_reasons.py kept it in
  ``reason_note``), in any language the addon translates it to, is matched
  against the texts that version wrote: "Released by %s", "Claimed by %s",
  a rule's reason (its trigger and days read from it), a manual rule's name,
  "Fair distribution of new leads", "Follows its client". A match becomes
  its ``reason_code`` (and trigger and days), shown in the reader's
  language; any other text (a reason a user typed) is ``note``, shown as
  written.
- An interaction belongs to its deal's company (else its client's), not to
  the company its salesperson was working in.
"""

import logging
import re

from odoo import SUPERUSER_ID, api
from odoo.tools.translate import code_translations

_logger = logging.getLogger(__name__)

MODULE = "sales_motivation"

# (reason_code, trigger, the text 18.0.1.0.0 wrote, in English)
TEMPLATES = [
    ("released", None, "Released by %s"),
    ("claimed", None, "Claimed by %s"),
    ("distribution", None, "Fair distribution of new leads"),
    ("follows_client", None, "Follows its client"),
    ("rule", "client_late", "%(rule)s: late on purchases for %(days)s days"),
    ("rule", "checkpoint_overdue", "%(rule)s: a checkpoint overdue for %(days)s days"),
    ("rule", "stage_stuck", "%(rule)s: stage unchanged for %(days)s days"),
    ("rule", "no_interaction", "%(rule)s: no interaction for %(days)s days"),
]


def _pattern(text):
    """A regular expression matching ``text`` with its placeholders filled."""
    parts = re.split(r"(%\(\w+\)s|%s)", text)
    regex = ""
    for part in parts:
        if part == "%(days)s":
            regex += r"(?P<days>\d+)"
        elif part == "%(rule)s":
            regex += "(?P<rule>.*)"
        elif part == "%s":
            regex += "(?P<name>.*)"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}$", re.DOTALL)


def _patterns(env):
    langs = [code for code, _name in env["res.lang"].get_installed()]
    patterns = []
    for code, trigger, source in TEMPLATES:
        texts = {source}
        for lang in langs:
            translated = code_translations.get_python_translations(MODULE, lang)
            if translated.get(source):
                texts.add(translated[source])
        patterns += [(code, trigger, _pattern(text)) for text in texts]
    return patterns


def _classify(patterns, row, manual_names):
    """(reason_code, trigger, days) of one old entry."""
    _id, kind, note, rule_id, rule_trigger = row
    if rule_id and rule_id in manual_names and note in manual_names[rule_id]:
        return "rule", "manual", 0
    for code, trigger, pattern in patterns:
        match = pattern.match(note or "")
        if not match:
            continue
        if code == "rule" and not rule_id:
            continue
        if code == "claimed" and kind != "claim":
            continue
        if code == "released" and kind != "release":
            continue
        days = int(match.group("days")) if "days" in pattern.groupindex else 0
        return code, trigger, days
    return "note", None, 0


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    # a claim comes from the pool, never from the claimer
    cr.execute(
        """UPDATE motivation_transfer
              SET from_pool = TRUE,
                  from_user_id = NULL
            WHERE kind = 'claim' AND (from_user_id IS NOT NULL OR NOT from_pool
                                      OR from_pool IS NULL)"""
    )
    cr.execute(
        "UPDATE motivation_transfer SET from_pool = FALSE" " WHERE from_pool IS NULL"
    )
    # the names of the manual rules, in every language (the release wizard
    # logged the chosen rule's name)
    cr.execute("SELECT id, name FROM motivation_pool_rule WHERE trigger = 'manual'")
    manual_names = {
        rule_id: set((names or {}).values()) for rule_id, names in cr.fetchall()
    }
    cr.execute(
        """SELECT t.id, t.kind, t.reason_note, t.rule_id, r.trigger
             FROM motivation_transfer t
             LEFT JOIN motivation_pool_rule r ON r.id = t.rule_id
            WHERE t.reason_code IS NULL
         ORDER BY t.id"""
    )
    rows = cr.fetchall()
    patterns = _patterns(env)
    facts = {}
    for row in rows:
        facts.setdefault(_classify(patterns, row, manual_names), []).append(row[0])
    for (code, trigger, days), ids in facts.items():
        cr.execute(
            """UPDATE motivation_transfer
                  SET reason_code = %s, reason_trigger = %s, reason_days = %s
                WHERE id = ANY(%s)""",
            [code, trigger, days, ids],
        )
    if rows:
        _logger.info(
            "Transfer log: %s reasons read as facts, %s kept as written",
            sum(len(ids) for key, ids in facts.items() if key[0] != "note"),
            sum(len(ids) for key, ids in facts.items() if key[0] == "note"),
        )
    # an interaction belongs to its deal's company, else its client's
    cr.execute(
        """UPDATE motivation_interaction i
              SET company_id = COALESCE(l.company_id, p.company_id)
             FROM motivation_interaction i2
             LEFT JOIN crm_lead l ON l.id = i2.lead_id
             LEFT JOIN res_partner p ON p.id = i2.partner_id
            WHERE i2.id = i.id
              AND COALESCE(l.company_id, p.company_id) IS NOT NULL
              AND i.company_id != COALESCE(l.company_id, p.company_id)"""
    )
    env.invalidate_all()
