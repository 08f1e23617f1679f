import base64
import datetime
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_amount

from .housing_common import KamHousingCommon, make_resident_id

JOINT_NUMBER = "6222 0000 3333 4444"
EMPLOYER_NUMBER = "6222000011112222"  # the fixture's employer special account
MARCH_1 = datetime.date(2026, 3, 1)
MARCH_31 = datetime.date(2026, 3, 31)
HEADER = "交易日期,收入,支出,余额,对方户名,对方账号,摘要,流水号"
D = datetime.date


def statement_file(rows, account=JOINT_NUMBER, encoding="utf-8"):
    """A bank export: account number, account name, header (row 3), then ``rows`` from row 4."""
    lines = [f"账号：{account}", "户名：江城房地产开发有限公司", HEADER, *rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def rows_with_balance(entries, start=0.0):
    """CSV rows (date, amount, counterparty, account, memo, serial) with a continuous running balance."""
    balance = start
    rows = []
    for date, amount, name, account, memo, serial in entries:
        balance = round(balance + amount, 2)
        credit, debit = (f"{amount:.2f}", "") if amount > 0 else ("", f"{-amount:.2f}")
        rows.append(f"{date},{credit},{debit},{balance:.2f},{name},{account},{memo},{serial}")
    return rows


class KamJointCommon(KamHousingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.liability = cls.env["account.account"].create(
            {"name": "Entrusted Loans", "code": "224101", "account_type": "liability_current"}
        )
        company.kam_joint_account_liability_account_id = cls.liability
        cls.finance = cls.kam_users["finance"]
        cls.director = cls.approvers["finance_director"]
        cls.preparer = new_test_user(
            cls.env, login="kam_test_preparer", name="Preparer", groups="kam_management.group_kam_finance_manager",
            company_id=company.id, company_ids=[company.id],
        )
        # finance opens the joint account before the contract is signed (the signature needs it)
        cls.contract = cls._create_contract(
            state="selection", joint_journal_id=False, joint_account_number=JOINT_NUMBER, transfer_term_days=30,
            prepare=lambda contract: contract.with_user(cls.finance).action_create_joint_journal(),
        )
        cls.journal = cls.contract.joint_journal_id
        cls.buyers = cls.env["kam.housing.buyer"].create(
            [
                {"contract_id": cls.contract.id, "name": name, "id_number": make_resident_id("110101", D(1980 + i, 1, 1), i)}
                for i, name in enumerate(("张喆", "李四", "王五", "赵六"), start=1)
            ]
        )

    @classmethod
    def _register(cls, number, amount, date, buyer_index=0):
        receipt = cls.env["kam.housing.receipt"].create(
            {"name": number, "contract_id": cls.contract.id, "buyer_id": cls.buyers[buyer_index].id, "amount": amount, "date": date}
        )
        receipt.action_register()
        return receipt

    def _import(self, content, filename="statement.csv", user=None, lang=None):
        wizard = (
            self.env["account.statement.import"]
            .with_user(user or self.finance)
            .with_context(journal_id=self.journal.id, **({"lang": lang} if lang else {}))
            .create({"statement_file": base64.b64encode(content), "statement_filename": filename})
        )
        return wizard._import_file()

    def _lines(self):
        return self.env["account.bank.statement.line"].search([("journal_id", "=", self.journal.id)], order="date, id")

    def _reconciliation(self, date_from=MARCH_1, date_to=MARCH_31, user=None):
        return self.env["kam.joint.reconciliation"].with_user(user or self.preparer).create(
            {"contract_id": self.contract.id, "date_from": date_from, "date_to": date_to}
        )

    def _snapshot(self, balance, date=MARCH_31):
        return self.env["kam.joint.balance.snapshot"].with_user(self.finance).create(
            {"contract_id": self.contract.id, "date": date, "balance": balance, "source": "bank_query"}
        )


@tagged("post_install", "-at_install")
class TestJointJournal(KamJointCommon):
    def test_joint_journal_created_from_the_contract(self):
        journal = self.journal
        self.assertEqual(journal.type, "bank")
        self.assertTrue(journal.kam_is_joint)
        self.assertEqual(journal.bank_account_id.partner_id, self.env.company.partner_id)
        self.assertEqual(journal.bank_account_id.sanitized_acc_number, "6222000033334444")
        self.assertEqual(journal.suspense_account_id, self.env.company.account_journal_suspense_account_id)
        self.assertTrue(journal.suspense_account_id)
        with self.assertRaises(UserError):
            self.contract.with_user(self.finance).action_create_joint_journal()
        # a second contract on the same account number links the existing journal
        other = self._create_contract(state="draft", joint_journal_id=False, joint_account_number="6222000033334444")
        with self.assertRaises(AccessError):
            other.with_user(self.kam_users["user"]).action_create_joint_journal()
        other.with_user(self.finance).action_create_joint_journal()
        self.assertEqual(other.joint_journal_id, journal)

    def test_closing_the_contract_takes_the_journal_off_the_dashboard(self):
        self.assertTrue(self.journal.show_on_dashboard)
        # a contract closes only with its selection annex re-checked by audit and sealed (HS13)
        annex = self.env["kam.selection.annex"].create(
            {"contract_id": self.contract.id, "stamped_scan": base64.b64encode(b"%PDF scan"),
             "list_file": base64.b64encode(b"id_number,unit\n")}
        )
        annex.with_user(self.kam_users["audit"]).action_recheck()
        annex.action_seal()
        self.contract.action_close()
        self.assertFalse(self.journal.show_on_dashboard)

    def test_income_is_never_posted_on_a_joint_journal(self):
        income = self.company_data["default_account_revenue"]
        move = self.env["account.move"].create(
            {
                "journal_id": self.journal.id,
                "line_ids": [
                    Command.create({"account_id": self.journal.default_account_id.id, "debit": 100.0}),
                    Command.create({"account_id": income.id, "credit": 100.0}),
                ],
            }
        )
        with self.assertRaises(UserError):
            move.action_post()
        self.assertEqual(move.state, "draft")
        # nor by editing an imported line's counterpart into income
        self._import(statement_file(rows_with_balance([("2026-03-02", 500.0, "江城供电局", EMPLOYER_NUMBER, "R-1", "S1")])))
        line = self._lines()
        suspense = line.move_id.line_ids.filtered(lambda ml: ml.account_id == self.journal.suspense_account_id)
        with self.assertRaises(ValidationError):
            line.move_id.with_context(skip_readonly_check=True).write(
                {"line_ids": [Command.update(suspense.id, {"account_id": income.id})]}
            )
        # a sales journal keeps posting income as usual
        self.init_invoice("out_invoice", amounts=[100.0], post=True)

    def test_liability_account_from_settings_else_the_chinese_chart(self):
        company = self.env.company
        self.assertEqual(company._kam_joint_liability_account(), self.liability)
        company.kam_joint_account_liability_account_id = False
        with self.assertRaises(UserError):
            company._kam_joint_liability_account()
        other_payables = self.env["account.account"].create(
            {"name": "其他应付款", "code": "2241", "account_type": "liability_current"}
        )
        company.chart_template = "cn"  # as l10n_cn sets it; the module does not depend on l10n_cn
        self.assertEqual(company._kam_joint_liability_account(), other_payables)

    def test_balance_snapshots_are_finance_evidence(self):
        snapshot = self._snapshot(1234.56)
        self.assertEqual(snapshot.recorded_by_id, self.finance)
        with self.assertRaises(UserError):
            snapshot.with_user(self.finance).write({"balance": 1.0})
        with self.assertRaises(UserError):
            snapshot.with_user(self.finance).unlink()
        forged = self.env["kam.joint.balance.snapshot"].with_user(self.finance).create(
            {"contract_id": self.contract.id, "balance": 5.0, "recorded_by_id": self.kam_users["audit"].id}
        )
        self.assertEqual(forged.recorded_by_id, self.finance)
        for department in ("user", "sales"):
            with self.assertRaises(AccessError):
                snapshot.with_user(self.kam_users[department]).read(["balance"])


@tagged("post_install", "-at_install")
class TestJointStatementImport(KamJointCommon):
    ENTRIES = [
        ("2026-03-02", 200000.0, "江城供电局", EMPLOYER_NUMBER, "R-1", ""),
        ("2026-03-03", 100000.0, "江城供电局", EMPLOYER_NUMBER, "R-2", ""),
        ("2026-03-04", -35.5, "手续费", "", "fee", ""),
        ("2026-03-05", 50000.0, "江城供电局", EMPLOYER_NUMBER, "R-3", ""),
    ]

    def test_same_file_twice_creates_nothing_the_second_time(self):
        content = statement_file(rows_with_balance(self.ENTRIES))
        result = self._import(content)
        lines = self._lines()
        self.assertEqual(len(lines), 4)
        self.assertEqual(self.currency.compare_amounts(lines[2].amount, -35.5), 0)
        self.assertEqual(lines[0].partner_name, "江城供电局")
        self.assertIn("4 lines created, 0 already", result["notifications"][0])
        again = self._import(content)
        self.assertEqual(len(self._lines()), 4)
        self.assertIn("0 lines created, 4 already", again["notifications"][0])
        logs = self.env["kam.joint.import.log"].search([("journal_id", "=", self.journal.id)], order="id")
        self.assertEqual(logs.mapped("created_count"), [4, 0])
        self.assertEqual(logs.mapped("skipped_count"), [0, 4])
        self.assertEqual(logs.user_id, self.finance)
        self.assertEqual(len(set(logs.mapped("file_sha256"))), 1)

    def test_the_lines_creation_takes_the_journal_lock_once_not_once_a_line(self):
        # Odoo writes each new entry once more while creating the lines: under the lock the creation took first,
        # those writes do not take it again; after the call, a change of a line takes it as before
        Journal = type(self.env["account.journal"])
        original = Journal._kam_lock
        with patch.object(Journal, "_kam_lock", autospec=True, side_effect=original) as lock:
            self._import(statement_file(rows_with_balance(self.ENTRIES)))
            self.assertEqual(len(self._lines()), 4)
            self.assertEqual(lock.call_count, 2, "the import's lock, then the creation's: not one a line")
            self._lines()[0].sudo().write({"payment_ref": "R-1 corrected"})
            self.assertGreater(lock.call_count, 2, "the mark of the held lock ends with the creation")

    def test_overlapping_file_adds_only_the_new_lines(self):
        self._import(statement_file(rows_with_balance(self.ENTRIES[:3])))
        overlapping = rows_with_balance(self.ENTRIES)[1:]  # rows 2-4 of the full file: 2 known, 1 new
        self._import(statement_file(overlapping))
        lines = self._lines()
        self.assertEqual(len(lines), 4)
        self.assertEqual(self.currency.compare_amounts(lines[-1].amount, 50000.0), 0)

    def test_new_lines_are_created_in_batches_on_one_complete_statement(self):
        from odoo.addons.kam_management.models import kam_joint_import_log as module

        self._import(statement_file(rows_with_balance(self.ENTRIES[:1])))
        with patch.object(module, "LINE_BATCH", 2):
            result = self._import(statement_file(rows_with_balance(self.ENTRIES)))  # 1 known, 3 new: 2 batches
        self.assertIn("3 lines created, 1 already", result["notifications"][0])
        lines = self._lines()
        self.assertEqual(len(lines), 4)
        statement = lines[1:].statement_id
        self.assertEqual(len(statement), 1)
        self.assertEqual(sorted(statement.line_ids.mapped("payment_ref")), ["R-2", "R-3", "fee"])
        cmp = self.currency.compare_amounts
        self.assertEqual(cmp(statement.balance_start, 200_000.0), 0, "the known line counts in the opening balance")
        self.assertEqual(cmp(statement.balance_end_real, 349_964.5), 0)
        self.assertTrue(statement.is_complete, "the lines add up from the opening to the closing balance")

    def test_bad_rows_refuse_the_whole_file_and_are_all_named(self):
        entries = [(f"2026-03-{day:02d}", 10.0, "江城供电局", EMPLOYER_NUMBER, f"m{day}", f"S{day}") for day in range(1, 12)]
        rows = rows_with_balance(entries)
        rows[3] = rows[3].replace(",10.00,", ",10.0O,", 1)  # row 7: a letter O in the amount
        rows[8] = rows[8].replace("2026-03-09", "2026-03-32")  # row 12: no such date
        with self.assertRaises(UserError) as caught:
            self._import(statement_file(rows))
        message = str(caught.exception)
        self.assertIn("row 7", message)
        self.assertIn("row 12", message)
        self.assertIn("10.0O", message)
        self.assertFalse(self._lines())
        self.assertFalse(self.env["kam.joint.import.log"].search([("journal_id", "=", self.journal.id)]))

    def test_a_broken_running_balance_is_named_with_formatted_amounts(self):
        rows = rows_with_balance(self.ENTRIES)
        rows[1] = rows[1].replace(",300000.00,", ",300100.00,")  # row 5: 100 too much
        self.env["res.lang"]._activate_lang("zh_CN")  # a plain database has only English
        for lang, words in (("en_US", "expected"), ("zh_CN", "余额")):
            with self.assertRaises(UserError) as caught:
                self._import(statement_file(rows), lang=lang)
            message = str(caught.exception)
            self.assertIn(words, message)
            for amount in (300_100.0, 300_000.0):
                self.assertIn(format_amount(self.env(context={"lang": lang}), amount, self.currency), message)
            self.assertIn("300,100.00", message)
        self.assertFalse(self._lines())

    def test_gbk_file_with_a_rare_character_imports(self):
        content = statement_file(rows_with_balance([("2026-03-02", 8888.88, "张喆", "6222123", "R-喆", "")]), encoding="gbk")
        self._import(content)
        line = self._lines()
        self.assertEqual(line.partner_name, "张喆")
        self.assertEqual(line.payment_ref, "R-喆")

    def test_xlsx_file_imports(self):
        import io

        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["账号", JOINT_NUMBER])
        sheet.append(HEADER.split(","))
        sheet.append([datetime.datetime(2026, 3, 2, 10, 0), 1000.1, None, 1000.1, "江城供电局", EMPLOYER_NUMBER, "R-1", "X1"])
        buffer = io.BytesIO()
        book.save(buffer)
        self._import(buffer.getvalue(), "statement.xlsx")
        self.assertEqual(self.currency.compare_amounts(self._lines().amount, 1000.1), 0)

    def test_another_accounts_file_is_refused(self):
        with self.assertRaises(UserError) as caught:
            self._import(statement_file(rows_with_balance(self.ENTRIES), account="6222 9999 9999 9999"))
        self.assertIn("622299999999", str(caught.exception).replace(" ", ""))
        self.assertFalse(self._lines())

    def test_only_finance_imports_and_reads_bank_lines(self):
        content = statement_file(rows_with_balance(self.ENTRIES))
        with self.assertRaises(AccessError):
            self._import(content, user=self.kam_users["user"])
        self._import(content)
        for department in ("user", "sales", "manager"):
            with self.assertRaises(AccessError):
                self._lines().with_user(self.kam_users[department]).read(["amount"])
        self._lines().with_user(self.kam_users["audit"]).read(["amount"])


@tagged("post_install", "-at_install")
class TestJointQueuedImport(KamJointCommon):
    """AC3: a file too big for a click is checked whole in it, then its lines are created by the import job.

    Here a file of more than 2 lines is big (``SYNC_LIMIT``) and the job creates 3 lines a step (``LINE_BATCH``).
    """

    ENTRIES = TestJointStatementImport.ENTRIES

    def setUp(self):
        super().setUp()
        from odoo.addons.kam_management.models import account_statement_import, kam_joint_import_log

        for patcher in (
            patch.object(account_statement_import, "SYNC_LIMIT", 2),
            patch.object(kam_joint_import_log, "LINE_BATCH", 3),
        ):
            patcher.start()
            self.addCleanup(patcher.stop)

    def _run_job(self, time_left=lambda step: float("inf")):
        """Run the cron method with ``_commit_progress`` observed (processed, remaining) instead of committing."""
        steps = []

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            steps.append((processed, remaining))
            return time_left(len(steps))

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            self.env["kam.joint.import.log"]._cron_import_statements()
        return steps

    def _logs(self):
        return self.env["kam.joint.import.log"].with_user(self.finance).search([("journal_id", "=", self.journal.id)], order="id")

    def test_a_big_file_is_queued_and_the_job_creates_each_line_once(self):
        content = statement_file(rows_with_balance(self.ENTRIES))
        cron = self.env.ref("kam_management.ir_cron_kam_joint_import")
        self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
        result = self._import(content)
        self.assertIn("4 lines are checked and queued", result["notifications"][0])
        self.assertFalse(self._lines(), "the click creates no line of a big file")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), "the job is triggered")
        log = self._logs()
        self.assertEqual((log.state, log.line_count, log.created_count, log.pending_count), ("queued", 4, 0, 4))
        self._import(content)  # the same file again while the first one waits
        steps = self._run_job()
        self.assertEqual(steps, [(0, 8), (3, None), (1, None), (3, None), (1, None)], "one commit per batch")
        logs = self._logs()
        self.assertEqual(logs.mapped("state"), ["done", "done"])
        self.assertEqual(logs.mapped("created_count"), [4, 0])
        self.assertEqual(logs.mapped("skipped_count"), [0, 4])
        self.assertEqual(logs.mapped("pending_count"), [0, 0])
        lines = self._lines()
        self.assertEqual(len(lines), 4, "each line once")
        self.assertEqual(set(lines.move_id.mapped("state")), {"posted"})
        self.assertEqual(lines[0].move_id.line_ids.account_id, self.journal.default_account_id | self.journal.suspense_account_id)
        statement = lines.statement_id
        self.assertEqual(statement, logs[0].statement_id)
        self.assertFalse(logs[1].statement_id, "the second import found every line known")
        self.assertEqual(statement.attachment_ids, logs[0].attachment_id)
        self.assertEqual(self.currency.compare_amounts(statement.balance_end_real, 349_964.5), 0)
        self.assertTrue(statement.is_complete)
        self.assertFalse(self.env["kam.joint.import.line"].sudo().search([]), "nothing waits any more")

    def test_the_button_of_a_queued_import_opens_the_import_log(self):
        wizard = (
            self.env["account.statement.import"].with_user(self.finance).with_context(journal_id=self.journal.id)
            .create({"statement_file": base64.b64encode(statement_file(rows_with_balance(self.ENTRIES))), "statement_filename": "big.csv"})
        )
        action = wizard.import_file_button()
        self.assertIn("4 lines are checked and queued", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["res_model"], "kam.joint.import.log")
        self.assertEqual(self._logs().state, "queued")

    def test_a_small_file_behind_a_queued_import_waits_its_turn_and_creates_each_line_once(self):
        self._import(statement_file(rows_with_balance(self.ENTRIES)))  # big: queued
        result = self._import(statement_file(rows_with_balance(self.ENTRIES[:2])))  # small, but one is queued
        self.assertIn("2 lines are checked and queued", result["notifications"][0])
        self._run_job()
        self.assertEqual(len(self._lines()), 4)
        logs = self._logs()
        self.assertEqual(logs.mapped("state"), ["done", "done"])
        self.assertEqual([(log.created_count, log.skipped_count) for log in logs], [(4, 0), (0, 2)])
        self.assertEqual(len(logs[0].statement_id.line_ids), 4)
        self.assertTrue(logs[0].statement_id.is_complete)

    def test_a_queued_import_skips_what_a_click_import_created_meanwhile(self):
        self._import(statement_file(rows_with_balance(self.ENTRIES)))
        queued = self._logs()
        queued.sudo().state = "done"  # sudo fixture: as if the job were not running, so the click creates
        self._import(statement_file(rows_with_balance(self.ENTRIES[:2])))
        queued.sudo().state = "queued"
        self._run_job()
        self.assertEqual(len(self._lines()), 4)
        self.assertEqual((queued.created_count, queued.skipped_count), (2, 2))
        statement = queued.statement_id
        self.assertEqual(len(statement.line_ids), 2)
        cmp = self.currency.compare_amounts
        self.assertEqual(cmp(statement.balance_start, 300_000.0), 0, "the known lines count in the opening balance")
        self.assertTrue(statement.is_complete)

    def test_the_job_stops_when_its_time_is_up_and_resumes_where_it_stopped(self):
        self._import(statement_file(rows_with_balance(self.ENTRIES)))
        self._run_job(time_left=lambda step: 0 if step >= 2 else float("inf"))  # stops after its first batch
        log = self._logs()
        self.assertEqual((log.state, log.created_count, log.pending_count), ("queued", 3, 1), "the user sees the counts")
        self.assertEqual(len(self._lines()), 3)
        self._run_job()
        self.assertEqual((log.state, log.created_count, log.pending_count), ("done", 4, 0))
        self.assertEqual(len(self._lines()), 4)

    def test_a_big_bad_file_is_refused_whole_in_the_click(self):
        rows = rows_with_balance(self.ENTRIES)
        rows[1] = rows[1].replace(",100000.00,", ",1OOOOO.00,", 1)  # row 5
        rows[3] = rows[3].replace("2026-03-05", "2026-02-30")  # row 7
        with self.assertRaises(UserError) as caught:
            self._import(statement_file(rows))
        self.assertIn("row 5", str(caught.exception))
        self.assertIn("row 7", str(caught.exception))
        self.assertFalse(self._logs())
        self.assertFalse(self.env["kam.joint.import.line"].sudo().search([]), "nothing is queued")

    def test_only_finance_sees_the_imports_and_nobody_reads_the_waiting_lines(self):
        with self.assertRaises(AccessError):
            self._import(statement_file(rows_with_balance(self.ENTRIES)), user=self.kam_users["sales"])
        self._import(statement_file(rows_with_balance(self.ENTRIES)))
        log = self._logs()
        for department in ("user", "sales", "manager"):
            with self.assertRaises(AccessError):
                log.with_user(self.kam_users[department]).read(["state", "created_count"])
        log.with_user(self.kam_users["audit"]).read(["state", "created_count", "pending_count"])
        for user in (self.finance, self.kam_users["audit"]):
            with self.assertRaises(AccessError):
                self.env["kam.joint.import.line"].with_user(user).search([])
            with self.assertRaises(AccessError):
                log.with_user(user).read(["statement_vals"])


