from odoo import fields, models
from odoo.exceptions import UserError

from ..rules import cn_id
from ..rules.errors import RuleError


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
        # a mistyped number is said as such (length, birth date, check digit), before it is compared to the list
        try:
            number = cn_id.normalize_resident_id(self.id_number)
        except RuleError as error:
            raise UserError(error.translated(self.env)) from None
        if not self.line_id.action_check_id(self.name, number):
            raise UserError(self.env._("The ID card does not match the verified list: no ticket can be issued."))
        return self.line_id.action_desk_open_ticket()
