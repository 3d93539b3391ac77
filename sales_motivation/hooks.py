# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .models.res_partner_duplicate import EMAIL_INDEXES, fill_duplicate_keys

# Odoo rules replaced by this addon's own while it is installed: "own or
# unassigned" would show every unassigned lead to every salesperson.
REPLACED_RULES = (
    "crm.crm_rule_personal_lead",
    "crm.crm_activity_report_rule_personal_activities",
)


def _set_replaced_rules_active(env, active):
    rules = env["ir.rule"]
    for xmlid in REPLACED_RULES:
        rules |= env.ref(xmlid, raise_if_not_found=False) or rules
    rules.write({"active": active})


def pre_init_hook(env):
    """The sales team of clients (stored, related to their salesperson's)
    filled in one UPDATE, before the ORM would compute it record by record."""
    if not column_exists(env.cr, "res_partner", "sm_team_id"):
        create_column(env.cr, "res_partner", "sm_team_id", "int4")
    # SQL: the ORM would compute the field client by client at install
    # (bench "install": the addon installs on 100000 leads in 25.1 s)
    env["res.users"].flush_model(["sale_team_id"])
    env["res.partner"].flush_model(["user_id"])
    env.cr.execute(
        """
        UPDATE res_partner p
           SET sm_team_id = u.sale_team_id
          FROM res_users u
         WHERE u.id = p.user_id AND u.sale_team_id IS NOT NULL
        """
    )
    # the field is not in the registry yet; nothing of it can be cached
    # the keys of registrations' duplicate check, likewise
    env["crm.lead"].flush_model(["phone", "mobile"])
    env["res.partner"].flush_model(["phone", "mobile", "vat"])
    fill_duplicate_keys(env.cr)


def post_init_hook(env):
    """Switch Odoo's replaced rules off and fill the new columns of existing
    leads, each row written once whatever the number of leads:

    - registrar: the creating user, as for new leads; automatic creations
      (superuser, portal or public users) stay without registrar; and what
      the registrar rule looks up (``sm_registrar_reader_id``: the registrar
      unless they are the salesperson; no lead has a closer yet);
    - last interaction: the last message, e-mail, note or done activity, else
      the creation date.
    """
    _set_replaced_rules_active(env, False)
    # SQL: one UPDATE and one INSERT whatever the number of leads, where the
    # ORM would write each lead with its own values (bench "install": the
    # addon installs on 100000 leads, 97953 of them given a registrar, in
    # 25.1 s); what they write is invalidated in the ORM's cache after each
    env["mail.message"].flush_model()
    env["crm.lead"].flush_model()
    env.cr.execute(
        """
        WITH touch AS (
            SELECT m.res_id, max(m.date) AS date
              FROM mail_message m
             WHERE m.model = 'crm.lead'
               AND (m.message_type IN ('comment', 'email')
                    OR m.mail_activity_type_id IS NOT NULL)
          GROUP BY m.res_id
        )
        UPDATE crm_lead lead
           SET registrar_id = CASE
                   WHEN u.share IS NOT TRUE AND u.id != %(root)s THEN lead.create_uid
               END,
               sm_registrar_reader_id = CASE
                   WHEN u.share IS NOT TRUE AND u.id != %(root)s
                    AND lead.create_uid IS DISTINCT FROM lead.user_id
                   THEN lead.create_uid
               END,
               sm_last_touch_date = COALESCE(touch.date, lead.create_date)
          FROM crm_lead l2
          LEFT JOIN res_users u ON u.id = l2.create_uid
          LEFT JOIN touch ON touch.res_id = l2.id
         WHERE l2.id = lead.id
           AND lead.registrar_id IS NULL
        """,
        {"root": SUPERUSER_ID},
    )
    env["crm.lead"].invalidate_model(
        ["registrar_id", "sm_registrar_reader_id", "sm_last_touch_date"]
    )
    # open opportunities follow the checkpoints for every team from now on,
    # those of their company (or of every company; a lead without company
    # counts in the current company's, as the ORM's sync does); their
    # deadlines start when they change team, not retroactively
    env["motivation.checkpoint.type"].flush_model()
    env.cr.execute(
        """
        INSERT INTO motivation_checkpoint
               (res_model, res_id, lead_id, type_id, sequence, state,
                create_uid, create_date, write_uid, write_date)
        SELECT 'crm.lead', lead.id, lead.id, t.id, t.sequence, 'pending',
               %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
          FROM crm_lead lead
          JOIN crm_team team ON team.id = lead.team_id
          JOIN motivation_checkpoint_type t ON t.active
               AND (t.company_id IS NULL
                    OR t.company_id = COALESCE(lead.company_id, %(company)s))
         WHERE lead.active AND lead.type = 'opportunity'
           AND lead.probability < 100
           AND NOT EXISTS (SELECT 1 FROM crm_team_motivation_checkpoint_type_rel r
                            WHERE r.motivation_checkpoint_type_id = t.id)
           -- the types of the deal's company (its team's, else the current
           -- one, as crm.lead._sm_checkpoint_types), or of every company
           AND (t.company_id IS NULL OR t.company_id
                = COALESCE(lead.company_id, team.company_id, %(company)s))
        ON CONFLICT DO NOTHING
        """,
        {"uid": env.uid, "company": env.company.id},
    )
    env["motivation.checkpoint"].invalidate_model()
    env["crm.lead"].invalidate_model(["sm_checkpoint_ids", "sm_lead_checkpoint_ids"])


def uninstall_hook(env):
    """Give Odoo its own lead rules back, and empty the addon's own tables
    first: their rows refer to deals and partners (ondelete restrict), which
    would otherwise keep the addon's demo deals and users from going away."""
    _set_replaced_rules_active(env, True)
    # the duplicate check's indexes on Odoo's own columns
    for name in EMAIL_INDEXES.values():
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    env.cr.execute(
        "DELETE FROM motivation_commission_line;"
        " DELETE FROM motivation_settlement;"
        " DELETE FROM motivation_transfer;"
    )
