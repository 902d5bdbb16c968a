"""The homeroom teacher's nề nếp: record for their class like the giám thị, see the class's week (points, place,
records) and each student's record (seed 002 Điều 4.2)."""
from datetime import timedelta

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from blueprints.conduct_entry import day_of_request, entry_context, save_entry, withdraw_entry
from blueprints.guards import homeroom_classes, own_homeroom_class
from blueprints.homeroom import bp
from models.discipline import conduct
from models.discipline.ranking import class_week
from models.rules.emulation import week_label, week_start
from models.school.structure import class_roster, enrolment_in


def _context(school_class, day) -> dict:
    return {**entry_context(school_class, day, url_for("homeroom.conduct_record", class_id=school_class.id),
                            "homeroom.conduct_withdraw"),
            "can_write": True, "back_url": url_for("homeroom.conduct_week", class_id=school_class.id),
            "back_label": "Nề nếp lớp"}


@bp.route("/class/<int:class_id>/daily-conduct")
def conduct_week(class_id: int):
    """The class's week: its points and place, the day's entry, the week's records, each student's tally."""
    school_class = own_homeroom_class(class_id)
    day = day_of_request()
    monday = week_start(day)
    roster = [e for e in class_roster(school_class) if not e.has_left]
    return render_template("homeroom/conduct_week.html", **_context(school_class, day),
                           week=class_week(school_class, day), week_title=week_label(monday),
                           week_records=conduct.of_class(school_class, monday, monday + timedelta(days=6)),
                           tallies=conduct.tallies(school_class), students=roster,
                           previous_day=(monday - timedelta(days=7)).isoformat(),
                           next_day=(monday + timedelta(days=7)).isoformat())


@bp.route("/class/<int:class_id>/daily-conduct/record", methods=["POST"])
def conduct_record(class_id: int):
    """Save the tapped item for the tapped students (or the whole class)."""
    school_class = own_homeroom_class(class_id)
    return save_entry(school_class, _context(school_class, day_of_request()))


@bp.route("/daily-conduct/<int:record_id>/withdraw", methods=["POST"])
def conduct_withdraw(record_id: int):
    """Withdraw one of the class's records, with a reason."""
    row = conduct.ConductRecord.get_or_none(conduct.ConductRecord.id == record_id)
    if row is None:
        abort(404)
    school_class = own_homeroom_class(row.school_class_id)
    return withdraw_entry(row, _context(school_class, row.day))


@bp.route("/class/<int:class_id>/daily-conduct/student/<int:student_id>")
def conduct_student(class_id: int, student_id: int):
    """A student's nề nếp in the class: every record, withdrawn ones struck out, and the tally."""
    school_class = own_homeroom_class(class_id)
    entry = enrolment_in(school_class.id, student_id)
    if entry is None:
        abort(404)
    return render_template("homeroom/conduct_student.html", school_class=school_class, student=entry.student,
                           records=conduct.of_student(entry.student, school_class),
                           tally=conduct.tallies(school_class).get(entry.student.id))


@bp.route("/daily-conduct")
def conduct_home():
    """The menu's way in: the homeroom class's nề nếp (the first class if several)."""
    classes = homeroom_classes(current_user)
    if not classes:
        abort(404)
    return redirect(url_for("homeroom.conduct_week", class_id=classes[0].id))
