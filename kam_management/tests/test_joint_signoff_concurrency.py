"""Issue 18, hole 5: a statement import or a receipt registration racing the sign-off of its period, from two
database connections. The sign-off and every writer of the period's inputs take the joint account's lock one
after the other: the writer lands before (the sign-off then refuses the changed figures) or is refused after. The
one that waited decides on what is committed, not on its older snapshot: it goes through on its first try."""

import base64
import datetime
import uuid

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import KamTwoConnectionsMixin

DEMO_ACCOUNT = "6228 4800 1234 5678 901"  # the demo contract's joint account (demo/kam_joint_demo.xml)
PERIOD = (datetime.date(2031, 1, 1), datetime.date(2031, 1, 31))  # after every demo and test date
CHANGED = "changed after it was matched"
SIGNED = "is reconciled and signed up to"


# the demo contract's joint account: the connections must see committed data, removed again in the cleanup
@tagged("post_install", "-at_install", "kam_demo_db")
class TestJointSignOffConcurrency(KamTwoConnectionsMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        project = self.env.ref("kam_management.demo_project_binhu")
        contract = self.env["kam.housing.contract"].search(
            [("project_id", "=", project.id), ("joint_journal_id.kam_is_joint", "=", True)], limit=1
        )
        self.assertTrue(contract, "the demo contract has its joint journal")
        self.contract_id = contract.id
        self.journal_id = contract.joint_journal_id.id
        self.lock_date = contract.joint_journal_id.kam_lock_date or None
        self.finance_id = self.env.ref("kam_management.user_kam_finance").id
        self.director_id = self.env.ref("kam_management.user_kam_finance_manager").id
        self.tag = f"T{uuid.uuid4().hex[:8]}"
        ticketed = set(self.env["kam.room.ticket"].search([("contract_id", "=", contract.id)]).mapped("id_number"))
        buyer = contract.buyer_ids.filtered(lambda b: b.id_number not in ticketed)[-1:]
        self.assertTrue(buyer, "a demo buyer without a ticket pays the receipt (no voucher follows)")
        self.content = (
            f"账号：{DEMO_ACCOUNT}\n交易日期,收入,支出,余额,对方户名,对方账号,摘要,流水号\n"
            f"2031-01-15,1000.00,,1000.00,江城市供电局委建办,6217 0000 8888 0101 123,转房款 {self.tag},{self.tag}1\n"
        ).encode("gbk")
        self.addCleanup(self._cleanup_committed)
        # a submitted period, committed: matched, its balance recorded, its findings resolved by finance
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.finance_id, {})
            staff = env.ref("kam_management.user_kam_user")
            self.receipt_id = env["kam.housing.receipt"].with_user(staff).create(
                {"name": f"{self.tag}-R", "contract_id": contract.id, "buyer_id": buyer.id, "amount": 500.0,
                 "date": datetime.date(2031, 1, 20)}
            ).id
            reconciliation = env["kam.joint.reconciliation"].create(
                {"contract_id": contract.id, "date_from": PERIOD[0], "date_to": PERIOD[1]}
            )
            reconciliation.action_match()
            env["kam.joint.balance.snapshot"].create(
                {"contract_id": contract.id, "date": PERIOD[1], "balance": reconciliation.expected_employer_balance,
                 "source": "bank_query", "reference": self.tag}
            )
            reconciliation.action_match()
            for discrepancy in reconciliation.discrepancy_ids.filtered(lambda d: d.state == "open"):
                discrepancy.resolution_note = "Explained by the employer's letter"
            reconciliation.discrepancy_ids.filtered(lambda d: d.state == "open").action_resolve()
            reconciliation.action_submit()
            self.reconciliation_id = reconciliation.id
            cr.commit()
        self._open_two_connections()

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _sign(self, cr):
        env = api.Environment(cr, self.director_id, {})
        return env["kam.joint.reconciliation"].browse(self.reconciliation_id).action_sign()

    def _import(self, cr):
        env = api.Environment(cr, self.finance_id, {})
        wizard = env["account.statement.import"].with_context(journal_id=self.journal_id).create(
            {"statement_file": base64.b64encode(self.content), "statement_filename": f"{self.tag}.csv"}
        )
        return wizard._import_file()

    def _register(self, cr):
        env = api.Environment(cr, self.finance_id, {})
        return env["kam.housing.receipt"].browse(self.receipt_id).action_register()

    def _retrying(self, func, cr, uid):
        """``func(cr)`` as Odoo runs a request: a serialization failure rolls back and runs it again on a fresh
        snapshot. Returns the attempts and the error the last one raised (None: it went through)."""
        attempts = []

        def attempt():
            attempts.append(len(attempts) + 1)
            return func(cr)

        with mute_logger("odoo.sql_db", "odoo.service.model"):
            try:
                retrying(attempt, api.Environment(cr, uid, {}))
            except UserError as error:
                cr.rollback()
                return attempts, error
        cr.commit()
        return attempts, None

    def _state(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            reconciliation = env["kam.joint.reconciliation"].browse(self.reconciliation_id)
            lines = env["account.bank.statement.line"].search([("ref", "=like", f"{self.tag}%")])
            receipt = env["kam.housing.receipt"].browse(self.receipt_id)
            return reconciliation.state, len(lines), receipt.state, reconciliation.journal_id.kam_lock_date

    def _writer_lands_first(self, writer, uid):
        """The director's request starts, the writer commits, then the sign-off takes the lock."""
        self.cr2.execute("SELECT 1")  # the sign-off's snapshot: from before the writer's commit
        writer(self.cr1)
        self.cr1.commit()
        attempts, error = self._retrying(self._sign, self.cr2, self.director_id)
        self.assertEqual(attempts, [1], "the sign-off reads the committed figures: no serialization failure")
        self.assertIn(CHANGED, str(error))

    def _sign_off_lands_first(self, writer, uid):
        """The sign-off holds the lock: the writer waits for it; once it commits the writer is refused."""
        self._sign(self.cr1)
        self.cr2.execute("SET LOCAL lock_timeout = '300ms'")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.LockNotAvailable):
            writer(self.cr2)
        self.cr2.rollback()
        self.cr2.execute("SELECT 1")  # the writer's snapshot: from before the sign-off's commit
        self.cr1.commit()
        attempts, error = self._retrying(writer, self.cr2, uid)
        self.assertEqual(attempts, [1], "the writer reads the committed lock date: no serialization failure")
        self.assertIn(SIGNED, str(error))

    # ------------------------------------------------------------
    # tests
    # ------------------------------------------------------------

    def test_an_import_before_the_sign_off_is_seen_and_the_sign_off_refuses(self):
        self._writer_lands_first(self._import, self.finance_id)
        self.assertEqual(self._state()[:2], ("submitted", 1))

    def test_an_import_after_the_sign_off_is_refused(self):
        self._sign_off_lands_first(self._import, self.finance_id)
        state, lines, _receipt, lock_date = self._state()
        self.assertEqual((state, lines, lock_date), ("signed", 0, PERIOD[1]))

    def test_a_receipt_registered_before_the_sign_off_is_seen_and_the_sign_off_refuses(self):
        self._writer_lands_first(self._register, self.finance_id)
        self.assertEqual(self._state()[::2], ("submitted", "registered"))

    def test_a_receipt_registered_after_the_sign_off_is_refused(self):
        self._sign_off_lands_first(self._register, self.finance_id)
        self.assertEqual(self._state()[::2], ("signed", "draft"))

    def test_a_sign_off_that_waited_for_another_is_told_the_period_is_signed(self):
        """Two clicks on Sign (two tabs): the second waits for the first, then reads the committed state."""
        self._sign(self.cr1)
        self.cr2.execute("SELECT 1")  # the second click's snapshot: from before the first one's commit
        self.cr1.commit()
        attempts, error = self._retrying(self._sign, self.cr2, self.director_id)
        self.assertEqual(attempts, [1], "no serialization failure on the reconciliation or its journal")
        self.assertIn("it cannot be moved to", str(error))
        self.assertEqual(self._state()[::3], ("signed", PERIOD[1]))

    # ------------------------------------------------------------
    # cleanup
    # ------------------------------------------------------------

    def _cleanup_committed(self):
        """Remove what the test committed (SQL: a signed period and its inputs refuse every deletion by design):
        everything of the demo contract dated in ``PERIOD``, and the journal's lock date as it was."""
        with self.registry.cursor() as cr:
            delete_period(cr, self.contract_id, self.journal_id, self.lock_date)
            cr.commit()


