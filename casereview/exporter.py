"""Export notes, their current labels, the decision log or reviewers' comments as JSON Lines or CSV."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from .adjudication import ADJUDICATE_ALL_COMMAND
from .escaping import json_line, spreadsheet_cell, write_csv, write_spreadsheet_csv
from .comment_merging import COMMENT_FIELDS
from .errors import CaseReviewError
from .merging import DECISION_FIELDS, decision_records
from .notes import CORE_FIELDS
from .taxonomy import LABEL_NAMES, POSITIVE_STATES
from .wording import WORKSPACE_DISPUTES, agree, count
from .workspace import FinalDecision, Workspace

KINDS = ("notes", "labels", "decisions", "comments")
FORMATS = ("jsonl", "csv")


@dataclass
class HeldBack:
    """What a labels export holds back as disputed (``WORKSPACE_DISPUTES``, not yet adjudicated)."""

    labels: int = 0  # of the notes written, listed under ``unreviewed``
    notes: int = 0  # left out: every decision on them is disputed, so none is left to export
    left_out_labels: int = 0  # the disputed labels of the notes left out (no record lists them)

    def describe(self) -> str:
        """What was held back, in a sentence naming only what there was (``labels`` or ``notes``, or both)."""
        why = f"({WORKSPACE_DISPUTES.removeprefix('labels ')}, and no one has adjudicated)"
        parts = []
        if self.labels:
            parts.append(f"{count(self.labels, 'disputed label')} listed as unreviewed {why}")
        if self.notes:
            held = count(self.left_out_labels, "more disputed label" if self.labels else "disputed label")
            parts.append(f"{count(self.notes, 'note')} left out, holding {held}{'' if self.labels else ' ' + why}: "
                         f"every decision on {agree(self.notes, 'it', 'them')} is disputed")
        return "; ".join(parts) + f". Settle the disputes with: {ADJUDICATE_ALL_COMMAND}"


@dataclass
class ExactCells:
    """Cells a notes or labels CSV writes exactly, for importing again, that a spreadsheet opening the file would not
    show as written: text starting like a formula (it would run), or holding a control character."""

    cells: int = 0

    def describe(self) -> str:
        starts, holds = agree(self.cells, "starts", "start"), agree(self.cells, "holds", "hold")
        return (f"note: {count(self.cells, 'cell')} of this CSV {starts} like a spreadsheet formula (= + - @, a tab or "
                f"a carriage return) or {holds} a control character, written exactly, for importing again: open it in "
                "a spreadsheet through its import dialog with every column as text, not by double-clicking")

    def cell(self, value: Any) -> Any:
        """:func:`_cell`, counting the text a spreadsheet would not show as written."""
        value = _cell(value)
        if isinstance(value, str) and spreadsheet_cell(value) != value:
            self.cells += 1
        return value


def note_records(workspace: Workspace) -> Iterator[dict[str, Any]]:
    for note in workspace.iter_notes():
        yield note.to_record(with_labels=False)


def decided_labels(workspace: Workspace) -> tuple[dict[str, dict[str, FinalDecision]], frozenset[tuple[str, str]]]:
    """Every note's final decisions and the (note, label) pairs disputed: what a labels export reads of the log."""
    final = workspace.final_decisions()  # one query, not one a note
    return final, final.disputed  # read with them (Workspace.disagreements' pairs), not read again


def label_records(workspace: Workspace, held_back: HeldBack | None = None,
                  decided: tuple[dict[str, dict[str, FinalDecision]], frozenset[tuple[str, str]]] | None = None,
                  ) -> Iterator[dict[str, Any]]:
    """Notes with at least one decision, with their confirmed or added labels.

    A label's decision is its final state (``Workspace.final_decisions``, as reports
    count it): the adjudication, else the side its reviewers took, whoever saved last.
    Labels without a decision (or only marked unsure) are listed under ``unreviewed``, so
    that importing the file again never turns them into negatives; so are disputed
    labels (reviewers disagree, an imported label counting as a reviewer's, and no one
    has adjudicated yet), whose current state is only whichever coder saved last. A
    note whose every decision is disputed has none to export and is left out, as a
    note with no decision is. ``held_back`` counts both, as the records are written.
    """
    held_back = HeldBack() if held_back is None else held_back
    final, disputed = decided if decided is not None else decided_labels(workspace)
    for note in workspace.iter_notes(with_decisions=True):  # a note no one decided on has nothing to export
        current = final.get(note.note_id, {})
        decisions = {label: d for label, d in current.items() if (note.note_id, label) not in disputed}
        if not decisions:
            if current:
                held_back.notes += 1
                held_back.left_out_labels += len(current)
            continue
        held_back.labels += len(current) - len(decisions)
        record = note.to_record(with_labels=False)
        record["labels"] = [n for n in LABEL_NAMES if n in decisions and decisions[n].state in POSITIVE_STATES]
        open_labels = [n for n in LABEL_NAMES if n not in decisions or decisions[n].state == "unsure"]
        if open_labels:
            record["unreviewed"] = open_labels
        yield record


