import json
import os
import sqlite3
import stat

import pytest

from casereview.errors import ConflictError, WorkspaceError, WorkspaceLockedError, WorkspaceNotice
from casereview.notes import validate
from casereview.taxonomy import LABEL_NAMES, POSITIVE_STATES
from casereview.schema import SCHEMA_VERSION
from casereview.workspace import Workspace

from .conftest import mode, run_cli, wait_until_waiting


def note(note_id, text="text", **kw):
    return validate({"note_id": note_id, "text": text, **kw}, "t", 1)


def test_new_workspace_is_owner_only_and_wal(tmp_path):
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([note("a")], "f.jsonl")
        assert ws._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ws._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert ws.schema_version == SCHEMA_VERSION
        files = list((tmp_path / "ws").iterdir())
        assert {f.name for f in files} >= {"workspace.db", "workspace.db-wal"}
        for f in files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
    assert stat.S_IMODE((tmp_path / "ws").stat().st_mode) == 0o700


def test_a_workspace_and_the_folders_made_for_it_are_owner_only_whatever_the_umask(tmp_path, umask_000):
    with Workspace.open(tmp_path / "audits" / "2025" / "ws") as ws:
        ws.import_notes([note("a")], "f.jsonl")
        files = sorted((tmp_path / "audits" / "2025" / "ws").iterdir())
        assert [mode(p) for p in files] == ["0o600"] * len(files)
    assert [mode(p) for p in (tmp_path / "audits", tmp_path / "audits" / "2025", tmp_path / "audits" / "2025" / "ws")] == ["0o700"] * 3


def test_an_existing_workspace_open_to_others_is_made_owner_only(tmp_path, umask_000):
    """A workspace copied or unpacked with other permissions: its files hold note text, and SQLite gives the
    -wal and -shm files the database's mode, so the next write would put note text in a readable file."""
    folder = tmp_path / "ws"
    with Workspace.open(folder) as ws:
        ws.import_notes([note("a")], "f.jsonl")
    (folder / "models").mkdir()
    (folder / "workspace.db-shm").write_bytes(b"")  # left by a crash
    for path, bits in ((folder, 0o755), (folder / "models", 0o755), (folder / "workspace.db", 0o644),
                       (folder / "workspace.db-shm", 0o644)):  # writable by others: refused (test_workspace_trust)
        os.chmod(path, bits)
    with Workspace.open(folder, create=False) as ws:
        ws.import_notes([note("b")], "f.jsonl")
        files = sorted(f for f in folder.iterdir() if f.is_file())
        assert {f.name for f in files} >= {"workspace.db", "workspace.db-wal", "workspace.db-shm"}
        assert [mode(p) for p in files] == ["0o600"] * len(files)
    assert mode(folder) == "0o700"


def test_a_folder_holding_other_things_keeps_its_permissions_as_a_workspace(tmp_path, umask_000):
    """'-w .' in a project folder, or a home folder: not the tool's to change; its workspace files are private."""
    (tmp_path / "project").mkdir(mode=0o755)
    (tmp_path / "project" / "README.md").write_text("mine")
    with Workspace.open(tmp_path / "project") as ws:
        ws.import_notes([note("a")], "f.jsonl")
    assert [mode(p) for p in (tmp_path / "project", tmp_path / "project" / "workspace.db")] == ["0o755", "0o600"]


def test_open_missing_workspace_without_create(tmp_path):
    with pytest.raises(WorkspaceError):
        Workspace.open(tmp_path / "nothing", create=False)


@pytest.mark.parametrize("create", [True, False])
def test_a_workspace_path_that_is_a_file_is_refused(tmp_path, create):
    (tmp_path / "afile").write_text("not a workspace")
    with pytest.raises(WorkspaceError, match="afile: is a file, not a workspace folder"):
        Workspace.open(tmp_path / "afile", create=create)


