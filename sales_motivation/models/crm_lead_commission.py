# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_lead import OUTCOME_FIELDS
from .sql import write_rows

# Fields of a deal whose change may change what its commission is
# (motivation.commission.line._sm_targets): its outcome (crm_lead.py), its
# agent and the gates of the shares (first-contact data; a duplicate
# registration's flag, crm_lead_duplicate.py; an agent's registration,
# crm_lead_registration.py; the data quality score's inputs,
# crm_lead_quality.py). Sale orders, checkpoints and interactions call
# _sm_sync_commission_if_won themselves.
COMMISSION_TRIGGERS = OUTCOME_FIELDS | {
    "sm_agent_id",
    "sm_first_contact_complete",
    "sm_duplicate_state",
    "sm_registration_state",
    "sm_registration_lapsed",
    "contact_name",
    "phone",
    "email_from",
    "source_id",
}


class CrmLead(models.Model):
    """Commission: the closer, the deal's commission lines kept in line with
    it (motivation.commission.line._sync_leads), what a plan pays whom."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sm_closer_id = fields.Many2one(
        "res.users",
        string="Closer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The salesperson who won the deal, paid the closer share.",
    )
    sm_commission_line_ids = fields.One2many(
        "motivation.commission.line", "lead_id", string="Commission Lines"
    )
    sm_commission_line_count = fields.Integer(
        string="Commission", compute="_compute_sm_commission_line_count"
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_sm_commission_line_count(self):
        # the lines the current user may see, cancelled ones aside
        counts = dict(
            self.env["motivation.commission.line"]._read_group(
                [("lead_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["lead_id"],
                ["__count"],
            )
        )
        for lead in self:
            lead.sm_commission_line_count = counts.get(lead, 0)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_settled_commission(self):
        # sudo: motivation.commission.line - the deleting user may not see
        # every beneficiary's lines, the check must
        settled = (
            self.sudo()
            .sm_commission_line_ids.filtered(
                lambda line: line.state == "settled" or line.settlement_id
            )
            .lead_id
        )
        if settled:
            raise UserError(
                self.env._(
                    "These deals carry commission that is settled or being settled "
                    "and cannot be deleted; archive them instead: %s",
                    ", ".join(settled.mapped("display_name")),
                )
            )

    def _sm_commission_on_create(self, vals_list):
        """Deals created won get their closer and commission lines."""
        won = self._sm_won()
        if won:
            won._sm_set_closer()
            self.env["motivation.commission.line"]._sync_leads(won)

    def _sm_commission_before_write(self, vals):
        """Returns the deals won before the write, or None when nothing their
        commission depends on changes."""
        if COMMISSION_TRIGGERS & set(vals):
            return self._sm_won()
        return None

    def _sm_commission_on_write(self, vals, won_before):
        """Deals won, or no longer won: the closer, then the lines."""
        if won_before is None:
            return
        won_after = self._sm_won()
        (won_after - won_before)._sm_set_closer()
        if won_before or won_after:
            self.env["motivation.commission.line"]._sync_leads(
                won_before | won_after, exist=True
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_sm_view_commission(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sales_motivation.motivation_commission_line_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_won(self):
        return self.filtered(lambda lead: lead.active and lead.stage_id.is_won)

    def _sm_set_closer(self):
        """Whoever is the salesperson when the deal is won closed it: the
        closer is the salesperson, so not a reader of their own
        (crm_lead_access.py's _compute_sm_reader_ids gives False)."""
        # sudo: crm.lead - the closer is not editable by anybody. One UPDATE
        # for the batch: written through the ORM after Odoo's own flush of
        # the won deals, it cost a second flush, one statement per 100 deals
        # (bench plan_win, "growing")
        write_rows(
            self.sudo(),
            {
                "sm_closer_id": [lead.user_id.id for lead in self],
                "sm_closer_reader_id": [False] * len(self),
            },
        )

    def _sm_sync_commission_if_won(self):
        """Something the commission of won deals depends on changed (a sale
        order, a checkpoint, an interaction): their commission follows.
        Whoever changed it may not read the deal, nor write its lines."""
        # sudo: crm.lead - whether the deal is won decides, whoever reads it
        won = self.sudo()._sm_won()
        if won:
            self.env["motivation.commission.line"]._sync_leads(won)
            # their revenue in the achievement ledger is the same base
            won._sm_achievement_sync()

    def _sm_commission_base(self, plan):
        """The amount the plan's percentages apply to, in the currency of the
        deal's company (else the plan's): Odoo's sum of the confirmed orders
        is in the deal's company currency, or the current company's for a
        deal of no company, then converted as Odoo converts it."""
        self.ensure_one()
        if plan.base != "sale_order":
            return self.expected_revenue
        currency = (self.company_id or plan.company_id).currency_id
        if self.company_currency == currency:
            return self.sale_amount_total
        orders = self.order_ids.filtered_domain(self._get_lead_sale_order_domain())
        return sum(
            order.currency_id._convert(
                order.amount_untaxed,
                currency,
                order.company_id,
                order.date_order or fields.Date.today(),
            )
            for order in orders
        )

    def _sm_quality_ok(self, plan):
        self.ensure_one()
        # a plan without minimum computes no score (it reads the deal's
        # checkpoints and interactions: two queries of every win)
        return (
            not plan.closer_min_quality
            or self.sm_quality_score >= plan.closer_min_quality
        )

    def _sm_fetch_commission_gates(self, plans):
        """Put in the cache what the gates of the shares read
        (_sm_beneficiaries) for all the deals of ``self`` at once, ``plans``
        being {deal: its commission plan}: their checkpoints, and the data
        quality score of those whose plan asks for a minimum. Read deal by
        deal, the ORM fetches them per 1,000 deals (bench plan_win,
        "growing": 1 -> 5 queries each at 1,000 -> 5,000 deals)."""
        self._sm_fetch_checkpoints()
        scored = self.browse(
            lead.id for lead, plan in plans.items() if plan.closer_min_quality
        )
        field = self._fields["sm_quality_score"]
        missing = scored.browse(self.env.cache.get_missing_ids(scored, field))
        if missing:
            # the ORM's own way of computing a field on records
            # (Field.__get__), on all of them instead of 1,000 at a time
            field.compute_value(missing)

    def _sm_commission_checkpoints_ok(self):
        """Every checkpoint required for commission is done or waived."""
        self.ensure_one()
        return all(
            checkpoint.state in ("done", "waived")
            for checkpoint in self.sm_checkpoint_ids
            if checkpoint.type_id.required_for_commission
        )

    def _sm_beneficiaries(self, plan):
        """(role, partner, user, percent) for each share the deal pays."""
        self.ensure_one()
        shares = []
        registrar = self.sm_agent_id or self.registrar_id.partner_id
        if (
            registrar
            and plan.registrar_percent
            and not self._sm_duplicate_holds_registrar_share()
            # an agent's registration pays once accepted, until it lapses
            and self._sm_registration_beneficiary_ok()
            and (
                not plan.registrar_requires_first_contact
                or self.sm_first_contact_complete
            )
        ):
            user = self.env["res.users"] if self.sm_agent_id else self.registrar_id
            shares.append(("registrar", registrar, user, plan.registrar_percent))
        closer = self.sm_closer_id
        if (
            closer
            and plan.closer_percent
            and (
                not plan.closer_requires_checkpoints
                or self._sm_commission_checkpoints_ok()
            )
            and self._sm_quality_ok(plan)
        ):
            shares.append(("closer", closer.partner_id, closer, plan.closer_percent))
        return shares
