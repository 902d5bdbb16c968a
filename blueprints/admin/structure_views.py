"""The admin's school-structure pages: the school, years and semesters, grades and subjects,
departments, classes and teaching assignments. Every write is audited by the model function."""
import json

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from peewee import JOIN
from wtforms import SelectChoice

from blueprints import htmx
from blueprints.admin import bp
from blueprints.admin.structure_forms import (
    AssignForm,
    CarryForwardForm,
    ClassForm,
    DepartmentForm,
    GradeSubjectForm,
    HomeroomForm,
    PeriodsForm,
    SchoolForm,
    SemesterForm,
    StaffChoiceForm,
    SubjectForm,
    YearForm,
    options,
)
from blueprints.nfc_request import bounded_int
from models.core import write_transaction
from models.people.records import Staff
from models.school import subject_groups
from models.school.structure import (
    ASSESSMENT_KINDS,
    LEVEL_GRADES,
    Department,
    Grade,
    GradeSubject,
    School,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
    active_staff,
    add_grade_subject,
    assign_teacher,
    assignment_row,
    assignment_rows,
    carry_forward_current,
    carry_forward_summary,
    classes_by_grade,
    create_class,
    create_department,
    create_subject,
    create_year,
    default_semesters,
    departments_overview,
    ensure_level_grades,
    grade_subject_line,
    make_coordinator,
    missing_level_grades,
    remove_assignment,
    save_school,
    set_current_year,
    set_department_head,
    set_department_member,
    set_homeroom,
    set_periods,
    staff_without_department,
    subject_of_class,
    subjects_by_grade,
    teacher_loads,
    update_semester,
    years_with_semesters,
)

FORM_ERRORS = "Chưa lưu được: vui lòng sửa các ô báo lỗi."


def _apply(write, *args):
    """Run one model write in its own transaction: (result, None), or (None, the refusal's message)."""
    try:
        with write_transaction():
            return write(*args), None
    except ValueError as refused:
        return None, str(refused)


def _done(message: str, endpoint: str, **values):
    flash(message, "success")
    return redirect(url_for(endpoint, **values), 303)


def _get_or_404(model, id_):
    row = model.get_or_none(model.id == id_)
    if row is None:
        abort(404)
    return row


def _row(template: str, error, message: str, **context):
    """An htmx row: 422 with the refusal inside the row, or 200 and a success toast."""
    resp = make_response(render_template(template, row_error=error, **context), 422 if error else 200)
    if not error:
        resp.headers["HX-Trigger"] = json.dumps({"showMessage": {"level": "success", "text": message}})
    return resp


def _staff_choices() -> list[tuple[int, str]]:
    """Who the selects offer: staff đang công tác."""
    return [(s.id, s.full_name) for s in active_staff()]


def _any_staff() -> list[SelectChoice]:
    """Who a posted form may name: any staff member, so that the model says why one who left is refused."""
    return options((s.id, s.full_name) for s in Staff.select(Staff.id, Staff.full_name))


# --- the school ------------------------------------------------------------------------------------

@bp.route("/school", methods=["GET", "POST"])
def school_settings():
    """The school's name, code, book headers, levels and contact details."""
    school = School.current()
    initial = ({"name": school.name, "code": school.code, "header_line_1": school.header_line_1,
                "header_line_2": school.header_line_2, "levels": school.level_list, "address": school.address,
                "phone": school.phone, "email": school.email, "place_name": school.place_name,
                "regulation_ref": school.regulation_ref}
               if school else {"levels": ["thcs"]})
    form = SchoolForm(data=initial)
    error = None
    if request.method == "POST":
        if form.validate():
            _, error = _apply(save_school, form.values())
            if error is None:
                return _done("Đã lưu thông tin trường.", "admin.school_settings")
        else:
            error = FORM_ERRORS
    return render_template("admin/school_settings.html", form=form, error=error, is_new=school is None,
                           level_grades=LEVEL_GRADES), 422 if error else 200


# --- years and semesters ---------------------------------------------------------------------------

