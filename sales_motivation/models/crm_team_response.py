# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class CrmTeam(models.Model):
    """Response deadlines: how many working hours a salesperson has to answer
    a request assigned to them, counted in the team's working time."""

    _inherit = "crm.team"  # pylint: disable=consider-merging-classes-inherited

    sm_response_hours = fields.Float(
        string="First Response Within (working hours)",
        help="A lead or opportunity assigned to a salesperson of the team is "
        "due its first response (a logged interaction, an e-mail to the "
        "client, a quotation sent) within this many working hours. 0: no "
        "response deadline.",
    )
    sm_resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Time",
        default=lambda self: self.env.company.resource_calendar_id,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="The working hours, time zone and leaves (public holidays) the "
        "response deadlines are counted in; empty: the company's.",
    )

    @api.constrains("sm_response_hours")
    def _check_sm_response_hours(self):
        for team in self:
            if team.sm_response_hours < 0:
                raise ValidationError(
                    self.env._(
                        "Team %s: the response deadline cannot be negative.",
                        team.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        if any(team.sm_response_hours for team in teams):
            self.env.registry.clear_cache()  # _sm_response_team_ids
        return teams

    def write(self, vals):
        res = super().write(vals)
        if "sm_response_hours" in vals:
            self.env.registry.clear_cache()  # _sm_response_team_ids
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _sm_response_team_ids
        return res

    @api.model
    @tools.ormcache()
    def _sm_response_team_ids(self):
        """The teams whose assignments are due a response (cached: every
        assignment asks, a team's setting seldom changes)."""
        # sudo: crm.team - the setting of every team, whoever assigns
        teams = (
            self.sudo()
            .with_context(active_test=False)
            .search([("sm_response_hours", ">", 0)])
        )
        return frozenset(teams.ids)

    def _sm_response_calendar(self):
        """The calendar the team's response deadlines are counted in."""
        self.ensure_one()
        return (
            self.sm_resource_calendar_id
            or self.company_id.resource_calendar_id
            or self.env.company.resource_calendar_id
        )
