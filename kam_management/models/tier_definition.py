from odoo import api, models
from odoo.tools import SQL


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

    @api.model
    def _kam_fill_preset_models(self):
        """Give the preset chains their model name.

        Loaded during the install, ``model`` (a stored related of ``model_id``) stays empty, and every lookup
        of the definitions that apply to a document searches ``model``: without this the presets would never
        apply, and a document would look as if it had no chain.
        """
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                """
                UPDATE tier_definition d
                   SET model = m.model
                  FROM ir_model m
                 WHERE m.id = d.model_id AND d.model IS DISTINCT FROM m.model
                """
            )
        )
        self.invalidate_model(["model"])
