"""The teaching records of a year in its archive (issue #16 part B): every uploaded lesson plan file as stored (all
versions, not re-rendered) with its approval in the manifest entry, one JSON of every plan and version (the written
ones included) with the head of department's answers, the year plans, and each department's minutes book as PDF."""
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from models.printing import minutes_book
from models.printing.renderer import ascii_name, render_pdf
from models.rules.teaching_plans import state_label
from models.school.structure import Department, SchoolClass, SchoolYear, Subject, TeachingAssignment
from models.teaching import lesson_plans, minutes, plans

FOLDER = "ke-hoach-bai-day"
MINUTES_FOLDER = "so-sinh-hoat-chuyen-mon"


def _slug(text: str) -> str:
    return ascii_name(text).replace(" ", "-")


def _versions(year: SchoolYear):
    return (lesson_plans.LessonPlanVersion.select(lesson_plans.LessonPlanVersion, lesson_plans.LessonPlan,
                                                  TeachingAssignment, SchoolClass, Subject)
            .join(lesson_plans.LessonPlan).join(TeachingAssignment).join(SchoolClass)
            .switch(TeachingAssignment).join(Subject)
            .where(SchoolClass.year == year)
            .order_by(lesson_plans.LessonPlan.lesson_date, lesson_plans.LessonPlan.id, lesson_plans.LessonPlanVersion.number))


def _record(version) -> dict:
    plan = version.plan
    a = plan.assignment
    return {"plan": plan.id, "teacher": a.teacher.full_name, "class": a.school_class.name, "subject": a.subject.name,
            "lesson_date": plan.lesson_date.isoformat(), "lesson_number": plan.lesson_number, "title": plan.title,
            "version": version.number, "submitted_at": version.submitted_at.isoformat() if version.submitted_at else None,
            "late": plan.late if version.number == 1 else False,
            "outcome": state_label(version.outcome) if version.outcome else "",
            "reviewed_by": version.reviewed_by.full_name if version.reviewed_by_id else "",
            "reviewed_at": version.reviewed_at.isoformat() if version.reviewed_at else None,
            "comment": version.comment, "file": version.file_name or "", "sha256": version.sha256 or ""}


def teaching_files(year: SchoolYear, upload_dir: str) -> Iterator[tuple[str, bytes | None, dict]]:
    """(path in the ZIP, bytes or None when the stored file is missing, extra manifest fields), in a stable order."""
    records = []
    for version in _versions(year):
        entry = _record(version)
        records.append({**entry, "objectives": version.objectives, "materials": version.materials,
                        "activities": version.activities, "state_now": state_label(version.plan.state)})
        if not version.file_stored:
            continue
        plan = version.plan
        name = (f"{FOLDER}/{_slug(plan.assignment.teacher.full_name)}/{plan.lesson_date:%Y-%m-%d}_"
                f"{_slug(plan.assignment.school_class.name)}_{_slug(plan.assignment.subject.name)}_tiet{plan.lesson_number}"
                f"_lan{version.number}.{Path(version.file_stored).suffix.lstrip('.')}")
        path = lesson_plans.file_path(version, upload_dir)
        data = path.read_bytes() if path else None
        extra = {"lesson_plan": entry}
        if data is None:
            extra["missing"] = True
        elif hashlib.sha256(data).hexdigest() != version.sha256:
            extra["sha256_at_upload"] = version.sha256  # the stored file changed since it was uploaded
        yield name, data, extra
    yield f"{FOLDER}/ke-hoach-bai-day.json", json.dumps(records, ensure_ascii=False, indent=2).encode(), {}
    year_plans = [{"teacher": p.staff.full_name, "state": p.state_label, "situation": p.situation, "targets": p.targets,
                   "measures": p.measures, "emulation_title": p.emulation_title, "comment": p.comment,
                   "confirmed_by": p.reviewed_by.full_name if p.reviewed_by_id else ""}
                  for p in plans.TeacherYearPlan.select().where(plans.TeacherYearPlan.year == year)]
    department_plans = [{"department": p.department.name, "subject": p.subject.name, "state": p.state_label,
                         "content": p.content, "comment": p.comment,
                         "approved_by": p.reviewed_by.full_name if p.reviewed_by_id else ""}
                        for p in plans.DepartmentPlan.select().where(plans.DepartmentPlan.year == year)]
    yield "ke-hoach-giao-duc.json", json.dumps({"teachers": year_plans, "departments": department_plans},
                                                ensure_ascii=False, indent=2).encode(), {}
    for department in Department.select().order_by(Department.name):
        if any(m.state == minutes.CLOSED for m in minutes.meetings_of(department, year)):
            book = minutes_book.build(department, year)
            yield (f"{MINUTES_FOLDER}/{_slug(department.name)}.pdf", render_pdf("print/minutes_book.html", book=book),
                   {"meetings": len(book.meetings)})
