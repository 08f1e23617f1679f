from odoo import fields, models


class KamHousingPricingLayout(models.Model):
    """A layout's differential: part of what the approvers sign, locked with its proposal."""

    _name = "kam.housing.pricing.layout"
    _description = "Layout Price Differential"
    _rec_name = "layout"
    _inherit = ["kam.lifecycle.line.mixin"]
    _kam_document_field = "pricing_id"
    _order = "pricing_id, layout"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    pricing_id = fields.Many2one("kam.housing.pricing", required=True, ondelete="cascade", index=True)
    # SEC7: confined to the proposal's company by the record rule on this column
    company_id = fields.Many2one(related="pricing_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="pricing_id.currency_id")
    layout = fields.Char(required=True)
    delta = fields.Monetary(string="Differential (per m²)", help="Added to the average price for this layout.")

    _layout_uniq = models.Constraint("unique(pricing_id, layout)", "A layout has one differential per proposal.")
