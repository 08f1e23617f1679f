import decimal

import pytest

from kam_management.rules.amount_words import amount_in_capitals
from kam_management.rules.errors import RuleError


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "零元整"),
        (1, "壹元整"),
        (100, "壹佰元整"),
        ("10.05", "壹拾元零伍分"),
        ("1001.05", "壹仟零壹元零伍分"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        (decimal.Decimal("1000000.00"), "壹佰万元整"),
        (0.5, "伍角"),
        (0.1 + 0.2, "叁角"),  # 0.30000000000000004 is 3 jiao, not a float artefact
        ("2,580,000.00".replace(",", ""), "贰佰伍拾捌万元整"),
    ],
)
def test_amounts_in_capitals(amount, words):
    assert amount_in_capitals(amount) == words


def test_rounds_half_up_to_the_fen():
    assert amount_in_capitals("0.005") == "壹分"
    assert amount_in_capitals("0.004") == "零元整"
    assert amount_in_capitals("99.995") == "壹佰元整"


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        (-5, "is negative"),
        ("-0.01", "is negative"),
        ("abc", "is not a number"),
        ("", "is not a number"),
        (None, "is not a number"),
        (True, "is not a number"),
        (float("nan"), "is not a number"),
        (float("inf"), "is not a number"),
        ("1e17", "too large"),
    ],
)
def test_bad_amounts_are_refused_with_the_reason(amount, reason):
    with pytest.raises(RuleError) as raised:
        amount_in_capitals(amount)
    assert reason in str(raised.value)
