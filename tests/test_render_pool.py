"""The forked pool that print jobs and the archive share: results in order, and an error in a child or in
the parent ends the pool with every child gone (multiprocessing.Pool.terminate once hung there)."""
import multiprocessing
import os
import signal

import pytest

from models.printing.render_pool import forked_map

BIG = 4 * 1024 * 1024  # larger than a pipe's buffer: a child blocks while handing it back


def _big_or_fail(i: int) -> bytes:
    if i == 1:
        raise ValueError("trang 2 hỏng")
    return bytes([i % 256]) * BIG


def _square(i: int) -> int:
    return i * i


def _children() -> set[int]:
    return {p.pid for p in multiprocessing.active_children()}


def test_results_come_back_in_order_from_other_processes():
    with forked_map(_square, range(7), 2) as results:
        assert list(results) == [i * i for i in range(7)]


def test_a_failing_part_raises_and_no_child_outlives_the_pool():
    with pytest.raises(ValueError, match="trang 2 hỏng"), forked_map(_big_or_fail, range(6), 2) as results:
        for _ in results:
            pass
    assert not _children()


def test_the_parent_stopping_midway_leaves_no_child_behind():
    with pytest.raises(KeyboardInterrupt), forked_map(_big_or_fail, [0, 2, 3, 4, 5], 2) as results:
        first = next(results)
        assert len(first) == BIG
        raise KeyboardInterrupt  # what a stop signal does in the parent while children still send results
    assert not _children()


def test_children_run_in_other_processes():
    with forked_map(_pid, range(4), 2) as results:
        assert os.getpid() not in set(results)


def _pid(_: int) -> int:
    return os.getpid()


def _sigterm_handler(_: int):
    return signal.getsignal(signal.SIGTERM)


def test_children_die_of_sigterm_whatever_the_parent_catches():
    """The archive turns SIGTERM into an exception in its own process; its render children must not."""
    def stop(signum, frame):
        raise RuntimeError("stopped")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with forked_map(_sigterm_handler, range(2), 2) as results:
            assert set(results) == {signal.SIG_DFL}
    finally:
        signal.signal(signal.SIGTERM, previous)
