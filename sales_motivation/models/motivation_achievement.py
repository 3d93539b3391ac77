# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The achievement ledger: what each salesperson achieved, one row per event.

Every figure of a sales plan (targets' achieved, and later the progress
strip, reports and bonus) is read from this ledger through one method,
``motivation.achievement._totals``. The rows are written by one method,
``_sm_sync``: given documents, it computes what the ledger should hold for
them (``_sm_due_<source>``, the metric registry below says which source feeds
which metric) and writes the difference as new rows, in the transaction of
the event. Rows are never edited: a correction (a deal lost after its win, an
interaction deleted, an order cancelled) is a new row dated the company-local
day it happens. The administrators' *Rebuild* runs the same computation over
every document and shows the difference before writing it.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_is_zero

from .sql import insert_rows

# The metric registry: key -> (label, how rows add up, unit, what feeds it).
# "sum": the rows' values add up; "average": one row per item that fell due,
# value 100 when met and 0 when missed, achieved = sum of values / sum of
# items (a reversal row has item_count -1); "distinct": the number of
# distinct clients whose rows add up to more than zero.
METRICS = {
    "deals_won": {
        "label": "Deals Won",
        "aggregate": "sum",
        "unit": "count",
        "source": "crm.lead",
    },
    "revenue_new": {
        "label": "Revenue from New Clients",
        "aggregate": "sum",
        "unit": "amount",
        "source": "crm.lead",
    },
    "revenue_existing": {
        "label": "Revenue from Existing Clients",
        "aggregate": "sum",
        "unit": "amount",
        "source": "crm.lead",
    },
    "deals_registered": {
        "label": "Deals Registered",
        "aggregate": "sum",
        "unit": "count",
        "source": "crm.lead",
    },
    "calls": {
        "label": "Calls",
        "aggregate": "sum",
        "unit": "count",
        "source": "motivation.interaction",
    },
    "meetings": {
        "label": "Meetings",
        "aggregate": "sum",
        "unit": "count",
        "source": "motivation.interaction",
    },
    "clients_served": {
        "label": "Clients Served",
        "aggregate": "distinct",
        "unit": "count",
        "source": "motivation.interaction, sale.order",
    },
    "checkpoints_on_time": {
        "label": "Checkpoints on Time (%)",
        "aggregate": "average",
        "unit": "percent",
        "source": "motivation.checkpoint",
    },
    "requests_on_time": {
        "label": "Requests on Time (%)",
        "aggregate": "average",
        "unit": "percent",
        "source": "motivation.response",
    },
}

# the first responses that fell due: answered (in time or late) or missed
RESPONSE_DUE_STATES = ("on_time", "late", "missed")

# What _totals reads, in one index (an index-only scan of a salesperson's
# period): a salesperson's 8 figures of a month over a million rows took
# 17 ms in 2 queries through the user and date indexes, their rows fetched
# from the table (bench plan_figures, which also measures them without it)
TOTALS_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS motivation_achievement_totals_idx"
    " ON motivation_achievement (user_id, date)"
    " INCLUDE (metric, company_id, partner_id, value, item_count)"
)

# the documents that feed the ledger, and the method computing their rows
SOURCES = {
    "crm.lead": "_sm_due_leads",
    "motivation.interaction": "_sm_due_interactions",
    "sale.order": "_sm_due_orders",
    "motivation.checkpoint": "_sm_due_checkpoints",
    "motivation.response": "_sm_due_responses",
}


