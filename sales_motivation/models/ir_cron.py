# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _sm_notify_progress(self, done, remaining):
        """What the addon's crons report after each batch: ``done`` units of
        work handled (and committed with the batch), ``remaining`` left.

        Odoo's cron runner commits and calls again while a call did some
        work and some is left (at most MAX_BATCH_PER_CRON_JOB calls in a
        row, then the job is ready again at once). *Run Manually* makes one
        call only: when work is left, the cron is triggered to run the rest
        in the background, soon."""
        self._notify_progress(done=done, remaining=remaining)
        progress_id = self.env.context.get("ir_cron_progress_id")
        # the runner's calls carry the cron's id; a manual run does not
        if done and remaining and progress_id and "cron_id" not in self.env.context:
            # sudo: ir.cron.progress - the run's own progress record
            self.env["ir.cron.progress"].sudo().browse(progress_id).cron_id._trigger()
