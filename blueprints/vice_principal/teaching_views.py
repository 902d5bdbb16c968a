"""The vice-principal's and principal's view of lesson plans across the school."""
from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from blueprints import teaching_settings as settings
from blueprints.guards import principal_only
from blueprints.vice_principal import bp
from models.people.records import Staff
from models.school.structure import SchoolYear
from models.teaching import lesson_plans as lp
from models.teaching import plans
from models.teaching.lesson_plans import Conflict


@bp.route("/lesson-plans")
def lesson_plans():
    """Per teacher, grouped by department: the year's lesson plans by state, late ones and overdue (missing) ones;
    with ?teacher=<id>, that teacher's plans."""
    year = SchoolYear.current()
    tallies = lp.tallies(year, settings.today(), settings.due_days()) if year else []
    flagged = [t for t in tallies if t.counts["late"] or t.counts["overdue"]]
    teacher_id = request.args.get("teacher", "")
    teacher = next((t.staff for t in tallies if str(t.staff.id) == teacher_id), None)
    return render_template("vice_principal/lesson_plans.html", year=year, tallies=tallies, flagged=flagged,
                           due_days=settings.due_days(), teacher=teacher, today=settings.today(),
                           plans=lp.plans_of_teacher(teacher.id, year) if teacher else [])


@bp.route("/lesson-plans/<int:plan_id>")
def lesson_plan(plan_id: int):
    """One lesson plan, read only: its content, versions and the head of department's answers."""
    plan = lp.get_plan(plan_id)
    if plan is None:
        abort(404)
    return render_template("vice_principal/lesson_plan.html", plan=plan, version=lp.current_version(plan),
                           versions=lp.versions_of(plan), today=settings.today(), due_days=settings.due_days(),
                           file_endpoint="vice_principal.lesson_plan_file")


@bp.route("/lesson-plans/<int:plan_id>/versions/<int:number>/file")
def lesson_plan_file(plan_id: int, number: int):
    """A version's file as stored: the vice-principals and the principal read every plan."""
    plan = lp.get_plan(plan_id)
    version = next((v for v in lp.versions_of(plan) if v.number == number), None) if plan else None
    path = lp.file_path(version, current_app.config["UPLOAD_DIR"]) if version else None
    if path is None:
        abort(404)
    return send_file(path, mimetype=version.file_type, download_name=version.file_name, as_attachment=True)


@bp.route("/department-plans")
def department_plans():
    """Every department's plan per subject; the principal approves, the vice-principals read."""
    year = SchoolYear.current()
    return render_template("vice_principal/department_plans.html", year=year,
                           rows=plans.plans_for_principal(year) if year else [])


@bp.route("/department-plans/<int:plan_id>", methods=["GET", "POST"])
def department_plan(plan_id: int):
    """One department's plan of a subject; the principal approves it or returns it with a comment."""
    plan = plans.DepartmentPlan.get_or_none(plans.DepartmentPlan.id == plan_id)
    if plan is None:
        abort(404)
    error, status = None, 200
    if request.method == "POST":
        principal_only("department_plan", plan.id, "chỉ hiệu trưởng duyệt kế hoạch giáo dục của tổ")
        revision = request.form.get("revision", "")
        try:
            plans.review_department_plan(plan, request.form.get("action", ""), request.form.get("comment", ""),
                                         Staff.get_by_id(current_user.staff_id),
                                         int(revision) if revision.isdigit() else None)
            return redirect(url_for("vice_principal.department_plans"))
        except Conflict as e:
            error, status = str(e), 409
        except ValueError as e:
            error, status = str(e), 422
        plan = plans.DepartmentPlan.get_by_id(plan_id)
    return render_template("vice_principal/department_plan.html", plan=plan, error=error,
                           comment=request.form.get("comment", ""),
                           may_decide=current_user.has_role("principal")), status
