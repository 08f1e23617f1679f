from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    # the tier review and the late-payer job read a year of posted customer
    # documents per company by invoice date (kam_tier_metrics, kam_payment_downgrade)
    _kam_posted_invoice_date_idx = models.Index(
        "(company_id, invoice_date, commercial_partner_id) WHERE state = 'posted' "
        "AND move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')"
    )

    def _post(self, soft=True):
        # KA5: key accounts only; every other invoice posts exactly as in Odoo
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            partner = move.partner_id.commercial_partner_id
            if not partner or not partner._kam_is_key_account():
                continue
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