@tagged("post_install", "-at_install")
class TestJointReconciliation(KamJointCommon):
    """A crafted March 2026 with one of each discrepancy type."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.r1 = cls._register("R-1", 200_000.0, D(2026, 3, 1), 0)
        cls.r2 = cls._register("R-2", 100_000.0, D(2026, 3, 2), 1)
        cls.r3 = cls._register("R-3", 50_000.0, D(2026, 1, 5), 2)  # older than the 30-day term by March 31
        cls.r4 = cls._register("R-4", 30_000.0, D(2026, 3, 3), 3)

    def _import_march(self):
        entries = [
            ("2026-03-05", 200000.0, "江城供电局", EMPLOYER_NUMBER, "转 R-1", ""),
            ("2026-03-06", 99999.99, "江城供电局", EMPLOYER_NUMBER, "R-2", ""),  # a fen short
            ("2026-03-07", 5000.0, "某贸易公司", "6222777", "货款", ""),  # not from the employer
            ("2026-03-07", 5000.0, "某贸易公司", "6222777", "货款", ""),  # the same again
            ("2026-03-08", 30000.0, "江城供电局", EMPLOYER_NUMBER, "R-4", ""),
            ("2026-03-09", 1000.0, "江城供电局", EMPLOYER_NUMBER, "misc", ""),  # booked by hand below
        ]
        self._import(statement_file(rows_with_balance(entries)))
        lines = self._lines()
        lines[5]._kam_book_to_liability(self.liability, self.employer)  # reconciled outside the reconciliation
        return lines

    def test_three_way_totals_and_every_discrepancy_type(self):
        lines = self._import_march()
        self._snapshot(1.0)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        self.assertEqual(reconciliation.match_state, "done")
        cmp = self.currency.compare_amounts
        self.assertEqual(cmp(reconciliation.receipt_total, 380_000.0), 0)
        self.assertEqual(cmp(reconciliation.transfer_total, 340_999.99), 0)
        # the identity subtracts what left the employer's account only, not the 2 × 5,000 from 某贸易公司
        self.assertEqual(cmp(reconciliation.employer_transfer_total, 330_999.99), 0)
        self.assertEqual(cmp(reconciliation.expected_employer_balance, 49_000.01), 0)
        self.assertEqual(cmp(reconciliation.employer_balance, 1.0), 0)
        self.assertEqual(cmp(reconciliation.balance_difference, -48_999.01), 0)
        self.assertFalse(reconciliation.identity_holds)
        self.assertEqual(cmp(reconciliation.period_receipt_total, 330_000.0), 0)
        allocations = {(a.statement_line_id, a.receipt_id, a.method): a.amount for a in reconciliation.allocation_ids}
        self.assertEqual(
            set(allocations), {(lines[0], self.r1, "memo"), (lines[4], self.r4, "memo")}
        )
        kinds = {d.kind: d for d in reconciliation.discrepancy_ids}
        self.assertEqual(
            set(kinds),
            {"late_transfer", "unknown_deposit", "amount_mismatch", "balance", "duplicate", "reconciled_elsewhere"},
        )
        self.assertEqual(kinds["late_transfer"].receipt_id, self.r3)
        self.assertEqual(kinds["amount_mismatch"].statement_line_id, lines[1])
        self.assertIn("0.01", kinds["amount_mismatch"].description)
        self.assertEqual(kinds["unknown_deposit"].statement_line_id, lines[2])
        self.assertEqual(kinds["duplicate"].statement_line_id, lines[3])
        self.assertEqual(kinds["reconciled_elsewhere"].statement_line_id, lines[5])
        # matching again changes nothing, and keeps resolved findings resolved
        kinds["balance"].with_user(self.finance).resolution_note = "Employer's bank slip is pending"
        kinds["balance"].with_user(self.finance).action_resolve()
        reconciliation.action_match()
        self.assertEqual(len(reconciliation.allocation_ids), 2)
        self.assertEqual(len(reconciliation.discrepancy_ids), 6)
        self.assertEqual(reconciliation.open_discrepancy_count, 5)

    def test_an_unknown_deposit_stays_out_of_the_employer_account_identity(self):
        """001:L270–L278: the employer's account balance = receipts issued − transfers made from that account.
        March: receipts 380,000; the employer transferred R-1, R-2 and R-4 (330,000) and still holds R-3's
        50,000; 5,000 also arrived from a trading company nobody knows. The employer's bank shows 50,000: the
        identity holds, and the 5,000 is a discrepancy of its own."""
        entries = [
            ("2026-03-05", 200000.0, "江城供电局", EMPLOYER_NUMBER, "转 R-1", ""),
            ("2026-03-06", 100000.0, "江城供电局", EMPLOYER_NUMBER, "R-2", ""),
            ("2026-03-07", 5000.0, "某贸易公司", "6222777", "货款", ""),
            ("2026-03-08", 30000.0, "江城供电局", EMPLOYER_NUMBER, "R-4", ""),
        ]
        self._import(statement_file(rows_with_balance(entries)))
        self._snapshot(50_000.0)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        cmp = self.currency.compare_amounts
        self.assertEqual(cmp(reconciliation.receipt_total, 380_000.0), 0)
        self.assertEqual(cmp(reconciliation.transfer_total, 335_000.0), 0)
        self.assertEqual(cmp(reconciliation.employer_transfer_total, 330_000.0), 0)
        self.assertEqual(cmp(reconciliation.expected_employer_balance, 50_000.0), 0)
        self.assertTrue(self.currency.is_zero(reconciliation.balance_difference))
        self.assertTrue(reconciliation.identity_holds)
        kinds = sorted(reconciliation.discrepancy_ids.mapped("kind"))
        self.assertEqual(kinds, ["late_transfer", "unknown_deposit"], "no balance discrepancy")
        unknown = reconciliation.discrepancy_ids.filtered(lambda d: d.kind == "unknown_deposit")
        self.assertEqual(cmp(unknown.amount, 5000.0), 0)

    def test_the_ledger_shows_what_the_employer_received_but_has_not_transferred(self):
        self._import_march()
        self._reconciliation().action_match()
        Ledger = self.env["kam.housing.receipt.ledger"]
        rows = {row.buyer_id: row for row in Ledger.search([("contract_id", "=", self.contract.id)])}
        self.assertEqual(
            [(rows[buyer].received, rows[buyer].transferred, rows[buyer].not_transferred) for buyer in self.buyers],
            [(200_000.0, 200_000.0, 0.0), (100_000.0, 0.0, 100_000.0), (50_000.0, 0.0, 50_000.0), (30_000.0, 30_000.0, 0.0)],
        )
        [(employer, held)] = Ledger._read_group([("contract_id", "=", self.contract.id)], ["partner_id"], ["not_transferred:sum"])
        self.assertEqual(employer, self.contract.partner_id)
        self.assertEqual(self.currency.compare_amounts(held, 150_000.0), 0)

    def test_discrepancy_texts_are_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")  # a plain database has only English
        self._import_march()
        self._snapshot(1.0)
        reconciliation = self._reconciliation()
        reconciliation.with_context(lang="en_US").action_match()  # e.g. the job, in English
        for lang, words in (("en_US", ("difference", "not transferred after")), ("zh_CN", ("差额", "仍未转款"))):
            env = self.env(context={"lang": lang})
            discrepancies = reconciliation.discrepancy_ids.with_user(self.finance).with_context(lang=lang)
            texts = {d.kind: d.description for d in discrepancies}
            self.assertIn(words[0], texts["amount_mismatch"])
            self.assertIn(words[1], texts["late_transfer"])
            self.assertIn("R-3", texts["late_transfer"])
            for amount in (99_999.99, 100_000.0, -0.01):
                self.assertIn(format_amount(env, amount, self.currency), texts["amount_mismatch"])
            for amount in (1.0, 49_000.01):
                self.assertIn(format_amount(env, amount, self.currency), texts["balance"])
            self.assertIn("49,000.01", texts["balance"])
            # the signed report reads the same sentences, in the language it is rendered in
            import io

            import openpyxl

            content, _type = self.env["ir.actions.report"].with_context(lang=lang)._render_xlsx(
                "kam_management.action_report_kam_joint_reconciliation_xlsx", reconciliation.ids, {}
            )
            sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[2]
            cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
            # without the screen's invisible formatting marks (see test_finance_screens)
            self.assertIn(texts["amount_mismatch"].replace("\xa0", " ").replace("\ufeff", ""), cells)

    def test_discrepancies_matched_before_19_0_0_1_2_keep_their_text(self):
        self._import_march()
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        old = reconciliation.discrepancy_ids.filtered(lambda d: d.kind == "unknown_deposit")
        old.sudo().write({"legacy_description": "没有雇主的未转款收据能解释这笔存款。", "detail": False})  # what 19.0.0.1.1 stored
        for lang in ("en_US", "zh_CN"):
            self.assertEqual(old.with_context(lang=lang).description, "没有雇主的未转款收据能解释这笔存款。")

    def test_the_migration_keeps_old_texts_and_who_allocated_by_hand(self):
        """Databases matched before 19.0.0.1.2 stored the sentence and the allocations' create/company columns."""
        import importlib.util

        from odoo.tools.misc import file_path

        self._import(
            statement_file(rows_with_balance([("2026-03-05", 200_000.0, "江城供电局", EMPLOYER_NUMBER, "房款 3月", "")]))
        )
        reconciliation = self._reconciliation()
        manual = self.env["kam.joint.allocation"].with_user(self.finance).create(
            {"reconciliation_id": reconciliation.id, "statement_line_id": self._lines().id, "receipt_id": self.r1.id,
             "amount": 200_000.0}
        )
        reconciliation.action_match()
        finding = reconciliation.discrepancy_ids[:1]
        self.assertTrue(finding)
        self.env.flush_all()
        cr = self.env.cr
        # the older state: a stored sentence, the log and company columns, no "allocated by"
        cr.execute("ALTER TABLE kam_joint_discrepancy ADD COLUMN description text")
        cr.execute("UPDATE kam_joint_discrepancy SET description = %s, legacy_description = NULL WHERE id = %s",
                   ["旧的差异说明", finding.id])
        cr.execute(
            "ALTER TABLE kam_joint_allocation ADD COLUMN company_id int, ADD COLUMN create_uid int,"
            " ADD COLUMN create_date timestamp, ADD COLUMN write_uid int, ADD COLUMN write_date timestamp"
        )
        cr.execute(
            "UPDATE kam_joint_allocation SET create_uid = %s, create_date = '2026-04-01 08:00:00',"
            " allocated_by_id = NULL, allocated_date = NULL WHERE id = %s",
            [self.preparer.id, manual.id],
        )
        spec = importlib.util.spec_from_file_location(
            "kam_post_migrate_19_0_0_1_2", file_path("kam_management/migrations/19.0.0.1.2/post-migrate.py")
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(cr, "19.0.0.1.1")
        self.env.invalidate_all()

        for lang in ("en_US", "zh_CN"):
            self.assertEqual(finding.with_context(lang=lang).description, "旧的差异说明")
        self.assertEqual(manual.allocated_by_id, self.preparer)
        self.assertEqual(str(manual.allocated_date), "2026-04-01 08:00:00")
        cr.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE (table_name = 'kam_joint_discrepancy' AND column_name = 'description')"
            " OR (table_name = 'kam_joint_allocation'"
            " AND column_name IN ('company_id', 'create_uid', 'create_date', 'write_uid', 'write_date'))"
        )
        self.assertEqual(cr.fetchall(), [], "the old columns are dropped")

    def test_receipts_named_by_a_memo_are_reserved_and_sql_gives_the_rules_result(self):
        from decimal import Decimal

        from odoo.addons.base.models.res_bank import sanitize_account_number
        from odoo.addons.kam_management.rules import joint_matching

        self._import(
            statement_file(
                rows_with_balance(
                    [
                        # un-named, first: R-3 + R-1 would fit, but R-1 is named below
                        ("2026-03-05", 250_000.0, "江城供电局", EMPLOYER_NUMBER, "房款", ""),
                        ("2026-03-06", 200_000.0, "江城供电局", EMPLOYER_NUMBER, "转 r-1", ""),  # upper-cased token
                        ("2026-03-07", 30_000.0, "江城供电局", EMPLOYER_NUMBER, "R-4", ""),
                        ("2026-03-07", 30_000.0, "江城供电局", EMPLOYER_NUMBER, "R-4", ""),  # the same again
                        ("2026-03-08", 100_000.0, "江城供电局", EMPLOYER_NUMBER, "R-2 R-9", ""),  # R-9 unknown
                    ]
                )
            )
        )
        lines = self._lines()
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        got = {(a.statement_line_id.id, a.receipt_id.id, a.amount, a.method) for a in reconciliation.allocation_ids}
        self.assertEqual(
            got,
            {
                (lines[1].id, self.r1.id, 200_000.0, "memo"),
                (lines[2].id, self.r4.id, 30_000.0, "memo"),
                (lines[4].id, self.r2.id, 100_000.0, "memo"),
            },
        )
        findings = {(d.kind, d.statement_line_id.id) for d in reconciliation.discrepancy_ids if d.statement_line_id}
        self.assertEqual(findings, {("amount_mismatch", lines[0].id), ("duplicate", lines[3].id)})
        # the same as the pure rules on the whole period
        receipts = self.r1 | self.r2 | self.r3 | self.r4
        result = joint_matching.match(
            [joint_matching.Receipt(r.id, r.name, r.date, Decimal(str(r.amount))) for r in receipts],
            [
                joint_matching.Transfer(
                    line.id, line.date, Decimal(str(line.amount)), line.payment_ref, sanitize_account_number(line.account_number)
                )
                for line in lines
            ],
            {EMPLOYER_NUMBER},
        )
        self.assertEqual(got, {(a.transfer_id, a.receipt_id, float(a.amount), a.method) for a in result.allocations})
        self.assertEqual(findings, {(f.kind, f.transfer_id) for f in result.findings})

    def test_sql_memo_step_and_matcher_give_the_rules_result_on_a_random_period(self):
        """A shuffled April of every kind of line: the set-based memo step plus the matcher on the rest
        allocate exactly what the pure rules allocate on the whole period, with the same findings."""
        import random
        from decimal import Decimal

        from odoo.addons.base.models.res_bank import sanitize_account_number
        from odoo.addons.kam_management.rules import joint_matching

        rng = random.Random(20261204)
        fen = [rng.randint(100_000, 5_000_000) for _ in range(30)]
        for k, amount in enumerate(fen, start=1):
            self._register(f"A-{k}", amount / 100, D(2026, 4, 1 + k % 10), k % 4)
        numbers = rng.sample(range(1, 31), 30)
        entries = []  # (amount in fen, counterparty account, memo)
        for k in numbers[:10]:
            entries.append((fen[k - 1], EMPLOYER_NUMBER, f"转房款 A-{k}"))  # names its receipt, exact
        for i, j in (numbers[10:12], numbers[12:14], numbers[14:16]):
            entries.append((fen[i - 1] + fen[j - 1], EMPLOYER_NUMBER, f"A-{i}，A-{j} 房款"))  # two receipts
        for k in numbers[16:18]:
            entries.append((fen[k - 1], EMPLOYER_NUMBER, f"a-{k}"))  # lower-case number
        for k in numbers[18:20]:
            entries.append((fen[k - 1] + 1, EMPLOYER_NUMBER, f"A-{k}"))  # a fen too much
        k = numbers[20]
        entries += [(fen[k - 1], EMPLOYER_NUMBER, f"A-{k}")] * 2  # the same transfer twice
        k, other = numbers[21:23]
        entries += [
            (fen[k - 1], EMPLOYER_NUMBER, f"A-{k}"),
            (fen[k - 1], EMPLOYER_NUMBER, f"A-{k} A-{other}"),
        ]
        entries += [(fen[k - 1], EMPLOYER_NUMBER, "房款") for k in numbers[23:27]]  # named nowhere
        entries += [(fen[numbers[27] - 1], "6222777", "货款"), (123_456, EMPLOYER_NUMBER, "A-99")]
        rng.shuffle(entries)
        days = sorted(rng.choice(range(11, 29)) for _ in entries)
        # and two lines of one day and amount naming different receipts (the order decides)
        twin_day = days[-1]
        entries.append((fen[numbers[28] - 1], EMPLOYER_NUMBER, f"A-{numbers[28]}"))
        entries.append((fen[numbers[28] - 1], EMPLOYER_NUMBER, f"A-{numbers[29]}"))
        days += [twin_day, twin_day]
        self._import(
            statement_file(
                rows_with_balance(
                    [
                        (f"2026-04-{day:02d}", amount / 100, "江城供电局", account, memo, "")
                        for day, (amount, account, memo) in zip(days, entries, strict=True)
                    ]
                )
            )
        )
        lines = self._lines()
        self.assertEqual(len(lines), len(entries))
        reconciliation = self._reconciliation(D(2026, 4, 1), D(2026, 4, 30))
        self.env.flush_all()
        self.env.cr.execute(*reconciliation._kam_memo_pairs_query())
        by_sql = {
            (line, receipt, float(amount)) for _rec, line, receipt, amount, _method in self.env.cr.fetchall()
        }
        reconciliation.action_match()
        got = {
            (a.statement_line_id.id, a.receipt_id.id, a.amount, a.method)
            for a in reconciliation.allocation_ids
        }
        self.assertGreaterEqual(len(by_sql), 12, "the memo step takes the common case")
        self.assertLessEqual(by_sql, {(line, receipt, amount) for line, receipt, amount, _method in got})

        receipts = self.env["kam.housing.receipt"].search(
            [("contract_id", "=", self.contract.id), ("state", "=", "registered")], order="date, id"
        )
        result = joint_matching.match(
            [joint_matching.Receipt(r.id, r.name, r.date, Decimal(str(r.amount))) for r in receipts],
            [
                joint_matching.Transfer(
                    line.id,
                    line.date,
                    Decimal(str(line.amount)),
                    line.payment_ref,
                    sanitize_account_number(line.account_number),
                )
                for line in lines
            ],
            {EMPLOYER_NUMBER},
        )
        self.assertEqual(
            got, {(a.transfer_id, a.receipt_id, float(a.amount), a.method) for a in result.allocations}
        )
        self.assertEqual(
            {(d.kind, d.statement_line_id.id) for d in reconciliation.discrepancy_ids if d.statement_line_id},
            {(f.kind, f.transfer_id) for f in result.findings},
        )
        self.assertTrue(
            {"amount_mismatch", "duplicate", "unknown_deposit"} <= {f.kind for f in result.findings}
        )

    def test_a_period_that_changed_after_matching_is_matched_again_before_submit_and_sign(self):
        self._import_march()
        self._snapshot(1.0)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        with self.assertRaises(UserError):
            reconciliation.with_user(self.finance).write({"matched_inputs": "forged"})
        # a transfer of the period imported after the matching
        self._import(
            statement_file(rows_with_balance([("2026-03-20", 777.0, "江城供电局", EMPLOYER_NUMBER, "补 R-9", "")]))
        )
        stale = "changed after it was matched"
        with self.assertRaisesRegex(UserError, stale):
            reconciliation.with_user(self.preparer).action_submit()
        self.assertEqual(reconciliation.state, "draft")
        reconciliation.action_match()
        late_line = self._lines().filtered(lambda line: line.payment_ref == "补 R-9")
        self.assertIn(late_line, reconciliation.discrepancy_ids.statement_line_id)
        self.assertEqual(self.currency.compare_amounts(reconciliation.transfer_total, 341_776.99), 0)
        reconciliation.with_user(self.preparer).action_submit()
        # the employer's balance recorded, then a receipt registered, after submitting: no sign-off on old figures
        for change in (lambda: self._snapshot(2.0), lambda: self._register("R-5", 10.0, D(2026, 3, 25), 0)):
            change()
            with self.assertRaisesRegex(UserError, stale):
                reconciliation.with_user(self.director).action_sign()
            self.assertEqual(reconciliation.state, "submitted")
            reconciliation.with_user(self.finance).action_reset_to_draft()
            reconciliation.action_match()
            reconciliation.with_user(self.preparer).action_submit()
        self.assertEqual(self.currency.compare_amounts(reconciliation.employer_balance, 2.0), 0)
        self.assertEqual(self.currency.compare_amounts(reconciliation.receipt_total, 380_010.0), 0)

    def test_signing_an_earlier_period_leaves_a_later_matching_current(self):
        self._import(
            statement_file(
                rows_with_balance(
                    [
                        ("2026-02-10", 50_000.0, "江城供电局", EMPLOYER_NUMBER, "R-3", ""),
                        ("2026-03-05", 200_000.0, "江城供电局", EMPLOYER_NUMBER, "转 R-1", ""),
                    ]
                )
            )
        )
        self._snapshot(0.0, D(2026, 2, 28))
        february = self._reconciliation(D(2026, 2, 1), D(2026, 2, 28))
        february.action_match()
        self.assertFalse(february.discrepancy_ids)
        march = self._reconciliation()
        march.action_match()
        february.with_user(self.preparer).action_submit()
        february.with_user(self.director).action_sign()
        self.assertTrue(self._lines()[0].is_reconciled)  # booked by February's sign-off
        march.with_user(self.preparer).action_submit()
        self.assertEqual(march.state, "submitted")

    def test_allocation_by_hand_records_who_and_follows_the_company(self):
        self._import(
            statement_file(rows_with_balance([("2026-03-05", 200_000.0, "江城供电局", EMPLOYER_NUMBER, "房款 3月", "")]))
        )
        line = self._lines()
        reconciliation = self._reconciliation()
        # a draft allocated by hand before matching (the matching leaves manual rows alone)
        allocation = self.env["kam.joint.allocation"].with_user(self.finance).create(
            {"reconciliation_id": reconciliation.id, "statement_line_id": line.id, "receipt_id": self.r1.id,
             "amount": 200_000.0, "method": "memo", "allocated_by_id": self.preparer.id}
        )
        self.assertEqual((allocation.method, allocation.allocated_by_id), ("manual", self.finance))
        self.assertTrue(allocation.allocated_date)
        self.assertEqual(allocation.company_id, self.env.company)
        with self.assertRaises(UserError):
            allocation.with_user(self.finance).write({"allocated_by_id": self.preparer.id})
        with self.assertRaises(UserError):
            allocation.with_user(self.finance).write({"method": "oldest"})
        reconciliation.action_match()
        self.assertEqual(reconciliation.allocation_ids, allocation)
        other = self.env["res.company"].create({"name": "Other Company (joint)"})
        outsider = new_test_user(
            self.env, login="kam_test_joint_outsider", groups="kam_management.group_kam_finance",
            company_id=other.id, company_ids=[other.id],
        )
        self.assertFalse(self.env["kam.joint.allocation"].with_user(outsider).search([("id", "=", allocation.id)]))
        with self.assertRaises(AccessError):
            allocation.with_user(outsider).read(["amount"])

    def test_sign_off_books_the_lines_and_freezes_the_period(self):
        lines = self._import_march()
        self._snapshot(1.0)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        with self.assertRaises(UserError):
            reconciliation.discrepancy_ids[:1].with_user(self.finance).action_resolve()  # no note yet
        reconciliation.with_user(self.preparer).action_submit()
        self.assertEqual(reconciliation.prepared_by_id, self.preparer)
        with self.assertRaises(UserError):
            reconciliation.with_user(self.director).action_sign()  # open discrepancies
        reconciliation.with_user(self.finance).action_reset_to_draft()
        for discrepancy in reconciliation.discrepancy_ids:
            discrepancy.with_user(self.finance).resolution_note = "Explained by the employer's letter of 2026-04-02"
        reconciliation.discrepancy_ids.with_user(self.finance).action_resolve()
        self.assertEqual(reconciliation.discrepancy_ids.resolved_by_id, self.finance)
        reconciliation.with_user(self.preparer).action_submit()
        with self.assertRaises(UserError):
            reconciliation.with_user(self.preparer).action_sign()  # the preparer cannot sign
        with self.assertRaises(AccessError):
            reconciliation.with_user(self.finance).action_sign()  # finance staff is not the director
        reconciliation.with_user(self.director).action_sign()
        self.assertEqual(reconciliation.state, "signed")
        self.assertEqual(reconciliation.signed_by_id, self.director)
        # the allocated transfer is an entrusted loan from the employer, never income
        transfer = lines[0]
        self.assertTrue(transfer.is_reconciled)
        move_lines = transfer.move_id.line_ids
        bank = move_lines.filtered(lambda ml: ml.account_id == self.journal.default_account_id)
        loan = move_lines.filtered(lambda ml: ml.account_id == self.liability)
        self.assertEqual(self.currency.compare_amounts(bank.debit, 200_000.0), 0)
        self.assertEqual(self.currency.compare_amounts(loan.credit, 200_000.0), 0)
        self.assertEqual(loan.partner_id, self.employer)
        self.assertFalse(move_lines.filtered(lambda ml: ml.account_id.account_type in ("income", "income_other")))
        # the booking is in the entry's audit trail, as any change of a posted entry's item is in Odoo
        trail = transfer.move_id.message_ids.filtered(lambda message: f"#{loan.id}" in message.body)
        self.assertEqual(len(trail), 1)
        self.assertEqual(
            [(value.field_id.name, value.new_value_char) for value in trail.tracking_value_ids],
            [("account_id", self.liability.display_name)],
        )
        self.assertFalse(lines[1].is_reconciled)  # the mismatch stays in suspense
        # the report is kept with its hash
        import hashlib

        self.assertTrue(reconciliation.report_attachment_id)
        self.assertEqual(hashlib.sha256(reconciliation.report_attachment_id.raw).hexdigest(), reconciliation.report_sha256)
        # frozen: no unmatching, no deleting, no undoing, no overlapping period
        with self.assertRaises(UserError):
            reconciliation.allocation_ids[:1].with_user(self.finance).unlink()
        with self.assertRaises(UserError):
            reconciliation.allocation_ids[:1].with_user(self.finance).write({"amount": 1.0})
        with self.assertRaises(UserError):
            transfer.with_user(self.finance).action_undo_reconciliation()
        with self.assertRaises(UserError):
            transfer.sudo().unlink()
        with self.assertRaises(UserError):
            transfer.move_id.button_draft()
        with self.assertRaises(UserError):
            reconciliation.with_user(self.director).unlink()
        with self.assertRaises(UserError):
            self.r1.void_reason = "late correction"
            self.r1.action_void()
        with self.assertRaises(ValidationError):
            self._reconciliation(D(2026, 3, 31), D(2026, 4, 30))
        self._reconciliation(D(2026, 4, 1), D(2026, 4, 30))

    def test_oldest_first_and_manual_allocation(self):
        self._import(
            statement_file(
                rows_with_balance(
                    [
                        ("2026-03-10", 250_000.0, "江城供电局", EMPLOYER_NUMBER, "批量转款", ""),  # R-3 + R-1
                        ("2026-03-11", 130_000.0, "江城供电局", EMPLOYER_NUMBER, "批量转款2", ""),  # R-2 + R-4
                    ]
                )
            )
        )
        lines = self._lines()
        self._snapshot(0.0)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        pairs = {(a.statement_line_id, a.receipt_id) for a in reconciliation.allocation_ids}
        self.assertEqual(
            pairs, {(lines[0], self.r3), (lines[0], self.r1), (lines[1], self.r2), (lines[1], self.r4)}
        )
        self.assertTrue(reconciliation.identity_holds)
        self.assertFalse(reconciliation.discrepancy_ids)
        # by hand: never beyond the transfer or the receipt
        with self.assertRaises(ValidationError):
            self.env["kam.joint.allocation"].with_user(self.finance).create(
                {"reconciliation_id": reconciliation.id, "statement_line_id": lines[0].id, "receipt_id": self.r2.id, "amount": 1.0}
            )

    def test_big_periods_are_queued_for_the_job(self):
        from odoo.addons.kam_management.models import kam_joint_reconciliation as module

        self._import_march()
        reconciliation = self._reconciliation()
        limit = module.INLINE_MATCH_LIMIT
        module.INLINE_MATCH_LIMIT = 2
        try:
            reconciliation.action_match()
        finally:
            module.INLINE_MATCH_LIMIT = limit
        self.assertEqual(reconciliation.match_state, "queued")
        self.assertFalse(reconciliation.allocation_ids)
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda cron, processed=0, **kw: float("inf")):
            self.env["kam.joint.reconciliation"]._cron_match_reconciliations()
        self.assertEqual(reconciliation.match_state, "done")
        self.assertEqual(len(reconciliation.allocation_ids), 2)

    def test_a_big_period_is_frozen_at_its_sign_off_and_booked_by_the_job(self):
        from odoo.addons.kam_management.models import kam_joint_reconciliation as module

        lines = self._import_march()
        self._snapshot(1.0)
        reconciliation = self._reconciliation()
        reconciliation.action_match()
        for discrepancy in reconciliation.discrepancy_ids:
            discrepancy.with_user(self.finance).resolution_note = "Explained by the employer's letter of 2026-04-02"
        reconciliation.discrepancy_ids.with_user(self.finance).action_resolve()
        reconciliation.with_user(self.preparer).action_submit()
        limit, batch = module.INLINE_MATCH_LIMIT, module.BOOKING_BATCH
        module.INLINE_MATCH_LIMIT, module.BOOKING_BATCH = 1, 1
        try:
            reconciliation.with_user(self.director).action_sign()
            self.assertEqual((reconciliation.state, reconciliation.booking_state), ("signed", "queued"))
            booked = lines[0] | lines[4]  # to the fen
            self.assertEqual(booked.kam_reconciliation_id, reconciliation, "frozen at the sign-off")
            self.assertFalse(any(booked.mapped("is_reconciled")))
            self.assertFalse(reconciliation.report_attachment_id, "the report waits for the booking it shows")
            with self.assertRaises(UserError):
                booked[0].with_user(self.finance).write({"payment_ref": "改"})
            batches = []

            def out_of_time_after_one_batch(cron, processed=0, **kw):
                batches.extend([processed] if processed else [])
                return 0 if batches == [1] else float("inf")

            Cron = type(self.env["ir.cron"])
            with patch.object(Cron, "_commit_progress", out_of_time_after_one_batch):
                self.env["kam.joint.reconciliation"]._cron_book_reconciliations()
            self.assertEqual(booked.mapped("is_reconciled"), [True, False], "one batch, then the time ran out")
            self.assertEqual(reconciliation.booking_state, "queued")
            self.assertFalse(reconciliation.report_attachment_id)
            with patch.object(Cron, "_commit_progress", lambda cron, processed=0, **kw: float("inf")):
                self.env["kam.joint.reconciliation"]._cron_book_reconciliations()  # the next run goes on
        finally:
            module.INLINE_MATCH_LIMIT, module.BOOKING_BATCH = limit, batch
        self.assertEqual(reconciliation.booking_state, "done")
        self.assertEqual(booked.mapped("is_reconciled"), [True, True])
        self.assertFalse(lines[1].is_reconciled)  # a fen short: stays in suspense
        for line, amount in zip(booked, (200_000.0, 30_000.0), strict=True):
            loan = line.move_id.line_ids.filtered(lambda ml: ml.account_id == self.liability)
            self.assertEqual(self.currency.compare_amounts(loan.credit, amount), 0)
            self.assertEqual(loan.partner_id, self.employer)
        self.assertTrue(reconciliation.report_attachment_id)
        self.assertTrue(reconciliation.report_sha256)

    def test_access(self):
        reconciliation = self._reconciliation()
        for department in ("user", "sales", "manager", "cost"):
            with self.assertRaises(AccessError):
                reconciliation.with_user(self.kam_users[department]).read(["name"])
        reconciliation.with_user(self.kam_users["audit"]).read(["name"])
        with self.assertRaises(AccessError):
            reconciliation.with_user(self.kam_users["audit"]).action_match()
        with self.assertRaises(UserError):
            reconciliation.with_user(self.finance).write({"state": "signed"})
        with self.assertRaises(UserError):
            self.env["kam.joint.discrepancy"].with_user(self.finance).create(
                {"reconciliation_id": reconciliation.id, "kind": "balance"}
            )
