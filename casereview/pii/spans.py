"""Non-overlapping character spans chosen one by one: each check is a bisection, not a pass over every span
chosen so far (which made a long note with thousands of candidate names take minutes)."""

from __future__ import annotations

import bisect


class DisjointSpans:
    """Spans ``[start, end)`` that do not overlap, kept in order (so their ends are in order too)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a span already added."""
        before = bisect.bisect_left(self._starts, end)  # the spans starting before `end`: the last ends furthest
        return before > 0 and self._ends[before - 1] > start

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none already added (check with :meth:`overlaps`)."""
        at = bisect.bisect_left(self._starts, start)
        self._starts.insert(at, start)
        self._ends.insert(at, end)
