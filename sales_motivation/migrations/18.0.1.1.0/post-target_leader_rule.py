# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Team leaders read the targets of the members of the teams they lead, no
longer every target of a plan naming one of their teams (a plan of two
teams showed each leader the other team's figures). The rule is noupdate:
write its new domain and name."""

from odoo import SUPERUSER_ID, api

XML_ID = "sales_motivation.motivation_sales_target_rule_team_leader"
NAME = "Sales targets: members of teams I lead"
DOMAIN = (
    "[('user_id.crm_team_member_ids', 'any',"
    " [('active', '=', True), ('crm_team_id.user_id', '=', user.id)])]"
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref(XML_ID, raise_if_not_found=False)
    if rule:
        rule.write({"name": NAME, "domain_force": DOMAIN})
