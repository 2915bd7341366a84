"""The SQLite workspace: notes, predictions, the append-only decision log, models, audits.

Only this module and its schema (``schema.py``) speak SQL. A workspace is a folder holding ``workspace.db``;
the database runs in WAL mode with foreign keys on and a busy timeout, and
every file is created readable by the owner only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sqlite3
import stat
import threading
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ChangedNotesError, ConflictError, WorkspaceError, WorkspaceLockedError, WorkspaceNotice
from .files import new_private_file, owner_only, private_folder, why_not_written, written_here
from .notes import Note
from .schema import SCHEMA_VERSION, migrate
from .staging import put_right, remove_left_behind, staging_folder
from .taxonomy import DECISION_STATES, LABEL_NAMES, POSITIVE_STATES
from .workspace_lock import FolderLock, held_open

if TYPE_CHECKING:  # numpy is imported where the uncertain queue is ordered: a tenth of every command's start-up
    import numpy as np

DB_NAME = "workspace.db"
#: SQLite's errors for a workspace that cannot be written (a full disk, a quota, a file size limit, a read-only
#: file or disk): said in one line naming it, not a traceback.
CANNOT_WRITE = (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)
#: SQLite's (extended) errors of a write that failed, a full disk's, a file size limit's or a quota's (a failed write
#: is "disk I/O error", SQLITE_IOERR_WRITE, unless the disk is full): where a file is copied, the copy's, not the file
#: read's
WRITE_FAILED = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC,
                          sqlite3.SQLITE_IOERR_DIR_FSYNC, sqlite3.SQLITE_IOERR_TRUNCATE})
#: SQLite's temporary tables (a merge's staged rows, comments included), sorts and indices made for a query kept in
#: this process's memory: in files they went to $TMPDIR (else /var/tmp, /tmp), often a shared disk other than the
#: workspace's (deleted as made, owner-only, but on that disk). SQLITE_TMPDIR is read once per process, and
#: ``temp_store_directory`` is deprecated and process-wide: no folder of the workspace's can be given instead.
TEMPORARY_IN_MEMORY = "PRAGMA temp_store = MEMORY"
#: where a merge stages a file's rows: a hidden folder ``.merging.<random>.part`` inside the workspace (``_Staged``)
STAGED_ROWS = "merging"
LEFT_BY_A_MERGE = "removed the rows a merge stopped midway (killed) staged there; it merged nothing"
DB_FILES = (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal")  # the database and SQLite's files
MODELS_DIR = "models"  # retrained models' folders (learning)
DEFAULT_PATH = "casereview-workspace"
BUSY_TIMEOUT_MS = 10_000
ANY_PROMOTED = object()  # promote_model(replacing=...): whichever version is promoted
#: a model event: the guardrail refused to promote the version (nothing was promoted)
REFUSED_PROMOTION = "refused"
T = TypeVar("T")


def _latest_reviews(where: str) -> str:
    """A FROM clause: ``d``, each reviewer's latest review decision in force on each (note, label) among the live
    decisions ``where`` selects; with an audit in ``where``, what each of its coders decided in it, the one reading
    of an audit's coding for its agreement and disputes (``audit_coding``), its final decisions and a blind coder's
    screen. 'cleared' rows are in it: each caller leaves them out."""
    return ("decisions d JOIN (SELECT MAX(id) AS id FROM live_decisions WHERE " + where
            + " AND kind = 'review' GROUP BY note_id, label, reviewer) last ON d.id = last.id")


def _one_each() -> Callable[[T], T]:
    """A function giving one object for equal values: what many rows share (a label, a state, a reviewer, a date)
    held once, not once a row, where rows are read by the hundred thousand."""
    kept: dict = {}
    return lambda value: kept.setdefault(value, value)


def now() -> str:
    """The current UTC time as ISO 8601, the timestamp of every row."""
    return log_time(dt.datetime.now(dt.timezone.utc))


#: The workspace a decision ``d`` not merged in was made in: the one a backup copied it from (the earliest copy whose
#: last decision is at or after it), else this one (SQL, read by the export and by merge alike).
_MADE_HERE_OR_COPIED = ("COALESCE((SELECT c.workspace FROM decisions_copied c WHERE d.id <= c.last_decision"
                        " ORDER BY c.last_decision, c.rowid LIMIT 1), (SELECT id FROM workspace_identity))")


def _version_then(row: str) -> str:
    """SQL: the hash of the version of ``row``'s note (a decision, a comment; the note joined as ``n``) in force at
    the row's time: an earlier one kept in the note's history, else the current one as its file gave it, where that
    is known (read by the decisions and comments exports, for merge to tell which text they were made on)."""
    return (f"COALESCE((SELECT h.content_hash FROM note_history h WHERE h.note_id = {row}.note_id"
            f" AND h.replaced_at > {row}.created_at ORDER BY h.id LIMIT 1), n.imported_hash, n.content_hash)")


def _file_identity(path: Path) -> tuple[int, int]:
    """Which file ``path`` is (its device and inode): the same after a move (mv), another for a copy."""
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _record_file(conn: sqlite3.Connection, identity: tuple[int, int]) -> None:
    conn.execute("DELETE FROM workspace_file")
    conn.execute("INSERT INTO workspace_file (device, inode) VALUES (?, ?)", identity)


def _take_an_id_of_its_own(conn: sqlite3.Connection, copied_through: int | None = None) -> None:
    """Make the database in ``conn``, a copy of a workspace's, a workspace of its own: its decisions so far (or up
    to ``copied_through``) were made in the workspace copied, under the same ids (``decisions_copied``), and those
    after, in this one, under a new id (``merge`` tells them apart by workspace and id)."""
    conn.execute("INSERT INTO decisions_copied (workspace, last_decision)"
                 " SELECT (SELECT id FROM workspace_identity), COALESCE(?, MAX(id), 0) FROM decisions",
                 (copied_through,))
    conn.execute("UPDATE workspace_identity SET id = ?", (uuid.uuid4().hex,))


COPY_NOTICE = ("its database is a copy of another workspace's file (a folder copied with cp, rsync or tar, not moved): "
               "it is a workspace of its own now, with an id of its own, as a backup is; its decisions so far are "
               "known as the original's, for merge")


def log_time(moment: dt.datetime) -> str:
    """An aware time as the workspace writes its times (UTC, to the microsecond): they are compared as text."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def resolve_path(path: str | os.PathLike | None) -> Path:
    """``path``, else ``$CASEREVIEW_WORKSPACE``, else ``./casereview-workspace``."""
    return Path(path or os.environ.get("CASEREVIEW_WORKSPACE") or DEFAULT_PATH)


@dataclass
class ImportResult:
    added: int = 0
    unchanged: int = 0
    updated: int = 0
    decisions: int = 0
    #: unchanged since they were imported, but stored in another form than this import's (redacted by a reviewer,
    #: or by --redact, by this scanner or an earlier one): the file's version, as this import reads it, was not stored
    kept_redacted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourceForms:
    """One note of a file in the two forms an import may store: as the file gives it, and as ``--redact``
    stores it (personal data in its text and other fields replaced), with how many of its other fields'
    values that replaced."""

    plain: str  # content hash
    redacted: str  # content hash (the plain one when there is nothing to redact)
    fields_redacted: int = 0


@dataclass(frozen=True)
class StoredVersion:
    """What an import needs to know of a stored note: its version now, as imported, and whether it was redacted."""

    content_hash: str
    #: the note as its file gave it, before any redaction; None: unknown (redacted before schema 5 by a reviewer,
    #: or before schema 6 by an import's --redact), until an import brings a note that redacts to the stored one
    imported_hash: str | None
    redacted: bool  # a finding on this version was redacted (by a reviewer or an import's --redact), or a field

    def is_from(self, digest: str, forms: SourceForms | None = None) -> bool:
        """Whether the stored note is the file's note of hash ``digest`` (one of its ``forms``) as imported
        before, or since redacted: then importing it again changes nothing."""
        stored = (self.content_hash, self.imported_hash)
        # the file's note as imported: the same note, whatever the scanner finds in it now (more, or less, than
        # when it was imported), so whatever --redact would store of it
        if digest in stored or (forms is not None and forms.plain == self.imported_hash):
            return True
        # the other form: the file's note, as --redact stores it now, is the one stored (its imported form
        # unknown, or the file changed only in values --redact replaces); a stored note that is the plain form
        # itself, imported as another, is not, and --redact then changes it (with --update)
        return forms is not None and self.content_hash != forms.plain and not {forms.plain, forms.redacted}.isdisjoint(stored)


@dataclass(frozen=True)
class Decision:
    id: int
    note_id: str
    label: str
    state: str
    reviewer: str
    created_at: str
    model_version: str | None
    score: float | None
    comment: str | None
    audit: str | None
    kind: str = "review"  # or "adjudication": the final word on a disagreement
    undoes: int | None = None  # set on an undo: the id of the decision it retracts


@dataclass(frozen=True)
class Disagreement:
    note_id: str
    label: str
    states: dict[str, str]  # reviewer -> current state


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float
    threshold: float
    suggested: bool
    evidence: list[dict]
    model_version: str


@dataclass(frozen=True)
class QueueQuery:
    """Which notes a review queue holds and in what order."""

    order: str = "priority"  # priority | uncertain | case | date | random
    label: str | None = None  # suggested by the model, or decided positive
    case_id: str | None = None
    unreviewed: bool = False
    reviewer: str | None = None  # notes this reviewer has decided on
    search: str | None = None  # text contains (case-insensitive)
    audit: str | None = None
    seed: int = 0
    assigned_to: str | None = None  # notes assigned to this reviewer (in ``audit`` if given)


QUEUE_ORDERS = ("priority", "uncertain", "case", "date", "random")
#: Notes (``n``) in date order, wherever a case file is read so (its timeline, --case, the date queue): by date, then
#: time of day; within a day the notes with no time after those with one (where in the day they were is unknown:
#: after, they do not split the day's known sequence; as undated notes come after dated ones), and notes alike in
#: both in import order. The rowid is import order: a new note's is the highest yet, an update keeps it, and
#: VACUUM, which may renumber it (the key is not an integer), copies the rows in its order.
DATE_ORDER = "n.date IS NULL, n.date, n.time IS NULL, n.time, n.rowid"


@dataclass(frozen=True)
class QueueRow:
    note_id: str
    case_id: str | None
    date: str | None
    author_role: str | None
    note_type: str | None
    priority: float | None
    suggested: tuple[str, ...]
    decided_labels: int
    time: str | None = None  # the note's time of day, where it has one
    # labels by their final state, as reports count them (a disputed label is neither): decided a concern (confirmed
    # or added), and decided none (rejected)
    concerns: tuple[str, ...] = ()
    cleared: tuple[str, ...] = ()

    @property
    def standing(self) -> tuple[str, ...]:
        """The labels a list shows for the note, in the codebook's order: each decided a concern, and each the model
        suggests that no one has decided yet (a suggestion rejected is gone, a label added shows)."""
        return tuple(name for name in LABEL_NAMES
                     if name in self.concerns or (name in self.suggested and name not in self.cleared))


@dataclass(frozen=True)
class CaseFileRow:
    case_id: str
    notes: int
    flagged_notes: int
    flagged_by_label: dict[str, int]
    strongest: float
    last_date: str | None
    last_time: str | None = None  # the time of the file's last note in date order (DATE_ORDER), if it has one


@dataclass(frozen=True, slots=True)
class FinalDecision:
    """A label's final state (the ``final_decision_state`` view's: schema migration 8 states the rule) and the
    evidence of the suggestion the decision that settles it was made on (empty if none, or not asked for)."""

    state: str
    evidence: list[dict]
    reviewer: str = ""  # who made the settling decision (an import's labels: ``import:<file>``)
    disputed: bool = False  # reviewers on both sides, not adjudicated (the view's; an audit's hold none: see below)


class Finals(dict):
    """note id -> label -> final state or :class:`FinalDecision` (:meth:`Workspace.final_states`,
    :meth:`Workspace.final_decisions`), with ``disputed``: the (note, label) pairs read that the workspace holds
    disputed (the view's flag: the pairs :meth:`Workspace.disagreements` finds in the same notes), read in the same
    pass, so that a command needing both reads the view once (200,000 coded notes: 4 s of CPU a reading)."""

    def __init__(self) -> None:
        super().__init__()
        self.disputed: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True, slots=True)  # slots: a report may hold one per note of 100,000
class NoteFacts:
    """What sampling and reports know of a note: metadata, suggestions, final decisions; never its text."""

    note_id: str
    case_id: str | None
    date: str | None
    author_role: str | None
    team: str | None  # the note's ``team`` extra field, when present
    priority: float | None  # the current model's highest score
    suggested: tuple[str, ...]  # the current model's suggestions
    final: dict[str, str]  # label -> final state (``final_decision_state``'s); absent: unreviewed
    weight: float = 1.0  # an audit item's sampling weight (inverse inclusion probability)
    stratum: str | None = None
    time: str | None = None  # the note's time of day, where it has one


@dataclass(frozen=True)
class AuditRecord:
    name: str
    params: dict
    created_at: str
    notes: int


@dataclass(frozen=True)
class AuditItem:
    note_id: str
    stratum: str | None
    weight: float


@dataclass(frozen=True)
class Assignment:
    note_id: str
    reviewer: str
    blind: bool  # the reviewer sees only their own decisions on this note


@dataclass(frozen=True)
class ModelRecord:
    version: str
    path: str
    sha256: str
    metrics: dict
    trained_on: dict
    promoted: bool
    created_at: str


@dataclass(frozen=True)
class PiiFinding:
    """Where the personal-data scanner found what in a note (never the value itself)."""

    id: int
    note_id: str
    start: int
    end: int
    label: str
    score: float
    resolution: str | None  # None (unresolved) | false_alarm | redacted
    reviewer: str | None
    resolved_at: str | None


def _note_from_row(row: sqlite3.Row) -> Note:
    return Note(
        note_id=row["note_id"],
        text=row["text"],
        case_id=row["case_id"],
        date=row["date"],
        author_role=row["author_role"],
        note_type=row["note_type"],
        extra=json.loads(row["extra"]),
        time=row["time"],
        source_values=json.loads(row["source_values"] or "{}") if "source_values" in row.keys() else {},
    )


