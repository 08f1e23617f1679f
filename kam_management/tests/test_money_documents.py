"""Issue 18: the money documents beyond any user's reach, as the roles that found the holes attack them, through the
ORM and over JSON-RPC: posted desk fee invoices (hole 3), a signed reconciliation period (hole 4), who designates a
joint account (hole 8), the reconciliation's four eyes (hole 9), the reports (hole 7), and the reference,
receipt numbers, reminder levels, fee terms and receipt registration."""

import importlib.util

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import file_path

from .common import KamJsonRpcMixin
from .test_joint_account import (
    EMPLOYER_NUMBER,
    MARCH_31,
    D,
    KamJointCommon,
    rows_with_balance,
    statement_file,
)
from .test_selection_desk import KamDeskFeeCommon

KEPT = "once posted, its state, lines and amounts never change"
SIGNED_PERIOD = "is reconciled and signed up to"
FINANCE_TERMS = "Only finance sets"
OTHER_BUSINESS = "already carries other business"
REFERENCE = "is given by its numbering"
NOT_ALLOWED = "You are not allowed to do this on"


class KamFeeAttackCommon(KamDeskFeeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, login="kam_test_money_accountant", name="Accountant Qin",
            groups="account.group_account_manager,kam_management.group_kam_finance",
            company_id=cls.env.company.id, company_ids=[cls.env.company.id],
        )

    def _assert_kept(self, invoice, amount):
        self.env.invalidate_all()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self.currency.compare_amounts(invoice.amount_untaxed, amount), 0)
        self.assertEqual(self.currency.compare_amounts(invoice.invoice_line_ids.price_unit, amount), 0)
        self.assertTrue(invoice.exists())


@tagged("post_install", "-at_install")
class TestPostedFeeKept(KamFeeAttackCommon):
    """Hole 3: a posted desk fee invoice and its credit note, attacked by an accounting administrator."""

    def test_a_posted_fee_invoice_keeps_its_state_lines_and_amounts(self):
        rename = self._applied_rename_fee().with_env(self.env)
        invoice = rename.invoice_id
        line = invoice.invoice_line_ids
        other = self.env["res.partner"].create({"name": "Someone Else"})
        as_accountant = invoice.with_user(self.accountant)
        for vals in (
            {"state": "draft"},
            {"state": "cancel"},
            {"invoice_line_ids": [Command.update(line.id, {"price_unit": 1.0})]},
            {"line_ids": [Command.delete(line.id)]},
            {"partner_id": other.id},
            {"invoice_date": "2020-01-01"},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, KEPT):
                as_accountant.write(vals)
        with self.assertRaisesRegex(UserError, KEPT):
            line.with_user(self.accountant).write({"price_unit": 1.0, "quantity": 2.0})
        with self.assertRaisesRegex(UserError, KEPT):
            line.with_user(self.accountant).unlink()
        with self.assertRaisesRegex(UserError, KEPT):
            as_accountant.unlink()
        with self.assertRaisesRegex(UserError, KEPT):
            self.env["account.move.line"].with_user(self.accountant).create(
                {"move_id": invoice.id, "name": "extra", "account_id": line.account_id.id, "credit": 1.0}
            )
        # the server's own code gets no further: no internal path changes a posted fee
        with self.assertRaisesRegex(UserError, KEPT):
            invoice.sudo().write({"state": "draft"})
        # Odoo's writes of unchanged values pass
        invoice.sudo().write({"state": "posted", "kam_amendment_id": rename.id})
        self._assert_kept(invoice, 110_000.0)
        # the correction is the refund, and its credit note is kept the same way
        rename.with_user(self.finance).action_refund_fee("The rename was agreed free by the board")
        refund = rename.refund_id
        self.assertEqual((refund.state, refund.move_type), ("posted", "out_refund"))
        for vals in ({"state": "cancel"}, {"state": "draft"}):
            with self.assertRaisesRegex(UserError, KEPT):
                refund.with_user(self.accountant).write(vals)
        with self.assertRaisesRegex(UserError, KEPT):
            refund.invoice_line_ids.with_user(self.accountant).write({"price_unit": 1.0})
        self._assert_kept(refund, 110_000.0)


