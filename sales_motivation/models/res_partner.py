# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Every lead and opportunity of the partner, archived ones aside (Odoo's
    # opportunity_ids only lists opportunities); the record rules use it.
    sm_lead_ids = fields.One2many("crm.lead", "partner_id", string="Leads")
    # the client rules filter on the salesperson
    user_id = fields.Many2one(index=True)
    sm_is_agent = fields.Boolean(
        string="Sales Agent",
        help="An external agent or dealer who registers deals and earns the "
        "registrar share of them (with or without a portal account).",
    )

    def write(self, vals):
        protected = self._sm_personal_data_fields().intersection(vals)
        if protected and not self.env.su:
            locked = self.filtered(lambda p: not p._sm_can_edit_personal_data())
            if locked:
                labels = sorted(
                    self._fields[f].get_description(self.env)["string"]
                    for f in protected
                )
                raise AccessError(
                    self.env._(
                        "Only client data operators may change the personal data "
                        "(%(fields)s) of %(clients)s.",
                        fields=", ".join(labels),
                        clients=", ".join(locked.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.model
    def _sm_personal_data_fields(self):
        """Fields of a client's personal data (name, contact details, address,
        tax id), which the setting reserves to data operators."""
        return {
            "name",
            "phone",
            "mobile",
            "email",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "country_id",
            "vat",
        }

    def _sm_can_edit_personal_data(self):
        """Whether the current user may change this client's personal data."""
        self.ensure_one()
        if self.env.su or not self.partner_share:
            # users' and companies' own partners are not clients
            return True
        company = self.company_id or self.env.company
        if not company.sm_personal_data_by_operators:
            return True
        return self.env.user.has_group("sales_motivation.group_data_operator")
