from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kam_discount_approval_ids = fields.One2many("kam.discount.approval", "sale_order_id", string="Discount Approvals")
    kam_max_line_discount = fields.Float(compute="_compute_kam_price_cap", digits="Discount", string="Highest Discount")
    kam_discount_cap = fields.Float(compute="_compute_kam_price_cap", digits="Discount", string="Tier Discount Cap")
    kam_needs_discount_approval = fields.Boolean(compute="_compute_kam_price_cap", string="Needs Discount Approval")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("order_line.discount", "partner_id", "kam_discount_approval_ids.state")
    def _compute_kam_price_cap(self):
        for order in self:
            tier = order.partner_id.commercial_partner_id.sudo().kam_tier_id
            order.kam_max_line_discount = order._kam_max_line_discount()
            order.kam_discount_cap = tier.max_discount
            order.kam_needs_discount_approval = bool(tier) and not order._kam_discount_allowed()

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_confirm(self):
        # KA1, KA11 and KA5 apply to key accounts only; other customers confirm as in Odoo
        self._kam_check_registration()
        self._kam_check_price_caps()
        self._kam_check_credit()
        return super().action_confirm()

    def action_kam_request_discount_approval(self):
        self.ensure_one()
        tier = self.partner_id.commercial_partner_id.sudo().kam_tier_id
        if not tier or self._kam_discount_allowed():
            raise UserError(self.env._("The discounts of %(order)s are within the customer's tier cap.", order=self.name))
        approval = self.env["kam.discount.approval"].create(
            {
                "sale_order_id": self.id,
                "tier_id": tier.id,
                "cap": tier.max_discount,
                "discount": self._kam_max_line_discount(),
                "reason": self.env._("Discount above the %(tier)s cap on %(order)s.", tier=tier.display_name, order=self.name),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.discount.approval",
            "res_id": approval.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_max_line_discount(self):
        return max(self.order_line.filtered(lambda line: not line.display_type).mapped("discount"), default=0.0)

    def _kam_discount_allowed(self):
        """Within the tier cap, or within a discount approved for this order."""
        self.ensure_one()
        tier = self.partner_id.commercial_partner_id.sudo().kam_tier_id
        highest = self._kam_max_line_discount()
        if not tier or float_compare(highest, tier.max_discount, precision_digits=2) <= 0:
            return True
        approved = self.env["kam.discount.approval"]._approved_discount(self) if self.id else 0.0
        return float_compare(highest, approved, precision_digits=2) <= 0

    def _kam_check_registration(self):
        """KA1: a prospect whose registration awaits approval is not developed yet."""
        for order in self:
            partner = order.partner_id.commercial_partner_id.sudo()
            if partner.kam_registration_state == "pending":
                raise UserError(
                    self.env._(
                        "%(partner)s is registered as a key-account prospect and awaits approval: "
                        "no order can be confirmed for it before the registration is approved.",
                        partner=partner.name,
                    )
                )

    def _kam_check_price_caps(self):
        for order in self:
            if order._kam_discount_allowed():
                continue
            tier = order.partner_id.commercial_partner_id.sudo().kam_tier_id
            raise UserError(
                self.env._(
                    "%(order)s gives a discount of %(discount)s %% but %(tier)s customers may get at most "
                    "%(cap)s %% without approval. Request a discount approval first.",
                    order=order.name,
                    discount=order._kam_max_line_discount(),
                    tier=tier.display_name,
                    cap=tier.max_discount,
                )
            )

    def _kam_check_credit(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id
            if not partner._kam_is_key_account():
                continue
            company = order.company_id
            amount = order.currency_id._convert(
                order.amount_total, company.currency_id, company, fields.Date.context_today(self)
            )
            date = fields.Date.context_today(self)
            partner._kam_check_no_deferral(order.payment_term_id, order.name)
            partner._kam_check_credit_limit(company, amount, date, order.name)

