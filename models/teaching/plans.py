"""The year's plans (seed 004 B.1.2–1.3): the teacher's education plan (kế hoạch giáo dục của giáo viên: situation,
targets, measures, the emulation title they register for), confirmed by the head of department; the department's
plan per subject (kế hoạch giáo dục của tổ chuyên môn), approved by the principal.

Both walk the lesson plan's states (nháp, đã nộp, bị trả lại, đã duyệt; models/rules/teaching_plans.py) and carry
a `revision` so two people never overwrite each other.
"""
from datetime import datetime

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.audit.log import record
from models.core import KeptModel, write_transaction
from models.people.records import Staff
from models.rules import teaching_plans as rules
from models.school.structure import Department, SchoolYear, Subject
from models.teaching.lesson_plans import Conflict, text_block

EMULATION_TITLES = ("Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Giáo viên dạy giỏi cấp trường",
                    "Giáo viên dạy giỏi cấp huyện", "Giáo viên chủ nhiệm giỏi cấp trường")
TEACHER_FIELDS = {"situation": "Đặc điểm tình hình", "targets": "Chỉ tiêu", "measures": "Biện pháp thực hiện"}
MAX_TEXT = 20000


class _Plan(KeptModel):
    state = CharField(max_length=12, default=rules.DRAFT)
    comment = TextField(default="")  # the reviewer's last comment
    reviewed_by = ForeignKeyField(Staff, null=True, backref="+")
    reviewed_at = DateTimeField(null=True)
    submitted_at = DateTimeField(null=True)
    revision = IntegerField(default=1)
    updated_at = DateTimeField(default=datetime.now)

    @property
    def state_label(self) -> str:
        return rules.state_label(self.state)


class TeacherYearPlan(_Plan):
    """A teacher's plan for the school year; the head of department confirms it."""

    staff = ForeignKeyField(Staff, backref="+")
    year = ForeignKeyField(SchoolYear, backref="+")
    situation = TextField(default="")
    targets = TextField(default="")
    measures = TextField(default="")
    emulation_title = CharField(max_length=200, default="")

    class Meta:
        indexes = ((("staff", "year"), True),)

    @property
    def state_label(self) -> str:
        return rules.CONFIRMED_LABEL if self.state == rules.APPROVED else rules.state_label(self.state)


class DepartmentPlan(_Plan):
    """A department's plan for one of its subjects in the year; the principal approves it."""

    department = ForeignKeyField(Department, backref="+")
    subject = ForeignKeyField(Subject, backref="+")
    year = ForeignKeyField(SchoolYear, backref="+")
    content = TextField(default="")
    written_by = ForeignKeyField(Staff, null=True, backref="+")

    class Meta:
        indexes = ((("department", "subject", "year"), True),)


def _check_revision(plan: _Plan, revision: int | None) -> None:
    if revision is not None and plan.revision != revision:
        raise Conflict("Kế hoạch này vừa được người khác thay đổi. Hãy tải lại trang để xem bản mới nhất.")


def _texts(values: dict, keys) -> dict:
    out = {k: text_block(values.get(k)) for k in keys}
    if any(len(text) > MAX_TEXT for text in out.values()):
        raise ValueError(f"Nội dung quá dài: tối đa {MAX_TEXT} kí tự mỗi phần.")
    return out


# --- the teacher's plan --------------------------------------------------------------------------------------

def teacher_plan(staff_id: int, year: SchoolYear) -> TeacherYearPlan | None:
    return TeacherYearPlan.get_or_none((TeacherYearPlan.staff == staff_id) & (TeacherYearPlan.year == year))


def save_teacher_plan(staff: Staff, year: SchoolYear, values: dict, revision: int | None, submit: bool = False,
                      now: datetime | None = None) -> TeacherYearPlan:
    """Write (or rewrite after a return) the teacher's year plan; submit it to the head when `submit`."""
    now = now or datetime.now()
    texts = _texts(values, TEACHER_FIELDS)
    title = text_block(values.get("emulation_title"))[:200]
    if submit and not (texts["situation"] and texts["targets"] and texts["measures"]):
        raise ValueError("Hãy viết đủ đặc điểm tình hình, chỉ tiêu và biện pháp trước khi nộp.")
    with write_transaction():
        plan = teacher_plan(staff.id, year)
        if plan is None:
            plan = TeacherYearPlan.create(staff=staff, year=year, **texts, emulation_title=title, updated_at=now)
            record("create", "teacher_year_plan", plan.id, after={**texts, "emulation_title": title})
        else:
            _check_revision(plan, revision)
            rules.check_editable(plan.state)
            before = {k: getattr(plan, k) for k in (*TEACHER_FIELDS, "emulation_title")}
            for key, value in {**texts, "emulation_title": title}.items():
                setattr(plan, key, value)
            plan.revision += 1
            plan.updated_at = now
            plan.save()
            record("update", "teacher_year_plan", plan.id, before=before, after={**texts, "emulation_title": title})
        if submit:
            _submit(plan, "teacher_year_plan", now)
    return plan


