"""The correction workflow's pages: file, list, queues, one request with its trail, the evidence."""
from datetime import date, datetime

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from blueprints.corrections import bp
from blueprints.corrections.forms import CommentForm, CorrectionForm
from blueprints.guards import (
    allow,
    own_assignment,
    own_attendance_class,
    own_homeroom_class,
    own_year_end_class,
    refuse,
)
from blueprints.nfc_request import bounded_int
from models.gradebook import corrections as corr
from models.gradebook.marks import Column
from models.people.records import Student
from models.primary import corrections as primary_corr
from models.rules import tt27
from models.school.structure import Enrolment, Semester
from models.yearend import conduct_changes

FORM_ERRORS = "Chưa gửi được: vui lòng sửa các ô báo lỗi."
# where the office hours come from, named on the pages that apply corrections (README "Settings")
OFFICE_SETTINGS = "OFFICE_HOURS, OFFICE_DAYS trong instance/config.py hoặc biến môi trường SOTRUONG_OFFICE_HOURS, SOTRUONG_OFFICE_DAYS"


def now() -> datetime:
    """The clock of the workflow (tests replace it)."""
    return datetime.now()


def _config(name: str, default):
    return current_app.config.get(name, default)


def _close_days() -> int:
    return int(_config("CORRECTIONS_CLOSE_DAYS_BEFORE_FINALS", corr.CLOSE_DAYS_BEFORE_FINALS))


def _office_hours() -> str:
    return _config("OFFICE_HOURS", corr.OFFICE_HOURS)


def _office_days() -> int:
    """OFFICE_DAYS: 5 (Monday–Friday), 6 (Monday–Saturday, the default) or 7."""
    return int(_config("OFFICE_DAYS", 6))


def _arg_int(name: str) -> int:
    value = request.args.get(name, "")
    try:
        return bounded_int(value) if value.isdigit() else abort(404)
    except ValueError:
        abort(404)


def _student_in(class_id: int) -> Student:
    student = (Student.select().join(Enrolment)
               .where((Student.id == _arg_int("student_id")) & (Enrolment.school_class == class_id)).first())
    if student is None:
        abort(404)
    return student


def _moment_arg() -> str:
    """The TT27 moment (GHK1, CHK1, GHK2, CN) named in the query string; 404 for anything else."""
    moment = request.args.get("moment", "")
    if moment not in tt27.MOMENTS:
        abort(404)
    return moment


def _cell_from_args():
    """The cell the request is about, from the query string, with the object-level check of its target."""
    if request.args.get("target") == "mark":
        assignment = own_assignment(_arg_int("assignment_id"))
        semester = Semester.get_or_none((Semester.year == assignment.school_class.year_id)
                                        & (Semester.number == _arg_int("semester")))
        if semester is None:
            abort(404)
        student = _student_in(assignment.school_class_id)
        back = url_for("teacher.grid", assignment_id=assignment.id, semester_number=semester.number)
        return "mark", back, lambda: corr.mark_target(assignment, semester, student, request.args.get("kind", ""),
                                                      _arg_int("idx"), now=now())
    if request.args.get("target") == "primary" and "class_id" in request.args:  # a rating, the homeroom teacher's
        school_class = own_homeroom_class(_arg_int("class_id"))
        student, moment = _student_in(school_class.id), _moment_arg()
        back = url_for("homeroom.primary_traits", class_id=school_class.id, moment=moment)
        return "primary", back, lambda: primary_corr.trait_target(school_class, moment, student,
                                                                  request.args.get("field", ""), now=now())
    if request.args.get("target") == "primary":
        assignment = own_assignment(_arg_int("assignment_id"))
        student, moment = _student_in(assignment.school_class_id), _moment_arg()
        back = url_for("teacher.primary_grid", assignment_id=assignment.id, moment=moment)
        return "primary", back, lambda: primary_corr.primary_target(assignment, moment, student,
                                                                    request.args.get("field", ""), now=now())
    if request.args.get("target") == "attendance":
        school_class = own_attendance_class(_arg_int("class_id"))
        student = _student_in(school_class.id)
        try:
            day = date.fromisoformat(request.args.get("day", ""))
        except ValueError:
            abort(404)
        back = url_for("homeroom.attendance_month", class_id=school_class.id, year_month=f"{day:%Y-%m}")
        return "attendance", back, lambda: corr.attendance_target(school_class, student, day,
                                                                  _arg_int("session"), now=now())
    if request.args.get("target") == "conduct":  # a conduct level after the year's approval: its GVCN
        school_class = own_year_end_class(_arg_int("class_id"))
        student = _student_in(school_class.id)
        number = _arg_int("semester")
        if number not in (1, 2):
            abort(404)
        back = url_for("homeroom.conduct", class_id=school_class.id, semester=number)
        return "conduct", back, lambda: conduct_changes.conduct_target(school_class, student, number)
    abort(404)


