"""Chinese resident identity card numbers (居民身份证号码, GB 11643-1999).

What
    Validate and normalise an 18-character resident ID, and read the birth
    date and sex it encodes, for eligible-buyer lists and receipts.

How it works
    ``python-stdnum`` (``stdnum.cn.ric``) does the checksum and the region
    look-up; this module turns its exceptions into precise, translatable
    reasons (length, characters, birth date, region, check digit) that a
    person importing a list of 150 buyers can act on row by row.

How to use
    >>> normalize_resident_id(" 110105 19491231 002x ")
    '11010519491231002X'
    >>> parse_resident_id("11010519491231002X").sex
    'female'

Caveat
    Old 15-digit IDs (replaced from 2004 on) are refused: housing contracts
    need the current 18-digit number.
"""

import datetime
import functools
import os
import unicodedata
from dataclasses import dataclass

import stdnum
from stdnum import exceptions as stdnum_exceptions
from stdnum import numdb
from stdnum.cn import ric
from stdnum.util import clean

from .errors import RuleError, _

ID_LENGTH = 18


@functools.cache
def _region_table():
    """stdnum's table of region codes (``cn/loc.dat``), read once.

    Read from stdnum's own folder rather than through ``stdnum.numdb.get``:
    Odoo 19's import hook (``odoo._monkeypatches.PatchImportHook``) replaces
    stdnum's module loader, after which ``importlib.resources`` cannot open
    the package's data files ("Can't open orphan path").
    """
    path = os.path.join(os.path.dirname(stdnum.__file__), "cn", "loc.dat")
    with open(path, encoding="utf-8") as handle:
        return numdb.read(handle)


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    sex: str  # 'male' or 'female': the 17th digit is odd for men
    region_code: str


def mask_resident_id(number):
    """The number as the desk shows and prints it: region and check digits kept, the birth date hidden.

    >>> mask_resident_id("11010519491231002X")
    '110105********002X'
    >>> mask_resident_id("")
    ''
    """
    number = number or ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else number


def normalize_resident_id(value, today=None):
    """Return the canonical 18-character form of ``value`` or raise RuleError."""
    return parse_resident_id(value, today=today).number


def parse_resident_id(value, today=None):
    """Validate ``value`` and return a :class:`ResidentId`; raise RuleError."""
    if not isinstance(value, str) or not value.strip():
        raise RuleError(_("The resident ID number is empty."))
    # NFKC turns full-width characters typed with a Chinese input method into ASCII
    number = clean(unicodedata.normalize("NFKC", value), " -").upper().strip()
    if len(number) != ID_LENGTH:
        raise RuleError(
            _("The resident ID number %(number)s has %(length)s characters; it must have 18."),
            number=number,
            length=len(number),
        )
    if not (number.isascii() and number[:-1].isdigit() and (number[-1].isdigit() or number[-1] == "X")):
        raise RuleError(
            _(
                "The resident ID number %(number)s may contain only digits, "
                "with an X allowed as the last character."
            ),
            number=number,
        )
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_exceptions.ValidationError:
        birth_date = None
    if birth_date is None or birth_date > (today or datetime.date.today()):
        raise RuleError(
            _("The resident ID number %(number)s does not contain a valid birth date."),
            number=number,
        )
    if number[-1] != ric.calc_check_digit(number):
        raise RuleError(
            _(
                "The resident ID number %(number)s has a wrong check digit: "
                "a digit was probably mistyped."
            ),
            number=number,
        )
    # what stdnum.cn.ric.get_birth_place() does, on the table read above
    if not _region_table().info(number[:6])[0][1]:
        raise RuleError(
            _("The resident ID number %(number)s starts with an unknown region code %(region)s."),
            number=number,
            region=number[:6],
        )
    return ResidentId(
        number=number,
        birth_date=birth_date,
        sex="male" if int(number[16]) % 2 else "female",
        region_code=number[:6],
    )
