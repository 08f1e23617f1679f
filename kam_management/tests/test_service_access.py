from odoo.exceptions import AccessError
from odoo.tests import tagged

from .service_common import KamServiceCommon


@tagged("post_install", "-at_install")
class TestServiceAccess(KamServiceCommon):
    """SEC1 for the key-account service: staff see their accounts' visits and complaints only; other
    departments read or see nothing; every record stays in its company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.my_visit = cls._visit(cls.strategic, "2026-11-02")
        cls.their_visit = cls._visit(cls.theirs, "2026-11-03")
        cls.my_complaint = cls._complaint(cls.strategic, "2026-11-30 01:00:00")
        cls.their_complaint = cls._complaint(cls.theirs, "2026-11-30 01:00:00", user=cls.colleague)
        cls.other_company = cls.env["res.company"].create({"name": "另一家公司"})
        cls.foreign_visit = cls.env["kam.visit"].sudo().create(
            {"name": "异地拜访", "partner_id": cls.strategic.id, "date": "2026-11-04", "kind_id": cls.kind_visit.id,
             "company_id": cls.other_company.id}
        )

    def _visible(self, user, model, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_staff_see_only_their_accounts(self):
        visits = self.my_visit | self.their_visit
        complaints = self.my_complaint | self.their_complaint
        self.assertEqual(self._visible(self.ka_user, "kam.visit", visits), self.my_visit)
        self.assertEqual(self._visible(self.ka_user, "kam.complaint", complaints), self.my_complaint)
        with self.assertRaises(AccessError):
            self.their_visit.with_user(self.ka_user).read(["topics"])
        with self.assertRaises(AccessError):
            self.their_complaint.with_user(self.ka_user).write({"severity": "serious"})
        with self.assertRaises(AccessError):
            self._visit(self.theirs, "2026-11-05", user=self.ka_user)  # not their account
        with self.assertRaises(AccessError):
            self.my_visit.with_user(self.ka_user).write({"partner_id": self.theirs.id})  # onto their account
        with self.assertRaises(AccessError):
            self.my_complaint.with_user(self.ka_user).write({"partner_id": self.theirs.id})
        statuses = self.env["kam.cadence.status"].search([])
        self.assertTrue(statuses.filtered(lambda s: s.partner_id == self.theirs))
        self.assertFalse(
            self._visible(self.ka_user, "kam.cadence.status", statuses).filtered(lambda s: s.partner_id == self.theirs)
        )

    def test_directors_see_all_of_their_company(self):
        visits = self.my_visit | self.their_visit | self.foreign_visit
        self.assertEqual(self._visible(self.ka_manager, "kam.visit", visits), self.my_visit | self.their_visit)

    def test_other_departments(self):
        visits = self.my_visit | self.their_visit
        complaints = self.my_complaint | self.their_complaint
        for department in ("audit", "executive"):
            user = self.kam_users[department]
            with self.subTest(department=department):
                self.assertEqual(self._visible(user, "kam.visit", visits), visits)
                self.assertEqual(self._visible(user, "kam.complaint", complaints), complaints)
                with self.assertRaises(AccessError):
                    self.my_complaint.with_user(user).write({"severity": "serious"})
                with self.assertRaises(AccessError):
                    self._visit(self.strategic, "2026-11-06", user=user)
        finance = self.kam_users["finance"]
        self.assertEqual(self._visible(finance, "kam.complaint", complaints), complaints)
        with self.assertRaises(AccessError):
            self.my_complaint.with_user(finance).write({"severity": "serious"})
        for department in ("sales", "cost", "finance"):
            with self.subTest(department=department), self.assertRaises(AccessError):
                self.env["kam.visit"].with_user(self.kam_users[department]).search([])
        for department in ("sales", "cost"):
            with self.subTest(department=department), self.assertRaises(AccessError):
                self.env["kam.complaint"].with_user(self.kam_users[department]).search([])

    def test_every_reading_department_opens_a_complaint_with_its_lines(self):
        complaint = self.my_complaint.with_user(self.ka_user)
        complaint.write(
            {
                "assignment_ids": [(0, 0, {"department_id": self.env["kam.department"].create({"name": "工程部"}).id,
                                           "due_date": "2026-12-10"})],
                "followup_ids": [(0, 0, {"note": "已电话沟通"})],
            }
        )
        for department in ("user", "manager", "finance", "audit", "executive"):
            with self.subTest(department=department):
                record = self.my_complaint.with_user(self.kam_users[department] if department != "user" else self.ka_user)
                values = record.web_read(
                    {
                        "name": {},
                        "assignment_ids": {"fields": {"department_id": {"fields": {"display_name": {}}}, "due_date": {}}},
                        "followup_ids": {"fields": {"note": {}}},
                        "concession_ids": {"fields": {"amount": {}}},
                        "partner_id": {"fields": {"display_name": {}}},
                    }
                )
                self.assertEqual(values[0]["followup_ids"][0]["note"], "已电话沟通")

    def test_only_directors_and_readers_print_the_monthly_report(self):
        for department in ("manager", "executive", "audit", "finance_manager"):
            with self.subTest(department=department):
                self.env["kam.service.report"].with_user(self.kam_users[department]).create({})
        for department in ("user", "sales", "finance", "cost"):
            with self.subTest(department=department), self.assertRaises(AccessError):
                self.env["kam.service.report"].with_user(self.kam_users[department]).create({})
