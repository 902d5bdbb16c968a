"""The placement proposed for carrying a year forward, from the year's results (issue 13, "The next year"): a
promoted student goes to the next grade's class (6A1 → 7A1), one not promoted stays in the grade (the same-named
class), and a promoted student of the last grade of the level (9 in a THCS) completes the programme. The admin
reviews it (admin/carry_review.html) before models.school.structure.carry_forward applies it.

A student whose decision is still open (summer re-tests or training not decided, the class not yet approved) is
proposed by the result that stands and flagged for the admin to look at.
"""
from dataclasses import dataclass, field

from models.rules import tt22
from models.school.structure import SchoolClass, SchoolYear, last_grade_of_level, next_class_name
from models.yearend import records, reports, results, school_counts

SUMMER_OPEN = (tt22.SUMMER_TRAINING, tt22.RETEST, tt22.SUMMER_AND_RETEST)
COMPLETES = "Hoàn thành chương trình"


@dataclass
class Placement:
    student: object
    decision: str  # the decision that stands ("" while the year's result is incomplete)
    stays: bool  # proposed "ở lại lớp"
    target: str  # the class of next year, or COMPLETES, or "Rời trường" (the school's top grade, mid-level)
    flag: str = ""  # why the admin should look at it


@dataclass
class ClassPlacement:
    school_class: SchoolClass
    approved: bool
    rows: list[Placement] = field(default_factory=list)


@dataclass
class Proposal:
    year: SchoolYear
    classes: list[ClassPlacement]

    @property
    def staying_codes(self) -> list[str]:
        return [p.student.code for c in self.classes for p in c.rows if p.stays]

    @property
    def flagged(self) -> list[Placement]:
        return [p for c in self.classes for p in c.rows if p.flag]

    def count(self, what: str) -> int:
        rows = [p for c in self.classes for p in c.rows]
        if what == "stays":
            return sum(p.stays for p in rows)
        if what == "completes":
            return sum(p.target == COMPLETES for p in rows)
        return sum(not p.stays and p.target != COMPLETES for p in rows)


def _target(school_class: SchoolClass, stays: bool, grades: set[int]) -> str:
    number = school_class.grade.number
    if stays:
        return school_class.name
    if number + 1 in grades:
        return next_class_name(school_class.name, number)
    return COMPLETES if last_grade_of_level(number) else "Rời trường"


def _recorded_decisions(year: SchoolYear) -> dict[tuple[int, int], str]:
    """(class id, student id) → the decision after summer as recorded beside the first (summer.py)."""
    return {(c, st): d for c, st, d in (records.FinalDecision.select(records.FinalDecision.school_class,
                                                                       records.FinalDecision.student,
                                                                       records.FinalDecision.decision)
                                        .join(SchoolClass).where(SchoolClass.year == year).tuples())}


def _approved(year: SchoolYear) -> set[int]:
    return {c for (c,) in records.ClassYearEnd.select(records.ClassYearEnd.school_class).join(SchoolClass)
            .where((SchoolClass.year == year) & (records.ClassYearEnd.state == records.APPROVED)).tuples()}


def _students(year: SchoolYear) -> dict[int, list]:
    """class id → its students still in it, in the class list's order: one query for the school."""
    from models.people.records import STUDENT_LEFT, Student
    from models.rules.text import vietnamese_sort_key
    from models.school.structure import Enrolment

    found: dict[int, list] = {}
    for enrolment in (Enrolment.select(Enrolment.school_class, Student.id, Student.full_name, Student.code,
                                       Student.status).join(Student).switch(Enrolment).join(SchoolClass)
                      .where((SchoolClass.year == year) & Enrolment.left_on.is_null()
                             & Student.status.not_in(sorted(STUDENT_LEFT)))):
        found.setdefault(enrolment.school_class_id, []).append(enrolment.student)
    for students in found.values():
        students.sort(key=lambda s: (vietnamese_sort_key(s.full_name), s.id))
    return found


def propose(year: SchoolYear) -> Proposal:
    """Every student still in a class of the year with the placement their year result gives: the school's
    results read as the summary reads them (school_counts, a few queries), the decision after summer where one
    is recorded."""
    from models.school.structure import Grade

    grades = {g.number for g in Grade.select(Grade.number)}
    outcomes = {(class_id, o.student_id): o for class_id, rows in
                school_counts.class_outcomes(year, results.YEAR).items() for o in rows}
    after_summer = _recorded_decisions(year)
    approved = _approved(year)
    students = _students(year)
    found = []
    for school_class in reports.classes_of(year):
        placed = ClassPlacement(school_class, school_class.id in approved)
        for student in students.get(school_class.id, []):
            key = (school_class.id, student.id)
            outcome = outcomes.get(key)
            decision = after_summer.get(key) or (outcome.promotion if outcome else None) or ""
            stays = decision == tt22.NOT_PROMOTED
            flag = ""
            if not decision:
                flag = "Chưa đủ kết quả cả năm"
            elif decision in SUMMER_OPEN:
                flag = f"Chưa có kết quả sau hè ({decision.lower()})"
            elif not placed.approved:
                flag = "Kết quả của lớp chưa được hiệu trưởng duyệt"
            placed.rows.append(Placement(student, decision, stays, _target(school_class, stays, grades), flag))
        found.append(placed)
    return Proposal(year, found)
