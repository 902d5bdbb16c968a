"""Corrections after the lock: giaovien → totruong → phohieutruong → admin, and every refusal on the way."""
import io
from datetime import date, datetime
from pathlib import Path

import pytest

from blueprints.corrections import views
from models.attendance import register as att
from models.audit.log import AuditEntry
from models.core import write_transaction
from models.gradebook import corrections as corr
from models.gradebook import marks
from models.gradebook.corrections import CorrectionRequest
from models.gradebook.locks import switch_lock
from models.gradebook.marks import MarkCell, MarkChange
from models.school.structure import Department, DepartmentMember, Semester, TeachingAssignment

NOW = datetime(2024, 11, 20, 9, 0)  # a Wednesday morning, a month before the final tests (23/12/2024)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture
def clock(monkeypatch):
    """The workflow's clock, set per test."""
    moment = {"now": NOW}
    monkeypatch.setattr(views, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def switch(switch, clock):
    """conftest's switch, with the clock of these tests set first."""
    return switch


def _semester(school, number=1) -> Semester:
    return Semester.get((Semester.year == school["year"]) & (Semester.number == number))


def _store(school, student_name="Nguyễn Thị An", kind="tx", idx=1, value="6.0") -> MarkCell:
    """A mark stored before the lock (the test school has no entry windows: every column is locked)."""
    a = school["assignment"]
    return MarkCell.create(school_class=a.school_class, subject=a.subject, semester=_semester(school),
                           student=school["students"][student_name], kind=kind, idx=idx, value=value, version=1,
                           updated_by=school["users"]["giaovien"], updated_at=datetime(2024, 10, 1, 20, 0))


def _new_url(school, student_name="Nguyễn Thị An", kind="tx", idx=1, assignment=None) -> str:
    a = assignment or school["assignment"]
    student = school["students"][student_name]
    return (f"/corrections/new?target=mark&assignment_id={a.id}&semester=1&student_id={student.id}"
            f"&kind={kind}&idx={idx}")


def _file(auth, url, value="8,5", data=PNG, name="bien-ban.png", reason="Nhập nhầm điểm khi chép từ sổ cá nhân."):
    return auth.post(url, {"new_value": value, "reason": reason, "evidence": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")


def _latest() -> CorrectionRequest | None:
    return CorrectionRequest.select().order_by(CorrectionRequest.id.desc()).first()


def _cell(cell_id) -> MarkCell:
    return MarkCell.get_by_id(cell_id)


def test_full_path_changes_the_locked_mark(app, client, school, switch):
    cell = _store(school)
    giaovien = switch("giaovien")
    assert 'data-correction="/corrections/new?target=mark' in client.get(
        f"/teacher/gradebook/{school['assignment'].id}/1").get_data(as_text=True)
    resp = _file(giaovien, _new_url(school))
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    req = _latest()
    assert (req.state, req.old_value, req.new_value) == ("cho_to_truong", "6.0", "8.5")
    stored = Path(app.config["UPLOAD_DIR"]) / "evidence" / req.evidence_file
    assert stored.read_bytes() == PNG and req.evidence_name == "bien-ban.png"
    assert "bien-ban" not in req.evidence_file  # a random name on disk
    assert client.get(f"/corrections/{req.id}/evidence").data == PNG

    totruong = switch("totruong")
    assert '<span class="count">1</span>' in client.get("/corrections/head").get_data(as_text=True)
    assert totruong.post(f"/corrections/{req.id}/confirm", {"comment": "Đúng như bài kiểm tra."}).status_code == 303
    assert _latest().state == "cho_pht"

    vp = switch("phohieutruong")
    assert vp.post(f"/corrections/{req.id}/approve", {"comment": "Đồng ý."}).status_code == 303
    assert _latest().state == "da_duyet"
    assert _cell(cell.id).value == "6.0"  # approval alone changes nothing in the book

    admin = switch("admin")
    assert admin.post(f"/corrections/{req.id}/apply").status_code == 303
    req = _latest()
    assert req.state == "da_ap_dung" and req.applied_by_id == school["users"]["admin"].id
    after = _cell(cell.id)
    assert (after.value, after.version, after.corrected) == ("8.5", 2, True)
    assert after.updated_by_id == school["users"]["admin"].id
    change = MarkChange.select().where(MarkChange.cell == cell.id).order_by(MarkChange.id.desc()).first()
    assert (change.old_value, change.new_value, change.correction_request_id) == ("6.0", "8.5", req.id)
    entry = AuditEntry.select().where(AuditEntry.action == "mark").order_by(AuditEntry.id.desc()).first()
    assert entry.reason == f"Sửa theo đề nghị #{req.id}" and entry.username == "admin"
    assert entry.entity_id.endswith("/tx1")
    assert {e.action for e in AuditEntry.select().where((AuditEntry.entity == "correction")
                                                        & (AuditEntry.entity_id == str(req.id)))} == {
        "file", "confirm", "approve", "apply"}
    assert [s.action for s in corr.steps_of(req)] == ["file", "confirm", "approve", "apply"]
    a = school["assignment"]
    assert marks.correction_count(a.school_class, a.subject, _semester(school)) == 1
    # the teacher's grid shows the red ink
    switch("giaovien")
    assert "corrected" in client.get(f"/teacher/gradebook/{a.id}/1").get_data(as_text=True)


def test_return_then_resubmit(client, school, switch):
    _store(school)
    giaovien = switch("giaovien")
    _file(giaovien, _new_url(school))
    req = _latest()
    totruong = switch("totruong")
    resp = totruong.post(f"/corrections/{req.id}/return", {"comment": ""})
    assert resp.status_code == 422 and "Vui lòng ghi lý do trả lại" in resp.get_data(as_text=True)
    assert _latest().state == "cho_to_truong"
    assert totruong.post(f"/corrections/{req.id}/return", {"comment": "Thiếu chữ kí học sinh."}).status_code == 303
    assert _latest().state == "bi_tra_lai"

    giaovien = switch("giaovien")
    page = client.get(f"/corrections/{req.id}/edit").get_data(as_text=True)
    assert "Thiếu chữ kí học sinh." in page and 'value="8,5"' in page
    resp = giaovien.post(f"/corrections/{req.id}/edit", {"new_value": "9", "reason": "Đã bổ sung chữ kí."},
                         content_type="multipart/form-data")
    assert resp.status_code == 303
    req = _latest()
    assert (req.state, req.new_value, req.reason) == ("cho_to_truong", "9.0", "Đã bổ sung chữ kí.")
    assert req.evidence_name == "bien-ban.png"  # kept when no new file is sent
    assert [s.action for s in corr.steps_of(req)] == ["file", "return", "resubmit"]


def test_reject_is_final(client, school, switch):
    cell = _store(school)
    _file(switch("giaovien"), _new_url(school))
    req = _latest()
    switch("totruong").post(f"/corrections/{req.id}/confirm")
    vp = switch("phohieutruong")
    resp = vp.post(f"/corrections/{req.id}/reject", {"comment": ""})
    assert resp.status_code == 422 and "Vui lòng ghi lý do từ chối." in resp.get_data(as_text=True)
    assert vp.post(f"/corrections/{req.id}/reject", {"comment": "Minh chứng không rõ."}).status_code == 303
    assert _latest().state == "bi_tu_choi"
    resp = vp.post(f"/corrections/{req.id}/approve")
    assert resp.status_code == 422 and "Bị từ chối" in resp.get_data(as_text=True)
    admin = switch("admin")
    assert admin.post(f"/corrections/{req.id}/apply").status_code == 422
    assert _latest().state == "bi_tu_choi" and _cell(cell.id).value == "6.0"
    giaovien = switch("giaovien")
    assert giaovien.post(f"/corrections/{req.id}/edit", {"new_value": "9", "reason": "x"},
                         content_type="multipart/form-data").status_code == 303  # refused: back to the page
    assert _latest().new_value == "8.5"


def test_wrong_actors_get_403(client, school, switch):
    _store(school)
    _file(switch("giaovien"), _new_url(school))
    req = _latest()
    giaovien = switch("giaovien")
    assert giaovien.post(f"/corrections/{req.id}/confirm").status_code == 403
    assert giaovien.post(f"/corrections/{req.id}/approve").status_code == 403
    # a teacher filing for another teacher's cell (6A2 Toán is totruong's)
    other = TeachingAssignment.get(TeachingAssignment.school_class == school["classes"]["6A2"])
    url = _new_url(school, "Bùi Thị Cúc", assignment=other)
    assert client.get(url).status_code == 403
    assert _file(giaovien, url).status_code == 403
    # the head of another department (Nghệ thuật – Thể chất) cannot confirm a Toán request
    with write_transaction():
        arts = Department.get(Department.code == "NT_TC")
        DepartmentMember.create(department=arts, staff=school["staff"]["chunhiem"], is_head=True)
    chunhiem = switch("chunhiem")
    assert chunhiem.post(f"/corrections/{req.id}/confirm").status_code == 403
    assert client.get(f"/corrections/{req.id}/evidence").status_code == 403
    totruong = switch("totruong")
    assert totruong.post(f"/corrections/{req.id}/approve").status_code == 403
    assert totruong.post(f"/corrections/{req.id}/apply").status_code == 403
    assert switch("admin").post(f"/corrections/{req.id}/confirm").status_code == 403
    assert switch("phohieutruong").post(f"/corrections/{req.id}/apply").status_code == 403
    assert client.get("/corrections/apply").status_code == 403
    assert client.get(f"/corrections/{req.id}").status_code == 200  # the board sees every request
    switch("ketoan")
    assert client.get(f"/corrections/{req.id}").status_code == 403
    assert client.get("/corrections/approvals").status_code == 403
    assert _latest().state == "cho_to_truong"
    refused = AuditEntry.select().where((AuditEntry.action == "refused") & (AuditEntry.entity == "correction"))
    assert refused.count() >= 5


def test_open_cell_cannot_get_a_request(client, school, switch):
    a = school["assignment"]
    with write_transaction():
        switch_lock("class_subject", f"{a.school_class_id}:{a.subject_id}", False, "Mở để nhập bổ sung", None,
                    semester=_semester(school), now=datetime(2024, 11, 1))
    giaovien = switch("giaovien")
    resp = _file(giaovien, _new_url(school))
    assert resp.status_code == 422
    assert "Ô điểm này đang mở" in resp.get_data(as_text=True)
    assert CorrectionRequest.select().count() == 0


def test_invalid_value_and_missing_reason_change_nothing(client, school, switch):
    _store(school)
    giaovien = switch("giaovien")
    resp = _file(giaovien, _new_url(school), value="10,5")
    assert resp.status_code == 422 and "Điểm phải từ 0 đến 10" in resp.get_data(as_text=True)
    resp = _file(giaovien, _new_url(school), value="6")
    assert resp.status_code == 422 and "trùng với giá trị đang lưu" in resp.get_data(as_text=True)
    resp = _file(giaovien, _new_url(school), reason="")
    assert resp.status_code == 422 and "Vui lòng nêu lý do đề nghị sửa." in resp.get_data(as_text=True)
    resp = giaovien.post(_new_url(school), {"new_value": "8", "reason": "Nhầm."}, content_type="multipart/form-data")
    assert resp.status_code == 422 and "Vui lòng gửi kèm tệp minh chứng" in resp.get_data(as_text=True)
    assert CorrectionRequest.select().count() == 0


def test_evidence_is_checked_by_content_and_size(app, client, school, switch):
    giaovien = switch("giaovien")
    assert _file(giaovien, _new_url(school, idx=1), data=PNG, name="anh.png").status_code == 303
    assert _file(giaovien, _new_url(school, idx=2), data=PDF, name="bien-ban.pdf").status_code == 303
    assert [r.evidence_type for r in CorrectionRequest.select().order_by(CorrectionRequest.id)] == [
        "image/png", "application/pdf"]
    resp = _file(giaovien, _new_url(school, idx=3), data=EXE, name="bien-ban.pdf")
    assert resp.status_code == 422
    assert "phải là PDF, JPG hoặc PNG" in resp.get_data(as_text=True)
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    resp = _file(giaovien, _new_url(school, idx=3), data=big, name="lon.pdf")
    assert resp.status_code == 422 and "tối đa 10 MB" in resp.get_data(as_text=True)
    assert CorrectionRequest.select().count() == 2
    assert len(list((Path(app.config["UPLOAD_DIR"]) / "evidence").iterdir())) == 2


def test_requests_close_a_week_before_the_final_tests(client, school, switch, clock):
    giaovien = switch("giaovien")
    clock["now"] = datetime(2024, 12, 17, 8, 0)  # final tests 23/12: the last day was 16/12
    resp = _file(giaovien, _new_url(school, idx=1))
    assert resp.status_code == 422
    assert "Đã hết hạn đề nghị sửa điểm Học kì I: hạn cuối là ngày 16/12/2024" in resp.get_data(as_text=True)
    assert CorrectionRequest.select().count() == 0
    clock["now"] = datetime(2024, 12, 16, 16, 0)
    assert _file(giaovien, _new_url(school, idx=1)).status_code == 303


def _approved(school, tmp_path, value="8.5") -> CorrectionRequest:
    """A request taken to "đã duyệt" through the model functions."""
    a, users = school["assignment"], school["users"]
    target = corr.mark_target(a, _semester(school), school["students"]["Nguyễn Thị An"], "tx", 1, now=NOW)
    req = corr.file_mark_request(target, value, "Nhập nhầm.", corr.check_evidence(PNG, "a.png"), users["giaovien"],
                                 str(tmp_path), now=NOW)
    corr.confirm(req, users["totruong"], now=NOW)
    return corr.approve(req, users["phohieutruong"], now=NOW)


def test_applying_outside_office_hours_is_refused(client, school, switch, clock, tmp_path):
    cell = _store(school)
    req = _approved(school, tmp_path)
    admin = switch("admin")
    for moment in (datetime(2024, 11, 20, 17, 30), datetime(2024, 11, 20, 6, 59), datetime(2024, 11, 24, 9, 0)):
        clock["now"] = moment
        resp = admin.post(f"/corrections/{req.id}/apply")
        assert resp.status_code == 422, moment
        assert "Chỉ áp dụng sửa điểm trong giờ hành chính (07:00 – 17:30" in resp.get_data(as_text=True)
    assert _latest().state == "da_duyet" and _cell(cell.id).value == "6.0"
    clock["now"] = datetime(2024, 11, 23, 17, 29)  # Saturday is a working day
    assert admin.post(f"/corrections/{req.id}/apply").status_code == 303
    assert _cell(cell.id).value == "8.5"


def test_office_hours_come_from_the_config(app, client, school, switch, clock, tmp_path):
    _store(school)
    req = _approved(school, tmp_path)
    app.config["OFFICE_HOURS"] = "13:00-16:00"
    resp = switch("admin").post(f"/corrections/{req.id}/apply")
    assert resp.status_code == 422 and "13:00 – 16:00" in resp.get_data(as_text=True)


def test_stale_old_value_is_refused(client, school, switch, tmp_path):
    cell = _store(school)
    req = _approved(school, tmp_path)
    a = school["assignment"]
    with write_transaction():  # the cell changed after filing (an unlock and a save)
        switch_lock("class_subject", f"{a.school_class_id}:{a.subject_id}", False, "Mở", None,
                    semester=_semester(school), now=datetime(2024, 11, 20, 9, 30))
    saved = marks.save_cell(a, _semester(school), school["students"]["Nguyễn Thị An"], "tx", 1, "7", 1,
                            school["users"]["giaovien"], now=datetime(2024, 11, 20, 9, 45))
    assert saved.status == "saved"
    resp = switch("admin").post(f"/corrections/{req.id}/apply")
    assert resp.status_code == 422
    assert "Giá trị trong sổ đã thay đổi từ khi lập đề nghị" in resp.get_data(as_text=True)
    after = _cell(cell.id)
    assert (after.value, after.version, after.corrected) == ("7.0", 2, False)
    assert _latest().state == "da_duyet"


def test_one_open_request_per_cell(client, school, switch):
    _store(school)
    giaovien = switch("giaovien")
    assert _file(giaovien, _new_url(school)).status_code == 303
    resp = _file(giaovien, _new_url(school), value="9")
    assert resp.status_code == 422 and "đã có đề nghị sửa" in resp.get_data(as_text=True)


def test_attendance_request_homeroom_to_vice_principal_to_admin(client, school, switch):
    c6a1, year = school["classes"]["6A1"], school["year"]
    student = school["students"]["Lê Văn An"]
    day = date(2024, 10, 15)
    url = f"/corrections/new?target=attendance&class_id={c6a1.id}&student_id={student.id}&day=2024-10-15&session=1"
    chunhiem = switch("chunhiem")
    resp = _file(chunhiem, url, value="P")
    assert resp.status_code == 422 and "Tháng này chưa khoá" in resp.get_data(as_text=True)
    with write_transaction():
        att.switch_month_lock(year, "2024-10", c6a1, True, "Khoá sau khi in sổ", school["users"]["admin"])
    form = client.get(url).get_data(as_text=True)  # issue 11: the form spoke of tests ("bài kiểm tra")
    assert "bài kiểm tra" not in form and "giấy xin phép" in form and "sổ đầu bài" in form
    resp = _file(chunhiem, url, value="P", reason="Phụ huynh nộp giấy xin phép muộn.")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    req = _latest()
    assert (req.target, req.state, req.old_value, req.new_value) == ("attendance", "cho_pht", None, "P")
    assert switch("totruong").post(f"/corrections/{req.id}/confirm").status_code == 403
    assert switch("phohieutruong").post(f"/corrections/{req.id}/approve").status_code == 303
    assert switch("admin").post(f"/corrections/{req.id}/apply").status_code == 303
    mark = att.AttendanceMark.get((att.AttendanceMark.student == student) & (att.AttendanceMark.day == day))
    assert (mark.value, mark.version) == ("P", 1)
    change = att.AttendanceChange.get(att.AttendanceChange.mark == mark)
    assert change.correction_request_id == req.id and change.changed_by_id == school["users"]["admin"].id
    entry = AuditEntry.select().where(AuditEntry.action == "attendance").order_by(AuditEntry.id.desc()).first()
    assert entry.reason == f"Sửa theo đề nghị #{req.id}"
    assert _latest().state == "da_ap_dung"
    # another class's attendance is not the homeroom teacher's to correct
    c6a2 = school["classes"]["6A2"]
    cuc = school["students"]["Bùi Thị Cúc"]
    switch("chunhiem")
    assert client.get(f"/corrections/new?target=attendance&class_id={c6a2.id}&student_id={cuc.id}"
                      "&day=2024-10-15&session=1").status_code == 403


def test_navigation_counts_each_queue(client, school, switch, tmp_path):
    _store(school)
    _approved(school, tmp_path)
    switch("admin")
    page = client.get("/corrections/apply").get_data(as_text=True)
    assert "Áp dụng sửa điểm" in page and '<span class="count">1</span>' in page
    switch("giaovien")
    assert '<span class="count">1</span>' in client.get("/corrections/mine").get_data(as_text=True)
    switch("phohieutruong")
    assert '<span class="count">' not in client.get("/corrections/approvals").get_data(as_text=True)
