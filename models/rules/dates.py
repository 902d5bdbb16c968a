"""Dates as Vietnamese users type and read them (dd/mm/yyyy).

Everything here is pure: no database, no Flask.
"""

import re
from datetime import date, datetime

__all__ = [
    "MAX_AGE",
    "MIN_AGE",
    "WEEKDAY_SHORT",
    "age_on",
    "format_date",
    "format_datetime",
    "parse_birth_date",
    "parse_date",
    "weekday_short",
]

# Day-first with one separator used consistently: 5/9/2024, 05-09-2024, 05.09.2024.
_DMY_RE = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4})")
# ISO 8601 calendar date: 2024-09-05.
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_ECHO_LIMIT = 40


def _invalid(text: str) -> ValueError:
    shown = text if len(text) <= _ECHO_LIMIT else text[:_ECHO_LIMIT] + "…"
    if not shown:
        shown = "chưa nhập ngày"
    return ValueError(f"Ngày không hợp lệ: {shown} (nhập theo dạng dd/mm/yyyy).")


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy or ISO yyyy-mm-dd.

    Raises ValueError with a Vietnamese message for empty input, two-digit years, impossible dates
    (31/02/2024) and anything else. Years before 1000 are rejected.
    """
    cleaned = (text or "").strip()
    match = _DMY_RE.fullmatch(cleaned)
    if match:
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        match = _ISO_RE.fullmatch(cleaned)
        if not match:
            raise _invalid(cleaned)
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    if year < 1000:
        raise _invalid(cleaned)
    try:
        return date(year, month, day)
    except ValueError:
        raise _invalid(cleaned) from None


def format_date(d: date | datetime | None) -> str:
    """Format as dd/mm/yyyy; "" for None."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_datetime(dt: datetime | None) -> str:
    """Format as dd/mm/yyyy HH:MM; "" for None. Shown as given: convert to local time first."""
    if dt is None:
        return ""
    return f"{format_date(dt)} {dt.hour:02d}:{dt.minute:02d}"


MIN_AGE = 3
MAX_AGE = 100


def age_on(birth: date, day: date) -> int:
    """Age in completed years on ``day`` (someone born 29/02 turns a year older on 01/03)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def parse_birth_date(text: str, today: date) -> date:
    """Parse a student's or staff member's birth date and check that it is plausible.

    Not in the future, and an age on ``today`` between MIN_AGE (3) and MAX_AGE (100) years,
    both inclusive.
    """
    born = parse_date(text)
    if born > today:
        raise ValueError(f"Ngày sinh {format_date(born)} nằm trong tương lai.")
    age = age_on(born, today)
    if age < MIN_AGE:
        raise ValueError(f"Ngày sinh {format_date(born)} không hợp lệ: chưa đủ {MIN_AGE} tuổi.")
    if age > MAX_AGE:
        raise ValueError(f"Ngày sinh {format_date(born)} không hợp lệ: hơn {MAX_AGE} tuổi.")
    return born


WEEKDAY_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def weekday_short(d: date) -> str:
    """Short Vietnamese weekday: T2 (thứ Hai, Monday) … T7 (thứ Bảy), CN (Chủ nhật)."""
    return WEEKDAY_SHORT[d.weekday()]
