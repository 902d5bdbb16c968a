"""The admin home; the admin's other pages live in one module per area, imported below."""
from flask import render_template

from blueprints.admin import bp
from models.audit.log import AuditEntry, action_label, entity_label
from models.audit_check.entities import describe
from models.people.accounts import User
from models.people.records import Staff, Student
from models.school.structure import SchoolClass, SchoolYear


@bp.route("/")
def home():
    """The admin's overview: counts and the latest changes."""
    year = SchoolYear.current()
    return render_template(
        "admin/home.html", year=year,
        class_count=SchoolClass.select().where(SchoolClass.year == year).count() if year else 0,
        student_count=Student.select().where(Student.status.in_(["dang_hoc", "chuyen_den"])).count(),
        staff_count=Staff.select().where(Staff.status == "dang_cong_tac").count(),
        account_count=User.select().where(User.is_enabled).count(),
        recent=list(AuditEntry.select().order_by(AuditEntry.id.desc()).limit(10)),
        action_label=action_label, entity_label=entity_label, describe_entity=describe,
    )


from blueprints.admin import (  # noqa: E402,F401
    account_views,
    audit_views,
    backup_views,
    calendar_views,
    family_views,
    lock_views,
    people_views,
    person_views,
    register_views,
    structure_views,
    subject_group_views,
    teaching_views,
    yearend_views,
)
