"""Forked worker processes that inherit this process's objects (a model, a corpus) instead of unpickling them."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager

from threadpoolctl import threadpool_limits


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_in_processes(fn: Callable, items: Sequence, processes: int,
                     done: Callable[[int, Any], None] = lambda finished, item: None) -> tuple[list, int]:
    """``fn`` over ``items``, results in order: in up to ``processes`` forked workers (no more than
    there are items) where the platform forks and there is more than one item, else here.
    Returns the results and how many processes ran them (1: here). ``done`` is told, as each item's result comes
    in, how many are in and that item (a long run's progress): in workers, in the order they finish, so a count
    read in the items' order does not wait behind a slow item."""
    used = min(processes, len(items)) if processes > 1 and len(items) > 1 and can_fork() else 1
    if used == 1:
        results: list = []
        for item in items:
            results.append(fn(item))
            done(len(results), item)
        return results, used
    in_order: list = [None] * len(items)
    with forked_pool(used) as pool:
        places = {pool.submit(fn, item): place for place, item in enumerate(items)}
        for finished, future in enumerate(as_completed(places), 1):
            in_order[places[future]] = future.result()
            done(finished, items[places[future]])
    return in_order, used


def default_processes() -> int:
    """Worker processes when not asked: the CPUs, at most 4 (each holds a copy of the pipeline)."""
    return max(1, min(os.cpu_count() or 1, 4))


def one_thread_each(parent: int | None = None) -> None:
    """Run in each worker as it starts: cap its native thread pools (BLAS, OpenMP) at one thread, end the worker
    once ``parent``, the process that forked it, is gone (:func:`_exit_when_orphaned`), and on Ctrl-C at once and
    quietly: a terminal sends it to every process of the command; a worker waiting for work printed a
    KeyboardInterrupt's traceback ("Process ForkProcess-2: ...") above the one line the command says, and one at work
    sent it back as its item's result and took the next item queued, which the command waited for (a retrain's fold:
    a minute or more) before it stopped."""
    threadpool_limits(1)
    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(128 + signum))
    if parent is not None:
        threading.Thread(target=_exit_when_orphaned, args=(parent,), name="exit-when-orphaned", daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    """End this worker once its parent has gone (its parent process id is no longer ``parent``).

    A parent killed (``kill PID``, SIGTERM, as ``timeout`` or a scheduler sends it; kill -9) runs no clean-up: its
    workers, orphaned, finished their task and then waited for work forever, each holding a copy of what the parent
    had loaded (a retrain's, 0.7 GB). Polled, as no portable signal tells a child its parent died.
    """
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


@contextmanager
def forked_pool(processes: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``processes`` forked workers; a worker that dies raises ``BrokenProcessPool`` rather than hanging.

    The garbage collector is frozen meanwhile, so that the workers' collectors leave the
    inherited objects (and their memory pages, shared until written) alone. Each worker runs
    its BLAS and OpenMP code in one thread, so that native code in one worker never competes
    with the others for the CPUs: the processes are the parallelism (``model.fit`` caps itself
    too; before it did, two leave-one-voice-out folds at once ran several times slower each).
    A worker ends once this process is gone, killed with no chance to shut the pool down.
    """
    with collector_skips_live_objects():
        pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                   initializer=one_thread_each, initargs=(os.getpid(),))
        try:
            yield pool
        finally:
            # left early (a reader stopped, an error): work not yet started is dropped, as Pool's terminate did
            pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def collector_skips_live_objects() -> Iterator[None]:
    """Meanwhile the garbage collector looks only at objects made from now on (``gc.freeze``).

    A long run in one process (``predict -p 1``) makes objects that live a batch or two, enough to set
    off the collector's full passes, and each pass walked everything alive (the model, the pipeline,
    the caller's objects): about a tenth of the scoring time. Frozen objects are still freed when no
    longer referenced; a cycle among them waits for the end. Left as it is when something is frozen
    already (a forked worker, an outer call), whose owner unfreezes it.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def in_forked_processes(fn: Callable, items: Iterable, processes: int = 1) -> Iterator:
    """``fn`` of each of ``items``, in order, computed in ``processes`` forked workers (one too), a few items in flight.

    For work that must not hold this process's interpreter meanwhile: a thread waiting for a worker leaves it
    to the others (the review app's UI thread). Closing the iterator early drops the items not yet started.
    """
    with forked_pool(processes) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            while pending and (pending[0].done() or len(pending) > 2 * processes):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
