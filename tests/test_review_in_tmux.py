"""The real `casereview review` in a real terminal (tmux): keys in, decisions out via export."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casereview import corpus
from casereview.review import ReviewSession, first_to_decide
from casereview.taxonomy import LABEL_NAMES
from casereview.workspace import QueueQuery, Workspace

from .conftest import run_cli, write_jsonl

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


@pytest.fixture
def tmux(tmp_path):
    """``tmux(*args)``: tmux commands to a server of this test's own, started with no configuration file.

    The default server is shared: another test run at the same time (a CI job, a developer's run) has sessions of
    the same names there, which this test would type into and kill; and its panes get the environment of whoever
    started that server, not this test's (another casereview, keys rebound).
    """
    server = ["tmux", "-S", str(tmp_path / "tmux"), "-f", os.devnull]

    def run(*args: str) -> str:
        return subprocess.run([*server, *args], capture_output=True, text=True, check=False).stdout

    # A session of the server's own keeps it running between a test's sessions: a server left with none exits, and a
    # session started as it was exiting may be lost with it (a test's next review "never appeared", the screen empty).
    # (remain-on-exit, to keep an ended program's last screen, left its process a zombie tmux did not reap under load.)
    run("new-session", "-d", "-s", "server-kept", "sleep 86400")
    yield run
    run("kill-server")


def ended(tmux, session: str) -> bool:
    """Whether the program in ``session``'s pane has ended, and the session with it."""
    return session not in tmux("list-sessions", "-F", "#{session_name}").split()


def wait_for(tmux, session: str, text: str, timeout: float = 120) -> str:  # a loaded CI machine is slow
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        if ended(tmux, session):
            raise AssertionError(f"{text!r} never appeared: the program ended, and its session; its screen last read:"
                                 f"\n{screen}")
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")



def quit_review(tmux, session: str) -> None:
    """q, then wait (at most 30 s) for the review to end: quit waits for the saves typed before it."""
    tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 30
    while not ended(tmux, session) and time.monotonic() < deadline:
        time.sleep(0.2)

def tagged_workspace(tmp_path, records) -> str:
    notes = write_jsonl(tmp_path / "notes.jsonl", [{k: v for k, v in r.items() if k != "labels"} for r in records])
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(notes), "-w", ws).returncode == 0
    assert run_cli("tag", "-w", ws).returncode == 0
    return ws


def up_to_label_1(ws: str, order: str = "priority", note_id: str | None = None) -> list[str]:
    """The keys that move the label panel up to label 1 from the row ``note_id`` (else the ``order`` queue's first note)
    opens on, its first suggestion still to decide (review.first_to_decide): k that many times. A test deciding label 1
    says so, as a reviewer would move there."""
    with Workspace.open(Path(ws)) as workspace:
        session = ReviewSession(workspace, "tmux-tester", QueueQuery(order=order))
        return ["k"] * first_to_decide(session.view(note_id).labels)


