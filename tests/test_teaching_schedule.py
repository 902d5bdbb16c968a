"""The weekly teaching schedule (lịch báo giảng): generated from the timetable and the PPCT, kept, submitted, printed."""
from datetime import date

import pytest

from models.audit.log import AuditEntry
from models.core import write_transaction
from models.school.calendar import Holiday
from models.teaching import ppct, schedule, timetable

MONDAY = date(2024, 12, 2)


@pytest.fixture
def planned(app, school):
    """giaovien teaches 6A1 Toán on Monday periods 1, 2 and Wednesday period 3; a 5-lesson PPCT for grade 6."""
    version = timetable.create_version(school["year"], date(2024, 9, 5))
    a = school["assignment"].id
    c6a1 = school["classes"]["6A1"]
    timetable.save_class_grid(version, c6a1, {(0, 1): a, (0, 2): a, (2, 3): a}, timetable.grid_token(version, c6a1))
    with write_transaction():
        for n in range(1, 200):
            ppct.PpctLesson.create(year=school["year"], grade=school["classes"]["6A1"].grade,
                                   subject=school["subjects"]["TOAN"], number=n, title=f"Bài {n}")
    return school


def test_first_week_starts_at_lesson_one(planned):
    # 05/09/2024 is a Thursday: the first week holds no Monday or Wednesday lesson; the next week starts at 1
    assert schedule.generate_week(planned["staff"]["giaovien"].id, date(2024, 9, 2)) == []
    week = schedule.week_lessons(planned["staff"]["giaovien"], date(2024, 9, 11))  # any day of the week
    assert [(x.day, x.period, x.lesson_no, x.title) for x in week] == [
        (date(2024, 9, 9), 1, 1, "Bài 1"), (date(2024, 9, 9), 2, 2, "Bài 2"), (date(2024, 9, 11), 3, 3, "Bài 3")]
    assert week[0].school_class.name == "6A1" and week[0].subject.code == "TOAN"


def test_numbers_count_the_periods_before_and_skip_holidays(planned):
    before = schedule.week_lessons(planned["staff"]["giaovien"], MONDAY)
    # 12 full weeks from 09/09 to 29/11: 36 lessons, so the week of 02/12 starts at 37
    assert [x.lesson_no for x in before] == [37, 38, 39]
    with write_transaction():
        Holiday.create(year=planned["year"], starts_on=date(2024, 11, 18), ends_on=date(2024, 11, 20), name="Nghỉ")
    after = schedule.week_lessons(planned["staff"]["giaovien"], MONDAY)
    assert [x.lesson_no for x in after] == [34, 35, 36]  # three periods fell on the holiday
    holiday_week = schedule.week_lessons(planned["staff"]["giaovien"], date(2024, 11, 18))
    assert holiday_week == []


def test_a_kept_week_carries_the_teachers_numbers_forward(planned):
    staff = planned["staff"]["giaovien"]
    last_week = date(2024, 11, 25)
    row = schedule.generate_week(staff.id, last_week)[-1]
    assert row.lesson_no == 36
    schedule.save_lesson(staff.id, last_week, row.day, row.period, "40", "", "ôn tập", 1)
    kept = schedule.week_lessons(staff, last_week)
    assert kept[-1].lesson_no == 40 and kept[-1].title == "Bài 40"  # the title follows the number
    assert [x.lesson_no for x in schedule.week_lessons(staff, MONDAY)] == [41, 42, 43]
    assert AuditEntry.get(AuditEntry.entity == "teaching_week").action == "update"


def test_save_refuses_bad_input_and_stale_rows(planned):
    staff = planned["staff"]["giaovien"]
    with pytest.raises(ValueError, match="số nguyên"):
        schedule.save_lesson(staff.id, MONDAY, MONDAY, 1, "abc", "", "", 1)
    schedule.save_lesson(staff.id, MONDAY, MONDAY, 1, "37", "Bài của tôi", "", 1)
    with pytest.raises(schedule.Conflict):
        schedule.save_lesson(staff.id, MONDAY, MONDAY, 1, "37", "Khác", "", 1)
    assert schedule.week_lessons(staff, MONDAY)[0].title == "Bài của tôi"


def test_submit_needs_every_title_and_then_locks(planned):
    staff = planned["staff"]["giaovien"]
    schedule.save_lesson(staff.id, MONDAY, MONDAY, 1, "", "", "", 1)
    with pytest.raises(ValueError, match="Còn 1 tiết chưa có tiết PPCT"):
        schedule.submit_week(staff.id, MONDAY, 1)
    schedule.save_lesson(staff.id, MONDAY, MONDAY, 1, "37", "", "", 2)
    week = schedule.submit_week(staff.id, MONDAY, 1)
    assert week.state == "submitted"
    with pytest.raises(ValueError, match="đã nộp"):
        schedule.save_lesson(staff.id, MONDAY, MONDAY, 1, "38", "", "", 3)


def test_schedule_pages(planned, login_as):
    auth = login_as("giaovien")
    page = auth.client.get(f"/teacher/schedule?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "Lịch báo giảng" in page and "Bài 37" in page and "Chưa lưu" in page
    resp = auth.htmx_post(f"/teacher/schedule/{MONDAY.isoformat()}/row",
                          data={"day": MONDAY.isoformat(), "period": "1", "version": "1", "lesson_no": "x",
                                "title": "", "note": ""})
    assert resp.status_code == 422 and "số nguyên" in resp.get_data(as_text=True)
    resp = auth.htmx_post(f"/teacher/schedule/{MONDAY.isoformat()}/row",
                          data={"day": MONDAY.isoformat(), "period": "1", "version": "1", "lesson_no": "38",
                                "title": "", "note": "kiểm tra"})
    assert resp.status_code == 200 and "Bài 38" in resp.get_data(as_text=True)
    resp = auth.post(f"/teacher/schedule/{MONDAY.isoformat()}/submit", data={"version": "1"})
    assert resp.status_code == 303
    assert schedule.stored_week(planned["staff"]["giaovien"].id, MONDAY).state == "submitted"
    pdf = auth.client.get(f"/teacher/schedule/{MONDAY.isoformat()}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_heads_see_who_submitted(planned, login_as):
    staff = planned["staff"]["giaovien"]
    assert [(p.id, w, n) for p, w, n in schedule.week_status(planned["year"], MONDAY)] == [(staff.id, None, 3)]
    schedule.submit_week(staff.id, MONDAY, 1)
    auth = login_as("phohieutruong")
    page = auth.client.get(f"/vice-principal/schedules?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "đã nộp 1/1 giáo viên" in page and staff.full_name in page
    pdf = auth.client.get(f"/vice-principal/schedules/{staff.id}/pdf?week={MONDAY.isoformat()}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
