"""Issue #11: the demo school is built for the year holding the day it is seeded (`seed-demo --today`).

Two demo databases are seeded once for the module (a Monday in October: semester I under way; a
Wednesday in July: the year just ended), then each test works on its own copy. The clock of the
correction workflow and of the lock check is set to the seeding day, 10:00. SQLite only: the seed
is what is tested here, not the database engine.
"""
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from app import create_app
from blueprints.corrections import views
from models.attendance.register import AttendanceMark, AttendanceMonthConfirm, switch_month_lock
from models.audit.log import AuditEntry
from models.core import db, write_transaction
from models.demo.school import DEMO_PASSWORD
from models.gradebook import locks as lock_module
from models.gradebook.corrections import CorrectionRequest
from models.gradebook.locks import EntryWindow, LockOverride, cell_lock
from models.gradebook.marks import MarkCell
from models.people.records import Student
from models.school.structure import (
    Enrolment,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    TeachingAssignment,
)
from tests.conftest import Auth, csrf_token

ROOT = Path(__file__).resolve().parents[1]
OCTOBER = date(2025, 10, 20)  # a Monday: week 8 of semester I of 2025-2026, inside đợt 1
JULY = date(2026, 7, 15)  # a Wednesday: 2025-2026 has ended, 2026-2027 has not begun
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _seed(folder: Path, today: date) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder / 'demo.db'}", SECRET_KEY="x")
    env.pop("SOTRUONG_TEST_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "seed-demo", "--today", today.isoformat()],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> dict[date, Path]:
    """The two demo databases, seeded side by side (a seed takes a while)."""
    runs = {}
    for day in (OCTOBER, JULY):
        folder = tmp_path_factory.mktemp(f"demo-{day:%Y%m%d}")
        runs[day] = (folder / "demo.db", _seed(folder, day))
    out = {}
    for day, (path, proc) in runs.items():
        text, _ = proc.communicate(timeout=900)
        assert proc.returncode == 0, text
        assert f"Đã tạo trường mẫu ngày {day:%d/%m/%Y}" in text
        out[day] = (path, text)
    return out


class FrozenClock(datetime):
    moment = datetime(2000, 1, 1)

    @classmethod
    def now(cls, tz=None):
        return cls.moment


def _open(seeded, day: date, tmp_path, monkeypatch, **config):
    """An app on a copy of the demo seeded on `day`, its clock at 10:00 that day."""
    path = tmp_path / "demo.db"
    shutil.copyfile(seeded[day][0], path)
    moment = datetime.combine(day, datetime.min.time()).replace(hour=10)
    monkeypatch.setattr(FrozenClock, "moment", moment)
    monkeypatch.setattr(views, "now", lambda: moment)
    monkeypatch.setattr(lock_module, "datetime", FrozenClock)
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": f"sqlite:///{path}",
                      "UPLOAD_DIR": str(tmp_path / "uploads"), "PRINT_CACHE_DIR": str(tmp_path / "print_cache"),
                      **config})
    db.connect(reuse_if_open=True)
    lock_module.lock_rows_changed()
    return app


@pytest.fixture
def october(seeded, tmp_path, monkeypatch):
    app = _open(seeded, OCTOBER, tmp_path, monkeypatch)
    yield app
    db.close()


@pytest.fixture
def july(seeded, tmp_path, monkeypatch):
    app = _open(seeded, JULY, tmp_path, monkeypatch)
    yield app
    db.close()


def _as(app, username) -> Auth:
    auth = Auth(app.test_client())
    resp = auth.login(username, DEMO_PASSWORD)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    auth.token = csrf_token(auth.client, "/account/password")
    return auth


def _toan(class_name: str):
    """giaovien's Toán assignment in the class, and the semester I of the current year."""
    year = SchoolYear.current()
    school_class = SchoolClass.get((SchoolClass.year == year) & (SchoolClass.name == class_name))
    assignment = TeachingAssignment.get((TeachingAssignment.school_class == school_class)
                                        & (TeachingAssignment.subject == Subject.get(Subject.code == "TOAN")))
    return assignment, Semester.get((Semester.year == year) & (Semester.number == 1))


def _marked_cell(assignment, semester, kind="tx", idx=1) -> MarkCell:
    return (MarkCell.select().where((MarkCell.school_class == assignment.school_class)
                                    & (MarkCell.subject == assignment.subject) & (MarkCell.semester == semester)
                                    & (MarkCell.kind == kind) & (MarkCell.idx == idx))
            .order_by(MarkCell.student).first())


def _new_url(assignment, cell) -> str:
    return (f"/corrections/new?target=mark&assignment_id={assignment.id}&semester=1&student_id={cell.student_id}"
            f"&kind={cell.kind}&idx={cell.idx}")


def _step(auth, request_id: int, action: str, comment: str = "") -> str:
    resp = auth.post(f"/corrections/{request_id}/{action}", {"comment": comment})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    return auth.client.get(resp.headers["Location"]).get_data(as_text=True)


