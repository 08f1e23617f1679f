import datetime

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KamJsonRpcMixin, sudo_force_state_for_fixture
from .housing_common import make_resident_id
from .test_attack_approvals import BUTTONS_ONLY, LOCKED


@tagged("post_install", "-at_install")
class TestJointRpc(KamJsonRpcMixin, HttpCase):
    """SEC6 over JSON-RPC: what a client sends to /web/dataset/call_kw switches no rule off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.staff = new_test_user(
            cls.env, login="kam_rpc_staff", password="kam_rpc_staff_pw", groups="kam_management.group_kam_user",
            company_id=company.id, company_ids=[company.id],
        )
        new_test_user(
            cls.env, login="kam_rpc_sales", password="kam_rpc_sales_pw", groups="kam_management.group_kam_sales",
            company_id=company.id, company_ids=[company.id],
        )
        employer = cls.env["res.partner"].create({"name": "RPC Bureau", "is_company": True})
        project = cls.env["kam.housing.project"].create({"name": "RPC Garden", "code": "RPC"})
        contract = cls.env["kam.housing.contract"].create(
            {"partner_id": employer.id, "project_id": project.id, "user_id": cls.staff.id}
        )
        sudo_force_state_for_fixture(contract, "selection")  # fixture: the steps are tested elsewhere
        buyer = cls.env["kam.housing.buyer"].create(
            {"contract_id": contract.id, "name": "张喆", "id_number": make_resident_id("110101", datetime.date(1980, 5, 17), 7)}
        )
        cls.receipt = cls.env["kam.housing.receipt"].create(
            {"name": "RPC-1", "contract_id": contract.id, "buyer_id": buyer.id, "amount": 100.0}
        )

    def test_state_and_trail_cannot_be_forced(self):
        self.authenticate("kam_rpc_staff", "kam_rpc_staff_pw")
        for values in ({"state": "registered"}, {"registered_by_id": self.staff.id}, {"copy_received_by_id": self.staff.id}):
            with self.subTest(values=values):
                self._assert_refused(
                    self._call("kam.housing.receipt", "write", [[self.receipt.id], values],
                               context={"skip_validation_check": True, "kam_freezing": True}),
                    BUTTONS_ONLY,
                )
        # staff prepare a receipt; finance registers it (issue 18)
        self._assert_refused(self._call("kam.housing.receipt", "action_register", [[self.receipt.id]]), "not allowed")
        self.receipt.action_register()
        self._assert_refused(self._call("kam.housing.receipt", "write", [[self.receipt.id], {"amount": 1.0}]), LOCKED)
        self._assert_refused(self._call("kam.housing.receipt", "unlink", [[self.receipt.id]]), "kept as a record")
        self.receipt.invalidate_recordset()
        self.assertEqual(self.receipt.state, "registered")
        self.assertEqual(self.receipt.amount, 100.0)

    def test_sales_reads_no_receipts_and_no_bank_lines(self):
        self.authenticate("kam_rpc_sales", "kam_rpc_sales_pw")
        for model in ("kam.housing.receipt", "account.bank.statement.line", "kam.joint.reconciliation"):
            with self.subTest(model=model):
                self._assert_refused(
                    self._call(model, "search_read", [[]], {"fields": ["id"]}), model, error=AccessError
                )
