"""The timetable's pure rules (thời khoá biểu): periods and sessions, which version applies on a day,
a teacher in two classes at once, the cells of an imported sheet.

A period is one number for the whole day: 1–5 the morning session (buổi sáng), 6–10 the afternoon
(buổi chiều), so that (day, period) names one lesson slot of a class.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from models.rules.text import fold, nfc

PERIODS_PER_SESSION = 5
WEEKDAYS = (0, 1, 2, 3, 4, 5)  # Monday … Saturday; Sunday is never a school day here
WEEKDAY_LABELS = {0: "Thứ Hai", 1: "Thứ Ba", 2: "Thứ Tư", 3: "Thứ Năm", 4: "Thứ Sáu", 5: "Thứ Bảy"}
SESSION_LABELS = {1: "Sáng", 2: "Chiều"}


def session_of(period: int) -> int:
    """1 (sáng) for periods 1–5, 2 (chiều) for 6–10."""
    return 1 if period <= PERIODS_PER_SESSION else 2


def period_in_session(period: int) -> int:
    return (period - 1) % PERIODS_PER_SESSION + 1


def period_label(period: int) -> str:
    """"Tiết 2 (sáng)", "Tiết 1 (chiều)"."""
    return f"Tiết {period_in_session(period)} ({SESSION_LABELS[session_of(period)].lower()})"


def periods_of(sessions_per_day: int) -> list[int]:
    """The periods of a school day: 1–5, or 1–10 with two sessions."""
    return list(range(1, PERIODS_PER_SESSION * (2 if sessions_per_day == 2 else 1) + 1))


def check_period(period: int, sessions_per_day: int = 2) -> None:
    if period not in periods_of(sessions_per_day):
        raise ValueError(f"Tiết {period} không có trong lịch học của trường.")


def week_start(day: date) -> date:
    """The Monday of the school week holding `day`."""
    return day - timedelta(days=day.weekday())


def week_days(monday: date, days_per_week: int = 6) -> list[date]:
    return [monday + timedelta(days=i) for i in range(days_per_week)]


def version_on(effective_dates: Iterable[date], day: date) -> date | None:
    """The effective date of the timetable version in force on `day`: the latest one not after it."""
    earlier = [d for d in effective_dates if d <= day]
    return max(earlier) if earlier else None


class Slot(NamedTuple):
    """One lesson of the weekly timetable: a class's (weekday, period) with its subject and teacher."""

    class_name: str
    weekday: int
    period: int
    subject: str
    teacher: str


class Clash(NamedTuple):
    teacher: str
    weekday: int
    period: int
    classes: tuple[str, ...]

    @property
    def message(self) -> str:
        return (f"Giáo viên {self.teacher} dạy cùng lúc nhiều lớp ({', '.join(self.classes)}) vào "
                f"{WEEKDAY_LABELS[self.weekday]}, {period_label(self.period)}.")


def clashes(slots: Iterable[Slot]) -> list[Clash]:
    """Every (teacher, weekday, period) taught in more than one class: one teacher cannot be in two rooms."""
    where: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for slot in slots:
        where[(slot.teacher, slot.weekday, slot.period)].append(slot.class_name)
    return [Clash(teacher, weekday, period, tuple(sorted(classes)))
            for (teacher, weekday, period), classes in sorted(where.items()) if len(classes) > 1]


_WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}


def parse_weekday(text) -> int:
    """"2", "Thứ 2", "T2", "Thứ Hai" → 0 (Monday) … "7", "Thứ Bảy" → 5; ValueError otherwise."""
    raw = nfc(str(text if text is not None else "")).strip()
    raw = raw.removesuffix(".0")  # Excel hands whole numbers over as 3.0
    folded = fold(raw).replace(".", " ")
    folded = re.sub(r"^(thu|t)\s*", "", folded).strip()
    if folded.isdigit() and 2 <= int(folded) <= 7:
        return int(folded) - 2
    if folded in _WEEKDAY_WORDS:
        return _WEEKDAY_WORDS[folded]
    raise ValueError(f"Không hiểu thứ “{raw}” (ghi 2 … 7 hoặc Thứ Hai … Thứ Bảy).")


def parse_session(text) -> int:
    """"Sáng"/"S"/"1" → 1, "Chiều"/"C"/"2" → 2, empty → 1 (a one-session school leaves it out)."""
    raw = nfc(str(text if text is not None else "")).strip()
    folded = fold(raw)
    if folded in ("", "sang", "s", "1"):
        return 1
    if folded in ("chieu", "c", "2"):
        return 2
    raise ValueError(f"Không hiểu buổi “{raw}” (ghi Sáng hoặc Chiều).")


def parse_period_number(text) -> int:
    """The period within its session, 1–5."""
    raw = str(text if text is not None else "").strip()
    if raw.endswith(".0"):
        raw = raw[:-2]
    if not raw.isdigit() or not 1 <= int(raw) <= PERIODS_PER_SESSION:
        raise ValueError(f"Tiết “{raw}” không hợp lệ (ghi 1 … {PERIODS_PER_SESSION}).")
    return int(raw)


def day_period(session: int, period_in: int) -> int:
    return (session - 1) * PERIODS_PER_SESSION + period_in


def split_cell(text) -> tuple[str, str]:
    """A timetable cell "Toán - Nguyễn Văn An" → ("Toán", "Nguyễn Văn An"); "Toán" → ("Toán", "")."""
    raw = nfc(str(text if text is not None else "")).strip()
    for sep in (" - ", " – ", "\n", "(", "/"):
        if sep in raw:
            subject, _, teacher = raw.partition(sep)
            return subject.strip(), teacher.strip(" )")
    return raw, ""
