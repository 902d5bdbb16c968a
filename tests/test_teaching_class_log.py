"""The class log (sổ ghi đầu bài): pre-filled periods, who writes, substitutes, signing, ranking, pages, PDF."""
from datetime import date, datetime

import pytest

from models.attendance.register import AttendanceMark
from models.audit.log import AuditEntry
from models.core import write_transaction
from models.rules import class_log as rules
from models.school.structure import TeachingAssignment
from models.teaching import class_log, ppct, schedule, timetable

MONDAY = date(2024, 12, 2)


@pytest.fixture
def planned(app, school):
    """6A1: Toán by giaovien on Monday periods 1–2, GDTC by chunhiem on Monday period 3; a PPCT for Toán 6."""
    version = timetable.create_version(school["year"], date(2024, 9, 5))
    math = school["assignment"].id
    pe = TeachingAssignment.get((TeachingAssignment.school_class == school["classes"]["6A1"])
                                & (TeachingAssignment.subject == school["subjects"]["GDTC"])).id
    timetable.save_class_grid(version, school["classes"]["6A1"], {(0, 1): math, (0, 2): math, (0, 3): pe},
                              timetable.grid_token(version, school["classes"]["6A1"]))
    with write_transaction():
        for n in range(1, 60):
            ppct.PpctLesson.create(year=school["year"], grade=school["classes"]["6A1"].grade,
                                   subject=school["subjects"]["TOAN"], number=n, title=f"Bài {n}")
    return school


def _values(**kw):
    return {"lesson_no": "25", "title": "Bài 25", "remarks": "Lớp chú ý", "rating": "tot", "not_taught": "",
            "absent": [], **kw}


def test_ranking_rule():
    scores = rules.ranking({"6A1": ["tot", "tot", "kha"], "6A2": ["tot", "kha", "tot"], "7A1": ["tb"],
                            "7A2": []})
    assert [(s.class_name, s.rank, str(s.points)) for s in scores] == [
        ("6A1", 1, "9.3"), ("6A2", 1, "9.3"), ("7A1", 3, "5.0"), ("7A2", 0, "0")]
    assert scores[0].counts == {"tot": 2, "kha": 1, "tb": 0, "chua_dat": 0}
    with pytest.raises(ValueError, match="xếp loại"):
        rules.check_rating("gioi")


def test_periods_are_prefilled_from_schedule_and_attendance(planned):
    student = planned["students"]["Lê Văn An"]
    with write_transaction():
        AttendanceMark.create(student=student, school_class=planned["classes"]["6A1"], day=MONDAY, session=1,
                              value="P")
    views = class_log.teacher_day(planned["staff"]["giaovien"], MONDAY)
    assert [(v.period, v.subject.code) for v in views] == [(1, "TOAN"), (2, "TOAN")]
    expected = schedule.week_lessons(planned["staff"]["giaovien"], MONDAY)[0]
    assert (views[0].lesson_no, views[0].title) == (expected.lesson_no, expected.title)
    assert views[0].absent_ids == [student.id]


def test_only_the_teacher_of_the_period_writes(planned):
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    with pytest.raises(PermissionError, match="dạy thay"):
        class_log.save_entry(c6a1, MONDAY, 1, staff["totruong"], users["totruong"], _values(), 0)
    entry = class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"],
                                 _values(absent=[str(planned["students"]["Hoàng Anh"].id)]), 0)
    assert entry.teacher_id == staff["giaovien"].id and not entry.is_substitute
    assert entry.absent_ids == [planned["students"]["Hoàng Anh"].id]
    # the owner of a written period is the one who wrote it: a would-be substitute is refused
    with pytest.raises(PermissionError, match="đã được giáo viên"):
        class_log.save_entry(c6a1, MONDAY, 1, staff["totruong"], users["totruong"], _values(), 1, substitute=True)
    with pytest.raises(class_log.Conflict):
        class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(remarks="khác"), 0)
    with pytest.raises(ValueError, match="không có Tiết 5"):
        class_log.save_entry(c6a1, MONDAY, 5, staff["giaovien"], users["giaovien"], _values(), 0)
    assert AuditEntry.get(AuditEntry.entity == "class_log").action == "create"


