"""Grade-book locks: cell_lock over windows and overrides, the switch, and the admin page."""
from datetime import datetime, timedelta

import pytest

from models.audit.log import AuditEntry
from models.core import DeletionRefused, write_transaction
from models.gradebook.locks import (
    EntryWindow,
    LockOverride,
    cell_lock,
    column_locks,
    default_windows,
    fill_default_windows,
    set_window,
    switch_lock,
)
from models.school.structure import Semester

CLOSES = datetime(2024, 11, 4)  # Sunday 03/11/2024 24:00, end of week 9 of semester I
SECOND = timedelta(seconds=1)


@pytest.fixture
def hk1(school):
    return Semester.get((Semester.year == school["year"]) & (Semester.number == 1))


@pytest.fixture
def cell(school, hk1):
    """(class 6A1, Toán, semester I) with the school's entry windows (docs/rules.md §14) filled."""
    with write_transaction():
        fill_default_windows(hk1)
    return school["classes"]["6A1"], school["subjects"]["TOAN"], hk1


def switch(hk1, scope, target, locked, at, reason="Theo chỉ đạo của hiệu trưởng"):
    with write_transaction():
        return switch_lock(scope, target, locked, reason, None, semester=hk1, now=at)


# --- the schedule through cell_lock ---------------------------------------------------------------

def test_closing_edge_one_second_before_and_after(cell):
    c, subject, hk1 = cell
    assert cell_lock(c, subject, hk1, "tx", now=CLOSES - SECOND).locked is False  # Sunday 23:59:59
    at_close = cell_lock(c, subject, hk1, "tx", now=CLOSES)
    assert at_close.locked is True and at_close.reason == "Ngoài thời gian nhập điểm"
    assert cell_lock(c, subject, hk1, "tx", now=CLOSES + SECOND).locked is True


def test_opening_edge_of_week_3(cell):
    c, subject, hk1 = cell
    opens = datetime(2024, 9, 16)  # Monday of week 3 (05/09/2024 is a Thursday of week 1)
    assert cell_lock(c, subject, hk1, "tx", now=opens - SECOND).locked is True
    assert cell_lock(c, subject, hk1, "tx", now=opens).locked is False


def test_final_column_opens_only_around_the_final_tests(cell):
    c, subject, hk1 = cell
    # final tests 23/12/2024: open from 13/12 00:00, close at the end of the 10th working day after (06/01/2025)
    assert cell_lock(c, subject, hk1, "ck", now=datetime(2024, 10, 1)).locked is True
    assert cell_lock(c, subject, hk1, "ck", now=datetime(2024, 12, 13) - SECOND).locked is True
    assert cell_lock(c, subject, hk1, "ck", now=datetime(2024, 12, 13)).locked is False
    assert cell_lock(c, subject, hk1, "ck", now=datetime(2025, 1, 7) - SECOND).locked is False
    assert cell_lock(c, subject, hk1, "ck", now=datetime(2025, 1, 7)).locked is True


def test_no_window_means_locked(school, hk1):
    state = cell_lock(school["classes"]["6A1"], school["subjects"]["TOAN"], hk1, "tx", now=datetime(2024, 10, 1))
    assert state.locked is True


def test_windows_of_another_semester_do_not_apply(cell, school):
    c, subject, hk1 = cell
    hk2 = Semester.get((Semester.year == school["year"]) & (Semester.number == 2))
    assert cell_lock(c, subject, hk2, "tx", now=datetime(2024, 10, 1)).locked is True


def test_unknown_kind_is_refused(cell):
    c, subject, hk1 = cell
    with pytest.raises(ValueError):
        cell_lock(c, subject, hk1, "xx", now=datetime(2024, 10, 1))


# --- overrides by scope ---------------------------------------------------------------------------

