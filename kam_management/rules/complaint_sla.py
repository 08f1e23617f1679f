"""Complaint response SLA: how many working hours, and whether it was met (KA8).

What
    A complaint must be answered within the response SLA of the customer's
    tier ("快速处理", 24 working hours unless the tier says otherwise).
    ``sla_hours`` picks the hours; ``sla_status`` says whether the answer
    came in time, came late, or is still awaited and overdue.

How it works
    The deadline itself is planned in the company's working calendar by the
    model (``resource.calendar.plan_hours``: nights, weekends and the
    company's leaves do not count); these helpers only compare datetimes,
    all naive UTC as Odoo stores them.

How to use
    >>> import datetime
    >>> sla_hours(0)
    24
    >>> sla_hours(8)
    8
    >>> dl = datetime.datetime(2026, 11, 25, 9, 0)
    >>> sla_status(dl, responded_at=None, now=datetime.datetime(2026, 11, 25, 10, 0))
    'breached'
    >>> sla_status(dl, responded_at=datetime.datetime(2026, 11, 25, 8, 0), now=dl)
    'met'
    >>> sla_status(dl, responded_at=None, now=datetime.datetime(2026, 11, 24, 10, 0))
    'running'

Caveat
    A complaint without a deadline (no calendar could plan it) is "running"
    until it is answered, never breached.
"""

from .errors import RuleError, _

DEFAULT_SLA_HOURS = 24


def sla_hours(tier_hours, default=DEFAULT_SLA_HOURS):
    """The tier's hours, or ``default`` when the tier sets none."""
    if tier_hours and tier_hours < 0:
        raise RuleError(_("A response SLA cannot be negative (got %(hours)s hours)."), hours=tier_hours)
    return tier_hours or default


def sla_status(deadline, responded_at, now):
    """'met', 'late' (answered after the deadline), 'breached' (unanswered past it) or 'running'."""
    if responded_at:
        if deadline and responded_at > deadline:
            return "late"
        return "met"
    if deadline and now > deadline:
        return "breached"
    return "running"
