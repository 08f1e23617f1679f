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

    @api.depends("order_line.discount", "order_line.price_unit", "partner_id", "kam_discount_approval_ids.state")
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
        """The highest line discount, in %.

        For tiers with a price markup (the seeds' D customers pay the internal
        price + 5 %), a net price below list price × (1 + markup) counts as a
        discount from that marked-up price, so it needs the same approval.
        """
        lines = self.order_line.filtered(lambda line: not line.display_type)
        highest = max(lines.mapped("discount"), default=0.0)
        tier = self.partner_id.commercial_partner_id.sudo().kam_tier_id
        if tier.markup_percent > 0:
            for line in lines.filtered("product_id"):
                reference = self._kam_marked_up_price(line, tier)
                if reference > 0:
                    net = line.price_unit * (1 - line.discount / 100.0)
                    highest = max(highest, round(100.0 * (1 - net / reference), 2))
        return highest

    def _kam_marked_up_price(self, line, tier):
        """List price of ``line``'s product in the order's currency and unit, plus the tier markup."""
        company = self.company_id or self.env.company
        list_price = line.product_id.uom_id._compute_price(line.product_id.lst_price, line.product_uom_id)
        list_price = company.currency_id._convert(
            list_price, self.currency_id or company.currency_id, company, fields.Date.context_today(self)
        )
        return list_price * (1 + tier.markup_percent / 100.0)

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

