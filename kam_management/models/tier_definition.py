from odoo import api, models


class TierDefinition(models.Model):
    _inherit = "tier.definition"

    @api.model
    def _get_tier_validation_model_names(self):
        res = super()._get_tier_validation_model_names()
        res += [
            # key accounts
            "kam.account.registration",
            "kam.tier.review",
            "kam.credit.exception",
            "kam.discount.approval",
            "kam.payment.downgrade",
            "kam.complaint.concession",
            # commissioned housing
            "kam.housing.pricing",
            "kam.unit.allocation",
            "kam.relation.request",
        ]
        return res
