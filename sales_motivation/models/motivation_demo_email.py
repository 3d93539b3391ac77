# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, models


class MotivationDemo(models.AbstractModel):
    """The demo's e-mails with clients, sent from the chatter and received
    through the mail gateway: they land in the interaction journal as Odoo
    posts them (motivation_interaction_email.py)."""

    _inherit = "motivation.demo"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _emails(self, model, res_id, items):
        """Post ``items`` [(salesperson id or False for the client's reply,
        days ago, hour, subject, text)] on the document, in order, each one
        to or from the document's client. Runs again without adding
        anything."""
        record = self.env[model].browse(res_id)
        if record.sm_interaction_ids.filtered(lambda i: i.kind == "email"):
            return
        client = record.partner_id if model == "crm.lead" else record
        today = self._today()
        for user_id, days, hour, subject, text in items:
            values = {
                "body": Markup("<p>%s</p>") % text,
                "subject": subject,
                "subtype_xmlid": "mail.mt_comment",
                "date": self._moment(today - timedelta(days=days), hour),
            }
            if user_id:
                record.with_user(user_id).message_post(
                    message_type="comment", partner_ids=client.ids, **values
                )
            else:
                record.message_post(
                    message_type="email",
                    author_id=client.id,
                    email_from=client.email_formatted,
                    **values,
                )
