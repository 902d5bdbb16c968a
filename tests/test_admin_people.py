"""The admin's people pages: students, staff, class lists from and to Excel."""
import json
import re
import tracemalloc
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook

from bench.class_import_bounds import huge_shared_string_xlsx, many_rows_xlsx
from models.audit.log import AuditEntry
from models.core import DeletionRefused, write_transaction
from models.people.records import ImmutableCodeError, Staff, StaffStatus, Student, StudentStatus
from models.rules.class_list_excel import read_class_list
from models.rules.identifiers import is_valid_person_code
from models.rules.text import fold
from models.school.structure import Enrolment, class_roster, current_class_of
from tests.factories import STUDENTS_6A1

PROFILE = {"full_name": "Trần Thị Mai", "date_of_birth": "05/09/2013", "gender": "Nữ", "ethnicity": "Kinh",
           "father_phone": "0912 345 678"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def audit(action, entity, entity_id):
    return list(AuditEntry.select().where((AuditEntry.action == action) & (AuditEntry.entity == entity)
                                          & (AuditEntry.entity_id == entity_id)))


def text(resp) -> str:
    return resp.get_data(as_text=True)


def upload(admin, school, data: bytes, name="ds.xlsx", class_name="6A2"):
    return admin.post("/admin/students/import", {
        "class_id": str(school["classes"][class_name].id), "joined_on": "05/09/2024",
        "file": (BytesIO(data), name)}, content_type="multipart/form-data")


def token_of(resp) -> str:
    match = re.search(r"/admin/students/import/([0-9a-f]{32})$", resp.location)
    assert match, resp.location
    return match.group(1)


# --- access ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/admin/students", "/admin/staff", "/admin/students/import",
                                  "/admin/students/import/template"])
def test_people_pages_refuse_other_roles(client, login_as, path):
    login_as("giaovien")
    assert client.get(path).status_code == 403


def test_export_and_commit_refuse_other_roles(client, login_as, school):
    teacher = login_as("chunhiem")
    assert client.get(f"/admin/classes/{school['classes']['6A1'].id}/export.xlsx").status_code == 403
    assert teacher.post("/admin/students/import/" + "a" * 32 + "/commit").status_code == 403


# --- student list ------------------------------------------------------------------------------------

def test_class_list_is_in_vietnamese_order(client, login_as, school):
    login_as("admin")
    page = text(client.get(f"/admin/students?class_id={school['classes']['6A1'].id}"))
    expected = ["Lê Văn An", "Nguyễn Thị An", "Hoàng Anh", "Vũ Ánh", "Trần Văn Bình", "Phạm Minh Dũng",
                "Đặng Quốc Đạt"]
    assert sorted(expected) == sorted(STUDENTS_6A1)
    positions = [page.index(name) for name in expected]
    assert positions == sorted(positions)
    assert "Bùi Thị Cúc" not in page  # 6A2
    assert f"/admin/classes/{school['classes']['6A1'].id}/export.xlsx" in page


def test_class_dropdowns_are_in_class_order(client, login_as, school):
    from models.school.structure import SchoolClass

    c6a1 = school["classes"]["6A1"]
    SchoolClass.create(year=c6a1.year, grade=c6a1.grade, name="6A10")
    login_as("admin")
    for path in ("/admin/students", "/admin/students/new", "/admin/students/import"):
        page = text(client.get(path))
        options = re.findall(r"<option[^>]*>(?:Lớp )?(6A(?:1|2|10))</option>", page)
        assert options == ["6A1", "6A2", "6A10"], (path, options)


def test_search_is_accent_insensitive_and_htmx_gets_only_the_rows(client, login_as, school):
    login_as("admin")
    page = text(client.get("/admin/students?q=nguyen+thi+an"))
    assert "Nguyễn Thị An" in page
    assert "Lê Văn An" not in page and "Bùi Thị Cúc" not in page
    fragment = client.get("/admin/students?q=NGUYEN+THI+AN", headers={"HX-Request": "true"})
    assert "Nguyễn Thị An" in text(fragment)
    assert "<html" not in text(fragment) and "<table" in text(fragment)
    assert "Không tìm thấy học sinh nào" in text(client.get("/admin/students?q=zzz"))


