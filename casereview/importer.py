"""Import note files into a workspace: validate every row, then store each file in one transaction."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CaseReviewError, InputError, InvalidFileError
from .files import check_input_file, is_blank, private_file
from .notes import (JSONL_SUFFIXES, Note, describe_columns, iter_notes, read_csv, read_csv_header, read_jsonl,
                    read_text_folder)
from .workspace import ImportResult, Workspace


@dataclass
class FileReport:
    source: str
    result: ImportResult
    rejected: list[InputError] = field(default_factory=list)
    rejects_path: Path | None = None
    pii_findings: int = 0  # personal-data findings recorded (already redacted with redact=True)


def _records(path: Path, mapping: dict[str, str] | None) -> Iterator[tuple[str, Note | InputError, int, object]]:
    """(source, note-or-error, line, raw) for every row of a file or text folder."""
    if path.is_dir():
        seen: set[str] = set()
        for source, line, raw in read_text_folder(path):
            for item in iter_notes([(line, raw)], source):
                if isinstance(item, Note) and item.note_id in seen:
                    item = InputError(source, line, "note_id", "duplicate id in folder")
                elif isinstance(item, Note):
                    seen.add(item.note_id)
                yield source, item, line, raw
        return
    raw_rows = list(read_jsonl(path) if path.suffix.lower() in JSONL_SUFFIXES else read_csv(path, mapping))
    raws = dict(raw_rows)
    for item in iter_notes(raw_rows, path.name):
        line = item.line if isinstance(item, InputError) else None
        yield path.name, item, line or 0, raws.get(line) if line else None


def _write_rejects(path: Path, rejected: list[tuple[InputError, object]]) -> Path:
    target = path.with_name(path.name + ".rejects.jsonl") if not path.is_dir() else path.with_suffix(".rejects.jsonl")
    with private_file(target) as fh:
        for error, raw in rejected:
            entry = {"source": error.source, "line": error.line, "field": error.field, "reason": error.problem}
            if isinstance(raw, dict):
                entry["row"] = raw
            fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    return target


def import_path(
    workspace: Workspace,
    path: str | os.PathLike,
    *,
    mapping: dict[str, str] | None = None,
    update: bool = False,
    skip_invalid: bool = False,
    redact: bool = False,
) -> FileReport:
    """Import one JSON Lines file, CSV file or folder of ``.txt`` files.

    A file with any invalid row imports nothing and raises :class:`InvalidFileError`,
    unless ``skip_invalid``: then the valid rows are imported and the rejected ones
    written, with reasons, to ``<file>.rejects.jsonl``. Every note is scanned for
    residual personal data and the findings recorded; with ``redact`` the workspace
    stores the redacted text instead, never the original.
    """
    from .pii import findings as pii

    path = Path(path)
    notes, rejected = _collect(path, mapping)
    if rejected and not skip_invalid:
        raise InvalidFileError(path.name, [e for e, _ in rejected])
    scanner = pii.load_scanner()
    notes, found = pii.scan_for_import(notes, redact=redact, scanner=scanner)
    result = workspace.import_notes(notes, path.name, update=update)
    report = FileReport(path.name, result, [e for e, _ in rejected])
    report.pii_findings = pii.record_scans(workspace, notes, found, scanner_version=scanner.version,
                                           redacted_by=f"import:{path.name}" if redact else None)
    if rejected:
        report.rejects_path = _write_rejects(path, rejected)
    return report


def check_source(path: str | os.PathLike, mapping: dict[str, str] | None = None) -> None:
    """Cheap checks of an input before it is read in full or any workspace is opened.

    Raises a one-line error for a missing or unreadable path, an unknown file type, an
    empty file, a folder without ``.txt`` files, ``mapping`` (``--map``) given for
    anything but a CSV file, and a mapped column the CSV file does not have.
    """
    path = Path(path)
    if not path.exists():
        raise CaseReviewError(f"{path}: no such file or folder")
    if path.is_dir():
        if mapping:
            raise CaseReviewError(f"{path}: --map renames CSV columns; a folder of .txt files has none")
        if next(path.glob("*.txt"), None) is None:
            raise CaseReviewError(f"{path}: no .txt files in the folder, so no notes to import")
        return
    suffix = path.suffix.lower()
    if suffix not in JSONL_SUFFIXES + (".csv",):
        raise CaseReviewError(f"{path}: unknown file type (expected .jsonl, .csv or a folder of .txt files)")
    if mapping and suffix != ".csv":
        raise CaseReviewError(f"{path}: --map renames CSV columns; a JSON Lines file's fields are read as they are")
    check_input_file(path)
    if is_blank(path):
        raise CaseReviewError(f"{path}: empty file, so no notes to import")
    if mapping:
        columns = read_csv_header(path)
        missing = [name for name in mapping if columns is not None and name not in columns]
        if missing:
            raise CaseReviewError(f"{path}: --map {missing[0]}={mapping[missing[0]]}: no column {missing[0]!r} "
                                  f"({describe_columns(columns, mapping)})")


def _collect(path: Path, mapping: dict[str, str] | None) -> tuple[list[Note], list[tuple[InputError, object]]]:
    check_source(path, mapping)
    notes: list[Note] = []
    rejected: list[tuple[InputError, object]] = []
    for _source, item, _line, raw in _records(path, mapping):
        if isinstance(item, InputError):
            rejected.append((item, raw))
        else:
            notes.append(item)
    if not notes and not rejected:  # e.g. a CSV file with a header and no rows
        raise CaseReviewError(f"{path}: no notes to import")
    return notes, rejected


def read_notes(path: str | os.PathLike, mapping: dict[str, str] | None = None) -> list[Note]:
    """Every note of a file, validated; any invalid row raises :class:`InvalidFileError`."""
    path = Path(path)
    notes, rejected = _collect(path, mapping)
    if rejected:
        raise InvalidFileError(path.name, [e for e, _ in rejected])
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
