import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import sudo_force_state_for_fixture
from .test_joint_account import EMPLOYER_NUMBER, KamJointCommon, rows_with_balance, statement_file

D = datetime.date


@tagged("post_install", "-at_install")
class TestJointCollections(KamJointCommon):
    """AC5: reminders in levels, sent once; financing targets collect the real transfers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["kam.collection.reminder.level"].sudo().search([]).active = False  # the shipped levels too
        cls.levels = cls.env["kam.collection.reminder.level"].create(
            [
                {"name": f"level {offset}", "scope": "contract", "days_offset": offset}
                for offset in (-3, 0, 7)
            ]
            + [{"name": "relation 0", "scope": "relation", "days_offset": 0}]
        )
        # the employer holds a receipt it has not transferred: the contract awaits money
        # the fixture contract is due on 31 January 2027 (housing_common)
        receipt = cls.env["kam.housing.receipt"].create(
            {"name": "R-77", "contract_id": cls.contract.id, "buyer_id": cls.buyers[0].id, "amount": 1000.0,
             "date": D(2027, 1, 10)}
        )
        receipt.action_register()

    def _reminders(self):
        return self.env["kam.collection.reminder"].search(
            [("res_model", "=", "kam.housing.contract"), ("res_id", "=", self.contract.id)]
        )

    def _run(self, day):
        with freeze_time(day):
            self.env["kam.collection.reminder.level"]._cron_send_reminders()
            self.env["kam.collection.reminder.level"]._cron_send_reminders()  # twice the same day

    def test_levels_sent_once_each_across_runs(self):
        self._run("2027-01-27")
        self.assertFalse(self._reminders())
        self._run("2027-01-28")  # deadline − 3
        self.assertEqual(self._reminders().level_id, self.levels[0])
        self._run("2027-01-31")  # the deadline
        self.assertEqual(self._reminders().level_id, self.levels[0] | self.levels[1])
        self._run("2027-02-07")  # deadline + 7
        self._run("2027-02-08")
        self.assertEqual(self._reminders().level_id, self.levels[:3])
        self.assertEqual(len(self._reminders()), 3)
        activities = self.contract.activity_ids.filtered(lambda a: a.summary and a.summary.startswith("level"))
        self.assertEqual(sorted(activities.mapped("summary")), ["level -3", "level 0", "level 7"])
        self.assertEqual(activities.user_id, self.contract.user_id)

    def test_an_email_level_mails_the_employer_once_beside_the_activities(self):
        self.employer.email = "weijianban@example.com"
        template = self.env["mail.template"].create(
            {
                "name": "Payment reminder to the employer",
                "model_id": self.env["ir.model"]._get_id("kam.housing.contract"),
                "subject": "Payment reminder {{ object.name }}",
                "partner_to": "{{ object.partner_id.id }}",
                "body_html": "<p>The payment deadline has come.</p>",
            }
        )
        self.levels[1].write({"channel": "email", "mail_template_id": template.id})
        for day in ("2027-01-28", "2027-01-31", "2027-02-01", "2027-02-07"):
            self._run(day)
        mails = self.env["mail.mail"].search([("subject", "=", f"Payment reminder {self.contract.name}")])
        self.assertEqual(len(mails), 1, "the e-mail level is sent once")
        self.assertEqual(mails.recipient_ids, self.employer)
        self.assertEqual((mails.model, mails.res_id), ("kam.housing.contract", self.contract.id))
        self.assertEqual(self._reminders().level_id, self.levels[:3])
        activities = self.contract.activity_ids.filtered(lambda a: a.summary and a.summary.startswith("level"))
        self.assertEqual(sorted(activities.mapped("summary")), ["level -3", "level 7"], "no activity for the e-mail")
        # an e-mail level needs a template of the documents it reminds
        with self.assertRaises(ValidationError):
            self.levels[2].write({"channel": "email"})
        with self.assertRaises(ValidationError):
            self.levels[3].write({"channel": "email", "mail_template_id": template.id})

    def test_a_contract_with_nothing_outstanding_is_not_reminded(self):
        self.contract.receipt_ids.void_reason = "wrong"
        self.contract.receipt_ids.action_void()
        self._run("2027-01-31")
        self.assertFalse(self._reminders())

    def test_the_shipped_email_level_spares_a_contract_whose_money_is_all_transferred(self):
        self.employer.email = "weijianban@example.com"
        self.env.ref("kam_management.kam_reminder_level_contract_late_email").active = True
        # the employer transfers the receipt's 1,000.00 to the joint account; the reconciliation allocates it
        self._import(statement_file(rows_with_balance([("2027-01-12", 1000.0, "江城供电局", EMPLOYER_NUMBER, "R-77", "")])))
        reconciliation = self.env["kam.joint.reconciliation"].with_user(self.preparer).create(
            {"contract_id": self.contract.id, "date_from": D(2027, 1, 1), "date_to": D(2027, 1, 31)}
        )
        reconciliation.action_match()
        self.assertEqual(self.contract.receipt_ids.transferred_amount, 1000.0)
        self._run("2027-02-07")
        self.assertFalse(self._reminders(), "nothing owed, nothing held: no reminder of any level")
        mails = self.env["mail.mail"].search([("model", "=", "kam.housing.contract"), ("res_id", "=", self.contract.id)])
        self.assertFalse(mails.filtered(lambda mail: self.employer in mail.recipient_ids))

    def test_relationship_requests_are_reminded_too(self):
        department = self.env["kam.department"].create({"name": "Engineering Department"})
        request = self.env["kam.relation.request"].create(
            {
                "department_id": department.id,
                "project_id": self.project.id,
                "unit_ids": [(6, 0, self.units[15:16].ids)],
                "buyer_name": "Zhou Min",
                "average_price": 9500.0,
                "payment_ratio": 50.0,
                "payment_deadline": D(2027, 1, 31),
                "late_increase_percent": 2.0,
            }
        )
        sudo_force_state_for_fixture(request, "approved")  # fixture: the approval is tested elsewhere
        self._run("2027-01-31")
        sent = self.env["kam.collection.reminder"].search([("res_model", "=", "kam.relation.request")])
        self.assertEqual(sent.res_id, request.id)
        self.assertEqual(sent.level_id, self.levels[3])
        self.assertIn("relation 0", request.activity_ids.mapped("summary"))
        with freeze_time("2027-02-01"):  # finance registers the payment the day it is made
            request.with_user(self.kam_users["finance"]).action_register_payment()
        self.levels[3].days_offset = 1
        self.env["kam.collection.reminder"].sudo().search([]).unlink()  # fixture: forget what was sent
        self._run("2027-02-01")
        self.assertFalse(self.env["kam.collection.reminder"].search([("res_model", "=", "kam.relation.request")]))

    def test_financing_target_collects_the_transfers(self):
        self._import(
            statement_file(
                rows_with_balance(
                    [
                        ("2026-03-02", 200000.0, "江城供电局", EMPLOYER_NUMBER, "R-1", ""),
                        ("2026-03-04", -35.5, "手续费", "", "fee", ""),
                        ("2026-04-05", 50000.25, "江城供电局", EMPLOYER_NUMBER, "R-3", ""),
                    ]
                )
            )
        )
        self.target_2026.invalidate_recordset()
        self.assertEqual(self.currency.compare_amounts(self.target_2026.collected_amount, 250_000.25), 0)
        # the report shows the same money (one SQL source)
        row = self.env["kam.financing.report"].search([("target_id", "=", self.target_2026.id)])
        self.assertEqual(self.currency.compare_amounts(row.collected_amount, 250_000.25), 0)
        self.assertEqual(self.currency.compare_amounts(self.contract.money_transfer_total, 250_000.25), 0)
        self.assertEqual(self.currency.compare_amounts(self.contract.money_receipt_total, 1000.0), 0)
