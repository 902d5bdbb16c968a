"""The vice-principal's and head of department's monitoring: progress, distribution, anomalies, comments."""
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.gradebook.locks import EntryWindow, switch_lock
from models.gradebook.marks import MarkCell, MarkChange, save_cell
from models.gradebook.monitoring import (
    BURST_CHANGES,
    ClassBookComment,
    anomalies,
    comments_for,
    deadline_dates,
    distribution,
    progress_rows,
)
from models.people.records import change_student_status
from models.school.structure import Department, Grade, Semester, TeachingAssignment
from tests.factories import STUDENTS_6A1

DAY = datetime(2024, 9, 20, 8, 0)


@pytest.fixture
def hk1(school):
    return Semester.get((Semester.year == school["year"]) & (Semester.number == 1))


@pytest.fixture
def book(school, hk1):
    """The small school with its book open (no windows; a school-wide unlock switch)."""
    with write_transaction():
        switch_lock("school", "", False, "Mở sổ để kiểm thử", None, semester=hk1, now=datetime(2024, 9, 1))
    return school


def assignment_of(school, class_name, subject="TOAN"):
    return TeachingAssignment.get((TeachingAssignment.school_class == school["classes"][class_name])
                                  & (TeachingAssignment.subject == school["subjects"][subject]))


def put(school, hk1, value, name=STUDENTS_6A1[0], kind="tx", idx=1, at=DAY, user="giaovien", class_name="6A1",
        subject="TOAN"):
    """Save one cell as a teacher would, against the version stored now."""
    a = assignment_of(school, class_name, subject)
    student = school["students"][name]
    cell = MarkCell.get_or_none((MarkCell.school_class == a.school_class_id) & (MarkCell.subject == a.subject_id)
                                & (MarkCell.semester == hk1) & (MarkCell.student == student)
                                & (MarkCell.kind == kind) & (MarkCell.idx == idx))
    result = save_cell(a, hk1, student, kind, idx, value, cell.version if cell else 0, school["users"][user],
                       now=at)
    assert result.ok, result.message
    return MarkCell.get((MarkCell.student == student) & (MarkCell.kind == kind) & (MarkCell.idx == idx)
                        & (MarkCell.subject == a.subject_id) & (MarkCell.semester == hk1))


def fill_tx(school, hk1, count, value="7"):
    """The first `count` ĐĐGtx cells of 6A1 Toán, student by student."""
    cells = [(name, idx) for name in STUDENTS_6A1 for idx in range(1, 5)][:count]
    return [put(school, hk1, value, name, "tx", idx) for name, idx in cells]


def row_for(rows, school, class_name="6A1"):
    return next(r for r in rows if r.assignment.school_class_id == school["classes"][class_name].id
                and r.assignment.subject.code == "TOAN")


# --- progress -------------------------------------------------------------------------------------

def test_progress_counts_tx_gk_ck_against_the_students_still_in_the_class(book, hk1):
    fill_tx(book, hk1, 13)
    put(book, hk1, "8", kind="gk")
    put(book, hk1, "9", kind="ck")
    put(book, hk1, "", kind="tx", idx=1)  # a cleared cell is not entered
    row = row_for(progress_rows(hk1, today=date(2024, 10, 1)), book)
    assert (row.students, row.tx_required, row.tx_filled, row.gk_filled, row.ck_filled) == (7, 28, 12, 1, 1)
    with write_transaction():
        change_student_status(book["students"]["Vũ Ánh"], "chuyen_di", date(2024, 10, 2), "Chuyển trường",
                              other_school="THCS Khác")
    row = row_for(progress_rows(hk1, today=date(2024, 10, 3)), book)
    assert (row.students, row.tx_required) == (6, 24)


