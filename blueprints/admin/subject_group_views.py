"""The admin's THPT subject groups (tổ hợp): the groups, each class's group, students taking an elective with
another class, and the ĐĐGtx a chuyên đề adds per subject. Every write is audited by the model function and
refused when it would leave entered marks without their page (models/gradebook/group_changes.py)."""
from flask import abort, render_template, request

from blueprints.admin import bp
from blueprints.admin.structure_views import _done, _subjects_page
from blueprints.nfc_request import bounded_int
from models.core import write_transaction
from models.gradebook import group_changes
from models.people.records import Student
from models.school import subject_groups as sg
from models.school.structure import Grade, SchoolClass, SchoolYear, Subject, class_sort_key


def _id(name: str) -> int | None:
    try:
        return bounded_int(request.form.get(name, ""))
    except ValueError:
        return None


def _apply(write, *args):
    """One change in its own transaction: (result, None, 200), or (None, the refusal, 422 — 409 when someone
    saved the same thing first)."""
    try:
        with write_transaction():
            return write(*args), None, 200
    except sg.ChangedMeanwhile as stale:
        return None, str(stale), 409
    except ValueError as refused:
        return None, str(refused), 422


def _thpt_classes(year: SchoolYear | None) -> list[SchoolClass]:
    if year is None:
        return []
    classes = list(SchoolClass.select(SchoolClass, Grade).join(Grade)
                   .where((SchoolClass.year == year) & (Grade.level == "thpt")))
    return sorted(classes, key=lambda c: (c.grade.number, class_sort_key(c.name)))


def _page(status: int = 200, error: str | None = None, form=None):
    """The page; `form`: the refused form to show again (the new group's and the elective's)."""
    year = SchoolYear.current()
    classes = _thpt_classes(year)
    groups = {c.id: sg.group_of(c) for c in classes}
    electives = [(e, e.teaching_class, e.subject, e.replaces) for e in
                 sg.StudentElective.select().join(SchoolClass, on=(sg.StudentElective.teaching_class == SchoolClass.id))
                 .where(SchoolClass.year == year)] if year else []
    overview = sg.groups_overview()
    return render_template("admin/subject_groups.html", overview=overview, classes=classes,
                           states={g.id: sg.group_state(g) for g, *_ in overview},
                           class_groups=groups, all_groups=list(sg.SubjectGroup.select().order_by(sg.SubjectGroup.code)),
                           subjects=list(Subject.select().order_by(Subject.position, Subject.name)),
                           electives=electives, error=error, year=year, form=form or {}), status


def _chosen(kind: str) -> list[Subject]:
    ids = [int(x) for x in request.form.getlist(kind) if x.isdigit()]
    return list(Subject.select().where(Subject.id.in_(ids))) if ids else []


@bp.route("/subject-groups")
def subject_groups():
    """Tổ hợp môn học (THPT): groups, classes' groups, electives studied with another class."""
    return _page()


@bp.route("/subject-groups/new", methods=["POST"])
def subject_group_create():
    """A new group: code, name, its electives and chuyên đề."""
    group, error, status = _apply(group_changes.create_group, request.form.get("code", ""),
                                  request.form.get("name", ""), _chosen("elective"), _chosen("topic"))
    if error:
        return _page(status, error, request.form)
    return _done(f"Đã tạo tổ hợp {group.code}.", "admin.subject_groups")


@bp.route("/subject-groups/<int:group_id>/edit", methods=["POST"])
def subject_group_edit(group_id: int):
    """Change a group's name, electives and chuyên đề (the form carries the group's state as its version)."""
    group = sg.SubjectGroup.get_or_none(sg.SubjectGroup.id == group_id)
    if group is None:
        abort(404)
    _, error, status = _apply(group_changes.update_group, group, request.form.get("name", ""),
                              _chosen("elective"), _chosen("topic"), request.form.get("state", ""))
    if error:
        return _page(status, error)
    return _done(f"Đã lưu tổ hợp {group.code}.", "admin.subject_groups")


@bp.route("/subject-groups/class/<int:class_id>", methods=["POST"])
def subject_group_of_class(class_id: int):
    """Give a class its group (or none); `current` is the group the form showed."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    group_id = _id("group_id")
    group = sg.SubjectGroup.get_or_none(sg.SubjectGroup.id == group_id) if group_id else None
    if group_id and group is None:
        return _page(422, "Tổ hợp không tồn tại.")
    expected = _id("current") if "current" in request.form else sg.ANY_GROUP
    _, error, status = _apply(group_changes.set_class_group, school_class, group, expected)
    if error:
        return _page(status, error)
    return _done(f"Đã lưu tổ hợp của lớp {school_class.name}.", "admin.subject_groups")


@bp.route("/subject-groups/elective", methods=["POST"])
def subject_group_elective():
    """A student studies one elective with another class's teacher."""
    code = request.form.get("student_code", "").strip().upper()
    student = Student.get_or_none(Student.code == code) if code else None
    teaching_class = SchoolClass.get_or_none(SchoolClass.id == _id("class_id"))
    subject = Subject.get_or_none(Subject.id == _id("subject_id"))
    replaces_id = _id("replaces_id")
    replaces = Subject.get_or_none(Subject.id == replaces_id) if replaces_id else None
    if student is None:
        return _page(422, "Không tìm thấy học sinh có mã định danh này.", request.form)
    if teaching_class is None or subject is None:
        return _page(422, "Vui lòng chọn lớp học ghép và môn học.", request.form)
    _, error, status = _apply(group_changes.add_student_elective, student, teaching_class, subject, replaces)
    if error:
        return _page(status, error, request.form)
    return _done(f"{student.full_name} học môn {subject.name} với lớp {teaching_class.name}.",
                 "admin.subject_groups")


@bp.route("/subject-groups/elective/<int:elective_id>/remove", methods=["POST"])
def subject_group_elective_remove(elective_id: int):
    """The student goes back to their class's subjects (refused while their marks of the elective exist)."""
    elective = sg.StudentElective.get_or_none(sg.StudentElective.id == elective_id)
    if elective is None:  # already removed by someone else
        return _page(409, "Môn học ghép này vừa được người khác bỏ; vui lòng xem lại danh sách.")
    name, subject = elective.student.full_name, elective.subject.name
    _, error, status = _apply(group_changes.remove_student_elective, elective)
    if error:
        return _page(status, error)
    return _done(f"{name} thôi học ghép môn {subject}.", "admin.subject_groups")


@bp.route("/subjects/<int:subject_id>/topic-tx", methods=["POST"])
def subject_topic_tx(subject_id: int):
    """The ĐĐGtx one chuyên đề of the subject adds per semester."""
    subject = Subject.get_or_none(Subject.id == subject_id)
    if subject is None:
        abort(404)
    count = _id("topic_tx")
    if count is None:
        return _subjects_page(422, error="Số ĐĐGtx của chuyên đề phải là số nguyên từ 0 đến "
                                         f"{sg.MAX_TOPIC_TX}.")
    _, error, status = _apply(group_changes.set_topic_tx, subject, count)
    if error:
        return _subjects_page(status, error=error)
    return _done(f"Đã lưu số ĐĐGtx của chuyên đề môn {subject.name}.", "admin.subjects")
