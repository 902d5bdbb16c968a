"""The homeroom book (sổ chủ nhiệm) as the homeroom teacher keeps it: the class profile computed from data, the
sections (class committee, plans and reviews of the year and of each month) saved in place with a version, and the
dated notes (class meetings, parents' meetings, contacts with families, students' progress). The principal and
vice-principals read it as the printed book (/print/class/<id>/homeroom-book)."""
from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import htmx, message_response
from blueprints.guards import homeroom_classes, own_homeroom_class
from blueprints.homeroom import bp
from models.homeroom_book import book as homeroom_book
from models.rules.dates import parse_date
from models.school.structure import class_roster, enrolment_in


def _month_of_request(months: list[str]) -> str:
    wanted = request.values.get("month", "")
    if wanted in months:
        return wanted
    this_month = date.today().strftime("%Y-%m")
    if this_month in months:
        return this_month
    return months[-1] if months else ""


@bp.route("/book")
def book_home():
    """The menu's way in: the homeroom class's book (the first class if several)."""
    classes = homeroom_classes(current_user)
    if not classes:
        abort(404)
    return redirect(url_for("homeroom.book", class_id=classes[0].id))


@bp.route("/class/<int:class_id>/book")
def book(class_id: int):
    """The class's homeroom book: profile, sections, notes."""
    school_class = own_homeroom_class(class_id)
    months = homeroom_book.year_months(school_class)
    month = _month_of_request(months)
    sections = [homeroom_book.section(school_class, kind) for kind in homeroom_book.YEAR_SECTIONS]
    month_sections = [homeroom_book.section(school_class, kind, month) for kind in homeroom_book.MONTH_SECTIONS] if month else []
    notes = {kind: homeroom_book.notes_of(school_class, kind) for kind in homeroom_book.NOTES}
    return render_template("homeroom/book.html", school_class=school_class, profile=homeroom_book.profile(school_class),
                           sections=sections, month_sections=month_sections, months=months, month=month,
                           notes=notes, note_kinds=homeroom_book.NOTES, labels=homeroom_book.SECTIONS,
                           channels=homeroom_book.CONTACT_CHANNELS, today=date.today(),
                           roster=[e for e in class_roster(school_class) if not e.has_left])


@bp.route("/class/<int:class_id>/book/section", methods=["POST"])
def book_section(class_id: int):
    """Save one section; 409 if someone saved it since the page was loaded, 422 for a bad value."""
    school_class = own_homeroom_class(class_id)
    form = request.form
    try:
        saved = homeroom_book.save_section(school_class, form.get("kind", ""), form.get("period", ""), form.get("text", ""),
                                  form.get("version", type=int) or 0, current_user)
    except homeroom_book.StaleSection as stale:
        return message_response(str(stale), 409)
    except ValueError as refused:
        return message_response(str(refused), 422)
    if htmx:
        return render_template("homeroom/_book_section.html", school_class=school_class, s=saved,
                               labels=homeroom_book.SECTIONS, saved=True)
    return redirect(url_for("homeroom.book", class_id=class_id, month=saved.period or None))


@bp.route("/class/<int:class_id>/book/note", methods=["POST"])
def book_note(class_id: int):
    """Add a dated note (class meeting, parents' meeting, contact with a family, a student's progress)."""
    school_class = own_homeroom_class(class_id)
    form = request.form
    kind = form.get("kind", "")
    try:
        student = None
        if form.get("student_id"):
            entry = enrolment_in(school_class.id, form.get("student_id", type=int) or 0)
            if entry is None:
                raise ValueError("Học sinh không thuộc lớp.")
            student = entry.student
        present = _count(form.get("present", ""), "Số phụ huynh dự họp")
        expected = _count(form.get("expected", ""), "Số phụ huynh được mời")
        homeroom_book.add_note(school_class, kind, parse_date(form.get("day", "")), form.get("text", ""), student=student,
                      channel=form.get("channel", ""), present=present, expected=expected, user=current_user)
    except ValueError as refused:
        if htmx:
            return message_response(str(refused), 422)
        return message_response(str(refused), 422)
    if htmx:
        return render_template("homeroom/_book_notes.html", school_class=school_class, kind=kind,
                               rows=homeroom_book.notes_of(school_class, kind), note_kinds=homeroom_book.NOTES,
                               channels=homeroom_book.CONTACT_CHANNELS, today=date.today(),
                               roster=[e for e in class_roster(school_class) if not e.has_left], saved=True)
    return redirect(url_for("homeroom.book", class_id=class_id) + f"#notes-{kind}")


def _count(text: str, label: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"{label}: nhập số nguyên không âm.")
    return int(text)
