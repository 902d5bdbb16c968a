"""Attendance (điểm danh): the month grid of a class for its homeroom teacher or a delegate (giám thị)."""
from datetime import date, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.fragments import render_fragment
from blueprints.guards import attendance_classes, own_attendance_class, refuse
from blueprints.homeroom import bp
from blueprints.nfc_request import bounded_int
from models.attendance import register as att
from models.core import write_transaction
from models.rules import calendar as cal_rules
from models.school.calendar import year_calendar
from models.school.structure import enrolment_in

# how each outcome of a save answers: the htmx config swaps 2xx, 409 and 422
STATUS = {"saved": 200, "unchanged": 200, "invalid": 422, "not_school": 422, "not_enrolled": 422,
          "locked": 422, "conflict": 409}
CELL_CLASS = {"saved": "saved", "unchanged": "", "invalid": "error", "not_school": "error",
              "not_enrolled": "error", "locked": "locked", "conflict": "conflict"}


def _month(year_month: str) -> tuple[int, int]:
    try:
        return cal_rules.parse_year_month(year_month)
    except ValueError:
        abort(404)


def _int(name: str) -> int:
    try:
        return bounded_int(request.form.get(name, ""))
    except ValueError:
        abort(400)


def _span_months(school_class) -> list[tuple[int, int]]:
    span = year_calendar(school_class.year).span
    return cal_rules.months_between(*span) if span else []


@bp.route("/attendance")
def attendance_classes_list():
    """The classes whose attendance the person enters: their homeroom class and delegated ones."""
    classes = attendance_classes(current_user)
    if len(classes) == 1:
        return redirect(url_for("homeroom.attendance", class_id=classes[0].id))
    return render_template("homeroom/attendance_classes.html", classes=classes)


@bp.route("/class/<int:class_id>/attendance")
def attendance(class_id: int):
    """Open the grid on this month, or on the last month of the school year when today is outside it."""
    school_class = own_attendance_class(class_id)
    target = att.month_to_open(school_class, _span_months(school_class), date.today())
    return redirect(url_for("homeroom.attendance_month", class_id=class_id,
                            year_month=cal_rules.year_month(*target)))


@bp.route("/class/<int:class_id>/attendance/<year_month>")
def attendance_month(class_id: int, year_month: str):
    """The month grid: one row per student, one cell per school session, saved as it is clicked or typed."""
    school_class = own_attendance_class(class_id)
    year, month = _month(year_month)
    grid = att.month_grid(school_class, year, month)
    months = _span_months(school_class)
    prev = cal_rules.previous_month(year, month)
    nxt = cal_rules.next_month(year, month)
    return render_template(
        "homeroom/attendance.html", grid=grid, school_class=school_class,
        prev_month=cal_rules.year_month(*prev) if not months or prev >= months[0] else None,
        next_month=cal_rules.year_month(*nxt) if not months or nxt <= months[-1] else None,
        can_print="print.attendance_sheet" in current_app.view_functions,
        is_homeroom=school_class.homeroom_teacher_id == current_user.staff_id,
        can_confirm=date.today() >= grid.days[-1])


@bp.route("/class/<int:class_id>/attendance/<year_month>/cell", methods=["POST"])
def attendance_cell(class_id: int, year_month: str):
    """Save one session's mark; answer with the cell and, out of band, the student's, the day's and the month's totals."""
    school_class = own_attendance_class(class_id)
    year, month = _month(year_month)
    student_id, day_number, session, version = _int("student_id"), _int("day"), _int("session"), _int("version")
    try:
        day = date(year, month, day_number)
    except ValueError:
        abort(400)
    enrolment = enrolment_in(school_class.id, student_id)
    if enrolment is None:
        refuse("school_class", school_class.id, "học sinh không thuộc lớp")
    student = enrolment.student
    result = att.save_mark(school_class, student, day, session, request.form.get("value"), version,
                           current_user, enrolment=enrolment)
    if result.status == "forbidden":
        refuse("school_class", school_class.id, result.message or "không được nhập điểm danh lớp này")
    cell = att.GridCell(day, session, result.value, result.version,
                        markable=result.status not in ("not_school", "not_enrolled"),
                        editable=result.status not in ("locked", "not_school", "not_enrolled"))
    totals, day_total, month_totals = att.cell_totals(school_class, student, day)
    return render_fragment(
        "homeroom/_attendance_cell.html", cell=cell, student=student, school_class=school_class,
        year_month=year_month, row=_int_or("row"), col=_int_or("col"), state=CELL_CLASS[result.status],
        message=result.message, totals=totals, day_total=day_total, month_totals=month_totals,
        day_span=max(1, year_calendar(school_class.year).sessions_on(day)), oob=True), STATUS[result.status]


def _int_or(name: str, default: int = 0) -> int:
    try:
        return bounded_int(request.form.get(name, default))
    except ValueError:
        return default


@bp.route("/class/<int:class_id>/attendance/<year_month>/confirm", methods=["POST"])
def attendance_confirm(class_id: int, year_month: str):
    """Xác nhận đã nhập đủ tháng (the homeroom teacher, within the first 3 days of the next month)."""
    school_class = own_attendance_class(class_id)
    _month(year_month)
    if school_class.homeroom_teacher_id != current_user.staff_id:
        refuse("school_class", school_class.id, "chỉ giáo viên chủ nhiệm xác nhận tháng điểm danh")
    try:
        with write_transaction():
            att.confirm_month(school_class, year_month, current_user, now=datetime.now())
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash("Đã xác nhận nhập đủ điểm danh của tháng.", "success")
    return redirect(url_for("homeroom.attendance_month", class_id=class_id, year_month=year_month), 303)
