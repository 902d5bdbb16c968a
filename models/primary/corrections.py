"""Corrections and history of primary cells (TT27) after the entry lock.

A locked level, periodic test score or comment changes only through the grade book's correction workflow
(models/gradebook/corrections.py, target "primary"): the teacher files a request with evidence, the head of
the department confirms (the subject's department, or for a subject the homeroom teacher teaches the filer's
tổ khối), the vice-principal approves, the office applies it. The applied value is marked `corrected` (red
on the prints). A comment's request carries the whole text, old and new, checked as the grid checks a typed
comment (tt27.parse_comment).

A cell's history is read from the audit log, which holds every save and every applied correction of it
under the cell's key: no second copy of each change is kept.
"""
from dataclasses import dataclass
from datetime import datetime

from models.audit.log import AuditEntry, record
from models.core import db
from models.gradebook import corrections as corr
from models.people.accounts import User
from models.people.records import Student
from models.primary.assessments import (
    FIELD_HEADERS,
    TRAITS_SUBJECT,
    PrimaryCell,
    PrimaryTrait,
    fields_of,
    moment_lock,
)
from models.rules import tt27
from models.school.structure import SchoolClass, Semester, Subject, TeachingAssignment, enrolment_in


@dataclass
class PrimaryTarget:
    """A locked primary cell or rating a request may be filed for, with the value stored now. A rating (a quality
    or competence, rated by the homeroom teacher) has no subject and no assignment."""

    school_class: SchoolClass
    subject: Subject | None
    semester: Semester
    moment: str
    field: str
    student: Student
    value: str | None
    lock_reason: str
    assignment: TeachingAssignment | None = None

    @property
    def label(self) -> str:
        what = corr.PRIMARY_FIELDS[self.field] if self.subject is not None else corr.TRAITS[self.field]
        return f"{what} · {tt27.MOMENTS[self.moment]}"


def cell_key(school_class, subject, moment: str, student: Student, name: str) -> str:
    """The cell's key in the audit log (the one save_subject_cell records under)."""
    return f"{school_class.year.name}/{school_class.name}/{subject.code}/{moment}/{student.code}/{name}"


def _find(school_class, subject, student, moment: str, name: str) -> PrimaryCell | None:
    return PrimaryCell.get_or_none((PrimaryCell.school_class == school_class) & (PrimaryCell.subject == subject)
                                   & (PrimaryCell.student == student) & (PrimaryCell.moment == moment)
                                   & (PrimaryCell.field == name))


def primary_target(assignment: TeachingAssignment, moment: str, student: Student, name: str,
                   now: datetime | None = None) -> PrimaryTarget:
    """Check the cell may get a request: a level or a score the subject has then, a pupil still in the class,
    a locked moment. ValueError (Vietnamese) otherwise."""
    now = now or datetime.now()
    school_class, subject = assignment.school_class, assignment.subject
    if moment not in tt27.MOMENTS or name not in corr.PRIMARY_FIELDS or name not in fields_of(
            school_class, subject, moment):
        raise ValueError("Ô đánh giá không hợp lệ: chỉ đề nghị sửa được mức đạt được, điểm kiểm tra định kì hoặc "
                         "nhận xét.")
    lock, semester = _locked(school_class, subject, student, moment, now)
    cell = _find(school_class, subject, student, moment, name)
    return PrimaryTarget(school_class, subject, semester, moment, name, student, cell.value if cell else None,
                         lock.reason, assignment)


def _locked(school_class, subject, student: Student, moment: str, now: datetime):
    """The moment's lock (refused while open) and the moment's semester; the pupil must still be in the class."""
    enrolment = enrolment_in(school_class.id, student.id)
    if enrolment is None:
        raise ValueError(f"Học sinh không thuộc lớp {school_class.name}.")
    if enrolment.left_on is not None or student.has_left:
        raise ValueError(f"Học sinh {student.full_name} đã rời lớp ({student.status_label}).")
    lock = moment_lock(school_class, subject, moment, now)
    if not lock.locked:
        raise ValueError("Ô này đang mở: hãy nhập hoặc sửa trực tiếp trên sổ, không cần đề nghị.")
    semester = Semester.get((Semester.year == school_class.year_id)
                            & (Semester.number == tt27.MOMENT_SEMESTER[moment]))
    return lock, semester


def trait_target(school_class: SchoolClass, moment: str, student: Student, trait: str,
                 now: datetime | None = None) -> PrimaryTarget:
    """Check a quality or competence rating may get a request (the homeroom teacher's, on a locked moment)."""
    now = now or datetime.now()
    if moment not in tt27.MOMENTS or trait not in corr.TRAITS:
        raise ValueError("Ô đánh giá không hợp lệ.")
    lock, semester = _locked(school_class, TRAITS_SUBJECT, student, moment, now)
    row = _find_trait(school_class, student, moment, trait)
    return PrimaryTarget(school_class, None, semester, moment, trait, student, row.value if row else None,
                         lock.reason)


