"""Summer (seed 000 Điều 26; seed 003: before 31 August): the office types the re-test marks or levels, the
homeroom teacher re-rates conduct after summer training, and the decision after summer is recorded beside the
first one (FinalDecision); the decision itself is tt22.promotion_after_summer's."""
from datetime import datetime

from models.core import write_transaction
from models.gradebook.marks import parse_value
from models.people.accounts import User
from models.people.records import Student
from models.rules import tt22
from models.school.structure import SchoolClass, Subject
from models.yearend import records, results
from models.yearend.records import FinalDecision, RetestValue, SummerConduct


def _result_of(school_class: SchoolClass, student: Student) -> "results.StudentResult":
    if records.year_end_of(school_class).state != records.APPROVED:
        raise ValueError(f"Kết quả cả năm lớp {school_class.name} chưa được hiệu trưởng duyệt; "
                         "chưa nhập được kết quả sau hè.")
    sheet = results.class_sheet(school_class, results.YEAR)
    result = next((r for r in sheet.active_rows if r.student.id == student.id), None)
    if result is None or result.promotion is None:
        raise ValueError(f"Học sinh {student.full_name} chưa có kết quả cả năm ở lớp {school_class.name}.")
    return result


def _record_decision(school_class: SchoolClass, student: Student, user: User, now: datetime) -> None:
    """Recompute the student's result after summer and store the decision beside the first."""
    from models.audit.log import record

    result = _result_of(school_class, student)
    if result.summer is None:
        return
    row = FinalDecision.get_or_none((FinalDecision.school_class == school_class) & (FinalDecision.student == student))
    before = {"conduct": row.conduct, "learning": row.learning, "decision": row.decision} if row else None
    after = {"conduct": result.summer.conduct, "learning": result.summer.learning, "decision": result.summer.decision}
    if before == after:
        return
    if row is None:
        FinalDecision.create(school_class=school_class, student=student, updated_by=user, updated_at=now, **after)
    else:
        FinalDecision.update(updated_by=user, updated_at=now, **after).where(FinalDecision.id == row.id).execute()
    record("final_decision", "final_decision", f"{school_class.name}/{student.code}", before=before, after=after,
           reason="Kết quả sau kiểm tra lại / rèn luyện hè")


def save_retest(school_class: SchoolClass, student: Student, subject: Subject, text: str, user: User,
                now: datetime | None = None) -> str:
    """Store a re-test mark (or level) of one of the student's re-test subjects; returns the stored value."""
    from models.audit.log import record

    now = now or datetime.now()
    value = parse_value(text, subject.comment_only)
    if value is None:
        raise ValueError("Chưa nhập điểm kiểm tra lại.")
    result = _result_of(school_class, student)
    if subject.name not in result.retest:
        raise ValueError(f"Môn {subject.name} không thuộc các môn kiểm tra lại của {student.full_name}.")
    with write_transaction():
        row = RetestValue.get_or_none((RetestValue.school_class == school_class) & (RetestValue.student == student)
                                      & (RetestValue.subject == subject))
        old = row.value if row else None
        if old == value:
            return value
        if row is None:
            RetestValue.create(school_class=school_class, student=student, subject=subject, value=value,
                               updated_by=user, updated_at=now)
        else:
            RetestValue.update(value=value, updated_by=user, updated_at=now).where(RetestValue.id == row.id).execute()
        record("retest", "retest", f"{school_class.name}/{student.code}/{subject.code}", before={"value": old},
               after={"value": value})
        _record_decision(school_class, student, user, now)
    return value


def save_summer_conduct(school_class: SchoolClass, student: Student, text: str, user: User,
                        now: datetime | None = None) -> str:
    """The homeroom teacher's conduct level after summer training, for a student sent to it."""
    from models.audit.log import record

    now = now or datetime.now()
    level = records.parse_conduct(text)
    if level is None:
        raise ValueError("Chưa chọn mức rèn luyện sau rèn luyện hè.")
    result = _result_of(school_class, student)
    if result.conduct != tt22.CHUA_DAT or result.promotion == tt22.NOT_PROMOTED:
        raise ValueError(f"Học sinh {student.full_name} không phải rèn luyện trong kì nghỉ hè.")
    with write_transaction():
        row = SummerConduct.get_or_none((SummerConduct.school_class == school_class)
                                        & (SummerConduct.student == student))
        old = row.level if row else None
        if old == level:
            return level
        if row is None:
            SummerConduct.create(school_class=school_class, student=student, level=level, updated_by=user,
                                 updated_at=now)
        else:
            SummerConduct.update(level=level, updated_by=user, updated_at=now).where(
                SummerConduct.id == row.id).execute()
        record("summer_conduct", "summer_conduct", f"{school_class.name}/{student.code}", before={"level": old},
               after={"level": level})
        _record_decision(school_class, student, user, now)
    return level


def summer_students(school_class: SchoolClass) -> list["results.StudentResult"]:
    """The class's students with a summer task (training, re-test or both)."""
    sheet = results.class_sheet(school_class, results.YEAR)
    return [r for r in sheet.active_rows
            if r.promotion in (tt22.SUMMER_TRAINING, tt22.RETEST, tt22.SUMMER_AND_RETEST)]


def _approved_classes(year) -> list[SchoolClass]:
    """The year's classes whose results the principal has approved: summer starts from an approved year."""
    return [c for c in SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name)
            if records.year_end_of(c).state == records.APPROVED]


def retest_students(year) -> list[tuple["SchoolClass", "results.StudentResult"]]:
    """Every student of the year's approved classes with subjects to re-test (the office's summer list)."""
    found = []
    for school_class in _approved_classes(year):
        found += [(school_class, r) for r in summer_students(school_class) if r.retest]
    return found


def proposed_staying(year) -> tuple[list["results.StudentResult"], list["results.StudentResult"]]:
    """For carrying the year forward, over the approved classes: (students not promoted, whose codes go into "ở lại lớp"; students whose
    summer decision is still open). Grade by grade in class order."""
    staying, pending = [], []
    for school_class in _approved_classes(year):
        for r in results.class_sheet(school_class, results.YEAR).active_rows:
            if r.final_decision == tt22.NOT_PROMOTED:
                staying.append(r)
            elif r.final_decision in (tt22.SUMMER_TRAINING, tt22.RETEST, tt22.SUMMER_AND_RETEST):
                pending.append(r)
    return staying, pending
