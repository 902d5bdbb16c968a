"""Notices to families in the browser (issue #17 part B): the admin points the school at its Android phone
(a fake SMS gateway on loopback), chunhiem makes the day's notices of 6A1 from attendance, sends them, the
sender (`flask send-notices`) hands them to the phone and reads the delivery reports back, chunhiem prints
the class's slips; totruong reads the month's notices and monthly comments of the Toán – Tin department."""
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import ROOT, login, query, run_python
from tests.fake_sms_gateway import LOGIN, PASSWORD, FakeGateway

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("SOTRUONG_SHOTS", "/tmp"))


def send_notices(server) -> str:
    env = dict(os.environ, DATABASE_URL=server.db_url, SECRET_KEY="e2e-secret")
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "send-notices", "--once"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def test_day_notices_go_by_sms_come_back_delivered_and_print(page, new_page, demo_server, tmp_path):
    # the demo left the last absence day's notices for the homeroom teacher to make
    day = date.fromisoformat(query(demo_server, "SELECT max(day) FROM family_notice")[0][0])
    with FakeGateway() as gateway:
        login(page, demo_server, "admin")
        page.get_by_role("link", name="Thông báo gia đình").click()
        page.check("#ch_sms")
        page.fill("#g_url", gateway.url)
        page.fill("#g_login", LOGIN)
        page.fill("#g_password", PASSWORD)
        page.fill("#g_rate", "120")
        page.click("button:has-text('Lưu cách gửi')")
        expect(page.locator(".flash.success")).to_contain_text("Đã lưu cách gửi")

        teacher = new_page()
        login(teacher, demo_server, "chunhiem")
        teacher.get_by_role("link", name="Thông báo gia đình").first.click()
        teacher.fill("#f_day", day.strftime("%d/%m/%Y"))
        teacher.click("button:has-text('Xem')")
        expect(teacher.locator(".card h2").first).to_have_text(f"Nghỉ học, vi phạm ngày {day:%d/%m/%Y}")
        expect(teacher.locator(".card").nth(0)).to_contain_text("Chưa lập")
        # the SMS is counted as it is typed, without diacritics, for the longest name of the class
        teacher.fill("#n_content", "Thứ Bảy họp cha mẹ học sinh lúc 7 giờ 30.")
        expect(teacher.locator("#compose-count")).to_contain_text("/160 ký tự (GSM-7), với tên dài nhất lớp")
        teacher.fill("#n_content", "Đề nghị " * 30)
        expect(teacher.locator("#compose-count")).to_contain_text("quá một tin SMS")
        teacher.fill("#n_content", "")
        teacher.click("#make-day")
        # the absence left for the day, and the violations the giám thị recorded in 6A1 that day
        expect(teacher.locator(".flash.success")).to_contain_text(re.compile(r"Đã lập [1-9]\d* thông báo"))
        waiting = teacher.locator('#notices [data-state="pending"]').count()
        assert waiting >= 1
        teacher.click("#send")
        expect(teacher.locator(".flash")).to_contain_text(f"Đã đưa {waiting} tin vào hàng đợi gửi SMS")
        teacher.screenshot(path=str(SHOTS / "families-queued.png"), full_page=True)

        expect(teacher.locator("#state-poller")).to_contain_text("trạng thái tự cập nhật")
        send_notices(demo_server)
        # the page polls the states while SMS are on their way: no reload needed
        expect(teacher.locator('#notices [data-state="delivered"]')).to_have_count(waiting, timeout=20_000)
        expect(teacher.locator("#state-poller")).to_have_text("")
        expect(teacher.locator('#notices [data-state="pending"]')).to_have_count(0)
        teacher.screenshot(path=str(SHOTS / "families-delivered.png"), full_page=True)
        texts = [m["textMessage"]["text"] for m in gateway.accepted]
        assert len(texts) == waiting and all(re.fullmatch(r"[\x20-\x7e]+", t) for t in texts)
        assert all(len(t) <= 160 for t in texts)
        # a second run of the sender sends nothing again
        send_notices(demo_server)
        assert gateway.posts == waiting

        with teacher.expect_download() as download:
            teacher.click("#print-slips")
        pdf = tmp_path / "phieu-lien-lac.pdf"
        download.value.save_as(pdf)
        assert download.value.suggested_filename.endswith(".pdf")
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 1
        assert "PHIẾU LIÊN LẠC" in reader.pages[0].extract_text().upper()

    # back to the demo's printed slips for the other tests
    run_python(demo_server, """
        from models.families import settings
        settings.save_settings({"channel": "print"}, None)
    """)

    head = new_page()
    login(head, demo_server, "totruong")
    head.get_by_role("link", name="Thông báo gia đình của tổ").click()
    head.goto(f"{demo_server}/teacher/department/notices?month={day:%Y-%m}")
    expect(head.locator("h1")).to_contain_text(f"tháng {day.month}/{day.year}")
    expect(head.locator("#members")).to_contain_text("Bùi Kim Xuân")
    expect(head.locator("body")).to_contain_text("Em học tốt môn Toán")
    expect(head.locator('[data-state="delivered"]').first).to_be_visible()
    head.screenshot(path=str(SHOTS / "families-department.png"), full_page=True)
    assert teacher.console_errors == [] and head.console_errors == []
