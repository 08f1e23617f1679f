from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import pricing as pricing_rules
from ..rules.errors import RuleError
from .kam_housing_unit import COST_GROUPS
from .kam_lifecycle_mixin import ALWAYS_EDITABLE_PREFIXES

PRICING_STATE = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("cancel", "Cancelled"),
]
PRICING_BASIS = [
    (pricing_rules.PRICING_BASIS_BLIND, "Blind (Market Reference)"),
    (pricing_rules.PRICING_BASIS_COST_PLUS, "Cost-Plus"),
]
# what the cost department enters on a proposal: the cost, nothing else (the price is key-account's)
COST_FIELDS = ("unit_cost", "cost_uncertainty")
CUSTOMER_RISK = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]


class KamHousingPricing(models.Model):
    """Average-price proposal of a commissioned-housing contract (HS7).

    The key-account department proposes an average price per m² from its
    inputs (unit cost from the cost department, retail reference from
    sales, nearby market and peer group-purchase prices, loan rate, customer
    risk); the guards of section 七 refuse a proposal outside the company's
    limits; the approval runs through ``kam.approval.mixin`` (presets:
    marketing director → finance director → project GM → GM → chairman):
    the last reviewer's validation approves it. Once approved the proposal —
    and so every unit price derived from it — is locked, and a contract has
    at most one approved proposal.
    """

    _name = "kam.housing.pricing"
    _description = "Housing Pricing Proposal"
    _inherit = ["kam.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _kam_transitions = {
        "action_approve": (("draft",), "approved", ()),
        "action_cancel": (("draft",), "cancel", ("kam_management.group_kam_user",)),
        # withdrawing an approved price: the director's action, refused once units are allocated at it
        "cancel_approved": (("approved",), "cancel", ("kam_management.group_kam_manager",)),
        "action_draft": (("cancel",), "draft", ("kam_management.group_kam_user",)),
    }
    _kam_action_fields = ("approved_date",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    contract_id = fields.Many2one(
        "kam.housing.contract", required=True, ondelete="restrict", index=True, check_company=True, tracking=True
    )
    project_id = fields.Many2one(related="contract_id.project_id", store=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(PRICING_STATE, required=True, default="draft", tracking=True, copy=False)
    basis = fields.Selection(PRICING_BASIS, required=True, default=pricing_rules.PRICING_BASIS_BLIND, tracking=True)
    average_price = fields.Monetary(string="Average Price (per m²)", required=True, tracking=True)
    payment_ratio = fields.Float(string="Payment Ratio (%)", digits=(5, 2), required=True, default=50.0, tracking=True)
    # inputs of the price analysis report
    unit_cost = fields.Monetary(
        string="Unit Cost (per m²)", groups=COST_GROUPS, tracking=True,
        help="Total cost per m² from the cost department; hidden from everyone but cost, finance and executives.",
    )
    cost_uncertainty = fields.Text(string="Cost Uncertainties", groups=COST_GROUPS)
    market_reference_price = fields.Monetary(string="Nearby Market Price (per m²)", tracking=True)
    retail_reference_price = fields.Monetary(string="Retail Reference Price (per m²)", tracking=True)
    peer_group_price = fields.Monetary(string="Peer Group-Purchase Price (per m²)")
    loan_rate = fields.Float(string="Current Loan Rate (%)", digits=(5, 2))
    customer_risk = fields.Selection(CUSTOMER_RISK, default="medium")
    swap_assessed_value = fields.Monetary(string="Swapped Resource Assessed Value", tracking=True)
    swap_concession = fields.Monetary(string="Resource-Swap Concession", tracking=True)
    analysis = fields.Html(string="Price Analysis")
    # unit price differentials
    reference_floor = fields.Integer(default=1, help="Floor whose standard layout sells at the average price.")
    floor_step = fields.Monetary(string="Floor Differential (per m² per floor)", tracking=True)
    layout_line_ids = fields.One2many("kam.housing.pricing.layout", "pricing_id", string="Layout Differentials")
    approved_date = fields.Datetime(readonly=True, copy=False)

    # 一个委建房单位需要审批一次价格: one approved proposal per contract
    _one_approved_per_contract = models.UniqueIndex(
        "(contract_id) WHERE state = 'approved'", "This contract already has an approved price."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("contract_id.name")
    def _compute_name(self):
        for proposal in self:
            proposal.name = self.env._("Pricing %(contract)s", contract=proposal.contract_id.name or "")

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains(
        "average_price", "payment_ratio", "basis", "market_reference_price", "unit_cost",
        "swap_assessed_value", "swap_concession",
    )
    def _check_pricing_guards(self):
        self._check_guards(strict=False)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        user = self.env.user
        if (
            not self.env.su
            and user.has_group("kam_management.group_kam_cost")
            and not user.has_group("kam_management.group_kam_user")
        ):
            other = [name for name in vals if name not in COST_FIELDS and not name.startswith(ALWAYS_EDITABLE_PREFIXES)]
            if other:
                raise AccessError(
                    self.env._(
                        "The cost department enters only the cost of a pricing proposal; %(fields)s belong to the "
                        "key-account department.",
                        fields=", ".join(self._fields[name].get_description(self.env)["string"] for name in other
                                         if name in self._fields) or ", ".join(other),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(proposal.state == "approved" for proposal in self):
            raise UserError(self.env._("Approved prices are locked; they cannot be deleted."))

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def request_validation(self):
        for proposal in self:
            proposal._check_guards(strict=True)
        return super().request_validation()

    def action_approve(self):
        for proposal in self:
            proposal._check_guards(strict=True)
            if proposal.contract_id.approved_pricing_id:
                raise UserError(self.env._("This contract already has an approved price."))
            if proposal.contract_id.state not in ("contract",):
                raise UserError(self.env._("Prices are approved for a signed contract."))
            if not proposal.review_ids and not proposal.need_validation:
                raise UserError(
                    self.env._("No approval chain applies to this proposal: configure the tier definitions.")
                )
        self._kam_move("action_approve", {"approved_date": fields.Datetime.now()})
        self.contract_id._on_pricing_approved()
        return True

    def action_open_unit_prices(self):
        """The unit price table this proposal gives the project: what the approvers sign."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Unit Prices of %(proposal)s", proposal=self.display_name),
            "res_model": "kam.housing.unit",
            "view_mode": "list",
            "views": [(self.env.ref("kam_management.kam_housing_unit_view_list_prices").id, "list")],
            "domain": [("project_id", "=", self.project_id.id)],
            "context": {"kam_pricing_id": self.id},
        }

    def action_cancel(self):
        approved = self.filtered(lambda p: p.state == "approved")
        if approved:
            approved._kam_check_may("cancel_approved")
            allocated = approved.contract_id.allocation_ids.filtered(lambda a: a.state == "approved")
            if allocated:
                raise UserError(
                    self.env._(
                        "Units of %(contract)s are allocated at this price (%(allocation)s): the approved price "
                        "cannot be withdrawn.",
                        contract=allocated[0].contract_id.display_name,
                        allocation=allocated[0].name,
                    )
                )
        contracts = approved.contract_id
        self._kam_move_any("action_cancel", "cancel_approved")
        contracts._on_pricing_cancelled()
        # draft allocations priced with it wait for the next approved price; approved ones keep theirs
        contracts.allocation_ids.filtered(lambda a: a.state == "draft").line_ids._kam_price()
        return True

    def action_draft(self):
        self._kam_move("action_draft")
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _get_limits(self):
        company = self.company_id or self.env.company
        return pricing_rules.PricingLimits(
            min_payment_ratio=company.kam_min_payment_ratio,
            blind_price_min_ratio=company.kam_blind_price_min_ratio,
            cost_plus_min_factor=company.kam_cost_plus_min_factor,
            swap_concession_max_ratio=company.kam_swap_concession_max_ratio,
        )

    def _check_guards(self, strict):
        """Refuse a proposal outside the guards; ``strict`` also needs every input."""
        for proposal in self.sudo():  # the cost guard reads the cost, which the proposer may not see
            if not strict and proposal.basis == pricing_rules.PRICING_BASIS_COST_PLUS and not proposal.unit_cost:
                # drafting a cost-plus proposal before the cost department has entered the cost
                continue
            if not strict and proposal.basis == pricing_rules.PRICING_BASIS_BLIND and not proposal.market_reference_price:
                continue
            try:
                pricing_rules.check_proposal(
                    pricing_rules.PricingProposal(
                        average_price=proposal.average_price,
                        payment_ratio=proposal.payment_ratio,
                        basis=proposal.basis,
                        market_reference_price=proposal.market_reference_price,
                        unit_cost=proposal.unit_cost,
                        swap_assessed_value=proposal.swap_assessed_value,
                        swap_concession=proposal.swap_concession,
                    ),
                    proposal._get_limits(),
                )
            except RuleError as error:
                raise ValidationError(error.translated(self.env)) from None

    def _unit_price_per_m2(self, unit):
        """Price per m² of ``unit`` under this proposal, rounded with the currency."""
        self.ensure_one()
        delta = sum(self.layout_line_ids.filtered(lambda line: line.layout == unit.layout).mapped("delta"))
        try:
            price = pricing_rules.unit_price_per_m2(
                self.average_price, unit.floor, self.reference_floor, self.floor_step, delta
            )
        except RuleError as error:
            raise ValidationError(error.translated(self.env)) from None
        return self.currency_id.round(float(price))

    @api.model
    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + ["approved_date"]
