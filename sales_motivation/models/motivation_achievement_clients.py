# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Existing clients worked: the clients a salesperson served (the ledger's
``clients_served``: a reached interaction or a confirmed order) among the
clients assigned to them, and the repeat-client reminders they followed by
a touch. The interaction analysis shows the same figures, read by the same
rule (``_sm_served_clients_sql``)."""

from odoo import api, models
from odoo.tools import SQL


class MotivationAchievement(models.Model):
    _inherit = "motivation.achievement"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # BUSINESS: clients served
    # ------------------------------------------------------------

    @api.model
    def _sm_served_clients_sql(self, period):
        """SELECT of (user_id, company_id, period, partner_id): the clients
        each salesperson served in each ``period`` (an SQL expression of the
        ledger's ``date``): their clients_served rows add up to more than
        zero, the rule of ``_totals`` for a distinct metric."""
        return SQL(
            """SELECT user_id, company_id, %s AS period, partner_id
                 FROM motivation_achievement
                WHERE metric = 'clients_served' AND partner_id IS NOT NULL
                GROUP BY 1, 2, 3, 4
               HAVING sum(value) > 0""",
            period,
        )

    @api.model
    def _sm_assigned_clients_sql(self, user, company):
        """SQL count of the clients assigned now to ``user`` (SQL) that
        belong to ``company`` (SQL) or to every company: active commercial
        partners whose salesperson they are."""
        return SQL(
            """(SELECT count(*) FROM res_partner ap
                 WHERE ap.user_id = %s AND ap.active
                   AND ap.id = ap.commercial_partner_id
                   AND (ap.company_id IS NULL OR ap.company_id = %s))""",
            user,
            company,
        )

    @api.model
    def _sm_clients_worked(self, users, date_from, date_to, company):
        """{user: {"served", "assigned", "assigned_served", "share"}} over the
        company-local days ``date_from`` to ``date_to``: the clients served
        (what ``_totals`` gives for clients_served), the clients assigned
        to the salesperson now, those of them served, and their share (%).
        Three queries, whatever the number of users."""
        totals = self._totals(users, ["clients_served"], date_from, date_to, company)
        result = {
            user: {
                "served": int(totals[(user, "clients_served")]),
                "assigned": 0,
                "assigned_served": 0,
                "share": 0.0,
            }
            for user in users
        }
        if not users:
            return result
        self.flush_model()
        self.env["res.partner"].flush_model(["user_id", "active", "company_id"])
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT s.user_id, count(*)
                     FROM (%s) s
                     JOIN res_partner p ON p.id = s.partner_id
                    WHERE s.period AND p.user_id = s.user_id AND s.user_id IN %s
                      AND s.company_id = %s
                    GROUP BY 1""",
                self._sm_served_clients_sql(
                    SQL(
                        "(date BETWEEN %s AND %s)",
                        date_from,
                        date_to,
                    )
                ),
                tuple(users.ids),
                company.id,
            )
        )
        served = dict(cr.fetchall())
        cr.execute(
            SQL(
                """SELECT p.user_id, count(*) FROM res_partner p
                    WHERE p.user_id IN %s AND p.active
                      AND p.id = p.commercial_partner_id
                      AND (p.company_id IS NULL OR p.company_id = %s)
                    GROUP BY 1""",
                tuple(users.ids),
                company.id,
            )
        )
        assigned = dict(cr.fetchall())
        for user in users:
            figures = result[user]
            figures["assigned"] = assigned.get(user.id, 0)
            figures["assigned_served"] = served.get(user.id, 0)
            if figures["assigned"]:
                figures["share"] = (
                    100.0 * figures["assigned_served"] / figures["assigned"]
                )
        return result
