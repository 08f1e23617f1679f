"""Access attacks of issue 7 (SEC1, SEC7, KA5, KA6, KA11, HS2), as each department and from a second company.

Every attack asserts the refusal's message and that nothing changed. Fixtures are
built through the real flows or clearly named ``sudo()`` helpers.
"""

import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import KAM_DEPARTMENT_GROUPS
from .housing_common import KamHousingCommon
from .kam_accounts_common import KamAccountsCommon

ALL_KAM_GROUPS = ",".join(KAM_DEPARTMENT_GROUPS.values())


def _other_company_user(env, login):
    """A user of a second company holding every key-account group there."""
    other = env["res.company"].create({"name": f"Other Company {login}"})
    user = new_test_user(
        env, login=login, name="Other Company Director", groups=ALL_KAM_GROUPS,
        company_id=other.id, company_ids=[other.id],
    )
    return other, user


@tagged("post_install", "-at_install")
class TestCompanyRulesOfLines(KamHousingCommon):
    """SEC7: lines and side records follow their document's company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company, cls.outsider = _other_company_user(cls.env, "kam_test_outsider_housing")
        cls.contract, cls.pricing = cls._priced_contract()
        cls.memo = cls.env["kam.negotiation.memo"].create({"contract_id": cls.contract.id, "subject": "Kick-off"})
        cls.allocation = cls.env["kam.unit.allocation"].create(
            {
                "contract_id": cls.contract.id,
                "date": datetime.date(2026, 6, 1),
                "line_ids": [Command.create({"unit_id": cls.units[0].id})],
            }
        )
        partner = cls.env["res.partner"].create({"name": "Company-one account", "is_company": True})
        criterion = cls.env["kam.score.criterion"].sudo().search([("method", "=", "manual")], limit=1)
        # sudo helpers: a rating and a review line as the flows leave them in company one
        cls.rating = cls.env["kam.partner.rating"].sudo().create(
            {"partner_id": partner.id, "criterion_id": criterion.id, "rating": 80.0}
        )
        review = cls.env["kam.tier.review"].sudo().create(
            {"date_from": datetime.date(2026, 1, 1), "date_to": datetime.date(2026, 6, 30)}
        )
        cls.review_line = cls.env["kam.tier.review.line"].sudo().create(
            {"review_id": review.id, "partner_id": partner.id, "score": 55.0}
        )

    def _company_one_records(self):
        return {
            "kam.unit.allocation.line": (self.allocation.line_ids, "unit_id"),
            "kam.negotiation.memo": (self.memo, "subject"),
            "kam.negotiation.memo.ack": (self.memo.ack_ids[:1], "date"),
            "kam.tier.review.line": (self.review_line, "note"),
            "kam.housing.pricing.layout": (self.pricing.layout_line_ids, "delta"),
            "kam.partner.rating": (self.rating, "rating"),
        }

    def test_every_line_and_side_record_has_a_company_rule(self):
        for model, (record, _field) in self._company_one_records().items():
            rules = self.env["ir.rule"].sudo().search([("model_id.model", "=", model), ("groups", "=", False)])
            self.assertTrue(
                any("company_ids" in (rule.domain_force or "") for rule in rules), f"{model} has no company rule"
            )
            self.assertEqual(record.company_id, self.env.company, model)

    def test_a_second_company_reads_and_writes_none_of_them(self):
        for model, (record, field) in self._company_one_records().items():
            self.assertTrue(record, model)
            before = record.sudo().read([field])[0][field]
            Model = self.env[model].with_user(self.outsider)
            self.assertFalse(Model.search([("id", "in", record.ids)]), f"{model} is visible to another company")
            with self.subTest(model=model), mute_logger("odoo.addons.base.models.ir_rule"):
                with self.assertRaises(AccessError):
                    record.with_user(self.outsider).read([field])
                with self.assertRaises(AccessError):
                    record.with_user(self.outsider).write({field: before})
            record.invalidate_recordset()
            self.assertEqual(record.sudo().read([field])[0][field], before)


@tagged("post_install", "-at_install")
class TestPartnerAndTermAttacks(KamAccountsCommon):
    """SEC1 through the commercial entity; director-only terms (KA2, KA5); KA6 restores by approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = new_test_user(
            cls.env, login="kam_test_colleague", name="KAM colleague", groups="kam_management.group_kam_user",
            company_id=cls.env.company.id, company_ids=[cls.env.company.id],
        )
        cls.account = cls._key_accounts(["华润置地"], manager=cls.colleague)
        cls._set_tier(cls.account, cls.tier_b, credit_limit=50_000.0)
        cls.contact = cls.env["res.partner"].create({"name": "李经理", "parent_id": cls.account.id})
        cls.own_account = cls._key_accounts(["万科"], manager=cls.ka_user)
        cls._set_tier(cls.own_account, cls.tier_b, credit_limit=50_000.0)
        cls.own_contact = cls.env["res.partner"].create({"name": "王总", "parent_id": cls.own_account.id})
        cls.prepayment = cls.env.ref("kam_management.kam_payment_term_prepayment")

    def test_staff_neither_read_nor_edit_the_contacts_of_a_colleagues_account(self):
        Partner = self.env["res.partner"].with_user(self.ka_user)
        visible = Partner.search([("id", "in", (self.contact | self.own_contact | self.account).ids)])
        self.assertEqual(visible, self.own_contact)
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                self.contact.with_user(self.ka_user).read(["name", "phone"])
            with self.assertRaises(AccessError):
                self.contact.with_user(self.ka_user).write({"phone": "13800000000"})
        self.assertFalse(self.contact.phone)
        # the colleague who manages the account reads its contact
        self.assertEqual(self.contact.with_user(self.colleague).read(["name"])[0]["name"], "李经理")

    def test_only_a_director_changes_the_terms_of_a_tiered_customer(self):
        term_before = self.own_account.property_payment_term_id
        limit_before = self.own_account.credit_limit
        pricelist = self.env["product.pricelist"].create({"name": "大客户特价"})
        attacks = {
            "property_payment_term_id": self.prepayment.id,
            "property_product_pricelist": pricelist.id,
            "credit_limit": 9_999_999.0,
        }
        for field, value in attacks.items():
            for target in (self.own_account, self.own_contact):
                with self.subTest(field=field, target=target.name), self.assertRaisesRegex(
                    AccessError, "Only a key-account director changes them"
                ):
                    target.with_user(self.ka_user).write({field: value})
        self.own_account.invalidate_recordset()
        self.assertEqual(self.own_account.property_payment_term_id, term_before)
        self.assertEqual(self.own_account.credit_limit, limit_before)
        self.own_account.with_user(self.ka_manager).write({"property_payment_term_id": self.prepayment.id})
        self.assertEqual(self.own_account.property_payment_term_id, self.prepayment)

    def _downgrade(self, partner):
        """sudo helper: what the late-payer job records and writes."""
        downgrade = self.env["kam.payment.downgrade"].sudo().create(
            {
                "partner_id": partner.id,
                "company_id": self.env.company.id,
                "quarter": "2026-Q1",
                "late_count": 2,
                "from_tier_id": self.tier_b.id,
                "to_tier_id": self.tier_c.id,
            }
        )
        downgrade._apply_downgrade()
        return downgrade

    def test_a_downgraded_payment_term_comes_back_only_through_the_restore(self):
        downgrade = self._downgrade(self.own_account)
        self.own_account.invalidate_recordset()
        term = self.own_account.property_payment_term_id
        self.assertEqual(self.own_account.kam_payment_tier_id, self.tier_c)
        for user in (self.ka_user, self.ka_manager):
            for values in ({"property_payment_term_id": self.tier_b.payment_term_id.id},
                           {"kam_payment_tier_id": self.tier_b.id}):
                with self.subTest(user=user.login, values=values), self.assertRaisesRegex(
                    AccessError, "come back only when the restore of the downgrade is approved"
                ):
                    self.own_account.with_user(user).write(values)
        self.own_account.invalidate_recordset()
        self.assertEqual(self.own_account.property_payment_term_id, term)
        self.assertEqual(self.own_account.kam_payment_tier_id, self.tier_c)
        self.assertEqual(downgrade.state, "downgraded")

    def test_downgrade_records_are_not_forgeable(self):
        downgrade = self._downgrade(self.own_account)
        for user in (self.ka_user, self.ka_manager, self.kam_users["finance_manager"]):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "recorded by the daily job only"):
                    self.env["kam.payment.downgrade"].with_user(user).create(
                        {"partner_id": self.account.id, "company_id": self.env.company.id, "quarter": "2026-Q2",
                         "from_tier_id": self.tier_b.id, "to_tier_id": self.tier_b.id}
                    )
                with self.assertRaisesRegex(AccessError, "cannot be changed"):
                    downgrade.with_user(user).write({"to_tier_id": self.tier_b.id, "late_count": 0})
        self.assertEqual((downgrade.to_tier_id, downgrade.late_count), (self.tier_c, 2))
        self.assertEqual(self.env["kam.payment.downgrade"].search_count([("partner_id", "=", self.account.id)]), 0)


