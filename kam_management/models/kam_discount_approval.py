from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .kam_approval_mixin import KAM_APPROVAL_STATE


class KamDiscountApproval(models.Model):
    """A discount above the customer's tier cap, approved for one sale order (KA11)."""

    _name = "kam.discount.approval"
    _description = "Key-Account Discount Approval"
    _inherit = ["kam.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _kam_transitions = {
        "action_approve": (("draft",), "approved", ()),
        "action_cancel": (("draft",), "cancel", ("sales_team.group_sale_salesman",)),
        "cancel_approved": (("approved",), "cancel", ("kam_management.group_kam_manager",)),
    }
    # the tier and its cap are what the approver compares the request with: set by the request button
    _kam_action_fields = ("tier_id", "cap")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    sale_order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True, check_company=True)
    name = fields.Char(related="sale_order_id.name")
    partner_id = fields.Many2one(related="sale_order_id.partner_id", store=True, index=True)  # record rules
    company_id = fields.Many2one(related="sale_order_id.company_id", store=True, index=True)
    tier_id = fields.Many2one("kam.tier", string="Tier", readonly=True)
    cap = fields.Float(string="Tier Cap (%)", digits="Discount", readonly=True)
    discount = fields.Float(string="Requested Discount (%)", digits="Discount", required=True, tracking=True)
    reason = fields.Text(required=True)
    state = fields.Selection(KAM_APPROVAL_STATE, default="draft", required=True, tracking=True, copy=False)

    # one pending request per order: the order form shows it and never stacks a second one
    _one_pending_per_order = models.UniqueIndex(
        "(sale_order_id) WHERE state = 'draft'",
        "This sale order already has a pending discount approval.",
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # the tier and its cap are the order's, whatever the client sends (not forgeable)
        orders = self.env["sale.order"].browse([vals.get("sale_order_id") for vals in vals_list]).sudo()
        pending = self.sudo().search([("sale_order_id", "in", orders.ids), ("state", "=", "draft")], limit=1)
        if pending or len(set(orders.ids)) < len(vals_list):
            raise ValidationError(
                self.env._(
                    "%(order)s already has a pending discount approval: open it from the order.",
                    order=(pending.sale_order_id or orders[:1]).name,
                )
            )
        for vals in vals_list:
            vals.pop("tier_id", None)
            vals.pop("cap", None)
        approvals = super().create(vals_list)
        for approval, order in zip(approvals, orders, strict=True):
            tier = order.partner_id.commercial_partner_id.kam_tier_id
            approval._kam_action_write({"tier_id": tier.id, "cap": tier.max_discount})
        return approvals

    def write(self, vals):
        # tier and cap are action fields (refused by the lifecycle); the order is fixed too
        if not self.env.su and "sale_order_id" in vals:
            raise UserError(self.env._("The order of a discount approval cannot be changed."))
        return super().write(vals)

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
    def _approved_discount(self, order):
        """The highest discount approved for ``order`` (0 when none)."""
        approvals = self.sudo().search([("sale_order_id", "=", order.id), ("state", "=", "approved")])
        return max(approvals.mapped("discount"), default=0.0)
