"""Key-account staff's day in the browser (issue 19), logged in as kam_user on the Chinese demo."""

from odoo.tests import HttpCase, tagged

NEW_ACCOUNT = "深圳市星河新材料有限公司"  # static/tests/tours/kam_staff_tour.js


# the demo's users (kam_user, its director kam_manager) and key accounts
@tagged("post_install", "-at_install", "kam_demo_db")
class TestKeyAccountStaffTours(HttpCase):
    def setUp(self):
        super().setUp()
        module = self.env["ir.module.module"].search([("name", "=", "kam_management")])
        if not module.demo:
            self.skipTest("installed without demo data")

    def test_a_registered_company_shows_in_my_key_accounts(self):
        staff = self.env.ref("kam_management.user_kam_user")
        self.start_tour("/odoo", "kam_staff_register_account", login="kam_user")
        registration = self.env["kam.account.registration"].search([("partner_id.name", "=", NEW_ACCOUNT)])
        self.assertEqual(len(registration), 1)
        self.assertEqual(registration.user_id, staff)
        self.assertTrue(registration.partner_id.is_company, "created from the field as a company")
        self.assertEqual(registration.validation_status, "pending", "submitted for approval in the browser")
        # the key-account director approves it (its own screens are tested elsewhere)
        registration.with_user(self.env.ref("kam_management.user_kam_manager")).validate_tier()
        self.assertEqual(registration.state, "approved")
        self.start_tour("/odoo", "kam_staff_sees_registered_account", login="kam_user")

    def test_a_logged_complaint_shows_its_deadline(self):
        self.start_tour("/odoo", "kam_staff_logs_complaint", login="kam_user")
        complaint = self.env["kam.complaint"].search(
            [("partner_id.name", "=", "深圳市华兴科技集团有限公司"), ("user_id.login", "=", "kam_user")],
            order="id desc", limit=1,
        )
        self.assertIn("门窗漏水", str(complaint.description), "the complaint was saved from the browser")
