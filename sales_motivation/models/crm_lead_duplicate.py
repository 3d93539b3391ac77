# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .res_partner_duplicate import phone_key
from .sql import update_rows

# what only the check, a team leader's confirmation or a merge writes
DUPLICATE_FIELDS = (
    "sm_duplicate_of_id",
    "sm_duplicate_partner_id",
    "sm_duplicate_holder",
    "sm_duplicate_state",
)

# One statement for the registrations of one create, whatever their number
# and the size of the database: for each new deal, the earliest earlier open
# deal (active, not won, not a lapsed registration, of the same company or
# of none) of the same client,
# else the client's assigned salesperson, found through the indexed keys —
# the commercial partner, the normalised e-mail, the phone key and the tax id
# key (res_partner_duplicate.py). Deals and clients held by whoever registers
# or owns the new deal (or by its agent) are not duplicates: a salesperson's
# new deal with their own client is a new sale.
DUPLICATE_QUERY = """
WITH new(id, registrar, agent, owner, company, cp, email, phone, vat) AS (
    SELECT l.id, l.registrar_id, l.sm_agent_id, l.user_id, l.company_id,
           p.commercial_partner_id, NULLIF(l.email_normalized, ''),
           NULLIF(l.sm_phone_key, ''), NULLIF(c.sm_vat_key, '')
      FROM crm_lead l
      LEFT JOIN res_partner p ON p.id = l.partner_id
      LEFT JOIN res_partner c ON c.id = p.commercial_partner_id
     WHERE l.id = ANY(%(ids)s)
       AND COALESCE(p.commercial_partner_id::varchar, NULLIF(l.email_normalized, ''),
                    NULLIF(l.sm_phone_key, ''), NULLIF(c.sm_vat_key, '')) IS NOT NULL
)
SELECT n.id, m.lead_id, m.partner_id, m.user_id, m.agent_id, m.registrar_id,
       m.in_pool
  FROM new n
 CROSS JOIN LATERAL (
    SELECT * FROM (
        SELECT l.id AS lead_id, NULL::int AS partner_id, l.user_id,
               l.sm_agent_id AS agent_id, l.registrar_id, l.in_pool,
               0 AS kind, l.id AS rank
          FROM crm_lead l
          LEFT JOIN crm_stage s ON s.id = l.stage_id
         WHERE l.id IN (
                   SELECT k.id FROM crm_lead k WHERE k.email_normalized = n.email
                   UNION ALL
                   SELECT k.id FROM crm_lead k WHERE k.sm_phone_key = n.phone
                   UNION ALL
                   SELECT k.id FROM crm_lead k
                     JOIN res_partner p ON p.id = k.partner_id
                    WHERE p.commercial_partner_id = n.cp OR p.sm_vat_key = n.vat
               )
           AND l.id < n.id
           AND l.active
           AND s.is_won IS NOT TRUE
           AND NOT COALESCE(l.sm_registration_lapsed, FALSE)
           AND (l.company_id IS NULL OR n.company IS NULL
                OR l.company_id = n.company)
           AND NOT COALESCE(
                   (n.agent IS NOT NULL AND l.sm_agent_id = n.agent)
                   OR COALESCE(l.user_id, l.registrar_id) = n.registrar
                   OR COALESCE(l.user_id, l.registrar_id) = n.owner,
                   FALSE)
        UNION ALL
        SELECT NULL, c.id, c.user_id, NULL, NULL, FALSE, 1, c.id
          FROM res_partner c
         WHERE c.id IN (
                   SELECT p.commercial_partner_id FROM res_partner p
                    WHERE p.email_normalized = n.email
                       OR p.sm_phone_key = n.phone
                       OR p.sm_vat_key = n.vat
                       OR p.id = n.cp
               )
           AND c.active
           AND c.user_id IS NOT NULL
           AND (c.company_id IS NULL OR n.company IS NULL
                OR c.company_id = n.company)
           AND c.user_id IS DISTINCT FROM n.registrar
           AND c.user_id IS DISTINCT FROM n.owner
    ) candidates
    ORDER BY kind, rank
    LIMIT 1
 ) m
"""