def _years_page(status: int = 200, year_form=None, carry_form=None, error=None):
    current = SchoolYear.current()
    carried_id = request.args.get("carried", type=bounded_int)
    carried = SchoolYear.get_or_none(SchoolYear.id == carried_id) if carried_id else None
    next_name = f"{current.start_year + 1}-{current.start_year + 2}" if current else None
    return render_template(
        "admin/years.html", years=years_with_semesters(), current=current,
        year_form=year_form or YearForm(formdata=None), carry_form=carry_form or CarryForwardForm(formdata=None),
        summary=carry_forward_summary(carried) if carried else None, next_name=next_name,
        next_exists=bool(current) and SchoolYear.select().where(
            SchoolYear.start_year == current.start_year + 1).exists(),
        error=error), status


@bp.route("/years")
def years():
    """School years with their two semesters; which one is current; carrying forward."""
    return _years_page()


@bp.route("/years/new", methods=["POST"])
def year_create():
    """Create a school year "YYYY-YYYY+1" from its start year, with default semesters."""
    form = YearForm()
    if not form.validate():
        return _years_page(422, year_form=form, error=FORM_ERRORS)
    year, error = _apply(create_year, form.start_year.data)
    if error:
        return _years_page(422, year_form=form, error=error)
    return _done(f"Đã tạo năm học {year.name}. Hãy kiểm tra ngày của hai học kì.", "admin.years")


@bp.route("/years/<int:year_id>/semester/<int:number>", methods=["GET", "POST"])
def semester_edit(year_id: int, number: int):
    """Edit one semester's dates, teaching weeks and mid-term and final test dates."""
    year = _get_or_404(SchoolYear, year_id)
    if number not in (1, 2):
        abort(404)
    semester = Semester.get_or_none((Semester.year == year) & (Semester.number == number))
    initial = ({"starts_on": semester.starts_on, "ends_on": semester.ends_on,
                "teaching_weeks": semester.teaching_weeks, "final_tests_on": semester.final_tests_on,
                "midterm_tests_on": semester.midterm_tests_on}
               if semester else default_semesters(year.start_year)[number - 1])
    form = SemesterForm(data=initial)
    error = None
    if request.method == "POST":
        if form.validate():
            _, error = _apply(update_semester, year, number, form.starts_on.data, form.ends_on.data,
                              form.teaching_weeks.data, form.final_tests_on.data, form.midterm_tests_on.data)
            if error is None:
                return _done(f"Đã lưu học kì {'I' if number == 1 else 'II'} năm học {year.name}.", "admin.years")
        else:
            error = FORM_ERRORS
    other = Semester.get_or_none((Semester.year == year) & (Semester.number == 3 - number))
    return render_template("admin/year_edit.html", form=form, year=year, number=number, other=other,
                           error=error), 422 if error else 200


@bp.route("/years/<int:year_id>/current", methods=["POST"])
def year_set_current(year_id: int):
    """Make this the current school year (exactly one is current)."""
    year = _get_or_404(SchoolYear, year_id)
    _, error = _apply(set_current_year, year)
    if error:
        return _years_page(422, error=error)
    return _done(f"Năm học hiện tại là {year.name}.", "admin.years")


@bp.route("/years/carry-forward", methods=["POST"])
def year_carry_forward():
    """Chuyển năm học: open the next year from the current one; students move up except those staying (the
    boxes ticked on the review page, and any codes typed), the last grade of a level completes the programme."""
    from blueprints.admin.yearend_views import carry_review_page

    form = CarryForwardForm()
    checked = request.form.getlist("stay")
    if not form.validate():
        return carry_review_page(422, form, FORM_ERRORS, checked)
    new_year, error = _apply(carry_forward_current, form.codes() + checked)
    if error:
        return carry_review_page(422, form, error, checked)
    return _done(f"Đã chuyển năm học: mở năm học {new_year.name}.", "admin.years", carried=new_year.id)


# --- grades and subjects ---------------------------------------------------------------------------

def _subject_form(formdata=True) -> SubjectForm:
    form = SubjectForm() if formdata else SubjectForm(formdata=None)
    form.department_id.choices = options([(0, "— Chưa thuộc tổ nào —")] + [
        (d.id, d.name) for d in Department.select().order_by(Department.name)])
    return form


def _grade_subject_form(formdata=True) -> GradeSubjectForm:
    form = GradeSubjectForm() if formdata else GradeSubjectForm(formdata=None)
    form.grade_id.choices = options((g.id, g.label) for g in Grade.select().order_by(Grade.number))
    form.subject_id.choices = options((s.id, s.name) for s in Subject.select().order_by(Subject.position, Subject.name))
    return form


