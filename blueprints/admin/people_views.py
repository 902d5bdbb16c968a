"""The admin's people pages: students, staff, class lists from and to Excel."""
from datetime import date
from io import BytesIO

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for

from blueprints import htmx
from blueprints.admin import bp
from blueprints.admin.people_forms_admin import (
    ImportUploadForm,
    NewStaffForm,
    NewStudentForm,
)
from blueprints.admin.person_views import profile_values, year_classes
from blueprints.nfc_request import bounded_int
from models.audit.vocabulary import action_label
from models.core import write_transaction
from models.people.records import (
    STAFF_STATUSES,
    STUDENT_STATUSES,
    Staff,
    StaffStatus,
    Student,
    StudentStatus,
    create_staff,
    create_student,
    person_audit_trail,
)
from models.rules.class_list_excel import MAX_DATA_ROWS, template_workbook
from models.rules.text import nfc
from models.school.class_import import (
    MAX_UPLOAD_BYTES,
    NEW,
    SAME,
    TEMPLATE_NAME,
    UPDATE,
    XLSX_MIMETYPE,
    ImportAlreadyDone,
    ImportNotFound,
    commit_import,
    discard_upload,
    export_class_list,
    import_done,
    load_import,
    plan_import,
    store_upload,
)
from models.school.rosters import enrolment_history, staff_list_rows, student_list, year_student_count
from models.school.structure import (
    Department,
    DepartmentMember,
    SchoolClass,
    SchoolYear,
    Semester,
    assignments_of,
    current_class_of,
    enrol,
)

STUDENT_LABELS = {
    "full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "gender": "Giới tính", "ethnicity": "Dân tộc",
    "religion": "Tôn giáo", "birthplace": "Nơi sinh", "permanent_address": "Địa chỉ thường trú",
    "current_address": "Chỗ ở hiện nay", "policy_family": "Con gia đình chính sách",
    "father_name": "Họ tên cha", "father_job": "Nghề nghiệp của cha", "father_phone": "Điện thoại của cha",
    "mother_name": "Họ tên mẹ", "mother_job": "Nghề nghiệp của mẹ", "mother_phone": "Điện thoại của mẹ",
    "guardian_name": "Người giám hộ", "guardian_job": "Nghề nghiệp người giám hộ",
    "guardian_phone": "Điện thoại người giám hộ", "sector_code": "Mã học sinh (CSDL ngành)",
    "personal_id": "Số định danh cá nhân",
}
STAFF_LABELS = {
    "full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "gender": "Giới tính", "position": "Chức vụ",
    "qualification": "Trình độ chuyên môn", "phone": "Điện thoại", "email": "Thư điện tử", "address": "Địa chỉ",
    "personal_id": "Số định danh cá nhân",
}
# words of the audit log that are not profile fields
_AUDIT_WORDS = {
    "status": "Trạng thái", "effective_on": "Ngày hiệu lực", "other_school": "Trường chuyển đi/đến",
    "class": "Lớp", "year": "Năm học", "joined_on": "Ngày vào lớp", "left_on": "Ngày rời lớp",
}


# --- small helpers shared by the views ---------------------------------------------------------------

def _student_or_404(student_id: int) -> Student:
    student = Student.get_or_none(Student.id == student_id)
    if student is None:
        abort(404)
    return student


def _staff_or_404(staff_id: int) -> Staff:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None:
        abort(404)
    return staff


def _default_joined_on() -> date:
    """Today, or the first day of the year's first semester when the year has not started yet."""
    today = date.today()
    year = SchoolYear.current()
    first = year and Semester.get_or_none((Semester.year == year) & (Semester.number == 1))
    return first.starts_on if first and first.starts_on > today else today


