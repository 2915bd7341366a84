"""Import note files into a workspace: validate every row, then store each file in one transaction."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .corpus import check_evidence
from .errors import CaseReviewError, InputError, InvalidFileError, UnreadableRestError
from .files import check_input_file, is_blank, private_file
from .dates import check_date_format, check_midnight
from .notes import (Note, check_encoding, describe_columns, iter_notes, note_format, read_csv, read_csv_header,
                    read_jsonl, named, read_text_folder, text_files, unknown_file_type, validate)
from .wording import count
from .workspace import ImportResult, SourceForms, Workspace

if TYPE_CHECKING:
    from .pii.scanner import Entity


@dataclass
class FileReport:
    source: str
    result: ImportResult
    rejected: list[InputError] = field(default_factory=list)
    rejects_path: Path | None = None
    pii_findings: int = 0  # personal-data findings recorded (already redacted with redact=True)
    not_notes: int = 0  # a folder's entries that are not notes (other files, subfolders): counted, never named
    midnight_dates: int = 0  # notes whose date's 00:00 was read as a date alone, every time in the file's dates being so


@dataclass(frozen=True)
class Reading:
    """How an input's rows are read: ``mapping`` (``--map``) renames a CSV file's columns to the codebook's fields,
    ``encoding`` (``--encoding``) is a Python codec name (None: UTF-8, or UTF-16 by its byte-order mark),
    ``date_format`` (``--date-format``) a strptime format dates are in (None: ISO dates) and ``midnight``
    (``--midnight``) how a time of 00:00 is read: "date-only", "time", or None for :func:`_read_midnight`'s rule."""

    mapping: dict[str, str] | None = None
    encoding: str | None = None
    date_format: str | None = None
    midnight: str | None = None

    def column(self, name: str) -> str | None:
        """The file's column that ``--map`` renames to the field ``name`` (None: not renamed)."""
        return next((column for column, field in (self.mapping or {}).items() if field == name), None)


def _records(path: Path, reading: Reading) -> Iterator[tuple[str, Note | InputError, int, object]]:
    """(source, note-or-error, line, raw) for every row of a file or text folder (a time of 00:00 read as
    ``reading.midnight`` says; unsaid, as midnight, for :func:`_read_midnight` to read again)."""
    mapping = reading.mapping
    if path.is_dir():
        seen: set[str] = set()
        for source, line, raw in read_text_folder(path, reading.encoding):
            for item in iter_notes([(line, raw)], source):
                if isinstance(item, Note) and item.note_id in seen:
                    item = InputError(source, line, "note_id", "duplicate id in folder")
                elif isinstance(item, Note):
                    seen.add(item.note_id)
                yield source, item, line, raw
        return
    raw_rows = list(read_jsonl(path, encoding=reading.encoding) if note_format(path) == "jsonl"
                    else read_csv(path, mapping, encoding=reading.encoding))
    items = iter_notes(raw_rows, path.name, reading.date_format, reading.midnight or "time")
    for (line, raw), item in zip(raw_rows, items):  # a row, an item
        if isinstance(item, Note):
            item = _evidence_checked(raw, item, path.name, line)
        if isinstance(item, InputError) and reading.column(item.field):  # the user fixes the file's column, not ours
            item = item.in_column(reading.column(item.field))
        yield path.name, item, line, raw


def _evidence_checked(raw: dict, note: Note, source: str, line: int) -> Note | InputError:
    """The note, or its row's error if its ``evidence`` has a span that is not one of its text: retraining reads the
    spans, redaction moves them. Evidence given as text (a CSV cell, as ``export notes --format csv`` writes it) holds
    no span read as one, and is kept as it came."""
    evidence = raw.get("evidence")
    if evidence is None or isinstance(evidence, str):
        return note
    try:
        check_evidence(evidence, note, source, line)
    except InputError as error:
        return error
    return note


def _rejects_path(path: Path) -> Path:
    """``<file>.rejects.jsonl`` beside a file, ``<folder>.rejects.jsonl`` beside a folder (``.`` too)."""
    path = named(path)
    return path.with_name(path.name + ".rejects.jsonl")


def _not_notes(path: Path) -> int:
    """How many entries of a folder are not notes (a file name may be a child's name: only the count is told)."""
    return sum(1 for _ in path.iterdir()) - len(text_files(path)) if path.is_dir() else 0


def _source_name(path: Path) -> str:
    """The name an input is known by in the workspace and in messages (a folder given as ``.`` by its own name)."""
    return named(path).name


