import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

from ..rules import amount_words

ROOM_VOUCHER_STATE = [
    ("draft", "Draft"),
    ("issued", "Issued"),
    ("reversed", "Reversed"),
    ("cancel", "Cancelled"),
]
REVERSAL_REASON = [
    ("top_up", "Top-Up Payment"),
    ("swap", "Unit Swap in the Contract"),
    ("rename", "Rename"),
    ("mortgage", "Mortgage Conversion"),
    ("correction", "Correction"),
    ("return", "Unit Returned"),
]
# what a scan of recovered paper copies is: a PDF or a picture, never any bytes
RECOVERED_COPY_MIMETYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff", "image/bmp", "image/gif")
CLERK = "kam_management.group_kam_ticket_clerk"
FINANCE = "kam_management.group_kam_finance"
VOUCHER_SEQUENCE = "kam.room.voucher"


class KamRoomVoucher(models.Model):
    """A room voucher (选房凭证, HS12): pre-numbered and gapless.

    Issued from a reviewed ticket automatically when the buyer's registered
    receipts equal what is due (ticket total × ratio) to the fen, or by the
    manual path: a ticket clerk prepares it, a second person of finance
    re-checks name/ID, price, policy and total and issues it. The number
    comes from the company's gapless series (``kam.gapless.number``, not an
    ``ir.sequence`` anyone could advance) and is taken as the *last* step of
    a successful issue, inside a savepoint: a failed issue rolls the number
    back with everything else, so no number is lost or used twice. A correction is a red reversal: a negative mirror
    voucher with its own number, linked both ways, carrying the recovered
    copies. Vouchers are never deleted.
    """

    _name = "kam.room.voucher"
    _description = "Room Voucher"
    _inherit = ["mail.thread", "kam.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _kam_transitions = {
        "action_issue": (("draft",), "issued", (FINANCE,)),
        "action_cancel": (("draft",), "cancel", (CLERK, FINANCE)),
        "_issue": (("draft",), "issued", ()),
        "_mark_reversed": (("issued",), "reversed", ()),
    }
    _kam_action_fields = (
        "name", "is_red", "automatic", "amount", "amount_total", "payment_ratio", "issue_date", "reviewed_by_id",
        "reversed_voucher_id", "reversal_id", "reversal_reason", "prepared_by_id", "buyer_name",
    )
    _kam_locked_states = ("issued", "reversed", "cancel")
    _kam_editable_when_locked = ()
    _kam_deletable_states = ()

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Voucher No.", required=True, readonly=True, copy=False, default="/", index=True)
    state = fields.Selection(ROOM_VOUCHER_STATE, required=True, default="draft", tracking=True, copy=False)
    ticket_id = fields.Many2one("kam.room.ticket", required=True, ondelete="restrict", index=True, check_company=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    contract_id = fields.Many2one(related="ticket_id.contract_id", store=True, index="btree_not_null")
    user_id = fields.Many2one(related="ticket_id.user_id", string="Key-Account Manager")
    buyer_name = fields.Char(string="Buyer", readonly=True, copy=False, help="The name the voucher was issued in.")
    unit_id = fields.Many2one(related="ticket_id.unit_id", store=True)
    is_red = fields.Boolean(string="Red Reversal", readonly=True, copy=False)
    automatic = fields.Boolean(readonly=True, copy=False, help="Issued because the receipts equalled what is due.")
    amount = fields.Monetary(string="Amount Paid", readonly=True, copy=False, help="Negative on a red reversal.")
    amount_words = fields.Char(compute="_compute_amount_words", string="Amount in Capitals")
    amount_total = fields.Monetary(string="Total Price", readonly=True, copy=False)
    payment_ratio = fields.Float(string="Payment Ratio (%)", digits=(5, 2), readonly=True, copy=False)
    prepared_by_id = fields.Many2one("res.users", string="Prepared By", readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    issue_date = fields.Datetime(string="Issued On", readonly=True, copy=False)
    reversed_voucher_id = fields.Many2one(
        "kam.room.voucher", string="Reverses", readonly=True, copy=False, index="btree_not_null",
        help="On a red voucher: the voucher it reverses.",
    )
    reversal_id = fields.Many2one(
        "kam.room.voucher", string="Reversed By", readonly=True, copy=False,
        help="On a reversed voucher: its red mirror.",
    )
    reversal_reason = fields.Selection(REVERSAL_REASON, readonly=True, copy=False)
    recovered_copy = fields.Binary(
        string="Recovered Copies", attachment=True, copy=False,
        help="The customer's copy of the reversed voucher and the collected receipts, attached to the red voucher.",
    )
    recovered_copy_name = fields.Char()

    # gapless numbers are unique; "/" marks a voucher not issued yet
    _name_company_uniq = models.UniqueIndex(
        "(company_id, name) WHERE name != '/'", "A voucher number must be unique."
    )
    # one live (issued, not reversed) ordinary voucher per ticket
    _one_live_voucher_per_ticket = models.UniqueIndex(
        "(ticket_id) WHERE state = 'issued' AND is_red IS NOT TRUE",
        "This ticket already has an issued voucher: reverse it first.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("amount")
    def _compute_amount_words(self):
        for voucher in self:
            words = amount_words.amount_in_capitals(abs(voucher.amount or 0))
            voucher.amount_words = (self.env._("Minus ") + words) if (voucher.amount or 0) < 0 else words

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vouchers = super().create(vals_list)
        if not self.env.su:
            # the manual path: a clerk prepares a voucher for a reviewed ticket, finance issues it
            for voucher in vouchers:
                voucher._kam_check_may("action_cancel")
                if voucher.ticket_id.state != "reviewed":
                    raise UserError(self.env._("A voucher is prepared only for a reviewed ticket."))
            vouchers.sudo().write({"prepared_by_id": self.env.uid})
        return vouchers

    @api.ondelete(at_uninstall=False)
    def _unlink_except_always(self):
        raise UserError(self.env._("A room voucher is never deleted: cancel a draft, reverse an issued one."))

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_issue(self):
        """The manual path (HS12): a finance user other than the preparer re-checks and issues."""
        for voucher in self:
            voucher._kam_check_may("action_issue")
            voucher._kam_check_four_eyes("prepared_by_id")
            ticket = voucher.ticket_id
            if ticket.state != "reviewed":
                raise UserError(self.env._("The ticket of this voucher is not waiting for its voucher."))
            voucher._check_manual()
            voucher._issue_now("action_issue", {"reviewed_by_id": self.env.uid})
        return True

    def action_cancel(self):
        self._kam_move("action_cancel")
        return True

    def action_confirm_recovered_copies(self):
        """Finance checks the recovered copies attached to a red reversal (issue 18): another person than the
        one who attached them."""
        self._kam_check_may("action_issue")
        if any(not voucher.is_red or voucher.state != "issued" or voucher.reviewed_by_id for voucher in self):
            raise UserError(self.env._("Only the recovered copies of a red reversal are confirmed, and once."))
        self._kam_confirm_recovered_copies()
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _issue_for_ticket(self, ticket, automatic=False):
        """Create and issue the voucher of ``ticket`` (internal: the automatic path and re-issues)."""
        voucher = self.sudo().create({"ticket_id": ticket.id})
        voucher._issue_now("_issue", {"automatic": automatic})
        return voucher

    def _issue_now(self, action, vals):
        """Issue (every path: by hand, automatic, re-issue): collect the ticket, write the figures, mark the
        relationship request it completes paid, and take the gapless number LAST, all in one savepoint."""
        self.ensure_one()
        ticket = self.ticket_id.sudo()
        # HS16: no voucher at a price the request's late-payment policy has changed, whoever issues it
        ticket.relation_request_id._kam_check_voucher_allowed()
        with self.env.cr.savepoint():
            if ticket.state == "reviewed":
                ticket._collect()
            self._kam_move(
                action,
                {
                    **vals,
                    "buyer_name": ticket.buyer_name,
                    "amount": ticket.amount_due,
                    "amount_total": ticket.amount_total,
                    "payment_ratio": ticket.payment_ratio,
                    "issue_date": fields.Datetime.now(),
                },
            )
            # HS16: the relationship request this voucher completes is paid, and its reminders stop
            ticket.relation_request_id._kam_paid_by_receipts()
            self.flush_recordset()
            self._kam_take_number()
        return self

    def _kam_take_number(self):
        """The last step of an issue: the company's next gapless number. A concurrent issue of the company
        waits for this transaction to end, then takes the next number: no serialization failure, no replay
        (see ``kam.gapless.number``). Everything the issue wrote so far (ticket, voucher, their tracking
        messages) is written first: the lock is then held only for the number, the name and the commit."""
        self.env.cr.flush()
        Number = self.env["kam.gapless.number"].sudo()
        number = Number._kam_take(self.company_id, VOUCHER_SEQUENCE, self.id)
        today = fields.Date.context_today(self)
        self.sudo().write({"name": Number._kam_format(VOUCHER_SEQUENCE, number, today)})
        self.flush_recordset(["name"])

    def _check_manual(self):
        """Name/ID against the list, price against the approved price, policy against the contract, total."""
        self.ensure_one()
        ticket = self.ticket_id.sudo()
        currency = ticket.currency_id
        if ticket.basis == "buyer":
            ticket._check_buyer_matches()
            ticket._check_price_still_approved()
            if ticket.payment_ratio < ticket.contract_id.payment_ratio:
                raise UserError(self.env._("The payment ratio is below the contract's."))
            if ticket.full_payment_discount and (
                ticket.payment_ratio < 100 or ticket.contract_id.full_payment_discount_percent <= 0
            ):
                raise UserError(self.env._("The discount taken is not one the contract grants."))
        priced = ticket._kam_priced_values(ticket.price_per_m2, ticket.discount_percent)
        if any(
            currency.compare_amounts(priced[key], ticket[key])
            for key in ("amount_gross", "discount_amount", "amount_total", "amount_due")
        ):
            raise UserError(self.env._("The ticket's total does not add up: re-check it before the voucher."))

    @api.model
    def _kam_check_recovered_copy(self, recovered_copy):
        """The recovered copies are a scan (PDF or picture) of the paper, not any bytes (issue 18)."""
        if not recovered_copy:
            raise UserError(self.env._("Attach the recovered copies of the voucher to its red reversal."))
        try:
            raw = base64.b64decode(recovered_copy, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raw = b""
        if guess_mimetype(raw) not in RECOVERED_COPY_MIMETYPES:
            raise UserError(
                self.env._("The recovered copies must be a scan of the paper copies: a PDF file or a picture.")
            )

    def _kam_confirm_recovered_copies(self):
        """Record finance's check of the red reversals' recovered copies (four eyes with who attached them)."""
        self._kam_check_four_eyes("prepared_by_id")
        self._kam_action_write({"reviewed_by_id": self.env.uid})

    def _reverse(self, reason, recovered_copy=None, recovered_copy_name=None):
        """Red reversal (红字冲红): a negative mirror voucher with its own number, linked both ways; it carries the
        recovered copies and who attached them, for finance's check."""
        self.ensure_one()
        if self.state != "issued" or self.is_red:
            raise UserError(self.env._("Only an issued voucher is reversed, and only once."))
        self._kam_check_recovered_copy(recovered_copy)
        red = self.sudo().create({"ticket_id": self.ticket_id.id})
        red.sudo().write(
            {"recovered_copy": recovered_copy, "recovered_copy_name": recovered_copy_name, "prepared_by_id": self.env.uid}
        )
        with self.env.cr.savepoint():
            red._kam_move(
                "_issue",
                {
                    "is_red": True,
                    "buyer_name": self.buyer_name,
                    "amount": -self.amount,
                    "amount_total": -self.amount_total,
                    "payment_ratio": self.payment_ratio,
                    "reversed_voucher_id": self.id,
                    "reversal_reason": reason,
                    "issue_date": fields.Datetime.now(),
                },
            )
            self._kam_move("_mark_reversed", {"reversal_id": red.id, "reversal_reason": reason})
            red.flush_recordset()
            red._kam_take_number()
        return red
