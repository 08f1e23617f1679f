from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# AC4: what of a frozen bank line's journal entry changes no more after the sign-off ("state": no reset to draft)
KAM_FROZEN_MOVE_FIELDS = {"state", "line_ids", "journal_id", "date", "partner_id", "currency_id", "statement_line_id"}
# AC6 (issue 18): what of a posted move the module owns (a desk fee invoice, its credit note) never changes: its
# state, its lines and what prices them, whom and when it charges; a correction is a reversal
KAM_KEPT_MOVE_FIELDS = KAM_FROZEN_MOVE_FIELDS | {
    "invoice_line_ids", "move_type", "name", "company_id", "invoice_date", "invoice_date_due", "commercial_partner_id",
    "fiscal_position_id", "invoice_payment_term_id", "invoice_cash_rounding_id", "reversed_entry_id", "auto_post",
    "kam_amendment_id", "amount_total", "amount_untaxed", "amount_tax", "amount_residual",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    # the tier review and the late-payer job read a year of posted customer
    # documents per company by invoice date (kam_tier_metrics, kam_payment_downgrade)
    # AC6: the rename or mortgage-conversion fee this invoice charges (the desk links it back)
    kam_amendment_id = fields.Many2one(
        "kam.ticket.amendment", string="Desk Fee Source", readonly=True, copy=False, index="btree_not_null"
    )
    _kam_posted_invoice_date_idx = models.Index(
        "(company_id, invoice_date, commercial_partner_id) WHERE state = 'posted' "
        "AND move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')"
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("kam_amendment_id") for vals in vals_list):
            raise UserError(self.env._("Only the desk links an invoice to its rename or mortgage conversion."))
        moves = super().create(vals_list)
        # AC4: no new entry in a signed period of a joint account
        moves._kam_check_period_open()
        return moves

    def write(self, vals):
        # AC6: the link says which documents are a desk fee and its refund; the desk sets it (sudo), no client
        if "kam_amendment_id" in vals and not self.env.su:
            raise UserError(self.env._("Only the desk links an invoice to its rename or mortgage conversion."))
        self._kam_check_kept(vals)
        if KAM_FROZEN_MOVE_FIELDS & set(vals):
            self.statement_line_id._kam_check_not_frozen()
            self._kam_check_period_open()
            result = super().write(vals)
            if "date" in vals or "journal_id" in vals:
                self._kam_check_period_open()
            return result
        return super().write(vals)

    def unlink(self):
        self._kam_check_kept()
        self.statement_line_id._kam_check_not_frozen()
        self._kam_check_period_open()
        return super().unlink()

    # ------------------------------------------------------------
    # GUARDS
    # ------------------------------------------------------------

    def _kam_owned_posted(self):
        """The posted moves of ``self`` the module owns: desk fee invoices and their credit notes (AC6). Who may
        not read them learns nothing of them (Odoo's access error, not ours)."""
        owned = self.sudo().filtered(lambda move: move.kam_amendment_id and move.state == "posted")
        if owned and not self.env.su:
            self.check_access("read")
        return owned

    def _kam_check_kept(self, vals=None):
        """AC6 (issue 18): a posted move the module owns keeps its state, lines and amounts, and is never deleted,
        whoever asks (sudo too: no internal path changes one); Odoo's own writes of unchanged values pass.
        ``vals`` None: a deletion (of a draft one too, except by the server's own code)."""
        owned = self._kam_owned_posted()
        if vals is None:
            owned |= self.sudo().filtered(lambda move: move.kam_amendment_id and not self.env.su)
        elif owned:
            owned = owned.filtered(lambda move: any(move._kam_field_changes(name, vals) for name in KAM_KEPT_MOVE_FIELDS))
        if owned:
            raise UserError(
                self.env._(
                    "%(move)s is a desk fee invoice or credit note: once posted, its state, lines and amounts never "
                    "change and it is never deleted. A fee is corrected by its refund (a credit note).",
                    move=owned[0].display_name,
                )
            )

    def _kam_field_changes(self, name, vals, record=None):
        """Whether writing ``vals`` changes ``name`` of ``record`` (this move, or one of its items); an x2many
        changes with any command."""
        record = record if record is not None else self
        if name not in vals:
            return False
        if record._fields[name].type in ("one2many", "many2many"):
            return bool(vals[name])
        return self._field_will_change(record, vals, name)

    def _kam_check_period_open(self):
        """AC4: the moves of ``self`` are not in a signed period of their joint journal (under its lock)."""
        moves = self.sudo()
        self.env["account.journal"]._kam_check_open(
            [
                (move.journal_id, move.date, move.name if move.name and move.name != "/" else self.env._("A new entry"))
                for move in moves
            ],
            lock=not self.env["account.bank.statement.line"]._kam_lock_held(moves.journal_id),
        )

    def _post(self, soft=True):
        self._kam_check_joint_no_income()
        # KA5: key accounts only; every other invoice posts exactly as in Odoo
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            partner = move.partner_id.commercial_partner_id
            if not partner or not partner._kam_is_key_account():
                continue
            move._kam_check_price_caps(partner)
            date = move.invoice_date or fields.Date.context_today(self)
            if move.invoice_date_due and move.invoice_date_due > date:
                partner._kam_check_no_deferral(move.invoice_payment_term_id, move.name or move.ref or "")
            partner._kam_check_credit_limit(
                move.company_id,
                move.amount_total_signed,
                date,
                move.name if move.name and move.name != "/" else self.env._("This invoice"),
                exclude_amount=move._get_partner_credit_warning_exclude_amount(),
            )
        return super()._post(soft=soft)

    def _kam_check_price_caps(self, partner):
        """KA11 on invoices: a discount above the tier cap must come from an order approved for it."""
        self.ensure_one()
        tier = partner.sudo().kam_tier_id
        Approval = self.env["kam.discount.approval"]
        SaleOrder = self.env["sale.order"]
        for line in self.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            # the net price counts, as on orders: a cut price_unit at 0 % is a discount too
            discount = SaleOrder._kam_effective_discount(
                line.product_id, line.product_uom_id, line.price_unit, line.discount,
                self.currency_id, self.company_id, tier,
            )
            if float_compare(discount, tier.max_discount, precision_digits=2) <= 0:
                continue
            approved = max((Approval._approved_discount(order) for order in line.sale_line_ids.order_id), default=0.0)
            if float_compare(discount, approved, precision_digits=2) > 0:
                raise UserError(
                    self.env._(
                        "The line %(line)s gives a discount of %(discount)s %% but %(tier)s customers may get at "
                        "most %(cap)s %% without approval. Invoice it from a sale order whose discount was approved.",
                        line=line.name or line.product_id.display_name,
                        discount=discount,
                        tier=tier.display_name,
                        cap=tier.max_discount,
                    )
                )

    def _kam_check_joint_no_income(self):
        """AC2: nothing posted on a joint account is income: transfers in are the employer's entrusted loan."""
        for move in self.filtered(lambda m: m.journal_id.kam_is_joint):
            income = move.line_ids.filtered(lambda line: line.account_id.account_type in ("income", "income_other"))
            if income:
                raise UserError(
                    self.env._(
                        "%(journal)s is a joint account: its entries cannot book income (%(account)s). "
                        "Transfers in are entrusted loans.",
                        journal=move.journal_id.display_name,
                        account=income[0].account_id.display_name,
                    )
                )

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # AC6: the credit note of a fee refund is final: reversing it would charge the fee again behind the desk
        refunds = self.filtered(lambda move: move.kam_amendment_id and move.move_type == "out_refund")
        if refunds:
            raise UserError(
                self.env._(
                    "%(refund)s refunds the desk fee of %(amendment)s: it is never reversed. A fee is charged by "
                    "a new rename or mortgage conversion at the desk.",
                    refund=refunds[0].display_name,
                    amendment=refunds[0].kam_amendment_id.sudo().display_name,
                )
            )
        # AC6: a desk fee is refunded from its amendment (finance, a reason, once), not from the invoice
        fees = self.filtered(lambda move: move.kam_amendment_id and move.move_type == "out_invoice")
        for move in fees:
            amendment = move.kam_amendment_id.sudo()
            if not amendment.refund_reason or amendment.refund_id:
                raise UserError(
                    self.env._(
                        "%(invoice)s charges a desk fee: refund it with \"Refund the Fee\" on %(amendment)s.",
                        invoice=move.display_name,
                        amendment=amendment.display_name,
                    )
                )
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def _kam_check_fee_kept(self):
        """AC6: a posted desk fee invoice or its credit note stays as it is; a refund is a credit note."""
        if self._kam_owned_posted():
            raise UserError(
                self.env._("A posted desk fee invoice or credit note is never reset or cancelled: refund the fee.")
            )

    def button_cancel(self):
        self._kam_check_fee_kept()
        self._kam_check_period_open()
        return super().button_cancel()

    def button_draft(self):
        self._kam_check_fee_kept()
        # AC4: the entry of a bank line in a signed reconciliation is frozen with it
        frozen = self.filtered(lambda move: move.statement_line_id.kam_reconciliation_id)
        if frozen:
            frozen.statement_line_id._kam_check_not_frozen()
        self._kam_check_period_open()
        return super().button_draft()
