"""Corrections after the lock (đề nghị sửa điểm, sửa điểm danh): one workflow for marks and attendance.

PTH (docs/rules.md) Điều 10, TNT (docs/rules.md) §6.3: the subject teacher files a request with evidence, the head of
the subject's department confirms it (or returns it for editing), the vice-principal or the
principal approves or rejects it, and the admin applies it in office hours. Attendance requests
are filed by the homeroom teacher (or the class's delegate) and skip the head of department. Primary cells
(TT27 levels, test scores, comments and ratings, target "primary") follow the marks' path; the head of a subject
without a department of its own is the head of the filer's tổ khối (models/primary/corrections.py files and
applies them).
Nothing here is ever deleted; every step is a CorrectionStep row and an audit entry.
"""
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from peewee import JOIN, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.core import KeptModel, db, write_transaction
from models.people.accounts import User
from models.people.records import Student
from models.rules import corrections as rules
from models.rules import tt27
from models.school.structure import DepartmentMember, SchoolClass, Semester, Subject, enrolment_in

# state → label; the order is the path a request takes
STATES = {
    "cho_to_truong": "Chờ tổ trưởng xác nhận",
    "cho_pht": "Chờ PHT duyệt",
    "da_duyet": "Đã duyệt",
    "da_ap_dung": "Đã áp dụng",
    "bi_tra_lai": "Bị trả lại",
    "bi_tu_choi": "Bị từ chối",
}
STATE_BADGES = {"cho_to_truong": "warn", "cho_pht": "warn", "da_duyet": "role", "da_ap_dung": "ok",
                "bi_tra_lai": "danger", "bi_tu_choi": "muted"}
OPEN_STATES = ("cho_to_truong", "cho_pht", "da_duyet", "bi_tra_lai")
# "conduct": a conduct level after the year's approval, filed by the GVCN (models/yearend/conduct_changes.py)
TARGETS = {"mark": "Sửa điểm", "attendance": "Sửa điểm danh", "primary": "Sửa đánh giá tiểu học",
           "conduct": "Sửa rèn luyện"}
# the fields of a primary cell (TT27) a request may change; a comment's text is kept whole in old_value/new_value
PRIMARY_FIELDS = {"level": "Mức đạt được", "score": "Điểm kiểm tra định kì", "comment": "Nhận xét"}
# a quality or competence the homeroom teacher rated (a primary request without a subject)
TRAITS = {**tt27.QUALITIES, **tt27.COMPETENCES}
ACTIONS = {"file": "Lập đề nghị", "resubmit": "Sửa và gửi lại", "confirm": "Tổ trưởng xác nhận",
           "return": "Tổ trưởng trả lại", "approve": "Phê duyệt", "reject": "Từ chối", "apply": "Áp dụng vào sổ"}

