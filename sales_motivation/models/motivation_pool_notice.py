# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_date


class MotivationPoolNotice(models.Model):
    """One announcement of a rule to the salesperson of one deal (or client).

    At most one pending notice per rule and deal (or client): it is what makes
    the rules idempotent (no second warning, no second move) and what proves
    the salesperson was told, and when.
    """

    _name = "motivation.pool.notice"
    _description = "Pool Rule Notice"
    _order = "act_date, id"

    rule_id = fields.Many2one(
        "motivation.pool.rule", required=True, index=True, ondelete="cascade"
    )
    lead_id = fields.Many2one("crm.lead", index="btree_not_null", ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", string="Client", index="btree_not_null", ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", string="Salesperson Warned", index=True)
    warn_date = fields.Datetime(required=True)
    act_date = fields.Datetime(required=True, index=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("lapsed", "Lapsed")],
        default="pending",
        required=True,
        index=True,
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null")

    # one pending notice per rule and deal (client): partial unique rules,
    # as exclusion constraints with =
    _sql_constraints = [
        (
            "deal_or_client",
            "CHECK ((lead_id IS NULL) <> (partner_id IS NULL))",
            "A notice is about one deal or one client.",
        ),
        (
            "one_pending",
            "EXCLUDE USING btree (rule_id WITH =, lead_id WITH =) "
            "WHERE (state = 'pending' AND lead_id IS NOT NULL)",
            "A rule has one pending notice per deal.",
        ),
        (
            "one_pending_client",
            "EXCLUDE USING btree (rule_id WITH =, partner_id WITH =) "
            "WHERE (state = 'pending' AND partner_id IS NOT NULL)",
            "A rule has one pending notice per client.",
        ),
    ]

    @api.model
    def _activity_type(self):
        return self.env.ref("sales_motivation.mail_activity_type_pool_notice")

    @api.model
    def _warn(self, rule, leads, now):
        """Notices and activities for ``leads`` (or clients), in one batch
        each."""
        act_date = now + timedelta(days=rule.warning_days)
        subject = rule._subject_field()
        # each summary in its recipient's language
        lang_rule = {}
        for lang in set(leads.user_id.mapped("lang")) | {False}:
            lang_rule[lang] = rule.with_context(lang=lang) if lang else rule
        activities = self.env["mail.activity"]._sm_schedule(
            [
                (
                    lead,
                    "sales_motivation.mail_activity_type_pool_notice",
                    lead.user_id,
                    self._warning_summary(
                        lang_rule[lead.user_id.lang or False], act_date
                    ),
                )
                for lead in leads
            ],
            date_deadline=fields.Date.to_date(act_date),
        )
        # none under mail_activity_automation_skip
        activity_ids = activities.ids or [False] * len(leads)
        return self.create(
            [
                {
                    "rule_id": rule.id,
                    subject: lead.id,
                    "user_id": lead.user_id.id,
                    "warn_date": now,
                    "act_date": act_date,
                    "activity_id": activity_id,
                }
                for lead, activity_id in zip(leads, activity_ids, strict=True)
            ]
        )

    @api.model
    def _warning_summary(self, rule, act_date):
        """What the salesperson is told, in ``rule``'s language."""
        env = rule.env
        if rule.action == "alert":
            return env._(
                "Team leader alerted on %(date)s because %(reason)s",
                date=format_date(env, act_date.date()),
                reason=rule._reason(),
            )
        return env._(
            "Will be released on %(date)s because %(reason)s",
            date=format_date(env, act_date.date()),
            reason=rule._reason(),
        )

    def _lapse(self):
        """The deal was worked on (or left the rule's scope): withdraw."""
        self.activity_id.unlink()
        self.write({"state": "lapsed"})

    def _done(self):
        self.activity_id.unlink()
        self.write({"state": "done"})

    @api.model
    def _alert_leaders(self, rule, leads):
        """The team leader (else the salesperson) of each deal is alerted, in
        their language."""
        summaries = {}
        for lead in leads:
            leader = lead.team_id.user_id or lead.user_id
            lang_rule = rule.with_context(lang=leader.lang) if leader.lang else rule
            summaries[lead] = lang_rule.env._(
                "Intervene: %(salesperson)s, %(reason)s",
                salesperson=lead.user_id.name,
                reason=lang_rule._reason(),
            )
        return leads._sm_alert_team_leaders(summaries)
