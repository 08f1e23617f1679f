from odoo import fields, models
from odoo.exceptions import UserError


class KamDeskIdCheck(models.TransientModel):
    """The desk checks the called buyer's ID card against the verified list, then opens the ticket."""

    _name = "kam.desk.id.check"
    _description = "Selection Desk ID Check"

    line_id = fields.Many2one("kam.selection.draw.line", required=True, ondelete="cascade", string="Called")
    position = fields.Integer(related="line_id.position")
    buyer_name = fields.Char(related="line_id.buyer_name", string="Listed Name")
    name = fields.Char(string="Name on the ID Card", required=True)
    id_number = fields.Char(string="ID Number on the Card", required=True)

    def action_check(self):
        self.ensure_one()
        if not self.line_id.action_check_id(self.name, self.id_number):
            raise UserError(self.env._("The ID card does not match the verified list: no ticket can be issued."))
        line = self.line_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.room.ticket",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_contract_id": line.contract_id.id,
                "default_draw_line_id": line.id,
                "default_buyer_name": self.name.strip(),
                "default_id_number": self.id_number.strip().upper(),
                "default_payment_ratio": line.contract_id.payment_ratio,
            },
        }
