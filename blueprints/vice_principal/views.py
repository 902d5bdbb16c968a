"""The vice-principal's (and principal's) overview of classes and teachers."""
from flask import render_template

from blueprints import teaching_settings as settings
from blueprints.vice_principal import bp
from models.people.records import Staff, Student
from models.school.structure import (
    Grade,
    SchoolClass,
    SchoolYear,
    TeachingAssignment,
    class_size,
    class_sort_key,
)
from models.teaching import lesson_plans


@bp.route("/")
def home():
    """School overview: classes, students, teachers this year."""
    year = SchoolYear.current()
    classes = list(SchoolClass.select().where(SchoolClass.year == year)) if year else []
    plan_tallies = lesson_plans.tallies(year, settings.today(), settings.due_days()) if year else []
    return render_template("vice_principal/home.html", year=year, class_count=len(classes),
                           plans_late=sum(t.counts["late"] for t in plan_tallies),
                           plans_overdue=sum(t.counts["overdue"] for t in plan_tallies),
                           student_count=Student.select().where(Student.status.in_(["dang_hoc", "chuyen_den"])).count(),
                           teacher_count=Staff.select().where(Staff.status == "dang_cong_tac").count(),
                           assignment_count=(TeachingAssignment.select().join(SchoolClass)
                                             .where(SchoolClass.year == year).count() if year else 0))


@bp.route("/classes")
def classes():
    """Every class this year with its homeroom teacher and size."""
    year = SchoolYear.current()
    rows = [(c, class_size(c)) for c in SchoolClass.select(SchoolClass, Grade).join(Grade)
            .where(SchoolClass.year == year)] if year else []
    rows.sort(key=lambda r: (r[0].grade.number, class_sort_key(r[0].name)))
    return render_template("vice_principal/classes.html", rows=rows, year=year)


@bp.route("/teachers")
def teachers():
    """Teachers with their load this year."""
    year = SchoolYear.current()
    counts = {}
    if year:
        for a in TeachingAssignment.select(TeachingAssignment.teacher).join(SchoolClass).where(SchoolClass.year == year):
            counts[a.teacher_id] = counts.get(a.teacher_id, 0) + 1
    staff = [s for s in Staff.select() if s.id in counts]
    staff.sort(key=lambda s: (s.name_fold.split(" ")[-1], s.name_fold))
    return render_template("vice_principal/teachers.html", rows=[(s, counts[s.id]) for s in staff])
from blueprints.vice_principal import (  # noqa: E402,F401
    class_log_views,
    family_views,
    monitoring_views,
    teaching_views,
    yearend_views,
)
