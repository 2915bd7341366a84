"""The workspace database's schema: forward migrations from an empty file to :data:`SCHEMA_VERSION`.

A workspace file records its version in ``PRAGMA user_version``; :func:`migrate` takes it forward, one
migration at a time, inside the caller's write transaction. A new schema is a new migration appended here:
workspaces made at every earlier version exist and are taken forward from where they are.
"""

from __future__ import annotations

import json
import math
import shlex
import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

from .dates import time_of_day
from .names import escaped
from .taxonomy import DECISION_STATES, PII_TYPES
from .wording import number

_STATES_SQL = ", ".join(f"'{s}'" for s in DECISION_STATES)

# Forward migrations: entry i takes the schema from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    f"""
    CREATE TABLE notes (
        note_id TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        case_id TEXT,
        date TEXT,
        author_role TEXT,
        note_type TEXT,
        extra TEXT NOT NULL DEFAULT '{{}}',
        source_file TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        content_hash TEXT NOT NULL
    );
    CREATE INDEX notes_case ON notes(case_id, date);
    CREATE INDEX notes_date ON notes(date);

    CREATE TABLE note_history (
        id INTEGER PRIMARY KEY,
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        text TEXT NOT NULL,
        case_id TEXT, date TEXT, author_role TEXT, note_type TEXT,
        extra TEXT NOT NULL,
        source_file TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        replaced_at TEXT NOT NULL
    );

    CREATE TABLE models (
        version TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{{}}',
        trained_on TEXT NOT NULL DEFAULT '{{}}',
        promoted INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE model_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        version TEXT NOT NULL REFERENCES models(version),
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        forced INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );

    CREATE TABLE predictions (
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        label TEXT NOT NULL,
        model_version TEXT NOT NULL,
        score REAL NOT NULL,
        threshold REAL NOT NULL,
        suggested INTEGER NOT NULL,
        evidence TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        PRIMARY KEY (note_id, model_version, label)
    );
    -- One row per scored note and model: what the queues sort on, without a scan.
    CREATE TABLE prediction_summary (
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        model_version TEXT NOT NULL,
        priority REAL NOT NULL,
        uncertainty REAL NOT NULL,
        suggested TEXT NOT NULL,
        PRIMARY KEY (note_id, model_version)
    );
    CREATE INDEX summary_priority ON prediction_summary(model_version, priority DESC);
    CREATE INDEX summary_uncertainty ON prediction_summary(model_version, uncertainty);

    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        label TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ({_STATES_SQL})),
        reviewer TEXT NOT NULL,
        created_at TEXT NOT NULL,
        model_version TEXT,
        score REAL,
        comment TEXT,
        audit TEXT
    );
    CREATE INDEX decisions_pair ON decisions(note_id, label, id);
    CREATE INDEX decisions_reviewer ON decisions(reviewer, id);
    CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;

    -- The current state of each (note, label): its latest event; 'cleared' means unreviewed.
    CREATE VIEW decision_state AS
        SELECT d.* FROM decisions d
        JOIN (SELECT MAX(id) AS id FROM decisions GROUP BY note_id, label) last ON d.id = last.id
        WHERE d.state != 'cleared';
    -- The same per reviewer, for double coding.
    CREATE VIEW reviewer_decision_state AS
        SELECT d.* FROM decisions d
        JOIN (SELECT MAX(id) AS id FROM decisions GROUP BY note_id, label, reviewer) last
          ON d.id = last.id
        WHERE d.state != 'cleared';

    CREATE TABLE comments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        reviewer TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
    );

    CREATE TABLE audits (
        name TEXT PRIMARY KEY,
        params TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE audit_items (
        audit TEXT NOT NULL REFERENCES audits(name),
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        stratum TEXT,
        weight REAL NOT NULL DEFAULT 1.0,
        PRIMARY KEY (audit, note_id)
    );
    CREATE TABLE assignments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        audit TEXT REFERENCES audits(name),
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        reviewer TEXT NOT NULL,
        blind INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (audit, note_id, reviewer)
    );
    """,
    # 2: adjudication. A senior reviewer's final decision on a disagreement is an
    # event of kind 'adjudication'; the current state prefers it over later reviews.
    """
    ALTER TABLE decisions ADD COLUMN kind TEXT NOT NULL DEFAULT 'review'
        CHECK (kind IN ('review', 'adjudication'));
    DROP VIEW decision_state;
    CREATE VIEW decision_state AS
        SELECT d.* FROM decisions d
        JOIN (SELECT COALESCE(MAX(CASE WHEN kind = 'adjudication' THEN id END), MAX(id)) AS id
              FROM decisions GROUP BY note_id, label) last ON d.id = last.id
        WHERE d.state != 'cleared';
    """,
    # 3: residual personal data. A scan of one version of a note (its content hash)
    # records where the scanner found what: offsets and type, never the value.
    # Reviewers' resolutions are an append-only log.
    """
    CREATE TABLE pii_scans (
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        content_hash TEXT NOT NULL,
        scanner TEXT NOT NULL,
        scanned_at TEXT NOT NULL,
        PRIMARY KEY (note_id, content_hash)
    );
    CREATE TABLE pii_findings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        note_id TEXT NOT NULL REFERENCES notes(note_id),
        content_hash TEXT NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        label TEXT NOT NULL,
        score REAL NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX pii_findings_note ON pii_findings(note_id, content_hash);
    CREATE TABLE pii_resolutions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        finding_id INTEGER NOT NULL REFERENCES pii_findings(id),
        resolution TEXT NOT NULL CHECK (resolution IN ('false_alarm', 'redacted')),
        reviewer TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX pii_resolutions_finding ON pii_resolutions(finding_id, id);
    CREATE TRIGGER pii_resolutions_no_update BEFORE UPDATE ON pii_resolutions
        BEGIN SELECT RAISE(ABORT, 'the resolution log is append-only'); END;
    CREATE TRIGGER pii_resolutions_no_delete BEFORE DELETE ON pii_resolutions
        BEGIN SELECT RAISE(ABORT, 'the resolution log is append-only'); END;
    """,
    # 4: undo as a retraction. An undo is an event naming the decision it takes back
    # (``undoes``); current states skip both, so a pair falls back to whatever was current
    # before, per reviewer and overall, and nobody is credited with a state they never chose.
    # The current-state views are correlated on the pair, so reading one note's states looks
    # up its decisions by index instead of grouping the whole log first.
    """
    ALTER TABLE decisions ADD COLUMN undoes INTEGER REFERENCES decisions(id);
    CREATE UNIQUE INDEX decisions_undoes ON decisions(undoes) WHERE undoes IS NOT NULL;
    -- Decisions in force: neither a retraction nor retracted. Every current state reads these.
    CREATE VIEW live_decisions AS
        SELECT d.* FROM decisions d
        WHERE d.undoes IS NULL AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes = d.id);
    DROP VIEW decision_state;
    CREATE VIEW decision_state AS
        SELECT d.* FROM live_decisions d
        WHERE d.id = (SELECT COALESCE(MAX(CASE WHEN x.kind = 'adjudication' THEN x.id END), MAX(x.id))
                      FROM live_decisions x WHERE x.note_id = d.note_id AND x.label = d.label)
          AND d.state != 'cleared';
    DROP VIEW reviewer_decision_state;
    CREATE VIEW reviewer_decision_state AS
        SELECT d.* FROM live_decisions d
        WHERE d.id = (SELECT MAX(x.id) FROM live_decisions x
                      WHERE x.note_id = d.note_id AND x.label = d.label AND x.reviewer = d.reviewer)
          AND d.state != 'cleared';
    """,
    # 5: what a note was when imported, apart from what it is now. A redaction rewrites a note's text
    # and content_hash; imported_hash stays the hash of the note as its file gave it (as stored by that
    # import: after --redact, if given), so the same file imports again as unchanged. Notes redacted by
    # a reviewer before this migration: their imported version is gone (a redaction rewrites it in
    # place), so NULL, unknown, until an import brings a note that redacts to the stored one.
    # fields_redacted: how many values of the note's other fields its import's --redact replaced (no
    # finding records those), so that a changed version cannot bring them back either. Stored before this
    # migration: a placeholder in the other fields is taken for one (at worst a changed version is refused).
    f"""
    ALTER TABLE notes ADD COLUMN imported_hash TEXT;
    UPDATE notes SET imported_hash = content_hash WHERE NOT EXISTS (
        SELECT 1 FROM pii_findings f JOIN pii_resolutions r ON r.finding_id = f.id
        WHERE f.note_id = notes.note_id AND f.content_hash = notes.content_hash
          AND r.resolution = 'redacted' AND r.reviewer NOT LIKE 'import:%');
    ALTER TABLE notes ADD COLUMN fields_redacted INTEGER NOT NULL DEFAULT 0;
    UPDATE notes SET fields_redacted = 1 WHERE {" OR ".join(f"instr(extra, '[{t}]')" for t in PII_TYPES)};
    """,
    # 6: imported_hash is the hash of the note as its file gives it, before --redact. Migration 5 recorded it as
    # --redact stored the note, which depends on what the scanner finds: once the scanner found more or less, the
    # same file was "different content". That form is not the file's, so it is forgotten (NULL, unknown) for a
    # note an import redacted (in its text or its other fields), until an import brings a note that, redacted
    # where the stored one is, is the stored note (pii.findings.check_redactions_kept).
    """
    UPDATE notes SET imported_hash = NULL WHERE fields_redacted > 0 OR EXISTS (
        SELECT 1 FROM pii_findings f JOIN pii_resolutions r ON r.finding_id = f.id
        WHERE f.note_id = notes.note_id AND f.content_hash = notes.content_hash
          AND r.resolution = 'redacted' AND r.reviewer LIKE 'import:%');
    """,
    # 7: a note's current version is scanned again when the scanner changes (a new recogniser or rules). A finding
    # of the earlier scan that the new one no longer finds, and that nobody redacted, is superseded: kept, with its
    # resolutions, but no longer one of the note's findings (``superseded_by`` names the scanner version that
    # scanned again). pii_scans.scanner is the version of a note's latest scan.
    """
    ALTER TABLE pii_findings ADD COLUMN superseded_by TEXT;
    ALTER TABLE pii_findings ADD COLUMN superseded_at TEXT;
    """,
    # 8: each label's final state, the one rule for whatever tells what the workspace has decided (status, the queues'
    # filters and counts, case files, progress, reports, export labels, retraining): the latest adjudication; else
    # the side reviewers took, 'unsure' taking none, whoever saved last; else 'unsure'. Each reviewer counts by their
    # latest decision in force (reviewer_decision_state). Reviewers on both sides, not adjudicated, are ``disputed``
    # (the latest side is the row's; its readers hold it apart). decision_state stays the latest decision: what the
    # review screen shows right after a key.
    """
    CREATE VIEW final_decision_state AS
        SELECT d.*, (d.kind = 'review' AND EXISTS (
                         SELECT 1 FROM reviewer_decision_state r WHERE r.note_id = d.note_id AND r.label = d.label
                           AND r.id != d.id AND r.state IN ('confirmed', 'added', 'rejected')
                           AND (r.state = 'rejected') != (d.state = 'rejected'))) AS disputed
        FROM live_decisions d
        -- a pair's only event settles it (most pairs: an import's labels), without the lookups that follow
        WHERE (NOT EXISTS (SELECT 1 FROM decisions o WHERE o.note_id = d.note_id AND o.label = d.label AND o.id != d.id)
               OR d.id = COALESCE(
                   (SELECT MAX(a.id) FROM live_decisions a
                    WHERE a.note_id = d.note_id AND a.label = d.label AND a.kind = 'adjudication'),
                   (SELECT MAX(r.id) FROM reviewer_decision_state r
                    WHERE r.note_id = d.note_id AND r.label = d.label AND r.state != 'unsure'),
                   (SELECT MAX(r.id) FROM reviewer_decision_state r WHERE r.note_id = d.note_id AND r.label = d.label)))
          AND d.state != 'cleared';
    """,
    # 9: each audit records how its strata were drawn (``method`` in its parameters, and ``--method`` in the command
    # that draws it again). Audits drawn before were drawn by seeded shuffle: a step in Python records it,
    # _audits_drawn_by_shuffle, so that their commands, now that hash ranking is the default, still draw them.
    """
    -- audits' parameters: _audits_drawn_by_shuffle
    """,
    # 10: a note's time of day, beside its ISO date (the codebook's date stays a date): read from the source (a
    # --date-format with a time, an ISO date and time, a `time` field), it orders a day's notes; NULL where the
    # source gave none. A `time` column of a CSV file was kept among a note's other fields (extra): a value in the
    # form stored now moves to the column (the note's content hash is the same: notes.Note.content_hash);
    # any other stays where it was, lost to no one.
    """
    ALTER TABLE notes ADD COLUMN time TEXT;
    ALTER TABLE note_history ADD COLUMN time TEXT;
    DROP INDEX notes_case;
    CREATE INDEX notes_case ON notes(case_id, date, time);
    """,
    # 11: a note's comments looked up by index: the review screen reads the open note's with every note it shows, and
    # without one each read scanned every comment in the workspace.
    """
    CREATE INDEX comments_note ON comments(note_id);
    """,
    # 12: NaN and Infinity in a note's other fields, which imports stored before they refused them (Python's JSON
    # reads them; SQLite's JSON functions do not: every later sample, assign and report ended in "malformed JSON").
    # A step in Python, _non_finite_numbers_as_null, stores each as null (a CMS export's empty number cell, as pandas
    # writes one) and says so; the note's hashes stay its file's, as its findings are recorded by them.
    """
    -- notes' other fields: _non_finite_numbers_as_null
    """,
    # 13: decisions brought from other workspaces (casereview merge). Each workspace has a random id of its own
    # (workspace_identity, one row, made by _a_workspace_id), exported with each decision, so that a decision is
    # known wherever it goes by the workspace it was made in and its id there: merging a file again, or a
    # workspace's own decisions back into it, adds nothing. merged_decisions records that origin for each decision
    # merged in; decisions_copied, for a copy made by `casereview backup` (a workspace of its own, with an id of
    # its own), that its decisions up to last_decision were made in the workspace copied, under the same ids.
    """
    CREATE TABLE workspace_identity (id TEXT NOT NULL);
    CREATE INDEX note_history_note ON note_history(note_id, id);
    CREATE TABLE decisions_copied (
        workspace TEXT NOT NULL,
        last_decision INTEGER NOT NULL
    );
    CREATE TABLE merged_decisions (
        decision_id INTEGER PRIMARY KEY REFERENCES decisions(id),
        origin_workspace TEXT NOT NULL,
        origin_id INTEGER NOT NULL,
        source_file TEXT NOT NULL,
        merged_at TEXT NOT NULL,
        UNIQUE (origin_workspace, origin_id)
    );
    CREATE TRIGGER merged_decisions_no_update BEFORE UPDATE ON merged_decisions
        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    CREATE TRIGGER merged_decisions_no_delete BEFORE DELETE ON merged_decisions
        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    """,
    # 14: which file the workspace's database is (its device and inode; one row, written when the workspace is
    # opened: Workspace._check_not_a_copy). A folder copied with cp, rsync or tar keeps the workspace's id, so that
    # decisions made in the copy would claim to be the original's; the copy's database is another file, so the
    # copy, once opened, takes an id of its own, as a backup does. A file moved (mv) is the same file and keeps it.
    # Empty here: a workspace made before records the file it is in when next opened (a copy made before then is
    # refused at merge instead: merging._Plan).
    """
    CREATE TABLE workspace_file (device INTEGER NOT NULL, inode INTEGER NOT NULL);
    """,
    # 15: where in their queue a reviewer was when they decided a note read outside it, a case file opened from its
    # timeline (t, or F and a file): the queue's note they left to read it, which a review resumes after. A review
    # resumed after the note decided last, which in a priority queue is another case file's place, far down the
    # queue: the notes between the note left and that place were passed over, the highest-priority notes first.
    # A decision made on the queue's own note has no row; nor does one merged in, made elsewhere.
    """
    CREATE TABLE decisions_read_from (
        decision_id INTEGER PRIMARY KEY REFERENCES decisions(id),
        queue_note TEXT NOT NULL REFERENCES notes(note_id)
    );
    CREATE TRIGGER decisions_read_from_no_update BEFORE UPDATE ON decisions_read_from
        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    CREATE TRIGGER decisions_read_from_no_delete BEFORE DELETE ON decisions_read_from
        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    """,
    # 16: what a promotion was judged on and why the guardrail refused it, for a refusal (its own event, 'refused':
    # a data lead saw no trace of a promotion tried and refused) and a promotion forced past it (JSON: the version
    # compared with, the evidence in words, the reasons). Null for every other event, and for those before 16.
    """
    ALTER TABLE model_events ADD COLUMN guardrail TEXT;
    """,
    # 17: a note's coded values as its file gave them where a value map (import --map-value, --value-map) replaced
    # them by the codebook's (JSON: field -> the file's value, {"note_type": "Telephone Call"}): the codebook's alone,
    # a data lead could not trace a mapped value back to the case system's export. Not part of the note's content
    # (its hashes are of the note as read), so a file imported before 17 imports again unchanged, recording them.
    """
    ALTER TABLE notes ADD COLUMN source_values TEXT;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _old_undos_as_retractions(conn: sqlite3.Connection) -> None:
    """Point each undo made before migration 4 at the decision it took back.

    Such an undo was a new decision by the same reviewer, comment 'undo', restoring their
    earlier state or 'cleared'; left as a decision it would hide the import's or another
    reviewer's state. It took back that reviewer's latest decision on the pair not yet
    undone, so, in log order, that is the one it ``undoes``.
    """
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'decisions_no_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER decisions_no_update")  # back below, in the same transaction
    undos = conn.execute("SELECT id FROM decisions WHERE comment = 'undo' AND undoes IS NULL ORDER BY id").fetchall()
    for (undo_id,) in undos:
        conn.execute(
            "UPDATE decisions SET undoes = ("
            " SELECT d.id FROM decisions d JOIN decisions u ON u.id = ?"
            " WHERE d.note_id = u.note_id AND d.label = u.label AND d.reviewer = u.reviewer AND d.id < u.id"
            " AND d.comment IS NOT 'undo' AND d.undoes IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.undoes = d.id)"
            " ORDER BY d.id DESC LIMIT 1) WHERE id = ?",
            (undo_id, undo_id),
        )
    conn.execute(trigger)


