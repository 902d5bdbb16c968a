"""Correcting a person's profile and recording a status change: one pair of views for students and staff."""
from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.admin import bp
from blueprints.admin.people_forms_admin import (
    StaffEditForm,
    StaffStatusForm,
    StudentEditForm,
    StudentStatusForm,
)
from blueprints.people_forms import form_to_profile
from models.core import write_transaction
from models.people.records import STUDENT_LEFT, Staff, Student, change_staff_status, update_profile
from models.school.rosters import record_student_status
from models.school.structure import Grade, SchoolClass, SchoolYear, class_sort_key, current_class_of

LEFT_MESSAGE = "Hồ sơ của người đã rời trường chỉ được xem, không được sửa."


@dataclass(frozen=True)
class PersonKind:
    """What differs between a student's pages and a staff member's."""

    model: type
    list_endpoint: str
    list_title: str
    detail_endpoint: str
    id_arg: str
    edit_form: type
    status_form: type
    fields_template: str
    reason_hint: str
    status_hint: str
    other_school_hint: str
    back_label: str


STUDENT = PersonKind(
    Student, "admin.students", "Học sinh", "admin.student_detail", "student_id", StudentEditForm,
    StudentStatusForm, "_student_profile_fields.html", "Ghi vào nhật ký thay đổi, ví dụ: theo giấy khai sinh.",
    "Chuyển đi, nghỉ học, thôi học: học sinh rời lớp từ ngày có hiệu lực, vẫn được giữ trong danh sách lớp "
    "(in mờ).", "Bắt buộc khi chuyển đi hoặc chuyển đến.", "Về hồ sơ học sinh")
STAFF = PersonKind(
    Staff, "admin.staff_list", "Cán bộ, giáo viên", "admin.staff_detail", "staff_id", StaffEditForm,
    StaffStatusForm, "admin/_staff_profile_fields.html", "", "", "Nơi chuyển công tác đến, nếu có.", "Về hồ sơ")


def _person_or_404(kind: PersonKind, person_id: int):
    person = kind.model.get_or_none(kind.model.id == person_id)
    if person is None:
        abort(404)
    return person


def _detail_url(kind: PersonKind, person) -> str:
    return url_for(kind.detail_endpoint, **{kind.id_arg: person.id})


def year_classes() -> list[SchoolClass]:
    year = SchoolYear.current()
    if year is None:
        return []
    classes = SchoolClass.select(SchoolClass, Grade).join(Grade).where(SchoolClass.year == year)
    return sorted(classes, key=lambda c: (c.grade.number, class_sort_key(c.name)))  # 6A2 before 6A10


def profile_values(form, model) -> dict:
    """The model's profile fields of a validated form; a text field absent from the POST is left out."""
    return {k: v for k, v in form_to_profile(form).items()
            if k in model.PROFILE_FIELDS and (v is not None or k == "date_of_birth")}


def _edit(kind: PersonKind, person_id: int):
    """Correct a profile; the mã định danh has no field and cannot change."""
    person = _person_or_404(kind, person_id)
    form = kind.edit_form(obj=person)
    error = LEFT_MESSAGE if person.has_left else None
    if request.method == "POST" and not person.has_left and form.validate():
        try:
            with write_transaction():
                changed = update_profile(person, profile_values(form, kind.model), reason=form.reason.data or "")
        except ValueError as refused:
            error = str(refused)
        else:
            flash("Đã lưu hồ sơ." if changed else "Không có thay đổi nào.", "success")
            return redirect(_detail_url(kind, person), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/person_edit.html", kind=kind, form=form, person=person,
                           detail_url=_detail_url(kind, person), error=error), status


def _record_status(kind: PersonKind, person, form, classes) -> None:
    if kind is STUDENT:
        rejoin = None
        if person.has_left and form.status.data not in STUDENT_LEFT and form.class_id.data:
            rejoin = next(c for c in classes if c.id == form.class_id.data)
        record_student_status(person, form.status.data, form.effective_on.data, form.reason.data,
                              form.other_school.data or "", recorded_by=current_user.id, rejoin=rejoin)
    else:
        change_staff_status(person, form.status.data, form.effective_on.data, form.reason.data,
                            form.other_school.data or "", recorded_by=current_user.id)


def _status(kind: PersonKind, person_id: int):
    """Record a dated status change; a student who leaves leaves their class, one who comes back may get one."""
    person = _person_or_404(kind, person_id)
    form = kind.status_form()
    classes = []
    if kind is STUDENT:
        classes = year_classes()
        form.set_classes(classes)
    if request.method == "GET":
        form.effective_on.data = date.today()
        if kind is STUDENT:
            form.status.data = "chuyen_den" if person.has_left else "chuyen_di"
        else:
            form.status.data = "dang_cong_tac" if person.has_left else "chuyen_cong_tac"
    error = None
    if request.method == "POST" and form.validate():
        try:
            with write_transaction():
                _record_status(kind, person, form, classes)
        except ValueError as refused:
            error = str(refused)
        else:
            who = f"học sinh {person.full_name}" if kind is STUDENT else person.full_name
            flash(f"Đã ghi trạng thái “{person.status_label}” cho {who}.", "success")
            return redirect(_detail_url(kind, person), 303)
    status = 422 if request.method == "POST" else 200
    current_class = current_class_of(person) if kind is STUDENT else None
    return render_template("admin/person_status.html", kind=kind, form=form, person=person,
                           detail_url=_detail_url(kind, person), current_class=current_class,
                           error=error), status


@bp.route("/students/<int:student_id>/edit", methods=["GET", "POST"])
def student_edit(student_id: int):
    """Correct a student's profile."""
    return _edit(STUDENT, student_id)


@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
def staff_edit(staff_id: int):
    """Correct a staff member's profile."""
    return _edit(STAFF, staff_id)


@bp.route("/students/<int:student_id>/status", methods=["GET", "POST"])
def student_status(student_id: int):
    """Record a student's status change."""
    return _status(STUDENT, student_id)


@bp.route("/staff/<int:staff_id>/status", methods=["GET", "POST"])
def staff_status(staff_id: int):
    """Record a staff member's status change (chuyển công tác, nghỉ hưu, ...)."""
    return _status(STAFF, staff_id)
