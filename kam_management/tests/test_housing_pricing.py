from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .housing_common import KamHousingCommon

CHAIN = ("marketing_director", "finance_director", "project_gm", "gm", "chairman")
LOCKED = "is locked: it is under review or approved"


@tagged("post_install", "-at_install")
class TestHousingPricing(KamHousingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chain = cls._create_chain("kam.housing.pricing")
        cls.contract = cls._create_contract()

    def _proposal(self, **values):
        return self.env["kam.housing.pricing"].create(self._pricing_vals(self.contract, **values))

    # guards at the SPEC's boundary values ---------------------------------

    def test_payment_ratio_49_refused_50_accepted(self):
        with self.assertRaisesRegex(ValidationError, "payment ratio 49 % is below the minimum of 50 %"):
            self._proposal(payment_ratio=49.0)
        self.assertEqual(self._proposal(payment_ratio=50.0).payment_ratio, 50.0)

    def test_payment_ratio_guard_follows_the_company_setting(self):
        self.env.company.kam_min_payment_ratio = 60.0
        with self.assertRaisesRegex(ValidationError, "below the minimum of 60 %"):
            self._proposal(payment_ratio=59.99)
        self._proposal(payment_ratio=60.0)

    def test_blind_price_79_99_percent_refused_80_percent_accepted(self):
        with self.assertRaisesRegex(ValidationError, r"below 80 % of the market reference 10000 \(at least 8000\)"):
            self._proposal(average_price=7999.0)
        self.assertEqual(self._proposal(average_price=8000.0).average_price, 8000.0)

    def test_cost_plus_below_cost_times_1_30_refused(self):
        with self.assertRaisesRegex(ValidationError, r"unit cost × 1.3 \(at least 6500\)"):
            self._proposal(basis="cost_plus", unit_cost=5000.0, average_price=6499.99)
        self._proposal(basis="cost_plus", unit_cost=5000.0, average_price=6500.0)

    def test_cost_plus_needs_the_cost_before_approval(self):
        proposal = self._proposal(basis="cost_plus", average_price=6500.0)  # cost not entered yet: a draft
        with self.assertRaisesRegex(ValidationError, "needs the unit cost"):
            proposal.request_validation()

    def test_swap_concession_above_70_percent_refused(self):
        with self.assertRaisesRegex(ValidationError, r"exceeds 70 % of the assessed value 1000000"):
            self._proposal(swap_assessed_value=1_000_000.0, swap_concession=700_000.01)
        self._proposal(swap_assessed_value=1_000_000.0, swap_concession=700_000.0)

    # the approval chain -----------------------------------------------------

    def test_the_last_validation_approves_and_locks_the_price(self):
        proposal = self._proposal()
        proposal.request_validation()
        proposal.invalidate_recordset()
        self.assertEqual(len(proposal.review_ids), 5)
        self.assertEqual(
            proposal.review_ids.sorted("sequence").mapped("reviewer_ids"),
            self.approvers["marketing_director"] + self.approvers["finance_director"]
            + self.approvers["project_gm"] + self.approvers["gm"] + self.approvers["chairman"],
        )
        # the chairman cannot approve before the marketing director
        self.assertFalse(proposal.with_user(self.approvers["chairman"]).can_review)
        with self.assertRaisesRegex(AccessError, "You have no review of"):
            proposal.with_user(self.approvers["chairman"]).validate_tier()
        proposal.invalidate_recordset()
        self.assertEqual(proposal.review_ids.mapped("status").count("approved"), 0)
        for done, role in enumerate(CHAIN, start=1):
            with self.assertRaisesRegex(ValidationError, "not approved by all its reviewers yet"):
                proposal.action_approve()  # not yet: reviews are still open
            self.assertEqual(proposal.state, "draft")
            self.assertEqual(self.contract.state, "contract")
            proposal.with_user(self.approvers[role]).validate_tier()
            proposal.invalidate_recordset()
            self.assertEqual(proposal.review_ids.mapped("status").count("approved"), done)
        # the chairman's validation approved it: nobody presses Approve
        self.assertEqual(proposal.validation_status, "validated")
        self.assertEqual(proposal.state, "approved")
        self.assertTrue(proposal.approved_date)
        self.assertEqual(self.contract.state, "priced")
        self.assertEqual(self.contract.approved_pricing_id, proposal)
        self.assertEqual(self.contract.average_price, 9000.0)
        # locked, with the message of every approved document
        with self.assertRaisesRegex(UserError, LOCKED):
            proposal.average_price = 9500.0
        with self.assertRaisesRegex(UserError, LOCKED):
            proposal.with_user(self.approvers["chairman"]).average_price = 9500.0
        with self.assertRaisesRegex(UserError, LOCKED):
            proposal.layout_line_ids.delta = 0.0
        with self.assertRaisesRegex(UserError, LOCKED):
            proposal.write({"layout_line_ids": [Command.create({"layout": "C", "delta": 1.0})]})
        with self.assertRaisesRegex(UserError, "is kept as a record: cancel or reverse it"):
            proposal.unlink()
        self.assertEqual(proposal.average_price, 9000.0)
        # the chatter stays open
        proposal.message_post(body="Signed copy filed.")
        # once per contract: the second chain stops at its last validation
        second = self._proposal(average_price=9100.0)
        second.request_validation()
        second.invalidate_recordset()
        for role in CHAIN[:-1]:
            second.with_user(self.approvers[role]).validate_tier()
        with self.assertRaises(UserError) as raised:  # its savepoint rolls back, as the refused request would
            second.with_user(self.approvers["chairman"]).validate_tier()
        self.assertIn("already has an approved price", str(raised.exception))
        self.env.invalidate_all()
        self.assertEqual(second.state, "draft")
        self.assertEqual(self.contract.approved_pricing_id, proposal)

    def test_refusal_at_any_step_stops_the_chain(self):
        for refused_at, refusing_role in enumerate(CHAIN):
            with self.subTest(step=refusing_role):
                proposal = self._proposal()
                proposal.request_validation()
                proposal.invalidate_recordset()
                for role in CHAIN[:refused_at]:
                    proposal.with_user(self.approvers[role]).validate_tier()
                proposal.with_user(self.approvers[refusing_role]).reject_tier()
                for role in CHAIN[refused_at + 1:]:
                    with self.assertRaises(AccessError):  # later reviewers have nothing left to do
                        proposal.with_user(self.approvers[role]).validate_tier()
                proposal.invalidate_recordset()
                self.assertEqual(proposal.validation_status, "rejected")
                with self.assertRaises(ValidationError):
                    proposal.action_approve()
                self.assertEqual(proposal.state, "draft")
                self.assertEqual(self.contract.state, "contract")

    def test_under_review_the_proposal_cannot_be_edited(self):
        proposal = self._proposal()
        proposal.request_validation()
        for context in ({}, {"skip_validation_check": True}):
            with self.assertRaisesRegex(UserError, LOCKED):
                proposal.with_user(self.kam_users["user"]).with_context(**context).average_price = 9900.0
        self.assertEqual(proposal.average_price, 9000.0)

    def test_without_a_chain_nothing_is_approved(self):
        self.chain.active = False
        proposal = self._proposal()
        with self.assertRaisesRegex(UserError, "No approval chain"):
            proposal.action_approve()

    def test_prices_are_approved_for_a_signed_contract_only(self):
        contract = self._create_contract(state="intent")
        proposal = self.env["kam.housing.pricing"].create(self._pricing_vals(contract))
        proposal.request_validation()
        proposal.invalidate_recordset()
        for role in CHAIN[:-1]:
            proposal.with_user(self.approvers[role]).validate_tier()
        with self.assertRaises(UserError) as raised:  # rolled back like the refused request
            proposal.with_user(self.approvers["chairman"]).validate_tier()
        self.assertIn("signed contract", str(raised.exception))
        self.env.invalidate_all()
        self.assertEqual(proposal.state, "draft")
        self.assertEqual(contract.state, "intent")
        # once the contract is signed, the chairman's validation approves it
        contract.action_sign_contract()
        proposal.with_user(self.approvers["chairman"]).validate_tier()
        proposal.invalidate_recordset()
        self.assertEqual(proposal.state, "approved")
        self.assertEqual(contract.state, "priced")

    # unit prices, cost visibility, chatter ----------------------------------

    def test_unit_prices_follow_floor_and_layout(self):
        proposal = self._proposal(reference_floor=2, floor_step=50.0)
        unit_a_floor_4 = self.units.filtered(lambda u: u.building_id == self.building_1 and u.number == "401")
        unit_b_floor_1 = self.units.filtered(lambda u: u.building_id == self.building_1 and u.number == "105")
        self.assertEqual(proposal._unit_price_per_m2(unit_a_floor_4), 9100.0)  # 9000 + 2 × 50
        self.assertEqual(proposal._unit_price_per_m2(unit_b_floor_1), 9150.0)  # 9000 − 50 + 200

    def test_the_unit_price_table_of_a_proposal(self):
        proposal = self._proposal(reference_floor=2, floor_step=50.0)
        action = proposal.action_open_unit_prices()
        units = self.env["kam.housing.unit"].with_context(action["context"]).search(action["domain"])
        self.assertEqual(len(units), 40)
        unit = units.filtered(lambda u: u.building_id == self.building_2 and u.number == "305")
        self.assertEqual(unit.proposed_price_per_m2, 9250.0)  # 9000 + 1 × 50 + 200 (layout B)
        self.assertEqual(unit.proposed_price, 740_000.0)  # × 80 m²
        self.assertEqual(sum(units.mapped("proposed_price")), sum(u.proposed_price_per_m2 * u.area for u in units))
        with self.assertRaises(AccessError):
            units.with_user(self.kam_users["sales"]).read(["proposed_price"])

    def test_cost_is_hidden_outside_cost_finance_and_executives(self):
        proposal = self._proposal(unit_cost=5000.0)
        for department in ("user", "manager", "audit"):
            with self.subTest(department=department), self.assertRaises(AccessError):
                proposal.with_user(self.kam_users[department]).read(["unit_cost"])
        for department in ("cost", "finance", "executive"):
            with self.subTest(department=department):
                self.assertEqual(
                    proposal.with_user(self.kam_users[department]).read(["unit_cost"])[0]["unit_cost"], 5000.0
                )
        with self.assertRaises(AccessError):
            proposal.with_user(self.kam_users["sales"]).read(["average_price"])

    def test_key_account_staff_propose_a_cost_plus_price_they_cannot_see_the_cost_of(self):
        proposal = self._proposal(basis="cost_plus", average_price=6400.0)
        proposal.with_user(self.kam_users["cost"]).unit_cost = 4900.0  # 6400 ≥ 4900 × 1.3 = 6370
        with self.assertRaisesRegex(ValidationError, "unit cost × 1.3"):
            proposal.with_user(self.kam_users["user"]).average_price = 6300.0

    def test_price_changes_are_tracked(self):
        proposal = self._proposal().with_context(tracking_disable=False, mail_notrack=False)
        self.env.flush_all()
        self.env.cr.precommit.run()  # the proposal was created in an earlier transaction
        proposal.average_price = 9200.0
        self.env.flush_all()
        self.env.cr.precommit.run()
        proposal.invalidate_recordset(["message_ids"])
        messages = self.env["mail.message"].sudo().search([("model", "=", proposal._name), ("res_id", "=", proposal.id)])
        tracked = messages.tracking_value_ids.filtered(lambda t: t.field_id.name == "average_price")
        self.assertEqual((tracked.old_value_float, tracked.new_value_float), (9000.0, 9200.0))

    def test_form_shows_the_proposal_to_key_account_staff(self):
        with Form(self.env["kam.housing.pricing"].with_user(self.kam_users["user"])) as form:
            form.contract_id = self.contract
            form.average_price = 8800.0
            form.payment_ratio = 55.0
            form.market_reference_price = 10000.0
        self.assertEqual(form.record.state, "draft")
