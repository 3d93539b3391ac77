# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmLead(models.Model):
    """Interactions: the deal's journal of calls and meetings
    (motivation.interaction) and its last touch, which the pool rules count
    from (motivation_interaction_mixin.py)."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "motivation.interaction.mixin"]
    _sm_interaction_field = "lead_id"
    _sm_last_touch_field = "sm_last_touch_date"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_interaction_ids = fields.One2many(
        "motivation.interaction", "lead_id", string="Interactions"
    )
    sm_last_touch_date = fields.Datetime(
        string="Last Touch",
        readonly=True,
        copy=False,
        index=True,
        help="Last message, e-mail, logged note or done activity on the deal "
        "(its registration when there is none). Pool rules count from it.",
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        self._sm_touch(message, msg_vals)
        return res