@tagged("post_install", "-at_install")
class TestPostedFeeKeptRpc(KamJsonRpcMixin, KamFeeAttackCommon, HttpCase):
    def test_an_accountant_cannot_reset_reprice_or_delete_a_posted_fee_over_rpc(self):
        rename = self._applied_rename_fee().with_env(self.env)
        invoice = rename.invoice_id
        line = invoice.invoice_line_ids
        self.authenticate(self.accountant.login, self.accountant.login)
        for vals in ({"state": "draft"}, {"state": "cancel"},
                     {"invoice_line_ids": [[1, line.id, {"price_unit": 1.0}]]}):
            self._assert_refused(self._call("account.move", "write", [invoice.ids, vals]), KEPT)
        self._assert_refused(self._call("account.move.line", "write", [line.ids, {"price_unit": 1.0}]), KEPT)
        self._assert_refused(self._call("account.move", "unlink", [invoice.ids]), KEPT)
        self._assert_kept(invoice, 110_000.0)


class KamSignedPeriodCommon(KamJointCommon):
    """March 2026 signed: R-1's transfer allocated, an unknown deposit resolved with a note and left in suspense."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.r1 = cls._register("R-1", 200_000.0, D(2026, 3, 1), 0)
        cls.accountant = new_test_user(
            cls.env, login="kam_test_period_accountant", name="Accountant Lu",
            groups="account.group_account_manager,kam_management.group_kam_finance",
            company_id=cls.env.company.id, company_ids=[cls.env.company.id],
        )
        cls.director_2 = new_test_user(
            cls.env, login="kam_test_director_2", name="Director Two", groups="kam_management.group_kam_finance_manager",
            company_id=cls.env.company.id, company_ids=[cls.env.company.id],
        )

    def _march(self, matcher=None, resolver=None):
        self._import(
            statement_file(
                rows_with_balance(
                    [
                        ("2026-03-05", 200_000.0, "江城供电局", EMPLOYER_NUMBER, "转 R-1", ""),
                        ("2026-03-07", 5_000.0, "某贸易公司", "6222777", "货款", ""),
                    ]
                )
            )
        )
        self._snapshot(-5_000.0, MARCH_31)
        reconciliation = self._reconciliation(user=matcher or self.preparer)
        reconciliation.action_match()
        for discrepancy in reconciliation.discrepancy_ids:
            discrepancy.with_user(resolver or self.finance).resolution_note = "A wrong payment, returned in April"
        reconciliation.discrepancy_ids.with_user(resolver or self.finance).action_resolve()
        reconciliation.with_user(self.preparer).action_submit()
        return reconciliation

    def _signed_march(self):
        reconciliation = self._march()
        reconciliation.with_user(self.director).action_sign()
        allocated, deposit = self._lines()
        self.assertEqual((allocated.kam_reconciliation_id, deposit.kam_reconciliation_id), (reconciliation, self.env["kam.joint.reconciliation"]))
        return reconciliation, deposit


@tagged("post_install", "-at_install")
class TestSignedPeriodFrozen(KamSignedPeriodCommon):
    """Hole 4: everything a signed period's figures were computed from stays as it was, not only its allocated
    lines; hole 9: whoever matched, resolved or submitted does not sign."""

    def test_nothing_dated_in_a_signed_period_changes(self):
        reconciliation, deposit = self._signed_march()
        self.assertEqual(self.journal.kam_lock_date, MARCH_31)
        move = deposit.move_id
        suspense = move.line_ids.filtered(lambda ml: ml.account_id == self.journal.suspense_account_id)
        attacks = [
            lambda: move.with_user(self.accountant).button_cancel(),
            lambda: move.with_user(self.accountant).button_draft(),
            lambda: move.with_user(self.accountant).write({"date": "2026-04-02"}),
            lambda: deposit.with_user(self.accountant).write({"amount": 1.0}),
            lambda: deposit.with_user(self.accountant).unlink(),
            lambda: suspense.with_user(self.accountant).write({"account_id": self.liability.id}),
            # a manual booking of the line the reconciliation left in suspense
            lambda: deposit._kam_book_to_liability(self.liability, self.employer),
            # a new line, receipt or balance dated in the period
            lambda: self._import(
                statement_file(rows_with_balance([("2026-03-20", 777.0, "江城供电局", EMPLOYER_NUMBER, "R-9", "")]))
            ),
            lambda: self.env["kam.housing.receipt"].with_user(self.kam_users["user"]).create(
                {"name": "R-LATE", "contract_id": self.contract.id, "buyer_id": self.buyers[1].id, "amount": 10.0,
                 "date": D(2026, 3, 15)}
            ).with_user(self.finance).action_register(),
            lambda: self._snapshot(0.0, D(2026, 3, 20)),
        ]
        for index, attack in enumerate(attacks):
            with self.subTest(attack=index), self.assertRaisesRegex(UserError, SIGNED_PERIOD):
                attack()
        with self.assertRaisesRegex(UserError, "Only the sign-off"):
            self.journal.with_user(self.accountant).write({"kam_lock_date": False})
        self.env.invalidate_all()
        self.assertEqual((move.state, str(move.date), deposit.amount), ("posted", "2026-03-07", 5_000.0))
        self.assertEqual(suspense.account_id, self.journal.suspense_account_id)
        self.assertEqual(len(self._lines()), 2)
        self.assertFalse(self.env["kam.housing.receipt"].search([("name", "=", "R-LATE"), ("state", "=", "registered")]))
        self.assertEqual(self.journal.kam_lock_date, MARCH_31)
        # after the period the joint account goes on
        self._import(statement_file(rows_with_balance([("2026-04-02", 777.0, "江城供电局", EMPLOYER_NUMBER, "R-9", "")])))
        self._register("R-9", 777.0, D(2026, 4, 1), 1)
        self._snapshot(-5_000.0, D(2026, 4, 30))
        self.assertEqual(len(self._lines()), 3)

    def test_the_migration_locks_the_periods_signed_before_the_lock_date(self):
        self._signed_march()
        self.env.flush_all()
        self.env.cr.execute("UPDATE account_journal SET kam_lock_date = NULL WHERE id = %s", [self.journal.id])
        self.env.invalidate_all()
        spec = importlib.util.spec_from_file_location(
            "kam_post_money18_lock_dates", file_path("kam_management/migrations/19.0.0.1.4/post-money18_lock_dates.py")
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, None)  # a new install: nothing to mend
        self.env.invalidate_all()
        self.assertFalse(self.journal.kam_lock_date)
        migration.migrate(self.env.cr, "19.0.0.1.3")
        self.env.invalidate_all()
        self.assertEqual(self.journal.kam_lock_date, MARCH_31)

    def test_whoever_matched_resolved_or_submitted_does_not_sign(self):
        # the director matched the period and resolved its discrepancy; staff submitted it
        reconciliation = self._march(matcher=self.director, resolver=self.director)
        self.assertEqual(reconciliation.matched_by_id, self.director)
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            reconciliation.with_user(self.director).action_sign()
        reconciliation.sudo()._kam_action_write({"matched_by_id": self.director_2.id})  # only the resolver is left
        with self.assertRaisesRegex(UserError, "resolved its discrepancies"):
            reconciliation.with_user(self.director).action_sign()
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            reconciliation.with_user(self.preparer).action_sign()  # the one who submitted
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            reconciliation.with_user(self.director_2).action_sign()  # now its matcher
        self.assertEqual(reconciliation.state, "submitted")
        third = new_test_user(
            self.env, login="kam_test_director_3", groups="kam_management.group_kam_finance_manager",
            company_id=self.env.company.id, company_ids=[self.env.company.id],
        )
        reconciliation.with_user(third).action_sign()
        self.assertEqual((reconciliation.state, reconciliation.signed_by_id), ("signed", third))

    def test_the_reference_is_the_numbering(self):
        with self.assertRaisesRegex(UserError, REFERENCE):
            self.env["kam.joint.reconciliation"].with_user(self.finance).create(
                {"name": "MY-OWN-1", "contract_id": self.contract.id, "date_from": D(2026, 5, 1), "date_to": D(2026, 5, 31)}
            )
        reconciliation = self._reconciliation(D(2026, 5, 1), D(2026, 5, 31))
        name = reconciliation.name
        self.assertNotEqual(name, "/")
        with self.assertRaisesRegex(UserError, REFERENCE):
            reconciliation.with_user(self.finance).write({"name": "MY-OWN-1"})
        self.assertEqual(reconciliation.name, name)


@tagged("post_install", "-at_install")
class TestSignedPeriodRpc(KamJsonRpcMixin, KamSignedPeriodCommon, HttpCase):
    def test_no_client_changes_a_signed_period_or_signs_its_own_work(self):
        reconciliation, deposit = self._signed_march()
        move = deposit.move_id
        self.authenticate(self.accountant.login, self.accountant.login)
        self._assert_refused(self._call("account.move", "button_cancel", [move.ids]), SIGNED_PERIOD)
        self._assert_refused(self._call("account.move", "button_draft", [move.ids]), SIGNED_PERIOD)
        self._assert_refused(
            self._call("account.bank.statement.line", "write", [deposit.ids, {"amount": 1.0}]), SIGNED_PERIOD
        )
        self._assert_refused(self._call("account.bank.statement.line", "unlink", [deposit.ids]), SIGNED_PERIOD)
        self._assert_refused(
            self._call("kam.joint.balance.snapshot", "create",
                       [{"contract_id": self.contract.id, "date": "2026-03-20", "balance": 0.0}]),
            SIGNED_PERIOD,
        )
        receipt = self.env["kam.housing.receipt"].create(
            {"name": "R-LATE", "contract_id": self.contract.id, "buyer_id": self.buyers[1].id, "amount": 10.0,
             "date": D(2026, 3, 15)}
        )
        self._assert_refused(self._call("kam.housing.receipt", "action_register", [receipt.ids]), SIGNED_PERIOD)
        self._assert_refused(
            self._call("kam.joint.reconciliation", "write", [reconciliation.ids, {"name": "MINE"}]), REFERENCE
        )
        self.env.invalidate_all()
        self.assertEqual((move.state, deposit.amount, receipt.state), ("posted", 5_000.0, "draft"))
        self.assertFalse(self.env["kam.joint.balance.snapshot"].search([("date", "=", D(2026, 3, 20))]))

    def test_the_director_who_matched_and_resolved_cannot_sign_over_rpc(self):
        reconciliation = self._march(matcher=self.director, resolver=self.director)
        self.authenticate(self.director.login, self.director.login)
        self._assert_refused(
            self._call("kam.joint.reconciliation", "action_sign", [reconciliation.ids]), "another person"
        )
        reconciliation.invalidate_recordset()
        self.assertEqual(reconciliation.state, "submitted")


@tagged("post_install", "-at_install")
class TestJointAccountDesignation(KamJsonRpcMixin, KamJointCommon, HttpCase):
    """Hole 8 and the finance-owned terms: key-account staff neither make a journal the joint account nor set the
    fees or the transfer term; finance never makes a journal with other business the joint account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.kam_users["user"]
        cls.draft = cls._create_contract(state="draft", joint_journal_id=False)
        cls.ordinary = cls.company_data["default_journal_bank"]
        # the company's ordinary bank account has its own business
        cls.env["account.move"].create(
            {
                "journal_id": cls.ordinary.id,
                "line_ids": [
                    Command.create({"account_id": cls.ordinary.default_account_id.id, "debit": 100.0}),
                    Command.create({"account_id": cls.company_data["default_account_receivable"].id, "credit": 100.0}),
                ],
            }
        )

    def test_staff_cannot_designate_the_joint_account_or_set_finance_terms(self):
        terms = {
            "joint_journal_id": self.ordinary.id,
            "mortgage_conversion_fee": 1000.0,
            "rename_fee_percent": 0.0,
            "transfer_term_days": 3650,
        }
        for name, value in terms.items():
            with self.subTest(field=name), self.assertRaisesRegex(AccessError, FINANCE_TERMS):
                self.draft.with_user(self.staff).write({name: value})
        with self.assertRaisesRegex(AccessError, FINANCE_TERMS):
            self.env["kam.housing.contract"].with_user(self.staff).create(
                {"partner_id": self.employer.id, "project_id": self.project.id, "joint_journal_id": self.ordinary.id}
            )
        # the defaults a form sends are no choice of the staff
        defaults = self.env["kam.housing.contract"].default_get(["mortgage_conversion_fee", "transfer_term_days"])
        created = self.env["kam.housing.contract"].with_user(self.staff).create(
            {"partner_id": self.employer.id, "project_id": self.project.id, **defaults}
        )
        self.assertFalse(created.joint_journal_id)
        self.authenticate(self.staff.login, self.staff.login)
        for name, value in terms.items():
            self._assert_refused(
                self._call("kam.housing.contract", "write", [self.draft.ids, {name: value}]), FINANCE_TERMS
            )
        self.draft.invalidate_recordset()
        self.assertFalse(self.draft.joint_journal_id)
        self.assertEqual((self.draft.mortgage_conversion_fee, self.draft.transfer_term_days), (2000.0, 30))
        self.assertFalse(self.ordinary.kam_is_joint)

    def test_a_journal_with_other_business_is_never_a_joint_account(self):
        # a director of key accounts who is in finance too: allowed to choose the journal, not that one
        both = new_test_user(
            self.env, login="kam_test_director_in_finance",
            groups="kam_management.group_kam_manager,kam_management.group_kam_finance",
            company_id=self.env.company.id, company_ids=[self.env.company.id],
        )
        # (assertRaises: a savepoint undoes the refused write before the next attempt)
        for contract in (self.draft.with_user(both), self.draft.sudo()):
            with self.assertRaises(ValidationError) as refused:
                contract.write({"joint_journal_id": self.ordinary.id})
            self.assertIn(OTHER_BUSINESS, str(refused.exception))
        # nor through the account number: the ordinary account's number links its journal
        self.draft.write({"joint_account_number": self.ordinary.bank_account_id.acc_number or "6222 0101 0202 0303"})
        if not self.ordinary.bank_account_id:
            self.ordinary.bank_account_id = self.env["res.partner.bank"].create(
                {"acc_number": "6222 0101 0202 0303", "partner_id": self.env.company.partner_id.id}
            )
        with self.assertRaises(ValidationError) as refused:
            self.draft.with_user(self.finance).action_create_joint_journal()
        self.assertIn(OTHER_BUSINESS, str(refused.exception))
        self.authenticate(both.login, both.login)
        self._assert_refused(
            self._call("kam.housing.contract", "write", [self.draft.ids, {"joint_journal_id": self.ordinary.id}]),
            OTHER_BUSINESS,
        )
        self.draft.invalidate_recordset()
        self.assertFalse(self.draft.joint_journal_id)
        # a journal of its own is designated by finance
        own = self.env["account.journal"].create({"name": "Joint Account 2", "code": "JNT2", "type": "bank"})
        self.draft.with_user(both).write({"joint_journal_id": own.id})
        self.assertTrue(own.kam_is_joint)


