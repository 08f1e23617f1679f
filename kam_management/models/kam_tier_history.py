from odoo import api, fields, models

from .kam_display_name import join_name

# How a review moved a customer (KA4).
TIER_MOVEMENT = [
    ("up", "Up"),
    ("down", "Down"),
    ("same", "Unchanged"),
    ("new", "New"),
    ("out", "Out"),
]


class KamTierHistory(models.Model):
    """One line per customer and approved review: tier, score and the metrics behind them."""

    _name = "kam.tier.history"
    _description = "Key-Account Tier History"
    _order = "date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    review_id = fields.Many2one(
        "kam.tier.review", string="Key-Account Tier Review", ondelete="set null", check_company=True
    )
    date = fields.Date(required=True)
    old_tier_id = fields.Many2one("kam.tier", string="Previous Tier")
    tier_id = fields.Many2one("kam.tier", string="Tier")
    movement = fields.Selection(TIER_MOVEMENT)
    score = fields.Float(digits=(5, 2))
    currency_id = fields.Many2one(related="company_id.currency_id")
    revenue = fields.Monetary()
    avg_days_late = fields.Float(string="Average Days Late", digits=(8, 1))

    @api.depends("partner_id.name", "date")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.partner_id.name, record.date)
