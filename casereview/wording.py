"""Words for people to read: a count that agrees with its noun."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 note', '0 notes', '2 case files'; ``plural`` for a noun not made plural with an s ('entities')."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
