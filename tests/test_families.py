"""Notices to families: made from the day's attendance, opt-outs skipped, phones checked, templates, the
Excel export and the printed slips (both mark the notices sent), stale edits refused, all audited."""
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from models.attendance.register import AttendanceMark
from models.audit.log import AuditEntry
from models.core import DeletionRefused, write_transaction
from models.families import notices, settings
from models.families.exports import export_xlsx
from models.families.notices import FamilyNotice
from models.families.settings import ConflictError
from models.printing.family_slips import slips_pdf

DAY = date(2024, 12, 2)


def absent(school_class, student, session, value, day=DAY):
    with write_transaction():
        AttendanceMark.create(student=student, school_class=school_class, day=day, session=session, value=value)


@pytest.fixture
def families(school):
    s = school["students"]
    an, binh = s["Nguyễn Thị An"], s["Lê Văn An"]
    with write_transaction():
        an.mother_phone = "+84 912 345 678"
        an.save()
        binh.father_phone = "0212345678"  # a landline: no SMS
        binh.save()
    c = school["classes"]["6A1"]
    absent(c, an, 1, "K")
    absent(c, an, 2, "P")
    absent(c, binh, 1, "P")
    return {**school, "an": an, "binh": binh, "class": c, "user": school["users"]["chunhiem"]}


def test_the_days_notices_come_from_attendance_once_each(families):
    f = families
    drafts = notices.day_drafts(f["class"], DAY)
    assert {d.student.id: d.content for d in drafts} == {
        f["an"].id: "nghỉ học không phép buổi sáng, nghỉ học có phép buổi chiều",
        f["binh"].id: "nghỉ học có phép buổi sáng"}
    made = notices.create_day_notices(f["class"], DAY, f["user"])
    assert len(made) == 2
    an = next(n for n in made if n.student_id == f["an"].id)
    assert an.text.startswith("Trường THCS Kiểm Thử thông báo: em Nguyễn Thị An lớp 6A1 ngày 02/12/2024 nghỉ học")
    assert (an.contact, an.phone, an.phone_problem, an.state) == ("mother", "0912345678", "", "pending")
    assert len(an.key) == 32
    binh = next(n for n in made if n.student_id == f["binh"].id)
    assert binh.phone_problem.startswith("Số “0212345678” không phải số di động")
    # a second press makes nothing new
    assert notices.create_day_notices(f["class"], DAY, f["user"]) == []
    assert FamilyNotice.select().count() == 2
    assert AuditEntry.select().where((AuditEntry.entity == "family_notice") & (AuditEntry.action == "create")).count() == 2
    with pytest.raises(DeletionRefused):
        an.delete_instance()


def test_violations_hook_adds_to_the_days_notice(families):
    f = families
    cuc = f["students"]["Trần Văn Cường"] if "Trần Văn Cường" in f["students"] else None
    other = cuc or next(s for n, s in f["students"].items() if s.id not in (f["an"].id, f["binh"].id)
                        and n != "Bùi Thị Cúc")
    drafts = notices.day_drafts(f["class"], DAY, violations={f["an"].id: ["đi muộn"], other.id: ["không đồng phục", " "]})
    content = {d.student.id: d.content for d in drafts}
    assert content[f["an"].id].endswith("; vi phạm: đi muộn")
    assert content[other.id] == "vi phạm: không đồng phục"


def test_the_days_notices_carry_the_violations_the_giam_thi_recorded(families):
    from models.discipline import conduct

    f = families
    with write_transaction():
        late = conduct.add_item("Đi muộn", "-2")
        praise = conduct.add_item("Phát biểu xây dựng bài", "+1")
        conduct.record_conduct(f["class"], late, DAY, [f["an"]], today=DAY)
        conduct.record_conduct(f["class"], praise, DAY, [f["binh"]], today=DAY)  # a good deed is no violation
        withdrawn = conduct.record_conduct(f["class"], late, DAY, [f["binh"]], today=DAY)[0]
        conduct.withdraw(withdrawn, "Ghi nhầm học sinh")
    content = {d.student.id: d.content for d in notices.day_drafts(f["class"], DAY)}
    assert content[f["an"].id].endswith("; vi phạm: Đi muộn")
    assert "vi phạm" not in content[f["binh"].id]


