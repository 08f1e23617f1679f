from odoo import api, fields, models
from odoo.exceptions import UserError

ALLOCATION_STATE = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("cancel", "Cancelled"),
]


class KamUnitAllocation(models.Model):
    """Units offered to a commissioned-housing contract (房源审批, HS8).

    Each allocation — the first and every later addition — is approved on
    its own through ``kam.approval.mixin`` (presets: marketing director →
    finance director → project GM → GM) and only under a financing target
    of the project covering its date (HS3). The last reviewer's validation
    approves it: the units are then held by the contract in the sales
    control table at the prices derived from the contract's approved
    average price, and the allocation is locked.
    """

    _name = "kam.unit.allocation"
    _description = "Unit Allocation"
    _inherit = ["kam.approval.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    _state_from = ["draft"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _kam_transitions = {
        "action_approve": (("draft",), "approved", ()),
        "action_cancel": (("draft",), "cancel", ("kam_management.group_kam_user",)),
        "action_draft": (("cancel",), "draft", ("kam_management.group_kam_user",)),
    }
    _kam_action_fields = ("financing_target_id",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    contract_id = fields.Many2one(
        "kam.housing.contract", required=True, ondelete="restrict", index=True, check_company=True, tracking=True
    )
    project_id = fields.Many2one(related="contract_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(ALLOCATION_STATE, required=True, default="draft", tracking=True, copy=False)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    is_addition = fields.Boolean(
        compute="_compute_is_addition", store=True, string="Later Addition",
        help="The contract already had approved units when this allocation was made.",
    )
    line_ids = fields.One2many("kam.unit.allocation.line", "allocation_id", string="Units", copy=True)
    unit_count = fields.Integer(compute="_compute_totals", store=True)
    area_total = fields.Float(compute="_compute_totals", store=True, string="Total Area (m²)", digits=(12, 2))
    amount_total = fields.Monetary(compute="_compute_totals", store=True, string="Total Value", tracking=True)
    financing_target_id = fields.Many2one(
        "kam.financing.target", readonly=True, copy=False, string="Financing Target",
        help="The target under which the allocation was approved.",
    )
    note = fields.Text()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("contract_id", "state")
    def _compute_is_addition(self):
        for allocation in self:
            earlier = allocation.contract_id.allocation_ids.filtered(
                lambda a, this=allocation: a.state == "approved" and a != this and (not this.id or a.id < this.id)
            )
            allocation.is_addition = bool(earlier)

    @api.depends("line_ids.amount", "line_ids.area")
    def _compute_totals(self):
        for allocation in self:
            allocation.unit_count = len(allocation.line_ids)
            allocation.area_total = sum(allocation.line_ids.mapped("area"))
            allocation.amount_total = sum(allocation.line_ids.mapped("amount"))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._kam_take_references(vals_list, "kam.unit.allocation")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(a.state == "approved" for a in self):
            raise UserError(self.env._("An approved allocation cannot be deleted."))

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def request_validation(self):
        for allocation in self:
            allocation._check_allocatable()
        return super().request_validation()

    def action_approve(self):
        for allocation in self:
            target = allocation._check_allocatable()
            if not allocation.review_ids and not allocation.need_validation:
                raise UserError(
                    self.env._("No approval chain applies to this allocation: configure the tier definitions.")
                )
            # the prices the approvers saw are the prices kept: frozen on the lines with the approval
            allocation.line_ids._kam_price()
            allocation._kam_move("action_approve", {"financing_target_id": target.id})
            allocation._hold_units()
        self.contract_id._on_allocation_approved()
        return True

    def action_cancel(self):
        if any(a.state == "approved" for a in self):
            raise UserError(self.env._("An approved allocation cannot be cancelled; release units on the contract."))
        self._kam_move("action_cancel")
        return True

    def action_draft(self):
        self._kam_move("action_draft")
        return True

    def action_price_lines(self):
        """(Re)price the lines from the contract's approved average price."""
        for allocation in self:
            if allocation.state != "draft":
                raise UserError(self.env._("Only draft allocations are priced."))
            allocation._kam_check_unlocked()
            allocation.check_access("write")
            allocation.line_ids._kam_price()
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_allocatable(self):
        """Refuse an allocation that may not be offered; return the covering financing target."""
        self.ensure_one()
        contract = self.contract_id
        if contract.state not in ("priced", "allocated", "selection"):
            raise UserError(
                self.env._("Units are allocated only after the contract's average price is approved.")
            )
        if not self.line_ids:
            raise UserError(self.env._("Add the units to allocate."))
        target = self.env["kam.financing.target"]._find_covering(contract.project_id, self.date)
        if not target:
            raise UserError(
                self.env._(
                    "No financing target of project %(project)s covers %(date)s: finance must set one "
                    "before units are allocated.",
                    project=contract.project_id.display_name,
                    date=self.date,
                )
            )
        foreign = self.line_ids.unit_id.filtered(lambda u: u.project_id != contract.project_id)
        if foreign:
            raise UserError(
                self.env._("Units %(units)s are not in the contract's project.", units=", ".join(foreign.mapped("name")))
            )
        return target.sorted(lambda t: t.period_type != "quarter")[:1]

    def _hold_units(self):
        self.ensure_one()
        # holdings are history written by the approval itself, whoever the last reviewer is
        self.env["kam.unit.holding"].sudo().create(
            [
                {
                    "unit_id": line.unit_id.id,
                    "channel": "ka",
                    "contract_id": self.contract_id.id,
                    "allocation_id": self.id,
                    "holder_name": self.contract_id.partner_id.name,
                }
                for line in self.line_ids
            ]
        )

    @api.model
    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + ["financing_target_id"]