def _audits_drawn_by_shuffle(conn: sqlite3.Connection) -> None:
    """Record ``method`` "shuffle" (sampling.METHODS) on every audit that records none, and add
    ``--method shuffle`` to its command, before ``--name`` (commands recorded before audits were named have none)."""
    for name, text in conn.execute("SELECT name, params FROM audits").fetchall():
        params = json.loads(text)
        if "method" in params:
            continue
        params["method"] = "shuffle"
        if isinstance(params.get("command"), str):
            words = shlex.split(params["command"])
            at = words.index("--name") if "--name" in words else len(words)
            params["command"] = shlex.join([*words[:at], "--method", "shuffle", *words[at:]])
        conn.execute("UPDATE audits SET params = ? WHERE name = ?", (json.dumps(params, ensure_ascii=False), name))


def _times_kept_as_other_fields(conn: sqlite3.Connection) -> None:
    """Move a dated note's ``time`` field, kept among its other fields before migration 10, to its time column
    where it is already in the form stored (HH:MM or HH:MM:SS), in notes and their earlier versions alike."""
    for table, key in (("notes", "note_id"), ("note_history", "id")):
        # read in Python, not by SQLite's json_type: a NaN stored in the same fields (migration 12's) is no JSON to it
        rows = conn.execute(f"SELECT {key}, extra FROM {table} WHERE date IS NOT NULL"
                            " AND instr(extra, '\"time\"')").fetchall()
        for row_key, extra_text in rows:
            extra = json.loads(extra_text)
            if not isinstance(extra.get("time"), str):
                continue
            time, problem = time_of_day(extra["time"])
            if problem is None and time == extra["time"]:
                del extra["time"]
                conn.execute(f"UPDATE {table} SET time = ?, extra = ? WHERE {key} = ?",
                             (time, json.dumps(extra, ensure_ascii=False), row_key))


