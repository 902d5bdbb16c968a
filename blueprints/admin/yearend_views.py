"""Summer re-tests (seed 000 Điều 26): the office types each re-test mark or level; the decision after summer
is recomputed and recorded beside the first."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.admin import bp
from blueprints.guards import refuse
from models.school.structure import SchoolClass, SchoolYear, Subject, enrolment_in
from models.yearend import approval, summer


@bp.route("/year-end/retests")
def retests():
    """The students to re-test this summer, with a field per subject."""
    year_id = request.args.get("year", type=int)
    year = SchoolYear.get_or_none(SchoolYear.id == year_id) if year_id else approval.year_to_review()
    if year is None:
        abort(404)
    subjects = {s.name: s for s in Subject.select()}
    staying, pending = summer.proposed_staying(year)
    return render_template("admin/retests.html", year=year, rows=summer.retest_students(year), subjects=subjects,
                           staying=staying, pending=pending,
                           years=list(SchoolYear.select().order_by(SchoolYear.start_year.desc())))


@bp.route("/year-end/retests/<int:class_id>", methods=["POST"])
def retest_save(class_id: int):
    """Save one re-test mark (or level)."""
    school_class = SchoolClass.get_or_none(SchoolClass.id == class_id)
    subject = Subject.get_or_none(Subject.id == request.form.get("subject_id", type=int))
    if school_class is None or subject is None:
        abort(404)
    enrolment = enrolment_in(school_class.id, request.form.get("student_id", type=int) or 0)
    if enrolment is None:
        refuse("school_class", school_class.id, "học sinh không thuộc lớp")
    try:
        value = summer.save_retest(school_class, enrolment.student, subject, request.form.get("value", ""),
                                   current_user)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã lưu điểm kiểm tra lại môn {subject.name} của {enrolment.student.full_name}: "
              f"{value.replace('.', ',')}.", "success")
    return redirect(url_for("admin.retests", year=school_class.year_id), 303)
