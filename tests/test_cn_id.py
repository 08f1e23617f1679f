import datetime

import pytest

from kam_management.rules.cn_id import normalize_resident_id, parse_resident_id
from kam_management.rules.errors import RuleError

# GB 11643-1999's own example, and a man born on 1 January 1991 in Jiangxi.
WOMAN_1949 = "11010519491231002X"
MAN_1991 = "360426199101010071"


def test_valid_numbers_are_normalised():
    assert normalize_resident_id(WOMAN_1949) == WOMAN_1949
    assert normalize_resident_id(" 11010519491231002x ") == WOMAN_1949
    assert normalize_resident_id("360426 19910101 0071") == MAN_1991
    assert normalize_resident_id("360426-19910101-0071") == MAN_1991
    # full-width digits, as a Chinese input method types them
    assert normalize_resident_id("１１０１０５１９４９１２３１００２Ｘ") == WOMAN_1949


def test_birth_date_sex_and_region_are_read():
    woman = parse_resident_id(WOMAN_1949)
    assert woman.birth_date == datetime.date(1949, 12, 31)
    assert woman.sex == "female"
    assert woman.region_code == "110105"
    assert parse_resident_id(MAN_1991).sex == "male"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110105194912310021", "wrong check digit"),
        ("11010519491231002", "has 17 characters; it must have 18"),
        ("1101051949123100211", "has 19 characters; it must have 18"),
        ("110105491231002", "has 15 characters; it must have 18"),
        ("11010519491231002Y", "only digits, with an X allowed as the last character"),
        ("1101051949123100X2", "only digits, with an X allowed as the last character"),
        ("110105194913310028", "does not contain a valid birth date"),
        ("", "is empty"),
        ("   ", "is empty"),
        (None, "is empty"),
        (110105194912310021, "is empty"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(value, reason):
    with pytest.raises(RuleError) as raised:
        normalize_resident_id(value)
    assert reason in str(raised.value)


def test_future_birth_date_is_refused():
    # valid checksum, born 1 January 2030
    number = "110105203001010017"
    with pytest.raises(RuleError, match="valid birth date"):
        normalize_resident_id(number, today=datetime.date(2026, 11, 22))


def test_unknown_region_is_refused():
    # checksum-valid number whose first six digits name no region
    body = "99999919900101001"
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(RuleError, match="unknown region code 999999"):
        normalize_resident_id(number)


def test_error_keeps_template_and_parameters_for_translation():
    with pytest.raises(RuleError) as raised:
        normalize_resident_id("110105194912310021")
    assert raised.value.template.startswith("The resident ID number %(number)s")
    assert raised.value.params == {"number": "110105194912310021"}