def test_newer_schema_is_refused(tmp_path):
    Workspace.open(tmp_path / "ws").close()
    conn = sqlite3.connect(tmp_path / "ws" / "workspace.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(WorkspaceError, match="newer"):
        Workspace.open(tmp_path / "ws")


def test_labelled_note_gets_confirmed_and_rejected_decisions(workspace):
    result = workspace.import_notes([note("a", labels=["delay_timeliness"])], "gold.jsonl")
    assert result.decisions == len(LABEL_NAMES)
    state = {k: (d.state, d.reviewer) for k, d in workspace.current_decisions("a").items()}
    assert state["delay_timeliness"] == ("confirmed", "import:gold.jsonl")
    assert all(state[n][0] == "rejected" for n in LABEL_NAMES if n != "delay_timeliness")


def test_labels_of_a_note_imported_before_without_them_are_recorded(workspace):
    """A file giving labels to notes already imported unlabelled (a CMS export first, its coded copy later) recorded
    nothing: the notes were unchanged, so '0 decisions', and the labels the README says an import records were
    lost. They are its reviewer's decisions now; the same file again records nothing, a label it changes only it."""
    workspace.import_notes([note("a"), note("b")], "cms.jsonl")
    result = workspace.import_notes([note("a", labels=["delay_timeliness"]),
                                     note("b", labels=[], unreviewed=["risk_analysis_gap"])], "coded.jsonl")
    assert (result.unchanged, result.added, result.decisions) == (2, 0, 2 * len(LABEL_NAMES) - 1)
    state = {k: (d.state, d.reviewer) for k, d in workspace.current_decisions("a").items()}
    assert state["delay_timeliness"] == ("confirmed", "import:coded.jsonl")
    assert all(state[n][0] == "rejected" for n in LABEL_NAMES if n != "delay_timeliness")
    assert "risk_analysis_gap" not in workspace.current_decisions("b")
    again = workspace.import_notes([note("a", labels=["delay_timeliness"])], "coded.jsonl")
    assert (again.unchanged, again.decisions) == (1, 0)
    corrected = workspace.import_notes([note("a", labels=["delay_timeliness", "workforce_capacity"])], "coded.jsonl")
    assert corrected.decisions == 1
    assert workspace.current_decisions("a")["workforce_capacity"].state == "confirmed"
    assert workspace.status()["decision_events"] == 2 * len(LABEL_NAMES) - 1 + 1


def test_unlabelled_note_is_unreviewed_not_negative(workspace):
    workspace.import_notes([note("a")], "f.jsonl")
    assert workspace.current_decisions("a") == {}
    assert workspace.status()["unreviewed_pairs"] == len(LABEL_NAMES)


def _scores(note_ids):
    return [{"note_id": n, "labels": [], "evidence": {}, "thresholds": {name: 0.5 for name in LABEL_NAMES},
             "scores": {name: 0.1 for name in LABEL_NAMES}} for n in note_ids]


def test_status_counts_the_notes_scored_by_the_current_model_once_each(workspace):
    """After a promotion and a re-tag every note has predictions from two models: it is still one scored
    note (status once said 4 of 2 notes were scored), and a note only the old model scored is not."""
    workspace.import_notes([note("a"), note("b")], "f.jsonl")
    for version in ("old", "new"):
        workspace.register_model(version, f"/models/{version}", "0" * 64)
    workspace.promote_model("old", actor="lead")
    workspace.store_predictions("old", _scores(["a", "b"]))
    workspace.promote_model("new", actor="lead", replacing="old")
    workspace.store_predictions("new", _scores(["a"]))
    status = workspace.status()
    assert status["notes"] == 2 and status["scored_notes"] == 1 and status["promoted_model"] == "new"
    assert status["predictions"] == 3 * len(LABEL_NAMES)


def test_reimport_identical_is_noop_and_changed_needs_update(workspace):
    workspace.import_notes([note("a", "one")], "f.jsonl")
    assert workspace.import_notes([note("a", "one")], "f.jsonl").unchanged == 1
    with pytest.raises(ConflictError):
        workspace.import_notes([note("b", "new"), note("a", "two")], "g.jsonl")
    assert workspace.get_note("b") is None  # the whole file rolled back
    assert workspace.import_notes([note("a", "two")], "g.jsonl", update=True).updated == 1
    assert workspace.get_note("a").text == "two"
    assert len(workspace.note_history("a")) == 1


def test_decision_log_is_append_only_and_state_is_latest(workspace):
    workspace.import_notes([note("a")], "f.jsonl")
    workspace.record_decision("a", "supervision_issue", "confirmed", "ann", model_version="m1", score=0.9)
    workspace.record_decision("a", "supervision_issue", "rejected", "ann")
    assert workspace.current_decisions("a")["supervision_issue"].state == "rejected"
    workspace.record_decision("a", "supervision_issue", "cleared", "ann")
    assert "supervision_issue" not in workspace.current_decisions("a")
    with pytest.raises(sqlite3.IntegrityError):
        with workspace.transaction() as conn:
            conn.execute("UPDATE decisions SET state = 'added'")
    with pytest.raises(sqlite3.IntegrityError):
        with workspace.transaction() as conn:
            conn.execute("DELETE FROM decisions")
    assert len(list(workspace.iter_decisions())) == 3


def test_decision_on_unknown_note_is_refused(workspace):
    with pytest.raises(sqlite3.IntegrityError):
        workspace.record_decision("ghost", "delay_timeliness", "confirmed", "ann")


def test_decision_survives_a_killed_process(tmp_path):
    """A decision is committed when record_decision returns: a hard exit loses nothing."""
    import subprocess
    import sys

    code = (
        "import os; from casereview.workspace import Workspace; from casereview.notes import validate;"
        f"ws = Workspace.open({str(tmp_path / 'ws')!r});"
        "ws.import_notes([validate({'note_id': 'a', 'text': 't'}, 'f', 1)], 'f');"
        "ws.record_decision('a', 'delay_timeliness', 'confirmed', 'ann');"
        "os._exit(9)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 9
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.current_decisions("a")["delay_timeliness"].state == "confirmed"


def test_workspace_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEREVIEW_WORKSPACE", str(tmp_path / "env-ws"))
    Workspace.open().close()
    assert (tmp_path / "env-ws" / "workspace.db").exists()
    assert os.environ["CASEREVIEW_WORKSPACE"]


def test_adjudication_is_the_current_state_over_later_reviews(workspace):
    workspace.import_notes([note("a")], "f.jsonl")
    workspace.record_decision("a", "delay_timeliness", "confirmed", "ann")
    workspace.record_decision("a", "delay_timeliness", "rejected", "bob")
    workspace.record_decision("a", "delay_timeliness", "confirmed", "senior", kind="adjudication")
    workspace.record_decision("a", "delay_timeliness", "rejected", "bob")
    assert workspace.current_decisions("a")["delay_timeliness"].state == "confirmed"
    assert workspace.current_decisions("a", reviewer="bob")["delay_timeliness"].state == "rejected"


def test_a_retraction_takes_the_decision_out_of_every_current_state(workspace):
    workspace.import_notes([note("a", labels=["delay_timeliness"])], "gold.jsonl")
    made = workspace.record_decision("a", "delay_timeliness", "rejected", "ann")
    final = workspace.record_decision("a", "delay_timeliness", "rejected", "senior", kind="adjudication")
    undo = workspace.retract_decision(final)
    assert (undo.undoes, undo.reviewer, undo.kind) == (final.id, "senior", "adjudication")
    assert workspace.adjudications() == {}
    assert workspace.current_decisions("a")["delay_timeliness"].id == made.id  # ann's, as before the adjudication
    workspace.retract_decision(made)
    current = workspace.current_decisions("a")["delay_timeliness"]
    assert (current.state, current.reviewer) == ("confirmed", "import:gold.jsonl")
    assert workspace.current_decisions("a", reviewer="ann") == {}
    assert workspace.status()["decision_events"] == len(LABEL_NAMES) + 4  # the log keeps all of it
    with pytest.raises(ConflictError, match="already undone"):
        workspace.retract_decision(made)
    with pytest.raises(ConflictError):
        workspace.retract_decision(undo)  # a retraction is not a decision to undo


def test_the_decision_log_export_shows_what_each_undo_retracts(workspace):
    import csv
    import io

    from casereview import exporter

    workspace.import_notes([note("a")], "f.jsonl")
    made = workspace.record_decision("a", "delay_timeliness", "confirmed", "ann")
    workspace.retract_decision(made)
    out = io.StringIO()
    exporter.export(workspace, "decisions", "csv", out, allow_pii=True)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["state"], r["comment"], r["undoes"]) for r in rows] == [("confirmed", "", ""), ("confirmed", "undo", str(made.id))]
    out = io.StringIO()
    assert exporter.export(workspace, "labels", "jsonl", out, allow_pii=True) == 0  # no current label left


