"""Decisions brought from one workspace into another (``casereview merge``): coders on a shared server each review
in a workspace of their own account and export their decisions; the QA lead merges the files into theirs, and
agreement, adjudication and reports read them as if everyone had coded there.

The exchange is the ``export decisions`` file (JSON Lines, or CSV as it writes it). Each row says where its
decision was made (``origin_workspace``, ``origin_id``: the workspace's random id and the decision's id there), so
a decision merged once, or a workspace's own, is recognised and added no second time; on which version of the note
(``note_hash``), so a decision made on other text than this workspace's is refused, never merged silently; and, for
a decision made in an audit, which sample that audit is (``audit_hash``), so that it counts only in the same audit.
A merge is one transaction: one bad row, and nothing is merged.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import itertools
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, InvalidDecisionsFileError, quoted_or_described
from .escaping import spreadsheet_text
from .files import check_input_file
from .names import escaped, name_problem
from .notes import one_line, shown_value
from .taxonomy import DECISION_STATES, LABEL_NAMES
from .wording import agree, count, number
from .workspace import AuditRecord, AuditItem, Decision, StagedDecisions, Workspace, log_time

#: The decision log as ``export decisions`` writes it: each event's own fields, then what a merge recognises it by.
DECISION_FIELDS = ("id", "note_id", "label", "state", "reviewer", "created_at", "model_version", "score", "comment",
                   "audit", "kind", "undoes", "note_hash", "origin_workspace", "origin_id", "audit_hash")
KINDS = ("review", "adjudication")
#: An audit's parameters that say which sample it is (with its notes, strata and weights): not the casereview or
#: model version it was drawn with, nor the command, which only repeats them.
AUDIT_DRAW = ("size", "unit", "stratify", "seed", "date_from", "date_to", "oversample", "hide_model", "method")
IMPORT_REVIEWER = "import:"  # an import's labels: recorded alike by every workspace importing the same file
#: What a row and the decision here it says it is must share to be one decision (its ``undoes`` read as the id here).
SAME_DECISION = ("note_id", "label", "state", "reviewer", "created_at", "kind", "audit", "undoes")


def from_a_copy(copied_through: int) -> str:
    """Why a file's rows claim this workspace's id for decisions it did not make, and what to do: the first such row
    says where the copy began (``copied_through``, the last decision both share)."""
    return ("the file comes from a copy of this workspace made other than by `casereview backup` (a folder copied with "
            "cp, rsync or tar, which kept this workspace's id where casereview did not yet give a copy one of its own "
            "when opened), so its decisions claim ids this workspace's own have or will have; none is merged. In the "
            f"copy, `casereview backup NEW --copied-through {copied_through}` makes a workspace of its own of it, its "
            f"decisions after {copied_through} its own: export them from NEW, and decide in NEW from then on")


def audit_hash(audit: AuditRecord, items: list[AuditItem]) -> str:
    """The sample an audit is: how it was drawn and the notes it holds, with their strata and weights, hashed."""
    sample = {"draw": {key: audit.params.get(key) for key in AUDIT_DRAW},
              "items": sorted([i.note_id, i.stratum, i.weight] for i in items)}
    return hashlib.sha256(json.dumps(sample, sort_keys=True).encode()).hexdigest()


def decision_records(workspace: Workspace) -> Iterator[dict[str, Any]]:
    """The decision log, oldest first, as ``export decisions`` writes it (:data:`DECISION_FIELDS`)."""
    audits = {a.name: audit_hash(a, workspace.audit_items(a.name)) for a in workspace.audits()}
    for decision, origin_workspace, origin_id, note_hash in workspace.iter_decision_origins():
        record = {name: getattr(decision, name) for name in DECISION_FIELDS[:12]}
        yield {**record, "note_hash": note_hash, "origin_workspace": origin_workspace, "origin_id": origin_id,
               "audit_hash": audits.get(decision.audit) if decision.audit is not None else None}


@dataclass(frozen=True, slots=True)
class ExchangedDecision:
    """One row of a decisions file: the decision (its ``id`` and ``undoes`` the file's), where it was made, on
    which version of the note, in which sample."""

    line: int
    decision: Decision
    note_hash: str
    origin: tuple[str, int]  # (workspace id, decision id there)
    audit_hash: str | None
    reviewer_problem: str | None = None  # what today's rules find wrong with its reviewer's name: refused if new


@dataclass
class ReviewerMerged:
    merged: int = 0
    present: int = 0  # already here: merged before, this workspace's own, or the same import's


@dataclass
class MergeResult:
    source: str
    reviewers: dict[str, ReviewerMerged] = field(default_factory=dict)
    merging: str = "decision"  # what the file holds: decisions, comments (comment_merging), or "" (no rows)

    @property
    def nothing_to_merge(self) -> str:
        """What a file with no rows holds none of: a JSON Lines export of no comments is an empty file, as one of no
        decisions is (their columns are told by their rows' keys), so which it is cannot be told."""
        return f"no {self.merging}s to merge" if self.merging else "no decisions or comments to merge (an empty file)"

    @property
    def merged(self) -> int:
        return sum(r.merged for r in self.reviewers.values())

    def lines(self) -> list[str]:
        """A line per reviewer: decisions (or comments) merged, and already here."""
        return [f"{name}: {count(r.merged, self.merging)} merged, {number(r.present)} already here"
                for name, r in sorted(self.reviewers.items())]


def merge(workspace: Workspace, path: str | Path) -> MergeResult:
    """Merge the decisions file ``path`` (another workspace's ``export decisions``; or its ``export comments``,
    told by its columns: :mod:`comment_merging`) into ``workspace``, in one transaction; raise
    :class:`InvalidDecisionsFileError` naming every bad row (file, line, field), and merge nothing, if any row is
    bad or cannot be merged here. The file is read once, a row at a time, into a temporary table (a coder's log may
    hold hundreds of thousands of decisions), and placed and merged there by whole-table statements."""
    from .comment_merging import is_comments_file, merge_comments  # which reads this module's rows

    source = str(path)
    records = exchanged_records(check_input_file(path), source)
    columns = next(records)
    if not columns:
        return MergeResult(source, merging="")
    if is_comments_file(columns):
        return merge_comments(workspace, records, source)
    with workspace.staged_decisions() as staged:
        errors = read_decisions(records, source, staged, columns if Path(path).suffix.lower() == ".csv" else None)
        if errors:
            raise InvalidDecisionsFileError(source, errors)
        with workspace.transaction():  # checked and written as one state: another merge or review waits
            staged.refuse_unknown_notes()
            audit_problems = _refuse_other_samples(workspace, staged)
            staged.place(workspace.workspace_id, IMPORT_REVIEWER, SAME_DECISION)
            if errors := _placing_errors(staged, audit_problems, source):
                raise InvalidDecisionsFileError(source, errors)
            _check_reviewers(staged, source)
            staged.merge(source)
        return MergeResult(source, {reviewer: ReviewerMerged(merged, present)
                                    for reviewer, merged, present in staged.counts()})


def _refuse_other_samples(workspace: Workspace, staged: StagedDecisions) -> dict[tuple[str, str], str]:
    """Refuse the rows of an audit not here, or here as another sample; what is wrong, by (audit, sample)."""
    problems = {}
    for name, sample in staged.audits_named():
        if (problem := _audit_problem(workspace, name, sample)) is not None:
            problems[name, sample] = problem
            staged.refuse_audit(name, sample)
    return problems


def _audit_problem(workspace: Workspace, name: str, sample: str) -> str | None:
    record = workspace.audit(name)  # by its name exactly: the decisions stored name it so
    here = None if record is None or record.name != name else audit_hash(record, workspace.audit_items(record.name))
    if here is None and (problem := name_problem(name)) is not None:  # a shifted cell: said, never quoted
        return problem
    shown = escaped(name)
    if here is None:
        return (f"audit '{shown}' is not in this workspace: draw it here with the command `casereview audits "
                "--json` gives for it where the decisions were made")
    if here != sample:
        return (f"audit '{shown}' here is another sample than the one decided in (its notes, strata or weights, "
                "or how it was drawn, differ): its decisions would count in an audit they were not made in")
    return None


def _placing_errors(staged: StagedDecisions, audit_problems: dict[tuple[str, str], str],
                    source: str) -> list[InputError]:
    """Each row that cannot be merged here, by line (:meth:`StagedDecisions.place`): a note not here or of another
    version, an audit not here or another sample, a decision here as another, a reviewer's name not allowed; and
    the rows claiming this workspace's id for decisions that are not its decisions of those ids, which come from a
    copy keeping its id that began after the last decision both share (told once, in full, on the first)."""
    claims = staged.claims()
    errors: list[InputError] = []
    for row in staged.refused():
        refused, note = row["refused"], escaped(row["note_id"])
        if refused == "note_id":
            problem = f"note '{note}' is not in this workspace: import the notes first"
        elif refused == "note_hash":
            problem = (f"note '{note}' was decided on another version of its text or fields than this workspace "
                       "holds: bring both workspaces to one version of the note (import --update), then have it "
                       "decided again there")
        elif refused == "audit":
            problem = audit_problems[row["audit"], row["audit_hash"]]
        elif refused == "origin_id":
            problem = (f"decision {row['origin_id']} of workspace {escaped(row['origin_workspace'])} "
                       f"{_another(row['differs'])}: two workspaces have one id, as a copy of that workspace made "
                       "other than by `casereview backup` keeps it")
        else:
            problem = row["reviewer_problem"]
        if refused is not None:
            errors.append(InputError(source, row["line"], refused, problem))
        if row["claimed"]:
            first, earliest = claims
            claim = (f"decision {row['origin_id']} of this workspace is not in its log" if row["here"] is None
                     else f"decision {row['origin_id']} of this workspace {_another(row['differs'])}")
            why = from_a_copy(earliest - 1) if row["line"] == first else f"from the same copy (line {first})"
            errors.append(InputError(source, row["line"], "origin_id", f"{claim}: {why}"))
    return errors


def _another(differs: str) -> str:
    """Said of a row whose decision here differs in the fields ``differs`` (comma-separated)."""
    return f"is here as another decision (its {differs} {agree(differs.count(',') + 1, 'differs', 'differ')})"


def _check_reviewers(staged: StagedDecisions, source: str) -> None:
    """Refuse a reviewer with decisions here that the file does not hold: a name is one coder, coding in one
    workspace. Merged, two logs of one name would read as one, each pair's state the one merged last whatever
    when it was decided, and two coders of one name would count as one coder in agreement. Refuse an undo of a
    decision its reviewer undid here already. The first new row found so is the error."""
    row = staged.first_reviewer_conflict()
    if row is None:
        return
    if row["elsewhere"]:
        raise InvalidDecisionsFileError(source, [InputError(
            source, row["line"], "reviewer",
            f"reviewer '{escaped(row['reviewer'])}' has {count(row['elsewhere'], 'decision')} in this workspace "
            "that the file does not hold (made here, or merged from another workspace): a name is one coder, "
            "coding in one workspace; have each coder review under a name of their own (--reviewer)")])
    raise InvalidDecisionsFileError(source, [InputError(
        source, row["line"], "undoes", f"decision {row['undoes']} is undone here already")])


# -- reading a decisions file --------------------------------------------------------------------------------------
def read_decisions(records: Iterator[tuple[int, dict[str, Any]]], source: str, staged: StagedDecisions,
                   header: list[str] | None = None) -> list[InputError]:
    """Every row of a decisions file (:func:`exchanged_records`: a CSV's ``header`` checked first), checked, into
    ``staged`` a batch at a time; the errors of those not valid, by file, line and field."""
    if header is not None and (missing := [name for name in DECISION_FIELDS if name not in header]):
        raise InvalidDecisionsFileError(source, [InputError(source, 1, missing[0], _MISSING)])
    errors: list[InputError] = []
    for batch in batches(records):
        _stage(batch, source, staged, errors)
    return errors


def batches(records: Iterator[tuple[int, dict[str, Any]]], size: int = 1000) -> Iterator[list[tuple[int, dict]]]:
    """A file's rows a batch at a time: read, checked against those before and added to a merge's table at once."""
    while batch := list(itertools.islice(records, size)):
        yield batch


def _stage(records: list[tuple[int, dict[str, Any]]], source: str, staged: StagedDecisions,
           errors: list[InputError]) -> None:
    """Check a batch of a file's rows, alone and against the file's rows before them (:func:`_check_in_file`), in
    the file's order; add those valid to ``staged`` and the others' errors to ``errors``."""
    rows: list[ExchangedDecision | InputError] = []
    for line, record in records:
        try:
            rows.append(_row(record, line, source))
        except InputError as e:
            rows.append(e)
    valid = [row.decision for row in rows if isinstance(row, ExchangedDecision)]
    undone_ids = {d.undoes for d in valid if d.undoes is not None}
    by_id = staged.in_file({d.id for d in valid} | undone_ids)
    undone = staged.undone_in_file(undone_ids)
    added = []
    for row in rows:
        try:
            if isinstance(row, InputError):
                raise row
            _check_in_file(row, by_id, undone, source)
        except InputError as e:
            errors.append(e)
            continue
        decision = row.decision
        by_id[decision.id] = (decision.note_id, decision.label, decision.reviewer)
        added.append((row.line, decision.id, decision.note_id, decision.label, decision.state, decision.reviewer,
                      decision.created_at, decision.model_version, decision.score, decision.comment, decision.audit,
                      decision.kind, decision.undoes, row.note_hash, *row.origin, row.audit_hash, row.reviewer_problem))
    staged.add(added)


def exchanged_records(path: Path, source: str) -> Iterator[Any]:
    """The rows of a file another workspace exported (CSV by its suffix, else JSON Lines), read once (a pipe
    too): first its columns (a CSV's header, else the first row's keys; none if it has no row), which tell what it
    holds, then each row as (line, record)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        if path.suffix.lower() == ".csv":
            reader = csv.DictReader(fh)
            yield list(reader.fieldnames or [])
            line = 2
            for record in reader:
                if None in record:  # DictReader keeps cells beyond the header's under None
                    raise InvalidDecisionsFileError(source, [InputError(
                        source, line, None, f"{count(len(record[None]), 'cell')} more than the header's "
                                            f"{len(reader.fieldnames or [])} fields")])
                # spreadsheet_text: the export put a ' before text a spreadsheet would run as a formula
                yield line, {k: None if v in ("", None) else spreadsheet_text(v) for k, v in record.items()}
                line = reader.line_num + 1
            return
        columns = None
        for line, text in enumerate(fh, 1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except ValueError as e:
                raise InvalidDecisionsFileError(source, [InputError(source, line, None, f"not JSON ({e.msg})")]) from None
            if not isinstance(record, dict):
                raise InvalidDecisionsFileError(source, [InputError(source, line, None, "not a JSON object")])
            if columns is None:
                columns = list(record)
                yield columns
            yield line, record
        if columns is None:
            yield []


_MISSING = ("missing: not a decisions export of this casereview (export decisions writes where each decision was "
            "made and on which note; export the file again)")


def _row(record: dict[str, Any], line: int, source: str) -> ExchangedDecision:
    def fail(name: str, problem: str) -> InputError:
        return InputError(source, line, name, problem)

    for name in DECISION_FIELDS:
        if name not in record:
            raise fail(name, _MISSING)

    def text(name: str, optional: bool = False) -> str | None:
        return field_text(record, name, fail, optional)

    def whole(name: str, optional: bool = False) -> int | None:
        value = record[name]
        if value is None and optional:
            return None
        if isinstance(value, str):
            value = int(value) if value.isascii() and value.isdigit() else value  # not '²', a digit to isdigit
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value < 2 ** 63:  # SQLite's integers
            raise fail(name, "not a decision id (a whole number from 1)")
        return value

    label, state, kind = text("label"), text("state"), text("kind")
    if label not in LABEL_NAMES:
        raise fail("label", f"{_shown(label)} is no label of the codebook")
    if state not in DECISION_STATES:
        raise fail("state", f"{_shown(state)} is no decision state: choose from {', '.join(DECISION_STATES)}")
    if kind not in KINDS:
        raise fail("kind", f"{_shown(kind)} is no kind of decision: choose from {', '.join(KINDS)}")
    reviewer = text("reviewer")
    created_at = field_time(record, fail)
    score = record["score"]
    if score is not None:
        try:
            score = float(score)
        except (TypeError, ValueError):
            score = math.nan
        if isinstance(record["score"], bool) or not math.isfinite(score):
            raise fail("score", "not a number")
    decision = Decision(whole("id"), field_note_id(record, fail), label, state, reviewer, created_at,
                        text("model_version", optional=True), score, free_text(record, "comment", fail),
                        text("audit", optional=True), kind, whole("undoes", optional=True))
    audit = text("audit_hash", optional=True)
    if decision.audit is not None and audit is None:
        raise fail("audit_hash", "empty: the decision names an audit, and the file not which sample it is")
    return ExchangedDecision(line, decision, text("note_hash"), (text("origin_workspace"), whole("origin_id")), audit,
                             reviewer_problem(reviewer))


def field_note_id(record: dict[str, Any], fail) -> str:
    """A row's ``note_id``, as import reads one (one printable line, short, not reading as sentences): a note id is
    quoted by the errors naming its note, and a shifted or hand-edited file's cell may hold a comment or note text."""
    note_id = field_text(record, "note_id", fail)
    try:
        return one_line(note_id, "note_id", "", 0)
    except InputError as e:
        raise fail("note_id", e.problem) from None


def _shown(value: str) -> str:
    """A coded value of a row (label, state, kind) as its error names it: a shifted or hand-edited file's cell may
    hold a comment or note text, which no message quotes."""
    return quoted_or_described(value, shown_value(value))


def field_text(record: dict[str, Any], name: str, fail, optional: bool = False) -> str | None:
    """A row's field of short text (an id, a name, a hash); None if empty and ``optional``; else ``fail`` makes the
    error to raise, naming the field."""
    value = record[name]
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise fail(name, "not text" if value is not None else "empty")
    _check_encodable(value, name, fail)
    return value


def field_time(record: dict[str, Any], fail) -> str:
    """A row's ``created_at`` in the log's form: a time with its zone, as the exports write it."""
    try:
        moment = dt.datetime.fromisoformat(field_text(record, "created_at", fail))
    except ValueError:
        raise fail("created_at", "not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise fail("created_at", "no time zone (the export writes UTC, +00:00): which moment it is is unknown")
    return log_time(moment)  # the log's times are compared as text, in SQL too: one zone, one form


@functools.lru_cache(maxsize=1024)
def reviewer_problem(reviewer: str) -> str | None:
    """What is wrong with a reviewer's name, if anything (checked once per name: a file holds a few, on every row)."""
    if (problem := name_problem(reviewer)) is not None:
        return problem
    if reviewer != reviewer.strip():
        return "white space around the name (names are stripped as reviewers give them)"
    return None


def free_text(record: dict[str, Any], name: str, fail) -> str | None:
    value = record[name]
    if value is not None and not isinstance(value, str):
        raise fail(name, "not text")
    if value is not None:
        _check_encodable(value, name, fail)
    return value


def _check_encodable(value: str, name: str, fail) -> None:
    """A JSON string may escape half a UTF-16 pair ("\\ud800"), which no UTF-8 text, nor SQLite, can hold."""
    try:
        value.isascii() or value.encode("utf-8")  # most are ASCII: told without encoding them
    except UnicodeEncodeError:
        raise fail(name, "not UTF-8 text (half of a UTF-16 pair)") from None


def _check_in_file(row: ExchangedDecision, by_id: dict[int, tuple[str, str, str]], undone: set[int],
                   source: str) -> None:
    """A row's id is the file's only one of it, and an undo takes back an earlier row (``by_id``: each one's note,
    label and reviewer) of the same reviewer's on the same note and label, once."""
    decision = row.decision
    if decision.id in by_id:
        raise InputError(source, row.line, "id", f"decision {decision.id} is in the file twice")
    if decision.undoes is None:
        return
    target = by_id.get(decision.undoes)
    if target is None:
        raise InputError(source, row.line, "undoes", f"decision {decision.undoes} is not an earlier row of the file")
    if target != (decision.note_id, decision.label, decision.reviewer):
        raise InputError(source, row.line, "undoes", f"decision {decision.undoes} is not this reviewer's decision "
                                                     "on this note and label")
    if decision.undoes in undone:
        raise InputError(source, row.line, "undoes", f"decision {decision.undoes} is undone twice")
    undone.add(decision.undoes)
