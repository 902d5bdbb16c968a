"""The head of department's review of the department's lesson plans, week by week."""
from datetime import date

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from blueprints import teaching_settings as settings
from blueprints.guards import need_role, reviewable_lesson_plan
from blueprints.teacher import bp
from models.gradebook.monitoring import headed_department
from models.people.records import Staff
from models.rules import teaching_plans as rules
from models.rules.dates import parse_date
from models.school.structure import SchoolYear
from models.teaching import lesson_plans as lp


def chosen_week(weeks: list[date], waiting: list[date], today: date) -> date:
    """The week asked for (?week=dd/mm/yyyy), else the first week with plans waiting for review, else this week if it
    holds plans, else the latest week with plans before it."""
    asked = request.args.get("week", "")
    if asked:
        try:
            return rules.week_start(parse_date(asked))
        except ValueError:
            pass
    if waiting:
        return min(waiting)
    this_week = rules.week_start(today)
    if this_week in weeks or not weeks:
        return this_week
    earlier = [w for w in weeks if w <= this_week]
    return earlier[-1] if earlier else weeks[0]


@bp.route("/department/lesson-plans")
def department_lesson_plans():
    """The department's plans of one week, and per teacher the year's counts (late, missing)."""
    need_role("head_of_department")
    department = headed_department(current_user.staff_id)
    year = SchoolYear.current()
    today = settings.today()
    if department is None or year is None:
        return render_template("teacher/department_lesson_plans.html", department=None)
    weeks = lp.weeks_with_plans(department, year)
    week = chosen_week(weeks, lp.weeks_with_plans(department, year, rules.SUBMITTED), today)
    plans = lp.plans_of_department(department, year, week)
    return render_template("teacher/department_lesson_plans.html", department=department, week=week,
                           waiting_weeks=lp.weeks_with_plans(department, year, rules.SUBMITTED),
                           week_label=rules.week_label(week), weeks=weeks, plans=plans, today=today,
                           due_days=settings.due_days(), tallies=lp.tallies(year, today, settings.due_days(), department),
                           rules=rules)


@bp.route("/department/lesson-plans/<int:plan_id>", methods=["GET", "POST"])
def review_lesson_plan(plan_id: int):
    """One plan of the department: read the form or download the file, approve or return with a comment."""
    need_role("head_of_department")
    plan = reviewable_lesson_plan(plan_id)
    error, status = None, 200
    if request.method == "POST":
        revision = request.form.get("revision", "")
        try:
            lp.review(plan, request.form.get("action", ""), request.form.get("comment", ""),
                      Staff.get_by_id(current_user.staff_id), int(revision) if revision.isdigit() else None,
                      now=settings.now())
            return redirect(url_for("teacher.department_lesson_plans",
                                    week=f"{rules.week_start(plan.lesson_date):%d/%m/%Y}"))
        except lp.Conflict as e:
            error, status = str(e), 409
        except ValueError as e:
            error, status = str(e), 422
        plan = reviewable_lesson_plan(plan_id)
    return render_template("teacher/review_lesson_plan.html", plan=plan, version=lp.current_version(plan),
                           versions=lp.versions_of(plan), error=error, comment=request.form.get("comment", ""),
                           today=settings.today(), due_days=settings.due_days(),
                           week=f"{rules.week_start(plan.lesson_date):%d/%m/%Y}"), status
