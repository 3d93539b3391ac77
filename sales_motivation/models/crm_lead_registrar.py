# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CrmLead(models.Model):
    """The registrar: who registered the deal (or the agent who brought it)
    keeps the registrar share of its commission whoever works or closes it;
    whether it was registered with the first-contact data."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # The registrar is whoever registered the potential deal first; their
    # share of the deal does not depend on who owns or closes it later. Rules:
    # - create: the creating user, unless the creation is automatic (superuser,
    #   public or portal context), where nobody registered it;
    # - copy: a duplicate is a new registration by whoever duplicates it;
    # - reassignment, pool release and claim, lead -> opportunity conversion:
    #   unchanged (none of them write this field);
    # - merge: the registrar of the earliest registered lead (see _merge_opportunity);
    # - only team leaders and above may name another registrar.
    registrar_id = fields.Many2one(
        "res.users",
        default=lambda self: self._default_registrar_id(),
        copy=False,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="The user who registered this potential deal. The registrar keeps "
        "the registrar share of its commission whoever works or closes it.",
    )
    sm_agent_id = fields.Many2one(
        "res.partner",
        string="Registered by Agent",
        default=lambda self: self._default_sm_agent_id(),
        copy=False,
        index="btree_not_null",
        tracking=True,
        domain="[('sm_is_agent', '=', True)]",
        help="An external agent or dealer who brought this deal: the registrar "
        "share goes to them instead of the registering user.",
    )
    sm_first_contact_complete = fields.Boolean(
        string="First Contact Complete",
        readonly=True,
        copy=False,
        help="The deal was registered with the complete first-contact data set "
        "(CRM settings). Commission plans may require it for the registrar share.",
    )

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    @api.model
    def _default_registrar_id(self):
        user = self.env.user
        if user._is_superuser() or user.share:
            return False
        return user

    @api.model
    def _default_sm_agent_id(self):
        # an agent registering through their portal account, or a dealer's
        # employee: their company is the agent (res_partner_agent.py)
        if not self.env.user.share:
            return False
        return self.env.user.partner_id._sm_agent_partner() or False

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def _sm_registrar_before_create(self, vals_list):
        """A salesperson registers deals for themselves."""
        if not self._sm_can_set_registrar() and self.env.user.has_group(
            "sales_team.group_sale_salesman"
        ):
            # the record rules would refuse it; say why in plain words
            default_user = self.default_get(["user_id"]).get("user_id")
            if any(
                vals.get("user_id", default_user) != self.env.uid for vals in vals_list
            ):
                raise UserError(
                    self.env._(
                        "A salesperson registers deals for themselves: keep yourself "
                        "as the salesperson. Release the deal to the shared pool, or "
                        "ask a team leader, to hand it over."
                    )
                )

    def _sm_registrar_on_create(self, vals_list):
        """Only team leaders register deals in someone else's name; deals
        registered with the first-contact data are marked so."""
        if not self._sm_can_set_registrar():
            foreign = self.filtered(
                lambda lead: (lead.registrar_id and lead.registrar_id != self.env.user)
                or (lead.sm_agent_id and lead.sm_agent_id != self.env.user.partner_id)
            )
            if foreign:
                raise AccessError(
                    self.env._(
                        "Only team leaders can register a deal in the name of "
                        "someone else (%s).",
                        ", ".join(foreign.mapped("display_name")),
                    )
                )
        complete = self.filtered(lambda lead: lead._sm_has_first_contact_data())
        if complete:
            # sudo: crm.lead - a read-only flag, set by the registration
            # itself, on a deal its creator may have assigned to someone else
            complete.sudo().write({"sm_first_contact_complete": True})

    def _sm_registrar_before_write(self, vals):
        """Only team leaders change the registrar (or agent) of a deal."""
        if {"registrar_id", "sm_agent_id"} & set(
            vals
        ) and not self._sm_can_set_registrar():
            changed = self.filtered(
                lambda lead: any(
                    fname in vals and lead[fname].id != (vals[fname] or False)
                    for fname in ("registrar_id", "sm_agent_id")
                )
            )
            if changed:
                raise AccessError(
                    self.env._(
                        "The registrar of a deal is fixed when it is registered; only "
                        "team leaders can change it (%s).",
                        ", ".join(changed.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _sm_can_set_registrar(self):
        return self.env.su or self.env.user.has_group(
            "sales_motivation.group_team_leader"
        )

    def _sm_has_first_contact_data(self):
        """Whether the deal carries the first-contact data set the company
        requires (CRM settings): a contact name, a phone or an e-mail, a source."""
        self.ensure_one()
        company = self.company_id or self.env.company
        checks = (
            (company.sm_first_contact_name, self.contact_name or self.partner_id),
            (company.sm_first_contact_channel, self.phone or self.email_from),
            (company.sm_first_contact_source, self.source_id),
        )
        return all(value for required, value in checks if required)

    def _merge_opportunity(
        self, user_id=False, team_id=False, auto_unlink=True, max_length=5
    ):
        """Merged deals keep the registrar (and agent) of the earliest
        registered one, whichever lead survives the merge."""
        earliest = self.sorted(lambda lead: (lead.create_date, lead.id))[:1]
        registrar, agent = earliest.registrar_id, earliest.sm_agent_id
        different = len({(lead.registrar_id, lead.sm_agent_id) for lead in self}) > 1
        # and its duplicate flag (crm_lead_duplicate.py)
        duplicate = earliest._sm_duplicate_merge_vals(self)
        result = super()._merge_opportunity(
            user_id=user_id,
            team_id=team_id,
            auto_unlink=auto_unlink,
            max_length=max_length,
        )
        if (result.registrar_id, result.sm_agent_id) != (registrar, agent):
            # sudo: crm.lead - the merging salesperson may not set a registrar;
            # the merge rule decides it
            result.sudo().write({"registrar_id": registrar.id, "sm_agent_id": agent.id})
        result._sm_duplicate_apply_merge(duplicate)
        if different:
            # in the language of the deal's salesperson
            env = result.with_context(lang=result.user_id.lang or self.env.lang).env
            result._message_log(
                body=env._(
                    "Merged deals had different registrars; this deal keeps the "
                    "registrar of the earliest registered one: %s.",
                    (agent or registrar).display_name,
                )
            )
        return result
