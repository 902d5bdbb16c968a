"""When the grade book is open for entry: windows from the schedule, overridden by the principal's switch.

Pure functions: no database, no Flask. The entry schedule (docs/rules.md §14, TNT mục 2.3): the book opens
in week 3 and closes at 24:00 on the Sunday of week 9 (đợt 1), and opens again 10 days before the final
tests (đợt 2) until the end of the 10th working day after them.
Closing needs no cron job: the state is computed from the clock, the windows and the overrides.

Choices made here (callers and tests agree on them):

* A window is the half-open interval [opens_at, closes_at): "close Sunday 24:00" is stored as
  closes_at = the following Monday 00:00, so 23:59:59 on Sunday is open and 00:00:00 on Monday is not.
* An override applies to every column kind of its target. Its ``locked`` is True (khoá), False
  (mở) or None (trả về theo lịch: the scope stops overriding and less specific scopes decide).
* Overrides dated after ``now`` are not active yet (so the state at any past moment can be replayed).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from models.rules.dates import parse_date

__all__ = [
    "KINDS",
    "SCOPES",
    "SCHEDULE_CLOSED",
    "SCHEDULE_OPEN",
    "LockState",
    "Override",
    "Window",
    "end_of_day",
    "is_open",
    "lock_state",
    "format_closing",
    "format_opening",
    "override_target",
    "parse_moment",
    "week_window",
    "schedule_windows",
    "SCHEDULE_DESCRIPTION",
    "FIRST_OPEN_WEEK",
    "FIRST_CLOSE_WEEK",
    "DAYS_BEFORE_FINALS",
    "WORKING_DAYS_AFTER_FINALS",
    "working_days_after",
]

# the column kinds: ĐĐGtx (thường xuyên), ĐĐGgk (giữa kì), ĐĐGck (cuối kì)
KINDS = ("tx", "gk", "ck")
# from the least to the most specific
SCOPES = ("school", "grade", "class", "class_subject")

SCHEDULE_CLOSED = "Ngoài thời gian nhập điểm"
SCHEDULE_OPEN = "Trong thời gian nhập điểm"


@dataclass(frozen=True)
class Window:
    kind: str
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class Override:
    scope: str
    target: str  # "" (school), "6" (grade), "<class_id>", "<class_id>:<subject_id>"
    locked: bool | None
    at: datetime
    note: str = ""  # the reason the admin typed


@dataclass(frozen=True)
class LockState:
    locked: bool
    reason: str
    note: str = ""  # the admin's reason when an override decided


def is_open(windows: Sequence[Window], kind: str, now: datetime) -> bool:
    """Open iff now is in [opens_at, closes_at) of some window of that kind."""
    return any(w.kind == kind and w.opens_at <= now < w.closes_at for w in windows)


def override_target(scope: str, grade: int | str = "", class_id: int | str = "",
                    subject_id: int | str = "") -> str:
    """The target string of an override in `scope`."""
    if scope == "school":
        return ""
    if scope == "grade":
        return str(grade)
    if scope == "class":
        return str(class_id)
    if scope == "class_subject":
        return f"{class_id}:{subject_id}"
    raise ValueError(f"Phạm vi khoá không hợp lệ: {scope}.")


def _scope_label(scope: str, grade, class_name: str, subject_name: str) -> str:
    if scope == "school":
        return "toàn trường"
    if scope == "grade":
        return f"khối {grade}"
    if scope == "class":
        return f"lớp {class_name}"
    return f"môn {subject_name} lớp {class_name}"


def lock_state(windows: Sequence[Window], overrides: Sequence[Override], kind: str, grade: int | str,
               class_id: int | str, subject_id: int | str, now: datetime, class_name: str = "",
               subject_name: str = "") -> LockState:
    """Locked or not, and why: the most specific active override wins, else the schedule decides.

    Among overrides of one scope and target the latest (by `at`, then by position) wins.
    """
    class_name = class_name or str(class_id)
    subject_name = subject_name or str(subject_id)
    targets = {scope: override_target(scope, grade, class_id, subject_id) for scope in SCOPES}
    latest: dict[str, tuple[datetime, int, Override]] = {}
    for position, o in enumerate(overrides):
        if o.scope not in targets or o.target != targets[o.scope] or o.at > now:
            continue
        key = (o.at, position)
        if o.scope not in latest or key >= latest[o.scope][:2]:
            latest[o.scope] = (o.at, position, o)
    for scope in reversed(SCOPES):
        if scope in latest and latest[scope][2].locked is not None:
            o = latest[scope][2]
            verb = "Đã khoá" if o.locked else "Đã mở"
            return LockState(bool(o.locked), f"{verb} {_scope_label(scope, grade, class_name, subject_name)}",
                             o.note)
    if is_open(windows, kind, now):
        return LockState(False, SCHEDULE_OPEN)
    return LockState(True, SCHEDULE_CLOSED)


def end_of_day(day: date) -> datetime:
    """24:00 of `day`, i.e. 00:00 of the next day (the exclusive end of a window)."""
    return datetime.combine(day + timedelta(days=1), time.min)


def week_window(semester_start: date, open_week: int, close_week: int) -> tuple[datetime, datetime]:
    """Opens Monday 00:00 of `open_week`, closes Sunday 24:00 of `close_week`.

    Week 1 is the week (Monday to Sunday) holding the semester's first day.
    """
    if open_week < 1 or close_week < open_week:
        raise ValueError("Tuần mở phải từ 1 và không sau tuần đóng.")
    monday = semester_start - timedelta(days=semester_start.weekday())
    opens = datetime.combine(monday + timedelta(weeks=open_week - 1), time.min)
    closes = datetime.combine(monday + timedelta(weeks=close_week), time.min)
    return opens, closes


def working_days_after(day: date, count: int) -> date:
    """The `count`-th working day (Monday to Friday) after `day`; public holidays are not known here."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


