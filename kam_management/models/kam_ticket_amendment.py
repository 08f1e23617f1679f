from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..rules import cn_id, desk_fees
from ..rules.errors import RuleError
from .kam_display_name import join_name, selection_label
from .kam_housing_buyer import BUYER_RELATION
from .kam_room_ticket import TICKET_ID_GROUPS

TICKET_AMENDMENT_KIND = [
    ("rename", "Rename"),
    ("mortgage", "Mortgage Conversion"),
]
TICKET_AMENDMENT_STATE = [
    ("draft", "Draft"),
    ("done", "Done"),
]
RENAME_BASIS = [
    ("listed", "Another Listed Buyer"),
    ("fee", "Against the Rename Fee"),
    ("relation", "Allowed Relation"),
]
CLERK = "kam_management.group_kam_ticket_clerk"
FINANCE = "kam_management.group_kam_finance"


class KamTicketAmendment(models.Model):
    """A rename (更名, HS14) or a mortgage conversion (一次性付款转贷款, HS15) of a vouchered ticket.

    Both reverse the voucher red and issue the new one. A rename follows the
    contract's policy: between listed buyers it is free; "against the fee"
    charges fee % × (reference price of our other project at the same stage −
    contract price) × area, zero when not positive, on the market price
    finance recorded for the unit's project (``kam.housing.market.price``:
    another of our projects at the same construction stage; the desk types
    no price); "relations" allows only the relations the contract lists,
    each with one of its accepted proofs attached and its price policy
    (keep the contract price, or the fee). A mortgage conversion withdraws the full-payment
    discount and re-prices the ticket at the new ratio; its fee (1,000–3,000,
    set by finance on the contract) is charged. Fees become ordinary customer
    invoices of the contract's employer on the configured sales journal,
    posted when the amendment is applied and linked both ways (AC6). A fee
    is refunded by finance with a reason, through Odoo's reversal: a posted
    credit note reconciled with what the invoice still owes (of a paid fee it
    stays open, owed back to the employer; the payment stays with the
    invoice); the invoice and its credit note are never deleted, reset,
    cancelled or reversed.
    """

    _name = "kam.ticket.amendment"
    _description = "Ticket Rename or Mortgage Conversion"
    _inherit = ["mail.thread", "kam.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _kam_transitions = {
        "action_apply": (("draft",), "done", (CLERK,)),
        # the refund leaves the amendment done: the credit note is its trace
        "action_refund_fee": (("done",), "done", (FINANCE,)),
    }
    _kam_action_fields = (
        "reference_project_id", "reference_price_per_m2", "market_price_id",
        "fee_amount", "invoice_id", "old_voucher_id", "new_voucher_id", "applied_by_id",
        "refund_id", "refund_reason", "refunded_by_id", "refund_date",
    )
    _kam_locked_states = ("done",)
    _kam_deletable_states = ("draft",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    ticket_id = fields.Many2one("kam.room.ticket", required=True, ondelete="restrict", index=True, check_company=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    contract_id = fields.Many2one(related="ticket_id.contract_id", store=True)
    kind = fields.Selection(TICKET_AMENDMENT_KIND, required=True, default="rename", tracking=True)
    state = fields.Selection(TICKET_AMENDMENT_STATE, required=True, default="draft", tracking=True, copy=False)
    old_buyer_name = fields.Char(related="ticket_id.buyer_name", string="Current Buyer")
    new_buyer_name = fields.Char(tracking=True)
    new_id_number = fields.Char(string="New Buyer's ID Number", groups=TICKET_ID_GROUPS)
    rename_basis = fields.Selection(RENAME_BASIS, compute="_compute_rename_basis", string="Rename Basis")
    relation = fields.Selection(BUYER_RELATION, string="Relation to the Buyer")
    proof = fields.Binary(string="Proof of the Relation", attachment=True, copy=False)
    proof_name = fields.Char()
    proof_kind_id = fields.Many2one(
        "kam.relation.proof.kind", string="Kind of Proof",
        help="One of the proofs the contract accepts for this relation.",
    )
    # the fee's reference: taken on applying from the market price finance recorded, never typed at the desk
    market_price_id = fields.Many2one(
        "kam.housing.market.price", string="Market Price Record", readonly=True, copy=False,
    )
    reference_project_id = fields.Many2one(
        "kam.housing.project", string="Reference Project", readonly=True, copy=False,
        help="Our other project at the same construction stage, as finance recorded it.",
    )
    reference_price_per_m2 = fields.Monetary(string="Reference Market Price (per m²)", readonly=True, copy=False)
    new_ratio = fields.Float(string="New Payment Ratio (%)", digits=(5, 2))
    recovered_copy = fields.Binary(string="Recovered Copies", attachment=True, copy=False)
    recovered_copy_name = fields.Char()
    fee_amount = fields.Monetary(string="Fee", readonly=True, copy=False, tracking=True)
    invoice_id = fields.Many2one("account.move", string="Fee Invoice", readonly=True, copy=False)
    old_voucher_id = fields.Many2one("kam.room.voucher", string="Reversed Voucher", readonly=True, copy=False)
    new_voucher_id = fields.Many2one("kam.room.voucher", string="New Voucher", readonly=True, copy=False)
    applied_by_id = fields.Many2one("res.users", string="Applied By", readonly=True, copy=False)
    refund_id = fields.Many2one("account.move", string="Fee Credit Note", readonly=True, copy=False)
    refund_reason = fields.Text(string="Refund Reason", readonly=True, copy=False, tracking=True)
    refunded_by_id = fields.Many2one("res.users", string="Refunded By", readonly=True, copy=False)
    refund_date = fields.Datetime(string="Refunded On", readonly=True, copy=False)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("kind", "new_buyer_name", "new_id_number", "ticket_id")
    def _compute_rename_basis(self):
        for amendment in self:
            if amendment.kind != "rename":
                amendment.rename_basis = False
            elif amendment._listed_buyer():
                amendment.rename_basis = "listed"
            else:
                policy = amendment.ticket_id.contract_id.rename_policy
                amendment.rename_basis = {"fee": "fee", "relations": "relation"}.get(policy, False)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_apply(self):
        for amendment in self:
            amendment._kam_check_may("action_apply")
            ticket = amendment.ticket_id
            if ticket.state != "vouchered" or ticket.basis != "buyer":
                raise UserError(self.env._("Only a contract buyer's vouchered ticket is renamed or converted."))
            ticket._kam_check_no_return_waiting()
            if amendment.kind == "rename":
                amendment._apply_rename()
            else:
                amendment._apply_mortgage_conversion()
        return True

    def action_refund_fee(self, reason):
        """AC6: finance refunds the fee with a reason: Odoo's reversal posts a credit note of the whole invoice,
        reconciled with what the invoice still owes. Once per fee."""
        self.ensure_one()
        self._kam_check_may("action_refund_fee")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for refunding the fee."))
        invoice = self.sudo().invoice_id
        if self.state != "done" or not invoice or invoice.state != "posted":
            raise UserError(self.env._("Only the posted fee invoice of an applied amendment is refunded."))
        if self.sudo().refund_id:
            raise UserError(
                self.env._("The fee of %(invoice)s is already refunded by %(refund)s.",
                           invoice=invoice.name, refund=self.sudo().refund_id.name)
            )
        # the reason first: the invoice's reversal accepts a desk fee only while its amendment refunds it
        self._kam_move(
            "action_refund_fee",
            {"refund_reason": reason, "refunded_by_id": self.env.uid, "refund_date": fields.Datetime.now()},
        )
        # not Odoo's "cancel" reversal, which unreconciles what is already paid: posting the credit note
        # settles what the invoice still owes and leaves the rest open, owed back to the employer, while a
        # registered payment stays reconciled with the invoice it paid (Odoo's own credit note of a paid invoice)
        refund = invoice._reverse_moves(
            [{"ref": self.env._("Refund of %(invoice)s: %(reason)s", invoice=invoice.name, reason=reason),
              "invoice_date": fields.Date.context_today(self), "kam_amendment_id": self.id}],
        )
        refund._post(soft=False)
        self._kam_action_write({"refund_id": refund.id})
        return {"type": "ir.actions.act_window", "res_model": "account.move", "res_id": refund.id, "view_mode": "form"}

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _listed_buyer(self):
        self.ensure_one()
        number = (self.sudo().new_id_number or "").strip().upper()
        if not number or not self.ticket_id.contract_id:
            return self.env["kam.housing.buyer"]
        buyer = self.env["kam.housing.buyer"].sudo().search(
            [("contract_id", "=", self.ticket_id.contract_id.id), ("id_number", "=", number)], limit=1
        )
        return buyer if buyer.name == (self.new_buyer_name or "").strip() else self.env["kam.housing.buyer"]

    def _check_listed_buyer_holds_nothing(self):
        """One buyer, one unit (issue 18): a rename to a listed buyer who already holds a live ticket of the
        contract (their own or one renamed to them) is refused."""
        listed = self._listed_buyer()
        held = self.env["kam.room.ticket"].sudo().search(
            [("contract_id", "=", self.ticket_id.contract_id.id), ("id", "!=", self.ticket_id.id),
             ("state", "in", ("issued", "reviewed", "vouchered")),
             "|", ("buyer_id", "=", listed.id), ("id_number", "=", listed.id_number)],
            limit=1,
        )
        if held:
            raise UserError(
                self.env._("%(buyer)s already holds ticket %(ticket)s on unit %(unit)s: one buyer takes one unit.",
                           buyer=listed.name, ticket=held.name, unit=held.unit_id.display_name)
            )

    def _apply_rename(self):
        ticket = self.ticket_id.sudo()
        contract = ticket.contract_id
        if not (self.new_buyer_name or "").strip() or not (self.sudo().new_id_number or "").strip():
            raise UserError(self.env._("Enter the new buyer's name and ID number."))
        try:
            cn_id.normalize_resident_id(self.sudo().new_id_number)
        except RuleError as error:
            raise UserError(error.translated(self.env)) from None
        basis = self.rename_basis
        if not basis:
            raise UserError(
                self.env._("The contract allows renames only between the buyers of its verified list.")
            )
        if basis == "listed":
            self._check_listed_buyer_holds_nothing()
        charged = basis == "fee"
        if basis == "relation":
            charged = self._kam_check_relation(contract).price_policy == "fee"
        fee = 0.0
        vals = {}
        if charged:
            fee, vals = self._kam_rename_fee(ticket)
        old = ticket.voucher_id
        old._reverse("rename", self.recovered_copy, self.recovered_copy_name)
        ticket.write({"buyer_name": self.new_buyer_name.strip(), "id_number": self.sudo().new_id_number.strip().upper()})
        ticket.message_post(body=self.env._("Renamed to %(name)s.", name=ticket.buyer_name))
        new = self.env["kam.room.voucher"].sudo()._issue_for_ticket(ticket)
        vals.update(
            {"old_voucher_id": old.id, "new_voucher_id": new.id, "fee_amount": fee, "applied_by_id": self.env.uid}
        )
        if self.currency_id.compare_amounts(fee, 0) > 0:
            vals["invoice_id"] = self._create_fee_invoice(fee, self.company_id.sudo().kam_rename_fee_product_id).id
        self._kam_move("action_apply", vals)

    def _kam_check_relation(self, contract):
        """The contract's term for the new buyer's relation, its proof checked (001:L306)."""
        relations = dict(self._fields["relation"]._description_selection(self.env))
        term = contract.rename_relation_ids.filtered(lambda line: line.relation == self.relation)[:1]
        if not self.relation or not term:
            allowed = ", ".join(relations[line.relation] for line in contract.rename_relation_ids)
            raise UserError(
                self.env._(
                    "The contract does not allow a rename to this relation (%(relation)s). It allows: %(allowed)s.",
                    relation=relations.get(self.relation) or self.env._("none given"),
                    allowed=allowed or self.env._("none yet: its allowed relations are to be entered as lines"),
                )
            )
        if self.proof_kind_id not in term.proof_kind_ids or not self.proof:
            raise UserError(
                self.env._(
                    "A rename to a %(relation)s needs one of the proofs the contract accepts, attached: "
                    "%(proofs)s.",
                    relation=relations[term.relation],
                    proofs=", ".join(term.proof_kind_ids.mapped("name")),
                )
            )
        return term

    def _kam_rename_fee(self, ticket):
        """fee % × (market price of our other project at the same stage − contract price) × area, on the price
        finance recorded for the unit's project; the values that record the reference on the amendment."""
        project = ticket.unit_id.project_id
        market = self.env["kam.housing.market.price"]._kam_latest_for(project, fields.Date.context_today(self))
        if not market:
            raise UserError(
                self.env._(
                    "Finance has recorded no market price of another of our projects at the construction stage of "
                    "%(project)s: the rename fee cannot be priced yet.",
                    project=project.display_name,
                )
            )
        if market.reference_project_id.stage != project.stage or market.reference_project_id == project:
            # the stages moved since finance recorded it: the reference no longer stands
            raise UserError(market._kam_stage_message())
        try:
            fee = float(desk_fees.rename_fee(
                ticket.contract_id.rename_fee_percent, market.price_per_m2, ticket.price_per_m2, ticket.area
            ))
        except RuleError as error:
            raise UserError(error.translated(self.env)) from None
        return fee, {
            "market_price_id": market.id,
            "reference_project_id": market.reference_project_id.id,
            "reference_price_per_m2": market.price_per_m2,
        }

    def _apply_mortgage_conversion(self):
        ticket = self.ticket_id.sudo()
        contract = ticket.contract_id
        if ticket.payment_ratio < 100:
            raise UserError(self.env._("Only a full payment converts to a loan."))
        try:
            fee = float(desk_fees.check_mortgage_conversion_fee(contract.mortgage_conversion_fee))
        except RuleError as error:
            raise UserError(error.translated(self.env)) from None
        if self.new_ratio < contract.payment_ratio or self.new_ratio >= 100:
            raise UserError(
                self.env._("The new payment ratio must be at least %(minimum)s %% and below 100 %%.",
                           minimum=contract.payment_ratio)
            )
        old = ticket.voucher_id
        old._reverse("mortgage", self.recovered_copy, self.recovered_copy_name)
        # the full-payment discount is withdrawn: the ticket is re-priced at its gross price
        priced = ticket._kam_priced_values(ticket.price_per_m2, payment_ratio=self.new_ratio)
        ticket._kam_move(
            "_reopen",
            {
                **{key: priced[key] for key in ("discount_percent", "discount_amount", "amount_total", "amount_due")},
                "collected_date": False,
            },
        )
        ticket.write({"payment_ratio": self.new_ratio, "full_payment_discount": False})
        new = ticket._kam_try_auto_voucher()
        invoice = self._create_fee_invoice(fee, self.company_id.sudo().kam_mortgage_fee_product_id)
        self._kam_move(
            "action_apply",
            {"old_voucher_id": old.id, "new_voucher_id": new[:1].id, "fee_amount": fee, "invoice_id": invoice.id,
             "applied_by_id": self.env.uid},
        )

    def _create_fee_invoice(self, amount, product):
        """The posted customer invoice of the fee on the company's fee journal (a sales journal, AC6). The
        contract's employer is invoiced: the policies and the fee are terms of its contract (HS6, seed §十一);
        the line names the ticket, unit and buyer."""
        self.ensure_one()
        company = self.company_id.sudo()  # the desk invoices the fee; the clerk needs no accounting rights
        journal = company.kam_fee_journal_id
        if not product or not journal:
            raise UserError(self.env._("Configure the fee products and the fee journal in the settings first."))
        if journal.type != "sale":
            raise UserError(self.env._("Fees are invoiced on a sales journal, never on the joint account."))
        ticket = self.ticket_id.sudo()
        invoice = self.env["account.move"].sudo().with_company(company).create(
            {
                "move_type": "out_invoice",
                "partner_id": ticket.contract_id.partner_id.id,
                "journal_id": journal.id,
                "invoice_origin": ticket.name,
                "kam_amendment_id": self.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": f"{product.display_name} — {ticket.name} {ticket.unit_id.display_name} "
                                    f"({ticket.buyer_name})",
                            "quantity": 1,
                            "price_unit": amount,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    @api.depends("ticket_id.name", "kind")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.ticket_id.name, selection_label(record, "kind"))