def test_whole_year_list_counts_every_student_not_the_rows_shown(client, login_as, school, monkeypatch):
    import functools

    from blueprints.admin import people_views
    from models.school.rosters import student_list

    login_as("admin")
    monkeypatch.setattr(people_views, "student_list", functools.partial(student_list, limit=3))
    total = len({e.student_id for e in Enrolment.select()})
    assert total > 3
    page = text(client.get("/admin/students"))
    assert f"{total} học sinh trong các lớp của năm học." in page
    assert "Chỉ hiển thị 3 người đầu tiên" in page
    searched = text(client.get("/admin/students?q=a"))
    assert "Hơn 3 học sinh khớp với “a”" in searched


# --- create, edit, immutable code ----------------------------------------------------------------------

def test_create_student_gives_a_valid_code_enrols_and_audits(client, login_as, school):
    admin = login_as("admin")
    c6a2 = school["classes"]["6A2"]
    resp = admin.post("/admin/students/new", {**PROFILE, "class_id": str(c6a2.id), "joined_on": "06/09/2024"})
    assert resp.status_code == 303, text(resp)[:2000]
    student = Student.get(Student.full_name == "Trần Thị Mai")
    assert len(student.code) == 20 and is_valid_person_code(student.code)
    assert student.father_phone == "0912345678"
    assert current_class_of(student).id == c6a2.id
    assert Enrolment.get(Enrolment.student == student).joined_on == date(2024, 9, 6)
    assert audit("create", "student", student.code) and audit("enrol", "student", student.code)
    detail = client.get(resp.location)
    assert student.code in text(detail) and "6A2" in text(detail)


def test_create_student_with_bad_input_changes_nothing(client, login_as, school):
    admin = login_as("admin")
    before = Student.select().count()
    resp = admin.post("/admin/students/new", {**PROFILE, "date_of_birth": "31/02/2013", "gender": "X",
                                              "class_id": str(school["classes"]["6A2"].id), "joined_on": ""})
    assert resp.status_code == 422
    body = text(resp)
    assert "Ngày không hợp lệ: 31/02/2013" in body
    assert "Giới tính phải là Nam hoặc Nữ." in body and "Not a valid choice" not in body
    assert "Vui lòng nhập ngày vào lớp" in body
    other_class = admin.post("/admin/students/new", {**PROFILE, "class_id": "999999", "joined_on": "05/09/2024"})
    assert other_class.status_code == 422 and "Lớp đã chọn không có trong năm học này." in text(other_class)
    assert Student.select().count() == before


def test_edit_changes_the_profile_and_audits_before_and_after(client, login_as, school):
    admin = login_as("admin")
    student = school["students"]["Vũ Ánh"]
    resp = admin.post(f"/admin/students/{student.id}/edit", {
        "full_name": "Vũ Ngọc Ánh", "date_of_birth": "10/07/2013", "gender": "Nữ", "ethnicity": "Kinh",
        "reason": "Theo giấy khai sinh"})
    assert resp.status_code == 303, text(resp)[:2000]
    student = Student.get_by_id(student.id)
    assert student.full_name == "Vũ Ngọc Ánh" and student.gender == "Nữ"
    assert student.name_fold == fold("Vũ Ngọc Ánh")
    entry = audit("update", "student", student.code)[-1]
    assert entry.before_data["full_name"] == "Vũ Ánh" and entry.after_data["full_name"] == "Vũ Ngọc Ánh"
    assert entry.before_data["gender"] == "Nam" and entry.reason == "Theo giấy khai sinh"
    page = text(client.get(f"/admin/students/{student.id}"))
    assert "Vũ Ngọc Ánh" in page and "Theo giấy khai sinh" in page and "Sửa hồ sơ" in page