def test_half_of_tx_is_late_from_the_monday_after_week_8(book, hk1):
    fill_tx(book, hk1, 13)  # 13 of 28: one short of half
    on_sunday = row_for(progress_rows(hk1, today=date(2024, 10, 27)), book)
    on_monday = row_for(progress_rows(hk1, today=date(2024, 10, 28)), book)
    assert not on_sunday.late
    assert on_monday.late and [d.label for d in on_monday.late_deadlines] == ["50% ĐĐGtx hết tuần 8"]
    put(book, hk1, "7", STUDENTS_6A1[3], "tx", 2)  # the 14th
    assert not row_for(progress_rows(hk1, today=date(2024, 10, 28)), book).late


def test_all_tx_three_days_before_finals_and_ck_within_ten_working_days(book, hk1):
    fill_tx(book, hk1, 27)
    assert not row_for(progress_rows(hk1, today=date(2024, 12, 20)), book).late
    late = row_for(progress_rows(hk1, today=date(2024, 12, 21)), book)
    assert [d.label for d in late.late_deadlines] == ["100% ĐĐGtx trước kiểm tra cuối kì 3 ngày"]
    fill_tx(book, hk1, 28)
    # finals on Monday 23/12: the ĐĐGck marks are due on Monday 06/01; ĐĐGgk has no date, never flagged
    assert not row_for(progress_rows(hk1, today=date(2025, 1, 6)), book).late
    row = row_for(progress_rows(hk1, today=date(2025, 1, 7)), book)
    assert [d.label for d in row.late_deadlines] == ["ĐĐGck"]
    gk = next(d for d in row.deadlines if d.label == "ĐĐGgk")
    assert gk.status == "no_date" and gk.status_label == "Chưa có ngày kiểm tra"


def set_midterm(hk1, day):
    with write_transaction():
        Semester.update(midterm_tests_on=day).where(Semester.id == hk1.id).execute()
    return Semester.get_by_id(hk1.id)


def test_gk_is_due_ten_working_days_after_the_midterm_test(book, hk1):
    """Issue 11: the ĐĐGgk deadline (TNT (docs/rules.md) §6.2.b) was never checked."""
    hk1 = set_midterm(hk1, date(2024, 10, 28))  # a Monday: due Monday 11/11
    fill_tx(book, hk1, 28)
    assert not row_for(progress_rows(hk1, today=date(2024, 11, 11)), book).late
    row = row_for(progress_rows(hk1, today=date(2024, 11, 12)), book)
    assert [d.label for d in row.late_deadlines] == ["ĐĐGgk"]
    assert row.deadline("ĐĐGgk").due == date(2024, 11, 11) and row.deadline("ĐĐGck").status == "open"
    for name in STUDENTS_6A1:
        put(book, hk1, "8", name, kind="gk")
    assert not row_for(progress_rows(hk1, today=date(2024, 11, 12)), book).late
    assert ("Điểm ĐĐGgk", date(2024, 11, 11), "10 ngày làm việc sau ngày kiểm tra giữa kì") in deadline_dates(hk1)


def _column(html: str, kind: str, class_name: str = "6A2") -> str:
    """The ĐĐGgk or ĐĐGck cell of a class's Toán row on a progress page."""
    row = next(r for r in html.split("<tr>") if f"<td>{class_name}</td>" in r and "<td>Toán</td>" in r)
    return row.split(f'data-deadline="{kind}">', 1)[1].split("</td>", 1)[0]


@pytest.mark.parametrize("username, url", [("phohieutruong", "/vice-principal/progress?semester=1"),
                                           ("totruong", "/teacher/department/progress?semester=1")])
def test_progress_pages_show_late_gk_and_ck_columns(login_as, book, hk1, username, url):
    """Issue 11: both progress pages mark the ĐĐGgk and ĐĐGck columns late past their test's deadline."""
    set_midterm(hk1, date(2024, 10, 28))
    html = login_as(username).client.get(url).get_data(as_text=True)
    assert "Điểm ĐĐGgk</strong>: đến hết ngày 11/11/2024" in html
    gk, ck = _column(html, "gk"), _column(html, "ck")  # nothing entered in 6A2 Toán; today is after both
    assert 'Trễ hạn</span> <small>hạn 11/11/2024</small>' in gk
    assert 'Trễ hạn</span> <small>hạn 06/01/2025</small>' in ck


