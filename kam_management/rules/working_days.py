"""Working days for the relationship-housing documentation rule (HS16).

What
    "经办人在5个工作日内补齐手续": an emergency approval by phone must be
    documented within five working days. ``add_working_days`` gives that
    deadline.

How it works
    Monday to Friday are working days; the start day itself does not count.

How to use
    >>> import datetime
    >>> add_working_days(datetime.date(2026, 11, 20), 5)  # a Friday
    datetime.date(2026, 11, 27)

Caveat
    Public holidays and the make-up working weekends of the Chinese calendar
    (调休) are not known here; pass them as ``holidays`` when the company keeps
    them.
"""

import datetime


def add_working_days(start, days, holidays=()):
    """The date ``days`` working days after ``start``."""
    current = start
    remaining = days
    holidays = set(holidays)
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current