def test_a_locked_workspace_refuses_a_write_clearly_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("casereview.workspace.BUSY_TIMEOUT_MS", 200)  # wait 0.2 s, not 10
    with Workspace.open(tmp_path / "ws") as ws:
        ws.import_notes([note("a", "a private note")], "f.jsonl")
        other = sqlite3.connect(ws.db_path)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(WorkspaceLockedError, match="locked") as caught:
            ws.record_decision("a", "delay_timeliness", "confirmed", "ann")
        # the whole message: the workspace's path is in it, and can hold any word (macOS's /private/var/folders)
        assert str(caught.value) == f"{ws.db_path}: another program kept the workspace locked for over 0.2 s; nothing was written"
        other.rollback()
        other.close()
        assert ws.current_decisions("a") == {}
        ws.record_decision("a", "delay_timeliness", "confirmed", "ann")  # free again: saved
        assert ws.current_decisions("a")["delay_timeliness"].state == "confirmed"


ONE_DECISION = {
    "notes": [{"note_id": "a", "text": "t", "extra": "{}", "source_file": "f", "imported_at": "now", "content_hash": "h"}],
    "decisions": [{"note_id": "a", "label": "delay_timeliness", "state": "confirmed", "reviewer": "ann", "created_at": "now"}],
}


def old_workspace(tmp_path, version: int, tables: dict[str, list[dict]] = ONE_DECISION):
    """A workspace file as casereview made it at schema ``version``, holding ``tables``' rows."""
    from casereview import schema

    conn = sqlite3.connect(tmp_path / "old.db")
    for script in schema.MIGRATIONS[:version]:
        for statement in schema._split_sql(script):
            conn.execute(statement)
    for table, rows in tables.items():
        for row in rows:
            conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    (tmp_path / "ws").mkdir()
    (tmp_path / "old.db").rename(tmp_path / "ws" / "workspace.db")
    return tmp_path / "ws"


def test_migration_from_version_1_keeps_data(tmp_path):
    with Workspace.open(old_workspace(tmp_path, 1)) as ws:
        assert ws.schema_version == SCHEMA_VERSION
        assert ws.current_decisions("a")["delay_timeliness"].kind == "review"


def test_migration_from_version_3_keeps_decisions_and_their_undo_works(tmp_path):
    with Workspace.open(old_workspace(tmp_path, 3)) as ws:
        assert ws.schema_version == SCHEMA_VERSION
        decision = ws.current_decisions("a", reviewer="ann")["delay_timeliness"]
        assert (decision.state, decision.undoes) == ("confirmed", None)
        ws.retract_decision(decision)
        assert ws.current_decisions("a") == {} and ws.current_decisions("a", reviewer="ann") == {}


def test_migration_from_version_15_keeps_the_model_events_with_no_guardrail_said(tmp_path):
    """Migration 16 records what a refused or forced promotion was judged on; the events before it said nothing."""
    tables = {"models": [{"version": "m1", "path": "models/m1", "sha256": "0" * 64, "promoted": 1,
                         "created_at": "2026-01-01"}],
              "model_events": [{"version": "m1", "action": "promoted", "actor": "ann", "forced": 1,
                                "created_at": "2026-01-02"}]}
    with Workspace.open(old_workspace(tmp_path, 15, tables)) as ws:
        assert ws.schema_version == SCHEMA_VERSION
        assert [(e["action"], e["forced"], e["guardrail"]) for e in ws.model_events()] == [("promoted", 1, None)]
        said = {"compared_with": "m0", "judged_on": "the held-out slice", "reasons": ["macro-F1 drops by 0.1"]}
        ws.refuse_promotion("m1", actor="ann", guardrail=said)
        assert ws.model_events()[-1]["guardrail"] == said and ws.promoted_model().version == "m1"


def test_two_programs_opening_an_old_workspace_at_once_both_open_it(tmp_path):
    import threading

    folder = old_workspace(tmp_path, 3)
    other = sqlite3.connect(folder / "workspace.db")
    other.execute("PRAGMA journal_mode = WAL")  # as casereview left it: readers pass a writer
    other.execute("BEGIN IMMEDIATE")  # a third program writes while both start
    outcomes = []

    def open_it():
        try:
            with Workspace.open(folder) as ws:
                outcomes.append(ws.schema_version)
        except WorkspaceError as e:
            outcomes.append(str(e))

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    wait_until_waiting(threads, "transaction", '"BEGIN IMMEDIATE"')  # both read the old version, wait to write
    other.rollback()
    other.close()
    for thread in threads:
        thread.join(timeout=120)  # a bound on a hang
    assert outcomes == [SCHEMA_VERSION, SCHEMA_VERSION]


def everything_current(ws) -> tuple:
    """Every current state, overall and per reviewer, and the label export."""
    import io

    from casereview import exporter

    overall = {(n, label): (d.state, d.reviewer) for n in ws.note_ids() for label, d in ws.current_decisions(n).items()}
    reviewers = {d.reviewer for d in ws.iter_decisions()}
    own = {(n, r, label): d.state for n in ws.note_ids() for r in reviewers for label, d in ws.current_decisions(n, r).items()}
    out = io.StringIO()
    exporter.export(ws, "labels", "jsonl", out, allow_pii=True)
    return overall, own, out.getvalue()


def test_undos_made_before_schema_4_take_their_decisions_back_once_migrated(tmp_path):
    import json

    from .data.make_schema3_undos import FIXTURE, replay

    fixture = json.loads(FIXTURE.read_text())
    with Workspace.open(old_workspace(tmp_path, 3, fixture["tables"])) as migrated, Workspace.open(tmp_path / "fresh") as fresh:
        replay(fresh, fixture)
        assert everything_current(migrated) == everything_current(fresh)
        assert [(d.id, d.undoes) for d in migrated.iter_decisions() if d.comment == "undo"] == [
            (d.id, d.undoes) for d in fresh.iter_decisions() if d.undoes is not None
        ]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the log is closed to updates again
            migrated._conn.execute("UPDATE decisions SET state = 'unsure'")


def record_a_random_log(ws, seed: int, notes: list[str], events: int, undo: float, adjudicate: float) -> None:
    """``events`` decisions in every state by three reviewers on three labels of ``notes`` (a share ``adjudicate``
    of them adjudications), a share ``undo`` of the events retracting one of them."""
    import random

    from casereview.taxonomy import DECISION_STATES

    rng = random.Random(seed)
    ws.import_notes([note(n) for n in notes], "f.jsonl")
    made = []
    for _ in range(events):
        if made and rng.random() < undo:
            ws.retract_decision(made.pop(rng.randrange(len(made))))
        else:
            made.append(ws.record_decision(
                rng.choice(notes), rng.choice(LABEL_NAMES[:3]), rng.choice(DECISION_STATES),
                rng.choice(["ann", "bo", "cy"]), kind="adjudication" if rng.random() < adjudicate else "review",
            ))


