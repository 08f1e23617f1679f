import datetime
import importlib.util

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .housing_common import KamHousingCommon

# Friday 6 November 2026: five working days later is Friday 13 November.
PHONE_DAY = datetime.date(2026, 11, 6)
CHAIN = ("marketing_director", "finance_director", "project_gm", "gm", "chairman")
LOCKED = "is locked: it is under review or approved"


@tagged("post_install", "-at_install")
class TestRelationRequest(KamHousingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_chain("kam.relation.request")
        cls.department = cls.env["kam.department"].create({"name": "Engineering Department"})
        cls.other_department = cls.env["kam.department"].create({"name": "Design Department"})

    def _request(self, department=None, **values):
        vals = {
            "department_id": (department or self.department).id,
            "project_id": self.project.id,
            "unit_ids": [(6, 0, self.units[15:16].ids)],
            "buyer_name": "Zhou Min",
            "average_price": 9500.0,
            "payment_ratio": 50.0,
            "payment_deadline": datetime.date(2026, 12, 1),
            "late_increase_percent": 2.0,
        }
        vals.update(values)
        return self.env["kam.relation.request"].create(vals)

    def test_approved_like_a_contract_and_holds_the_units(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "needs its approval chain: request the validation"):
            request.action_approve()
        self._approve_through_chain(request, CHAIN[:-1])
        self.assertEqual(request.state, "draft")
        self.assertEqual(self.units[15].state, "available")
        # the chairman's validation approves it and holds the units: nobody presses Approve
        request.with_user(self.approvers["chairman"]).validate_tier()
        request.invalidate_recordset()
        self.assertEqual(request.state, "approved")
        self.assertEqual(self.units[15].state, "relation")
        with self.assertRaisesRegex(UserError, LOCKED):
            request.average_price = 9000.0
        with self.assertRaisesRegex(UserError, LOCKED):
            request.payment_deadline = datetime.date(2027, 6, 1)
        request.action_cancel()
        self.assertEqual(self.units[15].state, "available")

    def test_refusal_leaves_the_request_unapproved(self):
        request = self._request()
        request.request_validation()
        request.invalidate_recordset()
        for role in CHAIN[:2]:
            request.with_user(self.approvers[role]).validate_tier()
        request.with_user(self.approvers["project_gm"]).reject_tier()
        request.invalidate_recordset()
        self.assertEqual(request.validation_status, "rejected")
        self.assertEqual(request.state, "draft")
        self.assertEqual(self.units[15].state, "available")

    def test_payment_ratio_below_the_minimum_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "payment ratio 49 % is below the minimum of 50 %"):
            self._request(payment_ratio=49.0)

    def test_phone_approval_must_be_documented_within_five_working_days(self):
        with freeze_time(PHONE_DAY):
            with self.assertRaises(AccessError):
                self._request().with_user(self.kam_users["user"]).action_emergency_approve()
            request = self._request()
            request.with_user(self.approvers["gm"]).action_emergency_approve()
            self.assertEqual(request.state, "emergency")
            self.assertEqual(request.emergency_approver_id, self.approvers["gm"])
            self.assertEqual(self.units[15].state, "relation")
            self.assertEqual(request.documentation_deadline, datetime.date(2026, 11, 13))
        with freeze_time("2026-11-13"):  # the fifth working day: still in time
            self._request(unit_ids=[]).action_cancel()
        with freeze_time("2026-11-16"):  # Monday after: overdue
            request.invalidate_recordset()
            self.assertTrue(request.documentation_overdue)
            with self.assertRaisesRegex(UserError, "Engineering Department has not documented the phone approval"):
                self._request(unit_ids=[])
            self._request(department=self.other_department, unit_ids=[])  # other departments may file
            # documenting = completing the approval chain; the last validation approves it
            self._approve_through_chain(request)
            self.assertEqual(request.state, "approved")
            self.assertFalse(request.documentation_overdue)
            self.assertEqual(request.documented_date, datetime.date(2026, 11, 16))
            self._request(unit_ids=[])  # the department may file again

    def test_the_five_working_days_skip_national_day_and_count_the_make_up_saturday(self):
        """HS16 on the company's calendar with China's public holidays: approved by phone on Tuesday 29 September
        2026, the five working days are 30 September, 8, 9 and 10 October (the make-up Saturday, 调休) and
        Monday 12 October; 1–7 October are off."""
        calendar = self.env.company.resource_calendar_id
        calendar.kam_cn_public_holidays = True
        with freeze_time("2026-09-29"):
            request = self._request()
            request.with_user(self.approvers["gm"]).action_emergency_approve()
        self.assertEqual(request.documentation_deadline, datetime.date(2026, 10, 12))
        with freeze_time("2026-10-12"):
            request.invalidate_recordset(["documentation_overdue"])
            self.assertFalse(request.documentation_overdue)
        with freeze_time("2026-10-13"):
            request.invalidate_recordset(["documentation_overdue"])
            self.assertTrue(request.documentation_overdue)
        # the same calendar without the public holidays counts Monday to Friday only: 30 September, 1, 2, 5, 6 October
        calendar.kam_cn_public_holidays = False
        self.assertEqual(calendar._kam_add_working_days(datetime.date(2026, 9, 29), 5), datetime.date(2026, 10, 6))

    def test_nobody_creates_a_request_already_approved_by_phone(self):
        with freeze_time(PHONE_DAY), self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            self.env["kam.relation.request"].with_user(self.kam_users["manager"]).create(
                {
                    "department_id": self.department.id,
                    "project_id": self.project.id,
                    "buyer_name": "Zhou Min",
                    "average_price": 9500.0,
                    "payment_ratio": 50.0,
                    "payment_deadline": datetime.date(2026, 12, 1),
                    "state": "emergency",
                    "emergency_approver_id": self.approvers["gm"].id,
                    "emergency_date": PHONE_DAY,
                }
            )
        self.assertFalse(self.env["kam.relation.request"].search([("buyer_name", "=", "Zhou Min")]))

    def test_a_phone_approval_cannot_be_written_directly(self):
        request = self._request()
        director = self.kam_users["manager"]
        with self.assertRaises(UserError) as raised:
            request.with_user(director).write({"state": "emergency", "emergency_date": PHONE_DAY})
        self.assertIn("change only through the document's buttons", str(raised.exception))
        self.assertEqual(request.state, "draft")
        self.assertFalse(request.emergency_date)

    def test_late_payment_reprices_by_the_policy(self):
        on_time = self._request(unit_ids=[])
        self._approve_through_chain(on_time)
        with freeze_time("2027-01-05"):
            on_time.with_user(self.kam_users["finance"]).action_register_payment(payment_date="2026-12-01")
        self.assertEqual(on_time.final_average_price, 9500.0)
        late = self._request(unit_ids=[])
        self._approve_through_chain(late)
        with freeze_time("2027-01-05"):  # 31 days late: two started months × 2 %
            late.with_user(self.kam_users["finance"]).action_register_payment(payment_date=datetime.date(2027, 1, 1))
        self.assertEqual(late.state, "paid")
        self.assertEqual(late.final_average_price, 9880.0)
        with self.assertRaisesRegex(UserError, "Only an approved request is paid"):
            late.action_register_payment()
        # a paid request stays locked like an approved one
        with self.assertRaisesRegex(UserError, LOCKED):
            late.average_price = 9000.0


