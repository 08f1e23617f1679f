"""Late payers: two late invoices in one calendar quarter cost a payment-term level (KA6).

What
    The seeds: "如果客户在1个季度内有两次(含)以上不按付款条件支付货款的情况发生,
    营销部应立即将其付款方式降低到下一级别". An invoice is paid late when its
    last payment is dated after its due date.

How it works
    Payments are grouped by the calendar quarter of their payment date; a
    customer with ``min_late`` (2) or more late invoices in one quarter is a
    late payer of that quarter. A daily job looks at the current quarter and
    at the previous one (so a second late payment booked on 31 March is
    caught on 1 April); the model keeps one downgrade per customer and
    quarter, which makes the job idempotent.

    Payment-term levels are the tiers of the customer's scheme, best first:
    level ``k`` uses the payment term of the ``k``-th tier. One level down
    is the next tier's payment term (A: 90 days → B: 30 days → C: immediate
    → D: prepayment); the lowest level cannot go further down.

How to use
    >>> import datetime as dt
    >>> quarter_of(dt.date(2026, 3, 31)), quarter_of(dt.date(2026, 4, 1))
    ('2026-Q1', '2026-Q2')
    >>> quarter_bounds("2026-Q2")
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    >>> late_quarters([("p", dt.date(2026, 1, 31), dt.date(2026, 2, 5)),
    ...                ("p", dt.date(2026, 3, 1), dt.date(2026, 3, 31))])
    {('p', '2026-Q1'): 2}
    >>> next_level_down(["A", "B", "C", "D"], "B"), next_level_down(["A", "B"], "B")
    ('C', None)

Caveat
    Partial payments count when the invoice is finally paid; an invoice paid
    on its due date is on time.
"""

import datetime
from collections import Counter

from .errors import RuleError, _

MIN_LATE_PAYMENTS = 2


def quarter_of(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter):
    """First and last day of a quarter written ``YYYY-Qn``."""
    try:
        year, number = quarter.split("-Q")
        year, number = int(year), int(number)
        if not 1 <= number <= 4:
            raise ValueError(number)
    except ValueError:
        raise RuleError(_("%(quarter)s is not a quarter such as 2026-Q1."), quarter=quarter) from None
    first = datetime.date(year, 3 * number - 2, 1)
    next_first = datetime.date(year + 1, 1, 1) if number == 4 else datetime.date(year, 3 * number + 1, 1)
    return first, next_first - datetime.timedelta(days=1)


def previous_quarter(quarter):
    first, _last = quarter_bounds(quarter)
    return quarter_of(first - datetime.timedelta(days=1))


def late_quarters(payments, min_late=MIN_LATE_PAYMENTS):
    """``[(partner, due_date, paid_date)]`` → ``{(partner, quarter): late count}`` for late payers."""
    counts = Counter(
        (partner, quarter_of(paid)) for partner, due, paid in payments if due and paid and paid > due
    )
    return {key: count for key, count in counts.items() if count >= min_late}


def next_level_down(levels, current):
    """The level after ``current`` in ``levels`` (best first), or None at the bottom."""
    if current not in levels:
        return levels[0] if levels else None
    index = levels.index(current)
    return levels[index + 1] if index + 1 < len(levels) else None
