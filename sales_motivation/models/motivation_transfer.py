# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .motivation_pool_rule import TRIGGERS


class MotivationTransfer(models.Model):
    """Why and how a deal or client moved between salespeople or the pool.

    Written only by the code that moves them; nobody edits or deletes it.
    """

    _name = "motivation.transfer"
    _description = "Client Transfer"
    _order = "date desc, id desc"
    _rec_name = "reason_note"

    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True
    )
    kind = fields.Selection(
        [
            ("release", "Released to the pool"),
            ("claim", "Claimed from the pool"),
            ("reassign", "Reassigned"),
            ("assign", "Distributed"),
            ("manual", "Changed by hand"),
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
        "res.users",
        string="From",
        index=True,
        readonly=True,
        help="Empty when the deal came from the shared pool, or had nobody.",
    )
    from_pool = fields.Boolean(
        string="From the Pool",
        readonly=True,
        help="The deal was in its team's shared pool (claimed from it).",
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
    # the reason is kept as facts (what happened, the rule and its figures
    # then), shown in the reader's language (reason); a reason a user typed,
    # and the text logged before 18.0.1.1.0 that no fact matched, as written
    reason_code = fields.Selection(
        [
            ("released", "Released by hand"),
            ("claimed", "Claimed"),
            ("rule", "Pool rule"),
            ("distribution", "Fair distribution"),
            ("follows_client", "Follows its client"),
            ("manual", "Changed by hand"),
            ("note", "Reason given"),
        ],
        string="Reason Kind",
        readonly=True,
    )
    reason_trigger = fields.Selection(
        TRIGGERS, string="Rule Trigger", readonly=True, help="The rule's, then."
    )
    reason_days = fields.Integer(
        string="Rule Days", readonly=True, help="The rule's days, then."
    )
    reason_note = fields.Char(
        string="Reason as Written",
        readonly=True,
        help="The reason a user gave, as given; for entries logged before "
        "18.0.1.1.0 whose reason is not recognised, the text logged then.",
    )
    reason = fields.Char(
        compute="_compute_reason",
        help="Why it moved, in the reader's language.",
    )
    company_id = fields.Many2one("res.company", index=True, readonly=True)

    @api.depends_context("lang")
    @api.depends(
        "reason_code",
        "reason_trigger",
        "reason_days",
        "reason_note",
        "rule_id.name",
        "actor_id",
        "to_user_id",
    )
    def _compute_reason(self):
        # sudo (below): motivation.pool.rule / res.users - the rule's name
        # and the users' names, in the reader's language, whoever reads the log
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for entry in self:
            code = entry.reason_code
            rule = entry.sudo().rule_id
            if code == "released":
                text = self.env._("Released by %s", entry.sudo().actor_id.name)
            elif code == "claimed":
                text = self.env._("Claimed by %s", entry.sudo().to_user_id.name)
            elif code == "manual":
                text = self.env._("Changed by %s", entry.sudo().actor_id.name)
            elif code == "rule" and rule:
                text = rule._format_reason(
                    rule.name, entry.reason_trigger or rule.trigger, entry.reason_days
                )
            elif code == "distribution":
                text = self.env._("Fair distribution of new leads")
            elif code == "follows_client":
                text = self.env._("Follows its client")
            else:
                text = entry.reason_note
            # a rule deleted since: what kind of move it was
            entry.reason = text or entry.reason_note or kinds.get(entry.kind, "")

    @api.depends("reason")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = entry.reason

    def write(self, vals):
        if vals:
            raise UserError(self.env._("The transfer log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise UserError(self.env._("The transfer log cannot be deleted."))

    @api.model
    def _log(
        self,
        leads,
        kind,
        code,
        to_user=None,
        actor=None,
        rule=None,
        note=None,
        from_pool=False,
    ):
        """One entry per lead (and per client moved along), one INSERT.

        The caller reads ``from`` before moving the leads: ``leads`` carry it
        in the ``sm_from_user`` context key ({lead id: user id}); a lead it
        does not name came from nobody. ``from_pool``: the leads came from
        the shared pool (True: all of them; else the ids of those that did).
        ``code`` is the reason (``reason_code``), ``note`` the reason a user
        gave. ``sm_transfer_dates`` ({lead id: datetime}) dates entries
        otherwise dated now.
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
                    "from_user_id": origin.get(lead.id) or False,
                    "from_pool": from_pool is True
                    or bool(from_pool and lead.id in from_pool),
                    "company_id": (lead.company_id or self.env.company).id,
                    **({"date": dates[lead.id]} if lead.id in dates else {}),
                }
                for lead in leads
            ],
            kind,
            code,
            to_user,
            actor,
            rule,
            note,
        )

    @api.model
    def _log_partners(
        self, partners, kind, code, origin, to_user=None, actor=None, rule=None
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
            code,
            to_user,
            actor,
            rule,
        )

    @api.model
    def _create_entries(
        self, subjects, kind, code, to_user, actor, rule, note=None, to_pool=None
    ):
        """The entries of one move: ``subjects`` are each entry's own values;
        ``actor`` None is the current user, an empty recordset an automatic
        rule; ``code`` the reason (``reason_code``, with the rule's trigger
        and days then), ``note`` a reason a user gave. ``to_pool`` by default:
        to nobody is to the pool."""
        actor = self.env.user if actor is None else actor
        common = {
            "kind": kind,
            "to_user_id": to_user.id if to_user else False,
            "to_pool": (not to_user) if to_pool is None else to_pool,
            "actor_id": actor.id,
            "reason_code": code,
            "reason_note": note or False,
            "rule_id": rule.id if rule else False,
            "reason_trigger": rule.trigger if rule and code == "rule" else False,
            "reason_days": rule.days if rule and code == "rule" else 0,
        }
        # sudo: motivation.transfer - the log is written by the moves only;
        # nobody has a create right on it
        return self.sudo().create([{**common, **values} for values in subjects])

    @api.model
    def _log_manual(self, origin, to_user):
        """Deals whose salesperson a user changed by hand (a team leader's
        reassignment, the form, an import): ``origin`` {lead: (user id,
        in the pool)} before the write."""
        return self._create_entries(
            [
                {
                    "lead_id": lead.id,
                    "partner_id": lead.partner_id.id,
                    "team_id": lead.team_id.id,
                    "from_user_id": user_id or False,
                    "from_pool": in_pool,
                    "company_id": (lead.company_id or self.env.company).id,
                }
                for lead, (user_id, in_pool) in origin.items()
            ],
            "manual",
            "manual",
            to_user,
            None,
            None,
            to_pool=bool(
                not to_user and origin and all(lead.in_pool for lead in origin)
            ),
        )
