"""The accountant in the browser: sets up a fee, charges a class, takes a payment, prints the receipt,
reverses it, and the class balances agree with the ledger."""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login, query

pytestmark = pytest.mark.e2e
# screenshots for a person to look at; a temp folder unless SOTRUONG_SHOTS names one
SHOTS = Path(os.environ.get("SOTRUONG_SHOTS", "/tmp"))


def test_accountant_fee_to_reversed_receipt(page, demo_server):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, demo_server, "ketoan")
    page.goto(demo_server + "/accountant/")
    cells = page.get_by_role("row", name=re.compile(r"^6A1 ")).locator("td")
    paid_before = cells.nth(3).inner_text()
    page.goto(demo_server + "/accountant/fees")
    page.fill("#name", "Học phí thử")
    page.fill("#amount", "155.555")
    page.select_option("#period", "month")
    page.click("button:has-text('Thêm khoản thu')")
    expect(page.locator("table.data")).to_contain_text("155.555 đ")
    page.screenshot(path=str(SHOTS / "finance-fees.png"), full_page=True)

    page.goto(demo_server + "/accountant/charges")
    page.select_option("#class_id", label="6A1")
    page.select_option("#period", "2024-09")
    page.check("label:has-text('Học phí thử') input")
    page.click("button:has-text('Lập khoản phải thu')")
    expect(page.locator(".flash.success")).to_contain_text("khoản phải thu cho lớp 6A1")
    page.screenshot(path=str(SHOTS / "finance-class.png"), full_page=True)

    page.locator("table.data tbody a").first.click()
    expect(page.locator(".card h2").first).to_have_text("Thu tiền")
    page.fill("#payer", "Phụ huynh thử")
    page.click("button:has-text('Thu tiền và lập phiếu thu')")
    expect(page.locator(".flash.success")).to_contain_text("Đã lập phiếu thu số")
    page.click("text=In phiếu thu vừa lập")
    expect(page.locator("body")).to_contain_text("Một trăm năm mươi lăm nghìn năm trăm năm mươi lăm đồng")
    page.screenshot(path=str(SHOTS / "finance-receipt.png"), full_page=True)
    pdf_url = page.locator("a:has-text('Tải PDF')").get_attribute("href")
    pdf = page.request.get(demo_server + pdf_url)
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (SHOTS / "finance-receipt.pdf").write_bytes(pdf.body())
    page.go_back()

    page.fill("input[name=reason]", "Thu nhầm, thử huỷ")
    page.click("button:has-text('Huỷ phiếu')")
    expect(page.locator(".flash.success")).to_contain_text("Đã huỷ phiếu thu số")
    expect(page.locator("table.data").last).to_contain_text("Đã huỷ")
    page.screenshot(path=str(SHOTS / "finance-student.png"), full_page=True)

    page.goto(demo_server + "/accountant/")
    cells = page.get_by_role("row", name=re.compile(r"^6A1 ")).locator("td")
    expect(cells.nth(3)).to_have_text(paid_before)  # đã thu: the payment and its reversal cancel out
    item = query(demo_server, "SELECT id FROM fee_item WHERE name = ?", "Học phí thử")[0][0]
    lines = query(demo_server, "SELECT l.amount FROM payment_line l JOIN charge c ON c.id = l.charge_id "
                               "WHERE c.fee_item_id = ?", item)
    assert sorted(a for (a,) in lines) == [-155_555, 155_555]
    page.screenshot(path=str(SHOTS / "finance-home.png"), full_page=True)
