"""The subject teacher's grade book: saving cells (versions, history, audit), refusals, averages, the grid."""
import re
from datetime import datetime
from decimal import Decimal

import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.gradebook.locks import switch_lock
from models.gradebook.marks import MarkCell, MarkChange, grid_for, save_cell
from models.people.records import change_student_status
from models.rules import tt22
from models.school.structure import Semester, TeachingAssignment

NOW = datetime(2024, 10, 1, 8, 0)


@pytest.fixture
def hk1(school):
    return Semester.get((Semester.year == school["year"]) & (Semester.number == 1))


@pytest.fixture
def hk2(school):
    return Semester.get((Semester.year == school["year"]) & (Semester.number == 2))


@pytest.fixture
def unlocked(school, hk1, hk2):
    """The whole school open for entry in both semesters (the small school has no windows)."""
    with write_transaction():
        for semester in (hk1, hk2):
            switch_lock("school", "", False, "Mở sổ để kiểm thử", None, semester=semester,
                        now=datetime(2024, 9, 1))
    return school


def url(school, semester=1, assignment=None):
    return f"/teacher/gradebook/{(assignment or school['assignment']).id}/{semester}"


def student(school, name="Nguyễn Thị An"):
    return school["students"][name]


def post_cell(auth, school, value, name="Nguyễn Thị An", kind="tx", idx=1, version=0, semester=1,
              assignment=None):
    return auth.htmx_post(url(school, semester, assignment) + "/cell",
                          data={"student_id": student(school, name).id, "kind": kind, "idx": idx,
                                "version": version, "row": 0, "value": value})


def stored(school, name="Nguyễn Thị An", kind="tx", idx=1, semester=1):
    return (MarkCell.select().join(Semester)
            .where((MarkCell.student == student(school, name)) & (MarkCell.kind == kind)
                   & (MarkCell.idx == idx) & (Semester.number == semester)).first())


# --- saving through the endpoint -------------------------------------------------------------------

def test_save_a_mark_stores_version_1_with_history_and_audit(login_as, unlocked):
    auth = login_as("giaovien")
    resp = post_cell(auth, unlocked, "8,5")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'value="8,5"' in html and "saved" in html
    assert '"version": 1' in html  # the next save goes against version 1
    cell = stored(unlocked)
    assert (cell.value, cell.version) == ("8.5", 1)
    change = MarkChange.get(MarkChange.cell == cell)
    assert (change.old_value, change.new_value, change.version) == (None, "8.5", 1)
    assert change.changed_by_name == unlocked["users"]["giaovien"].full_name
    entry = AuditEntry.select().where(AuditEntry.action == "mark").get()
    assert entry.entity_id.endswith(f"/6A1/TOAN/HK1/{student(unlocked).code}/tx1")
    assert entry.before_data == {"value": None} and entry.after_data == {"value": "8.5"}


@pytest.mark.parametrize("typed, value", [("8,5", "8.5"), ("8.5", "8.5"), ("85", "8.5"), ("11", "1.1"),
                                          ("10", "10.0"), ("7", "7.0")])
def test_accepted_forms_store_the_canonical_value(login_as, unlocked, typed, value):
    assert tt22.parse_mark(typed) == Decimal(value)  # "11" is the quick form 1,1 (docs/rules.md §1.1)
    auth = login_as("giaovien")
    assert post_cell(auth, unlocked, typed).status_code == 200
    assert stored(unlocked).value == value


@pytest.mark.parametrize("typed", ["abc", "10,5", "8,55", "-1"])
def test_a_wrong_value_is_422_kept_in_the_cell_and_nothing_stored(login_as, unlocked, typed):
    auth = login_as("giaovien")
    resp = post_cell(auth, unlocked, typed)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Điểm phải từ 0 đến 10, tối đa một chữ số thập phân." in html
    assert f'value="{typed}"' in html and "error" in html
    assert MarkCell.select().count() == 0 and MarkChange.select().count() == 0
    assert not AuditEntry.select().where(AuditEntry.action == "mark").exists()


def test_a_stale_version_is_409_with_the_stored_value_and_who(login_as, unlocked, client):
    auth = login_as("giaovien")
    post_cell(auth, unlocked, "7")  # version 1
    post_cell(auth, unlocked, "8", version=1)  # version 2
    resp = post_cell(auth, unlocked, "9", version=1)  # a second browser still at version 1
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert "conflict" in html and 'value="8,0"' in html
    assert unlocked["users"]["giaovien"].full_name in html
    assert '"version": 2' in html
    cell = stored(unlocked)
    assert (cell.value, cell.version) == ("8.0", 2)  # never overwritten
    assert MarkChange.select().count() == 2


