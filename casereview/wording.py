"""Words for people to read: a count that agrees with its noun, counts of named things in a line, shares and
measured figures."""

from __future__ import annotations


def number(n: int) -> str:
    """A count as people read it, thousands apart: '7', '1,706', '10,879' (every count a command or the UI shows)."""
    return f"{n:,}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 note', '0 notes', '2 case files', '1,706 notes'; ``plural`` for a noun not made plural with an s
    ('entities')."""
    return f"{number(n)} {noun if n == 1 else plural or noun + 's'}"


def agree(n: int, one: str, many: str) -> str:
    """The word that agrees with a count of ``n``: agree(n, "is", "are"), agree(n, "it", "them")."""
    return one if n == 1 else many


def tally(counts: dict[str, int]) -> str:
    """Named counts in words: ``{"train": 7581, "dev": 1592}`` -> '7,581 train, 1,592 dev'."""
    return ", ".join(f"{number(n)} {name.replace('_', ' ')}" for name, n in counts.items())


def size(n_bytes: int) -> str:
    """A file's size in words, in decimal units as ``du --si``: '0 bytes', '1 byte', '17 kB', '3.5 MB', '1.2 GB'."""
    if n_bytes < 1000:
        return count(n_bytes, "byte")
    for unit in ("kB", "MB", "GB"):
        n_bytes /= 1000
        if n_bytes < 999.95 or unit == "GB":
            return f"{n_bytes:.0f} {unit}" if n_bytes >= 99.5 else f"{n_bytes:.1f} {unit}"
    raise AssertionError("unreachable")


def figure_text(value: float | None) -> str:
    """A precision, recall or F1 to three places; '–' where there is none (nothing to find, or nothing suggested)."""
    return "–" if value is None else f"{value:.3f}"


def percent(share: float | None) -> str:
    """A share as a whole percent, '37%' ('–' for none). A share that is neither none nor all never reads '0%' or
    '100%' but '<1%' or '>99%': in a weighted sample 14 of 15 can round to 100%, and a letter quoting it says all."""
    if share is None:
        return "–"
    text = _whole_percent(share)
    if 0 < share < 1 and text in ("0%", "100%"):
        return "<1%" if share < 0.5 else ">99%"
    return text


def percent_range(low: float | None, high: float | None) -> str:
    """An interval's bounds as whole percents, '21%–100%': a bound is rounded as it is ('<1%' would read as a share)."""
    return "–" if low is None or high is None else f"{_whole_percent(low)}–{_whole_percent(high)}"


def _whole_percent(share: float) -> str:
    return f"{100 * share:.0f}%"


#: A dispute across the workspace (and so in `export labels` and `retrain`): an import's labels are
#: decisions of reviewer ``import:<file>``, so a reviewer overturning one disputes it. Written here, not in
#: agreement, so that a labels export's wording does not import numpy into every command's start-up.
WORKSPACE_DISPUTES = "labels reviewers decided differently, an imported label counting as a reviewer's"