def test_each_scope_locks_inside_an_open_window(cell, school):
    c, subject, hk1 = cell
    now = datetime(2024, 10, 1)
    other = school["classes"]["6A2"]
    cases = [("class_subject", f"{c.id}:{subject.id}", "Đã khoá môn Toán lớp 6A1"),
             ("class", str(c.id), "Đã khoá lớp 6A1"),
             ("grade", "6", "Đã khoá khối 6"),
             ("school", "", "Đã khoá toàn trường")]
    for i, (scope, target, _reason) in enumerate(cases):
        switch(hk1, scope, target, True, now - timedelta(hours=10 - i))
        switch(hk1, scope, target, None, now - timedelta(hours=9 - i))  # back to schedule before the next
    assert cell_lock(c, subject, hk1, "tx", now=now).locked is False
    for scope, target, reason in cases:
        switch(hk1, scope, target, True, now - SECOND)
        state = cell_lock(c, subject, hk1, "tx", now=now)
        assert (state.locked, state.reason) == (True, reason)
        switch(hk1, scope, target, None, now - SECOND)
    switch(hk1, "class", str(other.id), True, now - SECOND)
    assert cell_lock(c, subject, hk1, "tx", now=now).locked is False  # another class's lock
    assert cell_lock(other, subject, hk1, "tx", now=now).locked is True


def test_most_specific_override_wins(cell, school):
    c, subject, hk1 = cell
    switch(hk1, "school", "", True, datetime(2024, 11, 10))
    switch(hk1, "class_subject", f"{c.id}:{subject.id}", False, datetime(2024, 11, 10, 8))
    now = datetime(2024, 11, 20)  # between the windows: closed by the schedule too
    state = cell_lock(c, subject, hk1, "tx", now=now)
    assert state.locked is False and state.reason == "Đã mở môn Toán lớp 6A1"
    assert cell_lock(c, school["subjects"]["GDTC"], hk1, "tx", now=now).reason == "Đã khoá toàn trường"


def test_unlock_opens_a_closed_window_and_the_latest_switch_wins(cell):
    c, subject, hk1 = cell
    switch(hk1, "class", str(c.id), False, CLOSES + timedelta(days=1), "Sửa điểm theo biên bản số 12")
    opened = cell_lock(c, subject, hk1, "gk", now=CLOSES + timedelta(days=2))
    assert opened.locked is False and opened.note == "Sửa điểm theo biên bản số 12"
    switch(hk1, "class", str(c.id), True, CLOSES + timedelta(days=3), "Đã sửa xong")
    assert cell_lock(c, subject, hk1, "gk", now=CLOSES + timedelta(days=4)).locked is True
    assert cell_lock(c, subject, hk1, "gk", now=CLOSES + timedelta(days=2)).locked is False  # replayable


def test_column_locks_matches_cell_lock(cell):
    c, subject, hk1 = cell
    now = datetime(2024, 10, 1)
    assert column_locks(c, subject, hk1, now=now) == {k: cell_lock(c, subject, hk1, k, now=now)
                                                       for k in ("tx", "gk", "ck")}


# --- writes --------------------------------------------------------------------------------------

def test_switch_is_audited_with_its_reason_and_overrides_are_kept(cell):
    c, subject, hk1 = cell
    row = switch(hk1, "class", str(c.id), True, datetime(2024, 10, 1), "Kiểm tra sổ điểm")
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.entity, entry.entity_id, entry.reason) == ("lock", "lock", str(row.id),
                                                                          "Kiểm tra sổ điểm")
    assert entry.after_data["target"] == "Lớp 6A1"
    switch(hk1, "class", str(c.id), False, datetime(2024, 10, 2))
    assert AuditEntry.select().order_by(AuditEntry.id.desc()).first().action == "unlock"
    with pytest.raises(DeletionRefused):
        row.reason = "khác"
        row.save()
    with pytest.raises(DeletionRefused):
        row.delete_instance()
    assert LockOverride.select().count() == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_switch_requires_a_reason(cell, reason):
    c, subject, hk1 = cell
    before = AuditEntry.select().count()
    with pytest.raises(ValueError, match="Vui lòng nhập lý do"):
        switch(hk1, "school", "", True, datetime(2024, 10, 1), reason)
    assert LockOverride.select().count() == 0 and AuditEntry.select().count() == before


def test_switch_refuses_a_target_outside_the_year(cell):
    c, subject, hk1 = cell
    for scope, target in [("grade", "12"), ("class", "9999"), ("class_subject", f"{c.id}:9999"), ("room", "")]:
        with pytest.raises(ValueError):
            switch(hk1, scope, target, True, datetime(2024, 10, 1))
    assert LockOverride.select().count() == 0