def test_current_states_are_those_the_log_implies(workspace):
    notes, reviewers = ["a", "b", "c"], ["ann", "bo", "cy"]
    record_a_random_log(workspace, 5, notes, events=400, undo=0.2, adjudicate=0.05)
    log = list(workspace.iter_decisions())
    undone = {d.undoes for d in log}
    live = [d for d in log if d.undoes is None and d.id not in undone]  # in id order
    latest, adjudicated, own = {}, {}, {}
    for d in live:
        latest[d.note_id, d.label] = d
        own[d.note_id, d.label, d.reviewer] = d
        if d.kind == "adjudication":
            adjudicated[d.note_id, d.label] = d
    overall = {k: d for k, d in {**latest, **adjudicated}.items() if d.state != "cleared"}
    own = {k: d for k, d in own.items() if d.state != "cleared"}
    assert any(d.state == "cleared" for d in live) and adjudicated and len(undone) > 50
    for n in notes:
        assert workspace.current_decisions(n) == {label: d for (m, label), d in overall.items() if m == n}
        for r in reviewers:
            assert workspace.current_decisions(n, r) == {label: d for (m, label, s), d in own.items() if (m, s) == (n, r)}


def sqlite_steps(workspace, read) -> int:
    """How many steps (tens of SQLite's virtual machine instructions) ``read`` takes: a lookup by index takes as
    many whatever else the table holds, a scan more the more it holds."""
    count = [0]
    workspace._conn.set_progress_handler(lambda: count.__setitem__(0, count[0] + 1), 10)
    try:
        read()
    finally:
        workspace._conn.set_progress_handler(None, 0)
    return count[0]


def test_reading_one_notes_states_does_not_read_the_whole_log(workspace):
    workspace.import_notes([note("a"), note("b")], "f.jsonl")
    workspace.record_decision("a", "delay_timeliness", "confirmed", "ann")
    steps = lambda read: sqlite_steps(workspace, read)  # noqa: E731

    reads = (lambda: workspace.current_decisions("a"), lambda: workspace.current_decisions("a", "ann"),
             lambda: workspace.queue_rows(["a"]))  # the final state, as the queue list reads it for each note of a page
    alone = [steps(read) for read in reads]
    with workspace.transaction() as conn:  # a long log about another note
        conn.executemany(
            "INSERT INTO decisions (note_id, label, state, reviewer, created_at) VALUES ('b', ?, 'added', 'ann', 'now')",
            [(LABEL_NAMES[i % len(LABEL_NAMES)],) for i in range(5000)],
        )
    after = [steps(read) for read in reads]
    assert workspace.queue_rows(["a"])[0].decided_labels == 1
    assert all(a < 2 * b for a, b in zip(after, alone)), (alone, after)  # an index lookup, not 5000 rows


def test_reading_one_notes_comments_does_not_read_every_comment(workspace):
    # The review screen reads the open note's comments with every note shown: the comments table had no index on
    # note_id, so each read scanned every reviewer's comment on every note.
    workspace.import_notes([note("a"), note("b")], "f.jsonl")
    workspace.add_comment("a", "ann", "see the strategy meeting")
    alone = sqlite_steps(workspace, lambda: workspace.comments("a"))
    with workspace.transaction() as conn:  # many comments on another note
        conn.executemany("INSERT INTO comments (note_id, reviewer, text, created_at) VALUES ('b', 'ann', ?, 'now')",
                         [(f"comment {i}",) for i in range(5000)])
    assert [c["text"] for c in workspace.comments("a")] == ["see the strategy meeting"]
    after = sqlite_steps(workspace, lambda: workspace.comments("a"))
    assert after < 2 * alone + 5, (alone, after)  # an index lookup, not 5000 rows


def test_disagreements_until_adjudicated(workspace):
    workspace.import_notes([note("a"), note("b")], "f.jsonl")
    workspace.record_decision("a", "delay_timeliness", "confirmed", "ann")
    workspace.record_decision("a", "delay_timeliness", "rejected", "bob")
    workspace.record_decision("b", "delay_timeliness", "confirmed", "ann")
    workspace.record_decision("b", "delay_timeliness", "added", "bob")
    workspace.record_decision("b", "risk_analysis_gap", "unsure", "bob")
    found = workspace.disagreements()
    assert [(d.note_id, d.label, d.states) for d in found] == [("a", "delay_timeliness", {"ann": "confirmed", "bob": "rejected"})]
    workspace.record_decision("a", "delay_timeliness", "rejected", "senior", kind="adjudication")
    assert workspace.disagreements() == []


def test_notes_redacted_before_schema_5_import_again_as_unchanged_once_migrated(tmp_path):
    from casereview import importer
    from casereview.errors import RedactionConflictError

    from .conftest import write_jsonl

    source = {"note_id": "r", "text": "Visited Kayleigh Thompson at home."}
    redacted, plain = note("r", "Visited [PERSON] at home."), note("a", "Home visit.")
    by_import = note("i", "Ring [PHONE] today.")  # redacted by its import's --redact: stored as imported
    row = lambda n: {"note_id": n.note_id, "text": n.text, "extra": "{}", "source_file": "f.jsonl",  # noqa: E731
                     "imported_at": "then", "content_hash": n.content_hash}
    finding = lambda i, n, start, end, label: {"id": i, "note_id": n.note_id, "content_hash": n.content_hash,  # noqa: E731
                                               "start_char": start, "end_char": end, "label": label, "score": 0.9,
                                               "created_at": "then"}
    tables = {
        "notes": [row(plain), row(redacted), row(by_import)],
        "pii_scans": [{"note_id": n.note_id, "content_hash": n.content_hash, "scanner": "s", "scanned_at": "then"}
                      for n in (plain, redacted, by_import)],
        "pii_findings": [finding(1, redacted, 8, 16, "PERSON"), finding(2, by_import, 5, 12, "PHONE")],
        "pii_resolutions": [{"finding_id": 1, "resolution": "redacted", "reviewer": "QA lead", "created_at": "then"},
                            {"finding_id": 2, "resolution": "redacted", "reviewer": "import:f.jsonl", "created_at": "then"}],
    }
    with Workspace.open(old_workspace(tmp_path, 4, tables)) as ws:
        assert ws.schema_version == SCHEMA_VERSION
        # never changed since imported: its imported version is the stored one; a reviewer's redaction, and (from
        # schema 6) an import's --redact, whose stored form is not the file's: unknown
        assert [ws.stored_version(n).imported_hash for n in "ai"] == [plain.content_hash, None]
        assert ws.stored_version("r").imported_hash is None and ws.stored_version("r").redacted
        changed = write_jsonl(tmp_path / "changed.jsonl", [{**source, "text": source["text"] + " Seen alone."}])
        with pytest.raises(RedactionConflictError, match=r"^changed\.jsonl:1: field 'text': note 'r'"):
            importer.import_path(ws, changed, update=True)
        same = write_jsonl(tmp_path / "f.jsonl", [{"note_id": "a", "text": "Home visit."}, source])
        report = importer.import_path(ws, same)  # the source redacts to the stored note: the same note
        assert (report.result.unchanged, report.result.updated, report.pii_findings) == (2, 0, 0)
        assert ws.get_note("r").text == redacted.text and ws.stored_version("r").imported_hash == note(**source).content_hash
        assert [(f.label, f.resolution) for f in ws.pii_findings("r")] == [("PERSON", "redacted")]
        assert importer.import_path(ws, same, update=True).result.unchanged == 2  # known now: a plain hash match


