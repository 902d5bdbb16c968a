"""Which school year a day belongs to, and the usual calendar of a year: pure functions, no database.

A school year opens on 5 September (ngày khai giảng) and teaching ends on 31 May. Choices made
here (the demo school and its tests agree on them):

* From 1 September the new year counts, even before khai giảng; in June, July and August the
  year that has just ended is still "the" year (re-tests, year-end books, the archive).
* Semester I: week 1 is the week (Monday to Sunday) holding 5 September; the final tests start on
  the Monday of week 17 and the semester ends on the Saturday of week 20. Semester II starts the
  Monday after (week 21), its final tests on the Monday of its own week 17, and ends on 31 May.
  For 2024-2025 this gives the calendar of the THPT Thân Nhân Trung (docs/rules.md): 05/09, 23/12, 18/01, 20/01, 12/05, 31/05.
* Holidays: Quốc khánh (2–3/9), Tết Dương lịch (1/1), Tết Nguyên đán (four days either side of
  the first day of the lunar year, from the table below) and 30/4–1/5.
"""
from dataclasses import dataclass
from datetime import date, timedelta

OPENS_ON = (9, 5)  # ngày khai giảng
ENDS_ON = (5, 31)
NEW_YEAR_FROM_MONTH = 9

# first day of the lunar year (mùng 1 Tết) by Gregorian year; a year outside the table gets no Tết break
TET = {
    2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1), 2023: date(2023, 1, 22),
    2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
    2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3), 2031: date(2031, 1, 23),
    2032: date(2032, 2, 11), 2033: date(2033, 1, 31), 2034: date(2034, 2, 19), 2035: date(2035, 2, 8),
    2036: date(2036, 1, 28), 2037: date(2037, 2, 15), 2038: date(2038, 2, 4), 2039: date(2039, 1, 24),
    2040: date(2040, 2, 12),
}
TET_DAYS_AROUND = 4


def start_year_of(day: date) -> int:
    """The first calendar year of the school year `day` belongs to (2024 for 2024-2025)."""
    return day.year if day.month >= NEW_YEAR_FROM_MONTH else day.year - 1


def year_name(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


@dataclass(frozen=True)
class SemesterDates:
    number: int
    starts_on: date
    ends_on: date
    final_tests_on: date
    teaching_weeks: int
    midterm_tests_on: date  # Monday of week 8: ĐĐGgk is then entered within 10 working days (docs/rules.md §15)


def semesters_of(start_year: int) -> tuple[SemesterDates, SemesterDates]:
    """The two semesters of the usual calendar (see the module docstring)."""
    opens = date(start_year, *OPENS_ON)
    week_1 = opens - timedelta(days=opens.weekday())
    second = week_1 + timedelta(weeks=20)
    return (SemesterDates(1, opens, week_1 + timedelta(weeks=19, days=5), week_1 + timedelta(weeks=16), 18,
                          week_1 + timedelta(weeks=7)),
            SemesterDates(2, second, date(start_year + 1, *ENDS_ON), second + timedelta(weeks=16), 17,
                          second + timedelta(weeks=7)))


def holidays_of(start_year: int) -> list[tuple[date, date, str]]:
    """(first day, last day, name) of the year's holidays, in date order."""
    nxt = start_year + 1
    days = [(date(start_year, 9, 2), date(start_year, 9, 3), "Quốc khánh"),
            (date(nxt, 1, 1), date(nxt, 1, 1), "Tết Dương lịch")]
    tet = TET.get(nxt)
    if tet is not None:
        around = timedelta(days=TET_DAYS_AROUND)
        days.append((tet - around, tet + around, "Tết Nguyên đán"))
    days.append((date(nxt, 4, 30), date(nxt, 5, 1), "Ngày Giải phóng miền Nam, Quốc tế Lao động"))
    return sorted(days)
