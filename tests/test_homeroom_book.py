"""The homeroom book (sổ chủ nhiệm, issue 17): the profile computed from data, sections saved with a version, dated
notes, who reads and writes it, and its A4 print."""
from datetime import date

import pytest

from models.audit.log import AuditEntry
from models.discipline import conduct
from models.homeroom_book import book
from models.people.records import Student


def test_the_profile_is_computed_from_the_class(school):
    c6a1 = school["classes"]["6A1"]
    an = school["students"]["Lê Văn An"]
    Student.update(ethnicity="Tày", policy_family=True).where(Student.id == an.id).execute()
    late = conduct.add_item("Đi muộn", "-2")
    for day in (2, 3, 4):
        conduct.record_conduct(c6a1, late, date(2024, 12, day), [an], today=date(2024, 12, 5))
    p = book.profile(c6a1)
    assert (p.size, p.boys, p.girls, p.minorities, p.policy_families) == (7, 6, 1, 1, 1)
    assert [(a.student.full_name, a.reasons) for a in p.attention] == [("Lê Văn An", ["3 lần vi phạm nề nếp"])]


def test_a_section_is_saved_with_a_version_and_a_stale_save_is_refused(school):
    c6a1 = school["classes"]["6A1"]
    first = book.save_section(c6a1, "committee", "", "Lớp trưởng: Nguyễn Thị An", 0)
    assert first.version == 1 and book.section(c6a1, "committee").text == "Lớp trưởng: Nguyễn Thị An"
    second = book.save_section(c6a1, "committee", "", "Lớp trưởng: Lê Văn An", 1)
    assert second.version == 2
    with pytest.raises(book.StaleSection):
        book.save_section(c6a1, "committee", "", "Lớp trưởng: Vũ Ánh", 1)
    assert book.section(c6a1, "committee").text == "Lớp trưởng: Lê Văn An"
    entries = list(AuditEntry.select().where(AuditEntry.entity == "homeroom_book").order_by(AuditEntry.id))
    assert [e.before_data.get("text") if e.before else None for e in entries] == [None, "Lớp trưởng: Nguyễn Thị An"]


def test_month_sections_need_a_month(school):
    c6a1 = school["classes"]["6A1"]
    with pytest.raises(ValueError, match="tháng"):
        book.save_section(c6a1, "month_plan", "2024-13", "…", 0)
    book.save_section(c6a1, "month_plan", "2024-11", "Thi đua chào mừng 20/11", 0)
    assert book.section(c6a1, "month_plan", "2024-11").text == "Thi đua chào mừng 20/11"
    assert book.section(c6a1, "month_plan", "2024-12").text == ""
    assert book.year_months(c6a1)[0] == "2024-09" and book.year_months(c6a1)[-1] == "2025-05"


@pytest.mark.parametrize(("kind", "extra", "message"), [
    ("class_meeting", {"day": date(2030, 1, 1)}, "chưa tới"),
    ("family_contact", {}, "Chọn học sinh"),
    ("parents_meeting", {"present": 40, "expected": 35}, "từ 0 đến số được mời"),
    ("parents_meeting", {}, "Nhập số phụ huynh"),
    ("nonsense", {}, "không hợp lệ"),
])
def test_bad_notes_are_refused(school, kind, extra, message):
    day = extra.pop("day", date(2024, 12, 2))
    with pytest.raises(ValueError, match=message):
        book.add_note(school["classes"]["6A1"], kind, day, "Nội dung", today=date(2024, 12, 3), **extra)
    assert book.HomeroomNote.select().count() == 0


def test_notes_are_kept_newest_first(school):
    c6a1 = school["classes"]["6A1"]
    book.add_note(c6a1, "parents_meeting", date(2024, 9, 20), "Họp đầu năm", present=30, expected=35,
                  today=date(2024, 12, 3))
    book.add_note(c6a1, "class_meeting", date(2024, 11, 29), "Tuần 12: tốt", today=date(2024, 12, 3))
    book.add_note(c6a1, "class_meeting", date(2024, 12, 2), "Tuần 13", today=date(2024, 12, 3))
    assert [n.text for n in book.notes_of(c6a1, "class_meeting")] == ["Tuần 13", "Tuần 12: tốt"]
    meeting = book.notes_of(c6a1, "parents_meeting")[0]
    assert (meeting.present, meeting.expected) == (30, 35)


