"""The school nurse's pages: finding a student, their health record, the day's overview."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.nurse import bp
from models.health import checks, clinic, daily, records
from models.people.records import Student, search_students
from models.rules.text import vietnamese_sort_key
from models.school.calendar import page_day
from models.school.structure import current_class_of


@bp.route("/")
def home():
    """Search students by name (accent-insensitive); today's clinic visits and the stock warnings."""
    query = request.args.get("q", "")
    students = sorted(search_students(query), key=lambda s: vietnamese_sort_key(s.full_name)) if query else []
    rows = [(s, current_class_of(s)) for s in students]
    today = date.today()
    per_class, total = daily.day_counts(today)
    return render_template("nurse/home.html", query=query, rows=rows, visits_today=len(clinic.visits(today, today)),
                           warnings=clinic.warnings(today), per_class=per_class, sick_today=total,
                           outbreaks=daily.outbreaks(today))


@bp.route("/student/<int:student_id>/family-notice", methods=["POST"])
def family_notice(student_id: int):
    """A health finding told to the student's family (sent by the school's channel from the homeroom
    teacher's page of the day's notices)."""
    from models.families.notices import create_notice

    student = Student.get_or_none(Student.id == student_id)
    if student is None:
        abort(404)
    school_class = current_class_of(student)
    try:
        if school_class is None:
            raise ValueError("Học sinh không còn học ở lớp nào: không gửi thông báo được.")
        create_notice("health", school_class, [student], page_day(school_class.year), request.form.get("content", ""),
                      current_user)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash("Đã lập thông báo sức khỏe gửi gia đình; giáo viên chủ nhiệm gửi đi cùng thông báo trong ngày.",
              "success")
    return redirect(url_for("nurse.student_record", student_id=student.id))


@bp.route("/student/<int:student_id>", methods=["GET", "POST"])
def student_record(student_id: int):
    """A student's full health record: the nurse edits it; anyone else's read is audited."""
    student = Student.get_or_none(Student.id == student_id)
    if student is None:
        abort(404)
    error = None
    if request.method == "POST":
        try:
            records.save_record(student, request.form, current_user)
        except ValueError as refused:
            error = str(refused)
        else:
            flash("Đã lưu hồ sơ sức khỏe.", "success")
            return redirect(url_for("nurse.student_record", student_id=student.id))
    row = records.read_record(student, current_user) if request.method == "GET" else records.record_of(student)
    form = request.form if error else None
    return render_template("nurse/student.html", student=student, school_class=current_class_of(student),
                           record=row, form=form, error=error, fields=records.RECORD_FIELDS,
                           blood_groups=records.BLOOD_GROUPS, last=checks.last_check(student),
                           can_edit=current_user.has_role("nurse")), 422 if error else 200
