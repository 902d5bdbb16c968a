"""A class's year-end walk (seed 000 Điều 15.4): the homeroom teacher submits the computed sheet, the
vice-principal returns it with a reason or passes it on, the principal approves, which freezes each student's
year result (FrozenResult). A later change (a mark through a correction request) makes the live sheet differ
from the frozen one: the class then "cần duyệt lại" until the principal approves again.

Every step is one YearEndStep row and one audit entry.
"""
import json
from dataclasses import dataclass
from datetime import date, datetime

from models.attendance.register import AttendanceMark
from models.core import write_transaction
from models.gradebook.marks import MarkCell
from models.people.accounts import User
from models.school.structure import SchoolClass, SchoolYear
from models.yearend import records, results
from models.yearend.records import (
    APPROVED,
    DRAFT,
    PASSED,
    RETURNED,
    SUBMITTED,
    ClassYearEnd,
    ConductRating,
    FrozenResult,
)
from models.yearend.walk import StepRefused, move

__all__ = ["StepRefused"]  # the views catch approval.StepRefused


def _primary(school_class: SchoolClass):
    """The primary walk (models/yearend/primary_year.py) for a class of grades 1–5, else None."""
    from models.primary.assessments import is_primary_class

    if not is_primary_class(school_class):
        return None
    from models.yearend import primary_year

    return primary_year


def submit(school_class: SchoolClass, user: User, now: datetime | None = None) -> ClassYearEnd:
    """The homeroom teacher submits the year: refused while any subject or conduct level is incomplete."""
    if primary := _primary(school_class):
        return primary.submit(school_class, user, now)
    sheet = results.class_sheet(school_class, results.YEAR)
    if not sheet.complete:
        missing = [i.text for i in sheet.incomplete]
        if sheet.missing_conduct:
            missing.append(f"Rèn luyện: {sheet.missing_conduct} học sinh chưa xếp loại")
        raise StepRefused("Chưa nộp được: kết quả chưa đủ. " + "; ".join(missing) + ".")
    with write_transaction():
        return move(school_class, (DRAFT, RETURNED), SUBMITTED, "submit", user, now=now)


def pass_on(school_class: SchoolClass, user: User, now: datetime | None = None) -> ClassYearEnd:
    """The vice-principal passes the submitted class to the principal."""
    with write_transaction():
        return move(school_class, (SUBMITTED,), PASSED, "pass", user, now=now)


