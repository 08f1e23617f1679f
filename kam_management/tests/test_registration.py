from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .kam_accounts_common import KamAccountsCommon


@tagged("post_install", "-at_install")
class TestRegistration(KamAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prospect = cls.env["res.partner"].create(
            {"name": "深圳市腾讯计算机系统有限公司", "is_company": True, "vat": "91440300708461136T"}
        )
        cls.other_user = cls.env["res.users"].create(
            {
                "name": "李娜",
                "login": "kam_test_li_na",
                "group_ids": [cls.env.ref("kam_management.group_kam_user").id],
            }
        )
        cls._definition("kam.account.registration", cls.ka_manager)

    def test_register_then_approve(self):
        staff = self.kam_users["user"]
        with Form(self.env["kam.account.registration"].with_user(staff)) as form:
            form.partner_id = self.prospect
            form.backup_user_id = self.other_user
            form.territory = "深圳南山"
        registration = form.save()
        self.assertEqual(registration.user_id, staff)
        self.assertEqual(self.prospect.kam_registration_state, "pending")
        registration.request_validation()
        self.assertFalse(self.prospect.kam_manager_id, "not developed before approval")
        registration.with_user(self.ka_manager).validate_tier()
        self.assertEqual(registration.state, "approved")
        self.assertEqual(self.prospect.kam_registration_state, "approved")
        self.assertEqual(self.prospect.kam_manager_id, staff)
        self.assertEqual(self.prospect.kam_backup_manager_id, self.other_user)
        self.assertEqual(self.prospect.kam_territory, "深圳南山")

    def test_second_registration_is_refused_naming_the_owner(self):
        self.env["kam.account.registration"].with_user(self.kam_users["user"]).create({"partner_id": self.prospect.id})
        # the same company entered again under another record, found by its tax ID
        duplicate = self.env["res.partner"].create(
            {"name": "腾讯(深圳)", "is_company": True, "vat": "91440300708461136T"}
        )
        for partner in (self.prospect, duplicate):
            with self.subTest(partner=partner.name), self.assertRaises(ValidationError) as raised:
                self.env["kam.account.registration"].with_user(self.other_user).create({"partner_id": partner.id})
            self.assertIn("already registered to KAM user", str(raised.exception))
        self.assertEqual(self.env["kam.account.registration"].search_count([("partner_id", "=", duplicate.id)]), 0)

    def test_backup_must_be_another_person(self):
        staff = self.kam_users["user"]
        with self.assertRaises(ValidationError):
            self.env["kam.account.registration"].create(
                {"partner_id": self.prospect.id, "user_id": staff.id, "backup_user_id": staff.id}
            )

    def test_no_order_is_confirmed_for_a_prospect_awaiting_approval(self):
        self.env["kam.account.registration"].create({"partner_id": self.prospect.id})
        product = self.env["product.product"].create({"name": "写字楼租赁", "type": "service", "list_price": 10.0})
        order = self.env["sale.order"].create(
            {"partner_id": self.prospect.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        with self.assertRaises(UserError) as raised:
            order.action_confirm()
        self.assertIn("awaits approval", str(raised.exception))

    def test_approval_forms_get_the_tier_validation_buttons(self):
        for model in (
            "kam.account.registration",
            "kam.tier.review",
            "kam.credit.exception",
            "kam.discount.approval",
            "kam.payment.downgrade",
        ):
            with self.subTest(model=model):
                arch = self.env[model].with_user(self.ka_manager).get_view(view_type="form")["arch"]
                arch = arch.decode() if isinstance(arch, bytes) else arch
                self.assertIn("request_validation", arch)
                self.assertIn("validate_tier", arch)
