"""The teacher's lesson plans (kế hoạch bài dạy): write or upload, submit, see the head's answer; the file download."""
from datetime import timedelta

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from blueprints import teaching_settings as settings
from blueprints.guards import own_assignment, own_lesson_plan, readable_lesson_plan
from blueprints.teacher import bp
from models.rules import teaching_plans as rules
from models.rules.dates import parse_date
from models.school.structure import SchoolYear, assignments_of
from models.teaching import lesson_plans as lp


def _form_values(plan=None, version=None) -> dict:
    """The form's fields as typed (after an error) or as stored."""
    if request.method == "POST":
        return {k: request.form.get(k, "") for k in ("assignment", "lesson_date", "lesson_number", "title",
                                                      "objectives", "materials", "activities")}
    if plan is None:  # a lesson of the weekly schedule arrives with its class, day, number and title
        return {**{k: request.args.get(k, "") for k in ("assignment", "lesson_date", "lesson_number", "title")},
                "objectives": "", "materials": "", "activities": ""}
    return {"assignment": str(plan.assignment_id), "lesson_date": f"{plan.lesson_date:%d/%m/%Y}",
            "lesson_number": str(plan.lesson_number), "title": plan.title,
            "objectives": version.objectives if version else "", "materials": version.materials if version else "",
            "activities": version.activities if version else ""}


def _parse(plan=None):
    """(assignment, lesson date, number, title, content) from the posted form; ValueError in Vietnamese."""
    form = request.form
    assignment_id = form.get("assignment", "")
    if plan is not None:
        assignment = plan.assignment
    elif assignment_id.isdigit():
        assignment = own_assignment(int(assignment_id))
    else:
        raise ValueError("Hãy chọn lớp và môn.")
    lesson_date = parse_date(form.get("lesson_date", "").strip())
    number = form.get("lesson_number", "").strip()
    if not number.isdigit():
        raise ValueError("Số tiết theo PPCT phải là một số nguyên (ví dụ 12).")
    upload = request.files.get("plan_file")
    plan_file = None
    if upload is not None and upload.filename:
        plan_file = lp.check_file(upload.read(settings.max_bytes() + 1), upload.filename, settings.max_bytes())
    content = lp.PlanContent(plan_file, form.get("objectives", ""), form.get("materials", ""),
                             form.get("activities", ""))
    return assignment, lesson_date, int(number), form.get("title", ""), content


def _revision() -> int | None:
    text = request.form.get("revision", "")
    return int(text) if text.isdigit() else None


@bp.route("/lesson-plans")
def lesson_plans():
    """The teacher's plans of the year: state, due day, late, the head's comment; next week's scheduled lessons
    without a plan yet."""
    year = SchoolYear.current()
    staff = current_user.staff if year and current_user.staff_id else None
    plans = lp.plans_of_teacher(staff.id, year) if staff else []
    next_week = settings.today() + timedelta(days=7)
    unplanned = lp.unplanned_lessons(staff, year, next_week) if staff else []
    return render_template("teacher/lesson_plans.html", plans=plans, unplanned=unplanned, today=settings.today(),
                           due_days=settings.due_days())


@bp.route("/lesson-plans/new", methods=["GET", "POST"])
def lesson_plan_new():
    """A new plan: a file or the short form; saved as a draft or submitted at once."""
    year = SchoolYear.current()
    assignments = list(assignments_of(current_user.staff_id, year)) if year and current_user.staff_id else []
    error, status = None, 200
    if request.method == "POST":
        try:
            assignment, lesson_date, number, title, content = _parse()
            plan = lp.save(assignment, lesson_date, number, title, content, current_app.config["UPLOAD_DIR"],
                           submit=request.form.get("action") == "submit", due_days=settings.due_days(),
                           now=settings.now())
            return redirect(url_for("teacher.lesson_plan", plan_id=plan.id))
        except ValueError as e:
            error, status = str(e), 422
    return render_template("teacher/lesson_plan_form.html", plan=None, version=None, assignments=assignments,
                           values=_form_values(), error=error, due_days=settings.due_days(),
                           max_mb=settings.max_bytes() // (1024 * 1024)), status


@bp.route("/lesson-plans/<int:plan_id>", methods=["GET", "POST"])
def lesson_plan(plan_id: int):
    """One plan: its state, the head's comment, its versions; rewritten (a new version after a return) or submitted."""
    plan = own_lesson_plan(plan_id)
    error, status = None, 200
    if request.method == "POST":
        try:
            if request.form.get("action") == "submit_only":
                lp.submit(plan, _revision(), due_days=settings.due_days(), now=settings.now())
            else:
                _, lesson_date, number, title, content = _parse(plan)
                lp.save(plan.assignment, lesson_date, number, title, content, current_app.config["UPLOAD_DIR"],
                        plan=plan, revision=_revision(), submit=request.form.get("action") == "submit",
                        due_days=settings.due_days(), now=settings.now())
            return redirect(url_for("teacher.lesson_plan", plan_id=plan.id))
        except lp.Conflict as e:
            error, status = str(e), 409
        except ValueError as e:
            error, status = str(e), 422
        plan = own_lesson_plan(plan_id)
    version = lp.current_version(plan)
    return render_template("teacher/lesson_plan.html", plan=plan, version=version, versions=lp.versions_of(plan),
                           values=_form_values(plan, version), error=error, today=settings.today(),
                           due_days=settings.due_days(), max_mb=settings.max_bytes() // (1024 * 1024),
                           editable=plan.state in (rules.DRAFT, rules.RETURNED)), status


@bp.route("/lesson-plans/<int:plan_id>/versions/<int:number>/file")
def lesson_plan_file(plan_id: int, number: int):
    """A version's file, as stored (its teacher or the head of its department)."""
    plan = readable_lesson_plan(plan_id)
    version = next((v for v in lp.versions_of(plan) if v.number == number), None)
    path = lp.file_path(version, current_app.config["UPLOAD_DIR"]) if version else None
    if path is None:
        abort(404)
    return send_file(path, mimetype=version.file_type, download_name=version.file_name, as_attachment=True)
