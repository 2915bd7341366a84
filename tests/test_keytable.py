"""The numpy hash table behind feature and word lookups."""

from __future__ import annotations

import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from casereview.keytable import KeyTable

KEYS = st.lists(st.integers(0, 2**64 - 1), unique=True, max_size=300)


@settings(deadline=None)  # each example takes under a millisecond; a busy machine pausing one is no failure
@given(KEYS, KEYS)
def test_finds_every_key_added_in_any_order_and_nothing_else(first, second):
    second = [k for k in second if k not in set(first)]
    table = KeyTable(np.array(first, dtype=np.uint64))
    table.add(np.array(second + first[:5], dtype=np.uint64))  # keys already held are not added again
    keys = first + second
    assert table.keys.tolist() == keys
    found = table.find(np.array(keys, dtype=np.uint64))
    assert found.tolist() == list(range(len(keys)))
    absent = [k ^ 0x5555 for k in keys if k ^ 0x5555 not in set(keys)]
    assert (table.find(np.array(absent, dtype=np.uint64)) == -1).all()


def test_grows_and_survives_pickling():
    rng = np.random.default_rng(7)
    keys = np.unique(rng.integers(0, 2**63, 50_000, dtype=np.uint64))
    table = KeyTable()
    for part in np.array_split(keys, 9):
        table.add(part)
    assert 2 * len(table) <= len(table.slot_keys)  # at most half full
    again = pickle.loads(pickle.dumps(table))
    queries = rng.choice(keys, 10_000)
    assert (keys[again.find(queries)] == queries).all()


def test_key_zero_is_a_key_like_any_other():
    table = KeyTable(np.array([5, 0, 21], dtype=np.uint64))
    assert table.find(np.array([0, 21, 7], dtype=np.uint64)).tolist() == [1, 2, -1]
    assert KeyTable().find(np.array([0], dtype=np.uint64)).tolist() == [-1]
