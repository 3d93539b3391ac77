# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    """Who sees which client: what the client record rules test beyond the
    client's own salesperson (security/ir_rule.xml, README "Who sees what")."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Every lead and opportunity of the partner, archived ones aside (Odoo's
    # opportunity_ids only lists opportunities); the record rules use it.
    sm_lead_ids = fields.One2many("crm.lead", "partner_id", string="Leads")
    # What the client rules of salespeople and team leaders test beyond the
    # client's own salesperson. Odoo 18 checks the records a user reads
    # against the rules in Python, in sudo (BaseModel._check_access ->
    # filtered_domain): a rule path through a one2many field (sale_order_ids,
    # sm_lead_ids, child_ids) would read it there with every salesperson's
    # orders and leads, into the cache that the user's own reads of that field
    # then share (odoo/odoo#80133: a salesperson's cancellation e-mail counted
    # a colleague's orders of the client). These flags are the conditions the
    # rules' SQL tests when searching, evaluated by one SQL query per batch of
    # clients for the current user, reading no one2many field. They name
    # `active` themselves: Odoo checks stored fields' reads in SQL with
    # active_test=False, which would count lost deals and past memberships.
    sm_referred_by_me = fields.Boolean(
        string="Referred to by My Documents",
        compute="_compute_sm_referred_by_me",
        search="_search_sm_referred_by_me",
        help="A lead of mine, or of one of its contacts, or a sale order of mine "
        "names this client.",
    )
    sm_client_of_my_teams = fields.Boolean(
        string="Client of My Teams",
        compute="_compute_sm_client_of_my_teams",
        search="_search_sm_client_of_my_teams",
        help="The client's salesperson is a member of a team I lead, or a lead "
        "of a team I lead names the client.",
    )
    # the client rules filter on the salesperson
    user_id = fields.Many2one(index=True)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends(
        "sm_lead_ids.user_id",
        "sm_lead_ids.active",
        "child_ids.active",
        "child_ids.sm_lead_ids.user_id",
        "child_ids.sm_lead_ids.active",
        "sale_order_ids.user_id",
    )
    def _compute_sm_referred_by_me(self):
        found = self._sm_matching(self._sm_referred_by_domain(self.env.uid))
        for partner in self:
            partner.sm_referred_by_me = partner._origin.id in found

    def _search_sm_referred_by_me(self, operator, value):
        return self._sm_flag_domain(
            self._sm_referred_by_domain(self.env.uid), operator, value
        )

    @api.depends_context("uid")
    @api.depends(
        "user_id.crm_team_member_ids.crm_team_id.user_id",
        "user_id.crm_team_member_ids.active",
        "sm_lead_ids.team_id.user_id",
        "sm_lead_ids.active",
    )
    def _compute_sm_client_of_my_teams(self):
        found = self._sm_matching(self._sm_client_of_teams_domain(self.env.uid))
        for partner in self:
            partner.sm_client_of_my_teams = partner._origin.id in found

    def _search_sm_client_of_my_teams(self, operator, value):
        return self._sm_flag_domain(
            self._sm_client_of_teams_domain(self.env.uid), operator, value
        )

    @api.model
    def _sm_flag_domain(self, domain, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValueError(f"A flag is searched with = or != True/False: {operator}")
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _sm_referred_by_domain(self, user_id):
        """Clients named by the active leads of ``user_id``, by those of their
        active contacts, or by the sale orders of ``user_id``."""
        my_leads = [("user_id", "=", user_id), ("active", "=", True)]
        return [
            "|",
            "|",
            ("sm_lead_ids", "any", my_leads),
            ("child_ids", "any", [("sm_lead_ids", "any", my_leads)]),
            ("sale_order_ids", "any", [("user_id", "=", user_id)]),
        ]

    @api.model
    def _sm_client_of_teams_domain(self, user_id):
        """Clients of the members of the teams ``user_id`` leads, and customers
        of those teams' active leads."""
        return [
            "|",
            (
                "user_id.crm_team_member_ids",
                "any",
                [("crm_team_id.user_id", "=", user_id), ("active", "=", True)],
            ),
            (
                "sm_lead_ids",
                "any",
                [("team_id.user_id", "=", user_id), ("active", "=", True)],
            ),
        ]

    def _sm_matching(self, domain):
        """The ids of ``self`` (archived ones too) that satisfy ``domain``, in
        one query: the one2many fields it names are joined in SQL, not read."""
        ids = [pid for pid in self._origin._ids if pid]
        if not ids:
            return set()
        # sudo: res.partner - the client rules ask about the current user's
        # documents (domain), whoever may read them; only a yes/no is kept
        partners = self.sudo().with_context(active_test=False)
        return set(partners.search([("id", "in", ids), *domain], order="id")._ids)
