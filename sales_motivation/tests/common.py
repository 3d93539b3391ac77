# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class SalesMotivationCommon(TransactionCase):
    """A small sales organisation, independent of demo data.

    Team East (leader Lena): salespeople Sam and Sara.
    Team West (leader Walt): salesperson Will.
    Hugo is a head of sales ("all documents"); Carla administers commission;
    Dora is a data operator without any sales right.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        salesman = "sales_team.group_sale_salesman"
        cls.user_leader_east = new_test_user(
            cls.env, "sm_lena", groups="sales_motivation.group_team_leader", name="Lena"
        )
        cls.user_leader_west = new_test_user(
            cls.env, "sm_walt", groups="sales_motivation.group_team_leader", name="Walt"
        )
        cls.user_sam = new_test_user(cls.env, "sm_sam", groups=salesman, name="Sam")
        cls.user_sara = new_test_user(cls.env, "sm_sara", groups=salesman, name="Sara")
        cls.user_will = new_test_user(cls.env, "sm_will", groups=salesman, name="Will")
        cls.user_head = new_test_user(
            cls.env,
            "sm_hugo",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Hugo",
        )
        cls.user_commission = new_test_user(
            cls.env,
            "sm_carla",
            groups="sales_motivation.group_commission_manager",
            name="Carla",
        )
        cls.user_operator = new_test_user(
            cls.env,
            "sm_dora",
            groups="sales_motivation.group_data_operator",
            name="Dora",
        )
        Team = cls.env["crm.team"]
        cls.team_east = Team.create(
            {
                "name": "East",
                "user_id": cls.user_leader_east.id,
                "member_ids": [(6, 0, (cls.user_sam | cls.user_sara).ids)],
            }
        )
        cls.team_west = Team.create(
            {
                "name": "West",
                "user_id": cls.user_leader_west.id,
                "member_ids": [(6, 0, cls.user_will.ids)],
            }
        )

    @classmethod
    def _create_lead(cls, user, team, registrar=None, **vals):
        """A deal owned by ``user`` and registered by ``registrar`` (default: the
        owner), created by the test's superuser environment."""
        registrar = user if registrar is None else registrar
        return cls.env["crm.lead"].create(
            {
                "name": "Deal",
                "type": "opportunity",
                "user_id": user.id if user else False,
                "team_id": team.id if team else False,
                "registrar_id": registrar.id if registrar else False,
                **vals,
            }
        )
