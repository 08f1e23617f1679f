from odoo import api, fields, models

from ..rules.credit import CREDIT_GRADES

CREDIT_GRADE_SELECTION = [(grade, grade) for grade in CREDIT_GRADES]


class KamTier(models.Model):
    _name = "kam.tier"
    _description = "Key-Account Tier"
    _order = "scheme_id, sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code shown on partners and reports, e.g. A.")
    sequence = fields.Integer(default=10, help="Rank in the scheme: the best tier comes first.")
    scheme_id = fields.Many2one("kam.tier.scheme", required=True, ondelete="cascade", index=True)
    color = fields.Integer()
    # tiers are shared by companies; their amounts are read in the reviewing company's currency
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    # thresholds (threshold schemes) — [min_value, max_value), max 0 = no upper bound
    min_value = fields.Float(string="From", digits=(16, 2), help="Lower threshold, included.")
    max_value = fields.Float(string="Up To", digits=(16, 2), help="Upper threshold, excluded; 0 means no upper bound.")
    # forced distribution
    distribution_percent = fields.Float(string="Share of Customers (%)", digits=(5, 2))
    # policies (KA2)
    max_discount = fields.Float(string="Maximum Discount (%)", digits="Discount", help="KA11: line discounts above it need approval.")
    markup_percent = fields.Float(string="Price Markup (%)", digits=(5, 2))
    payment_term_id = fields.Many2one("account.payment.term", string="Default Payment Term")
    credit_grade = fields.Selection(CREDIT_GRADE_SELECTION, default="C", required=True)
    credit_limit = fields.Monetary(help="Written to the partner's credit limit when a review places it here.")
    lead_time_days = fields.Integer(string="Standard Lead Time (days)")
    rush_orders_allowed = fields.Boolean(string="Rush Orders Allowed")
    response_sla_hours = fields.Integer(string="Response SLA (hours)", default=24)
    visit_cadence_days = fields.Integer(string="Visit Cadence (days)")
    profile_refresh_months = fields.Integer(string="Profile Refresh (months)", default=12)
    maintenance_budget = fields.Monetary(string="Yearly Maintenance Budget")

    _code_scheme_uniq = models.Constraint("unique(scheme_id, code)", "A tier code must be unique in its scheme.")
    _percent_range = models.Constraint(
        "CHECK(distribution_percent >= 0 AND distribution_percent <= 100)",
        "A tier's share of customers is between 0 and 100 %.",
    )
    _discount_range = models.Constraint(
        "CHECK(max_discount >= 0 AND max_discount <= 100)", "A tier's maximum discount is between 0 and 100 %."
    )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("min_value", "max_value", "distribution_percent", "sequence", "scheme_id")
    def _check_scheme(self):
        if self.env["kam.tier.scheme"]._kam_scheme_checks_deferred():
            return
        self.scheme_id._check_tiers()

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.depends("code", "name")
    def _compute_display_name(self):
        for tier in self:
            tier.display_name = tier.name if tier.name == tier.code else f"{tier.code} · {tier.name}"
