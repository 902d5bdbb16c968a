"""A person signs in through the browser and lands on their own home; the page obeys the CSP."""
import pytest
from playwright.sync_api import expect

from models.rules.text import vietnamese_sort_key
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

HOMES = [
    ("admin", "/admin/", "Quản trị hệ thống"),
    ("phohieutruong", "/vice-principal/", "Tổng quan nhà trường"),
    ("giaovien", "/teacher/", "Lớp tôi dạy"),
    ("chunhiem", "/homeroom/", "Lớp 6A1"),
    ("yte", "/nurse/", "Y tế học đường"),
    ("ketoan", "/accountant/", "Sĩ số các lớp"),
    ("giamthi", "/discipline/", "Nề nếp các lớp"),
]


def test_login_page_lists_the_demo_accounts(page, demo_server):
    page.goto(demo_server + "/login")
    expect(page.locator(".demo-accounts")).to_contain_text("chunhiem")
    expect(page.locator(".demo-accounts")).to_contain_text("sotruong-demo")


@pytest.mark.parametrize("username,path,heading", HOMES)
def test_demo_account_lands_on_its_home(page, demo_server, username, path, heading):
    login(page, demo_server, username)
    assert path in page.url
    expect(page.locator("h1")).to_contain_text(heading)
    # htmx and app.js loaded from our own static folder, nothing blocked by the CSP
    assert page.evaluate("typeof window.htmx") == "object"
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def test_wrong_password_shows_a_vietnamese_message(page, demo_server):
    login(page, demo_server, "giaovien", "sai-mat-khau-roi")
    expect(page.locator(".flash.error")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")


def test_homeroom_class_list_in_vietnamese_order(page, demo_server):
    login(page, demo_server, "chunhiem")
    names = page.locator("table.data tbody tr td:nth-child(2)").all_inner_texts()
    assert len(names) >= 40
    assert names == sorted(names, key=vietnamese_sort_key)
    assert names != sorted(names)  # plain code-point order would differ (Đ after Z, given name last)
