"""The placement proposed for carrying a year forward, from the year's results (issue 13, "The next year"): a
promoted student goes to the next grade's class (6A1 → 7A1), one not promoted stays in the grade (the same-named
class), and a promoted student of the last grade of the level (9 in a THCS) completes the programme. The admin
reviews it (admin/carry_review.html) before models.school.structure.carry_forward applies it.

A student whose decision is still open (summer re-tests or training not decided, the class not yet approved) is
proposed by the result that stands and flagged for the admin to look at.
"""
from dataclasses import dataclass, field

from models.rules import tt22
from models.school.structure import (
    SchoolClass,
    SchoolYear,
    class_roster,
    last_grade_of_level,
    next_class_name,
)
from models.yearend import records, reports, results

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


def propose(year: SchoolYear) -> Proposal:
    """Every student still in a class of the year with the placement their year result gives."""
    from models.school.structure import Grade

    grades = {g.number for g in Grade.select(Grade.number)}
    found = []
    for school_class in reports.classes_of(year):
        approved = records.year_end_of(school_class).state == records.APPROVED
        sheet = {r.student.id: r for r in results.class_sheet(school_class, results.YEAR).rows}
        placed = ClassPlacement(school_class, approved)
        for entry in class_roster(school_class):
            if entry.has_left:
                continue
            result = sheet.get(entry.student.id)
            decision = (result.final_decision if result else None) or ""
            stays = decision == tt22.NOT_PROMOTED
            flag = ""
            if not decision:
                flag = "Chưa đủ kết quả cả năm"
            elif decision in SUMMER_OPEN:
                flag = f"Chưa có kết quả sau hè ({decision.lower()})"
            elif not approved:
                flag = "Kết quả của lớp chưa được hiệu trưởng duyệt"
            placed.rows.append(Placement(entry.student, decision, stays, _target(school_class, stays, grades), flag))
        found.append(placed)
    return Proposal(year, found)
