"""The audit-log browser: filters, the hash-chain report, tamper detection, and entries never changing."""
import re
from datetime import datetime

import pytest

from models.audit.log import Actor, AuditEntry, record, verify_chain
from models.core import DeletionRefused, db, write_transaction


def _write(action, entity, entity_id, at=None, username="hệ thống", before=None, after=None, reason=""):
    with write_transaction():
        entry = record(action, entity, entity_id, before=before, after=after, reason=reason,
                       actor=Actor(None, username, "192.0.2.7"))
    if at is not None:
        # tests need entries on chosen days: rewrite the time and re-chain everything after it
        _rechain_from(entry.id, at)
    return AuditEntry.get_by_id(entry.id)


def _rechain_from(entry_id, at):
    AuditEntry.update(at=at).where(AuditEntry.id == entry_id).execute()
    previous = AuditEntry.select().where(AuditEntry.id < entry_id).order_by(AuditEntry.id.desc()).first()
    prev_hash = previous.hash if previous else "0" * 64
    for entry in AuditEntry.select().where(AuditEntry.id >= entry_id).order_by(AuditEntry.id):
        entry.prev_hash = prev_hash
        new_hash = entry.content_hash()
        AuditEntry.update(prev_hash=prev_hash, hash=new_hash).where(AuditEntry.id == entry.id).execute()
        prev_hash = new_hash


def _rows(html):
    return html.split("<tbody>", 1)[1] if "<tbody>" in html else ""


@pytest.fixture
def logged(school):
    """Three entries on known days by known people, after the school's own entries."""
    return {
        "old": _write("status", "student", "HS-CU-0001", at=datetime(2024, 9, 5, 8, 30, 15), username="Văn Thư",
                      before={"status": "dang_hoc"}, after={"status": "chuyen_di", "effective_on": "2024-09-05"},
                      reason="Chuyển trường theo gia đình"),
        "mid": _write("roles", "account", 99, at=datetime(2024, 10, 1, 9, 0, 0), username="admin",
                      before={"roles": ["teacher"]}, after={"roles": ["teacher", "nurse"]}),
        "new": _write("homeroom", "school_class", "2024-2025/6A1", at=datetime(2024, 11, 20, 16, 45, 0),
                      username="admin", after={"homeroom_teacher": "GV01"}),
    }