def _subjects_page(status: int = 200, subject_form=None, grade_subject_form=None, error=None, failed_row=None):
    school = School.current()
    return render_template(
        "admin/subjects.html", grades=subjects_by_grade(), missing=missing_level_grades(school), school=school,
        subjects=list(Subject.select(Subject, Department).join(Department, join_type=JOIN.LEFT_OUTER)
                      .order_by(Subject.position, Subject.name)),
        kinds=ASSESSMENT_KINDS, subject_form=subject_form or _subject_form(False),
        topic_tx=subject_groups.topic_tx_by_subject(), default_topic_tx=subject_groups.DEFAULT_TOPIC_TX,
        grade_subject_form=grade_subject_form or _grade_subject_form(False), error=error,
        failed_row=failed_row), status


@bp.route("/subjects")
def subjects():
    """Per grade, the subjects with periods per year, assessment kind, TX count and department."""
    return _subjects_page()


@bp.route("/subjects/grades", methods=["POST"])
def grades_create():
    """Create the grades (khối) of the school's levels that are missing."""
    school = School.current()
    if school is None:
        return _subjects_page(422, error="Chưa có thông tin trường: hãy nhập thông tin trường trước.")
    created, error = _apply(ensure_level_grades, school)
    if error:
        return _subjects_page(422, error=error)
    if not created:
        return _done("Đã có đủ các khối theo cấp học.", "admin.subjects")
    return _done("Đã tạo " + ", ".join(g.label.lower() for g in created) + ".", "admin.subjects")


@bp.route("/subjects/new", methods=["POST"])
def subject_create():
    """Add a subject: code, name, assessment kind, department, position."""
    form = _subject_form()
    if not form.validate():
        return _subjects_page(422, subject_form=form, error=FORM_ERRORS)
    department = Department.get_or_none(Department.id == form.department_id.data)
    subject, error = _apply(create_subject, form.code.data, form.name.data, form.kind.data, department,
                            form.position.data or 0)
    if error:
        return _subjects_page(422, subject_form=form, error=error)
    return _done(f"Đã thêm môn {subject.name}. Hãy thêm môn vào các khối có dạy.", "admin.subjects")


@bp.route("/subjects/grade-subject", methods=["POST"])
def grade_subject_create():
    """Add a subject to a grade with its periods per year."""
    form = _grade_subject_form()
    if not form.validate():
        return _subjects_page(422, grade_subject_form=form, error=FORM_ERRORS)
    grade = Grade.get_by_id(form.grade_id.data)
    subject = Subject.get_by_id(form.subject_id.data)
    _, error = _apply(add_grade_subject, grade, subject, form.periods.data)
    if error:
        return _subjects_page(422, grade_subject_form=form, error=error)
    return _done(f"Đã thêm môn {subject.name} vào {grade.label.lower()}.", "admin.subjects")


@bp.route("/subjects/grade-subject/<int:grade_subject_id>", methods=["POST"])
def periods_edit(grade_subject_id: int):
    """Change the periods per year of one subject in one grade; htmx swaps just that row."""
    line = grade_subject_line(grade_subject_id)
    if line is None:
        abort(404)
    form = PeriodsForm()
    error = None
    if form.validate():
        _, error = _apply(set_periods, line.grade_subject, form.periods.data)
    else:
        error = form.periods.errors[0]
    if htmx:
        return _row("admin/_subject_row.html", error, f"Đã lưu số tiết môn {line.subject.name}.",
                    line=grade_subject_line(grade_subject_id), kinds=ASSESSMENT_KINDS,
                    typed=request.form.get("periods", ""))
    if error:
        return _subjects_page(422, error=error, failed_row=(grade_subject_id, error))
    return _done(f"Đã lưu số tiết môn {line.subject.name} {line.grade_subject.grade.label.lower()}.",
                 "admin.subjects")


# --- departments -----------------------------------------------------------------------------------

def _departments_page(status: int = 200, form=None, error=None):
    return render_template("admin/departments.html", departments=departments_overview(),
                           unassigned=staff_without_department(), staff_choices=_staff_choices(),
                           form=form or DepartmentForm(formdata=None), error=error), status


@bp.route("/departments")
def departments():
    """Tổ chuyên môn with their head and members."""
    return _departments_page()


