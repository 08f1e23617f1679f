"""Attacks on the commissioned-housing lifecycle (issue 7): contracts, prospects, prices, allocations and
relationship requests, as each department, through the ORM. Each attack asserts the translated refusal and
that nothing changed."""

import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .housing_common import KamHousingCommon, make_resident_id
from .test_attack_approvals import BUTTONS_ONLY, HOSTILE_CONTEXTS, LOCKED


@tagged("post_install", "-at_install")
class TestAttackHousing(KamHousingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract(state="allocated")
        cls.pricing = cls.contract.approved_pricing_id
        cls.allocation = cls.contract.allocation_ids.filtered(lambda a: a.state == "approved")

    # ------------------------------------------------------------
    # contract
    # ------------------------------------------------------------

    def test_contract_state_and_sign_offs_are_not_written_whatever_the_context(self):
        for department, user in self.kam_users.items():
            for context in ({}, *HOSTILE_CONTEXTS):
                with self.subTest(department=department, context=context):
                    with self.assertRaises(UserError):
                        self.contract.with_user(user).with_context(**context).write({"state": "closed"})
                    with self.assertRaises(UserError):
                        self.contract.with_user(user).with_context(**context).write(
                            {"buyer_audit_date": datetime.datetime(2026, 1, 1), "buyer_audit_user_id": user.id}
                        )
        self.contract.invalidate_recordset()
        self.assertEqual(self.contract.state, "allocated")
        self.assertFalse(self.contract.buyer_audit_date)
        with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
            self.contract.with_user(self.kam_users["manager"]).write({"state": "closed"})

    def test_staff_cannot_cancel_an_allocated_contract(self):
        with self.assertRaisesRegex(AccessError, "You are not allowed to do this on"):
            self.contract.with_user(self.kam_users["user"]).action_cancel()
        self.assertEqual(self.contract.state, "allocated")
        self.assertTrue(self.contract.holding_ids.filtered(lambda h: h.state == "active"))
        self.contract.with_user(self.kam_users["manager"]).action_cancel()
        self.assertEqual(self.contract.state, "cancel")
        self.assertFalse(self.contract.holding_ids.filtered(lambda h: h.state == "active"))

    def test_employer_project_and_terms_are_frozen_once_priced(self):
        other = self.env["res.partner"].create({"name": "Other Employer", "is_company": True})
        for values in ({"partner_id": other.id}, {"payment_ratio": 80.0}, {"payment_deadline": datetime.date(2028, 1, 1)}):
            with self.subTest(values=values):
                with self.assertRaisesRegex(UserError, LOCKED):
                    self.contract.with_user(self.kam_users["manager"]).write(values)
        self.assertEqual(self.contract.partner_id, self.employer)
        self.assertEqual(self.contract.payment_ratio, 60.0)
        # the team and the note still change
        self.contract.with_user(self.kam_users["manager"]).write({"note": "<p>Kick-off on Monday.</p>"})

    def test_one_person_signs_the_buyer_list_once(self):
        self.env["kam.housing.buyer"].create(
            {
                "contract_id": self.contract.id,
                "name": "Li Lei",
                "id_number": make_resident_id("110105", datetime.date(1990, 3, 7), 12),
            }
        )
        both = self.kam_users["audit"]
        both.group_ids += self.env.ref("kam_management.group_kam_finance")
        self.contract.with_user(both).action_signoff_buyers_audit()
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            self.contract.with_user(both).action_signoff_buyers_finance()
        self.contract.buyer_lawyer_id = self.env["res.partner"].create({"name": "Lawyer Wang"})
        with self.assertRaisesRegex(UserError, "another person must do this step"):
            self.contract.with_user(both).action_signoff_buyers_lawyer()
        self.assertFalse(self.contract.buyer_finance_date)
        self.assertFalse(self.contract.buyer_lawyer_date)

    # ------------------------------------------------------------
    # prospects
    # ------------------------------------------------------------

    def test_empty_prospects_are_not_screened(self):
        partners = self.env["res.partner"].create([{"name": f"Empty {i}", "is_company": True} for i in range(3)])
        prospects = self.env["kam.housing.prospect"].with_user(self.kam_users["user"]).create(
            [{"partner_id": p.id, "project_id": self.project.id, "round": "empty"} for p in partners]
        )
        with self.assertRaisesRegex(UserError, "cannot be screened without its analysis"):
            prospects.action_screen()
        with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
            prospects.with_user(self.kam_users["user"]).write({"state": "screened"})
        self.assertEqual(set(prospects.mapped("state")), {"draft"})
        self.assertEqual(self.env["kam.housing.prospect"]._count_screened(self.project, "empty"), 0)

    # ------------------------------------------------------------
    # prices and allocations
    # ------------------------------------------------------------

    def test_an_approved_price_stays_approved(self):
        for department, user in self.kam_users.items():
            for context in ({}, *HOSTILE_CONTEXTS):
                with self.subTest(department=department, context=context):
                    with self.assertRaises(UserError):
                        self.pricing.with_user(user).with_context(**context).write({"state": "draft"})
                    with self.assertRaises(UserError):
                        self.pricing.with_user(user).with_context(**context).write({"average_price": 1.0})
        self.pricing.invalidate_recordset()
        self.assertEqual(self.pricing.state, "approved")
        self.assertEqual(self.pricing.average_price, 9000.0)

    def test_a_proposal_and_its_layout_lines_are_locked_under_review(self):
        contract = self._create_contract(state="contract")
        chain = self._create_chain("kam.housing.pricing", ("marketing_director", "chairman"))
        proposal = self.env["kam.housing.pricing"].create(self._pricing_vals(contract))
        proposal.request_validation()
        staff = self.kam_users["user"]
        line = proposal.layout_line_ids
        for context in ({}, *HOSTILE_CONTEXTS):
            with self.subTest(context=context):
                with self.assertRaisesRegex(UserError, LOCKED):
                    proposal.with_user(staff).with_context(**context).write({"average_price": 8000.0})
                with self.assertRaisesRegex(UserError, LOCKED):
                    line.with_user(staff).with_context(**context).write({"delta": 900.0})
                with self.assertRaisesRegex(UserError, LOCKED):
                    self.env["kam.housing.pricing.layout"].with_user(staff).with_context(**context).create(
                        {"pricing_id": proposal.id, "layout": "A", "delta": -500.0}
                    )
                with self.assertRaisesRegex(UserError, LOCKED):
                    line.with_user(staff).with_context(**context).unlink()
        proposal.invalidate_recordset()
        self.assertEqual(proposal.average_price, 9000.0)
        self.assertEqual(proposal.layout_line_ids.mapped("delta"), [200.0])
        chain.active = False

    def test_allocation_prices_are_not_written_and_survive_a_price_withdrawal(self):
        line = self.allocation.line_ids
        price, amount = line.price_per_m2, line.amount
        self.assertTrue(price)
        for department, user in self.kam_users.items():
            with self.subTest(department=department):
                with self.assertRaises(UserError):
                    line.with_user(user).write({"price_per_m2": 1.0, "amount": 1.0})
        draft = self.env["kam.unit.allocation"].create({"contract_id": self.contract.id})
        with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
            self.env["kam.unit.allocation.line"].with_user(self.kam_users["user"]).create(
                {"allocation_id": draft.id, "unit_id": self.units[0].id, "price_per_m2": 1.0}
            )
        # the director cannot withdraw the price units were allocated at; the approved lines keep their prices
        with self.assertRaisesRegex(UserError, "cannot be withdrawn"):
            self.pricing.with_user(self.kam_users["manager"]).action_cancel()
        with self.assertRaises(AccessError):
            self.pricing.with_user(self.kam_users["user"]).action_cancel()
        line.invalidate_recordset()
        self.assertEqual((line.price_per_m2, line.amount), (price, amount))
        self.assertEqual(self.pricing.state, "approved")

    def test_an_approved_allocation_is_not_deleted(self):
        for department in ("user", "manager"):
            with self.subTest(department=department):
                with self.assertRaises(UserError):
                    self.allocation.with_user(self.kam_users[department]).unlink()
        self.assertTrue(self.allocation.exists())


@tagged("post_install", "-at_install")
class TestAttackRelationRequests(KamHousingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.department = cls.env["kam.department"].create({"name": "Attack Department"})

    def _request(self, **values):
        vals = {
            "department_id": self.department.id,
            "project_id": self.project.id,
            "unit_ids": [Command.set(self.units[16].ids)],
            "buyer_name": "Sun Li",
            "average_price": 9500.0,
            "payment_ratio": 50.0,
            "payment_deadline": datetime.date(2026, 12, 1),
        }
        vals.update(values)
        return self.env["kam.relation.request"].create(vals)

    def test_staff_cannot_type_the_payment_date(self):
        self._create_chain("kam.relation.request", ("chairman",))
        request = self._request(unit_ids=[])
        self._approve_by_reviewers(request)
        self.assertEqual(request.state, "approved")
        for department in ("user", "manager", "sales"):
            with self.subTest(department=department):
                with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
                    request.with_user(self.kam_users[department]).write({"payment_date": datetime.date(2026, 11, 1)})
                with self.assertRaises(AccessError):
                    request.with_user(self.kam_users[department]).action_register_payment(payment_date="2026-11-01")
        request.invalidate_recordset()
        self.assertFalse(request.payment_date)
        self.assertEqual(request.state, "approved")

    def test_cancelling_an_overdue_phone_approval_keeps_the_block(self):
        with freeze_time("2026-11-06"):
            request = self._request()
            request.with_user(self.approvers["gm"]).action_emergency_approve()
        with freeze_time("2026-11-16"):  # past the fifth working day
            with self.assertRaises(AccessError):
                request.with_user(self.kam_users["user"]).action_cancel()
            self.assertEqual(request.state, "emergency")
            request.with_user(self.kam_users["manager"]).action_cancel()
            self.assertEqual(request.state, "cancel")
            with self.assertRaisesRegex(UserError, "Attack Department has not documented the phone approval"):
                self._request(unit_ids=[])
        self.assertEqual(self.env["kam.relation.request"].search_count([("department_id", "=", self.department.id)]), 1)