def _non_finite_numbers_as_null(conn: sqlite3.Connection) -> str | None:
    """Store every NaN and infinity in a note's other fields (its current version and earlier ones) as null; what
    it did, naming the notes (their ids are printable: imports check them), or None if no note held one."""
    changed: dict[str, None] = {}
    for table, key in (("notes", "note_id"), ("note_history", "id")):
        for row_key, note_id, text in conn.execute(
                f"SELECT {key}, note_id, extra FROM {table} WHERE NOT json_valid(extra)").fetchall():
            try:
                extra = json.loads(text)
            except ValueError:  # not JSON at all: not what this migration is about, left as it is
                continue
            conn.execute(f"UPDATE {table} SET extra = ? WHERE {key} = ?",
                         (json.dumps(_finite(extra), ensure_ascii=False, allow_nan=False), row_key))
            changed[note_id] = None
    if not changed:
        return None
    # escaped: ids stored before ids were checked may hold control characters
    shown = ", ".join(escaped(note_id) for note_id in list(changed)[:10]) \
        + (f" and {number(len(changed) - 10)} more" if len(changed) > 10 else "")
    return (f"{number(len(changed))} note{'s' if len(changed) > 1 else ''} held NaN or Infinity in other fields (an earlier "
            "version stored them; no JSON reader other than Python's takes them): stored as null now, their other "
            f"values as they were; note{'s' if len(changed) > 1 else ''} {shown}")


