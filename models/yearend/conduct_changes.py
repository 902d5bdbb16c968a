"""A conduct level after the principal approved the class's year (seed 000 Điều 15.4: after approval a change
only through a correction). The homeroom teacher files a request with a reason in the one correction workflow
(models/gradebook/corrections.py, target "conduct"); it goes straight to the vice-principal (or principal), who
approves or rejects it; the admin applies it. The year results are computed from the stored levels, so they
follow at once, and the class shows "Cần duyệt lại" until the principal approves it again (approval.py).

Every step is a CorrectionStep row and an audit entry; the level written by the apply step is one more entry.
"""
from dataclasses import dataclass
from datetime import datetime

from models.gradebook import corrections as corr
from models.people.accounts import User
from models.people.records import Student
from models.rules.dates import format_date
from models.school.structure import SchoolClass, Semester, enrolment_in
from models.yearend import records
from models.yearend.records import APPROVED, ConductRating


@dataclass
class ConductTarget:
    """A conduct level of an approved class a request may be filed for, with the level's key stored now."""

    school_class: SchoolClass
    student: Student
    semester: Semester
    value: str | None  # T, K, Đ, C or None (not rated)
    lock_reason: str


def conduct_target(school_class: SchoolClass, student: Student, semester_number: int) -> ConductTarget:
    """Check a request may be filed: the class's year approved, a student of it, semester 1 or 2."""
    state = records.year_end_of(school_class)
    if state.state != APPROVED:
        raise ValueError(f"Kết quả cả năm lớp {school_class.name} chưa được hiệu trưởng duyệt: hãy sửa rèn luyện "
                         "trực tiếp trên bảng xếp loại (khi lớp đang nhập hoặc bị trả lại), không cần đề nghị.")
    enrolment = enrolment_in(school_class.id, student.id)
    if enrolment is None:
        raise ValueError(f"Học sinh không thuộc lớp {school_class.name}.")
    if enrolment.left_on is not None or student.has_left:
        raise ValueError(f"Học sinh {student.full_name} đã rời lớp ({student.status_label}).")
    semester = Semester.get_or_none((Semester.year == school_class.year_id) & (Semester.number == semester_number))
    if semester is None:
        raise ValueError("Học kì phải là học kì I hoặc học kì II của năm học của lớp.")
    rating = ConductRating.get_or_none((ConductRating.school_class == school_class)
                                       & (ConductRating.student == student)
                                       & (ConductRating.semester == semester_number))
    when = f" ngày {format_date(state.approved_at.date())}" if state.approved_at else ""
    return ConductTarget(school_class, student, semester, records.conduct_key(rating.level if rating else None)
                         or None, f"Hiệu trưởng đã duyệt kết quả cả năm của lớp{when}.")


def file_request(target: ConductTarget, new_text: str, reason: str, evidence: "corr.Evidence | None", user: User,
                 upload_dir: str, now: datetime | None = None) -> "corr.CorrectionRequest":
    """The homeroom teacher asks to change the level; ValueError (Vietnamese) when it cannot be filed. Evidence
    is optional: the reason is the homeroom teacher's."""
    now = now or datetime.now()
    level = records.parse_conduct(new_text)
    if level is None:
        raise ValueError("Vui lòng chọn mức rèn luyện mới: T (Tốt), K (Khá), Đ (Đạt) hoặc C (Chưa đạt).")
    new = records.conduct_key(level)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValueError("Vui lòng nêu lý do đề nghị sửa.")
    if len(reason) > 2000:
        raise ValueError("Lý do dài quá 2000 kí tự.")
    if new == target.value:
        raise ValueError("Mức mới trùng với mức đang lưu.")
    if target.school_class.homeroom_teacher_id is None or target.school_class.homeroom_teacher_id != user.staff_id:
        raise ValueError(f"Chỉ giáo viên chủ nhiệm lớp {target.school_class.name} lập được đề nghị này.")
    existing = corr.open_request_for(target="conduct", school_class=target.school_class.id,
                                     student=target.student.id, semester=target.semester.id)
    if existing is not None:
        raise ValueError(f"Rèn luyện {target.semester.label} của học sinh này đã có đề nghị sửa #{existing.id} "
                         f"đang xử lý ({existing.state_label}).")
    return corr.create_request(dict(target="conduct", school_class=target.school_class, student=target.student,
                                    semester=target.semester, old_value=target.value, new_value=new, reason=reason),
                               evidence, user, upload_dir, now)


def write_level(req: "corr.CorrectionRequest", user: User, now: datetime) -> None:
    """The apply step's writer (corrections.apply(..., write=write_level)): the approved level replaces the stored
    one, unless the level changed since the request was filed. Runs inside the apply's transaction."""
    from models.audit.log import record

    number = req.semester.number
    rating = ConductRating.get_or_none((ConductRating.school_class == req.school_class_id)
                                       & (ConductRating.student == req.student_id)
                                       & (ConductRating.semester == number))
    current = records.conduct_key(rating.level if rating else None) or None
    if current != req.old_value:
        raise ValueError(req.stale_message(current))
    level = records.CONDUCT_KEYS[req.new_value]
    if rating is None:
        ConductRating.create(school_class=req.school_class_id, student=req.student_id, semester=number, level=level,
                             version=1, updated_by=user, updated_at=now)
        before = {"level": None, "comment": ""}
        comment = ""
    else:
        updated = (ConductRating.update(level=level, version=rating.version + 1, updated_by=user, updated_at=now)
                   .where((ConductRating.id == rating.id) & (ConductRating.version == rating.version)).execute())
        if updated != 1:
            raise ValueError(req.stale_message(current))
        before, comment = {"level": rating.level, "comment": rating.comment}, rating.comment
    record("conduct", "conduct", f"{req.school_class.name}/{req.student.code}/HK{number}", before=before,
           after={"level": level, "comment": comment}, reason=f"Sửa theo đề nghị #{req.id}")


def requests_of_class(school_class: SchoolClass) -> list["corr.CorrectionRequest"]:
    """The class's conduct requests, newest first (shown on the class's year-end pages)."""
    C = corr.CorrectionRequest
    return list(C.select().where((C.target == "conduct") & (C.school_class == school_class))
                .order_by(C.filed_at.desc(), C.id.desc()))