def test_the_same_value_again_is_a_no_op(login_as, unlocked):
    auth = login_as("giaovien")
    post_cell(auth, unlocked, "7")
    assert post_cell(auth, unlocked, "7,0", version=1).status_code == 200
    assert stored(unlocked).version == 1 and MarkChange.select().count() == 1


def test_clearing_a_cell_is_a_change_with_history(login_as, unlocked):
    auth = login_as("giaovien")
    post_cell(auth, unlocked, "6")
    assert post_cell(auth, unlocked, "", version=1).status_code == 200
    cell = stored(unlocked)
    assert (cell.value, cell.version) == (None, 2)
    last = MarkChange.select().where(MarkChange.cell == cell).order_by(MarkChange.id.desc()).get()
    assert (last.old_value, last.new_value, last.version) == ("6.0", None, 2)
    # retyped: the delete-then-retype stays visible
    post_cell(auth, unlocked, "6", version=2)
    assert [c.new_value for c in MarkChange.select().order_by(MarkChange.id)] == ["6.0", None, "6.0"]


def test_history_fragment_lists_old_new_who_when(login_as, unlocked, client):
    auth = login_as("giaovien")
    post_cell(auth, unlocked, "6")
    post_cell(auth, unlocked, "", version=1)
    resp = client.get(url(unlocked) + f"/history/{student(unlocked).id}/tx/1", headers={"HX-Request": "true"})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Lịch sử ô điểm" in html and "6,0" in html and "(trống)" in html
    assert unlocked["users"]["giaovien"].full_name in html
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", html)


# --- refusals ----------------------------------------------------------------------------------------

def test_another_teachers_assignment_is_403_on_get_and_post(login_as, unlocked, client):
    other = TeachingAssignment.get(TeachingAssignment.teacher == unlocked["staff"]["totruong"])
    auth = login_as("giaovien")
    assert client.get(url(unlocked, assignment=other)).status_code == 403
    resp = post_cell(auth, unlocked, "8", name="Bùi Thị Cúc", assignment=other)
    assert resp.status_code == 403
    assert client.get(url(unlocked, assignment=other) + f"/history/{student(unlocked).id}/tx/1").status_code == 403
    assert MarkCell.select().count() == 0


def test_a_student_of_another_class_or_a_column_out_of_range_is_refused(login_as, unlocked):
    auth = login_as("giaovien")
    assert post_cell(auth, unlocked, "8", name="Bùi Thị Cúc").status_code == 404  # 6A2
    assert post_cell(auth, unlocked, "8", kind="tx", idx=5).status_code == 400  # Toán has 4 TX
    assert post_cell(auth, unlocked, "8", kind="gk", idx=2).status_code == 400
    assert post_cell(auth, unlocked, "8", kind="xx", idx=1).status_code == 400
    assert MarkCell.select().count() == 0


def test_a_student_who_left_is_refused(login_as, unlocked, client):
    with write_transaction():
        change_student_status(student(unlocked, "Vũ Ánh"), "chuyen_di", datetime(2024, 10, 1).date(),
                              "Theo gia đình", "THCS Khác")
    auth = login_as("giaovien")
    resp = post_cell(auth, unlocked, "8", name="Vũ Ánh")
    assert resp.status_code == 422
    assert "đã rời lớp" in resp.get_data(as_text=True)
    assert MarkCell.select().count() == 0
    page = client.get(url(unlocked)).get_data(as_text=True)
    row = re.search(r'<tr class="greyed">.*?</tr>', page, re.S).group(0)
    assert "Vũ Ánh" in row and "Chuyển đi" in row and "readonly" in row and "hx-post" not in row


def test_a_locked_cell_is_refused_with_the_reason(login_as, unlocked, hk1):
    with write_transaction():
        switch_lock("class_subject", f"{unlocked['classes']['6A1'].id}:{unlocked['subjects']['TOAN'].id}",
                    True, "Khoá để kiểm tra hồ sơ", None, semester=hk1)
    auth = login_as("giaovien")
    resp = post_cell(auth, unlocked, "8")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Cột điểm đang khoá: Đã khoá môn Toán lớp 6A1." in html and "locked" in html and "readonly" in html
    assert MarkCell.select().count() == 0


def test_without_an_open_window_the_schedule_locks(login_as, school):
    auth = login_as("giaovien")
    resp = post_cell(auth, school, "8")
    assert resp.status_code == 422 and "Ngoài thời gian nhập điểm" in resp.get_data(as_text=True)
    assert MarkCell.select().count() == 0


