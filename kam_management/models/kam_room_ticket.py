from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from ..rules import amount_words, cn_id
from .kam_housing_buyer import ID_NUMBER_GROUPS

ROOM_TICKET_STATE = [
    ("draft", "Draft"),
    ("issued", "Issued"),
    ("reviewed", "Reviewed"),
    ("vouchered", "Voucher Issued"),
    ("replaced", "Replaced (Swap)"),
    ("cancel", "Cancelled"),
]
ROOM_TICKET_BASIS = [
    ("buyer", "Verified Buyer"),
    ("relation", "Relationship Request"),
]
CLERK = "kam_management.group_kam_ticket_clerk"
FINANCE = "kam_management.group_kam_finance"
MANAGER = "kam_management.group_kam_manager"
TICKET_ID_GROUPS = ID_NUMBER_GROUPS + "," + CLERK
# what the ticket was sold on: written by its issue only, never by a client
SNAPSHOT_FIELDS = (
    "area", "price_per_m2", "amount_gross", "discount_percent", "discount_amount", "amount_total", "amount_due",
)
# the desk's request to take a paid unit back and finance's review of it: written by their buttons only
RETURN_FIELDS = (
    "return_reason", "return_requested_by_id", "return_requested_date", "return_copy", "return_copy_name",
    "returned_by_id", "return_date",
)


