"""Import note files into a workspace: validate every row, then store each file in one transaction."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from .corpus import check_note_evidence
from .errors import CaseReviewError, InputError, InvalidFileError, UnknownValueError, UnreadableRestError
from .escaping import json_line
from .files import check_input_file, is_blank, private_file
from .folder_swap import signals_held
from .dates import check_date_format, check_midnight, read_date
from .names import escaped
from .notes import (CODED_FIELDS, Note, check_encoding, codebook_value, describe_columns, iter_notes, iter_validated,
                    note_format, read_csv, read_csv_header, read_jsonl, named, read_text_folder, shown_value,
                    text_files, unknown_file_type, validate)
from .value_maps import ValueMap
from .wording import count
from .workspace import ImportResult, Workspace

if TYPE_CHECKING:
    from .pii.findings import ImportScan

T = TypeVar("T")


@dataclass
class FileReport:
    source: str
    result: ImportResult
    rejected: list[InputError] = field(default_factory=list)
    rejects_path: Path | None = None
    pii_findings: int = 0  # personal-data findings recorded (already redacted with redact=True)
    not_notes: int = 0  # a folder's entries that are not notes (other files, subfolders): counted, never named
    midnight_dates: int = 0  # notes whose date's 00:00 was read as a date alone, every time in the file's dates being so
    # without --redact: each other field (a CMS export's own column, "Child Name") in which the scanner found personal
    # data, and in how many notes; findings cover a note's text only, so these are kept and exported as they came
    fields_with_personal_data: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Reading:
    """How an input's rows are read: ``mapping`` (``--map``) renames a CSV file's columns to the codebook's fields,
    ``values`` (``--map-value``, ``--value-map``) maps their values of coded fields to the codebook's,
    ``encoding`` (``--encoding``) is a Python codec name (None: UTF-8, or UTF-16 by its byte-order mark),
    ``date_format`` (``--date-format``) a strptime format dates are in (None: ISO dates) and ``midnight``
    (``--midnight``) how a time of 00:00 is read: "date-only", "time", or None for :func:`_validate`'s rule, whose
    answer ``dates_at_midnight`` carries to the readings after the first: every time in the file's dates is 00:00,
    so each is read as a date alone."""

    mapping: dict[str, str] | None = None
    encoding: str | None = None
    date_format: str | None = None
    midnight: str | None = None
    dates_at_midnight: bool = False
    values: ValueMap | None = None  # --map-value, --value-map: the file's own values of coded fields, mapped

    def column(self, name: str) -> str | None:
        """The file's column that ``--map`` renames to the field ``name`` (None: not renamed)."""
        return next((column for column, field in (self.mapping or {}).items() if field == name), None)

    def in_column(self, error: InputError) -> InputError:
        """``error`` naming the file's column its field was read from, where ``--map`` renamed one (an unknown value's
        error, the other unknown values of its row too)."""
        in_column = error.in_column(column) if (column := self.column(error.field)) else error
        if isinstance(error, UnknownValueError):
            in_column.others = [self.in_column(other) for other in error.others]
        return in_column


def _records(path: Path, reading: Reading) -> Iterator[tuple[str, Note | InputError, int, object]]:
    """(source, note-or-error, line, raw) for every row of a file or text folder (a time of 00:00 read as
    ``reading.midnight`` says; unsaid, as midnight, unless ``reading.dates_at_midnight``)."""
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
    rows = (read_jsonl(path, encoding=reading.encoding) if note_format(path) == "jsonl"
            else read_csv(path, mapping, encoding=reading.encoding))
    given: dict[int, dict[str, str]] = {}  # a row's values a value map replaced, by line, until its note is read
    if reading.values:
        rows = reading.values.applied_to_rows(rows, given)
    rows_read = iter_validated(rows, path.name, reading.date_format, reading.midnight or "time")
    for line, raw, item in rows_read:  # a row at a time, kept by no one
        if reading.dates_at_midnight and isinstance(item, Note) and _time_from_date(item, raw):
            item = validate(raw, path.name, line, reading.date_format, "date-only")
        if isinstance(item, Note):
            item.source_values = given.pop(line, {})
            item = _evidence_checked(raw, item, path.name, line)
        given.pop(line, None)
        if isinstance(item, InputError):  # the user fixes the file's column, not ours
            item = reading.in_column(item)
        yield path.name, item, line, raw