def test_edit_with_a_bad_phone_is_refused_and_changes_nothing(client, login_as, school):
    admin = login_as("admin")
    student = school["students"]["Hoàng Anh"]
    resp = admin.post(f"/admin/students/{student.id}/edit", {
        "full_name": "Hoàng Minh Anh", "date_of_birth": "10/06/2013", "gender": "Nam", "mother_phone": "12345"})
    assert resp.status_code == 422
    assert "Số điện thoại phải gồm 10 chữ số" in text(resp)
    assert Student.get_by_id(student.id).full_name == "Hoàng Anh"


def test_forged_code_in_the_edit_post_changes_nothing(client, login_as, school):
    admin = login_as("admin")
    student = school["students"]["Trần Văn Bình"]
    code = student.code
    other = school["students"]["Hoàng Anh"].code
    resp = admin.post(f"/admin/students/{student.id}/edit", {
        "full_name": "Trần Văn Bình", "date_of_birth": "10/03/2013", "gender": "Nam", "ethnicity": "Tày",
        "code": other, "name_fold": "x", "status": "thoi_hoc"})
    assert resp.status_code == 303
    student = Student.get_by_id(student.id)
    assert student.code == code and student.ethnicity == "Tày" and student.status == "dang_hoc"
    assert "code" not in audit("update", "student", code)[-1].after_data


def test_the_code_cannot_change_or_be_deleted_even_through_the_model(school):
    student = Student.get_by_id(school["students"]["Hoàng Anh"].id)
    student.code = "HS2024" + "2" * 13 + "A"
    with pytest.raises(ImmutableCodeError):
        student.save()
    with pytest.raises(DeletionRefused):
        Student.get_by_id(student.id).delete_instance()
    with pytest.raises(DeletionRefused):
        Staff.get_by_id(school["staff"]["giaovien"].id).delete_instance()


# --- status --------------------------------------------------------------------------------------------

def test_moving_away_closes_the_enrolment_and_greys_the_student(client, login_as, school):
    admin = login_as("admin")
    student = school["students"]["Phạm Minh Dũng"]
    c6a1 = school["classes"]["6A1"]
    missing_school = admin.post(f"/admin/students/{student.id}/status", {
        "status": "chuyen_di", "effective_on": "15/01/2025", "reason": "Gia đình chuyển nhà"})
    assert missing_school.status_code == 422
    assert "Vui lòng ghi tên trường chuyển đi hoặc chuyển đến." in text(missing_school)
    assert Student.get_by_id(student.id).status == "dang_hoc"

    resp = admin.post(f"/admin/students/{student.id}/status", {
        "status": "chuyen_di", "effective_on": "15/01/2025", "reason": "Gia đình chuyển nhà",
        "other_school": "THCS Nguyễn Du"})
    assert resp.status_code == 303, text(resp)[:2000]
    student = Student.get_by_id(student.id)
    assert student.status == "chuyen_di" and student.has_left
    enrolment = Enrolment.get((Enrolment.student == student) & (Enrolment.school_class == c6a1))
    assert enrolment.left_on == date(2025, 1, 15)
    row = StudentStatus.select().where(StudentStatus.student == student).order_by(StudentStatus.id.desc()).first()
    assert row.other_school == "THCS Nguyễn Du" and row.effective_on == date(2025, 1, 15)
    assert audit("status", "student", student.code)
    assert student.id in [e.student.id for e in class_roster(c6a1)]  # stays in the class list
    page = text(client.get(f"/admin/students?class_id={c6a1.id}"))
    assert re.search(r'<tr class="greyed">\s*<td class="num">\d+</td>\s*<td><a [^>]*>Phạm Minh Dũng', page)
    # a student who left is not editable
    refused = admin.post(f"/admin/students/{student.id}/edit", {
        "full_name": "Phạm Minh Dũng", "date_of_birth": "10/05/2013", "gender": "Nam", "ethnicity": "Mường"})
    assert refused.status_code == 422 and "chỉ được xem" in text(refused)
    assert Student.get_by_id(student.id).ethnicity == "Kinh"


