from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KamJsonRpcMixin, sudo_set_terms_for_fixture
from .desk_common import BUYERS, RECOVERED, KamDeskCommon
from .test_attack_approvals import BUTTONS_ONLY


@tagged("post_install", "-at_install")
class TestSelectionDeskAccess(KamDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.env["kam.room.ticket"].with_user(cls.clerk).create(
            {"contract_id": cls.contract.id, "buyer_name": BUYERS[0][0], "id_number": BUYERS[0][1],
             "unit_id": cls.units[0].id, "payment_ratio": 50.0, "deposit_amount": 20_000.0,
             "draw_line_id": cls._desk_line(0).id}
        )
        cls.ticket.action_issue()
        # another company's desk
        cls.other_company = cls.env["res.company"].create({"name": "Other Housing Co."})
        cls.other_clerk = new_test_user(
            cls.env, login="kam_test_other_clerk", groups="kam_management.group_kam_ticket_clerk",
            company_id=cls.other_company.id, company_ids=[cls.other_company.id],
        )
        cls.outsider = new_test_user(
            cls.env, login="kam_test_outsider_ka", groups="kam_management.group_kam_user",
            company_id=cls.env.company.id, company_ids=[cls.env.company.id],
        )

    def test_who_reads_the_desk(self):
        readers = {
            "clerk": self.clerk, "finance": self.finance, "audit": self.kam_users["audit"],
            "executive": self.kam_users["executive"], "manager": self.kam_users["manager"],
            "contract staff": self.kam_users["user"],
        }
        for label, user in readers.items():
            with self.subTest(reader=label):
                self.assertEqual(self.env["kam.room.ticket"].with_user(user).search([]), self.ticket)
                self.assertEqual(self.ticket.with_user(user).amount_total, 600_000.0)
        for label, user in (("sales", self.kam_users["sales"]), ("cost", self.kam_users["cost"])):
            with self.subTest(reader=label), self.assertRaises(AccessError):
                self.env["kam.room.ticket"].with_user(user).search([])
        # key-account staff see their own contracts' tickets only; another company sees nothing
        self.assertFalse(self.env["kam.room.ticket"].with_user(self.outsider).search([]))
        self.assertFalse(self.env["kam.room.ticket"].with_user(self.other_clerk).search([]))
        self.assertFalse(self.env["kam.room.voucher"].with_user(self.other_clerk).search([]))

    def test_audit_and_finance_write_nothing_but_their_steps(self):
        draft = self._ticket(buyer=1, unit=self.units[1])
        for user in (self.kam_users["audit"], self.finance, self.kam_users["executive"]):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                draft.with_user(user).write({"note": "changed"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["kam.room.ticket"].with_user(user).create(
                    {"contract_id": self.contract.id, "buyer_name": "X", "unit_id": self.units[1].id}
                )

    def test_nobody_deletes_an_issued_ticket_and_state_writes_are_refused(self):
        for user in (self.clerk, self.kam_users["manager"]):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "kept as a record"):
                self.ticket.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            self.ticket.with_user(self.clerk).write({"state": "vouchered"})
        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            self.ticket.with_user(self.clerk).write({"reviewed_by_id": self.finance.id})
        with self.assertRaisesRegex(UserError, "change only through the document's buttons"):
            self.env["kam.room.ticket"].with_user(self.clerk).create(
                {"contract_id": self.contract.id, "buyer_name": BUYERS[1][0], "id_number": BUYERS[1][1],
                 "unit_id": self.units[1].id, "state": "reviewed"}
            )

    def test_the_clerk_group_is_a_selection_desk_privilege(self):
        group = self.env.ref("kam_management.group_kam_ticket_clerk")
        self.assertEqual(group.privilege_id, self.env.ref("kam_management.res_groups_privilege_kam_ticket"))
        self.assertIn(self.env.ref("kam_management.group_kam_user"), group.implied_ids)


@tagged("post_install", "-at_install")
class TestSelectionDeskRpc(KamJsonRpcMixin, KamDeskCommon, HttpCase):
    """The desk's rules hold for a client that talks JSON-RPC, whatever it sends."""

    def test_rpc_fee_refund_is_finance_only_once_and_needs_a_reason(self):
        self.env.company.write(
            {"kam_rename_fee_product_id": self.product_a.id, "kam_mortgage_fee_product_id": self.product_b.id,
             "kam_fee_journal_id": self.company_data["default_journal_sale"].id}
        )
        ticket = self._reviewed(ratio=100.0, deposit=0.0, full_payment_discount=True)
        with self._receipts(ticket.amount_due):
            ticket._kam_try_auto_voucher()
        sudo_set_terms_for_fixture(self.contract, {"mortgage_conversion_fee": 3000.0})
        conversion = self.env["kam.ticket.amendment"].with_user(self.clerk).create(
            {"ticket_id": ticket.id, "recovered_copy": RECOVERED, "kind": "mortgage", "new_ratio": 50.0}
        )
        with self._receipts(300_000.0):
            conversion.action_apply()
        conversion = conversion.with_env(self.env)
        invoice = conversion.invoice_id
        self.assertEqual((invoice.state, invoice.amount_untaxed), ("posted", 3000.0))
        self.authenticate("kam_test_clerk", "kam_test_clerk")
        self._assert_refused(
            self._call("kam.ticket.amendment", "action_refund_fee", [[conversion.id], "Withdrawn"],
                       context={"skip_validation_check": True, "kam_workflow": True}),
            "You are not allowed to do this on", error=AccessError,
        )
        self._assert_refused(
            self._call("kam.ticket.amendment", "write", [[conversion.id], {"refund_reason": "x", "refund_id": invoice.id}]),
            BUTTONS_ONLY,
        )
        self._assert_refused(
            self._call("kam.fee.refund", "create", [{"amendment_id": conversion.id, "reason": "x"}]), "kam.fee.refund", error=AccessError
        )
        self._assert_refused(self._call("account.move", "button_draft", [[invoice.id]]), "account.move", error=AccessError)
        self.authenticate("kam_test_finance_2", "kam_test_finance_2")
        self._assert_refused(
            self._call("kam.ticket.amendment", "action_refund_fee", [[conversion.id], "  "]), "Give the reason for refunding the fee"
        )
        conversion.invalidate_recordset()
        self.assertFalse(conversion.refund_id)
        action = self._result(self._call("kam.ticket.amendment", "action_refund_fee", [[conversion.id], "Charged twice"]))
        conversion.invalidate_recordset()
        refund = conversion.refund_id
        self.assertEqual(action["res_id"], refund.id)
        self.assertEqual((refund.state, refund.amount_total, refund.reversed_entry_id), ("posted", invoice.amount_total, invoice))
        self._assert_refused(
            self._call("kam.ticket.amendment", "action_refund_fee", [[conversion.id], "Again"]), "is already refunded by"
        )
        self.assertEqual(self.env["account.move"].search_count([("reversed_entry_id", "=", invoice.id)]), 1)

    def test_rpc_attacks_are_refused(self):
        ticket = self._issued()
        ticket.with_user(self.finance).action_review()
        voucher = self.Voucher.with_user(self.clerk).create({"ticket_id": ticket.id})
        self.authenticate("kam_test_clerk", "kam_test_clerk")
        # a state write, an action field, a snapshot field
        for vals in ({"state": "vouchered"}, {"collected_date": "2026-12-01 10:00:00"}, {"amount_total": 1.0}):
            with self.subTest(vals=vals):
                self._assert_refused(self._call("kam.room.ticket", "write", [[ticket.id], vals]), BUTTONS_ONLY)
        # the clerk issues their own voucher with a context that tries to switch checks off
        self.clerk.group_ids += self.env.ref("kam_management.group_kam_finance")
        self._assert_refused(
            self._call("kam.room.voucher", "action_issue", [[voucher.id]],
                       context={"skip_validation_check": True, "kam_workflow": True, "active_test": False}),
            "another person must do this step",
        )
        self.assertEqual(voucher.name, "/")
        # private steps are not callable
        self._assert_refused(self._call("kam.room.ticket", "_collect", [[ticket.id]]), "cannot be called remotely", error=AccessError)
        self._assert_refused(self._call("kam.room.voucher", "unlink", [[voucher.id]]), "kept as a record")
        self.authenticate("kam_test_finance_2", "kam_test_finance_2")
        self._result(self._call("kam.room.voucher", "action_issue", [[voucher.id]]))
        voucher.invalidate_recordset()
        self.assertEqual(voucher.state, "issued")
        self._assert_refused(self._call("kam.room.voucher", "unlink", [[voucher.id]]), "kept as a record")
        self._assert_refused(self._call("kam.room.voucher", "write", [[voucher.id], {"amount": 1.0}]), BUTTONS_ONLY)
        # a swap outside the contract, sent by id, is refused and changes nothing
        self.authenticate("kam_test_clerk", "kam_test_clerk")
        self._assert_refused(
            self._call("kam.room.ticket", "action_swap", [[ticket.id], self.outside_unit.id, RECOVERED.decode()]), "a swap outside the contract is refused"
        )
        voucher.invalidate_recordset()
        self.assertEqual(voucher.state, "issued")
        # inside the contract the same call swaps
        result = self._result(
            self._call("kam.room.ticket", "action_swap", [[ticket.id], self.swap_unit.id, RECOVERED.decode()])
        )
        self.assertTrue(result)
