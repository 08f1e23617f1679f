import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .housing_common import KamHousingCommon


@tagged("post_install", "-at_install")
class TestHousingContract(KamHousingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employers = cls.employer | cls.env["res.partner"].create(
            [{"name": name, "is_company": True} for name in ("Municipal Tax Bureau", "City No. 1 Hospital", "Provincial Grid Co.")]
        )

    def _prospects(self, count, state="screened", round_="1", offset=0):
        """Candidates with their analysis, screened through the button when ``state`` is "screened"."""
        prospects = self.env["kam.housing.prospect"].create(
            [
                dict(self._analysis_vals(), partner_id=partner.id, project_id=self.project.id, round=round_)
                for partner in self.employers[offset : offset + count]
            ]
        )
        if state == "screened":
            prospects.action_screen()
        return prospects

    # HS4 -----------------------------------------------------------------

    def test_negotiation_needs_three_screened_candidates_of_the_round(self):
        contract = self._create_contract(state="draft")
        self._prospects(2)
        self._prospects(1, state="draft", offset=2)  # unscreened do not count
        self._prospects(1, round_="2", offset=3)  # another round does not count
        with self.assertRaisesRegex(UserError, "at least 3 screened candidates .* round 1; 2 are on record"):
            contract.action_start_negotiation()
        self.assertEqual(contract.state, "draft")
        self.env["kam.housing.prospect"].search([("state", "=", "draft")]).action_screen()
        contract.action_start_negotiation()
        self.assertEqual(contract.state, "negotiation")

    def test_the_employer_must_be_a_screened_candidate(self):
        self._prospects(3, offset=1)  # three others, not our employer
        contract = self._create_contract(state="draft")
        with self.assertRaisesRegex(UserError, "Jiangcheng Power Supply Bureau is not a screened candidate"):
            contract.action_start_negotiation()

    def test_the_minimum_is_a_company_setting(self):
        self.env.company.kam_min_screened_candidates = 4
        self._prospects(3)
        contract = self._create_contract(state="draft")
        with self.assertRaisesRegex(UserError, "at least 4 screened candidates"):
            contract.action_start_negotiation()

    def test_prospects_rank_by_price_then_ratio_then_swap_then_occupiers(self):
        first, second, third = self._prospects(3)
        first.write({"price_max": 9000, "payment_ratio": 80})
        second.write({"price_max": 9500, "payment_ratio": 60, "resource_swap": False})
        third.write({"price_max": 9500, "payment_ratio": 60, "resource_swap": True})
        self.assertEqual((third.rank, second.rank, first.rank), (1, 2, 3))
        third.action_reject()
        (first | second | third).invalidate_recordset(["rank"])
        self.assertEqual((second.rank, first.rank, third.rank), (1, 2, 0))

    # HS5 -----------------------------------------------------------------

    def test_memos_are_acknowledged_by_each_team_member(self):
        contract = self._create_contract(state="negotiation")
        memo = self.env["kam.negotiation.memo"].create({"contract_id": contract.id, "subject": "First meeting"})
        team = contract.team_leader_id | contract.team_member_ids
        self.assertEqual(memo.ack_ids.user_id, team)
        self.assertEqual(memo.ack_state, "pending")
        with self.assertRaisesRegex(UserError, "Only members of the negotiation team"):
            memo.with_user(self.kam_users["audit"]).action_acknowledge()
        for user in team:
            memo.with_user(user).action_acknowledge()
        self.assertEqual(memo.ack_state, "done")
        with self.assertRaisesRegex(UserError, "already acknowledged"):
            memo.with_user(team[0]).action_acknowledge()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            memo.subject = "Rewritten"

    def test_no_price_is_committed_before_the_price_approval(self):
        contract = self._create_contract(state="negotiation")
        with self.assertRaisesRegex(ValidationError, "No price may be committed"):
            self.env["kam.negotiation.memo"].create(
                {"contract_id": contract.id, "subject": "Price talk", "committed_price": 9000.0}
            )
        priced, _pricing = self._priced_contract()
        with self.assertRaisesRegex(ValidationError, "must be the approved average price 9000"):
            self.env["kam.negotiation.memo"].create(
                {"contract_id": priced.id, "subject": "Price talk", "committed_price": 8800.0}
            )
        memo = self.env["kam.negotiation.memo"].create(
            {"contract_id": priced.id, "subject": "Price talk", "committed_price": 9000.0}
        )
        self.assertEqual(memo.committed_price, 9000.0)

    # HS6 -----------------------------------------------------------------

    def test_lifecycle_checks_each_step(self):
        contract = self._create_contract(state="negotiation", joint_journal_id=False)
        with self.assertRaisesRegex(UserError, "this step needs it to be Letter of Intent"):
            contract.action_sign_contract()
        contract.action_sign_intent()
        self.assertEqual(contract.intent_date, datetime.date.today())
        with self.assertRaisesRegex(UserError, "Fill in before signing the contract: Joint Account"):
            contract.action_sign_contract()
        contract.joint_journal_id = self.joint_journal
        contract.action_sign_contract()
        self.assertEqual(contract.state, "contract")
        with self.assertRaisesRegex(UserError, "this step needs it to be Units Allocated"):
            contract.action_open_selection()

    def test_steps_and_sign_offs_are_set_by_the_buttons_only(self):
        contract = self._create_contract(state="contract")
        director = self.kam_users["manager"]  # may edit every contract, yet not skip a step
        with self.assertRaises(UserError) as raised:
            contract.with_user(director).write({"state": "selection"})
        self.assertIn("change only through the document's buttons", str(raised.exception))
        with self.assertRaises(UserError):
            contract.with_user(director).write({"buyer_audit_date": datetime.datetime(2026, 11, 1)})
        self.assertEqual(contract.state, "contract")
        self.assertFalse(contract.buyer_audit_date)
        # the buttons still move it, with their checks
        with self.assertRaisesRegex(UserError, "this step needs it to be Units Allocated"):
            contract.with_user(director).action_open_selection()

    def test_contract_terms_are_guarded(self):
        with self.assertRaisesRegex(ValidationError, "payment ratio 49 % is below the minimum of 50 %"):
            self._create_contract(payment_ratio=49.0)
        self._create_contract(payment_ratio=50.0)
        with self.assertRaisesRegex(ValidationError, "between 1,000 and 3,000; 3500"):
            self._create_contract(mortgage_conversion_fee=3500.0)
        self.assertEqual(self._create_contract(mortgage_conversion_fee=3000.0).mortgage_conversion_fee, 3000.0)
        self.assertTrue(self._create_contract().name.startswith("WJ"))

    def test_the_accounts_belong_to_the_employer_and_the_bank(self):
        stranger_account = self.env["res.partner.bank"].create(
            {"acc_number": "6222 9999 0000 1111", "partner_id": self.employers[1].id}
        )
        with self.assertRaisesRegex(ValidationError, "does not belong to the employer"):
            self._create_contract(employer_account_id=stranger_account.id)
        sales_journal = self.env["account.journal"].search([("type", "=", "sale")], limit=1)
        with self.assertRaisesRegex(ValidationError, "must be a bank journal"):
            self._create_contract(joint_journal_id=sales_journal.id)

    def test_cancelling_releases_the_units(self):
        contract, _pricing = self._priced_contract()
        unit = self.units[0]
        # fixture (sudo): the allocation flow that holds units is tested in TestUnitAllocation
        self.env["kam.unit.holding"].sudo().create({"unit_id": unit.id, "channel": "ka", "contract_id": contract.id})
        self.assertEqual(unit.state, "ka")
        contract.action_cancel()
        self.assertEqual(contract.state, "cancel")
        self.assertEqual(unit.state, "available")
        with self.assertRaisesRegex(UserError, "is kept as a record: cancel or reverse it"):
            self._create_contract().unlink()
        with self.assertRaisesRegex(UserError, "is kept as a record: cancel or reverse it"):
            contract.unlink()

    def test_state_changes_are_tracked(self):
        contract = self._create_contract(state="negotiation").with_context(tracking_disable=False, mail_notrack=False)
        self.env.flush_all()
        self.env.cr.precommit.run()
        contract.action_sign_intent()
        self.env.flush_all()
        self.env.cr.precommit.run()
        messages = self.env["mail.message"].sudo().search([("model", "=", contract._name), ("res_id", "=", contract.id)])
        tracked = messages.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual((tracked.old_value_char, tracked.new_value_char), ("Negotiation", "Letter of Intent"))
