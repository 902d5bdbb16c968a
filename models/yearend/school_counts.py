"""The whole school's results for the summary (thống kê toàn trường) in a handful of queries, whatever the number
of classes: one aggregate over the grade book (per student, subject and semester: how many TX marks, their sum,
the GK and CK, how many comment levels are not Đ), one over attendance (absent sessions per student), and the
rosters, the subjects of each grade and the conduct levels, one query each. The rule functions of
models/rules/tt22.py then decide exactly as the class sheets do (models/yearend/results.py), which the tests
compare on every class of the demo.
"""
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from peewee import SQL, Case, fn

from models.attendance.register import VALUES, AttendanceMark
from models.core import db
from models.gradebook.marks import MarkCell, semester_result
from models.people.records import STUDENT_LEFT, Student
from models.rules import tt22
from models.school.structure import Enrolment, GradeSubject, SchoolClass, SchoolYear, Semester, Subject


@dataclass
class Outcome:
    """What the summary counts of one student of a class (and the carry-forward proposal reads)."""

    learning: str | None
    conduct: str | None
    promotion: str | None = None
    award: str | None = None
    student_id: int = 0


@dataclass
class _Column:
    subject_id: int
    name: str
    comment_only: bool
    tx_n: int


def _columns(year: SchoolYear) -> dict[int, list[_Column]]:
    """grade id → the grade's subjects (as results.subject_columns, without the teachers)."""
    found: dict[int, list[_Column]] = defaultdict(list)
    grades = SchoolClass.select(SchoolClass.grade).where(SchoolClass.year == year)
    for gs in (GradeSubject.select(GradeSubject, Subject).join(Subject).where(GradeSubject.grade.in_(grades))
               .order_by(Subject.position, Subject.name)):
        found[gs.grade_id].append(_Column(gs.subject_id, gs.subject.name, gs.subject.comment_only,
                                          tt22.tx_count(gs.periods_per_year, gs.subject.comment_only)))
    return found


def _active_students(year: SchoolYear) -> dict[int, list[int]]:
    """class id → the students still in it (a roster's rows that have not left)."""
    found: dict[int, list[int]] = defaultdict(list)
    for class_id, student_id in (Enrolment.select(Enrolment.school_class, Enrolment.student).join(Student)
                                 .switch(Enrolment).join(SchoolClass)
                                 .where((SchoolClass.year == year) & Enrolment.left_on.is_null()
                                        & Student.status.not_in(sorted(STUDENT_LEFT))).tuples()):
        found[class_id].append(student_id)
    return found


def _tenths(kind: str):
    """A scored mark of the kind in tenths, as an integer (exact on both databases); NULL otherwise."""
    return Case(None, [((MarkCell.kind == kind) & (Subject.kind != "comment"),
                        fn.ROUND(MarkCell.value.cast("NUMERIC") * 10))], None)