def _time_from_date(note: Note, raw: object) -> bool:
    """Whether a note's time is its date's (a ``time`` field's 00:00 is midnight: casereview's exports write a note's
    time so, and one kept at midnight must import again unchanged)."""
    return note.time is not None and isinstance(raw, dict) and not str(raw.get("time") or "").strip()


def _written_at_midnight(raw: dict, date_format: str | None) -> bool:
    """Whether a valid note whose time is its date's (:func:`_time_from_date`) has 00:00 written in its date, which
    ``--midnight date-only`` reads as no time (its date read again so, not the whole note validated again)."""
    return read_date(raw["date"].strip(), date_format, midnight_is_no_time=True)[1] is None


def _evidence_checked(raw: dict, note: Note, source: str, line: int) -> Note | InputError:
    """The note, or its row's error if its ``evidence`` has a span that is not one of its text
    (:func:`check_note_evidence`)."""
    try:
        check_note_evidence(raw, note, source, line)
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
    """The name an input is known by in the workspace and in messages (a folder given as ``.`` by its own name),
    escaped where it is not printable text (:func:`names.escaped`): its notes' reviewer, ``import:<name>``, is shown in
    tables, the review UI and exports, and an escape sequence or a right-to-left override in a file's name would reach
    the terminal or reorder what they show."""
    return escaped(named(path).name)


def _write_rejects(fh: TextIO, rejected: list[tuple[InputError, object]]) -> None:
    for error, raw in rejected:
        entry = {"source": error.source, "line": error.line, "field": error.named_field, "reason": error.problem}
        if isinstance(raw, dict):
            entry["row"] = raw
        line = json_line(entry, default=str)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate the row came with ("\ud800"): written as the file wrote it
            line = json.dumps(entry, default=str)
        fh.write(line + "\n")


#: How many notes an import scans, or stores, at a time: a multiple of the scanner's batch (256), so that the
#: scanner sees the batches it would see scanning the whole file at once.
BATCH_NOTES = 1024


@dataclass
class PreparedFile:
    """An input read, validated and scanned for personal data: everything but the writing. It keeps what the scan
    found in each valid note, not the notes: :func:`store` reads them again, a batch at a time (a file of 200,000
    notes held whole took 700 MB), and checks that they are the notes scanned."""

    path: Path
    source: str
    reading: Reading
    rejected: list[tuple[InputError, object]]
    scanner_version: str
    redact: bool
    scans: list[ImportScan]  # each valid note's, in order
    digests: bytearray  # each valid note's content hash as the file gave it when scanned: 32 bytes a note
    midnight_dates: int = 0  # as FileReport's


def prepare(
    path: str | os.PathLike, *, mapping: dict[str, str] | None = None, skip_invalid: bool = False,
    redact: bool = False, encoding: str | None = None, date_format: str | None = None, midnight: str | None = None,
    values: ValueMap | None = None,
) -> PreparedFile:
    """Read, validate and scan one input, writing nothing; raises as :func:`import_path` does."""
    reading = Reading(mapping, encoding, date_format, midnight, values=values)
    check_source(path, reading)
    return _prepare(Path(path), reading, skip_invalid, redact)


def _next_step(path: Path, notes: int, errors: list[InputError]) -> str:
    """What to do about a file refused for its invalid rows, when --skip-invalid would import the ``notes`` valid."""
    if not notes or any(isinstance(e, UnreadableRestError) for e in errors):
        return ""  # --skip-invalid would import nothing of it either
    them = "it" if len(errors) == 1 else "them"
    rejected = "the invalid one goes" if len(errors) == 1 else "the invalid ones go"
    return (f"fix {them}, or import the {count(notes, 'valid row')} with --skip-invalid "
            f"({rejected} to {escaped(_rejects_path(path).name)})")


def _prepare(path: Path, reading: Reading, skip_invalid: bool, redact: bool) -> PreparedFile:
    """:func:`prepare` for an input already checked by :func:`check_source`: its rows validated first, every one
    (a bad row is told at once, not after a scan of the whole file), then its valid notes scanned a batch at a time."""
    from .pii import findings as pii

    source = _source_name(path)
    notes, rejected, reading, midnight_dates = _validate(path, reading)
    errors = [e for e, _ in rejected]
    # not one valid row: the wrong file, or the wrong --map; a file not read to its end: rows lost unreported
    if errors and (not skip_invalid or not notes or any(isinstance(e, UnreadableRestError) for e in errors)):
        raise InvalidFileError(source, errors, _next_step(path, notes, errors) if not skip_invalid else "")
    scanner = pii.load_scanner()
    scans: list[ImportScan] = []
    digests = bytearray()
    for batch in _batches(_notes_again(path, reading, rejected)):
        scans.extend(pii.scan_for_import([note for note, _, _ in batch], scanner))
        digests.extend(b"".join(bytes.fromhex(digest) for _, _, digest in batch))
    if len(scans) != notes:
        raise _changed(path)
    return PreparedFile(path, source, reading, rejected, scanner.version, redact, scans, digests, midnight_dates)


