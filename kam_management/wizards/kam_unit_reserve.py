from odoo import fields, models
from odoo.exceptions import UserError


class KamUnitReserve(models.TransientModel):
    """The retail reserve action (HS2): hold units of the sales control table for a retail customer.

    Opened from the unit form and from the grid. The holding is created by
    :meth:`kam.unit.holding._reserve_retail`, which checks that the user is
    retail sales (or a director) and that the units are free.
    """

    _name = "kam.unit.reserve"
    _description = "Reserve Units for a Retail Customer"
    _rec_name = "holder_name"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    unit_ids = fields.Many2many("kam.housing.unit", string="Units", required=True)
    holder_name = fields.Char(string="Retail Customer", required=True)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_confirm(self):
        self.ensure_one()
        taken = self.unit_ids.filtered(lambda unit: unit.state != "available")
        if taken:
            raise UserError(
                self.env._("Unit %(unit)s is not available any more.", unit=taken[0].display_name)
            )
        self.env["kam.unit.holding"]._reserve_retail(self.unit_ids, self.holder_name.strip())
        return {"type": "ir.actions.act_window_close"}
