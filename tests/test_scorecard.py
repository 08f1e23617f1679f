import pytest

from kam_management.rules.errors import RuleError
from kam_management.rules.scorecard import (
    Criterion,
    Metrics,
    Population,
    check_rating,
    check_weights,
    score,
)

SEEDS_EIGHT = [
    Criterion("sales_scale", 20, "revenue"),
    Criterion("payment", 20, "payment_delay", zero_at=60),
    Criterion("margin", 15),
    Criterion("volume", 10, "invoice_count"),
    Criterion("mode", 10),
    Criterion("share", 10),
    Criterion("years", 5),
    Criterion("standing", 10),
]


def test_default_weights_total_100():
    check_weights([c.weight for c in SEEDS_EIGHT])


@pytest.mark.parametrize("weights", [[50, 40], [60, 50], [100, 0.1]])
def test_weights_not_totalling_100_are_refused(weights):
    with pytest.raises(RuleError, match="must total 100"):
        check_weights(weights)


def test_negative_weight_is_refused():
    with pytest.raises(RuleError, match="cannot be negative"):
        check_weights([110, -10])


def test_score_matches_the_hand_calculation():
    population = Population(best_revenue=2_000_000, best_invoice_count=40)
    metrics = Metrics(revenue=1_000_000, invoice_count=10, avg_days_late=15)
    manual = {"margin": 60, "mode": 100, "share": 50, "years": 100, "standing": 80}
    # 20×0.5 + 20×(1−15/60) + 15×0.6 + 10×0.25 + 10×1 + 10×0.5 + 5×1 + 10×0.8
    # = 10 + 15 + 9 + 2.5 + 10 + 5 + 5 + 8 = 64.5
    assert score(SEEDS_EIGHT, metrics, manual, population) == 64.5


def test_best_customer_paying_on_time_with_top_ratings_scores_100():
    population = Population(best_revenue=10.0, best_invoice_count=1)
    manual = dict.fromkeys(("margin", "mode", "share", "years", "standing"), 100)
    assert score(SEEDS_EIGHT, Metrics(10.0, 1, 0.0), manual, population) == 100.0


def test_nothing_scores_zero_without_dividing_by_zero():
    assert score(SEEDS_EIGHT, Metrics(avg_days_late=60), {}, Population()) == 0.0


def test_payment_delay_boundary():
    criterion = [Criterion("payment", 100, "payment_delay", zero_at=60)]
    assert score(criterion, Metrics(avg_days_late=0), {}, Population()) == 100.0
    assert score(criterion, Metrics(avg_days_late=59), {}, Population()) == pytest.approx(1.67)
    assert score(criterion, Metrics(avg_days_late=60), {}, Population()) == 0.0
    assert score(criterion, Metrics(avg_days_late=-3), {}, Population()) == 100.0


@pytest.mark.parametrize("rating", [-1, 100.5])
def test_manual_rating_outside_0_100_is_refused(rating):
    with pytest.raises(RuleError, match="between 0 and 100"):
        check_rating(rating)


def test_margin_earns_full_points_at_its_target():
    criterion = [Criterion("margin", 100, "margin", full_at=30)]
    assert score(criterion, Metrics(margin_percent=15), {}, Population()) == 50.0
    assert score(criterion, Metrics(margin_percent=45), {}, Population()) == 100.0
    assert score(criterion, Metrics(margin_percent=-10), {}, Population()) == 0.0
