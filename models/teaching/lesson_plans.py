"""Kế hoạch bài dạy: one plan per lesson a teacher will teach, uploaded as a file (PDF, DOCX, ODT) or written in a
short form, submitted to the head of department (tổ trưởng) a week before the lesson, approved or returned with a
comment. A returned plan is written again as a new version; every version is kept with the head's answer to it.

The lesson is named by what the teacher types: their teaching assignment, the lesson's date, its PPCT number and
title (the teaching schedule of issue #16 part A links them to its lessons). Rules: models/rules/teaching_plans.py.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.people.records import Staff
from models.rules import teaching_plans as rules
from models.rules.text import nfc, nfc_raw
from models.school.structure import (
    Department,
    SchoolClass,
    SchoolYear,
    Subject,
    TeachingAssignment,
    assignments_of,
)
from models.teaching.schedule import WeekLesson, week_lessons

FOLDER = "lesson_plans"  # under UPLOAD_DIR (the instance folder)
FORM_LABELS = {"objectives": "Mục tiêu", "materials": "Thiết bị dạy học và học liệu",
               "activities": "Tiến trình dạy học (các hoạt động)"}


class Conflict(ValueError):
    """Someone else changed the record since the page was loaded: nothing was written."""


class LessonPlan(KeptModel):
    """The plan of one lesson; `revision` changes on every write (two people never overwrite each other)."""

    assignment = ForeignKeyField(TeachingAssignment, backref="+")
    lesson_date = DateField()
    lesson_number = IntegerField()  # tiết theo PPCT
    title = CharField(max_length=300)
    state = CharField(max_length=12, default=rules.DRAFT)
    version = IntegerField(default=1)  # the current version's number
    late = BooleanField(default=False)
    first_submitted_at = DateTimeField(null=True)
    submitted_at = DateTimeField(null=True)
    reviewed_by = ForeignKeyField(Staff, null=True, backref="+")
    reviewed_at = DateTimeField(null=True)
    comment = TextField(default="")  # the head's last comment
    revision = IntegerField(default=1)
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        indexes = ((("assignment", "lesson_date", "lesson_number"), True),)

    @property
    def state_label(self) -> str:
        return rules.state_label(self.state)

    def due_on(self, due_days: int = rules.DUE_DAYS) -> date:
        return rules.due_date(self.lesson_date, due_days)

    def overdue(self, today: date, due_days: int = rules.DUE_DAYS) -> bool:
        return rules.is_overdue(self.state, self.lesson_date, today, due_days)


class LessonPlanVersion(KeptModel):
    """One version of a plan: a stored file or the written form, and the head's answer to it."""

    plan = ForeignKeyField(LessonPlan, backref="versions")
    number = IntegerField()
    file_stored = CharField(null=True)  # random name under UPLOAD_DIR/lesson_plans/
    file_name = CharField(null=True)  # the uploader's name, for display only
    file_type = CharField(max_length=100, null=True)  # mimetype read from the content
    file_size = IntegerField(null=True)
    sha256 = CharField(max_length=64, null=True)
    objectives = TextField(default="")
    materials = TextField(default="")
    activities = TextField(default="")
    submitted_at = DateTimeField(null=True)
    outcome = CharField(max_length=12, default="")  # approved / returned once reviewed
    comment = TextField(default="")
    reviewed_by = ForeignKeyField(Staff, null=True, backref="+")
    reviewed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=datetime.now)

    class Meta:
        indexes = ((("plan", "number"), True),)

    @property
    def has_content(self) -> bool:
        return bool(self.file_stored) or rules.form_has_content(self.objectives, self.activities)

    @property
    def outcome_label(self) -> str:
        return rules.state_label(self.outcome) if self.outcome else ""


@dataclass
class PlanFile:
    """An uploaded plan, checked: its bytes, the name it came with and the type read from its content."""

    data: bytes
    name: str
    ext: str
    mimetype: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class PlanContent:
    """What the teacher sends: a file, or the written form (or both: the form's notes beside the file)."""

    file: PlanFile | None = None
    objectives: str = ""
    materials: str = ""
    activities: str = ""


