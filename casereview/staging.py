"""The hidden folder a backup or a restore fills beside the folder it makes (``.NAME.<random>.part``), and the ones
such a command left there when it was killed while filling them. A merge stages a file's rows in one inside the
workspace (``.merging.<random>.part``, ``workspace._Staged``), removed the same way.

A backup or a restore copies into a hidden folder beside its destination and renames it into place only once it is
complete and checked, so a failure midway leaves no folder that looks like a workspace. Killed while copying
(SIGKILL, a power cut) it cannot remove it, and the folder, a partial copy of case notes, stayed there for good.
The command holds a shared lock (``flock``) on its folder from the moment it makes it until it is done, which the
system releases when the process ends, however it ends: a folder no one holds, not part of a swap (``folder_swap``),
is one left behind, and the next command to look there (``restore``, ``backup`` to the same place, any command
opening the workspace) removes it and says so. What it was copied from is untouched: nothing is lost.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .files import check_output_folder, hidden_beside, private_folder
from .folder_swap import REPLACED_FILE, SWAP_FILE, bring_hidden_into_view, finish_interrupted_swap
from .workspace_lock import FolderLock, held_while_filled, unused


@dataclass(frozen=True)
class Staging:
    """A hidden folder being filled, and the shared lock that tells it is (None where the disk cannot lock)."""

    path: Path
    lock: FolderLock | None


@contextlib.contextmanager
def staging_folder(place: Path) -> Iterator[Staging]:
    """A new owner-only folder beside ``place`` (``.NAME.<random>.part``, on its disk), held while the block runs;
    removed if the block fails while it is still there, and not if what is at its name is another folder (a swap
    interrupted once the folder replaced had taken its name, ``folder_swap``)."""
    parent = private_folder(check_output_folder(place.parent), lambda entry: False)
    folder = Path(tempfile.mkdtemp(prefix=f".{place.name}.", suffix=".part", dir=parent))  # 0700
    lock = held_while_filled(folder)
    made = folder.stat().st_ino
    try:
        yield Staging(folder, lock)
    except BaseException:
        with contextlib.suppress(OSError):
            if folder.stat().st_ino == made:
                shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        if lock is not None:
            lock.close()


#: what a folder :func:`remove_left_behind` removes was, by default
LEFT_BY_A_COPY = ("removed a partial copy that a backup or restore stopped while copying (killed) left behind; what it "
                  "was copying is untouched")


def remove_left_behind(place: Path, what: str = LEFT_BY_A_COPY) -> list[str]:
    """Remove each hidden folder beside ``place`` that a command killed while filling it left (a backup's or a
    restore's copy; ``what`` it was, said of each removed), for the user to be told. One being filled (held), one
    that is part of a swap (holding ``SWAP_FILE`` or ``REPLACED_FILE``, or any while ``place`` holds a swap file: the
    workspace replaced may be at such a name) and an empty one (made a moment ago, not held yet) are left alone."""
    if (place / SWAP_FILE).exists() or not place.parent.is_dir():
        return []
    hidden = hidden_beside(place)
    removed = []
    for folder in sorted(place.parent.iterdir()):
        if not hidden.fullmatch(folder.name) or folder.is_symlink() or not folder.is_dir():
            continue
        lock = unused(folder)
        if lock is None:  # a backup or restore filling it
            continue
        with contextlib.closing(lock):
            if ((folder / SWAP_FILE).exists() or (folder / REPLACED_FILE).exists() or folder.stat().st_uid != os.geteuid()
                    or not any(folder.iterdir())):
                continue
            shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(f"{folder}: {what}")
    return removed


def put_right(place: Path) -> list[str]:
    """What a backup or restore stopped midway left at or beside ``place``, put right: a swap finished
    (:func:`folder_swap.finish_interrupted_swap`), whole workspaces left at hidden names moved into view
    (:func:`folder_swap.bring_hidden_into_view`), then the partial copies removed; what was done."""
    finished = finish_interrupted_swap(place)
    return [*([] if finished is None else [finished]), *bring_hidden_into_view(place), *remove_left_behind(place)]
