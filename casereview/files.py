"""Files the tool reads and writes: inputs checked up front, outputs owner-only and in place only once complete."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
import resource
import stat
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from .errors import CaseReviewError, WorkspaceNotice
from .wording import count


def home_shortened(path: Path) -> str:
    """``path`` resolved, as a report shows it: a folder under the user's home from ``~``, so that a report sent on
    gives where its workspace is without the account it was made in (/home/<login>/...)."""
    path, home = path.resolve(), Path.home().resolve()
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) and path != home else str(path)


def check_input_file(path: str | os.PathLike) -> Path:
    """``path`` if it is a readable file of text; else a one-line error (missing, a folder, unreadable, or a
    compressed file or a workbook: :func:`check_text_stream`)."""
    path = Path(path)
    if not path.exists():
        raise CaseReviewError(f"{path}: no such file")
    if path.is_dir():
        raise CaseReviewError(f"{path}: is a folder, not a file")
    if not os.access(path, os.R_OK):
        raise CaseReviewError(f"{path}: not readable (permission denied)")
    if path.is_file():  # a pipe (<(zcat notes.gz)) is not read ahead: the bytes read would be gone
        with open(path, "rb") as fh:
            check_text_stream(fh, str(path))
    return path


#: What a file is, by the bytes it starts with, when it is no text at all; what to do about it. Said instead of
#: what reading it as text would say ("bad JSON at column 1", "not UTF-8: the file may be Windows-1252").
NOT_TEXT = (
    (b"\x1f\x8b", "compressed with gzip; decompress it first (gunzip)"),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook is one), not text; save the sheet from Excel as "
                     "'CSV UTF-8', or unzip the archive first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls) or another Office file, not text; "
                                            "save the sheet from Excel as 'CSV UTF-8'"),
    (b"%PDF-", "a PDF document, not text"),
)


def check_text_stream(fh: BinaryIO, shown: str) -> None:
    """A one-line error naming ``shown`` if the stream starts as a compressed file, a workbook or a PDF does.

    Only looks (``peek``): the bytes stay to be read. A stream that cannot peek is not checked.
    """
    peek = getattr(fh, "peek", None)
    head = peek(8)[:8] if peek is not None else b""
    for start, what in NOT_TEXT:
        if head.startswith(start):
            raise CaseReviewError(f"{shown}: {what}")


def is_blank(path: Path, chunk: int = 1 << 16) -> bool:
    """Whether a file holds nothing but white space (reads only up to the first other byte)."""
    with open(path, "rb") as fh:
        while data := fh.read(chunk):
            if data.strip():
                return False
    return True


#: Folders whose entries stand for open file descriptors (``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``):
#: what such a link leads to is the caller's open file (a terminal, a pipe, a file the shell opened), not a
#: path to replace.
DESCRIPTOR_FOLDERS = ("/proc", "/dev/fd")

MAX_LINKS = 40  # as the kernel's own limit on links followed in one path


def _is_descriptor(path: Path) -> bool:
    folder = os.path.realpath(path.parent)
    return any(folder == d or folder.startswith(d + "/") for d in DESCRIPTOR_FOLDERS)


def _output_target(path: Path) -> Path | None:
    """The regular file (new or existing) an output to ``path`` replaces; None if it is written straight.

    A link is followed to what it points to, link after link (so ``-o link.jsonl`` replaces the
    file the link names and the link stays a link). Anything that exists and is neither a regular
    file nor a folder (a character device like /dev/null, a named pipe, a terminal, a process
    substitution's /dev/fd/N), and any descriptor link (/dev/stdout), is written straight: it is
    no file of ours to replace, re-create or chmod.
    """
    target = path
    for _ in range(MAX_LINKS):
        if _is_descriptor(target):
            return None
        if not target.is_symlink():
            break
        _check_link_owner(path, target)
        target = target.parent / os.readlink(target)
    else:
        raise CaseReviewError(f"{path}: too many levels of links")
    with contextlib.suppress(OSError):  # a new file (or an unreadable folder: said when it is written)
        mode = target.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            return None
    return target


def _check_link_owner(path: Path, link: Path) -> None:
    """Refuse to follow a link another account made (not root's, not this user's): in a shared folder it
    would send the output to a file of that account's choosing. The kernel refuses such links in /tmp
    (fs.protected_symlinks), but a link followed here, by reading it, is followed whatever the kernel's rule."""
    owner = link.lstat().st_uid
    if owner not in (os.geteuid(), 0):
        raise CaseReviewError(f"{path}: is a link of another account's (uid {owner}); not followed, as it would "
                              "send the output to a file of their choosing: remove it or write elsewhere")


@contextlib.contextmanager
def private_file(path: str | os.PathLike, binary: bool = False,
                 through_links: bool = True) -> Iterator[TextIO | BinaryIO]:
    """A UTF-8 text file (bytes with ``binary``) readable by its owner only (0600) that replaces ``path`` only
    if the block succeeds.

    The text goes to a temporary file in the same folder, renamed over ``path`` at the end,
    so the file is written as it streams (constant memory) yet a failure half-way (bad
    input, an exit, Ctrl-C) leaves an existing ``path`` exactly as it was and no partial
    file behind. The rename also gives an existing file owner-only permissions. A write that
    fails (a full disk, a quota) raises CaseReviewError naming ``path`` and the cause.

    That is for regular files only: a link is followed and the file it points to is replaced
    (the link stays); a device, a named pipe or a descriptor (/dev/null, /dev/stdout, /dev/fd/N)
    is written straight, with no temporary file, rename or change of permissions.

    ``through_links=False``, for a file whose name the tool makes rather than the user gives (an input's
    rejects file, beside it in a folder others may write in): a link there is refused, not followed, as one
    someone else put there would send the text to a file of their choosing.
    """
    path = Path(path)
    if not through_links and path.is_symlink():
        raise CaseReviewError(f"{path}: is a link; a file casereview names itself is not written through a link "
                              "(it would replace the file the link points to): remove the link and run again")
    target = _output_target(path)
    if target is None:
        try:  # appending: a device or a pipe has no end to go to, and a file the shell opened (> or >>) is not cut
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        except OSError as e:
            raise CaseReviewError(f"{path}: cannot write ({e.strerror})") from None
        with _writer(fd, path, binary) as fh:
            yield fh
        return
    folder = target.parent
    if not folder.is_dir():
        raise CaseReviewError(f"{path}: no such folder {str(folder)!r}")
    if target.is_dir():
        raise CaseReviewError(f"{path}: is a folder, not a file")
    for left in _remove_partial_files(target):
        warnings.warn(f"{left}: removed a partial file that a run writing {target.name} stopped (killed) left "
                      "behind", WorkspaceNotice, stacklevel=3)
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")  # created 0600
    except OSError as e:
        raise CaseReviewError(f"{path}: cannot write in {str(folder)!r} ({e.strerror})") from None
    with contextlib.suppress(OSError):  # held while written, so not taken for one a killed run left (where it can)
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    try:
        with _writer(fd, path, binary) as fh:
            yield fh
            fh.flush()
            _named(path, os.fsync, fh.fileno())
            _named(path, os.replace, temp, target)  # still held: renamed whole
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def hidden_beside(place: Path) -> re.Pattern:
    """The names of the hidden temporary files and folders made beside ``place`` as it is written (``.NAME.<random>
    .part``, mkstemp's and mkdtemp's 8 random characters): another's (``.ws.old.<random>.part`` beside ``ws``) is not
    one of them."""
    return re.compile(rf"\.{re.escape(place.name)}\.[a-z0-9_]{{8}}\.part")


def new_private_file(path: Path) -> Path:
    """An empty file made at ``path``, which must not exist, owner-only (0600) whatever the umask: a database SQLite is
    to open there would be made 0644 (less the umask), and its journal given the same mode."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return path


def _remove_partial_files(target: Path) -> list[Path]:
    """Remove the temporary files beside ``target`` that :func:`private_file` runs killed while writing it left (it
    holds a shared lock on its own while it writes; the system releases it however the run ends): a partial copy
    of what was written, note text included, would otherwise stay there for good. The ones removed. An empty one
    is left: a run may have made it a moment ago, not yet holding it (and it holds nothing)."""
    partial = hidden_beside(target)
    removed = []
    with contextlib.suppress(OSError):  # a folder that cannot be listed: nothing to tell
        for entry in os.scandir(target.parent):
            if not partial.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: being written
                    found = os.fstat(fd)
                    if found.st_uid == os.geteuid() and found.st_size > 0:  # empty: made a moment ago, not held yet
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
                finally:
                    os.close(fd)
    return removed


class _WritesNamed(io.FileIO):
    """An open file whose failed writes (a full disk, a quota, a size limit) are errors naming ``shown``.

    Only the writes: an OSError of the code writing (reading its input) keeps its own meaning.
    """

    def __init__(self, fd: int, shown: Path) -> None:
        super().__init__(fd, "wb")
        self.shown = shown

    def write(self, data) -> int:
        return _named(self.shown, super().write, data)


def _named(shown: Path, operation: Callable, *args):
    try:
        return operation(*args)
    except OSError as e:
        raise CaseReviewError(f"{shown}: cannot write ({e.strerror})") from None


def _writer(fd: int, shown: Path, binary: bool) -> BinaryIO | TextIO:
    """Buffered bytes or UTF-8 text over ``fd``, its failed writes named (:class:`_WritesNamed`)."""
    raw = io.BufferedWriter(_WritesNamed(fd, shown))
    return raw if binary else io.TextIOWrapper(raw, encoding="utf-8", newline="")


#: free space below which a failed write is said to have found the disk full
NEARLY_FULL_BYTES = 1 << 20


def what_ran_out(folder: Path) -> str:
    """What a write into ``folder`` that failed for no reason given most likely ran out of, in words, or "" (a fault
    of the disk itself). SQLite says "disk I/O error" of a write past the file size limit (``ulimit -f``: EFBIG) or
    over a quota, and "database or disk is full" only of a full disk, naming no file or limit."""
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY:
        return f"a file may be at most {count(limit, 'byte')} here: the file size limit (ulimit -f)"
    try:  # a folder still to be made is on its nearest parent's disk
        disk = os.statvfs(next(p for p in (folder, *folder.parents) if p.is_dir()))
    except (OSError, StopIteration):
        return ""
    free = (disk.f_bfree if os.geteuid() == 0 else disk.f_bavail) * disk.f_frsize  # root may use the reserve
    if free < NEARLY_FULL_BYTES:
        return f"the disk holding {folder} has {count(free, 'byte')} free"
    if disk.f_files and not disk.f_favail:
        return f"the disk holding {folder} has room for no more files"
    return ""


def why_not_written(error: object, folder: Path) -> str:
    """An error of a write into ``folder`` with what it most likely ran out of (:func:`what_ran_out`) after it."""
    ran_out = what_ran_out(folder)
    return f"{error}; {ran_out}" if ran_out else str(error)


def owner_only(path: Path, mode: int) -> None:
    """Give an existing file or folder of this user's ``mode`` (0600, 0700) if it is open to anyone else.

    Another user's file is left as it is: someone running the tool as root must not lock its owner out. So is
    a file that cannot be changed (a read-only disk), which can then be read but not written either.
    """
    with contextlib.suppress(OSError):
        st = path.stat()
        if stat.S_IMODE(st.st_mode) & 0o077 and st.st_uid == os.geteuid():
            os.chmod(path, mode)


def written_here(*names: str) -> Callable[[str], bool]:
    """Whether an entry of a folder is one of ``names`` or a temporary file :func:`private_file` left beside one."""
    temporaries = tuple(f".{name}." for name in names)
    return lambda entry: entry in names or (entry.startswith(temporaries) and entry.endswith(".part"))


def private_folder(folder: Path, ours: Callable[[str], bool]) -> Path:
    """``folder``, made owner-only (0700) with any missing parents, whatever the umask, for files that hold
    note text or what was learnt from it (a workspace, a model).

    An existing folder open to others is made owner-only when it is the tool's own: empty, or holding
    nothing but entries whose names ``ours`` accepts (a model's files, a workspace's). A folder holding
    anything else (``--out .``, a home folder, /tmp) keeps its permissions: it is not the tool's to change,
    and the files written in it are owner-only all the same.
    """
    try:
        missing = [p for p in (folder, *folder.parents) if not os.path.lexists(p)]
        for path in reversed(missing):
            with contextlib.suppress(FileExistsError):  # made meanwhile by another run: checked below
                os.mkdir(path, 0o700)
                os.chmod(path, 0o700)  # a umask taking the owner's own bits
        if not folder.is_dir():
            raise CaseReviewError(f"{folder}: is a file, not a folder")
        if not missing and stat.S_IMODE(folder.stat().st_mode) & 0o077 and all(ours(e.name) for e in folder.iterdir()):
            owner_only(folder, 0o700)
    except OSError as e:
        raise CaseReviewError(f"{folder}: cannot make the folder ({e.strerror})") from None
    return folder


def check_output_folder(folder: str | os.PathLike) -> Path:
    """``folder`` if :func:`private_folder` can make it or write in it; else a one-line error (it is a file, a file
    stands where a folder above it would go, or the folder it would be made in cannot be written: another
    user's, a read-only disk), given before minutes of training rather than after them."""
    folder = Path(folder)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:  # a relative path from a working folder since removed
        raise CaseReviewError(f"{folder}: cannot make the folder (no folder above it exists)")
    if not existing.is_dir():
        raise CaseReviewError(f"{folder}: is a file, not a folder" if existing == folder
                              else f"{folder}: cannot make the folder ({existing} is a file)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CaseReviewError(f"{folder}: cannot write there ({existing} is not writable)")
    return folder
