"""Names people give the tool (a reviewer's, an audit's), and the ids and coded values of notes they import: one
line of printable text, as every table, header, status line and report shows them."""

from __future__ import annotations

import unicodedata

from .errors import CaseReviewError

#: Unicode's line and paragraph separators, which end a line as a line break does (general categories Zl, Zp).
_LINE_SEPARATORS = ("Zl", "Zp")
_LINE_BREAKS = "\n\r\x0b\x0c\x85"


#: Why such a character is refused, said after it: the rule, as every table, header and report shows a name or an id.
ONE_LINE = "one line of printable text, as tables, headers and reports show it"


def unprintable_character(value: str) -> str | None:
    """What ``value`` holds that is not one line of printable text, named by its code point and place, never
    printed ("a line break (U+000A, character 6)"); None if it is one line of printable text. A line break splits
    it over two rows of a table or the review header, a tab misaligns them, and an escape character reaches the
    terminal as a command (colours, its title, clearing the screen). Letters of any script, spaces and punctuation
    are printable."""
    for position, char in enumerate(value, 1):
        category = unicodedata.category(char)
        if category == "Cc" or category in _LINE_SEPARATORS:
            what = ("a line break" if char in _LINE_BREAKS or category in _LINE_SEPARATORS
                    else "a tab" if char == "\t" else "a control character")
            return f"{what} (U+{ord(char):04X}, character {position})"
    return None


def check_name(name: str, option: str) -> str:
    """``name`` as given, if it is one line of printable text; else a :class:`CaseReviewError` naming ``option``
    (``--reviewer``, ``$CASEREVIEW_REVIEWER``...) and the character (:func:`unprintable_character`)."""
    if (character := unprintable_character(name)) is not None:
        raise CaseReviewError(f"{option}: the name holds {character}: a name is {ONE_LINE}")
    return name


def check_given_name(name: str, source: str) -> str:
    """``name`` as given (:func:`check_name`, naming ``source``), unless blank: a reviewer shown as nobody."""
    if not name.strip():
        raise CaseReviewError(f"{source}: the name is blank; give a name (e.g. --reviewer ann)")
    return check_name(name, source)