def test_substitute_and_period_not_taught(planned):
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    entry = class_log.save_entry(c6a1, MONDAY, 2, staff["totruong"], users["totruong"], _values(), 0,
                                 substitute=True)
    assert entry.is_substitute and entry.planned_teacher_id == staff["giaovien"].id
    assert [v.period for v in class_log.teacher_day(staff["totruong"], MONDAY)] == [2]
    skipped = class_log.save_entry(c6a1, MONDAY, 3, staff["chunhiem"], users["chunhiem"],
                                   _values(not_taught="Học sinh đi tham quan", rating=""), 0)
    assert skipped.rating is None and skipped.not_taught == "Học sinh đi tham quan"
    with pytest.raises(ValueError, match="tiết PPCT và tên bài"):
        class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(title=""), 0)
    with pytest.raises(ValueError, match="Tốt, Khá"):
        class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(rating="x"), 0)
    with pytest.raises(ValueError, match="không thuộc lớp"):
        class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"],
                             _values(absent=[str(planned["students"]["Bùi Thị Cúc"].id)]), 0)


def test_a_signed_week_no_longer_changes(planned):
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0)
    class_log.sign_week(c6a1, date(2024, 12, 4), users["phohieutruong"])  # any day: its Monday
    assert class_log.signed(c6a1.id, MONDAY).signed_by_id == users["phohieutruong"].id
    with pytest.raises(ValueError, match="đã được ký duyệt"):
        class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(remarks="sửa"), 1)
    with pytest.raises(ValueError, match="đã được ký duyệt"):
        class_log.sign_week(c6a1, MONDAY, users["hieutruong"])


def test_week_ranking_counts_the_week_only(planned):
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(rating="kha"), 0)
    class_log.save_entry(c6a1, MONDAY, 2, staff["giaovien"], users["giaovien"], _values(rating="tot"), 0)
    scores = {s.class_name: s for s in class_log.week_ranking(planned["year"], MONDAY)}
    assert (scores["6A1"].rank, str(scores["6A1"].points), scores["6A1"].periods) == (1, "9.0", 2)
    assert scores["6A2"].rank == 0
    assert class_log.week_ranking(planned["year"], date(2024, 12, 9))[0].periods == 0


def test_teacher_confirms_a_period_in_the_page(planned, login_as):
    auth = login_as("giaovien")
    page = auth.client.get(f"/teacher/class-log?day={MONDAY.isoformat()}").get_data(as_text=True)
    assert "Tiết 1 (sáng) · Lớp 6A1 · Toán" in page and "Xác nhận tiết học" in page
    url = f"/teacher/class-log/{planned['classes']['6A1'].id}/{MONDAY.isoformat()}/1"
    bad = auth.htmx_post(url, data={"version": "0", "lesson_no": "25", "title": "Bài 25", "rating": ""})
    assert bad.status_code == 422 and "Hãy chọn xếp loại" in bad.get_data(as_text=True)
    ok = auth.htmx_post(url, data={"version": "0", "lesson_no": "25", "title": "Bài 25", "rating": "tot",
                                   "remarks": "Sôi nổi"})
    assert ok.status_code == 200 and "Đã xác nhận" in ok.get_data(as_text=True)
    stale = auth.htmx_post(url, data={"version": "0", "lesson_no": "25", "title": "Bài 25", "rating": "kha"})
    assert stale.status_code == 409
    # the GDTC period is chunhiem's: writing it without saying "dạy thay" is refused and audited
    other = f"/teacher/class-log/{planned['classes']['6A1'].id}/{MONDAY.isoformat()}/3"
    before = AuditEntry.select().where(AuditEntry.action == "refused").count()
    assert auth.htmx_post(other, data={"version": "0", "rating": "tot"}).status_code == 403
    assert AuditEntry.select().where(AuditEntry.action == "refused").count() == before + 1


