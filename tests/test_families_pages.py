"""Notices to families through the pages: the homeroom teacher's day (make, send by each channel, print,
correct, opt-out), the history, the admin's settings and templates, the teacher's and the head's views."""
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from models.attendance.register import AttendanceMark
from models.core import write_transaction
from models.families import notices, settings
from models.families.notices import FamilyNotice
from models.school.calendar import page_day

DAY = date(2024, 12, 2)


@pytest.fixture
def absences(school):
    s = school["students"]
    c = school["classes"]["6A1"]
    with write_transaction():
        s["Nguyễn Thị An"].mother_phone = "0912345678"
        s["Nguyễn Thị An"].save()
        s["Lê Văn An"].father_phone = "0912 34"
        s["Lê Văn An"].save()
        AttendanceMark.create(student=s["Nguyễn Thị An"], school_class=c, day=DAY, session=1, value="K")
        AttendanceMark.create(student=s["Lê Văn An"], school_class=c, day=DAY, session=1, value="P")
    return school


def url(school, tail=""):
    return f"/homeroom/class/{school['classes']['6A1'].id}/notices{tail}"


def test_homeroom_makes_the_days_notices_and_prints_the_slips(client, login_as, absences):
    auth = login_as("chunhiem")
    page = client.get(url(absences) + "?day=02/12/2024").get_data(as_text=True)
    assert "Nguyễn Thị An" in page and "nghỉ học không phép buổi sáng" in page and "Chưa lập" in page
    assert "Số “0912 34” phải có 10 chữ số" in page
    assert "Cách gửi của trường" in page and "In phiếu liên lạc" in page
    resp = auth.post(url(absences, "/day"), data={"day": "02/12/2024"})
    assert resp.status_code == 302
    assert FamilyNotice.select().count() == 2
    resp = auth.post(url(absences, "/send"), data={"day": "02/12/2024"})  # the default channel: print
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data[:4] == b"%PDF"
    assert {n.state for n in FamilyNotice.select()} == {"sent"}
    page = client.get(url(absences) + "?day=02/12/2024").get_data(as_text=True)
    assert page.count('data-state="sent"') == 2
    # printing again is a reprint: still one PDF, nothing changes
    assert auth.post(url(absences, "/slips"), data={"day": "02/12/2024"}).mimetype == "application/pdf"


