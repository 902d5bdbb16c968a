"""The daily conduct (nề nếp) entry, shared by the giám thị's pages and the homeroom teacher's: pick the class, tap
students, tap an item, save (htmx swaps the form back cleared with the day's records). The blueprint has checked
who may write to the class before calling these."""
from datetime import date

from flask import render_template, request
from flask_login import current_user

from blueprints import htmx, message_response
from models.discipline import conduct
from models.people.records import Student
from models.rules.dates import parse_date
from models.school.calendar import page_day
from models.school.structure import SchoolClass, SchoolYear, class_roster


def day_of_request() -> date:
    """The day in ?day= (dd/mm/yyyy or ISO); when absent or unreadable, the school's working day
    (models.school.calendar.page_day: today inside the year, the demo's own day, or the year's nearer end)."""
    try:
        if request.values.get("day"):
            return parse_date(request.values.get("day", ""))
    except ValueError:
        pass
    year = SchoolYear.current()
    return page_day(year) if year else date.today()


def entry_context(school_class: SchoolClass, day: date, post_url: str, withdraw_endpoint: str) -> dict:
    """What templates/discipline/_entry.html needs."""
    return {"school_class": school_class, "day": day, "today": date.today(),
            "roster": [e for e in class_roster(school_class) if not e.has_left],
            "items": conduct.items(), "records": conduct.of_class(school_class, day, day),
            "post_url": post_url, "withdraw_endpoint": withdraw_endpoint}


def save_entry(school_class: SchoolClass, context: dict):
    """Record the tapped item for the tapped students (or the class); the entry re-rendered, or a 422 message."""
    form = request.form
    try:
        day = parse_date(form.get("day", ""))
        item = conduct.ConductItem.get_or_none(conduct.ConductItem.id == (form.get("item_id", type=int) or 0))
        ids = [int(v) for v in form.getlist("student_id") if v.isdigit()]
        students = list(Student.select().where(Student.id.in_(ids))) if ids else []
        if len(students) != len(set(ids)):
            raise ValueError("Có học sinh không tìm thấy; tải lại trang.")
        made = conduct.record_conduct(school_class, item, day, students, form.get("note", ""), current_user)
    except ValueError as refused:
        if htmx:
            return message_response(str(refused), 422)
        return render_template("discipline/entry_page.html", error=str(refused), **context), 422
    context = {**context, "day": day, "records": conduct.of_class(school_class, day, day)}
    who = "cả lớp" if item.scope == "class" else f"{len(made)} học sinh"
    text = f"Đã ghi “{item.name}” ({item.points_text}) cho {who}, lớp {school_class.name}."
    if htmx:
        resp = render_template("discipline/_entry.html", saved=text, **context)
        return resp
    return render_template("discipline/entry_page.html", saved=text, **context)


def withdraw_entry(row: conduct.ConductRecord, context: dict):
    """Withdraw a record with the reason typed; the entry re-rendered, or a 422 message."""
    try:
        conduct.withdraw(row, request.form.get("reason", ""), current_user)
    except ValueError as refused:
        if htmx:
            return message_response(str(refused), 422)
        return render_template("discipline/entry_page.html", error=str(refused), **context), 422
    context = {**context, "records": conduct.of_class(row.school_class, context["day"], context["day"])}
    template = "discipline/_entry.html" if htmx else "discipline/entry_page.html"
    return render_template(template, saved="Đã rút lại ghi nhận.", **context)