def test_notes_whose_fields_an_import_redacted_before_schema_5_count_as_redacted(tmp_path):
    # --redact replaced values of the other fields and left no finding: a changed version with --update
    # would have stored them back. Migration 5 takes a placeholder in the other fields for such a redaction.
    fields, plain = note("f", "Home visit.", child_name="[PERSON]"), note("a", "Home visit.", team="Cardiff North")
    row = lambda n: {"note_id": n.note_id, "text": n.text, "extra": json.dumps(n.extra), "source_file": "f.jsonl",  # noqa: E731
                     "imported_at": "then", "content_hash": n.content_hash}
    with Workspace.open(old_workspace(tmp_path, 4, {"notes": [row(fields), row(plain)]})) as ws:
        assert ws.stored_version("f").redacted and not ws.stored_version("a").redacted


def test_notes_an_import_redacted_at_schema_5_import_again_as_unchanged_once_migrated(tmp_path):
    # Schema 5 recorded a note's hash as --redact stored it, so the same file, redacted by a scanner that finds
    # more or less, was "different content". Migration 6 forgets such a hash; the next import of the note's file
    # learns the file's own hash when the file's note, redacted where the stored note is, is the stored note.
    from casereview import importer
    from casereview.errors import ChangedNotesError, RedactionConflictError

    from .conftest import write_jsonl

    sources = [{"note_id": "i", "text": "Asked Amira about contact. Ring 07700 900123 today."},
               {"note_id": "l", "text": "Home visit.", "locality": "Cardiff North", "visits": 3},
               {"note_id": "a", "text": "Home visit."}]
    # as a scanner before schema 6 redacted them: the phone number, not the name; the place as a name
    by_import, in_fields, plain = (note("i", "Asked Amira about contact. Ring [PHONE] today."),
                                   note("l", "Home visit.", locality="[PERSON]", visits=3), note(**sources[2]))
    reviewed = note("r", "Visited [PERSON] at home.")  # a reviewer's redaction: its imported hash is the file's
    row = lambda n, **kw: {"note_id": n.note_id, "text": n.text, "extra": json.dumps(n.extra), "source_file": "f.jsonl",  # noqa: E731
                           "imported_at": "then", "content_hash": n.content_hash, "imported_hash": n.content_hash, **kw}
    tables = {
        "notes": [row(by_import), row(in_fields, fields_redacted=1), row(plain),
                  row(reviewed, imported_hash=note("r", "Visited Kayleigh Thompson at home.").content_hash)],
        "pii_scans": [{"note_id": n.note_id, "content_hash": n.content_hash, "scanner": "s", "scanned_at": "then"}
                      for n in (by_import, in_fields, plain, reviewed)],
        "pii_findings": [{"id": i, "note_id": n.note_id, "content_hash": n.content_hash, "start_char": start,
                          "end_char": start + len(label) + 2, "label": label, "score": 0.9, "created_at": "then"}
                         for i, n, start, label in [(1, by_import, 32, "PHONE"), (2, reviewed, 8, "PERSON")]],
        "pii_resolutions": [{"finding_id": 1, "resolution": "redacted", "reviewer": "import:f.jsonl", "created_at": "then"},
                            {"finding_id": 2, "resolution": "redacted", "reviewer": "QA lead", "created_at": "then"}],
    }
    with Workspace.open(old_workspace(tmp_path, 5, tables)) as ws:
        assert ws.schema_version == SCHEMA_VERSION
        assert [ws.stored_version(n).imported_hash for n in "ilar"] == [
            None, None, plain.content_hash, tables["notes"][3]["imported_hash"]]
        assert ws.stored_version("i").redacted and ws.stored_version("l").redacted

        # a changed note is refused as before, and teaches nothing
        changed = write_jsonl(tmp_path / "changed.jsonl", [{**sources[0], "text": "Asked Amira. Ring 07700 900123."}])
        with pytest.raises(RedactionConflictError, match=r"^changed\.jsonl:1: field 'text': note 'i'"):
            importer.import_path(ws, changed, update=True)
        with pytest.raises(ChangedNotesError):
            importer.import_path(ws, changed, redact=True)
        assert ws.stored_version("i").imported_hash is None

        # today's scanner redacts the name too, and not the place: the same file is the same notes all the same
        same = write_jsonl(tmp_path / "f.jsonl", sources)
        for redact in (True, False):
            report = importer.import_path(ws, same, redact=redact)
            assert (report.result.unchanged, report.result.updated, report.result.added) == (3, 0, 0)
        assert [ws.get_note(n) for n in "ila"] == [by_import, in_fields, plain]
        assert [ws.stored_version(n).imported_hash for n in "ila"] == [note(**s).content_hash for s in sources]
        assert importer.import_path(ws, same, redact=True, update=True).result.unchanged == 3


def test_notes_scanned_at_schema_6_by_the_previous_recogniser_are_scanned_again_once_migrated(tmp_path):
    # Schema 6 scanned a note's version once, whatever the scanner: findings of a new recogniser were never shown.
    from casereview.pii.findings import scan_workspace

    emailed = note("e", "Emailed Mark Davies about contact. Mum's new mobile is 07700 900123.")
    row = {"note_id": "e", "text": emailed.text, "extra": "{}", "source_file": "f.jsonl", "imported_at": "then",
           "content_hash": emailed.content_hash, "imported_hash": emailed.content_hash}
    finding = lambda i, start, end, label: {"id": i, "note_id": "e", "content_hash": emailed.content_hash,  # noqa: E731
                                            "start_char": start, "end_char": end, "label": label, "score": 0.9,
                                            "created_at": "then"}
    tables = {
        "notes": [row],
        "pii_scans": [{"note_id": "e", "content_hash": emailed.content_hash, "scanner": "pii-3c501b29-4b99de-f3",
                       "scanned_at": "then"}],
        "pii_findings": [finding(1, 0, 7, "PERSON"), finding(2, 55, 67, "PHONE")],
        "pii_resolutions": [{"finding_id": 2, "resolution": "false_alarm", "reviewer": "QA lead", "created_at": "then"}],
    }
    with Workspace.open(old_workspace(tmp_path, 6, tables)) as ws:
        assert ws.schema_version == SCHEMA_VERSION
        assert [(f.id, f.resolution) for f in ws.pii_findings("e")] == [(1, None), (2, "false_alarm")]  # as they were
        scan_workspace(ws)
        assert [(emailed.text[f.start:f.end], f.resolution, f.reviewer) for f in ws.pii_findings("e")] == [
            ("Mark Davies", None, None), ("07700 900123", "false_alarm", "QA lead")]
        assert ws.pii_findings("e")[1].id == 2