def _evidence(form: CorrectionForm, required: bool):
    """The uploaded file, checked by content; None (and a field error when required) if there is none."""
    upload = form.evidence.data
    if upload is None or not getattr(upload, "filename", ""):
        if required:
            form.evidence.errors = [*form.evidence.errors, "Vui lòng gửi kèm tệp minh chứng (PDF, JPG hoặc PNG)."]
        return None
    try:
        return corr.check_evidence(upload.read(corr.MAX_EVIDENCE_BYTES + 1), upload.filename)
    except ValueError as wrong:
        form.evidence.errors = [*form.evidence.errors, str(wrong)]
        return None


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Đề nghị sửa điểm (or điểm danh) from a locked cell."""
    target, back_url, read_cell = _cell_from_args()
    form = CorrectionForm()
    try:
        cell = read_cell()
    except ValueError as wrong:
        return render_template("corrections/new.html", form=None, cell=None, target=target, back_url=back_url,
                               error=str(wrong)), 422
    error, deadline = "", None
    semester = cell.semester if target == "mark" else corr.primary_filing_semester(cell) if target == "primary" \
        else None
    subject = cell.assignment.subject if target == "mark" else cell.subject if target == "primary" else None
    column_label = Column(cell.kind, cell.idx).label if target == "mark" else cell.label if target == "primary" \
        else ""
    if semester is not None:
        deadline = corr.filing_deadline(semester, _close_days())
        try:  # say it is closed before the teacher fills the form in, not after
            corr.check_filing_open(semester, now(), _close_days())
        except ValueError as closed:
            return render_template("corrections/new.html", form=None, cell=cell, target=target, deadline=deadline,
                                   subject=subject, back_url=back_url, error=str(closed), column_label=column_label,
                                   current=corr.describe(target, cell.value, subject)), \
                422 if form.is_submitted() else 200
    if form.is_submitted():
        valid = form.validate()  # validate() resets the field errors: the file is checked after it
        evidence = _evidence(form, required=target != "conduct")
        if valid and not form.evidence.errors:
            try:
                if target == "conduct":
                    req = conduct_changes.file_request(cell, form.new_value.data, form.reason.data, evidence,
                                                       current_user, _config("UPLOAD_DIR", ""), now=now())
                elif target == "mark":
                    req = corr.file_mark_request(cell, form.new_value.data, form.reason.data, evidence,
                                                 current_user, _config("UPLOAD_DIR", ""), now=now(),
                                                 close_days=_close_days())
                elif target == "primary":
                    req = corr.file_primary_request(cell, form.new_value.data, form.reason.data, evidence,
                                                    current_user, _config("UPLOAD_DIR", ""), now=now(),
                                                    close_days=_close_days())
                else:
                    req = corr.file_attendance_request(cell, form.new_value.data, form.reason.data, evidence,
                                                       current_user, _config("UPLOAD_DIR", ""), now=now())
            except ValueError as wrong:
                error = str(wrong)
            else:
                flash(f"Đã gửi đề nghị #{req.id}: {req.state_label.lower()}.", "success")
                return redirect(url_for("corrections.detail", request_id=req.id), 303)
        else:
            error = FORM_ERRORS
    status = 422 if form.is_submitted() else 200
    return render_template("corrections/new.html", form=form, cell=cell, target=target, error=error,
                           deadline=deadline, subject=subject, back_url=back_url, column_label=column_label,
                           current=corr.describe(target, cell.value, subject),
                           cell_field=getattr(cell, "field", None), comment_max=tt27.COMMENT_MAX), status


@bp.route("/mine")
def mine():
    """Đề nghị của tôi: the requests the person filed, newest first."""
    return render_template("corrections/list.html", rows=corr.requests_of(current_user), queue="mine",
                           title="Đề nghị sửa điểm của tôi")


@bp.route("/head")
def head_queue():
    """Xác nhận sửa điểm: the head of department's queue for the subjects of their department."""
    allow(bool(corr.head_departments(current_user)) or current_user.has_role("head_of_department"),
          "không phải tổ trưởng chuyên môn")
    return render_template("corrections/list.html", rows=corr.head_queue(current_user), queue="head",
                           title="Xác nhận đề nghị sửa điểm")