def _write_rejects(fh: TextIO, rejected: list[tuple[InputError, object]]) -> None:
    for error, raw in rejected:
        entry = {"source": error.source, "line": error.line, "field": error.named_field, "reason": error.problem}
        if isinstance(raw, dict):
            entry["row"] = raw
        fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")


@dataclass
class PreparedFile:
    """An input read, validated and scanned for personal data: everything but the writing."""

    path: Path
    source: str
    notes: list[Note]
    places: list[tuple[str, int]]  # each note's (source, line), for messages
    findings: list[list[Entity]]  # each note's personal-data entities, as offsets into the note as stored
    rejected: list[tuple[InputError, object]]
    scanner_version: str
    redact: bool
    forms: list[SourceForms]  # each note's hash as the file gives it and as --redact stores it
    plain: list[Note]  # each note as the file gives it (``notes`` unless redact)
    midnight_dates: int = 0  # as FileReport's


def prepare(
    path: str | os.PathLike, *, mapping: dict[str, str] | None = None, skip_invalid: bool = False,
    redact: bool = False, encoding: str | None = None, date_format: str | None = None, midnight: str | None = None,
) -> PreparedFile:
    """Read, validate and scan one input, writing nothing; raises as :func:`import_path` does."""
    reading = Reading(mapping, encoding, date_format, midnight)
    check_source(path, reading)
    return _prepare(Path(path), reading, skip_invalid, redact)


def _next_step(path: Path, notes: list[Note], errors: list[InputError]) -> str:
    """What to do about a file refused for its invalid rows, when --skip-invalid would import the rest."""
    if not notes or any(isinstance(e, UnreadableRestError) for e in errors):
        return ""  # --skip-invalid would import nothing of it either
    them = "it" if len(errors) == 1 else "them"
    rejected = "the invalid one goes" if len(errors) == 1 else "the invalid ones go"
    return (f"fix {them}, or import the {count(len(notes), 'valid row')} with --skip-invalid "
            f"({rejected} to {_rejects_path(path).name})")


def _prepare(path: Path, reading: Reading, skip_invalid: bool, redact: bool) -> PreparedFile:
    """:func:`prepare` for an input already checked by :func:`check_source`."""
    from .pii import findings as pii

    source = _source_name(path)
    notes, places, rejected, midnight_dates = _collect(path, reading)
    errors = [e for e, _ in rejected]
    # not one valid row: the wrong file, or the wrong --map; a file not read to its end: rows lost unreported
    if errors and (not skip_invalid or not notes or any(isinstance(e, UnreadableRestError) for e in errors)):
        raise InvalidFileError(source, errors, _next_step(path, notes, errors) if not skip_invalid else "")
    scanner = pii.load_scanner()
    stored, found, forms = pii.scan_for_import(notes, redact=redact, scanner=scanner)
    return PreparedFile(path, source, stored, places, found, rejected, scanner.version, redact, forms, notes,
                        midnight_dates)


@contextlib.contextmanager
def _rejects_file(prepared: PreparedFile) -> Iterator[Path | None]:
    """The rejects file of a prepared input (None if it has none), written in full as the block starts, in place
    only if the block succeeds: opened first, a file that cannot be written stops the import before anything
    lands (before a new workspace is made, too)."""
    if not prepared.rejected:
        yield None
        return
    rejects = _rejects_path(prepared.path)
    with private_file(rejects, through_links=False) as fh:  # named after the input, in a folder maybe others'
        _write_rejects(fh, prepared.rejected)
        yield rejects


def store(workspace: Workspace, prepared: PreparedFile, *, update: bool = False) -> FileReport:
    """Write a prepared input: its notes and their scans in one transaction; its rejects file only if that commits."""
    with _rejects_file(prepared) as rejects:
        return _store(workspace, prepared, rejects, update)


def _store(workspace: Workspace, prepared: PreparedFile, rejects: Path | None, update: bool) -> FileReport:
    """:func:`store` inside the block that puts its rejects file in place."""
    from .pii import findings as pii

    with workspace.transaction():  # the notes and their scans land together or not at all (Ctrl-C too)
        pii.check_redactions_kept(workspace, prepared.notes, prepared.places, redact=prepared.redact,
                                  forms=prepared.forms, plain=prepared.plain)
        places = {note.note_id: place for note, place in zip(prepared.notes, prepared.places)}  # changed notes' rows
        result = workspace.import_notes(prepared.notes, prepared.source, update=update, forms=prepared.forms,
                                        places=places)
        # a note kept redacted is not the file's version: its scan would be of text the workspace lacks
        kept = set(result.kept_redacted)
        scanned = [i for i, n in enumerate(prepared.notes) if n.note_id not in kept]
        findings = pii.record_scans(workspace, [prepared.notes[i] for i in scanned],
                                    [prepared.findings[i] for i in scanned],
                                    scanner_version=prepared.scanner_version,
                                    redacted_by=f"import:{prepared.source}" if prepared.redact else None)
    return FileReport(prepared.source, result, [e for e, _ in prepared.rejected], rejects, findings,
                      _not_notes(prepared.path), prepared.midnight_dates)


