"""The year's plans: the teacher's education plan, confirmed by the head of department; the department's plan
per subject, written by the head and sent to the principal."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.guards import allow, headed_department_or_refuse, reviewable_year_plan
from blueprints.teacher import bp
from models.people.records import Staff
from models.school.structure import SchoolYear, Subject
from models.teaching import plans
from models.teaching.lesson_plans import Conflict


def _revision() -> int | None:
    text = request.form.get("revision", "")
    return int(text) if text.isdigit() else None


def _year() -> SchoolYear:
    year = SchoolYear.current()
    if year is None:
        abort(404)
    return year


@bp.route("/year-plan", methods=["GET", "POST"])
def year_plan():
    """Kế hoạch giáo dục của giáo viên: written at the start of the year, submitted to the head of department."""
    allow(current_user.staff_id is not None, "tài khoản không gắn với cán bộ, giáo viên")
    year = _year()
    plan = plans.teacher_plan(current_user.staff_id, year)
    error, status = None, 200
    if request.method == "POST":
        try:
            plans.save_teacher_plan(Staff.get_by_id(current_user.staff_id), year, request.form, _revision(),
                                    submit=request.form.get("action") == "submit")
            return redirect(url_for("teacher.year_plan"))
        except Conflict as e:
            error, status = str(e), 409
        except ValueError as e:
            error, status = str(e), 422
    values = request.form if request.method == "POST" else {
        k: getattr(plan, k) if plan else "" for k in (*plans.TEACHER_FIELDS, "emulation_title")}
    return render_template("teacher/year_plan.html", plan=plan, year=year, values=values, error=error,
                           fields=plans.TEACHER_FIELDS, titles=plans.EMULATION_TITLES,
                           editable=plan is None or plan.state in ("draft", "returned")), status


@bp.route("/department/year-plans")
def department_year_plans():
    """The head's page of the year's plans: each member's plan, and the department's plan of each subject."""
    department = headed_department_or_refuse()
    year = _year()
    return render_template("teacher/department_year_plans.html", department=department, year=year,
                           teacher_plans=plans.teacher_plans_of_department(department, year),
                           subject_plans=plans.department_plans(department, year))


@bp.route("/department/year-plans/<int:plan_id>", methods=["GET", "POST"])
def review_year_plan(plan_id: int):
    """A member's year plan: the head confirms it or returns it with a comment."""
    headed_department_or_refuse()
    plan = reviewable_year_plan(plan_id)
    error, status = None, 200
    if request.method == "POST":
        try:
            plans.review_teacher_plan(plan, request.form.get("action", ""), request.form.get("comment", ""),
                                      Staff.get_by_id(current_user.staff_id), _revision())
            return redirect(url_for("teacher.department_year_plans"))
        except Conflict as e:
            error, status = str(e), 409
        except ValueError as e:
            error, status = str(e), 422
        plan = reviewable_year_plan(plan_id)
    return render_template("teacher/review_year_plan.html", plan=plan, fields=plans.TEACHER_FIELDS, error=error,
                           comment=request.form.get("comment", "")), status


@bp.route("/department/subject-plans/<int:subject_id>", methods=["GET", "POST"])
def department_subject_plan(subject_id: int):
    """The department's plan of one of its subjects: written by the head, submitted to the principal."""
    department = headed_department_or_refuse()
    subject = Subject.get_or_none(Subject.id == subject_id)
    if subject is None or subject.department_id != department.id:
        abort(404)
    year = _year()
    plan = plans.department_plan(department, subject, year)
    error, status = None, 200
    if request.method == "POST":
        try:
            plans.save_department_plan(department, subject, year, request.form.get("content", ""),
                                       Staff.get_by_id(current_user.staff_id), _revision(),
                                       submit=request.form.get("action") == "submit")
            return redirect(url_for("teacher.department_year_plans"))
        except Conflict as e:
            error, status = str(e), 409
        except ValueError as e:
            error, status = str(e), 422
    content = request.form.get("content", "") if request.method == "POST" else (plan.content if plan else "")
    return render_template("teacher/department_subject_plan.html", department=department, subject=subject,
                           year=year, plan=plan, content=content, error=error,
                           editable=plan is None or plan.state in ("draft", "returned")), status
