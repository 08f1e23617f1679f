from odoo import api, fields, models
from odoo.exceptions import UserError

from ..rules import cn_id
from .kam_housing_buyer import ID_NUMBER_GROUPS
from .kam_room_ticket import ROOM_TICKET_STATE

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
    # the desk screen's status of the buyer (computed for the page shown, in batches; as superuser, so that
    # one record the reader may not see does not make Odoo fall back to one computation per line)
    id_number_masked = fields.Char(
        compute="_compute_id_number_masked", string="ID Number", groups=ID_NUMBER_GROUPS, compute_sudo=True
    )
    company_currency_id = fields.Many2one(related="draw_id.company_id.currency_id", string="Currency")
    desk_ticket_id = fields.Many2one("kam.room.ticket", compute="_compute_desk_status", string="Ticket", compute_sudo=True)
    desk_ticket_state = fields.Selection(ROOM_TICKET_STATE, compute="_compute_desk_status", string="Ticket Status", compute_sudo=True)
    desk_amount_due = fields.Monetary(
        compute="_compute_desk_status", string="Due", currency_field="company_currency_id", compute_sudo=True
    )
    desk_amount_received = fields.Monetary(
        compute="_compute_desk_status", string="Amount Received", currency_field="company_currency_id", compute_sudo=True,
        help="Registered employer receipts of the buyer.",
    )
    desk_voucher_name = fields.Char(compute="_compute_desk_status", string="Voucher No.", compute_sudo=True)

    _position_uniq = models.Constraint("unique(draw_id, position)", "A number appears once in an order.")
    _buyer_uniq = models.Constraint("unique(draw_id, buyer_id)", "A buyer appears once in an order.")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_id_number_masked(self):
        for line in self:
            line.id_number_masked = cn_id.mask_resident_id(line.sudo().buyer_id.id_number)

    def _compute_desk_status(self):
        """The buyer's current ticket (the live one, else the latest draft), its voucher and the receipts:
        three queries for the whole page of lines."""
        tickets = self.env["kam.room.ticket"].sudo().search(
            [("draw_line_id", "in", self._origin.ids), ("state", "not in", ("cancel", "replaced"))], order="id"
        )
        by_line = {}
        for ticket in tickets:  # a live ticket wins over a draft
            current = by_line.get(ticket.draw_line_id.id)
            if not current or current.state == "draft":
                by_line[ticket.draw_line_id.id] = ticket
        vouchers = {
            voucher.ticket_id.id: voucher.name
            for voucher in self.env["kam.room.voucher"].sudo().search(
                [("ticket_id", "in", tickets.ids), ("state", "=", "issued"), ("is_red", "=", False)]
            )
        }
        received = self.env["kam.housing.receipt"]._kam_registered_totals(self.sudo().buyer_id)
        for line in self:
            ticket = by_line.get(line._origin.id, self.env["kam.room.ticket"])
            line.desk_ticket_id = ticket
            line.desk_ticket_state = ticket.state
            line.desk_amount_due = ticket.amount_due if ticket.state != "draft" else 0.0
            line.desk_amount_received = received.get(line.sudo().buyer_id.id, 0.0)
            line.desk_voucher_name = vouchers.get(ticket.id, False)

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

    def action_desk_check_id(self):
        """Open the ID check of a called buyer (again after a mismatch, or after the dialog was closed)."""
        self.ensure_one()
        self.draw_id._kam_check_may("action_draw")
        if not self.called_date:
            raise UserError(self.env._("Call the buyer before checking the ID."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Number %(position)s: %(buyer)s", position=self.position, buyer=self.buyer_name),
            "res_model": "kam.desk.id.check",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }

    def action_desk_open_ticket(self):
        """The buyer's ticket: the existing one, or a new one prefilled from the checked ID card."""
        self.ensure_one()
        ticket = self.desk_ticket_id
        action = {"type": "ir.actions.act_window", "res_model": "kam.room.ticket", "view_mode": "form", "target": "current"}
        if ticket:  # finance opens it from the desk too, to review it
            ticket.with_env(self.env).check_access("read")
            return dict(action, res_id=ticket.id)
        self.draw_id._kam_check_may("action_draw")
        if self.id_check_result != "match":
            raise UserError(self.env._("Check the buyer's ID card before issuing the ticket."))
        buyer = self.sudo().buyer_id
        return dict(
            action,
            context={
                "default_contract_id": self.contract_id.id,
                "default_draw_line_id": self.id,
                "default_buyer_name": buyer.name,
                "default_id_number": buyer.id_number,
                "default_payment_ratio": self.contract_id.payment_ratio,
            },
        )

    def action_desk_register_receipt(self):
        """Register an employer receipt of this buyer (AC1): the form opens on the contract and the buyer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.housing.receipt",
            "view_mode": "form",
            "target": "current",
            "context": {"default_contract_id": self.contract_id.id, "default_buyer_id": self.buyer_id.id},
        }

    @api.depends("position", "buyer_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # the call number first: a ticket's "Called As" reads 12 号：张三, not a bare name
        for line in self:
            line.display_name = self.env._("Number %(position)s: %(buyer)s", position=line.position, buyer=line.buyer_name or "")
