import base64
import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .desk_common import BUYERS, RECOVERED, SIGNED, KamDeskCommon

# where the prints' PNGs are kept for a look (not in the repository); the test only writes when it exists
PRINTS_DIR = os.environ.get("KAM_PRINTS_DIR", "/work/wt/screens/prints")
# pdftotext reads some glyphs of Noto Sans CJK back as Kangxi radicals (⼯ for 工, ⼾ for 户): NFKC folds them,
# 戶 (what ⼾ folds to) is the traditional form of 户, which a simplified print never uses; NFKC also folds
# full-width punctuation (（） to ()), and Odoo puts a zero-width space after a minus sign
RADICAL_FOLDS = str.maketrans({"戶": "户"})


def plain_text(text):
    text = unicodedata.normalize("NFKC", text).translate(RADICAL_FOLDS).replace("\u200b", "")
    radicals = {char for char in text if "\u2e80" <= char <= "\u2fdf"}
    assert not radicals, f"unfolded CJK radicals in the PDF text: {radicals}"
    return text


class KamDeskScreenCommon(KamDeskCommon):
    """The notary's order of the desk fixtures: 1 Zhang Wei, 2 Li Na, 3 Wang Fang, 4 Liu Yang."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        buffer = io.StringIO()
        csv.writer(buffer).writerows([("position", "id_number"), *[(i, n) for i, (_name, n) in enumerate(BUYERS, 1)]])
        cls.draw = cls.env["kam.selection.draw"].with_user(cls.clerk).create(
            {
                "contract_id": cls.contract.id,
                "method": "notary",
                "notary_reference": "(2026) Jiang Notary No. 118",
                "notary_file": base64.b64encode(buffer.getvalue().encode()),
                "notary_filename": "order.csv",
            }
        )
        cls.draw.action_import_notary_order()
        cls.staff = cls.kam_users["user"]

    def _register_receipt(self, number, amount, buyer_line):
        receipt = self.env["kam.housing.receipt"].with_user(self.staff).create(
            {"name": number, "contract_id": self.contract.id, "buyer_id": buyer_line.sudo().buyer_id.id,
             "amount": amount, "kind": "house"}
        )
        receipt.with_user(self.finance).action_register()  # staff prepare, finance registers
        return receipt


@tagged("post_install", "-at_install")
class TestSelectionDeskScreen(KamDeskScreenCommon):
    def test_the_desk_follows_a_buyer_from_the_call_to_the_voucher(self):
        desk = self.draw.with_user(self.clerk)
        self.assertEqual(desk.next_line_id.buyer_name, "Zhang Wei")
        self.assertFalse(desk.current_line_id)
        self.assertEqual(
            (desk.desk_called_count, desk.desk_ticket_count, desk.desk_voucher_count, desk.desk_remaining_count),
            (0, 0, 0, 4),
        )
        with self.assertRaisesRegex(UserError, "Call the next buyer first"):
            desk.action_desk_open_ticket()
        check = desk.action_call_next()
        self.assertEqual(check["res_model"], "kam.desk.id.check")
        desk.invalidate_recordset()
        line = desk.current_line_id
        self.assertEqual((line.position, line.buyer_name), (1, "Zhang Wei"))
        self.assertEqual(desk.next_line_id.buyer_name, "Li Na")
        with self.assertRaisesRegex(UserError, "Check the buyer's ID card"):
            desk.action_desk_open_ticket()
        wizard = self.env["kam.desk.id.check"].with_user(self.clerk).create(
            {"line_id": line.id, "name": BUYERS[0][0], "id_number": BUYERS[0][1].lower()}
        )
        form = wizard.action_check()
        self.assertEqual(form["context"]["default_buyer_name"], "Zhang Wei")
        self.assertEqual(form["context"]["default_id_number"], BUYERS[0][1])
        self.assertEqual(form["context"]["default_draw_line_id"], line.id)
        self.assertEqual(desk.action_desk_open_ticket()["context"], form["context"])
        ticket = self.Ticket.with_user(self.clerk).with_context(form["context"]).create(
            {"unit_id": self.units[0].id, "deposit_amount": 20_000.0}
        )
        ticket.action_issue()
        ticket.signed_copy = SIGNED
        desk.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual(desk.action_desk_open_ticket()["res_id"], ticket.id, "the desk opens the issued ticket")
        self.assertEqual(self.draw.with_user(self.finance).action_desk_open_ticket()["res_id"], ticket.id,
                         "finance opens it from the desk to review it")
        self.assertEqual(line.desk_ticket_state, "issued")
        self.assertEqual(line.desk_amount_due, 300_000.0)
        self.assertEqual((desk.desk_called_count, desk.desk_ticket_count, desk.desk_voucher_count), (1, 1, 0))
        ticket.with_user(self.finance).action_review()
        self._register_receipt("WJB-0001", 200_000.0, line)
        line.invalidate_recordset()
        self.assertEqual(line.desk_amount_received, 200_000.0)
        self.assertFalse(line.desk_voucher_name)
        self._register_receipt("WJB-0002", 100_000.0, line)
        desk.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual(line.desk_ticket_state, "vouchered")
        self.assertEqual(line.desk_voucher_name, ticket.voucher_id.name)
        self.assertTrue(line.desk_voucher_name)
        self.assertEqual(
            (desk.desk_called_count, desk.desk_ticket_count, desk.desk_voucher_count, desk.desk_remaining_count),
            (1, 1, 1, 3),
        )

    def test_the_desk_masks_ids_and_sales_see_no_desk(self):
        line = self.draw.line_ids.sorted("position")[0]
        self.assertEqual(line.with_user(self.clerk).id_number_masked, BUYERS[0][1][:6] + "********" + BUYERS[0][1][-4:])
        self.assertEqual(self.draw.with_user(self.finance).next_id_number_masked, line.id_number_masked)
        sales = self.kam_users["sales"]
        with self.assertRaises(AccessError):
            self.draw.with_user(sales).read(["next_position"])
        with self.assertRaises(AccessError):
            line.with_user(sales).read(["buyer_name"])
        # finance watches the desk but does not call buyers nor start tickets
        with self.assertRaises(UserError):
            self.draw.with_user(self.finance).action_call_next()
        self.draw.with_user(self.clerk).action_call_next()
        line.with_user(self.clerk).action_check_id(*BUYERS[0])
        with self.assertRaises(UserError):
            line.with_user(self.finance).action_desk_open_ticket()

    def test_the_clerk_lands_on_the_open_draw(self):
        action = self.env["kam.selection.draw"].with_user(self.clerk)._kam_desk_action()
        self.assertEqual(action["res_model"], "kam.selection.draw")
        self.assertEqual(action["res_id"], self.draw.id)
        self.assertEqual(action["views"][0][1], "form")
        # the sales user of the same company has no desk at all
        with self.assertRaises(AccessError):
            self.env["kam.selection.draw"].with_user(self.kam_users["sales"])._kam_desk_action()

    def test_the_desk_reads_its_page_of_buyers_in_batches(self):
        desk = self.draw.with_user(self.clerk)
        desk.action_call_next()
        self._register_receipt("WJB-0009", 1_000.0, desk.line_ids[0])

        fields = (
            "position", "buyer_name", "id_number_masked", "id_check_result", "desk_ticket_id", "desk_ticket_state",
            "desk_amount_due", "desk_amount_received", "desk_voucher_name",
        )

        self.assertEqual(len(desk.line_ids), 4)
        self.env.invalidate_all()
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            desk.web_read({
                "desk_called_count": {}, "desk_ticket_count": {}, "desk_remaining_count": {}, "next_position": {},
                "line_ids": {"fields": {name: {} for name in fields}, "limit": 4, "order": "position"},
            })
        # the buyer at the desk is computed on its own, the page of buyers in one batch: two look-ups of each
        # kind for the page of four, where one per buyer would be four
        for table in ("kam_room_ticket", "kam_housing_receipt"):
            with self.subTest(table=table):
                self.assertLessEqual(sum(f'FROM "{table}"' in line for line in logs.output), 2)


@tagged("post_install", "-at_install")
class TestSelectionDeskTour(KamDeskScreenCommon, HttpCase):
    def test_call_ticket_review_receipt_voucher_in_the_browser(self):
        desk_home = self.env.ref("kam_management.action_kam_selection_desk")
        self.clerk.action_id = desk_home.id  # the ticket clerks' home, as for the demo clerk
        self.start_tour("/odoo", "kam_selection_desk_clerk", login=self.clerk.login)
        ticket = self.Ticket.search([("draw_line_id.draw_id", "=", self.draw.id)])
        self.assertEqual(ticket.state, "issued")
        self.assertEqual((ticket.issued_by_id, ticket.unit_id, ticket.amount_total), (self.clerk, self.units[0], 600_000.0))
        self.assertTrue(ticket.signed_copy)
        self.start_tour(
            "/odoo/action-kam_management.action_kam_room_ticket_review", "kam_selection_desk_finance",
            login=self.finance.login,
        )
        self.assertEqual(ticket.reviewed_by_id, self.finance)
        self.assertEqual(ticket.state, "vouchered")
        voucher = ticket.voucher_id
        self.assertTrue(voucher.automatic)
        self.assertEqual(voucher.amount, 300_000.0)
        receipt = self.env["kam.housing.receipt"].search([("contract_id", "=", self.contract.id)])
        self.assertEqual((receipt.name, receipt.state, receipt.registered_by_id), ("WJB-0001", "registered", self.finance))


@tagged("post_install", "-at_install")
class TestDeskPdfPrints(KamDeskScreenCommon, HttpCase):
    """UX3: the prints rendered by wkhtmltopdf (not Odoo's HTML fallback of test mode), read back as text.
    An HttpCase: wkhtmltopdf fetches the report's assets from the test server, in the test's transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["kam_management"], ["zh_CN"])

    def setUp(self):
        super().setUp()
        if not (shutil.which("pdftotext") and shutil.which("wkhtmltopdf")):
            self.skipTest("needs wkhtmltopdf and poppler-utils (tools/lib.sh ensure_test_system_packages)")

    def _paid_ticket(self):
        line = self.draw.line_ids.sorted("position")[0]
        self.draw.with_user(self.clerk).action_call_next()
        line.with_user(self.clerk).action_check_id(*BUYERS[0])
        ticket = self._reviewed(buyer=0, unit=self.units[0], draw_line_id=line.id)
        self._register_receipt("WJB-0001", 300_000.0, line)
        self.assertEqual(ticket.state, "vouchered")
        return ticket

    def _pdf(self, report, records, name):
        pdf, kind = (
            self.env["ir.actions.report"].with_context(lang="zh_CN", force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf rendered the print")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, f"{name}.pdf")
            with open(path, "wb") as file:
                file.write(pdf)
            info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
            pages = []
            count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
            for page in range(1, count + 1):
                pages.append(plain_text(subprocess.run(
                    ["pdftotext", "-layout", "-f", str(page), "-l", str(page), path, "-"],
                    capture_output=True, text=True, check=True,
                ).stdout))
            if os.path.isdir(PRINTS_DIR):  # a look at the prints (UX3), outside the repository
                subprocess.run(["pdftoppm", "-r", "80", "-png", path, os.path.join(PRINTS_DIR, name)], check=False)
        return info, pages

    def _assert_a5_landscape(self, info):
        size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
        width, height = float(size[2]), float(size[4])
        self.assertAlmostEqual(width, 595, delta=3, msg="A5 landscape is 210 mm wide (595 pt)")
        self.assertAlmostEqual(height, 420, delta=3, msg="and 148 mm high (420 pt)")

    def test_ticket_prints_four_labelled_copies_one_per_page(self):
        ticket = self._paid_ticket()
        info, pages = self._pdf("kam_management.action_report_kam_room_ticket", ticket, "ticket")
        self._assert_a5_landscape(info)
        self.assertEqual(len(pages), 4)
        for page, label in zip(pages, ("存根联", "客户联", "大客户部联", "财务部留存联"), strict=True):
            with self.subTest(copy=label):
                self.assertIn(label, page)
                self.assertIn(ticket.name, page)
                self.assertIn("选房工作票", page)
                self.assertIn("600,000.00", page)
                self.assertIn("陆拾万元整", page)
                self.assertIn("300,000.00", page)
                self.assertIn("叁拾万元整", page)

    def test_voucher_and_red_voucher_print_three_copies_with_the_reviewer_on_the_finance_copy(self):
        ticket = self._paid_ticket()
        voucher = ticket.voucher_id
        info, pages = self._pdf("kam_management.action_report_kam_room_voucher", voucher, "voucher")
        self._assert_a5_landscape(info)
        self.assertEqual(len(pages), 3)
        for page, label in zip(pages, ("存根联", "客户联", "财务部留存联"), strict=True):
            with self.subTest(copy=label):
                self.assertIn(label, page)
                self.assertIn(voucher.name, page)
                self.assertIn("300,000.00", page)
                self.assertIn("叁拾万元整", page)
                self.assertNotIn("红字", page)
        self.assertNotIn(self.finance.name, pages[0] + pages[1])
        self.assertIn(self.finance.name, pages[2], "the reviewer signs the finance copy")
        # top-up to 100 %: the voucher is reversed by a red voucher of its own number
        with self._receipts(600_000.0):
            ticket.with_user(self.clerk).action_top_up(100.0, RECOVERED, "recovered.pdf")
        red = voucher.reversal_id
        self.assertTrue(red.is_red)
        info, pages = self._pdf("kam_management.action_report_kam_room_voucher", red, "red_voucher")
        self.assertEqual(len(pages), 3)
        for page in pages:
            self.assertIn(plain_text("选房凭证（红字）"), page)
            self.assertIn(red.name, page)
            self.assertIn(voucher.name, page, "the red voucher names the voucher it reverses")
            self.assertRegex(page, r"[-\u2212]\s*300,000\.00")
            self.assertIn("负叁拾万元整", page)

    def test_prints_carry_the_finance_office_heading_and_sign_off(self):
        """Issue 19: company and project, the employer, the buyer's ID masked as the desk shows it, the 经办 /
        复核 / 收款人 lines, a seal box and the print time in the company's time zone (not the user's)."""
        self.env.company.partner_id.tz = "Asia/Shanghai"
        self.env.user.tz = "Europe/Brussels"
        ticket = self._paid_ticket()
        masked = BUYERS[0][1][:6] + "********" + BUYERS[0][1][-4:]
        before = self.env.company._kam_local_now().strftime("%Y-%m-%d %H:%M")
        _info, ticket_pages = self._pdf("kam_management.action_report_kam_room_ticket", ticket, "ticket_signoff")
        _info, voucher_pages = self._pdf("kam_management.action_report_kam_room_voucher", ticket.voucher_id, "voucher_signoff")
        after = self.env.company._kam_local_now().strftime("%Y-%m-%d %H:%M")
        for page in ticket_pages + voucher_pages:
            with self.subTest(page=page[:60]):
                self.assertIn(plain_text(self.env.company.name), page)
                self.assertRegex(page, plain_text("项目：") + r"\s*" + self.project.name)
                self.assertIn(plain_text("委建单位"), page)
                self.assertIn(self.employer.name, page)
                self.assertIn(masked, page)
                self.assertNotIn(BUYERS[0][1], page, "the full ID number is never printed")
                for label in ("经办：", "复核：", "收款人：", "单位盖章"):
                    self.assertIn(plain_text(label), page)
                printed = re.search(plain_text("打印时间：") + r"\s*(\d{4}-\d\d-\d\d \d\d:\d\d) \((\S+)\)", page)
                self.assertTrue(printed, "the print time")
                self.assertIn(printed.group(1), {before, after})
                self.assertEqual(printed.group(2), "Asia/Shanghai")
        self.assertIn(plain_text("购房人签字："), ticket_pages[1], "the buyer signs the customer copy of the ticket")
        self.assertIn(f"{plain_text('经办：')} {self.clerk.name}", re.sub(r"\s+", " ", ticket_pages[0]))
        self.assertIn(f"{plain_text('复核：')} {self.finance.name}", re.sub(r"\s+", " ", ticket_pages[0]))
