from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

from ..rules import scorecard, tiering
from .kam_tier_metrics import TierMetrics

TIER_REVIEW_STATE = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("cancel", "Cancelled"),
]


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
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("kam.tier.review") or self.env._("New")
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
                [("partner_id", "in", list(figures)), ("criterion_id", "in", manual.ids)],
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
                    "review_id": self.id,
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
        # the figures are the computation's, not the user's: the lines are written under sudo
        self.line_ids.sudo().unlink()
        self.env["kam.tier.review.line"].sudo().create(lines)
        self._kam_action_write({"computed_at": fields.Datetime.now(), "company_revenue": metrics.company_revenue})

    def _kam_apply_review(self):
        """What the approval of the reviews does to the customers (one entry point)."""
        for review in self:
            review._apply_proposals()

    def _apply_proposals(self):
        """Write tiers, policies and one history line per customer, batched per tier."""
        self.ensure_one()
        company = self.company_id
        Partner = self.env["res.partner"].sudo().with_company(company)
        by_tier = {}
        by_score = {}
        history = []
        for line in self.line_ids:
            by_tier.setdefault(line.proposed_tier_id, []).append(line.partner_id.id)
            by_score.setdefault(line.score, []).append(line.partner_id.id)
            history.append(
                {
                    "partner_id": line.partner_id.id,
                    "company_id": company.id,
                    "review_id": self.id,
                    "date": self.date_to,
                    "old_tier_id": line.current_tier_id.id,
                    "tier_id": line.proposed_tier_id.id,
                    "movement": line.movement,
                    "score": line.score,
                    "revenue": line.revenue,
                    "avg_days_late": line.avg_days_late,
                }
            )
        for tier, partner_ids in by_tier.items():
            partners = Partner.browse(partner_ids)
            values = {
                "kam_tier_id": tier.id,
                "kam_credit_grade": tier.credit_grade or False,
                "kam_payment_tier_id": tier.id,
            }
            if tier:
                values["credit_limit"] = 0.0 if tier.credit_grade == "D" else tier.credit_limit
                if tier.payment_term_id:
                    values["property_payment_term_id"] = tier.payment_term_id.id
            partners.write(values)
        for score, partner_ids in by_score.items():
            Partner.browse(partner_ids).write({"kam_score": score})
        self.env["kam.tier.history"].sudo().create(history)
        self.message_post(
            body=self.env._(
                "Approved: %(count)s customers reviewed, %(ups)s up, %(downs)s down.",
                count=len(self.line_ids),
                ups=self.up_count,
                downs=self.down_count,
            )
        )