class CrmLead(models.Model):
    """Registration integrity: a deal registered for a client an earlier
    open deal or an assigned client already holds is flagged a duplicate;
    the registering person is told who holds it (a name only), and its
    registrar share waits until a team leader confirms the registration or
    merges it (crm_lead_registrar.py keeps the earliest registrar)."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Odoo stores email_normalized (indexed) and phone_sanitized, the
    # latter only for numbers valid in the deal's country: the phone key
    # (res_partner_duplicate.py) compares any formatting, on clients too
    sm_phone_key = fields.Char(
        string="Phone Key",
        compute="_compute_sm_phone_key",
        store=True,
        index="btree_not_null",
        help="The last digits of the phone (else the mobile), which a new "
        "registration's phone is compared on.",
    )
    sm_duplicate_of_id = fields.Many2one(
        "crm.lead",
        string="Duplicate Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The earlier open deal of the same client this registration "
        "duplicates.",
    )
    sm_duplicate_partner_id = fields.Many2one(
        "res.partner",
        string="Client Already Assigned",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The assigned client this registration duplicates, when no "
        "earlier open deal does.",
    )
    sm_duplicate_holder = fields.Char(
        string="Held By",
        readonly=True,
        copy=False,
        help="Who held the client when this deal was registered: a "
        "salesperson, an agent or the shared pool.",
    )
    sm_duplicate_state = fields.Selection(
        [("flagged", "Awaiting Confirmation"), ("confirmed", "Confirmed")],
        string="Duplicate Registration",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Awaiting Confirmation: the client was already held when this deal "
        "was registered; its registrar share is not paid until a team leader "
        "confirms the registration or merges the deals.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("phone", "mobile")
    def _compute_sm_phone_key(self):
        for lead in self:
            lead.sm_phone_key = phone_key(lead.phone) or phone_key(lead.mobile)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _sm_duplicate_on_create(self, vals_list):
        """New registrations of a client already held are flagged, and
        whoever registers them told."""
        registered = self.filtered(lambda lead: lead.registrar_id or lead.sm_agent_id)
        if not registered or self.env.context.get("sm_skip_duplicate_check"):
            return
        found = registered._sm_duplicate_find()
        if found:
            registered._sm_duplicate_flag(found)

    def _sm_duplicate_before_write(self, vals):
        """Only team leaders (or the check itself) change the flag."""
        if set(DUPLICATE_FIELDS) & set(vals) and not self._sm_can_set_registrar():
            raise AccessError(
                self.env._(
                    "Only team leaders confirm a duplicate registration (%s).",
                    ", ".join(self.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_sm_confirm_registration(self):
        """A team leader confirms a flagged registration: its registrar
        share is paid (commission follows the write)."""
        if not self._sm_can_set_registrar():
            raise AccessError(
                self.env._("Only team leaders confirm a duplicate registration.")
            )
        flagged = self.filtered(lambda lead: lead.sm_duplicate_state == "flagged")
        if not flagged:
            return True
        flagged.write({"sm_duplicate_state": "confirmed"})
        flagged._message_log_batch(
            bodies={
                lead.id: Markup("<p>%s</p>")
                % self.env._(
                    "Registration confirmed by %(leader)s although the client was "
                    "held by %(holder)s: the registrar share of this deal is paid.",
                    leader=self.env.user.name,
                    holder=lead.sm_duplicate_holder or "",
                )
                for lead in flagged
            }
        )
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _sm_duplicate_holds_registrar_share(self):
        """The registrar share waits while the registration is flagged."""
        self.ensure_one()
        return self.sm_duplicate_state == "flagged"

    def _sm_duplicate_find(self):
        """{lead id: (earlier lead id, client id, user id, agent id,
        registrar id, in pool)} for the deals of ``self`` that duplicate an
        earlier registration: one query, whatever their number."""
        # the keys the query compares, written to the database first
        self.env["res.partner"].flush_model(
            [
                "commercial_partner_id",
                "email_normalized",
                "sm_phone_key",
                "sm_vat_key",
                "user_id",
                "active",
                "company_id",
            ]
        )
        self.flush_model(
            [
                "email_normalized",
                "sm_phone_key",
                "partner_id",
                "active",
                "stage_id",
                "company_id",
                "user_id",
                "registrar_id",
                "sm_agent_id",
                "in_pool",
                "sm_registration_lapsed",
            ]
        )
        if not self.ids:
            return {}
        # the registrations' keys are read in the query itself: reading the
        # deals through the ORM first (every stored field of crm.lead) made
        # the check 12 ms and 2 queries, this one query 4 ms (bench
        # duplicate, 100,000 leads).
        # sudo-free raw SQL on purpose: the registering user may not read
        # the earlier deal or client; only its holder's name is shown
        rows = self.env.execute_query(SQL(DUPLICATE_QUERY, ids=self.ids))
        return {row[0]: row[1:] for row in rows}

    def _sm_duplicate_flag(self, found):
        """Flag the deals found duplicates, tell the registering person."""
        user_ids = {row[2] or row[4] for row in found.values()} - {None}
        agent_ids = {row[3] for row in found.values()} - {None}
        # sudo: res.users, res.partner - the holder's name only, which the
        # registering user may not otherwise read
        users = self.env["res.users"].sudo().browse(user_ids)
        agents = self.env["res.partner"].sudo().browse(agent_ids)
        names = {("user", user.id): user.name for user in users}
        names.update({("agent", agent.id): agent.name for agent in agents})
        lang_env = self.with_context(lang=self.env.user.lang or self.env.lang).env
        pool = lang_env._("the shared pool")
        rows, bodies, holders = [], {}, []
        for lead in self.filtered(lambda lead: lead.id in found):
            lead_id, partner_id, user_id, agent_id, registrar_id, in_pool = found[
                lead.id
            ]
            if user_id:
                holder = names[("user", user_id)]
            elif agent_id:
                holder = names[("agent", agent_id)]
            elif in_pool or not registrar_id:
                holder = pool
            else:
                holder = names[("user", registrar_id)]
            rows.append((lead.id, lead_id, partner_id, holder, "flagged"))
            holders.append(holder)
            bodies[lead.id] = Markup("<p>%s</p>") % lang_env._(
                "Duplicate registration: this client is already held by %(holder)s. "
                "The registrar share of this deal is not paid until a team leader "
                "confirms the registration or merges it with the earlier deal.",
                holder=holder,
            )
        update_rows(
            self.env,
            "crm_lead",
            [
                ("id", "int4"),
                ("sm_duplicate_of_id", "int4"),
                ("sm_duplicate_partner_id", "int4"),
                ("sm_duplicate_holder", "varchar"),
                ("sm_duplicate_state", "varchar"),
            ],
            rows,
        )
        self.invalidate_recordset([*DUPLICATE_FIELDS, "write_uid", "write_date"])
        # sudo: crm.lead - the note is the registration's own, on a deal its
        # registrar may have assigned to someone else
        self.sudo().browse(list(bodies))._message_log_batch(bodies=bodies)
        self.env.user._bus_send(
            "simple_notification",
            {
                "type": "warning",
                "sticky": True,
                "title": lang_env._("Client already held"),
                "message": lang_env._(
                    "Already held by %(holders)s: the registrar share waits for a "
                    "team leader's confirmation.",
                    holders=", ".join(dict.fromkeys(holders)),
                ),
            },
        )

    def _sm_duplicate_merge_vals(self, merged):
        """The flag a merge of ``merged`` keeps: the earliest registration's
        (self), unless it duplicates one of the merged deals."""
        self.ensure_one()
        if not self.sm_duplicate_state or self.sm_duplicate_of_id in merged:
            return dict.fromkeys(DUPLICATE_FIELDS, False)
        return {
            "sm_duplicate_of_id": self.sm_duplicate_of_id.id,
            "sm_duplicate_partner_id": self.sm_duplicate_partner_id.id,
            "sm_duplicate_holder": self.sm_duplicate_holder,
            "sm_duplicate_state": self.sm_duplicate_state,
        }

    def _sm_duplicate_apply_merge(self, vals):
        """The merged deal takes the flag of the earliest registration."""
        self.ensure_one()
        changed = {
            fname: value
            for fname, value in vals.items()
            if (self[fname].id if fname.endswith("_id") else self[fname]) != value
        }
        if changed:
            # sudo: crm.lead - the merge rule decides the flag, not the user
            self.sudo().write(changed)
