"""Attendance: saving marks through the grid, refusals, locks, delegates, the monthly sheet and totals."""
from datetime import date, datetime

import pytest

from models.attendance.register import (
    AttendanceChange,
    AttendanceMark,
    absence_totals,
    add_delegate,
    attendance_completeness,
    confirm_month,
    month_lock,
    month_sheet,
    save_mark,
    switch_month_lock,
)
from models.audit.log import AuditEntry
from models.core import write_transaction
from models.school.calendar import add_holiday, set_schedule
from models.school.structure import Enrolment

OCT = "2024-10"


def cell_url(school_class, ym=OCT):
    return f"/homeroom/class/{school_class.id}/attendance/{ym}/cell"


def post_cell(auth, school_class, student, day, value, version=0, session=1, ym=OCT):
    return auth.htmx_post(cell_url(school_class, ym), data={"student_id": student.id, "day": day,
                                                          "session": session, "value": value, "version": version})


def stored(student, day, session=1):
    return AttendanceMark.get_or_none((AttendanceMark.student == student) & (AttendanceMark.day == day)
                                      & (AttendanceMark.session == session))


@pytest.fixture
def c6a1(school):
    return school["classes"]["6A1"]


@pytest.fixture
def an(school):
    return school["students"]["Lê Văn An"]


def test_save_p_stores_history_and_audit(login_as, c6a1, an):
    auth = login_as("chunhiem")
    resp = post_cell(auth, c6a1, an, 1, "P")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_data(as_text=True)
    assert 'value="P"' in body and f'id="tot-{an.id}"' in body and 'id="day-1"' in body
    mark = stored(an, date(2024, 10, 1))
    assert mark.value == "P" and mark.version == 1
    change = AttendanceChange.get(AttendanceChange.mark == mark)
    assert (change.old_value, change.new_value, change.version) == (None, "P", 1)
    entry = AuditEntry.select().where(AuditEntry.entity == "attendance").order_by(AuditEntry.id.desc()).first()
    assert entry.entity_id == f"6A1/{an.code}/2024-10-01/1"
    assert entry.before_data == {"value": None} and entry.after_data == {"value": "P"}


def test_cycle_and_clear_bump_the_version(login_as, c6a1, an):
    auth = login_as("chunhiem")
    assert post_cell(auth, c6a1, an, 2, "P", 0).status_code == 200
    assert post_cell(auth, c6a1, an, 2, "K", 1).status_code == 200
    assert post_cell(auth, c6a1, an, 2, "", 2).status_code == 200
    mark = stored(an, date(2024, 10, 2))
    assert mark.value is None and mark.version == 3
    assert AttendanceChange.select().where(AttendanceChange.mark == mark).count() == 3


def test_bad_value_refused(login_as, c6a1, an):
    auth = login_as("chunhiem")
    resp = post_cell(auth, c6a1, an, 1, "X")
    assert resp.status_code == 422
    assert "không hợp lệ" in resp.get_data(as_text=True)
    assert stored(an, date(2024, 10, 1)) is None


def test_non_school_days_refused(login_as, school, c6a1, an):
    auth = login_as("chunhiem")
    resp = post_cell(auth, c6a1, an, 6, "P")  # Sunday 06/10/2024
    assert resp.status_code == 422 and "không phải ngày học" in resp.get_data(as_text=True)
    with write_transaction():
        add_holiday(school["year"], date(2024, 10, 10), date(2024, 10, 10), "Nghỉ bù")
    resp = post_cell(auth, c6a1, an, 10, "P")
    assert resp.status_code == 422 and "Nghỉ bù" in resp.get_data(as_text=True)
    assert post_cell(auth, c6a1, an, 1, "P", session=2).status_code == 422  # one session a day
    assert AttendanceMark.select().count() == 0