def test_late_rows_come_first_and_filters_narrow(book, hk1):
    fill_tx(book, hk1, 28)
    rows = progress_rows(hk1, today=date(2024, 10, 28))
    assert [r.late for r in rows] == [True, True, False]  # nothing entered in 6A1 GDTC and 6A2 Toán
    late = progress_rows(hk1, date(2024, 10, 28), late_only=True)
    assert [(r.assignment.school_class.name, r.assignment.subject.code) for r in late] == [("6A1", "GDTC"),
                                                                                          ("6A2", "TOAN")]
    math = Department.get(Department.code == "TOAN_TIN")
    assert {r.assignment.subject.code for r in progress_rows(hk1, date(2024, 10, 28), department_id=math.id)} \
        == {"TOAN"}
    mine = progress_rows(hk1, date(2024, 10, 28), teacher_id=book["staff"]["chunhiem"].id)
    assert [(r.assignment.school_class.name, r.assignment.subject.code) for r in mine] == [("6A1", "GDTC")]


# --- distribution ---------------------------------------------------------------------------------

def test_distribution_per_class_and_grade(book, hk1):
    for name, mark in zip(STUDENTS_6A1, ["10", "3.5", "3.4", "5", "6.5", "8", "9.9"], strict=True):
        put(book, hk1, mark, name, "ck")
    put(book, hk1, "6", "Bùi Thị Cúc", "ck", user="totruong", class_name="6A2")
    result = distribution(hk1, book["subjects"]["TOAN"], Grade.get(Grade.number == 6), "ck")
    a1, a2 = result.classes[0], result.classes[1]
    assert [g.name for g in result.classes] == ["Lớp 6A1", "Lớp 6A2"]
    assert a1.counts == [0, 0, 0, 2, 0, 1, 1, 0, 1, 2]
    assert a1.bands == [1, 1, 1, 1, 3]
    assert a1.mean == D("6.61")  # 46.3 / 7
    assert a2.counts[6] == 1 and a2.mean == D("6.00")
    assert result.whole.counts == [0, 0, 0, 2, 0, 1, 2, 0, 1, 2]
    assert result.whole.mean == D("6.54")  # 52.3 / 8
    assert ">TB khối: 6,54<" in a1.svg and ">TB lớp: 6,61<" in a1.svg


def test_distribution_of_the_semester_average_takes_complete_students_only(book, hk1):
    for idx in range(1, 5):
        put(book, hk1, "6", kind="tx", idx=idx)
        put(book, hk1, "6", STUDENTS_6A1[1], kind="tx", idx=idx)
    put(book, hk1, "8", kind="gk")
    put(book, hk1, "9", kind="ck")
    put(book, hk1, "9", STUDENTS_6A1[1], kind="ck")  # no ĐĐGgk: no average
    result = distribution(hk1, book["subjects"]["TOAN"], Grade.get(Grade.number == 6), "avg")
    assert result.classes[0].marks == [D("7.4")]  # (24 + 16 + 27) / 9 = 7,44…
    tx = distribution(hk1, book["subjects"]["TOAN"], Grade.get(Grade.number == 6), "tx")
    assert len(tx.classes[0].marks) == 8


# --- anomalies ------------------------------------------------------------------------------------

def kinds_for(semester, kind):
    return [a for a in anomalies(semester) if a.kind == kind]


def test_a_cell_changed_three_times_is_flagged_two_times_is_not(book, hk1):
    cell = put(book, hk1, "7")
    for i, value in enumerate(["7.5", "7.2"]):
        put(book, hk1, value, at=DAY + timedelta(hours=i + 1))
    assert kinds_for(hk1, "repeated") == []
    put(book, hk1, "7.4", at=DAY + timedelta(hours=5))
    found = kinds_for(hk1, "repeated")
    assert len(found) == 1 and found[0].cell_id == cell.id
    assert found[0].detail == "3 lần sửa: 7,0 → 7,5 → 7,2 → 7,4"
    assert found[0].student.full_name == STUDENTS_6A1[0] and found[0].school_class.name == "6A1"


