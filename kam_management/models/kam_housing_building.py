from odoo import api, fields, models


class KamHousingBuilding(models.Model):
    _name = "kam.housing.building"
    _description = "Housing Building"
    _inherit = ["mail.thread"]
    _order = "project_id, sequence, name, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    project_id = fields.Many2one(
        "kam.housing.project", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True, index=True)
    floor_count = fields.Integer(string="Floors", tracking=True)
    unit_ids = fields.One2many("kam.housing.unit", "building_id", string="Units")
    unit_count = fields.Integer(compute="_compute_unit_count")

    _name_project_uniq = models.Constraint(
        "unique(project_id, name)", "A building name must be unique in its project."
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("unit_ids")
    def _compute_unit_count(self):
        counts = dict(
            self.env["kam.housing.unit"]._read_group(
                [("building_id", "in", self.ids)], ["building_id"], ["__count"]
            )
        )
        for building in self:
            building.unit_count = counts.get(building, 0)

    @api.depends("project_id.name", "name")
    def _compute_display_name(self):
        for building in self:
            building.display_name = f"{building.project_id.name or ''} {building.name or ''}".strip()
