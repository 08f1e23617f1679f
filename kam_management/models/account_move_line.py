from odoo import api, models
from odoo.exceptions import ValidationError

INCOME_ACCOUNT_TYPES = ("income", "income_other")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

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
