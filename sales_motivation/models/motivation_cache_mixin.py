# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class MotivationCacheMixin(models.AbstractModel):
    """Records that cached data depends on (record rule domains, cached ids):
    creating, deleting or changing one of ``_sm_cached_fields`` clears the
    registry's caches, as Odoo does when rules or groups change."""

    _name = "motivation.cache.mixin"
    _description = "Clears cached data on change"

    # fields whose change matters; empty: any write
    _sm_cached_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if not self._sm_cached_fields or set(self._sm_cached_fields) & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
