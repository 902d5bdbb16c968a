"""Backups and restore: the whole drill, refusals, retention, the CLI, the admin page and the nightly run."""
import hashlib
import json
import os
import re
import sqlite3
import threading
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import render_template
from peewee import PostgresqlDatabase

from models.audit.log import AuditEntry, verify_chain
from models.backup.backups import (
    Folder,
    backup_now,
    backup_warning,
    created_at_of,
    list_backups,
    make_backup,
    nightly_backup,
    restore_backup,
    seconds_until,
    sqlite_path_from_url,
    start_nightly_backups,
)
from models.core import db, write_transaction
from models.people.records import Student, update_profile
from tests.conftest import sqlite_only
from tests.factories import ACCOUNTS

pytestmark = sqlite_only


@pytest.fixture
def backup_dir(app, tmp_path):
    path = tmp_path / "backups"
    app.config["BACKUP_DIR"] = str(path)
    return path


def _db_file(app) -> Path:
    return sqlite_path_from_url(app.config["DATABASE_URL"])


def _names() -> dict[int, str]:
    return {s.id: s.full_name for s in Student.select().order_by(Student.id)}


def _rename(student: Student, name: str) -> None:
    with write_transaction():
        update_profile(student, {"full_name": name}, reason="sửa tên theo giấy khai sinh")