#: How wide "in doubt" is around a label's threshold, in logits, for the tie-break of the uncertain
#: queue (see uncertain_order). Thresholds themselves move by 0.1-0.2 between leave-one-voice-out folds,
#: so a label 1-2 logits away is still in doubt.
DOUBT_SCALE = 2.0


def uncertain_order(distances: np.ndarray) -> np.ndarray:
    """Queue keys in [0, 1) (smallest first) for notes with these logit distances to each label's threshold
    (n_notes x n_labels): each label's nearest note in turn, then each label's next nearest, and so on.

    A note's key is its best rank over the labels; notes of equal rank go first when more of their labels
    are in doubt (the mean of exp(-distance / DOUBT_SCALE)). Taking turns, every label's boundary is
    reviewed from the first notes, where ranking notes by how many of their labels are in doubt
    put notes with several labels first and left whole labels' boundaries for later. By
    bench/learning_curve.py on half the dev split (3 seed sets, concern-0.10.0's design), it reached random
    order's final macro-F1 with 75% of the labels where that ranking needed 92%, ahead of it at 11 of 12
    steps (0.726 against 0.721 at 600 notes); on the test split, 67%.
    """
    import numpy as np

    n = len(distances)
    if n == 0:
        return np.zeros(0)
    # notes equally near keep their order (order_uncertain gives them a fixed shuffle): a label the model
    # cannot rank yet, every note scored alike, still brings a note each turn, as random order would
    ranks = np.argsort(np.argsort(distances, axis=0, kind="stable"), axis=0, kind="stable")
    in_doubt = np.exp(-distances / DOUBT_SCALE).mean(axis=1)
    return (ranks.min(axis=1) + 0.5 * (1 - in_doubt)) / n  # the tie-break moves a key by under one rank


def _distances(scores_and_thresholds: list[tuple[float, float]]) -> np.ndarray:
    """Logit distances of scores to their thresholds (scores are stored to 4 decimals: clipped there)."""
    import numpy as np

    pairs = np.clip(np.array(scores_and_thresholds, dtype=float).reshape(-1, 2), 1e-4, 1 - 1e-4)
    logits = np.log(pairs / (1 - pairs))
    return np.abs(logits[:, 0] - logits[:, 1])


def _quick_check(conn: sqlite3.Connection) -> str:
    """SQLite's ``quick_check`` of the database in ``conn``: "ok", else what is wrong, in one line."""
    found = " ".join(row[0] for row in conn.execute("PRAGMA quick_check"))
    return "; ".join(line for line in found.splitlines() if line != "*** in database main ***")


def _notes_and_decisions(conn: sqlite3.Connection) -> tuple[int, int]:
    return (conn.execute("SELECT COUNT(*) FROM notes").fetchone()[0],
            conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])


def copy_database_file(source: Path, target: sqlite3.Connection, shown: Path,
                       unchanging: bool = False) -> tuple[str, int]:
    """Copy the workspace database file ``source`` (a backup's) into ``target`` by SQLite's online backup, only
    reading it (as one read transaction sees it, what its -wal file holds included, should anything have it open);
    then the copy's check, SQLite's ``quick_check`` ("ok", else what is wrong), and its schema version (0: not a
    workspace). A file that is no SQLite database raises :class:`WorkspaceError`, naming it; a copy that cannot be
    written (a full disk), naming ``shown``, the file it is to be.

    ``unchanging``: no program writes it meanwhile and it has no -wal file to read; it is then read as SQLite's
    ``immutable`` file, which leaves no -wal or -shm file beside it and needs no folder it can write them in (a
    backup on a read-only disk), where a read-only connection to a WAL database makes both."""
    try:
        reading = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro{'&immutable=1' if unchanging else ''}",
                                  uri=True)
        try:
            target.execute(TEMPORARY_IN_MEMORY)
            reading.backup(target)
        finally:
            reading.close()
        return _quick_check(target), target.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as e:
        if e.sqlite_errorcode in WRITE_FAILED:  # the copy's disk: the backup is only read
            raise WorkspaceError(f"{shown}: cannot write ({why_not_written(e, shown.parent)})") from None
        raise WorkspaceError(f"{source}: not a usable workspace database ({e})") from None


def check_own(path: Path) -> None:
    """Refuse a workspace file (the database or one of SQLite's beside it) that another account owns or that
    others can write.

    A workspace is one account's: its files are owner-only, and its records decide what casereview does as
    whoever opens it, its registry of model hashes included (model files run code when loaded). Another
    account's file there (a group-shared workspace, where each member's process makes its own -wal and -shm)
    cannot be owner-only for both, and anyone who can write the database could have registered a model file of
    theirs; so such a workspace is refused rather than trusted. A file others can only read is made owner-only.
    """
    try:
        st = path.stat()  # a link's target: what SQLite opens
    except FileNotFoundError:
        return
    if st.st_uid != os.geteuid():
        raise WorkspaceError(
            f"{path}: belongs to another account (uid {st.st_uid}); a workspace is one account's (its files are "
            "owner-only, and its records, the model registry included, decide what casereview runs as you): "
            "work in a workspace of your own, or run casereview as that account"
        )
    if st.st_mode & 0o022:
        raise WorkspaceError(
            f"{path}: others can write it (mode {stat.S_IMODE(st.st_mode):04o}), so they could have changed the "
            "workspace's records, its model registry included (model files run code when loaded); if you trust "
            f"everyone who can write it, make it yours alone (chmod 600 {path}) and run again"
        )


class NoteImport:
    """A file's notes being stored, a batch at a time, in the transaction :meth:`Workspace.importing` holds.

    A note identical to the stored one, or to the one imported before a redaction
    changed it, is a no-op (the redaction stays); so is, given each note's ``forms``,
    a note whose stored version is its other form, redacted, and a note whose form as its file
    gives it is the one imported (see :meth:`StoredVersion.is_from`). Each note's imported hash
    is its form as its file gives it (``forms``' plain one), whichever form is stored.
    A changed note under a stored id is refused unless ``update``, which keeps the old version in
    ``note_history``: every one is named, by its file and line in ``places`` if given, as the import
    ends (:class:`ChangedNotesError`). (Whether a changed note may replace a redacted one is the
    importer's check, :func:`casereview.pii.findings.check_redactions_kept`.) A note with
    ``labels`` is fully labelled: its labels are confirmed and every other label rejected
    (except those it lists as unreviewed), as decisions of ``reviewer`` (``import:<file name>``); on an unchanged
    note, those ``reviewer`` has not recorded so (a note imported unlabelled before, a label the file corrects).
    """

    def __init__(self, conn: sqlite3.Connection, source_file: str, update: bool, reviewer: str):
        self._conn, self.source_file, self.update, self.reviewer = conn, source_file, update, reviewer
        self.result = ImportResult()
        self.stamp = now()  # one time for the whole file, whatever its batches
        self._changed: dict[str, list[str]] = {}  # refused without update: every one is named, then nothing stored
        self._places: dict[str, tuple[str, int]] = {}  # the changed notes' rows

    def add(self, notes: Iterable[Note], forms: Iterable[SourceForms] | None = None,
            places: dict[str, tuple[str, int]] | None = None, digests: Iterable[str] | None = None) -> list[str]:
        """Store a batch of notes (``forms``: each one's, in order; ``places``: note id -> its file and line;
        ``digests``: their content hashes, in order, if the caller has them); returns the ids of those kept as they
        are stored in another form (:attr:`ImportResult.kept_redacted`)."""
        conn, result, stamp = self._conn, self.result, self.stamp
        kept: list[str] = []
        digests = iter(digests) if digests is not None else None
        for note, form in zip(notes, forms) if forms is not None else ((note, None) for note in notes):
            digest = note.content_hash if digests is None else next(digests)
            row = conn.execute(
                "SELECT * FROM notes WHERE note_id = ?", (note.note_id,)
            ).fetchone()
            given = json.dumps(note.source_values, ensure_ascii=False) if note.source_values else None
            if row is not None and StoredVersion(row["content_hash"], row["imported_hash"], False).is_from(digest, form):
                result.unchanged += 1
                if row["source_values"] != given:  # as this file gives them (a file imported before schema 17)
                    conn.execute("UPDATE notes SET source_values = ? WHERE note_id = ?", (given, note.note_id))
                if digest != row["content_hash"]:
                    kept.append(note.note_id)
                # its labels are still this file's: those its reviewer has not recorded so (a note imported
                # unlabelled before, a label the file now gives otherwise); the same file again records nothing
                if note.labels is not None:
                    self._record_labels(note, self._reviewer_states(note.note_id))
                continue
            fields_redacted = form.fields_redacted if form is not None and digest == form.redacted else 0
            values = (
                note.text, note.case_id, note.date, note.time, note.author_role, note.note_type,
                json.dumps(note.extra, ensure_ascii=False), self.source_file, stamp, digest,
                form.plain if form is not None else digest, fields_redacted, given,
            )
            if row is None:
                conn.execute(
                    "INSERT INTO notes (text, case_id, date, time, author_role, note_type, extra,"
                    " source_file, imported_at, content_hash, imported_hash, fields_redacted, source_values, note_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    values + (note.note_id,),
                )
                result.added += 1
            elif not self.update:
                self._changed[note.note_id] = note.fields_differing_from(_note_from_row(row))
                if places is not None and note.note_id in places:
                    self._places[note.note_id] = places[note.note_id]
                continue
            else:
                conn.execute(
                    "INSERT INTO note_history (note_id, text, case_id, date, time, author_role,"
                    " note_type, extra, source_file, imported_at, content_hash, replaced_at)"
                    " SELECT note_id, text, case_id, date, time, author_role, note_type, extra,"
                    " source_file, imported_at, content_hash, ? FROM notes WHERE note_id = ?",
                    (stamp, note.note_id),
                )
                conn.execute(
                    "UPDATE notes SET text = ?, case_id = ?, date = ?, time = ?, author_role = ?,"
                    " note_type = ?, extra = ?, source_file = ?, imported_at = ?,"
                    " content_hash = ?, imported_hash = ?, fields_redacted = ?, source_values = ? WHERE note_id = ?",
                    values + (note.note_id,),
                )
                # Scores of the old text no longer apply.
                conn.execute("DELETE FROM predictions WHERE note_id = ?", (note.note_id,))
                conn.execute("DELETE FROM prediction_summary WHERE note_id = ?", (note.note_id,))
                result.updated += 1
            self._record_labels(note)
        result.kept_redacted.extend(kept)
        return kept

    def _reviewer_states(self, note_id: str) -> dict[str, str]:
        """label -> this import's reviewer's latest state of it on the note."""
        return {row["label"]: row["state"] for row in self._conn.execute(
            "SELECT label, state FROM decisions WHERE note_id = ? AND reviewer = ? ORDER BY id",
            (note_id, self.reviewer))}

    def _record_labels(self, note: Note, recorded: dict[str, str] | None = None) -> None:
        """A labelled note's labels as its reviewer's decisions: confirmed, and every other label rejected (but
        those it lists as unreviewed); a state ``recorded`` already holds is not recorded again."""
        if note.labels is None:
            return
        for name in LABEL_NAMES:
            if name in note.unreviewed:
                continue
            state = "confirmed" if name in note.labels else "rejected"
            if recorded is not None and recorded.get(name) == state:
                continue
            self._conn.execute(
                "INSERT INTO decisions (note_id, label, state, reviewer, created_at) VALUES (?, ?, ?, ?, ?)",
                (note.note_id, name, state, self.reviewer, self.stamp),
            )
            self.result.decisions += 1

    def finish(self) -> None:
        """Refuse the import if it would change stored notes without ``update``: raised inside the transaction, so
        the notes stored before it are taken back."""
        if self._changed:
            raise ChangedNotesError(self.source_file, self._changed, self._places)


# -- a file being merged (merging, comment_merging) ----------------------------------------------------------------
class _Staged:
    """A file's rows being merged, held in tables of a database file of their own in a hidden folder inside the
    workspace (``.merging.<random>.part``, owner-only, attached to this connection as ``staged``), rather than in
    memory: read and checked as the file is read, then placed and merged by whole-table statements in the merge's
    transaction; the folder is removed when done. SQLite's temporary tables would hold them in memory (the
    workspace's ``temp_store``: 0.5 KB a decision) or, past 2 MB, in $TMPDIR, a shared disk; here pages beyond the
    cache go to the workspace's own disk, and a folder a merge killed midway left is removed by the next merge
    (``staging``)."""

    TABLE = ""  # the file's rows
    COLUMNS: tuple[str, ...] = ()  # what :meth:`add` is given of each
    SCHEMA: tuple[str, ...] = ()  # statements making the tables

    def __init__(self, workspace: "Workspace"):
        self._workspace, self._conn = workspace, workspace._conn
        self._folder = contextlib.ExitStack()

    def _run(self, sql: str, params: Iterable[Any] | dict = ()) -> sqlite3.Cursor:
        with self._workspace._lock:
            return self._conn.execute(sql, params if isinstance(params, dict) else tuple(params))

    def _all(self, sql: str, params: Iterable[Any] | dict = ()) -> list[sqlite3.Row]:
        return self._run(sql, params).fetchall()

    def _rows(self, sql: str, params: Iterable[Any] | dict = ()) -> Iterator[sqlite3.Row]:
        with self._workspace._lock:
            yield from self._conn.execute(sql, params if isinstance(params, dict) else tuple(params))

    def __enter__(self):
        place = self._workspace.path / STAGED_ROWS
        for notice in remove_left_behind(place, LEFT_BY_A_MERGE):
            warnings.warn(notice, WorkspaceNotice, stacklevel=3)
        try:
            folder = self._folder.enter_context(staging_folder(place)).path
            self._folder.callback(shutil.rmtree, folder, ignore_errors=True)
            staged = new_private_file(folder / DB_NAME)  # made owner-only first, as SQLite would not
            with self._workspace._lock:
                self._conn.execute("ATTACH DATABASE ? AS staged", (str(staged),))
                self._folder.callback(self._detach)
                self._conn.execute("PRAGMA staged.synchronous = OFF")  # rows dropped whatever happens: never read again
                self._conn.execute("PRAGMA staged.cache_size = -16384")  # 16 MB: fewer writes, as fast as before
                for statement in self.SCHEMA:
                    self._conn.execute(statement)
        except BaseException as e:
            self.__exit__(type(e), e, e.__traceback__)
            raise
        return self

    def _detach(self) -> None:
        with self._workspace._lock:
            self._conn.execute("DETACH DATABASE staged")

    def __exit__(self, kind: type | None, error: BaseException | None, traceback: object) -> None:
        """The staged rows dropped; a write the disk refused them (full, a file size limit) said naming the
        workspace and what ran out, before they are (a full disk's free space is theirs until then)."""
        try:
            if isinstance(error, OSError) or (isinstance(error, sqlite3.OperationalError)
                                              and error.sqlite_errorcode & 0xFF in CANNOT_WRITE):
                cause = error.strerror if isinstance(error, OSError) else error
                raise WorkspaceError(f"{self._workspace.path}: cannot write the rows being merged "
                                     f"({why_not_written(cause, self._workspace.path)}); nothing was merged") from None
        finally:
            self._folder.close()

    def add(self, rows: Iterable[tuple]) -> None:
        """Rows of the file (:attr:`COLUMNS`, in order), each checked alone: in a transaction of the staged
        database alone (no lock on the workspace's), or of the one under way."""
        marks = ", ".join("?" * len(self.COLUMNS))
        insert = f"INSERT INTO staged.{self.TABLE} ({', '.join(self.COLUMNS)}) VALUES ({marks})"
        with self._workspace._lock:
            if self._conn.in_transaction:
                self._conn.executemany(insert, rows)
                return
            self._conn.execute("BEGIN")
            try:
                self._conn.executemany(insert, rows)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def refuse_unknown_notes(self) -> None:
        """Refuse each row on a note not here ('note_id'), or on a version of it this workspace has not held
        ('note_hash': neither its content hash, as its file gave it, nor an earlier version's, by index)."""
        self._run(
            f"UPDATE staged.{self.TABLE} SET refused = CASE WHEN EXISTS (SELECT 1 FROM main.notes n"
            f" WHERE n.note_id = {self.TABLE}.note_id) THEN 'note_hash' ELSE 'note_id' END"
            f" WHERE NOT EXISTS (SELECT 1 FROM main.notes n WHERE n.note_id = {self.TABLE}.note_id"
            f" AND {self.TABLE}.note_hash IN (n.content_hash, n.imported_hash))"
            f" AND NOT EXISTS (SELECT 1 FROM main.note_history h WHERE h.note_id = {self.TABLE}.note_id"
            f" AND h.content_hash = {self.TABLE}.note_hash)")