def _find_trait(school_class, student, moment: str, trait: str) -> PrimaryTrait | None:
    return PrimaryTrait.get_or_none((PrimaryTrait.school_class == school_class) & (PrimaryTrait.student == student)
                                    & (PrimaryTrait.moment == moment) & (PrimaryTrait.trait == trait))


def trait_key(school_class, moment: str, student: Student, trait: str) -> str:
    """A rating's key in the audit log (the one save_trait records under)."""
    return f"{school_class.year.name}/{school_class.name}/{moment}/{student.code}/{trait}"


def write_correction(req, user: User, now: datetime) -> PrimaryCell:
    """Write an approved primary correction despite the lock; call inside write_transaction(). Refused
    (ValueError) when the stored value changed since the request was filed."""
    if not db.in_transaction():
        raise RuntimeError("write_correction must run inside write_transaction()")
    if req.subject_id is None:
        return _write_trait(req, user, now)
    school_class, subject, student = req.school_class, req.subject, req.student
    cell = _find(school_class, subject, student, req.moment, req.cell_field)
    current = cell.value if cell else None
    if current != req.old_value:
        raise ValueError(req.stale_message(current))
    if cell is None:
        cell = PrimaryCell.create(school_class=school_class, subject=subject, student=student, moment=req.moment,
                                  field=req.cell_field, value=req.new_value, version=1, updated_by=user.id,
                                  updated_at=now, corrected=True)
    else:
        updated = (PrimaryCell.update(value=req.new_value, version=cell.version + 1, updated_by=user.id,
                                      updated_at=now, corrected=True)
                   .where((PrimaryCell.id == cell.id) & (PrimaryCell.version == cell.version)).execute())
        if updated != 1:
            raise ValueError(req.stale_message(current))
    record("assess", "primary_cell", cell_key(school_class, subject, req.moment, student, req.cell_field),
           before={"value": current}, after={"value": req.new_value}, reason=f"Sửa theo đề nghị #{req.id}")
    return cell


def _write_trait(req, user: User, now: datetime) -> PrimaryTrait:
    school_class, student = req.school_class, req.student
    row = _find_trait(school_class, student, req.moment, req.cell_field)
    current = row.value if row else None
    if current != req.old_value:
        raise ValueError(req.stale_message(current))
    if row is None:
        row = PrimaryTrait.create(school_class=school_class, student=student, moment=req.moment, trait=req.cell_field,
                                  value=req.new_value, version=1, updated_by=user.id, updated_at=now, corrected=True)
    else:
        updated = (PrimaryTrait.update(value=req.new_value, version=row.version + 1, updated_by=user.id,
                                       updated_at=now, corrected=True)
                   .where((PrimaryTrait.id == row.id) & (PrimaryTrait.version == row.version)).execute())
        if updated != 1:
            raise ValueError(req.stale_message(current))
    record("assess", "primary_trait", trait_key(school_class, req.moment, student, req.cell_field),
           before={"value": current}, after={"value": req.new_value}, reason=f"Sửa theo đề nghị #{req.id}")
    return row


def apply(req, user: User, now: datetime | None = None, office_hours: str = corr.OFFICE_HOURS,
          office_days: int = 6):
    """The office applies an approved primary request: the grade book's apply with this area's writer."""
    return corr.apply(req, user, now=now, office_hours=office_hours, office_days=office_days, write=write_correction)


# --- history ---------------------------------------------------------------------------------------

@dataclass
class Change:
    old: str | None
    new: str | None
    by: str
    at: datetime
    correction: str  # "Sửa theo đề nghị #N" when an applied request wrote it


def cell_history(school_class, subject, student: Student, moment: str, name: str) -> tuple[PrimaryCell | None,
                                                                                          list[Change]]:
    """The cell and every change the log holds for it, oldest first (a seeded value has none)."""
    key = cell_key(school_class, subject, moment, student, name)
    return _find(school_class, subject, student, moment, name), _changes("primary_cell", key)


def trait_history(school_class, student: Student, moment: str, trait: str) -> tuple[PrimaryTrait | None,
                                                                                   list[Change]]:
    """A quality or competence rating and every change the log holds for it, oldest first."""
    return _find_trait(school_class, student, moment, trait), _changes("primary_trait",
                                                                       trait_key(school_class, moment, student, trait))


def _changes(entity: str, key: str) -> list[Change]:
    import json

    names = {}
    changes = []
    for user_id, username, at, before, after, reason in (
            AuditEntry.select(AuditEntry.user_id, AuditEntry.username, AuditEntry.at, AuditEntry.before,
                              AuditEntry.after, AuditEntry.reason)
            .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == key)
                   & (AuditEntry.action == "assess")).order_by(AuditEntry.id).tuples()):
        if user_id not in names:
            person = User.get_or_none(User.id == user_id) if user_id else None
            names[user_id] = person.full_name if person else username
        old = (json.loads(before) or {}).get("value") if before else None
        new = (json.loads(after) or {}).get("value") if after else None
        changes.append(Change(old, new, names[user_id], at, reason if reason.startswith("Sửa theo đề nghị") else ""))
    return changes


def field_label(name: str) -> str:
    return FIELD_HEADERS.get(name, name)
