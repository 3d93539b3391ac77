# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Every lead and opportunity of the partner, archived ones aside (Odoo's
    # opportunity_ids only lists opportunities); the record rules use it.
    sm_lead_ids = fields.One2many("crm.lead", "partner_id", string="Leads")
    # the client rules filter on the salesperson
    user_id = fields.Many2one(index=True)
    sm_is_agent = fields.Boolean(
        string="Sales Agent",
        help="An external agent or dealer who registers deals and earns the "
        "registrar share of them (with or without a portal account).",
    )

    def write(self, vals):
        moved = {}
        if "user_id" in vals:
            moved = {
                partner: partner.user_id
                for partner in self
                if partner.user_id.id != (vals["user_id"] or False)
            }
        protected = self._sm_personal_data_fields().intersection(vals)
        if protected and not self.env.su:
            locked = self.filtered(lambda p: not p._sm_can_edit_personal_data())
            if locked:
                labels = sorted(
                    self._fields[f].get_description(self.env)["string"]
                    for f in protected
                )
                raise AccessError(
                    self.env._(
                        "Only client data operators may change the personal data "
                        "(%(fields)s) of %(clients)s.",
                        fields=", ".join(labels),
                        clients=", ".join(locked.mapped("display_name")),
                    )
                )
        res = super().write(vals)
        if moved:
            partners = self.browse([p.id for p in moved])
            # a company's contacts keep the company's salesperson (and so the
            # record rules keep them with it)
            for partner in partners:
                contacts = partner.child_ids.filtered(
                    lambda c, old=moved[partner]: c.user_id == old
                )
                if contacts:
                    contacts.with_context(sm_following=True).write(
                        {"user_id": partner.user_id.id}
                    )
            if not self.env.context.get("sm_following"):
                partners._sm_move_opportunities(moved)
        return res

    def _sm_move_opportunities(self, previous):
        """The client changed salesperson: its open opportunities held by the
        previous one follow (setting "Opportunities follow their client")."""
        partners = self.filtered(
            lambda p: (p.company_id or self.env.company).sm_opportunities_follow_client
        )
        if not partners:
            return
        # sudo: crm.lead - the client's new salesperson takes over deals the
        # user moving the client may not see
        Lead = self.env["crm.lead"].sudo().with_context(sm_following=True)
        leads = Lead.search(
            [
                ("partner_id", "child_of", partners.ids),
                ("type", "=", "opportunity"),
                ("active", "=", True),
                ("probability", "<", 100),
            ]
        )
        for partner in partners:
            old_user = previous[partner]
            mine = leads.filtered(
                lambda lead,
                p=partner,
                u=old_user: lead.partner_id.commercial_partner_id
                == p.commercial_partner_id
                and lead.user_id == u
            )
            if not mine:
                continue
            origin = {lead.id: lead.user_id.id for lead in mine}
            new_user = partner.user_id
            mine.write({"user_id": new_user.id, "in_pool": False})
            self.env["motivation.transfer"].with_context(sm_from_user=origin)._log(
                mine,
                "reassign",
                self.env._("Follows its client %s", partner.display_name),
                to_user=new_user or None,
            )

    @api.model
    def _sm_personal_data_fields(self):
        """Fields of a client's personal data (name, contact details, address,
        tax id), which the setting reserves to data operators."""
        return {
            "name",
            "phone",
            "mobile",
            "email",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "country_id",
            "vat",
        }

    def _sm_can_edit_personal_data(self):
        """Whether the current user may change this client's personal data."""
        self.ensure_one()
        if self.env.su or not self.partner_share:
            # users' and companies' own partners are not clients
            return True
        company = self.company_id or self.env.company
        if not company.sm_personal_data_by_operators:
            return True
        return self.env.user.has_group("sales_motivation.group_data_operator")
