"""`casereview backup`: a consistent, owner-only copy of a workspace in use, with its retrained models."""

import json
import resource
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest

from casereview import backup, registry
from casereview.errors import CaseReviewError
from casereview.model_files import sha256_file
from casereview.notes import validate
from casereview.workspace import DB_NAME, Workspace

from .conftest import NOTES, mode, run_cli


def workspace_with_notes(path: Path) -> Workspace:
    ws = Workspace.open(path)
    ws.import_notes([validate(dict(r), "notes.jsonl", i) for i, r in enumerate(NOTES, 1)], "notes.jsonl")
    return ws


def with_retrained_model(ws: Workspace, version: str = "local-3-0123abcd") -> Path:
    """The shipped model copied into the workspace's models folder and registered there, as retrain does."""
    folder = Path(shutil.copytree(registry.shipped_default_folder(), ws.path / "models" / version))
    ws.register_model(version, str(folder), sha256_file(folder / "model.joblib"), promote=True, actor="test")
    return folder


def decided(path: Path) -> list[tuple[str, str, str]]:
    """Reviewer A's decisions in a database file; none if it lacks even the table (still in its -wal file)."""
    with sqlite3.connect(path) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'decisions'").fetchone():
            return []
        return conn.execute("SELECT note_id, label, state FROM decisions WHERE reviewer = 'A' ORDER BY id").fetchall()


def test_a_backup_holds_decisions_still_in_the_wal_but_not_one_being_saved(tmp_path):
    """A copy of workspace.db alone misses what SQLite has not yet checkpointed from workspace.db-wal; a copy
    taken while another program saves must hold its decision whole or not at all."""
    ws = workspace_with_notes(tmp_path / "ws")
    ws.record_decision("n1", "recording_quality", "confirmed", "A")
    ws.record_decision("n2", "supervision_issue", "rejected", "A")
    assert (tmp_path / "ws" / f"{DB_NAME}-wal").stat().st_size > 0
    shutil.copy(tmp_path / "ws" / DB_NAME, tmp_path / "plain-copy.db")  # what cp would have kept
    assert decided(tmp_path / "plain-copy.db") == []

    saving = sqlite3.connect(tmp_path / "ws" / DB_NAME, isolation_level=None)  # another reviewer, mid-save
    saving.execute("BEGIN IMMEDIATE")
    saving.execute("INSERT INTO decisions (note_id, label, state, reviewer, created_at, kind)"
                   " VALUES ('n3', 'delay_timeliness', 'confirmed', 'A', '2026-11-27T10:00:00', 'review')")
    summary = backup.backup(ws, tmp_path / "copy")
    saving.execute("COMMIT")
    saving.close()

    assert decided(tmp_path / "copy" / DB_NAME) == [("n1", "recording_quality", "confirmed"),
                                                    ("n2", "supervision_issue", "rejected")]
    assert (summary.notes, summary.models_copied) == (3, [])
    with Workspace.open(tmp_path / "copy", create=False) as copy:  # opens as a workspace of its own
        assert copy.status()["notes"] == 3
    assert len(decided(tmp_path / "ws" / DB_NAME)) == 3  # the original is untouched and went on
    ws.close()


def test_a_backup_copies_its_retrained_models_owner_only_and_loads_them_without_the_original(tmp_path, umask_000):
    ws = workspace_with_notes(tmp_path / "ws")
    with_retrained_model(ws)
    summary = backup.backup(ws, tmp_path / "backups" / "copy")
    ws.close()
    copy_folder = tmp_path / "backups" / "copy"
    assert summary.models_copied == ["models/local-3-0123abcd"] and summary.model_problems == {}
    assert [mode(copy_folder), mode(copy_folder / DB_NAME), mode(copy_folder / "models" / "local-3-0123abcd"),
            mode(copy_folder / "models" / "local-3-0123abcd" / "model.joblib")] == ["0o700", "0o600", "0o700",
                                                                                     "0o600"]
    shutil.rmtree(tmp_path / "ws")
    with Workspace.open(copy_folder, create=False) as copy:
        model, folder = registry.resolve(workspace=copy)
        assert folder == copy_folder / "models" / "local-3-0123abcd" and model.version == "concern-0.11.0"
        assert registry.files_status(copy)["model_file_problems"] == {}