def _finite(value: Any) -> Any:
    """``value`` (a note's other fields, at any depth) with each NaN and infinity made None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _a_workspace_id(conn: sqlite3.Connection) -> None:
    """Give the workspace its random id (a copy made by ``backup`` gets another: ``Workspace.copy_database``)."""
    conn.execute("INSERT INTO workspace_identity (id) VALUES (?)", (uuid.uuid4().hex,))


#: Steps in Python after a migration's SQL, in its transaction, by the migration's index; one may return what it
#: did, for whoever opened the workspace to be told.
_MIGRATION_STEPS: dict[int, Callable[[sqlite3.Connection], str | None]] = {
    3: _old_undos_as_retractions, 8: _audits_drawn_by_shuffle, 9: _times_kept_as_other_fields,
    11: _non_finite_numbers_as_null, 12: _a_workspace_id}


def migrate(conn: sqlite3.Connection, version: int) -> list[str]:
    """Take a database at schema ``version`` to :data:`SCHEMA_VERSION`, in ``conn``'s open transaction; returns
    what its steps said they did to the data (:data:`_MIGRATION_STEPS`)."""
    notices = []
    for target in range(version, SCHEMA_VERSION):
        for statement in _split_sql(MIGRATIONS[target]):
            conn.execute(statement)
        if target in _MIGRATION_STEPS and (notice := _MIGRATION_STEPS[target](conn)) is not None:
            notices.append(notice)
        conn.execute(f"PRAGMA user_version = {target + 1}")
    return notices


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, buffer = [], []
    for line in script.splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            buffer = []
    if "\n".join(buffer).strip():
        statements.append("\n".join(buffer).strip())
    return statements