@tagged("post_install", "-at_install")
class TestSaleOrderCapAttacks(KamAccountsCommon):
    """KA11: the cap is hidden from plain salespeople, the net price counts, one pending approval per order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._key_accounts(["招商蛇口"])
        cls._set_tier(cls.customer, cls.tier_b, credit_limit=0.0)  # B: at most 3 %
        cls.product = cls.env["product.product"].create(
            {"name": "车位", "type": "service", "list_price": 100.0, "taxes_id": False}
        )
        cls._definition("kam.discount.approval", cls.ka_manager)
        cls.seller = new_test_user(
            cls.env, login="kam_test_cap_seller", name="Seller", groups="sales_team.group_sale_salesman_all_leads"
        )

    def _order(self, price_unit=100.0, discount=0.0):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": price_unit,
                                    "discount": discount, "tax_ids": False}),
                ],
            }
        )

    def test_the_cap_is_not_readable_by_a_plain_salesperson(self):
        order = self._order()
        with self.assertRaises(AccessError):
            order.with_user(self.seller).read(["kam_discount_cap"])
        # the test user is a key-account director and a salesperson
        self.assertEqual(order.read(["kam_discount_cap"])[0]["kam_discount_cap"], 3.0)

    def test_a_price_cut_at_zero_discount_is_caught(self):
        order = self._order(price_unit=90.0, discount=0.0)  # 10 % below the list price, 0 % "discount"
        self.assertEqual(order.kam_max_line_discount, 10.0)
        self.assertTrue(order.kam_needs_discount_approval)
        with self.assertRaisesRegex(UserError, r"gives a discount of 10\.0 % but .* at most 3\.0 %"):
            order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "draft")
        # within the cap on the net price: 98 at 1 % is 2.98 % below list
        fine = self._order(price_unit=98.0, discount=1.0)
        fine.action_confirm()
        self.assertEqual(fine.state, "sale")

    def test_one_pending_approval_per_order(self):
        order = self._order(discount=8.0)
        first = order.with_user(self.seller).action_kam_request_discount_approval()["res_id"]
        order.invalidate_recordset()
        self.assertEqual(order.kam_pending_discount_approval_id.id, first)
        order.order_line.discount = 9.0
        again = order.with_user(self.seller).action_kam_request_discount_approval()["res_id"]
        self.assertEqual(again, first, "the pending request is reopened and updated, not duplicated")
        self.assertEqual(self.env["kam.discount.approval"].browse(first).discount, 9.0)
        with mute_logger("odoo.sql_db"), self.assertRaisesRegex(ValidationError, "already has a pending discount"):
            self.env["kam.discount.approval"].create({"sale_order_id": order.id, "discount": 9.0, "reason": "x"})
        self.assertEqual(len(order.kam_discount_approval_ids), 1)

    def test_the_cap_of_an_approval_is_the_tiers(self):
        order = self._order(discount=8.0)
        approval = self.env["kam.discount.approval"].with_user(self.seller).create(
            {"sale_order_id": order.id, "discount": 8.0, "reason": "forged cap", "cap": 50.0,
             "tier_id": self.tier_a.id}
        )
        self.assertEqual((approval.cap, approval.tier_id), (3.0, self.tier_b))
        for user in (self.seller, self.ka_user, self.ka_manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "change only through the document's buttons"):
                approval.with_user(user).write({"cap": 50.0})
        self.assertEqual(approval.cap, 3.0)


@tagged("post_install", "-at_install")
class TestRelationRequestDepartments(KamHousingCommon):
    """SEC1: a department's relationship requests and buyers' ID numbers stay in the department."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineering = cls.env["kam.department"].create(
            {"name": "Engineering", "member_ids": [Command.set(cls.kam_users["user"].ids)]}
        )
        cls.outsider_staff = new_test_user(
            cls.env, login="kam_test_design_staff", name="Design staff", groups="kam_management.group_kam_user",
            company_id=cls.env.company.id, company_ids=[cls.env.company.id],
        )
        cls.design = cls.env["kam.department"].create(
            {"name": "Design", "member_ids": [Command.set(cls.outsider_staff.ids)]}
        )
        cls.request = (
            cls.env["kam.relation.request"]
            .with_user(cls.kam_users["user"])
            .create(
                {
                    "department_id": cls.engineering.id,
                    "project_id": cls.project.id,
                    "unit_ids": [Command.set(cls.units[15:16].ids)],
                    "buyer_name": "周敏",
                    "buyer_id_number": "11010519491231002X",
                    "average_price": 9500.0,
                    "payment_deadline": datetime.date(2026, 12, 1),
                }
            )
            .sudo(False)
        )

    def test_other_departments_neither_read_nor_cancel(self):
        Request = self.env["kam.relation.request"].with_user(self.outsider_staff)
        self.assertFalse(Request.search([("id", "=", self.request.id)]))
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                self.request.with_user(self.outsider_staff).read(["buyer_name", "buyer_id_number"])
            with self.assertRaises(AccessError):
                self.request.with_user(self.outsider_staff).action_cancel()
        self.assertEqual(self.request.state, "draft")
        # the department's own staff, the director, audit and executives read it
        for user in (self.kam_users["user"], self.kam_users["manager"], self.kam_users["audit"],
                     self.kam_users["executive"], self.kam_users["finance"]):
            self.assertEqual(self.request.with_user(user).read(["buyer_name"])[0]["buyer_name"], "周敏", user.login)

    def test_staff_file_for_their_own_department_only(self):
        with self.assertRaisesRegex(AccessError, "You are not a member of Design"):
            self.env["kam.relation.request"].with_user(self.kam_users["user"]).create(
                {"department_id": self.design.id, "project_id": self.project.id, "buyer_name": "x",
                 "average_price": 9000.0, "payment_deadline": datetime.date(2026, 12, 1)}
            )
        self.assertFalse(self.env["kam.relation.request"].search([("department_id", "=", self.design.id)]))

    def test_sales_never_read_the_id_numbers(self):
        with self.assertRaises(AccessError):
            self.request.with_user(self.kam_users["sales"]).read(["buyer_id_number"])


