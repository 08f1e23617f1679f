"""HS12 and issue 18 hole 1: a gapless number is taken only by issuing its document, and concurrent issuers
wait their turn instead of failing with a serialization error."""

import threading

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import KamJsonRpcMixin, KamTwoConnectionsMixin
from .desk_common import KamDeskCommon

SERIES = "kam.room.voucher"


@tagged("post_install", "-at_install")
class TestGaplessNumberAttackJsonRpc(KamJsonRpcMixin, KamDeskCommon, HttpCase):
    """A plain internal user and a second company's user try every way a client has to take or burn a voucher
    number; then the next real voucher takes the very next number."""

    def _attack(self, login):
        self.authenticate(login, login)
        # Odoo's own sequence API: every internal user may call it on any sequence it can read
        self.assertFalse(self._result(self._call("ir.sequence", "next_by_code", [SERIES])))
        self.assertFalse(self._result(self._call("ir.sequence", "search_read", [[("code", "=", SERIES)], ["id"]])))
        self.assertFalse(
            self._result(self._call("ir.sequence", "search_read", [[("code", "=", SERIES)], ["id"]],
                                    context={"active_test": False})),
        )
        # the series itself: no access, and its private methods are not callable remotely
        taken = {"company_id": self.env.company.id, "series": SERIES, "number": self._next_voucher_number()}
        for method, args in (("create", [taken]), ("search_read", [[], ["number"]])):
            self._assert_refused(self._call("kam.gapless.number", method, args, context={"kam_workflow": True}),
                                 "kam.gapless.number", AccessError)
        self._assert_refused(
            self._call("kam.gapless.number", "_kam_take", [self.env.company.id, SERIES, 0]), "Private methods"
        )

    def test_no_one_burns_a_voucher_number(self):
        plain = new_test_user(
            self.env, login="kam_test_plain_numbers", groups="base.group_user",
            company_id=self.env.company.id, company_ids=[self.env.company.id],
        )
        other_company = self.env["res.company"].create({"name": "Numbers Attack Company"})
        stranger = new_test_user(
            self.env, login="kam_test_other_numbers", groups="base.group_user",
            company_id=other_company.id, company_ids=[other_company.id],
        )
        ticket = self._reviewed()
        expected = self._next_voucher_number()
        for user in (plain, stranger):
            self._attack(user.login)
        self.assertEqual(self._next_voucher_number(), expected)
        self.assertEqual(self._next_voucher_number(other_company), 1)
        with self._receipts(300_000.0):
            voucher = ticket._kam_try_auto_voucher()
        self.assertEqual(self._number(voucher), expected, "the next voucher takes the next number")


@tagged("post_install", "-at_install")
class TestGaplessNumberConcurrency(KamTwoConnectionsMixin, TransactionCase):
    """Two issuers on two connections: the second waits for the first, and takes the next number even when
    its snapshot predates the first one's commit (no serialization failure); a rolled-back number is the
    next issuer's. A test series, removed afterwards."""

    series = "kam.test.concurrency"

    def setUp(self):
        super().setUp()
        self.company_id = self.env.company.id
        self._open_two_connections()

    def _delete_committed(self, cr):
        cr.execute("DELETE FROM kam_gapless_number WHERE series = %s", [self.series])

    def _take(self, cr):
        # the environment is made in the test's thread (a new one would wait for the registry lock the test holds)
        env = api.Environment(cr, SUPERUSER_ID, {})
        return lambda: env["kam.gapless.number"]._kam_take(env["res.company"].browse(self.company_id), self.series, 0)

    def test_a_second_issuer_waits_its_turn_and_nothing_is_skipped(self):
        self.assertEqual(self._take(self.cr1)(), 1)
        # the second issuer's snapshot is taken now, before the first one commits
        self.cr2.execute("SELECT count(*) FROM kam_gapless_number")
        results, errors = [], []

        take = self._take(self.cr2)

        def second():
            try:
                results.append(take())
            except Exception as error:  # reported by the assertion below
                errors.append(error)

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
        self.assertTrue(thread.is_alive(), "the second issuer waits for the first one's transaction")
        self.cr1.commit()
        thread.join(10)
        self.assertEqual((errors, results), ([], [2]), "no serialization failure: the next number")
        self.cr2.commit()
        # a number whose issue fails goes to the next issuer
        self.assertEqual(self._take(self.cr1)(), 3)
        self.cr2.execute("SET LOCAL lock_timeout = '300ms'")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.LockNotAvailable):
            self._take(self.cr2)()
        self.cr2.rollback()
        self.cr1.rollback()
        self.assertEqual(self._take(self.cr2)(), 3)
        self.cr2.commit()
        self.cr1.execute("SELECT array_agg(number ORDER BY number) FROM kam_gapless_number WHERE series = %s", [self.series])
        self.assertEqual(self.cr1.fetchone()[0], [1, 2, 3])

    def test_a_desk_that_waited_takes_the_next_number_at_once(self):
        """Issue 22: the numbers committed while a desk waited (after its snapshot) cost it nothing under the
        lock: it reads the last committed number afresh instead of trying each taken one in turn."""
        self.cr2.execute("SELECT count(*) FROM kam_gapless_number")  # the second desk's snapshot
        take = self._take(self.cr1)
        for _i in range(8):
            take()
            self.cr1.commit()
        before = self.cr2.sql_log_count
        self.assertEqual(self._take(self.cr2)(), 9, "the next number, nothing skipped")
        # the lock, this transaction's own last number, whether it may read on a new cursor, the insert in its
        # savepoint (the fresh read runs on a cursor of its own); a try per number committed meanwhile: 16 more
        self.assertLessEqual(self.cr2.sql_log_count - before, 6)
        self.cr2.commit()
        self.cr1.execute("SELECT array_agg(number ORDER BY number) FROM kam_gapless_number WHERE series = %s", [self.series])
        self.assertEqual(self.cr1.fetchone()[0], list(range(1, 10)))
