# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The salespeople's checkpoint rule reaches the pool deals of their teams
by the teams' ids (``user.crm_team_ids``, cached with the rule: team
membership changes clear it) instead of a path through the teams' members,
one subquery less on every read of a deal's checkpoints (the deal form). The
rule is noupdate: write the domain this version's security/ir_rule.xml
defines, as it defines it."""

import os

from lxml import etree

from odoo import SUPERUSER_ID, api

RULES = ("motivation_checkpoint_rule_salesman",)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    path = os.path.join(root, "security", "ir_rule.xml")
    tree = etree.parse(path)
    for name in RULES:
        rule = env.ref(f"sales_motivation.{name}", raise_if_not_found=False)
        field = tree.find(f".//record[@id='{name}']/field[@name='domain_force']")
        if rule and field is not None:
            rule.domain_force = field.text