@tagged("post_install", "-at_install")
class TestHoldingAttacks(KamHousingCommon):
    """HS2: holdings come from allocations, requests and the retail reserve action; their history is fixed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract()
        cls.sales = cls.kam_users["sales"]
        cls.retail = cls.env["kam.unit.holding"].with_user(cls.sales)._reserve_retail(cls.units[3], "李娜")
        # sudo helper: what an approved allocation writes
        cls.ka_holding = cls.env["kam.unit.holding"].sudo().create(
            {"unit_id": cls.units[4].id, "channel": "ka", "contract_id": cls.contract.id}
        )

    def test_nobody_creates_a_holding_directly(self):
        for department, user in self.kam_users.items():
            for channel in ("retail", "ka"):
                with self.subTest(department=department, channel=channel), self.assertRaises(AccessError):
                    self.env["kam.unit.holding"].with_user(user).create(
                        {"unit_id": self.units[5].id, "channel": channel, "contract_id": self.contract.id}
                    )
        self.assertEqual(self.units[5].state, "available")
        with self.assertRaisesRegex(AccessError, "a holding cannot be created directly"):
            self.env["kam.unit.holding"].with_user(self.kam_users["manager"]).create(
                {"unit_id": self.units[5].id, "channel": "ka", "contract_id": self.contract.id}
            )
        self.assertFalse(self.units[5].holding_ids)

    def test_retail_sales_cannot_move_or_rewrite_a_holding(self):
        before = self.retail.sudo().read(["unit_id", "date_start", "holder_name", "state"])[0]
        attacks = [
            {"unit_id": self.units[6].id},
            {"date_start": "2020-01-01 00:00:00"},
            {"holder_name": "Someone else"},
            {"released_by_id": self.kam_users["manager"].id, "date_released": "2020-01-02 00:00:00"},
            {"state": "released"},
        ]
        for values in attacks:
            with self.subTest(values=values), self.assertRaisesRegex(AccessError, "is history"):
                self.retail.with_user(self.sales).write(values)
        self.retail.invalidate_recordset()
        self.assertEqual(self.retail.sudo().read(["unit_id", "date_start", "holder_name", "state"])[0], before)
        self.assertEqual(self.units[6].state, "available")

    def test_sales_release_retail_units_only(self):
        with self.assertRaisesRegex(AccessError, "Only approved allocations and requests"):
            self.units[4].with_user(self.sales).action_kam_release_retail()
        self.assertEqual(self.units[4].state, "ka")
        with self.assertRaisesRegex(AccessError, "Only retail sales reserve and release"):
            self.units[3].with_user(self.kam_users["user"]).action_kam_release_retail()
        self.units[3].with_user(self.sales).action_kam_release_retail()
        self.assertEqual(self.units[3].state, "available")
        self.assertEqual(self.retail.released_by_id, self.sales)

    def test_cost_cannot_set_a_held_unit_available(self):
        for values in ({"state": "available"}, {"current_holding_id": False}, {"contract_id": False}):
            with self.subTest(values=values), self.assertRaisesRegex(AccessError, "follow its holdings"):
                self.units[4].with_user(self.kam_users["cost"]).write(values)
        self.units[4].invalidate_recordset()
        self.assertEqual((self.units[4].state, self.units[4].contract_id), ("ka", self.contract))
        self.units[4].with_user(self.kam_users["cost"]).write({"cost_price": 600_000.0})  # cost data stays theirs

    def test_only_retail_sales_and_directors_reserve(self):
        for department in ("user", "finance", "audit", "cost", "executive"):
            with self.subTest(department=department), self.assertRaisesRegex(AccessError, "Only retail sales"):
                self.units[7].with_user(self.kam_users[department]).action_kam_reserve_retail()
        self.assertEqual(self.units[7].state, "available")