def delete_period(cr, contract_id, journal_id, lock_date):
    params = {"contract": contract_id, "journal": journal_id, "start": PERIOD[0], "end": PERIOD[1], "lock": lock_date}
    cr.execute(
        "SELECT id FROM kam_joint_reconciliation WHERE contract_id = %(contract)s AND date_from >= %(start)s", params
    )
    params["reconciliations"] = tuple(row[0] for row in cr.fetchall()) or (0,)
    cr.execute(
        "SELECT id FROM kam_housing_receipt WHERE contract_id = %(contract)s AND date BETWEEN %(start)s AND %(end)s",
        params,
    )
    params["receipts"] = tuple(row[0] for row in cr.fetchall()) or (0,)
    cr.execute(
        """SELECT line.id, line.move_id, line.statement_id FROM account_bank_statement_line line
             JOIN account_move move ON move.id = line.move_id
            WHERE move.journal_id = %(journal)s AND move.date BETWEEN %(start)s AND %(end)s""",
        params,
    )
    rows = cr.fetchall()
    params["lines"], params["moves"], params["statements"] = (
        tuple({row[i] for row in rows if row[i]}) or (0,) for i in range(3)
    )
    cr.execute(
        "SELECT id FROM kam_joint_import_log WHERE statement_id IN %(statements)s OR file_name LIKE 'T%%.csv'", params
    )
    params["logs"] = tuple(row[0] for row in cr.fetchall()) or (0,)
    for query in (
        "DELETE FROM kam_joint_allocation WHERE reconciliation_id IN %(reconciliations)s OR receipt_id IN %(receipts)s",
        "DELETE FROM kam_joint_discrepancy WHERE reconciliation_id IN %(reconciliations)s",
        "UPDATE account_bank_statement_line SET kam_reconciliation_id = NULL "
        "WHERE kam_reconciliation_id IN %(reconciliations)s",
        "DELETE FROM ir_attachment WHERE res_model = 'kam.joint.reconciliation' AND res_id IN %(reconciliations)s",
        "DELETE FROM mail_message WHERE model = 'kam.joint.reconciliation' AND res_id IN %(reconciliations)s",
        "DELETE FROM kam_joint_reconciliation WHERE id IN %(reconciliations)s",
        "DELETE FROM kam_joint_balance_snapshot WHERE contract_id = %(contract)s AND date BETWEEN %(start)s AND %(end)s",
        "DELETE FROM mail_message WHERE model = 'kam.housing.receipt' AND res_id IN %(receipts)s",
        "DELETE FROM kam_housing_receipt WHERE id IN %(receipts)s",
        "DELETE FROM ir_attachment WHERE res_model = 'kam.joint.import.log' AND res_id IN %(logs)s",
        "DELETE FROM kam_joint_import_log WHERE id IN %(logs)s",
        "DELETE FROM account_move_line WHERE move_id IN %(moves)s",
        "DELETE FROM account_bank_statement_line WHERE id IN %(lines)s",
        "DELETE FROM account_move WHERE id IN %(moves)s",
        "DELETE FROM account_bank_statement WHERE id IN %(statements)s",
        "UPDATE account_journal SET kam_lock_date = %(lock)s WHERE id = %(journal)s",
    ):
        cr.execute(query, params)