# the office hours and the filing deadline are rules (models/rules/corrections.py); the views pass in
# the school's settings, whose defaults these are
CLOSE_DAYS_BEFORE_FINALS = rules.CLOSE_DAYS_BEFORE_FINALS
OFFICE_HOURS = rules.OFFICE_HOURS
in_office_hours = rules.in_office_hours
office_hours_label = rules.office_hours_label
parse_office_hours = rules.parse_office_hours

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# magic bytes → (extension, mimetype): the type is read from the content, never from the name
EVIDENCE_TYPES = ((b"%PDF-", "pdf", "application/pdf"),
                  (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
                  (b"\xff\xd8\xff", "jpg", "image/jpeg"))


class CorrectionRequest(KeptModel):
    """One request to change a locked value; the columns of the other target stay null."""

    target = CharField(max_length=10, index=True)  # TARGETS
    school_class = ForeignKeyField(SchoolClass, backref="+")
    student = ForeignKeyField(Student, backref="+")
    # marks
    subject = ForeignKeyField(Subject, null=True, backref="+")
    semester = ForeignKeyField(Semester, null=True, backref="+")
    kind = CharField(max_length=2, null=True)
    idx = IntegerField(null=True)
    # attendance
    day = DateField(null=True)
    session = IntegerField(null=True)
    # primary cells (TT27): the moment and the field ("level", "score" or "comment"; with no subject, a quality
    # or competence code); the subject as for marks; the semester of the moment
    moment = CharField(max_length=4, null=True)
    cell_field = CharField(max_length=12, null=True)
    # the value stored when filed and the one asked for: a mark, P/K, a level, or a primary comment's whole text
    # (migration 0030 widened them from 4 characters)
    old_value = CharField(max_length=tt27.COMMENT_MAX, null=True)
    new_value = CharField(max_length=tt27.COMMENT_MAX, null=True)
    reason = TextField()
    evidence_file = CharField(null=True)  # random name under UPLOAD_DIR/evidence/
    evidence_name = CharField(null=True)  # the uploader's file name, for display only
    evidence_type = CharField(max_length=32, null=True)  # mimetype read from the content
    evidence_size = IntegerField(null=True)
    state = CharField(max_length=16, index=True)
    filed_by = ForeignKeyField(User, backref="+")
    filed_at = DateTimeField()
    confirmed_by = ForeignKeyField(User, null=True, backref="+")
    confirmed_at = DateTimeField(null=True)
    confirm_comment = TextField(default="")
    decided_by = ForeignKeyField(User, null=True, backref="+")
    decided_at = DateTimeField(null=True)
    decision_comment = TextField(default="")
    applied_by = ForeignKeyField(User, null=True, backref="+")
    applied_at = DateTimeField(null=True)

    class Meta:
        table_name = "correction_request"

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def state_badge(self) -> str:
        return STATE_BADGES.get(self.state, "muted")

    @property
    def target_label(self) -> str:
        return TARGETS.get(self.target, self.target)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def cell_label(self) -> str:
        """"ĐĐGtx 2 · Học kì I" or "Ngày 15/10/2024, buổi 1"."""
        from models.gradebook.marks import Column
        from models.rules.dates import format_date

        if self.target == "mark":
            return f"{Column(self.kind, self.idx).label} · {self.semester.label}"
        if self.target == "primary":
            what = PRIMARY_FIELDS.get(self.cell_field) if self.subject_id else TRAITS.get(self.cell_field)
            return f"{what or self.cell_field} · {tt27.MOMENTS.get(self.moment, self.moment)}"
        if self.target == "conduct":
            return f"Mức rèn luyện · {self.semester.label}"
        return f"Ngày {format_date(self.day)}, buổi {self.session}"

    @property
    def subject_label(self) -> str:
        if self.target == "primary" and self.subject_id is None:
            return "Phẩm chất, năng lực"
        if self.target in ("mark", "primary"):
            return self.subject.name
        return "Rèn luyện" if self.target == "conduct" else "Điểm danh"

    def show(self, value: str | None) -> str:
        return describe(self.target, value, self.subject if self.target == "mark" else None)

    def stale_message(self, current: str | None) -> str:
        """Why an approved request can no longer be applied: the book changed since it was filed."""
        return (f"Giá trị trong sổ đã thay đổi từ khi lập đề nghị #{self.id} (lúc lập: {self.show(self.old_value)}, "
                f"hiện tại: {self.show(current)}). Không áp dụng được; đề nghị cần được lập lại.")
    @property
    def is_comment(self) -> bool:
        """A primary teacher's comment: free text, shown whole on the request's page and shortened in lists."""
        return self.target == "primary" and self.subject_id is not None and self.cell_field == "comment"

    @property
    def old_text(self) -> str:
        return self.show(self.old_value)

    @property
    def new_text(self) -> str:
        return self.show(self.new_value)


# a conduct request stores the level's key (the columns hold four characters)
CONDUCT_LEVELS = {"T": "Tốt", "K": "Khá", "Đ": "Đạt", "C": "Chưa đạt"}


def describe(target: str, value: str | None, subject: Subject | None = None) -> str:
    """A stored value as the book writes it: "8,5", "Đ", "P"; "(trống)" or "Có mặt" for none."""
    from models.gradebook.marks import display

    if target == "attendance":
        return value or "Có mặt"
    if target == "primary":
        return value or "(trống)"
    if target == "conduct":
        return CONDUCT_LEVELS.get(value or "", "(chưa xếp loại)")
    return display(value, subject.comment_only) or "(trống)"


class CorrectionStep(KeptModel):
    """One step of a request's trail: who did what, when, with which comment. Append-only."""

    request = ForeignKeyField(CorrectionRequest, backref="steps")
    action = CharField(max_length=10)  # ACTIONS
    state = CharField(max_length=16)  # the state after the step
    actor = ForeignKeyField(User, null=True, backref="+")
    actor_name = CharField(default="")
    at = DateTimeField()
    comment = TextField(default="")

    class Meta:
        table_name = "correction_step"

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)


# --- rules: deadlines, office hours, evidence ------------------------------------------------------

def filing_deadline(semester: Semester, close_days: int = CLOSE_DAYS_BEFORE_FINALS) -> date | None:
    """The last day a mark request of the semester may be filed; None when the final tests have no date."""
    return rules.filing_deadline(semester.final_tests_on, close_days)


