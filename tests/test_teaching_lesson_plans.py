"""Lesson plans through the pages: the teacher uploads or writes, submits; the head of department approves or
returns with a comment; a returned plan is sent again as a new version; counts of late and missing plans."""
import hashlib
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from models.audit.log import AuditEntry
from models.teaching.lesson_plans import LessonPlan, LessonPlanVersion
from tests.test_rules_teaching_plans import DOCX

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date(2024, 12, 2)  # inside the small school's year, whatever the machine's clock says


@pytest.fixture(autouse=True)
def _the_day(monkeypatch):
    from blueprints import teaching_settings

    monkeypatch.setattr(teaching_settings, "now", lambda: datetime(2024, 12, 2, 10, 0))


def _new(auth, school, data=None, **overrides):
    lesson = TODAY + timedelta(days=14)
    form = {"assignment": str(school["assignment"].id), "lesson_date": lesson.strftime("%d/%m/%Y"),
            "lesson_number": "12", "title": "Phép cộng phân số", "objectives": "", "materials": "",
            "activities": "", "action": "submit"}
    form.update(overrides)
    if data is not None:
        form["plan_file"] = (io.BytesIO(data), "ke-hoach.pdf")
    return auth.post("/teacher/lesson-plans/new", data=form, content_type="multipart/form-data")


def _revision(client, url) -> str:
    return re.search(r'name="revision" value="(\d+)"', client.get(url).get_data(as_text=True)).group(1)


def test_upload_return_new_version_approve(app, client, login_as, school):
    auth = login_as("giaovien")
    resp = _new(auth, school, PDF)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    plan = LessonPlan.get()
    assert plan.state == "submitted" and plan.version == 1 and not plan.late
    v1 = LessonPlanVersion.get(LessonPlanVersion.plan == plan)
    assert v1.file_type == "application/pdf" and v1.sha256 == hashlib.sha256(PDF).hexdigest()
    stored = Path(app.config["UPLOAD_DIR"]) / "lesson_plans" / v1.file_stored
    assert stored.read_bytes() == PDF
    # the head reads it in the department's week and returns it with a comment
    auth.logout()
    auth = login_as("totruong")
    week = client.get(f"/teacher/department/lesson-plans?week={plan.lesson_date:%d/%m/%Y}").get_data(as_text=True)
    assert "Phép cộng phân số" in week and "Đã nộp" in week
    assert re.search(r"Duyệt kế hoạch bài dạy\s*<span[^>]*>1</span>", week)  # the menu's badge
    assert client.get(f"/teacher/lesson-plans/{plan.id}/versions/1/file").data == PDF
    url = f"/teacher/department/lesson-plans/{plan.id}"
    resp = auth.post(url, data={"action": "return", "comment": "", "revision": _revision(client, url)})
    assert resp.status_code == 422 and "ghi ý kiến" in resp.get_data(as_text=True)
    resp = auth.post(url, data={"action": "return", "comment": "Thiếu hoạt động khởi động.",
                                "revision": _revision(client, url)})
    assert resp.status_code == 302
    assert LessonPlan.get_by_id(plan.id).state == "returned"
    # the teacher sees the comment and sends a new version (a DOCX); the first is kept
    auth.logout()
    auth = login_as("giaovien")
    page = client.get(f"/teacher/lesson-plans/{plan.id}").get_data(as_text=True)
    assert "Thiếu hoạt động khởi động." in page and "Bị trả lại" in page
    rev = _revision(client, f"/teacher/lesson-plans/{plan.id}")
    resp = auth.post(f"/teacher/lesson-plans/{plan.id}", content_type="multipart/form-data", data={
        "lesson_date": plan.lesson_date.strftime("%d/%m/%Y"), "lesson_number": "12", "title": "Phép cộng phân số",
        "plan_file": (io.BytesIO(DOCX), "ke-hoach-2.docx"), "revision": rev, "action": "submit"})
    assert resp.status_code == 302
    plan = LessonPlan.get_by_id(plan.id)
    assert plan.state == "submitted" and plan.version == 2
    versions = {v.number: v for v in LessonPlanVersion.select().where(LessonPlanVersion.plan == plan)}
    assert versions[1].outcome == "returned" and versions[1].comment == "Thiếu hoạt động khởi động."
    assert versions[1].sha256 == hashlib.sha256(PDF).hexdigest()
    assert versions[2].file_type.endswith("wordprocessingml.document") and versions[2].outcome == ""
    auth.logout()
    auth = login_as("totruong")
    resp = auth.post(url, data={"action": "approve", "comment": "", "revision": _revision(client, url)})
    assert resp.status_code == 302
    assert LessonPlan.get_by_id(plan.id).state == "approved"
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.entity == "lesson_plan")
               .order_by(AuditEntry.id)]
    assert actions == ["create", "submit", "return", "update", "submit", "approve"]


