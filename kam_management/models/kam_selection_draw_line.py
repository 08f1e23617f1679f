from odoo import api, fields, models
from odoo.exceptions import UserError

from .kam_housing_buyer import ID_NUMBER_GROUPS

ID_CHECK_RESULT = [
    ("match", "Name and ID Match"),
    ("mismatch", "Mismatch"),
]
# what the desk records on a finished order, through its buttons only
DESK_FIELDS = ("called_date", "called_by_id", "id_check_result", "id_checked_date", "id_checked_by_id")


class KamSelectionDrawLine(models.Model):
    """One buyer's place in a selection order, and the desk's call and ID check."""

    _name = "kam.selection.draw.line"
    _description = "Selection Order Line"
    _order = "draw_id, position"
    _rec_name = "buyer_name"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    draw_id = fields.Many2one("kam.selection.draw", required=True, ondelete="restrict", index=True)
    contract_id = fields.Many2one(related="draw_id.contract_id", store=True, index=True)
    company_id = fields.Many2one(related="draw_id.company_id", store=True)
    position = fields.Integer(required=True, readonly=True)
    buyer_id = fields.Many2one("kam.housing.buyer", required=True, ondelete="restrict", readonly=True)
    buyer_name = fields.Char(related="buyer_id.name", string="Buyer Name")
    id_number = fields.Char(related="buyer_id.id_number", groups=ID_NUMBER_GROUPS)
    called_date = fields.Datetime(string="Called On", readonly=True)
    called_by_id = fields.Many2one("res.users", string="Called By", readonly=True)
    id_check_result = fields.Selection(ID_CHECK_RESULT, string="ID Check", readonly=True)
    id_checked_date = fields.Datetime(string="ID Checked On", readonly=True)
    id_checked_by_id = fields.Many2one("res.users", string="ID Checked By", readonly=True)
    ticket_ids = fields.One2many("kam.room.ticket", "draw_line_id", string="Tickets")

    _position_uniq = models.Constraint("unique(draw_id, position)", "A number appears once in an order.")
    _buyer_uniq = models.Constraint("unique(draw_id, buyer_id)", "A buyer appears once in an order.")

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self.env._("The order is written by the draw itself."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("A selection order is read-only; the desk records calls through its buttons."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_drawn(self):
        raise UserError(self.env._("A selection order is evidence: its lines cannot be deleted."))

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_check_id(self, name, id_number):
        """Record the desk's check of the called buyer's ID card against the list (name and number)."""
        self.ensure_one()
        self.draw_id._kam_check_may("action_draw")
        if not self.called_date:
            raise UserError(self.env._("Call the buyer before checking the ID."))
        buyer = self.sudo().buyer_id
        matches = (name or "").strip() == buyer.name and (id_number or "").strip().upper() == buyer.id_number
        self.sudo().write(
            {
                "id_check_result": "match" if matches else "mismatch",
                "id_checked_date": fields.Datetime.now(),
                "id_checked_by_id": self.env.uid,
            }
        )
        return matches