def test_a_backup_names_a_changed_model_file_and_the_shipped_model_it_leaves_out(tmp_path):
    ws = workspace_with_notes(tmp_path / "ws")
    registry.register_shipped(ws, registry.shipped_pins()["default"])
    folder = with_retrained_model(ws)
    with open(folder / "model.joblib", "ab") as fh:
        fh.write(b"\0")
    summary = backup.backup(ws, tmp_path / "copy")
    ws.close()
    assert summary.models_elsewhere == [registry.shipped_pins()["default"]]
    assert summary.model_problems == {
        "local-3-0123abcd": "model file changed since it was registered (refused when loaded, as there)"}


def test_a_backup_refuses_an_existing_folder_and_one_inside_the_workspace(tmp_path):
    ws = workspace_with_notes(tmp_path / "ws")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    with pytest.raises(CaseReviewError, match="taken: already exists"):
        backup.backup(ws, tmp_path / "taken")
    with pytest.raises(CaseReviewError, match="is inside the workspace"):
        backup.backup(ws, tmp_path / "ws" / "models" / "copy")
    ws.close()
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]
    assert not (tmp_path / "ws" / "models" / "copy").exists()


def _one_megabyte_files():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) rather than killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))


def test_backup_command_says_what_it_copied_and_a_failure_midway_leaves_nothing(tmp_path):
    ws = workspace_with_notes(tmp_path / "ws")
    with_retrained_model(ws)  # a model file of many megabytes, copied after the database
    ws.close()
    failed = run_cli("backup", str(tmp_path / "out" / "copy"), "-w", str(tmp_path / "ws"),
                     preexec_fn=_one_megabyte_files)
    assert failed.returncode == 2, failed.stderr
    assert "cannot copy the model (File too large); nothing was kept" in failed.stderr, failed.stderr
    assert list((tmp_path / "out").iterdir()) == []  # neither the backup nor its hidden folder

    done = run_cli("backup", str(tmp_path / "out" / "copy"), "-w", str(tmp_path / "ws"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"backed up {tmp_path / 'ws'} to {tmp_path / 'out' / 'copy'} (")
    assert lines[0].endswith("): 3 notes, 14 decisions, 1 retrained model"), lines  # the imported labels
    assert lines[-1] == f"open it with: casereview status --workspace {tmp_path / 'out' / 'copy'}"
    again = run_cli("backup", str(tmp_path / "out" / "copy"), "-w", str(tmp_path / "ws"), "--json")
    assert again.returncode == 2 and "already exists" in again.stderr
    as_json = json.loads(run_cli("backup", str(tmp_path / "out" / "copy2"), "-w", str(tmp_path / "ws"),
                                 "--json").stdout)
    assert as_json["models_copied"] == ["models/local-3-0123abcd"] and as_json["notes"] == 3


def test_a_shipped_model_recorded_where_another_install_kept_it_is_found_where_this_one_ships_it(tmp_path):
    """A workspace copied to another machine, or a casereview installed afresh in another folder, records the
    shipped model where the old install had it: it was 'missing' and the promoted model could not be loaded,
    though this casereview ships the very file (by its hash)."""
    ws = workspace_with_notes(tmp_path / "ws")
    default = registry.shipped_pins()["default"]
    ws.register_model(default, "/elsewhere/casereview/models/" + default,
                      registry.shipped_pins()["models"][default]["sha256"], promote=True, actor="test")
    ws.register_model("concern-0.0.1", "/elsewhere/casereview/models/concern-0.0.1", "0" * 64, actor="test")
    assert Path(ws.promoted_model().path) == registry.shipped_default_folder()
    assert registry.resolve(workspace=ws)[0].version == default
    assert registry.files_status(ws)["model_file_problems"] .keys() == {"concern-0.0.1"}  # not shipped here
    ws.close()


def test_two_versions_trained_into_one_folder_are_copied_once_and_the_one_whose_file_it_no_longer_holds_named(tmp_path):
    """The folder was copied once per version registered in it, and the second copy found the first's files there:
    the backup failed ("cannot copy the model"), though status only names the version whose file the folder no
    longer holds."""
    ws = workspace_with_notes(tmp_path / "ws")
    folder = with_retrained_model(ws, "local-3-0123abcd")
    ws.register_model("local-2-89abcdef", str(folder), "0" * 64, actor="test")  # trained there before, overwritten
    summary = backup.backup(ws, tmp_path / "copy")
    ws.close()
    assert summary.models_copied == ["models/local-3-0123abcd"]
    assert summary.model_problems == {
        "local-2-89abcdef": "model file changed since it was registered (refused when loaded, as there)"}
    with Workspace.open(tmp_path / "copy", create=False) as copy:
        assert registry.files_status(copy)["model_file_problems"].keys() == {"local-2-89abcdef"}
