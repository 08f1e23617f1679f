import datetime as dt

import pytest

from kam_management.rules.cadence import (
    add_months,
    expected_contacts_per_month,
    is_due,
    lacks_contact,
    next_due_date,
)
from kam_management.rules.complaint_sla import sla_hours, sla_status
from kam_management.rules.errors import RuleError
from kam_management.rules.service_report import (
    change_percent,
    check_send_day,
    is_quarter_end,
    report_month_to_send,
    report_periods,
)

D = dt.date
T = dt.datetime


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert add_months(D(2026, 1, 15), -1) == D(2025, 12, 15)


def test_monthly_manager_visit_is_due_one_month_after_the_last_visit():
    start = D(2025, 6, 1)
    assert next_due_date([D(2026, 10, 31), D(2026, 9, 2)], 1, "month", start) == D(2026, 11, 30)
    # no contact yet: counted from the day the account became a key account
    assert next_due_date([], 1, "month", start) == D(2025, 7, 1)


def test_two_contacts_a_quarter_count_from_the_second_latest():
    dates = [D(2026, 1, 5), D(2026, 2, 20), D(2026, 3, 1)]
    assert next_due_date(dates, 2, "quarter", D(2025, 1, 1)) == D(2026, 5, 20)
    # only one contact so far: the start still governs
    assert next_due_date(dates[:1], 2, "quarter", D(2025, 12, 1)) == D(2026, 3, 1)


def test_due_on_the_day_and_after_it():
    assert is_due(D(2026, 3, 1), D(2026, 3, 1))
    assert is_due(D(2026, 3, 1), D(2026, 3, 2))
    assert not is_due(D(2026, 3, 1), D(2026, 2, 28))


def test_no_contact_flag():
    assert lacks_contact(None, D(2026, 1, 1), 90)
    assert not lacks_contact(D(2025, 12, 1), D(2026, 1, 1), 90)
    assert lacks_contact(D(2025, 10, 3), D(2026, 1, 1), 90)
    assert not lacks_contact(None, D(2026, 1, 1), 0)  # switched off


def test_bad_rules_are_refused():
    with pytest.raises(RuleError, match="at least one contact"):
        next_due_date([], 0, "month", D(2026, 1, 1))
    with pytest.raises(RuleError, match="Unknown cadence period"):
        next_due_date([], 1, "fortnight", D(2026, 1, 1))


def test_expected_contacts_per_month():
    assert expected_contacts_per_month(1, "month") == 1
    assert expected_contacts_per_month(1, "half_year") == pytest.approx(1 / 6)


def test_sla_hours_and_status():
    assert sla_hours(None) == 24
    assert sla_hours(48) == 48
    with pytest.raises(RuleError):
        sla_hours(-4)
    deadline = T(2026, 11, 25, 9, 0)
    assert sla_status(deadline, None, T(2026, 11, 25, 9, 0)) == "running"  # on the minute is still in time
    assert sla_status(deadline, None, T(2026, 11, 25, 9, 1)) == "breached"
    assert sla_status(deadline, T(2026, 11, 25, 9, 30), T(2026, 11, 26)) == "late"
    assert sla_status(None, None, T(2030, 1, 1)) == "running"


def test_report_periods_of_march():
    periods = report_periods(D(2026, 3, 17))
    assert periods.month == (D(2026, 3, 1), D(2026, 3, 31))
    assert periods.ytd == (D(2026, 1, 1), D(2026, 3, 31))
    assert periods.last_year_ytd == (D(2025, 1, 1), D(2025, 3, 31))
    assert periods.previous_month == (D(2026, 2, 1), D(2026, 2, 28))
    january = report_periods(D(2026, 1, 1))
    assert january.previous_month == (D(2025, 12, 1), D(2025, 12, 31))


def test_report_is_sent_on_its_day_for_the_month_before():
    assert report_month_to_send(D(2026, 1, 6), 6) == D(2025, 12, 1)
    assert report_month_to_send(D(2026, 1, 7), 6) is None
    assert report_month_to_send(D(2026, 2, 1), 1) == D(2026, 1, 1)
    with pytest.raises(RuleError):
        check_send_day(31)
    assert is_quarter_end(D(2026, 12, 1)) and not is_quarter_end(D(2026, 11, 1))


def test_change_percent():
    assert change_percent(90.0, 100.0) == -10.0
    assert change_percent(50.0, 0.0) is None
    assert change_percent(-50.0, -100.0) == 50.0
