from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from .kam_display_name import join_name

ALLOCATION_METHOD = [
    ("memo", "Receipt Number in Memo"),
    ("oldest", "Oldest First"),
    ("manual", "By Hand"),
]


class KamJointAllocation(models.Model):
    """Part of a joint-account transfer allocated to an employer receipt (AC4).

    Created by the matching (memo, oldest first) or by hand while the
    reconciliation is a draft; frozen with it once submitted or signed.

    A period inserts tens of thousands of rows at once, and PostgreSQL checks
    every foreign key of every row: the company is the reconciliation's (not
    stored), and there are no create/write user columns (``_log_access``);
    who allocated by hand, and when, is ``allocated_by_id``/``allocated_date``.
    """

    _name = "kam.joint.allocation"
    _description = "Transfer Allocation"
    _inherit = ["kam.lifecycle.line.mixin"]
    _kam_document_field = "reconciliation_id"
    _order = "reconciliation_id, statement_line_id, id"
    _check_company_auto = True
    _log_access = False

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    reconciliation_id = fields.Many2one(
        "kam.joint.reconciliation", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="reconciliation_id.company_id")
    currency_id = fields.Many2one(related="reconciliation_id.currency_id")
    statement_line_id = fields.Many2one(
        "account.bank.statement.line", string="Bank Line", required=True, ondelete="restrict", index=True,
        check_company=True,
    )
    receipt_id = fields.Many2one("kam.housing.receipt", required=True, ondelete="restrict", index=True, check_company=True)
    amount = fields.Monetary(required=True)
    method = fields.Selection(ALLOCATION_METHOD, string="Matching Method", required=True, default="manual", readonly=True)
    line_date = fields.Date(related="statement_line_id.date", string="Transfer Date")
    line_amount = fields.Monetary(related="statement_line_id.amount", string="Transfer Amount")
    line_memo = fields.Char(related="statement_line_id.payment_ref", string="Bank Memo")
    receipt_date = fields.Date(related="receipt_id.date")
    buyer_id = fields.Many2one(related="receipt_id.buyer_id")
    allocated_by_id = fields.Many2one("res.users", string="Allocated By", readonly=True)
    allocated_date = fields.Datetime(string="Allocated On", readonly=True)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("amount", "statement_line_id", "receipt_id")
    def _check_amounts(self):
        """A transfer is not allocated beyond its amount, nor a receipt beyond its own (over live periods)."""
        self.env.flush_all()
        for allocation in self:
            currency = allocation.currency_id
            if currency.compare_amounts(allocation.amount, 0) <= 0:
                raise ValidationError(self.env._("An allocation must be positive."))
            if allocation.receipt_id.state != "registered":
                raise ValidationError(self.env._("Only registered receipts take transfers."))
            if allocation.receipt_id.contract_id != allocation.reconciliation_id.contract_id:
                raise ValidationError(self.env._("The receipt belongs to another contract."))
            if allocation.statement_line_id.journal_id != allocation.reconciliation_id.journal_id:
                raise ValidationError(self.env._("The bank line is not on the contract's joint account."))
            if allocation.statement_line_id.is_reconciled and not allocation.statement_line_id.kam_reconciliation_id:
                raise ValidationError(self.env._("The bank line is already reconciled outside the reconciliations."))
            line_total, receipt_total = self._kam_allocated(allocation.statement_line_id, allocation.receipt_id)
            if currency.compare_amounts(line_total, allocation.statement_line_id.amount) > 0:
                raise ValidationError(
                    self.env._(
                        "The transfer %(line)s of %(amount)s would be allocated %(total)s.",
                        line=allocation.statement_line_id.display_name,
                        amount=format_amount(self.env, allocation.statement_line_id.amount, currency),
                        total=format_amount(self.env, float(line_total), currency),
                    )
                )
            if currency.compare_amounts(receipt_total, allocation.receipt_id.amount) > 0:
                raise ValidationError(
                    self.env._(
                        "Receipt %(number)s of %(amount)s would be covered %(total)s.",
                        number=allocation.receipt_id.display_name,
                        amount=format_amount(self.env, allocation.receipt_id.amount, currency),
                        total=format_amount(self.env, float(receipt_total), currency),
                    )
                )

    @api.model
    def _kam_allocated(self, line, receipt):
        self.env.cr.execute(
            """
            SELECT COALESCE(SUM(a.amount) FILTER (WHERE a.statement_line_id = %s), 0),
                   COALESCE(SUM(a.amount) FILTER (WHERE a.receipt_id = %s), 0)
              FROM kam_joint_allocation a JOIN kam_joint_reconciliation r ON r.id = a.reconciliation_id
             WHERE r.state != 'cancel' AND (a.statement_line_id = %s OR a.receipt_id = %s)
            """,
            [line.id, receipt.id, line.id, receipt.id],
        )
        return self.env.cr.fetchone()

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the matching inserts its own rows; what is created here is allocated by hand, by this user
            vals.update(method="manual", allocated_by_id=self.env.uid, allocated_date=fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"method", "allocated_by_id", "allocated_date"} & set(vals):
            raise UserError(self.env._("Who allocated a transfer, when and how is recorded, not written."))
        return super().write(vals)

    @api.depends("receipt_id.name", "statement_line_id.name", "line_date")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.receipt_id.name, record.line_date, record.statement_line_id.name)
