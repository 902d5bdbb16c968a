"""The homeroom teacher of a primary class (TT27): qualities and competences at each moment, the year-end
result computed from the subjects' levels and tests, and the monthly comment on each pupil."""
import json

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.fragments import render_fragment
from blueprints.guards import own_homeroom_class
from blueprints.homeroom import bp
from blueprints.primary_cells import CELL_CLASS, STATUS, form_int
from models.primary import assessments as pa
from models.primary import corrections as primary_corrections
from models.rules import tt27
from models.school.structure import enrolment_in
from models.yearend import primary_year as primary_year_end
from models.yearend import records
from models.yearend.approval import StepRefused


def _primary_class(class_id: int, moment: str):
    school_class = own_homeroom_class(class_id)
    if moment not in tt27.MOMENTS or not pa.is_primary_class(school_class):
        abort(404)
    return school_class


def _answer(result, cell, student, label: str, save_url: str, template: str = "homeroom/_trait_cell.html",
            history_url: str = ""):
    if result.status == "forbidden":
        abort(400)
    shown = result.typed if result.status in ("invalid", "left") else (result.value or "")
    resp = make_response(render_fragment(
        template, cell=cell, shown=shown, student=student, row=form_int("row"), col=form_int("col"),
        state=CELL_CLASS[result.status], message=result.message, editable=result.status != "locked",
        save_url=save_url, label=label, oob=True, history_url=history_url), STATUS[result.status])
    if not result.ok:
        level = "warning" if result.status == "conflict" else "error"
        resp.headers["HX-Trigger"] = json.dumps({"showMessage": {"level": level, "text": result.message}})
    return resp


@bp.route("/class/<int:class_id>/primary/<moment>")
def primary_traits(class_id: int, moment: str):
    """Phẩm chất, năng lực of the class at one moment; at CN the year-end result of each pupil."""
    school_class = _primary_class(class_id, moment)
    grid = pa.trait_grid(school_class, moment)
    return render_template("homeroom/primary_traits.html", grid=grid, school_class=school_class, moment=moment,
                           moments=tt27.MOMENTS, qualities=tt27.QUALITIES, competences=tt27.COMPETENCES,
                           save_url=url_for("homeroom.save_primary_trait", class_id=class_id, moment=moment),
                           history_url=_history_url(school_class, moment),
                           correction_url=url_for("corrections.new", target="primary", class_id=class_id, moment=moment))


@bp.route("/class/<int:class_id>/primary/<moment>/history/<int:student_id>/<trait>")
def primary_trait_history(class_id: int, moment: str, student_id: int, trait: str):
    """The history of one rating (Alt+H): every change, old → new, who, when."""
    school_class = _primary_class(class_id, moment)
    enrolment = enrolment_in(school_class.id, student_id)
    label = {**tt27.QUALITIES, **tt27.COMPETENCES}.get(trait)
    if enrolment is None or label is None:
        abort(404)
    cell, changes = primary_corrections.trait_history(school_class, enrolment.student, moment, trait)
    return render_template("teacher/_primary_history.html", cell=cell, changes=changes, student=enrolment.student,
                           where=f"{label} · lớp {school_class.name} · {tt27.MOMENTS[moment]}")


def _history_url(school_class, moment: str) -> str:
    return url_for("homeroom.primary_trait_history", class_id=school_class.id, moment=moment, student_id=0,
                   trait="x").removesuffix("0/x")


@bp.route("/class/<int:class_id>/primary/<moment>/cell", methods=["POST"])
def save_primary_trait(class_id: int, moment: str):
    """Save one rating T/Đ/C."""
    school_class = _primary_class(class_id, moment)
    enrolment = enrolment_in(school_class.id, form_int("student_id"))
    if enrolment is None:
        abort(404)
    trait = request.form.get("trait", "")
    result = pa.save_trait(school_class, moment, enrolment.student, trait, request.form.get("value", ""),
                           form_int("version"), current_user._get_current_object())
    label = {**tt27.QUALITIES, **tt27.COMPETENCES}.get(trait, "")
    return _answer(result, pa.Cell(trait, result.value, result.version), enrolment.student, label,
                   request.script_root + request.path, history_url=_history_url(school_class, moment))


