from odoo import api, fields, models
from odoo.exceptions import UserError


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

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        if "project_id" in vals:
            self._kam_check_stays_in_project(vals["project_id"])
        return super().write(vals)

    def _kam_check_stays_in_project(self, project_id):
        """A building whose units were ever held (by a contract, relationship housing or retail) stays in its
        project: its units' project follows the building, and their contracts, tickets and prices are that
        project's. Whoever asks (issue 18, found by the access matrix)."""
        moved = self.filtered(lambda building: building.project_id.id != project_id)
        held = moved and self.env["kam.unit.holding"].sudo().search(
            [("unit_id.building_id", "in", moved.ids)], limit=1
        )
        if held:
            building = held.unit_id.building_id
            raise UserError(
                self.env._(
                    "%(building)s has units that were held or sold in %(project)s: it stays in its project.",
                    building=building.display_name,
                    project=building.project_id.display_name,
                )
            )