@bp.route("/departments/new", methods=["POST"])
def department_create():
    """Create a department (name, code)."""
    form = DepartmentForm()
    if not form.validate():
        return _departments_page(422, form=form, error=FORM_ERRORS)
    department, error = _apply(create_department, form.name.data, form.code.data)
    if error:
        return _departments_page(422, form=form, error=error)
    return _done(f"Đã tạo {department.name}.", "admin.departments")


def _chosen_staff():
    """The staff member posted in a StaffChoiceForm, or (None, the Vietnamese refusal)."""
    form = StaffChoiceForm()
    form.staff_id.choices = _any_staff()
    if not form.validate():
        return None, form.staff_id.errors[0]
    return Staff.get_by_id(form.staff_id.data), None


@bp.route("/departments/<int:department_id>/head", methods=["POST"])
def department_head_set(department_id: int):
    """Set the department's head (tổ trưởng), who also gets the head_of_department role."""
    department = _get_or_404(Department, department_id)
    staff, error = _chosen_staff()
    if staff is not None:
        _, error = _apply(set_department_head, department, staff)
    if error:
        return _departments_page(422, error=error)
    return _done(f"{staff.full_name} là tổ trưởng {department.name}.", "admin.departments")


@bp.route("/departments/<int:department_id>/member", methods=["POST"])
def department_member_add(department_id: int):
    """Add a staff member to the department, moving them from another one."""
    department = _get_or_404(Department, department_id)
    staff, error = _chosen_staff()
    if staff is not None:
        _, error = _apply(set_department_member, department, staff)
    if error:
        return _departments_page(422, error=error)
    return _done(f"Đã thêm {staff.full_name} vào {department.name}.", "admin.departments")


# --- classes ---------------------------------------------------------------------------------------

def _class_form(formdata=True) -> ClassForm:
    form = ClassForm() if formdata else ClassForm(formdata=None)
    form.grade_id.choices = options((g.id, g.label) for g in Grade.select().order_by(Grade.number))
    return form


def _classes_page(year: SchoolYear | None, status: int = 200, form=None, error=None, failed_row=None):
    return render_template(
        "admin/classes.html", year=year, years=list(SchoolYear.select().order_by(SchoolYear.start_year.desc())),
        groups=classes_by_grade(year) if year else [],
        staff_choices=[(0, "— Chưa phân công —")] + _staff_choices(),
        form=form or _class_form(False), error=error, failed_row=failed_row), status


@bp.route("/classes")
def classes():
    """The year's classes by grade with homeroom teacher and sĩ số; another year can be chosen."""
    year_id = request.args.get("year_id", type=bounded_int)
    year = _get_or_404(SchoolYear, year_id) if year_id else SchoolYear.current()
    return _classes_page(year)


@bp.route("/classes/<int:year_id>/new", methods=["POST"])
def class_create(year_id: int):
    """Create a class of a grade in the year; its name is unique in the year."""
    year = _get_or_404(SchoolYear, year_id)
    form = _class_form()
    if not form.validate():
        return _classes_page(year, 422, form=form, error=FORM_ERRORS)
    school_class, error = _apply(create_class, year, Grade.get_by_id(form.grade_id.data), form.name.data)
    if error:
        return _classes_page(year, 422, form=form, error=error)
    return _done(f"Đã tạo lớp {school_class.name}.", "admin.classes", year_id=year.id)


@bp.route("/classes/<int:class_id>/homeroom", methods=["POST"])
def class_homeroom(class_id: int):
    """Set or change the class's homeroom teacher (GVCN)."""
    school_class = _get_or_404(SchoolClass, class_id)
    form = HomeroomForm()
    form.staff_id.choices = options([(0, "")]) + _any_staff()
    if form.validate():
        staff = Staff.get_by_id(form.staff_id.data) if form.staff_id.data else None
        _, error = _apply(set_homeroom, school_class, staff)
    else:
        error = form.staff_id.errors[0]
    if error:
        return _classes_page(school_class.year, 422, error=error, failed_row=(school_class.id, error))
    teacher = school_class.homeroom_teacher
    message = (f"Lớp {school_class.name}: giáo viên chủ nhiệm là {teacher.full_name}." if teacher
               else f"Lớp {school_class.name}: chưa phân công giáo viên chủ nhiệm.")
    return _done(message, "admin.classes", year_id=school_class.year_id)


# --- teaching assignments --------------------------------------------------------------------------

def _teacher_options(loads) -> list[tuple[int, str]]:
    return [(load.staff.id, f"{load.staff.full_name} ({load.label} tiết/tuần)") for load in loads.values()]


