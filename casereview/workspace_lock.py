"""Whether a workspace folder is in use: every open workspace holds a shared lock on its folder, which
``restore`` takes exclusively before it moves the folder aside.

SQLite's own locks cannot tell: a reviewer who has the review UI open holds none between saves. The lock is a
``flock`` on the folder itself (no file is added to the workspace, and a workspace only readable is locked alike);
the system releases it when its process ends, killed included, so a crashed command never leaves a workspace "in
use". A process waiting to open the folder while ``restore`` swaps it in finds, once it has the lock, that the
folder it locked was moved aside, and opens the one now in its place.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import WorkspaceInUseError, WorkspaceLockedError

SWAP_WAIT_S = 10.0  # longer than any swap takes (a rename or two): a restore stopped meanwhile (Ctrl-Z) is said


class FolderLock:
    """An open descriptor of a folder holding a lock on it, released by :meth:`close` (or as the process ends)."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def make_owner_only(self) -> None:
        """The locked folder made 0700, wherever it has been moved meanwhile."""
        if self._fd is not None:
            os.fchmod(self._fd, 0o700)

    def make_exclusive(self) -> bool:
        """The shared lock held made exclusive; False if another process holds the folder too (the system may
        drop the shared lock first: it is then not held at all)."""
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:  # a workspace never closed (a test's, a script's) lets its folder go when collected
        try:
            self.close()
        except Exception:  # at the interpreter's exit, os may be gone: the system releases the lock then anyway
            pass


def _locked(folder: Path, how: int) -> FolderLock | None:
    """``folder`` locked ``how`` (with LOCK_NB), its descriptor open; None if another process's lock stands in the
    way. Raises OSError if the folder cannot be opened or locked at all."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return FolderLock(fd)


def _same_folder(lock_fd: int, folder: Path) -> bool:
    """Whether ``folder`` is still the folder the descriptor was opened on (not moved aside meanwhile)."""
    try:
        here, locked = os.stat(folder), os.fstat(lock_fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (locked.st_dev, locked.st_ino)


def held_open(folder: Path) -> FolderLock | None:
    """The shared lock an open workspace holds on its folder until it is closed. A file system that cannot lock
    (or a folder that cannot be opened) gives None: the workspace opens, unguarded, as before there were locks."""
    deadline = time.monotonic() + SWAP_WAIT_S
    while True:
        try:
            lock = _locked(folder, fcntl.LOCK_SH)
        except OSError:
            return None
        if lock is not None:
            if _same_folder(lock._fd, folder):
                return lock
            lock.close()  # restore moved it aside while we waited: open the one in its place
        if time.monotonic() > deadline:
            raise WorkspaceLockedError(
                f"{folder}: 'casereview restore' held it for over {SWAP_WAIT_S:g} s while swapping in a backup "
                "(stopped with Ctrl-Z?); nothing was read or written; run again once it has ended")
        time.sleep(0.02)


def held_while_filled(folder: Path) -> FolderLock | None:
    """A shared lock on a hidden folder a backup or restore is filling (``staging``): while it is held no other
    process takes the folder for one left by a process killed while filling it. None if it cannot be locked."""
    try:
        return _locked(folder, fcntl.LOCK_SH)
    except OSError:
        return None


def unused(folder: Path) -> FolderLock | None:
    """``folder`` locked exclusively if no casereview process has it open (nor can open it until the lock is
    closed); None if one has, or it cannot be locked."""
    try:
        return _locked(folder, fcntl.LOCK_EX)
    except OSError:
        return None


@contextlib.contextmanager
def not_in_use(folder: Path) -> Iterator[FolderLock]:
    """``folder`` locked exclusively, so no casereview process has it open or can open it until the block ends;
    else :class:`WorkspaceInUseError`, naming it."""
    try:
        lock = _locked(folder, fcntl.LOCK_EX)
    except OSError as e:
        raise WorkspaceLockedError(f"{folder}: cannot tell whether it is in use, as it cannot be locked "
                                   f"({e.strerror}); nothing was changed") from None
    if lock is None:
        raise WorkspaceInUseError(
            f"{folder}: in use: the review UI or another casereview command has it open; close it (or let it "
            "finish) and run again; nothing was changed")
    try:
        yield lock
    finally:
        lock.close()