def _submit(plan: _Plan, entity: str, now: datetime) -> None:
    rules.check_editable(plan.state)
    before = {"state": plan.state}
    plan.state, plan.submitted_at = rules.SUBMITTED, now
    plan.revision += 1
    plan.save()
    record("submit", entity, plan.id, before=before, after={"state": plan.state})


def teacher_plans_of_department(department: Department, year: SchoolYear) -> list[tuple[Staff, TeacherYearPlan | None]]:
    """Every member of the department with their year plan (None when not started)."""
    from models.school.structure import DepartmentMember

    members = sorted(Staff.select().join(DepartmentMember).where(DepartmentMember.department == department),
                     key=lambda s: (s.name_fold.split(" ")[-1:], s.name_fold))
    plans = {p.staff_id: p for p in TeacherYearPlan.select().where(
        (TeacherYearPlan.year == year) & TeacherYearPlan.staff.in_([m.id for m in members]))} if members else {}
    return [(m, plans.get(m.id)) for m in members]


def _review(plan: _Plan, entity: str, action: str, comment: str, reviewer: Staff, revision: int | None,
            now: datetime | None) -> None:
    now = now or datetime.now()
    comment = text_block(comment)
    if len(comment) > 2000:
        raise ValueError("Ý kiến dài quá 2000 kí tự.")
    with write_transaction():
        plan = type(plan).get_by_id(plan.id)
        _check_revision(plan, revision)
        rules.check_review(plan.state, action, comment)
        before = {"state": plan.state}
        plan.state = rules.APPROVED if action == "approve" else rules.RETURNED
        plan.comment, plan.reviewed_by, plan.reviewed_at = comment, reviewer, now
        plan.revision += 1
        plan.save()
        record("approve" if action == "approve" else "return", entity, plan.id, before=before,
               after={"state": plan.state, "comment": comment})


def review_teacher_plan(plan: TeacherYearPlan, action: str, comment: str, reviewer: Staff, revision: int | None,
                        now: datetime | None = None) -> None:
    """The head of department confirms (approve) or returns a teacher's year plan."""
    _review(plan, "teacher_year_plan", action, comment, reviewer, revision, now)


# --- the department's plan per subject ----------------------------------------------------------------------

def department_subjects(department: Department) -> list[Subject]:
    return list(Subject.select().where(Subject.department == department).order_by(Subject.position, Subject.name))


def department_plan(department: Department, subject: Subject, year: SchoolYear) -> DepartmentPlan | None:
    return DepartmentPlan.get_or_none((DepartmentPlan.department == department) & (DepartmentPlan.subject == subject)
                                      & (DepartmentPlan.year == year))


def department_plans(department: Department, year: SchoolYear) -> list[tuple[Subject, DepartmentPlan | None]]:
    plans = {p.subject_id: p for p in DepartmentPlan.select().where(
        (DepartmentPlan.department == department) & (DepartmentPlan.year == year))}
    return [(s, plans.get(s.id)) for s in department_subjects(department)]


def save_department_plan(department: Department, subject: Subject, year: SchoolYear, content: str, writer: Staff,
                         revision: int | None, submit: bool = False, now: datetime | None = None) -> DepartmentPlan:
    """The head writes the department's plan of a subject; submitted, it goes to the principal."""
    now = now or datetime.now()
    if subject.department_id != department.id:
        raise ValueError("Môn học này không thuộc tổ chuyên môn của bạn.")
    text = _texts({"content": content}, ("content",))["content"]
    if submit and not text:
        raise ValueError("Kế hoạch chưa có nội dung.")
    with write_transaction():
        plan = department_plan(department, subject, year)
        if plan is None:
            plan = DepartmentPlan.create(department=department, subject=subject, year=year, content=text,
                                         written_by=writer, updated_at=now)
            record("create", "department_plan", plan.id, after={"subject": subject.code, "content": text})
        else:
            _check_revision(plan, revision)
            rules.check_editable(plan.state)
            before = {"content": plan.content}
            plan.content, plan.written_by, plan.updated_at = text, writer, now
            plan.revision += 1
            plan.save()
            record("update", "department_plan", plan.id, before=before, after={"content": text})
        if submit:
            _submit(plan, "department_plan", now)
    return plan


def plans_for_principal(year: SchoolYear) -> list[DepartmentPlan]:
    """Every department's plans of the year, waiting ones first."""
    rows = list(DepartmentPlan.select(DepartmentPlan, Department, Subject).join(Department)
                .switch(DepartmentPlan).join(Subject).where(DepartmentPlan.year == year))
    order = {rules.SUBMITTED: 0, rules.RETURNED: 1, rules.DRAFT: 2, rules.APPROVED: 3}
    return sorted(rows, key=lambda p: (order.get(p.state, 9), p.department.name, p.subject.position))


def review_department_plan(plan: DepartmentPlan, action: str, comment: str, reviewer: Staff, revision: int | None,
                           now: datetime | None = None) -> None:
    """The principal approves or returns a department's plan."""
    _review(plan, "department_plan", action, comment, reviewer, revision, now)
