"""Credit control for key accounts (KA5).

What
    Grades A–D from the seeds' credit policy: A and B may buy on credit up to
    their limit; C buys cash on delivery (no deferred payment term) within a
    small limit; D gets no credit at all and pays in advance. Exposure is
    what the customer owes (receivables) plus confirmed orders not yet
    invoiced plus the document being confirmed.

How it works
    :func:`excess` returns by how much the exposure passes the limit once
    approved exceptions are added to it (0 when within). Grade D has a limit
    of 0 whatever is stored, so only an advance payment (a negative
    receivable) or an exception lets a D customer order. For the other grades
    a limit of 0 means "no limit", as in Odoo.

How to use
    >>> excess(exposure=120.0, limit=100.0, grade="B")
    20.0
    >>> excess(exposure=120.0, limit=100.0, grade="B", exception_amount=20.0)
    0.0
    >>> excess(exposure=5.0, limit=1000.0, grade="D")
    5.0
    >>> excess(exposure=1e9, limit=0.0, grade="A")
    0.0

Caveat
    Amounts are in the company currency and rounded by the caller.
"""

from .errors import RuleError, _

CREDIT_GRADES = ("A", "B", "C", "D")
NO_DEFERRAL_GRADES = ("C", "D")


def effective_limit(limit, grade):
    if grade == "D":
        return 0.0
    return limit


def excess(exposure, limit, grade, exception_amount=0.0, rounding=0.01):
    """How much ``exposure`` is over the grade's limit plus exceptions."""
    limit = effective_limit(limit, grade)
    if grade != "D" and not limit:
        return 0.0
    over = exposure - limit - exception_amount
    return round(over, 2) if over > rounding / 2 else 0.0


def check_exception_amount(amount):
    if amount <= 0:
        raise RuleError(
            _("A credit exception must be for a positive amount; %(amount)s was given."), amount=f"{amount:g}"
        )