def test_a_family_that_opted_out_is_skipped_and_shown_so(families):
    f = families
    settings.set_opt_out(f["an"], True, "Gia đình đề nghị liên lạc trực tiếp", f["user"])
    made = notices.create_day_notices(f["class"], DAY, f["user"])
    an = next(n for n in made if n.student_id == f["an"].id)
    assert an.state == "skipped" and an.state_label == "Bỏ qua" and "không nhận tin" in an.error
    assert AuditEntry.select().where(AuditEntry.entity == "family_preference").count() == 1


def test_export_lists_valid_phones_marks_them_sent_and_the_landline_failed(families):
    f = families
    notices.create_day_notices(f["class"], DAY, f["user"])
    data, rows = export_xlsx(notices.class_notices(f["class"], DAY), "Thông báo lớp 6A1")
    assert rows == 1
    sheet = load_workbook(BytesIO(data)).active
    assert sheet["B3"].value == "0912345678"
    assert sheet["C3"].value.startswith("Truong THCS Kiem Thu thong bao: em Nguyen Thi An")
    states = {n.student_id: (n.state, n.channel) for n in FamilyNotice.select()}
    assert states == {f["an"].id: ("sent", "export"), f["binh"].id: ("failed", "export")}
    # exported once: a second export has nothing left
    assert export_xlsx(notices.class_notices(f["class"], DAY), "x")[1] == 0


def test_slips_render_four_to_a_page(app, families):
    f = families
    made = notices.create_day_notices(f["class"], DAY, f["user"])
    with app.app_context():
        pdf = slips_pdf(f["class"], made * 3, DAY)
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert "PHIẾU LIÊN LẠC" in text.upper() and "Nguyễn Thị An" in text


def test_sms_channel_refuses_a_text_longer_than_one_sms(families):
    f = families
    settings.save_settings({"channel": "sms", "gateway_url": "http://127.0.0.1:9", "gateway_password": "x"}, None)
    with pytest.raises(ValueError, match="quá 160 ký tự"):
        notices.create_notice("urgent", f["class"], [f["an"]], DAY, "x" * 120, f["user"])
    made = notices.create_notice("urgent", f["class"], [f["an"]], DAY, "Ngày mai học sinh nghỉ học do bão.", f["user"])
    assert made[0].sms_length_label.endswith("/160 ký tự (GSM-7)")


def test_template_edits_are_checked_and_a_stale_one_refused(families):
    f = families
    with pytest.raises(ValueError, match="không biết"):
        settings.save_template("day", "Em {ten} nghỉ", 0, f["user"])
    with pytest.raises(ValueError, match="quá dài"):
        settings.save_template("day", "{truong} " + "rất dài " * 20 + "{hoc_sinh}", 0, f["user"])
    settings.save_template("day", "Em {hoc_sinh} lớp {lop} ngày {ngay}: {noi_dung}.", 0, f["user"])
    with pytest.raises(ConflictError):
        settings.save_template("day", "Em {hoc_sinh}: {noi_dung}.", 0, f["user"])
    made = notices.create_day_notices(f["class"], DAY, f["user"])
    assert made[0].text.startswith("Em ") and "ngày 02/12/2024:" in made[0].text


def test_editing_a_notice_needs_its_version_and_stops_once_sent(families):
    f = families
    made = notices.create_day_notices(f["class"], DAY, f["user"])
    n = made[0]
    notices.edit_text(n, "Nội dung đã sửa", n.version)
    with pytest.raises(ConflictError):
        notices.edit_text(n, "Lần nữa", n.version)
    fresh = FamilyNotice.get_by_id(n.id)
    notices.mark_handed_over([fresh], "print")
    with pytest.raises(ValueError, match="đã gửi"):
        notices.edit_text(fresh, "Sửa sau khi gửi", FamilyNotice.get_by_id(n.id).version)