def import_path(
    workspace: Workspace,
    path: str | os.PathLike,
    *,
    mapping: dict[str, str] | None = None,
    update: bool = False,
    skip_invalid: bool = False,
    redact: bool = False,
    encoding: str | None = None,
    date_format: str | None = None,
    midnight: str | None = None,
) -> FileReport:
    """Import one JSON Lines file, CSV file or folder of ``.txt`` files.

    A file with any invalid row imports nothing and raises :class:`InvalidFileError`,
    unless ``skip_invalid``: then the valid rows are imported and the rejected ones
    written, with reasons, to ``<file>.rejects.jsonl`` (a file with no valid row still
    raises). Every note is scanned for residual personal data and the findings recorded
    with it, in the same transaction; with ``redact`` the workspace stores the redacted
    text instead, never the original. ``encoding`` (a Python codec name: cp1252, latin-1)
    is the file's (None: UTF-8, or UTF-16 by its byte-order mark); ``date_format`` (a
    strptime format: ``%d/%m/%Y``) is its dates' (None: ISO dates), stored as ISO dates;
    ``midnight`` says how a time of 00:00 is read ("date-only", "time"; None:
    :func:`_read_midnight`'s rule).
    """
    prepared = prepare(path, mapping=mapping, skip_invalid=skip_invalid, redact=redact, encoding=encoding,
                       date_format=date_format, midnight=midnight)
    return store(workspace, prepared, update=update)


def import_paths(
    workspace: str | os.PathLike | None,
    paths: Iterable[str | os.PathLike],
    *,
    mapping: dict[str, str] | None = None,
    update: bool = False,
    skip_invalid: bool = False,
    redact: bool = False,
    encoding: str | None = None,
    date_format: str | None = None,
    midnight: str | None = None,
) -> Iterator[FileReport]:
    """Import inputs in order into the workspace folder ``workspace`` (None: the default), yielding each report.

    Every input is checked first, and the workspace is opened (created if need be) only once
    the first input has been read and validated and its rejects file (``skip_invalid``) opened
    for writing: an import that fails creates nothing. Each input is its own transaction, so a
    later input's failure keeps the ones before it.
    """
    paths = [Path(p) for p in paths]
    reading = Reading(mapping, encoding, date_format, midnight)
    for path in paths:
        check_source(path, reading)
    opened: Workspace | None = None
    try:
        for path in paths:
            prepared = _prepare(path, reading, skip_invalid, redact)
            with _rejects_file(prepared) as rejects:  # before the workspace is made: it may not be writable
                opened = opened or Workspace.open(workspace)
                report = _store(opened, prepared, rejects, update)
            yield report  # once its rejects file is in place
    finally:
        if opened is not None:
            opened.close()


def check_source(path: str | os.PathLike, reading: Reading = Reading()) -> None:
    """Cheap checks of an input before it is read in full or any workspace is opened.

    Raises a one-line error for an unknown encoding or a date format that reads no whole date, a missing or
    unreadable path, a compressed file or a workbook (not text), an unknown file type, an empty file, a folder without
    ``.txt`` files or given a date format (its notes have no date), ``mapping`` (``--map``) given for anything but
    a CSV file, and a mapped column the CSV file does not have.
    """
    mapping = reading.mapping
    check_encoding(reading.encoding)
    check_date_format(reading.date_format)
    check_midnight(reading.midnight)
    if str(path) == "-":
        raise CaseReviewError("-: import reads files, not standard input; save the notes to a .jsonl file and import that")
    path = Path(path)
    if not path.exists():
        raise CaseReviewError(f"{path}: no such file or folder")
    if path.is_dir():
        if mapping:
            raise CaseReviewError(f"{path}: --map renames CSV columns; a folder of .txt files has none")
        if reading.date_format:
            raise CaseReviewError(f"{path}: --date-format reads the notes' dates; a folder of .txt files has none")
        if not text_files(path):
            raise CaseReviewError(f"{path}: no .txt files in the folder, so no notes to import")
        return
    check_input_file(path)  # first: a workbook or a .gz file is named as what it is, not as an unknown type
    form = note_format(path)
    if form is None:
        raise unknown_file_type(path)
    if mapping and form != "csv":
        raise CaseReviewError(f"{path}: --map renames CSV columns; a JSON Lines file's fields are read as they are")
    if is_blank(path):
        raise CaseReviewError(f"{path}: empty file, so no notes to import")
    if mapping:
        columns = read_csv_header(path, reading.encoding)
        missing = [name for name in mapping if columns is not None and name not in columns]
        if missing:
            raise CaseReviewError(f"{path}: --map {missing[0]}={mapping[missing[0]]}: no column {missing[0]!r} "
                                  f"({describe_columns(columns, mapping)})")


