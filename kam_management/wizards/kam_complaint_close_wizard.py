from odoo import fields, models

from ..models.kam_complaint import KAM_SATISFACTION


class KamComplaintCloseWizard(models.TransientModel):
    """The customer's confirmation that closes a complaint, with their satisfaction score (KA8)."""

    _name = "kam.complaint.close.wizard"
    _description = "Complaint Customer Confirmation"
    _rec_name = "complaint_id"

    complaint_id = fields.Many2one("kam.complaint", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="complaint_id.partner_id")
    confirmed_by_id = fields.Many2one(
        "res.partner", string="Confirmed By", required=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
        help="The customer's contact who confirms the complaint is settled.",
    )
    satisfaction = fields.Selection(KAM_SATISFACTION, required=True)
    note = fields.Text(string="Customer's Words")

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._kam_close_confirmed(self.confirmed_by_id, self.satisfaction, self.note)
        return {"type": "ir.actions.act_window_close"}