def test_set_window_validation(school, hk1):
    with write_transaction():
        with pytest.raises(ValueError, match="Thời điểm mở phải trước thời điểm đóng"):
            set_window(hk1, "tx", datetime(2024, 10, 1), datetime(2024, 10, 1))
        with pytest.raises(ValueError, match="phải nằm trong năm học 2024-2025"):
            set_window(hk1, "tx", datetime(2024, 8, 1), datetime(2024, 10, 1))
        with pytest.raises(ValueError, match="phải nằm trong năm học 2024-2025"):
            set_window(hk1, "tx", datetime(2025, 8, 1), datetime(2025, 9, 1, 0, 1))
        with pytest.raises(ValueError):
            set_window(hk1, "zz", datetime(2024, 10, 1), datetime(2024, 10, 2))
    assert EntryWindow.select().count() == 0


def test_set_window_change_is_audited(school, hk1):
    with write_transaction():
        w = set_window(hk1, "gk", datetime(2024, 10, 1), datetime(2024, 10, 10))
        set_window(hk1, "gk", datetime(2024, 10, 1), datetime(2024, 10, 12), window_id=w.id)
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.entity) == ("update", "entry_window")
    assert list(entry.after_data) == ["closes_at"]
    assert EntryWindow.get_by_id(w.id).closes_at == datetime(2024, 10, 12)


def test_defaults_need_the_final_tests_date_and_are_not_duplicated(school, hk1):
    Semester.update(final_tests_on=None).where(Semester.id == hk1.id).execute()
    with pytest.raises(ValueError, match="chưa có ngày kiểm tra cuối kì"):
        default_windows(Semester.get_by_id(hk1.id))
    Semester.update(final_tests_on=hk1.final_tests_on).where(Semester.id == hk1.id).execute()
    with write_transaction():
        assert fill_default_windows(hk1) == 5
        assert fill_default_windows(hk1) == 0


# --- the admin page ------------------------------------------------------------------------------

def test_page_shows_windows_state_and_history(cell, login_as):
    c, subject, hk1 = cell
    switch(hk1, "grade", "6", True, datetime(2024, 10, 1), "Khoá để kiểm tra khối 6")
    auth = login_as("admin")
    html = auth.client.get(f"/admin/locks?semester_id={hk1.id}").get_data(as_text=True)
    assert "03/11/2024 24:00" in html  # the end of week 9 as the school says it
    assert "16/09/2024 00:00" in html
    assert "Khoá để kiểm tra khối 6" in html and "Khối 6" in html
    assert "Đã khoá" in html or "Đang mở" in html


def test_switch_through_the_page(hk1, school, login_as):
    auth = login_as("admin")
    c = school["classes"]["6A1"]
    resp = auth.post(f"/admin/locks?semester_id={hk1.id}",
                     {"action": "lock", "scope": "class", "class_id": str(c.id), "reason": "Hiệu trưởng yêu cầu khoá"})
    assert resp.status_code == 303
    row = LockOverride.get()
    assert (row.scope, row.target, row.locked, row.reason) == ("class", str(c.id), True, "Hiệu trưởng yêu cầu khoá")
    assert row.created_by_id == school["users"]["admin"].id
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.username, entry.reason) == ("lock", "admin", "Hiệu trưởng yêu cầu khoá")
    assert cell_lock(c, school["subjects"]["TOAN"], hk1, "tx").reason == "Đã khoá lớp 6A1"


def test_school_switch_posts_no_target_fields(hk1, school, login_as):
    auth = login_as("admin")
    resp = auth.post(f"/admin/locks?semester_id={hk1.id}", {"action": "unlock", "scope": "school",
                                                              "reason": "Mở cho cả trường nhập bù"})
    assert resp.status_code == 303
    assert cell_lock(school["classes"]["7A1"], school["subjects"]["GDTC"], hk1, "ck").reason == "Đã mở toàn trường"


