# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResPartner(models.Model):
    """E-mails with the client on the client itself, from the chatter and
    the mail gateway, are rows of its interaction journal
    (motivation_interaction_email.py)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
        """(the client, its normalised e-mails): the contact's company and
        the contact's own address; nothing for the company's own partners
        and its users'."""
        self.ensure_one()
        client = self.commercial_partner_id
        if not client.partner_share:
            return client.browse(), set()
        return client, {self.email_normalized, client.email_normalized} - {False}
