from odoo import fields, models


class KamTier(models.Model):
    """Service policies of a tier (KA7–KA8), next to the cadence rules that use them."""

    _inherit = "kam.tier"

    cadence_rule_ids = fields.One2many("kam.cadence.rule", "tier_id", string="Service Cadence")
    kam_complaint_task_force = fields.Boolean(
        string="Complaint Task Force",
        help="Complaints of this tier are handled by a task force (marketing, business, technical, service).",
    )
