"""The same attacks as a hostile client sends them: JSON-RPC ``/web/dataset/call_kw`` as a logged-in
key-account staff member, one class of attack per model at least. Each asserts the refusal and that the
database did not change."""

import datetime

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import KamJsonRpcMixin
from .housing_common import KamHousingCommon
from .test_attack_approvals import BUTTONS_ONLY, LOCKED, REVIEW_WRITE


@tagged("post_install", "-at_install")
class TestAttackJsonRpc(KamJsonRpcMixin, KamHousingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("sales_team.group_sale_salesman_all_leads")  # the order below
        cls.staff = cls.kam_users["user"]
        partner = cls.env["res.partner"].create({"name": "RPC Prospect Co", "is_company": True})
        cls.registration = cls.env["kam.account.registration"].create(
            {"partner_id": partner.id, "user_id": cls.staff.id}
        )
        cls.exception = cls.env["kam.credit.exception"].create(
            {"partner_id": partner.id, "amount": 5000.0, "date_to": datetime.date(2026, 12, 31), "reason": "RPC"}
        )
        cls.order = cls.env["sale.order"].create({"partner_id": partner.id})
        cls.discount = cls.env["kam.discount.approval"].create(
            {"sale_order_id": cls.order.id, "discount": 8.0, "reason": "RPC"}
        )
        cls.review = cls.env["kam.tier.review"].create(
            {"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 12, 31)}
        )
        cls.contract = cls._create_contract(state="allocated")
        cls.pricing = cls.contract.approved_pricing_id
        cls.allocation = cls.contract.allocation_ids.filtered(lambda a: a.state == "approved")
        cls.draft_contract = cls._create_contract(state="contract")
        cls.draft_pricing = cls.env["kam.housing.pricing"].create(cls._pricing_vals(cls.draft_contract))
        cls.department = cls.env["kam.department"].create({"name": "RPC Department"})
        cls.relation = cls.env["kam.relation.request"].create(
            {
                "department_id": cls.department.id,
                "project_id": cls.project.id,
                "buyer_name": "Qian Yu",
                "average_price": 9500.0,
                "payment_ratio": 50.0,
                "payment_deadline": datetime.date(2026, 12, 1),
            }
        )
        cls.prospect = cls.env["kam.housing.prospect"].create(
            {"partner_id": partner.id, "project_id": cls.project.id, "round": "rpc"}
        )

    def setUp(self):
        super().setUp()
        self.authenticate(self.staff.login, self.staff.login)

    def test_state_writes_with_context_keys_are_refused_on_every_model(self):
        attacks = [
            (self.registration, {"state": "approved"}, {"kam_workflow": True}),
            (self.exception, {"state": "approved"}, {"skip_validation_check": True}),
            (self.discount, {"state": "approved"}, {"skip_check_state_condition": True}),
            (self.review, {"state": "approved"}, {"kam_workflow": True}),
            (self.draft_pricing, {"state": "approved"}, {"skip_validation_check": True}),
            (self.allocation, {"state": "draft"}, {"kam_workflow": True}),
            (self.relation, {"state": "approved"}, {"kam_workflow": True}),
            (self.contract, {"state": "closed"}, {"kam_workflow": True, "tracking_disable": True}),
            (self.prospect, {"state": "screened"}, {"kam_workflow": True}),
        ]
        for record, values, context in attacks:
            with self.subTest(model=record._name):
                before = record.state
                self._assert_refused(self._call(record._name, "write", [record.ids, values], context=context), BUTTONS_ONLY)
                record.invalidate_recordset()
                self.assertEqual(record.state, before)

    def test_action_fields_and_computed_prices_are_refused(self):
        line = self.allocation.line_ids
        price = line.price_per_m2
        self._assert_refused(
            self._call(line._name, "write", [line.ids, {"price_per_m2": 1.0, "amount": 1.0}]), BUTTONS_ONLY
        )
        self._assert_refused(
            self._call(self.relation._name, "write", [self.relation.ids, {"payment_date": "2026-01-01"}]), BUTTONS_ONLY
        )
        self._assert_refused(
            self._call(self.discount._name, "write", [self.discount.ids, {"cap": 90.0}]), BUTTONS_ONLY
        )
        self._assert_refused(
            self._call(self.contract._name, "write", [self.contract.ids, {"buyer_finance_date": "2026-01-01 00:00:00"}]),
            BUTTONS_ONLY,
        )
        self._assert_refused(
            self._call(
                "kam.payment.downgrade",
                "create",
                [[{"partner_id": self.employer.id, "company_id": self.env.company.id, "quarter": "2026-Q1"}]],
            ),
            "recorded by the daily job only",
        )
        self.env.invalidate_all()
        self.assertEqual(line.price_per_m2, price)
        self.assertFalse(self.relation.payment_date)
        self.assertEqual(self.discount.cap, 0.0)
        self.assertFalse(self.contract.buyer_finance_date)
        self.assertFalse(self.env["kam.payment.downgrade"].search_count([("partner_id", "=", self.employer.id)]))

    def test_a_forged_review_does_not_approve(self):
        chain = self._create_chain("kam.housing.pricing", ("marketing_director",))
        self.draft_pricing.request_validation()
        review = self.draft_pricing.sudo().review_ids
        self._assert_refused(
            self._call("tier.review", "write", [review.ids, {"status": "approved", "done_by": self.staff.id}]),
            REVIEW_WRITE,
        )
        self._assert_refused(self._call(self.draft_pricing._name, "action_approve", [self.draft_pricing.ids]), "not approved")
        self._assert_refused(self._call(self.draft_pricing._name, "validate_tier", [self.draft_pricing.ids]), "no review")
        # and what the reviewers see is locked, lines included
        layout = self.draft_pricing.layout_line_ids
        self._assert_refused(
            self._call(layout._name, "write", [layout.ids, {"delta": 999.0}], context={"skip_validation_check": True}),
            LOCKED,
        )
        review.invalidate_recordset()
        self.draft_pricing.invalidate_recordset()
        self.assertEqual(review.status, "pending")
        self.assertEqual(self.draft_pricing.state, "draft")
        self.assertEqual(layout.delta, 200.0)
        chain.active = False

    def test_staff_cannot_cancel_an_allocated_contract_over_rpc(self):
        self._assert_refused(self._call(self.contract._name, "action_cancel", [self.contract.ids]), "not allowed")
        self.contract.invalidate_recordset()
        self.assertEqual(self.contract.state, "allocated")

    def test_a_proposal_in_a_later_state_is_not_created(self):
        vals = self._pricing_vals(self.draft_contract, state="approved")
        vals["layout_line_ids"] = [Command.create({"layout": "A", "delta": 0.0})]
        count = self.env["kam.housing.pricing"].search_count([])
        self._assert_refused(self._call("kam.housing.pricing", "create", [[vals]]), BUTTONS_ONLY)
        self.assertEqual(self.env["kam.housing.pricing"].search_count([]), count)
