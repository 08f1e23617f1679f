from odoo import models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # the late-payer job (kam.payment.downgrade) starts from the payments matched in its window:
    # this index reads that quarter's partials only, not every invoice of the company
    _kam_company_max_date_idx = models.Index("(company_id, max_date)")
