"""An upper-secondary school (THPT) as a new user tries it in headless Chromium (issue 15, "Done when"): on the
THPT demo, giaovien's Toán grids of 10A1 (group TN1, with a Toán chuyên đề) and 10A2 (XH1) differ; the two
students of 10A2 who take Tin học with 10A1 are in giaovien's 10A1 Tin học grid, a mark typed there is stored in
their own class's book, and 10A2's class book PDF (built by the print worker) prints it, under a cover that says
TRUNG HỌC PHỔ THÔNG. Screenshots and the PDF's pages as PNG go to the test's temp folder."""
import io
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, DemoServer, _free_port, login, query

pytestmark = pytest.mark.e2e

DEMO_DAY = "2024-12-02"
OPEN_THE_BOOK = """
from app import create_app
from models.core import db, write_transaction
from models.gradebook.locks import switch_lock
from models.school.structure import Semester
app = create_app()
with db.connection_context(), write_transaction():
    for semester in Semester.select():
        switch_lock("school", "", False, "Kiểm thử: mở sổ để nhập", None, semester=semester)
"""
GUESTS = ("Phạm Bảo Mai", "Nguyễn Thị Khánh")  # of 10A2, Tin học with 10A1 instead of Công nghệ


@pytest.fixture(scope="module")
def thpt_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-thpt")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/thpt.db", SECRET_KEY="e2e-secret",
               HOST="127.0.0.1", PORT=str(_free_port()), SOTRUONG_UPLOAD_DIR=str(folder / "uploads"),
               SOTRUONG_PRINT_CACHE_DIR=str(folder / "print_cache"))
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run(flask + ["seed-demo", "--level", "thpt", "--today", DEMO_DAY], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", OPEN_THE_BOOK], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = DemoServer(f"http://127.0.0.1:{env['PORT']}")
    base.db_path, base.db_url = folder / "thpt.db", env["DATABASE_URL"]
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", int(env["PORT"])), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("the THPT demo server did not start: " + (folder / "server.log").read_text())
    base.folder = folder
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def assignment_id(server, class_name: str, subject_code: str) -> int:
    return query(server, "SELECT ta.id FROM teaching_assignment ta JOIN school_class c ON c.id = ta.school_class_id "
                         "JOIN subject s ON s.id = ta.subject_id JOIN account u ON u.staff_id = ta.teacher_id "
                         "WHERE u.username = 'giaovien' AND c.name = ? AND s.code = ?", class_name, subject_code)[0][0]


def headers(page) -> list[str]:
    return [h.strip() for h in page.locator("#grade-grid thead th").all_inner_texts()]


def names(page) -> list[str]:
    return [n.split("\n")[0].strip() for n in page.locator("#grade-grid tbody th").all_inner_texts()]


def test_two_grade_10_classes_of_different_groups_show_different_grids(thpt_server, page):
    login(page, thpt_server, "giaovien")
    page.goto(thpt_server + f"/teacher/gradebook/{assignment_id(thpt_server, '10A1', 'TOAN')}/1")
    expect(page.locator("h1")).to_contain_text("Toán – lớp 10A1")
    one, one_names = headers(page), names(page)
    page.screenshot(path=str(thpt_server.folder / "grid-10A1-toan.png"), full_page=False)
    page.goto(thpt_server + f"/teacher/gradebook/{assignment_id(thpt_server, '10A2', 'TOAN')}/1")
    expect(page.locator("h1")).to_contain_text("Toán – lớp 10A2")
    two, two_names = headers(page), names(page)
    page.screenshot(path=str(thpt_server.folder / "grid-10A2-toan.png"), full_page=False)
    # Toán 105 periods: four ĐĐGtx; 10A1's group TN1 adds the Toán chuyên đề's fifth
    assert "ĐĐGtx 5" in one and "ĐĐGtx 5" not in two and "ĐĐGtx 4" in two
    assert one_names and two_names and not set(one_names) & set(two_names)
    # the teacher's list shows Tin học in 10A1 (group TN1) but not in 10A2 (XH1 studies Công nghệ)
    page.goto(thpt_server + "/teacher/gradebook")
    table = page.locator("table.data tbody")
    expect(table.locator("tr").filter(has=page.get_by_role("cell", name="10A1", exact=True))).to_have_count(2)
    expect(table.locator("tr").filter(has=page.get_by_role("cell", name="10A2", exact=True))).to_have_count(1)


def test_a_guest_is_in_the_teachers_grid_and_in_their_own_class_book_pdf(thpt_server, page, new_page):
    login(page, thpt_server, "giaovien")
    page.goto(thpt_server + f"/teacher/gradebook/{assignment_id(thpt_server, '10A1', 'TIN')}/1")
    expect(page.locator("h1")).to_contain_text("Tin học – lớp 10A1")
    guest = page.locator("#grade-grid tbody tr").filter(has_text=GUESTS[0])
    expect(guest.locator("th .badge")).to_have_text("Lớp 10A2")
    expect(page.locator("#grade-grid tbody tr").filter(has_text=GUESTS[1]).locator("th .badge")).to_have_text("Lớp 10A2")
    guest.scroll_into_view_if_needed()  # the grid scrolls inside its frame: the guests come last
    page.screenshot(path=str(thpt_server.folder / "grid-10A1-tin-guests.png"))
    # the guest's ĐĐGck (the finals come after the demo's day): typed in 10A1's grid ...
    guest.locator("input[id$='-ck1']").click()
    page.keyboard.type("9,5")
    page.keyboard.press("Tab")  # leaving the cell saves it
    # ... stored in 10A2's book
    rows, deadline = [], time.time() + 15
    while not rows and time.time() < deadline:
        page.wait_for_timeout(300)
        rows = query(thpt_server, "SELECT k.name, c.value FROM mark_cell c JOIN school_class k ON k.id = c.school_class_id "
                                  "JOIN student s ON s.id = c.student_id JOIN subject j ON j.id = c.subject_id "
                                  "WHERE s.full_name = ? AND j.code = 'TIN' AND c.kind = 'ck' AND c.value IS NOT NULL",
                     GUESTS[0])
    assert rows == [("10A2", "9.5")]
    page.reload()
    expect(page.locator("#grade-grid tbody tr").filter(has_text=GUESTS[0]).locator("input[id$='-ck1']")) \
        .to_have_value("9,5")

    # 10A2's class book, built by the print worker as the office prints it
    office = new_page()
    login(office, thpt_server, "hieutruong")
    class_id = query(thpt_server, "SELECT id FROM school_class WHERE name = '10A2'")[0][0]
    office.goto(thpt_server + f"/print/class-book/{class_id}")
    expect(office.locator("h1")).to_contain_text("lớp 10A2")
    expect(office.locator("table.data")).to_contain_text("Tin học")
    office.get_by_role("button", name="Tải PDF").click()
    expect(office.locator("#job-progress")).to_contain_text("Đã xong", timeout=300_000)
    with office.expect_download(timeout=60_000) as download:
        office.locator("#job-progress").get_by_role("link", name="Tải PDF").click()
    pdf = thpt_server.folder / "class-book-10A2.pdf"
    download.value.save_as(pdf)

    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages]
    assert "CẤP TRUNG HỌC PHỔ THÔNG" in pages[0] and "Lớp: 10A2" in pages[0]
    tin = next(text for text in pages if "PHẦN GHI ĐIỂM HỌC KÌ I" in text and "Môn: Tin học" in text)
    assert GUESTS[0] in tin and GUESTS[1] in tin and "9,5" in tin
    if shutil.which("pdftoppm"):
        number = pages.index(tin) + 1
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf),
                        str(thpt_server.folder / "cover")], check=True)
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", str(number), "-l", str(number), str(pdf),
                        str(thpt_server.folder / "tin-hoc")], check=True)
