# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import api, models


class CrmLead(models.Model):
    """Messages and files between an agent and the staff on a registration.

    The agent reads, on the registration's portal page, only the messages
    meant for them: those written by the agent (or by the dealer's portal
    users) and those the staff addressed to them (the agent or one of its
    contacts among the recipients), never internal notes nor the
    salesperson's messages to the client; and only the files attached to
    those messages, through access tokens (as Odoo's portal shows an
    order's). The agent's messages are posted with the subtype *Agent's
    Message*, which no follower receives by default: the client following
    the deal never gets them; its salesperson (else the team leader) is
    notified. The staff write to the agent with *Write to the Agent*
    (the same subtype, the agent as recipient)."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    def action_sm_message_agent(self):
        """Write to the agent: Odoo's composer, addressed to the agent (and
        the portal user who registered), with the subtype no follower
        receives by default: the client following the deal does not get
        it; the agent reads it on their registration's page."""
        self.ensure_one()
        recipients = self.sm_agent_id
        if self.create_uid.share:
            recipients |= self.create_uid.partner_id
        subtype = self.env.ref("sales_motivation.mt_registration_agent_message")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Write to the Agent"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "crm.lead",
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_message_type": "comment",
                "default_subtype_id": subtype.id,
                "default_partner_ids": recipients.ids,
            },
        }

    @api.model
    def _sm_portal_message_domain(self, agent):
        """The messages of a registration meant for ``agent``: written by
        the agent or its contacts, or addressed to them, not internal."""
        return [
            ("model", "=", "crm.lead"),
            ("message_type", "in", ("comment", "email")),
            "|",
            ("author_id", "child_of", agent.id),
            "&",
            "&",
            ("partner_ids", "child_of", agent.id),
            ("is_internal", "=", False),
            ("subtype_id.internal", "=", False),
        ]

    def _sm_portal_messages(self, agent):
        """The messages of this registration meant for ``agent``, oldest
        first (the caller found the registration through the portal
        domain)."""
        self.ensure_one()
        # sudo: mail.message - an agent may read no deal's messages; the
        # domain keeps the ones meant for them
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [("res_id", "=", self.id), *self._sm_portal_message_domain(agent)],
                order="date asc, id asc",
            )
        )

    def _sm_portal_message_values(self, agent):
        """What the agent reads of the messages: author's name, date, body
        and the files, each with its access token."""
        # sudo: res.partner - the agent and its contacts (a dealer's users)
        agent_partners = (
            self.env["res.partner"].sudo().search([("id", "child_of", agent.id)])
        )
        values = []
        for message_sudo in self._sm_portal_messages(agent):
            attachments_sudo = message_sudo.attachment_ids
            tokens = attachments_sudo.generate_access_token()
            values.append(
                {
                    "id": message_sudo.id,
                    "author": message_sudo.author_id.name
                    or message_sudo.email_from
                    or "",
                    "date": message_sudo.date,
                    "body": message_sudo.body,
                    "mine": message_sudo.author_id in agent_partners,
                    "attachments": [
                        {
                            "name": attachment.name,
                            "url": f"/web/content/{attachment.id}"
                            f"?access_token={token}&download=true",
                        }
                        for attachment, token in zip(
                            attachments_sudo, tokens, strict=True
                        )
                    ],
                }
            )
        return values

    def _sm_portal_post(self, author, body, files=()):
        """The agent's message (and files) on this registration, by
        ``author`` (the portal user's partner): its salesperson, else its
        team leader, is notified; no follower is."""
        self.ensure_one()
        body = (body or "").strip()
        if not body and not files:
            return self.env["mail.message"]
        recipients = self.user_id.partner_id or self.team_id.user_id.partner_id
        html = Markup("<br/>").join(escape(line) for line in body.splitlines())
        # sudo: crm.lead - the agent posts on their own registration (found
        # through the portal domain), without following it
        return (
            self.sudo()
            .with_context(mail_create_nosubscribe=True, mail_post_autofollow=False)
            .message_post(
                body=html,
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="sales_motivation.mt_registration_agent_message",
                partner_ids=recipients.ids,
                attachments=[(name, content) for name, content in files],
            )
        )
