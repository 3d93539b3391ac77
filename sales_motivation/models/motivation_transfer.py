# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class MotivationTransfer(models.Model):
    """Why and how a deal or client moved between salespeople or the pool.

    Written only by the code that moves them; nobody edits or deletes it.
    """

    _name = "motivation.transfer"
    _description = "Client Transfer"
    _order = "date desc, id desc"
    _rec_name = "reason"

    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True
    )
    kind = fields.Selection(
        [
            ("release", "Released to the pool"),
            ("claim", "Claimed from the pool"),
            ("reassign", "Reassigned"),
            ("assign", "Distributed"),
        ],
        required=True,
        readonly=True,
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Client", index=True, ondelete="cascade", readonly=True
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True, readonly=True
    )
    from_user_id = fields.Many2one(
        "res.users", string="From", index=True, readonly=True
    )
    to_user_id = fields.Many2one(
        "res.users",
        string="To",
        index=True,
        readonly=True,
        help="Empty when the deal went to the shared pool.",
    )
    to_pool = fields.Boolean(string="To the Pool", readonly=True)
    actor_id = fields.Many2one(
        "res.users",
        string="Done By",
        readonly=True,
        help="The user who moved it; empty when an automatic rule did.",
    )
    rule_id = fields.Many2one(
        "motivation.pool.rule", index="btree_not_null", readonly=True
    )
    reason = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The transfer log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise UserError(self.env._("The transfer log cannot be deleted."))

    @api.model
    def _log(self, leads, kind, reason, to_user=None, actor=None, rule=None):
        """One entry per lead (and per client moved along), one INSERT. The
        caller reads ``from`` before moving the leads: ``leads`` carry it in
        the ``sm_from_user`` context key ({lead id: user id}) when already moved.
        ``sm_transfer_dates`` ({lead id: datetime}) dates entries otherwise
        dated now.
        """
        origin = self.env.context.get("sm_from_user", {})
        # {lead id: datetime}: when each was moved, if not now
        dates = self.env.context.get("sm_transfer_dates", {})
        return self._create_entries(
            [
                {
                    "lead_id": lead.id,
                    "partner_id": lead.partner_id.id,
                    "team_id": lead.team_id.id,
                    "from_user_id": origin.get(lead.id, lead.user_id.id),
                    "company_id": (lead.company_id or self.env.company).id,
                    **({"date": dates[lead.id]} if lead.id in dates else {}),
                }
                for lead in leads
            ],
            kind,
            reason,
            to_user,
            actor,
            rule,
        )

    @api.model
    def _log_partners(
        self, partners, kind, reason, origin, to_user=None, actor=None, rule=None
    ):
        """One entry per client moved by itself (not along with a deal);
        ``origin``: {partner id: user id} before the move."""
        Users = self.env["res.users"]
        return self._create_entries(
            [
                {
                    "partner_id": partner.id,
                    "team_id": Users.browse(origin.get(partner.id)).sale_team_id.id,
                    "from_user_id": origin.get(partner.id, False),
                    "company_id": (partner.company_id or self.env.company).id,
                }
                for partner in partners
            ],
            kind,
            reason,
            to_user,
            actor,
            rule,
        )

    @api.model
    def _create_entries(self, subjects, kind, reason, to_user, actor, rule):
        """The entries of one move: ``subjects`` are each entry's own values;
        ``actor`` None is the current user, an empty recordset an automatic
        rule."""
        actor = self.env.user if actor is None else actor
        common = {
            "kind": kind,
            "to_user_id": to_user.id if to_user else False,
            "to_pool": not to_user,
            "actor_id": actor.id,
            "reason": reason,
            "rule_id": rule.id if rule else False,
        }
        # sudo: motivation.transfer - the log is written by the moves only;
        # nobody has a create right on it
        return self.sudo().create([{**common, **values} for values in subjects])