def test_homeroom_reads_and_the_vice_principal_signs(planned, login_as, client):
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0)
    auth = login_as("chunhiem")
    page = auth.client.get(f"/homeroom/class-log/{c6a1.id}?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "Bài 25" in page and "Chưa ký duyệt" in page
    assert auth.client.get(f"/homeroom/class-log/{planned['classes']['6A2'].id}").status_code == 403
    auth.logout()
    auth = login_as("phohieutruong")
    resp = auth.post(f"/vice-principal/class-log/{c6a1.id}/sign", data={"week": MONDAY.isoformat()})
    assert resp.status_code == 303
    page = auth.client.get(f"/vice-principal/class-log/{c6a1.id}?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "Đã ký duyệt" in page
    assert "6A1" in auth.client.get(f"/vice-principal/class-log/ranking?week={MONDAY.isoformat()}").get_data(as_text=True)
    pdf = auth.client.get(f"/vice-principal/class-log/{c6a1.id}/pdf?week={MONDAY.isoformat()}&only=1")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_confirmed_at_is_kept(planned):
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    at = datetime(2024, 12, 2, 7, 50)
    entry = class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0, now=at)
    assert entry.confirmed_at == at and entry.confirmed_by_id == users["giaovien"].id


def test_the_year_end_archive_keeps_the_class_log(app, planned):
    from models.printing import archive, class_log_book

    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    assert class_log_book.year_pdf(c6a1) is None  # nothing logged: no book in the archive
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0)
    with app.app_context():
        names = [name for name, _ in archive.class_files(c6a1.id)]
    assert "6A1/So-ghi-dau-bai-6A1-2024-2025.pdf" in names
    assert class_log.weeks_of_year(c6a1, date(2024, 9, 20)) == [date(2024, 9, 2), date(2024, 9, 9), date(2024, 9, 16)]


def test_the_audit_log_says_what_was_written(planned):
    from models.audit_check.entities import describe

    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0)
    class_log.sign_week(c6a1, MONDAY, users["phohieutruong"])
    schedule.save_lesson(staff["giaovien"].id, MONDAY, MONDAY, 2, "30", "", "", 1)
    entry = AuditEntry.get(AuditEntry.entity == "class_log")
    assert describe(entry.entity, entry.entity_id) == "Sổ ghi đầu bài lớp 6A1 năm học 2024-2025, Tiết 1 (sáng) ngày 02/12/2024"
    week = AuditEntry.get(AuditEntry.entity == "class_log_week")
    assert describe(week.entity, week.entity_id) == "Tuần của sổ ghi đầu bài lớp 6A1 năm học 2024-2025, tuần từ 02/12/2024"
    lesson = AuditEntry.get(AuditEntry.entity == "teaching_week")
    assert describe(lesson.entity, lesson.entity_id) == (
        f"Lịch báo giảng của {staff['giaovien'].full_name}, tuần từ 02/12/2024, Tiết 2 (sáng) ngày 02/12/2024")
    version = AuditEntry.get(AuditEntry.entity == "timetable")
    assert describe(version.entity, version.entity_id) == "Thời khoá biểu năm học 2024-2025, áp dụng từ 05/09/2024"


def test_a_signed_week_is_corrected_after_the_heads_reopen_it(planned, login_as):
    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0)
    class_log.sign_week(c6a1, MONDAY, users["phohieutruong"])
    auth = login_as("hieutruong")
    url = f"/vice-principal/class-log/{c6a1.id}/reopen"
    auth.post(url, data={"week": MONDAY.isoformat(), "reason": ""})
    assert class_log.signed(c6a1.id, MONDAY) is not None  # no reason, nothing changes
    assert auth.post(url, data={"week": MONDAY.isoformat(), "reason": "Ghi nhầm tên bài"}).status_code == 303
    assert class_log.signed(c6a1.id, MONDAY) is None
    entry = AuditEntry.get((AuditEntry.entity == "class_log_week") & (AuditEntry.action == "reopen"))
    assert entry.reason == "Ghi nhầm tên bài" and "signed_by" in entry.before
    fixed = class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(title="Bài 26"), 1)
    assert fixed.title == "Bài 26" and fixed.version == 2


