"""The subject teacher's pages: their teaching assignments; the head of department's department."""
from flask import render_template
from flask_login import current_user

from blueprints.guards import allow
from blueprints.teacher import bp
from models.gradebook.marks import semester_today
from models.people.records import Staff
from models.school.structure import (
    DepartmentMember,
    SchoolYear,
    TeachingAssignment,
    assignments_of,
    class_size,
)


@bp.route("/")
def home():
    """The classes and subjects this teacher teaches this year."""
    year = SchoolYear.current()
    rows = []
    if current_user.staff_id is not None:
        for assignment in assignments_of(current_user.staff_id, year):
            rows.append((assignment, class_size(assignment.school_class)))
    semester = semester_today(year) if rows else None
    return render_template("teacher/home.html", rows=rows, year=year, semester=semester)


@bp.route("/department")
def department():
    """The head of department's view of their department's teachers and assignments."""
    allow(current_user.has_role("head_of_department") and current_user.staff_id is not None,
          "không phải tổ trưởng chuyên môn")
    membership = DepartmentMember.get_or_none((DepartmentMember.staff == current_user.staff_id)
                                              & DepartmentMember.is_head)
    if membership is None:
        return render_template("teacher/department.html", department=None, teachers=[])
    year = SchoolYear.current()
    teachers = []
    members = (Staff.select().join(DepartmentMember)
               .where(DepartmentMember.department == membership.department))
    for staff in sorted(members, key=lambda s: s.name_fold.split(" ")[-1:] + s.name_fold.split(" ")):
        load = list(assignments_of(staff, year))
        # Số lớp: classes, not class × subject assignments (Toán and Tin in 6A1 is one class)
        teachers.append((staff, load, len({a.school_class_id for a in load})))
    from blueprints import teaching_settings as settings
    from models.teaching.lesson_plans import tallies

    plan_tallies = [t for t in tallies(year, settings.today(), settings.due_days(), membership.department)
                    if t.counts["late"] or t.counts["overdue"]] if year else []
    return render_template("teacher/department.html", department=membership.department, teachers=teachers,
                           assignment_count=TeachingAssignment.select().count(), tallies=plan_tallies)
from blueprints.teacher import (  # noqa: E402,F401
    comment_views,
    department_views,
    family_views,
    gradebook_views,
    lesson_plan_views,
    minutes_views,
    plan_review_views,
    primary_views,  # noqa: E402,F401
    teaching_views,
    year_plan_views,
)
