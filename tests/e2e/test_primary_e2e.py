"""A primary school (TT27) as a new user tries it in headless Chromium (issue 14, "Done when"): on the primary
demo, giaovien (English in grade 4) types levels, test scores and comments into 4A1's grid from the keyboard and
a 7,5 is refused; chunhiem (homeroom teacher of 4A1) rates qualities and competences and sees the year-end
results. Screenshots go to the test's temp folder."""
import os
import socket
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, DemoServer, _free_port, login, query, ready, run_python

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


@pytest.fixture(scope="module")
def primary_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e-primary")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/primary.db", SECRET_KEY="e2e-secret",
               HOST="127.0.0.1", PORT=str(_free_port()))
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run(flask + ["seed-demo", "--level", "primary", "--today", DEMO_DAY], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", OPEN_THE_BOOK], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = DemoServer(f"http://127.0.0.1:{env['PORT']}")
    base.db_path, base.db_url = folder / "primary.db", env["DATABASE_URL"]
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", int(env["PORT"])), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    base.folder = folder
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def cells(server, field, moment="CHK1"):
    """4A1's values of a field at a moment (the demo day already holds the seeded GHK1 values)."""
    return query(server, "SELECT c.value FROM primary_cell c JOIN school_class k ON k.id = c.school_class_id "
                         "WHERE k.name = '4A1' AND c.field = ? AND c.moment = ? ORDER BY c.id", field, moment)


def test_a_teacher_types_levels_scores_and_comments_and_7_5_is_refused(primary_server, page):
    login(page, primary_server, "giaovien")
    page.goto(primary_server + "/teacher/gradebook")
    row = page.locator("table.data tbody tr").filter(has=page.get_by_role("cell", name="4A1", exact=True))
    row.get_by_role("link", name="Mở sổ").first.click()
    expect(page.locator("h1")).to_contain_text("Ngoại ngữ 1 – lớp 4A1 · Giữa học kì I")
    expect(page.locator("#grade-grid thead")).not_to_contain_text("Điểm KTĐK")  # no English test at mid-term
    page.get_by_role("link", name="Cuối học kì I").click()
    expect(page.locator("#grade-grid thead")).to_contain_text("Điểm KTĐK")
    ready(page)
    first = page.locator("#grade-grid tbody tr").first.locator("input").first
    first.click()
    page.keyboard.type("t")
    page.keyboard.press("Tab")
    page.keyboard.type("9")
    page.keyboard.press("Tab")
    page.keyboard.type("Phát âm rõ, mạnh dạn giao tiếp.")
    page.keyboard.press("Enter")  # down to the second pupil's comment
    page.keyboard.press("ArrowLeft")
    page.keyboard.type("7,5")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#cell-msg")).to_contain_text("không cho điểm thập phân")
    page.keyboard.type("h")
    page.keyboard.press("Enter")
    expect(page.locator("#grade-grid tbody tr").nth(1).locator("input").first).to_have_value("H")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(primary_server.folder / "primary-grid.png"), full_page=False)
    assert cells(primary_server, "level") == [("T",), ("H",)]
    assert cells(primary_server, "score") == [("9",)]
    assert cells(primary_server, "comment") == [("Phát âm rõ, mạnh dạn giao tiếp.",)]
    # Alt+H on the first pupil's level: its history, the change just typed
    page.locator("#grade-grid tbody tr").first.locator("input").first.focus()
    page.keyboard.press("Alt+h")
    dialog = page.locator("#history-dialog")
    expect(dialog).to_contain_text("Lịch sử ô đánh giá")
    expect(dialog.locator("tbody tr")).to_have_count(1)
    expect(dialog.locator("tbody tr").first).to_contain_text("T")
    page.keyboard.press("Escape")


def test_the_demo_day_holds_the_mid_term_assessments_and_their_history_says_so(primary_server, page):
    login(page, primary_server, "giaovien")
    page.goto(primary_server + "/teacher/gradebook")
    row = page.locator("table.data tbody tr").filter(has=page.get_by_role("cell", name="4A1", exact=True))
    row.get_by_role("link", name="Mở sổ").first.click()
    expect(page.locator("h1")).to_contain_text("Giữa học kì I")
    first = page.locator("#grade-grid tbody tr").first.locator("input").first
    expect(first).not_to_have_value("")
    ready(page)
    first.focus()
    page.keyboard.press("Alt+h")
    expect(page.locator("#history-dialog")).to_contain_text("dữ liệu ban đầu")
    page.screenshot(path=str(primary_server.folder / "primary-history.png"), full_page=False)


def test_the_homeroom_teacher_rates_and_sees_the_final_results(primary_server, page):
    # the subjects' end-of-year levels and tests of 4A1's first pupil, as its teachers would have entered them
    run_python(primary_server, """
        from models.people.accounts import User
        from models.primary import assessments as pa
        from models.school.structure import SchoolClass, TeachingAssignment, class_roster
        c = SchoolClass.get(SchoolClass.name == "4A1")
        pupil = class_roster(c)[0].student
        for a in TeachingAssignment.select().where(TeachingAssignment.school_class == c):
            user = User.get(User.staff == a.teacher_id)
            assert pa.save_subject_cell(a, "CN", pupil, "level", "T", 0, user).ok
            if "score" in pa.fields_of(c, a.subject, "CN"):
                assert pa.save_subject_cell(a, "CN", pupil, "score", "10", 0, user).ok
    """)
    login(page, primary_server, "chunhiem")
    page.get_by_role("link", name="Phẩm chất, năng lực và kết quả cuối năm").click()
    expect(page.locator("h1")).to_contain_text("Phẩm chất, năng lực – lớp 4A1 · Cuối năm học")
    first_row = page.locator("#grade-grid tbody tr").first
    expect(first_row.locator("td.result")).to_contain_text("Chưa đánh giá")
    ready(page)
    first_row.locator("input").first.click()
    for _ in range(15):
        page.keyboard.type("t")
        page.keyboard.press("Tab")
    page.wait_for_load_state("networkidle")
    page.reload()
    expect(page.locator("#grade-grid tbody tr").first.locator("td.result")).to_have_text("Hoàn thành xuất sắc")
    expect(page.locator("#grade-grid tbody tr").nth(1).locator("td.result")).to_contain_text("Chưa đủ đánh giá")
    page.screenshot(path=str(primary_server.folder / "primary-traits.png"), full_page=False)
    assert query(primary_server, "SELECT count(*) FROM primary_trait WHERE value = 'T' AND moment = 'CN'") == [(15,)]
