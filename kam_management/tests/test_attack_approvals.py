"""Attacks on the key-account approvals (issue 7), as each department and as a user of a second company.

Every attack asserts the translated refusal *and* that nothing changed. Guards each class exercises:
context keys (``kam.lifecycle.mixin.write``, ``kam.approval.mixin._kam_without_tier_bypass``), review forging
(``tier.review.write``, ``kam.approval.mixin._kam_check_validated``), no chain (``_kam_check_may_request``),
state writes and creation in a later state (``kam.lifecycle.mixin``), locks (``_kam_is_locked``).
"""

import datetime
import importlib.util

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import file_path

from .kam_accounts_common import KamAccountsCommon

# Context keys a hostile client sends hoping one of them switches a guard off.
HOSTILE_CONTEXTS = (
    {"kam_workflow": True},
    {"kam_defer_scheme_checks": True},
    {"skip_validation_check": True},
    {"skip_check_state_condition": True},
    {"tracking_disable": True, "mail_notrack": True},
)
BUTTONS_ONLY = "change only through the document's buttons"
LOCKED = "is locked: it is under review or approved"
NO_CHAIN = "No approval chain applies to"
REVIEW_WRITE = "Reviews change only through the document's Validate and Reject buttons"


@tagged("post_install", "-at_install")
class TestAttackApprovals(KamAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._key_accounts(["Attack Target Co"])
        cls.prospect = cls.env["res.partner"].create({"name": "Attack Prospect Co", "is_company": True})
        cls.company_2 = cls.env["res.company"].create({"name": "KAM Second Company"})
        cls.other_company_user = new_test_user(
            cls.env,
            login="kam_test_company_2",
            name="KAM second company",
            groups="kam_management.group_kam_manager",
            company_id=cls.company_2.id,
            company_ids=[cls.company_2.id],
        )

    def _registration(self, **values):
        vals = {"partner_id": self.prospect.id, "user_id": self.ka_user.id}
        vals.update(values)
        return self.env["kam.account.registration"].with_user(self.ka_user).create(vals)

    def _exception(self):
        return self.env["kam.credit.exception"].create(
            {
                "partner_id": self.account.id,
                "amount": 10000.0,
                "date_to": datetime.date(2026, 12, 31),
                "reason": "Year-end order",
            }
        )

    # ------------------------------------------------------------
    # state writes, with and without context keys, by every department
    # ------------------------------------------------------------

    def test_state_writes_are_refused_to_every_department_whatever_the_context(self):
        self._definition("kam.account.registration", self.ka_manager)
        registration = self._registration()
        exception = self._exception()
        for department, user in self.kam_users.items():
            for context in ({}, *HOSTILE_CONTEXTS):
                for record in (registration, exception):
                    with self.subTest(department=department, context=context, model=record._name):
                        with self.assertRaises(UserError) as raised:
                            record.with_user(user).with_context(**context).write({"state": "approved"})
                        if isinstance(raised.exception, UserError) and not isinstance(raised.exception, AccessError):
                            self.assertIn(BUTTONS_ONLY, str(raised.exception))
                        record.invalidate_recordset()
                        self.assertEqual(record.state, "draft")
        self.assertFalse(self.prospect.kam_manager_id)

    def test_nobody_creates_a_document_in_a_later_state(self):
        for context in ({}, *HOSTILE_CONTEXTS):
            with self.subTest(context=context):
                with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
                    self.env["kam.account.registration"].with_user(self.ka_user).with_context(**context).create(
                        {"partner_id": self.prospect.id, "state": "approved"}
                    )
        self.assertFalse(self.env["kam.account.registration"].search([("partner_id", "=", self.prospect.id)]))

    # ------------------------------------------------------------
    # no chain, no approval
    # ------------------------------------------------------------

    def test_without_an_applicable_chain_the_approval_is_refused(self):
        registration = self._registration()
        with self.assertRaisesRegex(UserError, NO_CHAIN):
            registration.with_user(self.ka_user).request_validation()
        for user in (self.ka_user, self.ka_manager):
            with self.assertRaisesRegex(UserError, NO_CHAIN):
                registration.with_user(user).action_approve()
        registration.invalidate_recordset()
        self.assertEqual(registration.state, "draft")
        self.assertFalse(registration.review_ids)
        self.assertNotEqual(self.prospect.kam_registration_state, "approved")

    def test_the_preset_chains_apply_to_every_company(self):
        presets = self.env["tier.definition"].with_context(active_test=False).search(
            [("id", "in", [self.env.ref(f"kam_management.{name}").id for name in (
                "tier_definition_registration", "tier_definition_tier_review", "tier_definition_credit_exception",
                "tier_definition_discount_approval", "tier_definition_payment_restore",
                "tier_definition_pricing_marketing_director",
            )])]
        )
        self.assertFalse(presets.company_id, "the presets belong to no company")
        presets.active = True
        foreign = self.env["res.partner"].create({"name": "Second Company Prospect", "is_company": True})
        registration = (
            self.env["kam.account.registration"]
            .with_user(self.other_company_user)
            .with_company(self.company_2)
            .create({"partner_id": foreign.id, "company_id": self.company_2.id})
        )
        self.assertTrue(registration._kam_applicable_definitions())
        # the second company's requester cannot approve their own request in one click
        with self.assertRaisesRegex(UserError, "needs its approval chain"):
            registration.action_approve()
        registration.request_validation()
        self.assertEqual(registration.sudo().review_ids.definition_id, self.env.ref("kam_management.tier_definition_registration"))
        self.assertEqual(registration.state, "draft")

    def test_the_migration_mends_the_preset_chains_of_an_older_database(self):
        """Databases installed before 19.0.0.1.1 kept the installing company and no model on the presets."""
        registration_chain = self.env.ref("kam_management.tier_definition_registration")
        edited = self.env.ref("kam_management.tier_definition_credit_exception")
        presets = registration_chain | edited
        # the state an older install left, with the credit chain restricted on purpose by the company since
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE tier_definition
               SET company_id = %s, model = NULL, active = TRUE,
                   write_date = create_date + CASE WHEN id = %s THEN interval '1 day' ELSE interval '0' END
             WHERE id = ANY(%s)
            """,
            [self.env.company.id, edited.id, presets.ids],
        )
        presets.invalidate_recordset()
        foreign = self.env["res.partner"].create({"name": "Older Database Prospect", "is_company": True})
        registration = (
            self.env["kam.account.registration"]
            .with_user(self.other_company_user)
            .with_company(self.company_2)
            .create({"partner_id": foreign.id, "company_id": self.company_2.id})
        )
        self.assertFalse(registration._kam_applicable_definitions(), "the older state: no chain applies")

        migration_file = file_path("kam_management/migrations/19.0.0.1.1/post-migrate.py")
        spec = importlib.util.spec_from_file_location("kam_post_migrate_19_0_0_1_1", migration_file)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.0.1.0")
        presets.invalidate_recordset()
        registration.invalidate_recordset()

        self.assertFalse(registration_chain.company_id)
        self.assertEqual(registration_chain.model, "kam.account.registration")
        self.assertEqual(edited.company_id, self.env.company, "a preset the company edited keeps its company")
        self.assertEqual(edited.model, "kam.credit.exception")
        self.assertEqual(registration._kam_applicable_definitions(), registration_chain)
        registration.request_validation()
        self.assertEqual(registration.sudo().review_ids.definition_id, registration_chain)

    # ------------------------------------------------------------
    # forged reviews
    # ------------------------------------------------------------

    def test_a_review_cannot_be_forged_then_approved(self):
        self._definition("kam.account.registration", self.ka_manager)
        registration = self._registration()
        registration.request_validation()
        review = registration.sudo().review_ids
        self.assertEqual(review.status, "pending")
        for department, user in self.kam_users.items():
            with self.subTest(department=department):
                with self.assertRaisesRegex(AccessError, REVIEW_WRITE):
                    review.with_user(user).write({"status": "approved", "done_by": user.id})
                with self.assertRaisesRegex(AccessError, REVIEW_WRITE):
                    review.with_user(user).unlink()
                with self.assertRaisesRegex(AccessError, REVIEW_WRITE):
                    self.env["tier.review"].with_user(user).create(
                        {"model": registration._name, "res_id": registration.id, "status": "approved"}
                    )
        review.invalidate_recordset()
        self.assertEqual(review.status, "pending")
        with self.assertRaisesRegex(UserError, "is not approved by all its reviewers yet"):
            registration.with_user(self.ka_user).action_approve()
        self.assertEqual(registration.state, "draft")

    def test_a_review_approved_by_someone_else_than_its_reviewer_does_not_approve(self):
        """Even a review status set behind the validation methods' back (a database edit) does not approve."""
        self._definition("kam.account.registration", self.ka_manager)
        registration = self._registration()
        registration.request_validation()
        registration.sudo().review_ids.write({"status": "approved", "done_by": self.ka_user.id})
        with self.assertRaisesRegex(UserError, "is not approved by all its reviewers yet"):
            registration.with_user(self.ka_user).action_approve()
        self.assertEqual(registration.state, "draft")

    def test_only_a_reviewer_validates_and_only_their_own_step(self):
        self._definition("kam.account.registration", self.ka_manager)
        registration = self._registration()
        registration.with_user(self.ka_user).request_validation()
        for department in ("user", "sales", "finance", "audit", "cost", "executive"):
            with self.subTest(department=department):
                with self.assertRaisesRegex(AccessError, "You have no review of"):
                    registration.with_user(self.kam_users[department]).validate_tier()
                # the comment wizard with review ids chosen by the client
                with self.assertRaisesRegex(AccessError, "You have no review of"):
                    registration.with_user(self.kam_users[department])._validate_tier(registration.sudo().review_ids)
        registration.invalidate_recordset()
        self.assertEqual(registration.state, "draft")
        registration.with_user(self.ka_manager).validate_tier()
        self.assertEqual(registration.state, "approved")
        self.assertEqual(self.prospect.kam_manager_id, self.ka_user)

    # ------------------------------------------------------------
    # locks from the request on
    # ------------------------------------------------------------

    def test_a_document_under_review_is_locked_whatever_the_context(self):
        self._definition("kam.credit.exception", self.kam_users["finance_manager"])
        exception = self._exception()
        exception.with_user(self.ka_user).request_validation()
        for context in ({}, *HOSTILE_CONTEXTS):
            with self.subTest(context=context):
                with self.assertRaisesRegex(UserError, LOCKED):
                    exception.with_user(self.ka_user).with_context(**context).write({"amount": 90000.0})
        exception.invalidate_recordset()
        self.assertEqual(exception.amount, 10000.0)
        # withdrawing the request unlocks it
        exception.with_user(self.ka_user).restart_validation()
        exception.with_user(self.ka_user).write({"amount": 20000.0})
        self.assertEqual(exception.amount, 20000.0)

    def test_request_buttons_show_only_to_departments_the_server_lets_request(self):
        """OCA's Request / Restart Validation buttons are hidden from read-only departments (UX2)."""
        arch = etree.fromstring(self.env["kam.credit.exception"].get_view(view_type="form")["arch"])
        for name in ("request_validation", "restart_validation"):
            with self.subTest(button=name):
                button = arch.xpath(f"//header/button[@name='{name}']")
                self.assertTrue(button, "OCA's button is on the form")
                self.assertIn("not kam_can_request", button[0].get("invisible"))
        self.assertTrue(arch.xpath("//field[@name='kam_can_request']"))
        self._definition("kam.credit.exception", self.kam_users["finance_manager"])
        exception = self._exception()
        may_request = {"user", "manager", "finance_manager"}
        for department, user in self.kam_users.items():
            with self.subTest(department=department):
                document = exception.with_user(user)
                self.assertEqual(document.kam_can_request, department in may_request)
                if department not in may_request:
                    with self.assertRaises(AccessError):
                        document.request_validation()
        self.assertFalse(exception.review_ids, "nothing was requested by the refused departments")
        exception.with_user(self.ka_user).request_validation()
        self.assertTrue(exception.review_ids)
        for department, user in self.kam_users.items():
            if department not in may_request:
                with self.subTest(department=department), self.assertRaises(AccessError):
                    exception.with_user(user).restart_validation()
        self.assertTrue(exception.review_ids, "the request stands")

    def test_oca_bypass_keys_do_not_reach_base_tier_validation(self):
        """Behind our lock, OCA's own under-validation check still holds: its context keys are dropped."""
        self._definition("kam.credit.exception", self.kam_users["finance_manager"])
        exception = self._exception()
        exception.with_user(self.ka_user).request_validation()
        hostile = exception.with_user(self.ka_user).with_context(skip_validation_check=True)
        with self.assertRaisesRegex(ValidationError, "not allowed to write those fields under validation"):
            hostile._tier_validation_check_write_allowed({"amount": 90000.0})
        self._approve_by_reviewers(exception)
        self.assertEqual(exception.state, "approved")
        # an approved document does not pretend to wait for its approval again
        self.assertFalse(
            exception.with_user(self.ka_user).with_context(skip_check_state_condition=True)._check_state_from_condition()
        )
        with self.assertRaisesRegex(UserError, "is not waiting for approval"):
            exception.with_user(self.ka_user).with_context(skip_check_state_condition=True).request_validation()

    def test_issued_documents_are_not_deleted_and_approved_ones_are_withdrawn_by_directors(self):
        self._definition("kam.credit.exception", self.kam_users["finance_manager"])
        exception = self._exception()
        self._approve_by_reviewers(exception)
        self.assertEqual(exception.state, "approved")
        for department in ("user", "manager", "finance", "finance_manager"):
            with self.subTest(department=department):
                with self.assertRaises(UserError):
                    exception.with_user(self.kam_users[department]).unlink()
        self.assertTrue(exception.exists())
        with self.assertRaisesRegex(AccessError, "You are not allowed to do this on"):
            exception.with_user(self.kam_users["finance"]).action_cancel()
        self.assertEqual(exception.state, "approved")
        exception.with_user(self.kam_users["finance_manager"]).action_cancel()
        self.assertEqual(exception.state, "cancel")

    def test_the_discount_cap_of_a_request_comes_from_the_customer_tier(self):
        self._set_tier(self.account, self.tier_b)
        order = self.env["sale.order"].create({"partner_id": self.account.id})
        approval = self.env["kam.discount.approval"].create(
            {"sale_order_id": order.id, "discount": 9.0, "reason": "x", "cap": 50.0, "tier_id": self.tier_a.id}
        )
        self.assertEqual(approval.tier_id, self.tier_b)
        self.assertEqual(approval.cap, self.tier_b.max_discount)
        with self.assertRaisesRegex(UserError, BUTTONS_ONLY):
            approval.with_user(self.ka_user).write({"cap": 50.0})
        self.assertEqual(approval.cap, self.tier_b.max_discount)

    def test_a_late_payer_downgrade_is_not_created_by_hand(self):
        with self.assertRaisesRegex(AccessError, "recorded by the daily job only"):
            self.env["kam.payment.downgrade"].with_user(self.ka_manager).create(
                {"partner_id": self.account.id, "company_id": self.env.company.id, "quarter": "2026-Q1"}
            )
        self.assertFalse(self.env["kam.payment.downgrade"].search([("partner_id", "=", self.account.id)]))

    # ------------------------------------------------------------
    # the scorecard: no context key defers its checks
    # ------------------------------------------------------------

    def test_a_500_point_scorecard_is_refused_whatever_the_context(self):
        scheme = self.env.ref("kam_management.kam_tier_scheme_abcd")
        criterion = scheme.criterion_ids.filtered("active")[:1]
        weight = criterion.weight
        director = self.ka_manager
        director.group_ids += self.env.ref("kam_management.group_kam_executive")
        for context in ({}, *HOSTILE_CONTEXTS):
            with self.subTest(context=context):
                # assertRaises (not ...Regex) rolls its savepoint back, as the refused request would be
                with self.assertRaises(ValidationError) as raised:
                    scheme.with_user(director).with_context(**context).write(
                        {"criterion_ids": [Command.update(criterion.id, {"weight": weight + 400})]}
                    )
                self.assertIn("weights total 500", str(raised.exception))
                criterion.invalidate_recordset()
                self.assertEqual(criterion.weight, weight)
                with self.assertRaises(ValidationError) as raised:
                    criterion.with_user(director).with_context(**context).write({"weight": weight + 400})
                self.assertIn("weights total 500", str(raised.exception))
                criterion.invalidate_recordset()
                self.assertEqual(criterion.weight, weight)
        criterion.invalidate_recordset()
        self.assertEqual(criterion.weight, weight)