def test_homeroom_teacher_writes_through_htmx_and_a_stale_save_is_409(client, login_as, school):
    auth = login_as("chunhiem")
    c6a1 = school["classes"]["6A1"]
    page = client.get(f"/homeroom/class/{c6a1.id}/book").get_data(as_text=True)
    assert "Sổ chủ nhiệm lớp 6A1" in page and "Sĩ số" in page and "Sinh hoạt lớp" in page
    ok = auth.htmx_post(f"/homeroom/class/{c6a1.id}/book/section",
                        {"kind": "year_plan", "period": "", "text": "Kế hoạch năm", "version": 0})
    assert ok.status_code == 200 and "Đã lưu." in ok.get_data(as_text=True)
    stale = auth.htmx_post(f"/homeroom/class/{c6a1.id}/book/section",
                           {"kind": "year_plan", "period": "", "text": "Bản khác", "version": 0})
    assert stale.status_code == 409 and "người khác" in stale.get_data(as_text=True)
    note = auth.htmx_post(f"/homeroom/class/{c6a1.id}/book/note",
                          {"kind": "class_meeting", "day": "02/12/2024", "channel": "Tuần 13",
                           "text": "Lớp giữ vệ sinh tốt"})
    assert note.status_code == 200 and "Lớp giữ vệ sinh tốt" in note.get_data(as_text=True)
    bad = auth.htmx_post(f"/homeroom/class/{c6a1.id}/book/note",
                         {"kind": "parents_meeting", "day": "02/12/2024", "present": "ba", "text": "x"})
    assert bad.status_code == 422 and "số nguyên" in bad.get_data(as_text=True)


def test_another_class_book_is_refused(client, login_as, school):
    auth = login_as("chunhiem")
    other = school["classes"]["6A2"]
    assert client.get(f"/homeroom/class/{other.id}/book").status_code == 403
    resp = auth.post(f"/homeroom/class/{other.id}/book/note", {"kind": "class_meeting", "day": "02/12/2024",
                                                                "text": "x"})
    assert resp.status_code == 403 and book.HomeroomNote.select().count() == 0


@pytest.mark.parametrize(("username", "status"), [("phohieutruong", 200), ("hieutruong", 200), ("chunhiem", 200),
                                                  ("giaovien", 403)])
def test_the_heads_read_the_printed_book(client, login_as, school, username, status):
    c6a1 = school["classes"]["6A1"]
    book.save_section(c6a1, "year_plan", "", "Phấn đấu 100% học sinh lên lớp", 0)
    login_as(username)
    resp = client.get(f"/print/class/{c6a1.id}/homeroom-book")
    assert resp.status_code == status
    if status == 200:
        assert "Phấn đấu 100% học sinh lên lớp" in resp.get_data(as_text=True)


def test_the_book_prints_as_a4_pdf(client, login_as, school):
    c6a1 = school["classes"]["6A1"]
    book.add_note(c6a1, "class_meeting", date(2024, 12, 2), "Tuần 13: nhắc nhở đi học đúng giờ",
                  today=date(2024, 12, 3))
    login_as("chunhiem")
    resp = client.get(f"/print/class/{c6a1.id}/homeroom-book.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(resp.data))
    assert len(reader.pages) >= 7
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842
    text = "".join(page.extract_text() for page in reader.pages)
    assert "SỔ CHỦ NHIỆM" in text.upper() and "nhắc nhở đi học đúng giờ" in text


def test_the_audit_log_names_what_was_written(school):
    from models.audit_check.entities import describe

    c6a1 = school["classes"]["6A1"]
    book.save_section(c6a1, "month_plan", "2024-11", "Thi đua 20/11", 0)
    note = book.add_note(c6a1, "class_meeting", date(2024, 12, 2), "Tuần 13", today=date(2024, 12, 3))
    late = conduct.add_item("Đi muộn", "-2")
    row = conduct.record_conduct(c6a1, late, date(2024, 12, 2), [school["students"]["Lê Văn An"]],
                                 today=date(2024, 12, 3))[0]
    assert describe("homeroom_book", f"{c6a1.id}/month_plan/2024-11") == \
        "Sổ chủ nhiệm lớp 6A1 năm học 2024-2025, kế hoạch tháng 11/2024"
    assert describe("homeroom_note", note.id) == "Ghi chép sổ chủ nhiệm “Sinh hoạt lớp”, lớp 6A1, ngày 02/12/2024"
    assert describe("conduct_record", row.id) == \
        "Ghi nhận nề nếp “Đi muộn” của Lê Văn An, lớp 6A1, ngày 02/12/2024"


def test_coded_values_read_in_vietnamese_in_the_log(school):
    from models.audit_check.entities import field_changes

    conduct.add_item("Lớp vệ sinh bẩn", "-5", "class")
    book.add_note(school["classes"]["6A1"], "class_meeting", date(2024, 12, 2), "Tuần 13", today=date(2024, 12, 3))
    item_entry = AuditEntry.select().where(AuditEntry.entity == "conduct_item").get()
    note_entry = AuditEntry.select().where(AuditEntry.entity == "homeroom_note").get()
    assert {c.label: c.new for c in field_changes(item_entry)}["Ghi cho"] == "Cả lớp"
    assert {c.label: c.new for c in field_changes(note_entry)}["Loại ghi chép"] == "Sinh hoạt lớp"
