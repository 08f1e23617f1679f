from odoo import fields, models


class KamFeeRefund(models.TransientModel):
    """Refund the fee of a rename or mortgage conversion (AC6): finance gives the reason, the amendment does
    the rest (a credit note through Odoo's reversal)."""

    _name = "kam.fee.refund"
    _description = "Refund a Desk Fee"
    _rec_name = "amendment_id"

    amendment_id = fields.Many2one("kam.ticket.amendment", required=True, ondelete="cascade")
    invoice_id = fields.Many2one(related="amendment_id.invoice_id", string="Fee Invoice")
    reason = fields.Text(required=True)

    def action_refund(self):
        self.ensure_one()
        return self.amendment_id.action_refund_fee(self.reason)
