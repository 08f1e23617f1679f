import datetime as dt

import pytest

from kam_management.rules.credit import check_exception_amount, excess
from kam_management.rules.errors import RuleError
from kam_management.rules.late_payment import (
    late_quarters,
    next_level_down,
    previous_quarter,
    quarter_bounds,
    quarter_of,
)

D = dt.date


def test_quarters():
    assert quarter_of(D(2026, 1, 1)) == "2026-Q1"
    assert quarter_of(D(2026, 12, 31)) == "2026-Q4"
    assert quarter_bounds("2026-Q4") == (D(2026, 10, 1), D(2026, 12, 31))
    assert previous_quarter("2026-Q1") == "2025-Q4"
    with pytest.raises(RuleError):
        quarter_bounds("2026-Q5")


def test_two_late_payments_in_one_quarter():
    payments = [
        ("p", D(2026, 1, 10), D(2026, 1, 11)),  # one day late
        ("p", D(2026, 3, 1), D(2026, 3, 31)),  # late, still Q1
        ("q", D(2026, 3, 1), D(2026, 3, 31)),  # late in Q1
        ("q", D(2026, 3, 25), D(2026, 4, 1)),  # late, but paid in Q2
        ("r", D(2026, 2, 1), D(2026, 2, 1)),  # paid on the due date: on time
        ("r", D(2026, 2, 2), D(2026, 2, 2)),
    ]
    assert late_quarters(payments) == {("p", "2026-Q1"): 2}


def test_payment_levels():
    assert next_level_down(["A", "B", "C", "D"], "A") == "B"
    assert next_level_down(["A", "B", "C", "D"], "D") is None


def test_credit_excess_boundaries():
    assert excess(100.0, 100.0, "A") == 0.0  # exactly at the limit is allowed
    assert excess(100.01, 100.0, "A") == 0.01
    assert excess(150.0, 100.0, "B", exception_amount=49.99) == 0.01
    assert excess(-10.0, 0.0, "D") == 0.0  # prepaid customer
    assert excess(0.01, 500.0, "D") == 0.01  # D: no credit whatever the stored limit


def test_negative_exception_is_refused():
    with pytest.raises(RuleError, match="positive amount"):
        check_exception_amount(-1)
