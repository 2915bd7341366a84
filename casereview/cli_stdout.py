"""Standard output whose reader may stop early (`casereview sample ... | head -1`).

Once the reader has gone, what a command writes to stdout is dropped and the command ends
as it would have: its exit code and its messages on stderr are its own (an audit drawn is
saved and named, open findings still exit 1). A command whose output is its whole job
(predict, export, pii scan...) stops there instead, exit 0: there is nobody left to write for.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import typer


class ReaderMayLeave:
    """``sys.stdout`` while a command runs: a broken pipe is not an error, and what follows it is dropped."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._left()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._left()

    def _left(self) -> None:
        self.reader_gone = True
        # what is still buffered goes nowhere when the stream is flushed and closed at exit, instead of failing again
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, fileno...: rich and click read them
        return getattr(self._stream, name)


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    """Run the command with ``sys.stdout`` as :class:`ReaderMayLeave`; flushed through it at the end."""
    real = sys.stdout
    if real is None:
        yield
        return
    sys.stdout = stdout = ReaderMayLeave(real)
    try:
        yield
    finally:
        stdout.flush()  # output still buffered meets a gone reader here, not in the interpreter's last flush
        sys.stdout = real


class OutputToStdout:
    """A command's whole output going to stdout: once the reader has gone, the command stops (exit 0).

    It holds the stdout of when it was made: a live display on stderr (rich's progress bar) swaps
    ``sys.stdout`` for a proxy that prints above the bar, which would send the data to the terminal.
    """

    def __init__(self) -> None:
        self._stream = sys.stdout

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        if getattr(self._stream, "reader_gone", False):
            raise typer.Exit(0)
        return written

    def flush(self) -> None:
        self._stream.flush()
