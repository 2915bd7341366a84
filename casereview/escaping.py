"""Free text (note text, quotes, ids, names, comments, teams) made inert where reports and exports put it, so that it
shows as written: in a CSV cell a spreadsheet opens, in Markdown a viewer renders, on a terminal and in a file
a user may ``cat``."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

#: What starts a cell Excel and LibreOffice run as a formula (OWASP, CSV injection): =HYPERLINK(...) in a quote
#: would be a live link, with the sheet's cells in it, on the QA team's screen.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: What a CSV written for spreadsheets says of its text, among its parameters (a reader seeing a ' knows why).
TEXT_CELLS = ("text from notes and people starting with = + - @, a tab or a carriage return has a ' put before it, "
              "so that a spreadsheet shows it as text and does not run it as a formula; a control character in it "
              "(an escape, a form feed) is drawn as a visible one, as \u241b for an escape; figures are numbers")

#: Markdown that changes what a viewer shows: a backslash, emphasis, code, links, raw HTML and autolinks, a table's
#: cell border, strikethrough. "_" inside a word is no emphasis (CommonMark), so social_worker is left as it reads.
_MARKDOWN = re.compile(r"[\\`*\[\]<|~]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")
#: A heading's closing sequence: #s at the end, after a space (or alone), are no part of its text ("# C1 #" reads
#: "C1"); the first of them escaped, they are text.
_CLOSING_HASHES = re.compile(r"(?<!\S)#(?=#*\s*$)")
#: Line endings, as Markdown reads them.
_MARKDOWN_LINE_ENDS = re.compile(r"\r\n|\r|\n")


#: What a terminal acts on, or what reorders the text drawn around it, in text a note holds (a CMS export's form feed,
#: an escape sequence): C0 controls but the line feed and tab, which are the text's layout (a carriage return before
#: a line feed too: Windows' line end, which Rich leaves out as it draws), DEL, C1 controls (U+009B is CSI, a whole
#: escape sequence's start in one character, which many terminals act on) and the bidirectional embeddings,
#: overrides and isolates (U+202A-U+202E, U+2066-U+2069). Those are shown too: an override draws the letters after it
#: in reverse ("Trojan Source"), in an HTML report and on a terminal that orders text (GNOME Terminal, Konsole), so a
#: reviewer would read, and see evidence marked on, a sentence other than the one stored; right-to-left script needs
#: none of them (its letters' own direction orders it), nor a note mixing it with English. The marks (U+200E, U+200F,
#: U+061C), which keyboards put in such text and which only settle where punctuation goes, are left as they are.
_TERMINAL_ACTS_ON = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Unicode's Control Pictures: U+2400-U+241F for C0's characters, U+2421 for DEL.
_CONTROL_PICTURES = 0x2400
_DELETE_PICTURE = "\u2421"
#: What a C1 control or a bidirectional control is shown as: they have no pictures.
_SHOWN_AS_REPLACED = "\ufffd"


def _picture(char: str) -> str:
    code = ord(char)
    return chr(_CONTROL_PICTURES + code) if code < 0x20 else _DELETE_PICTURE if code == 0x7F else _SHOWN_AS_REPLACED


def visible_controls(text: str) -> str:
    """``text`` as a terminal, or a file a user may ``cat``, shows it as written: each character of
    :data:`_TERMINAL_ACTS_ON` replaced by one visible character (ESC by "␛", U+009B by "�"), never acted on, and
    nothing else changed, so that offsets into the text (evidence spans, search matches) still fall on the
    characters they did. Line feeds and tabs are kept. The text stored stays as it was imported."""
    return _TERMINAL_ACTS_ON.sub(lambda m: _picture(m.group()), text)


#: What ``json.dumps(ensure_ascii=False)`` writes raw that a terminal acts on or that reorders the text shown (it
#: escapes C0 controls only): DEL, C1 controls, bidirectional controls, and the line and paragraph separators.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_line(value: Any, **options: Any) -> str:
    """``value`` as one line of JSON, UTF-8 text as it is (``ensure_ascii=False``) but :data:`_JSON_RAW` as ``\\u``
    escapes: the file reads back as exactly the same text (a notes export is imported again, a decisions export
    merged), and ``cat`` or ``less`` on it sends no escape sequence to the terminal."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, **options))


def spreadsheet_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it: text a formula would start with gets a leading ' (OWASP's remedy; the
    cell then reads as text). Numbers are casereview's own figures and stay numbers, a negative kappa too. Text
    that starts with ' before such a start gets one more, so that :func:`spreadsheet_text` reads every cell back
    as written (a decisions export is merged again). A control character a terminal acts on is drawn
    (:func:`visible_controls`): such a file is read with ``cat`` or ``head`` too, and a comment stored before
    comments were checked may hold an escape sequence (the JSON Lines export keeps it exactly, escaped)."""
    if not isinstance(value, str):
        return value
    value = visible_controls(value)
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def spreadsheet_text(cell: str) -> str:
    """The text :func:`spreadsheet_cell` wrote as ``cell``."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def write_csv(out: IO[str], columns: Sequence[str], rows: Iterable[Mapping[str, Any]],
              cell: Callable[[Any], Any]) -> int:
    """Write ``rows`` (dicts by column, a column left out empty) as CSV, each value through ``cell``, row by row
    (nothing kept); returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    written = 0
    for row in rows:
        writer.writerow({key: cell(value) for key, value in row.items()})
        written += 1
    return written


def write_spreadsheet_csv(out: IO[str], columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write ``rows`` as CSV for people to open in a spreadsheet, every text cell through :func:`spreadsheet_cell`;
    returns the number of rows. Not for files casereview imports again: their text must stay exact."""
    return write_csv(out, columns, rows, spreadsheet_cell)


def markdown_text(value: Any) -> str:
    """``value`` as one line of Markdown text that renders as written (None: "–"): what a viewer would read as
    markup backslash-escaped (a | would end a table cell, <script> would be HTML, a heading's text would lose a
    trailing " #"), and line breaks made spaces."""
    text = "–" if value is None else str(value)
    if not text:
        return text
    line = " ".join(_MARKDOWN.sub(lambda m: "\\" + m.group(0), text).splitlines())
    return _CLOSING_HASHES.sub(r"\\#", line)


def markdown_code_lines(value: Any, indent: str = "    ") -> str:
    """``value`` as the lines of an indented code block (the template indents the first): shown as written, markup
    and all, and every line of it indented, as a line that is not would end the block and be read as Markdown."""
    return ("\n" + indent).join(_MARKDOWN_LINE_ENDS.split(str(value)))
