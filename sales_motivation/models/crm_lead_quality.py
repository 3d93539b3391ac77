# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CrmLead(models.Model):
    """Data quality: the deal's score (0-100) for its data, interactions and
    checkpoints on time, in Python and as SQL (its search and the Interaction
    Analysis report, report/motivation_interaction_report.py)."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # the checkpoints of the deal, by their Many2one (what the quality score
    # depends on; sm_checkpoint_ids goes through a generic reference)
    sm_lead_checkpoint_ids = fields.One2many("motivation.checkpoint", "lead_id")
    # Not stored: like Odoo's activity_state, it changes with the date (a
    # checkpoint passing its deadline), and storing it would rewrite the deals,
    # the most indexed table of the CRM, each time deadlines pass. Searchable,
    # and averaged per salesperson by the Interaction Analysis report, both
    # through the same SQL (_sm_quality_score_sql).
    sm_quality_score = fields.Integer(
        string="Data Quality (%)",
        compute="_compute_sm_quality_score",
        search="_search_sm_quality_score",
        help="40 points for the client data (a contact, a phone or e-mail, an "
        "expected revenue, a source), 30 for at least one logged interaction, "
        "30 for the checkpoints in proportion of those on time (waived ones "
        "aside).",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(
        "partner_id",
        "contact_name",
        "phone",
        "email_from",
        "expected_revenue",
        "source_id",
        "sm_interaction_ids",
        "sm_lead_checkpoint_ids.state",
        "sm_lead_checkpoint_ids.done_date",
    )
    def _compute_sm_quality_score(self):
        # the checkpoints as the cards read them (one query for every
        # compute of the page), and which deals have an interaction (one
        # query; the deal's sm_interaction_ids would cost two)
        self._sm_fetch_checkpoints()
        saved = self.filtered("id")
        # sudo: motivation.interaction - the score counts every interaction
        # of the deal, whoever logged it, the same for every reader (as its
        # SQL twin does)
        touched = (
            {
                lead.id
                for [lead] in self.env["motivation.interaction"]
                .sudo()
                ._read_group(
                    [("lead_id", "in", saved.ids), ("kind", "!=", "email")],
                    ["lead_id"],
                )
            }
            if saved
            else set()
        )
        for lead in self:
            data = sum(
                10
                for present in (
                    lead.partner_id or lead.contact_name,
                    lead.phone or lead.email_from,
                    lead.expected_revenue,
                    lead.source_id,
                )
                if present
            )
            interactions = (
                30
                if (
                    lead.id in touched
                    if lead.id
                    else lead.sm_interaction_ids.filtered(lambda i: i.kind != "email")
                )
                else 0
            )
            counted = [c for c in lead.sm_checkpoint_ids if c.state != "waived"]
            # pending ones count as on time; met on time in the deal's
            # company's local days (UTC for a deal without company, as the
            # SQL twin _sm_quality_score_sql, which knows no current company)
            on_time = sum(
                1
                for c in counted
                if c.state == "pending" or c._met_on_time(lead.company_id)
            )
            # half up, as PostgreSQL's round() in _sm_quality_score_sql
            checkpoints = int(30 * on_time / len(counted) + 0.5) if counted else 30
            lead.sm_quality_score = data + interactions + checkpoints

    def _search_sm_quality_score(self, operator, value):
        operators = {"=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
        if operator not in operators or not isinstance(value, int | float):
            raise UserError(
                self.env._("The data quality score is searched by a number.")
            )
        self.flush_model()
        self.env["motivation.checkpoint"].flush_model()
        self.env["motivation.interaction"].flush_model(["lead_id"])
        return [
            (
                "id",
                "in",
                SQL(
                    "(SELECT l.id FROM crm_lead l WHERE %s %s %s)",
                    self._sm_quality_score_sql("l"),
                    SQL(operators[operator]),
                    value,
                ),
            )
        ]

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _sm_quality_score_sql(self, alias):
        """_compute_sm_quality_score as an SQL expression of the crm_lead row
        ``alias`` (the search and the report use it; the tests compare it with
        the ORM)."""
        lead = SQL.identifier(alias)
        return SQL(
            """(
                CASE WHEN %(lead)s.partner_id IS NOT NULL
                       OR COALESCE(%(lead)s.contact_name, '') <> ''
                     THEN 10 ELSE 0 END
              + CASE WHEN COALESCE(%(lead)s.phone, '') <> ''
                       OR COALESCE(%(lead)s.email_from, '') <> ''
                     THEN 10 ELSE 0 END
              + CASE WHEN COALESCE(%(lead)s.expected_revenue, 0) <> 0
                     THEN 10 ELSE 0 END
              + CASE WHEN %(lead)s.source_id IS NOT NULL THEN 10 ELSE 0 END
              + CASE WHEN EXISTS (SELECT 1 FROM motivation_interaction i
                                   WHERE i.lead_id = %(lead)s.id
                                     AND i.kind != 'email')
                     THEN 30 ELSE 0 END
              + COALESCE((
                    SELECT round(30.0 * count(*) FILTER (
                               WHERE c.state = 'pending' OR %(met)s
                           ) / NULLIF(count(*), 0))::int
                      FROM motivation_checkpoint c
                     WHERE c.lead_id = %(lead)s.id AND c.state != 'waived'
                ), 30)
            )""",
            lead=lead,
            met=self.env["motivation.checkpoint"]._met_on_time_sql(
                "c", SQL("%s.company_id", lead)
            ),
        )
