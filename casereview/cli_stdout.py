"""Standard output whose reader may stop early (`casereview sample ... | head -1`), or that cannot be written.

Once the reader has gone, what a command writes to stdout is dropped and the command ends
as it would have: its exit code and its messages on stderr are its own (an audit drawn is
saved and named, open findings still exit 1). A command whose output is its whole job
(predict, export, pii scan...) stops there instead, exit 0: there is nobody left to write for.

Output that cannot be written (`> /dev/full`, a full disk) is dropped the same way, but it is an
error: the command ends with ``<stdout>: cannot write (<cause>)`` (:class:`StdoutError`), a command
whose output is its whole job as soon as a write fails, any other once its work is done.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import typer

from .errors import CaseReviewError


class StdoutError(CaseReviewError):
    """Standard output could not be written (a full disk); what was written before may be cut short."""

    def __init__(self, error: OSError) -> None:
        super().__init__(f"<stdout>: cannot write ({error.strerror or error})")


class ReaderMayLeave:
    """``sys.stdout`` while a command runs: a broken pipe is not an error, and what follows it is dropped; so is
    what follows a write that failed otherwise (a full disk), which is kept in ``failed`` to be said at the end."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_gone = False
        self.failed: OSError | None = None

    @property
    def dropping(self) -> bool:
        return self.reader_gone or self.failed is not None

    def write(self, text: str) -> int:
        if not self.dropping:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._left()
            except OSError as e:
                self._failed(e)
        return len(text)

    def flush(self) -> None:
        if not self.dropping:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._left()
            except OSError as e:
                self._failed(e)

    def _left(self) -> None:
        self.reader_gone = True
        self._drop_the_rest()

    def _failed(self, error: OSError) -> None:
        self.failed = error
        self._drop_the_rest()

    def _drop_the_rest(self) -> None:
        # what is still buffered goes nowhere when the stream is flushed and closed at exit, instead of failing again
        if isinstance(self._stream, ClosedStdout):
            return  # no descriptor, nothing buffered
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, fileno...: rich and click read them
        return getattr(self._stream, name)


class ClosedStdout(io.TextIOBase):
    """What stands for stdout when the command was started without one (``>&-``): every write fails, as it would."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    """Run the command with ``sys.stdout`` as :class:`ReaderMayLeave`; flushed through it at the end. Raises
    :class:`StdoutError` once the command has ended if a write to stdout failed (its own exit code is then lost)."""
    real = sys.stdout
    sys.stdout = stdout = ReaderMayLeave(real if real is not None else ClosedStdout())
    ended = False  # by itself or by an exit: not by an exception, which must not be hidden behind StdoutError
    try:
        yield
        ended = True
    except (SystemExit, typer.Exit):
        ended = True
        raise
    finally:
        stdout.flush()  # output still buffered meets a gone reader here, not in the interpreter's last flush
        sys.stdout = real
        if stdout.failed is not None and ended:
            raise StdoutError(stdout.failed) from None


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
        if getattr(self._stream, "failed", None) is not None:
            raise typer.Exit(2)  # said by reader_may_leave as the command ends
        return written

    def flush(self) -> None:
        self._stream.flush()
