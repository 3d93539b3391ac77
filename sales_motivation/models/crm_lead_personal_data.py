# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmLead(models.Model):
    """Client personal data: a deal's e-mail and phone are not copied onto a
    client whose personal data the user may not edit (res_partner_personal_data.py)."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

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
