import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .housing_common import KamHousingCommon

ALLOCATION_CHAIN = ("marketing_director", "finance_director", "project_gm", "gm")
LOCKED = "is locked: it is under review or approved"


@tagged("post_install", "-at_install")
class TestUnitAllocation(KamHousingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_chain("kam.unit.allocation", ALLOCATION_CHAIN)
        cls.contract, cls.pricing = cls._priced_contract()
        cls.first_units = cls.units[:3]  # B1 floor 1, numbers 101–103, layout A, 100 m²

    def _allocation(self, units, date=datetime.date(2026, 6, 1)):
        return self.env["kam.unit.allocation"].create(
            {
                "contract_id": self.contract.id,
                "date": date,
                "line_ids": [Command.create({"unit_id": unit.id}) for unit in units],
            }
        )

    def test_allocation_without_a_covering_financing_target_is_refused(self):
        allocation = self._allocation(self.first_units, date=datetime.date(2027, 2, 1))
        with self.assertRaisesRegex(UserError, "No financing target of project Lakeside Garden covers 2027-02-01"):
            allocation.request_validation()
        self.assertFalse(allocation.review_ids)
        with self.assertRaisesRegex(UserError, "No financing target"):
            allocation.action_approve()
        # a quarterly target for Q1 2027 opens it
        quarter = self.env["kam.financing.target"].create(
            {"project_id": self.project.id, "period_type": "quarter", "year": 2027, "quarter": "1", "amount": 1e6}
        )
        self.assertEqual((quarter.date_from, quarter.date_to), (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31)))
        self._approve_through_chain(allocation, ALLOCATION_CHAIN)
        self.assertEqual(allocation.state, "approved")
        self.assertEqual(allocation.financing_target_id, quarter)

    def test_approved_allocation_holds_units_at_derived_prices_and_counts_against_the_target(self):
        allocation = self._allocation(self.first_units)
        self.assertEqual(allocation.line_ids.mapped("price_per_m2"), [9000.0, 9000.0, 9000.0])
        self.assertEqual(allocation.amount_total, 2_700_000.0)
        self._approve_through_chain(allocation, ALLOCATION_CHAIN[:-1])
        self.assertEqual(allocation.state, "draft")
        self.assertEqual(self.first_units.mapped("state"), ["available", "available", "available"])
        # the general manager's validation approves it and holds the units: nobody presses Approve
        allocation.with_user(self.approvers["gm"]).validate_tier()
        allocation.invalidate_recordset()
        self.assertEqual(allocation.state, "approved")
        self.assertEqual(allocation.financing_target_id, self.target_2026)
        self.assertEqual(self.first_units.mapped("state"), ["ka", "ka", "ka"])
        self.assertEqual(self.first_units.contract_id, self.contract)
        self.assertEqual(self.contract.state, "allocated")
        self.assertEqual(self.contract.unit_count, 3)
        self.target_2026.invalidate_recordset()
        self.assertEqual(self.target_2026.allocated_amount, 2_700_000.0)
        self.assertAlmostEqual(self.target_2026.allocated_percent, 5.4)
        with self.assertRaisesRegex(UserError, LOCKED):
            allocation.line_ids[0].unlink()
        with self.assertRaisesRegex(UserError, LOCKED):
            allocation.write({"line_ids": [Command.create({"unit_id": self.units[4].id})]})
        with self.assertRaisesRegex(UserError, LOCKED):
            allocation.date = datetime.date(2026, 6, 2)
        with self.assertRaisesRegex(UserError, "approved allocation cannot be cancelled"):
            allocation.action_cancel()

    def test_refusal_leaves_the_units_free(self):
        allocation = self._allocation(self.first_units)
        allocation.request_validation()
        allocation.invalidate_recordset()
        for role in ALLOCATION_CHAIN[:-1]:
            allocation.with_user(self.approvers[role]).validate_tier()
        allocation.with_user(self.approvers["gm"]).reject_tier()
        allocation.invalidate_recordset()
        self.assertEqual(allocation.validation_status, "rejected")
        self.assertEqual(allocation.state, "draft")
        self.assertEqual(self.first_units.mapped("state"), ["available", "available", "available"])
        self.assertEqual(self.contract.state, "priced")

    def test_a_later_addition_is_approved_again(self):
        first = self._allocation(self.first_units)
        self._approve_through_chain(first, ALLOCATION_CHAIN)
        addition = self._allocation(self.units[3:5], date=datetime.date(2026, 7, 1))
        self.assertTrue(addition.is_addition)
        self.assertFalse(first.is_addition)
        # approving without the chain is refused
        with self.assertRaisesRegex(ValidationError, "needs its approval chain"):
            addition.action_approve()
        self.assertEqual(self.units[3:5].mapped("state"), ["available", "available"])
        self._approve_through_chain(addition, ALLOCATION_CHAIN)
        # layout B (80 m²) on floor 1: 9000 + 200
        self.assertEqual(addition.line_ids.mapped("price_per_m2"), [9200.0, 9200.0])
        self.assertEqual(self.contract.unit_count, 5)

    def test_allocation_needs_an_approved_price(self):
        contract = self._create_contract()
        allocation = self.env["kam.unit.allocation"].create(
            {"contract_id": contract.id, "date": datetime.date(2026, 6, 1),
             "line_ids": [Command.create({"unit_id": self.units[10].id})]}
        )
        self.assertEqual(allocation.line_ids.amount, 0.0)
        with self.assertRaisesRegex(UserError, "only after the contract's average price is approved"):
            allocation.request_validation()

    def test_a_unit_held_by_retail_cannot_be_allocated(self):
        unit = self.units[6]
        self.env["kam.unit.holding"]._reserve_retail(unit, "Wang Fang")
        allocation = self._allocation(unit)
        allocation.request_validation()
        allocation.invalidate_recordset()
        for role in ALLOCATION_CHAIN[:-1]:
            allocation.with_user(self.approvers[role]).validate_tier()
        with self.assertRaisesRegex(ValidationError, "already held"):
            allocation.with_user(self.approvers["gm"]).validate_tier()
        # the refused validation rolls back (the savepoint of assertRaises leaves its pending writes in the cache)
        self.env.clear()
        self.assertEqual(allocation.state, "draft")
        self.assertEqual(unit.state, "retail")

    def test_financing_targets_are_set_by_the_finance_director(self):
        vals = {"project_id": self.project.id, "period_type": "quarter", "year": 2026, "quarter": "2", "amount": 1e6}
        for department in ("user", "manager", "finance", "audit", "executive"):
            with self.subTest(department=department), self.assertRaises(AccessError):
                self.env["kam.financing.target"].with_user(self.kam_users[department]).create(vals)
        target = self.env["kam.financing.target"].with_user(self.kam_users["finance_manager"]).create(vals)
        self.assertEqual(target.date_to, datetime.date(2026, 6, 30))
