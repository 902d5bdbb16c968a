"""Render many PDF parts at once: a pool of forked processes, one per core, at a lower priority.

xhtml2pdf holds the GIL, so one process renders on one core; a book of 44 pages or a school's 40
attendance sheets are split over os.cpu_count() processes. The children run niced (at least 10) so
that the web process's grade saves keep their budget while a print job runs.

The parent does every database read and write (page data, verification codes) before the pool
starts; a child only renders templates from data it inherited through fork.

forked_map is the one pool both this module and the year-end archive use. It is built on
concurrent.futures, not multiprocessing.Pool: Pool.terminate() after an error can hang for ever when a
child is still handing back a large result (the child holds the result pipe's lock, the parent has
stopped reading it), and that hang once kept a CI run waiting until its time ran out.
"""
import contextlib
import functools
import itertools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

PRIORITY = 10  # niceness of a render process; the web process stays at 0
_TASK: dict = {}  # what the forked children inherit: the app and the render function
_in_child = False  # a pool child (or an archive worker) renders alone: no pool inside a pool


def processes_for(count: int, limit: int | None = None) -> int:
    """How many render processes for count parts: one per core, never more than there are parts."""
    if _in_child or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(count, limit or os.cpu_count() or 1))


def lower_priority() -> None:
    """Run this process at niceness PRIORITY or lower (never raise it back)."""
    try:
        current = os.getpriority(os.PRIO_PROCESS, 0)
        if current < PRIORITY:
            os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)
    except (OSError, AttributeError):  # not permitted or not on this platform: normal priority
        pass


def render_alone() -> None:
    """Called in a process that is itself one of a pool (the archive's class workers)."""
    global _in_child
    _in_child = True


def forget_inherited_connections() -> None:
    """In a forked child: drop the parent's database connections without closing them under the parent
    (SQLite and libpq connections must not cross a fork); the child opens its own when it needs one."""
    import threading

    from models.core import db

    database = getattr(db, "obj", None) or db
    database._state.reset()
    if hasattr(database, "_in_use"):  # playhouse.pool: its idle and in-use lists belong to the parent
        database._connections, database._in_use = [], {}
        database._pool_lock = threading.RLock()
        database._pool_available = threading.Condition(database._pool_lock)


def _child_setup(initializer: Callable[[], None] | None) -> None:
    """A child must die of SIGTERM, whatever handler it inherited: the archive turns SIGTERM into an
    exception in the parent, and a child that caught it instead of ending kept a pool waiting for ever."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer:
        initializer()


@contextlib.contextmanager
def forked_map(function: Callable, items: Iterable, processes: int,
               initializer: Callable[[], None] | None = None) -> Iterator[Iterator]:
    """Yield an iterator over function(item) for each item, in order, computed in `processes` forked
    children (initializer runs once in each). At most two items per child are in flight, so only that
    many results are held at once. Leaving the block early (an error, a stop signal) cancels the items
    not yet started and waits for the running ones to finish: the children always exit."""
    executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                   initializer=functools.partial(_child_setup, initializer))
    source = iter(items)
    pending: deque = deque()

    def fill() -> None:
        for item in itertools.islice(source, 2 * processes - len(pending)):
            pending.append(executor.submit(function, item))

    def results() -> Iterator:
        fill()
        while pending:
            value = pending.popleft().result()
            fill()
            yield value

    try:
        yield results()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _child_start() -> None:
    render_alone()
    lower_priority()
    forget_inherited_connections()


def _child_render(index: int) -> bytes:
    app, render = _TASK["app"], _TASK["render"]
    with app.app_context():
        return render(index)


def render_parts(render: Callable[[int], bytes], count: int,
                 progress: Callable[[int, int], None] | None = None, processes: int | None = None) -> list[bytes]:
    """[render(0), …, render(count - 1)] in order, in a pool of forked processes when there are several
    cores; progress(done, count) after each part. render must not use the database."""
    from flask import current_app

    workers = processes_for(count, processes)
    if workers < 2:
        parts = []
        for i in range(count):
            parts.append(render(i))
            if progress:
                progress(i + 1, count)
        return parts
    _TASK.update(app=current_app._get_current_object(), render=render)
    try:
        with forked_map(_child_render, range(count), workers, initializer=_child_start) as rendered:
            parts = []
            for part in rendered:
                parts.append(part)
                if progress:
                    progress(len(parts), count)
            return parts
    finally:
        _TASK.clear()