def test_page_lists_entries_newest_first_with_readable_changes(client, login_as, logged):
    login_as("admin")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Chuỗi băm toàn vẹn (" in html
    rows = _rows(html)
    # the three entries are newest by id; the test-made times do not reorder them
    assert rows.index("Lớp 6A1 năm học 2024-2025") < rows.index("HS-CU-0001")
    assert "05/09/2024 08:30:15" in rows and "192.0.2.7" in rows
    assert "Đổi trạng thái" in rows and "Đang học → Chuyển đi" in rows and "Ngày hiệu lực" in rows
    assert "Đổi vai trò" in rows and "Giáo viên bộ môn → Giáo viên bộ môn, Nhân viên y tế" in rows
    assert "Phân công chủ nhiệm" in rows and "homeroom" not in rows
    assert "Chuyển trường theo gia đình" in rows


def test_filter_by_entity(client, login_as, logged):
    login_as("admin")
    rows = _rows(client.get("/admin/audit?entity=student").get_data(as_text=True))
    assert "HS-CU-0001" in rows and "6A1 năm học 2024-2025" not in rows
    page = client.get("/admin/audit?entity=student").get_data(as_text=True)
    assert re.search(r'<option selected value="student">', page)


def test_filter_by_date_range_is_inclusive(client, login_as, logged):
    login_as("admin")
    rows = _rows(client.get("/admin/audit?date_from=01/10/2024&date_to=20/11/2024").get_data(as_text=True))
    assert "6A1 năm học 2024-2025" in rows and "Tài khoản số 99" in rows
    assert "HS-CU-0001" not in rows
    assert "01/10/2024 09:00:00" in rows and "20/11/2024 16:45:00" in rows
    only_first = _rows(client.get("/admin/audit?date_to=05/09/2024").get_data(as_text=True))
    assert "HS-CU-0001" in only_first and "6A1 năm học 2024-2025" not in only_first


def test_bad_dates_are_reported_in_vietnamese(client, login_as, logged):
    login_as("admin")
    resp = client.get("/admin/audit?date_from=31/02/2024")
    assert resp.status_code == 422 and "Ngày không hợp lệ: 31/02/2024" in resp.get_data(as_text=True)
    backwards = client.get("/admin/audit?date_from=20/11/2024&date_to=01/10/2024")
    assert backwards.status_code == 422
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”." in backwards.get_data(as_text=True)


def test_filter_by_user_and_by_text(client, login_as, logged):
    login_as("admin")
    by_user = _rows(client.get("/admin/audit?user=Văn Thư").get_data(as_text=True))
    assert "HS-CU-0001" in by_user and "6A1 năm học 2024-2025" not in by_user
    # the text box: usernames without accents, and entity ids
    folded = _rows(client.get("/admin/audit?q=van thu").get_data(as_text=True))
    assert "HS-CU-0001" in folded and "6A1 năm học 2024-2025" not in folded
    by_id = _rows(client.get("/admin/audit?q=hs-cu-0001", headers={"HX-Request": "true"}).get_data(as_text=True))
    assert "HS-CU-0001" in by_id and "6A1 năm học 2024-2025" not in by_id


def test_text_finds_a_student_by_name(client, login_as, school):
    login_as("admin")
    dat = school["students"]["Đặng Quốc Đạt"]
    rows = _rows(client.get("/admin/audit?q=dang quoc dat").get_data(as_text=True))
    assert dat.code in rows
    assert school["students"]["Bùi Thị Cúc"].code not in rows


def test_pages_of_fifty(client, login_as, school):
    login_as("admin")
    with write_transaction():
        for i in range(60):
            record("backup", "backup", f"B{i:03d}", after={"size": i})
    first = client.get("/admin/audit?entity=backup").get_data(as_text=True)
    assert "B059" in first and "B009" not in first and "trang 1/2" in first
    second = client.get("/admin/audit?entity=backup&page=2").get_data(as_text=True)
    assert "B009" in second and "B059" not in second


def test_entry_page_shows_hashes(client, login_as, logged):
    login_as("admin")
    entry = logged["mid"]
    html = client.get(f"/admin/audit/{entry.id}").get_data(as_text=True)
    assert entry.hash in html and entry.prev_hash in html
    assert "Đổi vai trò" in html and "không khớp" not in html
    assert client.get("/admin/audit/999999").status_code == 404


def test_tampered_after_value_is_detected(app, client, login_as, logged):
    login_as("admin")
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["audit-verify"])
    assert clean.exit_code == 0, clean.output
    target = logged["mid"]
    AuditEntry.update(after='{"roles":["admin"]}').where(AuditEntry.id == target.id).execute()
    report = verify_chain()
    assert not report.ok and report.first_broken_id == target.id
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Nhật ký đã bị thay đổi tại mục" in html and f"#{target.id}" in html
    assert "flash error chain-status" in html
    assert "bị sửa sau khi ghi" in client.get(f"/admin/audit/{target.id}").get_data(as_text=True)
    broken = runner.invoke(args=["audit-verify"])
    assert broken.exit_code == 1 and f"#{target.id}" in broken.output


def test_deleted_middle_row_is_detected(app, client, login_as, logged):
    login_as("admin")
    db.execute_sql(f"DELETE FROM {AuditEntry._meta.table_name} WHERE id = {db.obj.param}", (logged["mid"].id,))
    report = verify_chain()
    assert not report.ok and report.first_broken_id == logged["new"].id
    assert "bị đứt" in report.problem
    assert f"#{logged['new'].id}" in client.get("/admin/audit").get_data(as_text=True)
    broken = app.test_cli_runner().invoke(args=["audit-verify"])
    assert broken.exit_code == 1 and f"#{logged['new'].id}" in broken.output


def test_entries_cannot_be_deleted_or_changed(logged):
    entry = AuditEntry.get_by_id(logged["mid"].id)
    with pytest.raises(DeletionRefused):
        entry.delete_instance()
    with pytest.raises(DeletionRefused):
        AuditEntry.delete()
    entry.reason = "sửa lén"
    with pytest.raises(DeletionRefused):
        entry.save()
    assert AuditEntry.get_by_id(entry.id).reason == ""
    assert verify_chain().ok


def test_no_route_writes_to_the_log(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.audit"):
            assert rule.methods - {"GET", "HEAD", "OPTIONS"} == set(), rule


def test_non_admin_gets_403(client, login_as, logged):
    login_as("hieutruong")
    assert client.get("/admin/audit").status_code == 403
    assert client.get(f"/admin/audit/{logged['mid'].id}").status_code == 403
