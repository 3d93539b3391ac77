# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date

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
    """Repeat clients: the purchase interval and monthly target they are
    expected to keep, their figures and regularity state (kept by the daily
    cron and on order confirmation, sale_order.py), the salesperson's
    reminders and the team leader's alerts."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited
    # repeat clients checked per call of the regularity cron: a few seconds
    _sm_regularity_batch_size = 5000

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

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
    sm_late_since = fields.Date(
        string="Late on Purchases Since",
        readonly=True,
        copy=False,
        help="The day the client became late (dormant clients stay late since "
        "then); what the pool rules on late clients count from.",
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

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

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

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _sm_regularity_on_write(self, vals):
        """A new interval or target: the client's state follows at once."""
        if {"sm_purchase_interval", "sm_monthly_target"} & set(vals):
            self.commercial_partner_id._sm_refresh_regularity()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

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
        # SQL: one aggregate over the clients' contacts' confirmed orders,
        # each client's window ending at its company's today, without loading
        # the orders: bench "regularity" (bench/RESULTS.md), 50000 clients
        # and 500k orders refreshed in 4.0 s and 15 queries, where Odoo's own
        # sale order count of the same clients takes 29.6 s
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
            # SQL: the values differ per client, where the ORM would issue
            # one UPDATE per client (50000 in bench "regularity", whose
            # refresh takes 4.0 s in all with these pages of 5000)
            update_rows(self.env, self._table, columns, changed)
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
        reminder = "sales_motivation.mail_activity_type_order_reminder"
        late = "sales_motivation.mail_activity_type_client_late"
        entries = [
            (
                partner,
                reminder,
                partner.user_id,
                # in the recipient's language
                env._(
                    "Remind to order: next purchase expected on %s",
                    format_date(env, partner.sm_next_order_date),
                )
                if partner.sm_next_order_date
                else env._("Remind to order: monthly volume under target"),
            )
            for partner in remind
            for env in [partner.with_context(lang=partner.user_id.lang).env]
        ] + [
            (
                partner,
                late,
                partner._sm_team_leader(),
                env._(
                    "Intervene: %(client)s (%(salesperson)s) late on purchases "
                    "since %(date)s",
                    client=partner.display_name,
                    salesperson=partner.user_id.name or env._("no salesperson"),
                    date=format_date(env, partner.sm_regularity_since),
                ),
            )
            for partner in alert
            for env in [partner.with_context(lang=partner._sm_team_leader().lang).env]
        ]
        if not entries:
            return self.env["mail.activity"]
        activities = self.env["mail.activity"]._sm_schedule(entries)
        # one UPDATE per page for both cycles: a late client gets both.
        # SQL: the cycles differ per client, where the ORM would issue one
        # UPDATE per client (36041 reminded or alerted in bench
        # "regularity")
        cycles = {
            p.id: [p.id, attention[p.id], p.sm_alerted_cycle or None] for p in remind
        }
        for p in alert:
            cycles.setdefault(p.id, [p.id, p.sm_reminded_cycle or None, None])[2] = (
                attention[p.id]
            )
        update_rows(
            self.env,
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

    @api.model
    def _sm_regularity_scope(self):
        """WHERE of the repeat clients (alias p) the cron goes over."""
        return SQL(
            "p.id = p.commercial_partner_id AND (p.sm_purchase_interval > 0"
            " OR p.sm_monthly_target > 0 OR p.sm_regularity_state IS NOT NULL)"
        )

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

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
        # SQL: the batch is locked as it is taken (SKIP LOCKED: two runs
        # split the clients), which the ORM cannot say; "checked today" is
        # each client's company's today
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
