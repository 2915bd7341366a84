"""`casereview backup`: a consistent, owner-only copy of a workspace in use, with its retrained models."""

import contextlib
import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from casereview import backup, folder_swap, merging, registry, restore, staging, workspace_lock
from casereview.errors import CaseReviewError, WorkspaceInUseError, WorkspaceLockedError
from casereview.model_files import sha256_file
from casereview.notes import validate
from casereview.schema import SCHEMA_VERSION
from casereview.workspace import DB_NAME, Workspace

from .conftest import NOTES, file_size_limit, mode, run_cli, wait_until_waiting
from .test_merging import exported


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


def test_backup_command_says_what_it_copied_and_a_failure_midway_leaves_nothing(tmp_path):
    ws = workspace_with_notes(tmp_path / "ws")
    with_retrained_model(ws)  # a model file of many megabytes, copied after the database
    ws.close()
    failed = run_cli("backup", str(tmp_path / "out" / "copy"), "-w", str(tmp_path / "ws"),
                     preexec_fn=file_size_limit(1 << 20))
    assert failed.returncode == 2, failed.stderr
    assert failed.stderr == (f"error: {tmp_path / 'out' / 'copy' / 'models' / 'local-3-0123abcd'}: cannot copy the "
                             "model there (File too large); nothing was kept\n")  # where it could not be written
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


# -- restore ---------------------------------------------------------------------------------------------------------

def backed_up(tmp_path: Path, decisions: int = 1, model: bool = True) -> tuple[Path, Path]:
    """A workspace ``ws`` with reviewer A's ``decisions`` (and a retrained model), and its backup ``backup``."""
    ws = workspace_with_notes(tmp_path / "ws")
    for note_id in ("n1", "n2", "n3")[:decisions]:
        ws.record_decision(note_id, "recording_quality", "confirmed", "A")
    if model:
        with_retrained_model(ws)
    backup.backup(ws, tmp_path / "backup")
    ws.close()
    return tmp_path / "ws", tmp_path / "backup"


def beside(folder: Path) -> list[str]:
    """The names in ``folder``'s parent (a hidden folder a restore left behind included)."""
    return sorted(p.name for p in folder.parent.iterdir())


def test_restore_into_a_new_folder_brings_the_backup_back_owner_only_with_its_models_and_an_id_of_its_own(
        tmp_path, umask_000):
    original, copy = backed_up(tmp_path)
    as_backed_up = sorted(p.relative_to(copy) for p in copy.rglob("*"))
    summary = restore.restore(copy, tmp_path / "restored")
    folder = tmp_path / "restored"
    assert sorted(p.relative_to(copy) for p in copy.rglob("*")) == as_backed_up  # only read: no -wal, -shm made
    assert (summary.workspace, summary.replaced, summary.models_copied) == (folder, None, ["models/local-3-0123abcd"])
    assert decided(folder / DB_NAME) == [("n1", "recording_quality", "confirmed")]
    assert [mode(folder), mode(folder / DB_NAME), mode(folder / "models" / "local-3-0123abcd"),
            mode(folder / "models" / "local-3-0123abcd" / "model.joblib")] == ["0o700", "0o600", "0o700", "0o600"]
    with Workspace.open(copy, create=False) as backed, Workspace.open(original, create=False) as ws:
        others = (backed.workspace_id, ws.workspace_id)
    shutil.rmtree(copy)  # the restored workspace needs nothing of the backup
    with Workspace.open(folder, create=False) as restored:
        assert restored.promoted_model().path == str(folder / "models" / "local-3-0123abcd")
        assert registry.files_status(restored)["model_file_problems"] == {}  # its hash checked where it is now
        assert restored.workspace_id == summary.workspace_id not in others
    assert beside(folder) == ["restored", "ws"]


