"""The rows kept between requests (models/core/reference_cache.py): read once, copied out, never stale
after a write of this process, and expired for the writes of another one."""
import sqlite3

import pytest

from models.audit.log import AuditEntry, record, verify_chain
from models.core import db, reference_cache, write_transaction
from models.gradebook.marks import MarkCell
from models.people.accounts import User, UserRole, load_user_with_roles
from models.people.records import Student
from models.school.structure import TeachingAssignment
from tests.conftest import sqlite_only
from tests.test_perf_caches import Queries


@pytest.mark.parametrize("sql, changes", [
    ('SELECT "t1"."id" FROM "account" AS "t1"', False),
    ("BEGIN IMMEDIATE", False),
    ('UPDATE "mark_cell" SET "value" = ? WHERE ("mark_cell"."id" = ?)', False),
    ('INSERT INTO "mark_change" ("cell_id") VALUES (?)', False),
    ('INSERT INTO "audit_entry" ("at") VALUES (?)', False),
    ('INSERT INTO "attendance_mark" ("student_id") VALUES (?)', False),
    ('UPDATE "account" SET "is_enabled" = ? WHERE ("account"."id" = ?)', True),
    ('INSERT INTO "account_role" ("user_id", "role") VALUES (?, ?)', True),
    ('DELETE FROM "account_role" WHERE ("account_role"."user_id" = ?)', True),
    ('update teaching_assignment set teacher_id = 3', True),
    ('CREATE TABLE "x" ("id" INTEGER)', True),
    ('WITH t AS (SELECT 1) UPDATE "student" SET "status" = ?', True),
])
def test_which_statements_empty_the_cache(sql, changes):
    assert reference_cache.changes_cached_rows(sql) is changes


def test_a_user_is_read_once_and_each_call_gets_its_own_copy(school):
    user_id = User.get(User.username == "giaovien").id
    load_user_with_roles(user_id)  # the first call sets up the row reader
    load_user_with_roles(user_id)
    with Queries() as q:
        first = load_user_with_roles(user_id)
        second = load_user_with_roles(user_id)
    assert q.count == 0
    first.full_name = "Đã đổi trong một yêu cầu"
    first.staff.full_name = "Đã đổi"
    assert second.full_name != first.full_name
    assert load_user_with_roles(user_id).full_name == User.get_by_id(user_id).full_name
    assert first is not second and first.roles == second.roles == {"teacher"}


def test_a_new_role_is_seen_by_the_next_request(school):
    user_id = User.get(User.username == "giaovien").id
    load_user_with_roles(user_id)
    assert load_user_with_roles(user_id).roles == {"teacher"}
    with write_transaction():
        UserRole.create(user=user_id, role="head_of_department")
    assert load_user_with_roles(user_id).roles == {"teacher", "head_of_department"}


def test_a_disabled_account_is_signed_out_at_its_next_request(client, login_as, school):
    login_as("giaovien")
    assert client.get("/teacher/gradebook").status_code == 200
    assert client.get("/teacher/gradebook").status_code == 200  # now served from the cache
    with write_transaction():
        User.update(is_enabled=False).where(User.username == "giaovien").execute()
    assert client.get("/teacher/gradebook").status_code == 302


def test_a_reassigned_class_is_refused_at_once(client, login_as, school):
    login_as("giaovien")
    assignment = TeachingAssignment.get(TeachingAssignment.teacher == User.get(User.username == "giaovien").staff)
    page = f"/teacher/gradebook/{assignment.id}/1"
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200
    other = User.get(User.username == "chunhiem").staff_id
    with write_transaction():
        TeachingAssignment.update(teacher=other).where(TeachingAssignment.id == assignment.id).execute()
    assert client.get(page).status_code == 403


def test_mark_writes_keep_the_cache(school):
    user_id = User.get(User.username == "giaovien").id
    load_user_with_roles(user_id)
    load_user_with_roles(user_id)
    generation = reference_cache.generation()
    assignment = TeachingAssignment.get()
    with write_transaction():
        cell = MarkCell.create(school_class=assignment.school_class_id, subject=assignment.subject_id,
                               semester=1, student=Student.get().id, kind="tx", idx=1, value="8.0")
        MarkCell.update(value="9.0").where(MarkCell.id == cell.id).execute()
        record("mark", "mark", "x", after={"value": "9.0"})
    assert reference_cache.generation() == generation
    with Queries() as q:
        load_user_with_roles(user_id)
    assert q.count == 0


def test_rows_read_before_a_write_are_not_kept():
    generation = reference_cache.generation()
    reference_cache.clear()  # a write lands while the rows were being read
    reference_cache.put("key", ["old row"], generation)
    assert reference_cache.get("key") is None
    reference_cache.put("key", ["row"], reference_cache.generation())
    assert reference_cache.get("key") == ["row"]


@sqlite_only
def test_a_write_by_another_process_is_seen_once_the_copy_expires(app, school, monkeypatch):
    user_id = User.get(User.username == "giaovien").id
    load_user_with_roles(user_id)
    assert load_user_with_roles(user_id).is_enabled
    path = db.obj.database
    with sqlite3.connect(path) as other:  # another process: no hook of this one sees it
        other.execute("UPDATE account SET is_enabled = 0 WHERE id = ?", (user_id,))
    assert load_user_with_roles(user_id).is_enabled  # the kept copy, for at most TTL_SECONDS
    clock = reference_cache.time.monotonic() + reference_cache.TTL_SECONDS + 0.1
    monkeypatch.setattr(reference_cache.time, "monotonic", lambda: clock)
    assert not load_user_with_roles(user_id).is_enabled


# --- the audit chain's head, known without reading it --------------------------------------------

@sqlite_only
def test_appends_read_no_head_once_known(school):
    with write_transaction():
        record("backup", "backup", 1)
    with Queries() as q, write_transaction():
        record("backup", "backup", 2)
        record("backup", "backup", 3)
    assert q.count == 2  # one INSERT per entry, no SELECT of the head (peewee logs no BEGIN/COMMIT)
    assert verify_chain().ok


def test_a_rolled_back_append_is_forgotten(school):
    with write_transaction():
        record("backup", "backup", 1)
    with pytest.raises(RuntimeError), write_transaction():
        record("backup", "backup", "rolled back")
        raise RuntimeError("rollback")
    with write_transaction():
        record("backup", "backup", 2)
    assert verify_chain().ok
    assert [e.entity_id for e in AuditEntry.select().order_by(AuditEntry.id)][-2:] == ["1", "2"]


@sqlite_only
def test_an_entry_appended_by_another_process_is_linked_to(app, school):
    with write_transaction():
        record("backup", "backup", 1)
    head = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    theirs = AuditEntry(at=head.at, username="hệ thống", action="backup", entity="database", entity_id="cli",
                        before="", after="", reason="", address="", prev_hash=head.hash)
    theirs.hash = theirs.content_hash()
    columns = ["at", "user_id", "username", "address", "action", "entity", "entity_id", "before", "after",
               "reason", "prev_hash", "hash"]
    with sqlite3.connect(db.obj.database) as other:  # the `flask backup` command, in its own process
        other.execute(f"INSERT INTO audit_entry ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                      [str(theirs.at) if c == "at" else getattr(theirs, c) for c in columns])
    with write_transaction():
        ours = record("backup", "backup", 2)
    assert ours.prev_hash != head.hash  # linked to theirs, not to the head this process remembered
    assert verify_chain().ok
