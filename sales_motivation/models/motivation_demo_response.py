# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, models


class MotivationDemo(models.AbstractModel):
    """The demo's requests and their first responses: who answers every
    request in time and who picks cherries (the Response Analysis)."""

    _inherit = "motivation.demo"

    @api.model
    def _requests(self, team_id, hours, items):
        """The team gives ``hours`` working hours for the first response;
        each of ``items`` [(lead id, days ago, hours to the answer or None)]
        was assigned to its salesperson that many days ago at 10:00 and
        answered that many hours later (None: never, missed); a day the
        team does not work moves back to its last working day, so that
        every answer takes working time whatever today is. Runs again
        without adding anything."""
        team = self.env["crm.team"].browse(team_id)
        team.sm_response_hours = hours
        calendar = team._sm_response_calendar()
        # sudo: motivation.response - the history is written by the code only
        Response = self.env["motivation.response"].sudo()
        leads = self.env["crm.lead"].with_context(active_test=False)
        done = set(
            Response.search([("lead_id", "in", [i[0] for i in items])]).lead_id.ids
        )
        today = self._today()
        todo = [
            (
                leads.browse(lead_id),
                self._moment(self._working_day(calendar, today - timedelta(days)), 10),
                answer,
            )
            for lead_id, days, answer in items
            if lead_id not in done
        ]
        deadlines = calendar._sm_plan_hours(hours, [start for _l, start, _a in todo])
        vals_list = []
        for lead, start, answer in todo:
            deadline = deadlines[start]
            responded = start + timedelta(hours=answer) if answer is not None else False
            vals_list.append(
                {
                    "lead_id": lead.id,
                    "user_id": lead.user_id.id,
                    "team_id": team.id,
                    "company_id": (lead.company_id or team.company_id).id,
                    "assigned_at": start,
                    "deadline": deadline,
                    "responded_at": responded,
                    "response_kind": responded and "interaction",
                    "state": (
                        "missed"
                        if not responded
                        else "on_time"
                        if responded <= deadline
                        else "late"
                    ),
                }
            )
        return Response.create(vals_list)

    @api.model
    def _working_day(self, calendar, day):
        """``day`` if ``calendar`` works on it, else the working day before."""
        for _step in range(7):
            if calendar._works_on_date(day):
                return day
            day -= timedelta(days=1)
        return day