def test_comment_only_subject_takes_levels(login_as, unlocked, client):
    pe = TeachingAssignment.get(TeachingAssignment.subject == unlocked["subjects"]["GDTC"])
    auth = login_as("chunhiem")
    assert post_cell(auth, unlocked, "đ", assignment=pe).status_code == 200
    assert stored(unlocked).value == "Đ"
    assert post_cell(auth, unlocked, "cd", assignment=pe, idx=2).status_code == 200
    assert stored(unlocked, idx=2).value == "CĐ"
    resp = post_cell(auth, unlocked, "8", assignment=pe, kind="gk")
    assert resp.status_code == 422
    assert "Mức đánh giá phải là Đ (Đạt) hoặc CĐ (Chưa đạt)." in resp.get_data(as_text=True)
    assert stored(unlocked, kind="gk") is None


# --- averages ---------------------------------------------------------------------------------------

def fill(school, hk, values, name="Nguyễn Thị An", assignment=None, now=NOW):
    user = school["users"]["giaovien"]
    for (kind, idx), text in values.items():
        result = save_cell(assignment or school["assignment"], hk, student(school, name), kind, idx, text, 0,
                           user, now=now)
        assert result.status == "saved", result.message


def test_average_appears_only_when_all_required_marks_exist(login_as, unlocked, hk1):
    marks = {("tx", 1): "8", ("tx", 2): "7", ("tx", 3): "9", ("gk", 1): "7,5"}
    fill(unlocked, hk1, marks)
    grid = grid_for(unlocked["assignment"], hk1)
    assert [c.label for c in grid.columns] == ["ĐĐGtx 1", "ĐĐGtx 2", "ĐĐGtx 3", "ĐĐGtx 4", "ĐĐGgk", "ĐĐGck"]
    row = grid.rows[[r.student.full_name for r in grid.rows].index("Nguyễn Thị An")]
    assert row.averages.semester is None  # Toán has 140 periods → 4 TX: the fourth is missing
    fill(unlocked, hk1, {("tx", 4): "6", ("ck", 1): "8"})
    expected = tt22.semester_average([Decimal(8), Decimal(7), Decimal(9), Decimal(6)], Decimal("7.5"), Decimal(8))
    assert expected == Decimal("7.7")  # (30 + 15 + 24) / 9 = 7.666…
    # the last save answers with the average, out of band
    auth = login_as("giaovien")
    resp = post_cell(auth, unlocked, "8,0", kind="ck", version=1)
    assert resp.status_code == 200  # same value: no-op, still answers the average
    html = resp.get_data(as_text=True)
    sid = student(unlocked).id
    assert re.search(rf'<template>.*id="avg-{sid}"[^>]*hx-swap-oob="true"[^>]*>7,7</td>', html, re.S)
    page = client_grid(auth, unlocked)
    assert re.search(rf'id="avg-{sid}"[^>]*>7,7</td>', page)


def client_grid(auth, school, semester=1):
    resp = auth.client.get(url(school, semester))
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_semester_two_shows_first_semester_and_year_averages(unlocked, hk1, hk2):
    fill(unlocked, hk1, {("tx", 1): "9", ("tx", 2): "9", ("tx", 3): "9", ("tx", 4): "9", ("gk", 1): "9",
                         ("ck", 1): "9"})
    fill(unlocked, hk2, {("tx", 1): "7", ("tx", 2): "8", ("tx", 3): "7", ("tx", 4): "8", ("gk", 1): "7,5",
                         ("ck", 1): "7,5"}, now=datetime(2025, 3, 1))
    row = next(r for r in grid_for(unlocked["assignment"], hk2).rows if r.student.full_name == "Nguyễn Thị An")
    assert row.averages.first == Decimal("9.0")
    assert row.averages.semester == tt22.semester_average(
        [Decimal(7), Decimal(8), Decimal(7), Decimal(8)], Decimal("7.5"), Decimal("7.5"))
    assert row.averages.year == tt22.year_average(Decimal("9.0"), row.averages.semester)


def test_comment_only_semester_level(unlocked, hk1):
    pe = TeachingAssignment.get(TeachingAssignment.subject == unlocked["subjects"]["GDTC"])
    fill(unlocked, hk1, {("tx", 1): "Đ", ("tx", 2): "Đ", ("gk", 1): "Đ"}, assignment=pe)
    rows = {r.student.full_name: r for r in grid_for(pe, hk1).rows}
    assert rows["Nguyễn Thị An"].averages.semester is None
    fill(unlocked, hk1, {("ck", 1): "CĐ"}, assignment=pe)
    rows = {r.student.full_name: r for r in grid_for(pe, hk1).rows}
    assert rows["Nguyễn Thị An"].averages.semester == "CĐ"


# --- pages -------------------------------------------------------------------------------------------