def test_changes_across_a_threshold_are_flagged(book, hk1):
    put(book, hk1, "4.9")
    put(book, hk1, "5.4", STUDENTS_6A1[1])
    put(book, hk1, "8", STUDENTS_6A1[2])
    put(book, hk1, "6.4", STUDENTS_6A1[3])
    later = DAY + timedelta(hours=1)
    put(book, hk1, "5", at=later)  # 4,9 → 5,0: across 5,0
    put(book, hk1, "5.0", STUDENTS_6A1[1], at=later)  # 5,4 → 5,0: same side
    put(book, hk1, "7.9", STUDENTS_6A1[2], at=later)  # 8,0 → 7,9: across 8,0
    put(book, hk1, "", STUDENTS_6A1[3], at=later)  # cleared, then retyped across 6,5
    put(book, hk1, "6.5", STUDENTS_6A1[3], at=later + timedelta(minutes=1))
    details = sorted(a.detail for a in kinds_for(hk1, "crossing"))
    assert details == ["4,9 → 5,0: qua ngưỡng 5,0", "6,4 → 6,5 (xoá rồi nhập lại): qua ngưỡng 6,5",
                       "8,0 → 7,9: qua ngưỡng 8,0"]


def test_changes_after_the_schedule_closed_and_corrections_are_flagged(book, hk1):
    with write_transaction():
        EntryWindow.create(year=book["year"], semester=hk1, kind="tx", opens_at=datetime(2024, 9, 16),
                           closes_at=datetime(2024, 11, 4))
    cell = put(book, hk1, "6")
    put(book, hk1, "6.5", at=datetime(2024, 11, 3, 23, 59))  # inside the window: normal
    assert kinds_for(hk1, "after_lock") == []
    put(book, hk1, "7", at=datetime(2024, 11, 4, 0, 0))  # closed by the schedule, open by the switch
    found = kinds_for(hk1, "after_lock")
    assert len(found) == 1 and "6,5 → 7,0" in found[0].detail and found[0].cell_id == cell.id
    with write_transaction():
        MarkChange.create(cell=cell.id, old_value="7.0", new_value="7.5", version=cell.version + 2,
                          changed_by=None, changed_by_name="Quản trị", changed_at=datetime(2024, 11, 20),
                          correction_request_id=42)
    details = [a.detail for a in kinds_for(hk1, "after_lock")]
    assert "7,0 → 7,5: sửa theo đề nghị sửa điểm số 42" in details


def test_a_crossing_from_a_value_loaded_without_history_is_flagged(book, hk1):
    a = assignment_of(book, "6A1")
    with write_transaction():  # a value loaded by the demo or an import: no MarkChange row
        MarkCell.create(school_class=a.school_class_id, subject=a.subject_id, semester=hk1,
                        student=book["students"][STUDENTS_6A1[0]], kind="tx", idx=1, value="6.0", version=1)
    put(book, hk1, "8")  # its first recorded change
    assert [a.detail for a in kinds_for(hk1, "crossing")] == ["6,0 → 8,0: qua ngưỡng 6,5, 8,0"]


@pytest.mark.parametrize("mark, flagged", [("7.7", False), ("7.8", True)])
def test_a_class_mean_far_from_the_grade_mean(book, hk1, mark, flagged):
    for name in STUDENTS_6A1:
        put(book, hk1, "6", name, "ck")
    # grade mean (42 + x) / 8; 6A2's gap (7x − 42) / 8: 1,4875 for 7,7 and 1,575 for 7,8
    put(book, hk1, mark, "Bùi Thị Cúc", "ck", user="totruong", class_name="6A2")
    found = kinds_for(hk1, "class_mean")
    assert [a.school_class.name for a in found] == (["6A2"] if flagged else [])
    if flagged:
        assert found[0].detail.startswith("ĐĐGck: TB lớp 7,80 (1 điểm), TB khối 6,23 (8 điểm)")