def test_a_lesson_outside_the_school_year_is_refused(client, login_as, school):
    auth = login_as("giaovien")
    resp = _new(auth, school, PDF, lesson_date="01/08/2025")
    assert resp.status_code == 422 and "không thuộc năm học của lớp (05/09/2024 – 25/05/2025)" in resp.get_data(
        as_text=True)
    assert LessonPlan.select().count() == 0


def test_a_file_is_checked_by_its_content(client, login_as, school):
    auth = login_as("giaovien")
    resp = _new(auth, school, b"\x89PNG\r\n\x1a\nnot a plan")
    assert resp.status_code == 422 and "PDF, DOCX hoặc ODT" in resp.get_data(as_text=True)
    assert LessonPlan.select().count() == 0


def test_the_written_form_and_its_minimum(client, login_as, school):
    auth = login_as("giaovien")
    resp = _new(auth, school, objectives="Cộng được hai phân số.")
    assert resp.status_code == 422 and "chưa có nội dung" in resp.get_data(as_text=True)
    assert LessonPlan.select().count() == 0
    resp = _new(auth, school, objectives="Cộng được hai phân số.", activities="1. Khởi động\n2. Luyện tập")
    assert resp.status_code == 302
    version = LessonPlanVersion.get()
    assert version.activities == "1. Khởi động\n2. Luyện tập" and version.file_stored is None


def test_late_when_submitted_after_the_due_day(client, login_as, school):
    auth = login_as("giaovien")
    resp = _new(auth, school, PDF, lesson_date=(TODAY + timedelta(days=3)).strftime("%d/%m/%Y"))
    assert resp.status_code == 302
    assert LessonPlan.get().late


def test_a_stale_page_cannot_overwrite(client, login_as, school):
    auth = login_as("giaovien")
    _new(auth, school, PDF, action="draft")
    plan = LessonPlan.get()
    url = f"/teacher/lesson-plans/{plan.id}"
    rev = _revision(client, url)
    form = {"lesson_date": plan.lesson_date.strftime("%d/%m/%Y"), "lesson_number": "12", "title": "Bản A",
            "revision": rev, "action": "draft"}
    assert auth.post(url, data=form, content_type="multipart/form-data").status_code == 302
    resp = auth.post(url, data={**form, "title": "Bản B"}, content_type="multipart/form-data")
    assert resp.status_code == 409 and "vừa được người khác thay đổi" in resp.get_data(as_text=True)
    assert LessonPlan.get_by_id(plan.id).title == "Bản A"


def test_others_cannot_reach_a_plan(client, login_as, school):
    auth = login_as("giaovien")
    _new(auth, school, PDF)
    plan = LessonPlan.get()
    auth.logout()
    login_as("chunhiem")  # another teacher, not the head of its department
    assert client.get(f"/teacher/lesson-plans/{plan.id}").status_code == 403
    assert client.get(f"/teacher/lesson-plans/{plan.id}/versions/1/file").status_code == 403
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert entry.action == "refused" and entry.entity == "lesson_plan" and entry.entity_id == str(plan.id)
    assert client.get(f"/teacher/department/lesson-plans/{plan.id}").status_code == 403


def test_a_teacher_cannot_plan_for_anothers_class(client, login_as, school):
    auth = login_as("chunhiem")
    resp = _new(auth, school, PDF)  # giaovien's assignment
    assert resp.status_code == 403
    assert LessonPlan.select().count() == 0