def check_filing_open(semester: Semester, now: datetime, close_days: int = CLOSE_DAYS_BEFORE_FINALS) -> None:
    """Refuse a mark request filed after the deadline (docs/rules.md §16)."""
    from models.rules.dates import format_date

    last = filing_deadline(semester, close_days)
    if last is not None and now.date() > last:
        raise ValueError(f"Đã hết hạn đề nghị sửa điểm {semester.label}: hạn cuối là ngày "
                         f"{format_date(last)} ({close_days} ngày trước ngày kiểm tra cuối kì "
                         f"{format_date(semester.final_tests_on)}).")


@dataclass
class Evidence:
    """An uploaded file, checked: its bytes, the name it came with and the type read from its content."""

    data: bytes
    name: str
    ext: str
    mimetype: str


def check_evidence(data: bytes, filename: str) -> Evidence:
    """PDF, JPG or PNG by content, at most 10 MB; ValueError (Vietnamese) otherwise."""
    from models.rules.text import nfc

    if not data:
        raise ValueError("Tệp minh chứng trống.")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValueError("Tệp minh chứng quá lớn: tối đa 10 MB.")
    for magic, ext, mimetype in EVIDENCE_TYPES:
        if data.startswith(magic):
            name = nfc(Path(filename or "").name)[:200] or f"minh-chung.{ext}"
            return Evidence(data, name, ext, mimetype)
    raise ValueError("Tệp minh chứng phải là PDF, JPG hoặc PNG (nội dung tệp không đúng định dạng).")


def _store_evidence(evidence: Evidence, upload_dir: str) -> str:
    """Write the file under a random name; returns that name. Called before the row is written."""
    folder = Path(upload_dir) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{evidence.ext}"
    (folder / stored).write_bytes(evidence.data)
    return stored


def evidence_path(req: CorrectionRequest, upload_dir: str) -> Path | None:
    """The stored evidence of a request (looked up by the request, never by a client-chosen path)."""
    if not req.evidence_file:
        return None
    path = Path(upload_dir) / "evidence" / Path(req.evidence_file).name
    return path if path.is_file() else None


# --- who may do what -------------------------------------------------------------------------------

def head_departments(user) -> list[int]:
    """The departments the user heads (trưởng tổ chuyên môn)."""
    if user.staff_id is None:
        return []
    return [d for (d,) in DepartmentMember.select(DepartmentMember.department)
            .where((DepartmentMember.staff == user.staff_id) & DepartmentMember.is_head).tuples()]


def staff_departments(user) -> list[int]:
    """The departments the user belongs to (a primary teacher's tổ khối)."""
    if user.staff_id is None:
        return []
    return [d for (d,) in DepartmentMember.select(DepartmentMember.department)
            .where(DepartmentMember.staff == user.staff_id).tuples()]


def _departments_of(target: str, subject: Subject | None, filer) -> list[int]:
    """Whose head confirms: a mark's subject's department; a primary cell's subject's department, or, for a
    subject the homeroom teacher teaches (no department of its own), the filer's tổ khối."""
    if target == "mark":
        return [subject.department_id] if subject.department_id is not None else []
    if target == "primary":
        if subject is not None and subject.department_id is not None:
            return [subject.department_id]
        return staff_departments(filer)
    return []


def is_head_for(req: CorrectionRequest, user) -> bool:
    """The head of the department that confirms the request."""
    if req.target not in ("mark", "primary"):
        return False
    return bool(set(_departments_of(req.target, req.subject, req.filed_by)) & set(head_departments(user)))


def can_decide(user) -> bool:
    return user.has_role("vice_principal", "principal")


def can_apply(user) -> bool:
    return user.has_role("admin")


def can_view(req: CorrectionRequest, user) -> bool:
    """The people in the workflow: the filer, the head, the board, the admin, and the class's GVCN."""
    if req.filed_by_id == user.id or can_decide(user) or can_apply(user) or is_head_for(req, user):
        return True
    if req.target == "conduct":
        return user.staff_id is not None and req.school_class.homeroom_teacher_id == user.staff_id
    if req.target == "attendance" and user.staff_id is not None:
        from models.attendance.register import delegated_classes

        return (req.school_class.homeroom_teacher_id == user.staff_id
                or req.school_class_id in {c.id for c in delegated_classes(user, req.school_class.year)})
    return False


# --- filing ----------------------------------------------------------------------------------------

def _clean(text: str | None) -> str:
    from models.rules.text import nfc_raw

    return (nfc_raw(text) or "").strip()


def _first_state(target: str, subject: Subject | None, user) -> str:
    """Marks and primary cells wait for the head of department; attendance, a subject without a head, or a
    head's own request go straight to the vice-principal."""
    departments = _departments_of(target, subject, user)
    if not departments:
        return "cho_pht"
    heads = (DepartmentMember.select().where(DepartmentMember.department.in_(departments)
                                             & DepartmentMember.is_head))
    if not heads.exists() or set(departments) & set(head_departments(user)):
        return "cho_pht"
    return "cho_to_truong"


