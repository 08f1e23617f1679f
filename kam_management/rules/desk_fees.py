"""Fees of the selection desk: rename (更名, HS14) and mortgage conversion (一次性付款转贷款, HS15).

What
    ``rename_fee`` is the contract's share (default 50 %) of what the unit
    would cost more at our other project at the same construction stage:
    fee % × (reference price − contract price) per m² × area, never
    negative. ``check_mortgage_conversion_fee`` keeps the conversion fee
    between 1,000 and 3,000 CNY (seed §十 4).

How it works
    Decimal arithmetic, rounded half-up to the fen.

How to use
    >>> rename_fee(50, 9000, 6800, 100)
    Decimal('110000.00')
    >>> rename_fee(50, 6500, 6800, 100)
    Decimal('0.00')
    >>> check_mortgage_conversion_fee(3000)
    Decimal('3000.00')

Caveat
    The reference price is what finance records for the other project; the
    rule does not look it up.
"""

import decimal

from .errors import RuleError, _

CENT = decimal.Decimal("0.01")
MORTGAGE_FEE_MIN = decimal.Decimal("1000")
MORTGAGE_FEE_MAX = decimal.Decimal("3000")


def _money(value):
    return decimal.Decimal(str(value)).quantize(CENT, rounding=decimal.ROUND_HALF_UP)


def rename_fee(fee_percent, reference_price_per_m2, contract_price_per_m2, area):
    """The rename fee (yuan): fee % × (reference − contract price) × area, zero when the difference is ≤ 0."""
    percent = decimal.Decimal(str(fee_percent))
    if not 0 <= percent <= 100:
        raise RuleError(_("The rename fee must be between 0 %% and 100 %% of the difference; %(percent)s %% was given."),
                        percent=fee_percent)
    difference = decimal.Decimal(str(reference_price_per_m2)) - decimal.Decimal(str(contract_price_per_m2))
    if difference <= 0:
        return _money(0)
    return _money(percent / 100 * difference * decimal.Decimal(str(area)))


def check_mortgage_conversion_fee(fee):
    """The fee as Decimal, or RuleError outside 1,000–3,000."""
    value = _money(fee)
    if not MORTGAGE_FEE_MIN <= value <= MORTGAGE_FEE_MAX:
        raise RuleError(_("The mortgage-conversion fee must be between 1,000 and 3,000; %(fee)s was given."), fee=fee)
    return value
