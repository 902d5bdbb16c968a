"""audit-verify replays the log against the books and checks a chain head kept outside the database.

Each tampering a database user could do behind the software's back: an UPDATE of a cell, a row added
by hand, the last entries deleted, entries rewritten and every later hash recomputed, a head nobody wrote.
"""
import json
from datetime import date, datetime

import pytest

from models.attendance.register import save_mark
from models.audit.log import GENESIS, AuditEntry
from models.audit_check.replay import read_head_file, replay
from models.core import db, write_transaction
from models.gradebook.locks import switch_lock
from models.gradebook.marks import MarkCell, save_cell
from models.school.structure import Semester
from tests.conftest import sqlite_only

NOW = datetime(2024, 10, 1, 8, 0)


@pytest.fixture
def books(school):
    """Two marks and one absence saved through the software, so the log holds them."""
    hk1 = Semester.get((Semester.year == school["year"]) & (Semester.number == 1))
    with write_transaction():
        switch_lock("school", "", False, "Mở sổ để kiểm thử", None, semester=hk1, now=datetime(2024, 9, 1))
    teacher, an = school["users"]["giaovien"], school["students"]["Nguyễn Thị An"]
    for kind, idx, text in (("tx", 1, "7,5"), ("tx", 2, "8")):
        result = save_cell(school["assignment"], hk1, an, kind, idx, text, 0, teacher, now=NOW)
        assert result.status == "saved", result.message
    absent = school["students"]["Lê Văn An"]
    result = save_mark(school["classes"]["6A1"], absent, date(2024, 10, 1), 1, "P", 0, school["users"]["chunhiem"])
    assert result.status == "saved", result.message
    return {"hk1": hk1, "an": an, "absent": absent, "teacher": teacher}


def _verify(app, *args):
    result = app.test_cli_runner().invoke(args=["audit-verify", *args])
    assert "Traceback" not in result.output
    return result


def _sql(statement: str, *params) -> None:
    """Raw SQL, as someone with the database password would run it (? is the driver's placeholder)."""
    db.execute_sql(statement.replace("?", db.param), params)


def _cell(books, idx=1) -> MarkCell:
    return MarkCell.get((MarkCell.student == books["an"]) & (MarkCell.kind == "tx") & (MarkCell.idx == idx))


def _rechain_from(entry_id: int) -> None:
    """What a careful forger does after editing an entry: recompute its hash and every later one."""
    previous = AuditEntry.select().where(AuditEntry.id < entry_id).order_by(AuditEntry.id.desc()).first()
    prev_hash = previous.hash if previous else GENESIS
    for entry in AuditEntry.select().where(AuditEntry.id >= entry_id).order_by(AuditEntry.id):
        entry.prev_hash = prev_hash
        new_hash = entry.content_hash()
        AuditEntry.update(prev_hash=prev_hash, hash=new_hash).where(AuditEntry.id == entry.id).execute()
        prev_hash = new_hash


def test_untouched_books_pass(app, books):
    result = _verify(app, "--head", AuditEntry.head())
    assert result.exit_code == 0, result.output
    assert "Sổ khớp với nhật ký: 2 ô điểm, 1 buổi điểm danh." in result.output


def test_a_cell_updated_in_the_database_is_named(app, books):
    _sql("UPDATE mark_cell SET value = '10.0' WHERE id = ?", _cell(books).id)
    assert AuditEntry.select().count() and replay().ok is False
    result = _verify(app)
    assert result.exit_code == 1
    assert "Ô điểm ĐĐGtx 1 của Nguyễn Thị An" in result.output and "lớp 6A1, môn Toán" in result.output
    assert "trong sổ 10,0, nhật ký ghi 7,5 — đã bị sửa ngoài phần mềm" in result.output


def test_an_attendance_mark_updated_in_the_database_is_named(app, books):
    _sql("UPDATE attendance_mark SET value = 'K'")
    result = _verify(app)
    assert result.exit_code == 1
    assert "Điểm danh Lê Văn An" in result.output and "buổi sáng ngày 01/10/2024" in result.output
    assert "trong sổ nghỉ không phép, nhật ký ghi nghỉ có phép" in result.output


def test_a_cell_added_or_deleted_in_the_database_is_named(app, books, school):
    cell = _cell(books)
    MarkCell.create(school_class=cell.school_class, subject=cell.subject, semester=cell.semester,
                    student=cell.student, kind="gk", idx=1, value="9.0", version=1)
    result = _verify(app)
    assert result.exit_code == 1 and "Ô điểm ĐĐGgk của Nguyễn Thị An" in result.output
    assert "trong sổ có 9,0 mà nhật ký không ghi" in result.output
    _sql("DELETE FROM mark_cell WHERE kind = 'gk'")
    _sql("DELETE FROM mark_change WHERE cell_id = ?", _cell(books, 2).id)
    _sql("DELETE FROM mark_cell WHERE id = ?", _cell(books, 2).id)
    result = _verify(app)
    assert result.exit_code == 1 and "nhật ký ghi 8,0 nhưng trong sổ không còn" in result.output


