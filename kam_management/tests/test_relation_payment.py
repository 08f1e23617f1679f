"""HS16 money: a relationship request is paid by whatever voucher its receipts get — automatic or issued by hand —
and a payment so late that the request's policy re-prices it gets no voucher at the old ticket amount until
finance registers the payment, which re-prices the ticket (seed 001 §十二 (二)). Also the 19.0.0.1.3 migration of
the shipped reminder levels."""

import datetime
import importlib.util

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import format_amount
from odoo.tools.misc import file_path

from .common import KamJsonRpcMixin, sudo_set_terms_for_fixture
from .desk_common import SIGNED, KamDeskCommon
from .housing_common import make_resident_id

D = datetime.date
RELATION_ID = make_resident_id("110105", D(1991, 2, 3), 66)
REPRICE_REFUSED = "late-payment policy re-prices the average price"


class KamRelationPaymentCommon(KamDeskCommon):
    """An approved request (7,000/m², 60 %, deadline 31 January 2027, +1 % per started month late) whose
    reviewed ticket on a 100 m² unit asks 420,000.00 of 700,000.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.kam_users["user"]
        cls.staff.email = "kam.staff@example.com"  # the department's reminder e-mail goes to its filer
        cls.department = cls.env["kam.department"].create(
            {
                "name": "Design Institute",
                "member_ids": [(4, cls.staff.id)],
                "manager_id": cls.kam_users["manager"].id,
            }
        )
        cls.request = (
            cls.env["kam.relation.request"]
            .with_user(cls.staff)
            .create(
                {
                    "department_id": cls.department.id,
                    "project_id": cls.project.id,
                    "unit_ids": [(4, cls.units[15].id)],
                    "buyer_name": "Zhao Lei",
                    "buyer_id_number": RELATION_ID,
                    "average_price": 7000.0,
                    "payment_ratio": 60.0,
                    "payment_deadline": D(2027, 1, 31),
                    "late_increase_percent": 1.0,
                }
            )
            .with_env(cls.env)
        )
        cls._approve_by_reviewers(cls.request)
        cls.ticket = cls.Ticket.with_user(cls.clerk).create(
            {
                "basis": "relation",
                "relation_request_id": cls.request.id,
                "buyer_name": "Zhao Lei",
                "id_number": RELATION_ID,
                "unit_id": cls.units[15].id,
                "payment_ratio": 60.0,
                "deposit_amount": 20_000.0,
            }
        )
        cls.ticket.action_issue()
        cls.ticket.signed_copy = SIGNED
        cls.ticket.with_user(cls.finance).action_review()

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _receive(self, number, amount, date):
        """A receipt of the request prepared by its department's staff and registered by finance on ``date``
        (frozen)."""
        with freeze_time(date):
            receipt = (
                self.env["kam.housing.receipt"]
                .with_user(self.staff)
                .create(
                    {"name": number, "relation_request_id": self.request.id, "amount": amount, "date": date}
                )
            )
            receipt.with_user(self.finance).action_register()
        return receipt

    def _reminders(self, day):
        with freeze_time(day):
            self.env["kam.collection.reminder.level"]._cron_send_reminders()
        return self.env["kam.collection.reminder"].search(
            [("res_model", "=", "kam.relation.request"), ("res_id", "=", self.request.id)]
        )

    def _money(self, amount):
        return format_amount(self.env, amount, self.currency)

    def _chatter(self, record):
        return " ".join(str(body) for body in record.message_ids.mapped("body")).replace("&nbsp;", "\xa0")

    def _prepared_voucher(self, clerk=None):
        return self.Voucher.with_user(clerk or self.clerk).create({"ticket_id": self.ticket.id})

    def _live_vouchers(self):
        return self.ticket.voucher_ids.filtered(lambda v: v.state == "issued")



BACKDATED = "its payment cannot be registered on an earlier day"


@tagged("post_install", "-at_install")
class TestRelationPayment(KamRelationPaymentCommon):
    # ------------------------------------------------------------
    # tests
    # ------------------------------------------------------------

    def test_finance_cannot_backdate_a_late_payment_before_its_receipts_were_complete(self):
        """Issue 18, hole 10: a payment dated before the deadline while the money was completed after it."""
        self._receive("GX-R-901", 420_000.0, D(2027, 2, 9))  # nine days late
        with freeze_time("2027-03-15"):
            for day in ("2027-01-31", D(2027, 2, 8)):
                with self.subTest(day=day), self.assertRaisesRegex(UserError, BACKDATED):
                    self.request.with_user(self.finance).action_register_payment(payment_date=day)
            self.assertEqual((self.request.state, self.request.payment_date), ("approved", False))
            self.assertEqual(self.ticket.price_per_m2, 7000.0)
            # the day the receipts were complete (or later) is the payment's: re-priced as late
            self.request.with_user(self.finance).action_register_payment(payment_date="2027-02-09")
        self.assertEqual(
            (self.request.state, self.request.payment_date, self.request.final_average_price),
            ("paid", D(2027, 2, 9), 7070.0),
        )

    def test_a_voucher_issued_by_hand_pays_the_request_and_its_reminders_stop(self):
        self.assertEqual(
            (self.request.state, self.ticket.state, self.ticket.amount_due),
            ("approved", "reviewed", 420_000.0),
        )
        self._receive("GX-R-501", 420_500.0, D(2027, 1, 20))  # 500.00 too much: finance decides by hand
        self.assertEqual((self.ticket.state, self.request.state), ("reviewed", "approved"))
        voucher = self._prepared_voucher()
        with freeze_time("2027-01-25"):
            voucher.with_user(self.finance_2).action_issue()
        self.assertEqual((voucher.state, voucher.automatic, voucher.amount), ("issued", False, 420_000.0))
        self.assertEqual(self.ticket.state, "vouchered")
        self.assertEqual(
            (self.request.state, self.request.payment_date, self.request.final_average_price),
            ("paid", D(2027, 1, 20), 7000.0),
            "paid on the day its receipts came, at its own price",
        )
        for day in ("2027-01-31", "2027-02-07", "2027-02-08"):
            reminders = self._reminders(day)
        self.assertFalse(reminders, "a paid request is not chased")
        self.assertFalse(self.request.activity_ids)

    def test_paid_late_no_voucher_at_the_old_price_until_finance_registers_the_payment(self):
        expected_next = self._next_voucher_number()
        self._receive("GX-R-601", 420_000.0, D(2027, 2, 9))  # the ticket's due, nine days late
        self.assertEqual(self.ticket.state, "reviewed", "no voucher at the old price")
        self.assertFalse(self.ticket.voucher_ids)
        self.assertEqual(self.request.state, "approved")
        todo = self.request.activity_ids.filtered(lambda a: a.summary == "Register the late payment")
        self.assertEqual(todo.user_id, self.finance, "a to-do for the finance user who reviewed the ticket")
        note = str(todo.note).replace("&nbsp;", "\xa0")
        self.assertIn("9 days after the payment deadline", note)
        self.assertIn(self._money(7070.0), note)
        self.assertIn(self._money(424_200.0), note, "what the re-priced ticket will ask")
        # by hand: refused with the reason, and nothing moves (no number taken)
        voucher = self._prepared_voucher()
        with freeze_time("2027-02-10"), self.assertRaises(UserError) as refused:
            voucher.with_user(self.finance_2).action_issue()
        message = str(refused.exception)
        self.assertIn(REPRICE_REFUSED, message)
        self.assertIn(f"from {self._money(7000.0)} to {self._money(7070.0)}", message)
        self.assertIn("Finance registers the payment first", message)
        self.assertEqual((voucher.state, voucher.name, self.ticket.state), ("draft", "/", "reviewed"))
        self.assertEqual(self._next_voucher_number(), expected_next)
        self.assertTrue(self._reminders("2027-02-10"), "the request owes money: still chased")
        # the difference comes; finance registers the payment a month later, on the day the money was complete
        self._receive("GX-R-602", 4_200.0, D(2027, 2, 20))
        self.assertEqual(self.ticket.state, "reviewed")
        with freeze_time("2027-03-15"):  # 42 days late: a click-day price would be 7,140.00
            self.request.with_user(self.finance).action_register_payment()
        self.assertEqual(
            (self.request.state, self.request.payment_date, self.request.final_average_price),
            ("paid", D(2027, 2, 20), 7070.0),
        )
        self.assertEqual(
            (self.ticket.price_per_m2, self.ticket.amount_total, self.ticket.amount_due),
            (7070.0, 707_000.0, 424_200.0),
            "the ticket takes the final price",
        )
        self.assertEqual(
            self.ticket.state, "vouchered", "the receipts equal the new due: the voucher is issued"
        )
        issued = self.ticket.voucher_id
        self.assertEqual(
            (issued.amount, issued.amount_total, issued.automatic, self._number(issued)),
            (424_200.0, 707_000.0, True, expected_next),
        )
        with freeze_time("2027-03-15"):
            self.env["kam.housing.receipt.ledger"].invalidate_model()
            row = self.env["kam.housing.receipt.ledger"].search(
                [("relation_request_id", "=", self.request.id)]
            )
            self.assertEqual((row.due, row.received, row.outstanding), (424_200.0, 424_200.0, 0.0))
        self.assertEqual(voucher.state, "draft", "the refused one is left for the desk to cancel")

    def test_finance_registering_first_reprices_and_the_difference_issues_the_voucher(self):
        self._receive("GX-R-651", 420_000.0, D(2027, 2, 9))
        with freeze_time("2027-02-10"):
            self.request.with_user(self.finance).action_register_payment()
        self.assertEqual((self.request.state, self.request.final_average_price), ("paid", 7070.0))
        self.assertEqual(
            (self.ticket.amount_due, self.ticket.state), (424_200.0, "reviewed"), "4,200.00 still due"
        )
        self.assertIn(
            f"from {self._money(420_000.0)} to {self._money(424_200.0)}", self._chatter(self.ticket)
        )
        self.assertTrue(self._reminders("2027-02-11"), "paid but 4,200.00 still due: the request is still chased")
        self._receive("GX-R-652", 4_200.0, D(2027, 2, 12))
        self.assertEqual(self.ticket.state, "vouchered")
        self.assertEqual(self.ticket.voucher_id.amount, 424_200.0)

    def test_late_without_a_price_change_is_paid_by_its_receipts(self):
        sudo_set_terms_for_fixture(self.request, {"late_increase_percent": 0.0})
        self._receive("GX-R-701", 420_000.0, D(2027, 2, 9))
        self.assertEqual(self.ticket.state, "vouchered", "late, but the policy asks nothing more")
        self.assertEqual(
            (self.request.state, self.request.payment_date, self.request.final_average_price),
            ("paid", D(2027, 2, 9), 7000.0),
        )

    def test_the_ticket_clerk_cannot_get_the_late_voucher_at_the_old_price(self):
        """An attack over the ORM: every way a ticket clerk reaches a voucher, with the context keys a client
        could send to switch checks off."""
        expected_next = self._next_voucher_number()
        self._receive("GX-R-801", 420_000.0, D(2027, 2, 9))
        hostile = {
            "kam_workflow": True,
            "skip_validation_check": True,
            "tracking_disable": True,
            "active_test": False,
        }
        clerk_ticket = self.ticket.with_user(self.clerk).with_context(**hostile)
        voucher = self._prepared_voucher(self.clerk_2)
        with freeze_time("2027-02-10"):
            self.assertFalse(clerk_ticket._kam_try_auto_voucher(), "the automatic path issues nothing")
            with self.assertRaises(AccessError):
                voucher.with_user(self.clerk).with_context(**hostile).action_issue()
            with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
                voucher.with_user(self.clerk).with_context(**hostile).write(
                    {"state": "issued", "name": "V-1"}
                )
            with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
                clerk_ticket.write({"amount_due": 420_000.0, "price_per_m2": 7000.0})
            with self.assertRaises(AccessError):
                self.request.with_user(self.clerk).with_context(**hostile).action_register_payment(
                    "2027-01-31"
                )
            # the internal path refuses too, even under sudo
            with self.assertRaisesRegex(UserError, REPRICE_REFUSED):
                self.Voucher.with_user(self.clerk).with_context(**hostile)._issue_for_ticket(
                    self.ticket, automatic=True
                )
            with self.assertRaisesRegex(UserError, REPRICE_REFUSED):
                self.Voucher.sudo().with_context(**hostile)._issue_for_ticket(self.ticket)
            # a clerk who is also in finance issues a colleague's voucher by hand: refused for the price
            self.clerk.group_ids += self.env.ref("kam_management.group_kam_finance")
            with self.assertRaisesRegex(UserError, REPRICE_REFUSED):
                voucher.with_user(self.clerk).with_context(**hostile).action_issue()
        self.assertFalse(self._live_vouchers())
        self.assertEqual(
            (voucher.state, self.ticket.state, self.ticket.amount_due), ("draft", "reviewed", 420_000.0)
        )
        self.assertEqual((self.request.state, self.request.payment_date), ("approved", False))
        self.assertEqual(self._next_voucher_number(), expected_next, "no voucher number used")


@tagged("post_install", "-at_install")
class TestRelationPaymentRpc(KamJsonRpcMixin, KamRelationPaymentCommon, HttpCase):
    def test_finance_cannot_backdate_a_late_payment_over_rpc(self):
        self._receive("GX-R-951", 420_000.0, D(2027, 2, 9))
        self.authenticate(self.finance.login, self.finance.login)
        self._assert_refused(
            self._call("kam.relation.request", "action_register_payment", [self.request.ids],
                       {"payment_date": "2026-11-30"}),
            BACKDATED,
        )
        self.request.invalidate_recordset()
        self.assertEqual((self.request.state, self.request.payment_date), ("approved", False))


@tagged("post_install", "-at_install")
class TestReminderLevelsMigration(TransactionCase):
    """19.0.0.1.3: the shipped levels of an older database (noupdate data that kept the installing company)
    hold for every company after the upgrade; a level the company edited, or made itself, keeps its company."""

    def test_the_migration_gives_untouched_shipped_levels_to_every_company(self):
        Level = self.env["kam.collection.reminder.level"]
        due = self.env.ref("kam_management.kam_reminder_level_contract_due")
        late = self.env.ref("kam_management.kam_reminder_level_relation_late_email")
        edited = self.env.ref("kam_management.kam_reminder_level_contract_late")
        own = Level.create({"name": "Our own: 14 days late", "scope": "contract", "days_offset": 14})
        self.assertEqual(own.company_id, self.env.company)
        self.env.flush_all()
        cr = self.env.cr
        # the older state: the shipped levels kept the installing company; the company edited one of them since
        cr.execute(
            "UPDATE kam_collection_reminder_level SET company_id = %s, write_date = create_date WHERE id IN %s",
            [self.env.company.id, (due.id, late.id, edited.id)],
        )
        cr.execute(
            "UPDATE kam_collection_reminder_level SET write_date = create_date + interval '1 day' WHERE id = %s",
            [edited.id],
        )
        self.env.invalidate_all()
        self.assertEqual((due | late | edited).company_id, self.env.company)
        spec = importlib.util.spec_from_file_location(
            "kam_post_migrate_19_0_0_1_3", file_path("kam_management/migrations/19.0.0.1.3/post-migrate.py")
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, None)  # a new install: nothing to mend
        self.env.invalidate_all()
        self.assertEqual(due.company_id, self.env.company)
        migration.migrate(cr, "19.0.0.1.2")
        self.env.invalidate_all()
        self.assertFalse(due.company_id, "shipped and untouched: every company's")
        self.assertFalse(late.company_id)
        self.assertEqual(edited.company_id, self.env.company, "edited by the company: its own")
        self.assertEqual(own.company_id, self.env.company, "made by the company: its own")
