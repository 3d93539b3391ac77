# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    """Client personal data: name, contact details, address and tax id are
    changed by data operators only, when the company says so (setting
    "edited by data operators only"; crm_lead_personal_data.py keeps deals
    from copying them)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _sm_personal_data_before_write(self, vals):
        """Refuse a change of personal data the user may not make."""
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

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

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
