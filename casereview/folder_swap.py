"""A workspace folder replaced by another (``restore --replace``), so that a crash at any point loses neither and
leaves a workspace at its place, or tells the next command to open it how to finish.

Where the system can (Linux's ``renameat2`` with ``RENAME_EXCHANGE``), the two folders swap places in one step: the
workspace's place holds the one or the other, never nothing; the one replaced, now at the restored copy's hidden
name, is then renamed to its dated folder. Elsewhere (another system, a file system that cannot exchange) the one
there is renamed aside and the restored copy into its place, and between the two the place is empty.

Before the swap a file, ``SWAP_FILE``, is written into the restored copy naming its hidden folder and the dated one;
it goes where the copy goes, and is removed once both renames are done. So whoever finds it knows which step was
last: in the workspace's place, the swap was made and the folder replaced may still be at the hidden name (moved
to the dated one now); in a hidden folder beside an empty place, the workspace there was moved aside and the copy
not yet put in place (put there now). :func:`finish_interrupted_swap` does either, as any command opens the
workspace (and ``restore`` before it looks at the place), under the folder lock that tells a restore still running
from one killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import WorkspaceError
from .workspace_lock import SWAP_WAIT_S, FolderLock, unused

SWAP_FILE = ".restore-swap.json"
#: written into the workspace a swap replaces, naming its dated folder: wherever a kill leaves it (the copy's hidden
#: name, its place emptied since), it is known as a workspace, and never removed as a partial copy (``staging``)
REPLACED_FILE = ".restore-replaced.json"
#: a test's hook, comma-separated: "two-renames" swaps as where the system cannot exchange two folders;
#: "killed-midway" ends the process (SIGKILL, as a power cut would) between the swap's two steps, "interrupted-midway"
#: sends it SIGINT there (Ctrl-C), "terminated-midway" SIGTERM; "killed-copying" SIGKILLs a restore or backup once
#: its hidden copy holds the database, "killed-swapping" a restore once the swap file is written, before the swap
TEST_HOOK = "CASEREVIEW_SWAP_TEST"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def swap_in(copy: Path, place: Path, aside: Path, copy_lock: FolderLock | None) -> None:
    """The workspace at ``place`` replaced by the folder ``copy`` (beside it), the one replaced left at ``aside`` (a
    new empty folder beside it). The caller holds ``place``'s folder exclusively (``workspace_lock.not_in_use``) and
    ``copy`` shared (``copy_lock``, made exclusive here: a command opening the place meanwhile waits, not taking the
    swap for a killed one); raises OSError, having changed nothing, if the first step fails."""
    _write_synced(copy / SWAP_FILE, json.dumps({"copy": copy.name, "aside": aside.name}).encode())
    _synced(copy)
    stop_here_if_asked("swapping")
    if copy_lock is None or not copy_lock.make_exclusive():  # only this restore opens its hidden copy
        raise OSError(errno.EBUSY, "in use", str(copy))
    _write_synced(place / REPLACED_FILE, json.dumps({"aside": aside.name}).encode())
    try:
        _swapped(copy, place, aside)
    except BaseException:
        with contextlib.suppress(OSError):
            (place / REPLACED_FILE).unlink()  # back where it was
        raise
    (place / SWAP_FILE).unlink()
    (aside / REPLACED_FILE).unlink()
    _synced(place.parent)


def _swapped(copy: Path, place: Path, aside: Path) -> None:
    if _exchanged(copy, place):
        stop_here_if_asked("midway")
        try:
            os.rename(copy, aside)  # the folder replaced, now at the copy's hidden name, onto its empty dated one
        except OSError:
            _exchanged(copy, place)  # back as they were: the caller removes its copy
            raise
    else:
        os.rename(place, aside)
        stop_here_if_asked("midway")
        try:
            os.rename(copy, place)
        except BaseException:  # Ctrl-C too, where it cannot be held off (a thread): the place is not left empty
            os.rename(aside, place)
            raise


#: what ends a command as it runs: Ctrl-C, ``kill``, a terminal closed
STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def signals_held() -> Iterator[list[int]]:
    """Ctrl-C, ``kill`` (SIGTERM) and a hang-up held off while the block runs (a swap: a few renames), then acted
    on as they would have been; the block is given the list of those that came meanwhile. A signal that came
    between a swap's steps left the workspace's place empty (two renames) or the folder replaced at a hidden name,
    and the swap file in the restored one, until the next command. Only the main thread can: elsewhere nothing is
    held (SIGKILL cannot be either: the next command finishes the swap)."""
    if threading.current_thread() is not threading.main_thread():
        yield []
        return
    came: list[int] = []
    before = {signum: signal.signal(signum, lambda signum, frame: came.append(signum)) for signum in STOPPING_SIGNALS}
    try:
        yield came
    finally:
        for signum, handler in before.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(came):
            signal.raise_signal(signum)


def finish_interrupted_swap(place: Path) -> str | None:
    """Finish a swap into ``place`` a killed process left half done (above); what was done, for the user to be
    told, or None if there was none. A swap still running (its copy's folder locked) is waited for."""
    deadline = time.monotonic() + SWAP_WAIT_S
    while True:
        marker = place / SWAP_FILE if _holds_anything(place) else _copy_waiting_for(place)
        if marker is None or not marker.exists():
            return None
        lock = unused(marker.parent)
        if lock is not None:
            with contextlib.closing(lock):
                return _finished(marker, place)
        if time.monotonic() > deadline:  # a restore stopped (Ctrl-Z) midway: the opener's lock wait says so
            return None
        time.sleep(0.02)


def _finished(marker: Path, place: Path) -> str | None:
    try:
        names = json.loads(marker.read_text(encoding="utf-8"))
    except FileNotFoundError:  # the swap finished while we waited for its lock
        return None
    copy, aside = place.with_name(names["copy"]), place.with_name(names["aside"])
    try:
        return _finish(marker, place, copy, aside)
    except OSError as e:
        raise WorkspaceError(
            f"{place}: a restore was stopped while swapping the restored workspace in, and the swap cannot be "
            f"finished ({e.strerror}: {e.filename}); nothing is lost: each workspace is whole, in {place}, {copy} or "
            f"{aside}: move the one you want to {place}") from None


def _finish(marker: Path, place: Path, copy: Path, aside: Path) -> str | None:
    if marker.parent == place:  # swapped in one step; the folder replaced may be left at the copy's name
        if copy.is_dir():
            os.rename(copy, aside)
            done = (f"{place}: a restore was stopped between swapping the restored workspace into place and moving "
                    f"the one it replaced to {aside}: it is moved there now")
        else:
            done = None
    elif _holds_anything(aside):  # the workspace there moved aside, the restored copy not yet in its place
        os.rename(marker.parent, place)
        done = (f"{place}: a restore was stopped between moving the workspace that was there to {aside} and putting "
                f"the restored one in its place: it is in place now")
    else:  # stopped before the swap, and the workspace there removed since: the restored one is the one left
        os.rename(marker.parent, place)  # over an empty folder too
        with contextlib.suppress(OSError):
            os.rmdir(aside)  # made for the workspace replaced; empty
        done = (f"{place}: a restore was stopped before it swapped the restored workspace in, and the workspace that "
                f"was there has been removed since: the restored one is put in its place now")
    (place / SWAP_FILE).unlink()
    with contextlib.suppress(FileNotFoundError):
        (aside / REPLACED_FILE).unlink()
    return done


def _holds_anything(folder: Path) -> bool:
    """Whether ``folder`` is a folder with something in it (a workspace's place emptied is as good as gone)."""
    try:
        return folder.is_dir() and any(folder.iterdir())
    except OSError:  # cannot be listed: taken as holding what it held
        return True


def bring_hidden_into_view(place: Path) -> list[str]:
    """Whole workspaces a restore killed midway left at hidden names beside ``place`` (``.NAME.<random>.part``) that
    no swap file there accounts for, each moved to a folder beside it that commands show, and said: nothing deleted.
    A restored copy whose swap never began, ``place`` holding the workspace that was there: renamed to a dated
    folder (``NAME.restored-<UTC time>``), whole and checked (maybe the only copy of a backup removed since); the
    folder made for the workspace it would have replaced, empty, removed. The workspace a swap replaced, left at the
    copy's name while ``place`` was emptied since: moved to the dated folder made for it."""
    if (place / SWAP_FILE).exists():
        return []
    done = []
    for folder in sorted(place.parent.glob(f".{place.name}.*.part")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        lock = unused(folder)
        if lock is None:  # a restore still filling or swapping it
            continue
        with contextlib.closing(lock):
            if (folder / SWAP_FILE).is_file() and _holds_anything(place):
                done.append(_kept_restored(folder, place))
            elif (folder / REPLACED_FILE).is_file() and not (folder / SWAP_FILE).exists():
                done.append(_moved_aside(folder, place))
    return [line for line in done if line]


def _kept_restored(folder: Path, place: Path) -> str:
    aside = _named_in(folder / SWAP_FILE, place, "aside")
    restored = dated_folder(place, "restored")
    os.rename(folder, restored)  # onto the new empty folder
    (restored / SWAP_FILE).unlink()
    with contextlib.suppress(OSError):
        os.rmdir(aside)  # made for the workspace the swap would have replaced, and empty
    with contextlib.suppress(FileNotFoundError):
        (place / REPLACED_FILE).unlink()  # it was not
    return (f"{place}: a restore was stopped (killed) before it swapped the restored workspace in: {place} is the "
            f"workspace that was there, and the restored one is kept, owner-only, in {restored} (casereview restore "
            f"{restored} --replace -w {place} finishes the restore; else delete it: it holds case notes)")


def _moved_aside(folder: Path, place: Path) -> str:
    aside = _named_in(folder / REPLACED_FILE, place, "aside")
    if aside.is_dir() and any(aside.iterdir()):
        aside = dated_folder(place, "before-restore")
    os.rename(folder, aside)  # onto its empty dated folder, or where it was not made
    (aside / REPLACED_FILE).unlink()
    return (f"{place}: a restore was stopped (killed) before moving the workspace it replaced to its dated folder, "
            f"and {place} was emptied since: the workspace replaced is moved to {aside} now")


def _named_in(marker: Path, place: Path, key: str) -> Path:
    return place.with_name(json.loads(marker.read_text(encoding="utf-8"))[key])


def dated_folder(target: Path, what: str) -> Path:
    """A new, empty, owner-only folder beside ``target`` named for it, ``what`` it holds and the time (UTC):
    ``NAME.WHAT-<UTC time>``, for a folder to be renamed onto."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for attempt in range(1, 100):
        folder = target.with_name(f"{target.name}.{what}-{stamp}{'' if attempt == 1 else f'-{attempt}'}")
        try:
            os.mkdir(folder, 0o700)
            return folder
        except FileExistsError:
            continue
        except OSError as e:
            raise WorkspaceError(f"{folder}: cannot make the folder ({e.strerror})") from None
    raise WorkspaceError(f"{target}: too many folders named {what} at {stamp}")


def _copy_waiting_for(place: Path) -> Path | None:
    """The swap file of a restored copy beside the empty ``place``: one whose swap was stopped after moving the
    workspace there aside, else one stopped before its first step."""
    waiting = None
    for folder in sorted(place.parent.glob(f".{place.name}.*.part")):
        try:
            aside = place.with_name(json.loads((folder / SWAP_FILE).read_text(encoding="utf-8"))["aside"])
        except (OSError, ValueError, KeyError):  # none: a copy being made, or one a restore killed then left
            continue
        if _holds_anything(aside):
            return folder / SWAP_FILE
        waiting = waiting or folder / SWAP_FILE  # stopped before the swap, the place emptied since: put in place
    return waiting


def _exchanged(a: Path, b: Path) -> bool:
    """``a`` and ``b`` swapped in one step; False if this system or file system cannot (nothing is changed then)."""
    if "two-renames" in os.environ.get(TEST_HOOK, ""):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)  # glibc 2.28+
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # the file system cannot: the two renames will do
        return False
    raise OSError(code, os.strerror(code), str(b))


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def stop_here_if_asked(step: str) -> None:
    """The signal the test hook names for ``step`` sent to this process, as a kill or Ctrl-C would come there."""
    hooks = os.environ.get(TEST_HOOK, "").split(",")
    for how, signum in (("killed", signal.SIGKILL), ("interrupted", signal.SIGINT), ("terminated", signal.SIGTERM)):
        if f"{how}-{step}" in hooks:
            os.kill(os.getpid(), signum)


def _synced(folder: Path) -> None:
    """What was written in ``folder`` (its names included) on the disk, so a power cut keeps the swap file with it."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