def test_a_student_who_comes_back_can_be_put_in_a_class(client, login_as, school):
    admin = login_as("admin")
    student = school["students"]["Hoàng Anh"]
    c6a1, c6a2 = school["classes"]["6A1"], school["classes"]["6A2"]
    assert admin.post(f"/admin/students/{student.id}/status", {
        "status": "nghi_hoc", "effective_on": "01/11/2024", "reason": "Ốm dài ngày"}).status_code == 303
    resp = admin.post(f"/admin/students/{student.id}/status", {
        "status": "dang_hoc", "effective_on": "02/01/2025", "reason": "Đi học lại", "class_id": str(c6a2.id)})
    assert resp.status_code == 303, text(resp)[:2000]
    student = Student.get_by_id(student.id)
    assert student.status == "dang_hoc"
    assert current_class_of(student).id == c6a2.id
    old = Enrolment.get((Enrolment.student == student) & (Enrolment.school_class == c6a1))
    assert old.left_on == date(2024, 11, 1)  # the history stays


# --- Excel import --------------------------------------------------------------------------------------

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân"]


def test_import_of_a_good_file_creates_every_row(client, login_as, school, app):
    admin = login_as("admin")
    c6a2 = school["classes"]["6A2"]
    data = xlsx([["DANH SÁCH LỚP 6A2"], [], HEADER,
                 [1, "Ngô Bảo Châu", "15/06/2013", "Nam", "001213000001"],
                 [2, "Lý Thu Hà", "02/02/2013", "Nữ", ""],
                 [3, "Đỗ Minh Khôi", "20/12/2013", "nam", ""]])
    resp = upload(admin, school, data)
    assert resp.status_code == 303, text(resp)[:2000]
    token = token_of(resp)
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    assert {p.name for p in folder.iterdir()} == {f"{token}.json"}  # what was read, not the file
    preview = text(client.get(resp.location))
    assert "Ngô Bảo Châu" in preview and "Nhập tất cả" in preview
    assert re.search(r'<button type="submit" class="btn primary">Nhập tất cả', preview)  # enabled
    before = Student.select().count()
    done = admin.post(f"/admin/students/import/{token}/commit")
    assert done.status_code == 303, text(done)[:3000]
    assert Student.select().count() == before + 3
    names = {e.student.full_name for e in class_roster(c6a2)}
    assert {"Ngô Bảo Châu", "Lý Thu Hà", "Đỗ Minh Khôi", "Bùi Thị Cúc"} == names
    for e in class_roster(c6a2):
        assert is_valid_person_code(e.student.code)
    assert Student.get(Student.full_name == "Đỗ Minh Khôi").gender == "Nam"
    assert audit("import", "student_import", token)
    assert not any(folder.iterdir())  # imported: the upload is deleted
    # the same token cannot be used twice
    again = admin.post(f"/admin/students/import/{token}/commit")
    assert again.status_code == 303
    assert Student.select().count() == before + 3
    assert "đã được nhập" in text(client.get(again.location))
    shown = client.get(f"/admin/students/import/{token}")
    assert shown.status_code == 303 and "đã được nhập" in text(client.get(shown.location))


def test_import_with_one_bad_row_shows_it_and_creates_nothing(client, login_as, school):
    admin = login_as("admin")
    data = xlsx([HEADER,
                 [1, "Ngô Bảo Châu", "15/06/2013", "Nam", ""],
                 [2, "Lý Thu Hà", "31/02/2013", "Nữ", ""],
                 [3, "Đỗ Minh Khôi", "20/12/2013", "Nam", ""]])
    resp = upload(admin, school, data)
    token = token_of(resp)
    preview = text(client.get(resp.location))
    assert "31/02/2013" in preview
    assert re.search(r'<div class="stat-value">2</div><div class="stat-label">Học sinh mới', preview)
    assert re.search(r'<td class="num">3</td><td>Ngày sinh</td><td>Ngày không hợp lệ: 31/02/2013', preview)
    assert re.search(r'<button type="submit" class="btn primary" disabled>Nhập tất cả', preview)
    before = Student.select().count()
    enrolments = Enrolment.select().count()
    entries = AuditEntry.select().count()
    posted = admin.post(f"/admin/students/import/{token}/commit")  # the disabled button, posted anyway
    assert posted.status_code == 422
    assert "chưa nhập học sinh nào" in text(posted)
    assert Student.select().count() == before
    assert Enrolment.select().count() == enrolments
    assert AuditEntry.select().count() == entries


