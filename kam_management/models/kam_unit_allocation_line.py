from odoo import api, fields, models


class KamUnitAllocationLine(models.Model):
    _name = "kam.unit.allocation.line"
    _description = "Unit Allocation Line"
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
    price_per_m2 = fields.Monetary(
        string="Price (per m²)", compute="_compute_price", store=True, readonly=True,
        help="Approved average price with the floor and layout differentials.",
    )
    amount = fields.Monetary(string="Unit Price", compute="_compute_price", store=True, readonly=True)

    _unit_allocation_uniq = models.Constraint(
        "unique(allocation_id, unit_id)", "A unit appears once in an allocation."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("unit_id", "allocation_id.contract_id.approved_pricing_id")
    def _compute_price(self):
        for line in self:
            pricing = line.allocation_id.contract_id.approved_pricing_id
            if not pricing or not line.unit_id:
                line.price_per_m2 = line.amount = 0.0
                continue
            line.price_per_m2 = pricing._unit_price_per_m2(line.unit_id)
            line.amount = line.currency_id.round(line.price_per_m2 * line.unit_id.area)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_draft()
        return lines

    def write(self, vals):
        self._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self._check_draft()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_draft(self):
        self.allocation_id._kam_check_not_approved()