def final_states_the_log_implies(log) -> dict[tuple[str, str], tuple[int, bool]]:
    """(note, label) -> (id of the decision that settles it, disputed), read from the log by the rule as the
    codebook states it: the latest adjudication, else the latest side a reviewer took ('unsure' takes none),
    else 'unsure'; each reviewer's latest decision in force counting once. Coders on both sides, unadjudicated,
    are a dispute. No decision in force, or a cleared one settling it: no final state."""
    undone = {d.undoes for d in log}
    live = [d for d in log if d.undoes is None and d.id not in undone]
    adjudicated, own = {}, {}
    for d in live:  # in id order: the last one kept is the latest
        if d.kind == "adjudication":
            adjudicated[d.note_id, d.label] = d
        else:
            own[d.note_id, d.label, d.reviewer] = d
    final = {}
    for pair in {(d.note_id, d.label) for d in live}:
        mine = [d for (n, label, _), d in own.items() if (n, label) == pair and d.state != "cleared"]
        sided = [d for d in mine if d.state != "unsure"]
        settling = adjudicated.get(pair) or max(sided or mine, key=lambda d: d.id, default=None)
        disputed = pair not in adjudicated and len({d.state in POSITIVE_STATES for d in sided}) > 1
        if settling is not None and settling.state != "cleared":
            final[pair] = (settling.id, disputed)
    return final


def test_the_final_state_view_follows_the_rule_reports_and_exports_read(workspace):
    # status, the queues and case files read each label's final state from the final_decision_state view, and
    # reports, export labels and retraining through final_decisions(): both must be the rule, on any log
    record_a_random_log(workspace, 8, ["a", "b", "c", "d"], events=500, undo=0.15, adjudicate=0.03)
    expected = final_states_the_log_implies(list(workspace.iter_decisions()))
    by_id = {d.id: d for d in workspace.iter_decisions()}
    assert any(disputed for _, disputed in expected.values()) and not all(disputed for _, disputed in expected.values())
    view = {(r["note_id"], r["label"]): (r["id"], bool(r["disputed"]))
            for r in workspace._query("SELECT id, note_id, label, disputed FROM final_decision_state")}
    assert view == expected
    assert {(n, label): d.state for n, labels_ in workspace.final_decisions().items() for label, d in labels_.items()} == {
        pair: by_id[settling].state for pair, (settling, _) in expected.items()}
    assert {(d.note_id, d.label) for d in workspace.disagreements()} == {p for p, (_, disputed) in expected.items() if disputed}


def test_final_states_and_the_whole_workspaces_coding_are_those_of_the_log(workspace):
    # sampling frames and reports read the final states alone (final_states: the final decisions of 200,000 notes
    # took 800 MB), and agreement reads the whole workspace's coding in one query, not in batches of note ids: on a
    # random log with retractions, clears and adjudications, both still say what the log implies, for the whole
    # workspace and for an audit
    notes = [f"n{i:02d}" for i in range(12)]
    record_a_random_log(workspace, 9, notes, events=500, undo=0.15, adjudicate=0.03)
    workspace.create_audit("qa", {}, [(n, None, 1.0) for n in notes[:5]])
    for audit in (None, "qa"):
        assert workspace.final_states(audit) == {
            n: {label: d.state for label, d in labels.items()} for n, labels in workspace.final_decisions(audit=audit).items()}
        assert {f.note_id: f.final for f in workspace.note_facts(audit)} == {
            n: workspace.final_states(audit).get(n, {}) for n in (notes if audit is None else notes[:5])}
        assert all(f.final == {} for f in workspace.note_facts(audit, decided=False))
    assert any(workspace.final_states("qa").values()) and workspace.final_states("qa") != workspace.final_states()
    log = list(workspace.iter_decisions())
    undone = {d.undoes for d in log}
    own = {}
    for d in log:  # in id order: the last one kept is each reviewer's latest in force
        if d.undoes is None and d.id not in undone and d.kind == "review":
            own[d.note_id, d.label, d.reviewer] = d.state
    expected = sorted((*key, state) for key, state in own.items() if state != "cleared")
    assert len(expected) > 50 and sorted(workspace.audit_coding()) == expected


def test_the_disputes_read_with_the_final_states_are_the_disagreements_on_any_log(workspace):
    # reports, export labels and retraining take the disputed pairs from the final states' own reading of the view
    # (Finals.disputed), not from disagreements(), which read the view again (4 s of CPU at 200,000 coded notes):
    # on a random log with retractions, clears and adjudications, they are the same pairs, for the whole workspace
    # and for an audit (whose coders settle some of them for its own figures)
    notes = [f"n{i:02d}" for i in range(12)]
    record_a_random_log(workspace, 5, notes, events=500, undo=0.15, adjudicate=0.03)
    workspace.create_audit("qa", {}, [(n, None, 1.0) for n in notes[:6]])
    settled_in_audit = min(d for d in workspace.final_states("qa").disputed)
    workspace.record_decision(*settled_in_audit, "confirmed", "dee", audit="qa")  # the audit's coder takes a side
    assert workspace.final_states("qa")[settled_in_audit[0]][settled_in_audit[1]] == "confirmed"
    for audit in (None, "qa"):
        pairs = {(d.note_id, d.label) for d in workspace.disagreements(audit)}
        assert workspace.final_states(audit).disputed == pairs
        assert workspace.final_decisions(audit=audit).disputed == pairs
        assert workspace.final_decisions(audit=audit, evidence=True).disputed == pairs
    assert settled_in_audit in workspace.final_states("qa").disputed != workspace.final_states().disputed
    assert {(n, label) for n, labels in workspace.final_decisions().items() for label, d in labels.items()
            if d.disputed} == workspace.final_decisions().disputed


