# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class MotivationReleaseWizard(models.TransientModel):
    _name = "motivation.release.wizard"
    _description = "Release Deals to the Shared Pool"

    lead_ids = fields.Many2many("crm.lead", required=True)
    rule_id = fields.Many2one(
        "motivation.pool.rule",
        domain="[('trigger', '=', 'manual')]",
        help="A manual release rule of the company, naming the reason.",
    )
    reason = fields.Char(
        compute="_compute_reason", store=True, readonly=False, required=True
    )

    @api.depends("rule_id")
    def _compute_reason(self):
        for wizard in self:
            if wizard.rule_id:
                wizard.reason = wizard.rule_id.name

    def action_release(self):
        self.ensure_one()
        leads = self.lead_ids.filtered(lambda lead: not lead.in_pool)
        message = (
            self.env._(
                "%(deal)s is in the shared pool of %(team)s.",
                deal=leads.name,
                team=leads.team_id.name,
            )
            if len(leads) == 1
            else self.env._("%s deals are in the shared pool.", len(leads))
        )
        self.lead_ids.action_release_to_pool(reason=self.reason, rule=self.rule_id)
        if not leads:
            return {"type": "ir.actions.act_window_close"}
        return leads._sm_notification(message)
