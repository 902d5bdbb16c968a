"""models/rules/school_year.py: which year a day belongs to, and the usual calendar of a year."""
from datetime import date

import pytest

from models.rules.school_year import TET, holidays_of, semesters_of, start_year_of, year_name


@pytest.mark.parametrize("day, start_year", [
    (date(2026, 12, 2), 2026), (date(2026, 9, 1), 2026), (date(2026, 8, 31), 2025), (date(2026, 7, 15), 2025),
    (date(2026, 6, 1), 2025), (date(2026, 5, 31), 2025), (date(2026, 1, 1), 2025), (date(2025, 10, 20), 2025),
])
def test_the_year_of_a_day(day, start_year):
    assert start_year_of(day) == start_year
    assert year_name(start_year) == f"{start_year}-{start_year + 1}"


def test_2024_gives_the_calendar_the_demo_always_had():
    first, second = semesters_of(2024)
    assert (first.starts_on, first.final_tests_on, first.ends_on) == (date(2024, 9, 5), date(2024, 12, 23),
                                                                       date(2025, 1, 18))
    assert (second.starts_on, second.final_tests_on, second.ends_on) == (date(2025, 1, 20), date(2025, 5, 12),
                                                                          date(2025, 5, 31))
    assert (first.teaching_weeks, second.teaching_weeks) == (18, 17)


@pytest.mark.parametrize("start_year", range(2020, 2040))
def test_every_year_has_mondays_for_tests_and_semesters_in_order(start_year):
    first, second = semesters_of(start_year)
    assert first.starts_on == date(start_year, 9, 5)
    assert first.final_tests_on.weekday() == second.final_tests_on.weekday() == second.starts_on.weekday() == 0
    assert first.starts_on < first.final_tests_on < first.ends_on < second.starts_on < second.final_tests_on
    assert second.final_tests_on < second.ends_on == date(start_year + 1, 5, 31)
    assert first.ends_on.month == 1 and first.ends_on.weekday() == 5


def test_holidays_follow_the_lunar_new_year():
    assert holidays_of(2024) == [
        (date(2024, 9, 2), date(2024, 9, 3), "Quốc khánh"),
        (date(2025, 1, 1), date(2025, 1, 1), "Tết Dương lịch"),
        (date(2025, 1, 25), date(2025, 2, 2), "Tết Nguyên đán"),
        (date(2025, 4, 30), date(2025, 5, 1), "Ngày Giải phóng miền Nam, Quốc tế Lao động"),
    ]
    tet_2027 = [h for h in holidays_of(2026) if h[2] == "Tết Nguyên đán"]
    assert tet_2027 == [(date(2027, 2, 2), date(2027, 2, 10), "Tết Nguyên đán")]
    assert all(d.month in (1, 2) for d in TET.values())
    assert "Tết Nguyên đán" not in [h[2] for h in holidays_of(2050)]  # beyond the table: no invented date


def test_each_semester_has_its_mid_term_test_between_start_and_finals():
    from models.rules.school_year import semesters_of

    for start_year in (2024, 2025, 2026):
        for s in semesters_of(start_year):
            assert s.starts_on < s.midterm_tests_on < s.final_tests_on
            assert s.midterm_tests_on.weekday() == 0  # a Monday
