from odoo import api, fields, models

from ..rules.scorecard import DEFAULT_FULL_MARGIN, DEFAULT_ZERO_AT

# How a criterion gets its points (KA3); rules/scorecard.py does the maths.
SCORE_CRITERION_METHOD = [
    ("manual", "Rated by Hand"),
    ("revenue", "Sales Scale (posted invoices)"),
    ("payment_delay", "Payment Reputation (days late)"),
    ("invoice_count", "Order Volume (invoice count)"),
    ("margin", "Margin (invoiced lines less product cost)"),
]


class KamScoreCriterion(models.Model):
    _name = "kam.score.criterion"
    _description = "Key-Account Scorecard Criterion"
    _order = "scheme_id, sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    scheme_id = fields.Many2one("kam.tier.scheme", required=True, ondelete="cascade", index=True)
    weight = fields.Float(required=True, digits=(5, 2), help="Points out of 100; a scheme's weights total 100.")
    method = fields.Selection(SCORE_CRITERION_METHOD, required=True, default="manual")
    zero_at = fields.Float(
        string="No Points At (days late)",
        default=DEFAULT_ZERO_AT,
        help="Payment reputation: average days late that earn no points; paying on time earns all.",
    )

    full_at = fields.Float(
        string="Full Points At (margin %)",
        default=DEFAULT_FULL_MARGIN,
        help="Margin: the gross margin in % that earns all points; 0 % or less earns none.",
    )

    _code_scheme_uniq = models.Constraint("unique(scheme_id, code)", "A criterion code must be unique in its scheme.")

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("weight", "active", "scheme_id")
    def _check_weight_total(self):
        if self.env["kam.tier.scheme"]._kam_scheme_checks_deferred():
            return
        for scheme in self.scheme_id:
            scheme._check_scorecard_weights()
