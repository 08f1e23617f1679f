import pytest

from kam_management.rules.errors import RuleError
from kam_management.rules.tiering import (
    TierSpec,
    by_threshold,
    check_distribution,
    check_thresholds,
    forced_distribution,
    movement,
)

ABCD = [TierSpec("A", percent=20), TierSpec("B", percent=30), TierSpec("C", percent=40), TierSpec("D", percent=10)]
CN_POST = [  # the seeds' Diamond / Platinum / Gold / VIP by yearly revenue
    TierSpec("diamond", minimum=5_000_000),
    TierSpec("platinum", minimum=2_000_000, maximum=5_000_000),
    TierSpec("gold", minimum=200_000, maximum=2_000_000),
    TierSpec("vip", minimum=10_000, maximum=200_000),
]


@pytest.mark.parametrize(
    ("revenue", "tier"),
    [
        (5_000_000, "diamond"),  # "500万元(含500万元)以上"
        (4_999_999.99, "platinum"),
        (2_000_000, "platinum"),
        (200_000, "gold"),
        (199_999.99, "vip"),
        (10_000, "vip"),
        (9_999.99, None),
    ],
)
def test_thresholds_include_their_lower_bound(revenue, tier):
    assert by_threshold({"x": revenue}, CN_POST)["x"].tier == tier


def test_below_every_threshold_is_explained():
    assert by_threshold({"x": 0}, CN_POST)["x"].note == "Below the lowest threshold."


def test_overlapping_thresholds_are_refused_with_both_tiers_named():
    tiers = [TierSpec("gold", name="Gold", minimum=200_000, maximum=2_500_000), *CN_POST[:1],
             TierSpec("platinum", name="Platinum", minimum=2_000_000, maximum=5_000_000)]
    with pytest.raises(RuleError) as raised:
        check_thresholds(tiers)
    assert str(raised.value) == (
        "The thresholds of tiers Gold and Platinum overlap: from 2,000,000 to 2,500,000 both apply."
    )


def test_inverted_threshold_is_refused():
    with pytest.raises(RuleError, match="must be above its lower threshold"):
        check_thresholds([TierSpec("A", minimum=10, maximum=5)])


def test_touching_ranges_do_not_overlap():
    check_thresholds(CN_POST)


def test_forced_distribution_of_ten_matches_the_hand_calculation():
    # 10 candidates: A = round(2) = 2, B up to round(5) = 5, C up to round(9) = 9, D the last one
    scores = {f"p{i:02}": 95 - 5 * i for i in range(10)}
    result = forced_distribution(scores, ABCD)
    assert [result[f"p{i:02}"].tier for i in range(10)] == list("AABBBCCCCD")
    assert [result[f"p{i:02}"].rank for i in range(10)] == list(range(1, 11))
    assert not any(p.note for p in result.values())


def test_forced_distribution_rounds_quotas_half_up():
    # 7 candidates: A = round(1.4) = 1, A+B = round(3.5) = 4, A+B+C = round(6.3) = 6, D = 1
    result = forced_distribution({f"p{i}": 70 - i for i in range(7)}, ABCD)
    assert [result[f"p{i}"].tier for i in range(7)] == list("ABBBCCD")


def test_ties_on_a_boundary_go_together_to_the_better_tier():
    scores = {"a": 90, "b": 80, "c": 80, "d": 70, "e": 60, "f": 50, "g": 40, "h": 30, "i": 20, "j": 10}
    result = forced_distribution(scores, ABCD)
    # b is 2nd (A), c is 3rd (B): tied at 80, both go to A
    assert result["b"].tier == result["c"].tier == "A"
    assert "Tied at score 80 with 1 other candidate(s)" in result["c"].note
    assert result["d"].tier == "B"
    assert result["a"].note == ""


def test_everybody_tied_all_get_the_top_tier():
    result = forced_distribution({k: 50 for k in "abcde"}, ABCD)
    assert {p.tier for p in result.values()} == {"A"}


def test_small_population_is_explained():
    result = forced_distribution({"x": 80, "y": 60}, ABCD)
    # 2 candidates: A = round(0.4) = 0, A+B = round(1.0) = 1 → x in B, y in C (round(1.8) = 2)
    assert (result["x"].tier, result["y"].tier) == ("B", "C")
    assert result["x"].note == "Only 2 candidate(s) for 4 tiers: the quotas leave some tiers empty."


def test_empty_population():
    assert forced_distribution({}, ABCD) == {}


def test_percentages_must_total_100():
    with pytest.raises(RuleError, match="total 110 %; they must total 100 %"):
        check_distribution([*ABCD, TierSpec("E", percent=10)])


def test_movements():
    assert movement(2, 1) == "up"
    assert movement(1, 2) == "down"
    assert movement(None, 3) == "new"
    assert movement(3, None) == "out"
