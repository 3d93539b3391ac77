# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The progress strip above the pipeline: *Won 5/10 · New 120k/200k · ...*

One method, ``sm_progress_strip(domain)``, called by the pipeline's kanban
and list views with the domain they show: whose figures (the current
salesperson, or the salesperson or team a team leader filters on), which
targets (those of the approved plans covering the company-local today), and
what was achieved (read through ``motivation.achievement._totals``). Two
queries at most: the targets with the plans' periods and the local today in
one, the ledger's totals in the other.
"""

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from .motivation_achievement import METRICS

# the lead fields a domain names whose figures the strip shows, and the path
# from a target to the same thing
SUBJECT_PATHS = {
    "user_id": "user_id",
    "team_id": "user_id.crm_team_ids",
}


def _domain_tree(tokens, index=0):
    """(node, next index) of the normalized prefix domain ``tokens``: a node
    is a leaf, or (operator, operand...)."""
    token = tokens[index]
    if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
        left, index = _domain_tree(tokens, index + 1)
        right, index = _domain_tree(tokens, index)
        return (token, left, right), index
    if token == expression.NOT_OPERATOR:
        operand, index = _domain_tree(tokens, index + 1)
        return (token, operand), index
    return token, index + 1


def _is_leaf(node):
    return not (
        isinstance(node, tuple)
        and node
        and node[0]
        in (expression.AND_OPERATOR, expression.OR_OPERATOR, expression.NOT_OPERATOR)
    )


def _conjuncts(node):
    if not _is_leaf(node) and node[0] == expression.AND_OPERATOR:
        return _conjuncts(node[1]) + _conjuncts(node[2])
    return [node]


def _leaves(node):
    if _is_leaf(node):
        return [node]
    return [leaf for operand in node[1:] for leaf in _leaves(operand)]


def _translated(node, first):
    """The prefix domain of ``node`` on targets: each leaf's path on the lead
    (``user_id...``/``team_id...``) replaced by the path from a target."""
    if _is_leaf(node):
        path, operator, value = node
        rest = path.split(".", 1)[1:]
        return [(".".join([SUBJECT_PATHS[first], *rest]), operator, value)]
    return [node[0]] + [
        token for operand in node[1:] for token in _translated(operand, first)
    ]


class MotivationSalesTarget(models.Model):
    """The progress strip above the pipeline."""

    _inherit = "motivation.sales.target"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # BUSINESS: the progress strip
    # ------------------------------------------------------------

    @api.model
    def _sm_strip_labels(self):
        """The strip's short label of each metric, in the user's language."""
        return {
            "deals_won": self.env._("Won"),
            "revenue_new": self.env._("New"),
            "revenue_existing": self.env._("Existing"),
            "deals_registered": self.env._("Registered"),
            "calls": self.env._("Calls"),
            "meetings": self.env._("Meetings"),
            "clients_served": self.env._("Served"),
            "checkpoints_on_time": self.env._("Checkpoints"),
            "requests_on_time": self.env._("Requests"),
        }

    @api.model
    def _sm_strip_subject(self, domain):
        """The domain on targets of whose figures the strip shows for a
        pipeline filtered by ``domain`` (on crm.lead): the salesperson or
        team conditions the domain puts at its top level, for team leaders
        and heads of sales (the record rules then keep what they may read:
        their teams' members); the current user's own otherwise, and always
        for a salesperson."""
        own = [("user_id", "=", self.env.uid)]
        user = self.env.user
        if not (
            user.has_group("sales_motivation.group_team_leader")
            or user.has_group("sales_team.group_sale_salesman_all_leads")
            or user.has_group("sales_motivation.group_commission_manager")
        ):
            return own
        if not domain:
            return own
        tree, _index = _domain_tree(expression.normalize_domain(list(domain)))
        subject = []
        for conjunct in _conjuncts(tree):
            leaves = _leaves(conjunct)
            firsts = {
                leaf[0].split(".", 1)[0]
                if isinstance(leaf, list | tuple)
                and len(leaf) == 3
                and isinstance(leaf[0], str)
                else None
                for leaf in leaves
            }
            if len(firsts) == 1 and (first := firsts.pop()) in SUBJECT_PATHS:
                subject = expression.AND([subject, _translated(conjunct, first)])
        return subject or own

    @api.model
    def sm_progress_strip(self, domain=None):
        """The strip of the pipeline filtered by ``domain``: one item per
        target metric of the approved plans covering today (company-local)
        in the current company, for the salespeople the domain names (see
        ``_sm_strip_subject``), achieved against target summed over them
        (percent metrics: their average). Empty when no such plan has a
        target for them. Two queries for one plan period (one more for each
        further period)."""
        company = self.env.company
        now = fields.Datetime.now()
        utc_today = now.date()
        subject = self._sm_strip_subject(domain)
        if subject != [("user_id", "=", self.env.uid)]:
            # sudo: motivation.sales.target - the filter only says whose
            # targets are asked for (resolved in a subquery, without the
            # users' and teams' own rules, which would cost queries); the
            # targets' rules below decide which of them are shown
            subject = [("id", "in", self.sudo()._search(subject))]
        # the record rules apply: a salesperson's own targets, a team
        # leader's teams' members', everyone's for heads of sales
        Plan = self.env["motivation.sales.plan"]
        target_domain = expression.AND(
            [
                subject,
                [("company_id", "=", company.id)],
                # the local today is at most a day from UTC's: the exact
                # test is made below, on the local today of the query
                Plan._sm_current_domain(
                    [
                        fields.Date.subtract(utc_today, days=1),
                        fields.Date.add(utc_today, days=1),
                    ]
                ),
            ]
        )
        query = self._search(target_domain)
        date_from = self._field_to_sql(self._table, "date_from", query)
        date_to = self._field_to_sql(self._table, "date_to", query)
        user = self._field_to_sql(self._table, "user_id", query)
        metric = self._field_to_sql(self._table, "metric", query)
        query.groupby = SQL(", ").join([date_from, date_to, user, metric])
        # the company-local today and the company's currency, in the same
        # query (a cold cache reads the company and its calendar otherwise)
        local_today = self.env["res.company"]._sm_local_date_sql(
            SQL("%s", company.id), SQL("%s::timestamp", now)
        )
        rows = self.env.execute_query(
            query.select(
                date_from,
                date_to,
                user,
                metric,
                SQL("SUM(%s)", self._field_to_sql(self._table, "target", query)),
                local_today,
                SQL("(SELECT currency_id FROM res_company WHERE id = %s)", company.id),
            )
        )
        periods = {}
        currency_id = False
        for row_from, row_to, user_id, row_metric, target, today, currency in rows:
            currency_id = currency
            if not Plan._sm_covers_today(row_from, row_to, today):
                continue
            periods.setdefault((row_from, row_to), {}).setdefault(row_metric, {})[
                user_id
            ] = target or 0.0
        labels = self._sm_strip_labels()
        Users = self.env["res.users"]
        items = []
        subjects = set()
        for (period_from, period_to), targets in sorted(periods.items()):
            user_ids = {uid for per_user in targets.values() for uid in per_user}
            subjects |= user_ids
            totals = self.env["motivation.achievement"]._totals(
                Users.browse(sorted(user_ids)),
                targets,
                period_from,
                period_to,
                company,
            )
            for metric_key in METRICS:  # the registry's order
                per_user = targets.get(metric_key)
                if not per_user:
                    continue
                target = sum(per_user.values())
                achieved = sum(
                    totals[(Users.browse(uid), metric_key)] for uid in per_user
                )
                if METRICS[metric_key]["aggregate"] == "average":
                    target /= len(per_user)
                    achieved /= len(per_user)
                items.append(
                    {
                        "metric": metric_key,
                        "label": labels[metric_key],
                        "unit": METRICS[metric_key]["unit"],
                        "target": target,
                        "achieved": achieved,
                        "ratio": achieved / target if target else 0.0,
                        "date_from": fields.Date.to_string(period_from),
                        "date_to": fields.Date.to_string(period_to),
                        "user_ids": sorted(per_user),
                        "ledger_domain": [
                            ("user_id", "in", sorted(per_user)),
                            ("metric", "=", metric_key),
                            ("date", ">=", fields.Date.to_string(period_from)),
                            ("date", "<=", fields.Date.to_string(period_to)),
                            ("company_id", "=", company.id),
                        ],
                    }
                )
        return {
            "items": items,
            "currency_id": currency_id,
            "user_count": len(subjects),
        }