def test_missing_and_late_show_per_teacher(client, login_as, school):
    from models.core import write_transaction

    auth = login_as("giaovien")
    _new(auth, school, PDF, action="draft")
    with write_transaction():  # its lesson came and went: the draft is overdue
        LessonPlan.update(lesson_date=TODAY - timedelta(days=1)).execute()
    auth.logout()
    login_as("totruong")
    html = client.get("/teacher/department/lesson-plans").get_data(as_text=True)
    row = re.search(r"Giáo Viên Giaovien</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">(\d+)<", row)[-1] == "1"  # quá hạn chưa nộp
    assert "Quá hạn nộp" in html
    department = client.get("/teacher/department").get_data(as_text=True)
    warnings = department[department.index('id="plan-warnings"'):]
    assert "Giáo Viên Giaovien" in warnings


def test_settings_change_the_due_day(app, client, login_as, school):
    app.config["LESSON_PLAN_DUE_DAYS"] = 2
    auth = login_as("giaovien")
    _new(auth, school, PDF, lesson_date=(TODAY + timedelta(days=3)).strftime("%d/%m/%Y"))
    assert not LessonPlan.get().late  # submitted three days ahead: on time under a 2-day rule


def test_the_vice_principal_sees_counts_per_teacher(client, login_as, school):
    from models.core import write_transaction

    auth = login_as("giaovien")
    _new(auth, school, PDF, lesson_date=(TODAY + timedelta(days=2)).strftime("%d/%m/%Y"))  # late
    _new(auth, school, PDF, action="draft", lesson_number="13")
    with write_transaction():
        LessonPlan.update(lesson_date=TODAY - timedelta(days=1)).where(LessonPlan.lesson_number == 13).execute()
    auth.logout()
    login_as("phohieutruong")
    html = client.get("/vice-principal/lesson-plans").get_data(as_text=True)
    row = re.search(r"<td>Tổ Toán – Tin học</td>\s*<td><a [^>]*>Giáo Viên Giaovien</a></td>(.*?)</tr>", html,
                    re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["2", "1", "1", "0", "0", "1", "1"]
    assert ">1 / 1<" in client.get("/vice-principal/").get_data(as_text=True)


def test_the_board_reads_any_plan(client, login_as, school):
    auth = login_as("giaovien")
    _new(auth, school, PDF)
    plan = LessonPlan.get()
    auth.logout()
    login_as("hieutruong")
    teacher = school["staff"]["giaovien"]
    listing = client.get(f"/vice-principal/lesson-plans?teacher={teacher.id}").get_data(as_text=True)
    assert f"/vice-principal/lesson-plans/{plan.id}" in listing
    page = client.get(f"/vice-principal/lesson-plans/{plan.id}").get_data(as_text=True)
    assert "Phép cộng phân số" in page and "Duyệt</button>" not in page  # read only
    assert client.get(f"/vice-principal/lesson-plans/{plan.id}/versions/1/file").data == PDF


def test_next_weeks_scheduled_lessons_without_a_plan_are_listed_to_write(app, client, login_as, school):
    """The teacher's page lists the coming week's lessons of the lịch báo giảng that have no plan; "Soạn" opens
    the form filled with the lesson; once planned, the lesson leaves the list."""
    from models.core import write_transaction
    from models.demo.teaching import seed_timetable_and_ppct
    from models.teaching import lesson_plans as lp

    with write_transaction():
        seed_timetable_and_ppct(school["year"])
    giaovien = school["staff"]["giaovien"]
    unplanned = lp.unplanned_lessons(giaovien, school["year"], TODAY + timedelta(days=7))
    assert unplanned and all(u.lesson.day >= date(2024, 12, 9) and u.assignment.teacher_id == giaovien.id
                             for u in unplanned)
    first = unplanned[0]
    auth = login_as("giaovien")
    page = client.get("/teacher/lesson-plans").get_data(as_text=True)
    assert "Tiết tuần tới chưa có kế hoạch" in page and first.lesson.title in page
    form = client.get(f"/teacher/lesson-plans/new?assignment={first.assignment.id}"
                      f"&lesson_date={first.lesson.day:%d/%m/%Y}&lesson_number={first.lesson.lesson_no}"
                      f"&title={first.lesson.title}").get_data(as_text=True)
    assert f'value="{first.lesson.day:%d/%m/%Y}"' in form
    resp = _new(auth, school, PDF, assignment=str(first.assignment.id), lesson_date=f"{first.lesson.day:%d/%m/%Y}",
                lesson_number=str(first.lesson.lesson_no), title=first.lesson.title)
    assert resp.status_code == 302
    left = lp.unplanned_lessons(giaovien, school["year"], TODAY + timedelta(days=7))
    assert len(left) == len(unplanned) - 1 and first.lesson not in [u.lesson for u in left]