def test_the_reports_quotable_evidence_is_every_suggestion_settled_as_a_concern_on_any_log(workspace):
    # confirmed_evidence reads the predictions of the pairs someone decided as a concern, looked up by key (it read
    # and sorted every suggestion's evidence, most of a large workspace's): on a random log with retractions, clears
    # and adjudications, it still gives every suggestion of the current model whose final state is positive, in
    # quoting order (label, strongest first), and for an audit those its final decisions make positive
    import random

    notes = [f"n{i:02d}" for i in range(16)]
    record_a_random_log(workspace, 11, notes, events=400, undo=0.15, adjudicate=0.03)
    rng = random.Random(3)
    for version in ("old", "current"):
        workspace.register_model(version, f"/models/{version}", "0" * 64, promote=version == "current")
        scores = {(n, name): rng.random() for n in notes for name in LABEL_NAMES}
        workspace.store_predictions(version, [
            {"note_id": n, "thresholds": {name: 0.4 for name in LABEL_NAMES},
             "scores": {name: scores[n, name] for name in LABEL_NAMES},
             "labels": [name for name in LABEL_NAMES if scores[n, name] >= 0.4],
             "evidence": {name: [{"start": 0, "end": 4, "text": f"{version} {n} {name}"}] for name in LABEL_NAMES}}
            for n in notes])
    by_id = {d.id: d for d in workspace.iter_decisions()}
    positive = {pair for pair, (settling, _) in final_states_the_log_implies(list(by_id.values())).items()
                if by_id[settling].state in POSITIVE_STATES}
    assert 0 < len(positive) < len(final_states_the_log_implies(list(by_id.values())))

    def suggested_where(settled) -> list:
        return sorted(((n, name, scores[n, name], [{"start": 0, "end": 4, "text": f"current {n} {name}"}])
                       for n in notes for name in LABEL_NAMES if scores[n, name] >= 0.4 and settled(n, name)),
                      key=lambda row: (row[1], -row[2], row[0]))

    assert workspace.confirmed_evidence() == suggested_where(lambda n, name: (n, name) in positive)
    workspace.create_audit("qa", {}, [(n, None, 1.0) for n in notes[:6]])
    in_audit = workspace.final_decisions(audit="qa")
    expected = suggested_where(lambda n, name: n in notes[:6] and name in in_audit.get(n, {})
                               and in_audit[n][name].state in POSITIVE_STATES)
    assert expected and workspace.confirmed_evidence("qa") == expected


def test_notes_with_decisions_are_read_in_import_order_and_no_others(workspace):
    # export labels reads only the notes with a decision (it read every note's text, most of a large workspace's
    # undecided): those with any event in the log, a retracted one too, in import order as every note is read
    workspace.import_notes([note(f"n{i}") for i in range(9)], "f.jsonl")
    workspace.import_notes([note("x", labels=["delay_timeliness"])], "g.jsonl")  # an import's labels are decisions
    for n in ("n7", "n2", "n5"):
        workspace.record_decision(n, "delay_timeliness", "rejected", "ann")
    workspace.retract_decision(workspace.record_decision("n8", "delay_timeliness", "confirmed", "bo"))
    read = [n.note_id for n in workspace.iter_notes(batch_size=2, with_decisions=True)]
    assert read == [n.note_id for n in workspace.iter_notes() if n.note_id in {"n2", "n5", "n7", "n8", "x"}]
    assert read == ["n2", "n5", "n7", "n8", "x"]


def test_a_workspace_made_before_the_final_state_view_counts_final_states_once_migrated(tmp_path):
    # ann confirmed, bo then marked it unsure: the label is confirmed (as reports and exports have it)
    tables = {**ONE_DECISION, "decisions": ONE_DECISION["decisions"] + [
        {"note_id": "a", "label": "delay_timeliness", "state": "unsure", "reviewer": "bo", "created_at": "later"}]}
    with Workspace.open(old_workspace(tmp_path, 7, tables)) as ws:
        assert ws.schema_version == SCHEMA_VERSION
        assert ws.status()["labels_by_final_state"]["confirmed"] == 1 and ws.status()["labels_by_final_state"]["unsure"] == 0


