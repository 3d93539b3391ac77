# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The client rules of salespeople and team leaders test two flags of
res.partner instead of paths through one2many fields, which Odoo 18 read in
sudo into the cache the user's own reads share (security/ir_rule.xml says
why). The rules are noupdate: write their new domains."""

from odoo import SUPERUSER_ID, api

DOMAINS = {
    "sales_motivation.res_partner_rule_salesman_documents": (
        "[('sm_referred_by_me', '=', True)]"
    ),
    "sales_motivation.res_partner_rule_team_leader": (
        "[('sm_client_of_my_teams', '=', True)]"
    ),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xml_id, domain in DOMAINS.items():
        rule = env.ref(xml_id, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
