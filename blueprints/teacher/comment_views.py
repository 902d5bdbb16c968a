"""A subject teacher's short comment on each student of an assignment: the học bạ's "Nhận xét" of the subject."""
from flask import abort, render_template, request
from flask_login import current_user

from blueprints.fragments import render_fragment
from blueprints.guards import own_assignment, refuse
from blueprints.teacher import bp
from models.school.structure import class_roster, enrolment_in
from models.yearend import records

STATUS = {"saved": 200, "unchanged": 200, "invalid": 422, "conflict": 409}


@bp.route("/comments/<int:assignment_id>")
def subject_comments(assignment_id: int):
    """One row per student with the teacher's comment for the year, saved as it is left."""
    assignment = own_assignment(assignment_id)
    found = records.comments(assignment.school_class, assignment.subject)
    rows = [(entry, found.get(entry.student.id)) for entry in class_roster(assignment.school_class)]
    return render_template("teacher/comments.html", assignment=assignment, rows=rows)


@bp.route("/comments/<int:assignment_id>/row", methods=["POST"])
def subject_comment_row(assignment_id: int):
    """Save one student's comment; answers with the row (409 when someone else saved it first)."""
    assignment = own_assignment(assignment_id)
    school_class = assignment.school_class
    try:
        student_id, version = int(request.form.get("student_id", "")), int(request.form.get("version", ""))
    except ValueError:
        abort(400)
    enrolment = enrolment_in(school_class.id, student_id)
    if enrolment is None:
        refuse("school_class", school_class.id, "học sinh không thuộc lớp")
    result = records.save_comment(school_class, enrolment.student, assignment.subject, request.form.get("text"),
                                  version, current_user)
    entry = next(e for e in class_roster(school_class) if e.student.id == student_id)
    return render_fragment(
        "yearend/_comment_row.html", school_class=school_class, entry=entry,
        comment=records.comments(school_class, assignment.subject).get(student_id), message=result.message,
        state="saved" if result.status == "saved" else result.status,
        post_url=_row_url(assignment.id)), STATUS.get(result.status, 422)


def _row_url(assignment_id: int) -> str:
    from flask import url_for

    return url_for("teacher.subject_comment_row", assignment_id=assignment_id)
