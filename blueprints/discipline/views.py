"""The giám thị's pages: the classes, a class's day (tap students, tap an item, save), the list of items."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import htmx, message_response
from blueprints.conduct_entry import day_of_request, entry_context, save_entry, withdraw_entry
from blueprints.discipline import bp
from blueprints.guards import need_role
from models.discipline import conduct
from models.school.structure import SchoolClass, SchoolYear, classes_by_grade


def _year_class(class_id: int) -> SchoolClass:
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None or school_class.year_id != getattr(SchoolYear.current(), "id", None):
        abort(404)
    return school_class


def _context(school_class: SchoolClass, day: date) -> dict:
    return {**entry_context(school_class, day, url_for("discipline.record", class_id=school_class.id),
                            "discipline.withdraw"),
            "can_write": current_user.has_role("discipline"),
            "back_url": url_for("discipline.home", day=day.isoformat()), "back_label": "Nề nếp các lớp"}


@bp.route("/")
def home():
    """The year's classes by grade, with the day's count of records of each; pick one to record."""
    year = SchoolYear.current()
    day = day_of_request()
    counts = conduct.day_counts(day)
    return render_template("discipline/home.html", day=day, counts=counts,
                           grades=classes_by_grade(year) if year else [])


@bp.route("/class/<int:class_id>")
def class_day(class_id: int):
    """A class's day: the entry form (for the giám thị) and what was recorded."""
    school_class = _year_class(class_id)
    return render_template("discipline/entry_page.html", **_context(school_class, day_of_request()))


@bp.route("/class/<int:class_id>/record", methods=["POST"])
def record(class_id: int):
    """Save the tapped item for the tapped students (or the whole class)."""
    need_role("discipline")
    school_class = _year_class(class_id)
    return save_entry(school_class, _context(school_class, day_of_request()))


@bp.route("/record/<int:record_id>/withdraw", methods=["POST"])
def withdraw(record_id: int):
    """Withdraw a record made by mistake, with a reason."""
    need_role("discipline")
    row = conduct.ConductRecord.get_or_none(conduct.ConductRecord.id == record_id)
    if row is None:
        abort(404)
    return withdraw_entry(row, _context(_year_class(row.school_class_id), row.day))


@bp.route("/items", methods=["GET", "POST"])
def items():
    """The school's list of conduct items with their points; the giám thị or the admin adds one."""
    error = None
    if request.method == "POST":
        try:
            item = conduct.add_item(request.form.get("name", ""), request.form.get("points", ""),
                                    request.form.get("scope", "student"))
        except ValueError as refused:
            error = str(refused)
        else:
            flash(f"Đã thêm “{item.name}” ({item.points_text}).", "success")
            return redirect(url_for("discipline.items"))
    return render_template("discipline/items.html", items=conduct.items(active_only=False), scopes=conduct.SCOPES,
                           error=error, form=request.form if error else {},
                           can_write=current_user.has_role("discipline", "admin")), 422 if error else 200


@bp.route("/items/<int:item_id>", methods=["POST"])
def item_edit(item_id: int):
    """Change an item (name, points, whole class or not, in use); refused with 409 if someone changed it meanwhile."""
    item = conduct.ConductItem.get_or_none(conduct.ConductItem.id == item_id)
    if item is None:
        abort(404)
    form = request.form
    try:
        item = conduct.update_item(item, form.get("version", type=int) or 0, form.get("name", ""),
                                   form.get("points", ""), form.get("scope", "student"), form.get("active") == "1")
    except conduct.StaleItem as stale:
        return message_response(str(stale), 409)
    except ValueError as refused:
        return message_response(str(refused), 422)
    if htmx:
        return render_template("discipline/_item_row.html", item=item, scopes=conduct.SCOPES, can_write=True,
                               saved=True)
    flash(f"Đã lưu “{item.name}”.", "success")
    return redirect(url_for("discipline.items"))