@pytest.mark.parametrize("swap", ["exchange", "two-renames"])
def test_restore_over_a_workspace_only_with_replace_and_then_keeps_it_whole_and_owner_only_beside_it(
        tmp_path, monkeypatch, swap):
    if swap == "two-renames":  # as where the system cannot exchange two folders in one step
        monkeypatch.setenv(folder_swap.TEST_HOOK, swap)
    original, copy = backed_up(tmp_path)
    with Workspace.open(original, create=False) as ws:
        ws.record_decision("n2", "recording_quality", "rejected", "A")  # today's work, after the backup
    original.chmod(0o755)  # a workspace folder others could list, as an unpacked one may be
    with pytest.raises(CaseReviewError, match=r"ws: a workspace is there already; --replace restores over it"):
        restore.restore(copy, original)
    assert len(decided(original / DB_NAME)) == 2 and beside(original) == ["backup", "ws"]

    summary = restore.restore(copy, original, replace=True)
    aside = summary.replaced
    assert aside.parent == tmp_path and aside.name.startswith("ws.before-restore-") and mode(aside) == "0o700"
    assert beside(original) == sorted(["backup", "ws", aside.name])
    assert decided(original / DB_NAME) == [("n1", "recording_quality", "confirmed")]  # the backup's state
    assert decided(aside / DB_NAME) == [("n1", "recording_quality", "confirmed"),
                                        ("n2", "recording_quality", "rejected")]  # nothing lost
    with Workspace.open(aside, create=False) as kept:  # a workspace still, models and all
        assert registry.files_status(kept)["model_file_problems"] == {}


def test_restore_refuses_a_folder_holding_other_files_and_a_target_inside_the_backup(tmp_path):
    _, copy = backed_up(tmp_path, model=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "letter.txt").write_text("mine")
    with pytest.raises(CaseReviewError, match=r"home: holds files but no workspace \(workspace.db\)"):
        restore.restore(copy, tmp_path / "home", replace=True)
    with pytest.raises(CaseReviewError, match="is inside the backup"):
        restore.restore(copy, copy / "models" / "again")
    assert [p.name for p in (tmp_path / "home").iterdir()] == ["letter.txt"]
    (tmp_path / "empty").mkdir()
    assert restore.restore(copy, tmp_path / "empty").notes == 3  # an empty folder is restored into


def _damage_model(copy: Path) -> None:
    (copy / "models" / "local-3-0123abcd" / "model.joblib").unlink()


def _change_model(copy: Path) -> None:
    with open(copy / "models" / "local-3-0123abcd" / "model.joblib", "ab") as fh:
        fh.write(b"\0")


def _newer_schema(copy: Path) -> None:
    with sqlite3.connect(copy / DB_NAME) as conn:
        conn.execute("PRAGMA user_version = 99")


def _not_a_database(copy: Path) -> None:
    (copy / DB_NAME).write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)


def _damaged_page(copy: Path) -> None:
    """A b-tree page of the notes table overwritten: the file opens, SQLite's check finds it."""
    with sqlite3.connect(copy / DB_NAME) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'notes'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(copy / DB_NAME, "r+b") as fh:
        fh.seek((page - 1) * size + 8)
        fh.write(b"\x07" * 64)


