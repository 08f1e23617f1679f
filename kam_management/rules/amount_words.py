"""Amounts in Chinese capitals (人民币大写金额) for receipts and vouchers.

What
    ``amount_in_capitals("12345.67")`` gives ``壹万贰仟叁佰肆拾伍元陆角柒分``,
    the form a bank or auditor expects on a receipt.

How it works
    The amount is rounded half-up to the fen (0.01 CNY) as a ``Decimal`` and
    handed to ``cn2an`` in RMB mode, which writes 整 after whole yuan and
    零 where the rules of 《支付结算办法》 want it.

How to use
    >>> amount_in_capitals(100)
    '壹佰元整'
    >>> amount_in_capitals("10.05")
    '壹拾元零伍分'

Caveat
    Negative amounts are refused: a correction is a separate red-reversal
    document, not a negative receipt. Floats are accepted but converted
    through ``str`` so 0.1 stays 0.1.
"""

import decimal

import cn2an

from .errors import RuleError, _

CENT = decimal.Decimal("0.01")
# cn2an handles at most 16 digits before the decimal point.
MAX_AMOUNT = decimal.Decimal("9999999999999999.99")


def amount_in_capitals(amount):
    """Return ``amount`` (yuan) in Chinese capitals, or raise RuleError."""
    value = _to_decimal(amount)
    if value < 0:
        raise RuleError(
            _("The amount %(amount)s is negative; amounts in capitals are for non-negative amounts."),
            amount=str(amount),
        )
    if value > MAX_AMOUNT:
        raise RuleError(_("The amount %(amount)s is too large to write in capitals."), amount=str(amount))
    return cn2an.an2cn(format(value, "f"), "rmb")


def _to_decimal(amount):
    if isinstance(amount, bool) or amount is None:
        raise RuleError(_("The amount %(amount)s is not a number."), amount=str(amount))
    try:
        value = decimal.Decimal(str(amount).strip())
    except decimal.InvalidOperation:
        raise RuleError(_("The amount %(amount)s is not a number."), amount=str(amount)) from None
    if not value.is_finite():
        raise RuleError(_("The amount %(amount)s is not a number."), amount=str(amount))
    return value.quantize(CENT, rounding=decimal.ROUND_HALF_UP)
