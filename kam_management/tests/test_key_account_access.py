from odoo.exceptions import AccessError
from odoo.tests import tagged

from .kam_accounts_common import KamAccountsCommon


@tagged("post_install", "-at_install")
class TestKeyAccountAccess(KamAccountsCommon):
    """SEC1 for key accounts, department by department."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague = cls.env["res.users"].create(
            {"name": "王强", "login": "kam_test_wang_qiang", "group_ids": [cls.env.ref("kam_management.group_kam_user").id]}
        )
        cls.mine = cls._key_accounts(["碧桂园"], manager=cls.ka_user)
        cls.backed = cls._key_accounts(["绿城中国"], manager=cls.colleague, backup=cls.ka_user)
        cls.theirs = cls._key_accounts(["融创中国"], manager=cls.colleague)
        cls._set_tier(cls.mine | cls.backed | cls.theirs, cls.tier_b, credit_limit=0.0)
        cls.plain = cls.env["res.partner"].create({"name": "散客", "is_company": True})
        cls.review = cls.env["kam.tier.review"].create(
            {"date_from": "2025-01-01", "date_to": "2025-12-31", "scheme_id": cls.scheme_abcd.id}
        )

    def test_staff_read_and_edit_only_their_accounts(self):
        Partner = self.env["res.partner"].with_user(self.ka_user)
        visible = Partner.search([("id", "in", (self.mine | self.backed | self.theirs | self.plain).ids)])
        self.assertEqual(visible, self.mine | self.backed | self.plain)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.ka_user).read(["name"])
        self.mine.with_user(self.ka_user).write({"kam_territory": "佛山顺德"})
        self.backed.with_user(self.ka_user).write({"phone": "+86 571 8888 8888"})
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.ka_user).write({"kam_territory": "杭州"})

    def test_staff_cannot_set_tiers_or_managers(self):
        for values in ({"kam_tier_id": self.tier_a.id}, {"kam_manager_id": self.ka_user.id}, {"kam_score": 99}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.mine.with_user(self.ka_user).write(values)
        self.assertEqual(self.mine.kam_tier_id, self.tier_b)

    def test_director_reads_all_and_sets_tiers(self):
        Partner = self.env["res.partner"].with_user(self.ka_manager)
        self.assertEqual(len(Partner.search([("id", "in", (self.mine | self.theirs).ids)])), 2)
        self.theirs.with_user(self.ka_manager).write({"kam_tier_id": self.tier_a.id})
        self.assertEqual(self.theirs.kam_tier_id, self.tier_a)

    def test_staff_do_not_run_tier_reviews(self):
        with self.assertRaises(AccessError):
            self.review.with_user(self.ka_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["kam.tier.review"].with_user(self.ka_user).create(
                {"date_from": "2025-01-01", "date_to": "2025-12-31", "scheme_id": self.scheme_abcd.id}
            )

    def test_staff_see_only_their_accounts_history_and_exceptions(self):
        Exception_ = self.env["kam.credit.exception"]
        exceptions = Exception_.create(
            [
                {"partner_id": p.id, "amount": 100.0, "date_to": "2030-01-01", "reason": "x"}
                for p in (self.mine, self.theirs)
            ]
        )
        self.assertEqual(Exception_.with_user(self.ka_user).search([("id", "in", exceptions.ids)]).partner_id, self.mine)

    def test_audit_and_executives_read_everything_and_write_nothing(self):
        for department in ("audit", "executive"):
            user = self.kam_users[department]
            with self.subTest(department=department):
                self.assertEqual(self.theirs.with_user(user).kam_tier_id, self.tier_b)
                self.assertEqual(self.review.with_user(user).state, "draft")
                with self.assertRaises(AccessError):
                    self.review.with_user(user).write({"date_to": "2025-06-30"})
                with self.assertRaises(AccessError):
                    self.theirs.with_user(user).write({"kam_territory": "北京"})
                with self.assertRaises(AccessError):
                    self.env["kam.credit.exception"].with_user(user).create(
                        {"partner_id": self.mine.id, "amount": 1.0, "date_to": "2030-01-01", "reason": "x"}
                    )

    def test_retail_sales_never_read_key_account_terms(self):
        sales = self.kam_users["sales"]
        self.assertEqual(self.mine.with_user(sales).name, "碧桂园")
        with self.assertRaises(AccessError):
            self.mine.with_user(sales).read(["kam_tier_id"])
        with self.assertRaises(AccessError):
            self.tier_b.with_user(sales).read(["max_discount"])
        # the cost department has nothing to do with key accounts
        cost = self.kam_users["cost"]
        with self.assertRaises(AccessError):
            self.mine.with_user(cost).read(["kam_tier_id"])
        with self.assertRaises(AccessError):
            self.review.with_user(cost).read(["state"])

    def test_finance_reads_credit_exceptions_and_the_director_grants_them(self):
        finance = self.kam_users["finance"]
        values = {"partner_id": self.mine.id, "amount": 500.0, "date_to": "2030-01-01", "reason": "回款在途"}
        with self.assertRaises(AccessError):
            self.env["kam.credit.exception"].with_user(finance).create(values)
        exception = self.env["kam.credit.exception"].with_user(self.kam_users["finance_manager"]).create(values)
        self.assertEqual(exception.with_user(finance).amount, 500.0)