def test_a_migration_that_fails_leaves_the_old_workspace_as_it_was(tmp_path):
    # every migration from the file's version lands in one transaction: one failing (here, a view of that name made
    # by hand in the file) leaves the file at its version, the earlier migrations' changes rolled back too
    folder = old_workspace(tmp_path, 6)
    conn = sqlite3.connect(folder / "workspace.db")
    conn.execute("CREATE VIEW final_decision_state AS SELECT 1")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match="not a usable workspace database"):
        Workspace.open(folder)
    conn = sqlite3.connect(folder / "workspace.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    assert "superseded_by" not in {r[1] for r in conn.execute("PRAGMA table_info(pii_findings)")}  # migration 7's
    conn.close()


def test_audits_drawn_before_hash_ranking_record_their_method_and_draw_again_exactly_once_migrated(tmp_path):
    # casereview 0.1.0 drew each stratum by a seeded shuffle and recorded no method; the commands its audits recorded,
    # run once hash ranking became the default, drew other samples. Migrated, each says it was drawn by shuffle, and
    # its command says so too: run on a copy of the data it draws exactly the notes the audit holds.
    import shlex

    from .conftest import run_cli, write_jsonl
    from .test_sampling import team_notes

    records = team_notes()
    notes = [{"note_id": r["note_id"], "text": r["text"], "case_id": r["case_id"], "date": r["date"],
              "author_role": r["author_role"], "extra": json.dumps({"team": r["team"]}), "source_file": "teams.jsonl",
              "imported_at": "2024-05-01T00:00:00+00:00", "content_hash": r["note_id"]} for r in records]
    design = {"date_from": None, "date_to": None, "hide_model": False, "frame_units": 100, "model_version": None,
              "casereview_version": "0.1.0"}
    audits = {  # as 0.1.0 recorded them (the second before audits' commands named the audit), and the notes drawn
        "march-qa": ({**design, "size": 8, "unit": "note", "stratify": ["team", "month"], "seed": 42, "oversample": 1.0,
                      "command": "casereview sample --size 8 --by note --seed 42 --stratify team --stratify month "
                                 "--name march-qa",
                      "assignment": {"reviewers": ["ann", "bo"], "double": 0.25, "seed": 42, "blind": True}},
                     ["n009", "n038", "n039", "n048", "n062", "n067", "n072", "n089"]),
        "files": ({**design, "size": 4, "unit": "case", "stratify": ["team"], "seed": 3, "oversample": 2.0, "frame_units": 20,
                   "command": "casereview sample --size 4 --by case --seed 3 --stratify team --oversample-flagged 2"},
                  [n["note_id"] for n in notes if n["case_id"] in ("C00", "C08", "C12", "C19")]),
        "by-hand": ({"seed": 0, "unit": "note"}, ["n001"]),  # no command recorded
    }
    tables = {"notes": notes,
              "audits": [{"name": name, "params": json.dumps(params), "created_at": "2024-05-02"}
                         for name, (params, _) in audits.items()],
              "audit_items": [{"audit": name, "note_id": note_id} for name, (_, ids) in audits.items() for note_id in ids]}
    with Workspace.open(old_workspace(tmp_path, 8, tables)) as ws:
        assert ws.schema_version == SCHEMA_VERSION
        migrated = {a.name: a.params for a in ws.audits()}
        held = {name: [i.note_id for i in ws.audit_items(name)] for name in audits}
    assert {name: params["method"] for name, params in migrated.items()} == dict.fromkeys(audits, "shuffle")
    assert migrated["march-qa"]["command"] == ("casereview sample --size 8 --by note --seed 42 --stratify team "
                                               "--stratify month --method shuffle --name march-qa")
    assert migrated["files"]["command"].endswith("--oversample-flagged 2 --method shuffle")
    assert "command" not in migrated["by-hand"]
    assert migrated["march-qa"]["assignment"] == audits["march-qa"][0]["assignment"]  # the rest as it was
    copy = str(tmp_path / "copy")
    assert run_cli("import", str(write_jsonl(tmp_path / "teams.jsonl", records)), "-w", copy).returncode == 0
    for name in ("march-qa", "files"):
        again = run_cli(*shlex.split(migrated[name]["command"])[1:], "-w", copy)
        assert again.returncode == 0, again.stderr
        assert sorted(again.stdout.split()) == sorted({n["case_id"] if name == "files" else n["note_id"]
                                                       for n in notes if n["note_id"] in held[name]})


def test_numbers_json_cannot_hold_stored_before_imports_refused_them_are_null_once_migrated(tmp_path):
    # an import stored NaN and Infinity in a note's other fields (Python's JSON reads them, SQLite's does not): every
    # later `sample`, `assign` and report of the workspace ended in "OperationalError: malformed JSON"
    from casereview import sampling

    def row(note_id, extra):
        return {"note_id": note_id, "text": "Home visit.", "extra": extra, "source_file": "cms.jsonl",
                "imported_at": "then", "content_hash": f"h{note_id}", "imported_hash": f"h{note_id}"}

    notes = [row("a", '{"score": NaN, "team": "North"}'), row("b", '{"scores": {"x": [1.5, -Infinity]}}'),
             row("c", '{"score": 0.5, "team": "South"}'),
             # an id stored before imports refused control characters: named escaped, never sent to the terminal
             row("d\x1b[2J", '{"score": NaN}')]
    history = [{k: v for k, v in row("a", '{"score": Infinity}').items() if k != "imported_hash"} | {"replaced_at": "t"}]
    with pytest.warns(WorkspaceNotice, match="3 notes held NaN") as told, \
            Workspace.open(old_workspace(tmp_path, 11, {"notes": notes, "note_history": history})) as ws:
        assert ws.schema_version == SCHEMA_VERSION and len(told) == 1
        assert ws.migration_notices == [
            "3 notes held NaN or Infinity in other fields (an earlier version stored them; no JSON reader other than "
            "Python's takes them): stored as null now, their other values as they were; notes a, b, d\\x1b[2J"]
        assert [ws.get_note(n).extra for n in "abc"] == [{"score": None, "team": "North"},
                                                         {"scores": {"x": [1.5, None]}}, {"score": 0.5, "team": "South"}]
        # the hashes stay those of the note as its file gave it: its findings are recorded by them
        assert tuple(ws._query("SELECT content_hash, imported_hash FROM notes WHERE note_id = 'a'")[0]) == ("ha", "ha")
        assert ws._query("SELECT extra FROM note_history")[0][0] == '{"score": null}'
        assert len(sampling.sample(ws, sampling.SampleSpec(size=2, seed=1, stratify=("team",)), "after")[1].items) == 2
    with Workspace.open(tmp_path / "ws") as again:
        assert again.migration_notices == []


def test_the_nan_migration_names_ten_notes_and_counts_the_rest(tmp_path):
    # a comment swallowed the line's continuation: twelve notes were named as ten, with no "and 2 more"
    notes = [{"note_id": f"n{i:02}", "text": "Home visit.", "extra": '{"score": NaN}', "source_file": "cms.jsonl",
              "imported_at": "then", "content_hash": f"h{i}", "imported_hash": f"h{i}"} for i in range(12)]
    with pytest.warns(WorkspaceNotice), Workspace.open(old_workspace(tmp_path, 11, {"notes": notes})) as ws:
        assert ws.migration_notices[0].endswith("notes " + ", ".join(f"n{i:02}" for i in range(10)) + " and 2 more")


def test_a_workspace_made_before_times_were_kept_migrates_with_such_a_number_and_a_time_in_a_notes_fields(tmp_path):
    # migration 10's step read a note's fields with SQLite's JSON functions: a NaN beside a `time` kept among them
    # made the workspace one no later casereview could open ("malformed JSON")
    note = {"note_id": "a", "text": "Home visit.", "date": "2024-03-12", "extra": '{"time": "09:30", "score": NaN}',
            "source_file": "cms.csv", "imported_at": "then", "content_hash": "h", "imported_hash": "h"}
    with pytest.warns(WorkspaceNotice), Workspace.open(old_workspace(tmp_path, 9, {"notes": [note]})) as ws:
        assert ws.schema_version == SCHEMA_VERSION and len(ws.migration_notices) == 1
        assert ws.get_note("a").time == "09:30" and ws.get_note("a").extra == {"score": None}


def test_the_commands_say_what_the_migration_did_on_one_line(tmp_path):
    note = {"note_id": "a", "text": "Home visit.", "extra": '{"score": NaN}', "source_file": "cms.jsonl",
            "imported_at": "then", "content_hash": "h", "imported_hash": "h"}
    folder = old_workspace(tmp_path, 11, {"notes": [note]})
    drawn = run_cli("sample", "--size", "1", "--name", "after", "-w", str(folder))
    assert drawn.returncode == 0 and drawn.stdout == "a\n", drawn.stderr
    assert drawn.stderr.startswith(f"note: {folder / 'workspace.db'}: 1 note held NaN or Infinity in other fields")
    assert "UserWarning" not in drawn.stderr and "note:" not in run_cli("status", "-w", str(folder)).stderr