class MotivationAchievement(models.Model):
    """One event of one salesperson's achievement: a deal won (or no longer
    won), registered, a call or meeting that reached the client, a client
    served, a checkpoint met or missed."""

    _name = "motivation.achievement"
    _description = "Achievement"
    _order = "date desc, id desc"
    _rec_name = "metric"

    # a deleted user's rows go with them (users with history are archived,
    # not deleted; uninstalling the demo data deletes its users)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    metric = fields.Selection(
        [(key, metric["label"]) for key, metric in METRICS.items()],
        required=True,
        index=True,
        readonly=True,
    )
    date = fields.Date(
        required=True,
        index=True,
        readonly=True,
        help="The company-local day of the event; of a correction, the day it "
        "was made.",
    )
    value = fields.Float(
        readonly=True,
        digits=(16, 2),
        help="1 per deal, call or client; the amount of revenue; 100 or 0 for a "
        "percent metric. Negative for a correction.",
    )
    item_count = fields.Integer(
        string="Items",
        readonly=True,
        default=1,
        help="1 per item counted, -1 for the reversal of one: a percent metric "
        "is the sum of the values divided by the sum of the items.",
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", index="btree_not_null", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Client", index="btree_not_null", readonly=True
    )
    segment = fields.Selection(
        [("new", "New Client"), ("existing", "Existing Client")], readonly=True
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index="btree_not_null", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    res_model = fields.Char(string="Origin Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Origin ID", model_field="res_model", required=True, readonly=True
    )
    origin = fields.Reference(
        selection="_selection_origin",
        compute="_compute_origin",
        help="The document the event happened on.",
    )

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS motivation_achievement_origin_idx"
            f" ON {self._table} (res_model, res_id)"
        )
        self.env.cr.execute(TOTALS_INDEX_SQL)

    @api.model
    def _selection_origin(self):
        return [
            (model, self.env[model]._description)
            for model in SOURCES
            if model in self.env
        ]

    @api.depends("res_model", "res_id")
    def _compute_origin(self):
        for row in self:
            row.origin = (
                f"{row.res_model},{row.res_id}"
                if row.res_model in SOURCES and row.res_id
                else False
            )

    # ------------------------------------------------------------
    # ORM: rows are never edited
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Achievement rows are never edited; a correction is a new row "
                    "(Rebuild the ledger)."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_system(self):
        if not self.env.su:
            raise UserError(self.env._("Achievement rows are never deleted."))

    # ------------------------------------------------------------
    # BUSINESS: the one way figures are read
    # ------------------------------------------------------------

    @api.model
    def _totals(self, users, metrics, date_from, date_to, company):
        """{(user, metric): achieved} of ``users`` for ``metrics`` over the
        company-local days ``date_from`` to ``date_to`` (both included) in
        ``company``: sums, averages of the percent metrics, distinct clients
        served (METRICS). One query whatever the number of rows. Everything
        that shows or pays a figure reads it here."""
        metrics = list(metrics)
        result = {(user, metric): 0.0 for user in users for metric in metrics}
        if not users or not metrics:
            return result
        # Raw SQL: two _read_group calls took 8 ms for a salesperson's month
        # over a million rows, of which 2.3 ms in PostgreSQL, and the strip
        # read them in 17 ms (bench plan_figures). One statement, an
        # index-only scan of motivation_achievement_totals_idx, reads them
        # all. The ledger is never edited, only appended to (_sm_insert):
        # pending rows are flushed first; no record rule applies, a figure is
        # the same whoever reads it (the callers show it only on records the
        # user may read: a target, their own strip).
        self.flush_model(
            [
                "user_id",
                "metric",
                "date",
                "company_id",
                "partner_id",
                "value",
                "item_count",
            ]
        )
        distinct = [m for m in metrics if METRICS[m]["aggregate"] == "distinct"]
        plain = [m for m in metrics if m not in distinct]
        rows = self.env.execute_query(
            SQL(
                """
                WITH period AS (
                    SELECT user_id, metric, partner_id, value, item_count
                      FROM motivation_achievement
                     WHERE user_id = ANY(%(users)s)
                       AND date BETWEEN %(date_from)s AND %(date_to)s
                       AND company_id = %(company)s
                       AND metric = ANY(%(metrics)s)
                )
                SELECT user_id, metric, SUM(value), SUM(item_count)
                  FROM period WHERE metric = ANY(%(plain)s)
                 GROUP BY user_id, metric
                 UNION ALL
                SELECT user_id, metric, COUNT(*), NULL
                  FROM (SELECT user_id, metric
                          FROM period
                         WHERE metric = ANY(%(distinct)s) AND partner_id IS NOT NULL
                         GROUP BY user_id, metric, partner_id
                        HAVING SUM(value) > 0) served
                 GROUP BY user_id, metric
                """,
                users=users.ids,
                date_from=date_from,
                date_to=date_to,
                company=company.id,
                metrics=metrics,
                plain=plain,
                distinct=distinct,
            )
        )
        for user_id, metric, value, count in rows:
            if METRICS[metric]["aggregate"] == "average":
                value = value / count if count > 0 else 0.0
            result[(users.browse(user_id), metric)] = float(value)
        return result

    # ------------------------------------------------------------
    # BUSINESS: writing the ledger
    # ------------------------------------------------------------

    @api.model
    def _sm_sync_records(self, records, **options):
        """The documents ``records`` changed (or were deleted: pass them
        anyway; or were just created: ``created=True``; or are being written,
        so exist: ``exist=True``): the ledger follows, in new rows. Returns
        them."""
        return self._sm_sync(records._name, records.ids, **options)

    @api.model
    def _sm_sync(self, model, ids, **options):
        # sudo: motivation.achievement - only this method writes the ledger,
        # whoever made the event (users cannot write it)
        differences = self._sm_differences(model, ids, **options)
        return self.sudo()._sm_insert(differences)

    @api.model
    def _sm_insert(self, rows):
        """Write ledger rows (values for create, as _sm_differences gives
        them) in one INSERT whatever their number, and return them. The
        ORM's create inserts 100 rows per statement and builds a record per
        row: winning 5,000 deals wrote their 15,000 rows in 150 statements
        (bench plan_win), rebuilding 100,000 deals' ledger spent most of its
        time there (bench rebuild). The rows have nothing the ORM computes:
        no stored compute, related or default other than those given here."""
        return insert_rows(self, rows)

    @api.model
    def _sm_differences(self, model, ids, **options):
        """The rows (values for create) that bring the ledger of the
        documents ``model``/``ids`` in line with what they show now. A row
        is keyed by (document, metric, salesperson, client); a key without
        rows yet is dated by its event, a correction by the company-local
        today."""
        if not ids:
            return []
        # created: documents just created, which have no row yet (nor can
        # have been deleted): neither looked up (a logged call is one query
        # shorter, a new deal two)
        created = options.pop("created", False)
        # exist: documents known to exist (being written): not looked up
        exist = options.pop("exist", False)
        # sudo: every document is read whoever changed it: the ledger is the
        # same whoever makes the event
        if options.pop("deleted", False):  # the documents are being deleted
            due = {}
        else:
            records = self.env[model].sudo().with_context(active_test=False).browse(ids)
            due = getattr(self.sudo(), SOURCES[model])(
                records if created or exist else records.exists(), **options
            )
        existing = {}
        self.flush_model()
        for key_values in (
            ()
            if created
            else self.sudo()._read_group(
                [("res_model", "=", model), ("res_id", "in", list(ids))],
                [
                    "res_id",
                    "metric",
                    "user_id",
                    "partner_id",
                    "lead_id",
                    "segment",
                    "team_id",
                    "company_id",
                ],
                ["value:sum", "item_count:sum"],
            )
        ):
            res_id, metric, user, partner, lead, segment, team, company = key_values[:8]
            value, count = key_values[8:]
            key = (res_id, metric, user.id, partner.id)
            current = existing.setdefault(
                key,
                {
                    "value": 0.0,
                    "item_count": 0,
                    "vals": {
                        "lead_id": lead.id,
                        "segment": segment,
                        "team_id": team.id,
                        "company_id": company.id,
                    },
                },
            )
            current["value"] += value
            current["item_count"] += count
        todays = {}
        rows = []
        for key in set(due) | set(existing):
            target = due.get(key)
            current = existing.get(key)
            value = (target["value"] if target else 0.0) - (
                current["value"] if current else 0.0
            )
            count = (1 if target else 0) - (current["item_count"] if current else 0)
            if float_is_zero(value, precision_digits=2) and not count:
                continue
            res_id, metric, user_id, partner_id = key
            vals = dict(target["vals"] if target else current["vals"])
            if current:  # a correction: the company-local today
                company_id = vals["company_id"]
                if company_id not in todays:
                    todays[company_id] = (
                        self.env["res.company"].browse(company_id)._sm_local_date()
                    )
                date = todays[company_id]
            else:
                date = target["date"]
            rows.append(
                dict(
                    vals,
                    res_model=model,
                    res_id=res_id,
                    metric=metric,
                    user_id=user_id,
                    partner_id=partner_id or False,
                    date=date,
                    value=round(value, 2),
                    item_count=count,
                )
            )
        return sorted(rows, key=lambda r: (r["res_id"], r["metric"], r["user_id"]))

    @api.model
    def _sm_row(self, record, metric, user, value, date, company, **vals):
        """(key, due) of one row a document should hold."""
        partner = vals.pop("partner", None) or self.env["res.partner"]
        key = (record.id, metric, user.id, partner.id)
        return key, {
            "value": value,
            "date": date,
            "vals": {
                "lead_id": vals.get("lead_id", False),
                "segment": vals.get("segment", False),
                "team_id": vals.get("team_id", False),
                "company_id": company.id,
            },
        }

    # ------------------------------------------------------------
    # BUSINESS: rebuild
    # ------------------------------------------------------------

    @api.model
    def _sm_rebuild_candidates(self, model):
        """Ids of the documents of ``model`` that feed the ledger now or fed
        it before (their rows may need a reversal)."""
        Model = self.env[model].sudo().with_context(active_test=False)
        if model == "crm.lead":
            domain = [
                "|",
                ("registrar_id", "!=", False),
                ("stage_id.is_won", "=", True),
            ]
        elif model == "motivation.interaction":
            domain = [("reached", "=", True)]
        elif model == "sale.order":
            domain = [("state", "=", "sale"), ("user_id", "!=", False)]
        elif model == "motivation.response":
            domain = [("state", "in", RESPONSE_DUE_STATES)]
        else:
            domain = [("lead_id", "!=", False), ("state", "in", ("done", "overdue"))]
        ids = set(Model.search(domain).ids)
        self.flush_model()
        self.env.cr.execute(
            "SELECT DISTINCT res_id FROM motivation_achievement WHERE res_model = %s",
            [model],
        )
        ids.update(row[0] for row in self.env.cr.fetchall())
        return sorted(ids)

    @api.model
    def _sm_rebuild_differences(self, batch_size=2000):
        """Every row the documents say the ledger lacks (or has too much
        of), over every document: what *Rebuild* shows, then writes."""
        if not self.env.is_superuser() and not self.env.user.has_group(
            "sales_motivation.group_commission_manager"
        ):
            raise AccessError(
                self.env._("Only commission administrators rebuild the ledger.")
            )
        rows = []
        for model in SOURCES:
            ids = self._sm_rebuild_candidates(model)
            for start in range(0, len(ids), batch_size):
                rows += self._sm_differences(model, ids[start : start + batch_size])
                self.env.invalidate_all()
        return rows

    @api.model
    def _sm_summary(self, rows):
        """{(metric, user id): (value, items)} of rows (values for create)."""
        summary = defaultdict(lambda: [0.0, 0])
        for row in rows:
            entry = summary[(row["metric"], row["user_id"])]
            entry[0] += row["value"]
            entry[1] += row["item_count"]
        return summary
