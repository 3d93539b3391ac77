# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    """Who holds the client: its salesperson and team, the company's contacts
    and its open opportunities following it (setting "Opportunities follow
    their client"; the other way round is crm_lead_pool.py)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_team_id = fields.Many2one(
        related="user_id.sale_team_id",
        string="Sales Team",
        store=True,
        help="The sales team of the client's salesperson.",
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _sm_assignment_before_write(self, vals):
        """{partner: previous salesperson} of the clients changing salesperson."""
        moved = {}
        if "user_id" in vals:
            moved = {
                partner: partner.user_id
                for partner in self
                if partner.user_id.id != (vals["user_id"] or False)
            }
        return moved

    def _sm_assignment_on_write(self, vals, moved):
        """The company's contacts and the client's open opportunities follow
        it to its new salesperson."""
        if moved:
            partners = self.browse([p.id for p in moved])
            # a company's contacts keep the company's salesperson (and so the
            # record rules keep them with it); Odoo tells the salesperson of
            # the company, not of each contact
            following = {}  # new salesperson: contacts
            for partner in partners:
                following[partner.user_id] = following.get(
                    partner.user_id, self.browse()
                ) | partner.child_ids.filtered(
                    lambda c, old=moved[partner]: c.user_id == old
                )
            for user, contacts in following.items():
                if contacts:
                    contacts.with_context(
                        sm_following=True, mail_auto_subscribe_no_notify=True
                    ).write({"user_id": user.id})
            if not self.env.context.get("sm_following"):
                partners._sm_move_opportunities(moved)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_move_opportunities(self, previous):
        """The client changed salesperson: its open opportunities held by the
        previous one follow (setting "Opportunities follow their client").
        One write, one log and one message per new salesperson, however many
        clients moved: the "You have been assigned" of each deal is turned
        off, as Odoo's own lead assignment does, for one summary."""
        partners = self.filtered(
            lambda p: (p.company_id or self.env.company).sm_opportunities_follow_client
        )
        if not partners:
            return
        # sudo: crm.lead - the client's new salesperson takes over deals the
        # user moving the client may not see
        Lead = self.env["crm.lead"].sudo().with_context(sm_following=True)
        leads = partners._sm_open_opportunities(Lead)
        by_client = {p.commercial_partner_id: p for p in partners}
        moves = {}  # new salesperson: deals
        for client, client_leads in leads.grouped(
            lambda lead: lead.partner_id.commercial_partner_id
        ).items():
            partner = by_client.get(client)
            if not partner:
                continue
            mine = client_leads.filtered(
                lambda lead, old=previous[partner]: lead.user_id == old
            )
            moves[partner.user_id] = moves.get(partner.user_id, Lead) | mine
        origin = {
            lead.id: lead.user_id.id for deals in moves.values() for lead in deals
        }
        Transfer = self.env["motivation.transfer"].with_context(sm_from_user=origin)
        for new_user, deals in moves.items():
            if not deals:
                continue
            deals.with_context(mail_auto_subscribe_no_notify=True).write(
                {"user_id": new_user.id, "in_pool": False}
            )
            Transfer._log(deals, "reassign", "follows_client", to_user=new_user or None)
            deals._sm_notify_assigned(
                new_user, lambda env: env._("following their client")
            )

    def _sm_open_opportunities(self, Lead):
        """The open opportunities (active, not won) of these clients and of
        their contacts, every salesperson's, searched with ``Lead`` (crm.lead
        in the caller's environment: its rights and context)."""
        return Lead.search(
            [
                ("partner_id", "child_of", self.ids),
                ("type", "=", "opportunity"),
                ("active", "=", True),
                ("probability", "<", 100),
            ]
        )

    def _sm_team_leader(self):
        """Who answers for this client: the leader of its salesperson's team."""
        self.ensure_one()
        return self.sm_team_id.user_id
