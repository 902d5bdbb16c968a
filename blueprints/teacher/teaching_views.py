"""The teacher's weekly teaching schedule (lịch báo giảng) and class log periods (sổ ghi đầu bài)."""
from datetime import date, timedelta
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.fragments import render_fragment
from blueprints.guards import refuse
from blueprints.teacher import bp
from blueprints.teaching_pages import current_year, day_arg, pdf_response, week_arg
from models.people.records import Staff
from models.printing import teaching_schedule as schedule_print
from models.rules import class_log as log_rules
from models.rules import timetable as tt
from models.school.calendar import page_day
from models.school.structure import SchoolClass, class_roster, class_sort_key
from models.teaching import class_log, schedule


def _staff() -> Staff:
    if current_user.staff_id is None:
        refuse("teaching_week", "", "tài khoản không gắn với cán bộ, giáo viên")
    return Staff.get_by_id(current_user.staff_id)


def _iso(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


def _week_context(staff: Staff, monday: date) -> dict:
    week = schedule.stored_week(staff.id, monday)
    rows = schedule.stored_rows(week) if week else None
    lessons = schedule.week_lessons(staff, monday) if rows is None else None
    return {"staff": staff, "monday": monday, "sunday": monday + timedelta(days=6), "week": week, "rows": rows,
            "lessons": lessons, "states": schedule.STATES, "period_label": tt.period_label,
            "weekday": tt.WEEKDAY_LABELS}


@bp.route("/schedule")
def teaching_schedule():
    """The teacher's week: generated from the timetable and the PPCT until kept; next week by default."""
    year = current_year()
    staff = _staff()
    monday = week_arg(request.args.get("week"), year) if request.args.get("week") else \
        tt.week_start(page_day(year)) + timedelta(days=7)
    return render_template("teacher/schedule.html", **_week_context(staff, monday),
                           previous=monday - timedelta(days=7), following=monday + timedelta(days=7))


@bp.route("/schedule/<week>/row", methods=["POST"])
def teaching_schedule_row(week: str):
    """Save one row (PPCT number, title, note); answers with the row (409 when it changed elsewhere)."""
    staff = _staff()
    monday = tt.week_start(_iso(week))
    try:
        day, period = _iso(request.form.get("day", "")), int(request.form.get("period", ""))
        version = int(request.form.get("version", ""))
    except ValueError:
        abort(400)
    message, status = "Đã lưu.", 200
    try:
        schedule.save_lesson(staff.id, monday, day, period, request.form.get("lesson_no", ""),
                             request.form.get("title", ""), request.form.get("note", ""), version)
    except schedule.Conflict as wrong:
        message, status = str(wrong), 409
    except ValueError as wrong:
        message, status = str(wrong), 422
    week_row = schedule.stored_week(staff.id, monday)
    rows = schedule.stored_rows(week_row) if week_row else schedule.generate_week(staff.id, monday)
    found = next((r for r in rows if r.day == day and r.period == period), None)
    if found is None:
        abort(404)
    row = SimpleNamespace(day=found.day, period=found.period, school_class=found.school_class,
                          subject=found.subject, lesson_no=found.lesson_no, title=found.title,
                          note=getattr(found, "note", ""), version=getattr(found, "version", 1))
    if status == 422:  # show what was typed beside the reason
        row.lesson_no = request.form.get("lesson_no", "")
        row.title, row.note = request.form.get("title", ""), request.form.get("note", "")
    return render_fragment("teacher/_schedule_row.html", row=row, monday=monday, message=message,
                           state="saved" if status == 200 else "error", editable=week_row is None or week_row.state == "draft",
                           period_label=tt.period_label, weekday=tt.WEEKDAY_LABELS), status


@bp.route("/schedule/<week>/submit", methods=["POST"])
def teaching_schedule_submit(week: str):
    """Submit the week (nộp lịch báo giảng): every lesson needs its PPCT number and title."""
    staff = _staff()
    monday = tt.week_start(_iso(week))
    try:
        version = int(request.form.get("version", "1"))
    except ValueError:
        abort(400)
    try:
        schedule.submit_week(staff.id, monday, version)
    except ValueError as wrong:
        flash(str(wrong), "error")
        return redirect(url_for("teacher.teaching_schedule", week=monday.isoformat()), 303)
    flash(f"Đã nộp lịch báo giảng tuần từ {monday:%d/%m/%Y}.", "success")
    return redirect(url_for("teacher.teaching_schedule", week=monday.isoformat()), 303)


@bp.route("/schedule/<week>/pdf")
def teaching_schedule_pdf(week: str):
    """The week's schedule as an A4 PDF."""
    staff = _staff()
    monday = tt.week_start(_iso(week))
    data = schedule_print.pdf(staff, monday, current_year())
    return pdf_response(data, f"Lịch báo giảng {staff.full_name} tuần {monday:%d-%m-%Y}.pdf")


# --- the class log -------------------------------------------------------------------------------------

def _period_context(view, staff: Staff, substitute: bool = False, message: str = "", state: str = "") -> dict:
    roster = [e for e in class_roster(view.school_class) if not e.has_left]
    return {"view": view, "roster": roster, "ratings": log_rules.RATINGS, "message": message, "state": state,
            "substitute": substitute, "staff": staff,
            "locked": class_log.signed(view.school_class.id, view.day) is not None,
            "log_request": class_log.requests_of_day([view.school_class.id], view.day).get((view.school_class.id, view.period))}


@bp.route("/class-log")
def class_log_day():
    """The teacher's periods of a day, each a short form to confirm (fast on a phone)."""
    year = current_year()
    staff = _staff()
    day = day_arg(request.args.get("day"), year)
    views = class_log.teacher_day(staff, day, year)
    classes = sorted(SchoolClass.select().where(SchoolClass.year == year), key=lambda c: class_sort_key(c.name))
    return render_template("teacher/class_log_day.html", day=day, periods=[_period_context(v, staff) for v in views],
                           previous=day - timedelta(days=1), following=day + timedelta(days=1), classes=classes,
                           weekday=tt.WEEKDAY_LABELS)


@bp.route("/class-log/substitute")
def class_log_substitute():
    """A class's periods of a day, to write one taught instead of its teacher (dạy thay)."""
    year = current_year()
    staff = _staff()
    day = day_arg(request.args.get("day"), year)
    try:
        school_class = SchoolClass.get_or_none((SchoolClass.id == int(request.args.get("class_id", "")))
                                               & (SchoolClass.year == year)) or abort(404)
    except ValueError:
        abort(404)
    views = class_log.class_day(school_class, day)
    return render_template("teacher/class_log_substitute.html", day=day, school_class=school_class,
                           periods=[_period_context(v, staff, substitute=True) for v in views])


@bp.route("/class-log/<int:class_id>/<day>/<int:period>", methods=["POST"])
def class_log_save(class_id: int, day: str, period: int):
    """Confirm one period; answers with its form (422 with the reason, 409 when written meanwhile)."""
    year = current_year()
    staff = _staff()
    the_day = _iso(day)
    school_class = SchoolClass.get_or_none((SchoolClass.id == class_id) & (SchoolClass.year == year)) or abort(404)
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        abort(400)
    substitute = request.form.get("substitute") == "1"
    values = {k: request.form.get(k, "") for k in ("lesson_no", "title", "remarks", "rating", "not_taught")}
    values["absent"] = request.form.getlist("absent")
    message, status = "Đã xác nhận tiết học.", 200
    try:
        class_log.save_entry(school_class, the_day, period, staff, current_user, values, version,
                             substitute=substitute)
    except PermissionError as wrong:
        refuse("class_log", f"{year.name}/{school_class.name}/{the_day.isoformat()}/{period}", str(wrong))
    except class_log.Conflict as wrong:
        message, status = str(wrong), 409
    except ValueError as wrong:
        message, status = str(wrong), 422
    view = next((v for v in class_log.class_day(school_class, the_day) if v.period == period), None)
    if view is None:
        abort(404)
    if status == 422:  # keep what was typed
        view.lesson_no, view.title = values["lesson_no"], values["title"]
        view.absent_ids = [int(a) for a in values["absent"] if a.isdigit()]
    context = _period_context(view, staff, substitute=substitute, message=message,
                              state="saved" if status == 200 else "error")
    if status == 422:
        context["typed"] = values
    return render_fragment("teacher/_class_log_period.html", **context), status


@bp.route("/class-log/<int:class_id>/<day>/<int:period>/request", methods=["POST"])
def class_log_request(class_id: int, day: str, period: int):
    """Ask the heads to reopen a signed week for correcting this period, saying what is wrong."""
    year = current_year()
    staff = _staff()
    the_day = _iso(day)
    school_class = SchoolClass.get_or_none((SchoolClass.id == class_id) & (SchoolClass.year == year)) or abort(404)
    if not class_log.may_request(school_class, the_day, period, staff):
        refuse("class_log", f"{year.name}/{school_class.name}/{the_day.isoformat()}/{period}",
               "đề nghị sửa tiết không phải của mình")
    try:
        req = class_log.file_request(school_class, the_day, period, current_user, request.form.get("reason", ""))
    except ValueError as wrong:
        flash(str(wrong), "error")
    else:
        flash(f"Đã gửi đề nghị sửa #{req.id} tới Ban giám hiệu.", "success")
    return redirect(url_for("teacher.class_log_day", day=the_day.isoformat()), 303)


@bp.route("/class-log/ranking")
def class_log_ranking():
    """The weekly class ranking by lesson ratings, as the school sees it."""
    year = current_year()
    monday = week_arg(request.args.get("week"), year)
    return render_template("class_log_ranking.html", monday=monday,
                           scores=class_log.week_ranking(year, monday), ratings=log_rules.RATINGS,
                           previous=monday - timedelta(days=7), following=monday + timedelta(days=7))