def test_grid_page_has_the_keyboard_grid(login_as, unlocked, client):
    auth = login_as("giaovien")
    post_cell(auth, unlocked, "9")
    page = client_grid(auth, unlocked)
    assert 'table class="grid"' in page and "js/grid.js" in page
    sid = student(unlocked).id
    cell = re.search(rf'<input[^>]*id="c-{sid}-tx1"[^>]*>', page, re.S).group(0)
    for attr in ('name="value"', 'hx-trigger="change"', 'hx-swap="outerHTML"', 'value="9,0"', "data-row=",
                 'data-col="0"', "hx-vals="):
        assert attr in cell, attr
    assert "ĐTBmhk" in page and "ĐĐGtx 4" in page and "ĐTBmcn" not in page
    assert "ĐTBmcn" in client_grid(auth, unlocked, semester=2)
    # students in Vietnamese order: Anh before Ánh, An (Lê) before An (Nguyễn)
    names = re.findall(r'<th scope="row">([^<]+)', page)
    assert names.index("Lê Văn An") < names.index("Nguyễn Thị An")


def test_locked_column_header_shows_a_padlock(login_as, school, client):
    login_as("giaovien")
    page = client.get(url(school)).get_data(as_text=True)
    assert page.count('aria-label="Đang khoá"') == 6 and "Đang khoá: Ngoài thời gian nhập điểm" in page
    assert "hx-post" not in page


def test_gradebook_lists_assignments_with_progress(login_as, unlocked, client, hk1):
    fill(unlocked, hk1, {("tx", 1): "8", ("tx", 2): "7"})
    login_as("giaovien")
    page = client.get("/teacher/gradebook").get_data(as_text=True)
    assert "Sổ điểm" in page and "Toán" in page and "6A1" in page
    assert "2/42 ô" in page  # 7 students × (4 TX + GK + CK)
    assert url(unlocked) in page


def test_a_saved_cell_keeps_the_grid_addresses(login_as, unlocked):
    """The answer builds the save and history addresses from its own; they must be the grid's."""
    auth = login_as("giaovien")
    sid = student(unlocked).id
    grid = auth.client.get(url(unlocked)).get_data(as_text=True)
    saved = post_cell(auth, unlocked, "8").get_data(as_text=True)

    def addresses(html):
        cell = re.search(rf'<input[^>]*id="c-{sid}-tx1"[^>]*>', html, re.S).group(0)
        return re.search(r'data-history="([^"]+)"', cell).group(1), re.search(r'hx-post="([^"]+)"', cell).group(1)

    assert addresses(saved) == addresses(grid) == (f"{url(unlocked)}/history/{sid}/tx/1", f"{url(unlocked)}/cell")


def test_a_locked_book_says_so_in_a_banner(login_as, school, client):
    """Issue 11: a locked book showed only small padlocks in the column headers."""
    login_as("giaovien")
    html = client.get(url(school)).get_data(as_text=True)  # the small school has no entry window: all closed
    banner = html.split('id="lock-banner">', 1)[1].split("</div>", 1)[0]
    assert "Sổ điểm học kì I đang khoá:" in banner and "Ngoài thời gian nhập điểm." in banner
    assert "Alt+E" in banner


def test_the_banner_names_the_locked_columns(login_as, school, client, hk1):
    """Only the ĐĐGtx and ĐĐGck entry windows open now: the banner names the ĐĐGgk column alone."""
    from models.gradebook.locks import EntryWindow

    with write_transaction():
        for kind in ("tx", "ck"):
            EntryWindow.create(year=school["year"], semester=hk1, kind=kind, opens_at=datetime(2000, 1, 1),
                               closes_at=datetime(2100, 1, 1))
    login_as("giaovien")
    html = client.get(url(school)).get_data(as_text=True)
    banner = html.split('id="lock-banner">', 1)[1].split("</div>", 1)[0]
    assert "Một số cột điểm đang khoá:" in banner and "ĐĐGgk – Ngoài thời gian nhập điểm." in banner
    assert "ĐĐGtx" not in banner and "ĐĐGck" not in banner


def test_the_banner_gives_the_admins_reason(login_as, unlocked, client, hk1):
    a = unlocked["assignment"]
    with write_transaction():
        switch_lock("class_subject", f"{a.school_class_id}:{a.subject_id}", True, "Chờ chấm phúc khảo", None,
                    semester=hk1, now=datetime(2024, 9, 2))
    login_as("giaovien")
    html = client.get(url(unlocked)).get_data(as_text=True)
    banner = html.split('id="lock-banner">', 1)[1].split("</div>", 1)[0]
    assert " ".join(banner.split()).startswith(
        "Sổ điểm học kì I đang khoá: Đã khoá môn Toán lớp 6A1 (lí do: Chờ chấm phúc khảo). Không sửa được")


def test_an_open_book_has_no_lock_banner(login_as, unlocked, client):
    login_as("giaovien")
    assert 'id="lock-banner"' not in client.get(url(unlocked)).get_data(as_text=True)