def open_request_for(**where) -> CorrectionRequest | None:
    """The request still open (not applied, rejected) for the cell the keyword arguments name, if any."""
    return _open_request_for(**where)


def _open_request_for(**where) -> CorrectionRequest | None:
    query = CorrectionRequest.select().where(CorrectionRequest.state.in_(OPEN_STATES))
    for name, value in where.items():
        query = query.where(getattr(CorrectionRequest, name) == value)
    return query.first()


def _step(req: CorrectionRequest, action: str, user, now: datetime, comment: str = "") -> CorrectionStep:
    return CorrectionStep.create(request=req, action=action, state=req.state, actor=user.id if user else None,
                                 actor_name=user.full_name if user else "hệ thống", at=now, comment=comment)


def _audit_values(req: CorrectionRequest) -> dict:
    return {"target": req.target, "class": req.school_class.name, "student": req.student.code,
            "cell": req.cell_label, "old": req.old_value, "new": req.new_value, "state": req.state}


@dataclass
class MarkTarget:
    """A locked mark cell a request may be filed for, with the value stored now."""

    assignment: object  # TeachingAssignment
    semester: Semester
    student: Student
    kind: str
    idx: int
    value: str | None
    lock_reason: str


def mark_target(assignment, semester: Semester, student: Student, kind: str, idx: int,
                now: datetime | None = None) -> MarkTarget:
    """Check the cell may get a request: a real column, a student still in the class, a locked cell."""
    from models.gradebook import marks
    from models.gradebook.locks import cell_lock

    now = now or datetime.now()
    school_class, subject = assignment.school_class, assignment.subject
    if semester.year_id != school_class.year_id:
        raise ValueError("Học kì không thuộc năm học của lớp.")
    if kind not in marks.KINDS:
        raise ValueError("Cột điểm không hợp lệ.")
    limit = marks.required_tx(school_class, subject) if kind == "tx" else 1
    if not 1 <= idx <= limit:
        raise ValueError("Cột điểm không hợp lệ.")
    enrolment = enrolment_in(school_class.id, student.id)
    if enrolment is None:
        raise ValueError(f"Học sinh không thuộc lớp {school_class.name}.")
    if enrolment.left_on is not None or student.has_left:
        raise ValueError(f"Học sinh {student.full_name} đã rời lớp ({student.status_label}).")
    lock = cell_lock(school_class, subject, semester, kind, now=now)
    if not lock.locked:
        raise ValueError("Ô điểm này đang mở: hãy nhập hoặc sửa trực tiếp trên sổ điểm, không cần đề nghị.")
    cell = marks.find_cell(assignment, semester, student, kind, idx)
    return MarkTarget(assignment, semester, student, kind, idx, cell.value if cell else None, lock.reason)


@dataclass
class AttendanceTarget:
    """A session of a locked month a request may be filed for, with the value stored now."""

    school_class: SchoolClass
    student: Student
    day: date
    session: int
    value: str | None
    lock_reason: str


def attendance_target(school_class: SchoolClass, student: Student, day: date, session: int,
                      now: datetime | None = None) -> AttendanceTarget:
    """Check the session may get a request: a school session the student was in the class, a locked month."""
    from models.attendance import register as att
    from models.rules import calendar as cal_rules
    from models.rules.dates import format_date
    from models.school.calendar import year_calendar
    from models.school.structure import Enrolment

    now = now or datetime.now()
    enrolment = Enrolment.get_or_none((Enrolment.school_class == school_class) & (Enrolment.student == student))
    if enrolment is None:
        raise ValueError(f"Học sinh không thuộc lớp {school_class.name}.")
    sessions = year_calendar(school_class.year).sessions_on(day)
    if not 1 <= session <= sessions:
        raise ValueError(f"Ngày {format_date(day)} không có buổi học {session}.")
    if not cal_rules.enrolled_on(day, enrolment.joined_on, enrolment.left_on):
        raise ValueError(f"Ngày {format_date(day)} học sinh {student.full_name} không có trong lớp "
                         f"{school_class.name}.")
    lock = att.month_lock(school_class, cal_rules.year_month(day.year, day.month), now=now)
    if not lock.locked:
        raise ValueError("Tháng này chưa khoá: hãy sửa trực tiếp trên bảng điểm danh, không cần đề nghị.")
    mark = att._find_mark(school_class, student, day, session)
    return AttendanceTarget(school_class, student, day, session, mark.value if mark else None, lock.reason)


