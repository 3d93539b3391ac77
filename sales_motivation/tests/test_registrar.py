# Copyright 2026 sales_motivation authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..hooks import post_init_hook
from .common import SalesMotivationCommon


@tagged("post_install", "-at_install")
class TestRegistrar(SalesMotivationCommon):
    def test_creator_is_registrar(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_sam)
            .create({"name": "First call", "team_id": self.team_east.id})
        )
        self.assertEqual(lead.registrar_id, self.user_sam)

    def test_form_registration(self):
        with Form(self.env["crm.lead"].with_user(self.user_sara)) as form:
            form.name = "Met at the fair"
        self.assertEqual(form.record.registrar_id, self.user_sara)

    def test_automatic_creation_has_no_registrar(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.env.ref("base.user_root"))
            .create({"name": "Incoming e-mail"})
        )
        self.assertFalse(lead.registrar_id)

    def test_salesperson_cannot_register_for_another(self):
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.user_sam).create(
                {"name": "Not mine", "registrar_id": self.user_sara.id}
            )

    def test_salesperson_registers_for_themselves(self):
        Lead = self.env["crm.lead"].with_user(self.user_sam)
        for user in (self.user_sara, self.env["res.users"]):
            with (
                self.subTest(user=user.name),
                self.assertRaisesRegex(UserError, "registers deals for themselves"),
            ):
                Lead.create({"name": "For someone else", "user_id": user.id})
        self.assertEqual(Lead.create({"name": "Mine"}).user_id, self.user_sam)

    def test_salesperson_cannot_change_registrar(self):
        lead = self._create_lead(self.user_sam, self.team_east)
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sam).write({"registrar_id": self.user_sara.id})
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sam).write({"registrar_id": False})
        self.assertEqual(lead.registrar_id, self.user_sam)
        # writing the value it already has is not a change
        lead.with_user(self.user_sam).write(
            {"registrar_id": self.user_sam.id, "name": "Renamed"}
        )
        self.assertEqual(lead.name, "Renamed")

    def test_team_leader_can_set_registrar(self):
        lead = self._create_lead(self.user_sam, self.team_east)
        lead.with_user(self.user_head).write({"registrar_id": self.user_sara.id})
        self.assertEqual(lead.registrar_id, self.user_sara)
        other = (
            self.env["crm.lead"]
            .with_user(self.user_head)
            .create({"name": "On behalf", "registrar_id": self.user_will.id})
        )
        self.assertEqual(other.registrar_id, self.user_will)

    def test_registrar_survives_reassignment_and_conversion(self):
        lead = self._create_lead(
            self.user_sam, self.team_east, type="lead", contact_name="Anna"
        )
        lead.write({"user_id": self.user_sara.id})
        self.assertEqual(lead.registrar_id, self.user_sam)
        wizard = Form(
            self.env["crm.lead2opportunity.partner"].with_context(
                active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
            )
        ).save()
        wizard.action_apply()
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.registrar_id, self.user_sam)

    def test_duplicate_is_registered_by_duplicating_user(self):
        lead = self._create_lead(self.user_sam, self.team_east)
        copy = lead.with_user(self.user_head).copy()
        self.assertEqual(copy.registrar_id, self.user_head)

    def test_existing_leads_get_their_creator_as_registrar(self):
        lead = self._create_lead(self.user_sam, self.team_east)
        own = self._create_lead(self.user_sam, self.team_east)
        robot = self._create_lead(self.user_sam, self.team_east)
        self.env.cr.execute(
            "UPDATE crm_lead SET registrar_id = NULL, sm_registrar_reader_id = NULL,"
            " create_uid = CASE id WHEN %s THEN %s WHEN %s THEN %s ELSE 1 END"
            " WHERE id IN %s",
            (
                lead.id,
                self.user_sara.id,
                own.id,
                self.user_sam.id,
                (lead.id, own.id, robot.id),
            ),
        )
        post_init_hook(self.env)
        self.assertEqual(lead.registrar_id, self.user_sara)
        self.assertEqual(own.registrar_id, self.user_sam)
        self.assertFalse(robot.registrar_id)
        # what the registrar rule looks up: as the compute would store it
        self.assertEqual(lead.sm_registrar_reader_id, self.user_sara)
        self.assertFalse(own.sm_registrar_reader_id)
        self.assertFalse(robot.sm_registrar_reader_id)
