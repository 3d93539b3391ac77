# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CrmLead(models.Model):
    """Agents' registrations: a deal an agent (or a dealer's employee)
    registers in the portal waits for its team leader's review; accepted,
    the agent stays its registrar whoever closes it; rejected, the agent
    reads why; without progress for the company's lapse delay, it lapses
    and the client may be registered again. The agent is told by e-mail."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # empty for the deals staff registered
    sm_registration_state = fields.Selection(
        [
            ("pending", "Pending Review"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        string="Registration",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="An agent's registration: pending until the team leader accepts or "
        "rejects it. Empty for the deals staff registered.",
    )
    sm_registration_need = fields.Text(
        string="Need (as Registered)",
        copy=False,
        help="The client's need, as the agent registered it.",
    )
    sm_registration_reason = fields.Text(
        string="Rejection Reason",
        copy=False,
        tracking=True,
        help="Why the registration was rejected; the agent reads it in the portal.",
    )
    sm_registration_progress_date = fields.Datetime(
        string="Last Registration Progress",
        copy=False,
        help="Last time the registration progressed (registered, reviewed, "
        "assigned, moved to another stage); it lapses after the company's delay "
        "without progress.",
    )
    sm_registration_lapsed = fields.Boolean(
        string="Registration Lapsed",
        copy=False,
        tracking=True,
        help="The registration made no progress for the company's lapse delay: "
        "the agent was told, the client may be registered again and the agent "
        "earns no registrar share of it.",
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _sm_registration_before_write(self, vals):
        """The registrations that are not won yet, when the stage may change
        (to tell their agents when they are won); registrations progress when
        their stage or salesperson changes."""
        if not {"stage_id", "user_id", "active"} & set(vals):
            return None
        registrations = self.filtered("sm_registration_state")
        if not registrations:
            return None
        return registrations.filtered(lambda lead: not lead.stage_id.is_won)

    def _sm_registration_on_write(self, vals, not_won_before):
        if not_won_before is None:
            return
        progressed = self.filtered("sm_registration_state").filtered(
            lambda lead: not lead.sm_registration_lapsed
        )
        if progressed:
            # sudo: crm.lead - a progress date, whoever moved the deal
            progressed.sudo().write(
                {"sm_registration_progress_date": fields.Datetime.now()}
            )
        won = not_won_before.filtered(
            lambda lead: lead.active
            and lead.stage_id.is_won
            and lead.sm_registration_state == "accepted"
        )
        won._sm_registration_notify("sales_motivation.mail_template_registration_won")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_sm_accept_registration(self, user=None):
        """Accept the pending registrations: to ``user`` (a res.users) when
        given, else to the salesperson already set, else into the team's
        shared pool. The agent stays the registrar whoever closes the deal."""
        leads = self._sm_check_review()
        now = fields.Datetime.now()
        if user:
            leads.write({"user_id": user.id})
        vals = {
            "sm_registration_state": "accepted",
            "sm_registration_progress_date": now,
            "sm_registration_reason": False,
        }
        leads.write(vals)
        to_pool = leads.filtered(lambda lead: not lead.user_id)
        if to_pool:
            to_pool.action_release_to_pool()
        leads._sm_registration_notify(
            "sales_motivation.mail_template_registration_accepted"
        )
        return True

    def action_sm_reject_registration(self, reason):
        """Reject the pending registrations with a reason the agent reads;
        the deals leave the pipeline (archived)."""
        if not (reason or "").strip():
            raise UserError(
                self.env._("Say why the registration is rejected: the agent reads it.")
            )
        leads = self._sm_check_review()
        leads.write(
            {
                "sm_registration_state": "rejected",
                "sm_registration_reason": reason.strip(),
                "sm_registration_progress_date": fields.Datetime.now(),
            }
        )
        leads.action_archive()
        leads._sm_registration_notify(
            "sales_motivation.mail_template_registration_rejected"
        )
        return True

    def action_sm_open_reject_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Registration"),
            "res_model": "motivation.registration.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": self.ids},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_check_review(self):
        """The registrations the current user may review: pending ones of the
        teams they lead (team leaders), or any (all documents)."""
        if not self:
            return self
        if not self._sm_can_set_registrar():
            raise AccessError(
                self.env._("Only team leaders review agents' registrations.")
            )
        self.check_access("write")
        not_pending = self.filtered(
            lambda lead: lead.sm_registration_state != "pending"
            or lead.sm_registration_lapsed
        )
        if not_pending:
            raise UserError(
                self.env._(
                    "Only pending registrations are reviewed: %s",
                    ", ".join(not_pending.mapped("display_name")),
                )
            )
        return self

    @api.model
    def _sm_registration_team(self, agent, company):
        """The team an agent's registrations arrive in: the agent's own, else
        the company's registration team, else its first sales team."""
        team = agent.sm_agent_team_id or company.sm_registration_team_id
        if not team:
            # sudo: crm.team - a portal user registering reads no team
            team = (
                self.env["crm.team"]
                .sudo()
                .search([("company_id", "in", [company.id, False])], limit=1)
            )
        return team

    @api.model
    def _sm_portal_register(self, agent, data):
        """An agent's registration from the portal, pending in the agent's
        team: ``data`` holds client, contact, phone, email and need."""
        company = agent.company_id or self.env.company
        team = self._sm_registration_team(agent, company)
        vals = {
            "name": data["client"],
            "type": "opportunity",
            "partner_name": data["client"],
            "contact_name": data["contact"],
            "phone": data.get("phone") or False,
            "email_from": data.get("email") or False,
            "sm_registration_need": data["need"],
            "sm_agent_id": agent.id,
            "registrar_id": False,
            "user_id": False,
            "team_id": team.id,
            "company_id": (team.company_id or company).id,
            "sm_registration_state": "pending",
            "sm_registration_progress_date": fields.Datetime.now(),
        }
        # sudo: crm.lead - agents have no access right on deals; the values
        # are the agent's own. The agent is not made a follower: the deal's
        # chatter stays the salesperson's.
        return self.sudo().with_context(mail_create_nosubscribe=True).create(vals)

    @api.model
    def _sm_portal_domain(self, partner):
        """The registrations a portal user's partner sees: those of the agent
        they are (or whose employee they are). The only door to deals in the
        portal: agents have no access right on crm.lead."""
        agent = partner._sm_agent_partner()
        if not agent:
            return [("id", "=", 0)]
        return [("sm_agent_id", "=", agent.id), ("sm_registration_state", "!=", False)]

    def _sm_registration_outcome(self):
        """What the agent reads as the outcome of the registration."""
        self.ensure_one()
        if self.sm_registration_state == "rejected":
            return self.env._("Rejected")
        if self.active and self.stage_id.is_won:
            return self.env._("Won")
        if not self.active:
            return self.env._("Lost")
        if self.sm_registration_lapsed:
            return self.env._("Lapsed")
        if self.sm_registration_state == "accepted":
            return self.env._("Accepted")
        return self.env._("Pending review")

    def _sm_registration_notify(self, template_xmlid):
        """E-mail the agent (and the portal user who registered it), in the
        agent's language."""
        leads = self.filtered("sm_agent_id")
        if not leads:
            return
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for lead in leads:
            recipients = lead.sm_agent_id
            if lead.create_uid.share:
                recipients |= lead.create_uid.partner_id
            # sudo: mail.template - the reviewer may not read mail templates
            template.sudo().send_mail(
                lead.id,
                email_values={"recipient_ids": [(6, 0, recipients.ids)]},
            )

    def _sm_registration_beneficiary_ok(self):
        """Whether an agent's registration pays the agent its registrar
        share: accepted and not lapsed (staff deals: always)."""
        self.ensure_one()
        if not self.sm_agent_id or not self.sm_registration_state:
            return True
        return self.sm_registration_state == "accepted" and not (
            self.sm_registration_lapsed
        )

    @api.model
    def _cron_sm_lapse_registrations(self):
        """Registrations without progress for their company's lapse delay
        lapse; their agents are told."""
        companies = self.env["res.company"].search(
            [("sm_registration_lapse_days", ">", 0)]
        )
        now = fields.Datetime.now()
        lapsed = self.browse()
        for company in companies:
            lapsed |= self.search(
                [
                    ("company_id", "=", company.id),
                    ("sm_registration_state", "in", ("pending", "accepted")),
                    ("sm_registration_lapsed", "=", False),
                    ("stage_id.is_won", "=", False),
                    (
                        "sm_registration_progress_date",
                        "<",
                        now - timedelta(days=company.sm_registration_lapse_days),
                    ),
                ]
            )
        if not lapsed:
            return
        lapsed.write({"sm_registration_lapsed": True})
        lapsed._sm_registration_notify(
            "sales_motivation.mail_template_registration_lapsed"
        )