_MOMENT_RE = re.compile(r"(.+?)(?:\s+([0-9]{1,2})\s*[:hH]\s*([0-9]{2}))?")


def parse_moment(text: str, end: bool = False) -> datetime:
    """A window edge typed as dd/mm/yyyy or dd/mm/yyyy HH:MM (also 24:00 and 17h30).

    A date alone means the start of that day, or its end (24:00) when `end` is true.
    """
    cleaned = " ".join((text or "").split())
    match = _MOMENT_RE.fullmatch(cleaned) if cleaned else None
    if not match:
        raise ValueError("Vui lòng nhập ngày dạng dd/mm/yyyy, có thể kèm giờ HH:MM.")
    day = parse_date(match[1])
    if match[2] is None:
        return end_of_day(day) if end else datetime.combine(day, time.min)
    hour, minute = int(match[2]), int(match[3])
    if (hour, minute) == (24, 0):
        return end_of_day(day)
    if hour > 23 or minute > 59:
        raise ValueError(f"Giờ không hợp lệ: {match[2]}:{match[3]} (từ 00:00 đến 24:00).")
    return datetime.combine(day, time(hour, minute))


def format_opening(moment: datetime) -> str:
    """As typed back in the form: "16/09/2024" at midnight, else "16/09/2024 07:30"."""
    day = f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}"
    if moment.time() == time.min:
        return day
    return f"{day} {moment.hour:02d}:{moment.minute:02d}"


def format_closing(moment: datetime) -> str:
    """As typed back in the form: a midnight close is the end of the previous day, "03/11/2024"."""
    if moment.time() == time.min:
        return format_opening(moment - timedelta(days=1))
    return format_opening(moment)


# --- the school's entry schedule (docs/rules.md §14) -----------------------------------------------
# đợt 1 opens on Monday of week 3 and closes at 24:00 on Sunday of week 9, for ĐĐGtx and ĐĐGgk; đợt 2 opens
# 10 days before the final tests and lasts through the 10th working day after them, for all three kinds
FIRST_OPEN_WEEK, FIRST_CLOSE_WEEK = 3, 9
FIRST_KINDS = ("tx", "gk")
DAYS_BEFORE_FINALS, WORKING_DAYS_AFTER_FINALS = 10, 10
SECOND_KINDS = ("tx", "gk", "ck")

SCHEDULE_DESCRIPTION = (
    f"đợt 1 mở từ thứ Hai tuần {FIRST_OPEN_WEEK} đến hết Chủ nhật tuần {FIRST_CLOSE_WEEK} (24:00) cho ĐĐGtx "
    f"và ĐĐGgk; đợt 2 mở {DAYS_BEFORE_FINALS} ngày trước ngày kiểm tra cuối kì đến hết ngày làm việc thứ "
    f"{WORKING_DAYS_AFTER_FINALS} sau đó, cho cả ba cột. Tuần 1 là tuần có ngày bắt đầu học kì.")


def schedule_windows(starts_on: date, final_tests_on: date) -> list[tuple[str, datetime, datetime]]:
    """The schedule's windows for a semester starting on `starts_on`: (kind, opens_at, closes_at)."""
    first_open, first_close = week_window(starts_on, FIRST_OPEN_WEEK, FIRST_CLOSE_WEEK)
    second_open = datetime.combine(final_tests_on - timedelta(days=DAYS_BEFORE_FINALS), datetime.min.time())
    second_close = end_of_day(working_days_after(final_tests_on, WORKING_DAYS_AFTER_FINALS))
    return ([(kind, first_open, first_close) for kind in FIRST_KINDS]
            + [(kind, second_open, second_close) for kind in SECOND_KINDS])
