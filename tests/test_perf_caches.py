"""The speed work on the grade-cell save: the lock rows kept in the process, prepared queries,
and the one query that loads the user with their roles. Each cache must never give a stale answer."""
import logging
from datetime import datetime, timedelta

import pytest

from models.core import db, write_transaction
from models.core.prepared import Prepared
from models.gradebook import locks as locks_module
from models.gradebook.locks import EntryWindow, LockOverride, cell_lock, column_locks, set_window, switch_lock
from models.gradebook.marks import MarkCell, required_tx, save_cell
from models.people.accounts import User, load_user_with_roles, set_roles
from models.school.structure import Enrolment, GradeSubject, Semester, TeachingAssignment

NOW = datetime(2024, 10, 1, 10, 0)
SECOND = timedelta(seconds=1)


class Clock:
    """An injected monotonic clock for the cache's expiry."""

    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(locks_module, "clock", fake)
    return fake


@pytest.fixture
def hk1(school):
    return Semester.get((Semester.year == school["year"]) & (Semester.number == 1))


@pytest.fixture
def target(school, hk1):
    """(6A1, Toán, HK I) with one TX window open around NOW."""
    with write_transaction():
        set_window(hk1, "tx", NOW - timedelta(days=1), NOW + timedelta(hours=1))
    return school["classes"]["6A1"], school["subjects"]["TOAN"], hk1