def test_deleting_the_last_entries_shows(app, books, school):
    head = AuditEntry.head()
    cell = _cell(books)  # the teacher changes 7,5 to 9 …
    assert save_cell(school["assignment"], books["hk1"], books["an"], "tx", 1, "9", cell.version, books["teacher"],
                     now=NOW).status == "saved"
    later_head = AuditEntry.head()
    # … and someone deletes that entry: the chain still links, but the book no longer matches the log
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    _sql("DELETE FROM audit_entry WHERE id = ?", last.id)
    assert AuditEntry.head() == head
    result = _verify(app)
    assert result.exit_code == 1 and "trong sổ 9,0, nhật ký ghi 7,5" in result.output
    # a deletion that leaves no trace in the books shows against the head kept outside the database
    _sql("UPDATE mark_cell SET value = '7.5' WHERE id = ?", cell.id)
    assert _verify(app).exit_code == 0
    result = _verify(app, "--head", later_head)
    assert result.exit_code == 1
    assert f"Nhật ký không còn mục nào có mã băm {later_head[:16]}" in result.output


def test_rewriting_and_rehashing_shows_against_the_kept_head(app, books):
    head = AuditEntry.head()
    entry = (AuditEntry.select().where((AuditEntry.action == "mark") & AuditEntry.entity_id.endswith("/tx1"))
             .get())
    # the forger rewrites the log and the book alike, and recomputes every hash after the entry
    AuditEntry.update(after=json.dumps({"value": "10.0"}, separators=(",", ":"))).where(
        AuditEntry.id == entry.id).execute()
    _rechain_from(entry.id)
    _sql("UPDATE mark_cell SET value = '10.0' WHERE id = ?", _cell(books).id)
    assert _verify(app).exit_code == 0  # consistent inside the database …
    result = _verify(app, "--head", head)  # … but the head kept outside is gone
    assert result.exit_code == 1 and "đã bị viết lại và băm lại" in result.output


def test_an_unknown_or_malformed_head(app, books):
    result = _verify(app, "--head", "ab" * 32)
    assert result.exit_code == 1 and "Nhật ký không còn mục nào có mã băm abababab" in result.output
    result = _verify(app, "--head", "xyz")
    assert result.exit_code == 1 and "64 chữ số thập lục phân" in result.output


def test_a_damaged_database_gets_a_vietnamese_message(app, books):
    _sql("DROP TABLE mark_change")  # the cells' history goes first: nothing references it
    _sql("DROP TABLE mark_cell")
    result = _verify(app)
    assert result.exit_code == 1
    assert "Không đọc được cơ sở dữ liệu để kiểm tra nhật ký" in result.output


def test_seeded_values_are_checked_by_their_digests(app, school, books):
    from models.demo.marks import _seed_digests
    from models.school.structure import SchoolClass, Subject

    hk1, an = books["hk1"], books["an"]
    a = school["assignment"]
    seeded = [{"school_class": a.school_class_id, "subject": a.subject_id, "semester": hk1.id, "student": s.id,
               "kind": "gk", "idx": 1, "value": v} for s, v in ((an, "6.5"), (books["absent"], "8.0"))]
    digests = _seed_digests(seeded, school["year"], hk1, list(SchoolClass.select()),
                            {s.id: s for s in Subject.select()})
    with write_transaction():
        MarkCell.insert_many([{**r, "version": 1} for r in seeded]).execute()
        from models.audit.log import record

        record("seed_demo_marks", "mark", f"{school['year'].name}/HK1", after={"cells": 2, "digests": digests})
    assert _verify(app).exit_code == 0
    # a seeded cell changed through the software: its first entry gives back the seeded value
    cell = MarkCell.get((MarkCell.student == an) & (MarkCell.kind == "gk"))
    assert save_cell(a, hk1, an, "gk", 1, "7", cell.version, books["teacher"], now=NOW).status == "saved"
    assert _verify(app).exit_code == 0
    # a seeded cell nobody logged one by one, changed in the database
    _sql("UPDATE mark_cell SET value = '10.0' WHERE student_id = ? AND kind = 'gk'", books["absent"].id)
    result = _verify(app)
    assert result.exit_code == 1
    assert "Điểm mẫu lớp 6A1 môn Toán học kì I" in result.output and "tổng kiểm" in result.output


@sqlite_only
def test_the_head_is_kept_beside_each_backup_and_shown(app, client, login_as, books, tmp_path):
    from models.backup.backups import backup_now

    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    head = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    result = backup_now(app)
    assert result.ok, result.message
    kept = read_head_file(result.path)
    assert (kept.hash, kept.entry_id) == (head.hash, head.id)
    assert result.manifest["audit_head"] == head.hash
    assert _verify(app, "--head", kept.hash).exit_code == 0
    login_as("admin")
    page = client.get("/admin/backups").get_data(as_text=True)
    assert head.hash in page and f"mục #{head.id} ghi lúc {head.at.strftime('%d/%m/%Y %H:%M:%S')}" in page


@sqlite_only
def test_a_database_file_too_damaged_to_open_gets_a_vietnamese_message(tmp_path):
    from app import create_app
    from models.core.database import sqlite_url_for

    path = tmp_path / "test.db"
    url = sqlite_url_for(path)
    create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url})
    db.obj.close_all()
    data = bytearray(path.read_bytes())
    data[0:100] = b"\xff" * 100  # the header gone: sqlite no longer knows the file
    path.write_bytes(bytes(data))
    with pytest.raises(SystemExit) as stopped:
        create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url})
    assert "Cơ sở dữ liệu có thể đã hỏng" in str(stopped.value)