@bp.route("/approvals")
def approval_queue():
    """Duyệt sửa điểm: the vice-principal's (or principal's) queue."""
    allow(corr.can_decide(current_user), "không có quyền duyệt đề nghị sửa điểm")
    return render_template("corrections/list.html", rows=corr.approval_queue(), queue="approvals",
                           title="Duyệt đề nghị sửa điểm")


@bp.route("/apply")
def apply_queue():
    """Áp dụng sửa điểm: the admin's queue of approved requests."""
    allow(corr.can_apply(current_user), "không có quyền áp dụng đề nghị sửa điểm")
    return render_template("corrections/list.html", rows=corr.apply_queue(), queue="apply",
                           title="Áp dụng sửa điểm đã duyệt", office_hours=corr.office_hours_label(_office_hours(), _office_days()),
                           office_settings=OFFICE_SETTINGS,
                           in_hours=corr.in_office_hours(now(), _office_hours(), _office_days()), form=CommentForm())


def _request_for(request_id: int, check) -> corr.CorrectionRequest:
    """The request, if `check(req, user)` lets the current user act on it; 403 (audited) otherwise."""
    req = corr.get_request(request_id)
    if req is None:
        abort(404)
    if not check(req, current_user):
        refuse("correction", req.id, "không có quyền với đề nghị sửa điểm này")
    return req


def _detail(req, form=None, error: str = "", status: int = 200):
    return render_template("corrections/detail.html", req=req, steps=corr.steps_of(req), form=form or CommentForm(),
                           error=error, is_head=corr.is_head_for(req, current_user),
                           can_decide=corr.can_decide(current_user), can_apply=corr.can_apply(current_user),
                           office_hours=corr.office_hours_label(_office_hours(), _office_days()),
                           office_settings=OFFICE_SETTINGS,
                           in_hours=corr.in_office_hours(now(), _office_hours(), _office_days())), status


@bp.route("/<int:request_id>")
def detail(request_id: int):
    """One request with its full trail and the evidence link."""
    return _detail(_request_for(request_id, corr.can_view))


@bp.route("/<int:request_id>/evidence")
def evidence(request_id: int):
    """The evidence file of a request, found by the request (never by a path the client names)."""
    req = _request_for(request_id, corr.can_view)
    path = corr.evidence_path(req, _config("UPLOAD_DIR", ""))
    if path is None:
        abort(404)
    return send_file(path, mimetype=req.evidence_type, download_name=req.evidence_name,
                     as_attachment=req.evidence_type == "application/pdf")


def _step(request_id: int, check, action, success: str):
    """Run one step of the workflow: the actor check (403), then the model function (422 on ValueError)."""
    req = _request_for(request_id, check)
    form = CommentForm()
    if not form.validate_on_submit():
        return _detail(req, form, FORM_ERRORS, 422)
    try:
        action(req, form.comment.data or "")
    except ValueError as wrong:
        return _detail(corr.get_request(request_id), form, str(wrong), 422)
    flash(success.format(id=req.id), "success")
    return redirect(url_for("corrections.detail", request_id=req.id), 303)