def _batches(items: Iterable[T]) -> Iterator[list[T]]:
    """``items`` in lists of :data:`BATCH_NOTES`."""
    items = iter(items)
    while batch := list(itertools.islice(items, BATCH_NOTES)):
        yield batch


def _changed(path: Path) -> CaseReviewError:
    """The error for an input that reads otherwise than it did a reading before (a file still being written)."""
    return CaseReviewError(f"{path}: changed while it was being imported; nothing imported (import it again once "
                           "nothing writes to it)")


def _notes_again(path: Path, reading: Reading, rejected: list[tuple[InputError, object]],
                 digests: bytearray | None = None) -> Iterator[tuple[Note, tuple[str, int], str]]:
    """The valid notes of an input read once already, with each one's (source, line) and content hash (computed
    once here: hashing a note costs about as much as validating it): the rows rejected then are rejected again, and
    each note is the one read then (its content hash, given ``digests``), else the input changed meanwhile and
    :func:`_changed` is raised (a scan of one note must never be stored with another)."""
    rejected_rows = iter([(e.source, e.line) for e, _ in rejected])
    notes = 0
    for source, item, line, _ in _records(path, reading):
        if isinstance(item, InputError):
            if next(rejected_rows, None) != (item.source, item.line):
                raise _changed(path)
            continue
        digest = item.content_hash
        if digests is not None and bytes.fromhex(digest) != digests[32 * notes:32 * notes + 32]:
            raise _changed(path)
        notes += 1
        yield item, (source, line), digest
    if next(rejected_rows, None) is not None or (digests is not None and 32 * notes != len(digests)):
        raise _changed(path)


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


def store(workspace: Workspace, prepared: PreparedFile, *, update: bool = False,
          committed: Callable[[FileReport], None] = lambda report: None) -> FileReport:
    """Write a prepared input: its notes and their scans in one transaction; its rejects file only if that commits.
    ``committed`` is told once both are in, a Ctrl-C (SIGTERM, SIGHUP) held off from the commit until it returns: a
    caller saying what a stop leaves (``cli.if_stopped``) says the file is in once it is, not a moment later."""
    return _stored(lambda: workspace, prepared, update, committed)


def _stored(workspace: Callable[[], Workspace], prepared: PreparedFile, update: bool,
            committed: Callable[[FileReport], None]) -> FileReport:
    """:func:`store`, the workspace given by ``workspace()`` once the rejects file is open: an import that cannot
    write it (a folder not writable) has made no workspace."""
    with contextlib.ExitStack() as stop_held:
        with _rejects_file(prepared) as rejects:
            report = _store(workspace(), prepared, rejects, update, stop_held)
        committed(report)
    return report


def _store(workspace: Workspace, prepared: PreparedFile, rejects: Path | None, update: bool,
           stop_held: contextlib.ExitStack) -> FileReport:
    """:func:`store` inside the block that puts its rejects file in place: the input read again, a batch at a time.
    ``stop_held`` is given the holding off of a stop just before the commit, and releases it."""
    from .pii import findings as pii

    findings, scans, in_fields = 0, iter(prepared.scans), {}
    notes = _notes_again(prepared.path, prepared.reading, prepared.rejected, prepared.digests)
    with workspace.transaction():  # the notes and their scans land together or not at all (Ctrl-C too)
        with workspace.importing(prepared.source, update=update) as writing:
            for batch in _batches(notes):
                plain = [note for note, _, _ in batch]
                places = [place for _, place, _ in batch]
                batch_scans = [next(scans) for _ in batch]
                if not prepared.redact:
                    _count_fields_with_personal_data(in_fields, plain, batch_scans)
                stored, found, forms = zip(*(pii.as_imported(note, scan, redact=prepared.redact, plain=digest)
                                             for (note, _, digest), scan in zip(batch, batch_scans)))
                digests = [form.redacted if prepared.redact else form.plain for form in forms]  # the stored notes'
                pii.check_redactions_kept(workspace, stored, places, redact=prepared.redact, forms=forms, plain=plain)
                # a note kept redacted is not the file's version: its scan would be of text the workspace lacks
                kept = set(writing.add(stored, forms, {note.note_id: place for note, place in zip(stored, places)},
                                       digests))
                scanned = [i for i, note in enumerate(stored) if note.note_id not in kept]
                findings += pii.record_scans(workspace, [stored[i] for i in scanned], [found[i] for i in scanned],
                                             scanner_version=prepared.scanner_version,
                                             redacted_by=f"import:{prepared.source}" if prepared.redact else None,
                                             digests=[digests[i] for i in scanned])
        stop_held.enter_context(signals_held())  # the commit, as this block ends, and its being told are one step
    return FileReport(prepared.source, writing.result, [e for e, _ in prepared.rejected], rejects, findings,
                      _not_notes(prepared.path), prepared.midnight_dates, in_fields)


