import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .service_common import KamServiceCommon


@tagged("post_install", "-at_install")
class TestServiceComplaint(KamServiceCommon):
    """KA8: response deadline (here in working time, as this company chose), escalation, handling,
    confirmation; the state moves by its buttons only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the company works 8–12 and 13–17, Monday to Friday, in Beijing time, with China's public holidays, and
        # counts its complaint deadlines in that working time
        cls.calendar = cls.env.company.resource_calendar_id
        cls.calendar.write({"tz": "Asia/Shanghai", "kam_cn_public_holidays": True})
        cls.env.company.kam_complaint_sla_basis = "working"
        cls.leader = cls.env["res.users"].create(
            {"name": "营销副总", "login": "kam_test_leader", "group_ids": [cls.env.ref("kam_management.group_kam_manager").id]}
        )
        cls.env.company.kam_complaint_leader_id = cls.leader
        cls.department = cls.env["kam.department"].create({"name": "品质部"})
        # this company keeps the task force for its strategic accounts only
        cls.tier_a.kam_complaint_task_force = False

    def _friday_afternoon(self):
        # Friday 27 November 2026, 17:00 in Beijing = 09:00 UTC
        return self._complaint(self.a_account, "2026-11-27 09:00:00", user=self.ka_user)

    def test_friday_afternoon_complaint_is_due_after_three_working_days(self):
        self.assertEqual(self.calendar.attendance_ids.mapped("dayofweek").count("5"), 0, "no Saturday work")
        complaint = self._friday_afternoon()
        # Monday, Tuesday and Wednesday: 3 × 8 working hours → Wednesday 2 December 17:00 Beijing (09:00 UTC)
        self.assertEqual(complaint.response_deadline, datetime.datetime(2026, 12, 2, 9, 0))
        self.assertEqual(complaint.tier_id, self.tier_a)

    def test_the_tier_sla_sets_the_hours(self):
        self.tier_a.response_sla_hours = 4
        complaint = self._complaint(self.a_account, "2026-11-30 01:00:00")  # Monday 09:00 Beijing
        self.assertEqual(complaint.response_deadline, datetime.datetime(2026, 11, 30, 6, 0))  # 14:00 after lunch

    def test_the_job_escalates_after_the_deadline_only(self):
        complaint = self._friday_afternoon()
        Complaint = self.env["kam.complaint"]
        with freeze_time("2026-12-02 08:59:00"):
            Complaint._cron_escalate_breached()
        self.assertFalse(complaint.escalated)
        with freeze_time("2026-12-02 09:01:00"):
            Complaint._cron_escalate_breached()
            Complaint._cron_escalate_breached()
        self.assertTrue(complaint.escalated)
        self.assertTrue(complaint.sla_breached)
        self.assertEqual(complaint.escalation_reason, "breach")
        self.assertEqual(complaint.escalated_to_id, self.leader)
        escalated = self.env.ref("kam_management.mail_activity_type_kam_complaint_escalated")
        self.assertEqual(len(complaint.activity_ids.filtered(lambda a: a.activity_type_id == escalated)), 1)
        self.assertEqual(complaint.activity_ids.user_id, self.leader)

    def test_an_answered_complaint_is_not_escalated_and_met_its_sla(self):
        complaint = self._friday_afternoon()
        with freeze_time("2026-12-01 03:00:00"):
            complaint.with_user(self.ka_user).action_start()
        self.assertEqual(complaint.state, "handling")
        self.assertEqual(complaint.sla_result, "met")
        with freeze_time("2026-12-03"):
            self.env["kam.complaint"]._cron_escalate_breached()
        self.assertFalse(complaint.escalated)

    def test_the_manager_escalates_a_complaint_beyond_their_reach(self):
        complaint = self._complaint(self.strategic, "2026-11-30 01:00:00", user=self.ka_user)
        complaint.with_user(self.ka_user).action_escalate()
        self.assertEqual(complaint.escalation_reason, "manager")
        self.assertFalse(complaint.sla_breached)
        with self.assertRaises(UserError):
            complaint.with_user(self.ka_user).action_escalate()

    def test_the_top_tier_needs_its_task_force(self):
        complaint = self._complaint(self.strategic, "2026-11-30 01:00:00", user=self.ka_user)
        with self.assertRaises(UserError):
            complaint.with_user(self.ka_user).action_start()
        complaint.with_user(self.ka_user).write(
            {
                "task_force_marketing_id": self.ka_user.id,
                "task_force_business_id": self.ka_manager.id,
                "task_force_technical_id": self.colleague.id,
                "task_force_service_id": self.leader.id,
            }
        )
        complaint.with_user(self.ka_user).action_start()
        self.assertEqual(complaint.state, "handling")

    def _handled(self):
        complaint = self._complaint(self.a_account, "2026-11-30 01:00:00", user=self.ka_user)
        complaint = complaint.with_user(self.ka_user)
        complaint.action_start()
        complaint.write(
            {
                "resolution": "<p>更换问题部件，补偿运费。</p>",
                "assignment_ids": [
                    (0, 0, {"department_id": self.department.id, "due_date": "2026-12-05", "task": "现场检测",
                            "user_id": self.colleague.id})
                ],
            }
        )
        task = complaint.sudo().activity_ids.filtered(lambda activity: activity.user_id == self.colleague)
        self.assertEqual(task.date_deadline, self._d("2026-12-05"), "the department's own due date")
        complaint.action_resolve()
        complaint.write({"responsibility": "supplier", "followup_ids": [(0, 0, {"note": "十二月回访：客户满意。"})]})
        return complaint

    def test_a_complaint_closes_only_on_the_customers_confirmation(self):
        complaint = self._handled()
        self.assertEqual(complaint.state, "follow_up")
        with self.assertRaises(UserError):
            complaint._kam_close_confirmed(self.env["res.partner"], "4")
        with self.assertRaises(UserError):
            complaint._kam_close_confirmed(self.theirs, "4")  # another customer cannot confirm
        action = complaint.action_close()
        self.assertEqual(action["res_model"], "kam.complaint.close.wizard")
        contact = self.env["res.partner"].create({"name": "李经理", "parent_id": self.a_account.id})
        with Form(self.env["kam.complaint.close.wizard"].with_user(self.ka_user).with_context(action["context"])) as form:
            form.confirmed_by_id = contact
            form.satisfaction = "4"
        form.record.action_confirm()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.satisfaction_score, 4)
        self.assertEqual(complaint.confirmed_by_id, contact)
        with self.assertRaises(UserError):
            complaint.write({"resolution": "<p>改写</p>"})  # closed: locked
        with self.assertRaises(UserError):
            complaint.followup_ids.write({"note": "改写"})

    def test_a_resolved_complaint_is_followed_up_monthly(self):
        with freeze_time("2026-12-01 02:00:00"):
            complaint = self._handled()  # its note is of 1 December
        Complaint = self.env["kam.complaint"]
        follow_up = self.env.ref("kam_management.mail_activity_type_kam_complaint_follow_up")

        def reminders():
            return complaint.activity_ids.filtered(lambda activity: activity.activity_type_id == follow_up)

        with freeze_time("2026-12-20"):
            Complaint._cron_follow_up_reminders()
        self.assertFalse(reminders())
        with freeze_time("2027-01-02"):
            Complaint._cron_follow_up_reminders()
            Complaint._cron_follow_up_reminders()
        self.assertEqual(len(reminders()), 1)
        self.assertEqual(reminders().user_id, self.ka_user)
        with freeze_time("2027-01-03"):
            complaint.with_user(self.ka_user).write({"followup_ids": [(0, 0, {"note": "一月回访：已整改。"})]})
        self.assertFalse(reminders(), "the note is the follow-up")

    def test_the_customer_and_receipt_are_fixed_once_answered(self):
        complaint = self._friday_afternoon().with_user(self.ka_user)
        with freeze_time("2026-11-30 02:00:00"):
            complaint.action_start()
        with self.assertRaises(UserError):
            complaint.write({"received_at": "2026-11-30 01:00:00"})
        with self.assertRaises(UserError):
            complaint.write({"partner_id": self.strategic.id})

    def test_a_deadline_across_national_day_skips_the_holiday_and_counts_the_make_up_saturday(self):
        # Wednesday 30 September 2026, 16:00 Beijing: the last working day before National Day (1–7 October off;
        # Saturday 10 October is a make-up working day, 调休). 24 working hours of 8 a day: 1 hour on the 30th,
        # none from the 1st to the 7th, 8 on Thursday the 8th and 8 on Friday the 9th (17), then 4 in the morning
        # and 3 in the afternoon of Saturday the 10th → 16:00 Beijing, 08:00 UTC.
        complaint = self._complaint(self.a_account, "2026-09-30 08:00:00", user=self.ka_user)
        self.assertEqual(complaint.response_deadline, datetime.datetime(2026, 10, 10, 8, 0))
        # without the public holidays the plan ran through the holiday: Monday 5 October, 16:00 Beijing
        self.calendar.kam_cn_public_holidays = False
        self.assertFalse(self.calendar.leave_ids.filtered("kam_public_holiday_id"), "the holidays left the calendar")
        self.assertEqual(
            self.calendar._kam_plan_hours(datetime.datetime(2026, 9, 30, 8, 0), 24), datetime.datetime(2026, 10, 5, 8, 0)
        )
        self.calendar.kam_cn_public_holidays = True
        national_day = self.env.ref("kam_management.kam_public_holiday_2026_national_day")
        leave = self.calendar.leave_ids.filtered(lambda leave: leave.kam_public_holiday_id == national_day)
        # 1 October 00:00 to 7 October 23:59:59 in Beijing
        self.assertEqual((leave.date_from, leave.date_to),
                         (datetime.datetime(2026, 9, 30, 16, 0), datetime.datetime(2026, 10, 7, 15, 59, 59)))
        # the time left, on the form and in the list: from Friday 9 October 09:00 Beijing, 31 clock hours
        with freeze_time("2026-10-09 01:00:00"):
            complaint.invalidate_recordset(["sla_time_left"])
            self.assertAlmostEqual(complaint.sla_time_left, 31.0)
        with freeze_time("2026-10-10 10:30:00"):  # 18:30 Beijing, two and a half hours late
            complaint.invalidate_recordset(["sla_time_left"])
            self.assertAlmostEqual(complaint.sla_time_left, -2.5)

    def test_by_default_a_complaint_is_answered_within_24_clock_hours(self):
        self.env.company.kam_complaint_sla_basis = "clock"
        # Friday 27 November 2026, 17:00 Beijing → Saturday 28 November, 17:00: the seeds' "24 hours", not working ones
        complaint = self._friday_afternoon()
        self.assertEqual(complaint.response_deadline, datetime.datetime(2026, 11, 28, 9, 0))
        # the 24 hours run through a public holiday too: 30 September 16:00 Beijing → 1 October 16:00
        holiday = self._complaint(self.a_account, "2026-09-30 08:00:00", user=self.ka_user)
        self.assertEqual(holiday.response_deadline, datetime.datetime(2026, 10, 1, 8, 0))
        # an answered complaint shows no time left
        with freeze_time("2026-11-27 10:00:00"):
            complaint.with_user(self.ka_user).action_start()
        self.assertEqual(complaint.sla_time_left, 0.0)
        self.assertEqual(complaint.sla_result, "met")

    def test_nobody_re_dates_a_complaint_the_deadline_measures(self):
        complaint = self._friday_afternoon()
        deadline = complaint.response_deadline
        for user in (self.ka_user, self.ka_manager):
            Complaint = self.env["kam.complaint"].with_user(user)
            for context in ({}, {"kam_state_write": True, "install_mode": True}):
                with self.subTest(user=user.login, context=context):
                    with self.assertRaisesRegex(UserError, "recorded by the system"):
                        Complaint.with_context(**context).create(
                            {"partner_id": self.a_account.id, "description": "<p>x</p>",
                             "received_at": "2026-12-24 09:00:00"}
                        )
                    with self.assertRaisesRegex(UserError, "recorded by the system"):
                        complaint.with_user(user).with_context(**context).write({"received_at": "2026-11-30 09:00:00"})
                    for values in ({"response_deadline": "2026-12-31 09:00:00"}, {"responded_at": "2026-11-27 09:30:00"},
                                   {"escalated_at": "2026-11-27 09:30:00"}, {"resolved_at": "2026-11-27 09:30:00"}):
                        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
                            complaint.with_user(user).with_context(**context).write(values)
        # entered now: the system's time of receipt, whatever the form showed
        with freeze_time("2026-11-30 03:00:00"):
            entered = self.env["kam.complaint"].with_user(self.ka_user).create(
                {"partner_id": self.a_account.id, "description": "<p>x</p>"}
            )
        self.assertEqual(entered.received_at, datetime.datetime(2026, 11, 30, 3, 0))
        complaint.invalidate_recordset()
        self.assertEqual((complaint.received_at, complaint.response_deadline),
                         (datetime.datetime(2026, 11, 27, 9, 0), deadline))

    def test_state_and_outcome_cannot_be_forced(self):
        complaint = self._friday_afternoon().with_user(self.ka_user)
        for values in (
            {"state": "closed"},
            {"satisfaction": "5"},
            {"escalated": True},
            {"response_deadline": "2030-01-01 00:00:00"},
            {"responded_at": "2026-11-27 09:30:00"},
            {"name": "CPL/forged"},
        ):
            for context in ({}, {"kam_state_write": True, "tracking_disable": True, "install_mode": True}):
                with self.subTest(values=values, context=context), self.assertRaises(UserError):
                    complaint.with_context(**context).write(values)
        with self.assertRaises(UserError):
            self.env["kam.complaint"].with_user(self.ka_user).create(
                {"partner_id": self.a_account.id, "description": "<p>x</p>", "state": "closed"}
            )
        with self.assertRaises(AccessError):
            complaint.action_cancel()  # a director's step
        self.assertEqual(complaint.state, "received")

    def test_issued_complaints_are_kept(self):
        complaint = self._handled()
        with self.assertRaises(UserError):
            complaint.unlink()
        with self.assertRaises(AccessError):
            self._friday_afternoon().with_user(self.ka_user).unlink()  # staff delete nothing

    def test_a_price_concession_needs_approval(self):
        complaint = self._handled()
        self._definition("kam.complaint.concession", self.ka_manager)
        concession = self.env["kam.complaint.concession"].with_user(self.ka_user).create(
            {"complaint_id": complaint.id, "amount": 5000.0, "reason": "延期交付补偿"}
        )
        with self.assertRaises(ValidationError):
            concession.action_approve()  # nobody approved yet
        concession.request_validation()
        concession.with_user(self.ka_manager).validate_tier()
        self.assertEqual(concession.state, "approved")
        with self.assertRaises(ValidationError):
            self.env["kam.complaint.concession"].create({"complaint_id": complaint.id, "amount": -1, "reason": "x"})

    def test_errors_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        complaint = self._complaint(self.strategic, "2026-11-30 01:00:00", user=self.ka_user)
        with self.assertRaises(UserError) as raised:
            complaint.with_user(self.ka_user).with_context(lang="zh_CN").action_start()
        self.assertIn("专项小组", str(raised.exception))
