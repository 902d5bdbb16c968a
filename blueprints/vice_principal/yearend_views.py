"""Year end for the school's leaders: the classes and their state, a class's sheet, return or pass it on
(vice-principal or principal), approve (principal only), and the school's summary."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.guards import require_principal
from blueprints.vice_principal import bp
from blueprints.yearend_exports import (
    list_answer,
    primary_list_answer,
    primary_summary_answer,
    sector_answer,
    summary_answer,
)
from models.primary.assessments import is_primary_class
from models.school.structure import SchoolClass, SchoolYear
from models.yearend import approval, conduct_changes, primary_reports, primary_year, records, reports, results


def _year() -> SchoolYear:
    year_id = request.args.get("year", type=int)
    year = SchoolYear.get_or_none(SchoolYear.id == year_id) if year_id else approval.year_to_review()
    if year is None:
        abort(404)
    return year


def _class(class_id: int) -> SchoolClass:
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    return school_class


@bp.route("/year-end")
def year_end():
    """Every class of the year with its year-end state; those waiting first."""
    year = _year()
    states = approval.class_states(year)
    order = {records.SUBMITTED: 0, records.PASSED: 0, records.APPROVED: 2, records.RETURNED: 3, records.DRAFT: 4}
    states.sort(key=lambda s: (0 if s.reapprove else order[s.state], s.school_class.grade_id, s.school_class.name))
    return render_template("vice_principal/year_end.html", year=year, states=states,
                           years=list(SchoolYear.select().order_by(SchoolYear.start_year.desc())),
                           has_graded=bool(reports.graded_classes_of(year)),
                           has_primary=bool(primary_reports.classes_of(year)))


@bp.route("/year-end/class/<int:class_id>")
def year_end_class(class_id: int):
    """A class's year sheet, its steps, and the actions its state allows."""
    school_class = _class(class_id)
    if is_primary_class(school_class):
        return render_template("vice_principal/primary_year_end_class.html", school_class=school_class,
                               rows=primary_year.award_rows(school_class), state=records.year_end_of(school_class),
                               approval=primary_year.approval_of(school_class), awards=primary_year.AWARDS,
                               steps=records.steps_of(school_class), step_labels=records.STEP_LABELS,
                               changed=primary_year.changed_pupils(school_class),
                               is_principal=current_user.has_role("principal"))
    sheet = results.class_sheet(school_class, results.YEAR)
    return render_template("vice_principal/year_end_class.html", school_class=school_class, sheet=sheet,
                           state=records.year_end_of(school_class), labels=records.STATE_LABELS,
                           steps=records.steps_of(school_class), step_labels=records.STEP_LABELS,
                           reapprove=approval.needs_reapproval(school_class, sheet),
                           changed=approval.changed_students(school_class, sheet),
                           conduct_requests=conduct_changes.requests_of_class(school_class),
                           is_principal=current_user.has_role("principal"))


def _step(class_id: int, action, done: str):
    school_class = _class(class_id)
    try:
        action(school_class)
    except approval.StepRefused as refused:
        flash(str(refused), "error")
    else:
        flash(done.format(name=school_class.name), "success")
    return redirect(url_for("vice_principal.year_end_class", class_id=class_id), 303)


@bp.route("/year-end/class/<int:class_id>/pass", methods=["POST"])
def year_end_pass(class_id: int):
    """Chuyển hiệu trưởng duyệt."""
    return _step(class_id, lambda c: approval.pass_on(c, current_user),
                 "Đã chuyển kết quả lớp {name} cho hiệu trưởng duyệt.")


@bp.route("/year-end/class/<int:class_id>/return", methods=["POST"])
def year_end_return(class_id: int):
    """Trả lại GVCN, with a reason; an approved class only by the principal."""
    if records.year_end_of(_class(class_id)).state == records.APPROVED:
        require_principal("school_class", class_id)
    return _step(class_id, lambda c: approval.return_class(c, request.form.get("reason", ""), current_user),
                 "Đã trả lại kết quả lớp {name} cho giáo viên chủ nhiệm.")


@bp.route("/year-end/class/<int:class_id>/approve", methods=["POST"])
def year_end_approve(class_id: int):
    """Hiệu trưởng duyệt (or duyệt lại): the year results are frozen."""
    require_principal("school_class", class_id)
    return _step(class_id, lambda c: approval.approve(c, current_user),
                 "Đã duyệt kết quả cả năm lớp {name}.")


@bp.route("/year-end/lists/<kind>")
def year_end_list(kind: str):
    """A list of the year (promoted, not promoted, summer, re-test, Xuất sắc, Giỏi), the school's classes of
    grades 6–12 or one class."""
    year = _year()
    class_id = request.args.get("class_id", type=int)
    classes = [_class(class_id)] if class_id else reports.graded_classes_of(year)
    scope = f"lớp {classes[0].name} – năm học {year.name}" if class_id else f"năm học {year.name}"
    return list_answer(kind, classes, scope, url_for("vice_principal.year_end", year=year.id))


@bp.route("/year-end/summary")
def year_end_summary():
    """The school's summary per grade and class for a semester (?period=1, 2) or the year; a school of primary
    classes only is sent to its TT27 summary."""
    year = _year()
    period = request.args.get("period", "")
    if period not in ("", "1", "2"):
        abort(404)
    if not reports.graded_classes_of(year) and primary_reports.classes_of(year):
        return redirect(url_for("vice_principal.year_end_primary_summary", year=year.id))
    return summary_answer(year, int(period) if period else results.YEAR,
                          url_for("vice_principal.year_end", year=year.id))


@bp.route("/year-end/primary-lists/<kind>")
def year_end_primary_list(kind: str):
    """A primary list of the year (Học sinh Xuất sắc, Tiêu biểu, chưa hoàn thành chương trình lớp học, hoàn thành
    chương trình tiểu học), the school's classes of grades 1–5 or one class."""
    year = _year()
    class_id = request.args.get("class_id", type=int)
    classes = [_class(class_id)] if class_id else primary_reports.classes_of(year)
    if class_id and not is_primary_class(classes[0]):
        abort(404)
    scope = f"lớp {classes[0].name} – năm học {year.name}" if class_id else f"năm học {year.name}"
    return primary_list_answer(kind, classes, scope, url_for("vice_principal.year_end", year=year.id))


@bp.route("/year-end/primary-summary")
def year_end_primary_summary():
    """A primary school's year-end summary per grade and class: results, awards, programmes completed (TT27)."""
    year = _year()
    return primary_summary_answer(year, url_for("vice_principal.year_end", year=year.id))


@bp.route("/year-end/class/<int:class_id>/sector.xlsx")
def year_end_sector(class_id: int):
    """The class's year results for the sector database upload."""
    return sector_answer(_class(class_id))
