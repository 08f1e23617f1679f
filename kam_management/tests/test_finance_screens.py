import base64
import datetime
import hashlib

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import KamJsonRpcMixin
from .test_joint_account import (
    EMPLOYER_NUMBER,
    MARCH_1,
    MARCH_31,
    KamJointCommon,
    rows_with_balance,
    statement_file,
)


class KamFinanceScreensCommon(KamJointCommon):
    """A March with two receipts, their transfers and the employer's balance: a period that matches cleanly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.r1 = cls._register("R-1", 200_000.0, MARCH_1, 0)
        cls.r2 = cls._register("R-2", 100_000.0, MARCH_1, 1)

    def _import_march(self):
        self._import(
            statement_file(
                rows_with_balance(
                    [
                        ("2026-03-05", 200000.0, "江城供电局", EMPLOYER_NUMBER, "转 R-1", ""),
                        ("2026-03-06", 100000.0, "江城供电局", EMPLOYER_NUMBER, "R-2", ""),
                    ]
                )
            )
        )

    def _signed(self):
        """March matched, submitted by a finance director and signed off by another, through the buttons."""
        self._import_march()
        self._snapshot(0.0)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        reconciliation.action_submit()
        reconciliation.with_user(self.director).action_sign()
        return reconciliation

    def _choices(self, form, field_name):
        """What the field's drop-down offers on the form as it stands: its domain, evaluated as the browser
        does on the form's values, searched as the form's user."""
        info = form._view["fields"][field_name]
        domain = info.get("domain") or []
        if isinstance(domain, str):
            values = {
                name: form[name].id if form._view["fields"][name]["type"] == "many2one" else form[name]
                for name in form._view["fields"]
                if form._view["fields"][name]["type"] not in ("one2many", "many2many")
            }
            values.update(id=False, context={}, allowed_company_ids=form._env.companies.ids, uid=form._env.uid)
            domain = safe_eval(domain, values)
        return form._env[info["relation"]].search(domain)


@tagged("post_install", "-at_install")
class TestFinanceScreens(KamFinanceScreensCommon):
    """Issue 19: the screens finance works in open and accept input, as the form in the browser does."""

    def test_every_department_that_reads_contracts_opens_one(self):
        self.env["kam.negotiation.memo"].create({"contract_id": self.contract.id, "subject": "Price", "date": MARCH_1})
        for department in ("user", "manager", "finance", "finance_manager", "audit", "cost", "executive"):
            with self.subTest(department=department):
                form = Form(self.contract.with_user(self.kam_users[department]))
                self.assertEqual(form.name, self.contract.name)
                # the memos are shown to the departments that may read them, and left out for the others
                self.assertEqual("memo_ids" in form._view["fields"], department not in ("finance", "cost"))
                self.assertEqual("buyer_ids" in form._view["fields"], department != "cost")
        with self.assertRaises(AccessError):
            self.contract.with_user(self.finance).read(["memo_ids"])

    def test_finance_imports_a_statement_from_its_menu(self):
        action = self.env.ref("kam_management.action_kam_joint_statement_import")
        menu = self.env.ref("kam_management.menu_kam_finance_joint_import")
        self.assertEqual(menu.action, action)
        self.assertIn(self.env.ref("kam_management.group_kam_finance"), menu.group_ids)
        form = Form(self.env["account.statement.import"].with_user(self.finance), view=action.view_id)
        self.assertIn(self.journal, self._choices(form, "kam_journal_id"))
        form.kam_journal_id = self.journal
        form.statement_file = base64.b64encode(
            statement_file(rows_with_balance([("2026-03-05", 200000.0, "江城供电局", EMPLOYER_NUMBER, "R-1", "")]))
        )
        wizard = form.save()
        wizard.statement_filename = "march.csv"  # the file widget sends the name with the file
        result = wizard.import_file_button()
        self.assertIn("1 lines created", result["params"]["message"])
        self.assertEqual(len(self._lines()), 1)
        # the contract's button opens the same wizard on its joint account
        button = self.contract.with_user(self.finance).action_import_joint_statement()
        self.assertEqual(button["id"], action.id)
        wizard = Form(self.env["account.statement.import"].with_user(self.finance).with_context(button["context"]),
                      view=action.view_id)
        self.assertEqual(wizard.kam_journal_id, self.journal)

    def test_a_journal_that_is_not_a_joint_account_is_refused(self):
        wizard = self.env["account.statement.import"].with_user(self.finance).create(
            {"kam_journal_id": self.company_data["default_journal_bank"].id,
             "statement_file": base64.b64encode(statement_file([])), "statement_filename": "x.csv"}
        )
        with self.assertRaisesRegex(UserError, "joint account of your company"):
            wizard.import_file_button()
        self.assertFalse(self._lines())

    def test_a_joint_account_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other Developer"})
        project = self.env["kam.housing.project"].create({"name": "Elsewhere", "code": "EW", "company_id": other.id})
        journal = self.env["account.journal"].create(
            {"name": "Joint EW", "code": "JEW", "type": "bank", "company_id": other.id}
        )
        self.env["kam.housing.contract"].create(
            {"partner_id": self.employer.id, "project_id": project.id, "company_id": other.id,
             "joint_journal_id": journal.id}
        )
        self.assertTrue(journal.kam_is_joint)
        wizard = self.env["account.statement.import"].with_user(self.finance).create(
            {"kam_journal_id": journal.id, "statement_file": base64.b64encode(statement_file([])),
             "statement_filename": "x.csv"}
        )
        with self.assertRaisesRegex(UserError, "joint account of your company"):
            wizard.import_file_button()

    def test_a_new_reconciliation_is_filled_in_from_an_empty_form(self):
        self._import_march()
        form = Form(self.env["kam.joint.reconciliation"].with_user(self.finance))
        self.assertFalse(form.identity_holds)
        self.assertIn(self.contract, self._choices(form, "contract_id"))
        form.contract_id = self.contract
        form.date_from = MARCH_1
        form.date_to = MARCH_31
        reconciliation = form.save()
        reconciliation.action_match()
        self.assertEqual(reconciliation.match_state, "done")
        self.assertEqual(self.currency.compare_amounts(reconciliation.transfer_total, 300_000.0), 0)
        # the employer's balance, typed in its list, offers the contracts too
        balance = Form(self.env["kam.joint.balance.snapshot"].with_user(self.finance))
        self.assertIn(self.contract, self._choices(balance, "contract_id"))

    def test_finance_registers_a_receipt_from_an_empty_form(self):
        form = Form(self.env["kam.housing.receipt"].with_user(self.finance))
        self.assertIn(self.contract, self._choices(form, "contract_id"))
        form.contract_id = self.contract
        self.assertIn(self.buyers[2], self._choices(form, "buyer_id"))
        form.buyer_id = self.buyers[2]
        form.name = "R-3"
        form.amount = 50_000.0
        receipt = form.save()
        receipt.action_register()
        self.assertEqual(receipt.state, "registered")
        self.assertEqual(receipt.company_id, self.contract.company_id)
        self.assertEqual(receipt.registered_by_id, self.finance)


@tagged("post_install", "-at_install")
class TestSignedReport(KamFinanceScreensCommon):
    """Issue 19: the kept XLSX of a signed period is the one whose SHA-256 the form shows, whatever is clicked."""

    def test_the_kept_file_cannot_be_replaced_or_deleted(self):
        reconciliation = self._signed()
        kept = reconciliation.report_attachment_id
        for user in (self.director, self.preparer, self.finance, self.env.user):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
                    kept.with_user(user).write({"datas": base64.b64encode(b"another file")})
                with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
                    kept.with_user(user).unlink()
        self.assertEqual(hashlib.sha256(kept.raw).hexdigest(), reconciliation.report_sha256)
        # other attachments of the period are not kept files
        note = self.env["ir.attachment"].create(
            {"name": "letter.txt", "raw": b"x", "res_model": reconciliation._name, "res_id": reconciliation.id}
        )
        note.with_user(self.director).write({"name": "employer letter.txt"})
        note.with_user(self.director).unlink()

    def test_the_report_button_serves_the_kept_file_once_signed(self):
        reconciliation = self._signed()
        action = reconciliation.with_user(self.director).action_download_report()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/web/content/{reconciliation.report_attachment_id.id}?download=true")
        # the report itself (print menu, /report/xlsx URL) gives the same bytes, not a new rendering (which,
        # made a day later, would differ: the workbook records when it was created)
        with freeze_time(fields.Datetime.now() + datetime.timedelta(days=1)):
            content, _kind = self.env["ir.actions.report"].with_user(self.director)._render_xlsx(
                "kam_management.action_report_kam_joint_reconciliation_xlsx", reconciliation.ids, {}
            )
        self.assertEqual(hashlib.sha256(content).hexdigest(), reconciliation.report_sha256)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.kam_users["sales"])._render_xlsx(
                "kam_management.action_report_kam_joint_reconciliation_xlsx", reconciliation.ids, {}
            )

    def test_the_signed_report_shows_times_in_the_companys_zone_and_amounts_as_numbers(self):
        from io import BytesIO

        import openpyxl

        self.env.company.partner_id.tz = "Asia/Shanghai"
        reconciliation = self._signed()
        sheet = openpyxl.load_workbook(BytesIO(reconciliation.report_attachment_id.raw)).worksheets[0]
        rows = {row[0].value: row[1].value for row in sheet.iter_rows()}
        signed = reconciliation.signed_date  # UTC
        local = signed.replace(hour=(signed.hour + 8) % 24)
        self.assertEqual(rows["Signed Off On"][11:19], f"{local:%H:%M:%S}")
        self.assertTrue(rows["Signed Off On"].endswith("(Asia/Shanghai)"))
        for label in ("Receipts Registered", "Transfers Received", "Employer Account Balance", "Difference"):
            with self.subTest(label=label):
                self.assertIsInstance(rows[label], (int, float))
        self.assertEqual(self.currency.compare_amounts(rows["Receipts Registered"], 300_000.0), 0)

    def test_amounts_in_the_reports_texts_carry_no_stray_characters(self):
        from io import BytesIO

        import openpyxl

        self._import(statement_file(rows_with_balance([("2026-03-06", 99999.99, "江城供电局", EMPLOYER_NUMBER, "R-2", "")])))
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        mismatch = reconciliation.discrepancy_ids.filtered(lambda d: d.kind == "amount_mismatch")
        self.assertIn("\ufeff", mismatch.description)  # the screen's formatting of the negative difference
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "kam_management.action_report_kam_joint_reconciliation_xlsx", reconciliation.ids, {}
        )
        texts = [
            cell.value
            for sheet in openpyxl.load_workbook(BytesIO(content)).worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ]
        self.assertTrue(any("-0.01" in text for text in texts))
        self.assertFalse([text for text in texts if "\ufeff" in text or "\xa0" in text])

    def test_the_sign_off_links_to_the_journal_entries_it_posted(self):
        reconciliation = self._signed()
        self.assertEqual(reconciliation.journal_entry_count, 2)
        action = reconciliation.with_user(self.director).action_open_journal_entries()
        moves = self.env["account.move"].with_user(self.director).search(action["domain"])
        self.assertEqual(moves, self._lines().move_id)
        liability = moves.line_ids.filtered(lambda line: line.account_id == self.liability)
        self.assertEqual(self.currency.compare_amounts(sum(liability.mapped("credit")), 300_000.0), 0)


@tagged("post_install", "-at_install")
class TestApproversAreTold(KamFinanceScreensCommon):
    """Issue 19: whoever must act next has an activity; it goes once they (or someone else) acted."""

    def test_the_finance_directors_are_told_to_sign(self):
        sign_off = self.env.ref("kam_management.mail_activity_type_kam_sign_off")
        other_company = self.env["res.company"].create({"name": "Other Co"})
        elsewhere = new_test_user(
            self.env, login="kam_test_director_elsewhere", groups="kam_management.group_kam_finance_manager",
            company_id=other_company.id, company_ids=[other_company.id],
        )
        self._import_march()
        self._snapshot(0.0)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        reconciliation.action_submit()
        told = reconciliation.activity_ids.filtered(lambda a: a.activity_type_id == sign_off).user_id
        self.assertIn(self.director, told)
        self.assertNotIn(self.preparer, told)  # the preparer cannot sign
        self.assertNotIn(elsewhere, told)
        self.assertNotIn(self.finance, told)
        reconciliation.with_user(self.director).action_sign()
        self.assertFalse(reconciliation.activity_ids.filtered(lambda a: a.activity_type_id == sign_off))

    def test_the_sign_off_button_asks_for_confirmation(self):
        arch = self.env["kam.joint.reconciliation"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertRegex(arch, r'<button name="action_sign"[^>]* confirm="[^"]+"')

    def test_each_reviewer_is_told_in_turn(self):
        review = self.env.ref("kam_management.mail_activity_type_kam_review")
        self._create_chain("kam.housing.pricing", roles=("marketing_director", "finance_director"))
        contract = self._create_contract(state="contract")
        pricing = self.env["kam.housing.pricing"].create(self._pricing_vals(contract))
        pricing.request_validation()

        def told():
            return pricing.activity_ids.filtered(lambda a: a.activity_type_id == review).user_id

        self.assertEqual(told(), self.approvers["marketing_director"])
        pricing.with_user(self.approvers["marketing_director"]).validate_tier()
        self.assertEqual(told(), self.approvers["finance_director"])
        pricing.with_user(self.approvers["finance_director"]).validate_tier()
        self.assertFalse(told())


@tagged("post_install", "-at_install")
class TestSignedReportRpc(KamJsonRpcMixin, KamFinanceScreensCommon, HttpCase):
    """SEC6 over JSON-RPC: the director cannot replace the kept file through the attachment's own form."""

    def test_the_kept_file_is_not_written_over_json_rpc(self):
        self.director.password = "kam_director_pw"
        reconciliation = self._signed()
        kept = reconciliation.report_attachment_id
        self.authenticate(self.director.login, "kam_director_pw")
        for method, args in (
            ("write", [[kept.id], {"datas": base64.b64encode(b"forged").decode()}]),
            ("unlink", [[kept.id]]),
        ):
            with self.subTest(method=method):
                self._assert_refused(self._call("ir.attachment", method, args, context={"kam_freezing": True}),
                                     "cannot be changed or deleted")
        response = self.url_open(f"/web/content/{kept.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(hashlib.sha256(response.content).hexdigest(), reconciliation.report_sha256)


# the demo's contract, its selection order and its department users: the Chinese demo database only
@tagged("post_install", "-at_install", "kam_demo_db")
class TestFinanceDayTours(HttpCase):
    """Issue 19: finance's day and the director's sign-off, clicked through in the browser as the demo's users."""

    def _clerk_issues_the_next_ticket(self):
        """The clerk calls the next buyer of the demo's order, checks the ID and issues the ticket (the desk's
        own actions, as the clerk)."""
        clerk = self.env.ref("kam_management.user_kam_ticket_clerk")
        contract = self.env["kam.housing.contract"].search([("name", "=", "WJ2026-0001")])
        draw = contract.draw_ids.with_user(clerk)
        line = draw.line_ids.filtered(lambda line: not line.sudo().ticket_ids).sorted("position")[0]
        draw.action_call_next()
        buyer = line.sudo().buyer_id
        line.action_check_id(buyer.name, buyer.id_number)
        taken = self.env["kam.room.ticket"].sudo().search([("contract_id", "=", contract.id)]).unit_id
        unit = (contract.holding_ids.filtered(lambda h: h.state == "active").unit_id - taken).sorted("name")[0]
        ticket = self.env["kam.room.ticket"].with_user(clerk).create(
            {"contract_id": contract.id, "draw_line_id": line.id, "buyer_name": buyer.name,
             "id_number": buyer.id_number, "unit_id": unit.id, "payment_ratio": 100.0, "deposit_amount": 0.0}
        )
        ticket.action_issue()
        ticket.write({"signed_copy": base64.b64encode(b"%PDF-1.4 signed ticket"), "signed_copy_name": "签字联.pdf"})
        return ticket

    def test_finance_day_then_the_directors_sign_off(self):
        finance = self.env.ref("kam_management.user_kam_finance")
        director = self.env.ref("kam_management.user_kam_finance_manager")
        ticket = self._clerk_issues_the_next_ticket()
        self.assertEqual(ticket.buyer_name, "朱娟")  # the buyer the tour looks for
        self.start_tour("/odoo/action-kam_management.action_kam_room_ticket_review", "kam_finance_day",
                        login="kam_finance")
        self.assertEqual((ticket.state, ticket.reviewed_by_id), ("vouchered", finance))
        receipt = self.env["kam.housing.receipt"].search([("name", "=", "WJB-0004")])
        self.assertEqual((receipt.state, receipt.registered_by_id), ("registered", finance))
        reconciliation = self.env["kam.joint.reconciliation"].search([("prepared_by_id", "=", finance.id)])
        self.assertEqual(reconciliation.state, "submitted")
        self.assertFalse(reconciliation.open_discrepancy_count)
        self.assertEqual(reconciliation.allocation_ids.receipt_id.mapped("name"), ["WJB-0001"])
        sign_off = self.env.ref("kam_management.mail_activity_type_kam_sign_off")
        self.assertIn(director, reconciliation.activity_ids.filtered(lambda a: a.activity_type_id == sign_off).user_id)

        self.start_tour(f"/odoo/action-kam_management.action_kam_joint_reconciliation/{reconciliation.id}",
                        "kam_finance_director_sign", login="kam_finance_manager")
        self.assertEqual((reconciliation.state, reconciliation.signed_by_id), ("signed", director))
        # the director downloads the kept report: the file whose SHA-256 the form shows
        self.authenticate("kam_finance_manager", "kam_finance_manager")
        url = reconciliation.with_user(director).action_download_report()["url"]
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        self.assertEqual(hashlib.sha256(response.content).hexdigest(), reconciliation.report_sha256)
