# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.sql import column_exists, create_column


class CrmLead(models.Model):
    """Who sees what (README): what the registrar's and the closer's read
    rules look up (security/ir_rule.xml), and the fields the rules test
    fetched by the search query itself."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # What the registrar's and the closer's read rules look up: the registrar
    # (the closer) while somebody else, or nobody, is the salesperson. When
    # they are the salesperson, the rule "assigned to me" shows the deal
    # already, so these are empty: each rule's index then holds only the deals
    # no other rule shows, instead of repeating most of the salesperson's own
    # (a registrar registered most of their deals; a closer won their own).
    sm_registrar_reader_id = fields.Many2one(
        "res.users",
        string="Registrar Reading",
        compute="_compute_sm_reader_ids",
        store=True,
        copy=False,
        index="btree_not_null",
        help="The registrar while someone else (or nobody) is the salesperson: "
        "they read the deal through the registrar rule.",
    )
    sm_closer_reader_id = fields.Many2one(
        "res.users",
        string="Closer Reading",
        compute="_compute_sm_reader_ids",
        store=True,
        copy=False,
        index="btree_not_null",
        help="The closer while someone else (or nobody) is the salesperson: "
        "they read the deal through the commission-basis rule.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("user_id", "registrar_id", "sm_closer_id")
    def _compute_sm_reader_ids(self):
        for lead in self:
            lead.sm_registrar_reader_id = (
                lead.registrar_id if lead.registrar_id != lead.user_id else False
            )
            lead.sm_closer_reader_id = (
                lead.sm_closer_id if lead.sm_closer_id != lead.user_id else False
            )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """The rules' internal columns are no criteria for people: kept out
        of the custom filters, groupings, sorting and export."""
        res = super().fields_get(allfields=allfields, attributes=attributes)
        for name in self._sm_internal_fields():
            description = res.get(name)
            if description is None:
                continue
            for attribute in ("searchable", "groupable", "sortable", "exportable"):
                if attributes is None or attribute in attributes:
                    description[attribute] = False
        return res

    def _auto_init(self):
        # Created empty here so that installing on a large database does not
        # compute them lead by lead: no lead has a registrar or a closer yet;
        # the install hook fills them with the registrar, in the same UPDATE.
        for column in ("sm_registrar_reader_id", "sm_closer_reader_id"):
            if not column_exists(self.env.cr, self._table, column):
                create_column(self.env.cr, self._table, column, "int4")
        return super()._auto_init()

    def _fetch_query(self, query, fields):
        # Reading records found by a search (web_search_read, search_read)
        # checks them against the record rules in Python, field by field; a
        # field the rules test and the view does not read (in_pool, the
        # readers) would cost one more query, of every column. Fetch those
        # fields in the search's own query instead. A plain search (no field),
        # a fetch of relational fields only (no column: the records are known,
        # nothing is selected; the form's one2many of a deal) and the
        # superuser (no rule) fetch what they asked for.
        if not self.env.su and any(field.column_type for field in fields):
            fields = list(fields)
            fields += [field for field in self._sm_rule_fields() if field not in fields]
        return super()._fetch_query(query, fields)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _sm_internal_fields(self):
        """Fields of crm.lead the addon keeps for its own use (record rules,
        computes), which no user searches, groups or exports by."""
        return (
            "sm_registrar_reader_id",
            "sm_closer_reader_id",
            "sm_lead_checkpoint_ids",
            "sm_checkpoint_strip",
        )

    def _sm_access_error(self, operation):
        """The AccessError of these deals, refused to the current user by the
        record rules for ``operation``, saying what they may not do and why,
        rather than Odoo's generic "top-secret records"
        (ir.rule._make_access_error)."""
        forbidden = self
        readable = (
            forbidden._filtered_access("read") if operation != "read" else forbidden
        )
        if operation == "read" or readable != forbidden:
            message = self.env._(
                "You cannot open this deal: it is not assigned to you, not in the "
                "shared pool of your sales teams, not registered or won by you, "
                "and not in a team you lead. Ask the team leader of its sales team "
                "if you need it."
            )
        else:
            # sudo: crm.lead - the names of deals the user reads, and of their
            # salesperson (whom the user may not read as a client)
            pool = readable.sudo().filtered("in_pool")
            others = readable.sudo() - pool
            parts = []
            if pool:
                parts.append(
                    self.env._(
                        "%(deals)s is in the shared pool: claim it to work on it.",
                        deals=", ".join(pool.mapped("display_name")),
                    )
                )
            for user, leads in others.grouped("user_id").items():
                deals = ", ".join(leads.mapped("display_name"))
                if user:
                    parts.append(
                        self.env._(
                            "%(deals)s is the deal of %(salesperson)s: you see it "
                            "because you registered or won it, but only its "
                            "salesperson or the team leader can change it.",
                            deals=deals,
                            salesperson=user.name,
                        )
                    )
                else:
                    parts.append(
                        self.env._(
                            "%(deals)s has no salesperson: you see it because you "
                            "registered or won it, but only the team leader can "
                            "change it.",
                            deals=deals,
                        )
                    )
            message = "\n".join(parts)
        return AccessError(message)

    def _sm_rule_fields(self):
        """The stored fields of crm.lead the current user's read rules test."""
        domain = self.env["ir.rule"]._compute_domain(self._name, "read") or []
        names = {
            leaf[0].split(".", 1)[0]
            for leaf in domain
            if not isinstance(leaf, str) and isinstance(leaf[0], str)  # not & | !
        }
        fields = (self._fields.get(name) for name in sorted(names))
        return [
            field
            for field in fields
            if field
            and field.store
            and field.column_type
            and field.is_accessible(self.env)
        ]
