# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MotivationInteractionResult(models.Model):
    """A preset outcome of a call or meeting ("taken to work", "no answer"...),
    picked in one click when the interaction is logged."""

    _name = "motivation.interaction.result"
    _description = "Interaction Result"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    needs_detail = fields.Boolean(
        string="Needs a Topic",
        default=True,
        help="The interaction must say what it was about. Off for outcomes "
        'such as "no answer" or "wrong number", where there is nothing to '
        "add.",
    )
    reached = fields.Boolean(
        string="Contact Reached",
        default=True,
        help="The client was actually spoken to (counts as a touch in the "
        "analysis).",
    )