def _collect(
    path: Path, reading: Reading
) -> tuple[list[Note], list[tuple[str, int]], list[tuple[InputError, object]], int]:
    """The valid notes, each one's (source, line), the rejected rows of an input already checked by
    :func:`check_source`, and how many notes' 00:00 :func:`_read_midnight` read as a date alone."""
    notes: list[Note] = []
    places: list[tuple[str, int]] = []
    rejected: list[tuple[InputError, object]] = []
    timed_by_date: dict[int, dict] = {}  # the raw record of each note whose time is its date's (no time field's)
    for source, item, line, raw in _records(path, reading):
        if isinstance(item, InputError):
            rejected.append((item, raw))
            continue
        if item.time is not None and isinstance(raw, dict) and not str(raw.get("time") or "").strip():
            timed_by_date[len(notes)] = raw
        notes.append(item)
        places.append((source, line))
    if not notes and not rejected:  # e.g. a CSV file with a header and no rows
        raise CaseReviewError(f"{path}: no notes to import")
    midnight_dates = _read_midnight(notes, places, timed_by_date, reading) if reading.midnight is None else 0
    return notes, places, rejected, midnight_dates


def _read_midnight(notes: list[Note], places: list[tuple[str, int]], timed_by_date: dict[int, dict],
                   reading: Reading) -> int:
    """Read the 00:00 of a file's dates (``--midnight`` unsaid): a date alone where every time in the file's dates is
    00:00 (many case-management exports write a date-only entry so; read as midnight, it came before the day's timed
    notes), replacing those notes in ``notes``; how many. 00:00 among other times in the dates may be either: refused,
    naming the first such note's file, line and field. A ``time`` field's 00:00 is midnight: casereview's exports write
    a note's time so, and one kept at midnight must import again unchanged. 00:00 is as written, before a zone is
    applied (``2024-06-03T00:00Z``, a date alone, is 01:00 in BST)."""
    as_dates = {i: validate(raw, *places[i], reading.date_format, "date-only") for i, raw in timed_by_date.items()}
    at_midnight = [i for i, note in as_dates.items() if note.time is None]
    others = len(timed_by_date) - len(at_midnight)
    if at_midnight and others:
        source, line = places[at_midnight[0]]
        many = len(at_midnight) > 1
        error = InputError(source, line, "date", (
            f"{count(len(at_midnight), 'note')} of the file "
            + ("(this the first) have a time of 00:00 in their dates" if many else "has a time of 00:00 in its date")
            + f" and {count(others, 'note')} another time: 00:00 may be a date written with no time or a note made at "
            "midnight; say which with --midnight date-only or --midnight time; nothing imported"))
        raise error.in_column(reading.column("date")) if reading.column("date") else error
    for i in at_midnight:
        notes[i] = as_dates[i]
    return len(at_midnight)


def read_notes(
    path: str | os.PathLike, mapping: dict[str, str] | None = None, *, encoding: str | None = None,
    date_format: str | None = None,
) -> list[Note]:
    """Every note of a file, validated (read as :func:`import_path` reads it); any invalid row raises
    :class:`InvalidFileError`."""
    reading = Reading(mapping, encoding, date_format)
    check_source(path, reading)
    path = Path(path)
    notes, _, rejected, _ = _collect(path, reading)
    if rejected:
        raise InvalidFileError(_source_name(path), [e for e, _ in rejected])
    return notes


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["ClientRef=case_id", ...]`` -> ``{"ClientRef": "case_id"}``."""
    mapping = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise CaseReviewError(f"--map {pair!r}: expected SOURCE=TARGET")
        mapping[source.strip()] = target.strip()
    return mapping
