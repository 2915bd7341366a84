"""The note record, its validation, and readers for JSON Lines, CSV and text folders.

Readers yield ``(line, raw_dict)`` pairs; :func:`validate` turns a raw dict into a
:class:`Note` or raises :class:`InputError` naming file, line and field. No
message ever quotes note text.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import itertools
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .dates import check_date_format, date_and_time, is_midnight, read_date, time_of_day
from .errors import CaseReviewError, InputError, UnknownValueError, UnreadableRestError
from .names import ONE_LINE, escaped, sentences_in, unprintable_character
from .taxonomy import AUTHOR_ROLES, LABEL_NAMES, NOTE_TYPES
from .wording import count

MAX_TEXT_BYTES = 1_000_000
#: The codebook's fields, and ``time``: the note's time of day, where its source gave one, beside its ISO date.
CORE_FIELDS = ("note_id", "text", "case_id", "date", "time", "author_role", "note_type")
LABEL_FIELDS = ("labels", "unreviewed")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv",)  # tab-separated files are read as CSV files too, named .csv: the delimiter is found
_ABSENT = object()  # a field a note does not have (differs from any value, None too)
#: Fields beyond the codebook's that the tool shows as names (``team``: sample strata, reports' breakdowns): one
#: line of printable text, as its ids are (:func:`one_line`). Other fields are kept as they came: no screen, table
#: or report shows them, and exports give them back exactly (a corpus's ``origin``, which ``train --cv origin``
#: prints, is checked by the corpus).
SHOWN_EXTRA_FIELDS = ("team",)
#: The most characters each shown field takes: an id (a case management system's reference, a pseudonym's hash with
#: a prefix; the sample corpora's longest is 14), a coded value in words, a team's name. A CMS export's narrative
#: column mapped to one by mistake (``--map Narrative=case_id``) would be stored as ids that ``sample``, ``audits``,
#: reports and the review UI print, none of them treating it as note text.
MAX_FIELD_CHARS = {"note_id": 200, "case_id": 100, "author_role": 100, "note_type": 100, "team": 100}
#: Said of a value in a short field that reads as a note's text: the likeliest cause is a mis-mapped column.
NOTE_TEXT_HINT = "is this the note text column?"


@dataclass
class Note:
    note_id: str
    text: str
    case_id: str | None = None
    date: str | None = None
    author_role: str | None = None
    note_type: str | None = None
    #: None: no labels given (no decisions); a list: the note is fully labelled.
    labels: list[str] | None = None
    #: labels left undecided in a ``labels`` export; they get no decision on import.
    unreviewed: list[str] = field(default_factory=list)
    #: any other fields (origin, evidence, team...), kept and exported as they came.
    extra: dict[str, Any] = field(default_factory=dict)
    #: the time of day of ``date`` (HH:MM or HH:MM:SS), where the source gave one: it orders a day's notes.
    time: str | None = None
    #: coded fields' values as the file gave them, where a value map replaced them (``{"note_type": "Telephone
    #: Call"}``): no part of the note's content, and written by no export (they are imported again as the codebook's)
    source_values: dict[str, str] = field(default_factory=dict)

    def shown_coded(self, name: str) -> str | None:
        """A coded field's value as people read it: the codebook's, with the file's own after it where a value map
        read it ("contact (Telephone Call)")."""
        value = getattr(self, name)
        given = self.source_values.get(name)
        return f"{value} ({given})" if value is not None and given is not None else value

    @property
    def content_hash(self) -> str:
        """Hash of everything that defines the note's content (not its labels).

        The time is hashed as one of the other fields: so it was before schema 9 read it (a CSV file's ``time``
        column), and the same note must hash the same, or its file would import again as changed."""
        extra = self.extra if self.time is None else {**self.extra, "time": self.time}
        payload = json.dumps(
            [getattr(self, f) for f in CORE_FIELDS if f != "time"] + [extra], sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def when(self) -> str | None:
        """The note's date, with its time to the minute where it has one (``2024-03-12 09:30``), as screens show it."""
        return date_and_time(self.date, self.time)

    def fields_differing_from(self, other: Note) -> list[str]:
        """The names of the fields whose values differ from ``other``'s (its content, not its labels), in schema order."""
        extra = sorted(set(self.extra) | set(other.extra))
        return ([f for f in CORE_FIELDS if getattr(self, f) != getattr(other, f)]
                + [k for k in extra if self.extra.get(k, _ABSENT) != other.extra.get(k, _ABSENT)])

    def to_record(self, with_labels: bool = True) -> dict[str, Any]:
        """The note as a codebook-schema dict (optional fields only when present)."""
        record: dict[str, Any] = {"note_id": self.note_id, "text": self.text}
        for name in CORE_FIELDS[2:]:
            if getattr(self, name) is not None:
                record[name] = getattr(self, name)
        record.update(self.extra)
        if with_labels and self.labels is not None:
            record["labels"] = list(self.labels)
            if self.unreviewed:
                record["unreviewed"] = list(self.unreviewed)
        return record


def _optional_str(raw: dict, name: str, source: str, line: int) -> str | None:
    """An optional id or coded value; white space around it is not part of it (a padded cell, "C1 ", made a case
    file of its own), and a value of white space alone is absent."""
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(source, line, name, f"must be a string, not {type(value).__name__}")
    return one_line(value.strip(), name, source, line) or None


def one_line(value: str, name: str, source: str, line: int) -> str:
    """``value``, if it is one line of printable text; else its row's error, naming the character by its code point:
    an id, coded value or team is printed by commands (``sample``, errors naming a note), tables and reports, and
    an export from another system may hold an escape sequence that would reach the terminal as a command. A field
    of :data:`MAX_FIELD_CHARS` is short too, and an id does not read as sentences (:func:`_note_text_in`)."""
    if (character := unprintable_character(value)) is not None:
        raise InputError(source, line, name, f"holds {character}: this field is {ONE_LINE}")
    if (problem := _note_text_in(value, name)) is not None:
        raise InputError(source, line, name, problem)
    return value


def _note_text_in(value: str, name: str) -> str | None:
    """Why ``value`` cannot be field ``name``'s, if it is longer than :data:`MAX_FIELD_CHARS` allows it, or is an id
    of five words or more, one of them a lower-case word ending a sentence ("today." but not "St." or "Rd."): note
    text, which the message never quotes; None if it can be."""
    if len(value) > MAX_FIELD_CHARS.get(name, len(value)):
        hint = f": {NOTE_TEXT_HINT}" if len(value.split()) >= 5 else ""
        return f"{count(len(value), 'character')}, more than the {MAX_FIELD_CHARS[name]} this field takes{hint}"
    if name in ("note_id", "case_id") and (words := sentences_in(value)) is not None:
        return f"reads as sentences ({count(words, 'word')}), not an id: {NOTE_TEXT_HINT}"
    return None


