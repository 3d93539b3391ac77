# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..models.motivation_achievement import METRICS


class MotivationAchievementRebuild(models.TransientModel):
    """Recompute the achievement ledger from the documents: first show what
    differs (per metric and salesperson), then write it as new rows."""

    _name = "motivation.achievement.rebuild"
    _description = "Rebuild the Achievement Ledger"

    state = fields.Selection(
        [("draft", "To Compute"), ("computed", "Computed"), ("done", "Written")],
        default="draft",
        readonly=True,
    )
    line_ids = fields.One2many(
        "motivation.achievement.rebuild.line", "wizard_id", readonly=True
    )
    row_count = fields.Integer(string="Rows to Write", readonly=True)

    def action_compute(self):
        """What the documents say the ledger lacks, summed per metric and
        salesperson; nothing is written yet."""
        self.ensure_one()
        Achievement = self.env["motivation.achievement"]
        rows = Achievement._sm_rebuild_differences()
        summary = Achievement._sm_summary(rows)
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "metric": metric,
                    "user_id": user_id,
                    "value": value,
                    "item_count": items,
                }
            )
            for (metric, user_id), (value, items) in sorted(summary.items())
        ]
        self.write({"state": "computed", "row_count": len(rows)})
        return self._reopen()

    def action_apply(self):
        """Write the difference, computed again now (documents may have
        changed since), as new rows dated today."""
        self.ensure_one()
        Achievement = self.env["motivation.achievement"]
        rows = Achievement._sm_rebuild_differences()
        # sudo: motivation.achievement - the ledger is written by the system
        # only; the administrator's right was checked above
        Achievement.sudo()._sm_insert(rows)
        self.write({"state": "done", "row_count": len(rows)})
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Rebuild the Achievement Ledger"),
        }


class MotivationAchievementRebuildLine(models.TransientModel):
    _name = "motivation.achievement.rebuild.line"
    _description = "Ledger Difference"
    _order = "metric, user_id"

    wizard_id = fields.Many2one(
        "motivation.achievement.rebuild", required=True, ondelete="cascade"
    )
    metric = fields.Selection(
        [(key, metric["label"]) for key, metric in METRICS.items()], required=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson")
    value = fields.Float(string="Difference", digits=(16, 2))
    item_count = fields.Integer(string="Items")
