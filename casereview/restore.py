"""A workspace brought back from a backup (``casereview restore``), the backup checked before anything is touched.

The backup is copied into a hidden folder beside the workspace's place and checked there, in the copy that is to be
put in place: its database by SQLite's online backup (the backup is only read) and SQLite's ``quick_check``, its
schema one this casereview opens (an older one is migrated there, as opening it would), and each retrained model it
registers copied and checked against its registered hash. A model file missing or changed in the backup is named
and the workspace restored as the backup has it, that model registered still (its file missing, or as found): the
decisions are what a restore is for, and the workspace that was backed up worked so (``status`` names the file,
and a command needing the model says how to go on), where refusing would leave them in a backup that no restore
takes. Only then is the workspace's place touched: a new or empty folder takes the copy by one rename; a workspace
there is replaced only when asked to, never while any casereview process has it open (``workspace_lock``), and it is
kept, whole, in a dated folder beside it (``folder_swap``: a crash midway leaves each workspace whole, and the next
command to open the place finishes the swap). A link at the place is followed: the workspace is restored where it
leads, the link kept.

The restored workspace takes a workspace id of its own, as a backup does (``Workspace.take_an_id_of_its_own``):
decisions made in it after the restore are told apart by ``merge`` from those the workspace it replaced made after
the backup, and from those made in the backup folder itself (a backup handed to a coder), which may have the same
decision ids.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sqlite3
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .backup import copy_models, folder_size
from .errors import CaseReviewError, WorkspaceNotice
from .files import new_private_file
from .folder_swap import dated_folder, signals_held, stop_here_if_asked, swap_in
from .staging import Staging, put_right, staging_folder
from .schema import SCHEMA_VERSION
from .workspace import DB_NAME, Workspace, copy_database_file, resolve_path
from .workspace_lock import not_in_use, unused

NOTHING_CHANGED = "nothing was changed"


@dataclass(frozen=True)
class RestoreSummary:
    backup: Path
    workspace: Path
    notes: int
    decisions: int
    bytes: int
    workspace_id: str  # the restored workspace's own
    #: where the workspace that was there is kept (``--replace``), else None
    replaced: Path | None = None
    #: the backup's schema version, if older than this casereview's (the restored workspace is migrated)
    migrated_from: int | None = None
    #: retrained models' folders copied (relative to the workspace)
    models_copied: list[str] = field(default_factory=list)
    #: models registered from outside the workspace (the shipped one comes with casereview): no part of a backup
    models_elsewhere: list[str] = field(default_factory=list)
    #: version -> why its file in the backup is not as registered (missing, changed, unreadable): the workspace is
    #: restored with it registered as it was, its file missing or as found, as in the workspace backed up
    model_problems: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"backup": str(self.backup), "workspace": str(self.workspace), "notes": self.notes,
                "decisions": self.decisions, "bytes": self.bytes, "workspace_id": self.workspace_id,
                "replaced": None if self.replaced is None else str(self.replaced),
                "migrated_from": self.migrated_from, "models_copied": self.models_copied,
                "models_elsewhere": self.models_elsewhere, "model_problems": self.model_problems}


def restore(backup: str | os.PathLike, workspace: str | os.PathLike | None = None,
            replace: bool = False) -> RestoreSummary:
    """Restore the backup folder ``backup`` (``casereview backup``'s, or any workspace folder) as the workspace at
    ``workspace`` (resolved as :meth:`Workspace.open` does); raise CaseReviewError, having changed nothing, if the
    backup fails a check, or a workspace is there and ``replace`` is not given, or it is in use."""
    source, target = Path(backup), resolve_path(workspace)
    if target.is_symlink():  # restored where the link leads, on its disk, the link kept: not replaced by a folder
        target = target.resolve()
    for notice in put_right(target):  # an earlier restore's, killed midway
        warnings.warn(notice, WorkspaceNotice, stacklevel=2)
    _check_backup(source, target)
    _check_place(target, replace)  # before copying what may be gigabytes: said at once
    with staging_folder(target) as staging:
        summary = _staged(source, staging.path, target)
        replaced = _put_in_place(staging, target, replace)
    for notice in summary.migration_notices:  # said of the workspace restored, not of the hidden folder
        warnings.warn(f"{target / DB_NAME}: {notice}", WorkspaceNotice, stacklevel=2)
    return RestoreSummary(source, target, summary.notes, summary.decisions, summary.bytes, summary.workspace_id,
                          replaced, summary.migrated_from, summary.models_copied, summary.models_elsewhere,
                          summary.model_problems)


def _check_backup(source: Path, target: Path) -> None:
    if not source.is_dir():
        raise CaseReviewError(f"{source}: {'is a file, not' if source.exists() else 'no such folder:'} a backup "
                              f"folder; {NOTHING_CHANGED}")
    if not (source / DB_NAME).is_file():
        raise CaseReviewError(f"{source}: holds no {DB_NAME}, so it is not a backup of a workspace; {NOTHING_CHANGED}")
    if os.path.lexists(target) and os.path.samefile(source, target):
        raise CaseReviewError(f"{target}: is the backup itself; {NOTHING_CHANGED}")
    if target.resolve().is_relative_to(source.resolve()):
        raise CaseReviewError(f"{target}: is inside the backup {source}; restore it elsewhere; {NOTHING_CHANGED}")


def _check_place(target: Path, replace: bool) -> None:
    """Refuse a place a workspace cannot be restored to: a file, a folder holding other things, a workspace unless
    ``replace``, a workspace in use."""
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise CaseReviewError(f"{target}: is a file, not a workspace folder; {NOTHING_CHANGED}")
    if not Workspace.exists(target):
        if any(target.iterdir()):
            raise CaseReviewError(f"{target}: holds files but no workspace ({DB_NAME}); restore into a new folder; "
                                  f"{NOTHING_CHANGED}")
        return
    if not replace:
        raise CaseReviewError(f"{target}: a workspace is there already; --replace restores over it, keeping it "
                              f"whole in a dated folder beside it first; {NOTHING_CHANGED}")
    with not_in_use(target):
        pass


@dataclass(frozen=True)
class _Staged:
    notes: int
    decisions: int
    bytes: int
    workspace_id: str
    migrated_from: int | None
    migration_notices: list[str]
    models_copied: list[str]
    models_elsewhere: list[str]
    model_problems: dict[str, str]


def _staged(source: Path, staging: Path, target: Path) -> _Staged:
    """The backup copied into ``staging`` and checked there, as the workspace it is to be at ``target``."""
    backup_db = source / DB_NAME
    staged_db = staging / DB_NAME
    copied = sqlite3.connect(new_private_file(staged_db), isolation_level=None)
    # a backup no one has open, its -wal file empty, is read as it is, leaving nothing beside it
    kept_still = unused(source)
    if kept_still is not None and _has_a_wal(backup_db):
        kept_still = kept_still.close()
    try:
        check, version = copy_database_file(backup_db, copied, target / DB_NAME, unchanging=kept_still is not None)
        stop_here_if_asked("copying")
    except CaseReviewError as e:
        raise CaseReviewError(f"{e}; {NOTHING_CHANGED}") from None
    finally:
        copied.close()
        if kept_still is not None:
            kept_still.close()
    if check != "ok":
        raise CaseReviewError(f"{backup_db}: fails SQLite's check ({check}); {NOTHING_CHANGED}")
    if version == 0:
        raise CaseReviewError(f"{backup_db}: not a casereview workspace (no schema version); {NOTHING_CHANGED}")
    if version > SCHEMA_VERSION:
        raise CaseReviewError(f"{backup_db}: schema version {version} is newer than this casereview "
                              f"({SCHEMA_VERSION}); upgrade casereview to restore it; {NOTHING_CHANGED}")
    with warnings.catch_warnings():  # a migration's notices are said once it is in place, naming it there
        warnings.simplefilter("ignore", WorkspaceNotice)
        opened = _open_staged(staging, backup_db)
    with opened as staged:
        notes, decisions = staged.take_an_id_of_its_own()
        # a model file missing or damaged in the backup holds no decision back: named, and restored as it was
        models, elsewhere, problems = copy_models(staged.models(), staging, source, staging, target)
        workspace_id, notices = staged.workspace_id, staged.migration_notices
    # closed: what its -wal file held is in the database, the -wal file gone, as the copy is put in place
    return _Staged(notes, decisions, folder_size(staging), workspace_id, version if version < SCHEMA_VERSION else None,
                   notices, models, elsewhere, problems)


def _has_a_wal(database: Path) -> bool:
    """Whether SQLite may hold some of ``database`` in its -wal file (a workspace open, or one its last user did
    not close: killed)."""
    try:
        return Path(f"{database}-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


def _open_staged(staging: Path, shown: Path) -> Workspace:
    try:
        return Workspace.open(staging, create=False)
    except CaseReviewError as e:  # a migration this casereview could not run on it
        raise CaseReviewError(f"{shown}: cannot be opened by this casereview "
                              f"({str(e).removeprefix(f'{staging / DB_NAME}: ')}); {NOTHING_CHANGED}") from None


def _put_in_place(staging: Staging, target: Path, replace: bool) -> Path | None:
    """The restored workspace renamed to ``target``; the workspace there before, with ``replace``, first moved aside
    (returned), under the lock that tells no casereview process has it open."""
    if not (replace and Workspace.exists(target)):
        try:
            os.rename(staging.path, target)  # a new folder, or an empty one (replaced by the rename)
        except OSError as e:
            raise _cannot_restore_there(target, e) from None
        return None
    # Ctrl-C or a kill between the swap's steps would leave the place empty, or the folder replaced at the hidden
    # name, until the next command: they wait the few renames, then stop the command, the swap done and said so
    with not_in_use(target) as lock, signals_held() as came:
        try:
            aside = dated_folder(target, "before-restore")
        except CaseReviewError as e:
            raise CaseReviewError(f"{e}; {NOTHING_CHANGED}") from None
        try:
            swap_in(staging.path, target, aside, staging.lock)
        except OSError as e:
            with contextlib.suppress(OSError):  # gone if put back where it was; never removed holding anything
                os.rmdir(aside)
            raise _cannot_restore_there(target, e) from None
        lock.make_owner_only()  # the folder moved aside, whatever it allowed before: it holds case notes
        if came:
            warnings.warn(f"{target}: restored, and then stopped ({signal.Signals(came[0]).name}), which came while "
                          f"the restored workspace was being swapped in; the workspace that was there is kept, "
                          f"owner-only, in {aside}", WorkspaceNotice, stacklevel=3)
    return aside


def _cannot_restore_there(target: Path, e: OSError) -> CaseReviewError:
    # a folder another file system is mounted on cannot be renamed, nor another disk's folder renamed onto it
    hint = ("another file system is mounted there: restore into a folder inside it; "
            if e.errno in (errno.EBUSY, errno.EXDEV) else "")
    return CaseReviewError(f"{target}: cannot restore there ({e.strerror}); {hint}{NOTHING_CHANGED}")