def start_review(tmux, tmp_path, ws: str, *options: str, size: tuple[int, int] = (100, 30), shell: str = "{review}") -> str:
    """``casereview review`` of ``ws`` by tmux-tester in a new tmux session (the name returned), run by the shell
    command ``shell``, in which ``{review}`` stands for it."""
    session = f"casereview-test-{tmp_path.name}"
    # without the COLUMNS and LINES every test's commands get (80x25, for rich on a pipe): the app would take them over
    # the pane's own size (shutil.get_terminal_size reads them first), draw a 25th row in a 24-row pane and scroll
    review = " ".join(["env", "-u", "COLUMNS", "-u", "LINES", sys.executable, "-m", "casereview", "review", "-w", ws,
                       "--reviewer", "tmux-tester", *options])
    tmux("new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]), shell.format(review=review))
    assert session in tmux("list-sessions"), f"tmux did not start {session}"
    return session


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_review_in_tmux_records_decisions(tmux, tmp_path):
    records = corpus.split(corpus.load(), "test")[:12]
    ws = tagged_workspace(tmp_path, records)
    by_date = sorted(records, key=lambda r: r.get("date") or "")  # stable: ties keep import order, as the queue does
    session = start_review(tmux, tmp_path, ws, "--queue", "date")
    try:
        wait_for(tmux, session, "reviewer: tmux-tester")
        wait_for(tmux, session, "note 1 of 12")
        tmux("send-keys", "-t", session, *up_to_label_1(ws, "date"), "y")
        wait_for(tmux, session, "saved")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(tmux, session, "note 2 of 12")
        tmux("send-keys", "-t", session, *up_to_label_1(ws, "date", by_date[1]["note_id"]), "j")
        tmux("send-keys", "-t", session, "n")
        wait_for(tmux, session, "saved")
        quit_review(tmux, session)
    finally:
        tmux("kill-session", "-t", session)
    exported = run_cli("export", "decisions", "--format", "csv", "-w", ws)
    rows = [r for r in csv.DictReader(io.StringIO(exported.stdout)) if r["reviewer"] == "tmux-tester"]
    assert [(r["note_id"], r["label"], r["state"]) for r in rows] == [
        (by_date[0]["note_id"], "risk_analysis_gap", "added"),  # y on a label the model does not suggest there
        (by_date[1]["note_id"], "management_oversight_missing", "rejected"),
    ]
    assert all(r["model_version"] for r in rows)


@pytest.mark.slow  # 8-14 s (CI's default run reached 580 s of its 10 minutes); CI runs it
def test_review_that_ends_with_an_error_exits_non_zero_and_keeps_every_decision_made(tmux, tmp_path):
    """The app's crash handler returns from run(); the command must still fail, and save what was queued."""
    ws = tagged_workspace(tmp_path, corpus.split(corpus.load(), "test")[:3])
    rc_file = tmp_path / "rc"
    session = start_review(tmux, tmp_path, ws, shell=f"{{review}}; echo $? > {rc_file}")
    other = sqlite3.connect(f"{ws}/workspace.db")
    try:
        screen = wait_for(tmux, session, "note 1 of 3")
        to_label_1 = up_to_label_1(ws)  # read before the workspace breaks
        with other:  # a workspace broken under the app (not a library error): reading the note fails
            other.execute("ALTER TABLE comments RENAME TO comments_elsewhere")
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock: the saves queue up behind it
        # y is saved, then showing it ends the app; n is queued
        tmux("send-keys", "-t", session, *to_label_1, "y", "j", "n")
        time.sleep(1)
        other.rollback()
        deadline = time.monotonic() + 30
        while not (rc_file.exists() and rc_file.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        other.close()
        tmux("kill-session", "-t", session)
    assert rc_file.read_text().strip() == "1"
    exported = run_cli("export", "decisions", "--format", "csv", "-w", ws)
    rows = [r for r in csv.DictReader(io.StringIO(exported.stdout)) if r["reviewer"] == "tmux-tester"]
    note_id = next(w for w in screen.split() if w in {r["note_id"] for r in corpus.split(corpus.load(), "test")[:3]})
    assert [(r["note_id"], r["label"], r["state"]) for r in rows] == [
        (note_id, LABEL_NAMES[0], "added"), (note_id, LABEL_NAMES[1], "rejected")]  # y: label 1 is not suggested


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
def test_a_kill_9_mid_review_keeps_every_decision_already_keyed(tmux, tmp_path):
    """Each decision is committed as it is made: killing the app (no chance to flush) loses none shown as saved."""
    records = corpus.split(corpus.load(), "test")[:6]
    ws = tagged_workspace(tmp_path, records)
    session = start_review(tmux, tmp_path, ws, "--queue", "date", size=(80, 24), shell="exec {review}")  # its pid: the app's
    try:
        wait_for(tmux, session, "note 1 of 6")
        pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        tmux("send-keys", "-t", session, *up_to_label_1(ws, "date"),
             "y", "j", "n", "Enter", "a", "Enter", "3", "z", "4", "c")
        wait_for(tmux, session, "Comment on this note")
        tmux("send-keys", "-t", session, "-l", "seen alone")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(tmux, session, "comment saved")
        os.kill(pid, signal.SIGKILL)
    finally:
        tmux("kill-session", "-t", session)
    exported = run_cli("export", "decisions", "--format", "csv", "-w", ws)
    rows = [r for r in csv.DictReader(io.StringIO(exported.stdout)) if r["reviewer"] == "tmux-tester"]
    by_date = sorted(records, key=lambda r: r.get("date") or "")
    first, _, third = (r["note_id"] for r in by_date[:3])
    kept = [(r["note_id"], r["label"], r["state"]) for r in rows]
    assert kept[:2] == [(first, LABEL_NAMES[0], "added"), (first, LABEL_NAMES[1], "rejected")]  # y: not suggested
    assert kept[-3][:2] == (third, LABEL_NAMES[2]) and kept[-2][:2] == (third, LABEL_NAMES[2])  # 3, then z takes it back
    assert kept[-1][:2] == (third, LABEL_NAMES[3])
    with sqlite3.connect(f"{ws}/workspace.db") as db:
        assert db.execute("SELECT count(*) FROM comments WHERE reviewer = 'tmux-tester'").fetchone() == (1,)
    # opened again, it resumes on the note last decided on (only begun): the third, not the queue's first
    session = start_review(tmux, tmp_path, ws, "--queue", "date", size=(80, 24))
    try:
        screen = wait_for(tmux, session, "where you left off")
        assert "note 3 of 6" in screen and "resumed where you left off · 6 of 6 notes to code" in screen
    finally:
        tmux("kill-session", "-t", session)
    session = start_review(tmux, tmp_path, ws, "--queue", "date", "--from-start", size=(80, 24))  # not where left off
    try:
        screen = wait_for(tmux, session, "from the queue's first note")
        assert f"note 1 of 6  ·  {first}" in screen
    finally:
        tmux("kill-session", "-t", session)


def test_review_of_one_case_reads_it_in_date_order_unless_a_queue_is_chosen(tmux, tmp_path):
    # --case opened the case file's notes in priority order (here, unscored, the order they were imported in): an
    # inspector reading one case file reads it as its timeline lists it, oldest first
    notes = [{"note_id": "c1-march", "case_id": "C1", "date": "2024-03-01", "text": "Home visit."},
             {"note_id": "c2-january", "case_id": "C2", "date": "2024-01-01", "text": "Home visit."},
             {"note_id": "c1-january", "case_id": "C1", "date": "2024-01-01", "text": "Home visit."},
             {"note_id": "c1-undated", "case_id": "C1", "text": "Home visit."}]
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "notes.jsonl", notes)), "-w", ws).returncode == 0
    for options, first, second in ((("--case", "C1"), "c1-january", "c1-march"),
                                   (("--case", "C1", "--queue", "priority"), "c1-march", "c1-january")):
        session = start_review(tmux, tmp_path, ws, *options)
        try:
            wait_for(tmux, session, f"note 1 of 3  ·  {first}  ·  case C1 ")
            tmux("send-keys", "-t", session, "Enter")
            wait_for(tmux, session, f"note 2 of 3  ·  {second}  ·  case C1 ")
            tmux("send-keys", "-t", session, "Enter")
            wait_for(tmux, session, "note 3 of 3  ·  c1-undated  ·  case C1 (3 of 3)")  # undated last, as the timeline
        finally:
            tmux("kill-session", "-t", session)


