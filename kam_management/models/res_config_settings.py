from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_min_screened_candidates = fields.Integer(
        related="company_id.kam_min_screened_candidates", readonly=False
    )
    kam_min_payment_ratio = fields.Float(related="company_id.kam_min_payment_ratio", readonly=False)
    kam_blind_price_min_ratio = fields.Float(
        related="company_id.kam_blind_price_min_ratio", readonly=False
    )
    kam_cost_plus_min_factor = fields.Float(
        related="company_id.kam_cost_plus_min_factor", readonly=False
    )
    kam_swap_concession_max_ratio = fields.Float(
        related="company_id.kam_swap_concession_max_ratio", readonly=False
    )
    kam_joint_account_liability_account_id = fields.Many2one(
        related="company_id.kam_joint_account_liability_account_id", readonly=False
    )
    kam_tier_scheme_id = fields.Many2one(related="company_id.kam_tier_scheme_id", readonly=False)
    kam_deadline_lead_days = fields.Integer(related="company_id.kam_deadline_lead_days", readonly=False)
    kam_rename_fee_product_id = fields.Many2one(related="company_id.kam_rename_fee_product_id", readonly=False)
    kam_mortgage_fee_product_id = fields.Many2one(related="company_id.kam_mortgage_fee_product_id", readonly=False)
    kam_fee_journal_id = fields.Many2one(related="company_id.kam_fee_journal_id", readonly=False)