def text_block(value: str | None) -> str:
    """Text typed in a textarea: NFC, line breaks kept (as \\n), surrounding blanks stripped."""
    return (nfc_raw(value or "") or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_file(data: bytes, filename: str, max_bytes: int) -> PlanFile:
    ext, mimetype = rules.check_plan_file(data, max_bytes)
    name = nfc(Path(filename or "").name)[:200] or f"ke-hoach-bai-day.{ext}"
    return PlanFile(data, name, ext, mimetype)


def _store(plan_file: PlanFile, upload_dir: str) -> str:
    folder = Path(upload_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{plan_file.ext}"
    (folder / stored).write_bytes(plan_file.data)
    return stored


def file_path(version: LessonPlanVersion, upload_dir: str) -> Path | None:
    """The stored file of a version (found by the version, never by a path the client names)."""
    if not version.file_stored:
        return None
    path = Path(upload_dir) / FOLDER / Path(version.file_stored).name
    return path if path.is_file() else None


# --- reading ---------------------------------------------------------------------------------------------------

def current_version(plan: LessonPlan) -> LessonPlanVersion | None:
    return (LessonPlanVersion.select().where((LessonPlanVersion.plan == plan)
                                             & (LessonPlanVersion.number == plan.version)).first())


def versions_of(plan: LessonPlan) -> list[LessonPlanVersion]:
    return list(LessonPlanVersion.select().where(LessonPlanVersion.plan == plan)
                .order_by(LessonPlanVersion.number.desc()))


def _with_joins():
    return (LessonPlan.select(LessonPlan, TeachingAssignment, SchoolClass, Subject, Staff)
            .join(TeachingAssignment).join(SchoolClass).switch(TeachingAssignment).join(Subject)
            .switch(TeachingAssignment).join(Staff))


def get_plan(plan_id: int) -> LessonPlan | None:
    return _with_joins().where(LessonPlan.id == plan_id).first()


def plans_of_teacher(staff_id: int, year: SchoolYear) -> list[LessonPlan]:
    return list(_with_joins().where((TeachingAssignment.teacher == staff_id) & (SchoolClass.year == year))
                .order_by(LessonPlan.lesson_date.desc(), SchoolClass.name, LessonPlan.lesson_number))


def department_of(plan: LessonPlan) -> int | None:
    """The department answering for a plan: its subject's (a tổ chuyên môn answers for its subjects)."""
    return plan.assignment.subject.department_id


def plans_of_department(department: Department, year: SchoolYear, monday: date | None = None) -> list[LessonPlan]:
    """The department's plans of the year, or of the week starting `monday`; by lesson date, teacher, class."""
    query = _with_joins().where((Subject.department == department) & (SchoolClass.year == year))
    if monday is not None:
        query = query.where(LessonPlan.lesson_date.between(monday, monday + timedelta(days=6)))
    return sorted(query, key=lambda p: (p.lesson_date, p.assignment.teacher.name_fold, p.assignment.school_class.name,
                                        p.lesson_number))


def count_waiting_review(user) -> int:
    """How many of the department's plans wait for the head's answer (the navigation's badge)."""
    from models.school.structure import DepartmentMember

    if user.staff_id is None or not user.has_role("head_of_department"):
        return 0
    head = DepartmentMember.get_or_none((DepartmentMember.staff == user.staff_id) & DepartmentMember.is_head)
    if head is None:
        return 0
    year = SchoolYear.current()
    return (LessonPlan.select().join(TeachingAssignment).join(Subject).switch(TeachingAssignment).join(SchoolClass)
            .where((Subject.department == head.department_id) & (LessonPlan.state == rules.SUBMITTED)
                   & (SchoolClass.year == year)).count())


def weeks_with_plans(department: Department, year: SchoolYear, state: str | None = None) -> list[date]:
    """The Mondays of the weeks holding the department's plans (in `state`, when given)."""
    where = (Subject.department == department) & (SchoolClass.year == year)
    if state is not None:
        where &= LessonPlan.state == state
    days = _with_joins().select(LessonPlan.lesson_date).where(where).distinct().tuples()
    return sorted({rules.week_start(d) for (d,) in days})


@dataclass
class UnplannedLesson:
    """A lesson of the teacher's weekly schedule (lịch báo giảng) that has no plan yet."""

    lesson: WeekLesson
    assignment: TeachingAssignment


def unplanned_lessons(staff: Staff, year: SchoolYear, week_start: date) -> list[UnplannedLesson]:
    """The lessons of the teacher's schedule for the week of `week_start` without a lesson plan in any state, in
    the schedule's order: what is still to be written before its due day."""
    assignments = {(a.school_class_id, a.subject_id): a for a in assignments_of(staff, year)}
    scheduled = [(lesson, assignments.get((lesson.school_class.id, lesson.subject.id)))
                 for lesson in week_lessons(staff, week_start)]
    scheduled = [(lesson, a) for lesson, a in scheduled if a is not None and lesson.lesson_no is not None]
    if not scheduled:
        return []
    days = [lesson.day for lesson, _ in scheduled]
    planned = set(LessonPlan.select(LessonPlan.assignment, LessonPlan.lesson_date, LessonPlan.lesson_number)
                  .where(LessonPlan.assignment.in_([a.id for _, a in scheduled])
                         & LessonPlan.lesson_date.between(min(days), max(days))).tuples())
    missing = set(rules.missing_lessons([(a.id, lesson.day, lesson.lesson_no) for lesson, a in scheduled], planned))
    return [UnplannedLesson(lesson, a) for lesson, a in scheduled if (a.id, lesson.day, lesson.lesson_no) in missing]


@dataclass
class TeacherTally:
    staff: Staff
    department: str
    counts: dict


def tallies(year: SchoolYear, today: date, due_days: int, department: Department | None = None) -> list[TeacherTally]:
    """Per teacher: how many plans in each state, late, overdue (missing); the department's or the school's."""
    query = (LessonPlan.select(Staff.id, Department.name, LessonPlan.state, LessonPlan.lesson_date, LessonPlan.late)
             .join(TeachingAssignment).join(SchoolClass).switch(TeachingAssignment).join(Staff)
             .switch(TeachingAssignment).join(Subject).join(Department, on=(Subject.department == Department.id))
             .where(SchoolClass.year == year))
    if department is not None:
        query = query.where(Subject.department == department)
    grouped: dict[int, tuple[str, list]] = {}
    for staff_id, department_name, state, lesson_date, late in query.tuples():
        grouped.setdefault(staff_id, (department_name, []))[1].append((state, lesson_date, late))
    people = {s.id: s for s in Staff.select().where(Staff.id.in_(list(grouped)))} if grouped else {}
    out = [TeacherTally(people[staff_id], dept, rules.tally(rows, today, due_days))
           for staff_id, (dept, rows) in grouped.items()]
    return sorted(out, key=lambda t: (t.department, t.staff.name_fold.split(" ")[-1:], t.staff.name_fold))


# --- writing ----------------------------------------------------------------------------------------------------

def _check_revision(plan: LessonPlan, revision: int | None) -> None:
    if revision is not None and plan.revision != revision:
        raise Conflict("Kế hoạch này vừa được người khác thay đổi. Hãy tải lại trang để xem bản mới nhất.")


def _lesson_values(lesson_date: date, lesson_number: int, title: str) -> dict:
    title = nfc(title or "").strip()
    if not title:
        raise ValueError("Hãy nhập tên bài học.")
    if len(title) > 300:
        raise ValueError("Tên bài học dài quá 300 kí tự.")
    if not 1 <= lesson_number <= 999:
        raise ValueError("Số tiết theo PPCT phải từ 1 đến 999.")
    return {"lesson_date": lesson_date, "lesson_number": lesson_number, "title": title}


def _check_in_year(assignment: TeachingAssignment, lesson_date: date) -> None:
    """A lesson is taught between the first day of the class's school year and its last."""
    from models.school.structure import Semester

    bounds = (Semester.select(fn.MIN(Semester.starts_on), fn.MAX(Semester.ends_on))
              .where(Semester.year == assignment.school_class.year_id).tuples().first())
    if bounds and bounds[0] and not bounds[0] <= lesson_date <= bounds[1]:
        raise ValueError(f"Ngày dạy {lesson_date:%d/%m/%Y} không thuộc năm học của lớp "
                         f"({bounds[0]:%d/%m/%Y} – {bounds[1]:%d/%m/%Y}).")


def _content_values(content: PlanContent) -> dict:
    values = {k: text_block(getattr(content, k)) for k in ("objectives", "materials", "activities")}
    for key, text in values.items():
        if len(text) > 20000:
            raise ValueError(f"Phần “{FORM_LABELS[key]}” dài quá 20000 kí tự.")
    return values


def _content_snapshot(version: LessonPlanVersion) -> dict:
    return {"file": version.file_name or "", "sha256": version.sha256 or "",
            "objectives": version.objectives, "materials": version.materials, "activities": version.activities}


def save(assignment: TeachingAssignment, lesson_date: date, lesson_number: int, title: str, content: PlanContent,
         upload_dir: str, *, plan: LessonPlan | None = None, revision: int | None = None,
         submit: bool = False, now: datetime | None = None, due_days: int = rules.DUE_DAYS) -> LessonPlan:
    """Create or rewrite a plan (a returned plan gets a new version), and submit it when `submit`.
    A new file replaces the version's file; without one the version keeps the file it has."""
    now = now or datetime.now()
    lesson = _lesson_values(lesson_date, lesson_number, title)
    _check_in_year(assignment, lesson_date)
    text = _content_values(content)
    if plan is not None:
        rules.check_editable(plan.state)
    if plan is None or plan.lesson_date != lesson_date or plan.lesson_number != lesson_number:
        clash = (LessonPlan.select().where((LessonPlan.assignment == assignment)
                                           & (LessonPlan.lesson_date == lesson_date)
                                           & (LessonPlan.lesson_number == lesson_number)).first())
        if clash is not None and (plan is None or clash.id != plan.id):
            raise ValueError(f"Đã có kế hoạch của tiết {lesson_number} ngày {lesson_date:%d/%m/%Y} lớp "
                             f"{assignment.school_class.name}: hãy mở kế hoạch đó để sửa.")
    stored = _store(content.file, upload_dir) if content.file is not None else None
    with write_transaction():
        if plan is not None:
            plan = LessonPlan.get_by_id(plan.id)  # inside the transaction: the revision as it is now
            _check_revision(plan, revision)
            rules.check_editable(plan.state)
        file_values = ({"file_stored": stored, "file_name": content.file.name, "file_type": content.file.mimetype,
                        "file_size": len(content.file.data), "sha256": content.file.sha256} if stored else {})
        if plan is None:
            plan = LessonPlan.create(assignment=assignment, **lesson, created_at=now)
            version = LessonPlanVersion.create(plan=plan, number=1, **text, **file_values, created_at=now)
            before = None
            record("create", "lesson_plan", plan.id, after={**_plan_snapshot(plan), **_content_snapshot(version)})
        else:
            old = current_version(plan)
            before = {**_plan_snapshot(plan), **_content_snapshot(old)}
            if rules.needs_new_version(plan.state):
                kept = {} if stored else {k: getattr(old, k) for k in
                                           ("file_stored", "file_name", "file_type", "file_size", "sha256")}
                plan.version += 1
                version = LessonPlanVersion.create(plan=plan, number=plan.version, **text, **kept, **file_values,
                                                   created_at=now)
                plan.state = rules.DRAFT
            else:
                version = old
                for key, value in {**text, **file_values}.items():
                    setattr(version, key, value)
                version.save()
            for key, value in lesson.items():
                setattr(plan, key, value)
            plan.revision += 1
            plan.save()
            record("update", "lesson_plan", plan.id, before=before,
                   after={**_plan_snapshot(plan), **_content_snapshot(version)})
        if submit:
            _submit(plan, version, now, due_days)
    return plan


def _plan_snapshot(plan: LessonPlan) -> dict:
    return {"assignment": plan.assignment_id, "lesson_date": plan.lesson_date, "lesson_number": plan.lesson_number,
            "title": plan.title, "state": plan.state, "version": plan.version}


def _submit(plan: LessonPlan, version: LessonPlanVersion, now: datetime, due_days: int) -> None:
    rules.check_submit(plan.state, version.has_content)
    before = {"state": plan.state, "version": plan.version}
    if plan.first_submitted_at is None:
        plan.first_submitted_at = now
        plan.late = rules.is_late(now.date(), plan.lesson_date, due_days)
    plan.state, plan.submitted_at = rules.SUBMITTED, now
    plan.revision += 1
    plan.save()
    version.submitted_at = now
    version.save()
    record("submit", "lesson_plan", plan.id, before=before,
           after={"state": plan.state, "version": plan.version, "late": plan.late})


def submit(plan: LessonPlan, revision: int | None, now: datetime | None = None,
           due_days: int = rules.DUE_DAYS) -> LessonPlan:
    """Send a draft (or a rewritten returned plan) to the head of department."""
    now = now or datetime.now()
    with write_transaction():
        plan = LessonPlan.get_by_id(plan.id)
        _check_revision(plan, revision)
        _submit(plan, current_version(plan), now, due_days)
    return plan


def review(plan: LessonPlan, action: str, comment: str, reviewer: Staff, revision: int | None,
           now: datetime | None = None) -> LessonPlan:
    """The head of department approves the submitted version or returns it with a comment."""
    now = now or datetime.now()
    comment = text_block(comment)
    if len(comment) > 2000:
        raise ValueError("Ý kiến dài quá 2000 kí tự.")
    with write_transaction():
        plan = LessonPlan.get_by_id(plan.id)
        _check_revision(plan, revision)
        rules.check_review(plan.state, action, comment)
        before = {"state": plan.state, "version": plan.version}
        plan.state = rules.APPROVED if action == "approve" else rules.RETURNED
        plan.reviewed_by, plan.reviewed_at, plan.comment = reviewer, now, comment
        plan.revision += 1
        plan.save()
        version = current_version(plan)
        version.outcome, version.comment, version.reviewed_by, version.reviewed_at = plan.state, comment, reviewer, now
        version.save()
        record("approve" if action == "approve" else "return", "lesson_plan", plan.id, before=before,
               after={"state": plan.state, "version": plan.version, "comment": comment})
    return plan
