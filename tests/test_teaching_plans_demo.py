"""The demo's teaching plans, run on the small school: every state of a lesson plan, late and overdue ones, a second
version, the year plans and the minutes, all written through the audited model functions."""
from datetime import date

from models.audit.log import verify_chain
from models.core import write_transaction
from models.demo.teaching_plans import seed_demo_teaching_plans
from models.teaching.lesson_plans import LessonPlan, LessonPlanVersion
from models.teaching.minutes import DepartmentMeeting
from models.teaching.plans import DepartmentPlan, TeacherYearPlan


def test_demo_plans_in_every_state(app, school):
    today = date(2024, 12, 2)
    with app.app_context(), write_transaction():
        seed_demo_teaching_plans(school["year"], today)
    plans = list(LessonPlan.select())
    assert {p.state for p in plans} == {"draft", "submitted", "returned", "approved"}
    assert any(p.late for p in plans)
    assert any(p.overdue(today) for p in plans)
    assert LessonPlanVersion.select().where(LessonPlanVersion.number == 2).exists()
    assert LessonPlanVersion.select().where(LessonPlanVersion.file_stored.is_null(False)).exists()
    assert [m.state for m in DepartmentMeeting.select().order_by(DepartmentMeeting.meeting_date)] == [
        "closed", "closed", "agenda_sent"]
    assert TeacherYearPlan.get().state == "submitted" and DepartmentPlan.get().state == "approved"
    assert verify_chain().ok


def test_in_summer_the_demo_stays_in_the_teaching_weeks(app, school):
    with app.app_context(), write_transaction():
        seed_demo_teaching_plans(school["year"], date(2025, 7, 20))
    last = max(p.lesson_date for p in LessonPlan.select())
    assert last <= date(2025, 5, 25)  # the small school's second semester ends on 25/05/2025