def process_state(pid: int) -> str | None:
    """The state letter /proc gives process ``pid`` (R, S, Z...), or None once it is no more."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return None


def gone(pid: int, timeout: float = 30) -> bool:
    """Whether process ``pid`` (not this test's child) has ended within ``timeout`` seconds: exited, whether or not
    its parent, the tmux server, has reaped it yet (on a loaded machine it left the ended review a zombie for over
    30 s, its session still listed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process_state(pid) in (None, "Z"):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow  # 7-14 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
@pytest.mark.parametrize("ending", ["hang-up", "SIGTERM"])
def test_a_dropped_connection_or_a_termination_saves_every_decision_keyed(tmux, tmp_path, ending):
    """An SSH session that drops hangs the terminal up (SIGHUP), a shutdown or `kill` sends SIGTERM: the decisions
    typed and still queued (here behind another program's write lock) were lost with the process. Now the app ends as
    a crash does, saving them first, and the next review resumes after them."""
    records = corpus.split(corpus.load(), "test")[:3]
    ws = tagged_workspace(tmp_path, records)
    session = start_review(tmux, tmp_path, ws, "--queue", "date", size=(80, 24), shell="exec {review}")  # its pid: the app's
    other = sqlite3.connect(f"{ws}/workspace.db")
    try:
        wait_for(tmux, session, "note 1 of 3")
        pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        other.execute("BEGIN IMMEDIATE")  # another program writing: the saves wait for it
        tmux("send-keys", "-t", session, *up_to_label_1(ws, "date"), "y", "j", "n")
        time.sleep(0.5)
        if ending == "hang-up":
            tmux("kill-session", "-t", session)  # the terminal closes under the app, as sshd's pty does
        else:
            os.kill(pid, signal.SIGTERM)
        time.sleep(1)
        other.rollback()
        assert gone(pid), f"the review (pid {pid}) is still running, in state {process_state(pid)}"
    finally:
        other.close()
        tmux("kill-session", "-t", session)
    exported = run_cli("export", "decisions", "--format", "csv", "-w", ws)
    rows = [r for r in csv.DictReader(io.StringIO(exported.stdout)) if r["reviewer"] == "tmux-tester"]
    first = sorted(records, key=lambda r: r.get("date") or "")[0]["note_id"]
    assert [(r["note_id"], r["label"], r["state"]) for r in rows] == [
        (first, LABEL_NAMES[0], "added"), (first, LABEL_NAMES[1], "rejected")]


@pytest.mark.slow
def test_a_terminated_review_gives_the_terminal_back_as_it_found_it(tmux, tmp_path):
    """Killed (SIGTERM) in a terminal that stays open, the app left it on the alternate screen with mouse reporting on:
    the shell's prompt drew into the app's last screen and every click typed escape codes. Now it exits as q does."""
    ws = tagged_workspace(tmp_path, corpus.split(corpus.load(), "test")[:2])
    session = start_review(tmux, tmp_path, ws, size=(80, 24), shell="{review}; echo review-ended-$?; sleep 60")
    try:
        wait_for(tmux, session, "note 1 of 2")
        pid = int(subprocess.run(["pgrep", "-P", tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip()],
                                 capture_output=True, text=True).stdout.split()[0])
        os.kill(pid, signal.SIGTERM)
        wait_for(tmux, session, "review-ended-143")
        flags = tmux("display-message", "-p", "-t", session, "#{alternate_on} #{mouse_any_flag} #{mouse_all_flag}")
        assert flags.split() == ["0", "0", "0"]
    finally:
        tmux("kill-session", "-t", session)


@pytest.mark.slow
def test_ctrl_z_suspends_the_review_to_the_shell_and_fg_brings_it_back(tmux, tmp_path):
    """Ctrl-Z did nothing (the app reads the terminal raw, so the key is the app's to act on, and it had no binding):
    over SSH a reviewer could not step out to a shell and come back. Now it suspends; fg resumes where it was."""
    ws = tagged_workspace(tmp_path, corpus.split(corpus.load(), "test")[:2])
    session = start_review(tmux, tmp_path, ws, size=(80, 24), shell="bash --norc --noprofile -i")
    try:
        review = " ".join(["env", "-u", "COLUMNS", "-u", "LINES", sys.executable, "-m", "casereview", "review", "-w",
                           ws, "--reviewer", "tmux-tester"])
        tmux("send-keys", "-t", session, "-l", review)
        tmux("send-keys", "-t", session, "Enter")
        wait_for(tmux, session, "note 1 of 2")
        tmux("send-keys", "-t", session, "C-z")
        wait_for(tmux, session, "Stopped")
        assert tmux("display-message", "-p", "-t", session, "#{alternate_on}").strip() == "0"  # the shell's screen
        tmux("send-keys", "-t", session, "fg", "Enter")
        wait_for(tmux, session, "note 1 of 2")
        tmux("send-keys", "-t", session, *up_to_label_1(ws), "y")
        wait_for(tmux, session, "saved")
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 30  # the shell's screen back: the app has ended, the next keys are the shell's
        while tmux("display-message", "-p", "-t", session, "#{alternate_on}").strip() != "0" and time.monotonic() < deadline:
            time.sleep(0.2)
        tmux("send-keys", "-t", session, "echo review-ended-$?", "Enter")
        wait_for(tmux, session, "review-ended-0")
    finally:
        tmux("kill-session", "-t", session)
    exported = run_cli("export", "decisions", "--format", "csv", "-w", ws)
    assert [r["state"] for r in csv.DictReader(io.StringIO(exported.stdout)) if r["reviewer"] == "tmux-tester"] == [
        "added"]


@pytest.mark.slow  # a review in tmux: 5-10 s
def test_escape_typed_just_before_a_key_is_read_as_both_keys(tmux, tmp_path):
    """tmux (within its escape-time) and SSH send Escape and a key typed just after it as one sequence, ESC and the key,
    which Textual read as Alt and the key: Escape then Enter on the comment prompt saved the comment Escape had
    closed, and Escape out of the queue list then y did nothing."""
    records = corpus.split(corpus.load(), "test")[:3]
    ws = tagged_workspace(tmp_path, records)
    session = start_review(tmux, tmp_path, ws, "--queue", "date", size=(80, 24))
    try:
        wait_for(tmux, session, "note 1 of 3")
        tmux("send-keys", "-t", session, "c")
        wait_for(tmux, session, "Comment on this note")
        tmux("send-keys", "-t", session, "-l", "half a thought")
        tmux("send-keys", "-t", session, "Escape", "Enter")  # close it, kept as a draft; the next note
        wait_for(tmux, session, "note 2 of 3")
        tmux("send-keys", "-t", session, "l")
        wait_for(tmux, session, "Queue · order date")
        tmux("send-keys", "-t", session, "Escape", "y")  # back to the note, y on it
        wait_for(tmux, session, "saved ·")
        quit_review(tmux, session)
    finally:
        tmux("kill-session", "-t", session)
    by_date = sorted(records, key=lambda r: r.get("date") or "")
    with sqlite3.connect(f"{ws}/workspace.db") as db:
        assert db.execute("SELECT count(*) FROM comments").fetchone() == (0,)
        decided = db.execute("SELECT DISTINCT note_id FROM decisions WHERE reviewer = 'tmux-tester'").fetchall()
    assert decided == [(by_date[1]["note_id"],)]
