"""Words for people to read: a count that agrees with its noun, and counts of named things in a line."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 note', '0 notes', '2 case files'; ``plural`` for a noun not made plural with an s ('entities')."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def agree(n: int, one: str, many: str) -> str:
    """The word that agrees with a count of ``n``: agree(n, "is", "are"), agree(n, "it", "them")."""
    return one if n == 1 else many


def tally(counts: dict[str, int]) -> str:
    """Named counts in words: ``{"train": 7581, "dev": 1592}`` -> '7,581 train, 1,592 dev'."""
    return ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in counts.items())


def size(n_bytes: int) -> str:
    """A file's size in words, in decimal units as ``du --si``: '0 bytes', '1 byte', '17 kB', '3.5 MB', '1.2 GB'."""
    if n_bytes < 1000:
        return count(n_bytes, "byte")
    for unit in ("kB", "MB", "GB"):
        n_bytes /= 1000
        if n_bytes < 999.95 or unit == "GB":
            return f"{n_bytes:.0f} {unit}" if n_bytes >= 99.5 else f"{n_bytes:.1f} {unit}"
    raise AssertionError("unreachable")
