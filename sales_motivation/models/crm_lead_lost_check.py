# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CrmLead(models.Model):
    """Cherry-picking: with the company's setting *Lost Needs a Reason and a
    Touch*, a request is closed as lost only with a lost reason and after at
    least one touch (a logged interaction, an e-mail sent to the client, a
    quotation sent). What a touch is, is said once (``_sm_touch_sql``): the
    check and the response report use it."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def toggle_active(self):
        """Archiving a deal marks it lost (Odoo's crm): the same check as the
        lost wizard, with the reason already on the deal."""
        if not self.env.context.get("sm_lost_checked"):
            self.filtered("active")._sm_check_lost()
        return super().toggle_active()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_set_lost(self, **additional_values):
        """The lost wizard and the *Lost* button: the reason given, else the
        deal's, must be there, and a touch."""
        reason = additional_values.get("lost_reason_id")
        self.filtered("active")._sm_check_lost(reason)
        return super(CrmLead, self.with_context(sm_lost_checked=True)).action_set_lost(
            **additional_values
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _sm_touch_sql(self, alias):
        """SQL condition: the deal ``alias`` was touched: an interaction
        logged on it (reached or not; an e-mail only when sent), a quotation
        sent or confirmed, a message sent from its chatter by an internal
        user (not a note), or a first response recorded."""
        return SQL(
            """(
            EXISTS (SELECT 1 FROM motivation_interaction si
                     WHERE si.lead_id = %(lead)s
                       AND (si.kind != 'email' OR si.direction = 'outgoing'))
            OR EXISTS (SELECT 1 FROM sale_order so
                        WHERE so.opportunity_id = %(lead)s
                          AND so.state IN ('sent', 'sale'))
            OR EXISTS (SELECT 1 FROM motivation_response sr
                        WHERE sr.lead_id = %(lead)s
                          AND sr.responded_at IS NOT NULL)
            OR EXISTS (SELECT 1 FROM mail_message mm
                         JOIN mail_message_subtype st ON st.id = mm.subtype_id
                         JOIN res_users su ON su.partner_id = mm.author_id
                        WHERE mm.model = 'crm.lead' AND mm.res_id = %(lead)s
                          AND mm.message_type IN ('email', 'comment')
                          AND st.internal IS NOT TRUE AND su.share IS NOT TRUE)
            )""",
            lead=SQL.identifier(alias, "id"),
        )

    def _sm_touched(self):
        """The deals of ``self`` touched at least once (one query)."""
        if not self.ids:
            return self.browse()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT l.id FROM crm_lead l WHERE l.id IN %s AND %s",
                tuple(self.ids),
                self._sm_touch_sql("l"),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _sm_check_lost(self, reason_id=None):
        """Refuse to close as lost the deals of companies asking for it that
        have no lost reason (``reason_id``: the one about to be written) or
        were never touched. The system (scheduled actions) is not refused."""
        if self.env.su:
            return
        leads = self.filtered(
            lambda lead: (lead.company_id or self.env.company).sm_lost_needs_touch
        )
        if not leads:
            return
        no_reason = (
            leads.browse()
            if reason_id
            else leads.filtered(lambda lead: not lead.lost_reason_id)
        )
        untouched = leads - leads._sm_touched()
        if not no_reason and not untouched:
            return
        problems = []
        if no_reason:
            problems.append(
                self.env._(
                    "give a lost reason for %(deals)s",
                    deals=", ".join(no_reason[:5].mapped("display_name")),
                )
            )
        if untouched:
            problems.append(
                self.env._(
                    "work %(deals)s first: log a call or meeting, send the "
                    "client an e-mail or a quotation",
                    deals=", ".join(untouched[:5].mapped("display_name")),
                )
            )
        raise UserError(
            self.env._(
                "A request is closed as lost only with a reason and after at "
                "least one touch: %(problems)s.",
                problems="; ".join(problems),
            )
        )
