# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmLead(models.Model):
    """E-mails with the client on the deal, from the chatter and the mail
    gateway, are rows of its interaction journal
    (motivation_interaction_email.py); an outgoing one answers the deal's
    first response as a logged call does."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        self.env["motivation.interaction"]._sm_journal_message(self, message, msg_vals)
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_email_client(self):
        """(the client, its normalised e-mails): the deal's client and the
        deal's own address."""
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        emails = {self.email_normalized, self.partner_id.email_normalized} - {False}
        return client, emails
