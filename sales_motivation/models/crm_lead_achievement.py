# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .crm_lead import OUTCOME_FIELDS
from .sql import write_rows

# Fields of a deal whose change may change its rows in the achievement
# ledger (motivation.achievement._sm_due_leads): its outcome.
ACHIEVEMENT_TRIGGERS = OUTCOME_FIELDS
# Of those, the ones only a won deal's rows depend on (its revenue, closing
# day and plan): Odoo's lead assignment writes the team of each deal it
# assigns, one by one, and open deals need no ledger lookup for it.
WON_ROW_TRIGGERS = {"expected_revenue", "date_closed", "company_id", "team_id"}


class CrmLead(models.Model):
    """Achievement: the deal's rows in the achievement ledger (deals
    registered and won, new and existing revenue) and the client segment
    fixed when it is won."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_client_segment = fields.Selection(
        [("new", "New Client"), ("existing", "Existing Client")],
        string="Client Segment",
        readonly=True,
        copy=False,
        help="Fixed when the deal is won: existing when its client (the "
        "commercial partner) had a confirmed sale order or a won deal dated "
        "before this deal was created, new otherwise. Its revenue counts in "
        "the plan's new or existing revenue.",
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _sm_achievement_on_create(self, vals_list):
        """New deals count as registered, and as won when created won (their
        closer is the salesperson: the commission hook writes it next)."""
        won = self._sm_won()
        won._sm_fix_client_segment()
        self.env["motivation.achievement"]._sm_sync_records(
            self, created=True, closers={lead: lead.user_id for lead in won}
        )

    def _sm_achievement_before_write(self, vals):
        """Returns the deals won before the write, or None when nothing their
        ledger rows depend on changes."""
        triggers = ACHIEVEMENT_TRIGGERS & set(vals)
        if not triggers:
            return None
        return self._sm_won()

    def _sm_achievement_on_write(self, vals, won_before):
        if won_before is None:
            return
        won_after = self._sm_won()
        if (
            not won_before
            and not won_after
            and ACHIEVEMENT_TRIGGERS & set(vals) <= WON_ROW_TRIGGERS
        ):
            return  # open deals before and after: their rows stay as they are
        newly_won = won_after - won_before
        newly_won._sm_fix_client_segment()
        self.env["motivation.achievement"]._sm_sync_records(
            self, exist=True, closers={lead: lead.user_id for lead in newly_won}
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_sm_achievement(self):
        """A deleted deal's rows, and those of its interactions, checkpoints
        and first responses (deleted with it by the database), are
        reversed."""
        Achievement = self.env["motivation.achievement"]
        # sudo: motivation.interaction, motivation.checkpoint,
        # motivation.response - every salesperson's rows of the deal are
        # reversed
        interactions = self.sudo().sm_interaction_ids
        checkpoints = (
            self.env["motivation.checkpoint"]
            .sudo()
            .search([("lead_id", "in", self.ids)])
        )
        responses = (
            self.env["motivation.response"].sudo().search([("lead_id", "in", self.ids)])
        )
        for records in (self, interactions, checkpoints, responses):
            Achievement._sm_sync(records._name, records.ids, deleted=True)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_achievement_sync(self):
        """Something the deals' revenue depends on changed (their sale
        orders): their ledger rows follow."""
        self.env["motivation.achievement"]._sm_sync_records(self)

    def _sm_fix_client_segment(self):
        """Fix the client segment of deals being won that have none yet, and
        whether their client is a dormant one's comeback
        (crm_lead_reactivated.py): fixed at the same first win."""
        todo = self.filtered(lambda lead: not lead.sm_client_segment)
        if not todo:
            return
        # every field Odoo's write left to compute (day_close,
        # prorated_revenue...) flushed with its values now: the queries
        # below flush only the fields they read, and Odoo's final flush
        # then wrote the won deals a second time, one UPDATE per 100 deals
        # (bench plan_win, "growing" 10 -> 50 at 1,000 -> 5,000 deals)
        self.env["crm.lead"].flush_model()
        reactivated = todo._sm_reactivated_ids()
        segments = self._sm_client_segments(todo.ids)
        # sudo: crm.lead - neither is editable by anybody. One UPDATE for
        # the batch: written through the ORM after Odoo's own flush of the
        # won deals, they cost a second flush, one statement per 100 deals
        # (bench plan_win, "growing": 10 -> 50 at 1,000 -> 5,000 deals)
        write_rows(
            todo.sudo(),
            {
                "sm_client_segment": [segments.get(lead.id) for lead in todo],
                "sm_client_reactivated": [lead.id in reactivated for lead in todo],
            },
        )

    @api.model
    def _sm_client_segments(self, lead_ids):
        """{lead id: 'new' or 'existing'} in one query: existing when the
        deal's commercial partner had a confirmed sale order or another won
        deal dated before the deal was created."""
        # sudo: what the query reads is flushed whoever may read it
        env = self.sudo().env
        env["crm.lead"].flush_model(
            ["partner_id", "stage_id", "active", "date_closed", "create_date"]
        )
        env["res.partner"].flush_model(["commercial_partner_id"])
        env["sale.order"].flush_model(["partner_id", "state", "date_order"])
        env["crm.stage"].flush_model(["is_won"])
        self.env.cr.execute(self._sm_client_segment_sql(lead_ids))
        return dict(self.env.cr.fetchall())

    @api.model
    def _sm_client_segment_sql(self, lead_ids=None):
        """SELECT (lead id, segment) of the deals ``lead_ids`` (all the
        won deals without segment when None; the migration's backfill)."""
        where = (
            SQL("l.id = ANY(%s)", list(lead_ids))
            if lead_ids is not None
            else SQL(
                "l.sm_client_segment IS NULL AND l.stage_id IN"
                " (SELECT id FROM crm_stage WHERE is_won)"
            )
        )
        return SQL(
            """
            SELECT l.id,
                   CASE WHEN p.commercial_partner_id IS NOT NULL AND (
                        EXISTS (
                            SELECT 1 FROM sale_order so
                              JOIN res_partner sp ON sp.id = so.partner_id
                             WHERE sp.commercial_partner_id = p.commercial_partner_id
                               AND so.state = 'sale'
                               AND so.date_order < l.create_date)
                     OR EXISTS (
                            SELECT 1 FROM crm_lead o
                              JOIN res_partner op ON op.id = o.partner_id
                              JOIN crm_stage os ON os.id = o.stage_id
                             WHERE op.commercial_partner_id = p.commercial_partner_id
                               AND o.id != l.id
                               AND o.active AND os.is_won
                               AND o.date_closed < l.create_date))
                        THEN 'existing' ELSE 'new' END
              FROM crm_lead l
              LEFT JOIN res_partner p ON p.id = l.partner_id
             WHERE %s
            """,
            where,
        )
