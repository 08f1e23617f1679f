"""AC5 on the desk's real figures: the shipped reminder e-mail, and relationship housing (HS16) in the
collections — in the ledger, paid by its receipts, and out of the reminders once paid."""

import datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import format_amount

from .common import sudo_force_state_for_fixture
from .desk_common import SIGNED, KamDeskCommon
from .housing_common import make_resident_id

D = datetime.date
RELATION_ID = make_resident_id("110105", D(1991, 2, 3), 66)


class KamCollectionsDeskCommon(KamDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["kam_management"], ["zh_CN"], overwrite=True)
        cls.staff = cls.kam_users["user"]
        cls.staff.email = "kam.staff@example.com"
        cls.Ledger = cls.env["kam.housing.receipt.ledger"]
        cls.Mail = cls.env["mail.mail"]

    def _run_reminders(self, day):
        with freeze_time(day):
            self.env["kam.collection.reminder.level"]._cron_send_reminders()

    def _reminder_mail_to(self, partner, document):
        """The reminder e-mails of ``document`` to ``partner`` (not the activities' notifications)."""
        return self.Mail.search(
            [("model", "=", document._name), ("res_id", "=", document.id), ("message_type", "!=", "user_notification")]
        ).filtered(lambda mail: partner in mail.recipient_ids)

    def _money_zh(self, amount):
        return format_amount(self.env(context={"lang": "zh_CN"}), amount, self.currency, lang_code="zh_CN")


@tagged("post_install", "-at_install")
class TestReminderMail(KamCollectionsDeskCommon):
    """The shipped levels: a week after the deadline the employer gets one e-mail, in its language."""

    def test_a_week_late_the_employer_gets_one_email_in_chinese_with_the_ledger_figures(self):
        employer = self.contract.partner_id
        employer.write({"email": "weijianban@example.com", "lang": "zh_CN"})
        ticket = self._reviewed()  # buyer 0: 100 m² at 6,000, 50 %: 300,000.00 due by 31 January 2027
        receipt = self.env["kam.housing.receipt"].with_user(self.staff).create(
            {"name": "R-501", "contract_id": self.contract.id, "buyer_id": ticket.buyer_id.id,
             "amount": 200_000.0, "date": D(2027, 1, 20)}
        )
        receipt.with_user(self.finance).action_register()  # staff prepare, finance registers
        self._run_reminders("2027-02-06")
        self.assertFalse(self._reminder_mail_to(employer, self.contract), "six days late: activities only")
        self._run_reminders("2027-02-07")
        mail = self._reminder_mail_to(employer, self.contract)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, employer)
        self.assertEqual(mail.subject, f"付款提醒：{self.contract.name}")
        self.assertIn(self.contract.user_id.email, mail.email_from, "sent as the key-account manager")
        self.assertIn(self.contract.user_id.email, mail.reply_to)
        body = str(mail.body_html).replace("&nbsp;", "\xa0")
        for label, amount in (("应付金额", 300_000.0), ("已收金额", 200_000.0), ("尚欠金额", 100_000.0),
                              ("已收未转入共管账户", 200_000.0)):
            self.assertIn(label, body)
            self.assertIn(self._money_zh(amount), body)
        self.assertNotIn("Still due", body)
        # the key-account manager keeps the activity of the same day
        self.assertIn(
            "7 days after the payment deadline", self.contract.activity_ids.filtered(
                lambda a: a.user_id == self.contract.user_id).mapped("summary")
        )
        self._run_reminders("2027-02-07")
        self._run_reminders("2027-02-08")
        self.assertEqual(self._reminder_mail_to(employer, self.contract), mail, "sent once")