def _parse_new(target: str, text: str, subject: Subject | None, cell_field: str | None = None) -> str | None:
    from models.attendance import register as att
    from models.gradebook import marks
    from models.rules.text import nfc

    if target == "mark":
        return marks.parse_value(text, subject.comment_only)
    if target == "primary":
        cleaned = nfc(text or "") or ""
        if not cleaned:
            return None
        if subject is None:
            return tt27.parse_trait_level(cleaned)
        if cell_field == "comment":
            return tt27.parse_comment(text)
        if cell_field == "score":
            return str(tt27.parse_test_score(cleaned))
        return tt27.parse_subject_level(cleaned)
    return att.parse_value(text)


def _check_content(reason: str, new, old) -> None:
    if not reason:
        raise ValueError("Vui lòng nêu lý do đề nghị sửa.")
    if new == old:
        raise ValueError("Giá trị mới trùng với giá trị đang lưu trong sổ.")


def file_mark_request(cell: MarkTarget, new_text: str, reason: str, evidence: Evidence | None, user,
                      upload_dir: str, now: datetime | None = None,
                      close_days: int = CLOSE_DAYS_BEFORE_FINALS) -> CorrectionRequest:
    """File a request to change a locked mark; ValueError (Vietnamese) when it cannot be filed."""
    now = now or datetime.now()
    subject = cell.assignment.subject
    check_filing_open(cell.semester, now, close_days)
    new = _parse_new("mark", new_text, subject)
    reason = _clean(reason)
    _check_content(reason, new, cell.value)
    if evidence is None:
        raise ValueError("Vui lòng gửi kèm tệp minh chứng (PDF, JPG hoặc PNG).")
    school_class = cell.assignment.school_class
    existing = _open_request_for(target="mark", school_class=school_class.id, subject=subject.id,
                                 semester=cell.semester.id, student=cell.student.id, kind=cell.kind, idx=cell.idx)
    if existing is not None:
        raise ValueError(f"Ô điểm này đã có đề nghị sửa #{existing.id} đang xử lý ({existing.state_label}).")
    return _create(dict(target="mark", school_class=school_class, student=cell.student, subject=subject,
                        semester=cell.semester, kind=cell.kind, idx=cell.idx, old_value=cell.value,
                        new_value=new, reason=reason), evidence, user, upload_dir, now)


def file_attendance_request(session: AttendanceTarget, new_text: str, reason: str, evidence: Evidence | None,
                            user, upload_dir: str, now: datetime | None = None) -> CorrectionRequest:
    """File a request to change a locked month's attendance; not subject to the finals deadline."""
    now = now or datetime.now()
    new = _parse_new("attendance", new_text, None)
    reason = _clean(reason)
    _check_content(reason, new, session.value)
    if evidence is None:
        raise ValueError("Vui lòng gửi kèm tệp minh chứng (PDF, JPG hoặc PNG).")
    existing = _open_request_for(target="attendance", school_class=session.school_class.id,
                                 student=session.student.id, day=session.day, session=session.session)
    if existing is not None:
        raise ValueError(f"Buổi điểm danh này đã có đề nghị sửa #{existing.id} đang xử lý "
                         f"({existing.state_label}).")
    return _create(dict(target="attendance", school_class=session.school_class, student=session.student,
                        day=session.day, session=session.session, old_value=session.value, new_value=new,
                        reason=reason), evidence, user, upload_dir, now)


def primary_filing_semester(cell) -> Semester | None:
    """The semester whose filing deadline a primary request keeps: a mid-term moment's, like an ĐĐGgk mark; the
    end-of-semester and end-of-year moments are entered after the final tests, so no deadline closes them."""
    return cell.semester if cell.moment in tt27.MIDTERM_MOMENTS else None


def file_primary_request(cell, new_text: str, reason: str, evidence: Evidence | None, user, upload_dir: str,
                         now: datetime | None = None, close_days: int = CLOSE_DAYS_BEFORE_FINALS) -> CorrectionRequest:
    """File a request to change a locked primary level, test score, comment or rating (models/primary/corrections.py
    PrimaryTarget: school_class, subject (None for a rating), semester, moment, field, student, value); ValueError
    (Vietnamese) when refused."""
    now = now or datetime.now()
    subject = cell.subject
    if cell.field not in (PRIMARY_FIELDS if subject is not None else TRAITS):
        raise ValueError("Chỉ đề nghị sửa được mức đạt được, điểm kiểm tra định kì, nhận xét hoặc mức phẩm chất, "
                         "năng lực.")
    semester = primary_filing_semester(cell)
    if semester is not None:
        check_filing_open(semester, now, close_days)
    new = _parse_new("primary", new_text, subject, cell.field)
    reason = _clean(reason)
    _check_content(reason, new, cell.value)
    if evidence is None:
        raise ValueError("Vui lòng gửi kèm tệp minh chứng (PDF, JPG hoặc PNG).")
    school_class = cell.school_class
    existing = _open_request_for(target="primary", school_class=school_class.id,
                                 subject=subject.id if subject is not None else None,
                                 student=cell.student.id, moment=cell.moment, cell_field=cell.field)
    if existing is not None:
        raise ValueError(f"Ô này đã có đề nghị sửa #{existing.id} đang xử lý ({existing.state_label}).")
    return _create(dict(target="primary", school_class=school_class, student=cell.student, subject=subject,
                        semester=cell.semester, moment=cell.moment, cell_field=cell.field, old_value=cell.value,
                        new_value=new, reason=reason), evidence, user, upload_dir, now)


