from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from casereview.backup import backup
from casereview.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent

#: Variables that change how the real command prints or what it reads, set by a CI (GITHUB_ACTIONS, FORCE_COLOR:
#: colour codes in every message and help text) or a developer's shell (COLUMNS: the tables' widths; the tool's
#: own CASEREVIEW_* and a keymap under XDG_CONFIG_HOME). The tests read the output as a pipe shows it.
OUTPUT_FORM_VARIABLES = ("FORCE_COLOR", "PY_COLORS", "NO_COLOR", "CLICOLOR_FORCE", "GITHUB_ACTIONS", "TTY_COMPATIBLE",
                         "TTY_INTERACTIVE", "_TYPER_FORCE_DISABLE_TERMINAL", "TERMINAL_WIDTH", "JUPYTER_COLUMNS",
                         "JUPYTER_LINES", "COLORTERM", "CASEREVIEW_WORKSPACE", "CASEREVIEW_REVIEWER", "CASEREVIEW_KEYS")


@pytest.fixture(scope="session", autouse=True)
def plain_environment(tmp_path_factory):
    """The environment every test and command it runs sees: a pipe 80 columns wide (as rich takes a pipe without
    COLUMNS; a terminal's stdin would lend its width), no colour forced, no setting of the tool's from the shell,
    and an empty working folder: a command given no --workspace uses ./casereview-workspace if there is one, and
    the project folder may hold a developer's (its promoted model would score the notes; a test would migrate it)."""
    with pytest.MonkeyPatch.context() as patch:
        if os.environ.get("PYTHONPATH"):  # PYTHONPATH=. would name another folder there
            folders = os.environ["PYTHONPATH"].split(os.pathsep)
            patch.setenv("PYTHONPATH", os.pathsep.join(str(Path(f).resolve()) for f in folders))
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        for name in OUTPUT_FORM_VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("COLUMNS", "80")
        patch.setenv("LINES", "25")
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))  # no keymap of the user's
        yield


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None, env: dict | None = None,
            stdout=subprocess.PIPE, stdin=None, preexec_fn=None):
    """The real ``casereview`` command in a subprocess (its stdout captured unless ``stdout`` is given a file;
    ``stdin`` a file or socket to read instead of ``input``; ``preexec_fn`` run in the child before it starts)."""
    full_env = {**os.environ, "CASEREVIEW_WORKSPACE": "", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "casereview", *args],
        cwd=cwd, input=input, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, text=True, env=full_env,
        timeout=600, preexec_fn=preexec_fn,
    )


def read_terminal_to_its_end(master: int) -> bytes:
    """What a command wrote to the pseudo-terminal whose master end is ``master``, read until it closed its end
    (the master is closed then)."""
    import contextlib

    shown = b""
    with contextlib.suppress(OSError):  # the command closed its end
        while chunk := os.read(master, 4096):
            shown += chunk
    os.close(master)
    return shown


def has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has the file ``path`` open (read from /proc; False once it has ended)."""
    import contextlib

    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # the process has ended
        return False
    for fd in fds:
        with contextlib.suppress(OSError):  # closed meanwhile
            if fd.resolve() == path.resolve():
                return True
    return False


def wait_until_waiting(threads: list, function: str, line: str) -> None:
    """Return once each of ``threads`` waits in ``function`` at a line of code holding ``line`` (its innermost
    Python frame there: a lock's wait, SQLite's busy wait inside the call on that line). A test that slept for the
    threads to get there could, on a loaded machine, go on before they had, and pass without testing the race."""
    import linecache
    import time

    def waiting(thread) -> bool:
        frame = sys._current_frames().get(thread.ident)
        return (frame is not None and frame.f_code.co_name == function
                and line in linecache.getline(frame.f_code.co_filename, frame.f_lineno))

    while not all(map(waiting, threads)):
        assert all(thread.is_alive() for thread in threads), f"a thread ended before it waited in {function}"
        time.sleep(0.005)


def file_size_limit(size: int):
    """For ``run_cli``'s ``preexec_fn``: in the child, files may grow to ``size`` bytes, then a write fails (EFBIG),
    as on a disk that is full."""
    def limit() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


def stderr_on_a_terminal(*args: str, input: str = "", env: dict | None = None) -> tuple[int, str, bytes]:
    """The real command with its stderr on a pseudo-terminal, stdin and stdout pipes: (exit code, stdout, stderr)."""
    import pty
    import threading

    master, terminal = pty.openpty()
    read: list[bytes] = []

    def drain():  # the terminal's buffer is small: read it as the command writes
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the command closed its end
                return
            if not data:
                return
            read.append(data)

    env = {**os.environ, "CASEREVIEW_WORKSPACE": "", "TERM": "xterm", **(env or {})}
    env.pop("FORCE_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "casereview", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=terminal, env=env, text=True)
    os.close(terminal)
    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = proc.communicate(input, timeout=600)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, out, b"".join(read)


def run_saying_if_model_code_loaded(*args: str, module: str = "sklearn") -> subprocess.CompletedProcess:
    """The command run as the real one is (its app, in a new process), then '<module> loaded' or '<module> not
    loaded' said last on its stderr."""
    code = ("import sys; from casereview.cli import app; sys.argv = ['casereview', *sys.argv[1:]]\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            f"print('{module} loaded' if '{module}' in sys.modules else '{module} not loaded', file=sys.stderr)")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


#: Values that are not one line of printable text: a line break (Unix, Windows, Unicode's own), a tab, an escape
#: sequence, DEL and a C1 control character.
UNPRINTABLE = ["march\nqa", "march\r\nqa", "march\u2028qa", "march\tqa", "bo\x1b[31m", "bo\x7f", "b\x85o"]

NOTES = [
    {"note_id": "n1", "text": "Visit completed, all fine.", "case_id": "C1", "date": "2025-01-02",
     "author_role": "social_worker", "note_type": "home_visit", "labels": ["recording_quality"], "origin": "test"},
    {"note_id": "n2", "text": "Supervision held; we reflected on the impact of father's drinking on J.",
     "case_id": "C1", "date": "2025-01-05", "author_role": "team_manager", "note_type": "supervision",
     "labels": []},
    {"note_id": "n3", "text": "Case closed. NFA.", "case_id": "C2", "date": "2025-02-01"},
]


def copy_of_workspace(template: Path, to: Path) -> Path:
    """A test's own copy of a workspace a fixture prepared once, made as a user should (``casereview backup``: a
    consistent copy that has its own id from the start), so opening it gives no notice; a folder copied with cp would
    tell, at every test, that its database is a copy (the tests of that notice copy with cp themselves)."""
    with Workspace.open(template) as original:
        backup(original, to)
    return to


@pytest.fixture
def notes_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "notes.jsonl", NOTES)


@pytest.fixture
def workspace(tmp_path: Path):
    with Workspace.open(tmp_path / "ws") as ws:
        yield ws


@pytest.fixture
def umask_000():
    """No umask at all: a file or folder created without an explicit mode would be open to everyone."""
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path: Path) -> str:
    """A file's permission bits as octal text ("0o600")."""
    return oct(stat.S_IMODE(path.stat().st_mode))
