"""Signed monthly sheets: print routes and who may open them, the signing steps, outdated prints, print jobs."""
import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from models.attendance.register import month_sheet, save_mark
from models.audit.log import AuditEntry
from models.printing.attendance_sheet import (
    AttendanceSheetStep,
    record_step,
    sheet_code,
    sheet_pdf,
    sheet_status,
)
from models.printing.jobs import PrintJob, start_job
from tests.conftest import finished_job

SHEET = "/print/attendance/{}/2024-10"


@pytest.fixture(autouse=True)
def print_dirs(app, tmp_path):
    app.config["PRINT_CACHE_DIR"] = str(tmp_path / "print_cache")
    app.config["PRINT_JOBS_DIR"] = str(tmp_path / "print_jobs")


def _mark(school, name, day, value, version=0):
    result = save_mark(school["classes"]["6A1"], school["students"][name], day, 1, value, version,
                       school["users"]["chunhiem"], now=datetime(2024, 10, 31, 12))
    assert result.status == "saved", result.message


def _steps(school_class):
    return [s.step for s in AttendanceSheetStep.select().where(AttendanceSheetStep.school_class == school_class)
            .order_by(AttendanceSheetStep.id)]


def test_homeroom_teacher_prints_own_class_and_only_the_pdf_is_recorded(client, login_as, school):
    login_as("chunhiem")
    c = school["classes"]["6A1"]
    resp = client.get(SHEET.format(c.id))
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Điểm danh tháng 10 năm 2024" in html and "Cộng hoà xã hội chủ nghĩa Việt Nam" in html and "Đặng Quốc Đạt" in html
    assert "data-print" in html and "Tải PDF" in html and "<script>" not in html
    assert sheet_code(month_sheet(c, 2024, 10)) in html
    assert _steps(c) == []  # issue 11: a look at the preview is not a print
    assert "Tải PDF để in; các bước ký ghi nhận được sau khi in." in html and "Ghi nhận:" not in html
    client.get(SHEET.format(c.id) + ".pdf")
    assert _steps(c) == ["printed"]
    client.get(SHEET.format(c.id) + ".pdf")
    assert _steps(c) == ["printed"]  # the same person and data: one print
    step = AttendanceSheetStep.get(school_class=c)
    assert step.data_version == month_sheet(c, 2024, 10).data_version
    assert AuditEntry.select().where(AuditEntry.action == "sheet_printed").count() == 1


def test_pdf_download_has_a_readable_name(client, login_as, school):
    login_as("chunhiem")
    c = school["classes"]["6A1"]
    resp = client.get(SHEET.format(c.id) + ".pdf")
    assert resp.status_code == 200
    assert resp.mimetype == "application/pdf"
    disposition = resp.headers["Content-Disposition"]
    assert "filename=Diem-danh-6A1-2024-10.pdf" in disposition
    assert "filename*=UTF-8''%C4%90i%E1%BB%83m-danh-6A1-2024-10.pdf" in disposition
    assert len(PdfReader(io.BytesIO(resp.data)).pages) == 1
    assert _steps(c) == ["printed"]


@pytest.mark.parametrize("username, status", [
    ("admin", 200), ("hieutruong", 200), ("phohieutruong", 200), ("chunhiem", 200),
    ("giaovien", 403), ("yte", 403), ("ketoan", 403),
])
def test_who_may_open_a_class_sheet(client, login_as, school, username, status):
    login_as(username)
    c = school["classes"]["6A1"]
    assert client.get(SHEET.format(c.id)).status_code == status
    assert client.get(SHEET.format(c.id) + ".pdf").status_code == status


def test_another_class_homeroom_teacher_is_refused(client, login_as, school):
    login_as("chunhiem")
    other = school["classes"]["6A2"]
    assert client.get(SHEET.format(other.id)).status_code == 403
    assert client.get(SHEET.format(other.id) + ".pdf").status_code == 403
    assert AuditEntry.select().where(AuditEntry.action == "refused").count() == 2
    assert _steps(other) == []


