"""Group commit (models/core/group_commit.py): writes that arrive together share one transaction, each gets
its own answer, a failing write takes only its own round down, and nothing is lost or misattributed."""
import threading
import time

import pytest

import models.core as models
from models.audit.log import Actor, AuditEntry, record, verify_chain
from models.core import db, group_commit
from tests.conftest import sqlite_only

pytestmark = sqlite_only


def _in_thread(write, results, key):
    """A request thread submitting one write."""

    def target():
        db.connect(reuse_if_open=True)
        try:
            results[key] = ("ok", group_commit.run(write))
        except Exception as error:  # noqa: BLE001 (the test looks at it)
            results[key] = ("error", error)
        finally:
            db.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread


def _entry(n, fail=False):
    def write():
        record("backup", "backup", n, actor=Actor(None, f"người {n}", ""))
        if fail:
            raise RuntimeError(f"hỏng ở {n}")
        return n

    return write


def _wait_for(condition):
    for _ in range(500):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out")


def test_a_failing_write_fails_its_round_only(app):
    results = {}
    models._write_lock.acquire()  # the first round waits on the lock while the others queue up
    try:
        first = _in_thread(_entry(1), results, 1)
        _wait_for(lambda: group_commit._leading and not group_commit._queue)
        others = [_in_thread(_entry(2, fail=True), results, 2), _in_thread(_entry(3), results, 3)]
        _wait_for(lambda: len(group_commit._queue) == 2)
    finally:
        models._write_lock.release()
    for thread in [first, *others]:
        thread.join(10)
    assert results[1] == ("ok", 1)
    assert results[2][0] == results[3][0] == "error" and results[2][1] is results[3][1]
    assert [e.entity_id for e in AuditEntry.select().where(AuditEntry.entity == "backup")] == ["1"]
    assert not group_commit._leading and verify_chain().ok


def test_many_writers_each_get_their_own_answer_and_name(app):
    results = {}
    threads = [_in_thread(_entry(n), results, n) for n in range(40)]
    for thread in threads:
        thread.join(10)
    assert results == {n: ("ok", n) for n in range(40)}
    entries = {e.entity_id: e.username for e in AuditEntry.select().where(AuditEntry.entity == "backup")}
    assert entries == {str(n): f"người {n}" for n in range(40)}
    assert not group_commit._leading and not group_commit._queue
    assert verify_chain().ok


def test_a_write_that_raises_alone_raises_to_its_caller(app):
    with pytest.raises(RuntimeError, match="hỏng ở 7"):
        group_commit.run(_entry(7, fail=True))
    assert group_commit.run(_entry(8)) == 8
    assert [e.entity_id for e in AuditEntry.select().where(AuditEntry.entity == "backup")] == ["8"]


def test_a_save_run_by_another_thread_is_logged_under_its_own_teacher(app, school):
    """Saves of several teachers in one round: each audit entry names the teacher who saved, not the leader."""
    from datetime import datetime

    from models.audit.log import reset_actor, set_actor
    from models.gradebook.locks import switch_lock
    from models.gradebook.marks import save_cell
    from models.school.structure import Enrolment, Semester, TeachingAssignment

    hk1 = Semester.get(Semester.number == 1)
    with models.write_transaction():
        switch_lock("school", "", False, "Mở sổ", None, semester=hk1, now=datetime(2024, 9, 1))
    assignment = TeachingAssignment.get(TeachingAssignment.school_class == school["classes"]["6A1"])
    students = [e.student for e in Enrolment.select().where(Enrolment.school_class == assignment.school_class)][:3]
    users = [school["users"][name] for name in ("giaovien", "totruong", "chunhiem")]
    results = {}

    def saving(i):
        def target():
            db.connect(reuse_if_open=True)
            token = set_actor(Actor(users[i].id, users[i].username, ""))
            try:
                results[i] = save_cell(assignment, hk1, students[i], "tx", 1, "8", 0, users[i]).status
            finally:
                reset_actor(token)
                db.close()
        return threading.Thread(target=target)

    models._write_lock.acquire()
    try:
        threads = [saving(0), saving(1), saving(2)]
        threads[0].start()  # leads a round of its own, held at the lock
        _wait_for(lambda: group_commit._leading and not group_commit._queue)
        threads[1].start()
        _wait_for(lambda: len(group_commit._queue) == 1)
        threads[2].start()  # the second round, led by threads[1], runs this one's save too
        _wait_for(lambda: len(group_commit._queue) == 2)
    finally:
        models._write_lock.release()
    for thread in threads:
        thread.join(10)
    assert results == {0: "saved", 1: "saved", 2: "saved"}
    logged = {e.entity_id.rsplit("/", 2)[1]: e.username for e in AuditEntry.select().where(AuditEntry.action == "mark")}
    assert logged == {students[0].code: "giaovien", students[1].code: "totruong", students[2].code: "chunhiem"}


def test_a_write_from_inside_a_transaction_runs_in_it_even_while_another_round_waits(app):
    """A thread that holds the write lock must not queue behind a leader waiting for that lock."""
    results = {}
    with models.write_transaction():
        other = _in_thread(_entry(1), results, 1)  # leads a round, waits for the lock this thread holds
        _wait_for(lambda: group_commit._leading and not group_commit._queue)
        assert group_commit.run(_entry(2)) == 2  # runs here and now, inside this transaction
    other.join(10)
    assert results == {1: ("ok", 1)}
    assert sorted(e.entity_id for e in AuditEntry.select().where(AuditEntry.entity == "backup")) == ["1", "2"]
    assert verify_chain().ok
