# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import babel.dates
import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import date_utils, format_date, mute_logger
from odoo.tools.misc import babel_locale_parse, get_lang
from odoo.tools.sql import create_index

# Deals named one by one in an assignment summary; the others are counted.
SUMMARY_LEADS = 20


class CrmLead(models.Model):
    """The shared pool: release, claim (team, cap, cooldown), protection from
    the pool rules, clients following their opportunities, and the messages
    and alerts of the pool rules (motivation_pool_rule.py) and of the fair
    distribution (crm_team.py)."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_protected = fields.Boolean(
        string="Protected from Pool Rules",
        copy=False,
        tracking=True,
        help="Set by a team leader: the pool and reassignment rules leave this "
        "deal with its salesperson.",
    )
    in_pool = fields.Boolean(
        string="In Shared Pool",
        copy=False,
        tracking=True,
        help="Released to the shared pool: every salesperson of the sales team "
        "sees it and may claim it.",
    )

    # What the pool's cards show: when and why the deal went to the pool, from
    # the transfer log (not stored: a deal is in the pool for a while, and its
    # age changes by the hour).
    sm_pool_date = fields.Datetime(
        string="In Pool Since",
        compute="_compute_sm_pool_info",
        help="When the deal was last released to the shared pool.",
    )
    # computed apart: the pipeline's cards show the age only, and the reason
    # is rendered from the transfer log (its rule's and users' names)
    sm_pool_reason = fields.Char(
        string="Pool Reason",
        compute="_compute_sm_pool_reason",
        help="Why the deal was last released to the shared pool.",
    )
    sm_pool_age = fields.Char(
        string="Time in Pool",
        compute="_compute_sm_pool_info",
        help="How long the deal has been in the shared pool.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    # create_date: a deal created in the pool is there since its creation
    # (and the search of the cards fetches it with them)
    @api.depends("in_pool", "create_date")
    @api.depends_context("lang")
    def _compute_sm_pool_info(self):
        releases = self._sm_pool_releases(["date"])
        now = fields.Datetime.now()
        locale = babel_locale_parse(get_lang(self.env).code)
        for lead in self:
            release = releases.get(lead.id)
            # a deal put in the pool without a release (created there):
            # since its creation
            since = release.date if release else (lead.in_pool and lead.create_date)
            lead.sm_pool_date = since
            lead.sm_pool_age = (
                babel.dates.format_timedelta(
                    max(now - since, timedelta(minutes=1)),
                    threshold=1.5,
                    locale=locale,
                )
                if since
                else False
            )

    @api.depends("in_pool")
    @api.depends_context("lang")
    def _compute_sm_pool_reason(self):
        releases = self._sm_pool_releases(["date", "reason"])
        for lead in self:
            release = releases.get(lead.id)
            lead.sm_pool_reason = release.reason if release else False

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        # The pool rule looks up pool leads by team; pool leads are few. The
        # predicate matches what the ORM writes for ('in_pool', '=', True).
        create_index(
            self.env.cr,
            "crm_lead_sm_pool_idx",
            self._table,
            ["team_id"],
            where="in_pool",
        )
        return res

    def _sm_pool_before_write(self, vals):
        """Only team leaders protect deals from the pool rules. Returns
        whether the clients are to follow their opportunities, and the
        deals whose salesperson is changed by hand ({lead: (user id, in the
        pool)} before the write), for the transfer log."""
        if "sm_protected" in vals and not self._sm_can_set_registrar():
            raise AccessError(
                self.env._("Only team leaders can protect deals from the pool rules.")
            )
        if "user_id" not in vals:
            return False, {}
        follow = not self.env.context.get("sm_following")
        by_hand = {}
        if follow and not self.env.context.get("sm_transfer_logged"):
            # a change of salesperson made by hand (the moves of the pool,
            # the rules, the distribution and the following clients log their
            # own): from a salesperson or the pool; giving a deal nobody had
            # is an assignment, not a transfer (Odoo's lead assignment)
            new_user = vals["user_id"] or False
            by_hand = {
                lead: (lead.user_id.id, lead.in_pool)
                for lead in self
                if (lead.user_id or lead.in_pool) and lead.user_id.id != new_user
            }
        return follow, by_hand

    def _sm_pool_on_write(self, vals, before):
        """A new salesperson: logged when given by hand; the clients follow
        (setting)."""
        follow, by_hand = before
        if by_hand:
            to_user = self.env["res.users"].browse(vals["user_id"] or [])
            self.env["motivation.transfer"]._log_manual(by_hand, to_user)
        if follow:
            self._sm_client_follows()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_release_to_pool(self, reason=None, rule=None):
        """Put the deals in their team's shared pool: the salesperson is
        cleared, the team and the registrar stay. Logged with its reason."""
        leads = self.filtered(lambda lead: not lead.in_pool)
        if not leads:
            return True
        without_team = leads.filtered(lambda lead: not lead.team_id)
        if without_team:
            raise UserError(
                self.env._(
                    "A deal goes to the shared pool of its sales team; set a team "
                    "first: %s",
                    ", ".join(without_team.mapped("display_name")),
                )
            )
        # the reason as facts: the manual rule chosen (its name as the
        # reader's language has it), a reason typed, or who released it
        if rule and (not reason or reason == rule.name):
            code, note = "rule", None
        elif reason:
            code, note = "note", reason
        else:
            code, note = "released", None
        origin = {lead.id: lead.user_id.id for lead in leads}
        leads.with_context(sm_transfer_logged=True).write(
            {"user_id": False, "in_pool": True}
        )
        entries = (
            self.env["motivation.transfer"]
            .with_context(sm_from_user=origin)
            ._log(leads, "release", code, rule=rule, note=note)
        )
        leads._sm_log_moves(
            entries,
            lambda env, reason: env._("Released to the shared pool: %s", reason),
        )
        return True

    def action_claim(self):
        """Take deals from the shared pool of one's teams. When two
        salespeople claim the same deal at once, the first one gets it and the
        other a clear message."""
        user = self.env.user
        # sudo: crm.lead - a deal claimed by someone else meanwhile is no
        # longer readable by the claimer, who must still be told why; the
        # checks below are the pool rule's own (in the pool, of one's team)
        leads = self.sudo()
        try:
            # lock the rows without waiting: a concurrent claim fails here and
            # is told why; the savepoint and the muted logger keep the failed
            # query out of the transaction and out of the error log. SQL: a
            # row lock (NOWAIT), which the ORM cannot take
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    "SELECT id FROM crm_lead WHERE id IN %s FOR UPDATE NOWAIT",
                    (tuple(leads.ids),),
                )
        except (
            psycopg2.errors.LockNotAvailable,
            psycopg2.errors.SerializationFailure,
        ) as error:
            raise UserError(
                self.env._(
                    "Another salesperson has just claimed or is claiming %s; "
                    "reload the pool.",
                    ", ".join(leads.mapped("display_name")),
                )
            ) from error
        leads.invalidate_recordset(["user_id", "in_pool", "type"])
        leads._sm_check_claim(user)
        vals = {
            "user_id": user.id,
            "in_pool": False,
            "sm_last_touch_date": fields.Datetime.now(),
        }
        # a lead claimed becomes an opportunity in the claimer's pipeline, as
        # Odoo converts one (crm.lead._convert_opportunity_data): with the
        # Leads feature off, a salesperson sees no lead anywhere
        to_convert = leads.filtered(lambda lead: lead.type == "lead")
        # logged below, as a claim (not as a change by hand)
        leads = leads.with_context(sm_transfer_logged=True)
        to_convert = to_convert.with_context(sm_transfer_logged=True)
        (leads - to_convert).write(vals)
        for (team, stage), group in to_convert.grouped(
            lambda lead: (lead.team_id, lead.stage_id)
        ).items():
            group.write(
                {
                    **vals,
                    "type": "opportunity",
                    "date_conversion": self.env.cr.now(),
                    "stage_id": (stage or group._stage_find(team_id=team.id)).id,
                }
            )
        # from the pool (nobody) to the claimer
        entries = self.env["motivation.transfer"]._log(
            leads, "claim", "claimed", to_user=user, from_pool=True
        )
        leads._sm_log_moves(
            entries,
            lambda env, _reason: env._("Claimed from the shared pool by %s", user.name),
        )
        return leads._sm_notification(
            self.env._("%s is yours, in your pipeline.", leads.name)
            if len(leads) == 1
            else self.env._("%s deals are yours, in your pipeline.", len(leads))
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_pool_releases(self, field_names):
        """{deal id: its last release to the pool} of the deals of ``self``
        in the pool, with ``field_names`` of the transfer log fetched, in one
        query."""
        pool = self.filtered(lambda lead: lead.in_pool and lead.id)
        releases = {}
        if pool:
            # sudo: motivation.transfer - the release of a pool deal is the
            # pool's business (its reason is in the deal's chatter too), even
            # when another salesperson released it
            for transfer in (
                self.env["motivation.transfer"]
                .sudo()
                .search_fetch(
                    [("lead_id", "in", pool.ids), ("kind", "=", "release")],
                    ["lead_id", *field_names],
                    order="date desc, id desc",
                )
            ):
                releases.setdefault(transfer.lead_id.id, transfer)
        return releases

    def _sm_notification(self, message):
        """The web client's notification after a claim or a release, then
        the view reloads (the deals left or joined the pool)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _sm_check_claim(self, user):
        """Pool membership, the team's claim cap and the cooldown after a lead
        was taken away from the claimer."""
        not_pool = self.filtered(lambda lead: not lead.in_pool)
        if not_pool:
            raise UserError(
                self.env._(
                    "Not in the shared pool (any more): %s.",
                    ", ".join(
                        f"{lead.display_name} ({lead.user_id.name})"
                        if lead.user_id
                        else lead.display_name
                        for lead in not_pool
                    ),
                )
            )
        foreign = self.filtered(lambda lead: user not in lead.team_id.member_ids)
        if foreign:
            raise UserError(
                self.env._(
                    "You can only claim from the pool of your own sales teams: %s.",
                    ", ".join(foreign.mapped("display_name")),
                )
            )
        # the claimer's own transfers (to or from them): the transfer rule
        # lets them read those
        Transfer = self.env["motivation.transfer"]
        now = fields.Datetime.now()
        for team, leads in self.grouped("team_id").items():
            if team.sm_claim_cap:
                # the period in the team's company's local days (a team of
                # no company counts in the current company's)
                company = team.company_id or self.env.company
                start, _end = company._sm_utc_bounds(
                    date_utils.start_of(
                        company._sm_local_date(now), team.sm_claim_period
                    ),
                    company._sm_local_date(now),
                )
                claimed = Transfer.search_count(
                    [
                        ("kind", "=", "claim"),
                        ("to_user_id", "=", user.id),
                        ("team_id", "=", team.id),
                        ("date", ">=", start),
                    ]
                )
                if claimed + len(leads) > team.sm_claim_cap:
                    raise UserError(
                        self.env._(
                            "%(team)s allows %(cap)s pool claims per %(period)s and "
                            "you have made %(claimed)s.",
                            team=team.name,
                            cap=team.sm_claim_cap,
                            period=dict(
                                team._fields["sm_claim_period"]._description_selection(
                                    self.env
                                )
                            )[team.sm_claim_period].lower(),
                            claimed=claimed,
                        )
                    )
            if team.sm_claim_cooldown_days:
                recent = Transfer.search(
                    [
                        ("lead_id", "in", leads.ids),
                        ("from_user_id", "=", user.id),
                        ("kind", "in", ("release", "reassign", "manual")),
                        ("actor_id", "!=", user.id),
                        (
                            "date",
                            ">=",
                            now - timedelta(days=team.sm_claim_cooldown_days),
                        ),
                    ]
                )
                if recent:
                    until = max(recent.mapped("date")) + timedelta(
                        days=team.sm_claim_cooldown_days
                    )
                    raise UserError(
                        self.env._(
                            "%(leads)s was taken away from you; you can claim it "
                            "again from %(date)s.",
                            leads=", ".join(recent.lead_id.mapped("display_name")),
                            date=format_date(self.env, until),
                        )
                    )

    def _sm_client_follows(self):
        """The opportunity changed salesperson (or went to the pool): its
        client follows (setting "Client follows its opportunities")."""
        leads = self.filtered(
            lambda lead: lead.type == "opportunity"
            and lead.partner_id
            and (lead.company_id or self.env.company).sm_client_follows_opportunity
        )
        for user, user_leads in leads.grouped("user_id").items():
            clients = user_leads.partner_id.commercial_partner_id.filtered(
                lambda p, user=user: p.user_id != user
            )
            # sudo: res.partner - the client moves with the deal, even when the
            # user moving the deal may not edit the client
            clients.sudo().with_context(sm_following=True).write({"user_id": user.id})

    def _sm_notify_assigned(self, user, reason):
        """Tell ``user`` once about the deals of ``self`` just given to them
        (fair distribution, a rule's reassignment): one message, in their
        inbox or by e-mail as they chose, on the deals' team. Odoo's own lead
        assignment turns off its "You have been assigned" message per deal
        (``mail_auto_subscribe_no_notify``) and sends nothing instead; the
        callers turn it off the same way and send this summary."""
        if not self or not user.active or user == self.env.user:
            return
        leads = self.with_context(lang=user.lang)
        env = leads.env
        # the reason in the assignee's language
        reason = reason(env) if callable(reason) else reason
        items = Markup().join(
            Markup('<li><a href="/mail/view?model=crm.lead&amp;res_id=%s">%s</a></li>')
            % (lead.id, lead.name)
            for lead in leads[:SUMMARY_LEADS]
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "Leads assigned to you (%(reason)s): %(count)s",
                count=len(leads),
                reason=reason,
            ),
            items,
        )
        if len(leads) > SUMMARY_LEADS:
            body += Markup("<p>%s</p>") % env._(
                "and %s more.", len(leads) - SUMMARY_LEADS
            )
        teams = leads.team_id
        # sudo: crm.team - the scheduler (or a team leader) tells the
        # assignee, whatever their rights on the team
        record = teams.sudo() if len(teams) == 1 else env["crm.team"].sudo()
        record.message_notify(
            subject=env._("Leads assigned to you: %s", len(leads)),
            body=env["mail.render.mixin"]._replace_local_links(body),
            partner_ids=user.partner_id.ids,
            email_layout_xmlid="mail.mail_notification_layout",
        )

    def _sm_log_moves(self, entries, body):
        """One chatter line per deal of ``self`` moved, ``entries`` its
        transfers just logged: ``body(env, reason)``, written in the language
        of whom it concerns (the deal's new salesperson, else its former
        one; the company's language otherwise) with the entry's reason in
        that language."""
        by_lead = {entry.lead_id.id: entry for entry in entries if entry.lead_id}
        bodies = {}
        for lang, lang_entries in entries.grouped(
            lambda e: (e.to_user_id or e.from_user_id).lang
            or e.company_id.partner_id.lang
            or "en_US"
        ).items():
            translated = lang_entries.with_context(lang=lang)
            for entry in translated:
                bodies[entry.lead_id.id] = body(translated.env, entry.reason)
        self._message_log_batch(
            bodies={lead.id: bodies[lead.id] for lead in self if lead.id in by_lead}
        )

    def _sm_alert_team_leaders(self, summaries):
        """One activity due today per deal for its team leader (its
        salesperson when the team has none), created in one batch; returned
        in the order of ``self``. ``summaries``: {lead: text}."""
        return self.env["mail.activity"]._sm_schedule(
            [
                (
                    lead,
                    "sales_motivation.mail_activity_type_pool_notice",
                    lead.team_id.user_id or lead.user_id,
                    summaries[lead],
                )
                for lead in self
            ]
        )