def _count_fields_with_personal_data(counts: dict[str, int], notes: list[Note], scans: list) -> None:
    """Add to ``counts`` each other field of ``notes`` whose value their scans (:class:`pii.findings.ImportScan`)
    redact, once per note: the fields' names, never their values."""
    for note, scan in zip(notes, scans):
        if scan.fields_redacted:
            for name, value in note.extra.items():
                if scan.extra.get(name) != value:
                    counts[name] = counts.get(name, 0) + 1


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
    values: ValueMap | None = None,
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
    :func:`_validate`'s rule); ``values`` (:func:`value_maps.parse_value_maps`) maps the file's own values of
    note types and author roles to the codebook's.
    """
    prepared = prepare(path, mapping=mapping, skip_invalid=skip_invalid, redact=redact, encoding=encoding,
                       date_format=date_format, midnight=midnight, values=values)
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
    values: ValueMap | None = None,
    committed: Callable[[int], None] = lambda done: None,
) -> Iterator[FileReport]:
    """Import inputs in order into the workspace folder ``workspace`` (None: the default), yielding each report.

    Every input is checked first, and the workspace is opened (created if need be) only once
    the first input has been read and validated and its rejects file (``skip_invalid``) opened
    for writing: an import that fails creates nothing. Each input is its own transaction, so a
    later input's failure keeps the ones before it. ``committed`` is told how many inputs are in as each
    commits, before its report is yielded (:func:`store`).
    """
    paths = [Path(p) for p in paths]
    reading = Reading(mapping, encoding, date_format, midnight, values=values)
    for path in paths:
        check_source(path, reading)
    opened: Workspace | None = None

    def opening() -> Workspace:
        nonlocal opened
        opened = opened or Workspace.open(workspace)
        return opened

    try:
        for done, path in enumerate(paths, 1):
            prepared = _prepare(path, reading, skip_invalid, redact)
            yield _stored(opening, prepared, update, lambda report: committed(done))
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


def _validate(path: Path, reading: Reading,
              kept: list[Note] | None = None) -> tuple[int, list[tuple[InputError, object]], Reading, int]:
    """An input already checked by :func:`check_source`, read a row at a time: how many valid notes it has, its
    rejected rows, the reading its next readings take, and how many notes' 00:00 that reads as a date alone; each
    valid note is added to ``kept`` if given, as the reading returned reads it.

    The 00:00 of a file's dates, ``--midnight`` unsaid: a date alone where every time in the file's dates is 00:00
    (many case-management exports write a date-only entry so; read as midnight, it came before the day's timed
    notes); 00:00 among other times in the dates may be either: refused, naming the first such note's file, line and
    field. 00:00 is as written, before a zone is applied (``2024-06-03T00:00Z``, a date alone, is 01:00 in BST).
    """
    notes, rejected, others = 0, [], 0
    at_midnight, first = 0, None  # notes whose dates' time is 00:00, and the first one's (source, line)
    to_read_again: list[tuple[int, str, int, object]] = []  # with ``kept``: (place in kept, source, line, raw) of each
    for source, item, line, raw in _records(path, reading):
        if isinstance(item, InputError):
            rejected.append((item, raw))
            continue
        if reading.midnight is None and _time_from_date(item, raw):
            if _written_at_midnight(raw, reading.date_format):
                at_midnight, first = at_midnight + 1, first or (source, line)
                if kept is not None:
                    to_read_again.append((notes, source, line, raw))
            else:
                others += 1
        notes += 1
        if kept is not None:
            kept.append(item)
    if not notes and not rejected:  # e.g. a CSV file with a header and no rows
        raise CaseReviewError(f"{path}: no notes to import")
    if not at_midnight:
        return notes, rejected, reading, 0
    if others:
        source, line = first
        these = ("(this the first) have a time of 00:00 in their dates" if at_midnight > 1
                 else "has a time of 00:00 in its date")
        error = InputError(source, line, "date", (
            f"{count(at_midnight, 'note')} of the file {these} and {count(others, 'note')} another time: 00:00 may be "
            "a date written with no time or a note made at midnight; say which with --midnight date-only or "
            "--midnight time; nothing imported"))
        raise error.in_column(reading.column("date")) if reading.column("date") else error
    if kept is not None:
        for i, source, line, raw in to_read_again:
            kept[i] = validate(raw, source, line, reading.date_format, "date-only")
    return notes, rejected, replace(reading, dates_at_midnight=True), at_midnight


def read_notes(
    path: str | os.PathLike, mapping: dict[str, str] | None = None, *, encoding: str | None = None,
    date_format: str | None = None, values: ValueMap | None = None,
) -> list[Note]:
    """Every note of a file, validated (read as :func:`import_path` reads it); any invalid row raises
    :class:`InvalidFileError`."""
    reading = Reading(mapping, encoding, date_format, values=values)
    check_source(path, reading)
    path = Path(path)
    notes: list[Note] = []
    _, rejected, _, _ = _validate(path, reading, notes)
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


@dataclass(frozen=True)
class ValueCount:
    """One value of a coded field in a file (:func:`field_values`): ``value`` as written, white space around it aside
    (None: the field is empty or absent), on how many ``rows``, the codebook value it reads as (None: none) and
    whether a value map (``--map-value``) makes it so."""

    value: str | None
    rows: int
    reads_as: str | None
    mapped: bool


@dataclass
class FieldValues:
    """The values of a coded field in one file, most rows first; values not shown (:func:`notes.shown_value`) are
    counted, never kept; ``unread``: rows that could not be read as records (their own errors, on import)."""

    source: str
    field: str
    values: list[ValueCount]
    not_shown: int = 0  # distinct values
    not_shown_rows: int = 0
    unread: int = 0

    @property
    def rows(self) -> int:
        return sum(v.rows for v in self.values) + self.not_shown_rows


def field_values(
    path: str | os.PathLike, name: str, *, mapping: dict[str, str] | None = None, values: ValueMap | None = None,
    encoding: str | None = None,
) -> FieldValues:
    """The distinct values of coded field ``name`` (note_type, author_role, after ``mapping`` renames a column) in a
    CSV or JSON Lines file, each with its rows and what an import reads it as (``values`` applied), so that a user
    sees what to map before importing; the rows are not validated otherwise. Raises :class:`CaseReviewError` for a
    field whose values the codebook does not list (no other field's values are shown: one may be note text)."""
    if name not in CODED_FIELDS:
        raise CaseReviewError(f"--list-values {name!r}: lists the values of {' or '.join(CODED_FIELDS)} (the field's "
                              "name, after --map renames a column)")
    reading = Reading(mapping, encoding)
    check_source(path, reading)
    path = Path(path)
    if path.is_dir():
        raise CaseReviewError(f"{path}: --list-values reads a CSV or JSON Lines file; a folder of .txt files has no {name}")
    csv_file = note_format(path) == "csv"
    if csv_file and (columns := read_csv_header(path, encoding)) is not None:
        if name not in [(mapping or {}).get(column, column) for column in columns]:
            raise CaseReviewError(f"{path}: no {name!r} column; rename one with --map SOURCE={name} "
                                  f"({describe_columns(columns, mapping or {})})")
    rows = read_csv(path, mapping, encoding=encoding) if csv_file else read_jsonl(path, encoding=encoding)
    counts: dict[str | None, int] = {}
    unread = 0
    for line, raw in rows:
        if isinstance(raw, InputError) and csv_file and line == 1:  # the header: no row can be read
            raise raw
        if not isinstance(raw, dict):
            unread += 1
            continue
        value = raw.get(name)
        value = (value.strip() or None) if isinstance(value, str) else None if value is None else json.dumps(value)
        counts[value] = counts.get(value, 0) + 1
    found = FieldValues(_source_name(path), name, [], unread=unread)
    for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0] or "")):
        if value is not None and not shown_value(value):
            found.not_shown, found.not_shown_rows = found.not_shown + 1, found.not_shown_rows + n
            continue
        target = values.target(name, value) if values else None
        reads_as = target or (codebook_value(name, value) if value is not None else None)
        found.values.append(ValueCount(value, n, reads_as, target is not None))
    return found
