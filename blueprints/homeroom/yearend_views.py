"""Year end for the homeroom teacher (GVCN): conduct per semester, the computed result sheets, comments for
the học bạ, submitting the class, and conduct after summer training."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.fragments import render_fragment
from blueprints.guards import own_year_end_class, refuse, year_end_classes, year_end_only_classes
from blueprints.homeroom import bp
from blueprints.yearend_exports import list_answer, sector_answer, slips_answer
from models.discipline import conduct as daily_conduct
from models.school.structure import class_roster, enrolment_in
from models.yearend import approval, conduct_changes, records, results, summer

PERIODS = {"hk1": 1, "hk2": 2, "year": results.YEAR}
STATUS = {"saved": 200, "unchanged": 200, "invalid": 422, "locked": 422, "conflict": 409}


def _int(name: str) -> int:
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        abort(400)


def _student_of(school_class):
    enrolment = enrolment_in(school_class.id, _int("student_id"))
    if enrolment is None:
        refuse("school_class", school_class.id, "học sinh không thuộc lớp")
    return enrolment.student


def _semester(number: int) -> int:
    if number not in (1, 2):
        abort(404)
    return number


@bp.route("/year-end")
def year_end_home():
    """The classes the teacher is (or was) homeroom teacher of, with their year-end state."""
    shown = year_end_only_classes(current_user) if g.get("year_end_only") else year_end_classes(current_user)
    classes = [(c, records.year_end_of(c)) for c in shown]
    return render_template("homeroom/year_end_home.html", classes=classes, labels=records.STATE_LABELS)


@bp.route("/class/<int:class_id>/year-end")
def year_end_class(class_id: int):
    """The class's year end: what is missing, the steps so far, submit."""
    school_class = own_year_end_class(class_id)
    if school_class.grade.number <= 5:  # a primary class (TT27) has its own page
        return redirect(url_for("homeroom.primary_year", class_id=class_id), 303)
    sheet = results.class_sheet(school_class, results.YEAR)
    state = records.year_end_of(school_class)
    return render_template("homeroom/year_end_class.html", school_class=school_class, sheet=sheet, state=state,
                           labels=records.STATE_LABELS, steps=records.steps_of(school_class),
                           step_labels=records.STEP_LABELS, reapprove=approval.needs_reapproval(school_class, sheet),
                           conduct_requests=conduct_changes.requests_of_class(school_class),
                           summer_rows=summer.summer_students(school_class) if state.state == records.APPROVED else [])


@bp.route("/class/<int:class_id>/year-end/submit", methods=["POST"])
def year_end_submit(class_id: int):
    """Nộp kết quả cuối năm: refused while any subject or conduct level is missing."""
    school_class = own_year_end_class(class_id)
    try:
        approval.submit(school_class, current_user)
    except approval.StepRefused as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã nộp kết quả cuối năm lớp {school_class.name} cho phó hiệu trưởng.", "success")
    return redirect(url_for("homeroom.year_end_class", class_id=class_id), 303)


@bp.route("/class/<int:class_id>/results/<period>")
def year_end_results(class_id: int, period: str):
    """The result sheet of semester I, II or the year: computed, never typed."""
    school_class = own_year_end_class(class_id)
    if period not in PERIODS:
        abort(404)
    sheet = results.class_sheet(school_class, PERIODS[period])
    return render_template("homeroom/results.html", school_class=school_class, sheet=sheet, period=period)


@bp.route("/class/<int:class_id>/conduct/<int:semester>")
def conduct(class_id: int, semester: int):
    """The conduct grid of a semester: T, K, Đ, C per student, a short comment, saved as typed."""
    school_class = own_year_end_class(class_id)
    semester = _semester(semester)
    levels = records.conduct_levels(school_class)
    blocked = records.frozen_message(school_class)
    rows = [(entry, levels.get((entry.student.id, semester)), levels.get((entry.student.id, 1)))
            for entry in class_roster(school_class)]
    return render_template("homeroom/conduct.html", school_class=school_class, semester=semester, rows=rows,
                           blocked=blocked, year_level=records.year_level, key=records.conduct_key,
                           daily=daily_conduct.semester_tallies(school_class, semester),
                           approved=records.year_end_of(school_class).state == records.APPROVED)