def test_before_joining_and_after_leaving_refused(login_as, c6a1, an):
    Enrolment.update(joined_on=date(2024, 10, 15), left_on=date(2024, 10, 25)).where(
        Enrolment.student == an).execute()
    auth = login_as("chunhiem")
    assert post_cell(auth, c6a1, an, 14, "P").status_code == 422
    assert post_cell(auth, c6a1, an, 25, "P").status_code == 422
    assert post_cell(auth, c6a1, an, 15, "P").status_code == 200
    assert post_cell(auth, c6a1, an, 24, "K").status_code == 200
    sheet = month_sheet(c6a1, 2024, 10)
    row = next(r for r in sheet.rows if r.student_id == an.id)
    assert row.cells[13] is None and row.cells[14] == "P" and row.cells[23] == "K" and row.cells[24] is None


def test_stale_version_conflict(login_as, school, c6a1, an):
    save_mark(c6a1, an, date(2024, 10, 3), 1, "K", 0, school["users"]["giaovien"])
    auth = login_as("chunhiem")
    resp = post_cell(auth, c6a1, an, 3, "P", 0)
    assert resp.status_code == 409
    text = resp.get_data(as_text=True)
    assert school["users"]["giaovien"].full_name in text and 'value="K"' in text
    assert stored(an, date(2024, 10, 3)).value == "K"


def test_other_homeroom_forgery_refused(login_as, school, c6a1, an):
    from models.school.structure import set_homeroom

    with write_transaction():
        set_homeroom(school["classes"]["6A2"], school["staff"]["giaovien"])
    auth = login_as("giaovien")
    assert auth.client.get(f"/homeroom/class/{c6a1.id}/attendance/{OCT}").status_code == 403
    assert post_cell(auth, c6a1, an, 1, "P").status_code == 403
    # a student of another class posted to one's own class
    own = school["classes"]["6A2"]
    assert post_cell(auth, own, an, 1, "P").status_code == 403
    assert AttendanceMark.select().count() == 0
    assert AuditEntry.select().where(AuditEntry.action == "refused").count() >= 2


def test_delegate_enters_but_cannot_open_profiles(login_as, school, c6a1, an):
    with write_transaction():
        add_delegate(c6a1, school["staff"]["yte"], school["users"]["admin"])
    auth = login_as("yte")
    assert auth.client.get(f"/homeroom/class/{c6a1.id}/attendance/{OCT}").status_code == 200
    assert post_cell(auth, c6a1, an, 1, "P").status_code == 200
    assert auth.client.get(f"/homeroom/class/{c6a1.id}").status_code == 403
    assert auth.client.get(f"/homeroom/class/{c6a1.id}/student/{an.id}").status_code == 403
    other = school["classes"]["6A2"]
    assert auth.client.get(f"/homeroom/class/{other.id}/attendance/{OCT}").status_code == 403


def test_non_delegate_cannot_reach_homeroom(login_as, c6a1):
    auth = login_as("ketoan")
    assert auth.client.get(f"/homeroom/class/{c6a1.id}/attendance/{OCT}").status_code == 403


def test_locked_month_refuses_school_and_class(login_as, school, c6a1, an):
    admin = school["users"]["admin"]
    with write_transaction():
        switch_month_lock(school["year"], OCT, None, True, "Đã in sổ", admin)
    auth = login_as("chunhiem")
    resp = post_cell(auth, c6a1, an, 1, "P")
    assert resp.status_code == 422 and "khoá" in resp.get_data(as_text=True)
    page = auth.client.get(f"/homeroom/class/{c6a1.id}/attendance/{OCT}").get_data(as_text=True)
    assert "aria-label=\"Đã khoá\"" in page and "hx-post" not in page
    with write_transaction():
        switch_month_lock(school["year"], OCT, c6a1, False, "Sửa sai sót", admin)
    assert post_cell(auth, c6a1, an, 1, "P").status_code == 200
    with write_transaction():
        switch_month_lock(school["year"], OCT, c6a1, True, "Xong", admin)
    assert post_cell(auth, c6a1, an, 1, "", 1).status_code == 422
    assert stored(an, date(2024, 10, 1)).value == "P"
    assert month_lock(school["classes"]["6A2"], OCT).locked  # still the school's lock


