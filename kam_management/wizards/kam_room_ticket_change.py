from odoo import fields, models
from odoo.exceptions import UserError

TICKET_CHANGE_MODE = [
    ("cancel", "Cancel the Ticket"),
    ("top_up", "Top-Up Payment"),
    ("swap", "Swap the Unit"),
    ("return", "Request the Return of the Unit"),
]


class KamRoomTicketChange(models.TransientModel):
    """Cancel a ticket with its reason, correct a vouchered one by red reversal (top-up, swap), or ask finance to
    take back a unit that has money or a voucher against it (the return)."""

    _name = "kam.room.ticket.change"
    _description = "Change a Room-Selection Ticket"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("kam.room.ticket", required=True, ondelete="cascade")
    mode = fields.Selection(TICKET_CHANGE_MODE, required=True, default="cancel")
    reason = fields.Text()
    new_ratio = fields.Float(string="New Payment Ratio (%)", digits=(5, 2), default=100.0)
    contract_id = fields.Many2one(related="ticket_id.contract_id")
    new_unit_id = fields.Many2one(
        "kam.housing.unit", string="New Unit",
        domain="[('contract_id', '=', contract_id), ('current_holding_id.ticket_id', '=', False)]",
    )
    recovered_copy = fields.Binary(string="Recovered Copies")
    recovered_copy_name = fields.Char()

    def action_apply(self):
        self.ensure_one()
        ticket = self.ticket_id
        if self.mode == "cancel":
            ticket.action_cancel(self.reason)
            return {"type": "ir.actions.act_window_close"}
        if self.mode == "return":
            ticket.action_request_return(self.reason, self.recovered_copy, self.recovered_copy_name)
            return {"type": "ir.actions.act_window_close"}
        if self.mode == "top_up":
            ticket.action_top_up(self.new_ratio, self.recovered_copy, self.recovered_copy_name)
            return {"type": "ir.actions.act_window_close"}
        if not self.new_unit_id:
            raise UserError(self.env._("Choose the new unit."))
        new_ticket = ticket.action_swap(self.new_unit_id, self.recovered_copy, self.recovered_copy_name)
        return {"type": "ir.actions.act_window", "res_model": "kam.room.ticket", "res_id": new_ticket.id, "view_mode": "form"}
