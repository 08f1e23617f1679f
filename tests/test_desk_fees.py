import decimal

import pytest

from kam_management.rules import desk_fees
from kam_management.rules.errors import RuleError


def test_rename_fee_of_the_seed_example():
    # reference 9,000/m² vs contract 6,800/m² on 100 m² at 50 %
    assert desk_fees.rename_fee(50, 9000, 6800, 100) == decimal.Decimal("110000.00")


@pytest.mark.parametrize(("reference", "fee"), [(6800, "0.00"), (6000, "0.00"), ("6800.01", "0.50")])
def test_no_fee_when_the_difference_is_not_positive(reference, fee):
    assert desk_fees.rename_fee(50, reference, 6800, 100) == decimal.Decimal(fee)


def test_rename_fee_percent_is_bounded():
    with pytest.raises(RuleError):
        desk_fees.rename_fee(101, 9000, 6800, 100)


@pytest.mark.parametrize("fee", [999, "999.99", 3000.01, -1])
def test_mortgage_fee_outside_the_range_is_refused(fee):
    with pytest.raises(RuleError):
        desk_fees.check_mortgage_conversion_fee(fee)


@pytest.mark.parametrize("fee", [1000, 2000, 3000])
def test_mortgage_fee_in_the_range(fee):
    assert desk_fees.check_mortgage_conversion_fee(fee) == decimal.Decimal(fee)
