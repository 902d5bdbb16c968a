"""Group commit: the small writes that arrive together share one transaction (SQLite).

On a deadline night many grade-cell saves arrive at once. Each used to open its own BEGIN IMMEDIATE …
COMMIT under the process-wide write lock: a sync of the WAL each, and the threads queued on the lock,
handing the interpreter to one another at every statement. Here the first writer to arrive becomes
the leader: it takes every write waiting at that moment (its own included), runs them one after the
other in one write transaction, commits once, and wakes their threads with their results. A writer
that arrives meanwhile waits for the next round, led by the first of them.

A write is a function that runs its statements and returns a result. It must not rely on the thread
it runs in (pass the audit actor explicitly). If one raises, the whole round is rolled back and every
writer of the round gets that exception: nothing of theirs is stored, and each answers with an error.
A refused write (a stale version) returns normally having changed nothing.
On PostgreSQL, which has no single writer to queue on, each write simply runs in its own transaction;
a write submitted by a thread already inside a transaction runs in that transaction (queueing behind
another leader would wait for the write lock this thread holds).
"""
import threading

from models.core import db, is_sqlite, write_transaction


class _Slot:
    __slots__ = ("write", "result", "error", "ready", "lead")

    def __init__(self, write):
        self.write = write
        self.result = None
        self.error = None
        self.lead = False
        self.ready = threading.Lock()  # held until the slot is done or its thread must lead
        self.ready.acquire()


_queue: list[_Slot] = []
_queue_lock = threading.Lock()
_leading = False


def run(write):
    """Run `write()` inside a write transaction, shared with the writes waiting at the same moment."""
    if not is_sqlite() or db.in_transaction():
        with write_transaction():
            return write()
    global _leading
    slot = _Slot(write)
    with _queue_lock:
        _queue.append(slot)
        lead = not _leading
        if lead:
            _leading = True
    if not lead:
        slot.ready.acquire()  # until a leader ran it, or handed this thread the lead
        if not slot.lead:
            return _answer(slot)
    _lead()
    return _answer(slot)


def _answer(slot: _Slot):
    if slot.error is not None:
        raise slot.error
    return slot.result


def _lead() -> None:
    """Run one round (its first one holds the leader's own write: only a leader empties the queue),
    then hand the lead to the first writer that arrived meanwhile, or put it down."""
    global _leading
    with _queue_lock:
        batch = _queue[:]
        del _queue[:]
    _run_round(batch)
    with _queue_lock:
        if not _queue:
            _leading = False
            return
        successor = _queue[0]
        successor.lead = True
    successor.ready.release()


def _run_round(batch: list[_Slot]) -> None:
    try:
        with write_transaction():
            for slot in batch:
                slot.result = slot.write()
    except BaseException as error:  # noqa: BLE001 (handed to every writer of the round)
        for slot in batch:
            slot.result, slot.error = None, error
    for slot in batch:
        if not slot.lead:
            slot.ready.release()
