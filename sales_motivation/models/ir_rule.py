# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """Records the addon's rules refuse to a salesperson or team leader
        (a colleague's deal opened by URL or changed while only followed, a
        colleague's call, someone else's commission): a plain message saying
        what is not allowed and why, in the user's language, from the
        model's ``_sm_access_error``. A multi-company rule keeps Odoo's
        message, which says which company to switch to."""
        if (
            operation in ("read", "write", "unlink")
            and hasattr(records, "_sm_access_error")
            and self.env.user._is_internal()
        ):
            failing = self._get_failing(records, mode=operation)
            if failing and not any(rule["global"] for rule in failing):
                error = records.with_context(lang=self.env.user.lang)._sm_access_error(
                    operation
                )
                if error and operation == "read":
                    # the web client says a refused read in a notification
                    # (static/src/js/refused_read_notification.js): opened by
                    # its URL, the record's view is replaced by the previous
                    # one, and that closes every dialog, message included
                    error.context = {"sm_refused_read": True}
                if error:
                    return error
        return super()._make_access_error(operation, records)
