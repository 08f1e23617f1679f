from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from .kam_display_name import join_name, selection_label

DISCREPANCY_KIND = [
    ("late_transfer", "Receipt Not Transferred in Term"),
    ("unknown_deposit", "Unknown Deposit"),
    ("amount_mismatch", "Amount Mismatch"),
    ("balance", "Employer Balance ≠ Receipts − Transfers from Its Account"),
    ("duplicate", "Suspected Duplicate"),
    ("reconciled_elsewhere", "Bank Line Reconciled Elsewhere"),
]
DISCREPANCY_STATE = [
    ("open", "Open"),
    ("resolved", "Resolved"),
]


class KamJointDiscrepancy(models.Model):
    """Something the three-way reconciliation could not explain (AC4), resolved with a note by finance.

    The matching stores the finding's figures (``detail``), not a sentence: ``description`` is written in the
    language of whoever reads it (the job that matched the period may have run in another), money with the
    reader's separators. Rows matched before 19.0.0.1.2 only have their old sentence (``legacy_description``).
    """

    _name = "kam.joint.discrepancy"
    _description = "Reconciliation Discrepancy"
    _inherit = ["kam.lifecycle.line.mixin"]
    _kam_document_field = "reconciliation_id"
    _order = "reconciliation_id, state, kind, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    reconciliation_id = fields.Many2one(
        "kam.joint.reconciliation", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="reconciliation_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="reconciliation_id.currency_id")
    kind = fields.Selection(DISCREPANCY_KIND, string="Type", required=True, readonly=True)
    state = fields.Selection(DISCREPANCY_STATE, required=True, default="open", readonly=True, index=True)
    statement_line_id = fields.Many2one("account.bank.statement.line", string="Bank Line", readonly=True, index=True)
    receipt_id = fields.Many2one("kam.housing.receipt", readonly=True, index=True)
    amount = fields.Monetary(readonly=True)
    detail = fields.Json(readonly=True, help="The finding's figures: expected amount, difference, date, days, term.")
    description = fields.Text(compute="_compute_description")
    legacy_description = fields.Text(readonly=True, help="The text stored by a matching before 19.0.0.1.2.")
    resolution_note = fields.Text()
    resolved_by_id = fields.Many2one("res.users", string="Resolved By", readonly=True)
    resolved_date = fields.Datetime(string="Resolved On", readonly=True)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("kind", "detail", "amount", "receipt_id", "legacy_description")
    @api.depends_context("lang")
    def _compute_description(self):
        for discrepancy in self:
            discrepancy.description = discrepancy.legacy_description or discrepancy._kam_text()

    def _kam_text(self):
        self.ensure_one()
        _ = self.env._
        detail = self.detail or {}

        def money(key):
            return format_amount(self.env, detail[key], self.currency_id or self.env.company.currency_id)

        if self.kind == "amount_mismatch":
            return _(
                "The transfer of %(amount)s does not equal the open receipts it covers (%(expected)s): difference "
                "%(difference)s.",
                amount=format_amount(self.env, self.amount, self.currency_id or self.env.company.currency_id),
                expected=money("expected"),
                difference=money("difference"),
            )
        if self.kind == "late_transfer":
            return _(
                "Receipt %(number)s of %(date)s is not transferred after %(days)s days (term: %(term)s).",
                number=self.receipt_id.name,
                date=format_date(self.env, detail["date"]),
                days=detail["days"],
                term=detail["term"],
            )
        if self.kind == "balance" and "balance" in detail:
            return _(
                "The employer's account shows %(balance)s on %(date)s; receipts − transfers from that account give %(expected)s.",
                balance=money("balance"),
                date=format_date(self.env, detail["date"]),
                expected=money("expected"),
            )
        return {
            "balance": _("No balance of the employer's special account is recorded for the period."),
            "duplicate": _("The transfer repeats an earlier one or names receipts already covered."),
            "reconciled_elsewhere": _("The bank line is already reconciled outside the reconciliations."),
            "unknown_deposit": _("No open receipt of the employer explains this deposit."),
        }.get(self.kind, "")

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self.env._("Discrepancies come from matching the period; they are not entered by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            forbidden = set(vals) - {"resolution_note"}
            if forbidden or any(d.state != "open" for d in self):
                raise UserError(self.env._("Only the resolution note of an open discrepancy can be written."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._("Discrepancies are resolved with a note, not deleted."))
        return super().unlink()

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_resolve(self):
        if not self.env.user.has_group("kam_management.group_kam_finance"):
            raise UserError(self.env._("Only finance resolves discrepancies."))
        self.reconciliation_id._kam_check_unlocked()
        for discrepancy in self:
            if discrepancy.state != "open":
                raise UserError(self.env._("This discrepancy is already resolved."))
            if not (discrepancy.resolution_note or "").strip():
                raise UserError(self.env._("Write how the discrepancy was resolved first."))
        self.sudo().write({"state": "resolved", "resolved_by_id": self.env.uid, "resolved_date": fields.Datetime.now()})
        return True

    def action_reopen(self):
        if not self.env.user.has_group("kam_management.group_kam_finance"):
            raise UserError(self.env._("Only finance reopens discrepancies."))
        self.reconciliation_id._kam_check_unlocked()
        self.sudo().write({"state": "open", "resolved_by_id": False, "resolved_date": False})
        return True

    @api.depends("reconciliation_id.name", "kind")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.reconciliation_id.name, selection_label(record, "kind"))
