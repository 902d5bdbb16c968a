"""The school calendar rules: school days, sessions, holidays, make-up days, month lengths, enrolment."""
from datetime import date, datetime

import pytest

from models.rules import calendar as cal

SIX = cal.Schedule(6, 1)
FIVE_TWO = cal.Schedule(5, 2)
YEAR = [cal.Term(date(2024, 9, 5), date(2025, 1, 11)), cal.Term(date(2025, 1, 13), date(2025, 5, 25))]


@pytest.mark.parametrize("year, month, days", [(2024, 2, 29), (2025, 2, 28), (2024, 9, 30), (2024, 10, 31),
                                               (2024, 4, 30), (2024, 12, 31)])
def test_month_days(year, month, days):
    result = cal.month_days(year, month)
    assert len(result) == days
    assert result[0] == date(year, month, 1) and result[-1] == date(year, month, days)


def test_weekly_schedule():
    assert cal.sessions_on(date(2024, 10, 5), SIX, terms=YEAR) == 1  # Saturday, 6-day week
    assert cal.sessions_on(date(2024, 10, 6), SIX, terms=YEAR) == 0  # Sunday
    assert cal.sessions_on(date(2024, 10, 5), FIVE_TWO, terms=YEAR) == 0  # Saturday, 5-day week
    assert cal.sessions_on(date(2024, 10, 4), FIVE_TWO, terms=YEAR) == 2  # Friday, two sessions


def test_holiday_on_a_school_day():
    tet = [cal.Holiday(date(2025, 1, 25), date(2025, 2, 2), "Tết Nguyên đán")]
    assert cal.sessions_on(date(2025, 1, 27), SIX, tet, terms=YEAR) == 0  # Monday inside Tết
    assert cal.sessions_on(date(2025, 2, 2), SIX, tet, terms=YEAR) == 0  # last day, inclusive
    assert cal.sessions_on(date(2025, 2, 3), SIX, tet, terms=YEAR) == 1
    assert cal.sessions_on(date(2025, 1, 24), SIX, tet, terms=YEAR) == 1


def test_make_up_days():
    makeups = [cal.MakeUpDay(date(2024, 10, 12), 2, "Học bù"), cal.MakeUpDay(date(2024, 10, 13), 1)]
    assert cal.sessions_on(date(2024, 10, 12), FIVE_TWO, makeups=makeups, terms=YEAR) == 2  # Saturday
    assert cal.sessions_on(date(2024, 10, 13), SIX, makeups=makeups, terms=YEAR) == 1  # Sunday
    # a make-up day outside the semesters is still no school day
    assert cal.sessions_on(date(2025, 6, 7), SIX, makeups=[cal.MakeUpDay(date(2025, 6, 7), 1)], terms=YEAR) == 0


def test_between_and_outside_semesters():
    assert cal.sessions_on(date(2025, 1, 11), SIX, terms=YEAR) == 1  # last day of HK I (Saturday)
    assert cal.sessions_on(date(2025, 1, 12), SIX, terms=YEAR) == 0  # Sunday anyway
    gap = [cal.Term(date(2024, 9, 5), date(2025, 1, 10)), cal.Term(date(2025, 1, 14), date(2025, 5, 25))]
    assert cal.sessions_on(date(2025, 1, 13), SIX, terms=gap) == 0  # Monday between semesters
    assert cal.sessions_on(date(2024, 9, 4), SIX, terms=YEAR) == 0
    assert cal.sessions_on(date(2025, 5, 26), SIX, terms=YEAR) == 0


def test_enrolled_on():
    assert cal.enrolled_on(date(2024, 10, 15), None, None)
    assert not cal.enrolled_on(date(2024, 10, 14), date(2024, 10, 15), None)
    assert cal.enrolled_on(date(2024, 10, 15), date(2024, 10, 15), None)
    assert cal.enrolled_on(date(2024, 10, 19), None, date(2024, 10, 20))
    assert not cal.enrolled_on(date(2024, 10, 20), None, date(2024, 10, 20))


def test_cell_text_and_months():
    assert cal.cell_text([None]) == "" and cal.cell_text(["K"]) == "K"
    assert cal.cell_text(["P", "K"]) == "PK" and cal.cell_text([None, "K"]) == "K"
    assert cal.parse_year_month("2024-10") == (2024, 10)
    for bad in ("2024-13", "2024-1", "abcd-10", "", "2024-10-01"):
        with pytest.raises(ValueError):
            cal.parse_year_month(bad)
    assert cal.next_month(2024, 12) == (2025, 1) and cal.previous_month(2025, 1) == (2024, 12)
    assert cal.months_between(date(2024, 9, 5), date(2025, 5, 25))[0] == (2024, 9)
    assert len(cal.months_between(date(2024, 9, 5), date(2025, 5, 25))) == 9
    assert cal.auto_lock_at(2024, 12, 5) == datetime(2025, 1, 5)
    assert cal.auto_lock_at(2025, 1, 31) == datetime(2025, 2, 28)
    assert cal.auto_lock_at(2024, 10, None) is None
    with pytest.raises(ValueError):
        cal.check_schedule(7, 1)
    with pytest.raises(ValueError):
        cal.check_schedule(6, 3)


YEAR_2024 = cal.months_between(date(2024, 9, 5), date(2025, 5, 25))


@pytest.mark.parametrize("today, last_with_data, expected", [
    (date(2024, 12, 2), None, (2024, 11)),         # inside the year: last month, due for confirming
    (date(2024, 9, 10), None, (2024, 9)),          # the year's first month has no month before it
    (date(2026, 11, 15), (2024, 12), (2024, 12)),  # issue 11: not 11/2026, the last month with data
    (date(2026, 11, 15), None, (2025, 5)),         # nothing entered: the year's last month
    (date(2024, 8, 1), None, (2024, 9)),           # before the year: its first month
    (date(2026, 11, 15), (2026, 10), (2025, 5)),   # data outside the year is not this year's
])
def test_month_to_review(today, last_with_data, expected):
    assert cal.month_to_review(YEAR_2024, today, last_with_data) == expected


def test_month_to_review_without_a_calendar():
    assert cal.month_to_review([], date(2026, 11, 15), None) == (2026, 10)