def test_auto_lock_day(school, c6a1, an):
    with write_transaction():
        set_schedule(school["year"], 6, 1, 5)
    before = datetime(2024, 11, 4, 23, 59, 59)
    after = datetime(2024, 11, 5, 0, 0, 1)
    assert not month_lock(c6a1, OCT, now=before).locked
    assert month_lock(c6a1, OCT, now=after).locked
    user = school["users"]["chunhiem"]
    assert save_mark(c6a1, an, date(2024, 10, 1), 1, "P", 0, user, now=after).status == "locked"
    assert save_mark(c6a1, an, date(2024, 10, 1), 1, "P", 0, user, now=before).status == "saved"
    with write_transaction():  # an explicit unlock beats the auto-lock
        switch_month_lock(school["year"], OCT, c6a1, False, "Bổ sung", school["users"]["admin"])
    assert not month_lock(c6a1, OCT, now=after).locked


def test_month_sheet_order_totals_and_version(school, c6a1):
    user = school["users"]["chunhiem"]
    students = school["students"]
    save_mark(c6a1, students["Vũ Ánh"], date(2024, 10, 1), 1, "P", 0, user)
    save_mark(c6a1, students["Vũ Ánh"], date(2024, 10, 2), 1, "K", 0, user)
    save_mark(c6a1, students["Hoàng Anh"], date(2024, 10, 1), 1, "K", 0, user)
    sheet = month_sheet(c6a1, 2024, 10)
    from models.school.structure import class_roster

    assert [r.full_name for r in sheet.rows] == [e.student.full_name for e in class_roster(c6a1)]
    assert sheet.days_in_month == 31 and sheet.weekdays[0] == "T3" and sheet.school_days[5] is False
    anh = next(r for r in sheet.rows if r.full_name == "Vũ Ánh")
    assert (anh.total, anh.p, anh.k) == (2, 1, 1) and anh.cells[:3] == ["P", "K", ""]
    assert sheet.day_totals[0] == 2 and sheet.day_totals[1] == 1 and sum(sheet.day_totals) == sheet.total == 3
    assert (sheet.p, sheet.k, sheet.class_size) == (1, 2, 7)
    assert month_sheet(c6a1, 2024, 10).data_version == sheet.data_version
    save_mark(c6a1, students["Vũ Ánh"], date(2024, 10, 3), 1, "P", 0, user)
    assert month_sheet(c6a1, 2024, 10).data_version != sheet.data_version


def test_absence_totals_per_semester_and_year(school, c6a1, an):
    user = school["users"]["chunhiem"]
    save_mark(c6a1, an, date(2024, 10, 1), 1, "P", 0, user)
    save_mark(c6a1, an, date(2024, 12, 2), 1, "K", 0, user)
    save_mark(c6a1, an, date(2025, 3, 3), 1, "K", 0, user)
    year = school["year"]
    assert absence_totals(an, year, 1) == absence_totals(an, year, 1).__class__(2, 1, 1)
    t2 = absence_totals(an, year, 2)
    assert (t2.sessions, t2.p, t2.k) == (1, 0, 1)
    ty = absence_totals(an, year)
    assert (ty.sessions, ty.p, ty.k) == (3, 1, 2)


def test_confirm_and_completeness(school, c6a1):
    user = school["users"]["chunhiem"]
    with pytest.raises(ValueError):
        with write_transaction():
            confirm_month(c6a1, OCT, user, now=datetime(2024, 10, 30, 12))
    with write_transaction():
        confirm_month(c6a1, OCT, user, now=datetime(2024, 11, 2, 9))
    month, rows = attendance_completeness(school["year"], now=datetime(2024, 11, 4, 8))
    status = {r.school_class.name: r.status for r in rows}
    assert month == OCT and status == {"6A1": "done", "6A2": "late", "7A1": "late"}
    _, rows = attendance_completeness(school["year"], now=datetime(2024, 11, 3, 23))
    assert {r.school_class.name: r.status for r in rows}["6A2"] == "waiting"


