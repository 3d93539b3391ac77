# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What each kind of document is due in the achievement ledger: the sources
of the metric registry (``METRICS`` in motivation_achievement.py), which
``motivation.achievement._sm_sync`` compares with the rows already written."""

from odoo import api, models

from .motivation_achievement import RESPONSE_DUE_STATES


class MotivationAchievement(models.Model):
    _inherit = "motivation.achievement"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # BUSINESS: what each kind of document feeds (METRICS' sources)
    # ------------------------------------------------------------

    @api.model
    def _sm_due_leads(self, leads, closers=None):
        """deals_registered for the registrar (from the deal's creation, won
        or not), and for the closer of a won deal deals_won and its revenue
        (the commission base: its plan's, else the expected revenue) as new
        or existing by the deal's client segment. ``closers``: {lead:
        user} for deals being won now, whose closer is not written yet."""
        closers = closers or {}
        due = {}
        won = leads._sm_won()
        plans = self.env["motivation.commission.plan"]._plan_for_leads(won)
        # the clients' commercial partners in one query: read deal by deal,
        # the ORM fetches them per 1,000 (bench plan_win, "growing" 1 -> 5
        # at 1,000 -> 5,000 deals)
        leads.partner_id.fetch(["commercial_partner_id"])
        for lead in leads:
            company = lead.company_id or self.env.company
            common = {
                "partner": lead.partner_id.commercial_partner_id,
                "lead_id": lead.id,
                "team_id": lead.team_id.id,
            }
            if lead.registrar_id:
                key, row = self._sm_row(
                    lead,
                    "deals_registered",
                    lead.registrar_id,
                    1.0,
                    company._sm_local_date(lead.create_date),
                    company,
                    **common,
                )
                due[key] = row
            # deals won before the addon was installed have no closer, and
            # pay nobody: they count for nobody either
            closer = closers.get(lead) or lead.sm_closer_id
            if lead not in won or not closer:
                continue
            date = company._sm_local_date(lead.date_closed)
            key, row = self._sm_row(
                lead, "deals_won", closer, 1.0, date, company, **common
            )
            due[key] = row
            plan = plans.get(lead)
            base = lead._sm_commission_base(plan) if plan else lead.expected_revenue
            segment = lead.sm_client_segment or "new"
            key, row = self._sm_row(
                lead,
                f"revenue_{segment}",
                closer,
                company.currency_id.round(base or 0.0),
                date,
                company,
                segment=segment,
                **common,
            )
            due[key] = row
        return due

    @api.model
    def _sm_due_interactions(self, interactions):
        """calls and meetings that reached the client, and the client served
        (not e-mails, which have no salesperson when received)."""
        due = {}
        for interaction in interactions.filtered(
            lambda i: i.reached and i.kind != "email" and i.user_id
        ):
            company = interaction.company_id
            date = company._sm_local_date(interaction.date)
            common = {
                "partner": interaction.partner_id,
                "lead_id": interaction.lead_id.id,
                "team_id": interaction.team_id.id,
            }
            metric = "calls" if interaction.kind == "call" else "meetings"
            user = interaction.user_id
            key, row = self._sm_row(
                interaction, metric, user, 1.0, date, company, **common
            )
            due[key] = row
            if interaction.partner_id:
                key, row = self._sm_row(
                    interaction, "clients_served", user, 1.0, date, company, **common
                )
                due[key] = row
        return due

    @api.model
    def _sm_due_orders(self, orders):
        """A confirmed order serves its client, for its salesperson."""
        due = {}
        for order in orders.filtered(lambda o: o.state == "sale" and o.user_id):
            company = order.company_id
            key, row = self._sm_row(
                order,
                "clients_served",
                order.user_id,
                1.0,
                company._sm_local_date(order.date_order),
                company,
                partner=order.partner_id.commercial_partner_id,
                lead_id=order.opportunity_id.id,
                team_id=order.team_id.id,
            )
            due[key] = row
        return due

    @api.model
    def _sm_due_responses(self, responses):
        """A request's first response that fell due counts for the
        salesperson it was assigned to: 100 when answered by its deadline, 0
        when late or missed, dated the company-local day it was answered
        (in time) or due (late or missed). A request withdrawn before its
        deadline (reassigned) counts for nobody."""
        due = {}
        for response in responses.filtered(lambda r: r.state in RESPONSE_DUE_STATES):
            lead = response.lead_id
            company = response.company_id or lead.company_id or self.env.company
            met = response.state == "on_time"
            key, row = self._sm_row(
                response,
                "requests_on_time",
                response.user_id,
                100.0 if met else 0.0,
                company._sm_local_date(
                    response.responded_at if met else response.deadline
                ),
                company,
                partner=lead.partner_id.commercial_partner_id,
                lead_id=lead.id,
                team_id=response.team_id.id,
            )
            due[key] = row
        return due

    @api.model
    def _sm_due_checkpoints(self, checkpoints):
        """A deal's checkpoint that fell due counts for the deal's
        salesperson: 100 when done by its deadline (company-local days), 0
        when overdue or done late, dated the day it was done or due."""
        due = {}
        for checkpoint in checkpoints.filtered(
            lambda c: c.lead_id.user_id and c.state in ("done", "overdue")
        ):
            lead = checkpoint.lead_id
            company = lead.company_id or self.env.company
            done_day = (
                company._sm_local_date(checkpoint.done_date)
                if checkpoint.state == "done" and checkpoint.done_date
                else None
            )
            met = done_day and (
                not checkpoint.deadline or done_day <= checkpoint.deadline
            )
            date = done_day if met else (checkpoint.deadline or done_day)
            key, row = self._sm_row(
                checkpoint,
                "checkpoints_on_time",
                lead.user_id,
                100.0 if met else 0.0,
                date or company._sm_local_date(),
                company,
                partner=lead.partner_id.commercial_partner_id,
                lead_id=lead.id,
                team_id=lead.team_id.id,
            )
            due[key] = row
        return due
