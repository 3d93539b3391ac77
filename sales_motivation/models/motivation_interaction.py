# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

DETAIL_FIELDS = ("contact_name", "contact_phone", "contact_email", "topic", "note")
# what an interaction's rows in the achievement ledger depend on
ACHIEVEMENT_TRIGGERS = {
    "result_id",
    "kind",
    "user_id",
    "lead_id",
    "partner_id",
    "contact_partner_id",
    "date",
    "company_id",
}


class MotivationInteraction(models.Model):
    """The minimum record of a call or meeting with a client: who talked to
    whom, through which number or address, about what, with which result, in
    which direction. Linked to the deal or client, and to the chatter message
    (or the done activity) it was logged with."""

    _name = "motivation.interaction"
    _inherit = ["motivation.interaction.data"]
    _description = "Interaction"
    _order = "date desc, id desc"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", index="btree_not_null", ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        index=True,
        ondelete="cascade",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        compute="_compute_team_id",
        store=True,
        precompute=True,
    )
    result_id = fields.Many2one(
        "motivation.interaction.result", required=True, ondelete="restrict"
    )
    reached = fields.Boolean(related="result_id.reached", store=True)
    message_id = fields.Many2one("mail.message", ondelete="set null", readonly=True)
    activity_type_id = fields.Many2one("mail.activity.type", readonly=True)
    complete = fields.Boolean(
        compute="_compute_complete",
        store=True,
        help="Every field of the record filled in: contact, phone and e-mail, "
        "topic and note.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The deal's company, else the client's; the current company for "
        "a deal and client of no company.",
    )

    @api.depends("lead_id.partner_id", "contact_partner_id")
    def _compute_partner_id(self):
        for interaction in self:
            partner = (
                interaction.lead_id.partner_id or interaction.contact_partner_id
            ) or interaction.partner_id
            interaction.partner_id = partner.commercial_partner_id

    @api.depends("lead_id.company_id", "partner_id.company_id")
    def _compute_company_id(self):
        for interaction in self:
            interaction.company_id = (
                interaction.lead_id.company_id
                or interaction.partner_id.company_id
                or interaction.company_id
                or self.env.company
            )

    @api.depends("lead_id.team_id", "user_id")
    def _compute_team_id(self):
        for interaction in self:
            interaction.team_id = (
                interaction.lead_id.team_id or interaction.user_id.sale_team_id
            )

    @api.depends(*DETAIL_FIELDS)
    def _compute_complete(self):
        for interaction in self:
            interaction.complete = all(interaction[f] for f in DETAIL_FIELDS)

    @api.depends("kind", "direction", "contact_name", "result_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for interaction in self:
            interaction.display_name = self.env._(
                "%(kind)s with %(contact)s: %(result)s",
                kind=kinds.get(interaction.kind),
                contact=interaction.contact_name or "?",
                result=interaction.result_id.name,
            )

    # a deal's interactions count in its data quality score, a gate of the
    # closer's share: the commission of a won deal follows them
    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        # e-mails count in no quality score (motivation_interaction_email.py)
        interactions.filtered(
            lambda i: i.kind != "email"
        ).lead_id._sm_sync_commission_if_won()
        # a logged call or meeting answers the deal's request
        self.env["crm.lead"]._sm_response_touched(interactions, "interaction")
        self.env["motivation.achievement"]._sm_sync_records(interactions, created=True)
        return interactions

    def write(self, vals):
        leads = self.lead_id
        res = super().write(vals)
        if "lead_id" in vals:
            (leads | self.lead_id)._sm_sync_commission_if_won()
        if ACHIEVEMENT_TRIGGERS & set(vals):
            self.env["motivation.achievement"]._sm_sync_records(self)
        return res

    def unlink(self):
        leads = self.lead_id
        ids = self.ids
        res = super().unlink()
        leads._sm_sync_commission_if_won()
        self.env["motivation.achievement"]._sm_sync(self._name, ids, deleted=True)
        return res

    @api.constrains(
        "lead_id",
        "partner_id",
        "contact_name",
        "contact_phone",
        "contact_email",
        "topic",
        "result_id",
    )
    def _check_minimum_data(self):
        for interaction in self:
            missing = []
            if not (interaction.lead_id or interaction.partner_id):
                missing.append(self.env._("a deal or a client"))
            if not interaction.contact_name:
                missing.append(self.env._("the contact"))
            if not (interaction.contact_phone or interaction.contact_email):
                # the fields' labels in the user's language (described only
                # here: describing every field costs more than the check)
                missing.append(
                    self.env._(
                        "a %(phone)s or an %(email)s",
                        phone=self._fields["contact_phone"].get_description(self.env)[
                            "string"
                        ],
                        email=self._fields["contact_email"].get_description(self.env)[
                            "string"
                        ],
                    )
                )
            if interaction.result_id.needs_detail and not interaction.topic:
                missing.append(
                    self.env._(
                        "the topic (result %s needs one)", interaction.result_id.name
                    )
                )
            if missing:
                raise ValidationError(
                    self.env._(
                        "The interaction cannot be saved without %s.",
                        ", ".join(missing),
                    )
                )

    def _message_body(self):
        """What the chatter shows of the interaction."""
        self.ensure_one()
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        directions = dict(self._fields["direction"]._description_selection(self.env))
        channel = " / ".join(filter(None, [self.contact_phone, self.contact_email]))
        return Markup("<p><b>%s</b></p><ul>%s</ul>") % (
            self.env._(
                "%(direction)s %(kind)s with %(contact)s (%(channel)s)",
                direction=directions[self.direction],
                kind=kinds[self.kind].lower(),
                contact=self.contact_name,
                channel=channel,
            ),
            Markup("").join(
                Markup("<li>%s: %s</li>") % (label, value)
                for label, value in (
                    (self.env._("Result"), self.result_id.name),
                    (self.env._("Topic"), self.topic),
                    (self.env._("Note"), self.note),
                )
                if value
            ),
        )

    def _sm_access_error(self, operation):
        """Refused by the record rules (ir.rule._make_access_error): a
        colleague's call or meeting, read on a deal or client one follows
        but logged by someone else."""
        if operation == "read" or self._filtered_access("read") != self:
            message = self.env._(
                "You cannot open this interaction: it was logged on a deal or "
                "client that is not yours."
            )
        else:
            # sudo: motivation.interaction - who logged what the user reads
            logged = self.sudo()
            names = ", ".join(logged.mapped("display_name"))
            if logged.user_id:
                message = self.env._(
                    "%(interactions)s was logged by %(user)s: you can read it, "
                    "but only they or the team leader can change it.",
                    interactions=names,
                    user=", ".join(logged.user_id.mapped("name")),
                )
            else:
                # an e-mail received from the client: nobody logged it
                message = self.env._(
                    "%s was received from the client: you can read it, but "
                    "only the team leader can change it.",
                    names,
                )
        return AccessError(message)
