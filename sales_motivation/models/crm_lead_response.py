# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .motivation_response import STATES

# what the deal shows of its current response (withdrawn ones are not shown)
LEAD_STATES = [state for state in STATES if state[0] != "withdrawn"]


class CrmLead(models.Model):
    """First responses: a request assigned to a salesperson is due its first
    response within the team's working hours (motivation.response, one per
    assignment); the deal shows its salesperson's."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_response_ids = fields.One2many(
        "motivation.response", "lead_id", string="First Responses"
    )
    sm_response_deadline = fields.Datetime(
        string="Response Deadline",
        compute="_compute_sm_response",
        store=True,
        precompute=True,
        copy=False,
        help="When the salesperson's first response is due: the team's "
        "working hours after the deal was assigned to them.",
    )
    sm_first_response_date = fields.Datetime(
        string="First Response",
        compute="_compute_sm_response",
        store=True,
        precompute=True,
        copy=False,
        help="The salesperson's first logged interaction, e-mail to the "
        "client or quotation sent since the deal was assigned to them.",
    )
    sm_response_state = fields.Selection(
        LEAD_STATES,
        string="Response",
        compute="_compute_sm_response",
        store=True,
        precompute=True,
        copy=False,
        help="Empty when the team sets no response deadline.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(
        "sm_response_ids.current",
        "sm_response_ids.state",
        "sm_response_ids.deadline",
        "sm_response_ids.responded_at",
    )
    def _compute_sm_response(self):
        """The current response, else the last one (a miss stays visible
        after the deal went to the pool); nothing for a withdrawn one."""
        for lead in self:
            responses = lead.sm_response_ids
            response = responses.filtered("current")[:1] or responses[:1]
            if response.state == "withdrawn":
                response = responses.browse()
            lead.sm_response_deadline = response.deadline
            lead.sm_first_response_date = response.responded_at
            lead.sm_response_state = response.state

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _sm_response_on_create(self, vals_list):
        """A deal created with a salesperson is assigned to them."""
        self.filtered("user_id")._sm_response_update()

    def _sm_response_before_write(self, vals):
        """Who held the deals (only when the salesperson may change)."""
        if "user_id" not in vals:
            return None
        return {lead.id: lead.user_id.id for lead in self}

    def _sm_response_on_write(self, vals, before):
        """A new salesperson (by hand, distribution, claim, rule, the pool):
        a new response is due."""
        if before is not None:
            self.filtered(
                lambda lead: lead.user_id.id != before.get(lead.id)
            )._sm_response_update()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_response_update(self, touches=None, when=None):
        """The one method that decides the deals' first responses, called by
        every input that changes them: an assignment (a new salesperson, or
        none), a touch, the time passing (the escalation cron).

        - a current response whose salesperson no longer holds the deal is
          closed (missed when its deadline passed, else withdrawn);
        - a deal held by a salesperson of a team with a response deadline and
          no current response gets one, assigned at ``when[lead.id]``
          (default now), due the team's working hours later;
        - ``touches`` ({lead id: [(user id, moment, kind)]}) answer the
          current response when they are its salesperson's;
        - a pending response whose deadline passed is missed.

        Set-wise: one search, one INSERT and the calendar's working time per
        team, whatever the number of deals. Inside Odoo's lead assignment
        (``sm_deferred_responses`` in the context: {lead id: moment}) the
        assignments are collected and decided together, at each commit and
        at the end."""
        deferred = self.env.context.get("sm_deferred_responses")
        now = fields.Datetime.now()
        if deferred is not None and touches is None:
            if not deferred:
                self.env.cr.precommit.add(self._sm_response_deferred)
            deferred.update(dict.fromkeys(self.ids, now))
            return
        teams = self.env["crm.team"]._sm_response_team_ids()
        leads = self.filtered(
            lambda lead: (lead.user_id and lead.team_id.id in teams)
            or lead.sm_response_state
        )
        if not leads:
            return
        when = when or {}
        # sudo: motivation.response - the history is written by the code
        # only, whoever assigns or answers
        Response = self.env["motivation.response"].sudo()
        current = Response.search(
            [("lead_id", "in", leads.ids), ("current", "=", True)]
        )
        leaving = current.filtered(lambda r: r.user_id != r.lead_id.user_id)
        leaving._sm_close(now)
        kept = current - leaving
        opening = leads.filtered(
            lambda lead, held=set(kept.lead_id.ids): lead.user_id
            and lead.team_id.id in teams
            and lead.team_id.sm_response_hours > 0
            and lead.id not in held
        )
        if opening:
            kept |= Response._sm_open(
                opening, {lead.id: when.get(lead.id, now) for lead in opening}
            )
        if touches:
            kept._sm_respond(touches)
        kept.filtered(lambda r: r.state == "pending" and r.deadline <= now).write(
            {"state": "missed"}
        )

    def _sm_response_deferred(self):
        deferred = self.env.context["sm_deferred_responses"]
        when = dict(deferred)
        deferred.clear()
        leads = self.browse(list(when)).exists()
        leads.with_context(sm_deferred_responses=None)._sm_response_update(when=when)
        # run as a precommit hook too: after the commit's own flush
        self.env.flush_all()

    @api.model
    def _sm_response_touched(self, records, kind):
        """Outgoing touches answer the deals' responses: ``records`` are
        interactions (logged by their salesperson: outgoing, or incoming and
        reached; the e-mails the salesperson sent to the client from the
        chatter are interactions too, motivation_interaction_email.py) or
        quotations sent (by the current user)."""
        touches = {}
        if kind == "interaction":
            for interaction in records.filtered(
                lambda i: i.lead_id and (i.direction == "outgoing" or i.reached)
            ):
                touches.setdefault(interaction.lead_id.id, []).append(
                    (
                        interaction.user_id.id,
                        interaction.date,
                        "email" if interaction.kind == "email" else kind,
                    )
                )
            leads = records.lead_id
        else:
            now = fields.Datetime.now()
            leads = records.opportunity_id
            for order in records.filtered("opportunity_id"):
                touches.setdefault(order.opportunity_id.id, []).append(
                    (self.env.uid, now, kind)
                )
        if touches:
            leads._sm_response_update(touches=touches)