def test_a_teacher_asks_to_correct_a_signed_period_and_the_heads_decide(planned, login_as, client):
    """After the week is signed a change goes through a request: the teacher says what is wrong, the
    vice-principal or principal approves (the week reopens for the correction) or refuses with an answer."""
    from models.teaching.class_log_book import ClassLogRequest

    c6a1, staff, users = planned["classes"]["6A1"], planned["staff"], planned["users"]
    class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(), 0)
    class_log.save_entry(c6a1, MONDAY, 2, staff["giaovien"], users["giaovien"], _values(lesson_no="26"), 0)
    url = f"/teacher/class-log/{c6a1.id}/{MONDAY.isoformat()}/1/request"
    auth = login_as("giaovien")
    auth.post(url, data={"reason": "Ghi nhầm tên bài"})
    assert ClassLogRequest.select().count() == 0  # not signed yet: the teacher corrects it directly
    class_log.sign_week(c6a1, MONDAY, users["phohieutruong"])
    page = client.get(f"/teacher/class-log?day={MONDAY.isoformat()}").get_data(as_text=True)
    assert "Gửi đề nghị sửa" in page
    assert auth.post(url, data={"reason": "  "}).status_code == 303 and ClassLogRequest.select().count() == 0
    assert auth.post(url, data={"reason": "Ghi nhầm tên bài: Bài 25, không phải Bài 24"}).status_code == 303
    first = ClassLogRequest.get()
    assert first.state == "waiting" and first.filed_by_id == users["giaovien"].id
    auth.post(url, data={"reason": "lần nữa"})
    assert ClassLogRequest.select().count() == 1  # one waiting request per period
    # someone who did not write the period cannot ask (the refusal is audited)
    auth.logout()
    other = login_as("chunhiem")
    assert other.post(url, data={"reason": "không phải tiết của tôi"}).status_code == 403
    # the vice-principal sees it, refuses without an answer (nothing changes), then approves
    other.logout()
    vp = login_as("phohieutruong")
    overview = client.get(f"/vice-principal/class-log?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "Ghi nhầm tên bài: Bài 25" in overview
    decide = f"/vice-principal/class-log/requests/{first.id}"
    vp.post(decide, data={"action": "refuse", "answer": ""})
    assert ClassLogRequest.get_by_id(first.id).state == "waiting" and class_log.signed(c6a1.id, MONDAY)
    assert vp.post(decide, data={"action": "approve"}).status_code == 303
    assert ClassLogRequest.get_by_id(first.id).state == "approved" and class_log.signed(c6a1.id, MONDAY) is None
    reopened = AuditEntry.get((AuditEntry.entity == "class_log_week") & (AuditEntry.action == "reopen"))
    assert f"#{first.id}" in reopened.reason
    assert vp.post(decide, data={"action": "refuse", "answer": "muộn"}).status_code == 303
    assert ClassLogRequest.get_by_id(first.id).state == "approved"  # decided once
    fixed = class_log.save_entry(c6a1, MONDAY, 1, staff["giaovien"], users["giaovien"], _values(title="Bài 25"), 1)
    assert fixed.title == "Bài 25"
    # a refusal needs an answer and leaves the week signed
    class_log.sign_week(c6a1, MONDAY, users["phohieutruong"])
    second = class_log.file_request(c6a1, MONDAY, 2, users["giaovien"], "Sai số tiết")
    class_log.decide_request(second, users["hieutruong"], approve=False, answer="Số tiết đúng theo PPCT")
    assert ClassLogRequest.get_by_id(second.id).state == "refused" and class_log.signed(c6a1.id, MONDAY)
    actions = [a for (a,) in AuditEntry.select(AuditEntry.action)
               .where(AuditEntry.entity == "class_log_request").order_by(AuditEntry.id).tuples()]
    assert actions == ["file", "approve", "file", "reject"]
