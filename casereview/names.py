"""Names people give the tool (a reviewer's, an audit's), and the ids and coded values of notes they import: one
line of printable text, as every table, header, status line and report shows them."""

from __future__ import annotations

import unicodedata

from .errors import CaseReviewError

#: Unicode's line and paragraph separators, which end a line as a line break does (general categories Zl, Zp).
_LINE_SEPARATORS = ("Zl", "Zp")
_LINE_BREAKS = "\n\r\x0b\x0c\x85"
#: Unicode's bidirectional controls (format characters, category Cf): embeddings and overrides (U+202A-U+202E),
#: isolates (U+2066-U+2069) and marks (U+200E, U+200F, U+061C). One reorders what follows it on the screen, so a
#: table or report shows an id or name other than the one stored ("Trojan Source").
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Zero-width non-joiner and joiner. Persian writes a non-joiner inside words and names (Mehr-angiz), Indic scripts
#: a joiner or non-joiner after a virama to choose a letter's form, and an emoji sequence joins its pictures with a
#: joiner: a name in those scripts needs them. Between Latin letters, or at either end, one shows nothing and makes
#: "ann" and "a" U+200D "nn" two reviewers who look the same; an id never needs one (it is typed to find a note).
_JOINERS = frozenset("\u200c\u200d")
#: Lone surrogates Python reads bytes that are not UTF-8 as (an argument, a variable: "surrogateescape").
_UNDECODED = range(0xDC80, 0xDD00)


#: Why such a character is refused, said after it: the rule, as every table, header and report shows a name or an id.
ONE_LINE = "one line of printable text, as tables, headers and reports show it"


def unprintable_character(value: str, joiners: bool = False) -> str | None:
    """What ``value`` holds that is not one line of printable text, named by its code point and place, never
    printed ("a line break (U+000A, character 6)"); None if it is one line of printable text. A line break splits
    it over two rows of a table or the review header, a tab misaligns them, and an escape character reaches the
    terminal as a command (colours, its title, clearing the screen). A format character (category Cf) is not shown
    itself but changes what is: a bidirectional control reorders the text, a zero-width one makes two values that
    look the same; with ``joiners`` (a person's name), a zero-width joiner or non-joiner between two letters, marks or
    symbols beyond ASCII is kept (:data:`_JOINERS`). A lone surrogate (bytes that are not UTF-8, a JSON "\\ud800") is
    no text at all. Letters of any script, spaces and punctuation are printable."""
    if value.isprintable():  # every category refused below is unprintable to Python: most values end here, in C
        return None
    for position, char in enumerate(value, 1):
        category = unicodedata.category(char)
        if category == "Cc" or category in _LINE_SEPARATORS:
            what = ("a line break" if char in _LINE_BREAKS or category in _LINE_SEPARATORS
                    else "a tab" if char == "\t" else "a control character")
        elif category == "Cs":
            if (byte := undecoded_byte(char)) is not None:
                return f"a byte that is not UTF-8 (0x{byte:02X}, character {position})"
            what = "a lone surrogate"
        elif category == "Cf":
            if joiners and char in _JOINERS and _joins(value, position - 1):
                continue
            what = "a bidirectional control" if char in _BIDI_CONTROLS else "an invisible format character"
        else:
            continue
        return f"{what} (U+{ord(char):04X}, character {position})"
    return None


def undecoded_byte(char: str) -> int | None:
    """The byte that is not UTF-8 which Python read as ``char`` (a lone surrogate, "surrogateescape"), if it is one."""
    return ord(char) - 0xDC00 if ord(char) in _UNDECODED else None


def _joins(value: str, index: int) -> bool:
    """Whether the joiner at ``value[index]`` stands between two letters, marks or symbols beyond ASCII."""
    def joinable(char: str) -> bool:
        return not char.isascii() and unicodedata.category(char)[0] in "LMS"

    return 0 < index < len(value) - 1 and joinable(value[index - 1]) and joinable(value[index + 1])


def escaped(value: str) -> str:
    """``value`` with each character :func:`unprintable_character` names written as its escape (``\\x1b``,
    ``\\u202e``): a field or column name read from a file, shown in a message as it can be typed, never acted on
    by the terminal."""
    if value.isprintable():  # as in unprintable_character: most values end here, in C (an error a row: 100,000)
        return value
    return "".join(char.encode("unicode_escape").decode("ascii") if unprintable_character(char) else char
                   for char in value)


#: The longest name: a reviewer's, an audit's, or ``import:`` and the file name an import's labels are recorded under
#: (a file name takes up to 255 bytes). Longer, it is a shifted file's cell: a comment, or note text.
MAX_NAME_CHARS = 300


def sentences_in(value: str) -> int | None:
    """How many words ``value`` has if it reads as sentences: five words or more, one of them a word or number with
    no capital ending a sentence ("today.", "12/03/2024." but not "St." or "Rd."); None if it does not. Such a value
    in a field of ids or names is note text or a comment, which no message quotes."""
    words = value.split()
    if len(words) >= 5 and any(w[-1] in ".!?" and len(w) > 2 and w[-2].isalnum() and w == w.lower()
                               for w in words):
        return len(words)
    return None


def name_problem(name: str) -> str | None:
    """What keeps ``name`` from being a name, never quoting it: a character that is not one line of printable text
    (a joiner kept where a script needs it, :func:`unprintable_character`), more than :data:`MAX_NAME_CHARS`, or
    sentences (a shifted CSV's comment cell merged as a reviewer was printed by merge and every report as one)."""
    if (character := unprintable_character(name, joiners=True)) is not None:
        return f"the name holds {character}: a name is {ONE_LINE}"
    if len(name) > MAX_NAME_CHARS:
        return f"the name has {len(name):,} characters, more than the {MAX_NAME_CHARS} a name takes: {NOT_A_NAME}"
    if (words := sentences_in(name)) is not None:
        return f"the name reads as sentences ({words} words): {NOT_A_NAME}"
    return None


NOT_A_NAME = "a name is a few words, not a comment or note text"


def check_name(name: str, option: str) -> str:
    """``name`` as given, if it is a name (:func:`name_problem`); else a :class:`CaseReviewError` naming ``option``
    (``--reviewer``, ``$CASEREVIEW_REVIEWER``...) and what is wrong."""
    if (problem := name_problem(name)) is not None:
        raise CaseReviewError(f"{option}: {problem}")
    return name


def check_given_name(name: str, source: str) -> str:
    """A reviewer's ``name`` without the white space around it (" ann" is ann, as ``assign --reviewers`` reads it:
    one person is one reviewer), checked (:func:`check_name`, naming ``source``), unless blank: a reviewer shown as
    nobody."""
    name = name.strip()
    if not name:
        raise CaseReviewError(f"{source}: the name is blank; give a name (e.g. --reviewer ann)")
    return check_name(name, source)
