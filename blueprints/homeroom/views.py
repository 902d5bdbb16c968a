"""The homeroom teacher's pages: their class list and their students' profiles."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.guards import homeroom_classes, own_homeroom_class
from blueprints.homeroom import bp
from blueprints.people_forms import StudentProfileForm, form_to_profile
from models.core import write_transaction
from models.people.records import Student, update_profile
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
    """Review and correct a student's profile (seed 000, Điều 19.1)."""
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
from blueprints.homeroom import attendance_views  # noqa: E402,F401


@bp.route("/fees")
def fees_home():
    """The homeroom teacher's classes: who still owes what (read only; the accountant collects)."""
    from models.finance.payments import class_balances

    classes = homeroom_classes(current_user)
    return render_template("homeroom/fees.html", classes=[(c, class_balances(c)) for c in classes])
