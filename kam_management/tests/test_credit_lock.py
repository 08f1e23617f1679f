"""KA5: the credit exposure is read under a row lock, from Odoo's stored amounts to invoice."""

import psycopg2

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import KamTwoConnectionsMixin
from .kam_accounts_common import KamAccountsCommon


@tagged("post_install", "-at_install")
class TestCreditExposure(KamAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._key_accounts(["保利发展"])
        cls._set_tier(cls.customer, cls.tier_b, credit_limit=1000.0)
        cls.product = cls.env["product.product"].create(
            {"name": "物业服务", "type": "service", "list_price": 100.0, "taxes_id": False, "invoice_policy": "order"}
        )
        cls.tax = cls.env["account.tax"].create({"name": "VAT 10 %", "amount": 10.0, "type_tax_use": "sale"})

    def _order(self, amount):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": amount,
                                    "tax_ids": [Command.set(self.tax.ids)]})
                ],
            }
        )

    def test_exposure_counts_confirmed_orders_tax_included_from_stored_amounts(self):
        first = self._order(400.0)  # 440 with tax
        first.action_confirm()
        exposure = self.customer._kam_credit_exposure(self.env.company)
        self.assertAlmostEqual(exposure, 440.0, places=2)
        self.assertAlmostEqual(exposure, first.amount_to_invoice, places=2, msg="same as Odoo's amount to invoice")
        # 440 + 660 = 1,100 > 1,000: refused, with the figures, and nothing confirmed
        second = self._order(600.0)
        with self.assertRaisesRegex(UserError, "over its credit limit"):
            second.action_confirm()
        self.assertEqual(second.state, "draft")

    def test_the_key_account_page_shows_limit_exposure_and_available_credit(self):
        self._order(200.0).action_confirm()  # 220
        partner = self.customer.with_company(self.env.company)
        self.assertAlmostEqual(partner.kam_credit_limit, 1000.0)
        self.assertAlmostEqual(partner.kam_credit_exposure, 220.0, places=2)
        self.assertAlmostEqual(partner.kam_credit_available, 780.0, places=2)

    def test_the_page_of_many_partners_reads_in_a_fixed_number_of_queries(self):
        partners = self._key_accounts([f"客户{i}" for i in range(12)])

        def queries(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.mapped("kam_credit_exposure")
            return self.env.cr.sql_log_count - before

        queries(partners[:1])  # warm the caches that do not depend on the partners
        self.assertEqual(queries(partners[:2]), queries(partners), "no query per partner")


@tagged("post_install", "-at_install")
class TestCreditLockConcurrency(KamTwoConnectionsMixin, TransactionCase):
    """Two confirmations for one customer serialize on the customer's row (two cursors)."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrency credit customer", "is_company": True})
            cr.commit()
        self.partner_id = partner.id
        self._open_two_connections()

    def _delete_committed(self, cr):
        cr.execute("DELETE FROM res_partner WHERE id = %s", (self.partner_id,))

    def _check(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner = env["res.partner"].browse(self.partner_id)
        partner._kam_check_credit_limit(env.company, 10.0, "2026-06-01", "SO-TEST")

    def test_the_second_check_waits_for_the_first(self):
        self._check(self.cr1)  # holds the customer's row until it commits
        self.cr2.execute("SET LOCAL lock_timeout = '300ms'")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.LockNotAvailable):
            self._check(self.cr2)

    def test_a_check_on_a_stale_snapshot_is_retried_not_passed(self):
        self.cr2.execute("SELECT 1")  # the second transaction's snapshot starts before the first commits
        self._check(self.cr1)
        self.cr1.commit()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.SerializationFailure):
            self._check(self.cr2)  # Odoo's RPC layer retries this on a fresh snapshot