@pytest.mark.parametrize("edits, flagged", [(BURST_CHANGES - 1, False), (BURST_CHANGES, True)])
def test_a_burst_of_changes_by_one_teacher(book, hk1, edits, flagged):
    cells = [(name, idx) for name in STUDENTS_6A1 for idx in range(1, 5)][:edits]
    for name, idx in cells:
        put(book, hk1, "7", name, "tx", idx)  # first entries: not changes
    start = DAY + timedelta(days=1)
    for i, (name, idx) in enumerate(cells):  # within 9 minutes 30 seconds
        put(book, hk1, "7.5", name, "tx", idx, at=start + timedelta(seconds=30 * i))
    found = kinds_for(hk1, "burst")
    assert len(found) == (1 if flagged else 0)
    if flagged:
        assert found[0].detail.startswith(f"{BURST_CHANGES} lần sửa") and found[0].who == "Giáo Viên Giaovien"


def test_changes_spread_over_more_than_ten_minutes_are_not_a_burst(book, hk1):
    cells = [(name, idx) for name in STUDENTS_6A1 for idx in range(1, 5)][:BURST_CHANGES]
    for name, idx in cells:
        put(book, hk1, "7", name, "tx", idx)
    start = DAY + timedelta(days=1)
    for i, (name, idx) in enumerate(cells):
        put(book, hk1, "7.5", name, "tx", idx, at=start + timedelta(seconds=32 * i))  # 10 min 8 s in all
    assert kinds_for(hk1, "burst") == []


# --- pages ----------------------------------------------------------------------------------------

VP_PAGES = ["/vice-principal/progress", "/vice-principal/distribution", "/vice-principal/anomalies",
            "/vice-principal/comments"]


@pytest.mark.parametrize("username", ["giaovien", "totruong", "admin"])
def test_others_get_403_on_the_vice_principal_pages(login_as, book, hk1, username):
    cell = put(book, hk1, "7")
    class_id = book["classes"]["6A1"].id
    auth = login_as(username)
    for path in [*VP_PAGES, f"/vice-principal/history/{cell.id}", f"/vice-principal/comments/{class_id}/2024-10"]:
        assert auth.client.get(path).status_code == 403, path
    resp = auth.post(f"/vice-principal/comments/{class_id}/2024-10", {"text": "Tốt"})
    assert resp.status_code == 403
    assert ClassBookComment.select().count() == 0


@pytest.mark.parametrize("username", ["phohieutruong", "hieutruong"])
def test_the_vice_principal_pages_show_the_data(login_as, book, hk1, username):
    fill_tx(book, hk1, 13)
    cell = put(book, hk1, "7.5", at=DAY + timedelta(hours=1))
    auth = login_as(username)
    html = auth.client.get("/vice-principal/progress?semester=1").get_data(as_text=True)
    assert "Giáo Viên Giaovien" in html and "12 / 28" in html or "13 / 28" in html
    html = auth.client.get("/vice-principal/distribution?semester=1&column=tx").get_data(as_text=True)
    assert "<svg" in html and "Lớp 6A1" in html and "style=" not in html.split("<svg", 1)[1]
    assert auth.client.get("/vice-principal/anomalies?semester=1").status_code == 200
    html = auth.client.get(f"/vice-principal/history/{cell.id}").get_data(as_text=True)
    assert "7,0" in html and "7,5" in html and "Giáo Viên Giaovien" in html
    assert auth.client.get("/vice-principal/history/999999").status_code == 404


def test_the_late_filter_on_the_page(login_as, book, hk1):
    auth = login_as("phohieutruong")
    html = auth.client.get("/vice-principal/progress?semester=1&late=1").get_data(as_text=True)
    assert "Chỉ hiện trễ hạn" in html


def test_the_head_of_department_sees_only_their_department(login_as, book, hk1):
    auth = login_as("totruong")
    html = auth.client.get("/teacher/department/progress?semester=1").get_data(as_text=True)
    assert "Tổ Toán – Tin học" in html
    assert "6A2" in html and "Toán" in html
    assert "Giáo dục thể chất" not in html  # the arts department's subject
    assert "Giáo Viên Chunhiem" not in html