_WORD_BREAKS = re.compile(r"[\s_-]+")


@dataclass(frozen=True)
class CodedField:
    """A note field whose values are the codebook's closed set ``known``; ``what`` names one value in messages."""

    name: str
    known: tuple[str, ...]
    what: str


#: The fields whose values the codebook lists: the ones whose other values ``--map-value`` maps.
CODED_FIELDS = {field.name: field for field in (CodedField("author_role", AUTHOR_ROLES, "author role"),
                                                CodedField("note_type", NOTE_TYPES, "note type"))}


def coded_key(value: str) -> str:
    """``value`` as coded values are compared: case, white space, hyphens and underscores aside ("Home  Visit",
    "home-visit" and home_visit are one)."""
    return _WORD_BREAKS.sub("_", value.strip().casefold())


def codebook_value(name: str, value: str) -> str | None:
    """The codebook's value of coded field ``name`` that ``value`` is, as the codebook writes it or in words as a
    case management system shows it ("Social Worker", "home visit", "IRO"), which is the same value, not a guess;
    None if it is none of them."""
    known = CODED_FIELDS[name].known
    if value in known:
        return value
    return spelled if (spelled := coded_key(value)) in known else None


#: The longest value an error or ``--list-values`` quotes, in characters and words: a coded value is a few words
#: ("Section 47 Strategy Meeting"); a longer one is likely note text in a column mapped by mistake.
SHOWN_VALUE_CHARS, SHOWN_VALUE_WORDS = 40, 5


@functools.lru_cache(maxsize=1024)  # a file's unknown values repeat, row after row
def shown_value(value: str) -> bool:
    """Whether a coded field's ``value`` may be quoted in messages: short and few words, no sentence in it, not more
    than four digits (a date, a phone or NHS number, an id) and nothing the personal-data patterns find in it. A
    value that is not may be note text or personal data from a column mapped by mistake; it is described instead."""
    words = value.split()
    if len(value) > SHOWN_VALUE_CHARS or len(words) > SHOWN_VALUE_WORDS or sum(c.isdigit() for c in value) > 4:
        return False
    if any(w[-1] in ".!?" and len(w) > 2 and w[:-1].isalpha() and w[:-1].islower() for w in words):
        return False
    from .pii.patterns import structured  # only once a value is to be shown: the package loads numpy

    return not structured(value)


def _coded(raw: dict, name: str, source: str, line: int) -> str | None:
    """An author role or note type (:func:`codebook_value`); any other value is its row's
    :class:`UnknownValueError`, quoting the value only where :func:`shown_value`."""
    value = _optional_str(raw, name, source, line)
    if value is None:
        return None
    if (known := codebook_value(name, value)) is not None:
        return known
    coded = CODED_FIELDS[name]
    raise UnknownValueError(source, line, name, value, shown_value(value), coded.what, coded.known)


def _coded_fields(raw: dict, source: str, line: int) -> list[str | None]:
    """The row's author role and note type (:func:`_coded`); both unknown, the first's error carries the other's."""
    values: list[str | None] = []
    unknown: list[UnknownValueError] = []
    for name in CODED_FIELDS:
        try:
            values.append(_coded(raw, name, source, line))
        except UnknownValueError as error:
            unknown.append(error.with_traceback(None))
    if not unknown:
        return values
    error, error.others = unknown[0], unknown[1:]
    try:
        raise error
    finally:  # the error kept (a rejected row's) holds no cycle through this frame for the collector to find
        del error, unknown