@bp.route("/class/<int:class_id>/conduct/<int:semester>/row", methods=["POST"])
def conduct_row(class_id: int, semester: int):
    """Save one student's level or comment; answers with the row (409 when someone else saved it first)."""
    school_class = own_year_end_class(class_id)
    semester = _semester(semester)
    student = _student_of(school_class)
    result = records.save_conduct(school_class, student, semester, request.form.get("level"),
                                  request.form.get("comment"), _int("version"), current_user)
    if result.status == "forbidden":
        refuse("school_class", school_class.id, result.message or "không được ghi cho lớp này")
    levels = records.conduct_levels(school_class)
    first = levels.get((student.id, 1))
    entry = next(e for e in class_roster(school_class) if e.student.id == student.id)
    return render_fragment("homeroom/_conduct_row.html", school_class=school_class, semester=semester, entry=entry,
                           rating=levels.get((student.id, semester)), first=first, row=_int("row"),
                           state="saved" if result.status == "saved" else result.status, message=result.message,
                           blocked=records.frozen_message(school_class), year_level=records.year_level,
                           key=records.conduct_key,
                           daily=daily_conduct.semester_tallies(school_class, semester),
                           approved=records.year_end_of(school_class).state == records.APPROVED), STATUS[result.status]


@bp.route("/class/<int:class_id>/comments")
def homeroom_comments(class_id: int):
    """The homeroom teacher's comment on each student for the học bạ."""
    school_class = own_year_end_class(class_id)
    found = records.comments(school_class)
    rows = [(entry, found.get(entry.student.id)) for entry in class_roster(school_class)]
    return render_template("homeroom/comments.html", school_class=school_class, rows=rows)


@bp.route("/class/<int:class_id>/comments/row", methods=["POST"])
def homeroom_comment_row(class_id: int):
    """Save one student's comment; answers with the row."""
    school_class = own_year_end_class(class_id)
    student = _student_of(school_class)
    result = records.save_comment(school_class, student, None, request.form.get("text"), _int("version"),
                                  current_user)
    if result.status == "forbidden":
        refuse("school_class", school_class.id, result.message or "không được ghi cho lớp này")
    entry = next(e for e in class_roster(school_class) if e.student.id == student.id)
    return render_fragment("yearend/_comment_row.html", school_class=school_class, entry=entry,
                           comment=records.comments(school_class).get(student.id), message=result.message,
                           state="saved" if result.status == "saved" else result.status), STATUS[result.status]


@bp.route("/class/<int:class_id>/summer", methods=["POST"])
def summer_conduct(class_id: int):
    """Conduct after summer training (Điều 14): the decision after summer follows from it."""
    school_class = own_year_end_class(class_id)
    student = _student_of(school_class)
    try:
        summer.save_summer_conduct(school_class, student, request.form.get("level", ""), current_user)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã lưu kết quả rèn luyện hè của {student.full_name}.", "success")
    return redirect(url_for("homeroom.year_end_class", class_id=class_id) + "#summer", 303)


@bp.route("/class/<int:class_id>/lists/<kind>")
def year_end_list(class_id: int, kind: str):
    """One of the class's year-end lists: print view, PDF or Excel."""
    school_class = own_year_end_class(class_id)
    return list_answer(kind, [school_class], f"lớp {school_class.name} – năm học {school_class.year.name}",
                       url_for("homeroom.year_end_class", class_id=class_id))


@bp.route("/class/<int:class_id>/sector.xlsx")
def year_end_sector(class_id: int):
    """The class's year results in the sector upload layout."""
    return sector_answer(own_year_end_class(class_id))


@bp.route("/class/<int:class_id>/slips")
def year_end_slips(class_id: int):
    """Phiếu báo kết quả for every student of the class, one page each (for families)."""
    school_class = own_year_end_class(class_id)
    return slips_answer(school_class, url_for("homeroom.year_end_class", class_id=class_id))
