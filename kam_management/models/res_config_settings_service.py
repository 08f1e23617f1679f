from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Settings of the key-account service (KA7, KA8, KA10)."""

    _inherit = "res.config.settings"

    kam_no_contact_days = fields.Integer(related="company_id.kam_no_contact_days", readonly=False)
    kam_complaint_leader_id = fields.Many2one(related="company_id.kam_complaint_leader_id", readonly=False)
    kam_complaint_sla_basis = fields.Selection(related="company_id.kam_complaint_sla_basis", readonly=False)
    kam_cn_public_holidays = fields.Boolean(
        related="company_id.resource_calendar_id.kam_cn_public_holidays", readonly=False,
        string="Working Calendar Follows China's Public Holidays",
    )
    kam_general_manager_id = fields.Many2one(related="company_id.kam_general_manager_id", readonly=False)
    kam_report_day = fields.Integer(related="company_id.kam_report_day", readonly=False)
