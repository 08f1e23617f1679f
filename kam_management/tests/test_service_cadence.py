from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .service_common import KamServiceCommon


@tagged("post_install", "-at_install")
class TestServiceCadence(KamServiceCommon):
    """KA7: the daily cadence job reminds once per due date, closes on contact, flags silence."""

    def _run(self, day):
        with freeze_time(day):
            self.env["kam.cadence.status"]._kam_refresh_all()

    def _status(self, partner, rule):
        return self.env["kam.cadence.status"].search([("partner_id", "=", partner.id), ("rule_id", "=", rule.id)])

    def test_strategic_account_without_visit_for_31_days_gets_one_reminder_across_two_runs(self):
        self._visit(self.strategic, "2027-01-01")
        self._run("2027-01-31")  # 30 days: not due yet
        self.assertFalse(self._reminders(self.strategic, self.rule_manager))
        self.assertEqual(self._status(self.strategic, self.rule_manager).next_due_date, self._d("2027-02-01"))
        self._run("2027-02-01")  # 31 days
        reminder = self._reminders(self.strategic, self.rule_manager)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.ka_user)
        self.assertEqual(reminder.date_deadline, self._d("2027-02-01"))
        self._run("2027-02-02")
        self._run("2027-02-03")
        self.assertEqual(self._reminders(self.strategic, self.rule_manager), reminder, "never twice")

    def test_logging_a_visit_closes_the_reminder_and_moves_the_due_date(self):
        self._visit(self.strategic, "2027-01-01")
        self._run("2027-02-05")
        reminder = self._reminders(self.strategic, self.rule_manager)
        self.assertTrue(reminder)
        with freeze_time("2027-02-06"):
            self._visit(self.strategic, "2027-02-06", user=self.ka_user)
        self.assertFalse(reminder.exists() and reminder.active, "the reminder is done")
        status = self._status(self.strategic, self.rule_manager)
        self.assertEqual(status.next_due_date, self._d("2027-03-06"))
        self.assertEqual(status.last_contact_date, self._d("2027-02-06"))
        self.assertFalse(status.is_due)
        self._run("2027-02-07")
        self.assertFalse(self._reminders(self.strategic, self.rule_manager), "no new reminder before the new due date")

    def test_a_phone_call_satisfies_the_a_class_follow_up_but_not_a_strategic_visit(self):
        self._visit(self.a_account, "2027-01-10", kind=self.kind_phone)
        self._visit(self.strategic, "2027-01-10", kind=self.kind_phone)
        self._run("2027-03-01")
        self.assertEqual(self._status(self.a_account, self.rule_a).next_due_date, self._d("2027-04-10"))
        self.assertFalse(self._reminders(self.a_account))
        manager_status = self._status(self.strategic, self.rule_manager)
        self.assertFalse(manager_status.last_contact_date, "a phone call is not a manager visit")
        self.assertTrue(manager_status.is_due)
        self.assertTrue(self._reminders(self.strategic, self.rule_manager))

    def test_the_quality_rule_goes_to_the_named_quality_contact(self):
        quality = self.kam_users["user"].copy({"login": "kam_test_quality", "name": "质量工程师"})
        self.strategic.write({"kam_quality_user_id": quality.id})
        self._visit(self.strategic, "2026-10-01", kind=self.kind_quality)
        self._run("2027-01-02")
        self.assertEqual(self._reminders(self.strategic, self.rule_quality).user_id, quality)

    def test_accounts_without_contact_are_flagged(self):
        self.env.company.kam_no_contact_days = 60
        self._visit(self.a_account, "2027-01-01", kind=self.kind_phone)
        self._visit(self.strategic, "2027-02-20")
        self._run("2027-03-05")
        self.assertTrue(self.a_account.kam_no_contact)
        self.assertFalse(self.strategic.kam_no_contact)
        with freeze_time("2027-03-06"):
            self._visit(self.a_account, "2027-03-06", kind=self.kind_phone)
        self.assertFalse(self.a_account.kam_no_contact, "a contact lifts the flag at once")

    def test_the_job_takes_the_same_queries_for_3_or_10_accounts(self):
        accounts = self._key_accounts([f"测试客户{i}" for i in range(13)], manager=self.ka_user)
        self._set_tier(accounts, self.tier_strategic)
        for account in accounts:
            self._visit(account, "2027-01-01")
        Status = self.env["kam.cadence.status"]
        Status._kam_refresh_cadence(accounts, self._d("2027-01-05"))  # rows exist, nothing due yet

        def queries(partners, day):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Status._kam_refresh_cadence(partners, self._d(day))
            return self.env.cr.sql_log_count - before

        warm, three, seven = accounts[:3], accounts[3:6], accounts[6:]
        queries(warm, "2027-12-01")  # the first reminders also read subtypes and defaults into the caches
        # a run that reminds every account (all four rules due), then a run that changes nothing
        self.assertEqual(queries(three, "2027-12-01"), queries(seven, "2027-12-01"))
        self.assertEqual(queries(three, "2027-12-02"), queries(accounts[3:], "2027-12-02"))
        self.assertEqual(len(self._reminders(accounts[12])), 4, "one per strategic rule")

    def test_the_cron_runs_in_batches_and_commits_progress(self):
        self._visit(self.strategic, "2027-01-01")
        with freeze_time("2027-03-01"), patch.object(type(self.env["ir.cron"]), "_commit_progress") as progress:
            self.env["kam.cadence.status"]._cron_refresh_cadence(batch_size=1)
        self.assertTrue(self._reminders(self.strategic, self.rule_manager))
        self.assertGreaterEqual(progress.call_count, 3)

    def test_nobody_edits_the_status_or_the_flag(self):
        self._run("2027-01-01")
        status = self._status(self.strategic, self.rule_manager)
        with self.assertRaises(AccessError):
            status.with_user(self.ka_manager).write({"next_due_date": "2030-01-01"})
        with self.assertRaises(AccessError):
            self.strategic.with_user(self.ka_manager).write({"kam_no_contact": False})
        with self.assertRaises(AccessError):
            self.strategic.with_user(self.ka_user).write({"kam_technical_user_id": self.ka_user.id})

    def test_bad_rules_are_refused_with_a_translated_message(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        with self.assertRaises(ValidationError) as raised:
            self.rule_manager.with_context(lang="zh_CN").min_count = 0
        self.assertIn("至少", str(raised.exception))
