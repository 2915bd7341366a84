"""Free text (note text, quotes, ids, names, comments, teams) made inert where reports and exports put it, so that it
shows as written: in a CSV cell a spreadsheet opens, and in Markdown a viewer renders."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

#: What starts a cell Excel and LibreOffice run as a formula (OWASP, CSV injection): =HYPERLINK(...) in a quote
#: would be a live link, with the sheet's cells in it, on the QA team's screen.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: What a CSV written for spreadsheets says of its text, among its parameters (a reader seeing a ' knows why).
TEXT_CELLS = ("text from notes and people starting with = + - @, a tab or a carriage return has a ' put before it, "
              "so that a spreadsheet shows it as text and does not run it as a formula; figures are numbers")

#: Markdown that changes what a viewer shows: a backslash, emphasis, code, links, raw HTML and autolinks, a table's
#: cell border, strikethrough. "_" inside a word is no emphasis (CommonMark), so social_worker is left as it reads.
_MARKDOWN = re.compile(r"[\\`*\[\]<|~]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")
#: A heading's closing sequence: #s at the end, after a space (or alone), are no part of its text ("# C1 #" reads
#: "C1"); the first of them escaped, they are text.
_CLOSING_HASHES = re.compile(r"(?<!\S)#(?=#*\s*$)")
#: Line endings, as Markdown reads them.
_MARKDOWN_LINE_ENDS = re.compile(r"\r\n|\r|\n")


def spreadsheet_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it: text a formula would start with gets a leading ' (OWASP's remedy; the
    cell then reads as text). Numbers are casereview's own figures and stay numbers, a negative kappa too. Text
    that starts with ' before such a start gets one more, so that :func:`spreadsheet_text` reads every cell back
    as written (a decisions export is merged again)."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
