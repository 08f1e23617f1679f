"""A signed period's bank lines over JSON-RPC: no context key, field or journal-entry button unfreezes them,
not even for an accounting administrator (SEC6, AC4)."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import KamJsonRpcMixin
from .test_joint_account import (
    EMPLOYER_NUMBER,
    MARCH_31,
    D,
    KamJointCommon,
    rows_with_balance,
    statement_file,
)

FROZEN = "belongs to the signed reconciliation"


@tagged("post_install", "-at_install")
class TestJointFrozenRpc(KamJsonRpcMixin, KamJointCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.r1 = cls._register("R-1", 200_000.0, D(2026, 3, 1), 0)
        cls.accountant = new_test_user(
            cls.env, login="kam_test_frozen_accountant", name="Accountant",
            groups="kam_management.group_kam_finance_manager,account.group_account_manager",
            company_id=cls.env.company.id, company_ids=[cls.env.company.id],
        )

    def _signed_line(self):
        self._import(statement_file(rows_with_balance([("2026-03-05", 200_000.0, "江城供电局", EMPLOYER_NUMBER, "转 R-1", "")])))
        line = self._lines()
        self._snapshot(0.0, MARCH_31)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        self.assertFalse(reconciliation.discrepancy_ids)
        reconciliation.with_user(self.preparer).action_submit()
        reconciliation.with_user(self.director).action_sign()
        self.assertEqual(line.kam_reconciliation_id, reconciliation)
        return line

    def test_no_client_unfreezes_a_signed_line(self):
        line = self._signed_line()
        move = line.move_id
        loan = move.line_ids.filtered(lambda ml: ml.account_id == self.liability)
        suspense = self.journal.suspense_account_id
        for login in ("kam_test_finance", "kam_test_frozen_accountant"):
            self.authenticate(login, login)
            # the context key that once skipped the check, and the link itself
            self._assert_refused(
                self._call("account.bank.statement.line", "write", [[line.id], {"payment_ref": "改"}],
                           context={"kam_freezing": True}),
                FROZEN,
            )
            self._assert_refused(
                self._call("account.bank.statement.line", "write", [[line.id], {"kam_reconciliation_id": False}],
                           context={"kam_freezing": True}),
                "Only the sign-off of a reconciliation freezes a bank line.",
            )
            # its journal entry: no reset to draft, no other account for the entrusted loan, no new item
            self._assert_refused(self._call("account.move", "button_draft", [[move.id]]), FROZEN)
            self._assert_refused(
                self._call("account.move.line", "write", [[loan.id], {"account_id": suspense.id}]), FROZEN
            )
            self._assert_refused(
                self._call("account.move", "write", [[move.id], {"date": "2026-04-01"}]), FROZEN
            )
            # nor the sign-off's own trail: what the matching read, whether the lines are booked
            for values in ({"matched_inputs": "forged"}, {"booking_state": "queued"}):
                self._assert_refused(
                    self._call("kam.joint.reconciliation", "write", [[line.kam_reconciliation_id.id], values]),
                    "change only through the document's buttons",
                )
        self.env.invalidate_all()
        self.assertEqual(line.kam_reconciliation_id.booking_state, "done")
        self.assertEqual(line.kam_reconciliation_id.state, "signed")
        self.assertEqual(line.payment_ref, "转 R-1")
        self.assertEqual((move.state, str(move.date)), ("posted", "2026-03-05"))
        self.assertEqual(loan.account_id, self.liability)
        self.assertTrue(line.is_reconciled)
