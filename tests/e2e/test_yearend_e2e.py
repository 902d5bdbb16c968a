"""Year end as a new user tries it in headless Chromium (issue 13), on the demo's previous school year
(2023-2024 beside the live 2024-2025, see conftest): chunhiem rates conduct with the keyboard and submits 6A1,
phohieutruong passes it on, hieutruong approves, the office types a re-test mark that changes a student's
outcome."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, ready

pytestmark = pytest.mark.e2e


def test_conduct_submit_pass_approve_and_a_retest_changes_the_outcome(demo_server, new_page):
    base = demo_server
    gvcn = new_page()
    login(gvcn, base, "chunhiem")
    gvcn.click("nav >> text=Kết quả cuối năm")
    gvcn.click("tr:has-text('2023-2024') >> a:text-is('Mở')")
    class_url = gvcn.url
    expect(gvcn.locator("h1")).to_contain_text("Kết quả cuối năm lớp 6A1")

    # semester II conduct of the 10th student from the keyboard, then the year column follows the table
    gvcn.click("text=học kì II >> nth=0")
    expect(gvcn.locator("h1")).to_contain_text("học kì II")
    ready(gvcn)
    cell = gvcn.locator("#conduct-grid input[name=level]").nth(9)
    key, level = ("t", "Tốt") if cell.input_value() != "T" else ("k", "Khá")
    cell.focus()
    with gvcn.expect_response(re.compile(r"/conduct/2/row")) as saved:
        gvcn.keyboard.press(key)
    assert saved.value.status == 200
    row = gvcn.locator("#conduct-grid tbody tr").nth(9)
    expect(row.locator("input[name=level]")).to_have_value(key.upper())
    expect(row.locator("td").nth(2)).to_have_text(level)
    expect(row.locator("td").nth(4)).not_to_be_empty()  # the year's level
    expect(gvcn.locator("#conduct-grid input[name=level]").nth(10)).to_be_focused()

    gvcn.goto(class_url)
    gvcn.once("dialog", lambda d: d.accept())
    gvcn.click("text=Nộp kết quả cuối năm")
    expect(gvcn.locator("#year-end-state")).to_have_text("GVCN đã nộp, chờ phó hiệu trưởng xem xét")

    vp = new_page()
    login(vp, base, "phohieutruong")
    vp.click("nav >> text=Kết quả cuối năm")
    vp.click("#year-end-classes tr:has-text('6A1') >> a:text-is('Xem')")
    vp.click("text=Chuyển hiệu trưởng duyệt")
    expect(vp.locator("#year-end-state")).to_have_text("Phó hiệu trưởng đã chuyển, chờ hiệu trưởng duyệt")
    expect(vp.locator("text=Duyệt kết quả cả năm")).to_have_count(0)  # the principal approves

    principal = new_page()
    login(principal, base, "hieutruong")
    principal.click("nav >> text=Kết quả cuối năm")
    principal.click("#year-end-classes tr:has-text('6A1') >> a:text-is('Xem')")
    principal.once("dialog", lambda d: d.accept())
    principal.click("text=Duyệt kết quả cả năm")
    expect(principal.locator("#year-end-state")).to_have_text("Hiệu trưởng đã duyệt")
    expect(principal.locator("#year-end-steps")).to_contain_text("Hiệu trưởng duyệt")

    office = new_page()
    login(office, base, "admin")
    office.click("nav >> text=Kiểm tra lại sau hè")
    first = office.locator("#retests tbody tr").first
    name = first.locator("td").nth(1).inner_text()
    assert first.locator("td").nth(2).inner_text() == "Kiểm tra lại"
    for i in range(first.locator("input[name=value]").count()):
        row = office.locator(f"#retests tbody tr:has-text('{name}')")
        row.locator("input[name=value]").nth(i).fill("7")
        row.locator("button").nth(i).click()
        expect(office.locator(".flash")).to_contain_text("Đã lưu điểm kiểm tra lại")
    expect(office.locator(f"#retests tbody tr:has-text('{name}') td").nth(4)).to_have_text("Được lên lớp")

    gvcn.goto(class_url.replace("/year-end", "/results/year"))
    expect(gvcn.locator(f"#results-sheet tr:has-text('{name}')")).to_contain_text("Được lên lớp")

    # after approval a conduct level changes only through a correction: GVCN files, PHT approves, admin applies,
    # the class must be approved again
    gvcn.goto(class_url.replace("/year-end", "/conduct/2"))
    expect(gvcn.locator(".flash.info")).to_contain_text("Đề nghị sửa")
    first_row = gvcn.locator("#conduct-grid tbody tr").first
    new_key = "K" if first_row.locator("input[name=level]").input_value() != "K" else "T"
    first_row.locator("a:text-is('Đề nghị sửa')").click()
    expect(gvcn.locator("h1")).to_have_text("Đề nghị sửa rèn luyện")
    gvcn.fill("#new_value", new_key)
    gvcn.fill("#reason", "Xếp nhầm khi đối chiếu biên bản họp lớp.")
    gvcn.click("button:text-is('Gửi đề nghị')")
    expect(gvcn.locator(".page-header .badge")).to_have_text("Chờ PHT duyệt")
    request_url = gvcn.url
    vp.goto(request_url)
    vp.click("button:text-is('Duyệt')")
    expect(vp.locator(".page-header .badge")).to_have_text("Đã duyệt")
    office.goto(request_url)
    office.click("button:text-is('Áp dụng')")
    expect(office.locator(".page-header .badge")).to_have_text("Đã áp dụng")
    principal.reload()
    expect(principal.locator("#conduct-requests")).to_contain_text("Đã áp dụng")
    gvcn.goto(class_url.replace("/year-end", "/conduct/2"))
    expect(gvcn.locator("#conduct-grid tbody tr").first.locator("input[name=level]")).to_have_value(new_key)
    for page in (gvcn, vp, principal, office):
        assert not page.console_errors
