"""Teaching records as a new user tries them in headless Chromium (issue 16 part A, "Done when").

giaovien submits next week's teaching schedule (lịch báo giảng) and confirms today's first class-log period;
chunhiem reads 6A1's week; phohieutruong reads the class's week with giaovien's period and signs it, after which
the period no longer changes; admin imports a timetable with a bad row and is told which row.
"""
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_DAY, login, query

pytestmark = pytest.mark.e2e


def test_teacher_schedule_class_log_and_signing(page, new_page, demo_server):
    login(page, demo_server, "giaovien")
    page.get_by_role("link", name="Lịch báo giảng").click()
    expect(page.locator("h1")).to_have_text("Lịch báo giảng")
    expect(page.locator(".page-header")).to_contain_text("tuần từ 09/12/2024")  # next week of the demo day
    first = page.locator("table.schedule tbody tr").first
    number = int(first.locator("input[name=lesson_no]").input_value())
    first.locator("input[name=note]").fill("Mang thước kẻ")
    first.locator("input[name=note]").press("Tab")
    expect(page.locator("table.schedule tbody tr").first.locator(".cell-note")).to_have_text("Đã lưu.")
    page.get_by_role("button", name="Nộp lịch báo giảng").click()
    expect(page.locator("#week-state")).to_contain_text("Đã nộp")
    rows = query(demo_server, "select w.state, l.lesson_no, l.note from teaching_week w join schedule_lesson l "
                              "on l.week_id = w.id join staff s on s.id = w.teacher_id join account a "
                              "on a.staff_id = s.id where a.username = 'giaovien' and w.week_start = '2024-12-09' "
                              "order by l.day, l.period limit 1")
    assert rows == [("submitted", number, "Mang thước kẻ")]

    page.get_by_role("link", name="Sổ ghi đầu bài").first.click()
    expect(page.locator(".page-header")).to_contain_text("02/12/2024")
    period = page.locator("form.class-log-period").first
    heading = period.locator("h2").inner_text()
    class_name = re.search(r"Lớp (\w+)", heading).group(1)
    assert period.locator("input[name=title]").input_value()  # pre-filled from the teaching schedule
    period.get_by_label("Tốt").check()
    period.locator("textarea[name=remarks]").fill("Lớp sôi nổi, làm bài tốt")
    period.get_by_role("button", name="Xác nhận tiết học").click()
    period = page.locator("form.class-log-period").first
    expect(period.locator(".cell-note")).to_have_text("Đã xác nhận tiết học.")
    saved = query(demo_server, "select e.rating, e.remarks from class_log_entry e join school_class c "
                               "on c.id = e.school_class_id where c.name = ? and e.day = ? and e.period = 1",
                  class_name, DEMO_DAY)
    assert saved == [("tot", "Lớp sôi nổi, làm bài tốt")]

    gvcn = new_page()
    login(gvcn, demo_server, "chunhiem")
    gvcn.get_by_role("link", name="Sổ ghi đầu bài của lớp").click()
    expect(gvcn.locator("h1")).to_have_text("Sổ ghi đầu bài lớp 6A1")
    gvcn.get_by_role("link", name="‹ Tuần trước").click()
    expect(gvcn.locator("table.class-log-week")).to_contain_text("Tiết 1 (sáng)")
    expect(gvcn.locator("#week-signed")).to_contain_text("Đã ký duyệt")  # the demo's earlier weeks are signed

    head = new_page()
    head.on("dialog", lambda dialog: dialog.accept())
    login(head, demo_server, "phohieutruong")
    head.get_by_role("link", name="Sổ ghi đầu bài").first.click()
    head.get_by_role("link", name=class_name, exact=True).click()
    expect(head.locator("table.class-log-week")).to_contain_text("Lớp sôi nổi, làm bài tốt")
    head.get_by_role("button", name="Ký duyệt tuần này").click()
    expect(head.locator("#week-signed")).to_contain_text("Đã ký duyệt")

    page.reload()
    period = page.locator("form.class-log-period").first
    expect(period).to_contain_text("Tuần đã ký duyệt")
    expect(period.get_by_role("button")).to_have_count(0)
    assert [e for e in page.console_errors if "422" not in e and "409" not in e] == []


def test_a_timetable_import_with_a_bad_row_names_it(page, demo_server, tmp_path):
    book = Workbook()
    for row in (["Thứ", "Buổi", "Tiết", "6A1"], [2, "Sáng", 1, "Toán"], ["Thứ 9", "Sáng", 2, "Toán"]):
        book.active.append(row)
    path = tmp_path / "tkb.xlsx"
    book.save(path)
    before = query(demo_server, "select count(*) from timetable_slot")
    login(page, demo_server, "admin")
    page.get_by_role("link", name="Thời khoá biểu").click()
    page.fill("#tt-import-date", "06/01/2025")
    page.set_input_files("#tt-import-file", str(path))
    page.get_by_role("button", name="Nhập thời khoá biểu").click()
    expect(page.locator("#import-errors")).to_contain_text("Dòng 3: Không hiểu thứ “Thứ 9”")
    assert query(demo_server, "select count(*) from timetable_slot") == before
    assert query(demo_server, "select count(*) from timetable_version where effective_on = '2025-01-06'") == [(0,)]
