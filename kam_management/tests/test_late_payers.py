from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .kam_accounts_common import KamAccountsCommon


@tagged("post_install", "-at_install")
class TestLatePayers(KamAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer, cls.other = cls._key_accounts(["金地集团", "龙湖地产"], manager=cls.kam_users["user"])
        for partner in (cls.customer, cls.other):
            cls._set_tier(partner, cls.tier_b, credit_limit=0.0)
        cls.Downgrade = cls.env["kam.payment.downgrade"]
        cls.term_b = cls.tier_b.payment_term_id
        cls.term_c = cls.tier_c.payment_term_id

    def _run_job(self, day):
        with freeze_time(day):
            self.Downgrade._cron_downgrade_late_payers()
        return self.Downgrade.search([("partner_id", "in", (self.customer | self.other).ids)])

    def _payment_term(self, partner):
        partner.invalidate_recordset()
        return partner.sudo().with_company(self.env.company).property_payment_term_id

    def test_two_late_payments_in_one_quarter_cost_one_level_at_the_right_date(self):
        first, second = self._invoices(
            [
                (self.customer, 1000.0, "2026-01-01", "2026-01-31"),
                (self.customer, 2000.0, "2026-02-01", "2026-03-01"),
            ]
        )
        self._pay(first, "2026-02-05")  # 5 days late
        self.assertFalse(self._run_job("2026-03-30"))  # one late payment: nothing yet
        self.assertEqual(self._payment_term(self.customer), self.term_b)

        self._pay(second, "2026-03-31")  # late, on the last day of the quarter
        downgrade = self._run_job("2026-04-01")
        self.assertEqual(len(downgrade), 1)
        self.assertEqual((downgrade.quarter, downgrade.late_count), ("2026-Q1", 2))
        self.assertEqual((downgrade.from_tier_id, downgrade.to_tier_id), (self.tier_b, self.tier_c))
        self.assertEqual(self._payment_term(self.customer), self.term_c)
        self.assertEqual(self.customer.kam_payment_tier_id, self.tier_c)
        self.assertEqual(self.customer.kam_tier_id, self.tier_b, "the tier itself is the review's business")
        self.assertIn("2026-Q1", self.customer.message_ids[0].body)
        activity = self.customer.activity_ids
        self.assertEqual(activity.user_id, self.kam_users["user"])
        # the job runs every day: still one downgrade
        self.assertEqual(self._run_job("2026-04-02"), downgrade)
        self.assertEqual(self._payment_term(self.other), self.term_b)

    def test_late_payments_in_two_quarters_do_not_count_together(self):
        first, second = self._invoices(
            [
                (self.customer, 1000.0, "2026-03-01", "2026-03-10"),
                (self.customer, 1000.0, "2026-03-20", "2026-03-25"),
            ]
        )
        self._pay(first, "2026-03-31")
        self._pay(second, "2026-04-01")
        self.assertFalse(self._run_job("2026-04-02"))
        self.assertEqual(self._payment_term(self.customer), self.term_b)

    def test_payment_on_the_due_date_is_on_time(self):
        first, second = self._invoices(
            [
                (self.customer, 1000.0, "2026-01-05", "2026-02-05"),
                (self.customer, 1000.0, "2026-01-10", "2026-02-10"),
            ]
        )
        self._pay(first, "2026-02-05")
        self._pay(second, "2026-02-10")
        self.assertFalse(self._run_job("2026-02-11"))

    def test_restoring_needs_approval(self):
        invoices = self._invoices(
            [
                (self.customer, 1000.0, "2026-04-01", "2026-04-10"),
                (self.customer, 1000.0, "2026-04-01", "2026-04-20"),
            ]
        )
        self._pay(invoices, "2026-05-01")
        downgrade = self._run_job("2026-05-02")
        self.assertEqual(self._payment_term(self.customer), self.term_c)
        finance_director = self.kam_users["finance_manager"]
        self._definition("kam.payment.downgrade", finance_director)
        staff = self.kam_users["user"]
        with self.assertRaises(UserError):
            downgrade.with_user(staff).action_restore()  # no reason given
        downgrade.with_user(staff).restore_reason = "客户已结清全部欠款并承诺按期付款"
        with self.assertRaises(ValidationError):
            downgrade.with_user(staff).action_restore()
        downgrade.with_user(staff).request_validation()
        self.assertEqual(self._payment_term(self.customer), self.term_c)
        downgrade.with_user(finance_director).validate_tier()
        self.assertEqual(downgrade.state, "restored")
        self.assertEqual(self._payment_term(self.customer), self.term_b)
        self.assertEqual(self.customer.kam_payment_tier_id, self.tier_b)
