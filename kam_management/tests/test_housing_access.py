from odoo.exceptions import AccessError
from odoo.tests import tagged

from .housing_common import KamHousingCommon


@tagged("post_install", "-at_install")
class TestHousingDepartmentAccess(KamHousingCommon):
    """SEC1 for housing: who reads and writes what, department by department."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract, cls.pricing = cls._priced_contract()
        cls.buyer = cls.env["kam.housing.buyer"].create(
            {"contract_id": cls.contract.id, "name": "Wu Hao", "id_number": "11010519491231002X"}
        )

    def _can(self, department, records, operation):
        records = records.with_user(self.kam_users[department])
        try:
            if operation == "read":
                records.read(["display_name"])
            else:
                records.check_access(operation)
        except AccessError:
            return False
        return True

    def test_read_access_per_department(self):
        expected = {
            # department: (unit, contract, pricing, buyer, target)
            "user": (True, True, True, True, True),
            "manager": (True, True, True, True, True),
            "sales": (True, False, False, False, False),
            "finance": (True, True, True, True, True),
            "finance_manager": (True, True, True, True, True),
            "audit": (True, True, True, True, True),
            "cost": (True, True, True, False, False),
            "executive": (True, True, True, True, True),
        }
        records = (self.units[0], self.contract, self.pricing, self.buyer, self.target_2026)
        for department, allowed in expected.items():
            for record, may in zip(records, allowed, strict=True):
                with self.subTest(department=department, model=record._name):
                    self.assertEqual(self._can(department, record, "read"), may)

    def test_audit_reads_everything_and_writes_nothing(self):
        for record in (self.project, self.units[0], self.contract, self.pricing, self.buyer, self.target_2026):
            with self.subTest(model=record._name):
                self.assertTrue(self._can("audit", record, "read"))
                self.assertFalse(self._can("audit", record, "write"))

    def test_sales_see_states_but_no_key_account_prices_cost_or_ids(self):
        unit = self.units[0].with_user(self.kam_users["sales"])
        self.assertEqual(unit.read(["state", "area", "list_price"])[0]["state"], "available")
        for field_name in ("cost_price",):
            with self.assertRaises(AccessError):
                unit.read([field_name])
        with self.assertRaises(AccessError):
            self.env["kam.unit.allocation.line"].with_user(self.kam_users["sales"]).search_read([], ["price_per_m2"])
        with self.assertRaises(AccessError):
            self.env["kam.housing.buyer"].with_user(self.kam_users["sales"]).search([])
        # retail sales reserve units for their own customers
        unit = self.units[1].with_user(self.kam_users["sales"])
        wizard_action = unit.action_kam_reserve_retail()
        self.env[wizard_action["res_model"]].with_user(self.kam_users["sales"]).with_context(
            wizard_action["context"]
        ).create({"holder_name": "Retail customer"}).action_confirm()
        self.assertEqual(self.units[1].state, "retail")
        unit.action_kam_release_retail()
        self.assertEqual(self.units[1].state, "available")
        # but they neither take nor release key-account units
        with self.assertRaises(AccessError):
            self.env["kam.unit.holding"].with_user(self.kam_users["sales"]).create(
                {"unit_id": self.units[2].id, "channel": "ka", "contract_id": self.contract.id}
            )
        ka_holding = self.env["kam.unit.holding"].sudo().create(  # fixture: what an approved allocation does
            {"unit_id": self.units[2].id, "channel": "ka", "contract_id": self.contract.id}
        ).sudo(False)
        with self.assertRaises(AccessError):
            ka_holding.with_user(self.kam_users["sales"]).action_release()
        self.assertEqual(self.units[2].state, "ka")

    def test_key_account_staff_see_only_their_contracts(self):
        colleague = self._create_contract(user_id=self.approvers["marketing_director"].id, team_member_ids=[(5,)])
        colleague.team_leader_id = self.approvers["marketing_director"]
        staff = self.env["kam.housing.contract"].with_user(self.kam_users["user"])
        visible = staff.search([("id", "in", (self.contract | colleague).ids)])
        self.assertEqual(visible, self.contract)
        with self.assertRaises(AccessError):
            colleague.with_user(self.kam_users["user"]).read(["name"])
        # nor its prices: pricing, allocations and their lines follow the contract
        colleague_pricing = self.env["kam.housing.pricing"].create(self._pricing_vals(colleague))
        self.assertFalse(
            self.env["kam.housing.pricing"].with_user(self.kam_users["user"]).search([("id", "=", colleague_pricing.id)])
        )
        # the director sees both
        director = self.env["kam.housing.contract"].with_user(self.kam_users["manager"])
        self.assertEqual(director.search([("id", "in", (self.contract | colleague).ids)]), self.contract | colleague)

    def test_key_account_staff_see_only_their_prospects_but_ranks_cover_the_round(self):
        mine, theirs = self.env["kam.housing.prospect"].create(
            [
                dict(self._analysis_vals(), partner_id=self.employer.id, project_id=self.project.id,
                     user_id=self.kam_users["user"].id, price_max=9000),
                dict(self._analysis_vals(), partner_id=self.kam_users["manager"].partner_id.id,
                     project_id=self.project.id, user_id=self.kam_users["manager"].id, price_max=9500),
            ]
        )
        (mine | theirs).action_screen()
        round_1 = [("round", "=", "1")]  # the fixtures' contract screened its own round
        visible = self.env["kam.housing.prospect"].with_user(self.kam_users["user"]).search(round_1)
        self.assertEqual(visible, mine)
        self.assertEqual(visible.rank, 2)
        self.assertEqual(len(self.env["kam.housing.prospect"].with_user(self.kam_users["manager"]).search(round_1)), 2)

    def test_only_the_finance_director_sets_financing_targets(self):
        for department in ("user", "manager", "finance", "audit", "executive", "sales", "cost"):
            with self.subTest(department=department):
                self.assertFalse(self._can(department, self.target_2026, "write"))
        self.assertTrue(self._can("finance_manager", self.target_2026, "write"))

    def test_cost_department_maintains_unit_costs(self):
        unit = self.units[0].with_user(self.kam_users["cost"])
        unit.cost_price = 480_000.0
        self.assertEqual(self.units[0].cost_price, 480_000.0)
        with self.assertRaises(AccessError):
            self.units[0].with_user(self.kam_users["user"]).read(["cost_price"])
