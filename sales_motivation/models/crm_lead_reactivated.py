# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    """Reactivation: a deal won for a client that had stopped buying (a
    *dormant* client, as the repeat clients' regularity says: no purchase
    for the company's *Repeat Client Dormant* days) is marked reactivated,
    fixed the first time it is won, as its client segment is."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_client_reactivated = fields.Boolean(
        string="Reactivated Client",
        readonly=True,
        copy=False,
        help="Fixed when the deal is first won: its client (the commercial "
        "partner) had bought before (a confirmed sale order or a won deal), "
        "but nothing for at least the company's Repeat Client Dormant days "
        "before this deal was created: a dormant client ordering again.",
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_reactivated_ids(self):
        """The ids of the deals of ``self``, being won for the first time,
        whose client is dormant (crm_lead_achievement.py's
        ``_sm_fix_client_segment`` marks them). One query for the batch."""
        if not self:
            return set()
        # sudo: what the query reads is flushed whoever may read it
        env = self.sudo().env
        env["crm.lead"].flush_model(
            ["partner_id", "stage_id", "active", "date_closed", "create_date"]
        )
        env["res.partner"].flush_model(["commercial_partner_id"])
        env["sale.order"].flush_model(
            ["partner_id", "state", "date_order", "opportunity_id"]
        )
        env["res.company"].flush_model(
            ["sm_regularity_dormant_days", "resource_calendar_id"]
        )
        env["resource.calendar"].flush_model(["tz"])
        self.env.cr.execute(self._sm_client_reactivated_sql(self.ids))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _sm_client_reactivated_sql(self, lead_ids=None):
        """SELECT the ids of the deals ``lead_ids`` (every won deal when None:
        the upgrade's backfill) whose client was dormant when the deal was
        created: its last purchase before then (a confirmed order of the
        commercial partner or its contacts, or another won deal of theirs)
        is at least the deal's company's ``sm_regularity_dormant_days`` old,
        in the company's local days (0 days: nobody is ever dormant). A
        client that never bought is new, not reactivated."""
        where = (
            SQL("l.id = ANY(%s)", list(lead_ids))
            if lead_ids is not None
            else SQL("l.stage_id IN (SELECT id FROM crm_stage WHERE is_won)")
        )
        Company = self.env["res.company"]
        # SQL: the batch's last purchases in one query, as the client
        # segment's (_sm_client_segment_sql) and the regularity's aggregate
        # are, without loading the client's orders and deals
        return SQL(
            """
            SELECT l.id
              FROM crm_lead l
              JOIN res_partner p ON p.id = l.partner_id
              JOIN res_company co ON co.id = COALESCE(l.company_id, %(company)s)
             CROSS JOIN LATERAL (
                   SELECT GREATEST(
                       (SELECT MAX(so.date_order) FROM sale_order so
                          JOIN res_partner sp ON sp.id = so.partner_id
                         WHERE sp.commercial_partner_id = p.commercial_partner_id
                           AND so.state = 'sale'
                           AND so.opportunity_id IS DISTINCT FROM l.id
                           AND so.date_order < l.create_date),
                       (SELECT MAX(o.date_closed) FROM crm_lead o
                          JOIN res_partner op ON op.id = o.partner_id
                          JOIN crm_stage os ON os.id = o.stage_id
                         WHERE op.commercial_partner_id = p.commercial_partner_id
                           AND o.id != l.id AND o.active AND os.is_won
                           AND o.date_closed < l.create_date)
                   ) AS last_purchase
                   ) lp
             WHERE %(where)s
               AND p.commercial_partner_id IS NOT NULL
               AND co.sm_regularity_dormant_days > 0
               AND lp.last_purchase IS NOT NULL
               AND %(last_day)s <= %(created_day)s - co.sm_regularity_dormant_days
            """,
            company=self.env.company.id,
            where=where,
            last_day=Company._sm_local_date_sql(SQL("co.id"), SQL("lp.last_purchase")),
            created_day=Company._sm_local_date_sql(SQL("co.id"), SQL("l.create_date")),
        )
