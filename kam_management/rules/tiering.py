"""Key-account tiers: thresholds and forced distribution (KA2, KA4).

What
    Propose a tier for every candidate of a tier review, either by
    thresholds on one metric (yearly revenue, share of company revenue,
    purchases, score) or by a forced distribution on the score (the seeds'
    A/B/C/D = 20/30/40/10 %), and explain every placement a person would
    question: ties on a boundary and populations too small for the quotas.

How it works
    Tiers are given best first as :class:`TierSpec`. Thresholds are half-open
    ranges ``[minimum, maximum)``; a maximum of ``None`` is open-ended. The
    first tier whose range holds the value wins; a value below every range
    gets no tier. Forced distribution sorts candidates by score (best
    first, then by key so the result is reproducible) and cuts the ranking
    at the cumulative quotas ``round_half_up(n × cumulative % / 100)``.
    Candidates with the same score are never split: a tie group takes the
    tier of its best-ranked member, and the tiers below absorb the shift.

How to use
    >>> tiers = [TierSpec("A", percent=20), TierSpec("B", percent=30),
    ...          TierSpec("C", percent=40), TierSpec("D", percent=10)]
    >>> scores = {f"p{i}": 100 - i for i in range(10)}
    >>> result = forced_distribution(scores, tiers)
    >>> [result[f"p{i}"].tier for i in range(10)]
    ['A', 'A', 'B', 'B', 'B', 'C', 'C', 'C', 'C', 'D']
    >>> by_threshold({"x": 2_500_000}, [TierSpec("Platinum", minimum=2_000_000, maximum=5_000_000)])["x"].tier
    'Platinum'

Caveat
    Percentages must total 100 and threshold ranges must not overlap; the
    ``check_*`` functions raise :class:`~.errors.RuleError` otherwise, and
    the models call them in their constraints.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import RuleError, _

PERCENT_TOLERANCE = 0.005


@dataclass(frozen=True)
class TierSpec:
    """One tier, best first: ``key`` is what the caller gets back."""

    key: object
    name: str = ""
    minimum: float = 0.0
    maximum: float | None = None
    percent: float = 0.0

    @property
    def label(self):
        return self.name or str(self.key)


@dataclass(frozen=True)
class Placement:
    """The proposed tier (``None``: no tier) and why, if it needs saying."""

    tier: object
    rank: int = 0
    note_template: str = ""
    note_params: tuple = ()

    @property
    def note(self):
        """The note in English; models show ``note_template`` translated."""
        return self.note_template % dict(self.note_params) if self.note_params else self.note_template


def _fmt(value):
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def check_thresholds(tiers):
    """Refuse overlapping or inverted ranges; name the tiers concerned.

    >>> check_thresholds([TierSpec("A", minimum=10), TierSpec("B", minimum=0, maximum=20)])
    Traceback (most recent call last):
    ...
    kam_management.rules.errors.RuleError: The thresholds of tiers A and B overlap: from 10 to 20 both apply.
    """
    for tier in tiers:
        if tier.minimum < 0:
            raise RuleError(_("The lower threshold of tier %(tier)s cannot be negative."), tier=tier.label)
        if tier.maximum is not None and tier.maximum <= tier.minimum:
            raise RuleError(
                _("The upper threshold of tier %(tier)s (%(maximum)s) must be above its lower threshold (%(minimum)s)."),
                tier=tier.label,
                maximum=_fmt(tier.maximum),
                minimum=_fmt(tier.minimum),
            )
    ordered = sorted(tiers, key=lambda t: t.minimum)
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        lower_end = float("inf") if lower.maximum is None else lower.maximum
        if lower_end > upper.minimum:
            first, second = sorted((lower, upper), key=tiers.index)
            raise RuleError(
                _("The thresholds of tiers %(first)s and %(second)s overlap: from %(start)s to %(end)s both apply."),
                first=first.label,
                second=second.label,
                start=_fmt(upper.minimum),
                end=_fmt(min(lower_end, float("inf") if upper.maximum is None else upper.maximum)),
            )


def check_distribution(tiers):
    """Refuse forced-distribution percentages that do not total 100.

    >>> check_distribution([TierSpec("A", percent=60), TierSpec("B", percent=30)])
    Traceback (most recent call last):
    ...
    kam_management.rules.errors.RuleError: The distribution percentages total 90 %; they must total 100 %.
    """
    for tier in tiers:
        if tier.percent < 0:
            raise RuleError(_("The distribution percentage of tier %(tier)s cannot be negative."), tier=tier.label)
    total = sum(t.percent for t in tiers)
    if abs(total - 100.0) > PERCENT_TOLERANCE:
        raise RuleError(
            _("The distribution percentages total %(total)s %%; they must total 100 %%."), total=_fmt(total)
        )


def by_threshold(values, tiers):
    """``{key: value}`` → ``{key: Placement}`` by the first range holding the value."""
    check_thresholds(tiers)
    result = {}
    for key, value in values.items():
        for tier in tiers:
            if value >= tier.minimum and (tier.maximum is None or value < tier.maximum):
                result[key] = Placement(tier.key)
                break
        else:
            result[key] = Placement(None, note_template=_("Below the lowest threshold."))
    return result


def _round_half_up(value):
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def forced_distribution(scores, tiers):
    """``{key: score}`` → ``{key: Placement}`` by quotas on the ranking.

    Ties straddling a boundary all go to the better tier:

    >>> tiers = [TierSpec("A", percent=50), TierSpec("B", percent=50)]
    >>> result = forced_distribution({"x": 90, "y": 80, "z": 80, "w": 10}, tiers)
    >>> [result[k].tier for k in "xyzw"]
    ['A', 'A', 'A', 'B']
    >>> result["z"].note
    'Tied at score 80 with 1 other candidate(s) across a quota boundary: placed together in the better tier.'

    Populations too small for every tier to get a seat are said so:

    >>> forced_distribution({"solo": 50}, tiers)["solo"].note
    'Only 1 candidate(s) for 2 tiers: the quotas leave some tiers empty.'
    """
    check_distribution(tiers)
    n = len(scores)
    if not n:
        return {}
    ranking = sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))
    # boundaries[k] = first rank (0-based) that no longer belongs to tier k
    boundaries = []
    cumulative = 0.0
    for tier in tiers:
        cumulative += tier.percent
        boundaries.append(min(n, _round_half_up(n * cumulative / 100.0)))
    boundaries[-1] = n

    def tier_index_of(rank):
        for index, boundary in enumerate(boundaries):
            if rank < boundary:
                return index
        return len(tiers) - 1

    small = n < len(tiers) or any(
        b == (boundaries[i - 1] if i else 0) for i, b in enumerate(boundaries) if tiers[i].percent > 0
    )
    result = {}
    rank = 0
    while rank < n:
        score = ranking[rank][1]
        group_end = rank
        while group_end < n and ranking[group_end][1] == score:
            group_end += 1
        index = tier_index_of(rank)
        spans = tier_index_of(group_end - 1) != index
        for position in range(rank, group_end):
            template, params = "", ()
            if spans:
                template = _(
                    "Tied at score %(score)s with %(others)s other candidate(s) across a quota "
                    "boundary: placed together in the better tier."
                )
                params = (("score", _fmt(score)), ("others", group_end - rank - 1))
            elif small:
                template = _("Only %(count)s candidate(s) for %(tiers)s tiers: the quotas leave some tiers empty.")
                params = (("count", n), ("tiers", len(tiers)))
            result[ranking[position][0]] = Placement(
                tiers[index].key, rank=position + 1, note_template=template, note_params=params
            )
        rank = group_end
    return result


def movement(old_rank, new_rank):
    """'up', 'down', 'same', 'new' or 'out' given tier ranks (1 = best, None = no tier).

    >>> movement(2, 1), movement(1, 3), movement(None, 4), movement(2, None), movement(3, 3)
    ('up', 'down', 'new', 'out', 'same')
    """
    if old_rank is None and new_rank is None:
        return "same"
    if old_rank is None:
        return "new"
    if new_rank is None:
        return "out"
    if new_rank < old_rank:
        return "up"
    if new_rank > old_rank:
        return "down"
    return "same"