@bp.route("/class/<int:class_id>/monthly-comments/<year_month>")
def monthly_comments(class_id: int, year_month: str):
    """Nhận xét hằng tháng (seed 002, Điều 4 khoản 3): one comment on each pupil for the month."""
    school_class = _primary_class(class_id, "CN")
    months = pa.months_of(school_class)
    if year_month not in months:
        abort(404)
    return render_template("homeroom/monthly_comments.html", school_class=school_class, year_month=year_month,
                           months=months, rows=pa.monthly_comments(school_class, year_month),
                           save_url=url_for("homeroom.save_monthly_comment", class_id=class_id,
                                            year_month=year_month))


@bp.route("/class/<int:class_id>/monthly-comments/<year_month>/cell", methods=["POST"])
def save_monthly_comment(class_id: int, year_month: str):
    """Save one pupil's comment of the month."""
    school_class = _primary_class(class_id, "CN")
    enrolment = enrolment_in(school_class.id, form_int("student_id"))
    if enrolment is None:
        abort(404)
    result = pa.save_monthly_comment(school_class, year_month, enrolment.student, request.form.get("value", ""),
                                     form_int("version"), current_user._get_current_object())
    return _answer(result, pa.Cell("comment", result.value, result.version), enrolment.student,
                   "Nhận xét tháng", request.script_root + request.path, template="homeroom/_comment_cell.html")


# --- year end: awards, submission ---------------------------------------------------------------------

@bp.route("/class/<int:class_id>/primary-year")
def primary_year(class_id: int):
    """Khen thưởng và nộp kết quả cuối năm: each pupil's result, the proposed award and its grounds, the homeroom
    teacher's decision with a remark; the class's state and steps; Nộp kết quả cuối năm."""
    school_class = _primary_class(class_id, "CN")
    state = records.year_end_of(school_class)
    return render_template("homeroom/primary_year.html", school_class=school_class,
                           rows=primary_year_end.award_rows(school_class), state=state,
                           approval=primary_year_end.approval_of(school_class), steps=records.steps_of(school_class),
                           step_labels=records.STEP_LABELS, awards=primary_year_end.AWARDS,
                           editable=state.state in (records.DRAFT, records.RETURNED))


def _back(class_id: int):
    return redirect(url_for("homeroom.primary_year", class_id=class_id), 303)


@bp.route("/class/<int:class_id>/primary-year/award", methods=["POST"])
def save_primary_award(class_id: int):
    """One pupil's award and remark."""
    school_class = _primary_class(class_id, "CN")
    enrolment = enrolment_in(school_class.id, form_int("student_id"))
    if enrolment is None:
        abort(404)
    try:
        primary_year_end.save_award(school_class, enrolment.student, request.form.get("award", ""),
                                    request.form.get("remark", ""), form_int("version"),
                                    current_user._get_current_object())
    except StepRefused as refused:
        flash(str(refused), "error")
        return _back(class_id)
    flash(f"Đã lưu khen thưởng của {enrolment.student.full_name}.", "success")
    return _back(class_id)


@bp.route("/class/<int:class_id>/primary-year/confirm", methods=["POST"])
def confirm_primary_awards(class_id: int):
    """Confirm the proposals of every pupil not yet decided."""
    school_class = _primary_class(class_id, "CN")
    try:
        count = primary_year_end.confirm_proposals(school_class, current_user._get_current_object())
    except StepRefused as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã xác nhận đề xuất khen thưởng của {count} học sinh.", "success")
    return _back(class_id)


@bp.route("/class/<int:class_id>/primary-year/submit", methods=["POST"])
def submit_primary_year(class_id: int):
    """Nộp kết quả cuối năm: to the vice-principal."""
    school_class = _primary_class(class_id, "CN")
    try:
        primary_year_end.submit(school_class, current_user._get_current_object())
    except StepRefused as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã nộp kết quả cuối năm lớp {school_class.name}; chờ phó hiệu trưởng xem xét.", "success")
    return _back(class_id)
