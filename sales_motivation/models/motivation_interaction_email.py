# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""E-mails in the interaction journal, and repeat contacts counted.

An e-mail exchanged with the client on a deal or a client (written in the
chatter, or received through the mail gateway) is a journal row of kind
``email``, next to calls and meetings, written by the documents'
``_message_post_after_hook`` (crm_lead_interaction_email.py,
res_partner_interaction_email.py); notes, notifications and messages among
colleagues are not. Each incoming contact (call, meeting or e-mail) carries
its rank among the client's incoming contacts: the first, second, fourth
time the client reached the company."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext
from odoo.tools.mail import email_normalize, parse_contact_from_email

from .motivation_interaction import DETAIL_FIELDS

# an e-mail with the client: the chatter's "Send message" (comment), the
# mail gateway's incoming mail (email), the composer's mass e-mail
# (email_outgoing); notes are comments of an internal subtype
EMAIL_MESSAGE_TYPES = ("comment", "email", "email_outgoing")
# what the journal keeps of an e-mail's subject and text
TOPIC_SIZE = 200
NOTE_SIZE = 1000
# what the rank of incoming contacts depends on
RANK_TRIGGERS = {"date", "direction", "partner_id", "lead_id"}


def fill_contact_ranks(cr, partner_ids=None, lead_ids=None):
    """The rank of each incoming interaction among its client's incoming
    interactions (by date, then id; the client is the commercial partner,
    else the deal of a client-less interaction), empty for outgoing ones,
    in one UPDATE: for the clients ``partner_ids`` and the client-less deals
    ``lead_ids``, or every row when both are None (the migration)."""
    if partner_ids is None and lead_ids is None:
        where = SQL("TRUE")
    else:
        where = SQL(
            "(partner_id = ANY(%s) OR (partner_id IS NULL AND lead_id = ANY(%s)))",
            list(partner_ids or ()),
            list(lead_ids or ()),
        )
    cr.execute(
        SQL(
            """
            UPDATE motivation_interaction i
               SET sm_contact_rank = r.rank
              FROM (SELECT id,
                           CASE WHEN direction = 'incoming' THEN row_number() OVER (
                               PARTITION BY partner_id,
                                   CASE WHEN partner_id IS NULL THEN lead_id END,
                                   direction = 'incoming'
                               ORDER BY date, id) END AS rank
                      FROM motivation_interaction
                     WHERE %s) r
             WHERE r.id = i.id AND i.sm_contact_rank IS DISTINCT FROM r.rank
            """,
            where,
        )
    )