def _truncated(copy: Path) -> None:
    """The database cut short, as a copy stopped midway or a full disk leaves it."""
    with open(copy / DB_NAME, "r+b") as fh:
        fh.truncate(fh.seek(0, 2) // 2)


@pytest.mark.parametrize("damage, problem", [
    (_newer_schema, r"backup/workspace.db: schema version 99 is newer than this casereview \(\d+\); upgrade"),
    (_not_a_database, r"backup/workspace.db: not a usable workspace database \(file is not a database\)"),
    (_damaged_page, r"backup/workspace.db: fails SQLite's check \(.+\); nothing was changed"),
    (_truncated, r"backup/workspace.db: not a usable workspace database \(database disk image is malformed\)"),
], ids=["newer schema", "not a database", "damaged page", "truncated"])
def test_restore_checks_the_backup_before_touching_the_workspace(tmp_path, damage, problem):
    original, copy = backed_up(tmp_path)
    damage(copy)
    with pytest.raises(CaseReviewError, match=problem) as refused:
        restore.restore(copy, original, replace=True)
    assert "nothing was changed" in str(refused.value) and "Visit" not in str(refused.value)
    assert beside(original) == ["backup", "ws"]  # neither moved aside nor a hidden copy left
    assert decided(original / DB_NAME) == [("n1", "recording_quality", "confirmed")]


def test_restore_migrates_a_backup_made_by_an_older_casereview(tmp_path):
    from .test_workspace import old_workspace

    old = old_workspace(tmp_path, 12)  # before workspace ids
    summary = restore.restore(old, tmp_path / "restored")
    assert summary.migrated_from == 12 and summary.decisions == 1
    with Workspace.open(tmp_path / "restored", create=False) as restored:
        assert restored.schema_version == SCHEMA_VERSION and restored.workspace_id == summary.workspace_id


def test_a_restored_workspace_counts_each_decision_once_in_merges_from_the_backup_and_the_workspace_it_replaced(
        tmp_path):
    """The backup handed to a coder (Bo codes in it, as the README's merge workflow has it) and the workspace
    replaced (its decisions after the backup, kept beside it) both go on giving decision ids the restored workspace
    gives its own new decisions: under the backup's id or the original's, merging their exports would find a
    different decision 'already here'."""
    original, copy = backed_up(tmp_path, model=False)
    with Workspace.open(original, create=False) as ws:
        ws.record_decision("n2", "recording_quality", "rejected", "A")  # after the backup
    summary = restore.restore(copy, original, replace=True)
    with Workspace.open(original, create=False) as restored:
        restored.record_decision("n3", "supervision_issue", "confirmed", "Lead")  # the restored one's own
    with Workspace.open(copy, create=False) as coder:
        coder.record_decision("n3", "delay_timeliness", "confirmed", "Bo")

    for folder, name in ((summary.replaced, "replaced.jsonl"), (copy, "bo.jsonl")):
        with Workspace.open(folder, create=False) as ws:
            exported(ws, tmp_path / name)
    with Workspace.open(original, create=False) as restored:
        assert merging.merge(restored, tmp_path / "replaced.jsonl").merged == 1  # A's n2, once
        assert merging.merge(restored, tmp_path / "bo.jsonl").merged == 1  # Bo's
        assert merging.merge(restored, tmp_path / "bo.jsonl").merged == 0  # again: nothing new
        assert len(restored.decisions_of("A")) == 2 and len(restored.decisions_of("Lead")) == 1


HOLDER = """
import sys, time
from casereview.workspace import Workspace
ws = Workspace.open(sys.argv[1], create=False)
print("open", flush=True)
sys.stdin.readline()
"""


def test_restore_command_refuses_a_workspace_another_process_has_open_then_restores_over_it(tmp_path):
    original, copy = backed_up(tmp_path, model=False)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(original)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        refused = run_cli("restore", str(copy), "-w", str(original), "--replace")
        assert refused.returncode == 2
        assert refused.stderr.strip() == (f"error: {original}: in use: the review UI or another casereview command "
                                          "has it open; close it (or let it finish) and run again; nothing was changed")
        assert beside(original) == ["backup", "ws"]
    finally:
        holder.communicate("\n")

    done = run_cli("restore", str(copy), "-w", str(original), "--replace")
    assert done.returncode == 0, done.stderr
    kept = next(name for name in beside(original) if name.startswith("ws.before-restore-"))
    assert done.stdout.splitlines() == [
        f"restored {copy} to {original} (" + done.stdout.split(" (")[1].split(")")[0] + "): 3 notes, 15 decisions, "
        "0 retrained models",
        f"the workspace that was there is kept, owner-only, in {tmp_path / kept}; delete it once the restored one is "
        "as you want it",
        f"open it with: casereview status --workspace {original}"]


def test_a_workspace_opened_while_restore_swaps_it_is_the_one_swapped_in(tmp_path, monkeypatch):
    """A command starting while restore moves the workspace aside waits for the swap, then opens the workspace in
    its place, not the folder moved aside (whose lock it was waiting for)."""
    original, copy = backed_up(tmp_path, model=False)
    opened: list = []
    with workspace_lock.not_in_use(original):
        opening = threading.Thread(target=lambda: opened.append(Workspace.open(original, create=False)))
        opening.start()
        wait_until_waiting([opening], "held_open", "time.sleep")  # for the lock on the folder about to be moved
        original.rename(tmp_path / "aside")
        copy.rename(original)
    opening.join(120)  # a bound on a hang
    with opened[0] as ws:
        assert ws.path == original and ws.workspace_id != Workspace.open(tmp_path / "aside").workspace_id
        with pytest.raises(WorkspaceInUseError):  # it holds the folder in its place: a restore must wait for it
            with workspace_lock.not_in_use(original):
                pass

    monkeypatch.setattr(workspace_lock, "SWAP_WAIT_S", 0.1)
    with workspace_lock.not_in_use(original), pytest.raises(WorkspaceLockedError, match="'casereview restore' held it"):
        Workspace.open(original, create=False)


def test_restore_reads_what_the_backups_wal_file_holds(tmp_path):
    """A backup folder someone worked in and left unclosed (killed) keeps its latest decisions in workspace.db-wal:
    read as the database file alone, they would be lost."""
    _, copy = backed_up(tmp_path, model=False)
    writer = sqlite3.connect(copy / DB_NAME, isolation_level=None)  # no casereview lock: another program
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO decisions (note_id, label, state, reviewer, created_at, kind)"
                   " VALUES ('n3', 'delay_timeliness', 'confirmed', 'A', '2026-11-27T10:00:00+00:00', 'review')")
    try:
        assert (copy / f"{DB_NAME}-wal").stat().st_size > 0
        restore.restore(copy, tmp_path / "restored")
    finally:
        writer.close()
    assert decided(tmp_path / "restored" / DB_NAME) == [("n1", "recording_quality", "confirmed"),
                                                        ("n3", "delay_timeliness", "confirmed")]