def _class_rows(school_class: SchoolClass) -> list:
    """The class's subjects to assign: in THPT only those of its group (subject_groups)."""
    studied = subject_groups.class_subject_ids(school_class)
    return [r for r in assignment_rows(school_class) if studied is None or r.subject.id in studied]


def _assignments_page(school_class: SchoolClass | None, status: int = 200, error=None, failed_row=None):
    year = school_class.year if school_class else SchoolYear.current()
    loads = teacher_loads(year) if year else {}
    return render_template(
        "admin/assignments.html", school_class=school_class, year=year,
        groups=classes_by_grade(year) if year else [],
        rows=_class_rows(school_class) if school_class else [],
        teacher_options=_teacher_options(loads),
        loads=[load for load in loads.values() if load.count], idle=[load for load in loads.values() if not load.count],
        error=error, failed_row=failed_row), status


@bp.route("/assignments")
def assignments():
    """Phân công giảng dạy of one class: every subject of its grade with its teachers, and teachers' loads."""
    class_id = request.args.get("class_id", type=bounded_int)
    if class_id:
        school_class = _get_or_404(SchoolClass, class_id)
    else:
        year = SchoolYear.current()
        groups = classes_by_grade(year) if year else []
        school_class = groups[0][1][0][0] if groups else None
    return _assignments_page(school_class)


def _after_assignment_write(school_class: SchoolClass, grade_subject: GradeSubject, error, message: str):
    """htmx: just the subject's row (with a toast); otherwise the page, or back to it."""
    if htmx:
        return _row("admin/_assignment_row.html", error, message, school_class=school_class,
                    row=assignment_row(school_class, grade_subject),
                    teacher_options=_teacher_options(teacher_loads(school_class.year)))
    if error:
        return _assignments_page(school_class, 422, error=error, failed_row=(grade_subject.id, error))
    return _done(message, "admin.assignments", class_id=school_class.id)


@bp.route("/assignments/<int:class_id>/new", methods=["POST"])
def assignment_create(class_id: int):
    """Assign a teacher to class × subject; the first one assigned is the coordinator."""
    school_class = _get_or_404(SchoolClass, class_id)
    form = AssignForm()
    form.subject_id.choices = options((gs.subject_id, "") for gs in GradeSubject.select()
                                      .where(GradeSubject.grade == school_class.grade_id))
    form.teacher_id.choices = _any_staff()
    if not form.validate() and form.subject_id.errors:
        abort(404)  # the page only offers the grade's subjects
    subject = Subject.get_by_id(form.subject_id.data)
    grade_subject = subject_of_class(school_class, subject)
    error = form.teacher_id.errors[0] if form.teacher_id.errors else None
    if error is None:
        teacher = Staff.get_by_id(form.teacher_id.data)
        _, error = _apply(assign_teacher, school_class, subject, teacher)
    message = "" if error else f"Đã phân công {teacher.full_name} dạy {subject.name} lớp {school_class.name}."
    return _after_assignment_write(school_class, grade_subject, error, message)


def _assignment_or_404(assignment_id: int) -> tuple[TeachingAssignment, GradeSubject]:
    assignment = _get_or_404(TeachingAssignment, assignment_id)
    return assignment, subject_of_class(assignment.school_class, assignment.subject)


@bp.route("/assignments/item/<int:assignment_id>/coordinator", methods=["POST"])
def assignment_coordinator(assignment_id: int):
    """Đặt làm phụ trách chính: this teacher coordinates the shared class × subject."""
    assignment, grade_subject = _assignment_or_404(assignment_id)
    _, error = _apply(make_coordinator, assignment)
    return _after_assignment_write(
        assignment.school_class, grade_subject, error,
        f"{assignment.teacher.full_name} phụ trách chính môn {assignment.subject.name} "
        f"lớp {assignment.school_class.name}.")


@bp.route("/assignments/item/<int:assignment_id>/remove", methods=["POST"])
def assignment_remove(assignment_id: int):
    """Take a teacher off class × subject (audited with what it was)."""
    assignment, grade_subject = _assignment_or_404(assignment_id)
    _, error = _apply(remove_assignment, assignment)
    return _after_assignment_write(
        assignment.school_class, grade_subject, error,
        f"Đã bỏ phân công {assignment.teacher.full_name} dạy {assignment.subject.name} "
        f"lớp {assignment.school_class.name}.")
