"""The real `casereview review` on a real terminal (a pseudo-terminal) that hangs up: it ends, never hangs."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

from casereview import corpus

from .conftest import run_cli, write_jsonl


def window_size(fd: int, rows: int, columns: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def the_terminal_of_its_session() -> None:
    """In the review's process before it runs: a session of its own, the pseudo-terminal its controlling terminal,
    as an SSH login's shell has it (a hang-up signals it)."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def read_until(fd: int, text: bytes, timeout: float = 60) -> None:
    seen, deadline = b"", time.monotonic() + timeout
    while text not in seen:
        assert time.monotonic() < deadline, f"{text!r} never appeared"
        if select.select([fd], [], [], 0.1)[0]:
            seen += os.read(fd, 65536)


def hung_up_as_it_redraws(ws: str, pause: float) -> int | None:
    """Run the review on a terminal resized again and again (a pane dragged) while keys arrive, then, ``pause``
    seconds later, hung up (the SSH connection dropped, the window closed); its exit code, None if it had not ended
    30 s later (then killed)."""
    master, terminal = pty.openpty()
    window_size(terminal, 30, 100)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    review = subprocess.Popen([sys.executable, "-m", "casereview", "review", "-w", ws, "--reviewer", "pty-tester"],
                              stdin=terminal, stdout=terminal, stderr=terminal, env={**env, "TERM": "xterm-256color"},
                              preexec_fn=the_terminal_of_its_session)
    try:
        read_until(master, b"reviewer: pty-tester")
        time.sleep(0.5)
        for i in range(40):  # a redraw each, and a label selected
            window_size(master, 30 + i % 2, 100 + i % 7)
            os.write(master, b"jk")
            time.sleep(0.005)
        time.sleep(pause)
        os.close(terminal)  # held open till now, as a terminal emulator or tmux holds its pane's
        os.close(master)  # the terminal hangs up
        return review.wait(timeout=30)
    except subprocess.TimeoutExpired:
        return None
    finally:
        if review.poll() is None:
            review.kill()
            review.wait()


@pytest.mark.slow
def test_a_review_whose_terminal_hangs_up_as_it_redraws_ends(tmp_path):
    # The review was left running for ever in futex wait, its UI thread blocked on a write to the hung-up terminal
    # (Textual's writer thread had ended at the first write it refused), the workspace held open; it depended on
    # what the app still had to draw, so about one hang-up in two here: each moment is tried
    notes = write_jsonl(tmp_path / "notes.jsonl", [{k: v for k, v in r.items() if k != "labels"}
                                                   for r in corpus.split(corpus.load(), "test")[:6]])
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(notes), "-w", ws).returncode == 0
    assert run_cli("tag", "-w", ws).returncode == 0
    ended = {pause: hung_up_as_it_redraws(ws, pause) for pause in (0, 0.05, 0.1, 0.2, 0.4)}
    assert ended == dict.fromkeys(ended, 129)  # each ended by the hang-up, as the shell reports SIGHUP
