from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

# What a held unit was priced and sold on; it cannot change under its holder.
PRICED_UNIT_FIELDS = {"building_id", "floor", "number", "layout", "area"}
# Who holds a unit is its holdings' business (HS2): nobody types the state or the holder.
HOLDER_FIELDS = {"state", "current_holding_id", "contract_id", "holding_ids"}
# what the cost department writes on a unit (SPEC: group_kam_cost, "unit cost data"): nothing else
COST_FIELDS = {"cost_price"}
UNIT_STATE = [
    ("available", "Available"),
    ("ka", "Key-Account Contract"),
    ("relation", "Relationship Housing"),
    ("retail", "Retail"),
]
# the unit at the selection desk (HS11, HS12): picked on a ticket being written, ticket issued, voucher issued
DESK_STATE = [
    ("chosen", "Chosen at the Desk"),
    ("ticketed", "Ticket Issued"),
    ("vouchered", "Vouchered"),
]
DESK_STATE_OF_TICKET = {"draft": "chosen", "issued": "ticketed", "reviewed": "ticketed", "vouchered": "vouchered"}
# the bus notification of a changed unit, sent on the channel of its project (ir.websocket)
SALES_CONTROL_CHANNEL = "kam_sales_control"
SALES_CONTROL_NOTIFICATION = "kam_management/sales_control"
COST_GROUPS = "kam_management.group_kam_cost,kam_management.group_kam_finance,kam_management.group_kam_executive"
# SPEC SEC1: retail sales never read key-account prices.
KA_PRICE_GROUPS = (
    "kam_management.group_kam_user,kam_management.group_kam_finance,kam_management.group_kam_audit,"
    "kam_management.group_kam_cost,kam_management.group_kam_executive"
)