def _label_list(raw: dict, name: str, source: str, line: int) -> list[str] | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, str):  # CSV: "a;b" or a JSON list
        value = value.strip()
        if value.startswith("["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise InputError(source, line, name, "not a valid JSON list") from None
        else:
            value = [v.strip() for v in value.replace("|", ";").split(";") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(source, line, name, "must be a list of label names")
    if any(v not in LABEL_NAMES for v in value):
        # Never the value: a mis-mapped column puts note text here.
        raise InputError(source, line, name, f"unknown label; known: {', '.join(LABEL_NAMES)}")
    if len(set(value)) != len(value):
        raise InputError(source, line, name, "a label is listed twice")
    return value


def validate(raw: Any, source: str, line: int, date_format: str | None = None, midnight: str = "time") -> Note:
    """Check one raw record against the codebook's note schema; its date is read in ``date_format`` (a strptime
    format, ``--date-format``; None: an ISO date) and stored as an ISO date; a time of 00:00, in it or in a time
    field, is midnight, or no time where ``midnight`` is "date-only" (``--midnight``)."""
    if not isinstance(raw, dict):
        raise InputError(source, line, None, "a note must be a JSON object")
    note_id = raw.get("note_id")
    if note_id is None or note_id == "":
        raise InputError(source, line, "note_id", "missing")
    if isinstance(note_id, int) and not isinstance(note_id, bool):
        note_id = str(note_id)
    if not isinstance(note_id, str):
        raise InputError(source, line, "note_id", f"must be a string, not {type(note_id).__name__}")
    note_id = note_id.strip()  # as _optional_str: "r1 " is r1
    if not note_id:
        raise InputError(source, line, "note_id", "empty")
    one_line(note_id, "note_id", source, line)
    text = raw.get("text")
    if text is None:
        raise InputError(source, line, "text", "missing")
    if not isinstance(text, str):
        raise InputError(source, line, "text", f"must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InputError(source, line, "text", "empty")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise InputError(source, line, "text", "contains invalid Unicode (lone surrogates)") from None
    if size > MAX_TEXT_BYTES:
        raise InputError(source, line, "text", f"over 1 MB ({size} bytes)")
    case_id = _optional_str(raw, "case_id", source, line)
    date, time = _date_and_time(raw, source, line, date_format, midnight == "date-only")
    author_role, note_type = _coded_fields(raw, source, line)
    labels = _label_list(raw, "labels", source, line)
    unreviewed = _label_list(raw, "unreviewed", source, line) or []
    if unreviewed and labels is None:
        raise InputError(source, line, "unreviewed", "given without 'labels'")
    if labels is not None and set(labels) & set(unreviewed):
        raise InputError(source, line, "unreviewed", "a label is both listed and unreviewed")
    extra = {k: v for k, v in raw.items() if k not in CORE_FIELDS and k not in LABEL_FIELDS}
    for name in SHOWN_EXTRA_FIELDS:
        if isinstance(extra.get(name), str):  # kept as it came: white space around it is not stripped
            one_line(extra[name], name, source, line)
    for name, value in extra.items():
        _check_json_value(value, name, source, line)
    return Note(note_id, text, case_id, date, author_role, note_type, labels, unreviewed, extra, time)


def _check_json_value(value: Any, name: str, source: str, line: int) -> None:
    """A field beyond the codebook's, stored as JSON: its row's error if it is no JSON value, naming it. Python's JSON
    reader takes NaN and Infinity, which SQLite's JSON functions refuse (every later query reading a note's fields,
    as ``sample``'s, failed), and a JSON escape of a lone surrogate ("\\ud800"), which is no text."""
    try:
        json.dumps({name: value}, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(source, line, name, "holds a lone surrogate, which is no text (a JSON \\ud800 escape)") from None
    except ValueError:
        raise InputError(source, line, name, f"{_non_finite(value)} is not a JSON number") from None
    except TypeError:  # a value no JSON reader makes, from a caller of validate
        raise InputError(source, line, name, "not a JSON value") from None


def _non_finite(value: Any) -> str:
    """The first NaN or infinity in ``value`` (dicts and lists, any depth) as JSON readers write it; "" if none."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((found for item in items if (found := _non_finite(item))), "")


def _date_and_time(raw: dict, source: str, line: int, date_format: str | None,
                   midnight_is_no_time: bool) -> tuple[str | None, str | None]:
    """The note's ISO date and its time of day: read from its date (in ``date_format``, or an ISO date and time)
    or from a ``time`` field; both given, they must agree. ``midnight_is_no_time``: a time of 00:00 is none."""
    date, in_date = _optional_str(raw, "date", source, line), None
    if date is not None:
        date, in_date, problem = read_date(date, date_format, midnight_is_no_time)
        if problem is not None:
            raise InputError(source, line, "date", problem)
    time = _optional_str(raw, "time", source, line)
    if time is None:
        return date, in_date
    time, problem = time_of_day(time)
    if problem is not None:
        raise InputError(source, line, "time", problem)
    if midnight_is_no_time and is_midnight(time):
        return date, in_date
    if date is None:
        raise InputError(source, line, "time", "a time of day with no date: give the note's date too")
    if in_date is not None and (in_date + ":00")[:8] != (time + ":00")[:8]:  # 09:30 is 09:30:00
        raise InputError(source, line, "time", "differs from the time in its date")
    return date, time


def note_format(path: Path) -> str | None:
    """Which reader reads a file of notes, by its name's suffix (any case): "jsonl" (:func:`read_jsonl`), "csv"
    (:func:`read_csv`), or None for any other suffix (.tsv, .txt, none)."""
    suffix = path.suffix.lower()
    return "jsonl" if suffix in JSONL_SUFFIXES else "csv" if suffix in CSV_SUFFIXES else None


def _one_of(choices: tuple[str, ...]) -> str:
    """'a, b or c'."""
    return f"{', '.join(choices[:-1])} or {choices[-1]}"


def unknown_file_type(path: Path, expected: str | None = None) -> CaseReviewError:
    """The error for a file whose name :func:`note_format` knows no reader for; ``expected``, what the command
    reads (import's by default: the suffixes :func:`note_format` knows, or a folder)."""
    expected = expected or _one_of((*JSONL_SUFFIXES, *CSV_SUFFIXES, "a folder of .txt files"))
    return CaseReviewError(f"{path}: unknown file type (expected {expected})")


def check_json_lines_file(path: Path) -> None:
    """A one-line error for a file a command reading JSON Lines only (predict, evaluate, pii) is given that is not
    JSON Lines by its name: a CSV file (read as JSON, its header would be "bad JSON at column 1") is to be
    imported; a name with another suffix is one :func:`note_format` does not know (as ``import`` says). A name
    without a suffix (a pipe: /dev/fd/63) is read as JSON Lines."""
    form = note_format(path)
    if form == "csv":
        raise CaseReviewError(f"{path}: a CSV file, and this command reads JSON Lines (one note object a line): "
                              "import it (casereview import, --map to rename columns) and run casereview tag, "
                              "or convert it to JSON Lines")
    if form is None and path.suffix:  # not import's list: a .csv file or a folder is refused here too
        raise unknown_file_type(path, f"{_one_of(JSONL_SUFFIXES)}: JSON Lines")


#: Said of a cell or field holding bytes that are not UTF-8 (an export saved as Windows-1252 or Latin-1).
NOT_UTF8 = "not UTF-8 text (the file may be Windows-1252: give --encoding cp1252, or save it as UTF-8)"
#: The same where no ``--encoding`` can be given (a corpus, UTF-8 as the tool writes one).
NOT_UTF8_SAVE = "not UTF-8 text (the file may be Windows-1252 or Latin-1: save it as UTF-8)"
_UNDECODED = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" turns undecodable bytes into
_ESCAPED_UNDECODED = re.compile(r"\\u[dD][cC][89a-fA-F][0-9a-fA-F]")  # the same written as a JSON escape


#: Byte-order marks of UTF-16, which Excel's "Unicode Text" and Windows PowerShell's ``>`` write: a file starting
#: with one is read as UTF-16 (a file without one, as UTF-8).
UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
NOT_WHOLE_UTF16 = "not whole UTF-16 text from this line on (the file starts as UTF-16 does: it may be cut short)"


def check_encoding(name: str | None) -> str | None:
    """The codec to read a file with for ``--encoding NAME`` (any name Python knows a text codec by: cp1252,
    windows-1252, latin-1...); else a one-line error. None, for no name and for UTF-8's, is the default: UTF-8 (a
    byte-order mark skipped), or UTF-16 if the file starts with its mark."""
    if name is None:
        return None
    try:
        "\n".encode(name)  # LookupError for an unknown name and for codecs that are not text (base64, rot13)
    except (LookupError, UnicodeError):
        raise CaseReviewError(f"--encoding {name!r}: no text encoding of that name (e.g. cp1252 for Windows-1252, "
                              "latin-1, utf-8)") from None
    try:  # undecodable bytes are kept for their row to report (_decode_as); codecs of domain names (idna) cannot
        b"\x80".decode(name, errors="surrogateescape")
    except UnicodeDecodeError:  # a byte it cannot keep (utf-16: an odd one at the end): the reader says where
        pass
    except (UnicodeError, TypeError, ValueError):
        raise CaseReviewError(f"--encoding {name!r}: not an encoding files are written in (e.g. cp1252 for "
                              "Windows-1252, latin-1, utf-8)") from None
    return None if codecs.lookup(name).name in ("utf-8", "utf-8-sig") else name


def _mark_problem(head: bytes, encoding: str | None) -> str | None:
    """What is wrong with reading a file starting with ``head`` in the encoding given, if it starts with a byte-order
    mark of Unicode's (as Excel's "CSV UTF-8" does) and that encoding is not one of Unicode's: read as Windows-1252,
    every "£" of its text would be stored as "Â£", silently."""
    if encoding is None or codecs.lookup(encoding).name.startswith("utf"):
        return None
    marked = "UTF-8" if head.startswith(codecs.BOM_UTF8) else "UTF-16" if head[:2] in UTF16_MARKS else None
    if marked is None:
        return None
    return f"starts with {marked}'s byte-order mark, so it is {marked} text, not {encoding}: leave out --encoding"


def _undecodable(encoding: str | None, not_utf8: str = NOT_UTF8) -> str:
    """Said of a row holding bytes the file's encoding has no character for (or only a control character);
    ``not_utf8`` is said by default (UTF-8), where what to do differs (a corpus: no --encoding to give)."""
    if encoding is None:
        return not_utf8
    if _has_c1_controls(encoding):
        return (f"not {encoding} text (bytes 0x80-0x9F are control characters in it, and curly quotes, dashes and "
                "the euro sign in Windows-1252: give --encoding cp1252)")
    return f"not {encoding} text (a byte it has no character for: check --encoding)"


def _utf8_not(encoding: str) -> str:
    """Said of a value read in a single-byte encoding whose bytes are UTF-8 text (:func:`_written_in_utf8`)."""
    return f"UTF-8 text, not {encoding}: leave out --encoding"


@functools.cache
def _single_byte(encoding: str) -> bool:
    """Whether ``encoding`` reads each byte as one character (cp1252, latin-1, mac-roman), undecodable ones kept
    as :func:`_decode_as` keeps them: a value read in it written back in it is the bytes it was read from."""
    try:
        return len(bytes(range(256)).decode(encoding, errors="surrogateescape")) == 256
    except UnicodeDecodeError:  # utf-32: four bytes a character, and not any four bytes are one (no escape for them)
        return False


def _written_in_utf8(value: str, encoding: str, file_utf8: bool = True) -> bool:
    """Whether a value read in the single-byte ``encoding`` was UTF-8 text: its bytes hold a character of more than
    one byte and are valid UTF-8. Read as cp1252, UTF-8's "\u00e9" is "\u00c3\u00a9" and its "\u00a3" "\u00c2\u00a3", silently;
    text written in cp1252 or latin-1 is hardly ever valid UTF-8 (an accented letter would have to be followed by
    a symbol, each time), but a name in capitals can be: "ZO\u00cb\u2019S" is UTF-8's "ZO\u02d2S". So in a file that is not
    UTF-8 throughout (``file_utf8`` false: the encoding given is needed), only a value that reads as Western text
    in UTF-8 (:data:`_WESTERN_TEXT`: a UTF-8 row pasted into the file) or holds a character of three or four bytes
    (an arrow, a tick, an emoji: a capital and a symbol make two bytes) is UTF-8's."""
    if value.isascii():
        return False
    try:
        text = value.encode(encoding, errors="surrogateescape").decode("utf-8")
    except UnicodeError:  # not UTF-8, or a character the file cannot have held (a JSON escape: \u0142)
        return False
    return file_utf8 or _WESTERN_TEXT.fullmatch(text) is not None or _BEYOND_TWO_BYTES.search(text) is not None


#: Text of the languages written in Latin letters: ASCII, Latin-1's letters and signs, Latin Extended-A and -B to
#: Romanian's letters (\u0142, \u0175, \u0219), punctuation (\u2019, \u2013), currency (\u20ac) and letter-like signs (\u2116),
#: what UTF-8 text garbled by a single-byte encoding reads as ("Caf\u00c3\u00a9"); not the IPA letters, modifiers and other
#: scripts that single-byte text whose bytes happen to be UTF-8 reads as ("ZO\u00cb\u2019S", "JOS\u00c9\u2019S").
_WESTERN_TEXT = re.compile("[\x00-\x7f\u00a0-\u021f\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]*")
#: A character UTF-8 writes in three or four bytes, other than Western text's: no single-byte text whose bytes happen
#: to be UTF-8 reads as one, its accented capital before a symbol making two.
_BEYOND_TWO_BYTES = re.compile("[^\x00-\u07ff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]")


def _utf8_throughout(chunks: Iterable[bytes]) -> bool:
    """Whether bytes read in ``chunks`` are UTF-8 text throughout (ASCII is)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks:
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _data_utf8(data: bytes, encoding: str | None) -> bool:
    """Whether a file's ``data`` read in ``encoding`` may be UTF-8 text (:func:`_written_in_utf8`'s ``file_utf8``):
    it is UTF-8 throughout, or is read as UTF-8 anyway."""
    if encoding is None or not _single_byte(encoding):
        return True
    view = memoryview(data)
    return _utf8_throughout(view[i : i + _CHUNK] for i in range(0, len(view), _CHUNK))


def _stream_utf8(fh: BinaryIO, encoding: str | None) -> bool:
    """:func:`_data_utf8` of the rest of a stream, read through and back where it can be (a file); one that cannot
    (a pipe) is taken to be UTF-8, so each value's bytes alone tell."""
    if encoding is None or not _single_byte(encoding) or not _seekable(fh):
        return True
    start = fh.tell()
    try:
        return _utf8_throughout(iter(lambda: fh.read(_CHUNK), b""))
    finally:
        fh.seek(start)


def _seekable(fh: BinaryIO) -> bool:
    try:
        return fh.seekable()
    except (AttributeError, OSError, ValueError):
        return False


_CHUNK = 1 << 20


@functools.cache
def _has_c1_controls(encoding: str) -> bool:
    """Whether ``encoding`` reads bytes 0x80-0x9F as control characters, as Latin-1 (ISO 8859) does: no note holds
    them, and Windows-1252, which many call Latin-1, has its curly quotes, dashes and euro sign there."""
    return b"\x93".decode(encoding, errors="replace") == "\x93"


#: Control characters 0x80-0x9F as the bytes they were read from, kept as :func:`_decode` keeps undecodable ones.
_C1_AS_UNDECODED = {code: 0xDC00 + code for code in range(0x80, 0xA0)}


def _decode_as(data: bytes, encoding: str) -> str:
    """Text in the encoding given: bytes it cannot decode, or reads as control characters 0x80-0x9F
    (:func:`_has_c1_controls`), kept as lone surrogates for the row holding them to report."""
    text = data.decode(encoding, errors="surrogateescape")
    return text.translate(_C1_AS_UNDECODED) if _has_c1_controls(encoding) else text


def _not_whole(encoding: str | None) -> str:
    """Said of the line from which a file cannot be decoded at all (a UTF-16 file cut short)."""
    return NOT_WHOLE_UTF16 if encoding is None else f"not whole {encoding} text from this line on"


def _encoding(head: bytes) -> str:
    """The codec of a file whose first bytes are ``head`` when no encoding is given."""
    return "utf-16" if head[:2] in UTF16_MARKS else "utf-8-sig"


def _decode(data: bytes, encoding: str | None = None) -> str:
    """A file's text, in ``encoding`` (:func:`check_encoding`) if given; bytes it cannot decode (by default, bytes
    that are not UTF-8) are kept (as lone surrogates) for the row holding them to report, so one bad byte rejects
    its row and names its field, not the whole file. A UTF-16 file (:data:`UTF16_MARKS`) is decoded as such; if it
    is not whole, :class:`UnicodeDecodeError` (:func:`_line_of`)."""
    if encoding is not None:
        return _decode_as(data, encoding).removeprefix("\ufeff")  # a mark it kept (utf-16-le)
    if _encoding(data) == "utf-16":
        return data.decode("utf-16")
    return data.decode("utf-8-sig", errors="surrogateescape")


def _line_of(data: bytes, error: UnicodeDecodeError, encoding: str | None = None) -> int:
    """The line of a file on which its text stops being whole."""
    return _decode(data[:error.start], encoding).count("\n") + 1


class _NotText(Exception):
    """A whole file that cannot be read as text in its encoding: the line it stops at, and what is wrong."""

    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line, self.problem = line, problem


def _file_text(data: bytes, encoding: str | None) -> str:
    """A whole file's text (:func:`_decode`); :class:`_NotText` if it starts with a byte-order mark the encoding
    given contradicts (:func:`_mark_problem`), or stops being whole text (a UTF-16 file cut short)."""
    if (problem := _mark_problem(data, encoding)) is not None:
        raise _NotText(1, problem)
    try:
        return _decode(data, encoding)
    except UnicodeDecodeError as e:
        raise _NotText(_line_of(data, e, encoding), _not_whole(encoding)) from None


def _whole_lines(data: bytes, encoding: str | None) -> Iterator[tuple[str, bool] | None]:
    """The lines of a file read whole, as :func:`_text_lines` gives them, then None on the line where the text stops
    being whole, if it does."""
    try:
        text, whole = _decode(data, encoding), True
    except UnicodeDecodeError as e:
        text, whole = _decode(data[:e.start], encoding), False
    *lines, last = text.split("\n")
    yield from ((line, _may_hold_undecoded(line)) for line in lines)
    if not whole:
        yield None  # the last line is not all there
    elif last:
        yield last, _may_hold_undecoded(last)


def _text_lines(fh: BinaryIO, head: bytes, encoding: str | None) -> Iterator[tuple[str, bool] | None]:
    """Each line of a stream starting with ``head`` as text (keeping its line break), and whether it may parse to a
    value holding undecodable bytes; None on the line where the text stops being whole, if it does.

    Read a line at a time where a line break is the byte 0x0A and nothing else is (UTF-8, cp1252, latin-1); a
    UTF-16 file (a Windows PowerShell '>') or one in another multi-byte encoding is decoded through first, keeping
    only its count of lines (:func:`_check_whole_text`), then read a line at a time as it is decoded, as a CSV file
    in one is; one whose text is not whole (cut short), or that cannot be read twice (a pipe), is read whole, to
    read its rows up to the line where it stops being whole.
    """
    if encoding is None and _encoding(head) != "utf-16":
        yield from map(_decode_line, fh)
    elif encoding is not None and "\n".encode(encoding) == b"\n":
        for data in fh:
            try:
                text = _decode_as(data, encoding)
            except UnicodeDecodeError:  # a byte below 0x80 it has no character for cannot be kept as a surrogate
                yield None
                return
            yield text, not data.isascii() or _may_hold_undecoded(text)  # non-ASCII: it may be UTF-8's
    elif _seekable(fh) and _whole_text(fh, in_order := encoding and _in_order(encoding, head)):
        # JSON Lines breaks lines at line feeds alone: a carriage return is white space inside a JSON value
        yield from ((line, _may_hold_undecoded(line)) for line in _decoded_lines(fh, in_order, True, newline="\n"))
    else:
        yield from _whole_lines(fh.read(), encoding)


def _whole_text(fh: BinaryIO, encoding: str | None) -> bool:
    """Whether the rest of a seekable stream in a multi-byte encoding is whole text (:func:`_check_whole_text`)."""
    try:
        _check_whole_text(fh, encoding)
    except _NotText:
        return False
    return True


def _may_hold_undecoded(text: str) -> bool:
    """Whether a line's value may hold undecodable bytes: it does, or writes one as a JSON escape ("\\udc80")."""
    return _UNDECODED.search(text) is not None or ("\\u" in text and _ESCAPED_UNDECODED.search(text) is not None)


def _decode_line(data: bytes) -> tuple[str, bool]:
    """A UTF-8 JSON line's text as :func:`_decode` gives it, and :func:`_may_hold_undecoded`. Most lines are UTF-8
    and write no such escape, and their values are not walked (that took longer than parsing them)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _decode(data), True
    return text, "\\u" in text and _ESCAPED_UNDECODED.search(text) is not None


def _field_where(raw: Any, wrong: Callable[[str], bool]) -> str | bool | None:
    """The top-level field of a row holding a string (a key or a value, at any depth) that is ``wrong`` (True:
    outside any one field); None if none does."""
    def bad(value: Any) -> bool:
        if isinstance(value, str):
            return wrong(value)
        if isinstance(value, dict):
            return any(bad(k) or bad(v) for k, v in value.items())
        if isinstance(value, list):
            return any(bad(v) for v in value)
        return False

    if not isinstance(raw, dict):
        return True if bad(raw) else None
    for key, value in raw.items():
        if bad(key):
            return True
        if bad(value):
            return key
    return None


def _decoding_problem(
    raw: Any, encoding: str | None, not_utf8: str, file_utf8: bool = True
) -> tuple[str | bool, str] | None:
    """(field, what is wrong) for the first field of a row (:func:`_field_where`) holding UTF-8 text read in a
    single-byte ``encoding`` (in a file UTF-8 throughout or not, ``file_utf8``: :func:`_written_in_utf8`) or bytes
    ``encoding`` (by default UTF-8) cannot decode; None if it has none. UTF-8's first: its bytes read as latin-1 are
    control characters too, and cp1252, advised for those, would store the text garbled."""
    if encoding is not None and _single_byte(encoding):
        field = _field_where(raw, lambda value: _written_in_utf8(value, encoding, file_utf8))
        if field is not None:
            return field, _utf8_not(encoding)
    field = _field_where(raw, lambda value: _UNDECODED.search(value) is not None)
    return None if field is None else (field, _undecodable(encoding, not_utf8))


def _checked_decoding(
    raw: Any, source: str, line: int, encoding: str | None = None, not_utf8: str = NOT_UTF8, file_utf8: bool = True
) -> Any:
    """``raw``, or an :class:`InputError` naming its field :func:`_decoding_problem` finds, saying ``not_utf8`` of
    bytes that are not UTF-8 when no ``encoding`` is given."""
    problem = _decoding_problem(raw, encoding, not_utf8, file_utf8)
    if problem is None:
        return raw
    field, said = problem
    return InputError(source, line, None if field is True else field, said)


def read_jsonl(
    path: Path, source: str | None = None, encoding: str | None = None, not_utf8: str = NOT_UTF8
) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed object) for each non-blank line of a JSON Lines file, read in ``encoding`` (a
    Python codec name, ``--encoding``; None: UTF-8, or UTF-16 by its byte-order mark). ``not_utf8`` is said of a
    value that is not UTF-8 when no encoding is given (:data:`NOT_UTF8_SAVE` where none can be).

    Undecodable or unparsable lines are yielded as :class:`InputError` objects so
    that the caller can collect every problem of a file in one pass.
    """
    with open(path, "rb") as fh:
        yield from read_jsonl_stream(fh, source or path.name, encoding, not_utf8)


def read_jsonl_stream(
    fh: BinaryIO, source: str, encoding: str | None = None, not_utf8: str = NOT_UTF8
) -> Iterator[tuple[int, Any]]:
    """:func:`read_jsonl` over a stream open for reading bytes (standard input: a pipe or a socket, which
    cannot always be opened again by a path such as /dev/stdin)."""
    encoding = check_encoding(encoding)
    peek = getattr(fh, "peek", None)
    head = peek(4)[:4] if peek is not None else b""
    if (problem := _mark_problem(head, encoding)) is not None:
        yield 1, UnreadableRestError(source, 1, None, problem)
        return
    first, file_utf8 = True, _stream_utf8(fh, encoding)
    for number, line in enumerate(_text_lines(fh, head, encoding), 1):
        if line is None:
            yield number, UnreadableRestError(source, number, None, _not_whole(encoding))
            return
        text, may_hold_undecoded = line
        # without its line break, or an error at the end of the line is put at column 1 of the next
        text = text.rstrip("\r\n")
        if not text.strip():  # decoded first: a byte-order mark alone on the first line is a blank line
            continue
        if first and text.lstrip().startswith("["):  # a JSON file holding an array of notes: one error, not one a line
            yield number, UnreadableRestError(source, number, None, "a JSON array, not JSON Lines (one note object "
                                              "a line); convert it first, e.g. jq -c '.[]' FILE > notes.jsonl")
            return
        first = False
        try:
            raw = json.loads(text)
            yield number, (_checked_decoding(raw, source, number, encoding, not_utf8, file_utf8) if may_hold_undecoded
                           else raw)
        except json.JSONDecodeError as e:
            if _ends_lines_with_cr(text):  # the notes after it are in this "line" too: none can be told apart
                yield number, UnreadableRestError(source, number, None, CR_LINE_ENDINGS)
                return
            yield number, InputError(source, number, None, f"bad JSON: {e.msg.removesuffix(' at')} at column {e.colno}")
        except ValueError:  # the one other ValueError json raises: Python's cap on converting long integers
            yield number, InputError(source, number, None, "bad JSON: a number too long (over 4300 digits)")
        except RecursionError:
            yield number, InputError(source, number, None, "bad JSON: nested too deeply")


#: Said of a JSON Lines file whose lines end in a carriage return alone (an old Mac's, Excel for Mac's "CSV
#: (Macintosh)"): a CSV file may end lines so, JSON Lines may not (read a line at a time, the file is one line).
CR_LINE_ENDINGS = ("lines end in a carriage return alone, which JSON Lines does not take: end them with a line "
                   "feed (\\n or \\r\\n), e.g. tr '\\r' '\\n' < FILE > notes.jsonl")


def _ends_lines_with_cr(text: str) -> bool:
    """Whether a line that is not JSON is JSON values with a carriage return alone after each: what comes before
    its first one is a whole JSON value (a carriage return is white space inside one, as JSON allows)."""
    head, cr, _ = text.partition("\r")
    if not cr:
        return False
    try:
        json.loads(head)
    except (ValueError, RecursionError):
        return False
    return True


def read_csv(
    path: Path, mapping: dict[str, str] | None = None, source: str | None = None, encoding: str | None = None
) -> Iterator[tuple[int, Any]]:
    """Yield (line number, row dict) for a CSV file with the codebook's column names.

    ``mapping`` renames source columns to codebook fields (``{"ClientRef": "case_id"}``); ``encoding`` is a Python
    codec name (``--encoding``; None: UTF-8, or UTF-16 by its byte-order mark).
    """
    source = source or path.name
    encoding = check_encoding(encoding)
    with open(path, "rb") as fh:
        try:
            lines, file_utf8 = _csv_lines(fh, encoding)
        except _NotText as e:
            yield e.line, UnreadableRestError(source, e.line, None, e.problem)
            return
        yield from _csv_rows(lines, source, mapping or {}, encoding, file_utf8)


def _csv_lines(fh: BinaryIO, encoding: str | None) -> tuple[Iterator[str], bool]:
    """A CSV file's lines of text, each with its line break (a line feed, a carriage return and line feed, or a
    carriage return alone, as :class:`csv.reader` takes them), and whether the file may be UTF-8 text
    (:func:`_data_utf8`).

    Decoded as they are read, so that a file of 200,000 notes is not held whole: where no byte can fail to decode
    (UTF-8, the default, and single-byte encodings such as cp1252: a byte that is not text is kept, as :func:`_decode`
    keeps it, for its row to report), at once; otherwise (UTF-16 and other multi-byte encodings) once the file has
    been decoded through without keeping its text (:func:`_check_whole_text`), so that where its text stops being
    whole is told before any row, as :func:`_file_text` tells it (:class:`_NotText`). Such a file that cannot be read
    twice (a pipe) is read whole.
    """
    head = fh.peek(4)[:4]
    if (problem := _mark_problem(head, encoding)) is not None:
        raise _NotText(1, problem)
    may_not_decode = _encoding(head) == "utf-16" if encoding is None else not _single_byte(encoding)
    if may_not_decode and not _seekable(fh):
        data = fh.read()
        return io.StringIO(_file_text(data, encoding), newline=""), _data_utf8(data, encoding)
    if may_not_decode:
        encoding = encoding and _in_order(encoding, head)
        _check_whole_text(fh, encoding)
    file_utf8 = _stream_utf8(fh, encoding)
    return _decoded_lines(fh, encoding, may_not_decode, newline=""), file_utf8


def _decoded_lines(fh: BinaryIO, encoding: str | None, may_not_decode: bool, newline: str) -> Iterator[str]:
    """The rest of a stream's lines as they are decoded, as :func:`_decode` decodes a whole file: UTF-16 by its mark
    strictly (``may_not_decode``, no ``encoding``), an encoding given keeping what it cannot decode; broken at
    ``newline`` (:class:`io.TextIOWrapper`'s). The stream is left open, its opener's to close."""
    text = io.TextIOWrapper(fh, encoding=encoding or ("utf-16" if may_not_decode else "utf-8"),
                            errors="strict" if may_not_decode and encoding is None else "surrogateescape",
                            newline=newline)
    try:
        lines: Iterator[str] = text
        if encoding is not None and _has_c1_controls(encoding):
            lines = (line.translate(_C1_AS_UNDECODED) for line in text)
        # UTF-16's decoder skips its byte-order mark itself
        yield from (lines if encoding is None and may_not_decode else _without_mark(lines))
    finally:
        if not fh.closed:  # its opener's to close: a reader stopped early is collected after its file is closed
            text.detach()


#: The byte-order marks that say which way round a UTF-16 or UTF-32 stream is.
_ORDER_MARKS = {"utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)}


def _in_order(encoding: str, head: bytes) -> str:
    """``encoding`` to read a stream starting ``head`` a line at a time: utf-16 or utf-32 given for a file with no
    byte-order mark is read in this machine's order, as decoding a whole file reads it (their incremental decoders
    refuse such a stream: "UTF-16 stream does not start with BOM")."""
    name = codecs.lookup(encoding).name
    if name in _ORDER_MARKS and not head.startswith(_ORDER_MARKS[name]):
        return f"{name}-{'le' if sys.byteorder == 'little' else 'be'}"
    return encoding


def _check_whole_text(fh: BinaryIO, encoding: str | None) -> None:
    """:class:`_NotText` on the line where the rest of a seekable stream in a multi-byte encoding (by default, UTF-16
    by its mark) stops being whole text, as :func:`_file_text` finds it in a whole file; decoded through a chunk at a
    time, keeping only a count of its lines, and back."""
    start = fh.tell()
    decoder = codecs.getincrementaldecoder(encoding or "utf-16")("strict" if encoding is None else "surrogateescape")
    line = 1
    try:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            state = decoder.getstate()
            try:
                line += decoder.decode(chunk).count("\n")
            except UnicodeError:  # UTF-16's decoder given no mark raises UnicodeError itself
                line += _line_breaks_before_failure(decoder, state, chunk)
                raise _NotText(line, _not_whole(encoding)) from None
        try:
            decoder.decode(b"", final=True)
        except UnicodeError:  # a character cut short at the end
            raise _NotText(line, _not_whole(encoding)) from None
    finally:
        fh.seek(start)


def _line_breaks_before_failure(decoder: codecs.IncrementalDecoder, state: Any, chunk: bytes) -> int:
    """The line feeds of a chunk that fails to decode from the decoder's ``state`` before the bytes that fail: those
    of its longest start that decodes, found by halving (not a byte at a time: a million decodes a chunk)."""
    decodes, fails = 0, len(chunk)
    while fails - decodes > 1:
        middle = (decodes + fails) // 2
        decoder.setstate(state)
        try:
            decoder.decode(chunk[:middle])
            decodes = middle
        except UnicodeError:
            fails = middle
    decoder.setstate(state)
    return decoder.decode(chunk[:decodes]).count("\n")


def _without_mark(lines: Iterator[str]) -> Iterator[str]:
    """Lines without the byte-order mark the first may start with, as :func:`_decode` reads a whole file: UTF-8's,
    as utf-8-sig skips it (its incremental decoder would drop a mark cut short, a file of the byte 0xEF alone, that
    :func:`_decode` keeps), or one an encoding given keeps (utf-16-le)."""
    first = next(lines, None)
    if first is not None:
        yield first.removeprefix("\ufeff")
        yield from lines


def _csv_rows(lines: Iterator[str], source: str, mapping: dict[str, str], encoding: str | None,
              file_utf8: bool) -> Iterator[tuple[int, Any]]:
    """:func:`read_csv`'s rows of a file's lines (:func:`_csv_lines`)."""
    csv.field_size_limit(2**31 - 1)  # a cell too big is its row's error (text over 1 MB), not the file's
    first = next(lines, "")
    # strict: a quote never closed is an error, where the lenient reader reads the rest of the file as one cell
    reader = csv.reader(itertools.chain([first], lines) if first else lines, delimiter=_delimiter(first), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as e:
        yield 1, InputError(source, 1, None, f"bad CSV header: {e}")
        return
    if (problem := _decoding_problem(header, encoding, NOT_UTF8, file_utf8)) is not None:
        yield 1, InputError(source, 1, None, f"column names: {problem[1]}")
        return
    names = [h.strip() for h in header]
    columns = [mapping.get(h, h) for h in names]
    named_columns = [c for c in columns if c]  # columns without a name (a spreadsheet's trailing ",,") are not read
    if len(set(named_columns)) != len(named_columns):
        yield 1, InputError(source, 1, None, "duplicate column names")
        return
    for required in ("note_id", "text"):
        if required not in columns:  # said once, not as a missing field on every row
            yield 1, InputError(source, 1, None, f"no {required!r} column; rename one with --map SOURCE={required} "
                                                 f"({describe_columns(names, mapping)})")
            return
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            if "unexpected end of data" in str(e):  # the end of the file inside a quoted cell
                yield line, UnreadableRestError(source, line, None, "bad CSV: a quoted cell opened on this row is "
                                                                    "never closed, so the rows after it cannot be read")
                return
            # Any other error is a quote out of place. If its cell ran over line breaks, the lines it took may be
            # rows of their own or one note's text; if not, the cell may still have been meant to (a quote inside
            # a quoted cell written once), and the next line would be read as a row that never was ('r2,left"'
            # became a note). Nobody can tell which: the file is refused, as for a quote never closed.
            ran_over = (f" on line {reader.line_num}, in a quoted cell opened on this row, so lines "
                        f"{line + 1}-{reader.line_num} cannot be told apart as rows") if reader.line_num > line else ""
            yield line, UnreadableRestError(
                source, line, None, f"bad CSV: {e}{ran_over}; the rows after it cannot be read safely, so nothing of "
                "the file is imported (write a quote inside a quoted cell twice)")
            return
        if not any(cell.strip() for cell in row):
            continue
        # a row may leave out trailing cells of columns without a name (a spreadsheet's ",," header), not others
        if len(row) > len(columns) or any(columns[len(row):]):
            yield line, InputError(source, line, None, f"{count(len(row), 'cell')} for {count(len(columns), 'column')}")
            continue
        yield line, _checked_decoding({c: v for c, v in zip(columns, row) if c}, source, line, encoding,
                                      file_utf8=file_utf8)


#: Delimiters a CSV export may use: spreadsheets set to a European locale write ';'.
DELIMITERS = (",", ";", "\t")


_LINE_BREAK = re.compile("\r\n?|\n")  # a carriage return alone too: Excel for Mac's 'CSV (Macintosh)' ends lines so


def _first_line(content: str) -> str:
    """A CSV file's first line (its header), whatever ends its lines."""
    return _LINE_BREAK.split(content, maxsplit=1)[0]


def _delimiter(content: str) -> str:
    """The delimiter that splits the first line into the most columns (',' on a tie)."""
    first = _first_line(content)

    def columns(delimiter: str) -> int:
        try:
            return len(next(csv.reader([first], delimiter=delimiter), []))
        except csv.Error:  # the full read says what is wrong
            return 0

    return max(DELIMITERS, key=columns)


def read_csv_header(path: Path, encoding: str | None = None) -> list[str] | None:
    """A CSV file's column names (its first row, read alone, in ``encoding`` as :func:`read_csv` reads it); None if
    it cannot be read (the full read says why)."""
    encoding = check_encoding(encoding)
    try:
        with open(path, "rb") as fh:
            data = fh.read(1 << 16)
            if _mark_problem(data, encoding) is not None:
                return None
            decoder = codecs.getincrementaldecoder(encoding or _encoding(data))()
            text = decoder.decode(data)
            while not _LINE_BREAK.search(text) and (data := fh.read(1 << 16)):
                text += decoder.decode(data)
        first = _first_line(text).removeprefix("\ufeff")
        return [h.strip() for h in next(csv.reader([first], delimiter=_delimiter(first)), [])]
    except (UnicodeDecodeError, csv.Error):
        return None


def describe_columns(columns: list[str], mapping: dict[str, str]) -> str:
    """The columns of a CSV file's first row as an error may describe them, never echoing what could be data.

    A file without a header row has a note's cells as its first row: a child's name, a date of
    birth, a case reference. The names are listed only when the row looks like headings by a
    conservative rule: every cell is short (at most 32 characters and 3 words) and holds no
    digit (dates, references, ids and phone numbers all do), and at least one cell is, ignoring
    case, a field this tool knows or a name given in ``mapping`` (``--map``), which a row of data
    would hardly hold. Otherwise only the number of columns is given.
    """
    known = {n.casefold() for n in (*CORE_FIELDS, *LABEL_FIELDS, *mapping, *mapping.values())}
    headings = (all(len(c) <= 32 and len(c.split()) <= 3 and not any(ch.isdigit() for ch in c) for c in columns)
                and any(c.casefold() in known for c in columns))
    if headings:  # escaped: a heading from another system may hold an escape sequence or an override
        return f"columns: {', '.join(map(escaped, columns))}"
    # not "looks like data": a system's own headings ("Case Ref", "Case Note") are hidden too, and said to be data
    # they sent the user looking for a header row that was there
    return (f"{count(len(columns), 'column')}; the first row is not shown: no cell of it is a field casereview "
            "knows or a --map name, so it may be a note's data, not headings")


def named(path: Path) -> Path:
    """``path``, or for ``.`` and ``..``, which have no name of their own, the folder they stand for."""
    return path if path.name not in ("", "..") else path.resolve()


def text_files(folder: Path) -> list[Path]:
    """The notes of a folder: its ``.txt`` files (``.TXT`` too, as Windows may name them), in name order. Hidden
    files (``._note.txt``, which macOS leaves in archives) and subfolders are not notes."""
    return sorted(f for f in folder.iterdir() if f.suffix.lower() == ".txt" and not f.name.startswith(".") and f.is_file())


def read_text_folder(path: Path, encoding: str | None = None) -> Iterator[tuple[str, int, Any]]:
    """Yield (source, 1, record) for each ``.txt`` file of a folder: one note per file, read in ``encoding`` as
    :func:`read_csv` reads a file."""
    folder = escaped(named(path).name)
    encoding = check_encoding(encoding)
    for file in text_files(path):
        source = f"{folder}/{escaped(file.name)}"  # as the importer names a file (importer._source_name)
        data = file.read_bytes()
        try:
            text = _file_text(data, encoding)
        except _NotText as e:  # a note a file: its line is 1, and no lines follow it
            yield source, 1, InputError(source, 1, "text", e.problem.replace(" from this line on", ""))
            continue
        yield source, 1, _checked_decoding({"note_id": file.stem, "text": text}, source, 1, encoding,
                                           file_utf8=_data_utf8(data, encoding))


def without_labels(records: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    """Records with their label fields left out, unread: scoring reads none, and a gold file's labels may be
    another taxonomy's (a label renamed since) or written as a CSV export writes them."""
    for line, raw in records:
        if isinstance(raw, dict):
            raw = {k: v for k, v in raw.items() if k not in LABEL_FIELDS}
        yield line, raw


def requiring_labels(records: Iterable[tuple[int, Any]], source: str) -> Iterator[tuple[int, Any]]:
    """Records of a gold file: one without a ``labels`` field is its line's error (a note to evaluate on needs
    its labels; ``[]`` for none)."""
    for line, raw in records:
        if isinstance(raw, dict) and raw.get("labels") is None:
            raw = InputError(source, line, "labels", "missing: a gold note needs its labels ([] for none)")
        yield line, raw


class UpToFirstError:
    """The notes of a stream up to its first invalid one, whose error is kept, not raised: a consumer that reads
    ahead in batches (``predict``) uses every note before a bad row, then raises it (:meth:`raise_error`)."""

    def __init__(self, notes: Iterator[Note]):
        self._notes = notes
        self.error: InputError | None = None

    def __iter__(self) -> Iterator[Note]:
        try:
            yield from self._notes
        except InputError as error:
            self.error = error

    def raise_error(self) -> None:
        if self.error is not None:
            raise self.error


def iter_notes(
    records: Iterable[tuple[int, Any]], source: str, date_format: str | None = None, midnight: str = "time"
) -> Iterator[Note | InputError]:
    """Validate raw records in order, dates read in ``date_format`` and 00:00 as ``midnight`` says (:func:`validate`);
    yields notes and errors (duplicate ids included)."""
    for _, _, note in iter_validated(records, source, date_format, midnight):
        yield note


def iter_validated(
    records: Iterable[tuple[int, Any]], source: str, date_format: str | None = None, midnight: str = "time"
) -> Iterator[tuple[int, Any, Note | InputError]]:
    """:func:`iter_notes` with each record's line and raw record beside its note or error (a corpus keeps the
    raw record, whose fields beyond the note schema it checks and trains on)."""
    date_format = check_date_format(date_format)
    seen: dict[str, int] = {}
    for line, raw in records:
        if isinstance(raw, InputError):
            yield line, raw, raw
            continue
        try:
            note = validate(raw, source, line, date_format, midnight)
        except InputError as e:
            yield line, raw, e
            continue
        if note.note_id in seen:
            yield line, raw, InputError(source, line, "note_id", f"duplicate id (first on line {seen[note.note_id]})")
            continue
        seen[note.note_id] = line
        yield line, raw, note