def comment_records(workspace: Workspace) -> Iterator[dict[str, Any]]:
    return workspace.iter_comments()


@dataclass
class Redacted:
    """``export comments --redact``: whether asked, and how many comments had personal data replaced."""

    asked: bool = False
    comments: int = 0

    def one_more(self) -> None:
        self.comments += 1

    def describe(self) -> str:
        return (f"personal data replaced by [LABEL] in {count(self.comments, 'comment')} (a redacted export is for "
                "reading: merge takes the one made without --redact)")


def export(workspace: Workspace, kind: str, fmt: str, out: IO[str], *, allow_pii: bool = False,
           held_back: HeldBack | None = None, redacted: Redacted | None = None) -> int:
    """Write ``kind`` records to ``out`` in ``fmt``; returns the number written.

    Notes with unresolved personal-data findings are refused (nothing is written)
    unless ``allow_pii``; so are comments holding personal data, unless ``redacted`` is asked (comments only: the
    personal data replaced). ``held_back``: filled with what a labels export holds back as disputed.
    """
    check_redact(kind, redacted)
    if not allow_pii and not (redacted is not None and redacted.asked):
        from .pii.findings import check_exportable

        check_exportable(workspace, kind)
    return write(workspace, kind, fmt, out, held_back, redacted=redacted)


def check_redact(kind: str, redacted: Redacted | None) -> None:
    """``--redact`` refused for an export but comments' (a notes or labels export is redacted by ``pii redact``)."""
    if redacted is not None and redacted.asked and kind != "comments":
        raise CaseReviewError(f"--redact: only with export comments; a {kind} export's file is redacted by "
                              f"'casereview pii redact {kind}.jsonl -o shared.jsonl'")


def write(workspace: Workspace, kind: str, fmt: str, out: IO[str], held_back: HeldBack | None = None,
          exact_cells: ExactCells | None = None, redacted: Redacted | None = None) -> int:
    """:func:`export` without its personal-data check, for a caller that has just made it (the CLI, before it opens
    the file it writes, so that a refusal writes nothing): made again here, every comment was scanned twice.
    ``redacted`` asked: the comments written with their personal data replaced (:func:`pii.findings.redacted_comments`),
    counted there."""
    check_redact(kind, redacted)
    with workspace.snapshot():  # one state read throughout: a CSV's header and its rows are read apart
        return _write(workspace, kind, fmt, out, held_back, exact_cells or ExactCells(), redacted or Redacted())


def _write(workspace: Workspace, kind: str, fmt: str, out: IO[str], held_back: HeldBack | None,
           exact_cells: ExactCells, redacted: Redacted) -> int:
    decided = decided_labels(workspace) if kind == "labels" else None

    def records() -> Iterator[dict[str, Any]]:
        if kind == "labels":
            return label_records(workspace, held_back, decided)
        if redacted.asked:
            from .pii.findings import redacted_comments

            return redacted_comments(workspace, redacted.one_more)
        return {"notes": note_records, "decisions": decision_records, "comments": comment_records}[kind](workspace)

    if fmt == "jsonl":
        count = 0
        for record in records():
            out.write(json_line(record) + "\n")  # exact, with no raw control a terminal acts on (cat, less)
            count += 1
        return count
    if kind in ("decisions", "comments"):
        # for people to read in a spreadsheet: a comment typed as =HYPERLINK(...) is text (merge reads it back as
        # typed, escaping.spreadsheet_text)
        return write_spreadsheet_csv(out, DECISION_FIELDS if kind == "decisions" else COMMENT_FIELDS, records())
    # Notes and labels are imported again: their text stays exact (a leading ' would be part of the note). A CSV
    # header names every column before the first row: they are read first, keeping no record (keeping every row for
    # the header took memory as the workspace grew: 350 MB for 200,000 notes, where JSON Lines took 55 MB).
    fields = workspace.iter_note_fields() if kind == "notes" else label_records(workspace, HeldBack(), decided)
    return write_csv(out, _note_columns(fields, kind), records(), exact_cells.cell)


def _note_columns(records: Iterable[dict[str, Any]], kind: str) -> list[str]:
    """The CSV columns of notes or labels: the codebook's fields, then the other fields any record has, in
    first-seen order."""
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    # a time column where a note has a time (beside the date), as extra fields: a workspace with none
    # exports the columns it did before times were kept
    columns = [f for f in CORE_FIELDS if f != "time" or "time" in seen]
    if kind == "labels":
        columns += ["labels", "unreviewed"]
    return columns + [k for k in seen if k not in columns]


def _cell(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value
