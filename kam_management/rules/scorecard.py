"""The 100-point key-account scorecard (KA3).

What
    Score a customer out of 100 from weighted criteria (the seeds' eight:
    sales scale, payment reputation, margin, order volume, sales mode, our
    share of their business, relationship years, industry standing). Some
    criteria are computed from accounting, the others are rated by hand.

How it works
    Every criterion gives a fraction between 0 and 1, multiplied by its
    weight; the weights total 100, so the score is out of 100.

    * ``revenue`` and ``invoice_count``: the candidate's figure divided by
      the best figure among the candidates of the same review (the best
      customer gets full marks, a customer with nothing gets 0);
    * ``payment_delay``: full marks when invoices are paid on time on
      average, falling linearly to 0 at ``zero_at`` days late on average
      (60 by default);
    * ``margin``: the gross margin in % of the invoiced lines (revenue less
      the products' cost), full marks at ``full_at`` % (30 by default), 0 at
      or below 0 %;
    * ``manual``: a rating from 0 to 100 entered per partner (0 when none).

How to use
    >>> criteria = [Criterion("sales", 60, "revenue"), Criterion("pay", 30, "payment_delay", zero_at=60),
    ...             Criterion("standing", 10, "manual")]
    >>> check_weights([c.weight for c in criteria])
    >>> best = Population(best_revenue=1000.0, best_invoice_count=10)
    >>> score(criteria, Metrics(revenue=500.0, avg_days_late=15.0), {"standing": 80}, best)
    60.5

Caveat
    Relative criteria depend on the population: a score is comparable only
    inside the review that computed it.
"""

from dataclasses import dataclass

from .errors import RuleError, _

METHODS = ("manual", "revenue", "payment_delay", "invoice_count", "margin")
WEIGHT_TOLERANCE = 0.005
DEFAULT_ZERO_AT = 60.0
DEFAULT_FULL_MARGIN = 30.0


@dataclass(frozen=True)
class Criterion:
    code: str
    weight: float
    method: str = "manual"
    zero_at: float = DEFAULT_ZERO_AT
    full_at: float = DEFAULT_FULL_MARGIN


@dataclass(frozen=True)
class Metrics:
    revenue: float = 0.0
    invoice_count: int = 0
    avg_days_late: float = 0.0
    margin_percent: float = 0.0


@dataclass(frozen=True)
class Population:
    best_revenue: float = 0.0
    best_invoice_count: int = 0


def check_weights(weights):
    """Refuse weights that are negative or do not total 100.

    >>> check_weights([50, 40])
    Traceback (most recent call last):
    ...
    kam_management.rules.errors.RuleError: The scorecard weights total 90; they must total 100.
    """
    if any(weight < 0 for weight in weights):
        raise RuleError(_("A scorecard weight cannot be negative."))
    total = sum(weights)
    if abs(total - 100.0) > WEIGHT_TOLERANCE:
        raise RuleError(
            _("The scorecard weights total %(total)s; they must total 100."),
            total=f"{total:g}",
        )


def check_rating(rating):
    """Manual ratings are percentages of the criterion's weight."""
    if not 0 <= rating <= 100:
        raise RuleError(_("A manual rating must be between 0 and 100; %(rating)s was given."), rating=f"{rating:g}")


def fraction(criterion, metrics, manual, population):
    """The share (0..1) of ``criterion``'s weight that ``metrics`` earn.

    >>> fraction(Criterion("pay", 20, "payment_delay", zero_at=30), Metrics(avg_days_late=45), {}, Population())
    0.0
    """
    method = criterion.method
    if method == "revenue":
        if population.best_revenue <= 0:
            return 0.0
        return max(0.0, min(1.0, metrics.revenue / population.best_revenue))
    if method == "invoice_count":
        if population.best_invoice_count <= 0:
            return 0.0
        return max(0.0, min(1.0, metrics.invoice_count / population.best_invoice_count))
    if method == "payment_delay":
        zero_at = criterion.zero_at if criterion.zero_at > 0 else DEFAULT_ZERO_AT
        return max(0.0, 1.0 - max(0.0, metrics.avg_days_late) / zero_at)
    if method == "margin":
        full_at = criterion.full_at if criterion.full_at > 0 else DEFAULT_FULL_MARGIN
        return max(0.0, min(1.0, metrics.margin_percent / full_at))
    if method == "manual":
        rating = manual.get(criterion.code, 0.0)
        check_rating(rating)
        return rating / 100.0
    raise RuleError(_("Unknown scorecard method %(method)s."), method=method)


def score(criteria, metrics, manual, population):
    """The score out of 100, rounded to two decimals."""
    return round(sum(c.weight * fraction(c, metrics, manual, population) for c in criteria), 2)