def test_anonymous_and_bad_month(client, login_as, school):
    c = school["classes"]["6A1"]
    resp = client.get(SHEET.format(c.id))
    assert resp.status_code == 302 and "/login" in resp.location
    login_as("admin")
    assert client.get(f"/print/attendance/{c.id}/2024-13").status_code == 404
    assert client.get("/print/attendance/9999/2024-10").status_code == 404


@pytest.mark.parametrize("year_month", ["9999-12", "2031-05", "2024-08", "2025-06"])
def test_month_outside_the_school_year_is_404_and_not_recorded(client, auth, school, year_month):
    auth.login("admin")
    c = school["classes"]["6A1"]
    assert client.get(f"/print/attendance/{c.id}/{year_month}").status_code == 404
    assert client.get(f"/print/attendance/{c.id}/{year_month}.pdf").status_code == 404
    resp = auth.post(f"/print/sheets/{c.id}/{year_month}/step", {"step": "shown"})
    assert resp.status_code == 404
    assert _steps(c) == []
    assert AuditEntry.select().where(AuditEntry.action == "sheet_printed").count() == 0


def test_sheet_outdated_after_a_change(app, school):
    c = school["classes"]["6A1"]
    chunhiem = school["users"]["chunhiem"]
    record_step(c, "2024-10", "printed", chunhiem, now=datetime(2024, 11, 1, 8))
    status = sheet_status(c, "2024-10")
    assert not status.outdated and status.done["printed"].by == chunhiem.full_name
    assert status.missing == ["shown", "signed", "approved", "filed"]
    _mark(school, "Vũ Ánh", date(2024, 10, 10), "K")
    status = sheet_status(c, "2024-10")
    assert status.outdated
    assert "printed" in status.missing
    with pytest.raises(ValueError, match="cần in lại"):
        record_step(c, "2024-10", "signed", chunhiem)
    record_step(c, "2024-10", "printed", chunhiem)
    assert not sheet_status(c, "2024-10").outdated


def test_step_before_printing_is_refused(app, school):
    with pytest.raises(ValueError, match="chưa được in"):
        record_step(school["classes"]["6A1"], "2024-10", "shown", school["users"]["chunhiem"])
    assert _steps(school["classes"]["6A1"]) == []


def test_signing_steps_by_their_roles(client, auth, school):
    c = school["classes"]["6A1"]
    url = f"/print/sheets/{c.id}/2024-10/step"
    auth.login("chunhiem")
    client.get(SHEET.format(c.id) + ".pdf")
    for step in ("shown", "signed"):
        resp = auth.post(url, {"step": step, "next": SHEET.format(c.id)})
        assert resp.status_code == 303
    assert auth.post(url, {"step": "approved"}).status_code == 403
    auth.logout()
    auth.login("giaovien")
    assert auth.post(url, {"step": "signed"}).status_code == 403
    auth.logout()
    auth.login("hieutruong")
    resp = auth.htmx_post(url, {"step": "approved"})
    assert resp.status_code == 200
    assert f'id="sheet-{c.id}"' in resp.get_data(as_text=True)
    assert auth.htmx_post(url, {"step": "filed"}).status_code == 403
    auth.logout()
    auth.login("admin")
    assert auth.post(url, {"step": "filed"}).status_code == 303
    assert _steps(c) == ["printed", "shown", "signed", "approved", "filed"]
    assert sheet_status(c, "2024-10").complete
    assert AuditEntry.select().where(AuditEntry.action.startswith("sheet_")).count() == 5


