"""Issue 7 item 4: an approved tier review is applied by a batched job, consistent at every commit."""

from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .kam_accounts_common import KamAccountsCommon

REVENUES = [10000, 9000, 8000, 7000, 6000, 5000, 4000, 3000, 2000, 1000]
MODULE = "odoo.addons.kam_management.models.kam_tier_review"


@tagged("post_install", "-at_install")
class TestReviewApplyJob(KamAccountsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheme = cls.scheme_abcd.copy({"name": "A/B/C/D by revenue (job)"})
        cls.scheme.write(
            {
                "criterion_ids": [Command.clear()]
                + [Command.create({"code": "sales", "name": "Sales Scale", "method": "revenue", "weight": 100})]
            }
        )
        cls.tiers = {tier.code: tier for tier in cls.scheme.tier_ids}
        cls.accounts = cls._key_accounts([f"绿地客户{i}" for i in range(10)])
        cls._invoices(
            [(p, amount, "2025-03-01", "2025-04-01") for p, amount in zip(cls.accounts, REVENUES, strict=True)]
        )
        cls._set_tier(cls.accounts[0], cls.tiers["C"])
        cls.late_payer = cls.accounts[1]
        cls._set_tier(cls.late_payer, cls.tiers["B"])
        cls.executive = cls.kam_users["executive"]
        cls._definition("kam.tier.review", cls.executive)

    def _downgrade(self, partner, from_tier, to_tier):
        """sudo helper: what the late-payer job records and writes."""
        downgrade = self.env["kam.payment.downgrade"].sudo().create(
            {"partner_id": partner.id, "company_id": self.env.company.id, "quarter": "2025-Q4", "late_count": 2,
             "from_tier_id": from_tier.id, "to_tier_id": to_tier.id}
        )
        downgrade._apply_downgrade()
        return downgrade

    def _approved_review(self):
        review = self.env["kam.tier.review"].create(
            {"scheme_id": self.scheme.id, "date_from": "2025-01-01", "date_to": "2025-12-31"}
        )
        review.action_compute()
        review.with_user(self.ka_manager).request_validation()
        review.invalidate_recordset()
        with patch(f"{MODULE}.APPLY_INLINE_LIMIT", 0):  # ten accounts stand for twenty thousand
            review.with_user(self.executive).validate_tier()
        review.invalidate_recordset()
        return review

    def _run_job(self, batch_size, time_left=lambda calls: 1.0):
        """Run the cron method with ``_commit_progress`` observed instead of committing."""
        review_model = self.env["kam.tier.review"]
        commits = []

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            self.env.flush_all()
            commits.append(self._consistency())
            return time_left(len(commits))

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", commit_progress):
            review_model._cron_apply_reviews(batch_size=batch_size)
        return commits

    def _consistency(self):
        """(lines applied, history rows, partners carrying their proposed tier) of the review, by SQL."""
        self.env.cr.execute(
            """
            SELECT COUNT(*) FILTER (WHERE l.applied),
                   (SELECT COUNT(*) FROM kam_tier_history h WHERE h.review_id = l.review_id),
                   COUNT(*) FILTER (WHERE p.kam_tier_id IS NOT DISTINCT FROM l.proposed_tier_id
                                      AND p.kam_score = l.score AND l.applied)
              FROM kam_tier_review_line l JOIN res_partner p ON p.id = l.partner_id
             WHERE l.review_id = %s
             GROUP BY l.review_id
            """,
            (self.review.id,),
        )
        return self.env.cr.fetchone()

    def test_the_approval_queues_the_job_and_writes_nothing(self):
        self.review = self._approved_review()
        self.assertEqual((self.review.state, self.review.apply_state), ("approved", "queued"))
        cron = self.env.ref("kam_management.ir_cron_kam_apply_tier_reviews")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.assertEqual(self._consistency(), (0, 0, 0))
        self.accounts[0].invalidate_recordset()
        self.assertEqual(self.accounts[0].kam_tier_id, self.tiers["C"])

    def test_each_commit_holds_whole_batches_of_partners_and_history(self):
        self.review = self._approved_review()
        commits = self._run_job(batch_size=3)
        # the first call sets the total; then 3 + 3 + 3 + 1, then the summary
        self.assertEqual([applied for applied, _h, _p in commits], [0, 3, 6, 9, 10, 10])
        for applied, history, partners in commits:
            self.assertEqual((history, partners), (applied, applied), "partners and history commit together")
        self.review.invalidate_recordset()
        self.assertEqual((self.review.apply_state, self.review.applied_count), ("done", 10))
        top = self.accounts[0]
        top.invalidate_recordset()
        self.assertEqual((top.kam_tier_id, top.kam_payment_tier_id), (self.tiers["A"], self.tiers["A"]))
        self.assertEqual(top.property_payment_term_id, self.tiers["A"].payment_term_id)

    def test_one_summary_message_and_no_tracking_per_partner(self):
        self.review = self._approved_review()
        self._run_job(batch_size=4)
        summaries = self.review.message_ids.filtered(lambda m: "customers reviewed" in (m.body or ""))
        self.assertEqual(len(summaries), 1)
        tracked = self.env["mail.tracking.value"].sudo().search(
            [("mail_message_id.model", "=", "res.partner"), ("mail_message_id.res_id", "in", self.accounts.ids),
             ("field_id.name", "in", ["kam_tier_id", "kam_score", "kam_credit_grade", "kam_payment_tier_id"]),
             ("create_date", ">=", self.review.approved_at)]
        )
        self.assertFalse(tracked)

    def test_out_of_time_the_job_stops_after_a_batch_and_resumes(self):
        self.review = self._approved_review()
        commits = self._run_job(batch_size=4, time_left=lambda calls: 0.0 if calls == 2 else 1.0)
        self.assertEqual(commits[-1], (4, 4, 4))
        self.review.invalidate_recordset()
        self.assertEqual(self.review.apply_state, "running")
        self._run_job(batch_size=4)
        self.review.invalidate_recordset()
        self.assertEqual((self.review.apply_state, self._consistency()), ("done", (10, 10, 10)))

    def test_the_review_keeps_a_late_payers_downgrade(self):
        downgrade = self._downgrade(self.late_payer, self.tiers["B"], self.tiers["C"])
        self.review = self._approved_review()
        proposed = self.review.line_ids.filtered(lambda line: line.partner_id == self.late_payer).proposed_tier_id
        self._run_job(batch_size=100)
        self.late_payer.invalidate_recordset()
        levels = self.scheme._payment_levels()
        below = levels[list(levels).index(proposed) + 1]
        self.assertEqual(self.late_payer.kam_tier_id, proposed)
        self.assertEqual(self.late_payer.kam_payment_tier_id, below, "still one level down")
        self.assertEqual(self.late_payer.property_payment_term_id, below.payment_term_id)
        self.assertEqual((downgrade.state, downgrade.from_tier_id), ("downgraded", proposed))
        self.assertEqual(self.review.kept_downgrade_count, 1)
        self.assertIn("late payers keep their payment terms", self.review.message_ids[0].body)

    def test_a_small_review_is_applied_in_the_approval(self):
        review = self.env["kam.tier.review"].create(
            {"scheme_id": self.scheme.id, "date_from": "2025-01-01", "date_to": "2025-12-31"}
        )
        review.action_compute()
        review.with_user(self.ka_manager).request_validation()
        review.invalidate_recordset()
        review.with_user(self.executive).validate_tier()
        review.invalidate_recordset()
        self.assertEqual((review.apply_state, review.applied_count), ("done", 10))

    def test_the_late_payer_job_has_its_index(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'account_partial_reconcile' AND indexdef LIKE %s",
            ("%(company_id, max_date)%",),
        )
        self.assertTrue(self.env.cr.fetchall())
