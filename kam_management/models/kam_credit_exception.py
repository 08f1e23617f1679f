from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..rules import credit
from ..rules.errors import RuleError
from .kam_approval_mixin import KAM_APPROVAL_STATE


class KamCreditException(models.Model):
    """An approved amount a key account may go over its credit limit, for a period (KA5)."""

    _name = "kam.credit.exception"
    _description = "Key-Account Credit Exception"
    _inherit = ["kam.approval.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _kam_transitions = {
        "action_approve": (("draft",), "approved", ()),
        "action_cancel": (("draft",), "cancel", ("kam_management.group_kam_user",)),
        # withdrawing an approved exception only lowers what the customer may owe: finance director's call
        "cancel_approved": (("approved",), "cancel", ("kam_management.group_kam_finance_manager",)),
    }

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, domain=[("is_company", "=", True)]
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True, help="How far above its credit limit the customer may go.")
    date_from = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(required=True, tracking=True)
    reason = fields.Text(required=True)
    sale_order_id = fields.Many2one("sale.order", check_company=True, help="The order that needs it, if any.")
    state = fields.Selection(KAM_APPROVAL_STATE, default="draft", required=True, tracking=True, copy=False)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "amount", "date_to")
    def _compute_name(self):
        for exception in self:
            exception.name = f"{exception.partner_id.name or ''} {exception.amount:,.2f} → {exception.date_to or ''}"

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("amount", "date_from", "date_to")
    def _check_amount_and_dates(self):
        for exception in self:
            try:
                credit.check_exception_amount(exception.amount)
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None
            if exception.date_to < exception.date_from:
                raise ValidationError(
                    self.env._("A credit exception cannot end (%(end)s) before it starts (%(start)s).",
                               start=exception.date_from, end=exception.date_to)
                )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_approve(self):
        self._kam_move("action_approve")
        return True

    def action_cancel(self):
        return self._kam_move_any("action_cancel", "cancel_approved")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _covered_amount(self, partner, company, date):
        """Total of the approved exceptions of ``partner`` valid on ``date``."""
        groups = self.sudo()._read_group(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "approved"),
                ("date_from", "<=", date),
                ("date_to", ">=", date),
            ],
            [],
            ["amount:sum"],
        )
        return groups[0][0] if groups else 0.0