def test_a_row_with_an_existing_code_updates_that_student(client, login_as, school):
    admin = login_as("admin")
    cuc = school["students"]["Bùi Thị Cúc"]
    data = xlsx([["Mã định danh", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc"],
                 [cuc.code, "Bùi Thị Cúc", "03/03/2013", "Nữ", "Mường"],
                 ["", "Lý Thu Hà", "02/02/2013", "Nữ", ""]])
    token = token_of(upload(admin, school, data))
    before = Student.select().count()
    assert admin.post(f"/admin/students/import/{token}/commit").status_code == 303
    assert Student.select().count() == before + 1
    assert Student.get_by_id(cuc.id).ethnicity == "Mường"
    assert audit("update", "student", cuc.code)


def test_a_code_of_a_student_in_another_class_is_refused(client, login_as, school):
    admin = login_as("admin")
    an = school["students"]["Nguyễn Thị An"]  # in 6A1
    data = xlsx([["Mã định danh", "Họ và tên", "Ngày sinh", "Giới tính"],
                 [an.code, "Nguyễn Thị An", "10/01/2013", "Nữ"]])
    resp = upload(admin, school, data)
    preview = text(client.get(resp.location))
    assert "đang thuộc lớp 6A1" in preview


def test_a_non_xlsx_file_named_xlsx_is_refused_by_its_content(client, login_as, school, app):
    admin = login_as("admin")
    resp = upload(admin, school, b"Ho va ten,Ngay sinh\nAn,01/01/2013\n", name="danh-sach.xlsx")
    assert resp.status_code == 422
    assert "không phải là bảng tính Excel (.xlsx)" in text(resp)
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    assert not folder.exists() or not any(folder.iterdir())
    old_excel = upload(admin, school, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="ds.xlsx")
    assert old_excel.status_code == 422 and "Excel 97-2003" in text(old_excel)


def test_preview_is_read_from_what_was_kept_not_the_file_again(client, login_as, school, app, monkeypatch):
    admin = login_as("admin")
    resp = upload(admin, school, xlsx([HEADER, [1, "Ngô Bảo Châu", "15/06/2013", "Nam", ""]]))
    import models.rules.class_list_excel as rules

    def no_parse(*args, **kwargs):
        raise AssertionError("the upload was parsed again")

    monkeypatch.setattr(rules, "load_workbook", no_parse)
    for _ in range(2):
        page = client.get(resp.location)
        assert page.status_code == 200 and "Ngô Bảo Châu" in text(page)


def test_kept_uploads_go_after_a_day(client, login_as, school, app):
    import os
    import time

    admin = login_as("admin")
    good = xlsx([HEADER, [1, "Ngô Bảo Châu", "15/06/2013", "Nam", ""]])
    old = upload(admin, school, good)
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    kept = folder / f"{token_of(old)}.json"
    meta = json.loads(kept.read_text(encoding="utf-8"))
    meta["uploaded_at"] = (datetime.now() - timedelta(days=1, minutes=1)).isoformat(timespec="seconds")
    kept.write_text(json.dumps(meta), encoding="utf-8")
    assert client.get(old.location).status_code == 404  # expired: not shown, and deleted
    assert not kept.exists()
    stale = folder / ("1" * 32 + ".xlsx")  # an upload kept by an older version
    stale.write_bytes(good)
    day_ago = time.time() - 86400 - 60
    os.utime(stale, (day_ago, day_ago))
    fresh = upload(admin, school, good)
    assert {p.name for p in folder.iterdir()} == {f"{token_of(fresh)}.json"}


@pytest.mark.parametrize("build, message", [
    (lambda: many_rows_xlsx(3_000_000), "Tệp có quá nhiều dòng: tối đa 100 học sinh một lớp."),
    (lambda: many_rows_xlsx(5_000), "Tệp có quá nhiều dòng: tối đa 100 học sinh một lớp."),
    (lambda: huge_shared_string_xlsx(200 * 1024 * 1024), "Tệp chứa quá nhiều chữ"),
], ids=["3000000-rows", "5000-rows", "200MB-string"])
def test_hostile_workbooks_are_refused_within_50_mb(client, login_as, school, app, build, message):
    admin = login_as("admin")
    data = build()
    assert len(data) < 5 * 1024 * 1024
    before = Student.select().count()
    tracemalloc.start()
    try:
        resp = upload(admin, school, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert resp.status_code == 422
    assert message in text(resp)
    assert peak < 50 * 1024 * 1024, f"{peak / 1e6:.0f} MB"
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    assert not folder.exists() or not any(folder.iterdir())
    assert Student.select().count() == before


def test_upload_without_file_or_class_is_refused(client, login_as, school):
    admin = login_as("admin")
    resp = admin.post("/admin/students/import", {"class_id": "", "joined_on": "05/09/2024"},
                      content_type="multipart/form-data")
    assert resp.status_code == 422
    assert "Vui lòng chọn tệp Excel (.xlsx)." in text(resp) and "Vui lòng chọn lớp." in text(resp)


def test_unknown_or_malformed_tokens_are_not_found(client, login_as, school):
    admin = login_as("admin")
    assert client.get("/admin/students/import/" + "0" * 32).status_code == 404
    assert admin.post("/admin/students/import/" + "0" * 32 + "/commit").status_code == 404
    assert client.get("/admin/students/import/..%2F..%2Fsecret_key").status_code == 404


def test_template_download(client, login_as, school):
    login_as("admin")
    resp = client.get("/admin/students/import/template")
    assert resp.status_code == 200 and resp.mimetype == XLSX_TYPE
    assert "Mau-danh-sach-hoc-sinh.xlsx" in resp.headers["Content-Disposition"]
    assert resp.data.startswith(b"PK")


# --- Excel export --------------------------------------------------------------------------------------

def test_export_reimports_cleanly_with_every_name(client, login_as, school):
    login_as("admin")
    c6a1 = school["classes"]["6A1"]
    with write_transaction():
        from models.school.rosters import record_student_status
        record_student_status(school["students"]["Vũ Ánh"], "thoi_hoc", date(2025, 2, 1), "Theo đơn")
    resp = client.get(f"/admin/classes/{c6a1.id}/export.xlsx")
    assert resp.status_code == 200 and resp.mimetype == XLSX_TYPE
    assert "Danh-sach-6A1-2024-2025.xlsx" in resp.headers["Content-Disposition"]
    codes = {code for (code,) in Student.select(Student.code).tuples()}
    preview = read_class_list(resp.data, today=date(2025, 3, 1), known_codes=codes)
    assert preview.is_valid, (preview.file_errors, [r.errors for r in preview.bad_rows])
    assert sorted(r.values["full_name"] for r in preview.rows) == sorted(STUDENTS_6A1)
    assert {r.values["ma_dinh_danh"] for r in preview.rows} == {s.code for s in Student.select()
                                                                 if s.full_name in STUDENTS_6A1}
    from openpyxl import load_workbook
    ws = load_workbook(BytesIO(resp.data)).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "DANH SÁCH HỌC SINH LỚP 6A1 – NĂM HỌC 2024-2025" in cells
    assert "Trường THCS Kiểm Thử" in cells and "Thôi học" in cells


def test_exported_list_imported_again_into_its_class_changes_nothing(client, login_as, school):
    admin = login_as("admin")
    c6a1 = school["classes"]["6A1"]
    data = client.get(f"/admin/classes/{c6a1.id}/export.xlsx").data
    token = token_of(upload(admin, school, data, class_name="6A1"))
    before, entries = Student.select().count(), AuditEntry.select().count()
    assert admin.post(f"/admin/students/import/{token}/commit").status_code == 303
    assert Student.select().count() == before
    assert AuditEntry.select().count() == entries + 1  # only the import summary


# --- staff ---------------------------------------------------------------------------------------------

def test_staff_create_edit_status_are_audited(client, login_as, school):
    admin = login_as("admin")
    resp = admin.post("/admin/staff/new", {"full_name": "Phan Văn Hùng", "date_of_birth": "",
                                            "gender": "Nam", "position": "Giáo viên", "phone": "0987654321"})
    assert resp.status_code == 303, text(resp)[:2000]
    staff = Staff.get(Staff.full_name == "Phan Văn Hùng")
    assert is_valid_person_code(staff.code) and staff.code.startswith("GV")
    assert audit("create", "staff", staff.code)

    bad = admin.post(f"/admin/staff/{staff.id}/edit", {"full_name": "", "gender": "Nam"})
    assert bad.status_code == 422 and "Vui lòng nhập họ và tên." in text(bad)
    resp = admin.post(f"/admin/staff/{staff.id}/edit", {"full_name": "Phan Văn Hùng", "gender": "Nam",
                                                         "position": "Tổ trưởng", "phone": "0987654321",
                                                         "reason": "Bổ nhiệm", "code": "GV2024XXXX"})
    assert resp.status_code == 303
    entry = audit("update", "staff", staff.code)[-1]
    assert entry.before_data == {"position": "Giáo viên"} and entry.after_data == {"position": "Tổ trưởng"}
    assert Staff.get_by_id(staff.id).code == staff.code

    no_reason = admin.post(f"/admin/staff/{staff.id}/status", {"status": "nghi_huu", "effective_on": "01/06/2025"})
    assert no_reason.status_code == 422 and "Vui lòng ghi lí do thay đổi trạng thái." in text(no_reason)
    bad_date = admin.post(f"/admin/staff/{staff.id}/status", {"status": "nghi_huu", "effective_on": "31/06/2025",
                                                               "reason": "Đủ tuổi"})
    assert bad_date.status_code == 422 and "Ngày không hợp lệ: 31/06/2025" in text(bad_date)
    assert Staff.get_by_id(staff.id).status == "dang_cong_tac"
    resp = admin.post(f"/admin/staff/{staff.id}/status", {"status": "nghi_huu", "effective_on": "01/06/2025",
                                                           "reason": "Đủ tuổi"})
    assert resp.status_code == 303
    staff = Staff.get_by_id(staff.id)
    assert staff.status == "nghi_huu"
    assert StaffStatus.select().where(StaffStatus.staff == staff).count() == 2
    assert audit("status", "staff", staff.code)
    page = text(client.get(f"/admin/staff/{staff.id}"))
    assert "Nghỉ hưu" in page and "01/06/2025" in page and "Bổ nhiệm" in page


def test_staff_list_filters_and_shows_accounts(client, login_as, school):
    login_as("admin")
    page = text(client.get("/admin/staff"))
    assert "Giáo Viên Giaovien" in page and "giaovien" in page and "Giáo viên bộ môn" in page
    dept = school["staff"]["totruong"].department_memberships.get().department
    filtered = text(client.get(f"/admin/staff?department_id={dept.id}"))
    assert "Giáo Viên Totruong" in filtered and "Giáo Viên Ketoan" not in filtered
    searched = text(client.get("/admin/staff?q=ketoan", headers={"HX-Request": "true"}))
    assert "Giáo Viên Ketoan" in searched and "Giáo Viên Totruong" not in searched and "<html" not in searched
    detail = text(client.get(f"/admin/staff/{school['staff']['giaovien'].id}"))
    assert "6A1" in detail and "Toán" in detail