def return_class(school_class: SchoolClass, reason: str, user: User, now: datetime | None = None) -> ClassYearEnd:
    """The vice-principal (or principal) returns the class to its homeroom teacher, with a reason. An approved
    class is returned by the principal only (the view checks it), e.g. to correct a conduct level; its frozen
    results stay until it is approved again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise StepRefused("Cần ghi lí do trả lại.")
    with write_transaction():
        return move(school_class, (SUBMITTED, PASSED, APPROVED), RETURNED, "return", user, reason, now)


def approve(school_class: SchoolClass, user: User, now: datetime | None = None) -> ClassYearEnd:
    """The principal approves: each student's year result is frozen as it is computed now.

    An approved class whose live results differ from the frozen ones is approved again the same way."""
    if primary := _primary(school_class):
        return primary.approve(school_class, user, now)
    now = now or datetime.now()
    sheet = results.class_sheet(school_class, results.YEAR)
    again = records.year_end_of(school_class).state == APPROVED
    if again and not needs_reapproval(school_class, sheet):
        raise StepRefused(f"Kết quả lớp {school_class.name} không thay đổi từ lần duyệt trước.")
    if not sheet.complete:
        raise StepRefused("Kết quả của lớp chưa đủ; chưa duyệt được.")
    with write_transaction():
        row = move(school_class, (APPROVED,) if again else (PASSED,), APPROVED, "reapprove" if again else "approve",
                    user, now=now)
        for result in sheet.active_rows:
            data = json.dumps(result.snapshot(sheet.columns), ensure_ascii=False, sort_keys=True)
            updated = (FrozenResult.update(data=data, approved_at=now)
                       .where((FrozenResult.school_class == school_class)
                              & (FrozenResult.student == result.student)).execute())
            if not updated:
                FrozenResult.create(school_class=school_class, student=result.student, data=data, approved_at=now)
        return row


def changed_students(school_class: SchoolClass, sheet: "results.ClassSheet | None" = None) -> list:
    """The students whose live year result differs from the frozen one (empty before approval)."""
    if primary := _primary(school_class):
        return [r.student for r in primary.changed_pupils(school_class)]
    frozen = records.frozen_results(school_class)
    if not frozen:
        return []
    sheet = sheet or results.class_sheet(school_class, results.YEAR)
    return [r for r in sheet.active_rows
            if json.loads(json.dumps(r.snapshot(sheet.columns), ensure_ascii=False)) != frozen.get(r.student.id)]


def _touched_since(school_class: SchoolClass, when: datetime) -> bool:
    """Whether any mark, attendance session or conduct level of the class was written after `when`: three
    index-backed existence checks, so that a list of approved classes need not recompute every sheet."""
    return (MarkCell.select().where((MarkCell.school_class == school_class) & (MarkCell.updated_at > when)).exists()
            or AttendanceMark.select().where((AttendanceMark.school_class == school_class)
                                             & (AttendanceMark.updated_at > when)).exists()
            or ConductRating.select().where((ConductRating.school_class == school_class)
                                            & (ConductRating.updated_at > when)).exists())


def needs_reapproval(school_class: SchoolClass, sheet: "results.ClassSheet | None" = None) -> bool:
    """Approved, but a mark or level changed since and the year result with it (cần duyệt lại)."""
    if primary := _primary(school_class):
        return primary.needs_reapproval(school_class)
    state = records.year_end_of(school_class)
    if state.state != APPROVED or (state.approved_at and not _touched_since(school_class, state.approved_at)):
        return False
    return bool(changed_students(school_class, sheet))


@dataclass
class ClassState:
    school_class: SchoolClass
    state: str
    label: str
    reason: str
    reapprove: bool


def class_states(year: SchoolYear, states: tuple[str, ...] | None = None) -> list[ClassState]:
    """Every class of the year with its year-end state (and whether it must be approved again)."""
    stored = {r.school_class_id: r for r in ClassYearEnd.select().join(SchoolClass)
              .where(SchoolClass.year == year)}
    found = []
    for school_class in SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name):
        row = stored.get(school_class.id)
        state = row.state if row else DRAFT
        if states is not None and state not in states:
            continue
        reapprove = state == APPROVED and needs_reapproval(school_class)
        label = "Cần duyệt lại" if reapprove else records.STATE_LABELS[state]
        found.append(ClassState(school_class, state, label, row.reason if row else "", reapprove))
    return found


# summer re-assessment ends by 31 August (seed 003); after it an approved year is closed
SUMMER_ENDS = (8, 31)


def year_end_open(year: SchoolYear, today: date | None = None) -> bool:
    """Whether the year's year end is still open: the current year always; an earlier year until every class
    of it is approved and its summer (31/08 of its end year) is over. A homeroom teacher of a class in an open
    year reaches that class's year-end pages even when they are not homeroom of any class this year."""
    today = today or date.today()
    current = SchoolYear.current()
    if current is None or year.start_year >= current.start_year:
        return True
    if today <= date(year.start_year + 1, *SUMMER_ENDS):
        return True
    approved = (ClassYearEnd.select().join(SchoolClass)
                .where((SchoolClass.year == year) & (ClassYearEnd.state == APPROVED)).count())
    return approved < SchoolClass.select().where(SchoolClass.year == year).count()


def year_to_review() -> SchoolYear | None:
    """The year the school's leaders look at by default: the newest with a class waiting, else the newest with
    any class submitted before (summer, re-approvals), else the current one."""
    def newest(states):
        return (SchoolYear.select().join(SchoolClass)
                .join(ClassYearEnd, on=(ClassYearEnd.school_class == SchoolClass.id))
                .where(ClassYearEnd.state.in_(states)).order_by(SchoolYear.start_year.desc()).first())

    return newest([SUBMITTED, PASSED]) or newest([APPROVED, RETURNED]) or SchoolYear.current()
