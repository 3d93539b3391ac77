# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

# The tag of the tests that pin how the addon does something (a table's
# storage parameter, an index's definition, an exact number of queries)
# rather than what a user relies on; they run with the others (README, "Test
# it", says how to run one set or the other).
IMPLEMENTATION_TAG = "sm_implementation"


def implementation_detail(test_method):
    """Tag a test method with IMPLEMENTATION_TAG (Odoo's @tagged tags classes;
    SalesMotivationCommon adds a method's own tags to its test's)."""
    test_method.sm_test_tags = (
        *getattr(test_method, "sm_test_tags", ()),
        IMPLEMENTATION_TAG,
    )
    return test_method


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

    def get_method_additional_tags(self, test_method):
        tags = super().get_method_additional_tags(test_method)
        return [*tags, *getattr(test_method, "sm_test_tags", ())]

    @classmethod
    def _create_lead(cls, user, team, registrar=None, **vals):
        """A deal owned by ``user`` and registered by ``registrar`` (default: the
        owner), created by the test's superuser environment."""
        return cls._create_leads(1, user, team, registrar, **{"name": "Deal", **vals})

    @classmethod
    def _create_leads(cls, count, user, team, registrar=None, **vals):
        """``count`` deals as ``_create_lead`` makes them, in one create,
        named "Deal 0", "Deal 1"... unless ``vals`` names them."""
        registrar = user if registrar is None else registrar
        return cls.env["crm.lead"].create(
            [
                {
                    "name": f"Deal {i}",
                    "type": "opportunity",
                    "user_id": user.id if user else False,
                    "team_id": team.id if team else False,
                    "registrar_id": registrar.id if registrar else False,
                    **vals,
                }
                for i in range(count)
            ]
        )


class InteractionCommon(SalesMotivationCommon):
    """Sam's client Hardware Store, its buyer Olga, and Sam's deal Shelves
    with her: what the journal's tests log calls and e-mails on."""

    # the contact data the tests read back (the e-mail tests give the
    # client an address, and Olga another phone)
    client_email = False
    buyer_phone = "+1 555 0100"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.client = Partner.create(
            {
                "name": "Hardware Store",
                "is_company": True,
                "user_id": cls.user_sam.id,
                "email": cls.client_email,
            }
        )
        cls.buyer = Partner.create(
            {
                "name": "Olga Buyer",
                "parent_id": cls.client.id,
                "phone": cls.buyer_phone,
                "email": "olga@hardware.example.com",
            }
        )
        cls.taken = cls.env.ref("sales_motivation.interaction_result_taken")
        cls.Interaction = cls.env["motivation.interaction"]

    def setUp(self):
        super().setUp()
        self.lead = self._create_lead(
            self.user_sam, self.team_east, partner_id=self.buyer.id, name="Shelves"
        )


class SalesMotivationAccessCommon(SalesMotivationCommon):
    """The organisation of :class:`SalesMotivationCommon` with one deal and one
    client of each kind a salesperson may meet (names are unique, for
    name_search), each deal carrying a message, an attachment and an activity.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.partner_sam = Partner.create(
            {"name": "Client of Sam", "user_id": cls.user_sam.id, "is_company": True}
        )
        cls.partner_sara = Partner.create(
            {"name": "Client of Sara", "user_id": cls.user_sara.id, "is_company": True}
        )
        cls.partner_will = Partner.create(
            {"name": "Client of Will", "user_id": cls.user_will.id, "is_company": True}
        )
        cls.partner_free = Partner.create({"name": "Client of nobody"})
        cls.leads = {
            "own": cls._create_lead(cls.user_sam, cls.team_east, name="Sam's deal"),
            "colleague": cls._create_lead(
                cls.user_sara, cls.team_east, name="Sara's deal"
            ),
            "team_pool": cls._create_lead(
                False,
                cls.team_east,
                registrar=cls.user_sara,
                name="East pool deal",
                in_pool=True,
            ),
            "registered": cls._create_lead(
                cls.user_sara,
                cls.team_east,
                registrar=cls.user_sam,
                name="Deal Sam registered for Sara",
            ),
            "team_unassigned": cls._create_lead(
                False, cls.team_east, registrar=False, name="East unassigned deal"
            ),
            "other_team": cls._create_lead(
                cls.user_will, cls.team_west, name="Will's deal"
            ),
            "other_pool": cls._create_lead(
                False,
                cls.team_west,
                registrar=cls.user_will,
                name="West pool deal",
                in_pool=True,
            ),
        }
        cls.messages = {}
        cls.attachments = {}
        cls.activities = {}
        for key, lead in cls.leads.items():
            cls.messages[key] = lead.message_post(
                body=f"Note on {lead.name}", message_type="comment"
            )
            cls.attachments[key] = cls.env["ir.attachment"].create(
                {
                    "name": f"{key}.txt",
                    "raw": b"offer",
                    "res_model": "crm.lead",
                    "res_id": lead.id,
                }
            )
            cls.activities[key] = lead.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=f"Call about {lead.name}",
                user_id=(lead.user_id or cls.env.ref("base.user_admin")).id,
            )
