from odoo import api, fields, models
from odoo.exceptions import ValidationError

PUBLIC_HOLIDAY_KIND = [
    ("holiday", "Public Holiday"),
    ("workday", "Make-Up Working Day"),
]


class KamPublicHoliday(models.Model):
    """China's public holidays and make-up working days (调休), as the State Council announces them each year.

    The national list is data (``data/kam_public_holidays_<year>.xml``, one file per year). A working calendar
    that follows it (``resource.calendar.kam_cn_public_holidays``) gets each holiday as one of its global leaves
    (``resource.calendar.leaves``, kept in step when the list changes) and works each make-up day as a Monday,
    even on a weekend. Every count of working time in the module (complaint deadlines in working time, the five
    working days of a phone approval) plans on that calendar, so it counts both.
    """

    _name = "kam.public.holiday"
    _description = "Public Holiday or Make-Up Working Day"
    _order = "date_from, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(PUBLIC_HOLIDAY_KIND, required=True, default="holiday")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    leave_ids = fields.One2many("resource.calendar.leaves", "kam_public_holiday_id", string="Calendar Leaves")

    _dates_check = models.Constraint("CHECK(date_from <= date_to)", "A holiday ends on or after its first day.")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("date_from")
    def _compute_year(self):
        for holiday in self:
            holiday.year = holiday.date_from.year if holiday.date_from else 0

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("kind", "date_from", "date_to")
    def _check_no_overlap(self):
        for holiday in self:
            if self.search_count(
                [("id", "!=", holiday.id), ("date_from", "<=", holiday.date_to), ("date_to", ">=", holiday.date_from)],
                limit=1,
            ):
                raise ValidationError(
                    self.env._("%(holiday)s overlaps another public holiday or make-up working day.",
                               holiday=holiday.name)
                )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        holidays = super().create(vals_list)
        self._kam_calendars()._kam_sync_public_holidays()
        return holidays

    def write(self, vals):
        result = super().write(vals)
        if {"kind", "date_from", "date_to", "name"} & set(vals):
            self._kam_calendars()._kam_sync_public_holidays()
        return result

    # the calendar leaves go with their holiday (ondelete="cascade")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _kam_calendars(self):
        return self.env["resource.calendar"].sudo().with_context(active_test=False).search(
            [("kam_cn_public_holidays", "=", True)]
        )
