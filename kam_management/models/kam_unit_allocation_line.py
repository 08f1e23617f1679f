from odoo import api, fields, models

from .kam_display_name import join_name


class KamUnitAllocationLine(models.Model):
    """A unit offered by an allocation, at the price the approvers saw; locked with its allocation."""

    _name = "kam.unit.allocation.line"
    _description = "Unit Allocation Line"
    _inherit = ["kam.lifecycle.line.mixin"]
    _kam_document_field = "allocation_id"
    _kam_action_fields = ("price_per_m2", "amount")
    _order = "allocation_id, unit_id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    allocation_id = fields.Many2one("kam.unit.allocation", required=True, ondelete="cascade", index=True)
    contract_id = fields.Many2one(related="allocation_id.contract_id", store=True, index=True)
    allocation_date = fields.Date(related="allocation_id.date", store=True)
    company_id = fields.Many2one(related="allocation_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="allocation_id.currency_id")
    unit_id = fields.Many2one("kam.housing.unit", required=True, ondelete="restrict", check_company=True, index=True)
    floor = fields.Integer(related="unit_id.floor")
    layout = fields.Char(related="unit_id.layout")
    area = fields.Float(related="unit_id.area", store=True, string="Area (m²)")
    # stored values, not a live compute: written when the line is made or re-priced while draft, and kept
    # as approved (a later change of the contract's price never re-prices an approved allocation)
    price_per_m2 = fields.Monetary(
        string="Price (per m²)", readonly=True,
        help="Approved average price with the floor and layout differentials.",
    )
    amount = fields.Monetary(string="Unit Price", readonly=True)

    _unit_allocation_uniq = models.Constraint(
        "unique(allocation_id, unit_id)", "A unit appears once in an allocation."
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._kam_price()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if "unit_id" in vals:
            self._kam_price()
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _kam_price(self):
        """Price the lines of draft allocations from the contract's approved average price."""
        for line in self.sudo():
            if line.allocation_id.state != "draft":
                continue
            pricing = line.allocation_id.contract_id.approved_pricing_id
            if not pricing or not line.unit_id:
                values = {"price_per_m2": 0.0, "amount": 0.0}
            else:
                price = pricing._unit_price_per_m2(line.unit_id)
                values = {"price_per_m2": price, "amount": line.currency_id.round(price * line.unit_id.area)}
            line.write(values)

    @api.depends("allocation_id.name", "unit_id.name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = join_name(record.allocation_id.name, record.unit_id.name)
