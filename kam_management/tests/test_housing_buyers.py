import base64
import datetime
import io

import xlsxwriter
from markupsafe import Markup

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open

from .housing_common import KamHousingCommon, make_resident_id

ID_1 = make_resident_id("110105", datetime.date(1985, 3, 1), 11)
ID_2 = make_resident_id("310104", datetime.date(1990, 7, 15), 22)
ID_3 = make_resident_id("440305", datetime.date(1978, 12, 9), 33)
BAD_CHECK_DIGIT = ID_1[:-1] + ("1" if ID_1[-1] != "1" else "2")


@tagged("post_install", "-at_install")
class TestEligibleBuyers(KamHousingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract(state="allocated")
        cls.lawyer = cls.env["res.partner"].create({"name": "Lawyer Chen Jing"})

    def _buyer(self, **values):
        vals = {"contract_id": self.contract.id, "name": "Zhang Wei", "id_number": ID_1}
        vals.update(values)
        return self.env["kam.housing.buyer"].create(vals)

    def _import(self, content, filename):
        wizard = self.env["kam.buyer.import"].create(
            {"contract_id": self.contract.id, "file": base64.b64encode(content), "filename": filename}
        )
        return wizard.action_import()

    def test_id_numbers_are_validated_normalised_and_unique_per_contract(self):
        with self.assertRaisesRegex(ValidationError, "wrong check digit"):
            self._buyer(id_number=BAD_CHECK_DIGIT)
        buyer = self._buyer(id_number=" " + ID_1.lower() + " ")
        self.assertEqual(buyer.id_number, ID_1.upper())
        with self.assertRaisesRegex(ValidationError, "already on the contract.s buyer list"):
            self._buyer(name="Someone Else")
        other_contract = self._create_contract(state="allocated")
        self._buyer(contract_id=other_contract.id)  # the same person may be on another employer's list

    def test_csv_import_with_bad_rows_is_rejected_whole_with_every_reason(self):
        self._buyer(id_number=ID_3)
        rows = [
            "姓名,身份证号,关系,职工姓名",
            f"王芳,{ID_1},职工,",
            f",{ID_2},配偶,王芳",
            f"李强,{BAD_CHECK_DIGIT},职工,",
            f"刘洋,{ID_1},子女,王芳",
            f"陈静,{ID_3},职工,",
            f"赵磊,{ID_2},朋友,",
            "孙丽,12345,职工,",
        ]
        wizard = self.env["kam.buyer.import"].create(
            {"contract_id": self.contract.id, "file": base64.b64encode("\n".join(rows).encode("utf-8-sig")),
             "filename": "buyers.csv"}
        )
        action = wizard.action_import()
        # the wizard stays open and lists every bad row, one list item each
        self.assertEqual((action["res_model"], action["res_id"], action["target"]), ("kam.buyer.import", wizard.id, "new"))
        self.assertEqual(wizard.error_count, 6)
        self.assertEqual(str(wizard.error_html).count("<li>"), 6)
        message = Markup(wizard.error_html).unescape()
        self.assertIn("Nothing was imported", message)
        self.assertNotIn("Row 2:", message)
        self.assertIn("Row 3: the name is empty", message)
        self.assertIn(f"Row 4: The resident ID number {BAD_CHECK_DIGIT} has a wrong check digit", message)
        self.assertIn(f"Row 5: ID number {ID_1} also appears in row 2", message)
        self.assertIn(f"Row 6: ID number {ID_3} is already on the contract's list", message)
        self.assertIn(f"Row 7: ID number {ID_2} also appears in row 3; unknown relation 朋友", message)
        self.assertIn("Row 8: The resident ID number 12345 has 5 characters", message)
        self.assertEqual(self.contract.buyer_ids.mapped("id_number"), [ID_3], "nothing was imported")

    def test_the_downloadable_template_imports_as_it_is(self):
        with file_open("kam_management/static/templates/kam_buyer_import_template.csv", "rb") as template:
            content = template.read()
        self._import(content, "buyer_list_template.csv")
        self.assertEqual(self.contract.buyer_ids.mapped("name"), ["王芳", "张伟"])
        self.assertEqual(self.contract.buyer_ids.mapped("relation"), ["employee", "spouse"])

    def test_xlsx_import_of_a_valid_list(self):
        stream = io.BytesIO()
        book = xlsxwriter.Workbook(stream, {"in_memory": True})
        sheet = book.add_worksheet()
        for row, values in enumerate([["Name", "ID Number", "Relation"], ["王芳", ID_1, "employee"], ["刘洋", ID_2, "子女"]]):
            sheet.write_row(row, 0, values)
        book.close()
        self._import(stream.getvalue(), "buyers.xlsx")
        self.assertEqual(self.contract.buyer_ids.mapped("name"), ["王芳", "刘洋"])
        self.assertEqual(self.contract.buyer_ids.mapped("relation"), ["employee", "child"])

    def test_three_sign_offs_verify_and_lock_the_list(self):
        buyer = self._buyer()
        with self.assertRaises(AccessError):
            self.contract.with_user(self.kam_users["user"]).action_signoff_buyers_audit()
        with self.assertRaises(AccessError):
            self.contract.with_user(self.kam_users["audit"]).action_signoff_buyers_finance()
        self.contract.with_user(self.kam_users["audit"]).action_signoff_buyers_audit()
        self.contract.with_user(self.kam_users["finance"]).action_signoff_buyers_finance()
        self.assertFalse(self.contract.buyers_verified)
        with self.assertRaisesRegex(UserError, "Name the lawyer"):
            self.contract.with_user(self.kam_users["audit"]).action_signoff_buyers_lawyer()
        self.contract.buyer_lawyer_id = self.lawyer
        # three sign-offs by three people: the audit signer does not also record the lawyer's
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            self.contract.with_user(self.kam_users["audit"]).action_signoff_buyers_lawyer()
        second_auditor = new_test_user(
            self.env, login="kam_test_audit_2", name="KAM audit 2", groups="kam_management.group_kam_audit",
            company_id=self.env.company.id, company_ids=[self.env.company.id],
        )
        self.contract.with_user(second_auditor).action_signoff_buyers_lawyer()
        self.assertTrue(self.contract.buyers_verified)
        self.assertEqual(self.contract.buyer_audit_user_id, self.kam_users["audit"])
        for attempt in (
            lambda: buyer.write({"name": "Zhang San"}),
            lambda: buyer.unlink(),
            lambda: self._buyer(id_number=ID_2),
            lambda: self._import(f"姓名,身份证号\n王芳,{ID_3}".encode(), "more.csv"),
        ):
            with self.assertRaisesRegex(UserError, "verified and locked"):
                attempt()
        self.contract.action_open_selection()
        self.assertEqual(self.contract.state, "selection")

    def test_a_changed_list_loses_its_partial_sign_offs(self):
        self._buyer()
        self.contract.with_user(self.kam_users["audit"]).action_signoff_buyers_audit()
        self.assertTrue(self.contract.buyer_audit_date)
        self._buyer(id_number=ID_2, name="Li Na")
        self.assertFalse(self.contract.buyer_audit_date)

    def test_selection_opens_only_on_a_verified_list(self):
        self._buyer()
        with self.assertRaisesRegex(UserError, "after the buyer list is verified"):
            self.contract.action_open_selection()

    def test_id_numbers_are_hidden_from_sales_and_cost(self):
        buyer = self._buyer()
        for department in ("sales", "cost"):
            with self.subTest(department=department), self.assertRaises(AccessError):
                buyer.with_user(self.kam_users[department]).read(["name"])
        for department in ("finance", "audit", "executive", "user"):
            with self.subTest(department=department):
                self.assertEqual(buyer.with_user(self.kam_users[department]).read(["id_number"])[0]["id_number"], ID_1)
        with self.assertRaises(AccessError):
            buyer.with_user(self.kam_users["audit"]).write({"name": "Audit may not"})
