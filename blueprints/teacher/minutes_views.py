"""The department's minutes book (sổ ghi chép sinh hoạt chuyên môn): the head writes each meeting, sends the draft
agenda, closes the minutes; every member reads the agendas sent and the agreed points; the A4 book as PDF."""
from datetime import date
from urllib.parse import quote

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.guards import allow, headed_department_or_refuse, headed_meeting
from blueprints.teacher import bp
from models.people.records import Staff
from models.printing import minutes_book
from models.printing.renderer import PrintError, ascii_name, render_pdf, render_print_html
from models.rules.dates import parse_date
from models.school.structure import SchoolYear
from models.teaching import minutes
from models.teaching.lesson_plans import Conflict


def _year() -> SchoolYear:
    year = SchoolYear.current()
    if year is None:
        abort(404)
    return year


def _revision() -> int | None:
    text = request.form.get("revision", "")
    return int(text) if text.isdigit() else None


@bp.route("/meetings")
def meetings():
    """A member's page: the agendas sent for coming meetings, the agreed points of the meetings held."""
    allow(current_user.staff_id is not None, "tài khoản không gắn với cán bộ, giáo viên")
    department = minutes.department_of_member(current_user.staff_id)
    year = _year()
    coming, held = minutes.for_member(department, year) if department else ([], [])
    return render_template("teacher/meetings.html", department=department, coming=coming, held=held)


@bp.route("/department/minutes", methods=["GET", "POST"])
def department_minutes():
    """The head's list of the year's meetings, and a new meeting (its date and draft agenda)."""
    department = headed_department_or_refuse()
    year = _year()
    error, status = None, 200
    if request.method == "POST":
        try:
            meeting = minutes.create(department, year, parse_date(request.form.get("meeting_date", "").strip()),
                                     {"agenda": request.form.get("agenda", "")}, Staff.get_by_id(current_user.staff_id))
            return redirect(url_for("teacher.department_meeting", meeting_id=meeting.id))
        except ValueError as e:
            error, status = str(e), 422
    return render_template("teacher/department_minutes.html", department=department, year=year,
                           rows=minutes.meetings_of(department, year), error=error, form=request.form), status


@bp.route("/department/minutes/<int:meeting_id>", methods=["GET", "POST"])
def department_meeting(meeting_id: int):
    """One meeting: the date, the draft agenda (sent to members), who attended, the minutes; closed at the end."""
    headed_department_or_refuse()
    meeting = headed_meeting(meeting_id)
    error, status = None, 200
    if request.method == "POST":
        action = request.form.get("action", "save")
        try:
            present = [int(v) for v in request.form.getlist("attendee") if v.isdigit()]
            meeting = minutes.save(meeting, parse_date(request.form.get("meeting_date", "").strip()),
                                   request.form, present, _revision(),
                                   then=action if action in ("send_agenda", "close") else None)
            return redirect(url_for("teacher.department_meeting", meeting_id=meeting.id))
        except Conflict as e:
            error, status = str(e), 409
        except ValueError as e:
            error, status = str(e), 422
        meeting = headed_meeting(meeting_id)
    present = {a.staff_id for a in meeting.attendance}
    form = request.form if request.method == "POST" else None
    if form is not None:
        present = {int(v) for v in form.getlist("attendee") if v.isdigit()}
    return render_template("teacher/department_meeting.html", meeting=meeting, members=minutes.members(meeting.department),
                           present=present, form=form, error=error), status


def _book():
    department = headed_department_or_refuse()
    return minutes_book.build(department, _year())


@bp.route("/department/minutes/book")
def minutes_book_page():
    """The minutes book as the browser prints it (A4)."""
    return render_print_html("print/minutes_book.html", book=_book(), pdf_url=url_for("teacher.minutes_book_pdf"),
                             back_url=url_for("teacher.department_minutes"))


@bp.route("/department/minutes/book.pdf")
def minutes_book_pdf():
    """The minutes book as an A4 PDF through the one renderer."""
    book = _book()
    try:
        data = render_pdf("print/minutes_book.html", book=book)
    except PrintError:
        abort(500)
    name = f"Sổ sinh hoạt chuyên môn {book.department.name} {book.year.name} {date.today():%Y%m%d}.pdf"
    resp = Response(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f"inline; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp
