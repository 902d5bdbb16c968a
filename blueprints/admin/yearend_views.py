"""Summer re-tests (seed 000 Điều 26): the office types each re-test mark or level; the decision after summer
is recomputed and recorded beside the first. Carrying the year forward: the placement the results propose,
reviewed by the admin before it is applied (structure_views.year_carry_forward)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.admin import bp
from blueprints.admin.structure_forms import CarryForwardForm
from blueprints.guards import refuse
from models.school.structure import SchoolClass, SchoolYear, Subject, enrolment_in
from models.yearend import approval, placement, summer


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


def carry_review_page(status: int = 200, form: CarryForwardForm | None = None, error: str | None = None,
                      checked: list[str] | None = None):
    """The proposal for the current year with a "ở lại lớp" box per student (ticked as the results say, or as
    the admin last sent them), the extra codes field and the button that carries the year forward."""
    current = SchoolYear.current()
    if current is None:
        abort(404)
    proposal = placement.propose(current)
    next_name = f"{current.start_year + 1}-{current.start_year + 2}"
    return render_template("admin/carry_review.html", proposal=proposal, current=current, next_name=next_name,
                           next_exists=SchoolYear.select().where(SchoolYear.start_year == current.start_year + 1)
                           .exists(), form=form or CarryForwardForm(formdata=None), error=error,
                           checked=set(proposal.staying_codes if checked is None else checked),
                           completes=placement.COMPLETES), status


@bp.route("/years/carry-forward/review")
def carry_review():
    """Đề xuất xếp lớp năm học mới: where each student goes by the year's results, reviewed before carrying."""
    return carry_review_page()