@bp.route("/<int:request_id>/confirm", methods=["POST"])
def confirm(request_id: int):
    """The head of department confirms a request."""
    return _step(request_id, corr.is_head_for, lambda r, c: corr.confirm(r, current_user, c, now=now()),
                 "Đã xác nhận đề nghị #{id} và chuyển Phó hiệu trưởng duyệt.")


@bp.route("/<int:request_id>/return", methods=["POST"])
def return_request(request_id: int):
    """The head of department returns a request to the teacher with a comment."""
    return _step(request_id, corr.is_head_for, lambda r, c: corr.return_request(r, current_user, c, now=now()),
                 "Đã trả lại đề nghị #{id} cho giáo viên.")


@bp.route("/<int:request_id>/approve", methods=["POST"])
def approve(request_id: int):
    """The vice-principal (or principal) approves a request."""
    return _step(request_id, lambda r, u: corr.can_decide(u),
                 lambda r, c: corr.approve(r, current_user, c, now=now()),
                 "Đã duyệt đề nghị #{id}; quản trị sẽ áp dụng vào sổ.")


@bp.route("/<int:request_id>/reject", methods=["POST"])
def reject(request_id: int):
    """The vice-principal (or principal) rejects a request with a comment; final."""
    return _step(request_id, lambda r, u: corr.can_decide(u),
                 lambda r, c: corr.reject(r, current_user, c, now=now()),
                 "Đã từ chối đề nghị #{id}.")


def _apply(req):
    """Apply through the area that owns the target: a primary cell (models/primary), a conduct level (models/yearend)."""
    options = dict(now=now(), office_hours=_office_hours(), office_days=_office_days())
    if req.target == "primary":
        return primary_corr.apply(req, current_user, **options)
    return corr.apply(req, current_user, write=conduct_changes.write_level if req.target == "conduct" else None,
                      **options)


@bp.route("/<int:request_id>/apply", methods=["POST"])
def apply(request_id: int):
    """The admin applies an approved request to the locked book, in office hours."""
    return _step(request_id, lambda r, u: corr.can_apply(u),
                 lambda r, c: _apply(r),
                 "Đã áp dụng đề nghị #{id}: giá trị trong sổ đã được sửa.")


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
def edit(request_id: int):
    """The filer edits a returned request and sends it again."""
    req = _request_for(request_id, lambda r, u: r.filed_by_id == u.id)
    if req.state != "bi_tra_lai":
        flash("Chỉ sửa và gửi lại được đề nghị đã bị trả lại.", "error")
        return redirect(url_for("corrections.detail", request_id=req.id), 303)
    form = CorrectionForm(obj=None if request.method == "POST" else _edit_values(req))
    error = ""
    if form.is_submitted():
        valid = form.validate()  # validate() resets the field errors: the file is checked after it
        evidence = _evidence(form, required=False)
        if valid and not form.evidence.errors:
            try:
                corr.resubmit(req, form.new_value.data, form.reason.data, evidence, current_user,
                              _config("UPLOAD_DIR", ""), now=now(), close_days=_close_days())
            except ValueError as wrong:
                error = str(wrong)
            else:
                flash(f"Đã gửi lại đề nghị #{req.id}: {req.state_label.lower()}.", "success")
                return redirect(url_for("corrections.detail", request_id=req.id), 303)
        else:
            error = FORM_ERRORS
    return render_template("corrections/edit.html", form=form, req=req, error=error, cell_field=req.cell_field,
                           comment_max=tt27.COMMENT_MAX), \
        422 if form.is_submitted() else 200


def _edit_values(req):
    from types import SimpleNamespace

    shown = req.new_text if req.new_value is not None else ""
    return SimpleNamespace(new_value=shown, reason=req.reason, evidence=None)
