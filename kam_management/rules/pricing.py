"""Pricing guards and unit prices of commissioned housing (委建房定价).

What
    The limits that section 七 of the housing regulation puts on a
    key-account price proposal, and the unit price list that follows from an
    approved average price:

    * the first-payment ratio is at least 50 % ("因是融资需要，付款比例不应低于50%");
    * a *blind* price is at least 80 % of the nearby market reference;
    * a *cost-plus* price is at least the total unit cost × 1.30;
    * a resource-swap concession is at most 70 % of the assessed value;
    * each unit's price per m² is the average plus its floor and layout
      differentials.

How it works
    The limits are passed in (the company stores them as settings), so the
    functions only compare. Amounts are ``Decimal`` internally; a value
    exactly on a limit is accepted, anything beyond it is refused with a
    :class:`~.errors.RuleError` naming the figures.

How to use
    >>> check_payment_ratio(50)
    >>> check_payment_ratio(49)
    Traceback (most recent call last):
    ...
    kam_management.rules.errors.RuleError: The payment ratio 49 % is below the minimum of 50 %.
    >>> unit_price_per_m2(10000, floor=12, reference_floor=10, floor_step=50, layout_delta=-200)
    Decimal('9900.00')

Caveat
    Floats are converted through ``str`` so ``79.99`` stays 79.99; callers
    round money with their currency, this module rounds prices per m² to
    the fen (0.01).
"""

import decimal
from dataclasses import dataclass

from .errors import RuleError, _

CENT = decimal.Decimal("0.01")
HUNDRED = decimal.Decimal(100)

PRICING_BASIS_BLIND = "blind"
PRICING_BASIS_COST_PLUS = "cost_plus"


@dataclass(frozen=True)
class PricingLimits:
    """The company's guard values (SPEC HS7 defaults)."""

    min_payment_ratio: float = 50.0  # percent
    blind_price_min_ratio: float = 80.0  # percent of the market reference
    cost_plus_min_factor: float = 1.30  # × total unit cost
    swap_concession_max_ratio: float = 70.0  # percent of the assessed value


@dataclass(frozen=True)
class PricingProposal:
    average_price: float  # per m²
    payment_ratio: float  # percent
    basis: str = PRICING_BASIS_BLIND
    market_reference_price: float = 0.0  # per m², for blind pricing
    unit_cost: float = 0.0  # per m², for cost-plus pricing
    swap_assessed_value: float = 0.0
    swap_concession: float = 0.0


def _dec(value):
    return decimal.Decimal(str(value or 0))


def _fmt(value):
    return format(_dec(value).normalize(), "f")


def check_payment_ratio(ratio, minimum=50.0):
    if _dec(ratio) < _dec(minimum):
        raise RuleError(
            _("The payment ratio %(ratio)s %% is below the minimum of %(minimum)s %%."),
            ratio=_fmt(ratio),
            minimum=_fmt(minimum),
        )
    if _dec(ratio) > HUNDRED:
        raise RuleError(_("The payment ratio %(ratio)s %% is above 100 %%."), ratio=_fmt(ratio))


def check_blind_price(average_price, market_reference_price, min_ratio=80.0):
    if _dec(market_reference_price) <= 0:
        raise RuleError(_("Blind pricing needs the nearby market reference price."))
    floor = _dec(market_reference_price) * _dec(min_ratio) / HUNDRED
    if _dec(average_price) < floor:
        raise RuleError(
            _(
                "The average price %(price)s is below %(ratio)s %% of the market reference "
                "%(reference)s (at least %(floor)s)."
            ),
            price=_fmt(average_price),
            ratio=_fmt(min_ratio),
            reference=_fmt(market_reference_price),
            floor=_fmt(floor.quantize(CENT, rounding=decimal.ROUND_UP)),
        )


def check_cost_plus_price(average_price, unit_cost, min_factor=1.30):
    if _dec(unit_cost) <= 0:
        raise RuleError(_("Cost-plus pricing needs the unit cost."))
    floor = _dec(unit_cost) * _dec(min_factor)
    if _dec(average_price) < floor:
        raise RuleError(
            _("The average price %(price)s is below the unit cost × %(factor)s (at least %(floor)s)."),
            price=_fmt(average_price),
            factor=_fmt(min_factor),
            floor=_fmt(floor.quantize(CENT, rounding=decimal.ROUND_UP)),
        )


def check_swap_concession(concession, assessed_value, max_ratio=70.0):
    if not _dec(concession):
        return
    if _dec(concession) < 0:
        raise RuleError(_("The resource-swap concession cannot be negative."))
    cap = _dec(assessed_value) * _dec(max_ratio) / HUNDRED
    if _dec(concession) > cap:
        raise RuleError(
            _(
                "The resource-swap concession %(concession)s exceeds %(ratio)s %% of the "
                "assessed value %(value)s (at most %(cap)s)."
            ),
            concession=_fmt(concession),
            ratio=_fmt(max_ratio),
            value=_fmt(assessed_value),
            cap=_fmt(cap.quantize(CENT, rounding=decimal.ROUND_DOWN)),
        )


def check_proposal(proposal, limits=PricingLimits()):
    """Raise RuleError for the first guard ``proposal`` breaks."""
    if _dec(proposal.average_price) <= 0:
        raise RuleError(_("The average price must be positive."))
    check_payment_ratio(proposal.payment_ratio, limits.min_payment_ratio)
    if proposal.basis == PRICING_BASIS_BLIND:
        check_blind_price(proposal.average_price, proposal.market_reference_price, limits.blind_price_min_ratio)
    elif proposal.basis == PRICING_BASIS_COST_PLUS:
        check_cost_plus_price(proposal.average_price, proposal.unit_cost, limits.cost_plus_min_factor)
    else:
        raise RuleError(_("Unknown pricing basis %(basis)s."), basis=str(proposal.basis))
    check_swap_concession(proposal.swap_concession, proposal.swap_assessed_value, limits.swap_concession_max_ratio)


def unit_price_per_m2(average_price, floor, reference_floor, floor_step, layout_delta=0):
    """Average price + (floor − reference floor) × floor step + layout delta, to the fen."""
    price = (
        _dec(average_price)
        + (_dec(floor) - _dec(reference_floor)) * _dec(floor_step)
        + _dec(layout_delta)
    )
    if price <= 0:
        raise RuleError(
            _("The differentials give floor %(floor)s a price of %(price)s per m², which is not positive."),
            floor=str(floor),
            price=_fmt(price),
        )
    return price.quantize(CENT, rounding=decimal.ROUND_HALF_UP)


def repriced_average(average_price, days_late, increase_percent_per_month):
    """Relationship housing paid late: + increase % for each started month of delay (HS16).

    >>> repriced_average(10000, 0, 2)
    Decimal('10000.00')
    >>> repriced_average(10000, 1, 2)
    Decimal('10200.00')
    >>> repriced_average(10000, 31, 2)
    Decimal('10400.00')
    """
    if days_late <= 0:
        return _dec(average_price).quantize(CENT)
    months = (int(days_late) + 29) // 30
    factor = 1 + _dec(increase_percent_per_month) * months / HUNDRED
    return (_dec(average_price) * factor).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
