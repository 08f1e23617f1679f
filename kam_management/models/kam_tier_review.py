import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_round

from ..rules import late_payment, scorecard, tiering
from .kam_tier_metrics import TierMetrics

_logger = logging.getLogger(__name__)

TIER_REVIEW_STATE = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("cancel", "Cancelled"),
]
# The apply step of an approved review (issue 7): queued by the approval, done by a batched job.
TIER_REVIEW_APPLY_STATE = [
    ("queued", "Queued"),
    ("running", "Applying"),
    ("done", "Applied"),
]
# Customers written per batch, i.e. per commit of the job: partners and their history together.
APPLY_BATCH_SIZE = 2000
# A review this small is applied in the approval itself (one batch); larger ones by the job.
APPLY_INLINE_LIMIT = 200


class KamTierReview(models.Model):
    _name = "kam.tier.review"
    _description = "Key-Account Tier Review"
    _inherit = ["kam.approval.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _kam_transitions = {
        "action_approve": (("draft",), "approved", ()),
        "action_cancel": (("draft",), "cancel", ("kam_management.group_kam_manager",)),
        "action_draft": (("cancel",), "draft", ("kam_management.group_kam_manager",)),
    }
    # written by Compute and by the approval, never typed
    _kam_action_fields = ("computed_at", "company_revenue", "approved_at")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, copy=False, readonly=True, default=lambda self: self.env._("New"))
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    scheme_id = fields.Many2one(
        "kam.tier.scheme",
        string="Tier Scheme",
        required=True,
        default=lambda self: self.env.company.kam_tier_scheme_id,
        tracking=True,
    )
    method = fields.Selection(related="scheme_id.method")
    date_from = fields.Date(required=True, tracking=True)
    date_to = fields.Date(required=True, tracking=True)
    state = fields.Selection(TIER_REVIEW_STATE, default="draft", required=True, copy=False, tracking=True)
    line_ids = fields.One2many("kam.tier.review.line", "review_id", string="Proposals", copy=False)
    computed_at = fields.Datetime(readonly=True, copy=False)
    company_revenue = fields.Monetary(readonly=True, copy=False, help="All posted customer revenue of the period.")
    candidate_count = fields.Integer(compute="_compute_counts", string="Candidates")
    up_count = fields.Integer(compute="_compute_counts", string="Ups")
    down_count = fields.Integer(compute="_compute_counts", string="Downs")
    approved_at = fields.Datetime(readonly=True, copy=False)
    apply_state = fields.Selection(
        TIER_REVIEW_APPLY_STATE, string="Apply Step", readonly=True, copy=False, index="btree_not_null",
        help="After approval, the tiers, terms and history are written by a background job in batches.",
    )
    applied_count = fields.Integer(string="Customers Applied", readonly=True, copy=False)
    kept_downgrade_count = fields.Integer(
        string="Downgrades Kept", readonly=True, copy=False,
        help="Late payers whose payment terms stay one level down: the review does not restore them.",
    )
    apply_progress = fields.Float(compute="_compute_counts", string="Applied (%)")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("line_ids.movement")
    def _compute_counts(self):
        for review in self:
            movements = review.line_ids.mapped("movement")
            review.candidate_count = len(movements)
            review.up_count = sum(1 for m in movements if m in ("up", "new"))
            review.down_count = sum(1 for m in movements if m in ("down", "out"))
            review.apply_progress = 100.0 * review.applied_count / len(movements) if movements else 0.0

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for review in self:
            if review.date_from > review.date_to:
                raise ValidationError(
                    self.env._(
                        "The review period cannot end (%(end)s) before it starts (%(start)s).",
                        start=review.date_from,
                        end=review.date_to,
                    )
                )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._kam_take_references(vals_list, "kam.tier.review", placeholder=self.env._("New"))
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(review.state == "approved" for review in self):
            raise UserError(self.env._("An approved tier review is part of the customers' history and cannot be deleted."))

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_compute(self):
        """Compute metrics, scores and proposals; writes only the review's own lines."""
        for review in self:
            if review.state != "draft":
                raise UserError(self.env._("Only a draft review can be computed."))
            if review.review_ids:
                raise UserError(self.env._("This review is under approval; its proposals cannot change."))
            review.check_access("write")
            review._compute_proposals()
        return True

    def action_approve(self):
        """Approved by its chain: tiers, history and policies are written."""
        for review in self:
            if not review.line_ids:
                raise UserError(self.env._("Compute the review before approving it."))
        self._kam_move("action_approve", {"approved_at": fields.Datetime.now()})
        self._kam_apply_review()
        return True

    def action_cancel(self):
        if any(review.state == "approved" for review in self):
            raise UserError(self.env._("An approved tier review cannot be cancelled."))
        self._kam_move("action_cancel")
        return True

    def action_draft(self):
        self._kam_move("action_draft")
        return True

    def request_validation(self):
        for review in self:
            if not review.line_ids:
                raise UserError(self.env._("Compute the review before asking for its approval."))
        return super().request_validation()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _candidate_ids(self):
        """Key accounts registered in the review's company (KA1: approved registrations only)."""
        self.ensure_one()
        return self.env["res.partner"].sudo()._search(
            [
                ("kam_registration_state", "=", "approved"),
                ("kam_registration_id.company_id", "=", self.company_id.id),
            ]
        )

    def _compute_metrics(self, partner_ids):
        """All candidates' figures in two queries (see kam_tier_metrics)."""
        self.ensure_one()
        metrics = TierMetrics(
            self.env, self.company_id, self.date_from, self.date_to, as_of=min(self.date_to, fields.Date.context_today(self))
        )
        figures = metrics.compute(partner_ids)
        if "margin" in self.scheme_id.criterion_ids.filtered("active").mapped("method"):
            metrics.compute_margins(figures)
        return metrics, figures

    def _score_all(self, figures):
        """Scores out of 100 by the scheme's scorecard; manual ratings read in one query."""
        self.ensure_one()
        criteria = self.scheme_id.criterion_ids.filtered("active")
        specs = [scorecard.Criterion(c.code, c.weight, c.method, c.zero_at, c.full_at) for c in criteria]
        ratings = {}
        manual = criteria.filtered(lambda c: c.method == "manual")
        if manual:
            for partner_id, code, rating in self.env["kam.partner.rating"].sudo()._read_group(
                [
                    ("partner_id", "in", list(figures)),
                    ("criterion_id", "in", manual.ids),
                    ("company_id", "=", self.company_id.id),
                ],
                ["partner_id", "criterion_id"],
                ["rating:max"],
            ):
                ratings.setdefault(partner_id.id, {})[code.code] = rating
        population = scorecard.Population(
            best_revenue=max((f.revenue for f in figures.values()), default=0.0),
            best_invoice_count=max((f.invoice_count for f in figures.values()), default=0),
        )
        return {
            partner_id: scorecard.score(
                specs,
                scorecard.Metrics(f.revenue, f.invoice_count, f.avg_days_late, f.margin_percent),
                ratings.get(partner_id, {}),
                population,
            )
            for partner_id, f in figures.items()
        }

    def _propose(self, figures, scores, company_revenue):
        self.ensure_one()
        scheme = self.scheme_id
        specs = scheme._tier_specs()
        if scheme.method == "forced":
            return tiering.forced_distribution(scores, specs)
        values = {}
        for partner_id, f in figures.items():
            if scheme.basis == "revenue":
                values[partner_id] = f.revenue
            elif scheme.basis == "purchases":
                values[partner_id] = f.purchases
            elif scheme.basis == "revenue_share":
                values[partner_id] = 100.0 * f.revenue / company_revenue if company_revenue else 0.0
            else:
                values[partner_id] = scores[partner_id]
        return tiering.by_threshold(values, specs)

    def _compute_proposals(self):
        self.ensure_one()
        lines, company_revenue = self._kam_proposal_lines()
        # the figures are the computation's, not the user's: the lines are written under sudo
        self.line_ids.sudo().unlink()
        self.env["kam.tier.review.line"].sudo().create([{"review_id": self.id, **line} for line in lines])
        self._kam_action_write({"computed_at": fields.Datetime.now(), "company_revenue": company_revenue})

    @api.readonly
    def get_proposal_figures(self):
        """What Compute would propose now, as plain data, without writing it (read-only: served by a read replica
        where Odoo has one, ``db_replica_host``): ``{"company_revenue", "lines": [...]}``, a line being the values
        Compute stores on a proposal (partner, current and proposed tier, movement, figures, score, rank, note)."""
        self.ensure_one()
        self.check_access("read")
        lines, company_revenue = self._kam_proposal_lines()
        return {"company_revenue": company_revenue, "lines": lines}

    def _kam_proposal_lines(self):
        """The proposal's lines (values without the review) and the company revenue: reads only, so that the
        figures can be computed on a read-only cursor (``get_proposal_figures``)."""
        self.ensure_one()
        if not self.scheme_id.tier_ids:
            raise UserError(self.env._("The tier scheme %(scheme)s has no tiers.", scheme=self.scheme_id.name))
        partner_ids = list(self._candidate_ids())
        if not partner_ids:
            raise UserError(
                self.env._("There is no registered key account in %(company)s to review.", company=self.company_id.name)
            )
        metrics, figures = self._compute_metrics(partner_ids)
        if not any(f.revenue or f.purchases or f.invoice_count for f in figures.values()):
            raise UserError(
                self.env._(
                    "No posted invoice of a key account is dated between %(start)s and %(end)s: "
                    "there is nothing to review in this period.",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        scores = self._score_all(figures)
        placements = self._propose(figures, scores, metrics.company_revenue)
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        current = {p.id: p.kam_tier_id for p in partners}
        ranks = {tier.id: index for index, tier in enumerate(self.scheme_id.tier_ids.sorted(lambda t: (t.sequence, t.id)))}
        currency = self.company_id.currency_id
        lines = []
        for partner_id in partner_ids:
            f = figures[partner_id]
            placement = placements[partner_id]
            old = current[partner_id]
            old_rank = ranks.get(old.id) if old else None
            new_rank = ranks.get(placement.tier) if placement.tier else None
            movement = tiering.movement(old_rank, new_rank) if old_rank is not None or not old else "new"
            lines.append(
                {
                    "partner_id": partner_id,
                    "current_tier_id": old.id,
                    "proposed_tier_id": placement.tier or False,
                    "movement": movement,
                    "revenue": currency.round(f.revenue),
                    "purchases": currency.round(f.purchases),
                    "revenue_share": float_round(
                        100.0 * f.revenue / metrics.company_revenue if metrics.company_revenue else 0.0, 4
                    ),
                    "invoice_count": f.invoice_count,
                    "avg_days_late": round(f.avg_days_late, 1),
                    "late_count": f.late_count,
                    "margin_percent": round(f.margin_percent, 2),
                    "score": scores[partner_id],
                    "rank": placement.rank,
                    "note": self.env._(placement.note_template, **dict(placement.note_params))
                    if placement.note_template
                    else False,
                }
            )
        return lines, metrics.company_revenue

    # ------------------------------------------------------------
    # APPLY STEP (issue 7: not in the last reviewer's click)
    # ------------------------------------------------------------

    def _kam_apply_review(self):
        """Entry point of the apply step, called when the approval completes.

        Queues the review for the batched job ``_cron_apply_reviews``; a review
        of at most ``APPLY_INLINE_LIMIT`` customers is applied at once, in one
        batch of the same code.
        """
        reviews = self.sudo().filtered(lambda review: not review.apply_state)
        if not reviews:
            return
        reviews.write({"apply_state": "queued"})
        small = reviews.filtered(lambda review: len(review.line_ids) <= APPLY_INLINE_LIMIT)
        for review in small:
            review._kam_apply_batch(review.line_ids)
            review._kam_finish_apply()
        if reviews - small:
            self.env.ref("kam_management.ir_cron_kam_apply_tier_reviews").sudo()._trigger()

    @api.model
    def _cron_apply_reviews(self, batch_size=APPLY_BATCH_SIZE):
        """Apply queued reviews in batches; each batch commits partners and history together.

        Progress goes to ``ir.cron.progress`` (``_commit_progress``); when the
        cron's time is up the job stops after a whole batch and Odoo runs it
        again at once (partially done), continuing with the lines not applied.
        """
        Cron = self.env["ir.cron"]
        Line = self.env["kam.tier.review.line"].sudo()
        reviews = self.sudo().search([("apply_state", "in", ("queued", "running"))], order="approved_at, id")
        if not reviews:
            return
        pending = [("review_id", "in", reviews.ids), ("applied", "=", False)]
        Cron._commit_progress(remaining=Line.search_count(pending))
        for review in reviews:
            if review.apply_state == "queued":
                review.apply_state = "running"
            while True:
                lines = Line.search([("review_id", "=", review.id), ("applied", "=", False)], limit=batch_size, order="id")
                if not lines:
                    review._kam_finish_apply()
                    Cron._commit_progress()
                    break
                review._kam_apply_batch(lines)
                if not Cron._commit_progress(len(lines)):
                    return  # out of time: rescheduled at once, resumes with the lines left

    def _kam_apply_batch(self, lines):
        """Write one batch of proposals: partners and history in set-based SQL, then mark the lines applied.

        One ``UPDATE ... FROM (VALUES ...)`` writes tier, score, grade,
        payment level, credit limit and payment term of every partner of the
        batch (company-dependent values in their jsonb columns), without one
        tracking value per field and partner: the review posts one summary
        instead. Late payers with an active downgrade keep their payment terms
        one level below the new tier, and the downgrade will restore the new
        tier's terms (KA6: the review does not silently undo it).
        """
        self.ensure_one()
        company = self.company_id
        env = self.env
        env.flush_all()
        rows = env.execute_query(
            SQL(
                """
                SELECT id, partner_id, proposed_tier_id, score
                  FROM kam_tier_review_line
                 WHERE id IN %(ids)s AND applied IS NOT TRUE
                """,
                ids=tuple(lines.ids),
            )
        )
        if not rows:
            return
        Tier = env["kam.tier"].sudo()
        tiers = {tier.id: tier for tier in Tier.browse({row[2] for row in rows if row[2]})}
        partner_ids = [row[1] for row in rows]
        Downgrade = env["kam.payment.downgrade"].sudo()
        downgrades = Downgrade.search(
            [("partner_id", "in", partner_ids), ("company_id", "=", company.id), ("state", "=", "downgraded")]
        )
        downgraded = {downgrade.partner_id.id: downgrade for downgrade in downgrades}
        values = []
        restore_to = {}  # new tier -> downgrades that will restore to it
        for _line_id, partner_id, tier_id, score in rows:
            tier = tiers.get(tier_id, Tier)
            payment_tier = tier
            if tier and partner_id in downgraded:
                levels = tier.scheme_id._payment_levels()
                below = late_payment.next_level_down(levels.ids, tier.id)
                payment_tier = Tier.browse(below) if below else tier
                restore_to.setdefault(tier, Downgrade)
                restore_to[tier] |= downgraded[partner_id]
            values.append(
                SQL(
                    "(%s, %s::int, %s::float, %s::varchar, %s::int, %s::float, %s::int, %s::bool)",
                    partner_id,
                    tier.id or None,
                    score or 0.0,
                    tier.credit_grade or None,
                    payment_tier.id or None,
                    (0.0 if tier.credit_grade == "D" else tier.credit_limit) if tier else None,
                    payment_tier.payment_term_id.id or None,
                    bool(tier),
                )
            )
        key = str(company.id)
        env.cr.execute(
            SQL(
                """
                UPDATE res_partner rp
                   SET kam_tier_id = v.tier_id,
                       kam_score = v.score,
                       kam_credit_grade = v.grade,
                       kam_payment_tier_id = v.payment_tier_id,
                       credit_limit = CASE WHEN v.has_tier
                           THEN COALESCE(rp.credit_limit, '{}'::jsonb) || jsonb_build_object(%(key)s, v.credit_limit)
                           ELSE rp.credit_limit END,
                       property_payment_term_id = CASE WHEN v.term_id IS NOT NULL
                           THEN COALESCE(rp.property_payment_term_id, '{}'::jsonb) || jsonb_build_object(%(key)s, v.term_id)
                           ELSE rp.property_payment_term_id END,
                       write_date = NOW() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                  FROM (VALUES %(values)s) AS v(partner_id, tier_id, score, grade, payment_tier_id, credit_limit,
                                               term_id, has_tier)
                 WHERE rp.id = v.partner_id
                """,
                key=key,
                uid=env.uid,
                values=SQL(", ").join(values),
            )
        )
        env["res.partner"].invalidate_model(
            ["kam_tier_id", "kam_score", "kam_credit_grade", "kam_payment_tier_id", "credit_limit",
             "property_payment_term_id", "write_date", "write_uid"]
        )
        for tier, tier_downgrades in restore_to.items():
            tier_downgrades.write({"from_tier_id": tier.id})
        # the history of the batch in one INSERT ... SELECT from its proposal lines
        env.cr.execute(
            SQL(
                """
                INSERT INTO kam_tier_history (partner_id, company_id, review_id, date, old_tier_id, tier_id,
                                              movement, score, revenue, avg_days_late,
                                              create_uid, create_date, write_uid, write_date)
                SELECT l.partner_id, %(company)s, l.review_id, %(date)s, l.current_tier_id, l.proposed_tier_id,
                       l.movement, l.score, l.revenue, l.avg_days_late,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM kam_tier_review_line l
                 WHERE l.id IN %(ids)s
                """,
                company=company.id,
                date=self.date_to,
                uid=env.uid,
                ids=tuple(row[0] for row in rows),
            )
        )
        env["kam.tier.history"].invalidate_model()
        env["res.partner"].invalidate_model(["kam_history_ids"])
        env.cr.execute(
            SQL("UPDATE kam_tier_review_line SET applied = TRUE WHERE id IN %s", tuple(row[0] for row in rows))
        )
        env["kam.tier.review.line"].invalidate_model(["applied"])
        kept = sum(len(d) for d in restore_to.values())
        self.sudo().write(
            {"applied_count": self.applied_count + len(rows), "kept_downgrade_count": self.kept_downgrade_count + kept}
        )

    def _kam_finish_apply(self):
        """One summary message for the whole review instead of tracking values per partner."""
        self.ensure_one()
        self.sudo().write({"apply_state": "done"})
        body = self.env._(
            "Approved: %(count)s customers reviewed, %(ups)s up, %(downs)s down.",
            count=len(self.line_ids),
            ups=self.up_count,
            downs=self.down_count,
        )
        if self.kept_downgrade_count:
            body = self.env._(
                "%(summary)s %(kept)s late payers keep their payment terms one level down until their "
                "downgrade is restored.",
                summary=body,
                kept=self.kept_downgrade_count,
            )
        self.message_post(body=body)
        _logger.info("tier review %s applied to %s customers", self.name, self.applied_count)
