# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The agent's portal: registrations and commission.

Agents (portal users whose partner, or whose company, is an agent) have no
access right on deals: their registrations are read here, through
``crm.lead._sm_portal_domain`` and a narrow ``sudo()``, and only the fields
below are shown (never internal notes, the salesperson's chatter or other
parties' data). Commission lines and statements are read with the agent's
own rights (security/agent_portal_rules.xml). On a registration the agent
reads only the messages meant for them and the files attached to those
(models/crm_lead_registration_message.py), and writes to the staff with
files, when registering or later."""

import re

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

STATEMENT_REPORT = "sales_motivation.motivation_settlement_report_statement"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SalesMotivationPortal(CustomerPortal):
    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _sm_agent(self):
        return request.env.user.partner_id._sm_agent_partner()

    def _sm_registrations_sudo(self):
        # sudo: crm.lead - agents have no access right on deals; the domain
        # is the agent's registrations (crm.lead._sm_portal_domain)
        return (
            request.env["crm.lead"].sudo().with_context(active_test=False),
            request.env["crm.lead"]._sm_portal_domain(request.env.user.partner_id),
        )

    def _sm_registration_values(self, lead_sudo):
        """What the agent reads of one registration."""
        return {
            "id": lead_sudo.id,
            "name": lead_sudo.name,
            "client": lead_sudo.partner_name or lead_sudo.partner_id.name or "",
            "contact": lead_sudo.contact_name or "",
            "phone": lead_sudo.phone or "",
            "email": lead_sudo.email_from or "",
            "need": lead_sudo.sm_registration_need or "",
            "date": lead_sudo.create_date,
            "stage": lead_sudo.stage_id.name if lead_sudo.active else "",
            "progress": lead_sudo.sm_checkpoint_progress or "",
            "outcome": lead_sudo._sm_registration_outcome(),
            "reason": lead_sudo.sm_registration_reason
            if lead_sudo.sm_registration_state == "rejected"
            else "",
        }

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        wanted = {"sm_registration_count", "sm_commission_count"} & set(counters)
        if not wanted:
            return values
        agent = self._sm_agent()
        if "sm_registration_count" in counters:
            Lead, domain = self._sm_registrations_sudo()
            values["sm_registration_count"] = Lead.search_count(domain) if agent else 0
        if "sm_commission_count" in counters:
            values["sm_commission_count"] = (
                request.env["motivation.commission.line"].search_count(
                    [("state", "!=", "cancelled")]
                )
                if agent
                else 0
            )
        return values

    # ------------------------------------------------------------
    # REGISTRATIONS
    # ------------------------------------------------------------

    @http.route(
        ["/my/registrations", "/my/registrations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_registrations(self, page=1, **kw):
        if not self._sm_agent():
            return request.redirect("/my")
        Lead, domain = self._sm_registrations_sudo()
        total = Lead.search_count(domain)
        pager = portal_pager(
            url="/my/registrations",
            total=total,
            page=page,
            step=self._items_per_page,
        )
        leads = Lead.search(
            domain,
            order="create_date desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "sm_registrations",
                "registrations": [self._sm_registration_values(lead) for lead in leads],
                "pager": pager,
                "default_url": "/my/registrations",
            }
        )
        return request.render("sales_motivation.portal_my_registrations", values)

    @http.route(
        "/my/registrations/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_registration_new(self, **post):
        agent = self._sm_agent()
        if not agent:
            return request.redirect("/my")
        errors = {}
        if request.httprequest.method == "POST":
            errors = self._sm_registration_errors(post)
            if not errors:
                lead_sudo = request.env["crm.lead"]._sm_portal_register(
                    agent,
                    {
                        key: (post.get(key) or "").strip()
                        for key in ("client", "contact", "phone", "email", "need")
                    },
                )
                lead_sudo._sm_portal_post(
                    request.env.user.partner_id, "", self._sm_uploaded_files()
                )
                return request.redirect(f"/my/registrations/{lead_sudo.id}")
        values = self._prepare_portal_layout_values()
        values.update(
            {"page_name": "sm_registration_new", "errors": errors, "post": post}
        )
        return request.render("sales_motivation.portal_my_registration_new", values)

    def _sm_registration_errors(self, post):
        env = request.env
        errors = {}
        if not (post.get("client") or "").strip():
            errors["client"] = env._("Name the client.")
        if not (post.get("contact") or "").strip():
            errors["contact"] = env._("Name the contact person.")
        email = (post.get("email") or "").strip()
        if not (post.get("phone") or "").strip() and not email:
            errors["phone"] = env._("Give a phone number or an e-mail address.")
        if email and not EMAIL_RE.match(email):
            errors["email"] = env._("This e-mail address is not valid.")
        if not (post.get("need") or "").strip():
            errors["need"] = env._("Say what the client needs.")
        return errors

    def _sm_uploaded_files(self):
        """The files of the request's ``attachments`` input: (name, bytes)."""
        return [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]

    def _sm_registration_sudo(self, lead_id):
        Lead, domain = self._sm_registrations_sudo()
        return Lead.search([("id", "=", lead_id), *domain], limit=1)

    @http.route(
        "/my/registrations/<int:lead_id>", type="http", auth="user", website=True
    )
    def portal_my_registration(self, lead_id, **kw):
        lead_sudo = self._sm_registration_sudo(lead_id)
        if not lead_sudo:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "sm_registration",
                "registration": self._sm_registration_values(lead_sudo),
                "messages": lead_sudo._sm_portal_message_values(self._sm_agent()),
            }
        )
        return request.render("sales_motivation.portal_my_registration", values)

    @http.route(
        "/my/registrations/<int:lead_id>/message",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_registration_message(self, lead_id, message="", **kw):
        """The agent writes to the staff about their registration, with
        files; the page then shows it with the staff's answers."""
        lead_sudo = self._sm_registration_sudo(lead_id)
        if not lead_sudo:
            return request.redirect("/my")
        lead_sudo._sm_portal_post(
            request.env.user.partner_id, message, self._sm_uploaded_files()
        )
        return request.redirect(f"/my/registrations/{lead_sudo.id}#sm_messages")

    # ------------------------------------------------------------
    # COMMISSION
    # ------------------------------------------------------------

    @http.route("/my/commission", type="http", auth="user", website=True)
    def portal_my_commission(self, **kw):
        if not self._sm_agent():
            return request.redirect("/my")
        # the agent's own rights: the portal rules show their lines only
        lines = request.env["motivation.commission.line"].search(
            [("state", "!=", "cancelled")], limit=500
        )
        settlements = request.env["motivation.settlement"].search([])
        # sudo: crm.lead - the deal's name of the agent's own lines
        deal_names = {line.id: line.sudo().lead_id.name for line in lines}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "sm_commission",
                "lines": lines,
                "deal_names": deal_names,
                "settlements": settlements,
            }
        )
        return request.render("sales_motivation.portal_my_commission", values)

    @http.route(
        "/my/commission/statement/<int:settlement_id>",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_statement(self, settlement_id, **kw):
        settlement = request.env["motivation.settlement"].browse(settlement_id)
        try:
            settlement.check_access("read")
            settlement = settlement.exists()
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not settlement:
            return request.redirect("/my")
        # sudo: ir.actions.report - the statement of the agent's own
        # settlement (checked above), printed with the deal names it lists
        report = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(settlement.company_id)
            ._render_qweb_pdf(STATEMENT_REPORT, settlement.ids)[0]
        )
        filename = re.sub(r"\W+", "_", settlement.name or "statement")
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(report)),
            ("Content-Disposition", content_disposition(f"{filename}.pdf")),
        ]
        return request.make_response(report, headers=headers)
