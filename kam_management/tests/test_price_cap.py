from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .kam_accounts_common import KamAccountsCommon


@tagged("post_install", "-at_install")
class TestTierPriceCap(KamAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._key_accounts(["中海地产"])
        cls._set_tier(cls.customer, cls.tier_b, credit_limit=0.0)  # B: at most 3 % without approval
        cls.product = cls.env["product.product"].create({"name": "车位", "type": "service", "list_price": 100.0, "taxes_id": False})
        cls._definition("kam.discount.approval", cls.ka_manager)
        cls.seller = new_test_user(cls.env, login="kam_test_seller", name="张伟", groups="sales_team.group_sale_salesman_all_leads")

    def _order(self, discount, partner=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 100.0,
                                    "discount": 2.0, "tax_ids": False}),
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 100.0,
                                    "discount": discount, "tax_ids": False}),
                ],
            }
        )

    def test_discount_at_the_cap_is_confirmed(self):
        order = self._order(3.0)
        self.assertFalse(order.kam_needs_discount_approval)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_discount_above_the_cap_blocks_until_approved(self):
        order = self._order(5.0)
        self.assertTrue(order.kam_needs_discount_approval)
        with self.assertRaises(UserError) as raised:
            order.action_confirm()
        self.assertIn("at most 3", str(raised.exception))
        self.assertEqual(order.state, "draft")

        staff = self.seller
        action = order.with_user(staff).action_kam_request_discount_approval()
        approval = self.env["kam.discount.approval"].browse(action["res_id"])
        self.assertEqual((approval.discount, approval.cap, approval.tier_id), (5.0, 3.0, self.tier_b))
        with self.assertRaises(ValidationError):
            approval.with_user(staff).action_approve()  # staff cannot approve their own discount
        approval.with_user(staff).request_validation()
        with self.assertRaises(UserError):
            order.action_confirm()
        approval.with_user(self.ka_manager).validate_tier()
        self.assertEqual(approval.state, "approved")
        # a bigger discount than approved is blocked again
        order.order_line[1].discount = 5.01
        with self.assertRaises(UserError):
            order.action_confirm()
        order.order_line[1].discount = 5.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_nobody_creates_an_approval_already_approved(self):
        order = self._order(9.0)
        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            self.env["kam.discount.approval"].with_user(self.kam_users["user"]).create(
                {"sale_order_id": order.id, "discount": 9.0, "reason": "老客户", "state": "approved"}
            )
        self.assertFalse(order.kam_discount_approval_ids)
        with self.assertRaises(UserError):
            order.action_confirm()

    def test_customers_without_a_tier_keep_any_discount(self):
        plain = self.env["res.partner"].create({"name": "零售客户", "is_company": True})
        order = self._order(40.0, partner=plain)
        self.assertFalse(order.kam_needs_discount_approval)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_invoice_discount_above_the_cap_needs_an_approved_order(self):
        invoice = self._invoices([(self.customer, 100.0, "2026-06-01", None)], post=False)
        invoice.invoice_line_ids.discount = 3.5
        with self.assertRaises(UserError) as raised:
            invoice.action_post()
        self.assertIn("at most 3", str(raised.exception))
        invoice.invoice_line_ids.discount = 3.0
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_invoice_from_an_approved_order_keeps_its_discount(self):
        order = self._order(5.0)
        self.env["kam.discount.approval"].sudo().create(
            {"sale_order_id": order.id, "discount": 5.0, "reason": "批量采购", "state": "approved"}
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(max(invoice.invoice_line_ids.mapped("discount")), 5.0)

    def test_grade_d_pays_the_list_price_plus_its_markup(self):
        prepaid = self._key_accounts(["东莞某五金厂"])
        self._set_tier(prepaid, self.tier_d)  # D: internal price + 5 %, no discount
        order = self.env["sale.order"].create(
            {
                "partner_id": prepaid.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2,
                                               "price_unit": 104.99, "tax_ids": False})],
            }
        )
        with self.assertRaises(UserError) as raised:
            order._kam_check_price_caps()
        self.assertIn("list price plus 5", str(raised.exception))
        self.assertIn("0.01 %", str(raised.exception))  # 1 − 104.99 / 105
        order.order_line.price_unit = 105.0
        order._kam_check_price_caps()
        self.assertFalse(order.kam_needs_discount_approval)

    def test_staff_see_approvals_of_orders_placed_on_a_contact_of_their_account(self):
        contact = self.env["res.partner"].create({"name": "采购部 刘敏", "parent_id": self.customer.id})
        order = self._order(9.0, partner=contact)
        approval = self.env["kam.discount.approval"].create({"sale_order_id": order.id, "discount": 9.0, "reason": "x"})
        staff = self.kam_users["user"]  # manages 中海地产
        self.assertEqual(self.env["kam.discount.approval"].with_user(staff).search([("id", "=", approval.id)]), approval)
        colleague = new_test_user(self.env, login="kam_test_colleague", groups="kam_management.group_kam_user")
        self.assertFalse(self.env["kam.discount.approval"].with_user(colleague).search([("id", "=", approval.id)]))