def _shown(key: str, value, statuses: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if key == "status":
        return statuses.get(value, value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _audit_rows(person) -> list[dict]:
    """The person's audit entries with Vietnamese field names and dd/mm/yyyy dates."""
    is_student = isinstance(person, Student)
    labels = {**(STUDENT_LABELS if is_student else STAFF_LABELS), **_AUDIT_WORDS}
    statuses = STUDENT_STATUSES if is_student else STAFF_STATUSES
    rows = []
    for entry in person_audit_trail(person):
        before, after = entry.before_data or {}, entry.after_data or {}
        changes = [(labels.get(k, k), _shown(k, before.get(k), statuses) if k in before else "",
                    _shown(k, after.get(k), statuses) if k in after else "")
                   for k in list(dict.fromkeys([*before, *after]))]
        rows.append({"entry": entry, "action": action_label(entry.action, entry.entity), "changes": changes})
    return rows


def _xlsx(data: bytes, name: str):
    return send_file(BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name)


# --- students --------------------------------------------------------------------------------------

@bp.route("/students")
def students():
    """The student list: one class of this year and/or an accent-insensitive search."""
    classes = year_classes()
    class_id = request.args.get("class_id", type=bounded_int)
    selected = next((c for c in classes if c.id == class_id), None)
    q = (nfc(request.args.get("q", "")) or "")[:100]
    rows, truncated = student_list(selected, q)
    total = year_student_count() if selected is None and not q else len(rows)
    context = {"classes": classes, "selected": selected, "q": q, "rows": rows, "truncated": truncated,
               "total": total}
    if htmx:
        return render_template("admin/_students_rows.html", **context)
    return render_template("admin/students.html", **context)


@bp.route("/students/<int:student_id>")
def student_detail(student_id: int):
    """A student's profile, class, enrolment and status history, and the audit entries about them."""
    student = _student_or_404(student_id)
    statuses = list(StudentStatus.select().where(StudentStatus.student == student)
                    .order_by(StudentStatus.effective_on, StudentStatus.id))
    return render_template("admin/student_detail.html", student=student, labels=STUDENT_LABELS,
                           current_class=current_class_of(student), enrolments=enrolment_history(student),
                           statuses=statuses, audit=_audit_rows(student))


@bp.route("/students/new", methods=["GET", "POST"])
def student_new():
    """Create a student with a new mã định danh and put them in a class of this year."""
    classes = year_classes()
    form = NewStudentForm()
    form.set_classes(classes)
    if request.method == "GET":
        form.class_id.data = request.args.get("class_id", type=bounded_int)
        form.joined_on.data = _default_joined_on()
        form.ethnicity.data = "Kinh"
    error = None
    if request.method == "POST" and form.validate():
        school_class = next(c for c in classes if c.id == form.class_id.data)
        try:
            with write_transaction():
                student = create_student(profile_values(form, Student), school_class.year.start_year,
                                         effective_on=form.joined_on.data)
                enrol(student, school_class, form.joined_on.data)
        except ValueError as refused:
            error = str(refused)
        else:
            flash(f"Đã tạo hồ sơ học sinh {student.full_name} (mã định danh {student.code}) "
                  f"và xếp vào lớp {school_class.name}.", "success")
            return redirect(url_for("admin.student_detail", student_id=student.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/student_new.html", form=form, error=error), status


# --- class lists from and to Excel -------------------------------------------------------------------

@bp.route("/students/import", methods=["GET", "POST"])
def student_import():
    """Upload a class list (.xlsx) for one class; the file is checked by content and kept for the preview."""
    classes = year_classes()
    form = ImportUploadForm()
    form.set_classes(classes)
    if request.method == "GET":
        form.class_id.data = request.args.get("class_id", type=bounded_int)
        form.joined_on.data = _default_joined_on()
    if request.method == "POST" and form.validate():
        school_class = next(c for c in classes if c.id == form.class_id.data)
        upload = form.file.data
        data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
        try:
            token = store_upload(current_app.config["UPLOAD_DIR"], data, school_class, form.joined_on.data,
                                 upload.filename or "")
        except ValueError as refused:
            form.file.errors.append(str(refused))
        else:
            return redirect(url_for("admin.student_import_preview", token=token), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/import_upload.html", form=form, max_rows=MAX_DATA_ROWS), status


def _stored_or_404(token: str):
    """The kept upload; None (with a message flashed) once it was imported and deleted; else 404."""
    try:
        stored = load_import(current_app.config["UPLOAD_DIR"], token)
    except ImportNotFound:
        done = import_done(token) if len(token) == 32 else None
        if done is None:
            abort(404)
        flash(f"Tệp này đã được nhập lúc {done.at:%d/%m/%Y %H:%M}; không nhập lại lần nữa.", "info")
        return None
    if stored.school_class is None:
        abort(404)
    return stored


def _preview_page(plan, done=None, error=None, status=200):
    return render_template("admin/import_preview.html", plan=plan, done=done, error=error,
                           NEW=NEW, UPDATE=UPDATE, SAME=SAME), status


@bp.route("/students/import/<token>")
def student_import_preview(token: str):
    """Every row of an uploaded list with its errors and warnings; import only when all rows are valid."""
    stored = _stored_or_404(token)
    if stored is None:
        return redirect(url_for("admin.students"), 303)
    return _preview_page(plan_import(stored, date.today()), done=import_done(token))


@bp.route("/students/import/<token>/commit", methods=["POST"])
def student_import_commit(token: str):
    """Import all rows of the stored list in one transaction, or none if any row is wrong."""
    stored = _stored_or_404(token)
    if stored is None:
        return redirect(url_for("admin.students"), 303)
    try:
        with write_transaction():
            plan = commit_import(stored, date.today())
    except ImportAlreadyDone as done:
        flash(str(done), "info")
        return redirect(url_for("admin.students", class_id=stored.class_id), 303)
    except ValueError as refused:
        return _preview_page(plan_import(stored, date.today()), error=f"{refused} Chưa nhập học sinh nào.",
                             status=422)
    if not plan.committed:
        return _preview_page(plan, error="Tệp còn lỗi nên chưa nhập học sinh nào. Hãy sửa tệp rồi tải lên lại.",
                             status=422)
    discard_upload(current_app.config["UPLOAD_DIR"], token)  # imported: the list is now in the database
    flash(f"Đã nhập danh sách lớp {plan.school_class.name}: {plan.count(NEW)} học sinh mới, "
          f"{plan.count(UPDATE)} hồ sơ cập nhật, {plan.count(SAME)} không thay đổi.", "success")
    return redirect(url_for("admin.students", class_id=plan.school_class.id), 303)


@bp.route("/students/import/template")
def student_import_template():
    """An empty class list to fill in (.xlsx)."""
    return _xlsx(template_workbook(), TEMPLATE_NAME)


@bp.route("/classes/<int:class_id>/export.xlsx")
def class_export(class_id: int):
    """The class list as .xlsx, those who left included with their status."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    if school_class is None:
        abort(404)
    data, name = export_class_list(school_class)
    return _xlsx(data, name)


# --- staff -------------------------------------------------------------------------------------------

@bp.route("/staff")
def staff_list():
    """Staff in Vietnamese order, filtered by name, status and department, with their accounts."""
    q = (nfc(request.args.get("q", "")) or "")[:100]
    status = request.args.get("status", "")
    status = status if status in STAFF_STATUSES else ""
    department_id = request.args.get("department_id", type=bounded_int)
    departments = list(Department.select().order_by(Department.name))
    rows = staff_list_rows(q, status, department_id)
    context = {"rows": rows, "q": q, "status": status, "department_id": department_id,
               "departments": departments, "statuses": STAFF_STATUSES}
    if htmx:
        return render_template("admin/_staff_rows.html", **context)
    return render_template("admin/staff_list.html", **context)


@bp.route("/staff/new", methods=["GET", "POST"])
def staff_new():
    """Create a staff member's profile with a new mã định danh."""
    form = NewStaffForm()
    error = None
    if request.method == "POST" and form.validate():
        year = SchoolYear.current()
        try:
            with write_transaction():
                staff = create_staff(profile_values(form, Staff), year.start_year if year else date.today().year)
        except ValueError as refused:
            error = str(refused)
        else:
            flash(f"Đã tạo hồ sơ {staff.full_name} (mã định danh {staff.code}).", "success")
            return redirect(url_for("admin.staff_detail", staff_id=staff.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/staff_new.html", form=form, error=error), status


@bp.route("/staff/<int:staff_id>")
def staff_detail(staff_id: int):
    """A staff member's profile, status history, this year's assignments, account and audit entries."""
    from models.people.accounts import User

    staff = _staff_or_404(staff_id)
    statuses = list(StaffStatus.select().where(StaffStatus.staff == staff)
                    .order_by(StaffStatus.effective_on, StaffStatus.id))
    membership = (DepartmentMember.select(DepartmentMember, Department).join(Department)
                  .where(DepartmentMember.staff == staff).first())
    year = SchoolYear.current()
    homeroom = list(SchoolClass.select().where((SchoolClass.homeroom_teacher == staff)
                                               & (SchoolClass.year == year))) if year else []
    return render_template("admin/staff_detail.html", staff=staff, labels=STAFF_LABELS, statuses=statuses,
                           membership=membership, assignments=list(assignments_of(staff)) if year else [],
                           homeroom=homeroom, account=User.get_or_none(User.staff == staff),
                           audit=_audit_rows(staff))
