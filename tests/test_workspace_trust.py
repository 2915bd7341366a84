"""What a workspace is trusted with, and by whom: its database decides which model files casereview loads
(the registry's sha256), and model files run code when loaded. A workspace another account owns, or that
others can write, could have been changed by them: it is refused, not made owner-only and trusted."""

import os

import pytest

from casereview.errors import WorkspaceError
from casereview.model_files import MODEL_FILE, sha256_file
from casereview.notes import validate
from casereview.workspace import Workspace

from .conftest import run_cli

OTHER_UID = 1001  # another account on a shared server (no entry in /etc/passwd needed)
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another account needs root")


class RunsCode:
    """A pickle that makes a folder when it is loaded: what a planted model file can do, as the victim."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def _workspace(folder):
    with Workspace.open(folder) as ws:
        ws.import_notes([validate({"note_id": "n1", "text": "Visit done.", "case_id": "C1"}, "t", 1)], "n.jsonl")
    return folder


def _plant_model(ws_folder, marker) -> None:
    """What a member of the workspace's group can do when they can write its database: a model file of theirs,
    registered and promoted with its own hash, so the registry vouches for it."""
    import joblib

    planted = ws_folder / "models" / "planted"
    planted.mkdir(parents=True)
    joblib.dump(RunsCode(str(marker)), planted / MODEL_FILE, compress=3)
    with Workspace.open(ws_folder, create=False) as ws:
        ws.register_model("planted", str(planted), sha256_file(planted / MODEL_FILE), promote=True)


def test_a_workspace_others_can_write_cannot_vouch_for_a_model_file(tmp_path):
    """A group-shared workspace (database 0660): a group member registered a model file of theirs; 'predict' loaded
    it, by its registered hash, and ran its code as whoever used the workspace next."""
    folder = _workspace(tmp_path / "ws")
    marker = tmp_path / "code-ran"
    _plant_model(folder, marker)
    os.chmod(folder / "workspace.db", 0o660)
    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"note_id": "x", "text": "Visit done."}\n', encoding="utf-8")
    done = run_cli("predict", str(notes), "-w", str(folder))
    assert not marker.exists(), "the planted model file's code ran"
    assert done.returncode == 2
    assert f"{folder / 'workspace.db'}: others can write it" in done.stderr
    assert "chmod 600" in done.stderr and "Traceback" not in done.stderr
    assert oct(os.stat(folder / "workspace.db").st_mode & 0o777) == "0o660"  # refused as found, not made private


@pytest.mark.parametrize("name", ["workspace.db", "workspace.db-wal", "workspace.db-shm"])
def test_a_workspace_file_others_can_write_is_refused(tmp_path, name):
    folder = _workspace(tmp_path / "ws")
    (folder / name).touch()
    os.chmod(folder / name, 0o662)
    with pytest.raises(WorkspaceError, match=f"{folder / name}: others can write it"):
        Workspace.open(folder, create=False)


def test_a_workspace_file_others_can_only_read_is_still_made_owner_only(tmp_path):
    folder = _workspace(tmp_path / "ws")
    os.chmod(folder / "workspace.db", 0o644)
    with Workspace.open(folder, create=False):
        pass
    assert oct(os.stat(folder / "workspace.db").st_mode & 0o777) == "0o600"


@as_root
@pytest.mark.parametrize("name", ["workspace.db", "workspace.db-wal"])
def test_a_workspace_file_of_another_account_is_refused_clearly(tmp_path, name):
    """A workspace shared through a group: a file another account's process made there (or the database of the
    account that made the workspace) is theirs, not owner-only for this one, and its records could be theirs."""
    folder = _workspace(tmp_path / "ws")
    (folder / name).touch()
    os.chown(folder / name, OTHER_UID, -1)
    done = run_cli("status", "-w", str(folder))
    assert done.returncode == 2, done.stderr
    assert f"{folder / name}: belongs to another account (uid {OTHER_UID})" in done.stderr
    assert "one account's" in done.stderr and "Traceback" not in done.stderr


def test_a_workspace_the_disk_cannot_take_is_a_one_line_error_and_keeps_what_it_held(tmp_path):
    """A full disk (or a quota, a file size limit) under the workspace ended an import in a traceback, exit 1
    (sqlite3.OperationalError: database or disk is full)."""
    import resource

    folder = _workspace(tmp_path / "ws")
    notes = tmp_path / "many.jsonl"
    notes.write_text("".join(f'{{"note_id": "m{i}", "text": "Visit {i} done; risk discussed at length."}}\n'
                             for i in range(3000)), encoding="utf-8")
    limit = 64 * 1024  # far less than the import's share of the write-ahead log

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = run_cli("import", str(notes), "-w", str(folder), preexec_fn=small_disk)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {folder / 'workspace.db'}: cannot write (")
    assert "nothing was written" in done.stderr
    assert "Traceback" not in done.stderr and "risk discussed" not in done.stderr
    with Workspace.open(folder, create=False) as ws:
        assert ws.note_ids() == ["n1"]


@as_root
def test_an_output_through_a_link_of_another_accounts_is_refused(tmp_path):
    """'-o' follows a link of the user's own to the file it names; one another account put in a shared folder
    under the name the user writes to would send the output (note text) to a file of its choosing. casereview
    follows links itself, so the kernel's protection (fs.protected_symlinks, in /tmp) did not apply either."""
    folder = _workspace(tmp_path / "ws")
    mine = tmp_path / "home" / "keep.md"
    mine.parent.mkdir()
    mine.write_text("mine\n")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "report.md").symlink_to(mine)
    os.chown(shared / "report.md", OTHER_UID, OTHER_UID, follow_symlinks=False)
    done = run_cli("report", "-w", str(folder), "-o", str(shared / "report.md"))
    assert done.returncode == 2
    assert f"{shared / 'report.md'}: is a link of another account's (uid {OTHER_UID})" in done.stderr
    assert mine.read_text() == "mine\n" and sorted(p.name for p in mine.parent.iterdir()) == ["keep.md"]
