# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MotivationInteractionMixin(models.AbstractModel):
    """What deals and clients share of their interactions
    (motivation.interaction): the count on the smart button, the journal it
    opens, logging a call or meeting, and the last touch (for a document
    that keeps one: deals)."""

    _name = "motivation.interaction.mixin"
    _description = "Interactions of a Deal or Client"

    # the motivation.interaction field naming the document
    _sm_interaction_field = None
    # the document's stored datetime of its last touch, if it keeps one
    _sm_last_touch_field = None

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_interaction_count = fields.Integer(
        string="Interaction Count", compute="_compute_sm_interaction_count"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_sm_interaction_count(self):
        field = self._sm_interaction_field
        counts = dict(
            self.env["motivation.interaction"]._read_group(
                [(field, "in", self.ids)], [field], ["__count"]
            )
        )
        for record in self:
            record.sm_interaction_count = counts.get(record, 0)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def _sm_interaction_before_create(self, vals_list):
        """A new document's last touch is its registration."""
        if not self._sm_last_touch_field:
            return
        now = fields.Datetime.now()
        for vals in vals_list:
            vals.setdefault(self._sm_last_touch_field, now)

    def _sm_touch(self, message, msg_vals):
        """Messages, e-mails, notes and done activities posted on the
        document are interactions, its last touch; tracking and system
        notifications are not. For ``_message_post_after_hook``."""
        if not self._sm_last_touch_field:
            return
        message_type = msg_vals.get("message_type", message.message_type)
        activity_type = msg_vals.get(
            "mail_activity_type_id", message.mail_activity_type_id.id
        )
        if message_type in ("comment", "email") or activity_type:
            # sudo: crm.lead, res.partner - the poster may only read the
            # document (pool, registrar); the interaction still counts
            self.sudo().write({self._sm_last_touch_field: message.date})

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _sm_interaction_journal(self):
        """The document whose journal the smart button opens."""
        return self

    def action_sm_view_interactions(self):
        """The document's interaction journal, every salesperson's."""
        self.ensure_one()
        journal = self._sm_interaction_journal()
        field = self._sm_interaction_field
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_motivation.motivation_interaction_action"
        )
        action["domain"] = [(field, "=", journal.id)]
        action["context"] = {f"default_{field}": journal.id}
        return action

    def action_sm_log_interaction(self):
        """Log a call or meeting on the document, with its minimum data."""
        self.ensure_one()
        return self.env["motivation.interaction.wizard"]._open(self)
