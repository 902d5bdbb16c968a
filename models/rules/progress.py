"""Entry deadlines of the grade book and whether a teacher is late: pure functions on dates and counts.

TNT (docs/rules.md) §6.2: 50% of the ĐĐGtx marks by the end of week 8 of the semester; 100% three days
before the final tests; ĐĐGgk and ĐĐGck at the latest 10 working days after the test date.

Choices made here (callers and tests agree on them):

* Week 1 is the week (Monday to Sunday) holding the semester's first day, as the lock windows count
  it; "hết tuần 8" is the Sunday of week 8, and that whole day still counts.
* "Trước khi thi hết học kỳ 03 ngày" is read as: the marks are in by the end of the day three days
  before the final tests (tests on 23/12 → due 20/12, late from 21/12).
* Working days are Monday to Friday; public holidays are not known here (as for the lock windows).
* A deadline is judged on the counts now: late when its day has passed and fewer marks than needed
  are in. A test without a recorded date has no deadline and is never flagged.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from models.rules.locks import working_days_after

HALF_TX_WEEK = 8  # "hết tuần 8": half of the ĐĐGtx marks
FULL_TX_DAYS_BEFORE_FINALS = 3  # "trước khi thi hết học kỳ 03 ngày": all ĐĐGtx marks
TEST_WORKING_DAYS = 10  # ĐĐGgk / ĐĐGck: 10 working days after the test date

DONE, OPEN, LATE, NO_DATE = "done", "open", "late", "no_date"
STATUS_LABELS = {DONE: "Đủ", OPEN: "Chưa đến hạn", LATE: "Trễ hạn", NO_DATE: "Chưa có ngày kiểm tra"}


def week_start(semester_start: date) -> date:
    """The Monday of week 1: the week holding the semester's first day."""
    return semester_start - timedelta(days=semester_start.weekday())


def week_end(semester_start: date, week: int) -> date:
    """The Sunday of `week` (1-based), counted from the Monday of the semester's first week."""
    if week < 1:
        raise ValueError("Số tuần phải từ 1 trở lên.")
    return week_start(semester_start) + timedelta(weeks=week, days=-1)


def half_tx_due(semester_start: date) -> date:
    """Last day for 50% of the ĐĐGtx marks: Sunday of week 8."""
    return week_end(semester_start, HALF_TX_WEEK)


def full_tx_due(final_tests_on: date | None) -> date | None:
    """Last day for all ĐĐGtx marks: three days before the final tests (None without their date)."""
    if final_tests_on is None:
        return None
    return final_tests_on - timedelta(days=FULL_TX_DAYS_BEFORE_FINALS)


def periodic_due(test_date: date | None) -> date | None:
    """Last day to enter a periodic test's marks: 10 working days after the test (None without a date)."""
    if test_date is None:
        return None
    return working_days_after(test_date, TEST_WORKING_DAYS)


def half_of(required: int) -> int:
    """50% of the required marks, rounded up (7 of 13)."""
    return (required + 1) // 2


@dataclass(frozen=True)
class Deadline:
    """One rule applied to one class × subject: how many marks are due by when, and how it stands."""

    label: str
    due: date | None
    needed: int
    filled: int
    status: str  # DONE, OPEN, LATE, NO_DATE

    @property
    def late(self) -> bool:
        return self.status == LATE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def judge(label: str, due: date | None, needed: int, filled: int, today: date) -> Deadline:
    """Done when enough marks are in; late when the due day has passed without them."""
    if filled >= needed:
        status = DONE
    elif due is None:
        status = NO_DATE
    elif today > due:
        status = LATE
    else:
        status = OPEN
    return Deadline(label, due, needed, filled, status)


def tx_deadlines(filled: int, required: int, semester_start: date, final_tests_on: date | None,
                 today: date) -> list[Deadline]:
    """The two ĐĐGtx rules: half by the end of week 8, all three days before the final tests."""
    return [judge("50% ĐĐGtx hết tuần 8", half_tx_due(semester_start), half_of(required), filled, today),
            judge("100% ĐĐGtx trước kiểm tra cuối kì 3 ngày", full_tx_due(final_tests_on), required, filled,
                  today)]


def periodic_deadline(label: str, filled: int, students: int, test_date: date | None, today: date) -> Deadline:
    """A periodic test (ĐĐGgk, ĐĐGck): every student's mark within 10 working days of the test date."""
    return judge(label, periodic_due(test_date), students, filled, today)
