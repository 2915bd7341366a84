"""Saves into a workspace's models folder, and the folders of saves a killed process left behind.

A retrain saves its model in a hidden folder, ``models/.<version>.<random>``, renamed to ``models/<version>``
once whole. A process killed during the save (kill -9, a power cut) leaves that folder, a model's worth of
bytes. Whose it is cannot be told from the folder itself (a process id may be another process's after a
reboot or in another container sharing the workspace, and a save has no time limit: a retrain may be
stopped with Ctrl-Z), so every save holds a shared lock on ``models/.saving.lock`` from before its folder
exists until after it is gone; the kernel releases a killed process's lock. Whoever holds that lock
exclusively knows that no save is running: every such folder then is a leftover.

A save ends by renaming its folder to ``models/<version>`` and registering the version, in one SQLite transaction,
still under the shared lock; a process killed between the two leaves ``models/<version>`` unregistered (the
transaction rolls back, the rename does not). Such a folder, named as a retrain names its model and registered by
no version, is a leftover too: whoever holds the lock exclusively and then reads the registry knows no save is between
the two. Removing it loses nothing: the same training data retrains the same model under the same version.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model_files import VERSION_NAME
from .wording import size

LOCK_FILE = ".saving.lock"
#: what ``tempfile.mkdtemp(prefix=f".{version}.")`` names: the version, then 8 random letters, digits or _
SAVING_FOLDER = re.compile(rf"\.(?:{VERSION_NAME.pattern})\.[a-z0-9_]{{8}}")
#: the version 'retrain' gives its model, ``local-<decision-log position>-<digest>`` (``learning.retrain``): a
#: folder so named that no version is registered in was placed by a retrain killed before it registered it
RETRAINED_VERSION = re.compile(r"local-[0-9]+-[0-9a-f]{8}")


@dataclass(frozen=True)
class UnfinishedSave:
    """A folder a model is being saved in, or was when its process was killed."""

    path: Path
    bytes: int
    never_registered: bool = False  # renamed to models/<version>, its registration never committed

    def as_json(self) -> dict:
        return {"folder": str(self.path), "bytes": self.bytes, "never_registered": self.never_registered}


@contextlib.contextmanager
def _lock(models_dir: Path, how: int) -> Iterator[bool]:
    """``models_dir``'s save lock, taken ``how`` (``fcntl.LOCK_SH``/``LOCK_EX``, ``| LOCK_NB``: False if busy)."""
    fd = os.open(models_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, how)
        except BlockingIOError:
            held = False
        else:
            held = True
        yield held
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def saving_folder(models_dir: Path, version: str) -> Iterator[Path]:
    """A new private folder in ``models_dir`` to save ``version`` in, held as a save in progress; whatever is
    still in it on leaving (nothing, once renamed to the version's folder) is removed."""
    with _lock(models_dir, fcntl.LOCK_SH):
        folder = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=models_dir))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def unfinished_saves(models_dir: Path, registered: Collection[str]) -> list[UnfinishedSave]:
    """The save folders in ``models_dir``: saves in progress, or left by processes killed while saving; and the
    folders named as a retrained version that no version in ``registered`` (the registry's) is."""
    if not models_dir.is_dir():
        return []
    found = []
    for entry in sorted(models_dir.iterdir()):
        placed = RETRAINED_VERSION.fullmatch(entry.name) is not None and entry.name not in registered
        if (placed or SAVING_FOLDER.fullmatch(entry.name)) and entry.is_dir() and not entry.is_symlink():
            found.append(UnfinishedSave(entry, _size(entry), never_registered=placed))
    return found


def _size(folder: Path) -> int:
    """The bytes of the files in ``folder`` (a save in progress may rename or remove some meanwhile)."""
    size = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                size += os.lstat(os.path.join(root, name)).st_size
    return size


def remove_leftover_saves(models_dir: Path, registered: Callable[[], Collection[str]]) -> list[UnfinishedSave]:
    """Remove the save folders no running save owns, and return them; while a save runs, none (its folder cannot
    be told from the others: they wait for the next call). ``registered`` reads the registry's versions: it is
    read again once no save can be between placing its folder and registering it."""
    if not unfinished_saves(models_dir, registered()):
        return []
    try:
        with _lock(models_dir, fcntl.LOCK_EX | fcntl.LOCK_NB) as no_save_running:
            if not no_save_running:
                return []
            leftovers = unfinished_saves(models_dir, registered())  # read again under the lock
            for leftover in leftovers:
                shutil.rmtree(leftover.path, ignore_errors=True)
            return leftovers
    except OSError:  # a models folder this user cannot write: nothing can be removed, nothing is lost
        return []


def describe(saves: list[UnfinishedSave]) -> str:
    """'.local-12-3fa2c1d0.k2j4h5g6 (3.5 MB), local-9-0a1b2c3d (12 MB, never registered)': each folder's name and
    size."""
    return ", ".join(f"{s.path.name} ({size(s.bytes)}{', never registered' if s.never_registered else ''})"
                     for s in saves)