@tagged("post_install", "-at_install")
class TestReceiptsAreFinances(KamJsonRpcMixin, KamJointCommon, HttpCase):
    """Key-account staff prepare a receipt; finance registers it. A second company's receipt numbers of a shared
    employer are not revealed by a refused number. Reminder levels stay in their company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.kam_users["user"]
        cls.other_company = cls.env["res.company"].create({"name": "Second Developer Ltd"})
        cls.outsider = new_test_user(
            cls.env, login="kam_test_money_outsider", name="Outsider Finance",
            groups="kam_management.group_kam_finance_manager",
            company_id=cls.other_company.id, company_ids=[cls.other_company.id],
        )

    def _draft(self, number="R-100", user=None):
        return self.env["kam.housing.receipt"].with_user(user or self.staff).create(
            {"name": number, "contract_id": self.contract.id, "buyer_id": self.buyers[0].id, "amount": 1000.0,
             "date": D(2026, 5, 2)}
        )

    def test_staff_prepare_and_finance_registers(self):
        receipt = self._draft()
        with self.assertRaisesRegex(AccessError, NOT_ALLOWED):
            receipt.with_user(self.staff).action_register()
        self.authenticate(self.staff.login, self.staff.login)
        self._assert_refused(self._call("kam.housing.receipt", "action_register", [receipt.ids]), NOT_ALLOWED)
        receipt.invalidate_recordset()
        self.assertEqual(receipt.state, "draft")
        receipt.with_user(self.finance).action_register()
        self.assertEqual((receipt.state, receipt.registered_by_id), ("registered", self.finance))
        receipt.with_user(self.staff).action_collect_finance_copy()  # the paper trail stays the staff's
        self.assertEqual(receipt.copy_collected_by_id, self.staff)

    def test_another_company_learns_no_receipt_number(self):
        self._draft("SJ-SECRET").with_user(self.finance).action_register()
        # the same employer (a shared partner) contracts with a second company, whose finance enters that number
        other_contract = self.env["kam.housing.contract"].sudo().create(
            {"partner_id": self.employer.id, "company_id": self.other_company.id,
             "project_id": self.env["kam.housing.project"].sudo().create(
                 {"name": "Other Project", "code": "OP", "company_id": self.other_company.id}).id}
        )
        buyer = self.env["kam.housing.buyer"].sudo().create(
            {"contract_id": other_contract.id, "name": "钱七", "id_number": self.buyers[0].id_number}
        )
        receipt = self.env["kam.housing.receipt"].with_user(self.outsider).create(
            {"name": "SJ-SECRET", "contract_id": other_contract.id, "buyer_id": buyer.id, "amount": 5.0}
        )
        self.assertEqual(receipt.name, "SJ-SECRET", "numbers are the employer's per company: nothing is revealed")
        # within one company a number is still registered once
        with self.assertRaisesRegex(ValidationError, "already registered"):
            self._draft("SJ-SECRET")

    def test_reminder_levels_stay_in_their_company(self):
        level = self.env["kam.collection.reminder.level"].create(
            {"name": "Ours: 3 days late", "scope": "contract", "days_offset": 3, "company_id": self.env.company.id}
        )
        Level = self.env["kam.collection.reminder.level"].with_user(self.outsider)
        self.assertNotIn(level, Level.search([]))
        with self.assertRaises(AccessError):
            level.with_user(self.outsider).read(["name"])
        with self.assertRaises(AccessError):
            level.with_user(self.outsider).write({"days_offset": 300})
        with self.assertRaises(AccessError):
            Level.create({"name": "Theirs for us", "scope": "contract", "days_offset": 1,
                          "company_id": self.env.company.id})
        shipped = self.env.ref("kam_management.kam_reminder_level_contract_due")
        if not shipped.company_id:  # the shipped levels hold for every company: read by all, changed by none
            self.assertIn(shipped, Level.search([]))
            with self.assertRaises(AccessError):
                shipped.with_user(self.outsider).write({"days_offset": 300})
        self.authenticate(self.outsider.login, self.outsider.login)
        self._assert_refused(
            self._call("kam.collection.reminder.level", "write", [level.ids, {"days_offset": 300}]), "",
            error=AccessError,
        )
        level.invalidate_recordset()
        self.assertEqual(level.days_offset, 3)


@tagged("post_install", "-at_install")
class TestReportAccess(KamJsonRpcMixin, KamFeeAttackCommon, HttpCase):
    """Hole 7: the module's reports, over their HTTP routes, for users who may not read the records."""

    def test_reports_are_refused_to_whoever_cannot_read_the_records(self):
        reconciliation = self.env["kam.joint.reconciliation"].create(
            {"contract_id": self.contract.id, "date_from": D(2026, 3, 1), "date_to": MARCH_31}
        )
        ticket = self._vouchered()
        other_company = self.env["res.company"].create({"name": "Second Developer Ltd"})
        plain = new_test_user(self.env, login="kam_test_plain_internal", groups="base.group_user",
                              company_id=self.env.company.id, company_ids=[self.env.company.id])
        outsider = new_test_user(
            self.env, login="kam_test_report_outsider",
            groups="kam_management.group_kam_finance_manager,kam_management.group_kam_user",
            company_id=other_company.id, company_ids=[other_company.id],
        )
        sales = self.kam_users["sales"]
        xlsx = [
            f"/report/xlsx/kam_management.joint_reconciliation_xlsx/{reconciliation.id}",
            f"/report/xlsx/kam_management.sales_control_xlsx/{self.project.id}",
        ]
        pdf = [
            f"/report/pdf/kam_management.report_kam_room_ticket/{ticket.id}",
            f"/report/pdf/kam_management.report_kam_room_voucher/{ticket.voucher_id.id}",
        ]
        attempts = [(plain, xlsx + pdf), (sales, xlsx[:1]), (outsider, xlsx + pdf)]
        for user, routes in attempts:
            self.authenticate(user.login, user.login)
            for route in routes:
                with self.subTest(user=user.login, route=route):
                    response = self.url_open(route)
                    self.assertEqual(response.status_code, 403, response.content[:200])
                    self.assertFalse(response.content.startswith((b"PK", b"%PDF")), "no report for this user")
        # a direct call of the report model, with a context naming another model, is refused too
        for user in (plain, sales, outsider):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["report.kam_management.joint_reconciliation_xlsx"].with_user(user).with_context(
                    active_model="res.partner"
                ).create_xlsx_report(reconciliation.ids, {})
        # and whoever may read it gets it
        self.authenticate(self.director_login(), self.director_login())
        response = self.url_open(xlsx[0])
        self.assertTrue(response.content.startswith(b"PK"), response.content[:200])

    def director_login(self):
        return self.approvers["finance_director"].login
