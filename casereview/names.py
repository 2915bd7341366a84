"""Names people give the tool (a reviewer's, an audit's): one line of printable text, as every table, header,
status line and report shows them."""

from __future__ import annotations

import unicodedata

from .errors import CaseReviewError

#: Unicode's line and paragraph separators, which end a line as a line break does (general categories Zl, Zp).
_LINE_SEPARATORS = ("Zl", "Zp")
_LINE_BREAKS = "\n\r\x0b\x0c\x85"


def check_name(name: str, option: str) -> str:
    """``name`` as given, if it is one line of printable text; else a :class:`CaseReviewError` naming ``option``
    (``--reviewer``, ``$CASEREVIEW_REVIEWER``...) and the character, by its code point, never printed: a line break
    splits the name over two rows of a table or the review header, a tab misaligns them, and an escape character
    reaches the terminal as a command (colours, its title). Letters of any script, spaces and punctuation are kept."""
    for position, char in enumerate(name, 1):
        category = unicodedata.category(char)
        if category == "Cc" or category in _LINE_SEPARATORS:
            what = ("a line break" if char in _LINE_BREAKS or category in _LINE_SEPARATORS
                    else "a tab" if char == "\t" else "a control character")
            raise CaseReviewError(f"{option}: the name holds {what} (U+{ord(char):04X}, character {position}): "
                                  "a name is one line of printable text, as tables, headers and reports show it")
    return name
