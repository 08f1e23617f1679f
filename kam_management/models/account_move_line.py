from odoo import api, models
from odoo.exceptions import ValidationError

INCOME_ACCOUNT_TYPES = ("income", "income_other")
# AC4: what of a frozen bank line's journal items changes no more after the sign-off (reconciling them still works)
KAM_FROZEN_LINE_FIELDS = {"account_id", "partner_id", "debit", "credit", "balance", "amount_currency", "currency_id",
                          "move_id", "date"}
# AC6 (issue 18): and what prices an item of a posted desk fee invoice or credit note
KAM_KEPT_LINE_FIELDS = KAM_FROZEN_LINE_FIELDS | {
    "price_unit", "quantity", "discount", "tax_ids", "product_id", "product_uom_id", "price_subtotal", "price_total",
    "display_type", "tax_line_id", "tax_repartition_line_id", "name",
}


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        moves = self.env["account.move"].browse({vals["move_id"] for vals in vals_list if vals.get("move_id")})
        moves.statement_line_id._kam_check_not_frozen()
        moves._kam_check_kept({"line_ids": [True]})
        moves._kam_check_period_open()
        return super().create(vals_list)

    def write(self, vals):
        moves = self.move_id
        changed = self.filtered(
            lambda line: any(moves._kam_field_changes(name, vals, line) for name in KAM_KEPT_LINE_FIELDS & set(vals))
        )
        if changed:
            changed.move_id._kam_check_kept({"line_ids": [True]})
        if KAM_FROZEN_LINE_FIELDS & set(vals):
            self.move_id.statement_line_id._kam_check_not_frozen()
            if changed:
                changed.move_id._kam_check_period_open()
        return super().write(vals)

    def unlink(self):
        self.move_id.statement_line_id._kam_check_not_frozen()
        self.move_id._kam_check_kept({"line_ids": [True]})
        self.move_id._kam_check_period_open()
        return super().unlink()

    def _kam_write_booking(self, vals):
        """The sign-off's booking of a frozen bank line's suspense item (private: no client calls it)."""
        return super().write(vals)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("account_id", "journal_id", "parent_state")
    def _check_kam_joint_no_income(self):
        # AC2: money on a joint account is the employer's entrusted loan; an edited
        # statement entry must not turn it into revenue either (posting is checked on the move)
        for line in self:
            if line.parent_state == "posted" and line.journal_id.kam_is_joint and line.account_id.account_type in INCOME_ACCOUNT_TYPES:
                raise ValidationError(
                    self.env._(
                        "%(journal)s is a joint account: its entries cannot book income (%(account)s). "
                        "Transfers in are entrusted loans.",
                        journal=line.journal_id.display_name,
                        account=line.account_id.display_name,
                    )
                )
