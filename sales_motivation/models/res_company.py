# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    sm_personal_data_by_operators = fields.Boolean(
        string="Client Personal Data Edited by Data Operators Only",
        help="Salespeople can no longer change the name, phone, e-mail, address "
        "or tax id of the company's clients; data operators can.",
    )
    sm_opportunities_follow_client = fields.Boolean(
        string="Opportunities Follow Their Client",
        help="When a client gets another salesperson, its open opportunities "
        "held by the previous one move along.",
    )
    sm_client_follows_opportunity = fields.Boolean(
        string="Client Follows Its Opportunities",
        help="When an opportunity is reassigned, released to the pool or claimed, "
        "its client's salesperson changes accordingly.",
    )
    sm_registrar_percent = fields.Float(
        string="Default Registrar Share (%)",
        digits=(5, 2),
        default=5.0,
        help="Registrar share of new commission plans.",
    )
    sm_closer_percent = fields.Float(
        string="Default Closer Share (%)",
        digits=(5, 2),
        default=10.0,
        help="Closer share of new commission plans.",
    )
    sm_first_contact_name = fields.Boolean(
        string="First Contact Needs a Contact",
        default=True,
        help="A contact name or a customer.",
    )
    sm_first_contact_channel = fields.Boolean(
        string="First Contact Needs a Phone or E-mail", default=True
    )
    sm_first_contact_source = fields.Boolean(
        string="First Contact Needs a Source",
        help="Where the request came from (the lead's source).",
    )
    sm_courtesy_call = fields.Boolean(
        string="Courtesy Call on Checkpoints Met",
        help="When a deal reaches all its checkpoints on time, its salesperson "
        "gets a call activity to thank the client and keep the contact warm.",
    )
    sm_regularity_due_days = fields.Integer(
        string="Repeat Client Due (days before)",
        default=3,
        help="A repeat client becomes due, and its salesperson is reminded, this "
        "many days before its next expected purchase.",
    )
    sm_regularity_late_days = fields.Integer(
        string="Repeat Client Late (days after)",
        default=7,
        help="A repeat client becomes late, and the team leader is alerted, this "
        "many days after its next expected purchase.",
    )
    sm_regularity_dormant_days = fields.Integer(
        string="Repeat Client Dormant (days)",
        default=180,
        help="A repeat client without any confirmed order for this many days is "
        "dormant.",
    )
    sm_lost_needs_touch = fields.Boolean(
        string="Lost Needs a Reason and a Touch",
        help="A lead or opportunity is closed as lost only with a lost reason "
        "and after at least one touch: a logged interaction, an e-mail sent "
        "to the client, a quotation sent.",
    )
    sm_registration_lapse_days = fields.Integer(
        string="Registrations Lapse After (days)",
        default=30,
        help="An agent's registration without progress (review, salesperson, "
        "stage) for this many days lapses: the agent is told and the client may "
        "be registered again. 0: registrations never lapse.",
    )
    sm_registration_team_id = fields.Many2one(
        "crm.team",
        string="Registration Team",
        help="The sales team whose leader reviews the registrations of agents "
        "without a team of their own (empty: the company's first team).",
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        if "resource_calendar_id" in vals:
            self.env.registry.clear_cache()  # _sm_tz_name
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS: the company's local date
    # ------------------------------------------------------------

    def _sm_tz(self):
        """The time zone money and deadlines are counted in: the company's
        working-time calendar's (UTC when it has none)."""
        self.ensure_one()
        return pytz.timezone(self._sm_tz_name(self.id))

    @api.model
    @tools.ormcache("company_id")
    def _sm_tz_name(self, company_id):
        # Cached: every win, call and checkpoint dates its ledger rows by
        # it, and reading the calendar is one more query of each request
        # (load scenario "win the deal"). Cleared when a company changes
        # calendar or a calendar its time zone (write below, and
        # resource_calendar.py).
        # sudo: res.company, resource.calendar - the company's time zone is
        # the same whoever counts in it
        company = self.sudo().browse(company_id)
        return company.resource_calendar_id.tz or "UTC"

    def _sm_local_date(self, value=None):
        """The company-local date of ``value``, a naive UTC datetime as Odoo
        stores them (default: now). The one place that turns a moment into
        the day money, periods and deadlines belong to."""
        self.ensure_one()
        value = value or fields.Datetime.now()
        if not isinstance(value, datetime):  # already a date
            return value
        return pytz.utc.localize(value).astimezone(self._sm_tz()).date()

    def _sm_utc_bounds(self, date_from, date_to):
        """The naive UTC datetimes ``[start, end)`` covering the company-local
        days ``date_from`` to ``date_to`` (both included), to search stored
        datetimes by local period."""
        self.ensure_one()
        tz = self._sm_tz()

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from), utc(date_to + timedelta(days=1))

    @api.model
    def _sm_todays(self):
        """{company id: its local today} of every company, and under the key
        None the current company's (for documents without company)."""
        # one query for all the companies, whatever the user's companies:
        # the crons run over all of them. SQL: the companies and their
        # calendars in one query (the ORM reads them in two, as superuser),
        # once per cron batch and per refresh
        self.flush_model(["resource_calendar_id"])
        self.env["resource.calendar"].flush_model(["tz"])
        self.env.cr.execute(
            SQL(
                "SELECT co.id, cal.tz FROM res_company co"
                " LEFT JOIN resource_calendar cal ON cal.id = co.resource_calendar_id"
            )
        )
        now = pytz.utc.localize(fields.Datetime.now())
        todays = {
            company_id: now.astimezone(pytz.timezone(tz or "UTC")).date()
            for company_id, tz in self.env.cr.fetchall()
        }
        todays[None] = todays.get(self.env.company.id) or (
            self.env.company._sm_local_date()
        )
        return todays

    @api.model
    def _sm_today_sql(self, company, todays=None):
        """SQL expression of the company-local today of the company whose id
        is the SQL expression ``company``, for set-wise queries over the
        documents of many companies: each company's today computed in Python
        (``todays``, default ``_sm_todays()``: a handful of companies) and
        passed as two arrays. A document without company counts in the
        current company's today."""
        todays = todays or self._sm_todays()
        ids = [company_id for company_id in todays if company_id]
        return SQL(
            "COALESCE((SELECT d.today FROM unnest(%s::int[], %s::date[])"
            " AS d(company_id, today) WHERE d.company_id = %s), %s::date)",
            ids,
            [todays[company_id] for company_id in ids],
            company,
            todays[None],
        )

    @api.model
    def _sm_local_date_sql(self, company, value, default="UTC"):
        """SQL expression of the local date of the naive UTC timestamp
        ``value`` (SQL) in the company whose id is the SQL ``company``: its
        working-time calendar's time zone, ``default`` (a time zone name)
        when there is no company or it has no calendar (the SQL twin of
        ``_sm_local_date``)."""
        return SQL(
            "(%s AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(("
            "SELECT cal.tz FROM res_company co"
            " JOIN resource_calendar cal ON cal.id = co.resource_calendar_id"
            " WHERE co.id = %s), %s))::date",
            value,
            company,
            default,
        )
