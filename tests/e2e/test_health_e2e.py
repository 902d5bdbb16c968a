"""School health as a new user tries it in headless Chromium (issue 18, "Done when").

yte enters a class's periodic check from the keyboard (a 300 cm pupil refused), gives medicine in the clinic
log and sees the stock fall, prints a parent notice; chunhiem sees only the alerts of 6A1; giaovien nothing.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, query, ready

pytestmark = pytest.mark.e2e


def test_the_nurse_enters_a_check_from_the_keyboard(page, demo_server):
    login(page, demo_server, "yte")
    page.get_by_role("link", name="Khám định kỳ").click()
    page.select_option("#class_id", label="6A2")
    page.fill("#on", "03/12/2024")
    page.get_by_role("button", name="Mở bảng nhập").click()
    expect(page.locator("h1")).to_contain_text("lớp 6A2, ngày 03/12/2024")
    ready(page)
    page.locator("#grade-grid input[data-row='0'][data-col='0']").click()
    for value in ("140", "35,5", "10", "8"):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.type("c")
    page.keyboard.press("Enter")  # down to the next row: the row above is saved
    first_id = int(page.locator("#grade-grid tbody tr").first.locator("input[name=student_id]").get_attribute("value"))
    expect(page.locator(f"#calc-{first_id}")).not_to_be_empty()
    page.locator("#grade-grid input[data-row='1'][data-col='0']").click()
    page.keyboard.type("300")
    page.keyboard.press("Enter")
    expect(page.locator("#cell-msg")).to_contain_text("Chiều cao 300 cm không hợp lí")
    # the cells save one by one: wait for the last of the first row (refraction) before reading the row
    for _ in range(50):
        rows = query(demo_server, "select student_id, height_cm, weight_kg, refraction from health_check "
                                  "where checked_on = '2024-12-03'")
        if rows and rows[0][3]:
            break
        page.wait_for_timeout(100)
    assert len(rows) == 1 and rows[0][0] == first_id and float(rows[0][1]) == 140 and float(rows[0][2]) == 35.5
    assert rows[0][3] == "C"
    assert [e for e in page.console_errors if "422" not in e] == []  # the refused cell answers 422


def _usable(page, name):
    return int(page.locator("#stock-table tr", has_text=name).locator("td.num").first.inner_text())


def test_medicine_given_in_the_clinic_log_leaves_the_stock(page, demo_server):
    login(page, demo_server, "yte")
    page.goto(demo_server + "/nurse/stock")
    # the demo's batches date from its own year: a fresh one, as the nurse would receive it
    page.select_option("#in_item", label="Paracetamol 500 mg")
    page.fill("#in_qty", "50")
    page.fill("#in_exp", "31/12/2099")
    page.get_by_role("button", name="Nhập kho").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã nhập kho")
    before = _usable(page, "Paracetamol")
    page.get_by_role("link", name="Sổ theo dõi y tế").click()
    page.fill("#q", "an")
    page.get_by_role("button", name="Tìm").click()
    page.locator("ul.plain a").first.click()
    page.fill("#complaint", "Sốt 38,5 độ")
    page.fill("#treatment", "Chườm mát, uống hạ sốt")
    option = page.locator("#item_0 option", has_text="Paracetamol").get_attribute("value")
    page.select_option("#item_0", value=option)
    page.fill("#qty_0", "2")
    page.get_by_role("button", name="Ghi sổ").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã ghi sổ y tế")
    expect(page.locator("table.data tbody tr").first).to_contain_text("2 viên Paracetamol 500 mg")
    page.get_by_role("link", name="Thuốc và vật tư").click()
    assert _usable(page, "Paracetamol") == before - 2


def test_the_nurse_prints_a_parent_notice(page, demo_server):
    student_id = query(demo_server, "select student_id from health_check order by id limit 1")[0][0]
    login(page, demo_server, "yte")
    page.goto(f"{demo_server}/nurse/student/{student_id}")
    page.get_by_role("link", name="Phiếu thông báo cho phụ huynh").click()
    expect(page.locator("body")).to_contain_text("Phiếu thông báo kết quả khám sức khỏe")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    path = download.value.path()
    assert open(path, "rb").read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")


def test_the_homeroom_teacher_sees_only_their_class_alerts(page, demo_server):
    login(page, demo_server, "chunhiem")
    page.goto(demo_server + "/homeroom/")
    page.get_by_role("link", name="Lưu ý sức khỏe").click()
    expect(page.locator("h1")).to_have_text(re.compile("Lưu ý sức khỏe – lớp 6A1"))
    expect(page.locator("#health-alerts")).to_be_visible()
    assert "Nhóm máu" not in page.content() and "BHYT" not in page.content()
    assert page.goto(demo_server + "/nurse/").status == 403


def test_another_teacher_sees_nothing(page, demo_server):
    login(page, demo_server, "giaovien")
    assert page.goto(demo_server + "/nurse/").status == 403
    class_id = query(demo_server, "select c.id from school_class c join school_year y on y.id = c.year_id "
                                  "where c.name = '6A1' order by y.start_year desc limit 1")[0][0]
    assert page.goto(f"{demo_server}/homeroom/class/{class_id}/health").status == 403
