"""Periodic health checks: a class's check entered in a keyboard grid, one cell saved at a time."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.fragments import render_fragment
from blueprints.nurse import bp
from models.health import checks
from models.people.records import Student
from models.rules.dates import parse_date
from models.school.structure import SchoolClass, SchoolYear, enrolment_in

# the grid's columns: (form field, header, input width)
COLUMNS = [("height_cm", "Chiều cao (cm)", 6), ("weight_kg", "Cân nặng (kg)", 6), ("eye_left", "Thị lực MT", 5),
           ("eye_right", "Thị lực MP", 5), ("refraction", "Khúc xạ (C/V/L)", 4), ("dental", "Răng miệng", 14),
           ("spine", "Cột sống (C)", 3), ("other", "Bệnh khác", 16)]


def _class_or_404(class_id: int) -> SchoolClass:
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    return school_class


@bp.route("/checks")
def checks_home():
    """The classes of the year, each with the days it was checked; open a class's check on a day."""
    year = SchoolYear.current()
    classes = list(SchoolClass.select().where(SchoolClass.year == year).order_by(SchoolClass.name)) if year else []
    return render_template("nurse/checks.html", classes=[(c, checks.check_days(c)) for c in classes],
                           today=date.today())


@bp.route("/checks/open")
def open_check():
    """The form's answer: go to the class's grid on the typed day."""
    school_class = _class_or_404(request.args.get("class_id", type=int) or 0)
    try:
        day = parse_date(request.args.get("on", ""))
    except ValueError as refused:
        flash(str(refused), "error")
        return redirect(url_for("nurse.checks_home"))
    return redirect(url_for("nurse.check_grid", class_id=school_class.id, on=day.isoformat()))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


@bp.route("/checks/<int:class_id>/<on>")
def check_grid(class_id: int, on: str):
    """The class's check on one day as a grid: Enter goes down, Tab across, each cell saves on leaving."""
    school_class, day = _class_or_404(class_id), _day(on)
    return render_template("nurse/check_grid.html", school_class=school_class, day=day, columns=COLUMNS,
                           rows=checks.class_check(school_class, day), can_edit=current_user.has_role("nurse"))


@bp.route("/checks/<int:class_id>/<on>", methods=["POST"])
def save_check_cell(class_id: int, on: str):
    """Save the row of the cell just left; the cell answers, with the computed BMI and status out of band."""
    school_class, day = _class_or_404(class_id), _day(on)
    student_id = request.form.get("student_id", type=int) or 0
    field = request.form.get("field", "")
    if field not in dict((c[0], c) for c in COLUMNS) or enrolment_in(school_class.id, student_id) is None:
        abort(400)
    student = Student.get_by_id(student_id)
    column = next(c for c in COLUMNS if c[0] == field)
    try:
        row = checks.save_check(school_class, student, day, request.form, current_user)
    except ValueError as refused:
        html = render_fragment("nurse/_check_cell.html", student=student, column=column, value=request.form.get(field, ""),
                               state="error", message=str(refused), row=request.form.get("row", type=int) or 0,
                               col=request.form.get("col", type=int) or 0, save_url=request.path, oob=True)
        return html, 422
    return render_fragment("nurse/_check_cell.html", student=student, column=column, value=row.cell(field),
                           state="saved", message=f"Đã lưu: {student.full_name}.", check=row,
                           row=request.form.get("row", type=int) or 0, col=request.form.get("col", type=int) or 0,
                           save_url=request.path, oob=True)
