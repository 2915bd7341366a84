"""Forked workers: each runs its native thread pools (BLAS, OpenMP) in one thread."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info

from casereview.workers import can_fork, forked_pool


def native_threads(_=None) -> int:
    return max(pool["num_threads"] for pool in threadpool_info())


@pytest.mark.skipif(not can_fork(), reason="workers are forked")
def test_workers_run_native_code_in_one_thread_each():
    here = native_threads()  # one thread per CPU, uncapped (on one CPU the test shows nothing)
    with forked_pool(2) as pool:
        assert list(pool.map(native_threads, range(4))) == [1, 1, 1, 1]
    assert native_threads() == here  # this process is left as it was