class StagedDecisions(_Staged):
    """A decisions file (``export decisions``) being merged (:mod:`merging`): each row, its ``id`` and ``undoes`` the
    file's; what it is here once placed (``here``: the id here of the decision it is, or is merged as); why it
    cannot be merged (``refused``: the field; ``differs``, a decision here of its origin's fields it differs in;
    ``claimed``, a row claiming this workspace's id wrongly)."""

    TABLE = "merge_decisions"
    COLUMNS = ("line", "id", "note_id", "label", "state", "reviewer", "created_at", "model_version", "score", "comment",
               "audit", "kind", "undoes", "note_hash", "origin_workspace", "origin_id", "audit_hash", "reviewer_problem")
    SCHEMA = (
        "CREATE TABLE staged.merge_decisions (line INTEGER PRIMARY KEY, id INTEGER NOT NULL, note_id TEXT NOT NULL,"
        " label TEXT NOT NULL, state TEXT NOT NULL, reviewer TEXT NOT NULL, created_at TEXT NOT NULL,"
        " model_version TEXT, score REAL, comment TEXT, audit TEXT, kind TEXT NOT NULL, undoes INTEGER,"
        " note_hash TEXT NOT NULL, origin_workspace TEXT NOT NULL, origin_id INTEGER NOT NULL, audit_hash TEXT,"
        " reviewer_problem TEXT, refused TEXT, here INTEGER, differs TEXT, claimed INTEGER NOT NULL DEFAULT 0,"
        " merged INTEGER NOT NULL DEFAULT 0)",
        "CREATE UNIQUE INDEX staged.merge_decisions_id ON merge_decisions(id)",
        "CREATE UNIQUE INDEX staged.merge_decisions_undoes ON merge_decisions(undoes) WHERE undoes IS NOT NULL",
        # an import's rows matched to its labels here; the rows not here, with the ids they are merged as
        "CREATE TABLE staged.merge_matched (line INTEGER PRIMARY KEY, here INTEGER NOT NULL)",
        "CREATE TABLE staged.merge_new (line INTEGER PRIMARY KEY, here INTEGER NOT NULL)",
    )

    def in_file(self, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
        """The rows added of these file ids: each one's (note, label, reviewer)."""
        ids = list(ids)
        return {r[0]: (r[1], r[2], r[3]) for r in self._all(
            "SELECT id, note_id, label, reviewer FROM staged.merge_decisions WHERE id IN (SELECT value FROM"
            " json_each(?))", (json.dumps(ids),))} if ids else {}

    def undone_in_file(self, ids: Iterable[int]) -> set[int]:
        """Which of these file ids a row added undoes."""
        ids = list(ids)
        return {r[0] for r in self._all("SELECT undoes FROM staged.merge_decisions WHERE undoes IN (SELECT value FROM"
                                        " json_each(?))", (json.dumps(ids),))} if ids else set()

    def audits_named(self) -> list[tuple[str, str]]:
        """Each (audit, sample) the rows not yet refused name."""
        return [tuple(r) for r in self._all("SELECT DISTINCT audit, audit_hash FROM staged.merge_decisions"
                                            " WHERE refused IS NULL AND audit IS NOT NULL")]

    def refuse_audit(self, audit: str, sample: str) -> None:
        self._run("UPDATE staged.merge_decisions SET refused = 'audit' WHERE refused IS NULL AND audit = ?"
                  " AND audit_hash = ?", (audit, sample))

    def place(self, own_id: str, import_reviewer: str, same_decision: Sequence[str]) -> None:
        """What each row not refused is here: the decision made where it says, as its id there (``here``; one that
        differs from the row in a field of ``same_decision``, an undo's ``undoes`` read as the id here of the row it
        names, is refused, 'origin_id', or claimed, if it claims ``own_id``); a row of an import
        (``import_reviewer``...) the same import's label here (the k-th such row of a note, label and state the
        k-th label, oldest first); a row claiming ``own_id`` that is not in its log, claimed; then a row neither
        here nor claimed whose reviewer's name is not allowed (``reviewer_problem``) refused, 'reviewer'."""
        self._run(
            "UPDATE staged.merge_decisions SET here = COALESCE("
            " (SELECT m.decision_id FROM main.merged_decisions m"
            "  WHERE m.origin_workspace = merge_decisions.origin_workspace AND m.origin_id = merge_decisions.origin_id),"
            " (SELECT d.id FROM main.decisions d WHERE d.id = merge_decisions.origin_id"
            "  AND NOT EXISTS (SELECT 1 FROM main.merged_decisions m WHERE m.decision_id = d.id)"
            f"  AND merge_decisions.origin_workspace = {_MADE_HERE_OR_COPIED}))"
            " WHERE refused IS NULL")
        self._run(
            "INSERT INTO staged.merge_matched (line, here)"
            " SELECT c.line, i.id FROM (SELECT line, reviewer, note_id, label, state, ROW_NUMBER() OVER"
            "  (PARTITION BY reviewer, note_id, label, state ORDER BY line) AS k FROM staged.merge_decisions"
            "  WHERE refused IS NULL AND here IS NULL AND origin_workspace != :own AND undoes IS NULL"
            "  AND kind = 'review' AND substr(reviewer, 1, length(:prefix)) = :prefix) c"
            " JOIN (SELECT id, reviewer, note_id, label, state, ROW_NUMBER() OVER"
            "  (PARTITION BY reviewer, note_id, label, state ORDER BY id) AS k FROM main.decisions"
            "  WHERE reviewer IN (SELECT reviewer FROM staged.merge_decisions WHERE substr(reviewer, 1, length(:prefix))"
            "  = :prefix) AND undoes IS NULL) i"
            " ON i.reviewer = c.reviewer AND i.note_id = c.note_id AND i.label = c.label AND i.state = c.state"
            "  AND i.k = c.k",
            {"own": own_id, "prefix": import_reviewer})
        self._run("UPDATE staged.merge_decisions SET here = (SELECT here FROM staged.merge_matched m"
                  " WHERE m.line = merge_decisions.line) WHERE line IN (SELECT line FROM staged.merge_matched)")
        differing = " || ".join(
            f"CASE WHEN {self._differs(name)} THEN '{name}, ' ELSE '' END" for name in same_decision)
        self._run(
            f"UPDATE staged.merge_decisions SET differs = (SELECT NULLIF(rtrim({differing}, ', '), '')"
            "  FROM main.decisions d LEFT JOIN staged.merge_decisions t ON t.id = merge_decisions.undoes"
            "  WHERE d.id = merge_decisions.here)"
            " WHERE here IS NOT NULL AND line NOT IN (SELECT line FROM staged.merge_matched)")
        self._run("UPDATE staged.merge_decisions SET refused = 'origin_id' WHERE differs IS NOT NULL"
                  " AND origin_workspace != ?", (own_id,))
        self._run("UPDATE staged.merge_decisions SET claimed = 1 WHERE refused IS NULL AND origin_workspace = ?"
                  " AND (here IS NULL OR differs IS NOT NULL)", (own_id,))
        self._run("UPDATE staged.merge_decisions SET refused = 'reviewer' WHERE refused IS NULL AND here IS NULL"
                  " AND reviewer_problem IS NOT NULL")

    @staticmethod
    def _differs(name: str) -> str:
        """SQL: whether the decision here ``d`` differs in field ``name`` from the row; an undo's ``undoes`` as the id
        here of the row ``t`` it names (one not here differs)."""
        if name == "undoes":
            return ("CASE WHEN merge_decisions.undoes IS NULL THEN d.undoes IS NOT NULL"
                    " ELSE t.here IS NULL OR t.here IS NOT d.undoes END")
        return f"d.{name} IS NOT merge_decisions.{name}"

    def claims(self) -> tuple[int, int] | None:
        """The first line claiming this workspace's id wrongly and the earliest id such a row claims; None if none."""
        first, origin = self._all("SELECT MIN(line), MIN(origin_id) FROM staged.merge_decisions WHERE claimed")[0]
        return None if first is None else (first, origin)

    def refused(self) -> Iterator[sqlite3.Row]:
        """The rows refused or claimed, in the file's order."""
        return self._rows("SELECT line, refused, claimed, note_id, audit, audit_hash, origin_workspace, origin_id,"
                          " reviewer_problem, differs, here FROM staged.merge_decisions"
                          " WHERE refused IS NOT NULL OR claimed ORDER BY line")

    def first_reviewer_conflict(self) -> sqlite3.Row | None:
        """The first new row (in the file's order) whose reviewer has decisions here the file does not hold
        (``elsewhere``, their count), or that undoes a decision here its reviewer has undone here (``undone_here``)."""
        rows = self._all(
            "WITH elsewhere AS (SELECT r.reviewer, (SELECT COUNT(*) FROM main.decisions d WHERE d.reviewer = r.reviewer"
            "  AND d.id NOT IN (SELECT here FROM staged.merge_decisions WHERE here IS NOT NULL)) AS elsewhere"
            "  FROM (SELECT DISTINCT reviewer FROM staged.merge_decisions WHERE here IS NULL) r)"
            " SELECT line, reviewer, undoes, elsewhere, undone_here FROM"
            " (SELECT s.line, s.reviewer, s.undoes, e.elsewhere,"
            "  EXISTS (SELECT 1 FROM staged.merge_decisions t JOIN main.decisions u ON u.undoes = t.here"
            "  WHERE t.id = s.undoes AND u.reviewer = s.reviewer) AS undone_here"
            "  FROM staged.merge_decisions s JOIN elsewhere e ON e.reviewer = s.reviewer WHERE s.here IS NULL)"
            " WHERE elsewhere > 0 OR undone_here ORDER BY line LIMIT 1")
        return rows[0] if rows else None

    def merge(self, source_file: str) -> None:
        """Append the rows not here, in the file's order, as merged from ``source_file`` (each ``undoes`` the id here
        of the row it names): under the ids the log would give them one at a time, after every earlier one."""
        with self._workspace.transaction() as conn:
            last = conn.execute("SELECT MAX(COALESCE((SELECT seq FROM main.sqlite_sequence WHERE name = 'decisions'), 0),"
                                " COALESCE((SELECT MAX(id) FROM main.decisions), 0))").fetchone()[0]
            conn.execute("INSERT INTO staged.merge_new (line, here) SELECT line, ? + ROW_NUMBER() OVER (ORDER BY line)"
                         " FROM staged.merge_decisions WHERE here IS NULL", (last,))
            conn.execute("UPDATE staged.merge_decisions SET merged = 1, here = (SELECT here FROM staged.merge_new n"
                         " WHERE n.line = merge_decisions.line) WHERE here IS NULL")
            conn.execute(
                "INSERT INTO main.decisions (id, note_id, label, state, reviewer, created_at, model_version, score,"
                " comment, audit, kind, undoes) SELECT s.here, s.note_id, s.label, s.state, s.reviewer, s.created_at,"
                " s.model_version, s.score, s.comment, s.audit, s.kind, t.here FROM staged.merge_decisions s"
                " LEFT JOIN staged.merge_decisions t ON t.id = s.undoes WHERE s.merged ORDER BY s.line")
            conn.execute("INSERT INTO main.merged_decisions (decision_id, origin_workspace, origin_id, source_file,"
                         " merged_at) SELECT here, origin_workspace, origin_id, ?, ? FROM staged.merge_decisions"
                         " WHERE merged ORDER BY line", (source_file, now()))

    def counts(self) -> list[tuple[str, int, int]]:
        """Each reviewer of the file's rows (in the order the file first names them): rows merged, rows here already."""
        return [tuple(r) for r in self._all("SELECT reviewer, SUM(merged), SUM(NOT merged) FROM staged.merge_decisions"
                                            " GROUP BY reviewer ORDER BY MIN(line)")]


class StagedComments(_Staged):
    """A comments file (``export comments``) being merged (:mod:`comment_merging`): each row, with what is wrong with
    its reviewer or text if it is new (``problem``: the field, ``problem_text``); once placed, whether the comment is
    here already (``present``: here, or an earlier row of the file) and why it cannot be merged (``refused``)."""

    TABLE = "merge_comments"
    COLUMNS = ("line", "note_id", "reviewer", "created_at", "text", "note_hash", "problem", "problem_text")
    SCHEMA = (
        "CREATE TABLE staged.merge_comments (line INTEGER PRIMARY KEY, note_id TEXT NOT NULL, reviewer TEXT NOT NULL,"
        " created_at TEXT NOT NULL, text TEXT NOT NULL, note_hash TEXT NOT NULL, problem TEXT, problem_text TEXT,"
        " refused TEXT, present INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX staged.merge_comments_identity ON merge_comments(note_id, reviewer, created_at)",
    )

    def place(self) -> None:
        """A comment here already (by its note, reviewer, time and text), or in an earlier row of the file that is
        merged, is present; a new one whose reviewer or text is not allowed is refused (its ``problem``)."""
        self._run(
            "UPDATE staged.merge_comments SET present = 1 WHERE refused IS NULL AND (EXISTS (SELECT 1 FROM main.comments c"
            " WHERE c.note_id = merge_comments.note_id AND c.reviewer = merge_comments.reviewer"
            " AND c.created_at = merge_comments.created_at AND c.text = merge_comments.text)"
            " OR EXISTS (SELECT 1 FROM staged.merge_comments e WHERE e.note_id = merge_comments.note_id"
            " AND e.reviewer = merge_comments.reviewer AND e.created_at = merge_comments.created_at"
            " AND e.text = merge_comments.text AND e.line < merge_comments.line AND e.refused IS NULL"
            " AND e.problem IS NULL))")
        self._run("UPDATE staged.merge_comments SET refused = problem WHERE refused IS NULL AND NOT present"
                  " AND problem IS NOT NULL")

    def refused(self) -> Iterator[sqlite3.Row]:
        """The rows refused, in the file's order."""
        return self._rows("SELECT line, refused, note_id, problem_text FROM staged.merge_comments"
                          " WHERE refused IS NOT NULL ORDER BY line")

    def merge(self) -> None:
        """Add the comments not here, in the file's order, each with its time."""
        with self._workspace.transaction() as conn:
            conn.execute("INSERT INTO main.comments (note_id, reviewer, text, created_at) SELECT note_id, reviewer, text,"
                         " created_at FROM staged.merge_comments WHERE NOT present ORDER BY line")

    def counts(self) -> list[tuple[str, int, int]]:
        """Each reviewer of the file's rows (in the order the file first names them): comments merged, here already."""
        return [tuple(r) for r in self._all("SELECT reviewer, SUM(NOT present), SUM(present) FROM staged.merge_comments"
                                            " GROUP BY reviewer ORDER BY MIN(line)")]


class Workspace:
    """An open workspace. Thread-safe: Textual workers may share one instance."""

    def __init__(self, path: Path, conn: sqlite3.Connection, folder_lock: FolderLock | None = None):
        self.path = path
        self.db_path = path / DB_NAME
        self._conn = conn
        self._folder_lock = folder_lock  # held while open: the workspace is in use (workspace_lock)
        self._lock = threading.RLock()
        #: What opening this workspace's migrations did to its data, for the user to be told (schema.migrate).
        self.migration_notices: list[str] = []
        self._writing = False  # in a transaction(): held only with the lock, so only by the thread in it

    # -- opening -----------------------------------------------------------------
    @staticmethod
    def exists(path: str | os.PathLike | None = None) -> bool:
        """Whether there is a workspace at ``path`` (resolved as :meth:`open` does)."""
        return (resolve_path(path) / DB_NAME).is_file()

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, create: bool = True) -> "Workspace":
        folder = resolve_path(path)
        for notice in put_right(folder):  # a restore or backup killed midway: before all else
            warnings.warn(notice, WorkspaceNotice, stacklevel=2)
        db_path = folder / DB_NAME
        if folder.exists() and not folder.is_dir():
            raise WorkspaceError(f"{folder}: is a file, not a workspace folder")
        if not db_path.exists() and not create:
            raise WorkspaceError(f"no workspace at {folder} (run 'casereview import' to create one)")
        private_folder(folder, written_here(*DB_FILES, MODELS_DIR, STAGED_ROWS))
        folder_lock = held_open(folder)
        try:
            return cls._opened(folder, db_path, folder_lock)
        except BaseException:
            if folder_lock is not None:
                folder_lock.close()
            raise

    @classmethod
    def _opened(cls, folder: Path, db_path: Path, folder_lock: FolderLock | None) -> "Workspace":
        if not db_path.exists():
            os.close(os.open(db_path, os.O_CREAT | os.O_WRONLY, 0o600))
        # Owner-only, an existing database too (copied or unpacked with other permissions): SQLite gives
        # the -wal and -shm files the database's mode, and a crash may have left them behind. One that others
        # can write, or another account's, is refused first: made private, its records would be trusted.
        for name in DB_FILES:
            check_own(folder / name)
            owner_only(folder / name, 0o600)
        old_umask = os.umask(0o077)
        try:
            conn = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(TEMPORARY_IN_MEMORY)
            workspace = cls(folder, conn, folder_lock)
            workspace._migrate()
            workspace._check_not_a_copy()
        except sqlite3.DatabaseError as e:
            raise WorkspaceError(f"{db_path}: not a usable workspace database ({e})") from None
        finally:
            os.umask(old_umask)
        return workspace

    def _migrate(self) -> None:
        if self._checked_version() == SCHEMA_VERSION:
            return
        with self.transaction() as conn:
            # Another program may have migrated since that read: only the write lock's holder
            # may trust the version it reads, else it would run a migration twice.
            self.migration_notices = migrate(conn, self._checked_version())
        for notice in self.migration_notices:
            warnings.warn(f"{self.db_path}: {notice}", WorkspaceNotice, stacklevel=2)

    def _check_not_a_copy(self) -> None:
        """Give the workspace an id of its own if its database is another file than the one it was last opened in:
        a copy (cp -r, rsync, tar) keeps the original's id, and decisions made in both under one id, the same ids
        counting up in each, could not be told apart by ``merge``. A move keeps the file, and the id. Telling a copy
        wrongly (a file moved to another disk, a workspace restored from its own tar file) costs nothing: its
        decisions so far stay known as the workspace's they were made in. A database that cannot be written (a
        read-only disk) is left as it is: nothing can be decided in it."""
        identity = _file_identity(self.db_path)
        recorded = self._query("SELECT device, inode FROM workspace_file")
        if recorded and tuple(recorded[0]) == identity:
            return
        try:
            with self.transaction() as conn:  # another program opening the copy at once waits, then finds it done
                recorded = conn.execute("SELECT device, inode FROM workspace_file").fetchone()
                copied = recorded is not None and tuple(recorded) != identity
                if copied:
                    _take_an_id_of_its_own(conn)
                _record_file(conn, identity)
        except (WorkspaceError, sqlite3.OperationalError) as e:
            if isinstance(e, sqlite3.OperationalError) and e.sqlite_errorcode & 0xFF not in CANNOT_WRITE:
                raise
            return
        if copied:
            warnings.warn(f"{self.db_path}: {COPY_NOTICE}", WorkspaceNotice, stacklevel=3)

    def _checked_version(self) -> int:
        """The file's schema version; one newer than this casereview's is refused."""
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise WorkspaceError(
                f"{self.db_path}: schema version {version} is newer than this casereview "
                f"({SCHEMA_VERSION}); upgrade casereview"
            )
        return version

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if self._folder_lock is not None:
                self._folder_lock.close()

    def copy_database(self, target: sqlite3.Connection, copied_through: int | None = None) -> tuple[str, int, int]:
        """Copy the database into ``target`` by SQLite's online backup, in one step: as one read transaction
        sees it (what the -wal file holds included), while other programs go on writing (``backup``). Then the
        copy's check, SQLite's ``quick_check`` ("ok", else what is wrong), and its notes and decisions.

        The copy is a workspace of its own, with an id of its own: decisions made in it after the copy are not
        this workspace's, though their ids may be the same (``merge`` tells them apart by workspace and id). It
        records that its decisions so far were made here (``decisions_copied``); or, with ``copied_through``, only
        those up to that id: this workspace is a folder copied with cp from another, keeping its id, and the
        decisions after it were made in this copy (``backup --copied-through``)."""
        target.execute(TEMPORARY_IN_MEMORY)
        with self._lock:
            self._conn.backup(target)
        check = _quick_check(target)
        if check != "ok":
            return check, 0, 0
        with target:
            _take_an_id_of_its_own(target, copied_through)
            # the file written is the backup: a copy of it (each coder's unpacked tar) takes an id of its own in turn
            _record_file(target, _file_identity(Path(target.execute("PRAGMA database_list").fetchone()[2])))
        return check, *_notes_and_decisions(target)

    def take_an_id_of_its_own(self) -> tuple[int, int]:
        """Make this workspace, a copy of another (``restore``'s, of a backup), a workspace of its own, as
        :meth:`copy_database` makes a backup; its notes and decisions."""
        with self.transaction() as conn:
            _take_an_id_of_its_own(conn)
            return _notes_and_decisions(conn)

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it.

        Inside another transaction of this thread (which holds the lock) it is part of that one,
        so that several writes (an import's notes and their scans) can land together.
        """
        with self._lock:
            if self._writing:
                yield self._conn
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                if e.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                    raise
                raise WorkspaceLockedError(
                    f"{self.db_path}: another program kept the workspace locked for over "
                    f"{BUSY_TIMEOUT_MS / 1000:g} s; nothing was written"
                ) from None
            self._writing = True
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as e:
                if self._conn.in_transaction:  # a COMMIT that failed (a full disk) leaves it open
                    with contextlib.suppress(sqlite3.Error):  # the first error is the one to tell
                        self._conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.OperationalError) and e.sqlite_errorcode & 0xFF in CANNOT_WRITE:
                    raise WorkspaceError(f"{self.db_path}: cannot write ({why_not_written(e, self.path)}); "
                                         "nothing was written") from None
                raise
            finally:
                self._writing = False

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[sqlite3.Row]:
        """A query's rows as they come, not fetched all at once (a row a note or a decision of a large workspace),
        the lock held until the last: read them all at once."""
        with self._lock:
            yield from self._conn.execute(sql, tuple(params))

    # -- notes -------------------------------------------------------------------
    def import_notes(
        self, notes: Iterable[Note], source_file: str, *, update: bool = False, reviewer: str | None = None,
        forms: Iterable[SourceForms] | None = None, places: dict[str, tuple[str, int]] | None = None,
    ) -> ImportResult:
        """Store ``notes`` from one file in one transaction (:class:`NoteImport` says how; ``forms``, each note's,
        and ``places``, a changed note's file and line, as :meth:`NoteImport.add` takes them)."""
        with self.importing(source_file, update=update, reviewer=reviewer) as writing:
            writing.add(notes, forms, places)
        return writing.result

    @contextlib.contextmanager
    def importing(self, source_file: str, *, update: bool = False, reviewer: str | None = None) -> Iterator[NoteImport]:
        """One file's notes stored in batches (:meth:`NoteImport.add`) in one transaction: a large file is read and
        stored a batch at a time, and lands whole or not at all. Changed notes refused (no ``update``) are named
        together as the block ends, :class:`ChangedNotesError`, and then nothing is stored."""
        with self.transaction() as conn:
            writing = NoteImport(conn, source_file, update, reviewer or f"import:{source_file}")
            yield writing
            writing.finish()

    def stored_version(self, note_id: str) -> StoredVersion | None:
        """The stored note's version now and as imported, and whether it was redacted (None: no such note)."""
        rows = self._query(
            "SELECT n.content_hash, n.imported_hash, EXISTS (SELECT 1 FROM pii_findings f"
            " JOIN pii_resolutions r ON r.finding_id = f.id WHERE f.note_id = n.note_id"
            " AND f.content_hash = n.content_hash AND r.resolution = 'redacted') OR n.fields_redacted > 0 AS redacted"
            " FROM notes n WHERE n.note_id = ?",
            (note_id,),
        )
        return StoredVersion(rows[0][0], rows[0][1], bool(rows[0][2])) if rows else None

    def set_imported_hash(self, note_id: str, imported_hash: str) -> None:
        """Record the hash of the note as its file gives it (learned for one whose imported hash is unknown)."""
        with self.transaction() as conn:
            conn.execute("UPDATE notes SET imported_hash = ? WHERE note_id = ?", (imported_hash, note_id))

    def get_note(self, note_id: str) -> Note | None:
        rows = self._query("SELECT * FROM notes WHERE note_id = ?", (note_id,))
        return _note_from_row(rows[0]) if rows else None

    def note_ids(self) -> list[str]:
        return [r[0] for r in self._query("SELECT note_id FROM notes ORDER BY rowid")]

    def iter_notes(self, batch_size: int = 500, where_not_scored_by: str | None = None,
                   with_decisions: bool = False) -> Iterator[Note]:
        """Every note in import order, read in batches so memory stays flat; only those not scored by a model
        version (``where_not_scored_by``), or only those with a decision in the log (``with_decisions``: an export
        of labels, which reads a few thousand notes of a large workspace, not every one)."""
        conditions, params = ["rowid > ?"], []
        if where_not_scored_by is not None:
            conditions.append("NOT EXISTS (SELECT 1 FROM prediction_summary s WHERE s.note_id = n.note_id"
                              " AND s.model_version = ?)")
            params.append(where_not_scored_by)
        if with_decisions:
            conditions.append("EXISTS (SELECT 1 FROM decisions d WHERE d.note_id = n.note_id)")
        sql = f"SELECT rowid, * FROM notes n WHERE {' AND '.join(conditions)} ORDER BY rowid LIMIT ?"
        last = 0
        while True:
            rows = self._query(sql, (last, *params, batch_size))
            if not rows:
                return
            for row in rows:
                yield _note_from_row(row)
            last = rows[-1]["rowid"]

    def iter_note_fields(self, batch_size: int = 5000) -> Iterator[dict[str, Any]]:
        """Each note's fields other than the codebook's (``extra``), and its ``time`` where it has one, in import
        order, read in batches and without the notes' text: what a CSV export of notes needs for its header."""
        last = 0
        while True:
            rows = self._query("SELECT rowid, time, extra FROM notes WHERE rowid > ? ORDER BY rowid LIMIT ?",
                               (last, batch_size))
            if not rows:
                return
            for row in rows:
                extra = json.loads(row["extra"])
                yield extra if row["time"] is None else {"time": row["time"], **extra}
            last = rows[-1]["rowid"]

    def case_notes(self, case_id: str) -> list[Note]:
        """The notes of one case file in date order (:data:`DATE_ORDER`)."""
        rows = self._query(f"SELECT * FROM notes n WHERE case_id = ? ORDER BY {DATE_ORDER}", (case_id,))
        return [_note_from_row(r) for r in rows]

    def note_ids_by_case(self) -> dict[str, list[str]]:
        """Each case file's note ids (import order): what a list counting a case file's notes by a rule reads, not
        the notes themselves."""
        by_case: dict[str, list[str]] = {}
        for case_id, note_id in self._rows("SELECT case_id, note_id FROM notes WHERE case_id IS NOT NULL"
                                           " ORDER BY rowid"):
            by_case.setdefault(case_id, []).append(note_id)
        return by_case

    def case_sizes(self) -> dict[str, int]:
        """Case file -> how many notes it has (from the case index)."""
        return dict(self._query("SELECT case_id, COUNT(*) FROM notes WHERE case_id IS NOT NULL GROUP BY case_id"))

    def case_place(self, note_id: str, case_id: str) -> tuple[int, int]:
        """The note's place in its case file in date order (:data:`DATE_ORDER`), 1-based (0: not in it), and how
        many notes the case file has: read from the case index, never the notes' text (the review screen tells it
        for every note shown, and reading the case file's notes took 4 ms a note in a case of 700, 32 in one of 4,000)."""
        rows = self._query(f"SELECT n.rowid = (SELECT rowid FROM notes WHERE note_id = ?) FROM notes n"
                           f" WHERE n.case_id = ? ORDER BY {DATE_ORDER}", (note_id, case_id))
        place = next((i for i, (own,) in enumerate(rows, 1) if own), 0)
        return place, len(rows)

    def note_history(self, note_id: str) -> list[dict]:
        rows = self._query(
            "SELECT content_hash, source_file, imported_at, replaced_at FROM note_history"
            " WHERE note_id = ? ORDER BY id",
            (note_id,),
        )
        return [dict(r) for r in rows]

    # -- decisions ---------------------------------------------------------------
    def record_decision(
        self,
        note_id: str,
        label: str,
        state: str,
        reviewer: str,
        *,
        model_version: str | None = None,
        score: float | None = None,
        comment: str | None = None,
        audit: str | None = None,
        kind: str = "review",
        read_from: str | None = None,
    ) -> Decision:
        """Append one decision event, committed before this returns. ``read_from``: the queue's note the reviewer
        left to read this note outside the queue (a case file from its timeline), where their review resumes after."""
        if label not in LABEL_NAMES:
            raise ValueError(f"unknown label {label!r}")
        if state not in DECISION_STATES:
            raise ValueError(f"unknown decision state {state!r}")
        stamp = now()
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO decisions (note_id, label, state, reviewer, created_at, model_version,"
                " score, comment, audit, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (note_id, label, state, reviewer, stamp, model_version, score, comment, audit, kind),
            )
            event_id = cursor.lastrowid
            if read_from is not None and read_from != note_id:
                conn.execute("INSERT INTO decisions_read_from (decision_id, queue_note) VALUES (?, ?)",
                             (event_id, read_from))
        return Decision(event_id, note_id, label, state, reviewer, stamp, model_version, score, comment, audit, kind)

    def current_decisions(self, note_id: str, reviewer: str | None = None,
                          audit: str | None = None) -> dict[str, Decision]:
        """label -> the current decision on this note (all reviewers, or one): the latest, what the review screen
        shows right after a key; what the workspace has decided is each label's final state (:meth:`final_decisions`).

        With ``audit`` (and ``reviewer``): the reviewer's decisions made in that audit only, what a blind coder of
        it sees; the audit's progress, agreement and disputes count no other.
        """
        if reviewer is None:
            rows = self._query("SELECT * FROM decision_state WHERE note_id = ?", (note_id,))
        elif audit is not None:
            rows = self._query(
                f"SELECT d.* FROM {_latest_reviews('note_id = ? AND +reviewer = ? AND +audit = ?')}"
                " WHERE d.state != 'cleared'",
                (note_id, reviewer, audit),
            )
        else:
            rows = self._query(
                # '+' keeps the planner on the note's index: a reviewer's index spans their whole log
                "SELECT * FROM reviewer_decision_state WHERE note_id = ? AND +reviewer = ?",
                (note_id, reviewer),
            )
        return {r["label"]: Decision(**dict(r)) for r in rows}

    def notes_decided_by(self, reviewer: str, audit: str | None = None) -> list[tuple[str, str | None]]:
        """The notes of the reviewer's review decisions in force made in ``audit`` (None: outside any audit, where
        the reviewer's own queue is coded, not an audit's sample), each with the queue's note they were read from
        (None: decided in the queue, or merged in), the note decided on last first: where a session of theirs
        resumes. An undone decision is none."""
        where, params = "d.reviewer = ? AND d.kind = 'review'", [reviewer]
        if audit is not None:
            where, params = where + " AND d.audit = ?", params + [audit]
        else:
            where += " AND d.audit IS NULL"
        return [(r[0], r[1]) for r in self._query(
            "SELECT d.note_id, r.queue_note FROM live_decisions d"
            f" LEFT JOIN decisions_read_from r ON r.decision_id = d.id WHERE {where}"
            " GROUP BY d.note_id, r.queue_note ORDER BY MAX(d.id) DESC", params)]

    def notes_decided_since(self, reviewer: str, since: str, audit: str | None = None) -> set[str]:
        """The notes the reviewer decided on (decisions in force) at or after ``since``, an ISO 8601 UTC time (in
        ``audit``, if given)."""
        where, params = "reviewer = ? AND created_at >= ?", [reviewer, since]
        if audit is not None:
            where, params = where + " AND audit = ?", params + [audit]
        return {r[0] for r in self._query(f"SELECT DISTINCT note_id FROM live_decisions WHERE {where}", params)}

    def coded_notes(self, reviewer: str | None = None, audit: str | None = None,
                    note_ids: Sequence[str] | None = None) -> set[str]:
        """The notes with every label decided, as the review screen shows them (no label left undecided, what
        ``N`` leaves): by anyone (``decision_state``), or by ``reviewer`` alone (in ``audit``, if given: a blind
        coder's own coding); among ``note_ids`` if given (a page of a list), else the workspace's."""
        if reviewer is None:
            source, where, params = "decision_state d", [], []
        elif audit is None:
            source, where, params = "reviewer_decision_state d", ["d.reviewer = ?"], [reviewer]
        else:
            source, where = _latest_reviews("+reviewer = ? AND +audit = ?"), ["d.state != 'cleared'"]
            params = [reviewer, audit]
        if note_ids is not None:
            if not note_ids:
                return set()
            where.append(f"d.note_id IN ({','.join('?' * len(note_ids))})")
            params.extend(note_ids)
        filtered = f"{source} WHERE {' AND '.join(where)}" if where else source
        return {r[0] for r in self._query(f"SELECT d.note_id FROM {filtered} GROUP BY d.note_id"
                                          " HAVING COUNT(DISTINCT d.label) = ?", [*params, len(LABEL_NAMES)])}

    def retract_decision(self, decision: Decision) -> Decision:
        """Undo ``decision``: append an event by its reviewer that names it (``undoes``).

        The log stays append-only; current states skip the decision and the retraction,
        so the pair falls back to what was current before it, per reviewer and overall.
        The event repeats the retracted state, kind and audit, so the raw log reads as
        "ann took back her 'rejected'". Only the decision's own reviewer retracts it, once.
        """
        stamp = now()
        with self.transaction() as conn:
            row = conn.execute("SELECT reviewer, undoes FROM decisions WHERE id = ?", (decision.id,)).fetchone()
            if row is None or row["reviewer"] != decision.reviewer or row["undoes"] is not None:
                raise ConflictError(f"decision {decision.id} is not a decision of {decision.reviewer!r} to undo")
            if conn.execute("SELECT 1 FROM decisions WHERE undoes = ?", (decision.id,)).fetchone():
                raise ConflictError(f"decision {decision.id} is already undone")
            cursor = conn.execute(
                "INSERT INTO decisions (note_id, label, state, reviewer, created_at, model_version,"
                " score, comment, audit, kind, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, 'undo', ?, ?, ?)",
                (decision.note_id, decision.label, decision.state, decision.reviewer, stamp,
                 decision.model_version, decision.score, decision.audit, decision.kind, decision.id),
            )
        return Decision(cursor.lastrowid, decision.note_id, decision.label, decision.state, decision.reviewer, stamp,
                        decision.model_version, decision.score, "undo", decision.audit, decision.kind, decision.id)

    def iter_decisions(self) -> Iterator[Decision]:
        """The whole event log, oldest first."""
        last = 0
        while True:
            rows = self._query("SELECT * FROM decisions WHERE id > ? ORDER BY id LIMIT 1000", (last,))
            if not rows:
                return
            for row in rows:
                yield Decision(**dict(row))
            last = rows[-1]["id"]

    # -- decisions between workspaces (merging) -------------------------------------
    @property
    def workspace_id(self) -> str:
        """This workspace's random id (schema 13), exported with each decision it made."""
        return self._query("SELECT id FROM workspace_identity")[0][0]

    def iter_decision_origins(self) -> Iterator[tuple[Decision, str, int, str]]:
        """The whole event log, oldest first, each decision with where it was made (the workspace's id and the
        decision's id there: this one's, a workspace this one is a backup of, or one it was merged from) and the
        hash of the note's version it was made on: the version then in force (an earlier one kept in the note's
        history, else the current one as its file gave it, where that is known)."""
        last = 0
        origins = f"COALESCE(m.origin_workspace, {_MADE_HERE_OR_COPIED}), COALESCE(m.origin_id, d.id)"
        while True:
            rows = self._query(f"SELECT d.*, {origins}, {_version_then('d')} FROM decisions d JOIN notes n ON n.note_id = d.note_id"
                               " LEFT JOIN merged_decisions m ON m.decision_id = d.id WHERE d.id > ? ORDER BY d.id"
                               " LIMIT 1000", (last,))
            if not rows:
                return
            for row in rows:
                yield Decision(*tuple(row)[:12]), row[12], row[13], row[14]
            last = rows[-1]["id"]

    def staged_decisions(self) -> StagedDecisions:
        """A decisions file's rows being merged, in a temporary table until the ``with`` block ends."""
        return StagedDecisions(self)

    def staged_comments(self) -> StagedComments:
        """A comments file's rows being merged, in a temporary table until the ``with`` block ends."""
        return StagedComments(self)

    def decisions_of(self, reviewer: str) -> list[Decision]:
        """Every event of ``reviewer``'s in the log, oldest first."""
        return [Decision(**dict(r)) for r in self._query(
            "SELECT * FROM decisions WHERE reviewer = ? ORDER BY id", (reviewer,))]

    def data_version(self) -> int:
        """A number that changes when another connection to the file (another window, reviewer or program) commits
        a write; this connection's own writes leave it as it is (SQLite's ``data_version``: no table is read)."""
        return self._query("PRAGMA data_version")[0][0]

    def decision_log_position(self) -> int:
        return self._query("SELECT COALESCE(MAX(id), 0) FROM decisions")[0][0]

    def notes_decided_after(self, position: int) -> tuple[int, list[str]]:
        """The log's position now and the notes with an event after ``position`` (a decision, an adjudication, a
        retraction), in one read: what changed since a position read before, by anyone."""
        rows = self._query("SELECT note_id, MAX(id) FROM decisions WHERE id > ? GROUP BY note_id", (position,))
        return max((r[1] for r in rows), default=position), [r[0] for r in rows]

    @contextlib.contextmanager
    def snapshot(self) -> Iterator["Workspace"]:
        """Reads inside see one consistent state (a read transaction), e.g. a log position and its states."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self
            finally:
                self._conn.execute("COMMIT")

    def final_decisions(self, note_id: str | None = None, *, audit: str | None = None, case_id: str | None = None,
                        evidence: bool = False) -> Finals:
        """note id -> label -> its :class:`FinalDecision`, for every pair with a final state (one note's, an audit's
        notes', a case file's or all), read from the ``final_decision_state`` view as every count of decided labels
        is. With ``evidence``, the evidence of the suggestion the settling decision was made on (the confirmation's, not
        that of a later 'unsure'). Its ``disputed``: the pairs the workspace holds disputed (:class:`Finals`).

        Not the review screen's state (:meth:`current_decisions`), which is the latest decision, so that a
        reviewer sees what they just did.

        An audit's: its coders are its own, so where one of them took a side (a review made in the audit,
        'unsure' taking none) and no adjudication settles the label, that side holds (the latest such coder's:
        coders on both sides are the audit's open dispute), whatever a review outside it (another audit's, an
        import's) saved later; a label no coder of the audit took a side on keeps the workspace's final state,
        unless the workspace holds it disputed: then it has none (whoever saved last outside the audit would decide
        the audit's figures), as a dispute has none in the workspace's own report until it is adjudicated.
        """
        def decision(state: str, shown_evidence: str | None, reviewer: str, disputed: bool = False) -> FinalDecision:
            return FinalDecision(state, json.loads(shown_evidence) if shown_evidence else [], reviewer, disputed)

        return self._final(decision, note_id, audit, case_id, evidence)

    def final_states(self, audit: str | None = None) -> Finals:
        """note id -> label -> final state: :meth:`final_decisions` (the whole workspace's, or an audit's) without who
        settled each label or on what, as sampling frames and report figures count them (200,000 notes' final
        decisions took 800 MB, their states alone take a tenth of it); with the pairs disputed (:class:`Finals`)."""
        return self._final(lambda state, *_: state, None, audit, None, False)

    def _final(self, make: Callable[..., T], note_id: str | None, audit: str | None, case_id: str | None,
               evidence: bool) -> Finals:
        """:meth:`final_decisions`, each label's made by ``make(state, evidence as JSON or None, reviewer,
        disputed)``. The view's rows are read as they come, not held all at once, and each label, state and reviewer
        is one string, not one a row."""
        where, params = "", []
        if note_id is not None:
            where, params = " WHERE d.note_id = ?", [note_id]
        elif audit is not None:
            where, params = " WHERE d.note_id IN (SELECT note_id FROM audit_items WHERE audit = ?)", [audit]
        elif case_id is not None:
            where, params = " WHERE d.note_id IN (SELECT note_id FROM notes WHERE case_id = ?)", [case_id]
        shown = "p.evidence" if evidence else "NULL"
        joined = (" LEFT JOIN predictions p ON p.note_id = d.note_id AND p.label = d.label"
                  " AND p.model_version = d.model_version") if evidence else ""
        final = Finals()
        adjudicated: set[tuple[str, str]] = set()
        disputed: set[tuple[str, str]] = set()
        one = _one_each()
        for note, label, state, kind, is_disputed, shown_evidence, reviewer in self._rows(
                f"SELECT d.note_id, d.label, d.state, d.kind, d.disputed, {shown}, d.reviewer"
                f" FROM final_decision_state d{joined}{where} ORDER BY d.note_id, d.label", params):
            final.setdefault(note, {})[one(label)] = make(one(state), shown_evidence, one(reviewer), bool(is_disputed))
            if kind == "adjudication":
                adjudicated.add((note, label))
            elif is_disputed:
                disputed.add((note, label))
        final.disputed = frozenset(disputed)  # the view's, before an audit's coders settle some for it
        if note_id is None and audit is not None:
            coding = _latest_reviews("+audit = ? AND note_id IN (SELECT note_id FROM audit_items WHERE audit = ?)")
            for note, label, state, shown_evidence, reviewer in self._query(  # in log order: the latest coder last
                    f"SELECT d.note_id, d.label, d.state, {shown}, d.reviewer FROM {coding}{joined}"
                    " WHERE d.state NOT IN ('cleared', 'unsure') ORDER BY d.id", [audit, audit]):
                if (note, label) not in adjudicated:
                    final.setdefault(note, {})[label] = make(state, shown_evidence, reviewer)
                    disputed.discard((note, label))
            for note, label in disputed:  # no coder of the audit took a side: disputed outside it, undecided here
                del final[note][label]
                if not final[note]:
                    del final[note]
        return final

    def disagreements(self, audit: str | None = None, case_id: str | None = None) -> list[Disagreement]:
        """(note, label) pairs where reviewers' current decisions differ and no adjudication exists: the pairs
        ``final_decision_state`` holds as disputed, with each reviewer's side.

        Positive (confirmed/added) against negative (rejected) counts as a
        disagreement; 'unsure' does not take a side. Import reviewers are included,
        so a reviewer overturning a gold label is a disagreement too.
        """
        pairs = self.review_sides(audit, case_id, disputed_only=True)
        return [Disagreement(note_id, label, states) for (note_id, label), states in pairs.items()]

    def review_sides(self, audit: str | None = None, case_id: str | None = None,
                     disputed_only: bool = False) -> dict[tuple[str, str], dict[str, str]]:
        """(note, label) -> reviewer -> the side their current review takes (confirmed, added or rejected; an
        import's too, 'unsure' taking none), for the pairs with a final state (an audit's notes', a case file's or
        all; ``disputed_only``: the disputed ones): who, besides whoever saved last, decided a label so."""
        where, params = " WHERE f.disputed" if disputed_only else " WHERE 1", []
        if audit is not None:
            where, params = where + " AND f.note_id IN (SELECT note_id FROM audit_items WHERE audit = ?)", [audit]
        elif case_id is not None:
            where, params = where + " AND f.note_id IN (SELECT note_id FROM notes WHERE case_id = ?)", [case_id]
        rows = self._query(
            "SELECT r.note_id, r.label, r.reviewer, r.state FROM final_decision_state f"
            " JOIN reviewer_decision_state r ON r.note_id = f.note_id AND r.label = f.label"
            + where + " AND r.kind = 'review' AND r.state IN ('confirmed', 'added', 'rejected')"
            " ORDER BY r.note_id, r.label, r.reviewer",
            params,
        )
        pairs: dict[tuple[str, str], dict[str, str]] = {}
        for r in rows:
            pairs.setdefault((r["note_id"], r["label"]), {})[r["reviewer"]] = r["state"]
        return pairs

    def add_comment(self, note_id: str, reviewer: str, text: str, created_at: str | None = None) -> None:
        """Save a comment, written now, or at ``created_at`` (a merged comment keeps its time)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO comments (note_id, reviewer, text, created_at) VALUES (?, ?, ?, ?)",
                (note_id, reviewer, text, created_at or now()),
            )

    def comments(self, note_id: str) -> list[dict]:
        """The note's comments in the order written (one merged from another workspace by its time there)."""
        rows = self._query(
            "SELECT reviewer, text, created_at FROM comments WHERE note_id = ? ORDER BY created_at, id", (note_id,)
        )
        return [dict(r) for r in rows]

    def iter_comments(self) -> Iterator[dict]:
        """Every comment, oldest first, with its note's case file (an export for the reviewers' report) and the
        version of the note it was written on (``note_hash``, for merge)."""
        last = 0
        while True:  # a page at a time: an export's comments are never held all at once
            rows = self._query(
                "SELECT c.id, c.note_id, n.case_id, c.reviewer, c.created_at, c.text AS comment,"
                f" {_version_then('c')} AS note_hash FROM comments c LEFT JOIN notes n ON n.note_id = c.note_id"
                " WHERE c.id > ? ORDER BY c.id LIMIT 1000", (last,))
            if not rows:
                return
            yield from map(dict, rows)
            last = rows[-1]["id"]

    # -- predictions -------------------------------------------------------------
    def store_predictions(self, model_version: str, results: Iterable[dict]) -> int:
        """Store model output (``predict`` records) for ``model_version``; one transaction."""
        stamp = now()
        count = 0
        with self.transaction() as conn:
            for result in results:
                note_id = result["note_id"]
                thresholds = result["thresholds"]
                rows = []
                for name in LABEL_NAMES:
                    score = float(result["scores"][name])
                    rows.append(
                        (note_id, name, model_version, score, thresholds[name],
                         int(name in result["labels"]),
                         json.dumps(result["evidence"].get(name, []), ensure_ascii=False), stamp)
                    )
                conn.executemany(
                    "INSERT OR REPLACE INTO predictions (note_id, label, model_version, score,"
                    " threshold, suggested, evidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                priority = max(r[3] for r in rows)
                # the note alone, until order_uncertain ranks it among the version's notes
                uncertainty = float(uncertain_order(_distances([(r[3], r[4]) for r in rows])[None, :])[0])
                conn.execute(
                    "INSERT OR REPLACE INTO prediction_summary (note_id, model_version, priority,"
                    " uncertainty, suggested) VALUES (?, ?, ?, ?, ?)",
                    (note_id, model_version, priority, uncertainty, " ".join(result["labels"])),
                )
                count += 1
        return count

    def order_uncertain(self, model_version: str) -> int:
        """Rank the version's unreviewed notes for the uncertain queue (:func:`uncertain_order`); reviewed ones after.

        A note's key depends on every other note's, so this runs once a whole set of notes is
        scored: ``tagging.tag`` calls it every time, so that notes reviewed since go after the others.
        Returns how many notes were ranked.
        """
        with self.transaction() as conn:
            rows = conn.execute("SELECT note_id, score, threshold FROM predictions WHERE model_version = ?"
                                " ORDER BY note_id, label", (model_version,)).fetchall()
            # reviewed as the queue's `unreviewed` filter has it (a final state), not merely any event
            reviewed = {r[0] for r in conn.execute("SELECT DISTINCT note_id FROM final_decision_state")}
            n_labels = len(LABEL_NAMES)
            ids = [r[0] for r in rows[::n_labels]]
            distances = _distances([(r[1], r[2]) for r in rows]).reshape(len(ids), n_labels)
            # notes in a fixed shuffle (by a hash of the id), for the ties' sake (see uncertain_order)
            shuffle = sorted(range(len(ids)), key=lambda i: hashlib.sha256(ids[i].encode()).digest())
            keys: list[tuple[float, str, str]] = []
            for done in (False, True):
                chosen = [i for i in shuffle if (ids[i] in reviewed) == done]
                keys += [(done + float(k), ids[i], model_version)
                         for i, k in zip(chosen, uncertain_order(distances[chosen]))]
            conn.executemany("UPDATE prediction_summary SET uncertainty = ? WHERE note_id = ? AND model_version = ?",
                             keys)
        return len(keys)

    def predictions(self, note_id: str, model_version: str | None = None) -> dict[str, Prediction]:
        """label -> prediction for the note, from ``model_version`` or the promoted model."""
        version = model_version or self.current_model_version()
        if version is None:
            return {}
        rows = self._query(
            "SELECT * FROM predictions WHERE note_id = ? AND model_version = ?", (note_id, version)
        )
        return {
            r["label"]: Prediction(
                r["label"], r["score"], r["threshold"], bool(r["suggested"]),
                json.loads(r["evidence"]), r["model_version"],
            )
            for r in rows
        }

    # -- models ------------------------------------------------------------------
    def register_model(
        self, version: str, path: str, sha256: str, metrics: dict | None = None,
        trained_on: dict | None = None, *, promote: bool = False, actor: str = "casereview",
    ) -> None:
        # A model inside the workspace folder is recorded relative to it, so the
        # workspace can be moved or copied with its models.
        folder = Path(path).resolve()
        if folder.is_relative_to(self.path.resolve()):
            path = str(folder.relative_to(self.path.resolve()))
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO models (version, path, sha256, metrics, trained_on, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (version, path, sha256, json.dumps(metrics or {}), json.dumps(trained_on or {}), now()),
            )
            self._model_event(conn, version, "registered", actor)
        if promote:
            self.promote_model(version, actor=actor)

    def promote_model(self, version: str, *, actor: str, forced: bool = False, action: str = "promoted",
                      replacing: str | None | object = ANY_PROMOTED, guardrail: dict | None = None) -> None:
        """Make ``version`` the promoted model; ``action`` names the event ('promoted', 'rolled_back').

        ``replacing``: the version the caller decided against (None: none promoted). If another
        program promoted another meanwhile, nothing is written (:class:`ConflictError`). ``guardrail``: what a
        promotion forced past the guardrail was judged on and why it refused (kept with the event).
        """
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM models WHERE version = ?", (version,)).fetchone() is None:
                raise WorkspaceError(f"no model version {version!r} in this workspace")
            if replacing is not ANY_PROMOTED:
                row = conn.execute("SELECT version FROM models WHERE promoted = 1").fetchone()
                if (row[0] if row else None) != replacing:
                    raise ConflictError(f"the promoted model changed from {replacing} to {row[0] if row else None} "
                                        "while this command ran; nothing was changed: run it again")
            conn.execute("UPDATE models SET promoted = (version = ?)", (version,))
            self._model_event(conn, version, action, actor, forced=forced, guardrail=guardrail)

    def refuse_promotion(self, version: str, *, actor: str, guardrail: dict) -> None:
        """Record that the guardrail refused to promote ``version`` (``guardrail``: what it judged on and why), so
        that its history shows a promotion tried and why it was refused; nothing is promoted."""
        with self.transaction() as conn:
            self._model_event(conn, version, REFUSED_PROMOTION, actor, guardrail=guardrail)

    @staticmethod
    def _model_event(conn: sqlite3.Connection, version: str, action: str, actor: str, *, forced: bool = False,
                     guardrail: dict | None = None) -> None:
        conn.execute(
            "INSERT INTO model_events (version, action, actor, forced, guardrail, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (version, action, actor, int(forced), None if guardrail is None else json.dumps(guardrail), now()),
        )

    def models(self) -> list[ModelRecord]:
        rows = self._query("SELECT * FROM models ORDER BY created_at, rowid")
        return [
            ModelRecord(r["version"], str(self._model_folder(r)), r["sha256"], json.loads(r["metrics"]),
                        json.loads(r["trained_on"]), bool(r["promoted"]), r["created_at"])
            for r in rows
        ]

    def _model_folder(self, row: sqlite3.Row) -> Path:
        """Where a registered model is: as recorded, unless its file is gone from there and this casereview ships
        the same file (by its hash). A shipped model is recorded where the casereview that registered it was
        installed: a workspace copied to another machine, or a casereview installed afresh in another folder,
        would otherwise find it missing."""
        from .model_files import MODEL_FILE
        from .registry import shipped_folder  # here: the registry imports this module

        folder = self.path / row["path"]
        if not (folder / MODEL_FILE).is_file() and (shipped := shipped_folder(row["version"], row["sha256"])):
            return shipped
        return folder

    def model(self, version: str) -> ModelRecord | None:
        return next((m for m in self.models() if m.version == version), None)

    def promoted_model(self) -> ModelRecord | None:
        return next((m for m in self.models() if m.promoted), None)

    def current_model_version(self) -> str | None:
        """The promoted model's version, else the latest version with predictions."""
        promoted = self.promoted_model()
        if promoted is not None:
            return promoted.version
        rows = self._query("SELECT model_version FROM prediction_summary ORDER BY rowid DESC LIMIT 1")
        return rows[0][0] if rows else None

    def model_events(self) -> list[dict]:
        """Every model event, oldest first; ``guardrail`` is what a refused or forced promotion was judged on and why
        (None for other events)."""
        return [{**dict(r), "guardrail": json.loads(r["guardrail"]) if r["guardrail"] else None}
                for r in self._query("SELECT * FROM model_events ORDER BY id")]

    # -- queues (the review UI pages through these) --------------------------------
    def queue_ids(self, query: "QueueQuery") -> list[str]:
        """Every note id of a queue, in queue order (ids only: cheap even for 100,000 notes)."""
        sql, params = _queue_sql(query, "n.note_id", self.current_model_version())
        ids = [r[0] for r in self._query(sql, params)]
        if query.order == "random":  # a seeded shuffle: the same seed, the same order
            random.Random(query.seed).shuffle(ids)
        return ids

    def queue_rows(self, note_ids: list[str]) -> list[QueueRow]:
        """Display rows for a page of note ids, in the order given."""
        if not note_ids:
            return []
        version = self.current_model_version() or ""
        marks = ",".join("?" * len(note_ids))
        rows = self._query(
            f"SELECT n.note_id, n.case_id, n.date, n.time, n.author_role, n.note_type, s.priority, s.suggested,"
            f" COALESCE(f.decided, 0) AS decided, f.concerns, f.cleared"
            f" FROM notes n LEFT JOIN prediction_summary s ON s.note_id = n.note_id AND s.model_version = ?"
            # each note's final states: how many labels are decided, which a concern and which none (a dispute neither)
            f" LEFT JOIN (SELECT d.note_id, COUNT(*) AS decided,"
            f"  GROUP_CONCAT(CASE WHEN NOT d.disputed AND d.state IN ('confirmed', 'added') THEN d.label END, ' ')"
            f"   AS concerns,"
            f"  GROUP_CONCAT(CASE WHEN NOT d.disputed AND d.state = 'rejected' THEN d.label END, ' ') AS cleared"
            f"  FROM final_decision_state d WHERE d.note_id IN ({marks}) GROUP BY d.note_id) f ON f.note_id = n.note_id"
            f" WHERE n.note_id IN ({marks})",
            [version, *note_ids, *note_ids],
        )
        by_id = {r["note_id"]: r for r in rows}
        return [
            QueueRow(r["note_id"], r["case_id"], r["date"], r["author_role"], r["note_type"],
                     r["priority"], tuple((r["suggested"] or "").split()), r["decided"], r["time"],
                     tuple((r["concerns"] or "").split()), tuple((r["cleared"] or "").split()))
            for r in (by_id[i] for i in note_ids if i in by_id)
        ]

    def has_times(self) -> bool:
        """Whether some note has a time of day (lists widen their date column for times only then)."""
        return bool(self._query("SELECT EXISTS (SELECT 1 FROM notes WHERE time IS NOT NULL)")[0][0])

    def longest_note_id(self) -> int:
        """How many characters the longest note id of the workspace has (the queue sizes its note column to it)."""
        return self._query("SELECT COALESCE(MAX(length(note_id)), 0) FROM notes")[0][0]

    def note_ids_name_cases(self) -> bool:
        """Whether every note's id begins with its case's id ("ADO-002-01" of ADO-002), or it has no case: a list
        showing note ids needs no case column then."""
        return not self._query("SELECT EXISTS (SELECT 1 FROM notes WHERE case_id IS NOT NULL"
                               " AND substr(note_id, 1, length(case_id)) != case_id)")[0][0]

    def longest_case_id(self) -> int:
        """How many characters the longest case id of the workspace has (lists size their case column to it)."""
        return self._query("SELECT COALESCE(MAX(length(case_id)), 0) FROM notes")[0][0]

    def case_files(self, limit: int | None = None, of_notes: Sequence[str] | None = None) -> list[CaseFileRow]:
        """Case files ranked by aggregated concern: flagged labels, then strongest score. ``of_notes``:
        only the files those notes are of (an audit's), each still counted whole."""
        version = self.current_model_version() or ""
        only, params = "", [version]
        if of_notes is not None:
            only = (" AND n.case_id IN (SELECT case_id FROM notes WHERE note_id IN"
                    f" ({','.join('?' * len(of_notes))}))")
            params += list(of_notes)
        rows = self._query(
            "SELECT n.case_id, COUNT(*) AS notes, MAX(n.date) AS last_date,"
            " COALESCE(MAX(s.priority), 0) AS strongest,"
            " SUM(CASE WHEN s.suggested != '' THEN 1 ELSE 0 END) AS flagged_notes,"
            " GROUP_CONCAT(s.suggested, ' ') AS suggested"
            " FROM notes n LEFT JOIN prediction_summary s ON s.note_id = n.note_id AND s.model_version = ?"
            f" WHERE n.case_id IS NOT NULL{only} GROUP BY n.case_id",
            params,
        )
        # the last note's time: on the file's last day, none if a note of that day has none (DATE_ORDER puts a day's
        # untimed notes after its timed ones), else the latest
        last_times = dict(self._query(
            "SELECT n.case_id, CASE WHEN COUNT(*) > COUNT(n.time) THEN NULL ELSE MAX(n.time) END FROM notes n"
            " JOIN (SELECT case_id, MAX(date) AS date FROM notes WHERE case_id IS NOT NULL GROUP BY case_id) l"
            " ON n.case_id = l.case_id AND n.date = l.date GROUP BY n.case_id"))
        cases = []
        for r in rows:
            per_label: dict[str, int] = {}
            for name in (r["suggested"] or "").split():
                per_label[name] = per_label.get(name, 0) + 1
            cases.append(CaseFileRow(r["case_id"], r["notes"], r["flagged_notes"] or 0, per_label,
                                     r["strongest"], r["last_date"], last_times.get(r["case_id"])))
        cases.sort(key=lambda c: (-sum(c.flagged_by_label.values()), -c.strongest, c.case_id))
        return cases[:limit] if limit else cases

    def progress(self, reviewer: str | None = None) -> dict[str, Any]:
        """Notes reviewed (with a decision), per-label decision counts, agreement with the model.

        A reviewer's: their own current decisions. The whole workspace's: each label's final state
        (``final_decision_state``), so a confirmation another coder marked unsure later counts as confirmed.
        """
        where, params = "", []
        if reviewer is not None:
            where, params = " WHERE d.reviewer = ?", [reviewer]
        view = "reviewer_decision_state" if reviewer else "final_decision_state"
        per_label = {n: {s: 0 for s in ("confirmed", "rejected", "added", "unsure")} for n in LABEL_NAMES}
        # one reading of the view (SQLite keeps a CTE read twice): three queries read it three times, a third of the
        # progress screen's time
        rows = self._query(
            f"WITH d AS (SELECT d.note_id, d.label, d.state, p.suggested IS NOT NULL AND d.state != 'unsure' AS compared,"
            f" (d.state IN ('confirmed', 'added')) = (p.suggested = 1) AS agrees FROM {view} d"
            f" LEFT JOIN predictions p ON p.note_id = d.note_id AND p.label = d.label"
            f" AND p.model_version = d.model_version{where})"
            " SELECT label, state, COUNT(*), SUM(compared AND agrees), SUM(compared),"
            " (SELECT COUNT(DISTINCT note_id) FROM d) FROM d GROUP BY label, state", params)
        for label, state, count, _, _, _ in rows:
            per_label[label][state] = count
        reviewed = rows[0][5] if rows else 0
        agreement = (sum(r[3] for r in rows), sum(r[4] for r in rows))
        agreed, compared = agreement[0] or 0, agreement[1] or 0
        return {"reviewed_notes": reviewed, "per_label": per_label,
                "agreement_with_model": round(agreed / compared, 4) if compared else None,
                "decisions_compared": compared}

    # -- audits: samples, double coding, adjudication --------------------------------
    def note_facts(self, audit: str | None = None, date_from: str | None = None,
                   date_to: str | None = None, *, decided: bool = True,
                   final: dict[str, dict[str, str]] | None = None,
                   of_notes: Iterable[str] | None = None) -> list[NoteFacts]:
        """Every note's facts (an audit's notes, with weights), dated in [from, to] if given; import order. Not
        ``decided``: without their final decisions (``final`` empty), for what reads only the model's suggestions.
        ``final``: the audit's (or the workspace's) :meth:`final_states`, if the caller has read them. ``of_notes``:
        only these notes' (the decided ones, where nothing else counts), looked up by id."""
        version = self.current_model_version() or ""
        params: list[Any] = [version]
        sql = ("SELECT n.note_id, n.case_id, n.date, n.author_role, json_extract(n.extra, '$.team') AS team,"
               " s.priority, s.suggested, " + ("a.weight, a.stratum" if audit is not None else "1.0, NULL") + ", n.time"
               + " FROM notes n LEFT JOIN prediction_summary s ON s.note_id = n.note_id AND s.model_version = ?")
        if audit is not None:
            sql += " JOIN audit_items a ON a.note_id = n.note_id AND a.audit = ?"
            params.append(audit)
        bounds = [(f"n.date {op} ?", value) for op, value in ((">=", date_from), ("<=", date_to)) if value]
        if of_notes is not None:  # one parameter, a JSON list, whatever the count (SQLite caps a query's parameters)
            bounds.append(("n.note_id IN (SELECT value FROM json_each(?))", json.dumps(list(of_notes))))
        if bounds:
            sql += " WHERE " + " AND ".join(clause for clause, _ in bounds)
            params += [value for _, value in bounds]
        if final is None:
            final = self.final_states(audit) if decided else {}
        one = _one_each()
        return [
            NoteFacts(r[0], r[1], one(r[2]), one(r[3]), None if r[4] is None else one(str(r[4])), r[5],
                      one(tuple(one(name) for name in (r[6] or "").split())), final.get(r[0], {}), r[7], one(r[8]),
                      one(r[9]))
            for r in self._rows(sql + " ORDER BY n.rowid", params)
        ]

    def create_audit(self, name: str, params: dict, items: Iterable[tuple[str, str | None, float]]) -> None:
        """Save a sample as a named audit: its parameters and (note id, stratum, weight) items."""
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM audits WHERE name = ?", (name,)).fetchone():
                raise ConflictError(f"an audit named {name!r} already exists; choose another name")
            conn.execute("INSERT INTO audits (name, params, created_at) VALUES (?, ?, ?)",
                         (name, json.dumps(params, ensure_ascii=False), now()))
            conn.executemany("INSERT INTO audit_items (audit, note_id, stratum, weight) VALUES (?, ?, ?, ?)",
                             [(name, *item) for item in items])

    def update_audit_params(self, name: str, params: dict) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE audits SET params = ? WHERE name = ?", (json.dumps(params, ensure_ascii=False), name))

    def audits(self) -> list[AuditRecord]:
        rows = self._query(
            "SELECT a.name, a.params, a.created_at, (SELECT COUNT(*) FROM audit_items i WHERE i.audit = a.name)"
            " FROM audits a ORDER BY a.created_at, a.rowid"
        )
        return [AuditRecord(r[0], json.loads(r[1]), r[2], r[3]) for r in rows]

    def audit(self, name: str) -> AuditRecord | None:
        """The audit named ``name``; else the only one named so but for white space around it: audit names were kept
        as typed before they were stripped (``sample --name " march"`` saved " march"), and ``--audit march`` finds
        it, as ``--audit " march"`` finds an audit saved as march. Callers go on with its ``name``."""
        audits = self.audits()
        if (exact := next((a for a in audits if a.name == name), None)) is not None:
            return exact
        loose = [a for a in audits if a.name.strip() == name.strip()]
        return loose[0] if len(loose) == 1 else None

    def named_audit(self, name: str, option: str = "--audit") -> AuditRecord:
        """:meth:`audit`, or an error naming the ``option`` that gave the name, saying there is none of that name (or
        several but for white space)."""
        if (record := self.audit(name)) is not None:
            return record
        alike = [a.name for a in self.audits() if a.name.strip() == name.strip()]
        if alike:
            raise WorkspaceError(f"{option} {name!r}: no audit of that name in this workspace, but "
                                 f"{' and '.join(map(repr, alike))}: give {option} as one of them is written")
        raise WorkspaceError(f"{option} {name!r}: no audit of that name in this workspace "
                             "(casereview audits lists them)")

    def audit_items(self, name: str) -> list[AuditItem]:
        rows = self._query("SELECT note_id, stratum, weight FROM audit_items WHERE audit = ? ORDER BY rowid", (name,))
        return [AuditItem(*r) for r in rows]

    def assign(self, audit: str, rows: Iterable[tuple[str, str, bool]]) -> int:
        """Record (note id, reviewer, blind) assignments of an audit that has none yet."""
        stamp = now()
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM assignments WHERE audit = ? LIMIT 1", (audit,)).fetchone():
                raise ConflictError(f"audit {audit!r} already has assignments; sample a new audit to reassign")
            cursor = conn.executemany(
                "INSERT INTO assignments (audit, note_id, reviewer, blind, created_at) VALUES (?, ?, ?, ?, ?)",
                [(audit, note_id, reviewer, int(blind), stamp) for note_id, reviewer, blind in rows],
            )
            return cursor.rowcount

    def assignments(self, audit: str, reviewer: str | None = None) -> list[Assignment]:
        sql, params = "SELECT note_id, reviewer, blind FROM assignments WHERE audit = ?", [audit]
        if reviewer is not None:
            sql, params = sql + " AND reviewer = ?", params + [reviewer]
        return [Assignment(r[0], r[1], bool(r[2])) for r in self._query(sql + " ORDER BY id", params)]

    def audit_coding(self, audit: str | None = None, batch_size: int = 2000,
                     note_id: str | None = None) -> Iterator[tuple[str, str, str, str]]:
        """(note id, label, reviewer, state): each reviewer's current review decision, made in ``audit`` or in any; on
        one note's labels only, given ``note_id`` (the note an adjudicator has open, read again cheaply).

        Read a batch of an audit's notes at a time, the whole workspace's in one query as its rows come (a third
        quicker than in batches of its note ids), so memory stays flat.
        """
        if note_id is None and audit is None:
            yield from (tuple(r) for r in self._rows(
                f"SELECT d.note_id, d.label, d.reviewer, d.state FROM {_latest_reviews('1')} WHERE d.state != 'cleared'"))
            return
        if note_id is not None:
            note_ids = [note_id]
        else:
            note_ids = [r[0] for r in self._query("SELECT note_id FROM audit_items WHERE audit = ?", (audit,))]
        where, params = ("audit = ? AND ", [audit]) if audit is not None else ("", [])
        for start in range(0, len(note_ids), batch_size):
            batch = note_ids[start : start + batch_size]
            rows = self._query(
                "SELECT d.note_id, d.label, d.reviewer, d.state"
                f" FROM {_latest_reviews(where + 'note_id IN (' + ','.join('?' * len(batch)) + ')')}"
                " WHERE d.state != 'cleared'",
                params + batch,
            )
            yield from (tuple(r) for r in rows)

    def adjudications(self, audit: str | None = None, note_id: str | None = None) -> dict[tuple[str, str], Decision]:
        """(note, label) -> the latest adjudication, on one note's labels, an audit's notes or all."""
        inside, where, params = "", "", []
        if note_id is not None:  # the note's pairs alone, looked up by key: not every adjudication grouped first
            inside, params = " AND note_id = ?", [note_id]
        elif audit is not None:
            where, params = " WHERE d.note_id IN (SELECT note_id FROM audit_items WHERE audit = ?)", [audit]
        rows = self._query(
            "SELECT d.* FROM decisions d JOIN (SELECT MAX(id) AS id FROM live_decisions WHERE kind = 'adjudication'"
            + inside + " GROUP BY note_id, label) last ON d.id = last.id" + where,
            params,
        )
        return {(r["note_id"], r["label"]): Decision(**dict(r)) for r in rows}

    def confirmed_evidence(self, audit: str | None = None,
                           final: dict[str, dict[str, str]] | None = None) -> list[tuple[str, str, float, list[dict]]]:
        """(note id, label, score, evidence) of the current model's suggestions whose final state
        (:meth:`final_states`; ``final``, the audit's or the workspace's, if the caller has read them) is positive: a
        confirmation stands though another coder marked it unsure later."""
        where, params = "", [self.current_model_version() or ""]
        if audit is not None:
            where, params = " AND p.note_id IN (SELECT note_id FROM audit_items WHERE audit = ?)", params + [audit]
        final = self.final_states(audit) if final is None else final
        # only a pair someone decided as a concern can settle positive: its predictions are looked up by key, and
        # the other suggestions' evidence (most of a large workspace's, read and sorted whole before) is never read
        rows = self._query(
            "SELECT p.note_id, p.label, p.score, p.evidence"
            " FROM (SELECT DISTINCT note_id, label FROM decisions WHERE state IN ('confirmed', 'added')) d"
            " JOIN predictions p ON p.note_id = d.note_id AND p.model_version = ? AND p.label = d.label"
            " WHERE p.suggested = 1" + where + " ORDER BY p.label, p.score DESC, p.note_id",
            params,
        )
        return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows
                if final.get(r[0], {}).get(r[1]) in POSITIVE_STATES]

    # -- residual personal data (casereview.pii) ----------------------------------
    def record_pii_scans(
        self, scans: Iterable[tuple[str, str, list[tuple[int, int, str, float]]]], scanner: str,
        *, resolution: str | None = None, reviewer: str | None = None,
    ) -> int:
        """Store (note id, content hash, findings) scans in one transaction; returns findings stored.

        A version of a note already scanned is skipped. With ``resolution`` every
        finding is resolved at once by ``reviewer`` (import with redaction).
        """
        stamp, stored = now(), 0
        with self.transaction() as conn:
            for note_id, content_hash, findings in scans:
                done = conn.execute(
                    "INSERT OR IGNORE INTO pii_scans (note_id, content_hash, scanner, scanned_at) VALUES (?, ?, ?, ?)",
                    (note_id, content_hash, scanner, stamp),
                )
                if done.rowcount == 0:
                    continue
                for start, end, label, score in findings:
                    cursor = conn.execute(
                        "INSERT INTO pii_findings (note_id, content_hash, start_char, end_char, label, score,"
                        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (note_id, content_hash, start, end, label, score, stamp),
                    )
                    if resolution is not None:
                        conn.execute(
                            "INSERT INTO pii_resolutions (finding_id, resolution, reviewer, created_at)"
                            " VALUES (?, ?, ?, ?)", (cursor.lastrowid, resolution, reviewer, stamp),
                        )
                    stored += 1
        return stored

    def rescan_pii(
        self, scans: Iterable[tuple[str, str, list[tuple[int, int, str, float]]]], scanner: str
    ) -> tuple[int, int]:
        """Store (note id, content hash, findings) scans by ``scanner`` of versions an earlier scanner scanned, in one
        transaction; returns (findings added, findings superseded).

        A finding at the same span with the same type is the one already recorded, resolution and all; one
        not found before is added, unresolved; one not found again is superseded unless redacted (its value
        is gone from the note). A version whose latest scan is by ``scanner`` already is skipped.
        """
        stamp, added, superseded = now(), 0, 0
        with self.transaction() as conn:
            for note_id, content_hash, findings in scans:
                done = conn.execute("UPDATE pii_scans SET scanner = ?, scanned_at = ? WHERE note_id = ?"
                                    " AND content_hash = ? AND scanner != ?",
                                    (scanner, stamp, note_id, content_hash, scanner))
                if done.rowcount == 0:
                    continue  # scanned by this scanner meanwhile, or no longer that version
                new = {(start, end, label): score for start, end, label, score in findings}
                earlier = conn.execute(
                    "SELECT f.id, f.start_char, f.end_char, f.label, EXISTS (SELECT 1 FROM pii_resolutions r"
                    " WHERE r.finding_id = f.id AND r.resolution = 'redacted') AS redacted FROM pii_findings f"
                    " WHERE f.note_id = ? AND f.content_hash = ? AND f.superseded_by IS NULL", (note_id, content_hash),
                ).fetchall()
                for row in earlier:
                    if new.pop((row["start_char"], row["end_char"], row["label"]), None) is None and not row["redacted"]:
                        conn.execute("UPDATE pii_findings SET superseded_by = ?, superseded_at = ? WHERE id = ?",
                                     (scanner, stamp, row["id"]))
                        superseded += 1
                for (start, end, label), score in sorted(new.items()):
                    conn.execute(
                        "INSERT INTO pii_findings (note_id, content_hash, start_char, end_char, label, score,"
                        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (note_id, content_hash, start, end, label, score, stamp),
                    )
                    added += 1
        return added, superseded

    def pii_findings(
        self, note_id: str | None = None, *, unresolved: bool = False, finding_id: int | None = None
    ) -> list[PiiFinding]:
        """Findings on the current version of notes (not superseded by a later scan), with their latest resolution."""
        where, params = ["f.superseded_by IS NULL"], []
        if note_id is not None:
            where.append("f.note_id = ?")
            params.append(note_id)
        if finding_id is not None:
            where.append("f.id = ?")
            params.append(finding_id)
        if unresolved:
            where.append("r.id IS NULL")
        rows = self._query(
            "SELECT f.*, r.resolution, r.reviewer, r.created_at AS resolved_at FROM pii_findings f"
            " JOIN notes n ON n.note_id = f.note_id AND n.content_hash = f.content_hash"
            " LEFT JOIN pii_resolutions r ON r.id = (SELECT MAX(id) FROM pii_resolutions WHERE finding_id = f.id)"
            + " WHERE " + " AND ".join(where) + " ORDER BY n.rowid, f.start_char",
            params,
        )
        return [PiiFinding(r["id"], r["note_id"], r["start_char"], r["end_char"], r["label"], r["score"],
                           r["resolution"], r["reviewer"], r["resolved_at"]) for r in rows]

    def pii_unscanned_note_ids(self) -> list[str]:
        """Notes whose current version has not been scanned for personal data."""
        rows = self._query(
            "SELECT n.note_id FROM notes n WHERE NOT EXISTS (SELECT 1 FROM pii_scans s"
            " WHERE s.note_id = n.note_id AND s.content_hash = n.content_hash) ORDER BY n.rowid"
        )
        return [r[0] for r in rows]

    def pii_scanned_by_others(self, scanner: str) -> dict[str, str]:
        """Notes whose current version was last scanned by a scanner version other than ``scanner``: id to that version."""
        rows = self._query(
            "SELECT n.note_id, s.scanner FROM notes n JOIN pii_scans s ON s.note_id = n.note_id"
            " AND s.content_hash = n.content_hash WHERE s.scanner != ? ORDER BY n.rowid", (scanner,)
        )
        return {r[0]: r[1] for r in rows}

    def pii_note_ids_with_unresolved(self) -> list[str]:
        return list(dict.fromkeys(f.note_id for f in self.pii_findings(unresolved=True)))

    def resolve_pii_finding(self, finding_id: int, resolution: str, reviewer: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO pii_resolutions (finding_id, resolution, reviewer, created_at) VALUES (?, ?, ?, ?)",
                (finding_id, resolution, reviewer, now()),
            )

    def prediction_evidence(self, note_id: str) -> list[tuple[str, str, list]]:
        """(model version, label, evidence spans) of every prediction on a note."""
        rows = self._query("SELECT model_version, label, evidence FROM predictions WHERE note_id = ?", (note_id,))
        return [(r["model_version"], r["label"], json.loads(r["evidence"])) for r in rows]

    def redact_note_span(
        self, finding_id: int, reviewer: str, *, value: str, placeholder: str, text: str, extra: dict,
        content_hash: str, moved_findings: Iterable[tuple[int, int, int]], evidence: Iterable[tuple[str, str, list]],
    ) -> None:
        """Replace a finding's value in the note (and its history and evidence) and log the redaction.

        One transaction with SQLite's secure_delete on, then a WAL checkpoint, so that
        the old value is not left behind in freed pages or the write-ahead log.
        """
        with self._lock:
            self._conn.execute("PRAGMA secure_delete = ON")
            try:
                with self.transaction() as conn:
                    row = conn.execute("SELECT note_id, content_hash FROM pii_findings WHERE id = ?", (finding_id,)).fetchone()
                    note_id = row["note_id"]
                    conn.execute("UPDATE notes SET text = ?, extra = ?, content_hash = ? WHERE note_id = ?",
                                 (text, json.dumps(extra, ensure_ascii=False), content_hash, note_id))
                    conn.execute("UPDATE note_history SET text = replace(text, ?, ?) WHERE note_id = ?",
                                 (value, placeholder, note_id))
                    for version, label, spans in evidence:
                        conn.execute("UPDATE predictions SET evidence = ? WHERE note_id = ? AND model_version = ? AND label = ?",
                                     (json.dumps(spans, ensure_ascii=False), note_id, version, label))
                    conn.execute("UPDATE pii_scans SET content_hash = ? WHERE note_id = ? AND content_hash = ?",
                                 (content_hash, note_id, row["content_hash"]))
                    conn.execute("UPDATE pii_findings SET content_hash = ? WHERE note_id = ? AND content_hash = ?",
                                 (content_hash, note_id, row["content_hash"]))
                    for moved_id, start, end in moved_findings:
                        conn.execute("UPDATE pii_findings SET start_char = ?, end_char = ? WHERE id = ?", (start, end, moved_id))
                    conn.execute(
                        "INSERT INTO pii_resolutions (finding_id, resolution, reviewer, created_at) VALUES (?, 'redacted', ?, ?)",
                        (finding_id, reviewer, now()),
                    )
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                self._conn.execute("PRAGMA secure_delete = OFF")

    # -- reporting ---------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Counts of notes, case files, notes scored by the current model, predictions (every model's),
        labels by their final state (``final_decision_state``, as reports and export labels count them) and how
        many of those are disputed, models."""
        one = lambda sql: self._query(sql)[0][0]  # noqa: E731
        by_state = {s: 0 for s in DECISION_STATES if s != "cleared"}
        disputed = 0
        for state, pairs, disputed_pairs in self._query(
                "SELECT state, COUNT(*), SUM(disputed) FROM final_decision_state GROUP BY state"):
            by_state[state] = pairs
            disputed += disputed_pairs
        promoted = self.promoted_model()
        # notes the queues and the review screen have scores for: one row per note and model, so only the current's
        scored = self._query("SELECT COUNT(*) FROM prediction_summary WHERE model_version = ?",
                             (self.current_model_version() or "",))[0][0]
        return {
            "workspace": str(self.path),
            "schema_version": self.schema_version,
            "notes": one("SELECT COUNT(*) FROM notes"),
            "case_files": one("SELECT COUNT(DISTINCT case_id) FROM notes WHERE case_id IS NOT NULL"),
            "scored_notes": scored,
            "predictions": one("SELECT COUNT(*) FROM predictions"),
            "decision_events": one("SELECT COUNT(*) FROM decisions"),
            "labels_by_final_state": by_state,
            "reviewed_pairs": sum(by_state.values()),
            "unreviewed_pairs": one("SELECT COUNT(*) FROM notes") * len(LABEL_NAMES) - sum(by_state.values()),
            # of the reviewed: reviewers on both sides, not adjudicated (export labels and retrain hold them back)
            "disputed_pairs": disputed,
            "models": len(self.models()),
            "promoted_model": promoted.version if promoted else None,
        }


def _queue_sql(query: QueueQuery, columns: str, version: str | None) -> tuple[str, list[Any]]:
    """SELECT for a queue: joins, filters and ORDER BY from a :class:`QueueQuery`."""
    if query.order not in QUEUE_ORDERS:
        raise ValueError(f"unknown queue order {query.order!r}; choose from {', '.join(QUEUE_ORDERS)}")
    params: list[Any] = [version or ""]
    where: list[str] = []
    if query.label:
        where.append(
            "(EXISTS (SELECT 1 FROM predictions p WHERE p.note_id = n.note_id AND p.model_version = s.model_version"
            " AND p.label = ? AND p.suggested = 1) OR EXISTS (SELECT 1 FROM final_decision_state d WHERE"
            " d.note_id = n.note_id AND d.label = ? AND d.state IN ('confirmed', 'added')))"
        )
        params += [query.label, query.label]
    if query.case_id:
        where.append("n.case_id = ?")
        params.append(query.case_id)
    if query.unreviewed:
        where.append("NOT EXISTS (SELECT 1 FROM final_decision_state d WHERE d.note_id = n.note_id)")
    if query.reviewer:
        where.append("EXISTS (SELECT 1 FROM live_decisions d WHERE d.note_id = n.note_id AND d.reviewer = ?)")
        params.append(query.reviewer)
    if query.search:
        where.append("instr(lower(n.text), ?) > 0")
        params.append(query.search.lower())
    if query.audit:
        where.append("EXISTS (SELECT 1 FROM audit_items a WHERE a.note_id = n.note_id AND a.audit = ?)")
        params.append(query.audit)
    if query.assigned_to:
        where.append("EXISTS (SELECT 1 FROM assignments g WHERE g.note_id = n.note_id AND g.reviewer = ?"
                     + (" AND g.audit = ?)" if query.audit else ")"))
        params += [query.assigned_to] + ([query.audit] if query.audit else [])
    order = {
        "priority": "s.priority IS NULL, s.priority DESC, n.rowid",
        "uncertain": "s.uncertainty IS NULL, s.uncertainty ASC, n.rowid",
        "case": f"n.case_id IS NULL, n.case_id, {DATE_ORDER}",  # each case as its timeline lists it
        "date": DATE_ORDER,
        "random": "n.rowid",  # shuffled in Python with the query's seed
    }[query.order]
    sql = (f"SELECT {columns} FROM notes n LEFT JOIN prediction_summary s"
           f" ON s.note_id = n.note_id AND s.model_version = ?"
           + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}")
    return sql, params
