# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: agents' messages and files on their registrations, and the
statement's letterhead in its body (issues 18 and 17).

New data: the subtype *Messages with the Agent*
(data/agent_portal_message_data.xml),
loaded by the upgrade like any new record of a data file; the statement's
templates are views, updated by the upgrade. No follower may be subscribed
to the new subtype by the upgrade (it is no default subtype, so Odoo adds
it to nobody's subscriptions): the client following a deal never receives
an agent's message. This removes any such subscription the upgrade could
have made, and the upgrade check (scripts/upgrade/checks.py,
_agent_messages) proves the subtype is there as the code expects it."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        DELETE FROM mail_followers_mail_message_subtype_rel rel
         USING ir_model_data imd
         WHERE imd.module = 'sales_motivation'
           AND imd.name = 'mt_registration_agent_message'
           AND rel.mail_message_subtype_id = imd.res_id
        """
    )
