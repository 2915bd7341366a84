"""The terminal's output once the terminal has gone: dropped, so that the app can still end."""

from __future__ import annotations

from typing import IO

from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from .escape_keys import EscapeThenKeyDriver


class DroppedOnceGone:
    """A terminal's output stream whose writes, once one failed (the terminal hung up: an SSH connection dropped, a
    window closed; EIO), are dropped: nothing reads them any more.

    Textual writes to the terminal from a thread reading a queue of 30 writes, and that thread ended at the first
    write that failed. The app's next 30 writes filled the queue and the 31st blocked the UI thread for ever: a
    review hung up while it was drawing, or with more to draw before it ended (the personal-data scan's notice as
    its forked worker died with the terminal), was left in futex wait, never ending, holding the workspace open
    (`restore --replace` refused it as in use).
    """

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.gone = False

    def write(self, text: str) -> None:
        self._unless_gone(self.stream.write, text)

    def flush(self) -> None:
        self._unless_gone(self.stream.flush)

    def _unless_gone(self, call, *args) -> None:
        if self.gone:
            return
        try:
            call(*args)
        except OSError:
            self.gone = True

    def fileno(self) -> int:
        return self.stream.fileno()


class HangUpDriver(EscapeThenKeyDriver):
    """Textual's terminal driver (Linux and macOS), its output dropped once the terminal has gone (and Escape typed
    before a key read as the two keys: :mod:`.escape_keys`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._file = DroppedOnceGone(self._file)  # what its writer thread writes to


class EndsOnceHungUp(App):
    """For an App: a terminal that hangs up cannot keep it from ending (``saves.signals_end_app`` ends it then)."""

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        return HangUpDriver if driver is LinuxDriver else driver
