"""The history of notices: per student, per class, per teacher (who made them), filterable; the head of
department's month view of each member's notices and monthly comments (seed 002 Điều 7.4)."""
from dataclasses import dataclass, field
from datetime import date

from models.families.notices import FamilyNotice
from models.people.accounts import User
from models.people.records import Staff, Student
from models.school.structure import SchoolClass


def notices(school_class: SchoolClass | None = None, student: Student | None = None,
            made_by: list[int] | None = None, kind: str = "", state: str = "",
            since: date | None = None, until: date | None = None, limit: int = 500) -> list[FamilyNotice]:
    """Notices, newest first, narrowed by any of: class, student, maker (user ids), kind, state, days."""
    query = (FamilyNotice.select(FamilyNotice, Student, SchoolClass)
             .join(Student).switch(FamilyNotice).join(SchoolClass)
             .order_by(FamilyNotice.day.desc(), FamilyNotice.id.desc()).limit(limit))
    if school_class is not None:
        query = query.where(FamilyNotice.school_class == school_class)
    if student is not None:
        query = query.where(FamilyNotice.student == student)
    if made_by is not None:
        query = query.where(FamilyNotice.created_by.in_(made_by or [0]))
    if kind:
        query = query.where(FamilyNotice.kind == kind)
    if state:
        query = query.where(FamilyNotice.state == state)
    if since:
        query = query.where(FamilyNotice.day >= since)
    if until:
        query = query.where(FamilyNotice.day <= until)
    return list(query)


def users_of(staff: Staff) -> list[int]:
    return [u.id for u in User.select(User.id).where(User.staff == staff)]


@dataclass
class MemberMonth:
    """One department member's month: the notices they made, by state, and their monthly comments."""

    staff: Staff
    notices: list[FamilyNotice] = field(default_factory=list)

    @property
    def comments(self) -> list[FamilyNotice]:
        return [n for n in self.notices if n.kind == "monthly_comment"]

    def count(self, *states: str) -> int:
        return sum(1 for n in self.notices if n.state in states)


def department_month(members: list[Staff], first: date, last: date) -> list[MemberMonth]:
    rows = []
    for staff in members:
        rows.append(MemberMonth(staff, notices(made_by=users_of(staff), since=first, until=last)))
    return rows


def makers() -> list[User]:
    """Everyone who has made a notice, by name (the office's filter by teacher)."""
    ids = FamilyNotice.select(FamilyNotice.created_by).where(FamilyNotice.created_by.is_null(False)).distinct()
    return list(User.select().where(User.id.in_(ids)).order_by(User.full_name))