def test_the_demo_leaves_notices_in_every_state_and_the_last_day_to_make(school):
    from models.demo.families import seed_demo_families

    c = school["classes"]["6A1"]
    names = ["Nguyễn Thị An", "Lê Văn An", "Trần Văn Bình", "Đặng Quốc Đạt", "Phạm Minh Dũng"]
    with write_transaction():
        for i, name in enumerate(names):
            s = school["students"][name]
            s.mother_phone = f"09812345{i:02d}"
            s.save()
    for i, name in enumerate(names):
        absent(c, school["students"][name], 1, "K", day=date(2024, 11, 20 + i))
    summary = seed_demo_families(today=DAY)
    assert summary.startswith("7 thông báo gia đình lớp 6A1 đến ngày 24/11/2024")
    day_states = [n.state for n in FamilyNotice.select().where(FamilyNotice.kind == "day").order_by(FamilyNotice.day)]
    assert day_states == ["sent", "delivered", "failed", "pending"]
    comments = FamilyNotice.select().where(FamilyNotice.kind == "monthly_comment").order_by(FamilyNotice.id)
    assert [n.state for n in comments] == ["skipped", "pending", "pending"]
    assert [d.existing for d in notices.day_drafts(c, date(2024, 11, 24))] == [None]  # left to make
    assert settings.current().channel == "print"


def test_a_notice_longer_than_one_sms_is_not_queued_until_shortened(families):
    f = families
    made = notices.create_notice("urgent", f["class"], [f["an"]], DAY, "x" * 150, f["user"])  # channel: print
    settings.save_settings({"channel": "sms", "gateway_url": "http://127.0.0.1:9", "gateway_password": "x"}, None)
    assert notices.queue_for_sms(made) == (0, 0, 1)
    assert FamilyNotice.get_by_id(made[0].id).queued_at is None
    with pytest.raises(ValueError, match="quá 160"):
        notices.edit_text(made[0], "y" * 170, made[0].version)
    notices.edit_text(made[0], "Ngày mai nghỉ học.", made[0].version)
    assert notices.queue_for_sms([FamilyNotice.get_by_id(made[0].id)]) == (1, 0, 0)


def test_the_audit_log_names_a_notice_by_student_and_day(families):
    from models.audit_check.entities import describe, field_changes

    f = families
    made = notices.create_day_notices(f["class"], DAY, f["user"])
    assert describe("family_notice", made[0].id) == (
        f"Thông báo gửi gia đình số {made[0].id}: nghỉ học, vi phạm trong ngày, gia đình em "
        f"{made[0].student.full_name} lớp 6A1, ngày 02/12/2024")
    assert describe("notice_template", "day") == "Mẫu tin thông báo gia đình “Nghỉ học, vi phạm trong ngày”"
    settings.set_opt_out(f["an"], True, "", f["user"])
    entry = AuditEntry.select().where(AuditEntry.entity == "family_preference").get()
    assert describe(entry.entity, entry.entity_id).startswith("Nguyện vọng nhận tin của gia đình em Nguyễn Thị An (")
    assert [c.label for c in field_changes(entry)][0] == "Không nhận tin nhắn"


def test_two_presses_at_once_make_the_days_notices_once(families, monkeypatch):
    f = families
    drafts = notices.day_drafts(f["class"], DAY)
    notices.create_day_notices(f["class"], DAY, f["user"])
    # the second press read the drafts before the first committed
    monkeypatch.setattr(notices, "day_drafts", lambda *a, **k: drafts)
    with pytest.raises(ValueError, match="vừa được lập"):
        notices.create_day_notices(f["class"], DAY, f["user"])
    assert FamilyNotice.select().count() == 2
