"""Forked workers: each runs its native thread pools (BLAS, OpenMP) in one thread."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy  # noqa: F401  (loads its BLAS: the thread pool a worker must cap)
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from casereview.workers import can_fork, forked_pool, map_in_processes


def native_threads(_=None) -> int:
    return max(pool["num_threads"] for pool in threadpool_info())


@pytest.mark.skipif(not can_fork(), reason="workers are forked")
def test_workers_run_native_code_in_one_thread_each():
    if not threadpool_info():
        pytest.skip("no native thread pools loaded")
    with threadpool_limits(2):  # a forked worker inherits this unless it caps itself
        with forked_pool(2) as pool:
            assert list(pool.map(native_threads, range(4))) == [1, 1, 1, 1]
        assert native_threads() == 2  # this process keeps its own limit


ORPHANS = """
import multiprocessing, os, sys, time
from casereview.workers import forked_pool

def wait_long(_):
    time.sleep(120)  # a fold's fit, as far as the parent knows
    return os.getpid()

both_at_work = multiprocessing.get_context("fork").Barrier(2)  # inherited by the workers as they are forked

def pid(_):
    both_at_work.wait()  # each item in a worker of its own: each reports its own (a time waited was not, loaded)
    return os.getpid()

with forked_pool(2) as pool:
    print(*sorted(set(pool.map(pid, range(2)))), flush=True)
    list(pool.map(wait_long, range(2)))
"""


def running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended and not yet reaped by whoever adopted it, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:  # no /proc (macOS): alive as far as can be told
        return True


@pytest.mark.skipif(not can_fork(), reason="workers are forked")
def test_workers_end_when_the_process_that_forked_them_is_killed():
    """'kill PID' (SIGTERM, as 'timeout' or a scheduler sends it) ended a retrain, and its workers, orphaned, fitted on
    and then waited for work forever, each holding a copy of the training run (0.7 GB)."""
    parent = subprocess.Popen([sys.executable, "-c", ORPHANS], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2
        parent.send_signal(signal.SIGTERM)
        parent.wait(timeout=60)
        deadline = time.monotonic() + 60  # they look every half second: a bound on a hang, not a time they are given
        while any(map(running, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [p for p in workers if running(p)]
    finally:
        parent.kill()
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert not left, "the workers outlived the process that forked them"


#: set once the parent has been told of the quick items: the slow item (a worker's) waits for it
QUICK_ONES_TOLD = multiprocessing.get_context("fork").Event() if can_fork() else None


def done_once_the_quick_ones_are_told(item: str) -> str:
    if item == "slow":
        QUICK_ONES_TOLD.wait(timeout=60)  # told in the items' order, they never are: it ends at 60 s, told last
    return item


@pytest.mark.skipif(not can_fork(), reason="workers are forked")
def test_each_result_is_told_done_as_it_comes_in_not_behind_a_slower_one_before_it():
    """Leave-one-voice-out's progress ('2 done') was told in the folds' order: a fold done in one worker waited,
    uncounted, for the slower one before it in another, and the count lagged behind what was done. The slow item
    ends only once both quick ones are told (not a time: a loaded machine's could let it end first)."""
    told: list[tuple[int, str]] = []

    def tell(finished: int, item: str) -> None:
        told.append((finished, item))
        if finished == 2:
            QUICK_ONES_TOLD.set()

    QUICK_ONES_TOLD.clear()
    results, used = map_in_processes(done_once_the_quick_ones_are_told, ["slow", "quick", "quicker"], 2, done=tell)
    assert (results, used) == (["slow", "quick", "quicker"], 2)  # results in the items' order
    assert told == [(1, "quick"), (2, "quicker"), (3, "slow")]  # the quick ones told before the slow one was done
    told.clear()
    assert map_in_processes(str, [0, 1], 1, done=lambda finished, item: told.append((finished, item))) \
        == (["0", "1"], 1) and told == [(1, 0), (2, 1)]


@pytest.mark.skipif(not can_fork(), reason="workers are forked")
def test_ctrl_c_on_a_terminal_ends_the_workers_quietly():
    """A terminal's Ctrl-C goes to every process of the command: a forked worker waiting for work printed a
    KeyboardInterrupt's traceback ("Process ForkProcess-2: ...") above the command's one line, and one at work sent
    the interrupt back as its item's result and took the next item queued, which the command waited for (a minute
    here, a fold of a retrain) before it stopped. A real SIGINT to the process group, once both workers are at work."""
    code = ("import os, sys, time\n"
            "from casereview.workers import map_in_processes\n"
            "def work(seconds):\n"
            "    os.write(1, b'working\\n')\n"  # one write: print's from two workers at once came interleaved
            "    time.sleep(seconds)\n"
            "try:\n"
            "    map_in_processes(work, [3600, 3600, 3600], 2)\n"  # an item is never done: only a stop ends them
            "except KeyboardInterrupt:\n"
            "    print('stopped', file=sys.stderr)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        assert [child.stdout.readline(), child.stdout.readline()] == ["working\n"] * 2
        os.killpg(child.pid, signal.SIGINT)  # as the terminal sends Ctrl-C: to the whole foreground process group
        _, said = child.communicate(timeout=120)  # a bound on a hang (an item's hour), not a time it is given
        assert said == "stopped\n" and child.returncode == 0
    finally:
        with contextlib.suppress(ProcessLookupError):  # left waiting: the workers too
            os.killpg(child.pid, signal.SIGKILL)