class MotivationInteraction(models.Model):
    _inherit = "motivation.interaction"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kind = fields.Selection(
        selection_add=[("email", "E-mail")], ondelete={"email": "cascade"}
    )
    # an e-mail received from the client has no salesperson
    user_id = fields.Many2one(
        required=False,
        help="Who logged the call or meeting, or wrote the e-mail; empty for "
        "an e-mail received from the client.",
    )
    author_id = fields.Many2one(
        "res.partner",
        compute="_compute_author_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        ondelete="set null",
        help="Who wrote the e-mail (the salesperson, or the client for an "
        "e-mail received), else who logged the call or meeting.",
    )
    sm_contact_rank = fields.Integer(
        string="Contact No.",
        readonly=True,
        copy=False,
        aggregator="max",
        help="For a client's incoming call, meeting or e-mail: the how-manieth "
        "time the client reached the company (1: the first time).",
    )
    # computed with the INSERT, not by an UPDATE after it
    reached = fields.Boolean(related="result_id.reached", store=True, precompute=True)
    complete = fields.Boolean(compute="_compute_complete", store=True, precompute=True)

    _sql_constraints = [
        (
            "email_message_unique",
            "EXCLUDE USING btree (message_id WITH =) WHERE (kind = 'email')",
            "This e-mail is already in the interaction journal.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("user_id")
    def _compute_author_id(self):
        for interaction in self:
            interaction.author_id = (
                interaction.user_id.partner_id or interaction.author_id
            )

    @api.depends("kind", *DETAIL_FIELDS)
    def _compute_complete(self):
        """An e-mail is complete with its contact, address and subject (it
        has no phone or note to add)."""
        emails = self.filtered(lambda i: i.kind == "email")
        for interaction in emails:
            interaction.complete = bool(
                interaction.contact_name
                and interaction.contact_email
                and interaction.topic
            )
        return super(MotivationInteraction, self - emails)._compute_complete()

    # ------------------------------------------------------------
    # ORM: the ranks of incoming contacts follow
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        incoming = interactions.filtered(lambda i: i.direction == "incoming")
        if incoming:
            incoming._sm_rank_contacts(incoming._sm_rank_keys())
        return interactions

    def write(self, vals):
        if "kind" in vals and any(
            (interaction.kind == "email") != (vals["kind"] == "email")
            for interaction in self
        ):
            raise UserError(
                self.env._(
                    "An e-mail is journaled from the message itself: a call or "
                    "meeting cannot become an e-mail, nor an e-mail a call or "
                    "meeting."
                )
            )
        if not RANK_TRIGGERS & set(vals):
            return super().write(vals)
        before = self._sm_rank_keys()
        res = super().write(vals)
        after = self._sm_rank_keys()
        self._sm_rank_contacts((before[0] | after[0], before[1] | after[1]))
        return res

    def unlink(self):
        keys = self._sm_rank_keys()
        res = super().unlink()
        self._sm_rank_contacts(keys)
        return res

    def _sm_rank_keys(self):
        """(client ids, ids of client-less deals) whose ranks ``self``
        changes."""
        partners, leads = set(), set()
        for interaction in self:
            if interaction.partner_id:
                partners.add(interaction.partner_id.id)
            elif interaction.lead_id:
                leads.add(interaction.lead_id.id)
        return partners, leads

    @api.model
    def _sm_rank_contacts(self, keys):
        partners, leads = keys
        if not (partners or leads):
            return
        self.flush_model(list(RANK_TRIGGERS))
        fill_contact_ranks(self.env.cr, partners, leads)
        self.invalidate_model(["sm_contact_rank"])

    # ------------------------------------------------------------
    # BUSINESS: e-mails with the client
    # ------------------------------------------------------------

    @api.model
    def _sm_journal_message(self, record, message, msg_vals):
        """The journal row of ``message`` just posted on ``record`` (a deal or
        a client) when it is an e-mail with the client: written by an
        internal user to the client (the client, one of its contacts or the
        deal's e-mail among the recipients: outgoing), or received from the
        client (the client or one of its contacts as author, or the client's
        address as sender: incoming, no salesperson). Nothing for notes,
        notifications or messages among colleagues. At most two queries when
        the client is among the recipients (the INSERT, the result's flags),
        and the followers when no recipient is named."""
        message_type = msg_vals.get("message_type", message.message_type)
        if message_type not in EMAIL_MESSAGE_TYPES:
            return self.browse()
        subtype = self.env["mail.message.subtype"].browse(
            msg_vals.get("subtype_id", message.subtype_id.id)
        )
        if not subtype or subtype.internal:
            return self.browse()
        # sudo: res.partner - the recipients' and author's company and
        # address, compared with the client's (read by message_post
        # already); what the journal keeps of them is the message's
        record = record.sudo()
        message = message.sudo()
        client, emails = record._sm_email_client()
        if not (client or emails):
            return self.browse()

        def is_client(partner):
            return (client and partner.commercial_partner_id == client) or (
                partner.email_normalized and partner.email_normalized in emails
            )

        author = (
            self.env["res.partner"]
            .sudo()
            .browse(msg_vals.get("author_id", message.author_id.id))
        )
        user = self.env["res.users"]
        if author and author == self.env.user.partner_id:
            user = self.env.user if not self.env.user.share else user
        elif author and not is_client(author):
            user = author.with_context(active_test=False).user_ids.filtered(
                lambda u: not u.share
            )[:1]
        if user:
            direction = "outgoing"
            contact = message.partner_ids.filtered(is_client)[:1]
            if not contact:  # the followers it is sent to (notified next)
                contact = record.message_follower_ids.filtered(
                    lambda f: subtype in f.subtype_ids and is_client(f.partner_id)
                )[:1].partner_id
            if not contact:
                return self.browse()
            name, email = contact.name, contact.email_normalized or contact.email
        else:
            direction = "incoming"
            email_from = msg_vals.get("email_from", message.email_from)
            if author and is_client(author):
                contact = author
                name, email = author.name, author.email_normalized or author.email
            elif email_normalize(email_from) in emails:
                contact = author
                name, email = parse_contact_from_email(email_from)
            else:
                return self.browse()
        # cached (ormcache); deleted by an administrator, its XML id is gone
        # too: e-mails are then not journaled
        result_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "sales_motivation.interaction_result_email", raise_if_not_found=False
        )
        if not result_id:
            return self.browse()
        subject = msg_vals.get("subject", message.subject) or record.display_name
        body = msg_vals.get("body", message.body)
        note = html2plaintext(body).strip() if body else False
        vals = {
            "kind": "email",
            "direction": direction,
            "date": message.date,
            "user_id": user.id,
            "author_id": author.id,
            "contact_partner_id": contact.id,
            "contact_name": name or email or "?",
            "contact_email": email,
            "topic": (subject or "")[:TOPIC_SIZE] or False,
            "note": note[:NOTE_SIZE] if note else False,
            "result_id": result_id,
            "message_id": message.id,
        }
        if record._name == "crm.lead":
            vals["lead_id"] = record.id
        else:
            vals["partner_id"] = record.commercial_partner_id.id
        # sudo: motivation.interaction - the journal records the e-mail
        # whoever sends or receives it (the mail gateway, a colleague
        # following the deal), as it records the done activity
        return self.sudo().create(vals)