def _count(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def _mark_totals(year: SchoolYear, semesters: list[Semester]) -> dict[tuple, tuple]:
    """(class, student, subject, semester number) → (TX count, highest TX index, TX sum in tenths, GK tenths,
    CK tenths, GK count, CK count, comment levels that are not Đ): one aggregate query."""
    numbers = {s.id: s.number for s in semesters}
    query = (MarkCell.select(MarkCell.school_class, MarkCell.student, MarkCell.subject, MarkCell.semester,
                             _count(MarkCell.kind == "tx"),
                             fn.MAX(Case(None, [(MarkCell.kind == "tx", MarkCell.idx)], None)),
                             fn.SUM(_tenths("tx")), fn.MAX(_tenths("gk")), fn.MAX(_tenths("ck")),
                             _count(MarkCell.kind == "gk"), _count(MarkCell.kind == "ck"),
                             _count(MarkCell.value != tt22.COMMENT_PASS))
             .join(Subject, on=(MarkCell.subject == Subject.id))
             .switch(MarkCell).join(SchoolClass, on=(MarkCell.school_class == SchoolClass.id))
             .where((SchoolClass.year == year) & MarkCell.semester.in_(list(numbers)) & MarkCell.value.is_null(False))
             .group_by(MarkCell.school_class, MarkCell.student, MarkCell.subject, MarkCell.semester))
    # the raw cursor: some forty thousand rows of plain numbers need none of peewee's per-row conversion
    return {(c, st, su, numbers[se]): rest for c, st, su, se, *rest in db.execute(query).fetchall()}


def _cells(class_id: int, student_id: int, subject_id: int, semester: Semester) -> dict:
    """The stored values of one student's subject in a semester (the rare case of TX marks beyond the count)."""
    return {(k, i): v for k, i, v in MarkCell.select(MarkCell.kind, MarkCell.idx, MarkCell.value).where(
        (MarkCell.school_class == class_id) & (MarkCell.student == student_id) & (MarkCell.subject == subject_id)
        & (MarkCell.semester == semester)).tuples()}


def _result(totals: tuple | None, column: _Column, key: tuple, semester: Semester) -> Decimal | str | None:
    """ĐTBmhk or the comment level from the aggregate, None while incomplete (as marks.semester_result)."""
    if totals is None:
        return None
    tx_count, tx_max, tx_sum, gk, ck, gk_count, ck_count, not_pass = totals
    if tx_count and tx_count > column.tx_n:  # columns beyond the required count: read the cells themselves
        return semester_result(_cells(*key[:3], semester), column.tx_n, column.comment_only)
    if tx_count != column.tx_n or (tx_max or 0) != column.tx_n or not gk_count or not ck_count:
        return None
    if column.comment_only:
        return tt22.COMMENT_FAIL if not_pass else tt22.COMMENT_PASS
    ten = Decimal(10)
    return tt22.semester_average_of_total(Decimal(int(tx_sum)) / ten, tx_count, Decimal(int(gk)) / ten,
                                          Decimal(int(ck)) / ten)


def _conduct(year: SchoolYear) -> dict[tuple[int, int, int], str | None]:
    from models.yearend.records import ConductRating

    return {(c, st, se): level for c, st, se, level in (
        ConductRating.select(ConductRating.school_class, ConductRating.student, ConductRating.semester,
                             ConductRating.level)
        .join(SchoolClass).where(SchoolClass.year == year).tuples())}


def _absent_sessions(year: SchoolYear, semesters: list[Semester]) -> dict[int, int]:
    """student id → sessions absent (P and K) on days of the year's semesters, in any class of the year."""
    if not semesters:
        return {}
    within = None
    for term in semesters:
        days = AttendanceMark.day.between(term.starts_on, term.ends_on)
        within = days if within is None else within | days
    return dict(AttendanceMark.select(AttendanceMark.student, fn.COUNT(SQL("*"))).join(SchoolClass)
                .where((SchoolClass.year == year) & AttendanceMark.value.in_(VALUES) & within)
                .group_by(AttendanceMark.student).tuples())


def _values(key: tuple[int, int], cols: list[_Column], semester: int | None, totals: dict,
            terms: dict[int, Semester]) -> dict[str, Decimal | str | None]:
    """subject name → the student's result in the period (as results.class_sheet), from the aggregates."""
    def of(column: _Column, number: int):
        cell = (*key, column.subject_id, number)
        return _result(totals.get(cell), column, cell, terms.get(number))

    values = {}
    for column in cols:
        if semester is not None:
            values[column.name] = of(column, semester)
        elif column.comment_only:
            values[column.name] = of(column, 2)  # the year of a comment subject is semester II's
        else:
            one, two = of(column, 1), of(column, 2)
            values[column.name] = tt22.year_average(one, two) if one is not None and two is not None else None
    return values


def class_outcomes(year: SchoolYear, semester: int | None) -> dict[int, list[Outcome]]:
    """class id → each active student's learning and conduct (and, for the year, promotion and award)."""
    terms = {s.number: s for s in Semester.select().where(Semester.year == year)}
    needed = [terms[n] for n in ((1, 2) if semester is None else (semester,)) if n in terms]
    totals = _mark_totals(year, needed)
    conduct = _conduct(year)
    columns = _columns(year)
    absences = _absent_sessions(year, list(terms.values())) if semester is None else {}
    active = _active_students(year)
    found: dict[int, list[Outcome]] = {}
    for class_id, grade_id in SchoolClass.select(SchoolClass.id, SchoolClass.grade).where(
            SchoolClass.year == year).tuples():
        cols = columns.get(grade_id, [])
        outcomes = found[class_id] = []
        for student_id in active.get(class_id, ()):
            values = _values((class_id, student_id), cols, semester, totals, terms)
            learning = None
            if cols and all(v is not None for v in values.values()):
                learning = tt22.learning_result({c.name: values[c.name] for c in cols if not c.comment_only},
                                                {c.name: values[c.name] for c in cols if c.comment_only})
            if semester is None:
                first, second = conduct.get((class_id, student_id, 1)), conduct.get((class_id, student_id, 2))
                level = tt22.conduct_year(first, second) if first and second else None
            else:
                level = conduct.get((class_id, student_id, semester))
            outcome = Outcome(learning, level, student_id=student_id)
            if semester is None and level and learning:
                scored = {c.name: values[c.name] for c in cols if not c.comment_only}
                outcome.award = tt22.award(level, learning, scored)
                outcome.promotion = tt22.promotion(level, learning, absences.get(student_id, 0))
            outcomes.append(outcome)
    return found