class KamRoomTicket(models.Model):
    """A room-selection ticket (选房工作票, HS11).

    Issued at the desk by a ticket clerk (a narrow group, seed §九) for a
    verified buyer whose name and ID number match the list, or for an
    approved relationship request. Issuing takes the unit on the sales
    control table from the contract's stock (one holder per unit, through
    ``kam.unit.holding._kam_hand_over``) and snapshots the price: approved
    unit price × area, less the discounts the contract allows. The buyer's
    payment ratio is not below the contract's; below 100 % a reservation
    deposit (封户费) is required, at 100 % there is none. A finance user other
    than the issuer reviews it with the signed copy attached. The ticket is
    collected back when its voucher is issued; cancelling it (with a reason)
    gives the unit back to the contract's stock.
    """

    _name = "kam.room.ticket"
    _description = "Room-Selection Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _kam_transitions = {
        "action_issue": (("draft",), "issued", (CLERK,)),
        "action_review": (("issued",), "reviewed", (FINANCE,)),
        "action_cancel": (("draft", "issued", "reviewed"), "cancel", (CLERK, MANAGER)),
        # a unit with money or a voucher against it goes back by finance's review of the desk's request (issue 18)
        "action_return": (("issued", "reviewed", "vouchered"), "cancel", (FINANCE,)),
        "_collect": (("reviewed",), "vouchered", ()),
        "_replace": (("vouchered",), "replaced", (CLERK,)),
        "_reopen": (("vouchered",), "reviewed", (CLERK,)),
    }
    _kam_action_fields = (
        "name", "issued_by_id", "issue_date", "reviewed_by_id", "review_date", "collected_date",
        "cancel_reason", "replaced_by_id", *SNAPSHOT_FIELDS, *RETURN_FIELDS,
    )
    _kam_locked_states = ("issued", "reviewed", "vouchered", "replaced", "cancel")
    _kam_editable_when_locked = ("signed_copy", "signed_copy_name")
    _kam_deletable_states = ("draft",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Ticket No.", required=True, readonly=True, copy=False, default="/", index="trigram")
    state = fields.Selection(ROOM_TICKET_STATE, required=True, default="draft", tracking=True, copy=False)
    basis = fields.Selection(ROOM_TICKET_BASIS, string="Ticket Basis", required=True, default="buyer", tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    contract_id = fields.Many2one(
        "kam.housing.contract", ondelete="restrict", index="btree_not_null", check_company=True, tracking=True
    )
    relation_request_id = fields.Many2one(
        "kam.relation.request", ondelete="restrict", index="btree_not_null", check_company=True, tracking=True
    )
    user_id = fields.Many2one(related="contract_id.user_id", string="Key-Account Manager")
    draw_line_id = fields.Many2one("kam.selection.draw.line", string="Called As", ondelete="restrict")
    buyer_id = fields.Many2one(
        "kam.housing.buyer", ondelete="restrict", index="btree_not_null", check_company=True, tracking=True
    )
    buyer_name = fields.Char(required=True, tracking=True, help="As on the buyer's ID card.")
    id_number = fields.Char(string="Resident ID Number", groups=TICKET_ID_GROUPS, help="As on the buyer's ID card.")
    id_number_masked = fields.Char(
        compute="_compute_id_number_masked", string="ID Number (Masked)", groups=TICKET_ID_GROUPS, compute_sudo=True
    )
    unit_id = fields.Many2one("kam.housing.unit", required=True, ondelete="restrict", index=True, check_company=True)
    holding_id = fields.Many2one("kam.unit.holding", readonly=True, copy=False)
    # the price it was sold on (snapshot at issue)
    area = fields.Float(string="Area (m²)", digits=(12, 2), readonly=True, copy=False)
    price_per_m2 = fields.Monetary(string="Approved Price (per m²)", readonly=True, copy=False)
    amount_gross = fields.Monetary(string="Price Before Discount", readonly=True, copy=False)
    full_payment_discount = fields.Boolean(
        string="Takes the Full-Payment Discount", tracking=True,
        help="Only at 100 % payment, and only when the contract grants it.",
    )
    discount_percent = fields.Float(string="Discount (%)", digits=(5, 2), readonly=True, copy=False)
    discount_amount = fields.Monetary(readonly=True, copy=False)
    amount_total = fields.Monetary(string="Total Price", readonly=True, copy=False, tracking=True)
    amount_total_words = fields.Char(compute="_compute_amount_words", string="Total Price in Capitals")
    # the price the ticket will be issued at, shown while it is written (computed, never stored nor written)
    quote_area = fields.Float(compute="_compute_quote", string="Area of the Unit (m²)", digits=(12, 2))
    quote_price_per_m2 = fields.Monetary(compute="_compute_quote", string="Unit Price (per m²)")
    quote_amount_total = fields.Monetary(compute="_compute_quote", string="Total Price at Issue")
    quote_amount_due = fields.Monetary(compute="_compute_quote", string="Due at Issue")
    payment_ratio = fields.Float(string="Payment Ratio (%)", digits=(5, 2), default=100.0, tracking=True)
    amount_due = fields.Monetary(string="Due", readonly=True, copy=False, tracking=True)
    amount_due_words = fields.Char(compute="_compute_amount_words", string="Due in Capitals")
    deposit_amount = fields.Monetary(string="Reservation Deposit", tracking=True, help="封户费, below 100 % payment.")
    signed_copy = fields.Binary(string="Signed Copy", attachment=True, copy=False)
    signed_copy_name = fields.Char(copy=False)
    issued_by_id = fields.Many2one("res.users", string="Issued By", readonly=True, copy=False)
    issue_date = fields.Datetime(string="Issued On", readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    review_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    collected_date = fields.Datetime(
        string="Collected Back On", readonly=True, copy=False, help="The ticket came back when its voucher was issued."
    )
    ticket_returned = fields.Boolean(compute="_compute_ticket_returned", store=True)
    cancel_reason = fields.Text(readonly=True, copy=False, tracking=True)
    replaced_by_id = fields.Many2one("kam.room.ticket", string="Replaced By", readonly=True, copy=False)
    # issue 18: a unit with money or a voucher against it goes back only by finance's review of the desk's request
    return_reason = fields.Text(string="Reason for the Return", readonly=True, copy=False, tracking=True)
    return_requested_by_id = fields.Many2one("res.users", string="Return Requested By", readonly=True, copy=False)
    return_requested_date = fields.Datetime(string="Return Requested On", readonly=True, copy=False)
    return_copy = fields.Binary(
        string="Recovered Copies of the Voucher", attachment=True, readonly=True, copy=False,
        help="The customer's copy of the voucher and the collected receipts, checked by finance before the return.",
    )
    return_copy_name = fields.Char(readonly=True, copy=False)
    returned_by_id = fields.Many2one("res.users", string="Returned By", readonly=True, copy=False)
    return_date = fields.Datetime(string="Returned On", readonly=True, copy=False)
    voucher_ids = fields.One2many("kam.room.voucher", "ticket_id", string="Vouchers")
    voucher_id = fields.Many2one(
        "kam.room.voucher", compute="_compute_voucher_id", string="Current Voucher",
        help="The issued, unreversed voucher of this ticket.",
    )
    note = fields.Text()

    # 一房多卖: one live ticket per unit, whatever the desk (the holding index is the other guard)
    _one_live_ticket_per_unit = models.UniqueIndex(
        "(unit_id) WHERE state IN ('issued', 'reviewed', 'vouchered')",
        "This unit already has a live room-selection ticket.",
    )
    _name_company_uniq = models.UniqueIndex(
        "(company_id, name) WHERE name != '/'", "A ticket number must be unique."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("amount_total", "amount_due")
    def _compute_amount_words(self):
        for ticket in self:
            ticket.amount_total_words = amount_words.amount_in_capitals(ticket.amount_total or 0)
            ticket.amount_due_words = amount_words.amount_in_capitals(ticket.amount_due or 0)

    @api.depends(
        "state", "basis", "unit_id", "contract_id", "relation_request_id", "payment_ratio", "full_payment_discount",
        *SNAPSHOT_FIELDS,
    )
    def _compute_quote(self):
        """A draft shows the approved price of the picked unit on the ticket's terms (what issuing snapshots);
        an issued ticket shows its snapshot."""
        for ticket in self:
            values = {"area": ticket.area, "price_per_m2": ticket.price_per_m2, "amount_total": ticket.amount_total,
                      "amount_due": ticket.amount_due}
            if ticket.state == "draft":
                values = ticket._kam_quote_values()
            ticket.quote_area = values["area"]
            ticket.quote_price_per_m2 = values["price_per_m2"]
            ticket.quote_amount_total = values["amount_total"]
            ticket.quote_amount_due = values["amount_due"]

    def _compute_id_number_masked(self):
        for ticket in self:
            ticket.id_number_masked = cn_id.mask_resident_id(ticket.id_number)

    @api.depends("collected_date")
    def _compute_ticket_returned(self):
        for ticket in self:
            ticket.ticket_returned = bool(ticket.collected_date)

    @api.depends("voucher_ids.state", "voucher_ids.is_red")
    def _compute_voucher_id(self):
        for ticket in self:
            ticket.voucher_id = ticket.voucher_ids.filtered(lambda v: v.state == "issued" and not v.is_red)[:1]

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("basis", "contract_id", "relation_request_id", "buyer_id")
    def _check_basis(self):
        for ticket in self:
            if ticket.basis == "buyer" and not ticket.contract_id:
                raise ValidationError(self.env._("A ticket for a verified buyer names its contract."))
            if ticket.basis == "relation" and not ticket.relation_request_id:
                raise ValidationError(self.env._("A relationship ticket names its approved request."))
            if ticket.buyer_id and ticket.buyer_id.contract_id != ticket.contract_id:
                raise ValidationError(self.env._("The buyer is not on this contract's list."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.unit_id._kam_notify_sales_control()
        return tickets

    def write(self, vals):
        if not self.env.su and "signed_copy" in vals and any(t.state not in ("draft", "issued") for t in self):
            raise UserError(self.env._("The signed copy is attached before the finance review."))
        units = self.unit_id
        result = super().write(vals)
        if {"state", "unit_id"} & set(vals):  # the sales control grid shows the unit's desk state
            (units | self.unit_id)._kam_notify_sales_control()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        if any(ticket.state != "draft" for ticket in self):
            raise UserError(self.env._("An issued ticket is never deleted: cancel it with a reason."))

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_issue(self):
        """Check the buyer and the terms, take the unit and snapshot the price (seed §九 ①–⑤)."""
        for ticket in self:
            ticket._kam_check_may("action_issue")
            values = ticket._check_issuable()
            holding = ticket._take_unit()
            sequence = ticket.company_id._kam_desk_sequence("kam.room.ticket")
            ticket._kam_move(
                "action_issue",
                {
                    **values,
                    "holding_id": holding.id,
                    "name": sequence.next_by_id(),
                    "issued_by_id": self.env.uid,
                    "issue_date": fields.Datetime.now(),
                },
            )
        return True

    def action_review(self):
        """The independent finance review (seed §九 ⑥): another person than the issuer."""
        for ticket in self:
            ticket._kam_check_may("action_review")
            ticket._kam_check_four_eyes("issued_by_id")
            if not ticket.signed_copy:
                raise UserError(self.env._("Attach the copy the buyer signed before the review."))
            ticket._check_price_still_approved()
            ticket._kam_move("action_review", {"reviewed_by_id": self.env.uid, "review_date": fields.Datetime.now()})
        self._kam_try_auto_voucher()
        return True

    def action_cancel(self, reason=None):
        """Cancel with a reason; the unit goes back to the contract's (or request's) stock."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for cancelling the ticket."))
        for ticket in self:
            ticket._kam_check_may("action_cancel")
            if ticket.state in ("issued", "reviewed"):
                ticket._kam_check_no_money_against()
                ticket._give_unit_back()
            ticket._kam_move("action_cancel", {"cancel_reason": reason})
        return True

    def action_request_return(self, reason=None, recovered_copy=None, recovered_copy_name=None):
        """The desk asks finance to take back a unit that has money or a voucher against it (issue 18): the
        reason, and for a vouchered ticket the recovered copies of its voucher. Nothing moves until finance
        reviews the request (``action_return``)."""
        self.ensure_one()
        self._kam_check_may("action_cancel")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for returning the unit."))
        if self.state not in ("issued", "reviewed", "vouchered"):
            raise UserError(self.env._("Only a live ticket's unit can be returned."))
        if self.return_requested_by_id:
            raise UserError(self.env._("The return of %(ticket)s is already waiting for finance.", ticket=self.name))
        vals = {"return_reason": reason, "return_requested_by_id": self.env.uid,
                "return_requested_date": fields.Datetime.now()}
        if self.state == "vouchered":
            self.env["kam.room.voucher"]._kam_check_recovered_copy(recovered_copy)
            vals.update({"return_copy": recovered_copy, "return_copy_name": recovered_copy_name})
        self._kam_action_write(vals)
        self.message_post(body=self.env._("Return of the unit requested: %(reason)s", reason=reason))
        return True

    def action_return(self):
        """Finance reviews the desk's request and returns the unit (issue 18): a second person, who checks the
        recovered copies of every voucher reversed on the ticket (confirming them) and, of a vouchered ticket,
        reverses its voucher red with the copies the desk attached; the unit goes back to the stock."""
        for ticket in self:
            ticket._kam_check_return_pending()
            ticket._kam_check_four_eyes("return_requested_by_id")
            reds = ticket.sudo().voucher_ids.filtered(lambda v: v.is_red and not v.reviewed_by_id)
            reds._kam_confirm_recovered_copies()
            if ticket.state == "vouchered":
                red = ticket.voucher_id._reverse("return", ticket.sudo().return_copy, ticket.sudo().return_copy_name)
                red.sudo().write({"prepared_by_id": ticket.return_requested_by_id.id, "reviewed_by_id": self.env.uid})
            ticket._give_unit_back()
            ticket._kam_move(
                "action_return",
                {"cancel_reason": ticket.return_reason, "returned_by_id": self.env.uid,
                 "return_date": fields.Datetime.now()},
            )
        return True

    def action_refuse_return(self):
        """Finance refuses the desk's request: the ticket stays as it is, the request is kept in the chatter."""
        for ticket in self:
            ticket._kam_check_return_pending()
            # finance reads the desk's tickets only: the note is posted in its name by the server
            ticket.sudo().message_post(
                body=self.env._("Return refused by %(user)s: %(reason)s", user=self.env.user.name,
                                reason=ticket.return_reason),
                author_id=self.env.user.partner_id.id,
            )
            ticket._kam_action_write(
                {"return_reason": False, "return_requested_by_id": False, "return_requested_date": False,
                 "return_copy": False, "return_copy_name": False}
            )
        return True

    def action_top_up(self, new_ratio, recovered_copy=None, recovered_copy_name=None):
        """补交房款: reverse the voucher, raise the ratio, and issue the new voucher (automatically when the
        receipts equal the new due, else through the manual path)."""
        self.ensure_one()
        self._kam_check_may("_reopen")
        if self.state != "vouchered":
            raise UserError(self.env._("A top-up applies to a ticket whose voucher is issued."))
        self._kam_check_no_return_waiting()
        if new_ratio <= self.payment_ratio or new_ratio > 100:
            raise UserError(
                self.env._("The new payment ratio must be above %(ratio)s %% and at most 100 %%.", ratio=self.payment_ratio)
            )
        self.voucher_id._reverse("top_up", recovered_copy, recovered_copy_name)
        self._kam_move(
            "_reopen",
            {"amount_due": self.currency_id.round(self.amount_total * new_ratio / 100), "collected_date": False},
        )
        self.sudo().write({"payment_ratio": new_ratio})
        return self._kam_try_auto_voucher()

    def action_swap(self, new_unit, recovered_copy=None, recovered_copy_name=None):
        """Swap to another unit of the same contract (seed §九 ⑦): red reversal, the old unit back to the
        contract's stock, a new ticket on the new unit — in one transaction. Returns the new ticket."""
        self.ensure_one()
        self._kam_check_may("_replace")
        if not isinstance(new_unit, models.BaseModel):  # an id from a client
            new_unit = self.env["kam.housing.unit"].browse(int(new_unit)).exists()
        if self.state != "vouchered" or self.basis != "buyer":
            raise UserError(self.env._("A swap applies to a contract buyer's ticket whose voucher is issued."))
        self._kam_check_no_return_waiting()
        holding = new_unit.sudo().current_holding_id
        if new_unit.project_id != self.unit_id.project_id or holding.contract_id != self.contract_id:
            raise UserError(
                self.env._("Unit %(unit)s is not in this contract's units: a swap outside the contract is refused.",
                           unit=new_unit.display_name)
            )
        self.voucher_id._reverse("swap", recovered_copy, recovered_copy_name)
        self._give_unit_back()
        new_ticket = self.create(
            {
                "basis": self.basis,
                "company_id": self.company_id.id,
                "contract_id": self.contract_id.id,
                "draw_line_id": self.draw_line_id.id,
                "buyer_id": self.buyer_id.id,
                "buyer_name": self.buyer_name,
                "id_number": self.sudo().id_number,
                "unit_id": new_unit.id,
                "payment_ratio": self.payment_ratio,
                "full_payment_discount": self.full_payment_discount,
                "deposit_amount": self.deposit_amount,
                "note": self.env._("Swapped from ticket %(ticket)s.", ticket=self.name),
            }
        )
        self._kam_move("_replace", {"replaced_by_id": new_ticket.id})
        new_ticket.action_issue()
        return new_ticket

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_payer(self):
        """Whose receipts pay this ticket: the contract's buyer, or the relationship request (HS16)."""
        self.ensure_one()
        return self.buyer_id if self.basis == "buyer" else self.relation_request_id

    def _kam_received_amount(self):
        """House money (deposit included) registered on the receipts of this ticket's payer (AC1) by finance:
        no automatic voucher follows one person's entry (issue 18). A receipt of the payer registered by anyone
        else counts for nothing here: the voucher then waits for finance's manual issue."""
        self.ensure_one()
        payer = self._kam_payer()
        if not payer:
            return 0.0
        field = "relation_request_id" if payer._name == "kam.relation.request" else "buyer_id"
        finance = self.env.ref(FINANCE)
        by_user = self.env["kam.housing.receipt"].sudo()._read_group(
            [(field, "=", payer.id), ("state", "=", "registered")], ["registered_by_id"], ["amount:sum"]
        )
        if any(finance not in user.all_group_ids for user, _amount in by_user):
            return 0.0
        return sum(amount for _user, amount in by_user)

    def _kam_check_return_pending(self):
        """Finance's side of a return: its group, a live ticket and the desk's pending request."""
        self.ensure_one()
        self._kam_check_may("action_return")
        if self.state not in self._kam_get_transition("action_return")[0]:
            raise UserError(self.env._("Only a live ticket's unit can be returned."))
        if not self.return_requested_by_id:
            raise UserError(self.env._("The desk has not requested the return of %(ticket)s.", ticket=self.name))

    def _kam_check_no_return_waiting(self):
        """A ticket whose return waits for finance changes no further (top-up, swap, rename, conversion) until
        finance returns the unit or refuses the return: it would review a ticket other than the one requested."""
        self.ensure_one()
        if self.sudo().return_requested_by_id:
            raise UserError(
                self.env._("The return of %(ticket)s is waiting for finance: it changes no further until finance "
                           "returns the unit or refuses the return.", ticket=self.name)
            )

    def _kam_check_no_money_against(self):
        """A unit with registered receipts or a voucher (issued or reversed) against its ticket goes back only
        through finance's review of a return request, never by the desk's cancel (issue 18)."""
        self.ensure_one()
        payer = self._kam_payer()
        received = payer and self.env["kam.housing.receipt"]._kam_registered_totals(payer).get(payer.id, 0.0)
        if self.sudo().voucher_ids.filtered(lambda v: v.state in ("issued", "reversed")) or (
            received and self.currency_id.compare_amounts(received, 0) > 0
        ):
            raise UserError(
                self.env._(
                    "%(buyer)s has paid money or holds a voucher against ticket %(ticket)s: the unit goes back only "
                    "when finance reviews the return. Request the return instead of cancelling.",
                    buyer=self.buyer_name, ticket=self.name,
                )
            )

    def _kam_try_auto_voucher(self):
        """Issue the voucher of each reviewed ticket whose registered receipts equal what is due, to the fen
        (HS12). Short or over payment: nothing; a person decides through the manual path. A relationship
        ticket paid so late that its request's policy re-prices it gets none either: what is due is not known
        until finance registers the payment (HS16), and the request says so. Returns the vouchers."""
        vouchers = self.env["kam.room.voucher"]
        tickets = self.filtered(lambda t: t.state == "reviewed")
        # the caller may not read the requests (a clerk, a key-account user): the check is the server's
        repricing = tickets.sudo().relation_request_id._kam_awaiting_repricing()
        for ticket in tickets:
            received = ticket._kam_received_amount()
            if ticket.currency_id.compare_amounts(received, ticket.amount_due) != 0:
                continue
            request = ticket.sudo().relation_request_id
            if ticket.basis == "relation" and request in repricing:
                request._kam_note_awaiting_repricing(ticket, *repricing[request])
                continue
            vouchers |= self.env["kam.room.voucher"].sudo()._issue_for_ticket(ticket, automatic=True)
        return vouchers

    def _kam_priced_values(self, price_per_m2, discount_percent=0.0, area=None, payment_ratio=None):
        """The ticket's figures at ``price_per_m2`` on ``area`` (its own by default): gross, discount, total and
        what is due at ``payment_ratio`` (its own by default): the one place a ticket's price is worked out."""
        self.ensure_one()
        currency = self.currency_id
        area = self.area if area is None else area
        ratio = self.payment_ratio if payment_ratio is None else payment_ratio
        gross = currency.round(price_per_m2 * area)
        discount = currency.round(gross * discount_percent / 100)
        total = gross - discount
        return {
            "area": area,
            "price_per_m2": price_per_m2,
            "amount_gross": gross,
            "discount_percent": discount_percent,
            "discount_amount": discount,
            "amount_total": total,
            "amount_due": currency.round(total * ratio / 100),
        }

    def _kam_quote_values(self):
        """The figures issuing would snapshot, at the approved price of the picked unit (zero while the unit or
        the price is not known): read as superuser, the approved pricing is not the clerk's to read."""
        self.ensure_one()
        ticket = self.sudo()
        price_per_m2 = discount_percent = 0.0
        if ticket.unit_id and ticket.basis == "buyer" and ticket.contract_id.approved_pricing_id:
            price_per_m2 = ticket.contract_id.approved_pricing_id._unit_price_per_m2(ticket.unit_id)
            if ticket.full_payment_discount and ticket.payment_ratio >= 100:
                discount_percent = ticket.contract_id.full_payment_discount_percent
        elif ticket.unit_id and ticket.basis == "relation" and ticket.relation_request_id:
            request = ticket.relation_request_id
            price_per_m2 = request.final_average_price or request.average_price
        return ticket._kam_priced_values(price_per_m2, discount_percent, area=ticket.unit_id.area or 0.0)

    def _kam_reprice(self, price_per_m2):
        """A relationship ticket not vouchered yet takes its request's final price (HS16: paid late, re-priced
        by the policy when finance registers the payment)."""
        for ticket in self:
            if ticket.basis != "relation" or ticket.state not in ("issued", "reviewed"):
                raise UserError(self.env._("Only a relationship ticket waiting for its voucher is re-priced."))
            if ticket.currency_id.compare_amounts(price_per_m2, ticket.price_per_m2) == 0:
                continue
            old_due = ticket.amount_due
            ticket._kam_action_write(ticket._kam_priced_values(price_per_m2))
            ticket.sudo().message_post(
                body=self.env._(
                    "Re-priced at %(price)s per m² by the late payment of %(request)s: what is due goes from "
                    "%(old)s to %(new)s.",
                    price=format_amount(self.env, price_per_m2, ticket.currency_id),
                    request=ticket.relation_request_id.display_name,
                    old=format_amount(self.env, old_due, ticket.currency_id),
                    new=format_amount(self.env, ticket.amount_due, ticket.currency_id),
                )
            )

    def _check_issuable(self):
        """The ticket's checks (name/ID, unit, terms); return the price snapshot values."""
        self.ensure_one()
        ticket = self.sudo()
        if ticket.basis == "buyer":
            contract = ticket.contract_id
            if contract.state != "selection":
                raise UserError(self.env._("Tickets are issued only while the contract's selection is open."))
            buyer = ticket._check_buyer_matches()
            ticket._check_called_in_order(buyer)
            # one buyer, one unit: their own live ticket, or one renamed to them (issue 18)
            if self.sudo().search_count(
                [("contract_id", "=", contract.id), ("state", "in", ("issued", "reviewed", "vouchered")),
                 ("id", "!=", self.id), "|", ("buyer_id", "=", buyer.id), ("id_number", "=", buyer.id_number)]
            ):
                raise UserError(self.env._("%(buyer)s already holds a ticket on this contract.", buyer=buyer.name))
            pricing = contract.approved_pricing_id
            min_ratio = contract.payment_ratio
            price_per_m2 = pricing._unit_price_per_m2(ticket.unit_id)
            discount_percent = contract.full_payment_discount_percent
        else:
            request = ticket.relation_request_id
            if request.state not in ("approved", "paid"):
                raise UserError(self.env._("A relationship ticket needs an approved request."))
            if (ticket.buyer_name or "").strip() != (request.buyer_name or "").strip() or (
                ticket.id_number or ""
            ).strip().upper() != (request.buyer_id_number or "").strip().upper():
                raise UserError(self.env._("The name or ID number does not match the approved request."))
            # its receipts pay one ticket, as a buyer's do
            if self.search_count(
                [("relation_request_id", "=", request.id), ("state", "in", ("issued", "reviewed", "vouchered")),
                 ("id", "!=", self.id)]
            ):
                raise UserError(
                    self.env._("Relationship request %(request)s already has a live ticket.", request=request.name)
                )
            min_ratio = request.payment_ratio
            price_per_m2 = request.final_average_price or request.average_price
            discount_percent = 0.0
            buyer = ticket.buyer_id
        currency = ticket.currency_id
        if not ticket.unit_id.sudo().current_holding_id:
            raise UserError(self.env._("Unit %(unit)s is not allocated to this contract.", unit=ticket.unit_id.display_name))
        if ticket.payment_ratio < min_ratio or ticket.payment_ratio > 100:
            raise UserError(
                self.env._(
                    "The payment ratio must be between %(minimum)s %% and 100 %%; %(ratio)s %% was given.",
                    minimum=min_ratio,
                    ratio=ticket.payment_ratio,
                )
            )
        full = ticket.payment_ratio >= 100
        if ticket.full_payment_discount and not (full and discount_percent > 0):
            raise UserError(
                self.env._("The full-payment discount is granted only at 100 % payment and where the contract allows it.")
            )
        if full and currency.compare_amounts(ticket.deposit_amount, 0) != 0:
            raise UserError(self.env._("A full payment takes no reservation deposit."))
        if not full and currency.compare_amounts(ticket.deposit_amount, 0) <= 0:
            raise UserError(self.env._("Below 100 % payment, enter the reservation deposit."))
        percent = discount_percent if ticket.full_payment_discount else 0.0
        return {"buyer_id": buyer.id, **ticket._kam_priced_values(price_per_m2, percent, area=ticket.unit_id.area)}

    def _check_buyer_matches(self):
        """Name and ID number as on the card must match one verified buyer of the list (seed §九 ①)."""
        ticket = self.sudo()
        if not ticket.contract_id.buyers_verified:
            raise UserError(self.env._("The buyer list of the contract is not verified."))
        number = (ticket.id_number or "").strip().upper()
        buyer = ticket.env["kam.housing.buyer"].search_fetch(
            [("contract_id", "=", ticket.contract_id.id), ("id_number", "=", number)], ["name", "id_number"], limit=1
        )
        if not buyer or buyer.name != (ticket.buyer_name or "").strip() or (ticket.buyer_id and ticket.buyer_id != buyer):
            raise UserError(self.env._("The name and ID number do not match a buyer of the verified list."))
        return buyer

    def _check_called_in_order(self, buyer):
        """The desk's order (HS10, issue 18): a buyer's ticket stands on their own line of the contract's current
        draw, called to the desk and with the ID card checked against the list."""
        line = self.sudo().draw_line_id
        if not line or line.draw_id.state != "done" or line.contract_id != self.contract_id:
            raise UserError(
                self.env._("Tickets are issued in the draw's order: call the buyer at the desk of the contract's draw.")
            )
        if line.buyer_id != buyer:
            raise UserError(
                self.env._("Number %(position)s of the order is %(listed)s, not %(buyer)s: a ticket stands on the "
                           "buyer's own number.", position=line.position, listed=line.buyer_name, buyer=buyer.name)
            )
        if not line.called_date or line.id_check_result != "match":
            raise UserError(
                self.env._("%(buyer)s has not been called and had the ID card checked at the desk yet.", buyer=buyer.name)
            )

    def _check_price_still_approved(self):
        """The snapshot is still the approved price (seed §九 ②, re-checked at review)."""
        self.ensure_one()
        if self.basis != "buyer":
            return
        approved = self.sudo().contract_id.approved_pricing_id._unit_price_per_m2(self.unit_id)
        if self.currency_id.compare_amounts(approved, self.price_per_m2) != 0:
            raise UserError(
                self.env._("The ticket's price %(price)s per m² is not the approved %(approved)s.",
                           price=self.price_per_m2, approved=approved)
            )

    def _take_unit(self):
        """Hand the unit from the contract's (or request's) stock to this ticket."""
        self.ensure_one()
        holdings = self.env["kam.unit.holding"].sudo()
        if self.basis == "buyer":
            contract = self.contract_id
            current = holdings.search([("unit_id", "=", self.unit_id.id), ("state", "=", "active")], limit=1)
            return holdings._kam_hand_over(
                self.unit_id,
                lambda h: h.channel == "ka" and h.contract_id == contract and not h.ticket_id,
                {
                    "channel": "ka",
                    "contract_id": contract.id,
                    "allocation_id": current.allocation_id.id,
                    "ticket_id": self.id,
                    "holder_name": self.buyer_name,
                },
            )
        request = self.relation_request_id
        return holdings._kam_hand_over(
            self.unit_id,
            lambda h: h.channel == "relation" and h.relation_request_id == request and not h.ticket_id,
            {"channel": "relation", "relation_request_id": request.id, "ticket_id": self.id, "holder_name": self.buyer_name},
        )

    def _give_unit_back(self):
        """Release the buyer's holding; the unit returns to the contract's (or request's) stock."""
        self.ensure_one()
        holding = self.sudo().holding_id
        vals = {"holder_name": self.contract_id.partner_id.name or self.relation_request_id.buyer_name}
        if self.basis == "buyer":
            vals.update({"channel": "ka", "contract_id": self.contract_id.id, "allocation_id": holding.allocation_id.id})
        else:
            vals.update({"channel": "relation", "relation_request_id": self.relation_request_id.id})
        self.env["kam.unit.holding"].sudo()._kam_hand_over(self.unit_id, lambda h, mine=holding: h == mine, vals)

    def _collect(self):
        """The ticket comes back when its voucher is issued (seed §九 ⑧)."""
        self._kam_move("_collect", {"collected_date": fields.Datetime.now()})