@tagged("post_install", "-at_install")
class TestRelationshipCollections(KamCollectionsDeskCommon):
    """HS16 money: a relationship request's receipts pay its ticket, mark it paid and stop its reminders;
    the ledger lists it beside the buyers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.department_head = cls.kam_users["manager"]
        cls.department_head.email = "head.design@example.com"
        cls.department = cls.env["kam.department"].create(
            {"name": "Design Institute", "member_ids": [(4, cls.staff.id)], "manager_id": cls.department_head.id}
        )
        cls.request = cls.env["kam.relation.request"].with_user(cls.staff).create(
            {"department_id": cls.department.id, "project_id": cls.project.id,
             "unit_ids": [(4, cls.units[15].id)], "buyer_name": "Zhao Lei", "buyer_id_number": RELATION_ID,
             "average_price": 7000.0, "payment_ratio": 60.0, "payment_deadline": D(2027, 1, 31),
             "late_increase_percent": 1.0}
        ).with_env(cls.env)
        # fixture (sudo back door): the approval itself is tested in TestRelationRequest
        sudo_force_state_for_fixture(cls.request, "approved")
        cls.request._hold_units()
        cls.ticket = cls.Ticket.with_user(cls.clerk).create(
            {"basis": "relation", "relation_request_id": cls.request.id, "buyer_name": "Zhao Lei",
             "id_number": RELATION_ID, "unit_id": cls.units[15].id, "payment_ratio": 60.0,
             "deposit_amount": 20_000.0}
        )
        cls.ticket.action_issue()
        cls.ticket.signed_copy = SIGNED
        cls.ticket.with_user(cls.finance).action_review()  # 700,000.00 × 60 %: 420,000.00 due

    def _receive(self, number, amount, date):
        receipt = self.env["kam.housing.receipt"].with_user(self.staff).create(
            {"name": number, "relation_request_id": self.request.id, "amount": amount, "date": date}
        )
        receipt.with_user(self.finance).action_register()  # staff prepare, finance registers
        return receipt

    def _row(self):
        self.Ledger.invalidate_model()  # a new request: the figures are as of the (frozen) day
        return self.Ledger.search([("relation_request_id", "=", self.request.id)])

    def test_a_request_paid_by_two_receipts_is_paid_on_the_second_and_no_longer_reminded(self):
        self.assertEqual(self.ticket.amount_due, 420_000.0)
        with freeze_time("2027-01-25"):
            self._receive("GX-R-201", 300_000.0, D(2027, 1, 10))
            self.assertEqual((self.request.state, self.ticket.state), ("approved", "reviewed"))
            self._receive("GX-R-202", 120_000.0, D(2027, 1, 24))
        self.assertEqual(self.ticket.state, "vouchered")
        self.assertEqual(
            (self.request.state, self.request.payment_date, self.request.final_average_price),
            ("paid", D(2027, 1, 24), 7000.0),
        )
        for day in ("2027-01-31", "2027-02-07", "2027-02-08"):
            self._run_reminders(day)
        self.assertFalse(
            self.env["kam.collection.reminder"].search(
                [("res_model", "=", "kam.relation.request"), ("res_id", "=", self.request.id)]
            ),
            "a paid request is not chased",
        )
        with freeze_time("2027-02-08"):
            row = self._row()
            self.assertEqual(
                (row.payer_name, row.due, row.received, row.outstanding, row.arrears, row.ageing, row.ticket_returned),
                ("Zhao Lei", 420_000.0, 420_000.0, 0.0, 0.0, "paid", True),
            )
            self.assertFalse(row.contract_id or row.partner_id, "no contract, no employer between")
            self.assertEqual(row.not_transferred, 0.0, "relationship money is not entrusted")
        # the requesting department sees its row; the contract's buyers' rows stay the key-account team's
        self.assertEqual(self.Ledger.with_user(self.staff).search([("relation_request_id", "!=", False)]), row)

    def test_an_unpaid_request_past_its_deadline_shows_arrears_and_is_mailed_to_its_department(self):
        with freeze_time("2027-01-25"):
            self._receive("GX-R-301", 100_000.0, D(2027, 1, 20))
        with freeze_time("2027-03-17"):  # 45 days after the deadline
            row = self._row()
            self.assertEqual(
                (row.due, row.received, row.outstanding, row.arrears, row.days_overdue, row.ageing),
                (420_000.0, 100_000.0, 320_000.0, 320_000.0, 45, "31_60"),
            )
            groups = dict(self.Ledger._read_group([("relation_request_id", "!=", False)], ["ageing"], ["arrears:sum"]))
            self.assertEqual(self.currency.compare_amounts(groups["31_60"], 320_000.0), 0)
        self.assertEqual(self.request.state, "approved")
        self._run_reminders("2027-03-17")
        mail = self._reminder_mail_to(self.staff.partner_id, self.request)
        self.assertEqual(len(mail), 1, "the department that filed it urges its buyer (seed 001 §十二)")
        self.assertEqual(mail.email_cc, self.department_head.email_formatted, "its head in copy")
        self.assertIn(self.request.name, mail.subject)
        body = str(mail.body_html).replace("&nbsp;", "\xa0")
        lang = self.staff.lang
        for amount in (420_000.0, 100_000.0, 320_000.0):
            self.assertIn(format_amount(self.env(context={"lang": lang}), amount, self.currency, lang_code=lang), body)
        self._run_reminders("2027-03-17")
        self.assertEqual(self._reminder_mail_to(self.staff.partner_id, self.request), mail, "sent once")

    def test_receipts_after_the_deadline_leave_the_repricing_to_finance(self):
        with freeze_time("2027-02-10"):
            self._receive("GX-R-401", 420_000.0, D(2027, 2, 9))  # nine days late: 1 % more per started month
        self.assertEqual(self.ticket.state, "reviewed", "no voucher at the old price (test_relation_payment)")
        self.assertEqual(self.request.state, "approved", "the late price is not paid yet")
        todo = self.request.activity_ids.filtered(lambda a: a.summary == "Register the late payment")
        self.assertIn("7070", str(todo.note).replace(",", ""), "finance gets a to-do with the new price")
        with freeze_time("2027-02-10"):
            self.request.with_user(self.finance).action_register_payment("2027-02-09")
        self.assertEqual((self.request.state, self.request.final_average_price), ("paid", 7070.0))
