"""Plain-Python business rules of kam_management.

What
    Pure functions over small data classes: Chinese resident ID checks,
    amounts in Chinese capitals, and (in later modules) tier thresholds,
    pricing guards, fees and reconciliation matching.

How it works
    Nothing here imports ``odoo``. Models gather records, pass plain values
    in, and write the results back. A rule that refuses its input raises
    :class:`~.errors.RuleError`, whose English message template is marked
    for Odoo's translation extractor; the model layer shows it translated.

How to use
    >>> from kam_management.rules import amount_words
    >>> amount_words.amount_in_capitals("1001.05")
    '壹仟零壹元零伍分'

Caveat
    Rules never reach back into the ORM: pass them values, not records.
"""

from . import (
    amount_words,
    cn_id,
    credit,
    errors,
    late_payment,
    pricing,
    prospect_ranking,
    scorecard,
    tiering,
)
