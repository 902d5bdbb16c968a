"""Correction requests after the lock: when they may be filed and when the office may apply them.

Pure functions: no database, no Flask (docs/rules.md §16). The school's settings `OFFICE_HOURS`,
`OFFICE_DAYS` and `CORRECTIONS_CLOSE_DAYS_BEFORE_FINALS` override the defaults below.
"""
from datetime import date, datetime, time, timedelta

# requests close one week before the final tests (TNT mục 6.3)
CLOSE_DAYS_BEFORE_FINALS = 7
# the office applies approved requests during office hours, Monday to Saturday by default
OFFICE_HOURS = "07:00-17:30"
OFFICE_DAYS = 6
OFFICE_DAY_LABELS = {5: "thứ Hai đến thứ Sáu", 6: "thứ Hai đến thứ Bảy", 7: "mọi ngày trong tuần"}


def filing_deadline(final_tests_on: date | None, close_days: int = CLOSE_DAYS_BEFORE_FINALS) -> date | None:
    """The last day a mark request may be filed; None when the final tests have no date."""
    if final_tests_on is None:
        return None
    return final_tests_on - timedelta(days=close_days)


def parse_office_hours(text: str) -> tuple[time, time]:
    """"07:00-17:30" → (07:00, 17:30)."""
    start, _, end = (text or "").partition("-")
    try:
        opens, closes = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise ValueError(f"Giờ hành chính không hợp lệ: {text!r} (dạng 07:00-17:30).") from None
    if opens >= closes:
        raise ValueError(f"Giờ hành chính không hợp lệ: {text!r} (giờ bắt đầu phải trước giờ kết thúc).")
    return opens, closes


def in_office_hours(now: datetime, office_hours: str = OFFICE_HOURS, office_days: int = OFFICE_DAYS) -> bool:
    """Inside the configured hours, on the first `office_days` days of the week (6: Monday to Saturday)."""
    opens, closes = parse_office_hours(office_hours)
    return now.weekday() < office_days and opens <= now.time() < closes


def office_hours_label(office_hours: str = OFFICE_HOURS, office_days: int = OFFICE_DAYS) -> str:
    opens, closes = parse_office_hours(office_hours)
    return f"{opens:%H:%M} – {closes:%H:%M}, {OFFICE_DAY_LABELS.get(office_days, 'thứ Hai đến thứ Bảy')}"
