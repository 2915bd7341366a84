"""Forked workers: each runs its native thread pools (BLAS, OpenMP) in one thread."""

from __future__ import annotations

import numpy  # noqa: F401  (loads its BLAS: the thread pool a worker must cap)
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from casereview.workers import can_fork, forked_pool


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
