"""Words for people to read: a count that agrees with its noun, counts of named things in a line, shares and
measured figures."""

from __future__ import annotations

import datetime as dt
import re


def number(n: int) -> str:
    """A count as people read it, thousands apart: '7', '1,706', '10,879' (every count a command or the UI shows)."""
    return f"{n:,}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 note', '0 notes', '2 case files', '1,706 notes'; ``plural`` for a noun not made plural with an s
    ('entities')."""
    return f"{number(n)} {noun if n == 1 else plural or noun + 's'}"


def position(n: int, total: int) -> str:
    """A place among ``total`` as people read it: '3 of 229', '1 of 10,879' (a note's place in its queue or case file).
    '3/229' read aloud as a fraction or a date, and its counts were not written thousands apart as every other is."""
    return f"{number(n)} of {number(total)}"


def part(n: int, total: int, noun: str, plural: str | None = None) -> str:
    """Some of a whole counted: '197 of 200 notes', '1 of 1 note', '7 of 1,387 case files' (not '197/200 notes')."""
    return f"{number(n)} of {count(total, noun, plural)}"


def of_the(n: int, total: int, noun: str, plural: str | None = None) -> str:
    """Some of a whole already named, in a sentence: '2 of the 5 case files', 'the only case file' (1 of 1), 'both
    case files', 'all 5 notes', 'none of the 5 notes', 'neither of the 2 notes', 'no note' (0 of 1). A report read "1
    of the 1 case file ... was read in part" and "in 0 of 1 note read"; the verb after it agrees with ``n``
    (:func:`agree`). A sentence saying where something was found reads :func:`found_in`."""
    many = plural or noun + "s"
    if n == 0:
        if total < 2:
            return f"no {noun if total == 1 else many}"
        return f"neither of the 2 {many}" if total == 2 else f"none of the {number(total)} {many}"
    if n == total == 1:
        return f"the only {noun}"
    if n == total:
        return f"both {many}" if total == 2 else f"all {number(total)} {many}"
    return f"{number(n)} of the {number(total)} {many}"


def found_in(n: int, total: int, noun: str, plural: str | None = None) -> str:
    """Where something was found among a whole, the whole always said: 'in 2 of the 5 notes', 'in the only note',
    'in both notes', 'in all 5 notes', 'in none of the 5 notes', 'in neither of the 2 notes', and, found in none of
    one, 'not in the only note' (a report's headline read "in 0 of 1 note read")."""
    if n == 0 and total == 1:
        return f"not in the only {noun}"
    return f"in {of_the(n, total, noun, plural)}"


def opening(text: str) -> str:
    """``text`` to open a sentence: its first letter a capital, the rest as written ("2 of the 5 case files",
    "The only case file"); ``str.capitalize`` would lower the rest."""
    return text[:1].upper() + text[1:]


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


def when_saved(stamp: str, today: dt.date | None = None) -> str:
    """When something was saved (a decision's ``created_at``, UTC ISO 8601), in local time, short: '14:02' today, else
    '2026-11-27' (a date as the note's comments give theirs)."""
    local = dt.datetime.fromisoformat(stamp).astimezone()
    return f"{local:%H:%M}" if local.date() == (today or dt.date.today()) else local.date().isoformat()


#: A dispute across the workspace (and so in `export labels` and `retrain`): an import's labels are
#: decisions of reviewer ``import:<file>``, so a reviewer overturning one disputes it. Written here, not in
#: agreement, so that a labels export's wording does not import numpy into every command's start-up.
WORKSPACE_DISPUTES = "labels reviewers decided differently, an imported label counting as a reviewer's"


#: How the model's reasons name a number (the model reads "2nd", "second", "28/11" and "3" alike: spaCy's like_num).
A_NUMBER = "a number"
_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                 "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
                 "million once twice first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
                 "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
#: a number as a note writes it: digits (a date's "28/11", a time's "10:30", "1,200", an ordinal's "2nd"), or a word
_WRITTEN_NUMBER = r"(?<![\w/])(\d(?:[\d,./:]*\d)?(?:st|nd|rd|th)?|" + "|".join(_NUMBER_WORDS) + r")(?![\w/])"


def as_written(term: str, sentence: str) -> str:
    """One of the model's reasons (``model.ShownTerms``) with each number in it as ``sentence``, the evidence sentence it
    was found in, writes it: "the a number time" -> "the 2nd time", "was a number" -> "was 28/11" ("the a number time"
    read as a fault). Where the reason's other words do not find it there as written (the model reads "TM" as "team
    manager"), the sentence's one number if it has one. A number alone, of a sentence with several, is each of them
    (the model counts them all): "a number (third, 17)", the first few, where "a number" alone read as "several"
    and pointed at nothing in the note ("his third exclusion since 17"). Otherwise, and negated (some of them, which
    the sentence does not tell), the reason as it is."""
    core = term.removesuffix(" (negated)")
    chunks = _A_NUMBER.split(core)
    if len(chunks) == 1:
        return term
    literal = [r"\W*".join(rf"(?<!\w){re.escape(word)}(?!\w)" if word[:1].isalnum() and word[-1:].isalnum()
                           else re.escape(word) for word in chunk.split()) for chunk in chunks]
    slots = [_WRITTEN_NUMBER] * (len(literal) - 1) + [""]
    pattern = re.compile(r"\W*".join(part for pair in zip(literal, slots) for part in pair if part), re.IGNORECASE)
    found = [m.groups() for m in pattern.finditer(sentence)]
    if not found and len(chunks) == 2:  # its words written otherwise ("TM"): the number, if the sentence has one
        found = [(number,) for number in _numbers_in(sentence)]
        found = found if len(found) == 1 else []
    if not found:
        return term
    if len(found) > 1 and not any(literal):  # a number alone: any of the sentence's
        numbers = _numbers_in(sentence)
        if len(numbers) > 1:
            if core != term:
                return term
            return f"{A_NUMBER} ({', '.join(numbers[:_NUMBERS_SHOWN])}{', …' if len(numbers) > _NUMBERS_SHOWN else ''})"
        found = [(numbers[0],)]
    numbers = iter(found[0])
    return _A_NUMBER.sub(lambda _: next(numbers), core) + term[len(core):]


def _numbers_in(sentence: str) -> list[str]:
    """The numbers ``sentence`` writes, each once, in order."""
    return list(dict.fromkeys(m.group(1) for m in re.finditer(_WRITTEN_NUMBER, sentence, re.IGNORECASE)))


#: the numbers a reason of a number alone shows of its sentence's
_NUMBERS_SHOWN = 3


_A_NUMBER = re.compile(rf"(?<!\w){A_NUMBER}(?!\w)")
