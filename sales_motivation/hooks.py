# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID

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


def post_init_hook(env):
    """Switch Odoo's replaced rules off and give existing leads a registrar.

    Leads that exist before installation were registered by their creator, as
    new ones are; automatic creations (superuser, portal or public users) stay
    without registrar. One statement, whatever the number of leads.
    """
    _set_replaced_rules_active(env, False)
    env.cr.execute(
        """
        UPDATE crm_lead lead
           SET registrar_id = lead.create_uid
          FROM res_users u
         WHERE u.id = lead.create_uid
           AND lead.registrar_id IS NULL
           AND u.share IS NOT TRUE
           AND u.id != %s
        """,
        (SUPERUSER_ID,),
    )
    env["crm.lead"].invalidate_model(["registrar_id"])


def uninstall_hook(env):
    """Give Odoo its own lead rules back, and empty the addon's own tables
    first: their rows refer to deals and partners (ondelete restrict), which
    would otherwise keep the addon's demo deals and users from going away."""
    _set_replaced_rules_active(env, True)
    env.cr.execute(
        "DELETE FROM motivation_commission_line;"
        " DELETE FROM motivation_settlement;"
        " DELETE FROM motivation_transfer;"
    )
