# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class MotivationSettlementWizard(models.TransientModel):
    _name = "motivation.settlement.wizard"
    _description = "Settle Commission"

    date_from = fields.Date(
        required=True, default=lambda self: self._default_dates()[0]
    )
    date_to = fields.Date(required=True, default=lambda self: self._default_dates()[1])
    partner_ids = fields.Many2many(
        "res.partner",
        string="Beneficiaries",
        help="Settle these beneficiaries only (empty: everybody).",
    )

    @api.model
    def _default_dates(self):
        """The previous month, by the local date of the company the user
        works in (the wizard settles the companies selected)."""
        today = self.env.company._sm_local_date()
        date_to = today.replace(day=1) - relativedelta(days=1)
        return date_to.replace(day=1), date_to

    def action_settle(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The period ends before it starts."))
        settlements = self.env["motivation.settlement"]._settle(
            self.date_from,
            self.date_to,
            companies=self.env.companies,
            partners=self.partner_ids,
        )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sales_motivation.motivation_settlement_action"
        )
        action["domain"] = [("id", "in", settlements.ids)]
        return action
