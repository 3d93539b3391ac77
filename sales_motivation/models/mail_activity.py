# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# documents whose calls and meetings are done with an interaction record
INTERACTION_MODELS = ("crm.lead", "res.partner")


class MailActivity(models.Model):
    """The addon's one way to schedule activities (``_sm_schedule``), and the
    calls and meetings done by logging an interaction."""

    _inherit = "mail.activity"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _sm_schedule(
        self, entries, date_deadline=None, bulk=False, names=None, notify=False
    ):
        """Schedule activities for other users in one batch (the crons and
        rules of the addon, whoever runs them); returns them in the order of
        ``entries``: [(record, activity type XML id, assignee (res.users or
        id), summary[, the entry's own deadline])].

        What Odoo's ``activity_schedule`` honours is honoured here: nothing
        is scheduled under the context key ``mail_activity_automation_skip``;
        the activities are ``automated``; an empty summary is the type's (its
        default note is left out: no type the addon schedules has one, and
        reading it would cost a query per type and batch); an
        entry without assignee goes to the type's default user, else the
        current user; the deadline is ``date_deadline``, by default today in
        each assignee's time zone (the day the activity shows as due "today"
        to them; the context's time zone for an assignee without one).
        Unlike ``activity_schedule``, which a user runs on their own
        records: no assignation e-mail per activity
        (``mail_activity_quick_update``), the crons tell once in their own
        message or the activity lists show them; unless ``notify``: then
        each assignee other than the current user is told, as Odoo's create
        tells them (the courtesy call, scheduled by whoever reached the last
        checkpoint).

        ``bulk``: one INSERT instead of the ORM's create, for the overdue
        cron's alerts (``names``: the records' display names, which the
        caller read with them). It fills every column create would (its
        stored related and computed ones: res_model, res_name, user_tz,
        date_done empty while active) and tells the assignees' activity
        counters on the bus as create does; it does not subscribe each
        assignee to each record (team leaders read their teams' deals anyway,
        and 100k follower rows would cost more than the alerts). Why SQL:
        bench scenario "overdue" (bench/RESULTS.md): the ORM's create costs
        about 1 ms per activity, most of the cron's time at 100k deals."""
        if self.env.context.get("mail_activity_automation_skip") or not entries:
            return self.browse()
        types = {}
        rows = []  # (model, res_id, activity type, user id, summary)
        own_deadlines = []  # an entry's own deadline (a 5th item), or None
        for record, xmlid, user, summary, *deadline in entries:
            own_deadlines.append(deadline[0] if deadline else None)
            if xmlid not in types:
                types[xmlid] = self.env.ref(xmlid)
            activity_type = types[xmlid]
            user_id = user.id if isinstance(user, models.BaseModel) else user
            rows.append(
                (
                    record._name,
                    record.id,
                    activity_type,
                    user_id or (activity_type.default_user_id or self.env.user).id,
                    summary or activity_type.summary,
                )
            )
        if bulk:
            assert not any(own_deadlines), "the bulk path takes one deadline"
            return self._sm_insert(rows, date_deadline, names)
        deadlines = {}
        if not date_deadline:
            deadlines = self._sm_assignee_todays(
                self.env["res.users"].browse(sorted({row[3] for row in rows}))
            )
        IrModel = self.env["ir.model"]
        # sudo: mail.activity - scheduled for other users (team leaders,
        # salespeople) on documents the user running the cron or rule may
        # not write
        activities = (
            self.sudo()
            .with_context(mail_activity_quick_update=not notify)
            .create(
                [
                    {
                        "res_model_id": IrModel._get_id(model),
                        "res_id": res_id,
                        "activity_type_id": activity_type.id,
                        "user_id": user_id,
                        "date_deadline": own or date_deadline or deadlines[user_id],
                        "summary": summary,
                        "automated": True,
                    }
                    for (model, res_id, activity_type, user_id, summary), own in zip(
                        rows, own_deadlines, strict=True
                    )
                ]
            )
        )
        return activities.with_env(self.env)

    @api.model
    def _sm_assignee_todays(self, users):
        """{user id: today in the user's time zone (the context's, else the
        current user's, when the user has none)}."""
        todays = {}
        by_user = {}
        for user in users:
            tz = user.tz or self.env.context.get("tz")
            if tz not in todays:
                todays[tz] = fields.Date.context_today(self.with_context(tz=tz))
            by_user[user.id] = todays[tz]
        return by_user

    @api.model
    def _sm_insert(self, rows, date_deadline, names):
        """``_sm_schedule``'s bulk path: one INSERT for ``rows``."""
        if names is None:
            # read per model, all at once
            records = {
                model: self.env[model].browse([r[1] for r in rows if r[0] == model])
                for model in {row[0] for row in rows}
            }
            names = [
                records[model]
                .browse(res_id)
                .with_prefetch(records[model]._prefetch_ids)
                .display_name
                for model, res_id, *_rest in rows
            ]
        IrModel = self.env["ir.model"]
        models_, res_ids, type_ids, user_ids, summaries = (
            list(column)
            for column in zip(
                *(
                    (model, res_id, activity_type.id, user_id, summary)
                    for model, res_id, activity_type, user_id, summary in rows
                ),
                strict=True,
            )
        )
        self.env["res.partner"].flush_model(["tz"])
        cr = self.env.cr
        now = fields.Datetime.now()
        # SQL: see _sm_schedule (bench "overdue"). The deadline is each
        # assignee's today unless one is given: the time zones Odoo offers
        # (pytz's) are all PostgreSQL's names; user_tz is the related
        # res.users.tz, stored on the user's partner
        cr.execute(
            SQL(
                """
                INSERT INTO mail_activity (
                    res_model_id, res_model, res_id, res_name,
                    activity_type_id, summary, date_deadline, user_id, user_tz,
                    automated, active, create_uid, create_date, write_uid,
                    write_date)
                SELECT v.model_id, v.model, v.res_id, v.res_name,
                       v.type_id, v.summary,
                       COALESCE(%(deadline)s::date,
                                (%(now)s::timestamp AT TIME ZONE 'UTC'
                                 AT TIME ZONE COALESCE(p.tz, %(tz)s, 'UTC'))::date),
                       v.user_id, p.tz,
                       TRUE, TRUE, %(uid)s, %(created)s, %(uid)s, %(created)s
                  FROM unnest(%(model_ids)s::int[], %(models)s::varchar[],
                              %(res_ids)s::int[], %(names)s::varchar[],
                              %(type_ids)s::int[], %(summaries)s::varchar[],
                              %(user_ids)s::int[])
                       WITH ORDINALITY
                       AS v(model_id, model, res_id, res_name, type_id, summary,
                            user_id, n)
                  JOIN res_users u ON u.id = v.user_id
                  JOIN res_partner p ON p.id = u.partner_id
                 ORDER BY v.n
                RETURNING id, user_id, date_deadline
                """,
                model_ids=[IrModel._get_id(model) for model in models_],
                models=models_,
                res_ids=res_ids,
                names=names,
                type_ids=type_ids,
                summaries=summaries,
                user_ids=user_ids,
                deadline=date_deadline,
                now=now,
                tz=self.env.context.get("tz") or self.env.user.tz or "UTC",
                uid=self.env.uid,
                created=cr.now(),
            )
        )
        # ids follow the order of the SELECT: the order of ``rows``
        inserted = sorted(cr.fetchall())
        # the ORM cache does not know the new rows: the records' activities
        # and everything computed from them (state, deadline, user)
        self.invalidate_model()
        for model, ids in {
            m: [r[1] for r in rows if r[0] == m] for m in models_
        }.items():
            self.env[model].browse(ids).invalidate_recordset()
        # as create: each user's counter of activities due today or earlier
        today = fields.Date.today()
        counts = Counter(user_id for _id, user_id, day in inserted if day <= today)
        for user in self.env["res.users"].browse(sorted(counts)):
            user._bus_send(
                "mail.activity/updated",
                {"activity_created": True, "count_diff": counts[user.id]},
            )
        return self.browse(row[0] for row in inserted)

    def _sm_needs_interaction(self):
        return self.filtered(
            lambda a: a.activity_type_id.sm_interaction_kind
            and a.res_model in INTERACTION_MODELS
        )

    def action_sm_log_interaction(self, feedback=False):
        """The chatter's Done button: the interaction form when the activity
        is a call or meeting on a deal or client, else False (done as usual)."""
        self.ensure_one()
        if not self._sm_needs_interaction():
            return False
        record = self.env[self.res_model].browse(self.res_id)
        return self.env["motivation.interaction.wizard"]._open(
            record, activity=self, note=feedback or None
        )

    def _action_done(self, feedback=False, attachment_ids=None):
        if not self.env.context.get("sm_interaction_logged"):
            needs = self._sm_needs_interaction()
            if needs:
                raise UserError(
                    self.env._(
                        "%(activities)s: calls and meetings with clients are marked "
                        "done by logging them with their contact, phone or e-mail, "
                        "topic and result. Use the activity's Done button in the "
                        "chatter, or Log Interaction on the deal or client.",
                        activities=", ".join(needs.mapped("display_name")),
                    )
                )
        done = [
            (
                activity.res_model,
                activity.res_id,
                activity.activity_type_id,
                activity.summary,
            )
            for activity in self
            if activity.res_model
            and "sm_checkpoint_ids" in self.env[activity.res_model]._fields
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        Checkpoint = self.env["motivation.checkpoint"]
        for model, res_id, activity_type, summary in done:
            Checkpoint._detect(
                model,
                [res_id],
                "activity",
                summary or activity_type.name,
                activity_type=activity_type,
            )
        return result
