"""The primary (TT27) grid of one class × subject at one moment: level T/H/C, periodic test score where the
subject is tested, a short comment. Shown instead of the TT22 grid for a class of grades 1–5."""
import json

from flask import abort, make_response, render_template, request, url_for
from flask_login import current_user

from blueprints.fragments import render_fragment
from blueprints.guards import own_assignment
from blueprints.primary_cells import CELL_CLASS, STATUS, form_int
from blueprints.teacher import bp
from models.gradebook.corrections import PRIMARY_FIELDS
from models.primary import assessments as pa
from models.primary import corrections as pc
from models.rules import tt27
from models.school.structure import enrolment_in


def _primary_assignment(assignment_id: int, moment: str):
    assignment = own_assignment(assignment_id)
    if moment not in tt27.MOMENTS or not pa.is_primary_class(assignment.school_class):
        abort(404)
    return assignment


@bp.route("/primary/<int:assignment_id>/<moment>")
def primary_grid(assignment_id: int, moment: str):
    """Levels, test scores and comments of one class × subject at one moment, typed from the keyboard."""
    assignment = _primary_assignment(assignment_id, moment)
    grid = pa.subject_grid(assignment, moment)
    return render_template("teacher/primary_grid.html", grid=grid, assignment=assignment, moment=moment,
                           moments=tt27.MOMENTS, headers=pa.FIELD_HEADERS, **_cell_urls(assignment, moment),
                           save_url=url_for("teacher.save_primary_cell", assignment_id=assignment.id, moment=moment))


def _cell_urls(assignment, moment: str) -> dict:
    """The history address's prefix and the correction form's address, built once for all the cells."""
    history = url_for("teacher.primary_history", assignment_id=assignment.id, moment=moment, student_id=0,
                      name="level").removesuffix("0/level")
    correction = url_for("corrections.new", target="primary", assignment_id=assignment.id, moment=moment)
    return {"history_url": history, "correction_url": correction, "correctable": PRIMARY_FIELDS}


@bp.route("/primary/<int:assignment_id>/<moment>/history/<int:student_id>/<name>")
def primary_history(assignment_id: int, moment: str, student_id: int, name: str):
    """The history of one primary cell (Alt+H): every save and applied correction, old → new, who, when."""
    assignment = _primary_assignment(assignment_id, moment)
    enrolment = enrolment_in(assignment.school_class_id, student_id)
    if enrolment is None or name not in pa.FIELDS:
        abort(404)
    cell, changes = pc.cell_history(assignment.school_class, assignment.subject, enrolment.student, moment, name)
    where = (f"{pc.field_label(name)} · {assignment.subject.name} lớp {assignment.school_class.name} · "
             f"{tt27.MOMENTS[moment]}")
    return render_template("teacher/_primary_history.html", cell=cell, changes=changes, student=enrolment.student,
                           where=where)


@bp.route("/primary/<int:assignment_id>/<moment>/cell", methods=["POST"])
def save_primary_cell(assignment_id: int, moment: str):
    """Save one level, score or comment; answer with the cell and the message line."""
    assignment = _primary_assignment(assignment_id, moment)
    enrolment = enrolment_in(assignment.school_class_id, form_int("student_id"))
    if enrolment is None:
        abort(404)
    name = request.form.get("field", "")
    result = pa.save_subject_cell(assignment, moment, enrolment.student, name, request.form.get("value", ""),
                                  form_int("version"), current_user._get_current_object())
    if result.status == "forbidden":
        abort(400)
    cell = pa.Cell(name, result.value, result.version)
    shown = result.typed if result.status in ("invalid", "left") else (result.value or "")
    resp = make_response(render_fragment(
        "teacher/_primary_cell.html", cell=cell, shown=shown, student=enrolment.student, row=form_int("row"),
        col=form_int("col"), state=CELL_CLASS[result.status], message=result.message, editable=result.status != "locked",
        save_url=request.script_root + request.path, headers=pa.FIELD_HEADERS, oob=True,
        **_cell_urls(assignment, moment)), STATUS[result.status])
    if not result.ok:
        level = "warning" if result.status == "conflict" else "error"
        resp.headers["HX-Trigger"] = json.dumps({"showMessage": {"level": level, "text": result.message}})
    return resp
