"""Files the tool reads and writes: inputs checked up front, outputs owner-only and in place only once complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import CaseReviewError


def check_input_file(path: str | os.PathLike) -> Path:
    """``path`` if it is a readable file; else a one-line error (missing, a folder, unreadable)."""
    path = Path(path)
    if not path.exists():
        raise CaseReviewError(f"{path}: no such file")
    if path.is_dir():
        raise CaseReviewError(f"{path}: is a folder, not a file")
    if not os.access(path, os.R_OK):
        raise CaseReviewError(f"{path}: not readable (permission denied)")
    return path


def is_blank(path: Path, chunk: int = 1 << 16) -> bool:
    """Whether a file holds nothing but white space (reads only up to the first other byte)."""
    with open(path, "rb") as fh:
        while data := fh.read(chunk):
            if data.strip():
                return False
    return True


@contextlib.contextmanager
def private_file(path: str | os.PathLike) -> Iterator[TextIO]:
    """A UTF-8 text file readable by its owner only (0600) that replaces ``path`` only if the block succeeds.

    The text goes to a temporary file in the same folder, renamed over ``path`` at the end,
    so the file is written as it streams (constant memory) yet a failure half-way (bad
    input, an exit, Ctrl-C) leaves an existing ``path`` exactly as it was and no partial
    file behind. The rename also gives an existing file owner-only permissions.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise CaseReviewError(f"{path}: no such folder {str(folder)!r}")
    if path.is_dir():
        raise CaseReviewError(f"{path}: is a folder, not a file")
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")  # created 0600
    except OSError as e:
        raise CaseReviewError(f"{path}: cannot write in {str(folder)!r} ({e.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