def test_a_signing_step_is_confirmed_and_the_steps_done_are_listed(client, auth, school):
    """Issue 11: after "Ghi nhận" the print view said nothing and listed no step."""
    c = school["classes"]["6A1"]
    auth.login("chunhiem")
    client.get(SHEET.format(c.id) + ".pdf")
    resp = auth.post(f"/print/sheets/{c.id}/2024-10/step", {"step": "shown", "next": SHEET.format(c.id)},
                     follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert '<p class="notice success" role="status">Đã ghi: Đã công bố trước lớp.</p>' in html
    teacher = school["users"]["chunhiem"].full_name
    listed = html.split('aria-label="Các bước đã ghi nhận">', 1)[1].split("</ol>", 1)[0]
    assert f"Đã in: {teacher}," in listed and f"Đã công bố trước lớp: {teacher}," in listed
    assert "Ghi nhận: GVCN đã ký" in html and "Ghi nhận: Đã công bố trước lớp" not in html
    assert "Đã ghi:" not in client.get(SHEET.format(c.id)).get_data(as_text=True)  # shown once


def test_office_page_lists_every_class_and_missing_steps(client, login_as, school):
    c = school["classes"]["6A1"]
    record_step(c, "2024-10", "printed", school["users"]["chunhiem"])
    _mark(school, "Vũ Ánh", date(2024, 10, 10), "P")
    login_as("admin")
    html = client.get("/print/sheets?year_month=2024-10").get_data(as_text=True)
    for name in ("6A1", "6A2", "7A1"):
        assert f">{name}</a>" in html
    assert "Đã thay đổi sau khi in — cần in lại" in html
    assert "In toàn trường tháng 10/2024" in html


def test_office_page_picks_a_month_of_the_school_year_in_vietnamese(client, login_as, school):
    import re

    login_as("admin")
    html = client.get("/print/sheets?year_month=2024-10").get_data(as_text=True)
    assert 'type="month"' not in html
    options = re.findall(r'<option value="(\d{4}-\d{2})"( selected)?>([^<]+)</option>', html)
    assert [(value, label) for value, _, label in options][:2] == [("2024-09", "Tháng 9/2024"),
                                                                   ("2024-10", "Tháng 10/2024")]
    assert options[-1][0] == "2025-05" and len(options) == 9
    assert [value for value, selected, _ in options if selected] == ["2024-10"]
    outside = client.get("/print/sheets?year_month=2031-05").get_data(as_text=True)
    assert "Tháng 5/2031 không thuộc năm học 2024-2025." in outside
    assert '<option value="2025-05" selected>' in outside and "<h1>Bảng điểm danh tháng 05/2025</h1>" in outside


@pytest.mark.parametrize("username", ["chunhiem", "giaovien", "yte"])
def test_office_pages_refused_to_others(client, login_as, school, username):
    auth = login_as(username)
    assert client.get("/print/sheets?year_month=2024-10").status_code == 403
    assert auth.post("/print/jobs", {"year_month": "2024-10"}).status_code == 403


def test_second_start_returns_the_running_job(app, school, tmp_path):
    user = school["users"]["admin"]
    params = {"year_id": school["year"].id, "year_month": "2024-10"}
    first, started = start_job("attendance_month", params, user, "", tmp_path, spawn=False)
    assert started
    again, started = start_job("attendance_month", params, user, "", tmp_path, spawn=False)
    assert not started and again.id == first.id
    assert PrintJob.select().count() == 1


def test_whole_school_job_runs_in_a_worker_process(client, auth, school, app):
    auth.login("admin")
    resp = auth.post("/print/jobs", {"year_month": "2024-10"})
    assert resp.status_code == 303
    job = PrintJob.get()
    assert job.pid and job.pid != __import__("os").getpid()
    job = finished_job(job.id, 60)
    assert job.status == "done", job.error
    assert (job.progress, job.total) == (3, 3)
    page = client.get(f"/print/jobs/{job.id}", headers={"HX-Request": "true"})
    assert page.status_code == 286  # htmx stops polling
    assert "Tải PDF toàn trường" in page.get_data(as_text=True)
    pdf = client.get(f"/print/jobs/{job.id}/download")
    assert pdf.status_code == 200
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == 3


def test_the_code_printed_on_a_sheet_opens_its_page_on_verify(app, client, login_as, school):
    """One verification scheme: the code in an A3 sheet's PDF is known to /verify, and a later mark is listed."""
    c = school["classes"]["6A1"]
    with app.app_context():
        data = sheet_pdf(month_sheet(c, 2024, 10))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    code = sheet_code(month_sheet(c, 2024, 10))
    assert code in text
    login_as("hieutruong")
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Không tìm thấy trang in nào mang mã này" not in page
    assert "Bảng điểm danh tháng" in page and "Trang in khớp với dữ liệu hiện tại." in page
    _mark(school, "Hoàng Anh", date(2024, 10, 15), "P")
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Trang in không còn khớp với dữ liệu hiện tại." in page
    assert "Hoàng Anh" in page and "ngày 15" in page
