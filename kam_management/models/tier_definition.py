from odoo import api, models


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_tier_validation_model_names(self):
        res = super()._get_tier_validation_model_names()
        res.extend(["kam.housing.pricing", "kam.unit.allocation", "kam.relation.request"])
        return res
