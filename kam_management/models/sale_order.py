from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# SEC1: the tier's discount cap is a key-account term, not for every salesperson
KAM_CAP_GROUPS = (
    "kam_management.group_kam_user,kam_management.group_kam_audit,"
    "kam_management.group_kam_executive,kam_management.group_kam_finance"
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    kam_discount_approval_ids = fields.One2many("kam.discount.approval", "sale_order_id", string="Discount Approvals")
    # compute_sudo: the cap is read from the customer's tier, which the order's user may not read
    kam_max_line_discount = fields.Float(
        compute="_compute_kam_price_cap", digits="Discount", string="Highest Discount", compute_sudo=True
    )
    kam_discount_cap = fields.Float(
        compute="_compute_kam_price_cap", digits="Discount", string="Tier Discount Cap", groups=KAM_CAP_GROUPS,
        compute_sudo=True,
    )
    kam_needs_discount_approval = fields.Boolean(
        compute="_compute_kam_price_cap", string="Needs Discount Approval", compute_sudo=True
    )
    kam_pending_discount_approval_id = fields.Many2one(
        "kam.discount.approval", compute="_compute_kam_pending_discount_approval", string="Pending Discount Approval",
        help="The discount approval of this order that is requested and not decided yet.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("order_line.discount", "order_line.price_unit", "partner_id", "kam_discount_approval_ids.state")
    def _compute_kam_price_cap(self):
        for order in self:
            tier = order.partner_id.commercial_partner_id.sudo().kam_tier_id
            order.kam_max_line_discount = order._kam_max_line_discount()
            order.kam_discount_cap = tier.max_discount
            order.kam_needs_discount_approval = bool(tier) and not order._kam_discount_allowed()

    @api.depends("kam_discount_approval_ids.state")
    def _compute_kam_pending_discount_approval(self):
        for order in self:
            pending = order.sudo().kam_discount_approval_ids.filtered(lambda a: a.state == "draft")
            order.kam_pending_discount_approval_id = pending[:1].id

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
        approval = self.kam_pending_discount_approval_id
        if not approval and (not tier or self._kam_discount_allowed()):
            raise UserError(self.env._("The discounts of %(order)s are within the customer's tier cap.", order=self.name))
        highest = self._kam_max_line_discount()
        if approval:
            # one pending request per order (also a unique index): open it, bring it up to date if still possible
            if float_compare(approval.discount, highest, precision_digits=2) < 0:
                if approval.sudo().review_ids:
                    raise UserError(
                        self.env._(
                            "A discount of %(approved)s %% is already under review for %(order)s; the order now "
                            "gives %(discount)s %%. Wait for the decision or withdraw the request first.",
                            approved=approval.discount,
                            order=self.name,
                            discount=highest,
                        )
                    )
                approval.write({"discount": highest})
        else:
            approval = self.env["kam.discount.approval"].create(
                {
                    "sale_order_id": self.id,
                    "discount": highest,
                    "reason": self.env._(
                        "Discount above the %(tier)s cap on %(order)s.", tier=tier.display_name, order=self.name
                    ),
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
        """The highest line discount, in %, measured on the NET price (KA11).

        A line's discount is the larger of its discount field and how far its
        net price (``price_unit`` after the discount) is below the tier's
        reference price: the product's list price, plus the tier markup where
        there is one (the seeds' D customers pay the internal price + 5 %).
        So cutting ``price_unit`` at 0 % discount needs the same approval as
        a discount.
        """
        lines = self.order_line.filtered(lambda line: not line.display_type)
        tier = self.partner_id.commercial_partner_id.sudo().kam_tier_id
        company = self.company_id or self.env.company
        currency = self.currency_id or company.currency_id
        return max(
            (
                self._kam_effective_discount(
                    line.product_id, line.product_uom_id, line.price_unit, line.discount, currency, company, tier
                )
                for line in lines
            ),
            default=0.0,
        )

    @api.model
    def _kam_effective_discount(self, product, uom, price_unit, discount, currency, company, tier):
        """``discount`` or the net price's distance below the tier's reference price, whichever is larger."""
        if not product:
            return discount
        list_price = product.uom_id._compute_price(product.lst_price, uom or product.uom_id)
        list_price = company.currency_id._convert(list_price, currency, company, fields.Date.context_today(self))
        reference = list_price * (1 + (tier.markup_percent or 0.0) / 100.0)
        if currency.compare_amounts(reference, 0) <= 0:
            return discount
        net = price_unit * (1 - discount / 100.0)
        return max(discount, round(100.0 * (1 - net / reference), 2))

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
            if tier.markup_percent > 0:
                raise UserError(
                    self.env._(
                        "%(tier)s customers pay the list price plus %(markup)s %%: %(order)s is %(discount)s %% "
                        "below that. Request a discount approval first.",
                        tier=tier.display_name,
                        markup=tier.markup_percent,
                        order=order.name,
                        discount=order._kam_max_line_discount(),
                    )
                )
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