def test_admin_pages_and_lock_form(login_as, school, c6a1):
    auth = login_as("admin")
    for path in ("/admin/calendar", "/admin/attendance/locks", "/admin/attendance/delegates"):
        assert auth.client.get(path).status_code == 200, path
    resp = auth.post("/admin/attendance/locks", {"month": OCT, "class_id": "0", "action": "lock", "reason": ""})
    assert resp.status_code == 422 and "Vui lòng nhập lý do" in resp.get_data(as_text=True)
    assert not month_lock(c6a1, OCT).locked
    resp = auth.post("/admin/attendance/locks", {"month": OCT, "class_id": str(c6a1.id), "action": "lock",
                                                 "reason": "Đã in"})
    assert resp.status_code == 303 and month_lock(c6a1, OCT).locked
    resp = auth.post("/admin/calendar/holiday", {"name": "Tết", "starts_on": "31/02/2025", "ends_on": "02/02/2025"})
    assert resp.status_code == 422 and "Ngày không hợp lệ" in resp.get_data(as_text=True)
    resp = auth.post("/admin/calendar/holiday", {"name": "Tết", "starts_on": "25/01/2025", "ends_on": "02/02/2025"})
    assert resp.status_code == 303
    assert AuditEntry.select().where(AuditEntry.entity == "calendar").count() == 1
    auth.logout()
    assert login_as("chunhiem").client.get("/admin/calendar").status_code == 403


def test_grid_opens_on_the_month_after_the_last_confirmed_one_outside_the_year(school):
    from datetime import date as _date

    from models.attendance.register import AttendanceMonthConfirm, month_to_open

    c = school["classes"]["6A1"]
    months = [(2024, m) for m in range(9, 13)] + [(2025, m) for m in range(1, 6)]
    assert month_to_open(c, months, _date(2024, 11, 5)) == (2024, 11)  # inside the year: this month
    assert month_to_open(c, months, _date(2026, 11, 25)) == (2025, 5)  # nothing confirmed: the last
    from models.core import write_transaction

    with write_transaction():
        AttendanceMonthConfirm.create(school_class=c, month="2024-11", confirmed_at=datetime(2024, 12, 2))
    assert month_to_open(c, months, _date(2026, 11, 25)) == (2024, 12)


def test_a_save_updates_the_month_totals_out_of_band(login_as, c6a1, an, school):
    """Issue 11: the header's "Tổng tháng" and the footer's TS/P/K follow each save, not only a reload."""
    auth = login_as("chunhiem")
    binh = school["students"]["Trần Văn Bình"]
    assert post_cell(auth, c6a1, an, 1, "P").status_code == 200
    body = post_cell(auth, c6a1, binh, 2, "K").get_data(as_text=True)
    assert '<td id="month-tot" class="num total pin-ts" hx-swap-oob="true">2</td>' in body
    assert '<td id="month-totp" class="num total pin-p" hx-swap-oob="true">1</td>' in body
    assert '<td id="month-totk" class="num total pin-k" hx-swap-oob="true">1</td>' in body
    assert '<span id="month-total" hx-swap-oob="true">Tổng tháng: 2 buổi nghỉ (1 P, 1 K)</span>' in body
    page = auth.client.get(f"/homeroom/class/{c6a1.id}/attendance/{OCT}").get_data(as_text=True)
    assert '<span id="month-total">Tổng tháng: 2 buổi nghỉ (1 P, 1 K)</span>' in page
    assert '<td id="month-totk" class="num total pin-k">1</td>' in page


def test_office_pages_open_on_a_month_of_the_school_year(login_as, c6a1, an, client):
    """Issue 11: looked at after the 2024-2025 year (today), the lock page and the signed-sheet page
    opened on last month of today's year; they open on the year's last month with attendance."""
    assert date.today() > date(2025, 5, 25), "this test needs today after the small school's year"
    auth = login_as("chunhiem")
    assert post_cell(auth, c6a1, an, 1, "P", ym="2024-11").status_code == 200
    auth.logout()
    login_as("admin")
    html = client.get("/admin/attendance/locks").get_data(as_text=True)
    assert "Điểm danh tháng 11/2024: xác nhận nhập đủ" in html
    html = client.get("/print/sheets").get_data(as_text=True)
    assert "Bảng điểm danh tháng 11/2024" in html and 'value="2024-11"' in html
