"""The year's plans: the teacher's education plan confirmed by the head of department, the department's plan per
subject approved by the principal (and only by the principal)."""
import re

from models.audit.log import AuditEntry
from models.teaching.plans import DepartmentPlan, TeacherYearPlan

PLAN = {"situation": "Dạy Toán 6A1, 6A2; lớp 6A1 có 5 học sinh yếu.", "targets": "90% học sinh đạt trở lên.",
        "measures": "Phụ đạo chiều thứ Năm.\nKiểm tra thường xuyên.", "emulation_title": "Lao động tiên tiến"}


def _revision(client, url) -> str:
    return re.search(r'name="revision" value="(\d*)"', client.get(url).get_data(as_text=True)).group(1)


def test_teacher_plan_submitted_returned_and_confirmed(client, login_as, school):
    auth = login_as("giaovien")
    resp = auth.post("/teacher/year-plan", data={**PLAN, "measures": "", "action": "submit"})
    assert resp.status_code == 422 and "viết đủ" in resp.get_data(as_text=True)
    assert TeacherYearPlan.select().count() == 0
    assert auth.post("/teacher/year-plan", data={**PLAN, "action": "submit", "revision": ""}).status_code == 302
    plan = TeacherYearPlan.get()
    assert plan.state == "submitted" and plan.measures == "Phụ đạo chiều thứ Năm.\nKiểm tra thường xuyên."
    auth.logout()
    auth = login_as("totruong")
    listing = client.get("/teacher/department/year-plans").get_data(as_text=True)
    assert "Giáo Viên Giaovien" in listing and "Lao động tiên tiến" in listing
    url = f"/teacher/department/year-plans/{plan.id}"
    assert auth.post(url, data={"action": "return", "comment": "Bổ sung chỉ tiêu học sinh giỏi.",
                                "revision": _revision(client, url)}).status_code == 302
    auth.logout()
    auth = login_as("giaovien")
    page = client.get("/teacher/year-plan").get_data(as_text=True)
    assert "Bổ sung chỉ tiêu học sinh giỏi." in page
    rev = _revision(client, "/teacher/year-plan")
    assert auth.post("/teacher/year-plan", data={**PLAN, "targets": "90% đạt; 10 học sinh giỏi.",
                                                  "action": "submit", "revision": rev}).status_code == 302
    # a second tab with the old revision is refused
    resp = auth.post("/teacher/year-plan", data={**PLAN, "action": "draft", "revision": rev})
    assert resp.status_code == 409
    auth.logout()
    auth = login_as("totruong")
    assert auth.post(url, data={"action": "approve", "revision": _revision(client, url)}).status_code == 302
    plan = TeacherYearPlan.get_by_id(plan.id)
    assert plan.state == "approved" and plan.targets == "90% đạt; 10 học sinh giỏi."
    assert plan.state_label == "Đã xác nhận"


def test_a_head_reviews_only_their_own_departments_teachers(client, login_as, school):
    auth = login_as("chunhiem")  # not in the maths department
    auth.post("/teacher/year-plan", data={**PLAN, "action": "submit"})
    plan = TeacherYearPlan.get()
    auth.logout()
    login_as("totruong")
    assert client.get(f"/teacher/department/year-plans/{plan.id}").status_code == 403
    auth.logout()
    login_as("giaovien")
    assert client.get("/teacher/department/year-plans").status_code == 403


def test_department_plan_approved_by_the_principal_only(client, login_as, school):
    math = school["subjects"]["TOAN"]
    auth = login_as("totruong")
    url = f"/teacher/department/subject-plans/{math.id}"
    assert auth.post(url, data={"content": "Kế hoạch dạy học môn Toán khối 6, 7.", "action": "submit"}).status_code == 302
    plan = DepartmentPlan.get()
    assert plan.state == "submitted"
    pe = school["subjects"]["GDTC"]  # another department's subject
    assert client.get(f"/teacher/department/subject-plans/{pe.id}").status_code == 404
    auth.logout()
    auth = login_as("phohieutruong")
    page = f"/vice-principal/department-plans/{plan.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Kế hoạch dạy học môn Toán" in html and 'name="revision"' not in html  # read only for a vice-principal
    resp = auth.post(page, data={"action": "approve", "revision": str(plan.revision)})
    assert resp.status_code == 403
    assert DepartmentPlan.get_by_id(plan.id).state == "submitted"
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert entry.action == "refused" and entry.entity == "department_plan"
    auth.logout()
    auth = login_as("hieutruong")
    assert auth.post(page, data={"action": "approve", "revision": _revision(client, page)}).status_code == 302
    assert DepartmentPlan.get_by_id(plan.id).state == "approved"
    assert "Đã duyệt" in client.get("/vice-principal/department-plans").get_data(as_text=True)


def test_the_audit_log_reads_the_plans_in_words(client, login_as, school):
    from models.audit_check.entities import describe

    auth = login_as("giaovien")
    auth.post("/teacher/year-plan", data={**PLAN, "action": "submit"})
    plan = TeacherYearPlan.get()
    assert describe("teacher_year_plan", str(plan.id)) == (
        "Kế hoạch giáo dục của giáo viên của Giáo Viên Giaovien năm học 2024-2025")
    entry = AuditEntry.select().where(AuditEntry.action == "submit").get()
    auth.logout()
    login_as("admin")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Nộp kế hoạch giáo dục cho tổ trưởng" in html and entry.entity_id
    assert "submitted" not in html  # the state reads "Đã nộp"
