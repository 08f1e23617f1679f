from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .kam_accounts_common import KamAccountsCommon


@tagged("post_install", "-at_install")
class TestCreditControl(KamAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.customer = cls._key_accounts(["中建三局"])
        cls._set_tier(cls.customer, cls.tier_b, credit_limit=1000.0)
        cls.product = cls.env["product.product"].create({"name": "精装修套餐", "type": "service", "list_price": 1.0, "taxes_id": False})
        # what the customer already owes: 600 on a posted invoice
        cls._invoices([(cls.customer, 600.0, cls.today, None)])
        cls.finance_director = cls.kam_users["finance_manager"]
        cls._definition("kam.credit.exception", cls.finance_director)

    def _order(self, partner, amount, discount=0.0):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "payment_term_id": False,
                "order_line": [
                    fields.Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": amount, "discount": discount, "tax_ids": False}
                    )
                ],
            }
        )

    def test_order_up_to_the_limit_is_confirmed(self):
        order = self._order(self.customer, 400.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_order_over_the_limit_is_refused_with_the_amounts(self):
        order = self._order(self.customer, 400.01)
        with self.assertRaises(UserError) as raised:
            order.action_confirm()
        message = str(raised.exception)
        self.assertIn("中建三局", message)
        self.assertIn("1,000.01", message)  # 600 owed + 400.01 ordered
        self.assertIn("0.01 over its credit limit", message)
        self.assertEqual(order.state, "draft")

    def test_confirmed_orders_not_invoiced_count(self):
        self._order(self.customer, 300.0).action_confirm()
        with self.assertRaises(UserError):
            self._order(self.customer, 100.01).action_confirm()

    def test_approved_exception_covers_amount_and_date(self):
        order = self._order(self.customer, 500.0)  # 100 over
        exception = self.env["kam.credit.exception"].create(
            {
                "partner_id": self.customer.id,
                "amount": 100.0,
                "date_from": self.today,
                "date_to": self.today,
                "reason": "年底集中采购",
            }
        )
        # requested but not approved: still refused
        exception.request_validation()
        with self.assertRaises(UserError):
            order.action_confirm()
        exception.with_user(self.finance_director).validate_tier()
        self.assertEqual(exception.state, "approved")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # the exception is used up: the next order is refused again
        with self.assertRaises(UserError):
            self._order(self.customer, 0.01).action_confirm()

    def test_exception_too_small_or_out_of_date_does_not_cover(self):
        order = self._order(self.customer, 500.0)
        self.env["kam.credit.exception"].sudo().create(
            [
                {"partner_id": self.customer.id, "amount": 99.99, "date_from": self.today, "date_to": self.today,
                 "reason": "too small", "state": "approved"},
                {"partner_id": self.customer.id, "amount": 1000.0, "date_from": "2020-01-01", "date_to": "2020-12-31",
                 "reason": "expired", "state": "approved"},
            ]
        )
        with self.assertRaises(UserError) as raised:
            order.action_confirm()
        self.assertIn("0.01 over its credit limit", str(raised.exception))

    def test_bad_exceptions_are_refused(self):
        Exception_ = self.env["kam.credit.exception"]
        for amount in (-100.0, 0.0):
            with self.subTest(amount=amount), self.assertRaises(ValidationError) as raised:
                Exception_.create(
                    {"partner_id": self.customer.id, "amount": amount, "date_to": self.today, "reason": "x"}
                )
            self.assertIn("positive amount", str(raised.exception))
        self.assertFalse(Exception_.search([("partner_id", "=", self.customer.id)]))

    def test_invoice_over_the_limit_cannot_be_posted(self):
        invoice = self._invoices([(self.customer, 400.01, self.today, None)], post=False)
        with self.assertRaises(UserError):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        invoice.invoice_line_ids.price_unit = 400.0
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_grade_d_pays_first_and_c_gets_no_deferral(self):
        prepaid = self._key_accounts(["深圳某贸易公司"])
        self._set_tier(prepaid, self.tier_d)
        with self.assertRaises(UserError) as raised:
            self._order(prepaid, 10.0).action_confirm()
        self.assertIn("grade D", str(raised.exception))
        cash = self._key_accounts(["广州某建材公司"])
        self._set_tier(cash, self.tier_c)
        order = self._order(cash, 10.0)
        order.payment_term_id = self.env.ref("account.account_payment_term_30days")
        with self.assertRaises(UserError) as raised:
            order.action_confirm()
        self.assertIn("cash on delivery", str(raised.exception))
        order.payment_term_id = self.env.ref("account.account_payment_term_immediate")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_customers_without_a_tier_behave_as_in_odoo(self):
        plain = self.env["res.partner"].create({"name": "普通客户", "is_company": True})
        plain.sudo().with_company(self.env.company).credit_limit = 1.0
        order = self._order(plain, 5000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self._invoices([(plain, 5000.0, self.today, None)])

    def test_exception_form(self):
        with Form(self.env["kam.credit.exception"]) as form:
            form.partner_id = self.customer
            form.amount = 250.0
            form.date_to = self.today
            form.reason = "项目回款前临时额度"
        exception = form.save()
        self.assertEqual(exception.state, "draft")
        self.assertEqual(exception.date_from, self.today)

    def test_approved_exception_cannot_be_changed(self):
        exception = self.env["kam.credit.exception"].create(
            {"partner_id": self.customer.id, "amount": 100.0, "date_to": self.today, "reason": "临时额度"}
        )
        exception.request_validation()
        exception.with_user(self.finance_director).validate_tier()
        self.assertEqual(exception.state, "approved")
        with self.assertRaises(UserError) as raised:
            exception.with_user(self.finance_director).amount = 100000.0
        self.assertIn("is locked: it is under review or approved", str(raised.exception))
        self.assertEqual(exception.amount, 100.0)
        exception.with_user(self.finance_director).action_cancel()
        self.assertEqual(exception.state, "cancel")