@tagged("post_install", "-at_install")
class TestCalendarAndRelationsMigration(KamHousingCommon):
    """19.0.0.1.4 on a database put back in the older state: its company calendars get China's public holidays
    and make-up days; a contract's free-text relations are kept for a person to convert, nothing guessed."""

    def test_the_migration_brings_the_holidays_and_keeps_free_text_relations(self):
        calendar = self.env.company.resource_calendar_id
        contract = self._create_contract(state="draft", rename_policy="relations")
        plain = self._create_contract(state="draft", rename_policy="fee")
        # the older state: calendars without the public holidays, relations as free text
        self.env["resource.calendar"].search([]).write({"kam_cn_public_holidays": False})
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE kam_housing_contract SET rename_relations = %s WHERE id = %s",
            ["配偶、子女：凭结婚证、户口簿，按合同价", contract.id],
        )
        self.env.invalidate_all()
        self.assertFalse(calendar.leave_ids.filtered("kam_public_holiday_id"))
        # 9 October 2026 (Friday) + 1 working day, before: Monday 12 October (Saturday the 10th not worked)
        self.assertEqual(calendar._kam_add_working_days(datetime.date(2026, 10, 9), 1), datetime.date(2026, 10, 12))
        spec = importlib.util.spec_from_file_location(
            "kam_post_migrate_19_0_0_1_4",
            file_path("kam_management/migrations/19.0.0.1.4/post-calendar_and_relations.py"),
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, None)  # a new install: the install itself sets the calendars
        self.env.invalidate_all()
        self.assertFalse(calendar.kam_cn_public_holidays)
        migration.migrate(self.env.cr, "19.0.0.1.3")
        self.env.invalidate_all()
        self.assertTrue(calendar.kam_cn_public_holidays)
        holidays = calendar.leave_ids.filtered("kam_public_holiday_id")
        self.assertEqual(len(holidays), self.env["kam.public.holiday"].search_count([("kind", "=", "holiday")]))
        # after: the make-up Saturday 10 October is a working day, 1–7 October are off
        self.assertEqual(calendar._kam_add_working_days(datetime.date(2026, 10, 9), 1), datetime.date(2026, 10, 10))
        self.assertEqual(calendar._kam_add_working_days(datetime.date(2026, 9, 30), 1), datetime.date(2026, 10, 8))
        # the free text stays, no relation is guessed from it, and the contract's manager is asked to convert it
        self.assertEqual(contract.rename_relations, "配偶、子女：凭结婚证、户口簿，按合同价")
        self.assertFalse(contract.rename_relation_ids)
        activity = contract.activity_ids.filtered(lambda a: a.summary == "Enter the allowed relations as lines")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, contract.user_id)
        self.assertFalse(plain.activity_ids.filtered(lambda a: a.summary == "Enter the allowed relations as lines"))

