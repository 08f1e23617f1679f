"""The selection order of a commissioned-housing contract (选房顺序, HS10).

What
    A verifiable draw: the verified buyer list is frozen first and its
    SHA-256 *commitment* published; then a public seed nobody controls is
    entered (digits typed by buyers' representatives, a lottery result).
    The order is the buyers sorted by SHA-256(commitment ‖ seed ‖ ID number).
    Anyone holding the exported list and the seed re-computes both
    (``tools/verify_draw.py`` does it without Odoo). A notary's drawn order
    can be imported instead; :func:`check_notary_order` lists every bad row.

How it works
    The commitment hashes the sorted ID numbers, one per line, so it does
    not depend on the order the list was typed in. The draw key is the
    SHA-256 hex digest of the UTF-8 concatenation commitment + seed + ID:
    the commitment (64 hex) and the ID (18 characters) have fixed lengths,
    so the concatenation is unambiguous without a separator. Equal keys
    (never seen in practice) fall back to the ID number.

How to use
    >>> ids = ["11010519491231002X", "110105194912310021"]
    >>> commit = list_commitment(ids)
    >>> len(commit)
    64
    >>> draw_order(commit, "20261201", ids) == draw_order(commit, "20261201", list(reversed(ids)))
    True
    >>> [(row, str(problem)) for row, problem in check_notary_order([(1, "A"), (1, "B")], {"A", "B"})]
    [(2, 'Number 1 is given twice.'), (None, 'Number 2 is missing.')]

Caveat
    The seed is taken as typed (stripped of surrounding blanks): "0042"
    and "42" are different seeds.
"""

import hashlib

from .errors import RuleError, _


def normalize_seed(seed):
    """The seed as it enters the hash; an empty seed is refused."""
    value = (seed or "").strip()
    if not value:
        raise RuleError(_("Enter the public seed of the draw."))
    return value


def list_commitment(id_numbers):
    """SHA-256 (hex) of the sorted ID numbers, one per line: the frozen list's fingerprint."""
    ids = sorted(id_numbers)
    if len(set(ids)) != len(ids):
        raise RuleError(_("An ID number appears twice in the list to draw."))
    if not ids:
        raise RuleError(_("There are no verified buyers to draw."))
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()


def draw_key(commitment, seed, id_number):
    """The key a buyer is sorted on: SHA-256(commitment ‖ seed ‖ ID number), hex."""
    return hashlib.sha256(f"{commitment}{seed}{id_number}".encode()).hexdigest()


def draw_order(commitment, seed, id_numbers):
    """The ID numbers in selection order (first to choose first)."""
    seed = normalize_seed(seed)
    return sorted(id_numbers, key=lambda number: (draw_key(commitment, seed, number), number))


def check_notary_order(rows, verified_ids):
    """Problems of a notary's order, as ``(row number or None, RuleError)``; an empty list means valid.

    ``rows`` are ``(position, id_number)`` in file order; ``verified_ids`` the verified list. Valid means:
    every position 1..n once, every verified buyer once, nobody else.
    """
    problems = []
    seen_positions = {}
    seen_ids = {}
    for row_number, (position, id_number) in enumerate(rows, start=1):
        if not isinstance(position, int) or position < 1:
            problems.append((row_number, RuleError(_("The number %(number)s is not a positive whole number."), number=position)))
        elif position in seen_positions:
            problems.append((row_number, RuleError(_("Number %(number)s is given twice."), number=position)))
        else:
            seen_positions[position] = row_number
        if id_number not in verified_ids:
            problems.append(
                (row_number, RuleError(_("%(id)s is not on the verified buyer list."), id=id_number or "?"))
            )
        elif id_number in seen_ids:
            problems.append((row_number, RuleError(_("%(id)s is given twice."), id=id_number)))
        else:
            seen_ids[id_number] = row_number
    for position in range(1, len(verified_ids) + 1):
        if position not in seen_positions:
            problems.append((None, RuleError(_("Number %(number)s is missing."), number=position)))
    for id_number in sorted(set(verified_ids) - set(seen_ids)):
        problems.append((None, RuleError(_("Verified buyer %(id)s has no number."), id=id_number)))
    return problems