def _unreadable_model(folder: Path) -> None:
    """The model file read as a disk error reads: Linux's /proc/self/mem at offset 0 (unmapped) fails with EIO."""
    model_file = folder / "models" / "local-3-0123abcd" / "model.joblib"
    model_file.unlink()
    model_file.symlink_to("/proc/self/mem")
    with pytest.raises(OSError, match="Input/output error"):
        model_file.read_bytes()


CHANGED = "model file changed since it was registered (refused when loaded, as there)"


@pytest.mark.parametrize("damage, backed_up_as, restored_as", [
    (_damage_model, "model file missing", "model file missing"),
    (_change_model, CHANGED, CHANGED),
    (_unreadable_model, "model file cannot be read (Input/output error)", "model file missing"),
], ids=["missing", "changed", "unreadable"])
def test_a_workspace_whose_model_file_is_missing_or_changed_is_backed_up_and_restored_with_every_decision(
        tmp_path, damage, backed_up_as, restored_as):
    """A retrained model's file deleted by hand, or damaged by the disk, held the decisions hostage: the backup was
    made, naming it, and then restore refused the backup; one the disk could not read failed the backup."""
    ws = workspace_with_notes(tmp_path / "ws")
    ws.record_decision("n1", "recording_quality", "confirmed", "A")
    with_retrained_model(ws)
    ws.close()
    damage(tmp_path / "ws")
    made = run_cli("backup", str(tmp_path / "backup"), "-w", str(tmp_path / "ws"))
    assert made.returncode == 0, made.stderr
    assert f"model local-3-0123abcd: {backed_up_as}" in made.stdout.splitlines()

    done = run_cli("restore", str(tmp_path / "backup"), "-w", str(tmp_path / "restored"), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["model_problems"] == {"local-3-0123abcd": restored_as}
    assert decided(tmp_path / "restored" / DB_NAME) == [("n1", "recording_quality", "confirmed")]
    with Workspace.open(tmp_path / "restored", create=False) as restored:  # registered as it was, its file as found
        assert restored.promoted_model().version == "local-3-0123abcd"
        assert registry.files_status(restored)["promoted_model_file_problem"].startswith(restored_as.split()[2])
    said = run_cli("restore", str(tmp_path / "backup"), "-w", str(tmp_path / "again")).stdout.splitlines()
    assert f"model local-3-0123abcd: {restored_as} in the backup; still registered in the restored workspace" in said
    assert said[-2].startswith("the decisions are all restored; a command needing such a model")


def test_status_and_tag_name_a_model_file_the_disk_cannot_read(tmp_path):
    """Both ended in a traceback (OSError: Input/output error) hashing or loading the file."""
    ws = workspace_with_notes(tmp_path / "ws")
    with_retrained_model(ws)
    ws.close()
    _unreadable_model(tmp_path / "ws")
    status = run_cli("status", "-w", str(tmp_path / "ws"))
    assert status.returncode == 0, status.stderr
    assert ("promoted model: local-3-0123abcd (model file cannot be read (Input/output error); promote another "
            "version: ") in status.stdout
    tag = run_cli("tag", "-w", str(tmp_path / "ws"))
    assert tag.returncode == 2 and tag.stderr.startswith(
        f"error: the workspace's promoted model local-3-0123abcd: {tmp_path / 'ws' / 'models' / 'local-3-0123abcd'}"
        "/model.joblib: cannot be read (Input/output error); promote another version: "), tag.stderr


def test_a_model_file_that_is_a_link_is_backed_up_as_the_file_it_leads_to(tmp_path):
    """A model file moved to another disk and linked (the workspace loads it through the link) was left out of the
    copy, whose hash was then read: FileNotFoundError, a traceback, and no backup."""
    ws = workspace_with_notes(tmp_path / "ws")
    folder = with_retrained_model(ws)
    (folder / "model.joblib").rename(tmp_path / "elsewhere.joblib")
    (folder / "model.joblib").symlink_to(tmp_path / "elsewhere.joblib")
    summary = backup.backup(ws, tmp_path / "copy")
    ws.close()
    assert (summary.models_copied, summary.model_problems) == (["models/local-3-0123abcd"], {})
    copied = tmp_path / "copy" / "models" / "local-3-0123abcd" / "model.joblib"
    assert not copied.is_symlink() and mode(copied) == "0o600"


@pytest.mark.parametrize("swap", ["exchange", "two-renames"])
def test_a_restore_killed_midway_through_its_swap_is_finished_by_the_next_command_to_open_the_workspace(
        tmp_path, swap):
    """restore --replace moved the workspace aside, then renamed the restored copy into its place: killed between
    the two, the place was empty (the next 'import' there made a new, empty workspace) and the copy hidden."""
    original, copy = backed_up(tmp_path, model=False)
    with Workspace.open(original, create=False) as ws:
        ws.record_decision("n2", "recording_quality", "rejected", "A")  # after the backup
    hook = "killed-midway" if swap == "exchange" else "two-renames,killed-midway"
    killed = run_cli("restore", str(copy), "-w", str(original), "--replace", env={folder_swap.TEST_HOOK: hook})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    aside = next(tmp_path / name for name in beside(original) if name.startswith("ws.before-restore-"))
    assert original.is_dir() == (swap == "exchange")  # swapped in one step; or moved aside, the copy not in place

    opened = run_cli("status", "-w", str(original))
    assert opened.returncode == 0, opened.stderr
    assert opened.stderr.startswith(f"note: {original}: a restore was stopped between "), opened.stderr
    assert decided(original / DB_NAME) == [("n1", "recording_quality", "confirmed")]  # the backup's
    assert decided(aside / DB_NAME) == [("n1", "recording_quality", "confirmed"),
                                        ("n2", "recording_quality", "rejected")]  # nothing lost
    assert beside(original) == sorted(["backup", "ws", aside.name])  # no hidden folder left
    again = run_cli("status", "-w", str(original))
    assert again.returncode == 0 and again.stderr == ""
    assert not (original / folder_swap.SWAP_FILE).exists()


@pytest.mark.parametrize("swap", ["exchange", "two-renames"])
@pytest.mark.parametrize("how, signum, exit_code", [("interrupted", signal.SIGINT, 130),
                                                    ("terminated", signal.SIGTERM, -signal.SIGTERM)],
                         ids=["Ctrl-C", "SIGTERM"])
def test_ctrl_c_or_a_kill_while_restore_swaps_waits_for_the_swap_and_leaves_both_workspaces_whole(
        tmp_path, swap, how, signum, exit_code):
    """Ctrl-C between the swap's two renames left the place empty (two renames: the restored copy then removed
    as a failed restore's, so the next command found no workspace), or the workspace replaced at the hidden name
    and the swap file in place (one exchange), until the next command, and said nothing of either."""
    original, copy = backed_up(tmp_path, model=False)
    original.chmod(0o755)
    with Workspace.open(original, create=False) as ws:
        ws.record_decision("n2", "recording_quality", "rejected", "A")  # after the backup
    hook = f"{how}-midway" if swap == "exchange" else f"two-renames,{how}-midway"
    stopped = run_cli("restore", str(copy), "-w", str(original), "--replace", env={folder_swap.TEST_HOOK: hook})
    assert stopped.returncode == exit_code, stopped.stderr
    aside = next(tmp_path / name for name in beside(original) if name.startswith("ws.before-restore-"))
    assert stopped.stderr.splitlines() == [
        f"note: {original}: restored, and then stopped ({signal.Signals(signum).name}), which came while the restored "
        f"workspace was being swapped in; the workspace that was there is kept, owner-only, in {aside}"] + (
        ["error: stopped (Ctrl-C): 'casereview status' with the same --workspace shows whether the restored workspace "
         "is in place (it is put there in one step, at the end)"] if signum == signal.SIGINT else [])
    assert beside(original) == sorted(["backup", "ws", aside.name])  # no hidden folder
    assert not (original / folder_swap.SWAP_FILE).exists() and mode(aside) == "0o700"
    assert decided(original / DB_NAME) == [("n1", "recording_quality", "confirmed")]  # the backup's
    assert decided(aside / DB_NAME) == [("n1", "recording_quality", "confirmed"),
                                        ("n2", "recording_quality", "rejected")]  # nothing lost
    opened = run_cli("status", "-w", str(original))
    assert opened.returncode == 0 and opened.stderr == ""  # nothing left to finish


def test_a_restore_or_backup_killed_while_copying_leaves_a_partial_copy_the_next_command_removes(tmp_path):
    """The hidden folder a restore or backup copies into stayed beside the workspace for good once the command was
    killed while copying (a partial copy of case notes, found by no command)."""
    original, copy = backed_up(tmp_path, model=False)
    killed = {folder_swap.TEST_HOOK: "killed-copying"}

    def hidden() -> list[str]:
        return [name for name in beside(original) if name.endswith(".part")]

    for command, then in ((("restore", str(copy), "-w", str(original), "--replace"), ("status", "-w", str(original))),
                          (("restore", str(copy), "-w", str(tmp_path / "new")), ("restore", str(copy), "-w",
                                                                                  str(tmp_path / "new"))),
                          (("backup", str(tmp_path / "again"), "-w", str(original)), ("backup", str(tmp_path / "again"),
                                                                                      "-w", str(original)))):
        assert run_cli(*command, env=killed).returncode == -signal.SIGKILL
        left = hidden()
        assert len(left) == 1 and (tmp_path / left[0] / DB_NAME).stat().st_size > 0, command
        done = run_cli(*then)
        assert done.returncode == 0, done.stderr
        assert f"note: {tmp_path / left[0]}: removed a partial copy that a backup or restore stopped while copying " \
               "(killed) left behind; what it was copying is untouched" in done.stderr.splitlines(), done.stderr
        assert hidden() == []
    assert decided(tmp_path / "new" / DB_NAME) == decided(tmp_path / "again" / DB_NAME) == decided(copy / DB_NAME)


def test_a_hidden_copy_being_filled_or_part_of_a_swap_is_not_taken_for_one_left_behind(tmp_path):
    place = tmp_path / "ws"
    other = tmp_path / ".ws.old.abcdefgh.part"  # workspace "ws.old"'s copy
    other.mkdir()
    (other / DB_NAME).write_bytes(b"x")
    with staging.staging_folder(place) as filled:
        (filled.path / DB_NAME).write_bytes(b"x")
        assert staging.remove_left_behind(place) == []  # held: a restore or backup still copying
    place.mkdir()
    (place / folder_swap.SWAP_FILE).write_text("{}")  # a swap to finish: the workspace replaced may be at such a name
    assert staging.remove_left_behind(place) == []
    (place / folder_swap.SWAP_FILE).unlink()
    assert staging.remove_left_behind(place) == [f"{filled.path}: removed a partial copy that a backup or restore "
                                                 "stopped while copying (killed) left behind; what it was copying is "
                                                 "untouched"]  # no longer held: its holder is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "ws"]


def test_restore_through_a_link_restores_where_it_leads_and_keeps_the_link(tmp_path):
    """A workspace reached by a link (to a bigger disk) was swapped with the link itself: refused, 'Is a
    directory'; into an empty folder, the link would have been replaced by a folder on the link's disk."""
    original, copy = backed_up(tmp_path, model=False)
    (tmp_path / "link").symlink_to(original)
    summary = restore.restore(copy, tmp_path / "link", replace=True)
    assert (tmp_path / "link").is_symlink() and summary.workspace == original
    assert summary.replaced.parent == tmp_path and (summary.replaced / DB_NAME).is_file()
    assert Workspace.open(tmp_path / "link", create=False).workspace_id == summary.workspace_id


@contextlib.contextmanager
def small_disk(folder: Path, size: str):
    """A file system of ``size`` mounted at ``folder`` (a tmpfs: only root may mount one; skipped otherwise)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_or_a_mount_point_is_an_error_naming_what_could_not_be_written_and_leaves_nothing(tmp_path):
    """A full disk was said of the backup ('backup/workspace.db: not a usable workspace database (database or disk
    is full)') and of the model copied from ('ws/models/...: cannot copy the model'), not of where it was going."""
    original, copy = backed_up(tmp_path)  # a retrained model of 12 MB
    with small_disk(tmp_path / "tiny", "64k") as tiny:
        refused = run_cli("restore", str(copy), "-w", str(tiny / "ws"))
        assert refused.returncode == 2
        assert re.fullmatch(f"error: {re.escape(str(tiny / 'ws' / DB_NAME))}: cannot write \\(database or disk is "
                            f"full; the disk holding {re.escape(str(tiny / 'ws'))} has [0-9,]+ bytes free\\); nothing "
                            "was changed\n", refused.stderr), refused.stderr
        assert list(tiny.iterdir()) == []
        on_it = run_cli("restore", str(copy), "-w", str(tiny))  # a folder another file system is mounted on
        assert on_it.returncode == 2 and "another file system is mounted there: restore into a folder inside it" in (
            on_it.stderr), on_it.stderr
    with small_disk(tmp_path / "small", "4m") as small:  # the database fits, the model does not
        for command in (("restore", str(copy), "-w", str(small / "ws")),
                        ("backup", str(small / "ws"), "-w", str(original))):
            failed = run_cli(*command)
            assert failed.returncode == 2
            assert failed.stderr.startswith(f"error: {small / 'ws' / 'models' / 'local-3-0123abcd'}: cannot copy the "
                                            "model there (No space left on device); nothing was"), failed.stderr
            assert list(small.iterdir()) == []
    assert decided(original / DB_NAME) == decided(copy / DB_NAME) == [("n1", "recording_quality", "confirmed")]


def test_a_file_size_limit_reached_while_copying_names_the_copy_and_the_limit_not_the_backup(tmp_path):
    """A write past the file size limit (or a quota) is SQLite's 'disk I/O error': restore said it of the backup it
    reads ('backup/workspace.db: not a usable workspace database (disk I/O error)'), as if the backup were damaged, and
    backup said 'cannot write (disk I/O error)' with no word of what ran out."""
    original, copy = backed_up(tmp_path, model=False)
    limit = (copy / DB_NAME).stat().st_size // 2
    ran_out = f"disk I/O error; a file may be at most {limit:,} bytes here: the file size limit (ulimit -f)"
    for command, written, words in (
            (("restore", str(copy), "-w", str(tmp_path / "new")), tmp_path / "new" / DB_NAME, "nothing was changed"),
            (("backup", str(tmp_path / "again"), "-w", str(original)), tmp_path / "again", "nothing was kept")):
        failed = run_cli(*command, preexec_fn=file_size_limit(limit))
        assert failed.returncode == 2, failed.stderr
        assert failed.stderr == f"error: {written}: cannot write ({ran_out}); {words}\n"
        assert beside(original) == ["backup", "ws"]  # no partial copy, hidden or not
    assert decided(original / DB_NAME) == decided(copy / DB_NAME) == [("n1", "recording_quality", "confirmed")]
    assert run_cli("restore", str(copy), "-w", str(tmp_path / "new")).returncode == 0  # the backup was whole


BACKED_UP = [("n1", "recording_quality", "confirmed")]
SINCE = [*BACKED_UP, ("n2", "recording_quality", "rejected")]


@pytest.mark.parametrize("hook, emptied, restored, said", [
    # killed before its swap began: the workspace there stays; the restored copy was hidden for good
    ("killed-swapping", False, "ws.restored-", "before it swapped the restored workspace in: {ws} is the workspace "
                                               "that was there, and the restored one is kept, owner-only, in "),
    # ... and the workspace there removed since: the copy was hidden for good, and the next import made a new one
    ("killed-swapping", True, "ws", "before it swapped the restored workspace in, and the workspace that was there "
                                    "has been removed since: the restored one is put in its place now"),
    # swapped in one step, and the restored one removed since: the workspace replaced, at the copy's hidden name,
    # was removed as 'a partial copy'
    ("killed-midway", True, None, "before moving the workspace it replaced to its dated folder, and {ws} was emptied "
                                  "since: the workspace replaced is moved to "),
    # moved aside, then an empty folder made at its place: the restored copy was hidden for good
    ("two-renames,killed-midway", True, "ws", "between moving the workspace that was there to "),
], ids=["before-the-swap", "before-the-swap-emptied", "exchanged-emptied", "moved-aside-emptied"])
def test_a_workspace_a_killed_restore_leaves_hidden_is_brought_into_view_never_removed(
        tmp_path, hook, emptied, restored, said):
    original, copy = backed_up(tmp_path, model=False)
    with Workspace.open(original, create=False) as ws:
        ws.record_decision("n2", "recording_quality", "rejected", "A")  # after the backup
    killed = run_cli("restore", str(copy), "-w", str(original), "--replace", env={folder_swap.TEST_HOOK: hook})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if emptied:  # an empty folder at the place, its workspace removed (or moved aside by two renames)
        shutil.rmtree(original, ignore_errors=True)
        original.mkdir()
    opened = run_cli("status", "-w", str(original))
    assert opened.stderr.startswith(f"note: {original}: a restore was stopped "), opened.stderr
    assert said.format(ws=original) in opened.stderr.splitlines()[0], opened.stderr
    names = beside(original)
    assert not [name for name in names if name.startswith(".")]  # nothing hidden
    held = {name: decided(tmp_path / name / DB_NAME) for name in names if (tmp_path / name / DB_NAME).exists()}
    assert held.pop("backup") == BACKED_UP
    if restored is not None:  # the restored copy, whole, where it was said to be (a prefix: a dated folder)
        assert [state for name, state in held.items() if name == restored or (
            restored.endswith("-") and name.startswith(restored))] == [BACKED_UP], held
    if not emptied or hook == "killed-midway":  # the workspace that was there, whole
        assert SINCE in held.values(), held
    assert not [p for p in tmp_path.rglob("*") if p.name in (folder_swap.SWAP_FILE, folder_swap.REPLACED_FILE)]
    assert not [name for name in names if name.startswith("ws.before-restore-") and held.get(name) is None]
    again = run_cli("status", "-w", str(original))
    assert ": a restore was stopped" not in again.stderr
