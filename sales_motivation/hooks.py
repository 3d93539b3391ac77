# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Give leads that exist before installation their registrar.

    The creating user registered them, as for new leads; automatic creations
    (superuser, portal or public users) stay without registrar. One statement,
    whatever the number of leads.
    """
    env.cr.execute(
        """
        UPDATE crm_lead lead
           SET registrar_id = lead.create_uid
          FROM res_users u
         WHERE u.id = lead.create_uid
           AND lead.registrar_id IS NULL
           AND u.share IS NOT TRUE
           AND u.id != 1
        """
    )
    env["crm.lead"].invalidate_model(["registrar_id"])
