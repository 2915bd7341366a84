"""A consistent copy of a workspace, taken while others may be reviewing in it.

Copying the folder with ``cp`` is not a backup of a workspace in use: SQLite keeps the latest decisions in the
``-wal`` file beside the database until a checkpoint, so a copy of ``workspace.db`` alone lacks them, and one
taken while a reviewer saves can hold half a transaction. SQLite's online backup copies the database as one
transaction sees it: every decision committed before it began, nothing after. The retrained models the
workspace registers are copied beside it (checked against their registered hashes), so the copy opens as a
workspace of its own (``--workspace DEST``) with its models, which the registry records relative to it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CaseReviewError, WorkspaceNotice
from .files import new_private_file, private_folder, why_not_written
from .folder_swap import stop_here_if_asked
from .model_files import MODEL_FILE, sha256_file
from .staging import remove_left_behind, staging_folder
from .workspace import CANNOT_WRITE, DB_NAME, ModelRecord, Workspace


@dataclass(frozen=True)
class BackupSummary:
    folder: Path
    notes: int
    decisions: int
    bytes: int
    #: retrained models copied with their folders (relative to the workspace)
    models_copied: list[str] = field(default_factory=list)
    #: models registered from outside the workspace (the shipped one comes with casereview): not copied
    models_elsewhere: list[str] = field(default_factory=list)
    #: version -> why its file is not as registered (missing; changed): copied as found, refused as in the original
    model_problems: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"folder": str(self.folder), "notes": self.notes, "decisions": self.decisions, "bytes": self.bytes,
                "models_copied": self.models_copied, "models_elsewhere": self.models_elsewhere,
                "model_problems": self.model_problems}


def backup(workspace: Workspace, destination: str | os.PathLike, copied_through: int | None = None) -> BackupSummary:
    """Copy ``workspace`` into the new folder ``destination`` (owner-only), or raise CaseReviewError.

    ``copied_through``: ``workspace`` is a folder copied from another with cp, keeping its id (as casereview let a
    copy do before copies took ids of their own when opened), and its decisions after that id were made in it, not
    in the other: the backup knows them as its own (``merge`` refuses them from the copy, as claiming another's id).

    The copy is made in a hidden folder beside ``destination`` and renamed to it once complete, so a failure
    midway (a full disk, Ctrl-C) leaves no folder that looks like a backup.
    """
    destination = Path(destination)
    last = workspace.decision_log_position()
    if copied_through is not None and not 0 <= copied_through <= last:
        raise CaseReviewError(f"--copied-through {copied_through}: not a decision of this workspace (its log ends at "
                              f"{last})")
    if os.path.lexists(destination):
        raise CaseReviewError(f"{destination}: already exists; a backup is written to a new folder")
    if destination.resolve().is_relative_to(workspace.path.resolve()):
        raise CaseReviewError(f"{destination}: is inside the workspace {workspace.path}; back it up elsewhere")
    for notice in remove_left_behind(destination):  # an earlier backup's to here, killed while copying
        warnings.warn(notice, WorkspaceNotice, stacklevel=2)
    with staging_folder(destination) as staging:
        notes, decisions = _copy_database(workspace, staging.path / DB_NAME, destination, copied_through)
        stop_here_if_asked("copying")
        copied, elsewhere, problems = copy_models(workspace.models(), workspace.path, workspace.path, staging.path,
                                                  destination)
        size = folder_size(staging.path)
        os.rename(staging.path, destination)
    return BackupSummary(destination, notes, decisions, size, copied, elsewhere, problems)


def _copy_database(workspace: Workspace, path: Path, shown: Path, copied_through: int | None) -> tuple[int, int]:
    """The workspace's database copied to ``path`` (made owner-only first) and checked; its notes and decisions."""
    target = sqlite3.connect(new_private_file(path), isolation_level=None)
    try:
        check, notes, decisions = workspace.copy_database(target, copied_through)
        if check != "ok":
            raise CaseReviewError(f"{shown}: the copied database failed SQLite's check ({check}); nothing was kept")
        return notes, decisions
    except sqlite3.OperationalError as e:
        if e.sqlite_errorcode & 0xFF in CANNOT_WRITE:
            raise CaseReviewError(f"{shown}: cannot write ({why_not_written(e, shown)}); nothing was kept") from None
        raise
    finally:
        target.close()


def folder_size(folder: Path) -> int:
    """The bytes of the files in ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def copy_models(models: list[ModelRecord], home: Path, source: Path, staging: Path,
                written: Path) -> tuple[list[str], list[str], dict[str, str]]:
    """Each of ``models`` registered inside the workspace at ``home`` copied from the same place under ``source``
    (``home`` itself for a backup; a backup, for the copy of it ``restore`` makes at ``home``) to the same place under
    ``staging``, and checked against its hash: the folders copied (relative), the versions registered elsewhere
    (not copied), and why a version's file is not as registered (missing, changed, unreadable: named, not
    failing, as the decisions are what a copy keeps). A folder that cannot be written is named as under ``written``,
    where the copy is going."""
    home = home.resolve()
    copied, elsewhere, problems = [], [], {}
    for model in models:
        registered = Path(model.path).resolve()
        if not registered.is_relative_to(home):
            elsewhere.append(model.version)
            continue
        relative = registered.relative_to(home)
        folder = source / relative
        model_file = folder / MODEL_FILE
        if not model_file.is_file():
            problems[model.version] = "model file missing"
            continue
        target = staging / relative
        if str(relative) not in copied:  # two versions trained into one folder in turn: it holds one file, copied once
            unreadable = _copy_folder(folder, private_folder(target, lambda entry: False), written / relative)
            if unreadable is not None:  # a disk error: the decisions are copied all the same, the model named
                problems[model.version] = f"model file cannot be read ({unreadable})"
                continue
            copied.append(str(relative))
        if sha256_file(target / MODEL_FILE) != model.sha256:
            problems[model.version] = "model file changed since it was registered (refused when loaded, as there)"
    return copied, elsewhere, problems


class _Unwritable(Exception):
    """A copy's write failed (a full disk): its OSError is the cause."""


def _copy_folder(folder: Path, target: Path, written: Path) -> str | None:
    """A model folder's files copied, owner-only, into ``target`` (named ``written`` if one cannot be written there);
    None, or why they could not be read (``target`` is removed then)."""
    try:
        for entry in folder.iterdir():
            # the files a save writes; a link is not followed, what it leads to being no part of the model, but to the
            # model file itself (its hash tells whether it is the one registered)
            if entry.is_file() and (entry.name == MODEL_FILE or not entry.is_symlink()):
                _copy_private(entry, target / entry.name)
    except _Unwritable as e:
        raise CaseReviewError(f"{written}: cannot copy the model there ({e.__cause__.strerror}); "
                              "nothing was kept") from None
    except OSError as e:
        shutil.rmtree(target)
        return e.strerror
    return None


def _copy_private(source: Path, target: Path) -> None:
    with open(source, "rb") as src:
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except OSError as e:
            raise _Unwritable from e
        try:
            while chunk := src.read(1 << 20):
                rest = memoryview(chunk)
                while rest:  # a write may take part of it
                    rest = rest[_written(fd, rest):]
        finally:
            os.close(fd)


def _written(fd: int, data: memoryview) -> int:
    try:
        return os.write(fd, data)
    except OSError as e:
        raise _Unwritable from e
