from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import sudo_force_state_for_fixture
from .housing_common import KamHousingCommon, make_resident_id


@tagged("post_install", "-at_install")
class TestHousingReceipt(KamHousingCommon):
    """AC1: employer receipts are registered, locked, voided with a reason, never deleted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract(state="selection")
        cls.buyer_a, cls.buyer_b = cls.env["kam.housing.buyer"].create(
            [
                {"contract_id": cls.contract.id, "name": "张喆", "id_number": make_resident_id("110101", cls._date(1980), 1)},
                {"contract_id": cls.contract.id, "name": "李四", "id_number": make_resident_id("110101", cls._date(1981), 2)},
            ]
        )
        cls.ka = cls.kam_users["user"]
        cls.accountant = cls.kam_users["finance"]

    @staticmethod
    def _date(year):
        import datetime

        return datetime.date(year, 5, 17)

    def _receipt(self, number="R-0001", amount=200_000.0, buyer=None, user=None, **values):
        Receipt = self.env["kam.housing.receipt"].with_user(user or self.ka)
        return Receipt.create(
            {"name": number, "contract_id": self.contract.id, "buyer_id": (buyer or self.buyer_a).id, "amount": amount, **values}
        )

    def test_register_locks_and_writes_capitals(self):
        receipt = self._receipt(amount=300_000.05)
        self.assertEqual(receipt.amount_in_words, "叁拾万元零伍分")
        self.assertEqual(receipt.employer_id, self.employer)
        receipt.with_user(self.accountant).action_register()  # staff prepare, finance registers (issue 18)
        self.assertEqual(receipt.state, "registered")
        self.assertEqual(receipt.registered_by_id, self.accountant)
        with self.assertRaises(UserError):
            receipt.write({"amount": 1.0})
        with self.assertRaises(UserError):
            receipt.unlink()
        with self.assertRaises(UserError):
            receipt.write({"state": "draft"})
        self.assertEqual(receipt.amount, 300_000.05)

    def test_state_and_trail_only_through_actions(self):
        with self.assertRaises(UserError):
            self._receipt(state="registered")
        with self.assertRaises(UserError):
            self._receipt(number="R-2", copy_received_by_id=self.accountant.id)
        receipt = self._receipt(number="R-3")
        with self.assertRaises(UserError):
            receipt.write({"registered_by_id": self.accountant.id})
        # a draft can still be deleted: it was never issued
        receipt.unlink()

    def test_number_unique_per_employer(self):
        self._receipt(number="R-9")
        with self.assertRaises(ValidationError):
            self._receipt(number=" R-9 ", buyer=self.buyer_b)
        other_employer = self.env["res.partner"].create({"name": "Other Bureau", "is_company": True})
        other_account = self.env["res.partner.bank"].create({"acc_number": "6222 0000 9999 8888", "partner_id": other_employer.id})
        other = self._create_contract(state="selection", partner_id=other_employer.id, employer_account_id=other_account.id)
        buyer = self.env["kam.housing.buyer"].create(
            {"contract_id": other.id, "name": "王五", "id_number": make_resident_id("110101", self._date(1982), 3)}
        )
        receipt = self.env["kam.housing.receipt"].create(
            {"name": "R-9", "contract_id": other.id, "buyer_id": buyer.id, "amount": 10.0}
        )
        self.assertEqual(receipt.employer_id, other_employer)

    def test_buyer_of_another_contract_and_bad_amount_refused(self):
        other = self._create_contract(state="selection")
        buyer = self.env["kam.housing.buyer"].create(
            {"contract_id": other.id, "name": "王五", "id_number": make_resident_id("110101", self._date(1982), 3)}
        )
        with self.assertRaises(ValidationError):
            self._receipt(buyer=buyer)
        with self.assertRaises(ValidationError):
            self._receipt(number="R-0", amount=0.0)
        with self.assertRaises(ValidationError):
            self._receipt(number="R-neg", amount=-5.0)

    def test_register_needs_an_open_contract(self):
        receipt = self._receipt()
        sudo_force_state_for_fixture(self.contract, "cancel")
        with self.assertRaisesRegex(UserError, "signed, open contract"):
            receipt.with_user(self.accountant).action_register()
        self.assertEqual(receipt.state, "draft")

    def test_void_needs_a_reason_and_keeps_the_record(self):
        receipt = self._receipt().with_user(self.accountant)
        receipt.action_register()
        with self.assertRaises(UserError):
            receipt.action_void()
        receipt.void_reason = "Wrong buyer written by the employer's office"
        receipt.action_void()
        self.assertEqual(receipt.state, "void")
        self.assertEqual(receipt.voided_by_id, self.accountant)
        with self.assertRaises(UserError):
            receipt.void_reason = "changed"
        with self.assertRaises(UserError):
            receipt.unlink()

    def test_paper_trail_four_eyes(self):
        receipt = self._receipt()
        with self.assertRaises(UserError):
            receipt.action_collect_finance_copy()  # not registered yet
        receipt.with_user(self.approvers["finance_director"]).action_register()
        receipt.action_collect_finance_copy()
        self.assertEqual(receipt.copy_collected_by_id, self.ka)
        with self.assertRaises(UserError):
            receipt.action_collect_finance_copy()
        # key-account staff cannot sign for the accountant
        with self.assertRaises(UserError):
            receipt.action_receive_finance_copy()
        receipt.with_user(self.accountant).action_receive_finance_copy()
        self.assertEqual(receipt.copy_received_by_id, self.accountant)
        self.assertTrue(receipt.copy_received_date)

    def test_accountant_cannot_confirm_own_collection(self):
        manager = self.env.user  # key-account and finance director in the fixture
        receipt = self._receipt(user=manager)
        receipt.with_user(manager).action_register()
        receipt.with_user(manager).action_collect_finance_copy()
        with self.assertRaises(UserError):
            receipt.with_user(manager).action_receive_finance_copy()

    def test_ledger_and_registered_totals(self):
        first = self._receipt(number="R-1", amount=200_000.0)
        second = self._receipt(number="R-2", amount=100_000.0, kind="deposit")
        wrong = self._receipt(number="R-3", amount=50_000.0)
        self._receipt(number="R-4", amount=7.0)  # draft: not counted
        (first + second + wrong).with_user(self.accountant).action_register()
        wrong.void_reason = "duplicate"
        wrong.with_user(self.accountant).action_void()
        totals = self.env["kam.housing.receipt"]._kam_registered_totals(self.buyer_a + self.buyer_b)
        self.assertEqual(self.currency.compare_amounts(totals[self.buyer_a.id], 300_000.0), 0)
        self.assertNotIn(self.buyer_b.id, totals)
        self.env.flush_all()
        rows = self.env["kam.housing.receipt.ledger"].search([("contract_id", "=", self.contract.id)])
        self.assertEqual(rows.buyer_id, self.buyer_a + self.buyer_b)
        row_a = rows.filtered(lambda r: r.buyer_id == self.buyer_a)
        self.assertEqual(row_a.receipt_count, 2)
        self.assertEqual(self.currency.compare_amounts(row_a.received, 300_000.0), 0)
        self.assertEqual(self.currency.compare_amounts(row_a.deposit_received, 100_000.0), 0)
        self.assertEqual(row_a.due, 0.0)
        self.assertFalse(row_a.ticket_returned)

    def test_access_per_department(self):
        receipt = self._receipt()
        for department in ("sales", "cost"):
            with self.assertRaises(AccessError):
                receipt.with_user(self.kam_users[department]).read(["amount"])
        receipt.with_user(self.kam_users["audit"]).read(["amount"])
        with self.assertRaises(AccessError):
            receipt.with_user(self.kam_users["audit"]).write({"note": "x"})
        with self.assertRaises(AccessError):
            self._receipt(number="R-aud", user=self.kam_users["audit"])
        # key-account staff of another contract do not see it
        outsider = self.kam_users["user"].copy({"login": "kam_outsider"})
        self.assertFalse(self.env["kam.housing.receipt"].with_user(outsider).search([("id", "=", receipt.id)]))
