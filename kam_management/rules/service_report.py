"""Periods of the monthly key-account report and the day it is sent (KA10).

What
    "营销部每月编报战略客户(包括重点客户)业务状况报告表": every month the
    key-account department reports on its strategic and key accounts for the
    month before. ``report_periods`` gives the date ranges the figures use;
    ``report_month_to_send`` says which month, if any, is sent on a day.

How it works
    The report for a month covers that month, the year to its end (YTD), the
    same range one year earlier, and the previous month (for the change).
    It is sent on day ``send_day`` of the following month (the 6th unless the
    company says otherwise; a day past the end of a short month is its last
    day). The quarterly credit report goes out with the reports of March,
    June, September and December.

How to use
    >>> import datetime
    >>> p = report_periods(datetime.date(2026, 3, 1))
    >>> p.month, p.ytd, p.last_year_ytd, p.previous_month
    ((datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)), (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)), (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)), (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)))
    >>> report_month_to_send(datetime.date(2026, 4, 6), 6)
    datetime.date(2026, 3, 1)
    >>> report_month_to_send(datetime.date(2026, 4, 5), 6) is None
    True
    >>> is_quarter_end(datetime.date(2026, 3, 1))
    True
    >>> change_percent(110.0, 100.0)
    10.0

Caveat
    Days are calendar days; the job runs daily, so a missed day (the server
    was down) is caught up by the job's own record of the last month sent.
"""

import calendar
import datetime
from dataclasses import dataclass

from .cadence import add_months
from .errors import RuleError, _


@dataclass(frozen=True)
class ReportPeriods:
    month: tuple
    ytd: tuple
    last_year_ytd: tuple
    previous_month: tuple


def month_range(day):
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def report_periods(month):
    """Date ranges of the report of ``month`` (any day of that month)."""
    first, last = month_range(month)
    last_year_end = add_months(last, -12)
    return ReportPeriods(
        month=(first, last),
        ytd=(first.replace(month=1), last),
        last_year_ytd=(first.replace(year=first.year - 1, month=1), last_year_end),
        previous_month=month_range(add_months(first, -1)),
    )


def check_send_day(send_day):
    if not 1 <= send_day <= 28:
        raise RuleError(_("The report day must be between 1 and 28 (got %(day)s)."), day=send_day)


def report_month_to_send(today, send_day):
    """The first day of the month whose report is due on ``today``, or None."""
    check_send_day(send_day)
    if today.day != send_day:
        return None
    return add_months(today.replace(day=1), -1)


def is_quarter_end(month):
    return month.month in (3, 6, 9, 12)


def change_percent(current, previous):
    """Change in % against ``previous``; None when there is nothing to compare with."""
    if not previous:
        return None
    return round((current - previous) / abs(previous) * 100.0, 2)


def first_day(day):
    return datetime.date(day.year, day.month, 1)
