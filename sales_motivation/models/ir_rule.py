# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """Deals refused by the addon's rules to a salesperson or team leader
        (opened by URL, changed while only followed): a plain message saying
        what is not allowed and why (crm.lead._sm_access_error)."""
        if (
            records._name == "crm.lead"
            and operation in ("read", "write", "unlink")
            and self.env.user._is_internal()
        ):
            # in the user's language, as Odoo's own message
            error = records.with_context(lang=self.env.user.lang)._sm_access_error(
                operation
            )
            if error:
                return error
        return super()._make_access_error(operation, records)
