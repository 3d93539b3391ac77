# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def write(self, vals):
        leads = self.opportunity_id
        res = super().write(vals)
        if {"state", "opportunity_id", "order_line", "currency_id"} & set(vals):
            (leads | self.opportunity_id)._sm_sync_commission_if_won()
        if vals.get("state") in ("sent", "sale"):
            self._sm_detect_checkpoints()
        if "state" in vals or "date_order" in vals:
            # a repeat client's last order and volume
            self.partner_id.commercial_partner_id._sm_refresh_regularity()
        return res

    def _sm_detect_checkpoints(self):
        """A quotation sent proves the proposal, a confirmed order the contract."""
        Checkpoint = self.env["motivation.checkpoint"]
        for order in self.filtered("opportunity_id"):
            kinds = ["quotation_sent"] + (
                ["order_confirmed"] if order.state == "sale" else []
            )
            for kind in kinds:
                Checkpoint._detect(
                    "crm.lead", order.opportunity_id.ids, kind, order.name
                )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id.opportunity_id._sm_sync_commission_if_won()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"product_uom_qty", "price_unit", "discount", "tax_id"} & set(vals):
            self.order_id.opportunity_id._sm_sync_commission_if_won()
        return res

    def unlink(self):
        leads = self.order_id.opportunity_id
        res = super().unlink()
        leads._sm_sync_commission_if_won()
        return res
