# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import ormcache


class MotivationCheckpointType(models.Model):
    """A control point deals go through (presentation, proposal, contract)."""

    _name = "motivation.checkpoint.type"
    _inherit = ["motivation.cache.mixin"]  # _active_type_ids is cached
    _description = "Checkpoint Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        help="Deals of these teams go through this checkpoint (empty: every team).",
    )
    deadline_days = fields.Integer(
        string="Deadline (days)",
        default=7,
        help="Days allowed to reach the checkpoint (0: no deadline).",
    )
    deadline_from = fields.Selection(
        [
            ("creation", "the deal's creation"),
            ("previous", "the previous checkpoint"),
        ],
        string="Counted From",
        default="previous",
        required=True,
        help="The previous checkpoint counts from when it was done (or waived); "
        "the first checkpoint counts from the deal's creation.",
    )
    evidence = fields.Selection(
        [
            ("none", "None: marked done by hand"),
            ("attachment", "An attachment on the deal"),
            ("activity", "A done activity of a given type"),
            ("quotation_sent", "A quotation sent"),
            ("order_confirmed", "A confirmed sale order"),
        ],
        required=True,
        default="none",
        help="What proves the checkpoint is reached; detected automatically "
        "except for 'None'.",
    )
    activity_type_id = fields.Many2one("mail.activity.type", ondelete="restrict")
    stage_id = fields.Many2one(
        "crm.stage",
        string="Required Before Stage",
        ondelete="set null",
        help="A deal cannot move to this stage, or a later one, before this "
        "checkpoint is done or waived.",
    )
    required_for_commission = fields.Boolean(
        help="Commission plans may require it done for the closer's share."
    )

    @api.constrains("deadline_days", "evidence", "activity_type_id")
    def _check_type(self):
        for cp_type in self:
            if cp_type.deadline_days < 0:
                raise ValidationError(
                    self.env._(
                        "Checkpoint %s: the deadline cannot be negative.", cp_type.name
                    )
                )
            if cp_type.evidence == "activity" and not cp_type.activity_type_id:
                raise ValidationError(
                    self.env._(
                        "Checkpoint %s: say which activity type proves it.",
                        cp_type.name,
                    )
                )

    @api.model
    def _types_by_team(self, teams, company=None):
        """{team: types} of the active types of ``company`` (default: the
        current one) applying to each team. The types are few and seldom
        change: their ids are cached, so that converting deals one by one
        (Odoo's lead assignment) costs no query here."""
        company = company or self.env.company
        types = self.browse(self._active_type_ids(company.id))
        return {
            team: types.filtered(
                lambda t, team=team: not t.team_ids or team in t.team_ids
            )
            for team in teams
        }

    @api.model
    @ormcache("company_id")
    def _active_type_ids(self, company_id):
        # sudo: motivation.checkpoint.type - the ids are cached for the
        # company, the same whichever user asks first
        return tuple(
            self.sudo()
            .search(["|", ("company_id", "=", False), ("company_id", "=", company_id)])
            .ids
        )