# --- October: semester I under way ------------------------------------------------------------------

def test_october_demo_is_that_year_with_marks_only_until_then(october, seeded):
    assert "năm học 2025-2026" in seeded[OCTOBER][1]
    year = SchoolYear.current()
    assert year.name == "2025-2026" and year.start_year == 2025
    first, second = Semester.select().where(Semester.year == year).order_by(Semester.number)
    assert (first.starts_on, first.final_tests_on, second.final_tests_on) == (
        date(2025, 9, 5), date(2025, 12, 22), date(2026, 5, 11))

    # the previous school year (issue 13) is complete; what is checked here is this year's
    this_year = MarkCell.semester.in_([first, second])
    cells = MarkCell.select().where(this_year)
    assert cells.count() > 10_000
    assert MarkCell.select().where(this_year & (MarkCell.updated_at >= datetime(2025, 10, 20))).count() == 0
    assert MarkCell.select().where(MarkCell.semester == second).count() == 0
    kinds = {k for (k,) in MarkCell.select(MarkCell.kind).where(this_year).distinct().tuples()}
    assert kinds == {"tx"}  # the mid-term tests are in week 8–9, the finals in December: not yet
    # the second half of ĐĐGtx comes before the finals
    assert MarkCell.select().where(this_year & (MarkCell.idx > 2)).count() == 0

    days = [d for (d,) in AttendanceMark.select(AttendanceMark.day).join(SchoolClass)
            .where(SchoolClass.year == year).tuples()]
    assert max(days) < OCTOBER and min(days) >= date(2025, 9, 5)
    assert any(d.month == 10 for d in days)
    assert {c.month for c in AttendanceMonthConfirm.select()} == {"2025-09"}

    # the transfers of November and February have not happened yet
    enrolled = Enrolment.select().join(SchoolClass).where(SchoolClass.year == year)
    assert not Student.select().join(Enrolment).join(SchoolClass).where(
        (SchoolClass.year == year) & (Student.status != "dang_hoc")).exists()
    assert not enrolled.where(Enrolment.left_on.is_null(False)).exists()
    assert not enrolled.where(Enrolment.joined_on > date(2025, 9, 5)).exists()

    # the entry windows follow the calendar: today ĐĐGtx and ĐĐGgk are open, ĐĐGck is not; no switch
    assert EntryWindow.select().where(EntryWindow.year == year).count() == 10 and not LockOverride.select().exists()
    assignment, semester = _toan("9A3")
    assert not cell_lock(assignment.school_class, assignment.subject, semester, "tx").locked
    closed = cell_lock(assignment.school_class, assignment.subject, semester, "ck")
    assert closed.locked and closed.reason == "Ngoài thời gian nhập điểm"


def test_october_correction_path_lock_file_confirm_approve_apply(october):
    assignment, semester = _toan("9A3")
    cell = _marked_cell(assignment, semester)
    old, version = cell.value, cell.version
    new = "9.5" if old != "9.5" else "9.0"

    # the cell is open (đợt 1): no request; the admin locks the class in "Khoá, mở sổ điểm"
    giaovien = _as(october, "giaovien")
    assert giaovien.client.get(_new_url(assignment, cell)).status_code == 422
    admin = _as(october, "admin")
    resp = admin.post(f"/admin/locks?semester_id={semester.id}",
                      {"action": "lock", "scope": "class", "class_id": str(assignment.school_class_id),
                       "reason": "Chốt điểm ĐĐGtx lớp 9A3 để kiểm tra."})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]

    page = giaovien.client.get(_new_url(assignment, cell)).get_data(as_text=True)
    assert "Đã khoá lớp 9A3" in page and "Gửi đề nghị" in page and "15/12/2025" in page
    resp = giaovien.post(_new_url(assignment, cell), {
        "new_value": new.replace(".", ","), "reason": "Nhập nhầm khi chép từ sổ cá nhân.",
        "evidence": (io.BytesIO(PNG), "bai-kiem-tra.png")}, content_type="multipart/form-data")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    request_id = int(re.search(r"/corrections/(\d+)", resp.headers["Location"]).group(1))

    assert "Đã xác nhận" in _step(_as(october, "totruong"), request_id, "confirm")
    assert "Đã duyệt" in _step(_as(october, "phohieutruong"), request_id, "approve", "Đồng ý.")
    queue = admin.client.get("/corrections/apply").get_data(as_text=True)
    assert "07:00 – 17:30, thứ Hai đến thứ Bảy" in queue and "OFFICE_HOURS" in queue and "OFFICE_DAYS" in queue
    assert "ngoài giờ hành chính" not in queue  # Monday 10:00 with the default office hours
    assert "Đã áp dụng" in _step(admin, request_id, "apply")

    cell = MarkCell.get_by_id(cell.id)
    assert (cell.value, cell.version, cell.corrected) == (new, version + 1, True)
    assert CorrectionRequest.get_by_id(request_id).state == "da_ap_dung"
    assert AuditEntry.select().where((AuditEntry.action == "apply") & (AuditEntry.entity_id == str(request_id))).exists()


