"""The class log (sổ ghi đầu bài) and the teaching schedule (lịch báo giảng) print a verification code and its QR
on every sheet; /verify/<code> names the document and, once a printed period or schedule line changed, the change."""
import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from models.core import write_transaction
from models.printing import class_log_book, teaching_schedule
from models.printing.verification import PrintedPage
from models.school.structure import TeachingAssignment
from models.teaching import class_log, ppct, timetable

MONDAY = date(2024, 12, 2)
CODE = re.compile(r"Mã xác thực: ?([0-9A-F]{5}-[0-9A-F]{5})")


@pytest.fixture
def planned(app, school):
    """6A1: Toán (giaovien) on Monday periods 1–2 and Thursday period 1, GDTC (chunhiem) on Monday period 3."""
    version = timetable.create_version(school["year"], date(2024, 9, 5))
    c6a1, math = school["classes"]["6A1"], school["assignment"].id
    pe = TeachingAssignment.get((TeachingAssignment.school_class == c6a1)
                                & (TeachingAssignment.subject == school["subjects"]["GDTC"])).id
    timetable.save_class_grid(version, c6a1, {(0, 1): math, (0, 2): math, (0, 3): pe, (3, 1): math},
                              timetable.grid_token(version, c6a1))
    with write_transaction():
        for n in range(1, 200):
            ppct.PpctLesson.create(year=school["year"], grade=c6a1.grade, subject=school["subjects"]["TOAN"],
                                   number=n, title=f"Bài {n}")
    return school


def _values(**kw):
    return {"lesson_no": "37", "title": "Bài 37", "remarks": "Lớp chú ý", "rating": "tot", "not_taught": "",
            "absent": [], **kw}


def _codes(data: bytes) -> list[str]:
    """The code printed on each sheet; every sheet has exactly one, beside exactly one image (its QR)."""
    codes = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found = CODE.findall(page.extract_text())
        assert len(found) == 1, page.extract_text()
        assert len(page.images) == 1
        codes.append(found[0])
    return codes


def _verify(client, code: str) -> str:
    resp = client.get(f"/verify/{code}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_every_class_log_page_has_its_code_and_verify_names_the_change(app, planned, login_as):
    client = login_as("giaovien").client
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0)
    with app.app_context():
        left, right = _codes(class_log_book.pdf(c6a1, [MONDAY]))
    assert left != right
    stored = PrintedPage.get(PrintedPage.code == left)
    assert stored.document == "class_log" and stored.parameters["week"] == MONDAY.isoformat()
    page = _verify(client, left)
    assert "Sổ ghi đầu bài" in page and "Trang in khớp với dữ liệu hiện tại." in page

    # the teacher corrects Monday's first period: only the left page's data changed
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(title="Bài 38 (sửa)"), 1)
    page = _verify(client, left)
    assert "Trang in không còn khớp" in page
    assert "Thứ Hai 02/12, Tiết 1 (sáng), Tên bài: Bài 37 → Bài 38 (sửa)" in page
    assert "Trang in khớp với dữ liệu hiện tại." in _verify(client, right)
    with app.app_context():
        again_left, again_right = _codes(class_log_book.pdf(c6a1, [MONDAY]))
    assert again_right == right and again_left != left


def test_signing_the_week_changes_the_right_page_only(app, planned, login_as):
    client = login_as("giaovien").client
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0)
    with app.app_context():
        left, right = _codes(class_log_book.pdf(c6a1, [MONDAY]))
    class_log.sign_week(c6a1, MONDAY, users["phohieutruong"])
    page = _verify(client, right)
    assert "Người ký duyệt: (trống) → Giáo Viên Phohieutruong" in page
    assert "Trang in khớp với dữ liệu hiện tại." in _verify(client, left)


def test_a_week_that_runs_over_a_sheet_keeps_its_code_on_every_sheet(app, planned):
    """Long titles on every morning period from Monday to Wednesday: the left page fills more than one sheet."""
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    math = planned["assignment"].id
    version = timetable.versions(planned["year"])[0]
    timetable.save_class_grid(version, c6a1, {(d, p): math for d in range(3) for p in range(1, 6)},
                              timetable.grid_token(version, c6a1))
    for d in range(3):
        for p in range(1, 6):
            class_log.save_entry(c6a1, MONDAY + timedelta(days=d), p, staff["giaovien"], users["giaovien"],
                                 _values(lesson_no=str(30 + 5 * d + p), title="Ôn tập chương " * 21), 0)
    with app.app_context():
        data = class_log_book.pdf(c6a1, [MONDAY, MONDAY + timedelta(days=7)])
    codes = _codes(data)
    left, right = class_log_book.pages(c6a1, [MONDAY])
    assert len(codes) > 4  # the long page ran over
    assert codes[0] == codes[1] and len(set(codes)) == 4  # its sheets share its code; four pages, four codes
    assert PrintedPage.get(PrintedPage.code == codes[0]).page_data == left.data


def test_the_teaching_schedule_has_its_code_and_verify_names_the_change(app, planned, login_as):
    client = login_as("giaovien").client
    from models.teaching import schedule

    teacher, year = planned["staff"]["giaovien"], planned["year"]
    following = MONDAY + timedelta(days=7)
    with app.app_context():
        [code] = _codes(teaching_schedule.pdf(teacher, MONDAY, year))
        [other] = _codes(teaching_schedule.pdf(teacher, following, year))
    assert code != other
    page = _verify(client, code)
    assert "Lịch báo giảng" in page and "Trang in khớp với dữ liệu hiện tại." in page

    row = schedule.week_lessons(teacher, MONDAY)[0]
    schedule.save_lesson(teacher.id, MONDAY, row.day, row.period, str(row.lesson_no), "Luyện tập chung", "", 1)
    page = _verify(client, code)
    assert "Trang in không còn khớp" in page
    assert f"Thứ Hai 02/12/2024, Tiết 1 (sáng), Tên bài dạy: {row.title} → Luyện tập chung" in page
    with app.app_context():
        [again] = _codes(teaching_schedule.pdf(teacher, MONDAY, year))
        [other_again] = _codes(teaching_schedule.pdf(teacher, following, year))
    assert again != code and other_again == other
    assert "Trang in khớp với dữ liệu hiện tại." in _verify(client, other)


def test_the_printed_routes_record_their_codes(planned, login_as):
    c6a1 = planned["classes"]["6A1"]
    auth = login_as("chunhiem")
    resp = auth.client.get(f"/homeroom/class-log/{c6a1.id}/pdf?week={MONDAY.isoformat()}")
    assert resp.status_code == 200
    assert all(PrintedPage.get_or_none(PrintedPage.code == c) for c in _codes(resp.data))
    auth.logout()
    auth = login_as("giaovien")
    resp = auth.client.get(f"/teacher/schedule/{MONDAY.isoformat()}/pdf")
    [code] = _codes(resp.data)
    assert PrintedPage.get(PrintedPage.code == code).document == "teaching_schedule"