def test_switch_without_reason_or_target_is_refused(hk1, school, login_as):
    auth = login_as("admin")
    before = AuditEntry.select().count()
    resp = auth.post(f"/admin/locks?semester_id={hk1.id}",
                     {"action": "unlock", "scope": "school", "grade": "0", "class_id": "0", "subject_id": "0",
                      "reason": "  "})
    assert resp.status_code == 422
    assert "Vui lòng nhập lý do khoá/mở sổ điểm." in resp.get_data(as_text=True)
    resp = auth.post(f"/admin/locks?semester_id={hk1.id}",
                     {"action": "lock", "scope": "class_subject", "grade": "0", "class_id": "0", "subject_id": "0",
                      "reason": "Khoá môn"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Vui lòng chọn lớp." in html and "Vui lòng chọn môn học." in html
    assert LockOverride.select().count() == 0 and AuditEntry.select().count() == before


def test_window_form_typed_dates(hk1, login_as):
    auth = login_as("admin")
    resp = auth.post(f"/admin/locks/windows?semester_id={hk1.id}",
                     {"kind": "gk", "opens_at": "01/11/2024", "closes_at": "15/11/2024"})
    assert resp.status_code == 303
    w = EntryWindow.get()
    assert (w.opens_at, w.closes_at) == (datetime(2024, 11, 1), datetime(2024, 11, 16))  # a date alone: end of day
    resp = auth.post(f"/admin/locks/windows?semester_id={hk1.id}",
                     {"window_id": str(w.id), "kind": "gk", "opens_at": "01/11/2024 07:30",
                      "closes_at": "15/11/2024 17:00"})
    assert resp.status_code == 303
    w = EntryWindow.get_by_id(w.id)
    assert (w.opens_at, w.closes_at) == (datetime(2024, 11, 1, 7, 30), datetime(2024, 11, 15, 17, 0))
    assert EntryWindow.select().count() == 1


@pytest.mark.parametrize("data, message", [
    ({"kind": "tx", "opens_at": "31/02/2024", "closes_at": "15/11/2024"}, "Ngày không hợp lệ: 31/02/2024"),
    ({"kind": "tx", "opens_at": "", "closes_at": "15/11/2024"}, "Vui lòng nhập thời điểm mở"),
    ({"kind": "", "opens_at": "01/11/2024", "closes_at": "15/11/2024"}, "Vui lòng chọn cột điểm."),
    ({"kind": "tx", "opens_at": "15/11/2024", "closes_at": "01/11/2024"}, "Thời điểm mở phải trước thời điểm đóng."),
    ({"kind": "tx", "opens_at": "01/11/2024 25:00", "closes_at": "15/11/2024"}, "Giờ không hợp lệ"),
])
def test_window_form_refusals(hk1, login_as, data, message):
    auth = login_as("admin")
    resp = auth.post(f"/admin/locks/windows?semester_id={hk1.id}", data)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert EntryWindow.select().count() == 0


def test_defaults_button(hk1, login_as):
    auth = login_as("admin")
    resp = auth.post(f"/admin/locks/defaults?semester_id={hk1.id}")
    assert resp.status_code == 303
    assert EntryWindow.select().where(EntryWindow.semester == hk1).count() == 5


def test_target_fields_follow_the_scope(hk1, login_as):
    auth = login_as("admin")
    html = auth.client.get(f"/admin/locks/target?semester_id={hk1.id}&scope=class_subject",
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'name="class_id"' in html and 'name="subject_id"' in html and 'name="grade"' not in html


@pytest.mark.parametrize("username", ["hieutruong", "giaovien"])
def test_non_admin_is_refused(hk1, login_as, username):
    auth = login_as(username)
    assert auth.client.get("/admin/locks").status_code == 403
    resp = auth.post(f"/admin/locks?semester_id={hk1.id}",
                     {"action": "unlock", "scope": "school", "reason": "Tự mở"})
    assert resp.status_code == 403
    assert auth.post(f"/admin/locks/defaults?semester_id={hk1.id}").status_code == 403
    assert auth.post(f"/admin/locks/windows?semester_id={hk1.id}",
                     {"kind": "tx", "opens_at": "01/10/2024", "closes_at": "02/10/2024"}).status_code == 403
    assert LockOverride.select().count() == 0 and EntryWindow.select().count() == 0


def test_after_the_year_pages_open_on_the_last_semester_with_marks(school):
    from datetime import date as _date

    from models.gradebook.marks import MarkCell, semester_today

    year = school["year"]
    assert semester_today(year, _date(2024, 10, 1)).number == 1
    assert semester_today(year, _date(2025, 3, 1)).number == 2
    assert semester_today(year, _date(2026, 11, 25)).number == 2  # nothing entered anywhere yet
    first = Semester.get((Semester.year == year) & (Semester.number == 1))
    with write_transaction():
        MarkCell.create(school_class=school["classes"]["6A1"], subject=school["subjects"]["TOAN"], semester=first,
                        student=school["students"]["Vũ Ánh"], kind="tx", idx=1, value="8.0", version=1,
                        updated_by=None, updated_at=datetime(2024, 10, 1))
    assert semester_today(year, _date(2026, 11, 25)).number == 1
