# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.sql import create_index


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # The registrar is whoever registered the potential deal first; their
    # share of the deal does not depend on who owns or closes it later. Rules:
    # - create: the creating user, unless the creation is automatic (superuser,
    #   public or portal context), where nobody registered it;
    # - copy: a duplicate is a new registration by whoever duplicates it;
    # - reassignment, pool release and claim, lead -> opportunity conversion:
    #   unchanged (none of them write this field);
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
    in_pool = fields.Boolean(
        string="In Shared Pool",
        copy=False,
        tracking=True,
        help="Released to the shared pool: every salesperson of the sales team "
        "sees it and may claim it.",
    )

    def init(self):
        res = super().init()
        # The pool rule looks up pool leads by team; pool leads are few.
        create_index(
            self.env.cr,
            "crm_lead_sm_pool_team_idx",
            self._table,
            ["team_id"],
            where="in_pool IS TRUE",
        )
        return res

    @api.model
    def _default_registrar_id(self):
        user = self.env.user
        if user._is_superuser() or user.share:
            return False
        return user

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        if not self._sm_can_set_registrar():
            foreign = leads.filtered(
                lambda lead: lead.registrar_id and lead.registrar_id != self.env.user
            )
            if foreign:
                raise AccessError(
                    self.env._(
                        "Only team leaders can register a deal in the name of "
                        "another user (%s).",
                        ", ".join(foreign.registrar_id.mapped("name")),
                    )
                )
        return leads

    def write(self, vals):
        if "registrar_id" in vals and not self._sm_can_set_registrar():
            changed = self.filtered(
                lambda lead: lead.registrar_id.id != (vals["registrar_id"] or False)
            )
            if changed:
                raise AccessError(
                    self.env._(
                        "The registrar of a deal is fixed when it is registered; only "
                        "team leaders can change it (%s).",
                        ", ".join(changed.mapped("display_name")),
                    )
                )
        return super().write(vals)

    def _get_partner_email_update(self, force_void=True):
        # Lead e-mails are not copied to clients whose personal data the user
        # may not edit (setting "edited by data operators only").
        return super()._get_partner_email_update(force_void=force_void) and (
            self.partner_id._sm_can_edit_personal_data()
        )

    def _get_partner_phone_update(self, force_void=True):
        return super()._get_partner_phone_update(force_void=force_void) and (
            self.partner_id._sm_can_edit_personal_data()
        )

    @api.model
    def _sm_can_set_registrar(self):
        return self.env.su or self.env.user.has_group(
            "sales_motivation.group_team_leader"
        )