def create_request(values: dict, evidence: Evidence | None, user, upload_dir: str,
                   now: datetime) -> CorrectionRequest:
    """File a checked request (another area's target, e.g. conduct): its first step and its audit entry."""
    return _create(values, evidence, user, upload_dir, now)


def _create(values: dict, evidence: Evidence | None, user, upload_dir: str, now: datetime) -> CorrectionRequest:
    from models.audit.log import record

    stored = _store_evidence(evidence, upload_dir) if evidence is not None else None
    with write_transaction():
        req = CorrectionRequest.create(**values, evidence_file=stored, evidence_name=evidence and evidence.name,
                                       evidence_type=evidence and evidence.mimetype,
                                       evidence_size=evidence and len(evidence.data),
                                       state=_first_state(values["target"], values.get("subject"), user),
                                       filed_by=user.id, filed_at=now)
        _step(req, "file", user, now, req.reason)
        record("file", "correction", req.id, after=_audit_values(req), reason=req.reason)
    return req


def resubmit(req: CorrectionRequest, new_text: str, reason: str, evidence: Evidence | None, user,
             upload_dir: str, now: datetime | None = None,
             close_days: int = CLOSE_DAYS_BEFORE_FINALS) -> CorrectionRequest:
    """The filer edits a returned request and sends it again to the head of department."""
    from models.audit.log import record

    now = now or datetime.now()
    if req.state != "bi_tra_lai":
        raise ValueError("Chỉ sửa và gửi lại được đề nghị đã bị trả lại.")
    if req.target == "mark":
        check_filing_open(req.semester, now, close_days)
    if req.target == "primary" and req.moment in tt27.MIDTERM_MOMENTS:
        check_filing_open(req.semester, now, close_days)
    new = _parse_new(req.target, new_text, req.subject if req.target != "attendance" else None, req.cell_field)
    reason = _clean(reason)
    _check_content(reason, new, req.old_value)
    stored = _store_evidence(evidence, upload_dir) if evidence is not None else None
    with write_transaction():
        before = {"new": req.new_value, "reason": req.reason, "evidence": req.evidence_name, "state": req.state}
        req.new_value, req.reason = new, reason
        if stored is not None:
            req.evidence_file, req.evidence_name = stored, evidence.name
            req.evidence_type, req.evidence_size = evidence.mimetype, len(evidence.data)
        req.state = _first_state(req.target, req.subject if req.target != "attendance" else None, user)
        req.confirmed_by = req.confirmed_at = None
        req.confirm_comment = ""
        req.save()
        _step(req, "resubmit", user, now, reason)
        record("resubmit", "correction", req.id, before=before,
               after={"new": req.new_value, "reason": req.reason, "evidence": req.evidence_name,
                      "state": req.state}, reason=reason)
    return req


# --- the steps -------------------------------------------------------------------------------------

def _move(req: CorrectionRequest, action: str, expected: str, state: str, user, comment: str, now: datetime,
          **fields) -> CorrectionRequest:
    from models.audit.log import record

    with write_transaction():
        current = CorrectionRequest.get_by_id(req.id)  # the state now, not the one the page showed
        if current.state != expected:
            raise ValueError(f"Đề nghị #{req.id} đang ở trạng thái “{current.state_label}”: "
                             "không thực hiện được thao tác này.")
        updated = (CorrectionRequest.update(state=state, **fields)
                   .where((CorrectionRequest.id == req.id) & (CorrectionRequest.state == expected)).execute())
        if updated != 1:
            raise ValueError(f"Đề nghị #{req.id} vừa được người khác xử lý. Vui lòng tải lại trang.")
        req.state = state
        for name, value in fields.items():
            setattr(req, name, value)
        _step(req, action, user, now, comment)
        record(action, "correction", req.id, before={"state": expected}, after={"state": state}, reason=comment)
    return req


