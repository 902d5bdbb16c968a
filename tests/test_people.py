"""People records: immutable IDs, nothing deleted, Vietnamese order and search, homeroom review."""
import unicodedata
from datetime import date

import pytest

from models.audit.log import AuditEntry
from models.core import DeletionRefused, write_transaction
from models.people.records import (
    ImmutableCodeError,
    Staff,
    Student,
    StudentStatus,
    change_student_status,
    search_students,
)
from models.rules.identifiers import is_valid_person_code
from models.school.structure import Enrolment, class_roster


def test_new_students_get_valid_unique_codes(school):
    codes = [s.code for s in school["students"].values()]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 20 and is_valid_person_code(c) for c in codes)


def test_code_cannot_be_changed(school):
    student = school["students"]["Nguyễn Thị An"]
    student.code = "HS2024AAAAAAAAAAAAAA"
    with pytest.raises(ImmutableCodeError):
        student.save()
    assert Student.get_by_id(student.id).code != "HS2024AAAAAAAAAAAAAA"


@pytest.mark.parametrize("model", [Student, Staff, StudentStatus, Enrolment, AuditEntry])
def test_nothing_kept_can_be_deleted(school, model):
    row = model.select().first()
    with pytest.raises(DeletionRefused):
        row.delete_instance()
    with pytest.raises(DeletionRefused):
        model.delete()
    assert model.get_by_id(row.id)


def test_class_list_in_vietnamese_order(school):
    names = [e.student.full_name for e in class_roster(school["classes"]["6A1"])]
    assert names == ["Lê Văn An", "Nguyễn Thị An", "Hoàng Anh", "Vũ Ánh", "Trần Văn Bình", "Phạm Minh Dũng",
                     "Đặng Quốc Đạt"]


@pytest.mark.parametrize("query", ["nguyen thi an", "NGUYỄN THỊ AN", "Nguyen Thi An", "thi an"])
def test_search_is_accent_and_case_insensitive(school, query):
    found = {s.full_name for s in search_students(query)}
    assert "Nguyễn Thị An" in found
    assert "Lê Văn An" not in found


def test_search_d_finds_đ(school):
    assert {s.full_name for s in search_students("dang quoc dat")} == {"Đặng Quốc Đạt"}


def test_student_who_left_stays_in_the_class_list_greyed(school):
    student = school["students"]["Trần Văn Bình"]
    with write_transaction():
        change_student_status(student, "chuyen_di", date(2024, 11, 18), "Gia đình chuyển nhà", "THCS Lê Lợi")
    roster = {e.student.full_name: e for e in class_roster(school["classes"]["6A1"])}
    assert roster["Trần Văn Bình"].has_left
    assert not roster["Lê Văn An"].has_left
    entry = AuditEntry.select().where(AuditEntry.entity_id == student.code).order_by(AuditEntry.id.desc()).first()
    assert entry.action == "status" and entry.after_data["status"] == "chuyen_di"


def test_status_change_needs_reason_and_destination(school):
    student = school["students"]["Vũ Ánh"]
    with pytest.raises(ValueError, match="lí do"), write_transaction():
        change_student_status(student, "thoi_hoc", date(2024, 11, 1), "  ")
    with pytest.raises(ValueError, match="trường"), write_transaction():
        change_student_status(student, "chuyen_di", date(2024, 11, 1), "Chuyển nhà", "")
    assert Student.get_by_id(student.id).status == "dang_hoc"


def test_homeroom_teacher_corrects_a_profile_and_it_is_audited(client, login_as, school):
    auth = login_as("chunhiem")
    c = school["classes"]["6A1"]
    student = school["students"]["Vũ Ánh"]
    url = f"/homeroom/class/{c.id}/student/{student.id}"
    decomposed = unicodedata.normalize("NFD", "Vũ Thị Ánh")
    resp = auth.post(url, data={"full_name": decomposed, "date_of_birth": "10/07/2013", "gender": "Nữ",
                                "ethnicity": "Kinh", "father_phone": "0912 345 678", "code": "HS2024XXXXXXXXXXXXXX"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    fresh = Student.get_by_id(student.id)
    assert fresh.full_name == "Vũ Thị Ánh" and unicodedata.is_normalized("NFC", fresh.full_name)
    assert fresh.father_phone == "0912345678"
    assert fresh.code == student.code  # a forged code field changes nothing
    entry = AuditEntry.select().where((AuditEntry.entity_id == student.code) & (AuditEntry.action == "update")).get()
    assert entry.before_data["full_name"] == "Vũ Ánh"
    assert entry.after_data["full_name"] == "Vũ Thị Ánh"


def test_bad_profile_input_changes_nothing(client, login_as, school):
    auth = login_as("chunhiem")
    c = school["classes"]["6A1"]
    student = school["students"]["Vũ Ánh"]
    before = AuditEntry.select().count()
    resp = auth.post(f"/homeroom/class/{c.id}/student/{student.id}",
                     data={"full_name": "Vũ Ánh", "date_of_birth": "31/02/2013", "gender": "Nữ",
                           "personal_id": "12345"})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "31/02/2013" in page and "Ngày không hợp lệ" in page and "12 chữ số" in page
    assert AuditEntry.select().count() == before
    assert Student.get_by_id(student.id).date_of_birth == student.date_of_birth


def test_decomposed_search_text_is_normalised_at_the_boundary(client, login_as, school):
    login_as("yte")
    query = unicodedata.normalize("NFD", "Nguyễn Thị An")
    page = client.get("/nurse/", query_string={"q": query}).get_data(as_text=True)
    assert "Nguyễn Thị An" in page
    assert unicodedata.normalize("NFD", "Nguyễn") not in page


def test_search_matches_word_starts_only(school):
    assert "Hoàng Anh" not in {s.full_name for s in search_students("nh")}
    assert "Hoàng Anh" in {s.full_name for s in search_students("hoang a")}
