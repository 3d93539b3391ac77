# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .sql import update_rows

# how much a repeat client's state calls for attention
REGULARITY_RANK = {"regular": 1, "due": 2, "late": 3, "dormant": 4}
REGULARITY_FIELDS = [
    "sm_last_order_date",
    "sm_monthly_volume",
    "sm_next_order_date",
    "sm_regularity_state",
    "sm_regularity_since",
    "sm_late_since",
]


class ResPartner(models.Model):
    _inherit = "res.partner"
    # repeat clients checked per call of the regularity cron: a few seconds
    _sm_regularity_batch_size = 5000

    # Every lead and opportunity of the partner, archived ones aside (Odoo's
    # opportunity_ids only lists opportunities); the record rules use it.
    sm_lead_ids = fields.One2many("crm.lead", "partner_id", string="Leads")
    # What the client rules of salespeople and team leaders test beyond the
    # client's own salesperson. Odoo 18 checks the records a user reads
    # against the rules in Python, in sudo (BaseModel._check_access ->
    # filtered_domain): a rule path through a one2many field (sale_order_ids,
    # sm_lead_ids, child_ids) would read it there with every salesperson's
    # orders and leads, into the cache that the user's own reads of that field
    # then share (odoo/odoo#80133: a salesperson's cancellation e-mail counted
    # a colleague's orders of the client). These flags are the conditions the
    # rules' SQL tests when searching, evaluated by one SQL query per batch of
    # clients for the current user, reading no one2many field. They name
    # `active` themselves: Odoo checks stored fields' reads in SQL with
    # active_test=False, which would count lost deals and past memberships.
    sm_referred_by_me = fields.Boolean(
        string="Referred to by My Documents",
        compute="_compute_sm_referred_by_me",
        search="_search_sm_referred_by_me",
        help="A lead of mine, or of one of its contacts, or a sale order of mine "
        "names this client.",
    )
    sm_client_of_my_teams = fields.Boolean(
        string="Client of My Teams",
        compute="_compute_sm_client_of_my_teams",
        search="_search_sm_client_of_my_teams",
        help="The client's salesperson is a member of a team I lead, or a lead "
        "of a team I lead names the client.",
    )
    # the client rules filter on the salesperson
    user_id = fields.Many2one(index=True)
    sm_is_agent = fields.Boolean(
        string="Sales Agent",
        help="An external agent or dealer who registers deals and earns the "
        "registrar share of them (with or without a portal account).",
    )
    # Repeat clients: what they are expected to buy, and how they do. The
    # figures are kept by the regularity cron and on order confirmation.
    sm_purchase_interval = fields.Integer(
        string="Expected Purchase Interval (days)",
        help="A repeat client is expected to order again this many days after "
        "its last confirmed order.",
    )
    sm_monthly_target = fields.Monetary(
        string="Monthly Volume Target",
        currency_field="currency_id",
        help="What a repeat client is expected to buy per month (untaxed, "
        "company currency); compared with its average of the last 3 months.",
    )
    sm_last_order_date = fields.Date(string="Last Order", readonly=True, copy=False)
    sm_monthly_volume = fields.Monetary(
        string="Monthly Volume (3 months)",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="Untaxed amount of the confirmed orders of the last 3 months, "
        "divided by 3, in company currency.",
    )
    sm_next_order_date = fields.Date(
        string="Next Expected Purchase", readonly=True, copy=False
    )
    sm_regularity_state = fields.Selection(
        [
            ("regular", "Regular"),
            ("due", "Due"),
            ("late", "Late"),
            ("dormant", "Dormant"),
        ],
        string="Purchase Regularity",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Regular: on schedule and on target. Due: the next purchase is near "
        "(or the volume is under target); the salesperson is reminded. Late: "
        "past the expected date (or under target with no order for a month); "
        "the team leader is alerted. Dormant: no order for a long time.",
    )
    sm_regularity_since = fields.Date(
        string="Regularity State Since", readonly=True, copy=False
    )
    sm_team_id = fields.Many2one(
        related="user_id.sale_team_id",
        string="Sales Team",
        store=True,
        help="The sales team of the client's salesperson.",
    )
    sm_late_since = fields.Date(
        string="Late on Purchases Since",
        readonly=True,
        copy=False,
        help="The day the client became late (dormant clients stay late since "
        "then); what the pool rules on late clients count from.",
    )
    sm_interaction_ids = fields.One2many(
        "motivation.interaction", "partner_id", string="Interactions"
    )
    sm_interaction_count = fields.Integer(
        string="Interaction Count", compute="_compute_sm_interaction_count"
    )
    # the purchase cycle (its expected date, or the month) for which the
    # salesperson was reminded and the team leader alerted: once per cycle
    sm_reminded_cycle = fields.Date(readonly=True, copy=False)
    sm_alerted_cycle = fields.Date(readonly=True, copy=False)
    # the day the regularity cron last went over the client: what a batch of
    # it persists with its work, so that a rerun after an interruption goes
    # on with the clients not done yet
    sm_regularity_checked = fields.Date(
        string="Regularity Checked On", readonly=True, copy=False
    )

    @api.model
    def _sm_referred_by_domain(self, user_id):
        """Clients named by the active leads of ``user_id``, by those of their
        active contacts, or by the sale orders of ``user_id``."""
        my_leads = [("user_id", "=", user_id), ("active", "=", True)]
        return [
            "|",
            "|",
            ("sm_lead_ids", "any", my_leads),
            ("child_ids", "any", [("sm_lead_ids", "any", my_leads)]),
            ("sale_order_ids", "any", [("user_id", "=", user_id)]),
        ]

    @api.model
    def _sm_client_of_teams_domain(self, user_id):
        """Clients of the members of the teams ``user_id`` leads, and customers
        of those teams' active leads."""
        return [
            "|",
            (
                "user_id.crm_team_member_ids",
                "any",
                [("crm_team_id.user_id", "=", user_id), ("active", "=", True)],
            ),
            (
                "sm_lead_ids",
                "any",
                [("team_id.user_id", "=", user_id), ("active", "=", True)],
            ),
        ]

    def _sm_matching(self, domain):
        """The ids of ``self`` (archived ones too) that satisfy ``domain``, in
        one query: the one2many fields it names are joined in SQL, not read."""
        ids = [pid for pid in self._origin._ids if pid]
        if not ids:
            return set()
        # sudo: res.partner - the client rules ask about the current user's
        # documents (domain), whoever may read them; only a yes/no is kept
        partners = self.sudo().with_context(active_test=False)
        return set(partners.search([("id", "in", ids), *domain], order="id")._ids)

    @api.depends_context("uid")
    @api.depends(
        "sm_lead_ids.user_id",
        "sm_lead_ids.active",
        "child_ids.active",
        "child_ids.sm_lead_ids.user_id",
        "child_ids.sm_lead_ids.active",
        "sale_order_ids.user_id",
    )
    def _compute_sm_referred_by_me(self):
        found = self._sm_matching(self._sm_referred_by_domain(self.env.uid))
        for partner in self:
            partner.sm_referred_by_me = partner._origin.id in found

    def _search_sm_referred_by_me(self, operator, value):
        return self._sm_flag_domain(
            self._sm_referred_by_domain(self.env.uid), operator, value
        )

    @api.depends_context("uid")
    @api.depends(
        "user_id.crm_team_member_ids.crm_team_id.user_id",
        "user_id.crm_team_member_ids.active",
        "sm_lead_ids.team_id.user_id",
        "sm_lead_ids.active",
    )
    def _compute_sm_client_of_my_teams(self):
        found = self._sm_matching(self._sm_client_of_teams_domain(self.env.uid))
        for partner in self:
            partner.sm_client_of_my_teams = partner._origin.id in found

    def _search_sm_client_of_my_teams(self, operator, value):
        return self._sm_flag_domain(
            self._sm_client_of_teams_domain(self.env.uid), operator, value
        )

    @api.model
    def _sm_flag_domain(self, domain, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValueError(f"A flag is searched with = or != True/False: {operator}")
        return domain if (operator == "=") == value else ["!", *domain]

    def _compute_sm_interaction_count(self):
        counts = dict(
            self.env["motivation.interaction"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.sm_interaction_count = counts.get(partner, 0)

    @api.constrains("sm_purchase_interval", "sm_monthly_target")
    def _check_sm_regularity(self):
        for partner in self:
            if partner.sm_purchase_interval < 0 or partner.sm_monthly_target < 0:
                raise ValidationError(
                    self.env._(
                        "%s: the expected purchase interval and the monthly "
                        "target cannot be negative.",
                        partner.display_name,
                    )
                )

    def write(self, vals):
        moved = {}
        if "user_id" in vals:
            moved = {
                partner: partner.user_id
                for partner in self
                if partner.user_id.id != (vals["user_id"] or False)
            }
        protected = self._sm_personal_data_fields().intersection(vals)
        if protected and not self.env.su:
            locked = self.filtered(lambda p: not p._sm_can_edit_personal_data())
            if locked:
                labels = sorted(
                    self._fields[f].get_description(self.env)["string"]
                    for f in protected
                )
                raise AccessError(
                    self.env._(
                        "Only client data operators may change the personal data "
                        "(%(fields)s) of %(clients)s.",
                        fields=", ".join(labels),
                        clients=", ".join(locked.mapped("display_name")),
                    )
                )
        res = super().write(vals)
        if {"sm_purchase_interval", "sm_monthly_target"} & set(vals):
            self.commercial_partner_id._sm_refresh_regularity()
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
        return res

    def action_sm_view_interactions(self):
        """The client's interaction journal: its deals' and its own, every
        salesperson's."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_motivation.motivation_interaction_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_sm_log_interaction(self):
        """Log a call or meeting with the client, with its minimum data."""
        self.ensure_one()
        return self.env["motivation.interaction.wizard"]._open(self)

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
        leads = Lead.search(
            [
                ("partner_id", "child_of", partners.ids),
                ("type", "=", "opportunity"),
                ("active", "=", True),
                ("probability", "<", 100),
            ]
        )
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

    @api.model
    def _sm_personal_data_fields(self):
        """Fields of a client's personal data (name, contact details, address,
        tax id), which the setting reserves to data operators."""
        return {
            "name",
            "phone",
            "mobile",
            "email",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "country_id",
            "vat",
        }

    def _sm_can_edit_personal_data(self):
        """Whether the current user may change this client's personal data."""
        self.ensure_one()
        if self.env.su or not self.partner_share:
            # users' and companies' own partners are not clients
            return True
        company = self.company_id or self.env.company
        if not company.sm_personal_data_by_operators:
            return True
        return self.env.user.has_group("sales_motivation.group_data_operator")

    # ------------------------------------------------------------------
    # Repeat clients
    # ------------------------------------------------------------------

    @api.model
    def _sm_regularity(self, company, interval, target, last_date, volume, today):
        """(state, next expected date, cycle) of a repeat client.

        With an interval, the next purchase is expected ``interval`` days after
        the last order: due some days before, late some days after (company
        settings). With a monthly target, a volume under target is due, and
        late when the client has not ordered for a month either. Both: the
        worse. No confirmed order yet: no state. The cycle is what a reminder
        is given once for: the expected date, or the month for a target only.
        """
        if not last_date or not (interval or target):
            return False, False, False
        next_date = last_date + timedelta(days=interval) if interval else False
        cycle = next_date or today.replace(day=1)
        if last_date <= today - timedelta(days=company.sm_regularity_dormant_days):
            return "dormant", next_date, cycle
        states = []
        if interval:
            if today > next_date + timedelta(days=company.sm_regularity_late_days):
                states.append("late")
            elif today >= next_date - timedelta(days=company.sm_regularity_due_days):
                states.append("due")
            else:
                states.append("regular")
        if target:
            if volume >= target:
                states.append("regular")
            elif last_date <= today - relativedelta(months=1):
                states.append("late")
            else:
                states.append("due")
        return max(states, key=REGULARITY_RANK.get), next_date, cycle

    def _sm_refresh_regularity(
        self, everyone=False, today=None, checked=False, todays=None
    ):
        """Recompute the repeat clients among ``self`` (all of them with
        ``everyone``) from their confirmed sale orders and their contacts'
        ones: one aggregate query, one UPDATE per page of changed clients
        (with ``checked``, of every client, marked checked today).
        Returns {partner id: cycle} of the clients due, late or dormant."""
        if not (self or everyone):
            return {}
        # each client's "today" is its company's local today (the current
        # company's for a client without company, see res.company._sm_todays),
        # unless one is given
        given = today
        todays = {} if given else (todays or self.env["res.company"]._sm_todays())
        self.env["sale.order"].flush_model(
            ["partner_id", "state", "date_order", "amount_untaxed", "currency_rate"]
        )
        self.flush_model(
            ["commercial_partner_id", "sm_purchase_interval", "sm_monthly_target"]
            + REGULARITY_FIELDS
        )
        # the monthly volume: over the three months before the client's today
        since = (
            SQL("%s::date", given)
            if given
            else self.env["res.company"]._sm_today_sql(SQL("p.company_id"), todays)
        )
        scope = SQL("TRUE") if everyone else SQL("p.id IN %s", tuple(self.ids))
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.company_id, p.sm_purchase_interval,
                       p.sm_monthly_target, p.sm_last_order_date,
                       p.sm_monthly_volume, p.sm_next_order_date,
                       p.sm_regularity_state, p.sm_regularity_since,
                       p.sm_late_since, %(last_order)s,
                       COALESCE(SUM(so.amount_untaxed / NULLIF(so.currency_rate, 0))
                                FILTER (WHERE so.date_order
                                           >= %(since)s - interval '3 months'),
                                0) / 3,
                       oc.currency_id
                  FROM res_partner p
                  LEFT JOIN res_partner c ON c.commercial_partner_id = p.id
                  LEFT JOIN sale_order so ON so.partner_id = c.id
                                         AND so.state = 'sale'
                  LEFT JOIN res_company oc ON oc.id = so.company_id
                 WHERE %(repeat)s AND %(scope)s
                 GROUP BY p.id, oc.currency_id
                """,
                since=since,
                # the day of the last order in the client's company's days
                # (a client without company in the current company's)
                last_order=self.env["res.company"]._sm_local_date_sql(
                    SQL("COALESCE(p.company_id, %s)", self.env.company.id),
                    SQL("MAX(so.date_order)"),
                ),
                repeat=self._sm_regularity_scope(),
                scope=scope,
            )
        )
        # fetch at once: reading a record below (the company, its currency)
        # may run a query on the same cursor and discard this result
        # one row per client and currency of its orders' companies (one,
        # nearly always): the volumes are summed in the client's company
        # currency (converted at its local today), the last order is the
        # latest of all
        rows = self.env.cr.fetchall()
        by_client = {}
        for row in rows:
            *head, last_date, volume, currency_id = row
            by_client.setdefault(row[0], (head, []))[1].append(
                (last_date, volume, currency_id)
            )
        companies = {}
        changed, attention = [], {}
        for (
            partner_id,
            company_id,
            interval,
            target,
            old_last,
            old_volume,
            old_next,
            old_state,
            old_since,
            old_late_since,
        ), figures in by_client.values():
            if company_id not in companies:
                companies[company_id] = (
                    self.env["res.company"].browse(company_id) or self.env.company
                )
            company = companies[company_id]
            today = given or todays.get(company_id) or todays[None]
            last_date = max((f[0] for f in figures if f[0]), default=None)
            volume = sum(
                float(amount)
                if not currency_id or currency_id == company.currency_id.id
                else self.env["res.currency"]
                .browse(currency_id)
                ._convert(float(amount), company.currency_id, company, today)
                for _last, amount, currency_id in figures
                if amount
            )
            volume = company.currency_id.round(volume) if volume else 0.0
            state, next_date, cycle = self._sm_regularity(
                company, interval or 0, target or 0.0, last_date, volume, today
            )
            state = state or None
            since_date = old_since if state == old_state else (state and today)
            late_since = None
            if state in ("late", "dormant"):
                late_since = old_late_since or today
            if state in ("due", "late", "dormant"):
                attention[partner_id] = cycle
            values = (
                last_date,
                volume,
                next_date or None,
                state,
                since_date,
                late_since,
            )
            if checked:
                changed.append((partner_id, *values, today))
            elif values != (
                old_last,
                company.currency_id.round(float(old_volume or 0.0)),
                old_next,
                old_state,
                old_since,
                old_late_since,
            ):
                changed.append((partner_id, *values))
        if changed:
            columns = [
                ("id", "int"),
                ("sm_last_order_date", "date"),
                ("sm_monthly_volume", "numeric"),
                ("sm_next_order_date", "date"),
                ("sm_regularity_state", "varchar"),
                ("sm_regularity_since", "date"),
                ("sm_late_since", "date"),
            ]
            if checked:
                columns.append(("sm_regularity_checked", "date"))
            update_rows(self.env.cr, self._table, columns, changed)
            self.invalidate_model(REGULARITY_FIELDS + ["sm_regularity_checked"])
        return attention

    def _sm_regularity_activities(self, attention):
        """A "remind to order" activity for the salesperson of each client that
        became due or late, and an alert for its team leader when late: once
        per purchase cycle. ``attention``: {partner id: cycle}."""
        partners = self.browse(list(attention))
        remind = partners.filtered(
            lambda p: p.sm_regularity_state in ("due", "late")
            and p.user_id
            and p.sm_reminded_cycle != attention[p.id]
        )
        alert = partners.filtered(
            lambda p: p.sm_regularity_state == "late"
            and p.sm_alerted_cycle != attention[p.id]
            and p._sm_team_leader()
        )
        today = fields.Date.context_today(self)
        model_id = self.env["ir.model"]._get_id("res.partner")
        reminder = self.env.ref("sales_motivation.mail_activity_type_order_reminder")
        late = self.env.ref("sales_motivation.mail_activity_type_client_late")
        values = [
            {
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": reminder.id,
                "user_id": partner.user_id.id,
                "date_deadline": today,
                # in the recipient's language
                "summary": env._(
                    "Remind to order: next purchase expected on %s",
                    fields.Date.to_string(partner.sm_next_order_date),
                )
                if partner.sm_next_order_date
                else env._("Remind to order: monthly volume under target"),
            }
            for partner in remind
            for env in [partner.with_context(lang=partner.user_id.lang).env]
        ] + [
            {
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": late.id,
                "user_id": partner._sm_team_leader().id,
                "date_deadline": today,
                "summary": env._(
                    "Intervene: %(client)s (%(salesperson)s) late on purchases "
                    "since %(date)s",
                    client=partner.display_name,
                    salesperson=partner.user_id.name or env._("no salesperson"),
                    date=fields.Date.to_string(partner.sm_regularity_since),
                ),
            }
            for partner in alert
            for env in [partner.with_context(lang=partner._sm_team_leader().lang).env]
        ]
        if not values:
            return self.env["mail.activity"]
        # sudo: mail.activity - scheduled by the cron for other users
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(values)
        )
        # one UPDATE per page for both cycles: a late client gets both
        cycles = {
            p.id: [p.id, attention[p.id], p.sm_alerted_cycle or None] for p in remind
        }
        for p in alert:
            cycles.setdefault(p.id, [p.id, p.sm_reminded_cycle or None, None])[2] = (
                attention[p.id]
            )
        update_rows(
            self.env.cr,
            self._table,
            [
                ("id", "int"),
                ("sm_reminded_cycle", "date"),
                ("sm_alerted_cycle", "date"),
            ],
            [tuple(row) for row in cycles.values()],
        )
        self.invalidate_model(["sm_reminded_cycle", "sm_alerted_cycle"])
        return activities

    def _sm_alert_late(self, rule):
        """An activity for the team leader of each late client (``rule``
        says why), in the leader's language."""
        today = fields.Date.context_today(self)
        late = self.env.ref("sales_motivation.mail_activity_type_client_late")
        model_id = self.env["ir.model"]._get_id("res.partner")
        # sudo: mail.activity - scheduled by the rules for the team leaders
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": late.id,
                        "user_id": leader.id,
                        "date_deadline": today,
                        "summary": rule.with_context(lang=leader.lang).env._(
                            "Intervene: %(salesperson)s, %(reason)s",
                            salesperson=partner.user_id.name,
                            reason=rule.with_context(lang=leader.lang)._reason(),
                        ),
                    }
                    for partner in self
                    for leader in [partner._sm_team_leader() or partner.user_id]
                ]
            )
        )

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
        leads = Lead.search(
            [
                ("partner_id", "child_of", self.ids),
                ("type", "=", "opportunity"),
                ("active", "=", True),
                ("probability", "<", 100),
            ]
        )
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

    def _sm_team_leader(self):
        """Who answers for this client: the leader of its salesperson's team."""
        self.ensure_one()
        return self.sm_team_id.user_id

    @api.model
    def _sm_regularity_scope(self):
        """WHERE of the repeat clients (alias p) the cron goes over."""
        return SQL(
            "p.id = p.commercial_partner_id AND (p.sm_purchase_interval > 0"
            " OR p.sm_monthly_target > 0 OR p.sm_regularity_state IS NOT NULL)"
        )

    @api.model
    def _cron_sm_regularity(self, batch_size=None):
        """Daily: repeat clients' figures and states, then the reminders and
        alerts of the ones that became due or late.

        By batches of ``batch_size`` clients (default
        ``_sm_regularity_batch_size``) not checked yet today, locked for the
        batch (rows another transaction holds are skipped: two runs split the
        clients); each is marked checked in the same UPDATE as its figures,
        and its reminders are recorded with their cycle, so that a rerun
        after an interruption goes on with the others and reminds nobody
        twice. Reports what is left to Odoo's cron runner, which commits and
        calls again."""
        # checked "today": each client's company's local today
        todays = self.env["res.company"]._sm_todays()
        self.flush_model()
        cr = self.env.cr
        todo = SQL(
            "%s AND p.sm_regularity_checked IS DISTINCT FROM %s",
            self._sm_regularity_scope(),
            self.env["res.company"]._sm_today_sql(SQL("p.company_id"), todays),
        )
        cr.execute(
            SQL(
                """
                SELECT p.id FROM res_partner p
                 WHERE %s
                 ORDER BY p.id
                 LIMIT %s
                   FOR NO KEY UPDATE SKIP LOCKED
                """,
                todo,
                batch_size or self._sm_regularity_batch_size,
            )
        )
        partners = self.browse([row[0] for row in cr.fetchall()])
        attention = partners._sm_refresh_regularity(checked=True, todays=todays)
        partners._sm_regularity_activities(attention)
        self.flush_model()
        cr.execute(SQL("SELECT count(*) FROM res_partner p WHERE %s", todo))
        self.env["ir.cron"]._sm_notify_progress(
            done=len(partners), remaining=cr.fetchone()[0]
        )