def _reopen():
    db.obj.close_all()
    db.connect(reuse_if_open=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_whole_drill_data_backup_damage_restore(app, school, backup_dir, tmp_path):
    student = school["students"]["Lê Văn An"]
    _rename(student, "Lê Văn Ân")
    upload = Path(app.config["UPLOAD_DIR"]) / "ab" / "minh-chung.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 minh chung")
    waiting = Path(app.config["UPLOAD_DIR"]) / "imports" / ("0" * 32 + ".json")  # a class list awaiting import
    waiting.parent.mkdir(parents=True)
    waiting.write_text("{}")
    names, entries, head = _names(), AuditEntry.select().count(), AuditEntry.head()
    assert names[student.id] == "Lê Văn Ân"

    result = backup_now(app)
    assert result.ok, result.message
    archive = result.path
    assert archive.parent == backup_dir
    assert archive.name == f"sotruong-{result.manifest['created_at'].replace('-', '').replace(':', '').replace('T', '-')}.zip"
    # the checksum file is in sha256sum format and matches the archive
    assert (backup_dir / (archive.name + ".sha256")).read_text() == f"{_sha256(archive)}  {archive.name}\n"
    assert result.sha256 == _sha256(archive)
    with zipfile.ZipFile(archive) as zf:
        assert set(zf.namelist()) == {"sotruong.db", "manifest.json", "uploads/ab/minh-chung.pdf"}
        manifest = json.loads(zf.read("manifest.json"))
        for name, digest in manifest["members"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
    assert manifest["audit_head"] == head
    assert manifest["counts"] == {"students": len(names), "staff": len(ACCOUNTS), "audit_entries": entries}
    assert manifest["app_version"]
    # the backup itself is in the audit log, after the snapshot
    logged = AuditEntry.select().where(AuditEntry.action == "backup").get()
    assert logged.entity_id == archive.name and logged.after_data["ok"] is True
    assert [b.checksum_ok for b in list_backups(backup_dir)] == [True]

    # damage: a name changed and an audit entry deleted behind the application's back, an upload lost
    db.execute_sql("UPDATE student SET full_name = ? WHERE id = ?", ("Kẻ Giả Mạo", student.id))
    db.execute_sql("DELETE FROM audit_entry WHERE id = 3")
    upload.unlink()
    assert not verify_chain().ok

    db.close()
    db.obj.close_all()
    restored = restore_backup(archive, app.config["DATABASE_URL"], upload_dir=app.config["UPLOAD_DIR"])
    assert restored.ok, restored.message
    _reopen()

    assert _names() == names
    report = verify_chain()
    assert report.ok
    # the entries at backup time, then the restore itself
    assert report.count == entries + 1
    assert AuditEntry.select().order_by(AuditEntry.id.desc()).first().action == "restore"
    assert upload.read_bytes() == b"%PDF-1.4 minh chung"
    # the damaged database was kept aside, not thrown away
    kept = restored.replaced_path
    assert kept.parent == _db_file(app).parent / "replaced"
    assert kept.name.startswith("sotruong-before-restore-") and kept.suffix == ".db"
    conn = sqlite3.connect(kept)
    assert conn.execute("SELECT full_name FROM student WHERE id = ?", (student.id,)).fetchone()[0] == "Kẻ Giả Mạo"
    conn.close()


def test_restore_over_an_overwritten_database_file(app, school, backup_dir):
    names = _names()
    result = backup_now(app)
    db.close()
    db.obj.close_all()
    target = _db_file(app)
    target.write_bytes(b"not a database at all" * 100)
    restored = restore_backup(result.path, app.config["DATABASE_URL"])
    assert restored.ok, restored.message
    assert restored.replaced_path.read_bytes().startswith(b"not a database")
    _reopen()
    assert _names() == names
    assert verify_chain().ok


def test_a_corrupted_archive_is_refused_and_the_database_stays(app, school, backup_dir):
    result = backup_now(app)
    student = school["students"]["Vũ Ánh"]
    _rename(student, "Vũ Ngọc Ánh")
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.path.write_bytes(bytes(data))

    refused = restore_backup(result.path, app.config["DATABASE_URL"])
    assert not refused.ok
    assert "Mã kiểm tra SHA-256 của tệp sao lưu không khớp" in refused.message
    assert "Cơ sở dữ liệu hiện tại được giữ nguyên" in refused.message
    assert not (_db_file(app).parent / "replaced").exists()
    assert Student.get_by_id(student.id).full_name == "Vũ Ngọc Ánh"
    assert list_backups(backup_dir)[0].checksum_ok is False


def test_an_archive_whose_member_was_swapped_is_refused_even_with_a_new_checksum(app, school, backup_dir, tmp_path):
    result = backup_now(app)
    # rebuild the zip with another database but the original manifest, and a matching .sha256
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    forged = tmp_path / result.path.name
    with zipfile.ZipFile(result.path) as src, zipfile.ZipFile(forged, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, other.read_bytes() if name == "sotruong.db" else src.read(name))
    forged.with_name(forged.name + ".sha256").write_text(f"{_sha256(forged)}  {forged.name}\n")
    count = Student.select().count()

    refused = restore_backup(forged, app.config["DATABASE_URL"])
    assert not refused.ok
    assert "sotruong.db trong bản sao lưu không khớp mã kiểm tra" in refused.message
    assert Student.select().count() == count


def test_a_copy_failing_integrity_check_is_deleted_and_recorded(app, school, backup_dir, monkeypatch):
    monkeypatch.setattr("models.backup.backups.integrity_check", lambda path: "*** in database main *** Page 7 never used")
    result = backup_now(app)
    assert not result.ok
    assert "không đạt kiểm tra toàn vẹn" in result.message
    assert [p.name for p in backup_dir.iterdir()] == []
    entry = AuditEntry.select().where(AuditEntry.action == "backup").get()
    assert entry.after_data["ok"] is False and "toàn vẹn" in entry.reason


def test_retention_keeps_the_newest_and_touches_nothing_else(app, school, tmp_path):
    dest = tmp_path / "usb"
    dest.mkdir()
    (dest / "ghi-chu.txt").write_text("giữ lại")
    (dest / "sotruong-cu.zip").write_text("không phải bản sao lưu của ứng dụng")
    start = datetime(2025, 3, 1, 2, 0)
    for day in range(5):
        result = make_backup(db, dest, 3, [], now=start + timedelta(days=day))
        assert result.ok
    assert result.pruned == ["sotruong-20250302-020000.zip"]
    assert sorted(p.name for p in dest.iterdir()) == [
        "ghi-chu.txt", "sotruong-20250303-020000.zip", "sotruong-20250303-020000.zip.audit-head",
        "sotruong-20250303-020000.zip.sha256",
        "sotruong-20250304-020000.zip", "sotruong-20250304-020000.zip.audit-head",
        "sotruong-20250304-020000.zip.sha256",
        "sotruong-20250305-020000.zip", "sotruong-20250305-020000.zip.audit-head",
        "sotruong-20250305-020000.zip.sha256", "sotruong-cu.zip"]


def test_large_archive_files_are_listed_not_copied(app, school, tmp_path):
    year_end = tmp_path / "archive"
    (year_end / "2023-2024").mkdir(parents=True)
    (year_end / "2023-2024" / "hoc-ba.pdf").write_bytes(b"x" * 100)
    (year_end / "2023-2024" / "so-diem.pdf").write_bytes(b"y" * 5000)
    result = make_backup(db, tmp_path / "out", 14, [Folder("archive", year_end, 1000)])
    with zipfile.ZipFile(result.path) as zf:
        assert "archive/2023-2024/hoc-ba.pdf" in zf.namelist()
        assert "archive/2023-2024/so-diem.pdf" not in zf.namelist()
    assert result.manifest["listed_only"] == [{"path": "archive/2023-2024/so-diem.pdf", "size": 5000,
                                               "sha256": hashlib.sha256(b"y" * 5000).hexdigest()}]


def test_postgres_is_told_to_use_pg_dump(tmp_path):
    result = make_backup(PostgresqlDatabase("sotruong"), tmp_path, 14, [])
    assert not result.ok and "pg_dump" in result.message
    refused = restore_backup(tmp_path / "x.zip", "postgresql://localhost/sotruong")
    assert not refused.ok and "pg_dump" in refused.message


# --- the CLI ----------------------------------------------------------------------------------------

def test_cli_backup_then_restore(app, school, tmp_path):
    runner = app.test_cli_runner()
    out = runner.invoke(args=["backup", "--to", str(tmp_path / "usb")])
    assert out.exit_code == 0, out.output
    archive = next((tmp_path / "usb").glob("sotruong-*.zip"))
    assert f"Đã sao lưu: {archive}" in out.output
    assert f"SHA-256: {_sha256(archive)}" in out.output

    student = school["students"]["Hoàng Anh"]
    _rename(student, "Hoàng Minh Anh")
    declined = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert "Khôi phục sẽ thay thế cơ sở dữ liệu hiện tại" in declined.output
    assert "Tiếp tục? [y/N]" in declined.output
    assert "dừng máy chủ" in declined.output
    assert Student.get_by_id(student.id).full_name == "Hoàng Minh Anh"

    done = runner.invoke(args=["restore", str(archive)], input="y\n")
    assert done.exit_code == 0, done.output
    assert "Cơ sở dữ liệu trước khi khôi phục được giữ tại:" in done.output
    assert f"Bản sao lưu lập lúc {created_at_of(archive.name):%d/%m/%Y %H:%M}" in done.output
    assert str(_db_file(app).parent / "replaced") in done.output
    _reopen()
    assert Student.get_by_id(student.id).full_name == "Hoàng Anh"
    assert verify_chain().ok


def test_cli_failures_exit_with_status_one(app, school, tmp_path):
    runner = app.test_cli_runner()
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    out = runner.invoke(args=["backup", "--to", str(blocked / "sub")])
    assert out.exit_code == 1
    assert "Sao lưu thất bại" in out.output
    missing = runner.invoke(args=["restore", str(tmp_path / "sotruong-20250101-000000.zip"), "--yes"])
    assert missing.exit_code == 1
    assert "Không tìm thấy tệp sao lưu" in missing.output


# --- the admin page ---------------------------------------------------------------------------------

def test_admin_button_writes_a_backup_and_lists_it(client, login_as, backup_dir):
    auth = login_as("admin")
    page = client.get("/admin/backups").get_data(as_text=True)
    assert "Chưa có bản sao lưu nào" in page
    resp = auth.post("/admin/backups/new")
    assert resp.status_code == 303
    [archive] = backup_dir.glob("sotruong-*.zip")
    assert AuditEntry.select().where((AuditEntry.action == "backup") & (AuditEntry.username == "admin")).exists()
    page = client.get("/admin/backups").get_data(as_text=True)
    assert archive.name in page and "Khớp" in page
    assert "Đã sao lưu dữ liệu" in page
    download = client.get(f"/admin/backups/file/{archive.name}")
    assert download.status_code == 200 and download.data == archive.read_bytes()
    assert client.get(f"/admin/backups/file/{archive.name}.sha256").status_code == 200


def test_backup_sizes_are_written_with_a_decimal_comma(client, login_as, app, backup_dir):
    auth = login_as("admin")
    padding = Path(app.config["UPLOAD_DIR"]) / "ab" / "scan.bin"
    padding.parent.mkdir(parents=True)
    padding.write_bytes(os.urandom(int(1.5 * 1024 * 1024)))  # random: the archive stays over 1 MB
    assert auth.post("/admin/backups/new").status_code == 303
    page = client.get("/admin/backups").get_data(as_text=True)
    assert re.search(r"\b1,[0-9] MB", page), page
    assert not re.search(r"[0-9]\.[0-9] MB", page)


def test_backup_button_needs_the_csrf_token(client, login_as, backup_dir):
    login_as("admin")
    assert client.post("/admin/backups/new").status_code == 400
    assert not backup_dir.exists() or not list(backup_dir.iterdir())


@pytest.mark.parametrize("name", ["../secret_key", "..%2Fsecret_key", "%2E%2E%2Fsecret_key", "secret_key",
                                  "ghi-chu.txt", "sotruong-20250101-000000.zip"])
def test_download_refuses_any_other_name(client, login_as, backup_dir, name):
    login_as("admin")
    backup_dir.mkdir()
    (backup_dir / "ghi-chu.txt").write_text("không tải")
    assert client.get(f"/admin/backups/file/{name}").status_code == 404


def test_non_admins_are_refused(client, login_as, backup_dir):
    auth = login_as("giaovien")
    assert client.get("/admin/backups").status_code == 403
    assert auth.post("/admin/backups/new").status_code == 403
    assert client.get("/admin/backups/file/sotruong-20250101-000000.zip").status_code == 403
    assert not backup_dir.exists()


def test_backup_warning_and_the_home_fragment(app, school, backup_dir):
    assert "Chưa có bản sao lưu" in backup_warning(backup_dir)
    result = make_backup(db, backup_dir, 14, [], now=datetime(2025, 3, 1, 2, 0))
    assert backup_warning(backup_dir, now=datetime(2025, 3, 2, 23, 0)) is None
    warning = backup_warning(backup_dir, now=datetime(2025, 3, 3, 2, 1))
    assert "01/03/2025 02:00" in warning and "quá hai ngày" in warning
    with app.test_request_context("/admin/"):
        html = render_template("admin/_backup_status.html")
    assert 'class="flash warning' in html  # the real clock is long past 2025
    result.path.write_bytes(b"damaged")  # a backup whose checksum fails does not count
    assert "Chưa có bản sao lưu" in backup_warning(backup_dir)
    make_backup(db, backup_dir, 14, [])
    with app.test_request_context("/admin/"):
        html = render_template("admin/_backup_status.html")
    assert "flash warning" not in html and "Bản sao lưu tốt gần nhất" in html


# --- nightly ----------------------------------------------------------------------------------------

def test_seconds_until_the_next_run():
    assert seconds_until("02:00", datetime(2025, 3, 1, 1, 0)) == 3600
    assert seconds_until("02:00", datetime(2025, 3, 1, 2, 0)) == 86400
    assert seconds_until("02:00", datetime(2025, 3, 1, 23, 30)) == 2.5 * 3600


def test_a_failing_nightly_backup_is_recorded_and_does_not_raise(app, school, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    app.config["BACKUP_DIR"] = str(blocked / "backups")
    result = nightly_backup(app)
    assert result is not None and not result.ok
    entry = AuditEntry.select().where(AuditEntry.action == "backup").get()
    assert entry.username == "hệ thống" and entry.after_data["ok"] is False


def test_the_nightly_thread_backs_up_and_stops(app, school, backup_dir, monkeypatch):
    ran = threading.Event()
    monkeypatch.setattr("models.backup.backups.seconds_until", lambda at, now: 0.01)
    monkeypatch.setattr("models.backup.backups.nightly_backup", lambda app: (backup_now(app), ran.set()))
    thread = start_nightly_backups(app)
    assert thread.daemon
    assert start_nightly_backups(app) is None  # one thread per app
    assert ran.wait(10)
    app.extensions["sotruong_backup_stop"].set()
    thread.join(10)
    assert list_backups(backup_dir)


def test_the_nightly_thread_can_be_turned_off(app):
    app.config["BACKUP_AT"] = "off"
    assert start_nightly_backups(app) is None