# --- July: the year just ended ----------------------------------------------------------------------

def test_july_demo_is_the_year_just_ended(july, seeded):
    assert "năm học 2025-2026" in seeded[JULY][1]
    year = SchoolYear.current()
    # this year and the previous one (issue 13), which is not current
    assert year.name == "2025-2026" and [y.name for y in SchoolYear.select().order_by(SchoolYear.start_year)] == [
        "2024-2025", "2025-2026"]
    second = Semester.get((Semester.year == year) & (Semester.number == 2))
    for semester in Semester.select():
        kinds = {k for (k,) in MarkCell.select(MarkCell.kind).where(MarkCell.semester == semester).distinct().tuples()}
        assert kinds == {"tx", "gk", "ck"}
    assert MarkCell.select().where(MarkCell.updated_at >= datetime(2026, 5, 31)).count() == 0
    days = [d for (d,) in AttendanceMark.select(AttendanceMark.day).join(SchoolClass)
            .where(SchoolClass.year == year).tuples()]
    assert max(days) <= second.ends_on and any(d.month == 5 for d in days)
    assert {c.month for c in AttendanceMonthConfirm.select()} == {
        f"{y}-{m:02d}" for y, m in [(2025, 9), (2025, 10), (2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 6)]}
    # both transfers are in the records now
    assert sorted(s.status for s in Student.select().join(Enrolment).join(SchoolClass).where(
        (SchoolClass.year == year) & (Student.status != "dang_hoc"))) == ["chuyen_den", "chuyen_di"]


def test_july_correction_form_says_closed_before_it_is_filled_in(july):
    assignment, semester = _toan("9A3")
    cell = _marked_cell(assignment, semester, "gk")
    giaovien = _as(july, "giaovien")
    page = giaovien.client.get(_new_url(assignment, cell))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đã hết hạn đề nghị sửa điểm Học kì I: hạn cuối là ngày 15/12/2025" in text
    assert "Gửi đề nghị" not in text and 'name="new_value"' not in text  # no form to fill in for nothing
    assert "Ngoài thời gian nhập điểm" in text  # the cell it is about is still shown

    resp = giaovien.post(_new_url(assignment, cell), {
        "new_value": "9", "reason": "Nhập nhầm.", "evidence": (io.BytesIO(PNG), "a.png")},
        content_type="multipart/form-data")
    assert resp.status_code == 422 and "Đã hết hạn đề nghị sửa điểm" in resp.get_data(as_text=True)
    assert not CorrectionRequest.select().exists()


def test_july_attendance_correction_path_lock_file_approve_apply(july):
    """Mark requests are closed in summer; attendance requests have no such deadline (KĐ (docs/rules.md))."""
    year = SchoolYear.current()
    school_class = SchoolClass.get((SchoolClass.year == year) & (SchoolClass.name == "6A1"))
    admin_user = _as(july, "admin")
    with write_transaction():
        switch_month_lock(year, "2026-05", None, True, "Chốt điểm danh tháng 5.", None, now=FrozenClock.moment)
    day = date(2026, 5, 19)  # a Tuesday
    absent = {sid for (sid,) in AttendanceMark.select(AttendanceMark.student).where(AttendanceMark.day == day).tuples()}
    student = next(s for s in Student.select().join(Enrolment).where(Enrolment.school_class == school_class)
                   .order_by(Student.id) if s.id not in absent)
    url = (f"/corrections/new?target=attendance&class_id={school_class.id}&student_id={student.id}"
           f"&day={day.isoformat()}&session=1")
    chunhiem = _as(july, "chunhiem")
    assert "Gửi đề nghị" in chunhiem.client.get(url).get_data(as_text=True)
    resp = chunhiem.post(url, {"new_value": "P", "reason": "Phụ huynh đã nộp đơn xin phép.",
                               "evidence": (io.BytesIO(PNG), "don.png")}, content_type="multipart/form-data")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    request_id = int(re.search(r"/corrections/(\d+)", resp.headers["Location"]).group(1))
    assert "Đã duyệt" in _step(_as(july, "phohieutruong"), request_id, "approve")
    assert "Đã áp dụng" in _step(admin_user, request_id, "apply")
    mark = AttendanceMark.get((AttendanceMark.student == student) & (AttendanceMark.day == day))
    assert mark.value == "P"


def test_seed_demo_refuses_a_bad_day(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", SECRET_KEY="x")
    env.pop("SOTRUONG_TEST_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "seed-demo", "--today", "20/10/2025"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "Ngày không hợp lệ: 20/10/2025 (dạng YYYY-MM-DD" in out.stderr
    check = subprocess.run([sys.executable, "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
                            "print(c.execute('select count(*) from school').fetchone()[0])", str(tmp_path / "x.db")],
                           capture_output=True, text=True)
    assert check.stdout.strip() in ("0", "")  # nothing built
