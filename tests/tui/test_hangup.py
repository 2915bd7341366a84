"""A terminal that hangs up (an SSH connection dropped, a window closed) while the review writes to it."""

from __future__ import annotations

import io
import os
import pty
import signal
import sys
import threading

from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread


async def test_the_review_drivers_writes_to_a_hung_up_terminal_never_block_the_app(make_app, monkeypatch):
    # Textual's writer thread ended at the first write the hung-up terminal refused (EIO): 30 writes later the queue
    # was full and the next write blocked the app for ever, as its shutdown writes did; the review was left in futex
    # wait, never ending
    master, slave = pty.openpty()
    os.close(master)  # the terminal hangs up: a write to it fails with EIO
    terminal = io.TextIOWrapper(io.FileIO(slave, "r+"), write_through=True)
    monkeypatch.setattr(sys, "__stderr__", terminal)  # where Textual's driver writes
    monkeypatch.setattr(sys, "__stdin__", terminal)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTSTP, signal.SIGCONT)}
    app = make_app()
    try:
        driver = app.get_driver_class()(app)  # the driver `casereview review` runs the app with
    finally:
        for signum, handler in handlers.items():  # the driver's own: not this test process's
            signal.signal(signum, handler)
    writer = WriterThread(driver._file)
    writer.start()
    ended = threading.Event()

    def draw_then_stop() -> None:
        for _ in range(MAX_QUEUED_WRITES * 2):  # frames drawn, and the shutdown's writes
            writer.write("\x1b[?1049l frame")
        writer.stop()
        ended.set()

    threading.Thread(target=draw_then_stop, daemon=True).start()
    assert ended.wait(10), "a write to the hung-up terminal blocked"
    terminal.close()
