# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ReportSettlementStatement(models.AbstractModel):
    """The commission statement: whoever may read a settlement reads its
    statement, whatever door they print it through (the form's Print menu,
    the portal's /my/commission or Odoo's raw /report/pdf/... route), with
    its deals and plans by name although an agent may read no deal."""

    _name = "report.sales_motivation.report_settlement_statement"
    _description = "Commission Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["motivation.settlement"].browse(docids)
        # as the printing user, even when the report is rendered in sudo()
        # (ir.actions.report reads itself as superuser)
        docs.with_user(self.env.uid).check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "motivation.settlement",
            # sudo: motivation.settlement - the statements the user may read
            # (checked above) name their lines' deals and plans, which an
            # agent in the portal may not read
            "docs": docs.sudo(),
        }
