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
        return self.line_id.action_desk_open_ticket()
