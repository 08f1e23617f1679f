"""Ranking of commissioned-housing prospects (委建房单位的选择原则, HS4).

What
    The regulation ranks candidate employers by four principles, in order:
    a higher acceptable price first, then a higher payment ratio, then those
    offering a resource swap, then those with more owner-occupiers.

How it works
    ``rank`` sorts plain :class:`Candidate` values by that key and returns
    their ``key`` values best first; ties keep their input order.

How to use
    >>> rank([Candidate("a", 9000, 60), Candidate("b", 9500, 50), Candidate("c", 9500, 70)])
    ['c', 'b', 'a']

Caveat
    Ranking is advice for the negotiation team; the choice is theirs.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    key: object
    max_price: float = 0.0  # highest acceptable average price per m²
    payment_ratio: float = 0.0  # percent
    resource_swap: bool = False
    owner_occupier_ratio: float = 0.0  # percent


def rank(candidates):
    ordered = sorted(
        candidates,
        key=lambda c: (
            -(c.max_price or 0),
            -(c.payment_ratio or 0),
            not c.resource_swap,
            -(c.owner_occupier_ratio or 0),
        ),
    )
    return [c.key for c in ordered]
