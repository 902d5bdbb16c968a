"""The subject teacher's grade book (sổ điểm): their assignments with progress, the grid, one cell's save."""
import json

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.fragments import render_fragment
from blueprints.guards import own_assignment
from blueprints.nfc_request import bounded_int
from blueprints.teacher import bp
from models.gradebook import marks
from models.primary.assessments import is_primary_class
from models.school import subject_groups
from models.school.structure import SchoolYear, Semester, assignments_of, enrolment_in

# how each outcome of a save answers: the htmx config swaps 2xx, 409 and 422
STATUS = {"saved": 200, "unchanged": 200, "invalid": 422, "left": 422, "locked": 422, "conflict": 409}
CELL_CLASS = {"saved": "saved", "unchanged": "", "invalid": "error", "left": "error", "locked": "locked",
              "conflict": "conflict"}


def _semester(assignment, number: int) -> Semester:
    semester = marks.semester_of(assignment.school_class.year_id, number)
    if semester is None:
        abort(404)
    return semester


def _int(name: str) -> int:
    try:
        return bounded_int(request.form.get(name, ""))
    except ValueError:
        abort(400)


def _page_of(assignment, student_id: int) -> tuple:
    """(the book page, the enrolment with its student) of a student of the grid: enrolled, now or before, in
    the assignment's class, or taking its subject there from another class (THPT); 404 otherwise."""
    enrolment = enrolment_in(assignment.school_class_id, student_id)
    if enrolment is not None:
        return assignment, enrolment
    guest = marks.guest_page(assignment, student_id)
    if guest is None or guest[1] is None:
        abort(404)
    return guest


def _cell_urls(assignment, semester) -> dict:
    """The save address and the history address's prefix, built once for all the cells of a page."""
    history = url_for("teacher.cell_history", assignment_id=assignment.id, semester_number=semester.number,
                      student_id=0, kind="tx", idx=0)
    return {"save": url_for("teacher.save_cell", assignment_id=assignment.id, semester_number=semester.number),
            "history": history.removesuffix("0/tx/0")}


def _cell_urls_from_save(save_path: str) -> dict:
    """_cell_urls() for a save's answer, from the save's own address (…/<semester>/cell)."""
    return {"save": save_path, "history": save_path.removesuffix("cell") + "history/"}


@bp.route("/gradebook")
def gradebook():
    """Sổ điểm: the teacher's classes × subjects this year, with how much of each semester is entered."""
    year = SchoolYear.current()
    assignments = list(assignments_of(current_user.staff_id, year)) if current_user.staff_id and year else []
    semesters = list(Semester.select().where(Semester.year == year).order_by(Semester.number)) if year else []
    progress = marks.progress_for(assignments, semesters)
    rows = [(a, [p for p in progress if p.assignment is a]) for a in assignments]
    return render_template("teacher/gradebook.html", rows=rows, semesters=semesters, year=year)


@bp.route("/gradebook/<int:assignment_id>/<int:semester_number>")
def grid(assignment_id: int, semester_number: int):
    """The grid of one class × subject × semester, typed into from the keyboard."""
    assignment = own_assignment(assignment_id)
    semester = _semester(assignment, semester_number)
    if is_primary_class(assignment.school_class):  # TT27, not TT22: the moment grid of the semester
        return redirect(url_for("teacher.primary_grid", assignment_id=assignment.id,
                                moment="GHK1" if semester.number == 1 else "GHK2"))
    if not subject_groups.class_studies(assignment.school_class, assignment.subject):
        abort(404)  # not a subject of the class's group
    try:
        book = marks.grid_for(assignment, semester)
    except ValueError:  # the subject is not in the grade's programme
        abort(404)
    return render_template("teacher/grid.html", grid=book, assignment=assignment, semester=semester,
                           cell_urls=_cell_urls(assignment, semester))


@bp.route("/gradebook/<int:assignment_id>/<int:semester_number>/cell", methods=["POST"])
def save_cell(assignment_id: int, semester_number: int):
    """Save one cell; answer with the cell and, out of band, the student's averages."""
    assignment = own_assignment(assignment_id)
    semester = _semester(assignment, semester_number)
    page, enrolment = _page_of(assignment, _int("student_id"))
    student = enrolment.student
    kind, idx, row = request.form.get("kind", ""), _int("idx"), _int("row")
    result = marks.save_cell(page, semester, student, kind, idx, request.form.get("value", ""),
                             _int("version"), current_user._get_current_object(), enrolment=enrolment)
    if result.status == "forbidden":
        abort(400)
    comment_only = assignment.subject.comment_only
    cell = marks.state_after(result, kind, idx, comment_only)
    col = marks.column_index(assignment, kind, idx)
    averages = marks.student_averages(page, semester, student, result.values) if result.ok else None
    urls = _cell_urls_from_save(request.script_root + request.path)
    resp = make_response(render_fragment("teacher/_cell.html", cell=cell, student=student, row=row, col=col,
                                         state=CELL_CLASS[result.status], result=result, assignment=assignment,
                                         semester=semester, averages=averages, oob=True, cell_urls=urls),
                         STATUS[result.status])
    if not result.ok:  # the message line may be scrolled away on a long class: a toast too
        level = "warning" if result.status == "conflict" else "error"
        resp.headers["HX-Trigger"] = json.dumps({"showMessage": {"level": level, "text": result.message}})
    return resp


@bp.route("/gradebook/<int:assignment_id>/<int:semester_number>/history/<int:student_id>/<kind>/<int:idx>")
def cell_history(assignment_id: int, semester_number: int, student_id: int, kind: str, idx: int):
    """The history of one cell: old → new, who, when."""
    assignment = own_assignment(assignment_id)
    semester = _semester(assignment, semester_number)
    page, enrolment = _page_of(assignment, student_id)
    student = enrolment.student
    if kind not in marks.KINDS:
        abort(404)
    cell = marks.find_cell(page, semester, student, kind, idx)
    return render_template("teacher/_history.html", cell=cell, changes=marks.cell_history(cell.id) if cell else [],
                           student=student, column=marks.Column(kind, idx), assignment=assignment,
                           semester=semester, comment_only=assignment.subject.comment_only, show=marks.display)
