"""Nề nếp and the homeroom book as new users try them in headless Chromium (issue 17, "Done when", part A).

giamthi records two violations in 6A1 from the tap form (a phone's width); chunhiem sees them in the class's
week, writes a class-meeting note in the sổ chủ nhiệm; the week's ranking shows 6A1's points.
"""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, query

pytestmark = pytest.mark.e2e

DAY = "02/12/2024"  # the demo's day: a Monday, nothing recorded on it yet


def _tap_student(page, index: int) -> str:
    label = page.locator("fieldset.tap-list").nth(0).locator("label.tap").nth(index)
    label.click()
    return label.inner_text().split(". ", 1)[1]


def test_giamthi_records_chunhiem_sees_and_the_week_ranks(page, new_page, demo_server):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    login(page, demo_server, "giamthi")
    expect(page.locator("h1")).to_contain_text("Nề nếp các lớp")
    page.fill("#day", DAY)
    page.get_by_role("button", name="Xem").click()
    page.locator(".tap-classes a", has_text="6A1").first.click()
    expect(page.locator("h1")).to_contain_text("Nề nếp lớp 6A1 – ngày 02/12/2024")

    first = _tap_student(page, 0)
    page.locator("label.tap", has_text="Đi muộn").click()
    page.get_by_role("button", name="3. Lưu").click()
    expect(page.locator("#conduct-entry .flash.success")).to_contain_text("Đã ghi “Đi muộn” (−2) cho 1 học sinh")
    expect(page.locator("fieldset.tap-list input:checked")).to_have_count(0)  # the form came back cleared
    second = _tap_student(page, 1)
    page.locator("label.tap", has_text="Không mặc đồng phục").click()
    page.get_by_role("button", name="3. Lưu").click()
    expect(page.locator("#conduct-records")).to_contain_text(second)
    expect(page.locator("#conduct-records")).to_contain_text(first)
    stored = query(demo_server, "select s.full_name, r.points from conduct_record r join student s on s.id = r.student_id "
                                "join school_class c on c.id = r.school_class_id where c.name = '6A1' and r.day = '2024-12-02' "
                                "order by r.id")
    assert stored == [(first, -2), (second, -2)]
    assert page.console_errors == []

    gvcn = new_page()
    login(gvcn, demo_server, "chunhiem")
    gvcn.locator(".sidebar").get_by_role("link", name="Nề nếp").click()
    gvcn.fill("#pick-day", DAY)
    gvcn.get_by_role("button", name="Chọn ngày").click()
    week = gvcn.locator("#week-records")
    expect(week).to_contain_text(first)
    expect(week).to_contain_text(second)
    expect(week).to_contain_text("Không mặc đồng phục")
    points = 100 + sum(p for (p,) in query(
        demo_server, "select r.points from conduct_record r join school_class c on c.id = r.school_class_id "
                     "join school_year y on y.id = c.year_id where c.name = '6A1' and y.is_current "
                     "and r.day between '2024-12-02' and '2024-12-08' and r.withdrawn_at is null"))
    expect(gvcn.locator("#class-week")).to_contain_text(f"Điểm thi đua: {points}")

    gvcn.locator(".sidebar").get_by_role("link", name="Sổ chủ nhiệm").click()
    meeting = gvcn.locator("#notes-class_meeting")
    meeting.locator("input[name=day]").fill(DAY)
    meeting.locator("input[name=channel]").fill("Tuần 14")
    meeting.locator("textarea[name=text]").fill("Nhắc hai bạn đi học đúng giờ, mặc đồng phục đầy đủ.")
    meeting.get_by_role("button", name="Thêm").click()
    expect(gvcn.locator("#notes-class_meeting")).to_contain_text("Nhắc hai bạn đi học đúng giờ")
    assert query(demo_server, "select count(*) from homeroom_note where text like 'Nhắc hai bạn%'") == [(1,)]

    gvcn.goto(demo_server + "/print/emulation?day=2024-12-02")
    expect(gvcn.locator("#emu-6A1")).to_contain_text(str(points))
    assert gvcn.console_errors == []
