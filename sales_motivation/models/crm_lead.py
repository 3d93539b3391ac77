# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""crm.lead: the ORM entry points of the addon, and where each concern lives.

This file alone overrides ``create`` and ``write``; each concern of a deal is
one file, an ``_inherit = "crm.lead"`` class with its fields, computes, hooks,
actions and business methods (README, "Where each need lives"):

- ``crm_lead_pool.py``: the shared pool, claims, protection from the pool
  rules, clients following their opportunities, assignment messages;
- ``crm_lead_registrar.py``: the registrar (or agent), first-contact data,
  merges;
- ``crm_lead_duplicate.py``: registrations of a client already held,
  flagged, their registrar share held until a team leader confirms them;
- ``crm_lead_access.py``: what the read rules look up, and the fields they
  test fetched by the search;
- ``crm_lead_interaction.py``: the interaction journal, the last touch
  (``motivation_interaction_mixin.py``, shared with clients);
- ``crm_lead_checkpoint.py``: checkpoints (the checkpoint mixin), stage
  gates, the overdue cron's alerts, the courtesy call;
- ``crm_lead_quality.py``: the data quality score;
- ``crm_lead_response.py``: first responses due after each assignment
  (motivation.response), what answers them;
- ``crm_lead_achievement.py``: the deal's rows in the achievement ledger,
  the client segment fixed when it is won;
- ``crm_lead_commission.py``: the closer and the commission lines;
- ``crm_lead_registration.py``: agents' registrations from the portal,
  their review, lapse and the agents' notifications;
- ``crm_lead_personal_data.py``: deals do not copy contact data onto clients
  whose personal data the user may not edit.

Each concern file disables pylint-odoo's ``consider-merging-classes-inherited``
on its ``_inherit`` line: one file per concern is the layout chosen
(STYLE.md). No two of these classes override the same method, so the order
of their imports (models/__init__.py) changes nothing.

Adding a concern: a new file, imported after this one, and its hooks called
here at their place in the order below.
"""

from odoo import api, models

# Fields of a deal that decide its outcome for pay and plans: whether it is
# won and when, its revenue, its company and team (the commission plan that
# applies, by team and closing day), its registrar and its client. The
# achievement ledger (crm_lead_achievement.py) follows them; the commission
# (crm_lead_commission.py) follows them and the gates of its shares.
OUTCOME_FIELDS = frozenset(
    {
        "stage_id",
        "active",
        "probability",
        "expected_revenue",
        "date_closed",
        "company_id",
        "team_id",
        "registrar_id",
        "partner_id",
    }
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    # create() and write() call each concern's hooks, in this order:
    #   1. pool: only team leaders protect deals from the pool rules; the
    #      client follows its opportunity to its new salesperson;
    #   2. registrar: who may register a deal, or change its registrar, in
    #      whose name; a new deal's first-contact data;
    #   2b. duplicate: a new registration of a client already held is
    #      flagged (before the commission of a deal created won); only team
    #      leaders change the flag;
    #   3. interaction: a new deal's last touch is its registration;
    #   4. checkpoint: the stages a deal may not enter yet; the checkpoints
    #      follow a new type, team or active flag;
    #   5. response: a new salesperson is due a first response (the
    #      previous one's closed);
    #   6. achievement: the ledger rows of deals registered, won or no longer
    #      won (the client segment fixed when won), the closer being the
    #      salesperson of a deal won now (the commission hook writes it next);
    #   7. commission: the closer and the commission lines of the deals
    #      won, or no longer won, once every other concern has written;
    #   8. registration, after the commission: agents' registrations
    #      progress, their agents are told when they are won.
    # The hooks, each defined where its concern is:
    # - _sm_<concern>_before_create(vals_list) may check (and raise) or
    #   complete the values; _sm_<concern>_on_create(vals_list) acts on the
    #   new leads;
    # - _sm_<concern>_before_write(vals) checks (and raises) and returns what
    #   the concern must know from before the write (or None);
    #   _sm_<concern>_on_write(vals, before) acts after it, given that value.
    # A concern defines only the hooks it needs.

    @api.model_create_multi
    def create(self, vals_list):
        self._sm_registrar_before_create(vals_list)
        self._sm_interaction_before_create(vals_list)
        leads = super().create(vals_list)
        leads._sm_registrar_on_create(vals_list)
        leads._sm_duplicate_on_create(vals_list)
        leads._sm_checkpoint_on_create(vals_list)
        leads._sm_response_on_create(vals_list)
        leads._sm_achievement_on_create(vals_list)
        leads._sm_commission_on_create(vals_list)
        return leads

    def write(self, vals):
        pool = self._sm_pool_before_write(vals)
        self._sm_registrar_before_write(vals)
        self._sm_duplicate_before_write(vals)
        checkpoint = self._sm_checkpoint_before_write(vals)
        response = self._sm_response_before_write(vals)
        achievement = self._sm_achievement_before_write(vals)
        commission = self._sm_commission_before_write(vals)
        registration = self._sm_registration_before_write(vals)
        res = super().write(vals)
        self._sm_pool_on_write(vals, pool)
        self._sm_checkpoint_on_write(vals, checkpoint)
        self._sm_response_on_write(vals, response)
        self._sm_achievement_on_write(vals, achievement)
        self._sm_commission_on_write(vals, commission)
        self._sm_registration_on_write(vals, registration)
        return res
