# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# What a deal's sale-order commission base (crm.lead.sale_amount_total: the
# untaxed amount of its confirmed orders, in the company currency) reads of
# its orders and of their lines. A change of any of them, however it is
# written (a form, _recompute_prices assigning computed prices, a discount,
# lines added or removed, the order cancelled, unlocked and amended,
# confirmed), re-syncs the commission of the order's won deal.
ORDER_BASE_FIELDS = {
    "state",
    "opportunity_id",
    "order_line",
    "currency_id",
    "pricelist_id",
    "company_id",
    "date_order",
    "amount_untaxed",
    "locked",
}
ORDER_LINE_BASE_FIELDS = {
    "product_id",
    "product_uom",
    "product_uom_qty",
    "price_unit",
    "discount",
    "tax_id",
    "price_subtotal",
    "display_type",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def write(self, vals):
        leads = self.opportunity_id
        res = super().write(vals)
        if ORDER_BASE_FIELDS & set(vals):
            (leads | self.opportunity_id)._sm_sync_commission_if_won()
        if vals.get("state") in ("sent", "sale"):
            self._sm_detect_checkpoints()
        if vals.get("state") == "sent":
            # a quotation sent answers the deal's request
            self.env["crm.lead"]._sm_response_touched(self, "quotation")
        if {"state", "user_id", "partner_id"} & set(vals):
            # a confirmed order serves its client (achievement ledger)
            self.env["motivation.achievement"]._sm_sync_records(self)
        if "state" in vals or "date_order" in vals:
            # a repeat client's last order and volume
            self.partner_id.commercial_partner_id._sm_refresh_regularity()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.opportunity_id._sm_sync_commission_if_won()
        if any(order.state == "sale" for order in orders):
            self.env["motivation.achievement"]._sm_sync_records(orders)
        return orders

    def unlink(self):
        leads = self.opportunity_id
        res = super().unlink()
        leads._sm_sync_commission_if_won()
        return res

    def _recompute_prices(self):
        # prices and discounts are assigned by computes; the amounts follow
        res = super()._recompute_prices()
        self.opportunity_id._sm_sync_commission_if_won()
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
        if ORDER_LINE_BASE_FIELDS & set(vals):
            self.order_id.opportunity_id._sm_sync_commission_if_won()
        return res

    def unlink(self):
        leads = self.order_id.opportunity_id
        res = super().unlink()
        leads._sm_sync_commission_if_won()
        return res
