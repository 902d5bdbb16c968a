"""The head of department's monitoring of their department's grade book entry."""
from datetime import date

from flask import render_template, request
from flask_login import current_user

from blueprints.guards import need_role
from blueprints.teacher import bp
from models.gradebook import monitoring
from models.school.structure import SchoolYear


@bp.route("/department/progress")
def department_progress():
    """Entry progress of the department's subjects, against the school's deadlines (docs/rules.md §15)."""
    need_role("head_of_department")
    department = monitoring.headed_department(current_user.staff_id)
    if department is None:
        return render_template("teacher/department_progress.html", department=None, rows=[], deadlines=[],
                               semester=None, teachers=[])
    year = SchoolYear.current()
    number = request.args.get("semester", "")
    semester = monitoring.chosen_semester(year, int(number) if number.isdigit() else None)
    teachers = monitoring.teachers_of_year(year.id, department.id) if year else []
    teacher_id = request.args.get("teacher", "")
    teacher_id = int(teacher_id) if teacher_id.isdigit() and int(teacher_id) in {t.id for t in teachers} else None
    late_only = request.args.get("late") == "1"
    return render_template("teacher/department_progress.html", department=department, teachers=teachers,
                           teacher_id=teacher_id, late_only=late_only,
                           **monitoring.progress_context(semester, date.today(), department, teacher_id, late_only))