def confirm(req: CorrectionRequest, user, comment: str = "", now: datetime | None = None) -> CorrectionRequest:
    """The head of department confirms: the request goes to the vice-principal."""
    now, comment = now or datetime.now(), _clean(comment)
    return _move(req, "confirm", "cho_to_truong", "cho_pht", user, comment, now,
                 confirmed_by=user.id, confirmed_at=now, confirm_comment=comment)


def return_request(req: CorrectionRequest, user, comment: str, now: datetime | None = None) -> CorrectionRequest:
    """The head of department returns it to the teacher, saying why; the teacher may edit and resend."""
    now, comment = now or datetime.now(), _clean(comment)
    if not comment:
        raise ValueError("Vui lòng ghi lý do trả lại để giáo viên sửa.")
    return _move(req, "return", "cho_to_truong", "bi_tra_lai", user, comment, now,
                 confirmed_by=user.id, confirmed_at=now, confirm_comment=comment)


def approve(req: CorrectionRequest, user, comment: str = "", now: datetime | None = None) -> CorrectionRequest:
    """The vice-principal (or principal) approves: the admin may apply it."""
    now, comment = now or datetime.now(), _clean(comment)
    return _move(req, "approve", "cho_pht", "da_duyet", user, comment, now,
                 decided_by=user.id, decided_at=now, decision_comment=comment)


def reject(req: CorrectionRequest, user, comment: str, now: datetime | None = None) -> CorrectionRequest:
    """The vice-principal (or principal) rejects, saying why; this is final."""
    now, comment = now or datetime.now(), _clean(comment)
    if not comment:
        raise ValueError("Vui lòng ghi lý do từ chối.")
    return _move(req, "reject", "cho_pht", "bi_tu_choi", user, comment, now,
                 decided_by=user.id, decided_at=now, decision_comment=comment)


def apply(req: CorrectionRequest, user, now: datetime | None = None,
          office_hours: str = OFFICE_HOURS, office_days: int = 6, write=None) -> CorrectionRequest:
    """The admin writes the approved value into the locked book, in one transaction with the request's state.

    A target this area cannot reach brings its writer: `write(request, user, now)`, run inside the transaction
    (a primary cell: models/primary/corrections.py; a conduct level: models/yearend/conduct_changes.py)."""
    from models.audit.log import record
    from models.gradebook import marks

    now = now or datetime.now()
    if not in_office_hours(now, office_hours, office_days):
        raise ValueError(f"Chỉ áp dụng sửa điểm trong giờ hành chính ({office_hours_label(office_hours, office_days)}). "
                         f"Bây giờ là {now:%H:%M} {_weekday(now)}.")
    with write_transaction():
        current = CorrectionRequest.get_by_id(req.id)
        if current.state != "da_duyet":
            raise ValueError(f"Đề nghị #{req.id} đang ở trạng thái “{current.state_label}”: "
                             "chỉ áp dụng được đề nghị đã duyệt.")
        if write is not None:
            write(current, user, now)
        elif req.target == "mark":
            marks.apply_correction(current, user, now)
        elif req.target == "attendance":
            apply_attendance_correction(current, user, now)
        else:
            raise ValueError(f"Đề nghị #{req.id} ({req.target_label}) không áp dụng được ở đây.")
        CorrectionRequest.update(state="da_ap_dung", applied_by=user.id, applied_at=now).where(
            CorrectionRequest.id == req.id).execute()
        req.state, req.applied_by, req.applied_at = "da_ap_dung", user.id, now
        _step(req, "apply", user, now)
        record("apply", "correction", req.id, before={"state": "da_duyet"}, after={"state": "da_ap_dung"},
               reason=f"Áp dụng đề nghị #{req.id}")
    return req


def _weekday(moment: datetime) -> str:
    return ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"][moment.weekday()]


def apply_attendance_correction(req: CorrectionRequest, user, now: datetime) -> None:
    """Write an approved attendance correction despite the month lock; call inside write_transaction()."""
    from models.attendance import register as att
    from models.audit.log import record

    if not db.in_transaction():
        raise RuntimeError("apply_attendance_correction must run inside write_transaction()")
    mark = att._find_mark(req.school_class, req.student, req.day, req.session)
    current = mark.value if mark else None
    if current != req.old_value:
        raise ValueError(req.stale_message(current))
    if mark is None:
        mark = att.AttendanceMark.create(student=req.student_id, school_class=req.school_class_id, day=req.day,
                                         session=req.session, value=req.new_value, version=1,
                                         updated_by=user.id, updated_at=now)
        version = 1
    else:
        version = mark.version + 1
        updated = (att.AttendanceMark.update(value=req.new_value, version=version, updated_by=user.id,
                                             updated_at=now)
                   .where((att.AttendanceMark.id == mark.id) & (att.AttendanceMark.version == mark.version))
                   .execute())
        if updated != 1:
            raise ValueError(req.stale_message(current))
    att.AttendanceChange.create(mark=mark.id, old_value=current, new_value=req.new_value, version=version,
                                changed_by=user.id, changed_at=now, correction_request_id=req.id)
    record("attendance", "attendance", att.mark_key(req.school_class, req.student, req.day, req.session),
           before={"value": current}, after={"value": req.new_value}, reason=f"Sửa theo đề nghị #{req.id}")


