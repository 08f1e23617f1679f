from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .kam_accounts_common import KamAccountsCommon

REVENUES = [10000, 9000, 9000, 7000, 6000, 5000, 4000, 3000, 2000, 1000]


@tagged("post_install", "-at_install")
class TestTierReview(KamAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the seeds' A/B/C/D quotas, scored on sales scale alone so the hand calculation stays short
        cls.scheme = cls.scheme_abcd.copy({"name": "A/B/C/D by revenue"})
        cls.scheme.write(
            {
                "criterion_ids": [Command.clear()]
                + [Command.create({"code": "sales", "name": "Sales Scale", "method": "revenue", "weight": 100})]
            }
        )
        cls.tiers = {tier.code: tier for tier in cls.scheme.tier_ids}
        cls.accounts = cls._key_accounts([f"华润置地客户{i}" for i in range(10)])
        cls._invoices(
            [(partner, amount, "2025-03-01", "2025-04-01") for partner, amount in zip(cls.accounts, REVENUES, strict=True)]
        )
        # an invoice outside the period never counts
        cls._invoices([(cls.accounts[9], 50000, "2024-12-31", None)])
        cls._set_tier(cls.accounts[0], cls.tiers["C"])  # will go up
        cls._set_tier(cls.accounts[5], cls.tiers["C"])  # stays
        cls._set_tier(cls.accounts[9], cls.tiers["A"])  # will go down
        cls.executive = cls.kam_users["executive"]
        cls._definition("kam.tier.review", cls.executive)

    def _review(self, **values):
        return self.env["kam.tier.review"].create(
            {"scheme_id": self.scheme.id, "date_from": "2025-01-01", "date_to": "2025-12-31", **values}
        )

    def _lines_by_partner(self, review):
        return {line.partner_id: line for line in review.line_ids}

    def test_forced_distribution_matches_the_hand_calculation(self):
        review = self._review()
        review.action_compute()
        lines = self._lines_by_partner(review)
        self.assertEqual(len(lines), 10)
        # scores: revenue / best revenue × 100
        self.assertEqual([lines[p].score for p in self.accounts], [100, 90, 90, 70, 60, 50, 40, 30, 20, 10])
        # 10 candidates: A = 2 seats, B = 3, C = 4, D = 1; the tie at 90 on the A/B boundary goes to A
        self.assertEqual(
            [lines[p].proposed_tier_id.code for p in self.accounts], list("AAABBCCCCD")
        )
        self.assertIn("Tied at score 90", lines[self.accounts[2]].note)
        self.assertFalse(lines[self.accounts[0]].note)
        self.assertEqual(lines[self.accounts[0]].movement, "up")
        self.assertEqual(lines[self.accounts[5]].movement, "same")
        self.assertEqual(lines[self.accounts[9]].movement, "down")
        self.assertEqual(lines[self.accounts[3]].movement, "new")
        self.assertEqual((review.up_count, review.down_count), (8, 1))
        self.assertEqual(lines[self.accounts[9]].revenue, 1000)
        self.assertEqual(lines[self.accounts[0]].invoice_count, 1)
        self.assertAlmostEqual(review.company_revenue, sum(REVENUES), places=2)
        self.assertAlmostEqual(lines[self.accounts[0]].revenue_share, 100 * 10000 / sum(REVENUES), places=3)

    def test_nothing_is_written_before_approval_then_everything_is(self):
        review = self._review()
        review.action_compute()
        top, bottom = self.accounts[0], self.accounts[9]
        # the key-account director asks; the executive has not approved yet
        with self.assertRaises(ValidationError):
            review.with_user(self.ka_manager).action_approve()
        review.with_user(self.ka_manager).request_validation()
        self.assertEqual(review.validation_status, "pending")
        for partner in (top, bottom):
            partner.invalidate_recordset()
        self.assertEqual(top.kam_tier_id, self.tiers["C"])
        self.assertEqual(bottom.kam_tier_id, self.tiers["A"])
        self.assertFalse(self.env["kam.tier.history"].search([("partner_id", "in", self.accounts.ids)]))
        self.assertEqual(review.state, "draft")

        review.with_user(self.executive).validate_tier()

        self.assertEqual(review.state, "approved")
        self.assertEqual(top.kam_tier_id, self.tiers["A"])
        self.assertEqual(top.kam_score, 100)
        self.assertEqual(top.kam_credit_grade, "A")
        company_top = top.with_company(self.env.company).sudo()
        self.assertEqual(company_top.property_payment_term_id, self.env.ref("kam_management.kam_payment_term_90days"))
        self.assertEqual(company_top.credit_limit, 2_000_000)
        self.assertEqual(bottom.kam_tier_id, self.tiers["D"])
        self.assertEqual(bottom.sudo().with_company(self.env.company).credit_limit, 0)
        self.assertEqual(
            bottom.sudo().with_company(self.env.company).property_payment_term_id,
            self.env.ref("kam_management.kam_payment_term_prepayment"),
        )
        history = self.env["kam.tier.history"].search([("review_id", "=", review.id)])
        self.assertEqual(len(history), 10)
        down = history.filtered(lambda h: h.partner_id == bottom)
        self.assertEqual((down.old_tier_id, down.tier_id, down.movement), (self.tiers["A"], self.tiers["D"], "down"))
        # an approved review is history: it cannot be recomputed or deleted
        with self.assertRaises(UserError):
            review.action_compute()
        with self.assertRaises(UserError):
            review.unlink()

    def test_thresholds_on_yearly_revenue(self):
        scheme = self.env.ref("kam_management.kam_tier_scheme_revenue")
        partners = self._key_accounts(["万科物业", "保利发展", "招商蛇口", "小微企业"])
        self._invoices(
            [
                (partners[0], 5_000_000, "2026-02-01", None),
                (partners[1], 4_999_999.99, "2026-02-01", None),
                (partners[2], 199_999.99, "2026-02-01", None),
                (partners[3], 9_999.99, "2026-02-01", None),
            ]
        )
        review = self._review(scheme_id=scheme.id, date_from="2026-01-01", date_to="2026-12-31")
        review.action_compute()
        lines = self._lines_by_partner(review)
        self.assertEqual(
            [lines[p].proposed_tier_id.code for p in partners], ["DIA", "PLA", "VIP", False]
        )
        self.assertEqual(lines[partners[3]].note, "Below the lowest threshold.")
        # the 2025 customers had nothing in 2026
        self.assertFalse(lines[self.accounts[0]].proposed_tier_id)

    def test_review_of_an_empty_period_is_refused_and_writes_nothing(self):
        review = self._review(date_from="2020-01-01", date_to="2020-12-31")
        with self.assertRaises(UserError) as raised:
            review.action_compute()
        self.assertIn("No posted invoice of a key account is dated between", str(raised.exception))
        self.assertFalse(review.line_ids)

    def test_period_ending_before_it_starts_is_refused(self):
        with self.assertRaises(ValidationError):
            self._review(date_from="2025-12-31", date_to="2025-01-01")

    def test_weights_not_totalling_100_are_refused(self):
        criterion = self.scheme.criterion_ids
        with self.assertRaises(ValidationError) as raised:
            criterion.weight = 90
        self.assertIn("The scorecard weights total 90; they must total 100.", str(raised.exception))
        with self.assertRaises(ValidationError):
            self.scheme.write(
                {"criterion_ids": [Command.create({"code": "years", "name": "Years", "method": "manual", "weight": 5})]}
            )
        self.assertEqual(self.scheme.criterion_ids.mapped("weight"), [100])
        # moving weight between criteria in one save is fine
        self.scheme.write(
            {
                "criterion_ids": [
                    Command.update(criterion.id, {"weight": 80}),
                    Command.create({"code": "years", "name": "Years", "method": "manual", "weight": 20}),
                ]
            }
        )
        self.assertEqual(sum(self.scheme.criterion_ids.mapped("weight")), 100)

    def test_overlapping_thresholds_are_refused(self):
        gold = self.env.ref("kam_management.kam_tier_gold")
        with self.assertRaises(ValidationError) as raised:
            gold.max_value = 2_500_000
        self.assertIn("overlap", str(raised.exception))
        self.assertIn("Gold", str(raised.exception))
        self.assertIn("Platinum", str(raised.exception))

    def test_forced_quotas_must_total_100(self):
        with self.assertRaises(ValidationError) as raised:
            self.tiers["D"].distribution_percent = 20
        self.assertIn("must total 100 %", str(raised.exception))

    def test_errors_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        review = self._review(date_from="2020-01-01", date_to="2020-12-31").with_context(lang="zh_CN")
        with self.assertRaises(UserError) as raised:
            review.action_compute()
        self.assertIn("2020-01-01", str(raised.exception))
        self.assertNotIn("No posted invoice", str(raised.exception))
        with self.assertRaises(ValidationError) as raised:
            self.scheme.criterion_ids.with_context(lang="zh_CN").weight = 90
        self.assertIn("评分项权重合计为 90", str(raised.exception))
        with self.assertRaises(ValidationError) as raised:
            self.env.ref("kam_management.kam_tier_gold").with_context(lang="zh_CN").max_value = 2_500_000
        self.assertIn("门槛重叠", str(raised.exception))
        with self.assertRaises(ValidationError) as raised:
            self.env["kam.credit.exception"].with_context(lang="zh_CN").create(
                {"partner_id": self.accounts[0].id, "amount": -5.0, "date_to": "2030-01-01", "reason": "x"}
            )
        self.assertIn("金额必须大于零", str(raised.exception))

    def test_metrics_take_the_same_queries_for_3_or_10_customers(self):
        review = self._review()
        review._compute_metrics(self.accounts.ids)  # warm the caches

        def queries(partner_ids):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            review._compute_metrics(partner_ids)
            return self.env.cr.sql_log_count - before

        queries(self.accounts[:3].ids)  # the first run after the cache is cleared also reads the user's settings
        self.assertEqual(queries(self.accounts.ids), queries(self.accounts[:3].ids))
        # two aggregates, plus reading the review and its company after the cache was cleared
        self.assertLessEqual(queries(self.accounts.ids), 8)

    def test_director_creates_a_review_through_the_form(self):
        with Form(self.env["kam.tier.review"].with_user(self.ka_manager)) as form:
            self.assertEqual(form.scheme_id, self.env.company.kam_tier_scheme_id)
            form.scheme_id = self.scheme
            form.date_from = "2025-01-01"
            form.date_to = "2025-12-31"
        review = form.save()
        self.assertTrue(review.name.startswith("TR/"))
        review.action_compute()
        self.assertEqual(review.candidate_count, 10)
        # the partner form shows the key-account page to the director, and not to retail sales
        arch = self.env["res.partner"].with_user(self.ka_manager).get_view(view_type="form")["arch"]
        self.assertIn('name="kam_profile"', arch)
        arch = self.env["res.partner"].with_user(self.kam_users["sales"]).get_view(view_type="form")["arch"]
        self.assertNotIn('name="kam_profile"', arch)

    def test_margin_is_computed_from_the_products_cost(self):
        flat = self.env["product.product"].create({"name": "员工团购住宅", "standard_price": 60.0, "list_price": 100.0})
        builder = self._key_accounts(["越秀地产"])
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": builder.id,
                "invoice_date": "2025-05-01",
                "invoice_line_ids": [
                    Command.create({"product_id": flat.id, "quantity": 2, "price_unit": 100.0, "tax_ids": False})
                ],
            }
        )
        invoice.action_post()
        # the preset A/B/C/D scorecard scores the margin: 15 points at 30 % or more
        review = self._review(scheme_id=self.scheme_abcd.id)
        review.action_compute()
        line = review.line_ids.filtered(lambda line: line.partner_id == builder)
        self.assertAlmostEqual(line.margin_percent, 40.0)  # (200 − 2 × 60) / 200
        # lines without a product cost nothing
        self.assertAlmostEqual(review.line_ids.filtered(lambda line: line.partner_id == self.accounts[0]).margin_percent, 100.0)
