"""The homeroom teacher's pages: their class list and their students' profiles."""
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.guards import homeroom_classes, own_homeroom_class
from blueprints.homeroom import bp
from blueprints.people_forms import StudentProfileForm, form_to_profile
from models.core import write_transaction
from models.health import daily
from models.health.records import alerts_for
from models.people.records import Student, update_profile
from models.rules.dates import parse_date
from models.school.structure import Enrolment, class_roster, class_size


@bp.route("/")
def home():
    """The homeroom teacher's classes with their lists."""
    classes = homeroom_classes(current_user)
    if not classes:  # an attendance delegate (giám thị) only enters attendance
        return redirect(url_for("homeroom.attendance_classes_list"))
    if len(classes) == 1:
        return redirect(url_for("homeroom.class_list", class_id=classes[0].id))
    return render_template("homeroom/home.html", classes=[(c, class_size(c)) for c in classes])


@bp.route("/class/<int:class_id>")
def class_list(class_id: int):
    """The class list in Vietnamese order; students who left are shown greyed."""
    school_class = own_homeroom_class(class_id)
    return render_template("homeroom/class_list.html", school_class=school_class,
                           roster=class_roster(school_class), size=class_size(school_class))


@bp.route("/class/<int:class_id>/student/<int:student_id>", methods=["GET", "POST"])
def student_profile(class_id: int, student_id: int):
    """Review and correct a student's profile (PTH (docs/rules.md), Điều 19.1)."""
    school_class = own_homeroom_class(class_id)
    student = Student.get_or_none(Student.id == student_id)
    if student is None or not Enrolment.select().where(
            (Enrolment.student == student) & (Enrolment.school_class == school_class)).exists():
        abort(404)
    form = StudentProfileForm(obj=student)
    error = None
    if request.method == "POST" and form.validate():
        try:
            with write_transaction():
                changed = update_profile(student, form_to_profile(form), reason="GVCN rà soát hồ sơ")
        except ValueError as refused:
            error = str(refused)
        else:
            flash("Đã lưu hồ sơ." if changed else "Không có thay đổi nào.", "success")
            return redirect(url_for("homeroom.class_list", class_id=class_id))
    status = 422 if (error or form.errors) else 200
    return render_template("homeroom/student_profile.html", form=form, student=student,
                           school_class=school_class, error=error), status
from blueprints.homeroom import (  # noqa: E402,F401
    attendance_views,
    book_views,
    class_log_views,
    conduct_views,
    family_views,
    primary_views,  # noqa: E402,F401
    yearend_views,
)


@bp.route("/class/<int:class_id>/health")
def health_alerts(class_id: int):
    """What the homeroom teacher must know of their students' health (allergies, conditions, notes), no more."""
    school_class = own_homeroom_class(class_id)
    students = [e.student for e in class_roster(school_class) if not e.has_left]
    return render_template("homeroom/health_alerts.html", school_class=school_class, alerts=alerts_for(students))


@bp.route("/class/<int:class_id>/daily-health", methods=["GET", "POST"])
def daily_health_log(class_id: int):
    """The class's daily health notes of the last week; the homeroom teacher adds one."""
    school_class = own_homeroom_class(class_id)
    roster = class_roster(school_class)
    error = None
    if request.method == "POST":
        entry = next((e for e in roster if e.student.id == request.form.get("student_id", type=int)
                      and not e.has_left), None)
        try:
            if entry is None:
                raise ValueError("Chọn học sinh của lớp.")
            daily.log_daily(school_class, entry.student, parse_date(request.form.get("day", "")),
                            request.form.get("symptom", ""), request.form.get("note", ""), current_user)
        except ValueError as refused:
            error = str(refused)
        else:
            flash(f"Đã ghi: {entry.student.full_name}.", "success")
            return redirect(url_for("homeroom.daily_health_log", class_id=class_id))
    today = date.today()
    return render_template("homeroom/daily_health.html", school_class=school_class, roster=roster, error=error,
                           rows=daily.of_class(school_class, today - timedelta(days=7)), symptoms=daily.SYMPTOMS,
                           today=today, form=request.form if error else {}), 422 if error else 200


@bp.route("/fees")
def fees_home():
    """The homeroom teacher's classes: who still owes what (read only; the accountant collects)."""
    from models.finance.payments import class_balances

    classes = homeroom_classes(current_user)
    return render_template("homeroom/fees.html", classes=[(c, class_balances(c)) for c in classes])