# --- lists and counts ------------------------------------------------------------------------------

def _with_people():
    Filer = User.alias()
    return (CorrectionRequest.select(CorrectionRequest, SchoolClass, Student, Subject, Semester, Filer)
            .join(SchoolClass, on=(CorrectionRequest.school_class == SchoolClass.id))
            .switch(CorrectionRequest).join(Student, on=(CorrectionRequest.student == Student.id))
            .switch(CorrectionRequest).join(Subject, JOIN.LEFT_OUTER, on=(CorrectionRequest.subject == Subject.id))
            .switch(CorrectionRequest).join(Semester, JOIN.LEFT_OUTER,
                                            on=(CorrectionRequest.semester == Semester.id))
            .switch(CorrectionRequest).join(Filer, on=(CorrectionRequest.filed_by == Filer.id),
                                            attr="filed_by"))


def get_request(request_id: int) -> CorrectionRequest | None:
    return _with_people().where(CorrectionRequest.id == request_id).first()


def requests_of(user) -> list[CorrectionRequest]:
    """The user's own requests, newest first."""
    return list(_with_people().where(CorrectionRequest.filed_by == user.id)
                .order_by(CorrectionRequest.filed_at.desc(), CorrectionRequest.id.desc()))


def _head_query(user):
    departments = head_departments(user) or [0]
    members = (User.select(User.id).join(DepartmentMember, on=(User.staff == DepartmentMember.staff))
               .where(DepartmentMember.department.in_(departments)))
    return (CorrectionRequest.select().join(Subject, JOIN.LEFT_OUTER, on=(CorrectionRequest.subject == Subject.id))
            .where(((CorrectionRequest.target == "mark") & Subject.department.in_(departments))
                   | ((CorrectionRequest.target == "primary")
                      & (Subject.department.in_(departments)
                         | (Subject.department.is_null() & CorrectionRequest.filed_by.in_(members))))))


def head_queue(user, waiting_only: bool = False) -> list[CorrectionRequest]:
    """Mark requests of the subjects of the user's departments: those waiting first, then the others."""
    ids = [r.id for r in _head_query(user)]
    query = _with_people().where(CorrectionRequest.id.in_(ids or [0]))
    if waiting_only:
        query = query.where(CorrectionRequest.state == "cho_to_truong")
    return _waiting_first(query, "cho_to_truong")


def _waiting_first(query, state: str) -> list[CorrectionRequest]:
    rows = list(query.order_by(CorrectionRequest.filed_at, CorrectionRequest.id))
    waiting = [r for r in rows if r.state == state]
    others = sorted((r for r in rows if r.state != state), key=lambda r: (r.filed_at, r.id), reverse=True)
    return waiting + others[:100]


def approval_queue() -> list[CorrectionRequest]:
    """Every request that reached the board: those waiting for a decision first."""
    return _waiting_first(_with_people().where(CorrectionRequest.state != "cho_to_truong"), "cho_pht")


def apply_queue() -> list[CorrectionRequest]:
    """Approved requests to apply first, then the ones applied recently."""
    return _waiting_first(_with_people().where(CorrectionRequest.state.in_(("da_duyet", "da_ap_dung"))),
                          "da_duyet")


def steps_of(req: CorrectionRequest) -> list[CorrectionStep]:
    return list(CorrectionStep.select().where(CorrectionStep.request == req)
                .order_by(CorrectionStep.at, CorrectionStep.id))


def count_open_of(user) -> int:
    return (CorrectionRequest.select().where((CorrectionRequest.filed_by == user.id)
                                             & CorrectionRequest.state.in_(OPEN_STATES)).count())


def count_waiting_head(user) -> int:
    if not head_departments(user):
        return 0
    return _head_query(user).where(CorrectionRequest.state == "cho_to_truong").count()


def count_waiting_decision(user=None) -> int:
    return CorrectionRequest.select().where(CorrectionRequest.state == "cho_pht").count()


def count_waiting_apply(user=None) -> int:
    return CorrectionRequest.select().where(CorrectionRequest.state == "da_duyet").count()
