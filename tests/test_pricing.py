"""HS7 pricing guards at the SPEC's boundary values, and unit prices."""

from decimal import Decimal

import pytest

from kam_management.rules import pricing, prospect_ranking
from kam_management.rules.errors import RuleError


@pytest.mark.parametrize("ratio", [50, 50.0, "50.00", 75, 100])
def test_payment_ratio_at_or_above_50_percent_is_accepted(ratio):
    pricing.check_payment_ratio(ratio, 50)


@pytest.mark.parametrize("ratio", [49, 49.99, 0])
def test_payment_ratio_below_50_percent_is_refused(ratio):
    with pytest.raises(RuleError, match="below the minimum of 50 %"):
        pricing.check_payment_ratio(ratio, 50)


def test_payment_ratio_above_100_percent_is_refused():
    with pytest.raises(RuleError, match="above 100 %"):
        pricing.check_payment_ratio(100.01, 50)


def test_blind_price_boundary_is_80_percent_of_the_market_reference():
    pricing.check_blind_price(8000, 10000, 80)
    with pytest.raises(RuleError) as raised:
        pricing.check_blind_price(7999, 10000, 80)
    assert str(raised.value) == (
        "The average price 7999 is below 80 % of the market reference 10000 (at least 8000)."
    )
    # 79.99 % refused, 80 % accepted, with a reference that is not round
    pricing.check_blind_price("9600.00", 12000, 80)
    with pytest.raises(RuleError):
        pricing.check_blind_price("9598.80", 12000, 80)  # 79.99 %


def test_blind_price_needs_a_reference():
    with pytest.raises(RuleError, match="market reference price"):
        pricing.check_blind_price(8000, 0, 80)


def test_cost_plus_boundary_is_cost_times_1_30():
    pricing.check_cost_plus_price(6500, 5000, 1.30)
    with pytest.raises(RuleError, match=r"unit cost × 1.3 \(at least 6500\)"):
        pricing.check_cost_plus_price("6499.99", 5000, 1.30)


def test_swap_concession_boundary_is_70_percent_of_the_assessed_value():
    pricing.check_swap_concession(700000, 1000000, 70)
    pricing.check_swap_concession(0, 0, 70)
    with pytest.raises(RuleError, match=r"exceeds 70 % of the assessed value 1000000 \(at most 700000\)"):
        pricing.check_swap_concession("700000.01", 1000000, 70)
    with pytest.raises(RuleError, match="negative"):
        pricing.check_swap_concession(-1, 1000000, 70)


def test_proposal_uses_the_limits_it_is_given():
    limits = pricing.PricingLimits(min_payment_ratio=60, blind_price_min_ratio=90)
    proposal = pricing.PricingProposal(average_price=9000, payment_ratio=60, market_reference_price=10000)
    pricing.check_proposal(proposal, limits)
    with pytest.raises(RuleError, match="minimum of 60 %"):
        pricing.check_proposal(
            pricing.PricingProposal(average_price=9000, payment_ratio=59, market_reference_price=10000), limits
        )
    with pytest.raises(RuleError, match="below 90 %"):
        pricing.check_proposal(
            pricing.PricingProposal(average_price=8999, payment_ratio=60, market_reference_price=10000), limits
        )


def test_cost_plus_proposal_ignores_the_market_reference():
    proposal = pricing.PricingProposal(
        average_price=6500, payment_ratio=50, basis=pricing.PRICING_BASIS_COST_PLUS, unit_cost=5000
    )
    pricing.check_proposal(proposal)


def test_unit_prices_follow_floor_and_layout_differentials():
    assert pricing.unit_price_per_m2(10000, 10, 10, 50) == Decimal("10000.00")
    assert pricing.unit_price_per_m2(10000, 1, 10, 50, 300) == Decimal("9850.00")
    assert pricing.unit_price_per_m2("9999.995", 10, 10, 0) == Decimal("10000.00")
    with pytest.raises(RuleError, match="not positive"):
        pricing.unit_price_per_m2(100, 1, 10, 50)


def test_late_relationship_payment_is_repriced_per_started_month():
    assert pricing.repriced_average(10000, 30, 2) == Decimal("10200.00")
    assert pricing.repriced_average(10000, 61, 2) == Decimal("10600.00")


def test_ranking_principles_in_order():
    c = prospect_ranking.Candidate
    ranked = prospect_ranking.rank(
        [
            c("low price", 9000, 90, True, 100),
            c("no swap", 9500, 60, False, 100),
            c("swap", 9500, 60, True, 10),
            c("more occupiers", 9500, 60, True, 80),
        ]
    )
    assert ranked == ["more occupiers", "swap", "no swap", "low price"]
