# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from textwrap import shorten

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime
from odoo.tools.mail import email_normalize

from ..models.res_partner_duplicate import phone_key

# what the lookup shows of a client's history
HISTORY_LIMIT = 20
DEALS_LIMIT = 10
NOTE_PREVIEW = 160
# candidates read per key (a number shared by more clients is rare)
MATCH_LIMIT = 20
STATES = [
    ("empty", "Enter a number or an address"),
    ("none", "No client found"),
    ("mine", "Your client"),
    ("free", "Unassigned client"),
    ("team", "A client of your team"),
    ("colleague", "A colleague's client"),
]


class MotivationCallerLookup(models.TransientModel):
    """Who is calling: a phone number or an e-mail address, compared on the
    duplicate check's indexed keys (res_partner_duplicate.py), finds the
    client (or a deal without client). The client's history — every
    salesperson's interactions and its open deals — is shown when the client
    is the user's own or unassigned (or the user leads its salesperson's
    team, or sees all documents); a colleague's client shows only who holds
    it, and the user may notify them. Nothing else of a colleague's client
    is computed into the wizard's fields."""

    _name = "motivation.caller.lookup"
    _description = "Who Is Calling"

    query = fields.Char(
        string="Phone or E-mail",
        help="A phone number in any format, or an e-mail address.",
    )
    state = fields.Selection(STATES, compute="_compute_match", readonly=True)
    summary = fields.Char(compute="_compute_match", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Client", compute="_compute_match", readonly=True
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", compute="_compute_match", readonly=True
    )
    holder_id = fields.Many2one(
        "res.users", string="Held By", compute="_compute_match", readonly=True
    )
    history_html = fields.Html(
        string="History", compute="_compute_match", readonly=True, sanitize=False
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("query")
    @api.depends_context("uid")
    def _compute_match(self):
        for lookup in self:
            match = self._sm_find(lookup.query)
            lookup.state = match["state"]
            lookup.summary = match["summary"]
            lookup.holder_id = match["holder"]
            visible = match["state"] in ("mine", "free", "team")
            client, lead = match["client"], match["lead"]
            lookup.partner_id = client if visible else False
            # a deal without client the user may open
            lookup.lead_id = (
                lead.with_env(self.env)
                if visible and lead and lead.with_env(self.env).has_access("read")
                else False
            )
            lookup.history_html = self._sm_history(client, lead) if visible else False

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_sm_open_client(self):
        self.ensure_one()
        record = self.partner_id or self.lead_id
        if not record:
            raise UserError(self.env._("No client of yours to open."))
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_sm_notify_holder(self):
        """Tell the colleague holding the client that it called: a call
        activity on their client (or deal) for them, once while it is
        open."""
        self.ensure_one()
        match = self._sm_find(self.query)
        if match["state"] != "colleague":
            raise UserError(self.env._("There is no colleague to notify."))
        record = match["client"] or match["lead"]
        holder = match["holder"]
        summary = self.env._(
            "%(user)s answered %(query)s for your client: call back",
            user=self.env.user.name,
            query=self.query.strip(),
        )
        call = self.env.ref("mail.mail_activity_data_call")
        # sudo: mail.activity - the colleague's client is not the user's to
        # read; only whether the same reminder is already open is asked
        open_ = (
            self.env["mail.activity"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("user_id", "=", holder.id),
                    ("activity_type_id", "=", call.id),
                    ("summary", "=", summary),
                ],
                limit=1,
            )
        )
        if not open_:
            self.env["mail.activity"]._sm_schedule(
                [(record, "mail.mail_activity_data_call", holder, summary)],
                notify=True,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s was notified.", holder.name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _sm_find(self, query):
        """{state, summary, client, lead, holder}: the client (a commercial
        partner, in sudo) or deal without client matching ``query``, and its
        holder. The user's own match first, then an unassigned one, then a
        colleague's."""
        Partner = self.env["res.partner"]
        Lead = self.env["crm.lead"]
        match = {
            "state": "empty",
            "summary": False,
            "client": Partner,
            "lead": Lead,
            "holder": self.env["res.users"],
        }
        query = (query or "").strip()
        if not query:
            return match
        if "@" in query:
            field, key = "email_normalized", email_normalize(query)
        else:
            field, key = "sm_phone_key", phone_key(query)
        match["state"] = "none"
        if not key:
            match["summary"] = self.env._(
                "Enter a phone number of at least 7 digits or an e-mail address."
            )
            return match
        companies = [False, *self.env.companies.ids]
        # a colleague or the company itself calling is nobody's client
        clients_only = [
            ("commercial_partner_id", "not in", self.env.companies.partner_id.ids),
            "!",
            ("user_ids", "any", [("share", "=", False)]),
        ]
        # sudo: res.partner, crm.lead - the lookup searches every
        # salesperson's clients; what it shows of them is decided below
        # only the fields the match needs are read, with the searches
        # (search_fetch), not every stored field of deals and partners: the
        # lookup stays one query per step (bench lookup)
        partners = Partner.sudo().search_fetch(
            [(field, "=", key), ("company_id", "in", companies), *clients_only],
            ["commercial_partner_id", "user_id"],
            limit=MATCH_LIMIT,
        )
        leads = Lead.sudo().search_fetch(
            [(field, "=", key), ("company_id", "in", companies)],
            ["partner_id", "user_id"],
            limit=MATCH_LIMIT,
            order="id",
        )
        # the deals' contacts that are no clients are left out here, among
        # the few found: the same condition in the deals' search made
        # PostgreSQL test it on every partner (25 of the lookup's 36 ms on
        # 50,000 clients, bench lookup)
        others = leads.partner_id - partners
        if others:
            others -= Partner.sudo().search([("id", "in", others.ids), *clients_only])
            leads = leads.filtered(lambda lead: lead.partner_id not in others)
        leads.partner_id.fetch(["commercial_partner_id"])
        clients = (partners | leads.partner_id).commercial_partner_id
        clients.fetch(["user_id"])
        candidates = [(client, client.browse(), client.user_id) for client in clients]
        if any(not holder for _client, _lead, holder in candidates):
            open_deals = Lead.sudo().search_fetch(
                [
                    ("partner_id.commercial_partner_id", "in", clients.ids),
                    ("user_id", "!=", False),
                    ("stage_id.is_won", "=", False),
                ],
                ["partner_id", "user_id"],
                order="id",
            )
            open_deals.partner_id.fetch(["commercial_partner_id"])
            # an unassigned client with an open deal is its salesperson's
            # (the user's own deal first)
            for index, (client, _lead, holder) in enumerate(candidates):
                if holder:
                    continue
                deals = open_deals.filtered(
                    lambda d, c=client: d.partner_id.commercial_partner_id == c
                )
                mine = deals.filtered(lambda d: d.user_id == self.env.user)
                candidates[index] = (client, _lead, (mine or deals)[:1].user_id)
        candidates += [
            (Partner, lead, lead.user_id) for lead in leads if not lead.partner_id
        ]
        if not candidates:
            match["summary"] = self.env._("No client has this number or address.")
            return match

        def rank(candidate):
            holder = candidate[2]
            return (0 if holder == self.env.user else 1 if not holder else 2,)

        client, lead, holder = min(candidates, key=rank)
        holder = holder.with_env(self.env)
        if holder == self.env.user:
            state = "mine"
        elif not holder:
            state = "free"
        elif self._sm_sees_clients_of(holder):
            state = "team"
        else:
            state = "colleague"
        # the client or deal travels inside the method (the notification);
        # the fields only show it when visible (_compute_match)
        match.update(state=state, holder=holder, client=client, lead=lead)
        if state == "colleague":
            # the holder's name, nothing of the client
            match["summary"] = self.env._(
                "This client is held by %(holder)s: notify them to call back.",
                holder=holder.name,
            )
            return match
        client = client.with_env(self.env)
        lead = lead.with_env(self.env)
        # sudo: res.partner, crm.lead - the client's name is shown to whom
        # it is visible (own, unassigned, of the user's team)
        name = (client or lead).sudo().display_name
        match.update(
            client=client,
            lead=lead,
            summary={
                "mine": self.env._("%s: your client.", name),
                "free": self.env._("%s: unassigned, take the call.", name),
                "team": self.env._(
                    "%(name)s: a client of %(holder)s, of your team.",
                    name=name,
                    holder=holder.name,
                ),
            }[state],
        )
        return match

    @api.model
    def _sm_sees_clients_of(self, holder):
        """The user sees the holder's clients: a head of sales, or the leader
        of one of the holder's teams."""
        user = self.env.user
        if user.has_group("sales_team.group_sale_salesman_all_leads"):
            return True
        # sudo: crm.team - who leads the holder's teams
        return bool(
            self.env["crm.team"]
            .sudo()
            .search_count(
                [("user_id", "=", user.id), ("member_ids", "in", holder.ids)], limit=1
            )
        )

    @api.model
    def _sm_history(self, client, lead):
        """What was said before, by every salesperson: the client's (or the
        deal's) interactions, last first, and its open deals, as HTML."""
        # sudo: motivation.interaction, crm.lead - every salesperson's
        # history of a client visible to the user
        Interaction = self.env["motivation.interaction"].sudo()
        if client:
            domain = [("partner_id", "=", client.id)]
            deals = (
                self.env["crm.lead"]
                .sudo()
                .search_fetch(
                    [
                        ("partner_id.commercial_partner_id", "=", client.id),
                        ("stage_id.is_won", "=", False),
                    ],
                    ["name", "stage_id", "user_id"],
                    limit=DEALS_LIMIT,
                )
            )
        else:
            domain = [("lead_id", "=", lead.id)]
            deals = lead.sudo()
        interactions = Interaction.search_fetch(
            domain,
            [
                "date",
                "user_id",
                "contact_name",
                "direction",
                "kind",
                "topic",
                "note",
                "result_id",
                "sm_contact_rank",
            ],
            limit=HISTORY_LIMIT,
        )
        kinds = dict(Interaction._fields["kind"]._description_selection(self.env))
        directions = dict(
            Interaction._fields["direction"]._description_selection(self.env)
        )
        unassigned = self.env._("Unassigned")
        record = (client or lead).sudo()
        phone = record.phone or record.mobile
        email = record.email if client else record.email_from
        parts = [
            Markup("<p><b>%s</b>%s%s</p>")
            % (
                record.display_name,
                Markup(" &middot; %s") % phone if phone else "",
                Markup(" &middot; %s") % email if email else "",
            )
        ]
        if deals:
            parts.append(Markup("<p><b>%s</b></p><ul>") % self.env._("Open deals"))
            parts.extend(
                Markup("<li>%s (%s, %s)</li>")
                % (deal.name, deal.stage_id.name or "", deal.user_id.name or unassigned)
                for deal in deals
            )
            parts.append(Markup("</ul>"))
        parts.append(Markup("<p><b>%s</b></p>") % self.env._("What was said before"))
        if not interactions:
            parts.append(Markup("<p>%s</p>") % self.env._("No interaction yet."))
        else:
            parts.append(Markup('<table class="table table-sm o_sm_caller_history">'))
            for interaction in interactions:
                rank = interaction.sm_contact_rank
                parts.append(
                    Markup(
                        "<tr><td>%s</td><td>%s</td><td>%s %s%s</td><td>%s%s</td>"
                        "<td>%s</td></tr>"
                    )
                    % (
                        format_datetime(self.env, interaction.date, dt_format="short"),
                        interaction.user_id.name or interaction.contact_name or "",
                        directions[interaction.direction],
                        kinds[interaction.kind].lower(),
                        self.env._(" (contact no. %s)", rank) if rank else "",
                        interaction.topic or "",
                        Markup('<br/><small class="text-muted">%s</small>')
                        % shorten(interaction.note, NOTE_PREVIEW, placeholder="...")
                        if interaction.note
                        else "",
                        interaction.result_id.name,
                    )
                )
            parts.append(Markup("</table>"))
        return Markup("").join(parts)
