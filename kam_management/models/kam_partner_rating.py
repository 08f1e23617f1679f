from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules import scorecard
from ..rules.errors import RuleError
from .kam_display_name import join_name


class KamPartnerRating(models.Model):
    """A manual scorecard rating (KA3): 0–100 % of a criterion's weight."""

    _name = "kam.partner.rating"
    _description = "Key-Account Manual Rating"
    _order = "partner_id, criterion_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    # SEC7: a rating belongs to the company whose scorecard it feeds (partners are often shared)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    criterion_id = fields.Many2one(
        "kam.score.criterion", required=True, ondelete="cascade", domain=[("method", "=", "manual")]
    )
    rating = fields.Float(digits=(5, 2), help="0 to 100: the share of the criterion's weight the customer earns.")
    note = fields.Char()

    _partner_criterion_uniq = models.Constraint(
        "unique(partner_id, criterion_id, company_id)", "A customer has one rating per criterion."
    )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("rating")
    def _check_rating(self):
        for rating in self:
            try:
                scorecard.check_rating(rating.rating)
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None

    @api.depends("partner_id.name", "criterion_id.name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.partner_id.name, record.criterion_id.name)
