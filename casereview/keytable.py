"""A hash table of uint64 keys searched with numpy: a whole batch of lookups in a few gathers.

Feature keys and word forms are 64-bit hashes; looking up the tens of thousands in
a batch one by one in Python, or by sorted search, would cost more than the model.
Open addressing with linear probing, kept at most half full.
"""

from __future__ import annotations

import numpy as np

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


class KeyTable:
    """uint64 keys -> their position in insertion order."""

    def __init__(self, keys: np.ndarray | None = None):
        self.keys = np.zeros(0, dtype=np.uint64)
        self._allocate(16)
        if keys is not None and len(keys):
            self.add(np.asarray(keys, dtype=np.uint64))

    def __len__(self) -> int:
        return len(self.keys)

    def __getstate__(self):
        return {"keys": self.keys}  # the slots are rebuilt on load

    def __setstate__(self, state):
        self.__init__(state["keys"])

    def _allocate(self, size: int) -> None:
        bits = max(4, int(np.ceil(np.log2(size))))
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.slot_keys = np.zeros(1 << bits, dtype=np.uint64)
        self.slot_index = np.full(1 << bits, -1, dtype=np.int64)

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _MULTIPLIER) >> self.shift).astype(np.int64)

    def add(self, new: np.ndarray) -> None:
        """Append keys not yet in the table (``new`` must hold distinct keys)."""
        new = np.asarray(new, dtype=np.uint64)
        new = new[self.find(new) < 0]
        if not len(new):
            return
        start = len(self.keys)
        self.keys = np.concatenate([self.keys, new])
        if 2 * len(self.keys) > len(self.slot_keys):  # grow: re-place every key
            self._allocate(4 * len(self.keys))
            start = 0
        self._place(np.arange(start, len(self.keys)))

    def _place(self, pending: np.ndarray) -> None:
        position = self._home(self.keys[pending])
        while len(pending):  # round by round; a taken slot sends a key on to the next one
            free = self.slot_index[position] < 0
            _, first = np.unique(position[free], return_index=True)
            placed = np.flatnonzero(free)[first]
            self.slot_keys[position[placed]] = self.keys[pending[placed]]
            self.slot_index[position[placed]] = pending[placed]
            waiting = np.ones(len(pending), dtype=bool)
            waiting[placed] = False
            pending, position = pending[waiting], (position[waiting] + 1) & self.mask

    def find(self, queries: np.ndarray) -> np.ndarray:
        """Position of each query among the keys, -1 where absent."""
        queries = np.asarray(queries, dtype=np.uint64)
        position = self._home(queries)
        index = self.slot_index[position]
        taken = index >= 0
        hit = taken & (self.slot_keys[position] == queries)
        found = np.where(hit, index, -1)
        pending = np.flatnonzero(taken & ~hit)  # collided: probe on
        while len(pending):
            position[pending] = (position[pending] + 1) & self.mask
            slot = position[pending]
            index = self.slot_index[slot]
            hit = (index >= 0) & (self.slot_keys[slot] == queries[pending])
            found[pending[hit]] = index[hit]
            pending = pending[(index >= 0) & ~hit]
        return found
