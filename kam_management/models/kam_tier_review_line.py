from odoo import api, fields, models

from .kam_display_name import join_name
from .kam_tier_history import TIER_MOVEMENT


class KamTierReviewLine(models.Model):
    """A customer's figures and proposed tier; computed by the review, locked with it from the request on."""

    _name = "kam.tier.review.line"
    _description = "Key-Account Tier Review Proposal"
    _inherit = ["kam.lifecycle.line.mixin"]
    _kam_document_field = "review_id"
    # the figures come from Compute only; the director may still move a proposal before the request
    _kam_action_fields = (
        "partner_id", "current_tier_id", "movement", "revenue", "purchases", "revenue_share", "invoice_count",
        "avg_days_late", "late_count", "margin_percent", "score", "rank", "applied",
    )
    _order = "review_id, rank, score desc, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    review_id = fields.Many2one(
        "kam.tier.review", string="Key-Account Tier Review", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="review_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    current_tier_id = fields.Many2one("kam.tier", string="Current Tier")
    proposed_tier_id = fields.Many2one("kam.tier", string="Proposed Tier")
    movement = fields.Selection(TIER_MOVEMENT)
    revenue = fields.Monetary()
    purchases = fields.Monetary()
    revenue_share = fields.Float(string="Share of Revenue (%)", digits=(7, 4))
    invoice_count = fields.Integer(string="Invoices")
    avg_days_late = fields.Float(string="Average Days Late", digits=(8, 1), aggregator="avg")
    late_count = fields.Integer(string="Late Invoices")
    margin_percent = fields.Float(string="Margin (%)", digits=(7, 2), aggregator="avg")
    score = fields.Float(digits=(5, 2), aggregator="avg")
    # reporting: revenue and score by tier and account manager (pivot, graph)
    manager_id = fields.Many2one(related="partner_id.kam_manager_id", store=True, string="Account Manager")
    rank = fields.Integer(help="Rank by score in a forced distribution.")
    note = fields.Char(help="Why the proposal may surprise: a tie on a quota boundary, a small population.")
    applied = fields.Boolean(readonly=True, copy=False, help="Written to the customer by the apply step.")

    # the apply job reads the lines of a review still to apply, in id order, batch after batch
    _apply_pending_idx = models.Index("(review_id, id) WHERE applied IS NOT TRUE")

    @api.depends("review_id.name", "partner_id.name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.review_id.name, record.partner_id.name)