class Queries:
    """Counts the SQL statements peewee runs (its debug log)."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        logger = logging.getLogger("peewee")
        self.handler = logging.Handler()
        self.handler.emit = lambda record: setattr(self, "count", self.count + 1)
        self.level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        logger = logging.getLogger("peewee")
        logger.removeHandler(self.handler)
        logger.setLevel(self.level)


# --- the lock rows kept in the process ------------------------------------------------------------

def test_rows_are_kept_but_the_verdict_follows_the_clock(target, clock):
    c, subject, hk1 = target
    closes = NOW + timedelta(hours=1)
    assert cell_lock(c, subject, hk1, "tx", now=closes - SECOND).locked is False
    with Queries() as q:
        assert cell_lock(c, subject, hk1, "tx", now=closes - SECOND).locked is False
        assert cell_lock(c, subject, hk1, "tx", now=closes).locked is True  # the exact second, from the copy
        assert column_locks(c, subject, hk1, now=closes)["tx"].locked is True
    assert q.count == 0


def test_a_new_window_is_seen_at_once(target, clock):
    c, subject, hk1 = target
    assert cell_lock(c, subject, hk1, "gk", now=NOW).locked is True
    with write_transaction():
        set_window(hk1, "gk", NOW - SECOND, NOW + timedelta(days=1))
    assert cell_lock(c, subject, hk1, "gk", now=NOW).locked is False


def test_a_changed_window_is_seen_at_once(target, clock):
    c, subject, hk1 = target
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is False
    window = EntryWindow.get()
    with write_transaction():
        set_window(hk1, "tx", NOW + timedelta(days=1), NOW + timedelta(days=2), window_id=window.id)
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is True


def test_a_switch_is_seen_at_once(target, clock):
    c, subject, hk1 = target
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is False
    with write_transaction():
        switch_lock("class", str(c.id), True, "Khoá để kiểm tra", None, semester=hk1, now=NOW - SECOND)
    state = cell_lock(c, subject, hk1, "tx", now=NOW)
    assert state.locked is True and state.reason == "Đã khoá lớp 6A1"
    with write_transaction():
        switch_lock("class", str(c.id), None, "Trả về theo lịch", None, semester=hk1, now=NOW)
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is False


def test_a_rolled_back_switch_is_never_kept(target, clock):
    c, subject, hk1 = target
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is False
    with pytest.raises(RuntimeError):
        with write_transaction():
            switch_lock("school", "", True, "Khoá thử", None, semester=hk1, now=NOW - SECOND)
            assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is True  # inside: sees its own write
            raise RuntimeError("rolled back")
    assert LockOverride.select().count() == 0
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is False


def test_a_write_from_elsewhere_is_seen_when_the_copy_expires(target, clock):
    """Another process (the CLI) writes without telling this one: the expiry catches it."""
    c, subject, hk1 = target
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is False
    generation = locks_module._generation
    with write_transaction():  # a raw insert, as another process would write: no hook runs here
        LockOverride.insert(semester=hk1, scope="school", target="", locked=True, reason="Từ dòng lệnh",
                            created_at=NOW - SECOND).execute()
    locks_module._generation = generation
    clock.t += locks_module.CACHE_SECONDS - 0.5
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is False  # still the kept copy
    clock.t += 0.5
    assert cell_lock(c, subject, hk1, "tx", now=NOW).locked is True


def test_each_database_keeps_its_own_rows(target, clock):
    c, subject, hk1 = target
    cell_lock(c, subject, hk1, "tx", now=NOW)
    assert hk1.id in db.obj.__dict__["_sotruong_lock_rows"]


# --- the save path ---------------------------------------------------------------------------------

@pytest.fixture
def book(school, hk1):
    with write_transaction():
        switch_lock("school", "", False, "Mở sổ", None, semester=hk1, now=NOW - timedelta(days=1))
    c, subject = school["classes"]["6A1"], school["subjects"]["TOAN"]
    assignment = TeachingAssignment.get((TeachingAssignment.school_class == c)
                                        & (TeachingAssignment.subject == subject))
    student = Enrolment.select().where(Enrolment.school_class == c).first().student
    return assignment, hk1, student, User.get(User.username == "admin")


def test_a_lock_switched_on_refuses_the_next_save(book, clock):
    assignment, hk1, student, user = book
    assert save_cell(assignment, hk1, student, "tx", 1, "8", 0, user, now=NOW).status == "saved"
    with write_transaction():
        switch_lock("class_subject", f"{assignment.school_class_id}:{assignment.subject_id}", True, "Khoá",
                    None, semester=hk1, now=NOW)
    result = save_cell(assignment, hk1, student, "tx", 1, "9", 1, user, now=NOW + SECOND)
    assert result.status == "locked"
    assert MarkCell.get().value == "8.0"


def test_a_save_stores_its_change_and_detects_a_stale_version(book, clock):
    assignment, hk1, student, user = book
    assert save_cell(assignment, hk1, student, "gk", 1, "7,5", 0, user, now=NOW).status == "saved"
    assert save_cell(assignment, hk1, student, "gk", 1, "6", 1, user, now=NOW + SECOND).status == "saved"
    stale = save_cell(assignment, hk1, student, "gk", 1, "5", 1, user, now=NOW + 2 * SECOND)
    assert stale.status == "conflict" and stale.value == "6.0" and stale.version == 2
    cell = MarkCell.get()
    assert (cell.value, cell.version, cell.updated_by_id, cell.updated_at) == ("6.0", 2, user.id, NOW + SECOND)
    assert [(ch.old_value, ch.new_value, ch.version, ch.changed_by_name, ch.changed_at)
            for ch in cell.changes.order_by("id")] == [(None, "7.5", 1, user.full_name, NOW),
                                                       ("7.5", "6.0", 2, user.full_name, NOW + SECOND)]


def test_required_tx_is_kept_only_on_the_request_objects(school):
    c, subject = school["classes"]["6A1"], school["subjects"]["TOAN"]
    assert required_tx(c, subject) == 4
    with write_transaction():
        GradeSubject.update(periods_per_year=35).where((GradeSubject.grade == c.grade_id)
                                                       & (GradeSubject.subject == subject)).execute()
    assert required_tx(c, subject) == 4  # the same class object: the same request
    fresh = type(c).get_by_id(c.id)
    assert required_tx(fresh, subject) == 2  # a new request reads the programme again


# --- one query for the user and their roles -----------------------------------------------------------

def test_user_loaded_with_roles_in_one_query(school):
    admin = User.get(User.username == "admin")
    with Queries() as q:
        user = load_user_with_roles(admin.id)
        assert "admin" in user.roles
    assert q.count == 1
    set_roles(admin, {"admin", "teacher"})
    assert load_user_with_roles(admin.id).roles == {"admin", "teacher"}
    assert load_user_with_roles(999_999) is None


def test_prepared_query_binds_each_call(school):
    by_name = Prepared(lambda username: User.select().where(User.username == username).limit(1), 1)
    assert by_name.first("admin").username == "admin"
    assert by_name.first("khongco") is None
    with pytest.raises(ValueError):
        Prepared(lambda a, b: User.select().where(User.id == a), 2).first(1, 2)
