# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_is_zero

from .sql import insert_rows


class MotivationCommissionLine(models.Model):
    """What one beneficiary earns on one won deal in one role, or on one
    target of a closed sales plan (``bonus``, motivation_commission_line_bonus.py).

    A ``commission`` line is unique per deal, beneficiary, role and plan. Once
    settled it never changes: when the deal is reopened, lost or its base
    changes, an ``adjustment`` line carries the difference into the next
    settlement.
    """

    _name = "motivation.commission.line"
    _description = "Commission Line"
    _order = "date desc, id desc"
    _rec_name = "lead_id"

    # a deleted deal takes its open lines along; crm.lead refuses to be
    # deleted while some of its commission is settled. Empty on bonus lines
    # (a sales plan's target), required otherwise (lead_for_deal_roles)
    lead_id = fields.Many2one("crm.lead", string="Deal", index=True, ondelete="cascade")
    plan_id = fields.Many2one(
        "motivation.commission.plan", required=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Beneficiary",
        required=True,
        index=True,
        ondelete="restrict",
        help="Who is paid: a salesperson's partner or an external agent.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        help="The internal user paid, when the beneficiary is one.",
    )
    role = fields.Selection(
        [("registrar", "Registrar"), ("closer", "Closer"), ("bonus", "Bonus")],
        required=True,
        help="Registrar and closer: shares of a won deal. Bonus: paid by the "
        "attainment of a target of a closed sales plan.",
    )
    line_type = fields.Selection(
        [("commission", "Commission"), ("adjustment", "Adjustment")],
        required=True,
        default="commission",
        help="Adjustments carry changes of a settled commission (a deal reopened, "
        "lost, or its base changed) into the next settlement.",
    )
    origin_line_id = fields.Many2one(
        "motivation.commission.line",
        string="Adjusted Line",
        help="The settled commission line this adjustment corrects.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    date = fields.Date(
        required=True, index=True, help="Day the deal was won, or of the change."
    )
    base_amount = fields.Monetary(string="Base", aggregator=None)
    percent = fields.Float(string="Share (%)", digits=(5, 2), aggregator=None)
    amount = fields.Monetary()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("approved", "Approved"),
            ("settled", "Settled"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
    )
    settlement_id = fields.Many2one(
        "motivation.settlement", index=True, ondelete="set null", copy=False
    )

    # one commission line per deal, beneficiary, role and plan; adjustments
    # aside (a partial unique rule: an exclusion constraint with =)
    _sql_constraints = [
        (
            "unique_commission",
            "EXCLUDE USING btree (lead_id WITH =, partner_id WITH =, "
            "role WITH =, plan_id WITH =) WHERE (line_type = 'commission')",
            "A deal owes each beneficiary one commission line per role and "
            "plan; corrections are adjustment lines.",
        ),
        (
            "lead_for_deal_roles",
            "CHECK(role = 'bonus' OR lead_id IS NOT NULL)",
            "A registrar or closer commission line belongs to a deal.",
        ),
    ]

    @api.depends("lead_id", "role", "partner_id", "sales_target_id")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for line in self:
            subject = (
                line.sales_target_id.display_name
                if line.role == "bonus"
                else line.lead_id.name
            )
            line.display_name = f"{subject} / {roles.get(line.role)}"

    def write(self, vals):
        if not self.env.context.get("sm_commission_sync"):
            locked = self.filtered(
                lambda line: line.state == "settled"
                or line.settlement_id.state in ("confirmed", "paid")
            )
            if locked and set(vals) - {"state", "settlement_id"}:
                raise UserError(
                    self.env._(
                        "Settled commission lines cannot be changed (%s); a change "
                        "of the deal is carried by an adjustment line.",
                        ", ".join(locked.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled(self):
        if self.filtered(lambda line: line.state == "settled" or line.settlement_id):
            raise UserError(
                self.env._("Commission lines in a settlement cannot be deleted.")
            )

    def action_approve(self):
        self.filtered(lambda line: line.state == "draft").write({"state": "approved"})

    def action_reset_draft(self):
        self.filtered(
            lambda line: line.state == "approved" and not line.settlement_id
        ).write({"state": "draft"})

    # ------------------------------------------------------------------
    # Synchronisation with the deals
    # ------------------------------------------------------------------

    @api.model
    def _sync_leads(self, leads, exist=False):
        """Bring the commission of ``leads`` in line with what the CRM shows.

        For each deal, beneficiary, role and plan the amount due is the share of
        the base when the deal is won, nothing otherwise. Settled lines stay as
        they are; open (draft or approved, not settled) lines are updated,
        cancelled or revived; the remaining difference to the settled amount
        goes into a new commission line, or an adjustment line when a
        commission line exists already. Safe to run any number of times.
        ``exist``: the deals are known to exist (being written), not looked
        up.
        """
        # sudo: motivation.commission.line - whoever changes a deal (its
        # salesperson marking it lost, a team leader changing its registrar,
        # a sale order amended) makes its commission follow, but only this
        # method writes the lines: users have no write access to them
        Line = self.sudo()
        leads = leads.sudo() if exist else leads.sudo().exists()
        if not leads:
            return Line.browse()
        targets = Line._sm_targets(leads)  # {(lead, partner, role, plan): vals}
        lines = Line.search([("lead_id", "in", leads.ids)])
        by_key = {}
        for line in lines:
            key = (line.lead_id, line.partner_id, line.role, line.plan_id)
            by_key.setdefault(key, Line.browse())
            by_key[key] |= line
        to_create = []
        to_cancel = Line.browse()
        for key in set(by_key) | set(targets):
            existing = by_key.get(key, Line.browse())
            target = targets.get(key)
            due = target["amount"] if target else 0.0
            currency = (target or {}).get("currency") or existing[:1].currency_id
            settled = existing.filtered(lambda line: line.state == "settled")
            open_lines = existing.filtered(
                lambda line: line.state in ("draft", "approved")
                and line.settlement_id.state not in ("confirmed", "paid")
            )
            diff = currency.round(due - sum(settled.mapped("amount")))
            if float_is_zero(diff, precision_rounding=currency.rounding):
                to_cancel |= open_lines
                continue
            keep = open_lines[:1]
            to_cancel |= open_lines - keep
            commission = existing.filtered(lambda line: line.line_type == "commission")
            vals = dict(target or Line._sm_vals_from_line(existing[:1]), amount=diff)
            vals.pop("currency", None)
            if keep:
                if keep.line_type == "adjustment":  # dated the day of the change
                    vals.pop("date", None)
                changed = Line._sm_changed(keep, vals)
                if "amount" in changed:  # a new amount is approved anew
                    changed.update(state="draft", settlement_id=False)
                if changed:
                    keep.with_context(sm_commission_sync=True).write(changed)
            elif commission and commission.state == "cancelled":
                commission.with_context(sm_commission_sync=True).write(
                    dict(vals, state="draft")
                )
            elif commission:
                to_create.append(
                    dict(
                        vals,
                        line_type="adjustment",
                        origin_line_id=commission.id,
                        date=Line._sm_company(key[0], key[3])._sm_local_date(),
                    )
                )
            else:
                to_create.append(vals)
        if to_cancel:
            to_cancel.with_context(sm_commission_sync=True).write(
                {"state": "cancelled", "settlement_id": False}
            )
        # one INSERT: the ORM's 100 rows per statement made winning 5,000
        # deals add a statement per 50 deals (bench plan_win, "growing")
        return insert_rows(Line, to_create)

    @api.model
    def _sm_company(self, lead, plan):
        """The company whose local date and currency a deal's commission
        follows: the deal's, else its plan's."""
        return lead.company_id or plan.company_id

    @api.model
    def _sm_changed(self, line, vals):
        """Only the values that differ, so that unchanged lines are not written."""
        changed = {}
        for fname, value in vals.items():
            current = line[fname]
            current = current.id if isinstance(current, models.BaseModel) else current
            if current != value:
                changed[fname] = value
        return changed

    @api.model
    def _sm_vals_from_line(self, line):
        return {
            "lead_id": line.lead_id.id,
            "partner_id": line.partner_id.id,
            "user_id": line.user_id.id,
            "role": line.role,
            "plan_id": line.plan_id.id,
            "company_id": line.company_id.id,
            "currency_id": line.currency_id.id,
            "team_id": line.team_id.id,
            "date": line.date,
            "base_amount": line.base_amount,
            "percent": line.percent,
        }

    @api.model
    def _sm_targets(self, leads):
        """What each won deal owes, keyed by (lead, partner, role, plan)."""
        won = leads.filtered(lambda lead: lead.active and lead.stage_id.is_won)
        # sudo: motivation.commission.plan - the plan decides what is due,
        # whoever's change of the deal called for the sync
        plans = self.env["motivation.commission.plan"].sudo()._plan_for_leads(won)
        won._sm_fetch_commission_gates(plans)
        targets = {}
        for lead, plan in plans.items():
            base = lead._sm_commission_base(plan)
            company = self._sm_company(lead, plan)
            # the company's currency, whichever company the user works in
            currency = company.currency_id
            common = {
                "lead_id": lead.id,
                "plan_id": plan.id,
                "company_id": company.id,
                "currency_id": currency.id,
                "currency": currency,
                "team_id": lead.team_id.id,
                # the day the deal was won in the company's time zone
                "date": company._sm_local_date(lead.date_closed),
                "base_amount": base,
            }
            for role, beneficiary, user, percent in lead._sm_beneficiaries(plan):
                amount = currency.round(base * percent / 100.0)
                targets[(lead, beneficiary, role, plan)] = dict(
                    common,
                    partner_id=beneficiary.id,
                    user_id=user.id,
                    role=role,
                    percent=percent,
                    amount=amount,
                )
        return targets

    # ------------------------------------------------------------------
    # The check: lines against what is due
    # ------------------------------------------------------------------

    @api.model
    def _sm_differences(self, leads):
        """[(lead, partner, role, due, effective)] where the effective lines
        of ``leads`` (open, settled and adjustments; cancelled ones aside)
        do not add up, per deal, beneficiary and role, to what the plan says
        is due (_sm_targets)."""
        # sudo: motivation.commission.line - the check reads every line
        Line = self.sudo()
        leads = leads.sudo().exists()
        if not leads:
            return []
        due = {}
        for (lead, partner, role, _plan), vals in Line._sm_targets(leads).items():
            key = (lead, partner, role)
            due[key] = due.get(key, 0.0) + vals["amount"]
        effective = {}
        currencies = {}
        for lead, partner, role, currency, amount in Line._read_group(
            [("lead_id", "in", leads.ids), ("state", "!=", "cancelled")],
            ["lead_id", "partner_id", "role", "currency_id"],
            ["amount:sum"],
        ):
            key = (lead, partner, role)
            effective[key] = effective.get(key, 0.0) + amount
            currencies[key] = currency
        differences = []
        for key in set(due) | set(effective):
            lead = key[0]
            currency = (
                currencies.get(key)
                or lead.company_id.currency_id
                or lead.env.company.currency_id
            )
            due_amount = due.get(key, 0.0)
            effective_amount = effective.get(key, 0.0)
            if currency.compare_amounts(due_amount, effective_amount):
                differences.append((*key, due_amount, effective_amount))
        return sorted(differences, key=lambda d: (d[0].id, d[1].id, d[2]))

    @api.model
    def _sm_recent_leads(self, days):
        """Deals won or changed in the last ``days`` days, or whose commission
        lines changed then, archived ones included."""
        since = fields.Datetime.now() - timedelta(days=days)
        # sudo: crm.lead, motivation.commission.line - the check goes over
        # every recent deal and line, whoever runs it (the cron)
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        leads = Lead.search(
            ["|", ("date_closed", ">=", since), ("write_date", ">=", since)]
        )
        lines = self.sudo().search([("write_date", ">=", since)])
        return leads | lines.lead_id

    @api.model
    def _sm_check_days(self):
        # sudo: ir.config_parameter - a system parameter of the check
        param = self.env["ir.config_parameter"].sudo()
        return int(param.get_param("sales_motivation.commission_check_days", 31))

    @api.model
    def _sm_check_commission(self, days=None):
        """Compare the lines of recent deals with what is due; notify the
        commission administrators of each deal that differs (a notification
        only they receive, not a note in the deal's chatter). Returns the
        differences."""
        days = self._sm_check_days() if days is None else days
        differences = self._sm_differences(self._sm_recent_leads(days))
        if not differences:
            return differences
        # sudo: res.groups - whom to notify, whoever runs the check
        admins = (
            self.env.ref("sales_motivation.group_commission_manager")
            .sudo()
            .users.filtered("active")
        )
        if not admins:
            return differences
        roles = dict(self._fields["role"]._description_selection(self.env))
        by_lead = {}
        for lead, partner, role, due, effective in differences:
            by_lead.setdefault(lead, []).append((partner, role, due, effective))
        for lead, rows in by_lead.items():
            currency = lead.company_id.currency_id or self.env.company.currency_id
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(beneficiary)s, %(role)s: due %(due)s, lines %(lines)s",
                    beneficiary=partner.display_name,
                    role=roles.get(role),
                    due=currency.round(due),
                    lines=currency.round(effective),
                )
                for partner, role, due, effective in rows
            )
            # sudo: crm.lead - the administrators are notified on the deal,
            # whoever runs the check (the cron)
            lead.sudo().message_notify(
                partner_ids=admins.partner_id.ids,
                subject=self.env._("Commission to check: %s", lead.display_name),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "The commission lines of this deal differ from what "
                        "its plan says is due:"
                    ),
                    items,
                ),
            )
        return differences

    @api.model
    def _cron_check_commission(self):
        self._sm_check_commission()

    @api.model
    def action_sm_check_commission(self):
        """The button of the commission line list: check the recent deals
        now, show the lines of those that differ."""
        if not self.env.user.has_group("sales_motivation.group_commission_manager"):
            raise AccessError(
                self.env._("Only commission administrators check commission.")
            )
        differences = self._sm_check_commission()
        if not differences:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "The commission lines of the deals of the last %s days "
                        "match what their plans say is due.",
                        self._sm_check_days(),
                    ),
                },
            }
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sales_motivation.motivation_commission_line_action"
        )
        action["domain"] = [("lead_id", "in", [d[0].id for d in differences])]
        action["context"] = {}
        action["name"] = self.env._("Commission to Check")
        return action

    def _sm_access_error(self, operation):
        """Refused by the record rules (ir.rule._make_access_error)."""
        return AccessError(
            self.env._(
                "You cannot open this commission: a salesperson sees the commission "
                "lines and settlements they are the beneficiary of, a team leader "
                "those of the teams they lead."
            )
        )