def test_a_teacher_who_is_not_head_gets_403_on_the_department_progress(login_as, book):
    auth = login_as("giaovien")
    assert auth.client.get("/teacher/department/progress").status_code == 403


# --- monthly comments -----------------------------------------------------------------------------

def test_a_comment_is_saved_audited_and_superseded_with_history(login_as, book):
    c6a1 = book["classes"]["6A1"]
    auth = login_as("phohieutruong")
    path = f"/vice-principal/comments/{c6a1.id}/2024-10"
    resp = auth.post(path, {"text": "  Sổ ghi đầy đủ, sạch sẽ.  "})
    assert resp.status_code == 303
    resp = auth.post(path, {"text": "Cần bổ sung điểm ĐĐGtx môn Toán."})
    assert resp.status_code == 303
    rows = list(ClassBookComment.select().order_by(ClassBookComment.id))
    assert [r.text for r in rows] == ["Sổ ghi đầy đủ, sạch sẽ.", "Cần bổ sung điểm ĐĐGtx môn Toán."]
    assert rows[0].by_id == book["users"]["phohieutruong"].id
    entries = list(AuditEntry.select().where(AuditEntry.action == "comment").order_by(AuditEntry.id))
    assert len(entries) == 2 and entries[1].entity_id == "2024-2025/6A1/2024-10"
    assert entries[1].before_data == {"text": "Sổ ghi đầy đủ, sạch sẽ."}
    assert entries[1].username == "phohieutruong"
    assert [c.text for c in comments_for(c6a1)] == ["Cần bổ sung điểm ĐĐGtx môn Toán."]
    html = auth.client.get("/vice-principal/comments?month=2024-10").get_data(as_text=True)
    assert "Cần bổ sung điểm ĐĐGtx môn Toán." in html and "Sổ ghi đầy đủ" not in html
    html = auth.client.get(path).get_data(as_text=True)
    assert "Sổ ghi đầy đủ, sạch sẽ." in html  # the history keeps the first version


def test_comments_for_gives_the_latest_of_each_month_in_order(book):
    c6a1 = book["classes"]["6A1"]
    from models.gradebook.monitoring import save_comment

    with write_transaction():
        save_comment(c6a1, "2024-11", "Tháng 11", book["users"]["phohieutruong"], now=datetime(2024, 11, 30))
        save_comment(c6a1, "2024-10", "Tháng 10 cũ", book["users"]["phohieutruong"], now=datetime(2024, 10, 30))
        save_comment(c6a1, "2024-10", "Tháng 10 mới", book["users"]["hieutruong"], now=datetime(2024, 10, 31))
    assert [(c.year_month, c.text) for c in comments_for(c6a1)] == [("2024-10", "Tháng 10 mới"),
                                                                    ("2024-11", "Tháng 11")]
    assert comments_for(book["classes"]["6A2"]) == []


@pytest.mark.parametrize("text, message", [("   ", "Vui lòng nhập nhận xét."),
                                           ("x" * 1001, "Nhận xét tối đa 1000 ký tự.")])
def test_a_bad_comment_is_refused_with_422(login_as, book, text, message):
    auth = login_as("phohieutruong")
    resp = auth.post(f"/vice-principal/comments/{book['classes']['6A1'].id}/2024-10", {"text": text})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert ClassBookComment.select().count() == 0


def test_a_month_outside_the_school_year_is_not_found(login_as, book):
    auth = login_as("phohieutruong")
    resp = auth.post(f"/vice-principal/comments/{book['classes']['6A1'].id}/2023-10", {"text": "Tốt"})
    assert resp.status_code == 404
    assert ClassBookComment.select().count() == 0


def test_comment_text_is_nfc(book):
    import unicodedata

    from models.gradebook.monitoring import save_comment

    decomposed = unicodedata.normalize("NFD", "Sổ ghi đầy đủ")
    with write_transaction():
        row = save_comment(book["classes"]["6A1"], "2024-10", decomposed, book["users"]["phohieutruong"])
    assert row.text == unicodedata.normalize("NFC", "Sổ ghi đầy đủ")
