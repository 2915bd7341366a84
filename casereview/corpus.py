"""A labelled corpus folder (``corpora/sample``): notes with labels, evidence spans and splits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import CaseReviewError, InputError, InvalidCorpusError
from .files import check_input_file
from .notes import NOT_UTF8_SAVE, Note, iter_validated, one_line, read_jsonl
from .taxonomy import LABEL_NAMES
from .wording import count

NOTES_FILE = "notes.jsonl"
SPLITS = ("train", "dev", "test")

#: Checks a corpus note's fields beyond the note schema, raising :class:`InputError`: (raw record, its note,
#: file, line).
FieldCheck = Callable[[dict, Note, str, int], None]


def package_root() -> Path:
    """The folder that holds ``models/`` and ``corpora/sample``: ``casereview/_data`` in an installed wheel (setup.py
    copies them there), else the source checkout an editable install runs from."""
    package = Path(__file__).resolve().parent
    installed = package / "_data"
    return installed if installed.is_dir() else package.parent


def default_corpus() -> Path:
    return package_root() / "corpora" / "sample"


def corpus_folder(folder: str | Path | None) -> Path:
    """The corpus a command reads: ``folder`` (a ``--corpus``), else the sample corpus."""
    return Path(folder) if folder else default_corpus()


def is_sample(folder: str | Path | None) -> bool:
    """Whether ``folder`` (a ``--corpus``; None for the default) is the project's sample corpus, whose facts
    (synthetic, its voices, its models' measured design choices) a model card may state."""
    return corpus_folder(folder).resolve() == default_corpus().resolve()


def check_split_and_origin(raw: dict, note: Note, source: str, line: int) -> None:
    """Fields every corpus note has: its ``split``, and the ``origin`` (voice) and ``hard_case`` it may have."""
    split_name = raw.get("split")
    if split_name is None:
        raise InputError(source, line, "split", f"missing: a corpus note needs its split ({', '.join(SPLITS)})")
    if split_name not in SPLITS:
        raise InputError(source, line, "split", f"unknown split; known: {', '.join(SPLITS)}")
    for name in ("origin", "hard_case"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            raise InputError(source, line, name, f"must be a string, not {type(raw[name]).__name__}")
    if raw.get("origin") is not None:  # train --cv origin prints each voice in a row of its table
        one_line(raw["origin"], "origin", source, line)


def check_labels_and_evidence(raw: dict, note: Note, source: str, line: int) -> None:
    """A concern corpus note's labels (every label decided: those listed are positives, the rest negatives) and
    evidence, ``{label: [{start, end}]}``: character spans of the text, for labels the note carries."""
    check_split_and_origin(raw, note, source, line)
    if note.labels is None:
        raise InputError(source, line, "labels", "missing: a corpus note needs its labels ([] for none)")
    if not isinstance(raw["labels"], list):
        raise InputError(source, line, "labels", "must be a list of label names")
    if note.unreviewed:
        raise InputError(source, line, "unreviewed", "a corpus note decides every label (its labels are the "
                                                     "positives, the others negatives); train on partly "
                                                     "reviewed notes through a workspace's 'retrain'")
    evidence = raw.get("evidence")
    if evidence is not None:
        check_evidence(evidence, note, source, line, note.labels)


def check_evidence(evidence: Any, note: Note, source: str, line: int, labels: Sequence[str] | None = None) -> None:
    """``evidence``, ``{label: [{start, end}]}``: character spans of the note's text under each label; ``labels``, the
    labels it may name (None: any key)."""
    if not isinstance(evidence, dict):
        raise InputError(source, line, "evidence", "must be an object: {label: [{start, end}, ...]}")
    for label, spans in evidence.items():
        named = repr(label) if label in LABEL_NAMES else "a key"  # never the key itself: a wrong field may hold text
        if labels is not None and label not in labels:
            raise InputError(source, line, "evidence", f"{named} is not one of the note's labels")
        check_spans(spans, note, source, line, "evidence", f"{named}: ")


def check_note_evidence(raw: dict, note: Note, source: str, line: int) -> None:
    """A note's ``evidence`` field, if it has one, as spans of its text (:func:`check_evidence`, any label): retraining
    reads the spans, redaction moves them. Evidence given as text (a CSV cell, as ``export notes --format csv`` writes
    it) holds no span read as one, and is kept as it came."""
    evidence = raw.get("evidence")
    if evidence is not None and not isinstance(evidence, str):
        check_evidence(evidence, note, source, line)


def check_spans(spans: Any, note: Note, source: str, line: int, field: str, prefix: str = "") -> None:
    """``spans`` (a field's value, or the list under one of its keys, named by ``prefix``): a list of non-empty
    character spans ``{start, end}`` of the note's text."""
    if not isinstance(spans, list):
        raise InputError(source, line, field, f"{prefix}must be a list of spans {{start, end}}")
    for number, span in enumerate(spans, 1):
        start, end = (span.get("start"), span.get("end")) if isinstance(span, dict) else (None, None)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise InputError(source, line, field, f"{prefix}span {number} needs whole-number 'start' and 'end'")
        where = f"{prefix}span {number} ({start}-{end})"
        if not 0 <= start <= len(note.text) or not 0 <= end <= len(note.text):
            raise InputError(source, line, field, f"{where} is outside the text ({count(len(note.text), 'character')})")
        if start > end:  # start and end swapped, as a tool counting from the end may write them
            raise InputError(source, line, field, f"{where} is reversed: it ends before it starts")
        if start == end:
            raise InputError(source, line, field, f"{where} is empty")


#: What a concern corpus folder holds, said when a ``--corpus`` is not one.
HOLDS = (f"a corpus folder holds {NOTES_FILE}: notes in the codebook's schema, one JSON object a line, each with its "
         "labels and split")


def load(folder: str | Path | None = None, check: FieldCheck = check_labels_and_evidence,
         holds: str = HOLDS) -> list[dict[str, Any]]:
    """Every note record of the corpus, in file order, as written.

    Each is checked against the note schema (as an import checks it) and by ``check`` for the corpus's own fields;
    any problem is an :class:`InvalidCorpusError` naming the file, line and field of every invalid note.
    ``holds``: what the folder should hold, said when it does not exist or holds no notes file.
    """
    folder = corpus_folder(folder)
    if not folder.exists():
        raise CaseReviewError(f"{folder}: no such folder ({holds})")
    path = folder / NOTES_FILE if folder.is_dir() else folder
    if not path.exists():
        raise CaseReviewError(f"{folder}: no {NOTES_FILE} in the folder ({holds})")
    source = str(check_input_file(path))
    records, errors = [], []
    # train has no --encoding to give: a byte that is not UTF-8 is said to need the file saved as UTF-8
    for line, raw, note in iter_validated(read_jsonl(path, source, not_utf8=NOT_UTF8_SAVE), source):
        if not isinstance(note, InputError):
            try:
                check(raw, note, source, line)
            except InputError as e:
                note = e
        if isinstance(note, InputError):
            errors.append(note)
            continue
        # the id as the workspace stores it (a whole number written without quotes is the same note)
        records.append(raw if raw["note_id"] == note.note_id else {**raw, "note_id": note.note_id})
    if errors:
        raise InvalidCorpusError(source, errors)
    return records


def split(records: list[dict], name: str) -> list[dict]:
    return [r for r in records if r.get("split") == name]


def check_splits(records: list[dict], folder: str | Path | None, names: Sequence[str], why: str) -> None:
    """Refuse a corpus with no notes in one of the splits ``names``, naming the corpus and every split it lacks,
    before anything is trained; ``why`` says what the splits are for."""
    empty = [name for name in names if not split(records, name)]
    if empty:
        raise CaseReviewError(f"{corpus_folder(folder)}: no {' and no '.join(empty)} notes (a note's 'split'): {why}")


def data_hash(records: list[dict]) -> str:
    """A hash of the corpus content (ids, texts, labels, evidence, splits) for model cards."""
    digest = hashlib.sha256()
    for r in records:
        digest.update(json.dumps([r["note_id"], r["text"], sorted(r.get("labels") or []),
                                  r.get("evidence"), r.get("split")], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def hand_origins(records: list[dict]) -> list[str]:
    """The hand-written voices (a voice may have several batches), for leave-one-origin-out evaluation."""
    return sorted({r["origin"] for r in records if str(r.get("origin", "")).startswith("hand:")})
