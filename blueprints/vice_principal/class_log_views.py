"""The heads read every class's week of the class log (sổ ghi đầu bài), sign it, see the weekly ranking and
who has submitted the teaching schedule (lịch báo giảng)."""
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.teaching_pages import current_year, pdf_response, week_arg
from blueprints.vice_principal import bp
from models.people.records import Staff
from models.printing import class_log_book, teaching_schedule
from models.rules import class_log as log_rules
from models.rules import timetable as tt
from models.school.calendar import page_day
from models.school.structure import SchoolClass, class_sort_key
from models.teaching import class_log, schedule
from models.teaching.class_log_book import ClassLogRequest


def _class(class_id: int) -> SchoolClass:
    year = current_year()
    return SchoolClass.get_or_none((SchoolClass.id == class_id) & (SchoolClass.year == year)) or abort(404)


@bp.route("/class-log")
def class_log_overview():
    """Every class's week: periods written against the timetable, signed or not."""
    year = current_year()
    monday = week_arg(request.args.get("week"), year)
    classes = sorted(SchoolClass.select().where(SchoolClass.year == year), key=lambda c: class_sort_key(c.name))
    progress = class_log.week_progress(year, monday)
    signed = {w.school_class_id: w for w in class_log.ClassLogWeek.select()
              .where(class_log.ClassLogWeek.week_start == monday)}
    return render_template("vice_principal/class_log_overview.html", monday=monday, classes=classes,
                           progress=progress, signed=signed, previous=monday - timedelta(days=7),
                           following=monday + timedelta(days=7), requests=class_log.waiting_requests(year))


@bp.route("/class-log/requests/<int:request_id>", methods=["POST"])
def class_log_decide(request_id: int):
    """Approve a teacher's request (the week is reopened for the correction) or refuse it with an answer."""
    req = ClassLogRequest.get_or_none(ClassLogRequest.id == request_id) or abort(404)
    approve = request.form.get("action") == "approve"
    try:
        class_log.decide_request(req, current_user, approve, request.form.get("answer", ""))
    except ValueError as wrong:
        flash(str(wrong), "error")
    else:
        flash(f"Đã duyệt đề nghị #{req.id}: tuần được mở lại để giáo viên sửa, sửa xong thì ký duyệt lại."
              if approve else f"Đã trả lời không duyệt đề nghị #{req.id}.", "success")
    return redirect(url_for("vice_principal.class_log_overview", week=req.day.isoformat()), 303)


@bp.route("/class-log/<int:class_id>")
def class_log_class(class_id: int):
    """One class's week, to read and sign."""
    school_class = _class(class_id)
    monday = week_arg(request.args.get("week"), school_class.year)
    return render_template("vice_principal/class_log_week.html", school_class=school_class, monday=monday,
                           weeks=class_log.class_week(school_class, monday),
                           names=class_log.student_names(school_class), weekday=tt.WEEKDAY_LABELS,
                           signed=class_log.signed(school_class.id, monday),
                           previous=monday - timedelta(days=7), following=monday + timedelta(days=7))


@bp.route("/class-log/<int:class_id>/sign", methods=["POST"])
def class_log_sign(class_id: int):
    """Sign the class's week (ký duyệt); nothing in it changes afterwards."""
    school_class = _class(class_id)
    monday = week_arg(request.form.get("week"), school_class.year)
    try:
        class_log.sign_week(school_class, monday, current_user)
    except ValueError as wrong:
        flash(str(wrong), "error")
    else:
        flash(f"Đã ký duyệt sổ ghi đầu bài lớp {school_class.name} tuần từ {monday:%d/%m/%Y}.", "success")
    return redirect(url_for("vice_principal.class_log_class", class_id=class_id, week=monday.isoformat()), 303)


@bp.route("/class-log/<int:class_id>/reopen", methods=["POST"])
def class_log_reopen(class_id: int):
    """Withdraw the week's signature, with a reason, so that a period can be corrected; then sign again."""
    school_class = _class(class_id)
    monday = week_arg(request.form.get("week"), school_class.year)
    try:
        class_log.reopen_week(school_class, monday, current_user, request.form.get("reason", ""))
    except ValueError as wrong:
        flash(str(wrong), "error")
    else:
        flash(f"Đã mở lại tuần từ {monday:%d/%m/%Y} của lớp {school_class.name}: giáo viên sửa xong thì ký duyệt lại.",
              "success")
    return redirect(url_for("vice_principal.class_log_class", class_id=class_id, week=monday.isoformat()), 303)


@bp.route("/class-log/<int:class_id>/pdf")
def class_log_pdf(class_id: int):
    """The class's book up to the week shown (one week per A4 page), or one week with ?only=1."""
    school_class = _class(class_id)
    monday = week_arg(request.args.get("week"), school_class.year)
    mondays = [monday] if request.args.get("only") else class_log.weeks_of_year(school_class, monday)
    data = class_log_book.pdf(school_class, mondays)
    return pdf_response(data, f"Sổ ghi đầu bài {school_class.name}.pdf")


@bp.route("/class-log/ranking")
def class_log_ranking():
    """The weekly class ranking by the ratings of the lessons."""
    year = current_year()
    monday = week_arg(request.args.get("week"), year)
    return render_template("class_log_ranking.html", monday=monday,
                           scores=class_log.week_ranking(year, monday), ratings=log_rules.RATINGS,
                           previous=monday - timedelta(days=7), following=monday + timedelta(days=7))


@bp.route("/schedules")
def teaching_schedules():
    """Who has submitted the week's teaching schedule (lịch báo giảng); next week by default."""
    year = current_year()
    monday = week_arg(request.args.get("week"), year) if request.args.get("week") else \
        tt.week_start(page_day(year)) + timedelta(days=7)
    rows = schedule.week_status(year, monday)
    return render_template("vice_principal/teaching_schedules.html", monday=monday, rows=rows,
                           states=schedule.STATES, submitted=sum(1 for _, w, _ in rows if w and w.state == "submitted"),
                           previous=monday - timedelta(days=7), following=monday + timedelta(days=7))


@bp.route("/schedules/<int:staff_id>/pdf")
def teaching_schedule_pdf(staff_id: int):
    """A teacher's week as its A4 print."""
    year = current_year()
    person = Staff.get_or_none(Staff.id == staff_id) or abort(404)
    monday = week_arg(request.args.get("week"), year)
    return pdf_response(teaching_schedule.pdf(person, monday, year),
                        f"Lịch báo giảng {person.full_name} tuần {monday:%d-%m-%Y}.pdf", inline=True)
