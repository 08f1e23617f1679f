import datetime

from pytz import timezone, utc

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.date_utils import float_to_time
from odoo.tools.intervals import Intervals


class ResourceCalendar(models.Model):
    """Working calendars that follow China's public holidays and make-up working days (调休).

    Odoo's calendar knows weekly attendances and leaves, but no dated working day: a make-up Saturday cannot be
    an attendance. A calendar with ``kam_cn_public_holidays`` therefore

    * holds each public holiday of ``kam.public.holiday`` as one of its global leaves (kept in step with the
      list), so Odoo's own planning skips it like any company leave;
    * works each make-up day with the hours of its Mondays: ``_attendance_intervals_batch`` adds them, so every
      plan on the calendar (``plan_hours``, ``plan_days``, work intervals) counts them.

    The module counts working time only through ``_kam_plan_hours`` and ``_kam_add_working_days``, which plan
    with the leaves: one mechanism for the complaint deadlines and the relationship-housing documentation.
    """

    _inherit = "resource.calendar"

    kam_cn_public_holidays = fields.Boolean(
        string="China's Public Holidays",
        help="Public holidays are leaves of this calendar and make-up working days (调休) are worked, as the State "
        "Council announces them (the list ships with Key Accounts, one file per year).",
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        calendars = super().create(vals_list)
        calendars.filtered("kam_cn_public_holidays")._kam_sync_public_holidays()
        return calendars

    def write(self, vals):
        result = super().write(vals)
        if {"kam_cn_public_holidays", "tz", "company_id"} & set(vals):
            self._kam_sync_public_holidays()
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _kam_follow_public_holidays(self):
        """Every company's working calendar follows China's public holidays (install, migration 19.0.0.1.4)."""
        calendars = self.env["res.company"].sudo().search([]).resource_calendar_id
        calendars.filtered(lambda calendar: not calendar.kam_cn_public_holidays).write({"kam_cn_public_holidays": True})
        return calendars

    def _kam_sync_public_holidays(self):
        """One global leave per public holiday on each calendar that follows the list, none on the others."""
        if not self:
            return
        Leave = self.env["resource.calendar.leaves"].sudo()
        holidays = self.env["kam.public.holiday"].sudo().search([("kind", "=", "holiday")])
        existing = Leave.search([("calendar_id", "in", self.ids), ("kam_public_holiday_id", "!=", False)])
        by_key = {(leave.calendar_id.id, leave.kam_public_holiday_id.id): leave for leave in existing}
        kept = Leave
        to_create = []
        for calendar in self.filtered("kam_cn_public_holidays"):
            for holiday in holidays:
                vals = calendar._kam_public_holiday_leave_values(holiday)
                leave = by_key.get((calendar.id, holiday.id))
                if not leave:
                    to_create.append(vals)
                    continue
                kept |= leave
                if (leave.date_from, leave.date_to, leave.name) != (vals["date_from"], vals["date_to"], vals["name"]):
                    leave.write({key: vals[key] for key in ("date_from", "date_to", "name")})
        (existing - kept).unlink()
        Leave.create(to_create)

    def _kam_public_holiday_leave_values(self, holiday):
        """The holiday's days, midnight to midnight in the calendar's time zone, as naive UTC."""
        self.ensure_one()
        tz = timezone(self.tz or "UTC")
        start = tz.localize(datetime.datetime.combine(holiday.date_from, datetime.time.min))
        stop = tz.localize(datetime.datetime.combine(holiday.date_to, datetime.time(23, 59, 59)))
        lang = self.company_id.partner_id.lang or self.env.lang
        return {
            "name": holiday.with_context(lang=lang).name,
            "calendar_id": self.id,
            "company_id": self.company_id.id or self.env.company.id,
            "date_from": start.astimezone(utc).replace(tzinfo=None),
            "date_to": stop.astimezone(utc).replace(tzinfo=None),
            "time_type": "leave",
            "kam_public_holiday_id": holiday.id,
        }

    def _attendance_intervals_batch(self, start_dt, end_dt, resources=None, domain=None, tz=None, lunch=False):
        """Odoo's attendances, plus the make-up working days of a calendar that follows the public holidays."""
        result = super()._attendance_intervals_batch(start_dt, end_dt, resources, domain=domain, tz=tz, lunch=lunch)
        if not self.kam_cn_public_holidays or self.flexible_hours:
            return result
        day = datetime.timedelta(days=1)
        workdays = self.env["kam.public.holiday"].sudo().search(
            [("kind", "=", "workday"), ("date_from", "<=", (end_dt + day).date()),
             ("date_to", ">=", (start_dt - day).date())]
        )
        if not workdays:
            return result
        Attendance = self.env["resource.calendar.attendance"]
        mondays = Attendance.search(Domain.AND([
            Domain(domain or Domain.TRUE),
            Domain("calendar_id", "=", self.id),
            Domain("display_type", "=", False),
            Domain("day_period", "=" if lunch else "!=", "lunch"),
            Domain("dayofweek", "=", "0"),
        ]))
        resources_list = [self.env["resource.resource"], *(resources or [])]
        for resource in resources_list:
            if resource and resource._is_flexible():
                continue
            resource_tz = tz or timezone((resource or self).tz)
            low, high = start_dt.astimezone(resource_tz), end_dt.astimezone(resource_tz)
            extra = []
            for workday in workdays:
                date = workday.date_from
                while date <= workday.date_to:
                    week_type = Attendance.get_week_type(date)
                    for attendance in mondays:
                        if self.two_weeks_calendar and int(attendance.week_type) != week_type:
                            continue
                        begin = resource_tz.localize(datetime.datetime.combine(date, float_to_time(attendance.hour_from)))
                        end = resource_tz.localize(datetime.datetime.combine(date, float_to_time(attendance.hour_to)))
                        begin, end = max(begin, low), min(end, high)
                        if begin < end:
                            extra.append((begin, end, attendance))
                    date += day
            if extra:
                result[resource.id] = Intervals([*result.get(resource.id, []), *extra], keep_distinct=True)
        return result

    def _kam_plan_hours(self, start, hours):
        """``start`` + ``hours`` of working time (naive UTC in and out): nights, weekends, the calendar's leaves
        and public holidays do not count; make-up working days do."""
        self.ensure_one()
        deadline = self.plan_hours(hours, start.replace(tzinfo=None), compute_leaves=True)
        return deadline.astimezone(utc).replace(tzinfo=None) if deadline else False

    def _kam_add_working_days(self, date, days):
        """The date ``days`` working days after ``date`` (the day itself does not count), on this calendar."""
        self.ensure_one()
        tz = timezone(self.tz or "UTC")
        next_midnight = tz.localize(datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time.min))
        end = self.plan_days(days, next_midnight.astimezone(utc), compute_leaves=True)
        return end.astimezone(tz).date() if end else False
