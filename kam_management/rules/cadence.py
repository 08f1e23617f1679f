"""Service cadence arithmetic: when the next contact with a key account is due (KA7).

What
    A cadence rule asks for at least ``min_count`` satisfying contacts in
    every period of ``period`` (a month, a quarter, half a year, a year):
    "大客户经理每月不少于一次", "高层每半年不少于一次", "质量每季度一次".
    ``next_due_date`` gives the day by which the next contact is due;
    ``is_due`` and ``lacks_contact`` are what the daily job asks.

How it works
    With ``min_count`` contacts required per period, the account is covered
    until the ``min_count``-th most recent contact is one period old: the
    next contact is due that day. An account with fewer contacts than that
    counts from its ``start`` (the day it became a key account) instead.
    Months are calendar months; a due day past the end of a shorter month
    is its last day (31 January + 1 month = 28 or 29 February).

How to use
    >>> import datetime
    >>> d = datetime.date
    >>> next_due_date([d(2026, 1, 31)], 1, "month", start=d(2025, 1, 1))
    datetime.date(2026, 2, 28)
    >>> next_due_date([d(2026, 3, 1), d(2026, 1, 10)], 2, "quarter", start=d(2025, 1, 1))
    datetime.date(2026, 4, 10)
    >>> next_due_date([], 1, "half_year", start=d(2026, 2, 15))
    datetime.date(2026, 8, 15)
    >>> is_due(d(2026, 2, 28), today=d(2026, 2, 28))
    True
    >>> lacks_contact(d(2026, 1, 1), today=d(2026, 4, 1), days=90)
    True

Caveat
    Contacts are counted per day: two contacts on the same day count twice.
    The job passes only the contacts whose kind the rule accepts.
"""

import calendar

from .errors import RuleError, _

PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def add_months(day, months):
    """``day`` moved by ``months`` calendar months, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def period_months(period):
    try:
        return PERIOD_MONTHS[period]
    except KeyError:
        raise RuleError(_("Unknown cadence period %(period)s."), period=period) from None


def check_min_count(min_count):
    if min_count < 1:
        raise RuleError(_("A cadence rule needs at least one contact per period (got %(count)s)."), count=min_count)


def next_due_date(contact_dates, min_count, period, start):
    """The day the next contact is due, from the satisfying ``contact_dates`` (any order)."""
    check_min_count(min_count)
    months = period_months(period)
    latest = sorted(contact_dates, reverse=True)
    anchor = latest[min_count - 1] if len(latest) >= min_count else start
    return add_months(anchor, months)


def is_due(due_date, today):
    """Due on its day and every day after it until a contact moves it."""
    return due_date <= today


def lacks_contact(last_contact, today, days):
    """No contact at all for ``days`` days (or never): the account is flagged."""
    if not days or days <= 0:
        return False
    if last_contact is None:
        return True
    return (today - last_contact).days >= days


def expected_contacts_per_month(min_count, period):
    """How many contacts a rule asks for in one month on average (the monthly report's "due").

    >>> expected_contacts_per_month(1, "quarter")
    0.3333333333333333
    """
    check_min_count(min_count)
    return min_count / period_months(period)
