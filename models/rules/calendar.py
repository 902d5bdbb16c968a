"""The school calendar as pure rules: which days are school days and how many sessions (buổi) each has.

No database, no Flask. docs/rules.md §3.11: attendance counts sessions; a school sets its weekly
schedule (5 or 6 days, 1 or 2 sessions a day) and its holidays; non-school days cannot be marked.
"""
import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DAYS_PER_WEEK = (5, 6)  # 5: Monday–Friday, 6: Monday–Saturday
SESSIONS_PER_DAY = (1, 2)


@dataclass(frozen=True)
class Schedule:
    days_per_week: int = 6
    sessions_per_day: int = 1


@dataclass(frozen=True)
class Holiday:
    """Days off from starts_on to ends_on, both inclusive (Tết, Quốc khánh …)."""

    starts_on: date
    ends_on: date
    name: str = ""

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class MakeUpDay:
    """A day that becomes a school day with its own number of sessions (học bù)."""

    day: date
    sessions: int = 1
    name: str = ""


@dataclass(frozen=True)
class Term:
    """A semester's date range, both ends inclusive."""

    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def check_schedule(days_per_week: int, sessions_per_day: int) -> Schedule:
    """A valid schedule, or ValueError with a Vietnamese message."""
    if days_per_week not in DAYS_PER_WEEK:
        raise ValueError("Số ngày học mỗi tuần phải là 5 (thứ Hai–thứ Sáu) hoặc 6 (thứ Hai–thứ Bảy).")
    if sessions_per_day not in SESSIONS_PER_DAY:
        raise ValueError("Số buổi học mỗi ngày phải là 1 hoặc 2.")
    return Schedule(days_per_week, sessions_per_day)


def check_range(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValueError("Ngày kết thúc phải cùng hoặc sau ngày bắt đầu.")


def sessions_on(day: date, schedule: Schedule, holidays: Iterable[Holiday] = (),
                makeups: Iterable[MakeUpDay] = (), terms: Iterable[Term] = ()) -> int:
    """Sessions held on the day: 0 outside the semesters, on holidays and on non-school weekdays.

    A make-up day inside a semester is a school day with its own number of sessions, even on a
    Saturday, a Sunday or inside a holiday (the school moved the lessons there on purpose).
    """
    if not any(t.covers(day) for t in terms):
        return 0
    for makeup in makeups:
        if makeup.day == day:
            return makeup.sessions
    if any(h.covers(day) for h in holidays):
        return 0
    if day.weekday() >= schedule.days_per_week:
        return 0
    return schedule.sessions_per_day


def month_days(year: int, month: int) -> list[date]:
    """Every day of the month, 28 to 31 of them."""
    count = calendar.monthrange(year, month)[1]
    return [date(year, month, d) for d in range(1, count + 1)]


def enrolled_on(day: date, joined_on: date | None, left_on: date | None) -> bool:
    """In the class on that day: from joined_on (None: from the start) until the day before left_on.

    left_on is the first day the student is no longer in the class.
    """
    if joined_on is not None and day < joined_on:
        return False
    return not (left_on is not None and day >= left_on)


def parse_year_month(text: str) -> tuple[int, int]:
    """"2024-10" → (2024, 10); ValueError for anything else."""
    parts = (text or "").split("-")
    if len(parts) != 2 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts) or len(parts[1]) != 2:
        raise ValueError(f"Tháng không hợp lệ: {text} (dạng YYYY-MM).")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12 or year < 2000:
        raise ValueError(f"Tháng không hợp lệ: {text} (dạng YYYY-MM).")
    return year, month


def year_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def months_between(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) of every month touched by [start, end]."""
    result = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        result.append((y, m))
        y, m = next_month(y, m)
    return result


def month_to_review(months: list[tuple[int, int]], today: date,
                    last_with_data: tuple[int, int] | None) -> tuple[int, int]:
    """The month an office page (attendance locks, signed sheets) opens on.

    Inside the school year: last month, the one being confirmed and signed now (this month in the
    year's first month). Outside it: the year's last month with attendance, else its last month;
    never a month of another year (a 2024-2025 school looked at in 11/2026 opened on 11/2026).
    """
    if not months:
        return previous_month(today.year, today.month)
    this = (today.year, today.month)
    if this in months:
        last = previous_month(*this)
        return last if last in months else this
    if last_with_data in months:
        return last_with_data
    return months[-1] if this > months[-1] else months[0]


def auto_lock_at(year: int, month: int, day_n: int | None):
    """The moment the month locks itself: 00:00 on day N of the next month (None: never)."""
    from datetime import datetime

    if not day_n:
        return None
    ny, nm = next_month(year, month)
    last = calendar.monthrange(ny, nm)[1]
    return datetime(ny, nm, min(day_n, last))


def confirm_deadline(year: int, month: int, day: int = 3) -> date:
    """KĐ (docs/rules.md): the homeroom teacher enters the month's absences within the first 3 days of the next."""
    ny, nm = next_month(year, month)
    return date(ny, nm, day)


def cell_text(marks: Iterable[str | None]) -> str:
    """One day's cell from its sessions' marks: "" present, "P", "K", or "PK", "KK" … for two sessions
    (the absent sessions' marks in session order)."""
    return "".join(m for m in marks if m)


def daterange(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