class KamHousingUnit(models.Model):
    """A unit of the sales control table (销控表).

    Key-account, relationship and retail sales share this one table; who holds
    a unit is a :class:`kam.unit.holding`, of which the database allows one
    active per unit. ``state`` and the holder fields are stored so that the
    grid of a project reads in one query.
    """

    _name = "kam.housing.unit"
    _description = "Housing Unit"
    _inherit = ["mail.thread"]
    _order = "project_id, building_id, floor, number, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True, index="trigram")
    building_id = fields.Many2one(
        "kam.housing.building", required=True, ondelete="restrict", index=True, check_company=True
    )
    project_id = fields.Many2one(related="building_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="building_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    floor = fields.Integer(required=True)
    number = fields.Char(required=True, help="Unit number on its floor, e.g. 1203.")
    layout = fields.Char(help="Layout code, e.g. A (3 rooms 2 halls); pricing differentials refer to it.")
    area = fields.Float(string="Area (m²)", digits=(12, 2), required=True, tracking=True)
    list_price = fields.Monetary(
        string="Retail List Price", currency_field="currency_id", tracking=True,
        help="Public retail price of the whole unit.",
    )
    cost_price = fields.Monetary(
        string="Unit Cost", currency_field="currency_id", groups=COST_GROUPS, tracking=True,
        help="Total cost of the unit; visible to cost, finance and executives only.",
    )
    holding_ids = fields.One2many("kam.unit.holding", "unit_id", string="Holdings")
    current_holding_id = fields.Many2one(
        "kam.unit.holding", compute="_compute_holder", store=True, string="Current Holding"
    )
    state = fields.Selection(
        UNIT_STATE, compute="_compute_holder", store=True, default="available", required=True,
        string="Status", tracking=True,
    )
    contract_id = fields.Many2one(
        "kam.housing.contract", compute="_compute_holder", store=True, index="btree_not_null",
        string="Holding Contract",
    )

    desk_state = fields.Selection(
        DESK_STATE, compute="_compute_desk_state", string="At the Selection Desk",
        help="The unit's room-selection ticket: being written, issued, or with its voucher issued.",
    )

    # the unit price table of a pricing proposal (context kam_pricing_id), for its approvers
    proposed_price_per_m2 = fields.Monetary(
        compute="_compute_proposed_price", groups=KA_PRICE_GROUPS, string="Proposed Price (per m²)"
    )
    proposed_price = fields.Monetary(
        compute="_compute_proposed_price", groups=KA_PRICE_GROUPS, string="Proposed Unit Price"
    )

    # The grid and the benchmark read a whole project by state.
    _project_state_idx = models.Index("(project_id, state)")
    _number_building_uniq = models.Constraint(
        "unique(building_id, number)", "A unit number must be unique in its building."
    )
    _area_positive = models.Constraint("CHECK(area > 0)", "The area of a unit must be positive.")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("building_id.name", "number")
    def _compute_name(self):
        for unit in self:
            unit.name = f"{unit.building_id.name or ''}-{unit.number or ''}"

    @api.depends_context("uid", "formatted_display_name", "kam_desk_contract_id")
    @api.depends("name", "area", "layout")
    def _compute_display_name(self):
        """The desk's unit picker (context ``kam_desk_contract_id``) shows area, layout and the contract's approved
        price per m² and total in its drop-down; the price only to who may read the contract and key-account
        prices (SEC1: not retail sales, whatever the context says)."""
        contract = self.env["kam.housing.contract"].browse(self.env.context.get("kam_desk_contract_id")).exists()
        if not (
            contract and self.env.context.get("formatted_display_name")
            and self.env.user.has_groups(KA_PRICE_GROUPS) and contract.has_access("read")
        ):
            return super()._compute_display_name()
        pricing = contract.sudo().approved_pricing_id
        for unit in self:
            details = [f"{unit.area:.2f} m²", unit.layout or ""]
            if pricing and unit.project_id == pricing.project_id:
                price = pricing._unit_price_per_m2(unit)
                details += [
                    self.env._("%(price)s/m²", price=format_amount(self.env, price, unit.currency_id)),
                    format_amount(self.env, unit.currency_id.round(price * unit.area), unit.currency_id),
                ]
            unit.display_name = f"{unit.name}\t--{' · '.join(d for d in details if d)}--"

    def _compute_desk_state(self):
        tickets = self.env["kam.room.ticket"].sudo().search(
            [("unit_id", "in", self._origin.ids), ("state", "in", tuple(DESK_STATE_OF_TICKET))], order="id"
        )
        states = {}
        for ticket in tickets:  # a live ticket wins over a draft
            if ticket.state != "draft" or ticket.unit_id.id not in states:
                states[ticket.unit_id.id] = DESK_STATE_OF_TICKET[ticket.state]
        for unit in self:
            held = unit.state in ("ka", "relation")
            unit.desk_state = states.get(unit._origin.id) if held else False

    @api.depends_context("kam_pricing_id")
    @api.depends("floor", "layout", "area")
    def _compute_proposed_price(self):
        pricing = self.env["kam.housing.pricing"].browse(self.env.context.get("kam_pricing_id")).exists()
        for unit in self:
            if pricing and unit.project_id == pricing.project_id:
                unit.proposed_price_per_m2 = pricing._unit_price_per_m2(unit)
                unit.proposed_price = unit.currency_id.round(unit.proposed_price_per_m2 * unit.area)
            else:
                unit.proposed_price_per_m2 = unit.proposed_price = 0.0

    @api.depends("holding_ids.state", "holding_ids.channel", "holding_ids.contract_id")
    def _compute_holder(self):
        for unit in self:
            holding = unit.holding_ids.filtered(lambda h: h.state == "active")[:1]
            unit.current_holding_id = holding
            unit.state = holding.channel or "available"
            unit.contract_id = holding.contract_id

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su and HOLDER_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "The status and holder of a unit follow its holdings: reserve or release it, or go through "
                    "an allocation or a relationship request."
                )
            )
        if PRICED_UNIT_FIELDS & set(vals) and any(unit.state != "available" for unit in self):
            raise UserError(
                self.env._("A held unit keeps the building, floor, number, layout and area it was priced on.")
            )
        if (
            not self.env.su
            and set(vals) - COST_FIELDS
            and self.env.user.has_group("kam_management.group_kam_cost")
            and not self.env.user.has_group("kam_management.group_kam_manager")
        ):
            raise AccessError(self.env._("The cost department changes only the cost of a unit."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_held(self):
        if any(unit.holding_ids for unit in self):
            raise UserError(self.env._("A unit with holdings in the sales control table cannot be deleted."))

    def _kam_notify_sales_control(self):
        """Tell the sales control grids open on these units' projects that their units changed (Odoo's bus):
        the grid reads itself again, with its own access checks; the message carries no price."""
        for project in self.sudo().project_id:
            units = self.filtered(lambda unit, project=project: unit.sudo().project_id == project)
            self.env["bus.bus"]._sendone(
                (project, SALES_CONTROL_CHANNEL), SALES_CONTROL_NOTIFICATION,
                {"project_id": project.id, "unit_ids": units.ids},
            )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_kam_reserve_retail(self):
        """Retail sales reserve units for a customer: asks the customer's name first."""
        self.env["kam.unit.holding"]._check_channel_rights({"retail"})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reserve for a Retail Customer"),
            "res_model": "kam.unit.reserve",
            "view_mode": "form",
            "views": [[False, "form"]],
            "target": "new",
            "context": {"default_unit_ids": self.ids},
        }

    def action_kam_release_retail(self):
        """Release the retail reservations of these units (retail sales, directors)."""
        holdings = self.env["kam.unit.holding"].browse(self.sudo().current_holding_id.ids)
        if not holdings:
            raise UserError(self.env._("These units are not held."))
        holdings.action_release()
        return True

