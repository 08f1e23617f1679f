from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

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

    def test_company_typed_into_the_field_shows_in_my_key_accounts(self):
        """申报注册 with a company created from the field (issue 19): after approval it is one of my key accounts."""
        staff = self.kam_users["user"]
        Registration = self.env["kam.account.registration"].with_user(staff)
        # what the field's "Create ..." does: name_create with the field's context
        field_context = Registration._fields["partner_id"].context
        partner_id, _name = self.env["res.partner"].with_user(staff).with_context(**field_context).name_create(
            "深圳市新注册科技有限公司"
        )
        partner = self.env["res.partner"].browse(partner_id)
        self.assertTrue(partner.is_company, "the applying company is created as a company, not a person")
        registration = Registration.create({"partner_id": partner.id})
        registration.request_validation()
        registration.with_user(self.ka_manager).validate_tier()
        self.assertEqual(registration.state, "approved")
        # 我的大客户: the home action's domain with its default filter "My Accounts", as the staff member
        home = self.env.ref("kam_management.action_kam_home_accounts")
        mine = self.env["res.partner"].with_user(staff).search(
            Domain(safe_eval(home.domain)) & Domain("kam_manager_id", "=", staff.id)
        )
        self.assertIn(partner, mine)

    def test_approval_makes_a_registered_person_record_a_company(self):
        """A prospect saved as an individual before this fix is a company once its registration is approved."""
        person = self.env["res.partner"].create({"name": "深圳市旧录入有限公司"})
        registration = self.env["kam.account.registration"].create({"partner_id": person.id})
        self._approve_by_reviewers(registration, self.ka_manager)
        self.assertTrue(person.is_company)
        self.assertEqual(person.kam_registration_state, "approved")

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
