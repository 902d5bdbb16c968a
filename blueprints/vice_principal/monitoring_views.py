"""The vice-principal's monitoring of the grade book: progress, score distribution, anomalies, comments."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.vice_principal import bp
from models.core import write_transaction
from models.gradebook import monitoring
from models.rules.text import nfc
from models.school.structure import Department, Grade, SchoolClass, SchoolYear, Semester


class CommentForm(FlaskForm):
    text = TextAreaField("Nhận xét", filters=[nfc], validators=[
        DataRequired(message="Vui lòng nhập nhận xét."),
        Length(max=monitoring.COMMENT_MAX, message=f"Nhận xét tối đa {monitoring.COMMENT_MAX} ký tự.")])


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def chosen_semester(year: SchoolYear | None) -> Semester | None:
    """The semester picked in ?semester=1|2, else the one holding today."""
    return monitoring.chosen_semester(year, _int_arg("semester"))


@bp.route("/progress")
def progress():
    """Entry progress of every teacher × class × subject against the school's deadlines (docs/rules.md §15)."""
    year = SchoolYear.current()
    semester = chosen_semester(year)
    department = Department.get_or_none(Department.id == _int_arg("department")) if _int_arg("department") else None
    teacher_id = _int_arg("teacher")
    late_only = request.args.get("late") == "1"
    context = monitoring.progress_context(semester, date.today(), department, teacher_id, late_only)
    return render_template("vice_principal/progress.html", year=year, department=department,
                           teacher_id=teacher_id, late_only=late_only, departments=monitoring.departments(),
                           teachers=monitoring.teachers_of_year(year.id, department.id if department else None)
                           if year else [], **context)


@bp.route("/distribution")
def distribution():
    """Score distribution (phổ điểm) of a subject, grade and column: one histogram per class and the grade's."""
    year = SchoolYear.current()
    semester = chosen_semester(year)
    grades = list(Grade.select().where(Grade.id.in_(SchoolClass.select(SchoolClass.grade)
                                                    .where(SchoolClass.year == year))).order_by(Grade.number)) \
        if year else []
    grade = next((g for g in grades if g.id == _int_arg("grade")), grades[0] if grades else None)
    subjects = monitoring.scored_subjects(grade) if grade else []
    subject = next((s for s in subjects if s.id == _int_arg("subject")), subjects[0] if subjects else None)
    column = request.args.get("column", "ck")
    if column not in monitoring.COLUMNS:
        column = "ck"
    result = (monitoring.distribution(semester, subject, grade, column)
              if semester and grade and subject else None)
    return render_template("vice_principal/distribution.html", year=year, semester=semester, grades=grades,
                           grade=grade, subjects=subjects, subject=subject, column=column,
                           columns=monitoring.COLUMNS, result=result, band_labels=monitoring.BAND_LABELS)


@bp.route("/anomalies")
def anomalies():
    """Unusual marks and changes of the semester (PTH (docs/rules.md) Điều 16.1.d), each linking to the cell history."""
    year = SchoolYear.current()
    semester = chosen_semester(year)
    kind = request.args.get("kind") or None
    if kind not in monitoring.ANOMALY_KINDS:
        kind = None
    found = monitoring.anomalies(semester) if semester else []
    counts = {k: sum(1 for a in found if a.kind == k) for k in monitoring.ANOMALY_KINDS}
    rows = [a for a in found if kind is None or a.kind == kind]
    return render_template("vice_principal/anomalies.html", year=year, semester=semester, kind=kind,
                           kinds=monitoring.ANOMALY_KINDS, counts=counts, rows=rows,
                           limits=monitoring.ANOMALY_LIMITS)


@bp.route("/history/<int:cell_id>")
def cell_history(cell_id: int):
    """The history of one mark cell, read-only: old → new, who, when."""
    history = monitoring.cell_history(cell_id)
    if history is None:
        abort(404)
    return render_template("vice_principal/history.html", history=history)


def _month_of(year: SchoolYear, months: list[str]) -> str:
    chosen = request.args.get("month", "")
    if chosen in months:
        return chosen
    this_month = date.today().strftime("%Y-%m")
    return this_month if this_month in months else months[0]


@bp.route("/comments")
def comments():
    """The month's comment on each class book (PTH (docs/rules.md) Điều 16.1.a)."""
    year = SchoolYear.current()
    if year is None:
        return render_template("vice_principal/comments.html", year=None, rows=[], months=[])
    months = monitoring.year_months(year)
    month = _month_of(year, months)
    return render_template("vice_principal/comments.html", year=year, months=months, month=month,
                           month_label=monitoring.month_label, rows=monitoring.comment_rows(year, month))


@bp.route("/comments/<int:class_id>/<year_month>", methods=["GET", "POST"])
def comment_class(class_id: int, year_month: str):
    """Write the month's comment on one class book; earlier versions stay in its history."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None or year_month not in monitoring.year_months(school_class.year):
        abort(404)
    form = CommentForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            with write_transaction():
                monitoring.save_comment(school_class, year_month, form.text.data, current_user)
        except ValueError as wrong:
            error, status = str(wrong), 422
        else:
            flash(f"Đã lưu nhận xét sổ lớp {school_class.name} {monitoring.month_label(year_month).lower()}.",
                  "success")
            return redirect(url_for("vice_principal.comments", month=year_month), 303)
    elif request.method == "POST":
        status = 422
    elif (current := monitoring.latest_comment(school_class, year_month)) is not None:
        form.text.data = current.text
    return render_template("vice_principal/comment_class.html", school_class=school_class, year_month=year_month,
                           month_label=monitoring.month_label(year_month), form=form, error=error,
                           history=monitoring.comment_history(school_class, year_month)), status
