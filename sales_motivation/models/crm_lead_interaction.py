# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    """Interactions: the deal's journal of calls and meetings
    (motivation.interaction) and its last touch, which the pool rules count
    from."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_interaction_ids = fields.One2many(
        "motivation.interaction", "lead_id", string="Interactions"
    )
    sm_interaction_count = fields.Integer(
        string="Interaction Count", compute="_compute_sm_interaction_count"
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
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_sm_interaction_count(self):
        counts = dict(
            self.env["motivation.interaction"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.sm_interaction_count = counts.get(lead, 0)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def _sm_interaction_before_create(self, vals_list):
        """A new deal's last touch is its registration."""
        now = fields.Datetime.now()
        for vals in vals_list:
            vals.setdefault("sm_last_touch_date", now)

    def _message_post_after_hook(self, message, msg_vals):
        """Messages, e-mails, notes and done activities are interactions;
        tracking and system notifications are not."""
        res = super()._message_post_after_hook(message, msg_vals)
        message_type = msg_vals.get("message_type", message.message_type)
        activity_type = msg_vals.get(
            "mail_activity_type_id", message.mail_activity_type_id.id
        )
        if message_type in ("comment", "email") or activity_type:
            # sudo: crm.lead - the poster may only read the deal (pool,
            # registrar); the interaction still counts
            self.sudo().write({"sm_last_touch_date": message.date})
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_sm_view_interactions(self):
        """The deal's interaction journal, every salesperson's."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_motivation.motivation_interaction_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    def action_sm_log_interaction(self):
        """Log a call or meeting on the deal, with its minimum data."""
        self.ensure_one()
        return self.env["motivation.interaction.wizard"]._open(self)
