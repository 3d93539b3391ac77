# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL, format_date

from .sql import lock_rows


class MotivationCheckpoint(models.Model):
    """The overdue cron: pending checkpoints past their deadline become
    overdue, and the team leader of each deviating deal is alerted once.

    Raw SQL here, and why: the cron goes over every open checkpoint of
    every company each day, in batches of 10000 deals whose cost must not
    grow with their number. Its queries select by the company-local today
    of each deal (arrays of todays, res.company._sm_today_sql), lock the
    rows they take (SKIP LOCKED, which the ORM cannot say), and write each
    late checkpoint once without loading it: bench "overdue"
    (bench/RESULTS.md), 100000 late deals with 300000 checkpoints in 17.4 s,
    0.18x the time of Odoo's own create of the same activities alone."""

    _inherit = "motivation.checkpoint"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_mark_overdue(self, batch_size=10000):
        """Pending checkpoints past their deadline become overdue, and the team
        leader gets one activity per deviating deal, never twice for the same
        deviation.

        One call handles the late checkpoints of at most ``batch_size`` deals
        (or other documents) in a number of queries that does not depend on
        the number of deals, and writes each checkpoint once: overdue, and
        when its deal's leader was alerted. It reports the deals left to
        Odoo's cron runner (``_notify_progress``), which commits and calls it
        again until none is left; called directly, it handles one batch.
        10000 deals make a call of about a second. Smaller calls cost more
        in all: each reads past the checkpoints the calls before it marked
        overdue (see ``_overdue_next``), and the runner's own cost (its
        progress record, the commit, the bus notice) is paid per call.
        The call's deals are locked for it, and those another transaction
        holds are skipped (left for the next call): two runs at once split
        the deals instead of alerting them twice.
        """
        # "today" is each deal's company's local today (see _overdue_late)
        today = self.env["res.company"]._sm_todays()
        cr = self.env.cr
        self.flush_model()
        self.env["crm.lead"].flush_model(["name", "team_id", "user_id"])
        self.env["crm.team"].flush_model(["user_id"])
        lead_ids, others, more = self._overdue_next(today, batch_size)
        batch = self._overdue_of_deals(today, lead_ids) if lead_ids else []
        alerts = [row for row in batch if row[1]]
        activity_ids = self._overdue_alert(alerts)
        # one UPDATE: each checkpoint overdue, alerted when its deal's team
        # leader was (deals without leader nor salesperson wait for one).
        # SQL: the values differ per checkpoint (alerted or not, its deal's
        # company's today) and the rows are not loaded (class docstring);
        # the checkpoints' write() hooks are done below by hand (cache,
        # commission of won deals). Measured against two set-wise write()
        # calls (alerted: state and alert_date; the others: state) on 10000
        # deals with 3 late checkpoints each, one company (2026-12-02, the
        # test database, median of 3): this UPDATE 1.4 s in 2 queries, the
        # two writes 6.3 s in 342 queries
        checkpoint_ids, alerted = list(others), [False] * len(others)
        for lead_id, _user, _name, ids, _types, _date in batch:
            checkpoint_ids += ids
            alerted += [lead_id in activity_ids] * len(ids)
        if checkpoint_ids:
            cr.execute(
                SQL(
                    """
                    UPDATE motivation_checkpoint c
                       SET state = 'overdue',
                           alert_date = CASE WHEN v.alerted THEN %(today)s END,
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM unnest(%(ids)s::int[], %(alerted)s::bool[])
                           AS v(id, alerted)
                     WHERE c.id = v.id AND c.id = ANY(%(ids)s)
                    """,
                    today=self.env["res.company"]._sm_today_sql(
                        SQL(
                            "(SELECT l.company_id FROM crm_lead l"
                            " WHERE l.id = c.lead_id)"
                        ),
                        today,
                    ),
                    uid=self.env.uid,
                    now=cr.now(),
                    ids=checkpoint_ids,
                    alerted=alerted,
                )
            )
            # the ORM cache knows neither these rows nor what the documents
            # compute from them (checkpoint status, data quality)
            self.env.invalidate_all()
            # an overdue checkpoint lowers its won deal's data quality score
            self.env["crm.lead"].browse(lead_ids)._sm_sync_commission_if_won()
            # and counts as missed in the checkpoints_on_time ledger
            self.env["motivation.achievement"]._sm_sync(self._name, checkpoint_ids)
        if not more:
            more = int(self._overdue_left(today))
        self.env["ir.cron"]._sm_notify_progress(
            done=len(lead_ids) + len(others), remaining=more
        )

    @api.model
    def _overdue_next(self, today, batch_size):
        """What the next call handles: the documents of the next late pending
        checkpoints, in order of deadline among the open checkpoints (the
        partial index motivation_checkpoint_open_deadline_idx: the overdue
        ones already handled are read past, not indexed apart, so that
        marking them overdue stays a HOT update); once there are none, the
        deals whose overdue checkpoints still wait for somebody to alert.
        At most ``batch_size`` of them, locked for the call: the deals (the
        other documents' checkpoints) another transaction holds are left to
        the next call, and the next ones taken instead.
        Returns (the deals' ids; the other documents' checkpoint ids; a lower
        bound of the documents left)."""
        cr = self.env.cr
        probe = 3 * batch_size
        # SQL: by the partial index on the open checkpoints' deadline, each
        # deal's company's today (class docstring)
        cr.execute(
            SQL(
                """
                SELECT c.id, c.lead_id FROM motivation_checkpoint c
                 WHERE %(late)s
                 ORDER BY c.deadline
                 LIMIT %(probe)s
                """,
                late=self._overdue_late(today),
                probe=probe,
            )
        )
        rows = cr.fetchall()
        if not rows:
            cr.execute(
                SQL(
                    """
                    SELECT DISTINCT c.lead_id FROM %(waiting)s
                     ORDER BY c.lead_id
                     LIMIT %(limit)s
                    """,
                    waiting=self._overdue_waiting(),
                    limit=batch_size + 1,
                )
            )
            rows = [(None, lead_id) for (lead_id,) in cr.fetchall()]
        keys = list(
            dict.fromkeys(lead_id or ("checkpoint", cp_id) for cp_id, lead_id in rows)
        )
        lead_ids = lock_rows(
            cr, "crm_lead", [k for k in keys if isinstance(k, int)], limit=batch_size
        )
        others = lock_rows(
            cr,
            self._table,
            [k[1] for k in keys if not isinstance(k, int)],
            limit=batch_size - len(lead_ids),
        )
        more = len(keys) - len(lead_ids) - len(others) or int(len(rows) == probe)
        return lead_ids, others, more

    @api.model
    def _overdue_late(self, todays):
        """The late pending checkpoints (alias c): past their deadline in
        their deal's company's local today (``todays``, see
        ``res.company._sm_todays``; a document that is not a deal, or a deal
        without company, in the current company's). The latest of the
        todays bounds the deadline first, so that the partial index on
        open deadlines serves it."""
        return SQL(
            "c.done_date IS NULL AND c.state = 'pending' AND c.deadline < %s"
            " AND c.deadline < %s",
            max(todays.values()),
            self.env["res.company"]._sm_today_sql(
                SQL("(SELECT l.company_id FROM crm_lead l WHERE l.id = c.lead_id)"),
                todays,
            ),
        )

    @api.model
    def _overdue_unalerted(self):
        # among the open checkpoints (the partial index on deadline holds
        # them): the overdue ones not alerted yet
        return SQL(
            "c.done_date IS NULL AND c.state = 'overdue' AND c.alert_date IS NULL"
            " AND c.lead_id IS NOT NULL"
        )

    @api.model
    def _overdue_waiting(self):
        """FROM and WHERE of the overdue checkpoints (alias c) still waiting
        for their alert whose deal has somebody to alert: its team leader,
        else its salesperson."""
        return SQL(
            """
            motivation_checkpoint c
            JOIN crm_lead l ON l.id = c.lead_id
            LEFT JOIN crm_team t ON t.id = l.team_id
           WHERE %s AND COALESCE(t.user_id, l.user_id) IS NOT NULL
            """,
            self._overdue_unalerted(),
        )

    @api.model
    def _overdue_of_deals(self, today, lead_ids):
        """The deals' checkpoints late or waiting for their alert, per deal:
        [(lead_id, user to alert or None, deal name, checkpoint ids, type ids,
        earliest deadline)].

        SQL: one aggregate per deal, with its name and whom to alert, read
        in the same query rather than loading the deals (class docstring)."""
        self.env.cr.execute(
            SQL(
                """
                WITH late AS (
                    SELECT c.lead_id,
                           array_agg(c.id ORDER BY c.sequence, c.id) AS ids,
                           array_agg(c.type_id ORDER BY c.sequence, c.id) AS types,
                           min(c.deadline) AS since
                      FROM motivation_checkpoint c
                     WHERE c.lead_id = ANY(%(leads)s)
                       AND (%(late)s OR %(unalerted)s)
                     GROUP BY c.lead_id
                )
                SELECT late.lead_id, COALESCE(t.user_id, l.user_id), l.name,
                       late.ids, late.types, late.since
                  FROM late
                  JOIN crm_lead l ON l.id = late.lead_id
                  LEFT JOIN crm_team t ON t.id = l.team_id
                 WHERE l.id = ANY(%(leads)s)
                 ORDER BY late.lead_id
                """,
                leads=lead_ids,
                late=self._overdue_late(today),
                unalerted=self._overdue_unalerted(),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _overdue_alert(self, alerts):
        """One "Checkpoint Overdue" activity per deal for its team leader
        (else its salesperson): "Intervene: <checkpoints> overdue since
        <date>". Returns {lead_id: activity_id}."""
        if not alerts:
            return {}
        types = self.env["motivation.checkpoint.type"].browse(
            sorted({t for *_lead, type_ids, _date in alerts for t in type_ids})
        )
        # each summary in its recipient's language
        langs = {
            user.id: user.lang or self.env.lang
            for user in self.env["res.users"].browse(sorted({row[1] for row in alerts}))
        }
        names = {}  # {lang: {type id: name}}
        summaries = {}  # deals late on the same checkpoints since the same day

        def summary(user_id, type_ids, deadline):
            lang = langs.get(user_id)
            key = (lang, tuple(type_ids), deadline)
            if key not in summaries:
                if lang not in names:
                    names[lang] = {t.id: t.name for t in types.with_context(lang=lang)}
                env = self.with_context(lang=lang).env
                summaries[key] = env._(
                    "Intervene: %(checkpoints)s overdue since %(date)s",
                    checkpoints=", ".join(names[lang][t] for t in type_ids),
                    date=format_date(env, deadline),
                )
            return summaries[key]

        Lead = self.env["crm.lead"]
        activities = self.env["mail.activity"]._sm_schedule(
            [
                (
                    Lead.browse(lead_id),
                    "sales_motivation.mail_activity_type_checkpoint_alert",
                    user_id,
                    summary(user_id, type_ids, deadline),
                )
                for lead_id, user_id, _name, _ids, type_ids, deadline in alerts
            ],
            bulk=True,
            names=[lead_name for _lead, _user, lead_name, *_rest in alerts],
        )
        return dict(zip((alert[0] for alert in alerts), activities.ids, strict=True))

    @api.model
    def _overdue_left(self, today):
        """Whether a late pending checkpoint, or a deal with somebody to alert
        of its overdue ones, is left (SQL: the conditions of the batch's own
        queries, see the class docstring)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT EXISTS (
                           SELECT FROM motivation_checkpoint c
                            WHERE %(late)s)
                    OR EXISTS (SELECT FROM %(waiting)s)
                """,
                late=self._overdue_late(today),
                waiting=self._overdue_waiting(),
            )
        )
        return self.env.cr.fetchone()[0]
