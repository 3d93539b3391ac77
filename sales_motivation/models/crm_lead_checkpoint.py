# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# the kinds of evidence a deal's sale orders give, and the order states that
# give it: a quotation sent (or confirmed since) proves the proposal, a
# confirmed order the contract
SALE_EVIDENCE = {"quotation_sent": ("sent", "sale"), "order_confirmed": ("sale",)}


class CrmLead(models.Model):
    """Checkpoints: the open opportunities follow their team's checkpoint
    types (motivation.checkpoint.mixin), stages wait for the checkpoints
    required before them, the overdue cron's alerts to team leaders
    (motivation_checkpoint.py) and the courtesy call."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "motivation.checkpoint.mixin"]

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # the checkpoint status sorts (overdue deals first: "desc"), as the
        # search computes it; not stored, as its compute says
        if field_name == "sm_checkpoint_status":
            self.env["motivation.checkpoint"].flush_model(["lead_id", "state"])
            lead_id = SQL.identifier(alias, "id")
            status = SQL(
                """CASE WHEN EXISTS (SELECT 1 FROM motivation_checkpoint c
                                    WHERE c.lead_id = %(lead)s
                                      AND c.state = 'overdue') THEN 'overdue'
                          WHEN EXISTS (SELECT 1 FROM motivation_checkpoint c
                                        WHERE c.lead_id = %(lead)s) THEN 'on_track'
                          ELSE 'none' END""",
                lead=lead_id,
            )
            return SQL("%s %s %s", status, direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _sm_checkpoint_on_create(self, vals_list):
        """New opportunities get their checkpoints."""
        self.filtered(
            lambda lead: lead.type == "opportunity"
        )._sm_sync_checkpoints_soon()

    def _sm_checkpoint_before_write(self, vals):
        """Stages wait for the checkpoints required before them. Returns
        the leads whose checkpoints may change."""
        if vals.get("stage_id"):
            self._sm_check_stage_checkpoints(vals["stage_id"])
        # leads whose checkpoints may change: a new type, team, company
        # (its checkpoint types) or active flag
        return self.filtered(
            lambda lead: any(
                fname in vals
                and (
                    lead[fname].id
                    if fname in ("team_id", "company_id")
                    else lead[fname]
                )
                != (vals[fname] or False)
                for fname in ("type", "team_id", "company_id", "active")
            )
        )

    def _sm_checkpoint_on_write(self, vals, resync):
        """The checkpoints follow a new type, team, company or active flag."""
        if resync:
            resync._sm_sync_checkpoints_soon()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_checkpoint_types(self):
        """Open opportunities follow the checkpoint types of their team, of
        their company (the team's, else the current one, for a deal of no
        company)."""
        # salespeople read the checkpoint types (no record rule on them)
        Type = self.env["motivation.checkpoint.type"]
        nothing = self.env["motivation.checkpoint.type"]
        result = {}
        for company, leads in self.grouped(
            lambda lead: lead.company_id or lead.team_id.company_id or self.env.company
        ).items():
            by_team = Type._types_by_team(leads.team_id, company)
            for lead in leads:
                result[lead] = (
                    by_team.get(lead.team_id, nothing)
                    if lead.type == "opportunity" and lead.active and lead.team_id
                    else nothing
                )
        return {lead: result[lead] for lead in self}

    def _sm_checkpoint_extra_vals(self):
        return {"lead_id": self.id}

    def _sm_evidences(self, kinds):
        """The sale-order kinds of evidence (SALE_EVIDENCE) in one query:
        the deal form shows the proposal's and the contract's checkpoints
        together."""
        sale_kinds = [kind for kind in kinds if kind in SALE_EVIDENCE]
        result = super()._sm_evidences(
            {kind: types for kind, types in kinds.items() if kind not in SALE_EVIDENCE}
        )
        if not sale_kinds:
            return result
        states = {state for kind in sale_kinds for state in SALE_EVIDENCE[kind]}
        # sudo: sale.order - the deal's orders prove it whoever made them (the
        # back office's included); only their names and states are read
        orders = (
            self.env["sale.order"]
            .sudo()
            .search_fetch(
                [("opportunity_id", "in", self.ids), ("state", "in", list(states))],
                ["opportunity_id", "name", "state"],
                order="id",
            )
        )
        for kind in sale_kinds:
            result[kind] = {
                (order.opportunity_id.id, False): order.name
                for order in orders
                if order.state in SALE_EVIDENCE[kind]
            }
        return result

    def _sm_evidence(self, kind, activity_types):
        """A deal's quotation sent (or confirmed since) proves the proposal, a
        confirmed order the contract."""
        if kind not in SALE_EVIDENCE:
            return super()._sm_evidence(kind, activity_types)
        return self._sm_evidences({kind: activity_types})[kind]

    def _sm_check_stage_checkpoints(self, stage_id):
        """Refuse a move into a stage (drag and drop, form, write) while
        checkpoints required before it are neither done nor waived."""
        stage = self.env["crm.stage"].browse(stage_id)
        leads = self.filtered(lambda lead: lead.stage_id != stage)
        if not leads:
            return
        # one query for the open checkpoints that gate a stage (none, mostly)
        # sudo: motivation.checkpoint - the gate counts every checkpoint
        # of the deal, whatever the rules let the user read
        gates = (
            self.env["motivation.checkpoint"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("lead_id", "in", leads.ids),
                    ("state", "in", ("pending", "overdue")),
                    ("type_id.stage_id", "!=", False),
                ],
                ["lead_id", "type_id"],
            )
        )
        names = {}
        for checkpoint in gates:
            required = checkpoint.type_id.stage_id
            if (required.sequence, required.id) <= (stage.sequence, stage.id):
                names.setdefault(checkpoint.lead_id, []).append(checkpoint.type_id.name)
        missing = {lead: names[lead] for lead in leads if lead in names}
        if missing:
            raise ValidationError(
                self.env._(
                    "%(stage)s needs these checkpoints done (or waived by a team "
                    "leader) first:\n%(missing)s",
                    stage=stage.name,
                    missing="\n".join(
                        f"- {lead.display_name}: {', '.join(names)}"
                        for lead, names in missing.items()
                    ),
                )
            )

    def _sm_sync_checkpoints_soon(self):
        """Sync the checkpoints now, or, inside a batch that converts leads one
        by one (Odoo's lead assignment, see crm.team), at the batch's end or
        its next commit, for all its leads at once."""
        deferred = self.env.context.get("sm_deferred_checkpoints")
        if deferred is None:
            return self._sm_sync_checkpoints()
        if not deferred:
            self.env.cr.precommit.add(self._sm_sync_deferred_checkpoints)
        deferred.update(self.ids)

    def _sm_sync_deferred_checkpoints(self):
        deferred = self.env.context["sm_deferred_checkpoints"]
        leads = self.browse(deferred).exists()
        deferred.clear()
        leads.with_context(sm_deferred_checkpoints=None)._sm_sync_checkpoints()

    def _sm_courtesy_call(self):
        """Deals that reached every checkpoint by its deadline get a call
        activity for their salesperson (company setting)."""
        on_time = self.filtered(
            lambda lead: lead.user_id
            and (lead.company_id or self.env.company).sm_courtesy_call
            and lead.sm_checkpoint_ids
            and all(
                c._met_on_time(lead.company_id or self.env.company)
                for c in lead.sm_checkpoint_ids
            )
        )
        if not on_time:
            return
        self.env["mail.activity"]._sm_schedule(
            [
                (
                    lead,
                    "mail.mail_activity_data_call",
                    lead.user_id,
                    # in the salesperson's language
                    self.with_context(lang=lead.user_id.lang or self.env.lang).env._(
                        "Courtesy call: every checkpoint met on time"
                    ),
                )
                for lead in on_time
            ],
            notify=True,
        )
