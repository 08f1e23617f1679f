from odoo import api, fields, models


class KamHousingPricingLayout(models.Model):
    _name = "kam.housing.pricing.layout"
    _description = "Layout Price Differential"
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

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_unlocked()
        return lines

    def write(self, vals):
        self._check_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self._check_unlocked()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_unlocked(self):
        self.pricing_id._kam_check_not_approved()
