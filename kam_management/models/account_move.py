from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


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
        for line in self.invoice_line_ids.filtered(lambda line: line.display_type == "product"):
            if float_compare(line.discount, tier.max_discount, precision_digits=2) <= 0:
                continue
            approved = max((Approval._approved_discount(order) for order in line.sale_line_ids.order_id), default=0.0)
            if float_compare(line.discount, approved, precision_digits=2) > 0:
                raise UserError(
                    self.env._(
                        "The line %(line)s gives a discount of %(discount)s %% but %(tier)s customers may get at "
                        "most %(cap)s %% without approval. Invoice it from a sale order whose discount was approved.",
                        line=line.name or line.product_id.display_name,
                        discount=line.discount,
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

    def button_draft(self):
        # AC4: the entry of a bank line in a signed reconciliation is frozen with it
        frozen = self.filtered(lambda move: move.statement_line_id.kam_reconciliation_id)
        if frozen:
            frozen.statement_line_id._kam_check_not_frozen()
        return super().button_draft()
