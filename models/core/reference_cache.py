"""Rows that nearly every request reads and that rarely change, kept in memory between requests.

The signed-in user with their roles, a teaching assignment, a semester, a student's enrolment: a
grade-cell save read each of them from the database every time, and on a busy evening every query
is a round of the GIL among the server's threads. `Prepared(..., cached=True)` keeps their raw rows
here and builds fresh model instances from them on each call (a view may change its copy; the
cached rows never change).

A cached row is used only while both hold:
- this process has written nothing since it was read, except to the busy tables below (marks,
  attendance, the audit log), whose writes never change a cached row. Any other write statement
  (an admin changing an assignment, a role, a student's status, a migration) empties the cache
  when it runs and again when its transaction commits, so the next request reads the new rows;
- it is younger than TTL_SECONDS, for writes made by another process (a `flask` command).

The signed-in user's row carries its session epoch (models.people.accounts.end_sessions): a sign-out or a
password change in this process ends the account's other sessions at once, one made through
another process within TTL_SECONDS.
"""
import re
import threading
import time

TTL_SECONDS = 5.0

# writes to these tables never change a cached row; every other write empties the cache
BUSY_TABLES = frozenset({
    "mark_cell", "mark_change", "audit_entry", "attendance_mark", "attendance_change", "print_job",
})

_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?',
                    re.IGNORECASE)
_READ_OR_CONTROL = ("SELECT", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA", "SHOW", "SET")

_rows: dict = {}
_generation = 0
_lock = threading.Lock()


def generation() -> int:
    return _generation


def clear() -> None:
    """Forget every cached row (a write that may change them, a new database)."""
    global _generation
    with _lock:
        _generation += 1
        _rows.clear()


def get(key):
    """The rows kept under key, or None when absent, older than the TTL or read before the last write."""
    entry = _rows.get(key)
    if entry is None:
        return None
    read_in, expires, rows = entry
    if read_in != _generation or expires < time.monotonic():
        return None
    return rows


def put(key, rows, read_in: int) -> None:
    """Keep rows read while the generation was `read_in`; dropped if a write happened since."""
    with _lock:
        if read_in == _generation:
            _rows[key] = (read_in, time.monotonic() + TTL_SECONDS, rows)


def changes_cached_rows(sql: str) -> bool:
    """Whether a statement may change a cached row: any write except to the busy tables."""
    verdict = _verdicts.get(sql)
    if verdict is None:
        head = sql.lstrip()[:10].upper()
        if head.startswith(_READ_OR_CONTROL):
            verdict = False
        else:
            match = _WRITE.match(sql)
            verdict = match is None or match.group(1) not in BUSY_TABLES
        if len(_verdicts) < 2048:  # the hot paths run the same few texts (prepared queries) again and again
            _verdicts[sql] = verdict
    return verdict


_verdicts: dict[str, bool] = {}


def install(database) -> None:
    """Watch every statement the database runs; start empty."""
    clear()

    def watch(event):
        if event.exception is None and changes_cached_rows(event.sql):
            clear()
            database.after_commit(clear)  # again once the transaction is visible to other connections

    database.query_hooks[:] = [h for h in database.query_hooks if getattr(h, "__name__", "") != "watch"]
    database.query_hooks.append(watch)
