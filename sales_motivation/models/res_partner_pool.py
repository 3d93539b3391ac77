# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResPartner(models.Model):
    """Pool rules on clients (motivation_pool_rule.py): a late client's team
    leader alerted, or the client released from its salesperson, its open
    opportunities going to the shared pool."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_alert_late(self, rule):
        """An activity for the team leader of each late client (``rule``
        says why), in the leader's language."""
        entries = []
        for partner in self:
            leader = partner._sm_team_leader() or partner.user_id
            lang_rule = rule.with_context(lang=leader.lang) if leader.lang else rule
            entries.append(
                (
                    partner,
                    "sales_motivation.mail_activity_type_client_late",
                    leader,
                    lang_rule.env._(
                        "Intervene: %(salesperson)s, %(reason)s",
                        salesperson=partner.user_id.name,
                        reason=lang_rule._reason(),
                    ),
                )
            )
        return self.env["mail.activity"]._sm_schedule(entries)

    def _sm_release_to_pool(self, origin, rule):
        """Release clients from their salesperson (``origin``: {partner id:
        user id}), logged. Their open opportunities held by that salesperson
        go to the pool when they follow their client (setting); a client with
        no opportunity in the pool then gets a "repeat order" one there, in its
        former salesperson's team, for a colleague to claim."""
        Users = self.env["res.users"]
        teams = {p.id: Users.browse(origin.get(p.id)).sale_team_id for p in self}
        self.with_context(sm_following=True).write({"user_id": False})
        Transfer = self.env["motivation.transfer"]
        Transfer._log_partners(self, "release", "rule", origin, None, Users, rule)
        # sudo: crm.lead - the rule moves deals of every salesperson
        Lead = self.env["crm.lead"].sudo().with_context(sm_following=True)
        leads = self._sm_open_opportunities(Lead)
        follow = leads.filtered(
            lambda lead: (
                lead.company_id or self.env.company
            ).sm_opportunities_follow_client
            and lead.user_id
            and lead.user_id.id == origin.get(lead.partner_id.commercial_partner_id.id)
        )
        if follow:
            lead_origin = {lead.id: lead.user_id.id for lead in follow}
            follow.write({"user_id": False, "in_pool": True})
            Transfer.with_context(sm_from_user=lead_origin)._log(
                follow, "release", "rule", actor=Users, rule=rule
            )
        pooled = leads.filtered("in_pool").partner_id.commercial_partner_id
        missing = self.filtered(lambda p: p not in pooled and teams[p.id])
        if missing:
            Lead.create(
                [
                    {
                        "name": self.env._("Repeat order: %s", partner.name),
                        "type": "opportunity",
                        "partner_id": partner.id,
                        "team_id": teams[partner.id].id,
                        "user_id": False,
                        "registrar_id": False,
                        "in_pool": True,
                    }
                    for partner in missing
                ]
            )
