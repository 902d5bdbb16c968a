"""Lesson plans as new users try them in headless Chromium (issue #16, "Done when", part B): giaovien uploads a
lesson plan, totruong returns it with a comment, giaovien uploads a new version, totruong approves it."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, query
from tests.test_rules_teaching_plans import DOCX

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_upload_return_new_version_approve(page, new_page, demo_server, tmp_path):
    first, second = tmp_path / "Tiết 50 - Ôn tập.pdf", tmp_path / "Tiết 50 - Ôn tập (sửa).docx"
    first.write_bytes(PDF)
    second.write_bytes(DOCX)
    login(page, demo_server, "giaovien")
    page.get_by_role("link", name="Kế hoạch bài dạy").click()
    page.get_by_role("link", name="Soạn kế hoạch mới").click()
    page.select_option("#assignment", index=1)
    page.fill("#lesson_date", "13/01/2025")
    page.fill("#lesson_number", "50")
    page.fill("#title", "Ôn tập chương số nguyên")
    page.get_by_label("Tệp PDF, DOCX hoặc ODT").set_input_files(first)
    page.get_by_role("button", name="Nộp cho tổ trưởng").click()
    expect(page.locator("h1")).to_contain_text("Tiết 50: Ôn tập chương số nguyên")
    expect(page.locator("#plan-state")).to_contain_text("Đã nộp")

    head = new_page()
    login(head, demo_server, "totruong")
    head.get_by_role("link", name="Duyệt kế hoạch bài dạy").click()
    head.fill("input[name=week]", "13/01/2025")
    head.get_by_role("button", name="Xem").click()
    row = head.locator("#department-plans tr", has_text="Ôn tập chương số nguyên")
    row.get_by_role("link", name="Duyệt").click()
    with head.expect_download() as download:
        head.locator("#plan-content").get_by_role("link", name="Tiết 50 - Ôn tập.pdf").click()
    assert open(download.value.path(), "rb").read() == PDF
    head.get_by_role("button", name="Trả lại giáo viên").click()
    expect(head.locator(".flash.error")).to_contain_text("ghi ý kiến")
    head.fill("#comment", "Thêm bài tập vận dụng cho học sinh khá giỏi.")
    head.get_by_role("button", name="Trả lại giáo viên").click()
    expect(head.locator("h1")).to_have_text("Kế hoạch bài dạy của tổ")

    page.reload()
    expect(page.locator("#plan-state")).to_contain_text("Bị trả lại")
    expect(page.locator("#return-comment")).to_contain_text("Thêm bài tập vận dụng cho học sinh khá giỏi.")
    page.get_by_label("Tệp PDF, DOCX hoặc ODT").set_input_files(second)
    page.get_by_role("button", name="Nộp cho tổ trưởng").click()
    expect(page.locator("#plan-state")).to_contain_text("Đã nộp")
    expect(page.locator("#plan-versions tbody tr")).to_have_count(2)
    expect(page.locator("#plan-versions")).to_contain_text("Tiết 50 - Ôn tập (sửa).docx")

    head.reload()  # the week's list as it is now: the new version waits for review
    head.locator("#department-plans tr", has_text="Ôn tập chương số nguyên").get_by_role("link", name="Duyệt").click()
    expect(head.locator("#plan-content")).to_contain_text("(lần 2)")
    head.get_by_role("button", name="Duyệt").click()
    expect(head.locator("#department-plans tr", has_text="Ôn tập chương số nguyên")).to_contain_text("Đã duyệt")

    page.reload()
    expect(page.locator("#plan-state")).to_contain_text("Đã duyệt")
    rows = query(demo_server, "select v.number, v.outcome, v.comment, v.file_name from lesson_plan_version v "
                              "join lesson_plan p on p.id = v.plan_id where p.title = ? order by v.number",
                 "Ôn tập chương số nguyên")
    assert rows == [(1, "returned", "Thêm bài tập vận dụng cho học sinh khá giỏi.", "Tiết 50 - Ôn tập.pdf"),
                    (2, "approved", "", "Tiết 50 - Ôn tập (sửa).docx")]
    assert page.console_errors == []
    assert [e for e in head.console_errors if "422" not in e] == []  # the return without a comment answers 422
