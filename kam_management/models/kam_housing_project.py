from odoo import api, fields, models

PROJECT_STAGE = [
    ("land_talks", "Land Talks"),
    ("demolition", "Demolition"),
    ("listing", "Land Listing"),
    ("land_certificate", "Land Certificate"),
    ("construction", "Construction"),
    ("topping_out", "Topping Out"),
    ("completion", "Completion"),
]


class KamHousingProject(models.Model):
    _name = "kam.housing.project"
    _description = "Housing Project"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    stage = fields.Selection(
        PROJECT_STAGE, required=True, default="land_talks", tracking=True,
        help="Development stage; key-account prices rise stage by stage.",
    )
    address = fields.Char()
    building_ids = fields.One2many("kam.housing.building", "project_id", string="Buildings")
    unit_ids = fields.One2many("kam.housing.unit", "project_id", string="Units")
    building_count = fields.Integer(compute="_compute_counts")
    unit_count = fields.Integer(compute="_compute_counts")
    available_unit_count = fields.Integer(compute="_compute_counts", string="Available Units")
    financing_target_ids = fields.One2many("kam.financing.target", "project_id", string="Financing Targets")
    contract_ids = fields.One2many("kam.housing.contract", "project_id", string="Contracts")

    _code_company_uniq = models.Constraint(
        "unique(company_id, code)", "A project code must be unique in its company."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("building_ids", "unit_ids.state")
    def _compute_counts(self):
        buildings = dict(
            self.env["kam.housing.building"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["__count"]
            )
        )
        units = {}
        available = {}
        for project, state, count in self.env["kam.housing.unit"]._read_group(
            [("project_id", "in", self.ids)], ["project_id", "state"], ["__count"]
        ):
            units[project] = units.get(project, 0) + count
            if state == "available":
                available[project] = count
        for project in self:
            project.building_count = buildings.get(project, 0)
            project.unit_count = units.get(project, 0)
            project.available_unit_count = available.get(project, 0)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_open_sales_control(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kam_management.action_kam_housing_unit_grid")
        action["domain"] = [("project_id", "=", self.id)]
        action["context"] = {"default_project_id": self.id}
        action["display_name"] = self.env._("Sales Control Table: %(project)s", project=self.display_name)
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def get_sales_control_grid(self):
        """The sales control table of one project as plain data for a grid.

        One query over the units (no query per unit), shaped as
        ``{"buildings": [{"id", "name", "floors": {floor: [cells]}}]}`` where a
        cell is ``{"id", "number", "state", "layout", "area"}``. Used by the
        XLSX export and the benchmark; sales see states, never key-account
        prices.
        """
        self.ensure_one()
        self.env["kam.housing.unit"].check_access("read")
        self.env.cr.execute(
            """
            SELECT b.id, b.name, u.id, u.floor, u.number, u.state, u.layout, u.area
              FROM kam_housing_unit u
              JOIN kam_housing_building b ON b.id = u.building_id
             WHERE u.project_id = %s
          ORDER BY b.sequence, b.name, b.id, u.floor DESC, u.number
            """,
            (self.id,),
        )
        buildings = {}
        for building_id, building_name, unit_id, floor, number, state, layout, area in self.env.cr.fetchall():
            building = buildings.setdefault(
                building_id, {"id": building_id, "name": building_name, "floors": {}}
            )
            building["floors"].setdefault(floor, []).append(
                {"id": unit_id, "number": number, "state": state, "layout": layout, "area": area}
            )
        return {"project": self.display_name, "buildings": list(buildings.values())}
