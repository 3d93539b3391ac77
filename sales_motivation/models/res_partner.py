# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""res.partner: the ORM entry point of the addon, and where each concern lives.

This file alone overrides ``write``; each concern of a client is one file, an
``_inherit = "res.partner"`` class with its fields, computes, hooks, actions
and business methods (README, "Where each need lives"):

- ``res_partner_access.py``: what the client record rules test (the
  client's leads, "referred to by my documents", "client of my teams");
- ``res_partner_registrar.py``: sales agents, who register deals;
- ``res_partner_personal_data.py``: personal data changed by data
  operators only;
- ``res_partner_assignment.py``: the client's salesperson and team, its
  contacts and open opportunities following it;
- ``res_partner_pool.py``: the pool rules on clients (alert, release);
- ``res_partner_regularity.py``: repeat clients, their figures, state,
  reminders and the daily cron;
- ``res_partner_interaction.py``: the client's interaction journal.

As for crm.lead (crm_lead.py), no two of these classes override the same
method. Adding a concern: a new file, imported after this one, and its hooks
called here at their place in the order below.
"""

from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    # write() calls each concern's hooks, in this order:
    #   1. assignment: which clients change salesperson, from whom;
    #   2. personal data: refuse a change of personal data the user may not
    #      make (raises);
    #   3. regularity: a new interval or target recomputes the client's state;
    #   4. assignment, last: the company's contacts and the client's open
    #      opportunities follow it to its new salesperson.
    # The hooks, each defined where its concern is:
    # _sm_<concern>_before_write(vals) checks (and raises) and returns what
    # the concern must know from before the write (or None);
    # _sm_<concern>_on_write(vals, before) acts after it, given that value.

    def write(self, vals):
        assignment = self._sm_assignment_before_write(vals)
        self._sm_personal_data_before_write(vals)
        res = super().write(vals)
        self._sm_regularity_on_write(vals)
        self._sm_assignment_on_write(vals, assignment)
        return res