def test_export_channel_downloads_the_phones_and_sms_channel_queues(client, login_as, absences):
    auth = login_as("chunhiem")
    settings.save_settings({"channel": "export"}, None)
    auth.post(url(absences, "/day"), data={"day": "02/12/2024"})
    resp = auth.post(url(absences, "/send"), data={"day": "02/12/2024"})
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(resp.data)).active
    assert [sheet["B3"].value, sheet["B4"].value] == ["0912345678", None]
    assert {n.state for n in FamilyNotice.select()} == {"sent", "failed"}

    settings.save_settings({"channel": "sms", "gateway_url": "http://127.0.0.1:9", "gateway_password": "x"}, None)
    made = notices.create_notice("urgent", absences["classes"]["6A1"], [absences["students"]["Nguyễn Thị An"]],
                                 DAY, "Mai nghỉ học do bão.", None)
    resp = auth.post(url(absences, "/send"), data={"day": "02/12/2024"}, follow_redirects=True)
    assert "Đã đưa 1 tin vào hàng đợi gửi SMS" in resp.get_data(as_text=True)
    assert FamilyNotice.get_by_id(made[0].id).queued_at is not None
    # while it is on its way the page polls the states, which come as out-of-band swaps of the state cells
    states = client.get(url(absences, "/states?day=02/12/2024"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'id="state-{made[0].id}" hx-swap-oob="true"' in states and 'hx-trigger="every 5s"' in states
    assert "<textarea" not in states
    with write_transaction():
        FamilyNotice.update(state="delivered").where(FamilyNotice.id == made[0].id).execute()
    states = client.get(url(absences, "/states?day=02/12/2024")).get_data(as_text=True)
    assert 'data-state="delivered"' in states and "hx-trigger" not in states  # nothing left on its way: stop


def test_a_notice_written_by_hand_is_checked_and_a_stale_edit_gets_409(client, login_as, absences):
    auth = login_as("chunhiem")
    resp = auth.post(url(absences, "/new"), data={"day": "02/12/2024", "kind": "urgent", "student_id": "all",
                                                  "content": ""}, follow_redirects=True)
    assert "Chưa nhập nội dung thông báo" in resp.get_data(as_text=True)
    auth.post(url(absences, "/new"), data={"day": "02/12/2024", "kind": "urgent", "student_id": "all",
                                           "content": "Thứ Bảy họp cha mẹ học sinh lúc 7 giờ 30."})
    assert FamilyNotice.select().count() == 7
    n = FamilyNotice.select().first()
    ok = auth.post(url(absences, f"/{n.id}/text"), data={"text": "Họp lúc 8 giờ.", "version": n.version})
    assert ok.status_code == 302
    stale = auth.post(url(absences, f"/{n.id}/text"), data={"text": "Họp lúc 9 giờ.", "version": n.version})
    assert stale.status_code == 409 and "người khác" in stale.get_data(as_text=True)
    assert "8 giờ" in FamilyNotice.get_by_id(n.id).text


def test_opting_out_skips_the_family_and_the_other_class_is_refused(client, login_as, absences):
    auth = login_as("chunhiem")
    an = absences["students"]["Nguyễn Thị An"]
    auth.post(url(absences, "/family"), data={"student_id": an.id, "opted_out": "1", "day": "02/12/2024"})
    page = client.get(url(absences) + "?day=02/12/2024").get_data(as_text=True)
    assert "Gia đình không nhận tin: bỏ qua" in page
    auth.post(url(absences, "/day"), data={"day": "02/12/2024"})
    assert FamilyNotice.get(FamilyNotice.student == an).state == "skipped"
    other = absences["classes"]["6A2"].id
    assert client.get(f"/homeroom/class/{other}/notices").status_code == 403
    assert auth.post(f"/homeroom/class/{other}/notices/day", data={"day": "02/12/2024"}).status_code == 403
    cuc = absences["students"]["Bùi Thị Cúc"]
    assert auth.post(url(absences, "/family"), data={"student_id": cuc.id, "opted_out": "1"}).status_code == 404


def test_history_filters_by_student_and_state(client, login_as, absences):
    auth = login_as("chunhiem")
    auth.post(url(absences, "/day"), data={"day": "02/12/2024"})
    an = absences["students"]["Nguyễn Thị An"]
    page = client.get(url(absences, f"/history?student={an.id}")).get_data(as_text=True)
    assert "1 thông báo" in page and "Nguyễn Thị An" in page
    assert "0 thông báo" in client.get(url(absences, "/history?state=delivered")).get_data(as_text=True)
    assert "2 thông báo" in client.get(url(absences, "/history?since=01/12/2024&until=02/12/2024")).get_data(as_text=True)
    mine = client.get("/teacher/notices").get_data(as_text=True)
    assert "2 thông báo" in mine


def test_admin_sets_the_channel_and_templates_with_versions(client, login_as, school):
    auth = login_as("admin")
    assert "Mẫu tin" in client.get("/admin/family-notices").get_data(as_text=True)
    resp = auth.post("/admin/family-notices/settings", data={"channel": "sms", "gateway_url": "192.168.1.5"})
    assert resp.status_code == 422 and "http://192.168.1.50:8080" in resp.get_data(as_text=True)
    assert auth.post("/admin/family-notices/settings", data={
        "channel": "sms", "gateway_url": "http://192.168.1.5:8080", "gateway_login": "sms",
        "gateway_password": "secret", "rate_per_minute": "10", "version": ""}).status_code == 302
    stored = settings.current().gateway_password
    assert "secret" not in stored and stored.startswith("fernet:")  # sealed with SECRET_KEY, never as typed
    assert settings.gateway_password(settings.current()) == "secret"
    stale = auth.post("/admin/family-notices/settings", data={"channel": "print", "version": "0"})
    assert stale.status_code == 409
    assert auth.post("/admin/family-notices/settings", data={"channel": "print", "version": "1"}).status_code == 302
    assert settings.current().gateway_password == stored  # blank keeps it
    bad = auth.post("/admin/family-notices/template/day", data={"text": "Em {ten}", "version": "0"})
    assert bad.status_code == 422 and "{ten}" in bad.get_data(as_text=True)
    assert auth.post("/admin/family-notices/template/day",
                     data={"text": "Em {hoc_sinh}: {noi_dung}", "version": "0"}).status_code == 302
    assert auth.post("/admin/family-notices/template/day",
                     data={"text": "Con {hoc_sinh}: {noi_dung}", "version": "0"}).status_code == 409


def test_head_of_department_sees_each_members_month(client, login_as, school):
    c = school["classes"]["6A1"]
    an = school["students"]["Nguyễn Thị An"]
    notices.create_notice("monthly_comment", c, [an], DAY, "Em tiến bộ môn Toán.", school["users"]["giaovien"])
    notices.create_notice("urgent", c, [an], date(2024, 11, 5), "Họp phụ huynh tháng 11", school["users"]["totruong"])
    login_as("totruong")
    page = client.get("/teacher/department/notices?month=2024-12").get_data(as_text=True)
    assert "Giáo Viên Giaovien" in page and "Em tiến bộ môn Toán." in page and "Họp phụ huynh tháng 11" not in page
    assert "Họp phụ huynh tháng 11" in client.get("/teacher/department/notices?month=2024-11").get_data(as_text=True)
    assert client.get("/teacher/department/notices?month=2024-13").status_code == 404


def test_plain_teacher_cannot_open_the_department_notices(client, login_as, school):
    login_as("giaovien")
    assert client.get("/teacher/department/notices").status_code == 403


def test_the_accountant_reminds_owing_families_and_the_nurse_tells_a_finding(client, login_as, school):
    from models.finance.fees import create_fee_item, generate_charges

    c = school["classes"]["6A1"]
    fee = create_fee_item(school["year"], "Học phí", 100_000, "year", [], True)
    generate_charges(c, "nam", [fee.id])
    auth = login_as("ketoan")
    resp = auth.post(f"/accountant/class/{c.id}/remind", follow_redirects=True)
    assert "Đã lập 7 thông báo nhắc nộp" in resp.get_data(as_text=True)
    reminder = FamilyNotice.get(FamilyNotice.kind == "fee")
    assert "còn 100.000 đ chưa nộp" in reminder.text and reminder.day == page_day(reminder.school_class.year)
    again = auth.post(f"/accountant/class/{c.id}/remind", follow_redirects=True)  # once a day
    assert "Không có thông báo mới" in again.get_data(as_text=True)
    assert FamilyNotice.select().where(FamilyNotice.kind == "fee").count() == 7

    an = school["students"]["Nguyễn Thị An"]
    auth.logout()
    auth = login_as("yte")
    assert auth.post(f"/nurse/student/{an.id}/family-notice", data={"content": ""},
                     follow_redirects=True).get_data(as_text=True).count("Chưa nhập nội dung") == 1
    auth.post(f"/nurse/student/{an.id}/family-notice", data={"content": "Em bị cận thị, gia đình cho em đi khám mắt."})
    health = FamilyNotice.get(FamilyNotice.kind == "health")
    assert health.created_by.username == "yte" and "đi khám mắt" in health.text

    auth.logout()
    auth = login_as("chunhiem")
    page = client.get(url(school)).get_data(as_text=True)  # today's notices of the class
    assert "Nhắc nộp các khoản thu" in page and "Thông báo sức khỏe" in page

    auth.logout()
    auth = login_as("hieutruong")  # reads health records, writes nothing
    assert auth.post(f"/nurse/student/{an.id}/family-notice", data={"content": "x"}).status_code == 403


def test_the_office_filters_the_schools_notices_by_class_and_teacher(client, login_as, school):
    c = school["classes"]["6A1"]
    an, cuc = school["students"]["Nguyễn Thị An"], school["students"]["Bùi Thị Cúc"]
    notices.create_notice("urgent", c, [an], DAY, "Nghỉ học do bão.", school["users"]["chunhiem"])
    notices.create_notice("monthly_comment", school["classes"]["6A2"], [cuc], DAY, "Tiến bộ.",
                          school["users"]["totruong"])
    login_as("phohieutruong")
    assert "2 thông báo" in client.get("/vice-principal/notices").get_data(as_text=True)
    by_class = client.get(f"/vice-principal/notices?class={c.id}").get_data(as_text=True)
    assert "1 thông báo" in by_class and "Nghỉ học do bão." in by_class
    by_teacher = client.get(f"/vice-principal/notices?teacher={school['users']['totruong'].id}").get_data(as_text=True)
    assert "1 thông báo" in by_teacher and "Tiến bộ." in by_teacher
    assert client.get("/vice-principal/notices?since=31/02/2024").status_code == 400
