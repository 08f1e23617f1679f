from odoo import fields, models


class ResourceCalendarLeaves(models.Model):
    """A calendar's global leave made from China's public-holiday list (``kam.public.holiday``)."""

    _inherit = "resource.calendar.leaves"

    kam_public_holiday_id = fields.Many2one(
        "kam.public.holiday", string="Public Holiday", ondelete="cascade", index="btree_not_null", readonly=True
    )
