import json
import os
import re
import socket
import stat
import threading
from pathlib import Path

import pytest

from .conftest import (NOTES, file_size_limit, has_open, mode, read_terminal_to_its_end, run_cli,
                       run_saying_if_model_code_loaded, write_jsonl)


def test_import_status_export_round_trip(tmp_path):
    path = write_jsonl(tmp_path / "notes.jsonl", NOTES)
    ws = str(tmp_path / "ws")
    done = run_cli("import", str(path), "--workspace", ws)
    assert done.returncode == 0, done.stderr
    assert "3 added" in done.stderr
    status = json.loads(run_cli("status", "--json", "-w", ws).stdout)
    assert status["notes"] == 3 and status["case_files"] == 2
    assert status["labels_by_final_state"]["confirmed"] == 1
    out = tmp_path / "out.jsonl"
    assert run_cli("export", "notes", "-w", ws, "-o", str(out)).returncode == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["note_id"] for e in exported] == ["n1", "n2", "n3"]
    decisions = run_cli("export", "decisions", "--format", "csv", "-w", ws).stdout.splitlines()
    assert decisions[0].startswith("id,note_id,label,state,reviewer") and len(decisions) == 1 + 14


def test_bad_input_exits_2_with_location_and_no_text(tmp_path):
    secret = "Mother disclosed a secret about the baby"
    path = write_jsonl(tmp_path / "bad.jsonl", [NOTES[0], {"note_id": "z", "text": secret, "note_type": "chat"}])
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"))
    assert done.returncode == 2
    assert "bad.jsonl:2: field 'note_type'" in done.stderr
    assert secret not in done.stderr + done.stdout
    assert not (tmp_path / "ws").exists()  # a failed import creates no workspace


@pytest.mark.parametrize("command", [["import"], ["predict", "-p", "1"], ["pii", "scan"]])
def test_a_number_too_long_is_a_located_error_not_a_traceback(tmp_path, command):
    secret = "Mother disclosed a secret about the baby"
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps(NOTES[0]) + '\n{"note_id": "z", "text": "' + secret + '", "ref": ' + "9" * 5000 + "}\n",
                    encoding="utf-8")
    done = run_cli(*command, str(path), *(["-w", str(tmp_path / "ws")] if command == ["import"] else []))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "long.jsonl:2: bad JSON: a number too long" in done.stderr
    assert secret not in done.stderr + done.stdout and not (tmp_path / "ws").exists()


def test_a_csv_cell_that_swallowed_rows_is_one_error_and_creates_nothing(tmp_path):
    path = tmp_path / "q2.csv"
    path.write_text('note_id,text\nr0,ok\nr1,"Alpha\nr2,Bravo\nr3,""x""\nr4,"y" z\nr5,Charlie\n', encoding="utf-8")
    done = run_cli("import", str(path), "--skip-invalid", "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "q2.csv:3: bad CSV:" in done.stderr and "lines 4-6" in done.stderr
    assert not any(text in done.stderr + done.stdout for text in ("Alpha", "Bravo", "Charlie"))
    assert not (tmp_path / "ws").exists() and not (tmp_path / "q2.csv.rejects.jsonl").exists()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads which files the command has open from /proc")
def test_ctrl_c_during_an_import_says_which_file_was_not_imported_and_which_were(tmp_path):
    """Ctrl-C during an import exited 130 saying nothing: was half the export in the workspace? Each file is one
    transaction: the file being read when stopped is not imported at all, those before it are. A real SIGINT, once
    the first file is reported and the command has the second, the corpus, open (10,879 notes: seconds to read; a
    minute on a loaded machine)."""
    import signal
    import subprocess
    import sys
    import time

    first, corpus = tmp_path / "first.jsonl", Path(__file__).parents[1] / "corpora" / "sample" / "notes.jsonl"
    write_jsonl(first, NOTES)
    ws = tmp_path / "ws"
    child = subprocess.Popen([sys.executable, "-m", "casereview", "import", str(first), str(corpus), "-w", str(ws)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "CASEREVIEW_WORKSPACE": ""})
    reported = child.stderr.readline()  # the first file's line: it is in
    while not has_open(child.pid, corpus):  # not a time: a loaded machine's may be past the read, or short of it
        assert child.poll() is None, child.stderr.read()
        time.sleep(0.01)
    child.send_signal(signal.SIGINT)
    said = child.stderr.read()
    assert child.wait(timeout=120) == 130, (reported, said[-2000:])
    assert reported.startswith(f"{first.name}: {len(NOTES)} added")
    assert said.strip().splitlines()[-1].split() == (
        f"error: stopped (Ctrl-C): nothing of {corpus} was imported (each file is one transaction); the file before "
        "it is in").split()
    from casereview.workspace import Workspace
    with Workspace.open(ws, create=False) as opened:
        assert opened.status()["notes"] == len(NOTES)


def test_ctrl_c_just_after_a_files_commit_says_it_is_in(tmp_path):
    """A Ctrl-C in the moment between a file's commit and its report said the file was NOT imported; imported again,
    it was "unchanged". A real SIGINT, raised as the first file's COMMIT returns (a sitecustomize gives the command's
    SQLite connections a class of its own: not our code, SQLite's call), before a word of its report."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import signal, sqlite3\n"
        "class StoppedAsNotesCommit(sqlite3.Connection):\n"
        "    stopped = False\n"
        "    def execute(self, sql, *args):\n"
        "        cursor = super().execute(sql, *args)\n"
        "        if sql == 'COMMIT' and not StoppedAsNotesCommit.stopped and self.in_transaction is False:\n"
        "            try:\n"
        "                stored = super().execute('SELECT count(*) FROM notes').fetchone()[0]\n"
        "            except sqlite3.OperationalError:  # the workspace being made: no notes table yet\n"
        "                stored = 0\n"
        "            if stored:\n"
        "                StoppedAsNotesCommit.stopped = True\n"
        "                signal.raise_signal(signal.SIGINT)  # as Ctrl-C comes: the handler runs on return\n"
        "        return cursor\n"
        "connect = sqlite3.connect\n"
        "sqlite3.connect = lambda *args, **kwargs: connect(*args, factory=StoppedAsNotesCommit, **kwargs)\n")
    first, second = write_jsonl(tmp_path / "first.jsonl", NOTES), write_jsonl(tmp_path / "second.jsonl", [
        {"note_id": "s1", "text": "Home visit. Child seen alone."}])
    ws = tmp_path / "ws"
    path = os.pathsep.join([str(shim), *filter(None, [os.environ.get("PYTHONPATH")])])
    stopped = run_cli("import", str(first), str(second), "-w", str(ws), env={"PYTHONPATH": path})
    assert stopped.returncode == 130, stopped.stderr
    assert stopped.stderr.splitlines()[-1] == (f"error: stopped (Ctrl-C): nothing of {second} was imported (each "
                                               "file is one transaction); the file before it is in")
    assert stopped.stdout == "" and "Traceback" not in stopped.stderr
    again = run_cli("import", str(first), "-w", str(ws))
    assert again.returncode == 0 and again.stderr.startswith(f"{first.name}: 0 added, 0 updated, {len(NOTES)} "
                                                             "unchanged"), again.stderr


def console_script() -> list[str]:
    """The command as the installed ``casereview`` script runs it: pip writes one importing the entry point that
    pyproject.toml names, at its top, and calling it."""
    import sys
    import tomllib

    with open(Path(__file__).parents[1] / "pyproject.toml", "rb") as fh:
        module, function = tomllib.load(fh)["project"]["scripts"]["casereview"].split(":")
    return [sys.executable, "-c", f"import re\nimport sys\nfrom {module} import {function}\nsys.exit({function}())"]


@pytest.mark.parametrize("command", [["status"], ["models", "list"], ["merge", "decisions.jsonl"]])
def test_ctrl_c_while_the_command_loads_is_one_line_not_a_traceback(tmp_path, command):
    """A Ctrl-C in a command's first ~0.3 s (typer, rich and the library loading) printed a KeyboardInterrupt's
    traceback: the console script imported the command line at its top, before typer's handling. A real SIGINT lands
    while typer is imported, held open by a sitecustomize that waits there (its import is not ours to slow)."""
    import signal
    import subprocess

    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import sys, time\n"
        "class WaitAtTyper:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'typer':\n"
        "            print('importing typer', file=sys.stderr, flush=True)\n"
        "            time.sleep(30)\n"
        "sys.meta_path.insert(0, WaitAtTyper())\n")
    path = os.pathsep.join([str(shim), *filter(None, [os.environ.get("PYTHONPATH")])])
    child = subprocess.Popen([*console_script(), *command, "-w", str(tmp_path / "ws")], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": path})
    assert child.stderr.readline() == "importing typer\n"
    child.send_signal(signal.SIGINT)
    said = child.stderr.read()
    assert child.wait(timeout=60) == 130
    assert said == "error: stopped (Ctrl-C)\n" and child.stdout.read() == ""


def test_ctrl_c_in_pythons_shutdown_after_the_command_is_ignored(tmp_path):
    """A Ctrl-C once the command had ended, as Python tore its modules down (a second on a loaded machine), killed
    the process with no line: exit -2 to its parent, the command's own exit code lost, though its work was done and
    said. A real SIGINT, raised in that teardown by an object a sitecustomize keeps, deleted with its module."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import os, signal\n"
        "class CtrlCAtTeardown:\n"
        "    def __del__(self):\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "kept_until_teardown = CtrlCAtTeardown()\n")
    path = os.pathsep.join([str(shim), *filter(None, [os.environ.get("PYTHONPATH")])])
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "n.jsonl", NOTES)), "-w", ws).returncode == 0
    for command, code in ((["status", "-w", ws], 0), (["status", "-w", str(tmp_path / "missing")], 2)):
        done = run_cli(*command, env={"PYTHONPATH": path})
        assert done.returncode == code, done.stderr  # the command's own
        assert "Traceback" not in done.stderr and "stopped" not in done.stderr


@pytest.mark.parametrize("columns", [80, 40])
def test_a_step_shown_on_a_terminal_keeps_within_its_width_with_the_time_taken(columns):
    """'train --cv origin' told each voice left out in a line longer than 80 columns (a voice's name is up to 33
    characters): rich fitted it by dropping the spinner and the time taken and cutting the name anywhere. The step
    as a long command shows it, on a terminal of ``columns``: the longest voice's line whole in 80 columns."""
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    words = "44 of 44 voices left out, the last hand:interpreter_mediated_england"
    code = ("import time\nfrom casereview.cli import stages_shown\n"
            f"with stages_shown() as stage:\n    stage({words!r})\n    time.sleep(0.3)\n")  # shown a few times
    master, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}, "TERM": "xterm"}
    child = subprocess.Popen([sys.executable, "-c", code], stderr=terminal, stdout=subprocess.DEVNULL, env=env)
    os.close(terminal)
    shown = read_terminal_to_its_end(master)
    assert child.wait(timeout=60) == 0
    lines = {line for line in re.split(r"[\r\n]+", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode())) if line.strip()}
    with_words = [line for line in lines if line[2:].startswith(words[:20])]
    assert with_words and all(len(line) <= columns for line in lines), lines
    assert all(re.search(r" 0:00:0\d$", line) for line in with_words), lines  # the time taken kept
    assert all((words in line) == (columns == 80) for line in with_words), lines  # cut at the edge: "…"


def test_csv_import_with_map(tmp_path):
    path = tmp_path / "cms.csv"
    path.write_text("Ref,Narrative,Client\nr1,Home visit. Child seen alone.,C7\n", encoding="utf-8")
    ws = str(tmp_path / "ws")
    done = run_cli("import", str(path), "-w", ws, "--map", "Ref=note_id", "--map", "Narrative=text", "--map", "Client=case_id")
    assert done.returncode == 0, done.stderr
    exported = json.loads(run_cli("export", "notes", "-w", ws).stdout)
    assert exported == {"note_id": "r1", "text": "Home visit. Child seen alone.", "case_id": "C7"}


def test_import_says_which_other_columns_hold_personal_data_kept_as_they_came(tmp_path):
    # a CMS export's own columns (a child's name) are stored and exported as they came, findings covering note text
    # only: the import said "N personal-data findings to resolve" and nothing of them, so an inspector who had
    # resolved every finding exported the children's names unawares
    path = tmp_path / "cms.csv"
    path.write_text("Ref,Narrative,Child Name,Worker Team\n"
                    "r1,Home visit. Child seen alone.,Kayleigh Thompson,Safeguarding East\n"
                    "r2,Case closed.,Jayden Smith,Safeguarding East\n"
                    "r3,Letter sent.,,Safeguarding West\n", encoding="utf-8")
    ws = str(tmp_path / "ws")
    done = run_cli("import", str(path), "-w", ws, "--map", "Ref=note_id", "--map", "Narrative=text")
    assert done.returncode == 0, done.stderr
    assert ("personal data found in other fields, kept as they came (findings cover note text only, and exports "
            "carry these fields; --redact redacts them): Child Name (2 notes)") in " ".join(done.stderr.split())
    assert "Kayleigh" not in done.stderr and "Worker Team" not in done.stderr
    redacted = run_cli("import", str(path), "-w", str(tmp_path / "ws2"), "--redact", "--map", "Ref=note_id",
                       "--map", "Narrative=text")
    assert redacted.returncode == 0 and "other fields" not in redacted.stderr, redacted.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("export", "everything", "-w", str(tmp_path)).returncode == 2
    assert run_cli("import", "--map", "nonsense", str(tmp_path)).returncode == 2
    assert run_cli("status", "-w", str(tmp_path / "missing")).returncode == 2
    assert run_cli("frobnicate").returncode == 2


def command_names(group, prefix=()):
    import typer.main

    command = typer.main.get_command(group) if not hasattr(group, "commands") else group
    for name, sub in command.commands.items():
        if hasattr(sub, "commands"):
            yield from command_names(sub, prefix + (name,))
        else:
            yield prefix + (name,)


@pytest.mark.parametrize("group", [(), ("models",), ("pii",)])
def test_the_command_and_its_groups_have_help_with_examples(group):
    out = run_cli(*group, "--help", env=WIDE).stdout
    assert "Examples" in out
    commands = [line.strip() for line in out.splitlines() if line.strip().startswith("casereview ")]
    assert len(commands) >= 3 and all(c.startswith(" ".join(("casereview",) + group) + " ") for c in commands)


@pytest.mark.slow  # 12-30 s: the default run keeps under 10 minutes; CI runs it
def test_every_command_has_help_with_an_example():
    from casereview.cli import app

    commands = list(command_names(app))
    assert ("import",) in commands and ("status",) in commands
    for command in commands:
        done = run_cli(*command, "--help")
        assert done.returncode == 0, command
        assert "casereview " + " ".join(command) in done.stdout, command


WIDE = {"TERMINAL_WIDTH": "1000", "COLUMNS": "1000"}  # help on one line per option


def test_help_and_readme_call_a_dispute_a_dispute():
    # The report, the adjudication screen and agreement say "dispute"; "disagreement" beside it read
    # as a second kind of thing to settle.
    import typer.main

    from casereview.cli import app

    root = typer.main.get_command(app)
    texts = []
    for path in command_names(app):
        command = root
        for name in path:
            command = command.commands[name]
        texts += [(path, command.help or "")] + [(path, getattr(p, "help", None) or "") for p in command.params]
    assert [(path, text) for path, text in texts if "disagreement" in text.lower()] == []
    out = " ".join(run_cli("review", "--help", env=WIDE).stdout.split())
    assert "Settle an audit's open disputes (senior reviewer)." in out
    assert "disagreement" not in (Path(__file__).parents[1] / "README.md").read_text().lower()


@pytest.mark.slow  # 12-30 s: the default run keeps under 10 minutes; CI runs it
def test_help_shows_every_documented_default():
    import typer.main

    from casereview.cli import app

    root = typer.main.get_command(app)
    checked = 0
    for path in command_names(app):
        command = root
        for name in path:
            command = command.commands[name]
        helps = [p.help for p in command.params if "default:" in (getattr(p, "help", None) or "")]
        if helps:
            out = run_cli(*path, "--help", env=WIDE).stdout
            for text in helps:
                assert text.replace("\\[", "[") in out, (path, text)
                checked += 1
    assert checked > 20
    assert "[default: ./casereview-workspace]" in run_cli("status", "--help", env=WIDE).stdout


@pytest.mark.slow  # 9 s alone: the default run keeps well under CI's 10 minutes; CI runs it
def test_demo_prepares_a_tagged_workspace_of_the_sample():
    done = run_cli("demo", "--no-ui")
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    from casereview import corpus

    assert status["notes"] == len(corpus.load()) == status["scored_notes"]
    assert status["decision_events"] == 0  # the sample's gold labels are not imported as decisions
    assert status["promoted_model"]


# -- output files: owner-only, and replaced only by a successful run ---------------------------------

@pytest.fixture
def umask_022():
    """The usual umask, so that a file created without an explicit mode would be world-readable."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def imported(tmp_path):
    """(workspace folder, notes file) with NOTES imported: notes, labels and decisions to export."""
    notes = write_jsonl(tmp_path / "notes.jsonl", NOTES)
    ws = tmp_path / "ws"
    done = run_cli("import", str(notes), "-w", str(ws))
    assert done.returncode == 0, done.stderr
    return ws, notes


OUTPUT_COMMANDS = {
    "export notes": ("export", "notes", "--allow-pii", "-w", "{ws}"),
    "export labels csv": ("export", "labels", "-f", "csv", "-w", "{ws}"),
    "export decisions csv": ("export", "decisions", "-f", "csv", "-w", "{ws}"),
    "predict": ("predict", "{notes}", "-p", "1"),
    "pii scan": ("pii", "scan", "{notes}"),
    "pii redact": ("pii", "redact", "{notes}"),
    "report": ("report", "-f", "md", "-w", "{ws}"),
}


def _args(command: tuple, ws: Path, notes: Path) -> list[str]:
    return [a.format(ws=ws, notes=notes) for a in command]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.slow) if name == "predict" else name
                                  for name in OUTPUT_COMMANDS])  # predict: 5 s alone; CI runs it
def test_output_files_are_owner_only_new_or_replaced(name, imported, tmp_path, umask_022):
    ws, notes = imported
    target = tmp_path / "out" / "result"
    target.parent.mkdir()
    args = _args(OUTPUT_COMMANDS[name], ws, notes) + ["-o", str(target)]
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    written = target.read_text(encoding="utf-8")
    assert written
    target.write_text("an older file\n", encoding="utf-8")
    target.chmod(0o644)  # an older, world-readable file of the same name
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # a report states the minute it was made, which a second run can be a minute (or a day) past
    assert _minutes_blanked(target.read_text(encoding="utf-8")) == _minutes_blanked(written)
    assert _leftovers(target.parent) == []


def _minutes_blanked(text: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "(made at)", text)


def run_with_reader_gone(*args: str):
    """The real command with its stdout a pipe whose reader has already gone, as `| head -1` leaves it once
    head has its line: every write to stdout fails with a broken pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return run_cli(*args, stdout=write_end)
    finally:
        os.close(write_end)


STDOUT_COMMANDS = {**OUTPUT_COMMANDS, "status": ("status", "-w", "{ws}"), "audits": ("audits", "-w", "{ws}"),
                   "sample": ("sample", "--size", "2", "--seed", "7", "--name", "peek", "-w", "{ws}")}


KILLED_WRITING = """
import os, signal, sys
from casereview.files import private_file
with private_file(sys.argv[1]) as fh:
    fh.write("Mother said her partner hit her.\\n")
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_partial_output_a_killed_run_left_is_removed_by_the_next_run_writing_it(imported, tmp_path):
    """An export killed while writing left its hidden temporary file, a partial copy of the notes, beside the
    output for good."""
    import subprocess
    import sys

    from casereview.files import private_file

    ws, _ = imported
    target = tmp_path / "out.jsonl"
    with private_file(target) as writing:  # one being written (this process holds it) is left alone
        writing.write("x")
        writing.flush()  # not empty: held, not merely new
        [being_written] = [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl.")]
        killed = subprocess.run([sys.executable, "-c", KILLED_WRITING, str(target)], capture_output=True)
        assert killed.returncode == -9, killed.stderr
        [left] = [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl.") and p != being_written]
        done = run_cli("export", "notes", "--allow-pii", "-w", str(ws), "-o", str(target))
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines()[0] == (f"note: {left}: removed a partial file that a run writing out.jsonl "
                                               "stopped (killed) left behind")
        assert being_written.exists() and not left.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


@pytest.mark.parametrize("name", STDOUT_COMMANDS)
def test_a_reader_that_stops_early_ends_the_output_quietly(name, imported):
    # `casereview sample ... | head -1` exited 1, which says a check failed, though the audit was saved.
    ws, notes = imported
    assert run_cli("sample", "--size", "1", "--seed", "1", "--name", "earlier", "-w", str(ws)).returncode == 0
    done = run_with_reader_gone(*_args(STDOUT_COMMANDS[name], ws, notes))
    assert done.returncode == 0, done.stderr
    assert not any(word in done.stderr for word in ("Traceback", "Broken pipe", "BrokenPipe", "Exception ignored"))
    if name == "sample":  # saved, and named on stderr (its default name is a time nobody knows ahead)
        assert "audit peek: 2 notes of 3" in done.stderr
        assert "peek" in run_cli("audits", "-w", str(ws)).stdout


def test_a_reader_that_stops_early_keeps_the_exit_code_of_a_failed_check(tmp_path):
    # what the command found still decides: `pii findings | head` must not turn open findings into a pass
    notes = write_jsonl(tmp_path / "n.jsonl", [*NOTES, {"note_id": "n9", "text": "Mum's mobile is 07700 900123."}])
    ws = tmp_path / "ws"
    assert run_cli("import", str(notes), "-w", str(ws)).returncode == 0
    done = run_with_reader_gone("pii", "findings", "--unresolved", "-w", str(ws))
    assert done.returncode == 1 and "1 finding; 1 unresolved" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", STDOUT_COMMANDS)
def test_stdout_the_disk_cannot_take_is_a_one_line_error(name, imported):
    # `casereview predict notes.jsonl > /dev/full` (and status, sample...) ended in a Python traceback, exit 1
    # (OSError: No space left on device)
    ws, notes = imported
    assert run_cli("sample", "--size", "1", "--seed", "1", "--name", "earlier", "-w", str(ws)).returncode == 0
    with open("/dev/full", "w") as full:
        done = run_cli(*_args(STDOUT_COMMANDS[name], ws, notes), stdout=full)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == "error: <stdout>: cannot write (No space left on device)"
    assert not any(word in done.stderr for word in ("Traceback", "Exception ignored", "Errno"))
    assert _no_note_text(done.stderr)
    if name == "sample":  # the audit drawn is saved all the same, and named on stderr
        assert "audit peek: 2 notes of 3" in done.stderr
        assert "peek" in run_cli("audits", "-w", str(ws)).stdout


def test_no_stdout_at_all_is_a_one_line_error(notes_file):
    # started with stdout closed (`>&-`), predict ended in a traceback (AttributeError: 'NoneType' ... 'write')
    done = run_cli("predict", str(notes_file), "-p", "1", preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert done.stderr.strip() == "error: <stdout>: cannot write (Bad file descriptor)"


@pytest.fixture
def scanned(notes_file):
    """(notes file, what ``pii scan`` writes for it to stdout): the output the tests below expect elsewhere."""
    done = run_cli("pii", "scan", str(notes_file))
    assert done.returncode == 0 and done.stdout, done.stderr
    return notes_file, done.stdout


def test_an_output_through_a_link_replaces_the_file_it_points_to(scanned, tmp_path, umask_022):
    notes, expected = scanned
    real = tmp_path / "real" / "scan.jsonl"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "links" / "scan.jsonl"
    link.parent.mkdir()
    link.symlink_to(real)
    done = run_cli("pii", "scan", str(notes), "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.readlink() == real
    assert real.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert _leftovers(real.parent) == _leftovers(link.parent) == []


def test_an_output_to_a_named_pipe_goes_down_the_pipe(scanned, tmp_path):
    notes, expected = scanned
    fifo = tmp_path / "scan.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    held = os.open(fifo, os.O_WRONLY)  # the reader sees no end of the pipe until the command has run
    os.set_blocking(reader, True)
    received = []

    def read():
        with open(reader, "rb") as fh:
            received.append(fh.read().decode("utf-8"))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    done = run_cli("pii", "scan", str(notes), "-o", str(fifo))
    os.close(held)
    thread.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert received == [expected]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _leftovers(tmp_path) == []


def test_an_output_to_a_descriptor_is_written_to_it_as_it_is(scanned):
    # /dev/fd/1 rather than /dev/null or /dev/stdout: were the code ever to replace the target again,
    # it could not replace anything under /proc, whereas a run as root would replace a device node
    notes, expected = scanned
    before = os.stat("/dev/fd")
    done = run_cli("pii", "scan", str(notes), "-o", "/dev/fd/1")
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected
    assert os.stat("/dev/fd").st_ino == before.st_ino


def test_an_output_to_stdout_that_the_shell_sends_to_a_file_is_added_to_it(scanned, tmp_path):
    notes, expected = scanned
    log = tmp_path / "log.jsonl"
    log.write_text("earlier\n", encoding="utf-8")
    with open(log, "a", encoding="utf-8") as fh:  # casereview ... -o /dev/fd/1 >> log.jsonl
        done = run_cli("pii", "scan", str(notes), "-o", "/dev/fd/1", stdout=fh)
    assert done.returncode == 0, done.stderr
    assert log.read_text(encoding="utf-8") == "earlier\n" + expected
    assert _leftovers(tmp_path) == []


BAD_LINE = '{"note_id": "x", "text": "Half a no'


@pytest.mark.parametrize("command", [("predict", "-p", "1"), ("pii", "scan"), ("pii", "redact")])
@pytest.mark.parametrize("problem", ["missing", "malformed after good notes"])
def test_a_failed_run_leaves_the_existing_output_as_it_was(command, problem, tmp_path):
    source = tmp_path / "in.jsonl"
    if problem == "malformed after good notes":  # the good notes are written out before the bad line is read
        good = "".join(json.dumps(n) + "\n" for n in NOTES)
        source.write_text(good + BAD_LINE + "\n", encoding="utf-8")
    keep = tmp_path / "keep.jsonl"
    keep.write_text("precious\n", encoding="utf-8")
    done = run_cli(*command, str(source), "-o", str(keep))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
    assert keep.read_text(encoding="utf-8") == "precious\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("command", [("predict",), ("evaluate",), ("pii", "scan"), ("pii", "redact"), ("pii", "evaluate")])
def test_an_input_that_is_a_folder_is_a_one_line_error(command, tmp_path):
    folder = tmp_path / "adir.jsonl"
    folder.mkdir()
    done = run_cli(*command, str(folder))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {folder}: is a folder, not a file"


@pytest.mark.parametrize("command", [("evaluate",), ("pii", "evaluate")])
def test_an_empty_gold_file_is_a_one_line_error(command, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n", encoding="utf-8")
    done = run_cli(*command, str(gold))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {gold}: no notes in the file"


@pytest.mark.parametrize("command", [("export", "notes"), ("report",)])
def test_an_output_folder_that_does_not_exist_is_a_one_line_error(command, imported, tmp_path):
    ws, _ = imported
    target = tmp_path / "nodir" / "x.md"
    done = run_cli(*command, "-w", str(ws), "-o", str(target))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {target}: no such folder '{target.parent}'"


def _no_note_text(stream: str) -> bool:
    return not any(note["text"] in stream for note in NOTES)


@pytest.mark.parametrize("name", OUTPUT_COMMANDS)
def test_an_output_the_disk_cannot_take_is_a_one_line_error_naming_it(name, imported):
    # -o on a full disk ended in a Python traceback (OSError: [Errno 28] No space left on device)
    ws, notes = imported
    done = run_cli(*_args(OUTPUT_COMMANDS[name], ws, notes), "-o", "/dev/full")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: /dev/full: cannot write (No space left on device)"
    assert _no_note_text(done.stderr + done.stdout)


@pytest.mark.parametrize("command", [("predict", "-p", "1"), ("pii", "scan"), ("pii", "redact")])
def test_an_output_file_that_fills_up_half_way_is_an_error_and_the_existing_file_stays(command, tmp_path):
    many = [{**note, "note_id": f"{note['note_id']}-{i}"} for i in range(40) for note in NOTES]
    source = write_jsonl(tmp_path / "in.jsonl", many)
    assert source.stat().st_size > 4096  # what is written is larger than the limit too
    keep = tmp_path / "keep.jsonl"
    keep.write_text("precious\n", encoding="utf-8")
    done = run_cli(*command, str(source), "-o", str(keep), preexec_fn=file_size_limit(4096),
                   env={"PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {keep}: cannot write (File too large)"
    assert _no_note_text(done.stderr + done.stdout)
    assert keep.read_text(encoding="utf-8") == "precious\n"
    assert _leftovers(tmp_path) == []  # no half-written temporary file


@pytest.mark.parametrize("to_file", [False, True])
def test_predict_writes_every_note_before_an_invalid_one_then_fails(tmp_path, to_file):
    # notes are read ahead in batches: the ones read before the bad row were dropped with the batch
    good = [{**NOTES[i % len(NOTES)], "note_id": f"n{i}"} for i in range(700)]
    path = write_jsonl(tmp_path / "notes.jsonl", good + [{"note_id": "bad", "text": "x", "note_type": "chat"}])
    output = tmp_path / "out.jsonl"
    done = run_cli("predict", str(path), "-p", "1", *(["-o", str(output)] if to_file else []))
    assert done.returncode == 2
    assert "notes.jsonl:701: field 'note_type'" in done.stderr
    if to_file:  # a file is made whole or not at all
        assert not output.exists()
    else:
        assert [json.loads(line)["note_id"] for line in done.stdout.splitlines()] == [n["note_id"] for n in good]


def test_predict_reads_stdin_that_cannot_be_opened_by_path(tmp_path):
    # '-' opened /dev/stdin again by path, which fails for a socket (ENXIO), as inetd or ssh may give
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.sendall("".join(json.dumps(n) + "\n" for n in NOTES).encode())
        ours.shutdown(socket.SHUT_WR)
        done = run_cli("predict", "-", "-p", "1", stdin=theirs)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["note_id"] for line in done.stdout.splitlines()] == [n["note_id"] for n in NOTES]


def test_a_column_mapped_to_labels_never_puts_note_text_in_the_error(tmp_path):
    text = "Mother disclosed that the step-father hit the baby last week"
    path = tmp_path / "cms-export.csv"
    path.write_text(f'Ref,ClientRef,Narrative\nr1,C1,"{text}"\n', encoding="utf-8")
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"),
                   "--map", "Ref=note_id", "--map", "Narrative=labels", "--map", "ClientRef=text")
    assert done.returncode == 2
    assert "cms-export.csv:2: field 'Narrative (labels)': unknown label; known: " in done.stderr
    assert not any(text[i:i + 8] in done.stderr + done.stdout for i in range(len(text) - 7))


def test_a_workspace_path_that_is_a_file_is_a_one_line_error(notes_file, tmp_path):
    afile = tmp_path / "afile"
    afile.touch()
    done = run_cli("import", str(notes_file), "-w", str(afile))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {afile}: is a file, not a workspace folder"


def test_import_checks_every_input_before_creating_the_workspace(notes_file, tmp_path):
    ws = tmp_path / "ws_x"
    done = run_cli("import", str(notes_file), str(tmp_path / "nope.jsonl"), "-w", str(ws))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {tmp_path / 'nope.jsonl'}: no such file or folder"
    assert not ws.exists()  # nor was notes.jsonl imported


@pytest.mark.parametrize("kind", ["empty file", "blank lines", "csv header only", "folder without .txt"])
def test_an_input_with_no_notes_is_an_error(kind, tmp_path):
    path = {"empty file": tmp_path / "empty.jsonl", "blank lines": tmp_path / "blank.jsonl",
            "csv header only": tmp_path / "header.csv", "folder without .txt": tmp_path / "letters"}[kind]
    if kind == "folder without .txt":
        path.mkdir()
        (path / "readme.md").write_text("not a note")
    else:
        path.write_text({"empty file": "", "blank lines": "\n  \n", "csv header only": "note_id,text\n"}[kind])
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}: ") and "no notes to import" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


CMS_CSV = "ClientRef,Narrative,Ref\nC1,Home visit. Child seen alone.,r1\nC1,Case closed. NFA.,r2\n"


def test_a_map_naming_no_column_is_one_error_listing_the_columns(tmp_path):
    path = tmp_path / "cms-export.csv"
    path.write_text(CMS_CSV, encoding="utf-8")
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"), "--map", "Ref=note_id", "--map", "Narative=text")
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: {path}: --map Narative=text: no column 'Narative' "
                                   "(columns: ClientRef, Narrative, Ref)")
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize("cells", [["Jayden Smith", "12/03/2015", "CR-10293", "Mother said the baby was hit"],
                                   ["Jayden Smith", "Mother", "Home visit"]])  # short, digit-free cells too
def test_a_map_never_shows_a_headerless_files_cells(cells, tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text(",".join(cells) + "\n", encoding="utf-8")
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"), "--map", "Ref=note_id", "--map", "Narrative=text")
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: {path}: --map Ref=note_id: no column 'Ref' ({len(cells)} columns; "
                                   f"{HIDDEN_FIRST_ROW})")
    assert not any(word in done.stderr for cell in cells for word in cell.split() if len(word) > 3)  # not 'the'


def test_a_header_of_a_systems_own_names_is_not_said_to_look_like_data(tmp_path):
    # "Entry ID,Case Ref,...,Case Note" was said to look like data, not headings: the inspector went looking for a
    # lost header row (a BOM?) that was there all along. It is hidden as it names no field casereview knows.
    path = tmp_path / "cms-export.csv"
    path.write_text("\ufeffEntry ID,Case Ref,Entry Date,Worker Role,Entry Type,Case Note\r\n"
                    "A-1,C1,01/02/2023,Social Worker,Home Visit,Seen.\r\n", encoding="utf-8")
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"))
    assert done.returncode == 2
    assert done.stderr.strip().endswith(f"no 'note_id' column; rename one with --map SOURCE=note_id (6 columns; "
                                        f"{HIDDEN_FIRST_ROW})")
    assert "looks like data" not in done.stderr and "Case Ref" not in done.stderr


HIDDEN_FIRST_ROW = ("the first row is not shown: no cell of it is a field casereview knows or a --map name, "
                    "so it may be a note's data, not headings")


@pytest.mark.parametrize("kind", ["jsonl", "folder"])
def test_a_map_with_anything_but_csv_is_an_error(kind, notes_file, tmp_path):
    path = notes_file
    if kind == "folder":
        path = tmp_path / "letters"
        path.mkdir()
        (path / "a.txt").write_text("Home visit.")
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"), "--map", "Narrative=text")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {path}: --map renames CSV columns")
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize("command", ["predict", "evaluate"])
@pytest.mark.parametrize("how", ["--workspace", "CASEREVIEW_WORKSPACE", "./casereview-workspace"])
def test_predict_and_evaluate_use_the_workspaces_promoted_model(command, how, notes_file, tmp_path):
    from casereview.workspace import Workspace

    folder = tmp_path / ("casereview-workspace" if how == "./casereview-workspace" else "ws")
    with Workspace.open(folder) as ws:  # a promoted model whose folder is gone: using it is an error naming it
        ws.register_model("gone-1", str(tmp_path / "gone-model"), "0" * 64, promote=True)
    gold = write_jsonl(tmp_path / "gold.jsonl", NOTES[:2])
    args = [command, str(gold), "-p", "1"] if command == "predict" else [command, str(gold)]
    if how == "--workspace":
        args += ["--workspace", str(folder)]
    env = {"CASEREVIEW_WORKSPACE": str(folder)} if how == "CASEREVIEW_WORKSPACE" else None
    done = run_cli(*args, cwd=tmp_path, env=env)
    assert done.returncode == 2
    assert "gone-model" in done.stderr and "Traceback" not in done.stderr
    folder.rename(tmp_path / "elsewhere")  # no workspace at all: the shipped model
    assert run_cli(*args[:2] if how == "--workspace" else args, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_predict_and_evaluate_refuse_a_named_workspace_that_does_not_exist(command, tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", NOTES[:2])
    done = run_cli(command, str(gold), env={"CASEREVIEW_WORKSPACE": str(tmp_path / "nope")})
    assert done.returncode == 2 and "no workspace at" in done.stderr


def test_file_names_are_printed_as_they_are_and_never_wrapped(tmp_path):
    folder = tmp_path / ("a-long-folder-name-for-an-inspectors-export-" * 2)
    folder.mkdir()
    missing = folder / "notes[/]-[bold].jsonl"
    done = run_cli("import", str(missing), "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and done.stderr == f"error: {missing}: no such file or folder\n"
    path = write_jsonl(folder / "notes[bold].jsonl", [NOTES[2], {"note_id": "x", "text": ""}])
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"), "--skip-invalid")
    assert done.returncode == 0
    assert done.stderr == (f"notes[bold].jsonl: 1 added, 0 updated, 0 unchanged, 0 decisions, 1 rejected -> "
                           f"{path}.rejects.jsonl\n")


def test_a_coded_copy_of_notes_imported_before_records_its_labels(tmp_path):
    """The notes imported unlabelled, then the coded copy: '2 unchanged, 0 decisions', its labels dropped unsaid."""
    ws = str(tmp_path / "ws")
    unlabelled = write_jsonl(tmp_path / "cms.jsonl", [{k: v for k, v in n.items() if k != "labels"} for n in NOTES])
    assert run_cli("import", str(unlabelled), "-w", ws).returncode == 0
    coded = write_jsonl(tmp_path / "coded.jsonl", NOTES)
    done = run_cli("import", str(coded), "-w", ws)
    assert done.returncode == 0
    assert done.stderr == "coded.jsonl: 0 added, 0 updated, 3 unchanged, 14 decisions\n"
    status = run_cli("status", "-w", ws).stdout
    assert "labels by final state: confirmed 1, rejected 13, added 0, unsure 0" in status
    assert run_cli("import", str(coded), "-w", ws).stderr == "coded.jsonl: 0 added, 0 updated, 3 unchanged, 0 decisions\n"


@pytest.mark.parametrize("command", [("evaluate",), ("pii", "evaluate")])
def test_a_gold_files_name_is_its_tables_title_as_written_not_read_as_markup(command, tmp_path):
    # the title read "gold .jsonl (...)": '[v2]' was taken for a style and dropped
    gold = write_jsonl(tmp_path / "gold [v2] [i]draft.jsonl", [
        {"note_id": "g1", "text": "Ring Rhian Bowen.", "labels": [], "entities": [{"start": 5, "end": 16, "label": "PERSON"}]},
        {"note_id": "g2", "text": "Visit delayed again.", "labels": ["delay_timeliness"], "entities": []}])
    done = run_cli(*command, str(gold), env={"COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(f"{gold.name} (")


def test_import_from_stdin_is_a_clear_error(notes_file, tmp_path):
    done = run_cli("import", "-", "-w", str(tmp_path / "ws"), input=notes_file.read_text())
    assert done.returncode == 2
    assert done.stderr.startswith("error: -: import reads files, not standard input")
    assert not (tmp_path / "ws").exists()


def test_a_folder_import_reads_txt_files_in_any_case_and_counts_what_it_does_not_read(tmp_path):
    folder = tmp_path / "letters"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "a.txt").write_text("In a subfolder.", encoding="utf-8")
    (folder / "Jayden Smith.docx").write_bytes(b"PK\x03\x04")
    (folder / "._n1.txt").write_bytes(b"\x00\x05\x16\x07\xff")  # what macOS leaves in archives
    (folder / "n1.txt").write_text("Home visit.", encoding="utf-8")
    (folder / "N2.TXT").write_text("Case closed.", encoding="utf-8")
    done = run_cli("import", str(folder), "-w", str(tmp_path / "ws"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ("letters: 2 added, 0 updated, 0 unchanged, 0 decisions; 3 other entries of the folder "
                           "not read (only .txt files are notes)\n")
    assert "Jayden" not in done.stderr


def test_a_changed_note_is_refused_naming_the_file_line_and_field_of_every_one(tmp_path):
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "notes.jsonl", NOTES)), "-w", ws).returncode == 0
    secret = "Mother disclosed a secret about the baby"
    changed = [NOTES[0], {**NOTES[1], "date": "2025-02-05"}, {**NOTES[2], "text": secret, "team": "North"}]
    done = run_cli("import", str(write_jsonl(tmp_path / "notes2.jsonl", changed)), "-w", ws)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: notes2.jsonl: 2 notes already in the workspace with different content; nothing imported "
        "(use --update to replace them; the old versions are kept)",
        "  notes2.jsonl:2: field 'date': note 'n2' differs from the one in the workspace",
        "  notes2.jsonl:3: field 'text': note 'n3' differs from the one in the workspace (so does 'team')",
    ]
    assert secret not in done.stderr + done.stdout
    assert "2 updated" in run_cli("import", str(tmp_path / "notes2.jsonl"), "-w", ws, "--update").stderr


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
@pytest.mark.parametrize("command", ["evaluate", "tag"])
def test_help_examples_with_a_model_you_trained_run_as_written(command, notes_file, tmp_path):
    # 'casereview train --out models/my-model' writes a model whose hash is neither pinned nor registered:
    # every example that then uses it must say --trust-model, or it is refused (exit 2)
    import shlex
    import shutil

    from casereview.registry import shipped_default_folder

    shutil.copytree(shipped_default_folder(), tmp_path / "models" / "my-model")
    write_jsonl(tmp_path / "gold.jsonl", NOTES[:2])
    assert run_cli("import", str(notes_file), "-w", str(tmp_path / "ws")).returncode == 0
    examples = [shlex.split(line.strip())[1:] for line in run_cli(command, "--help", env=WIDE).stdout.splitlines()
                if line.strip().startswith(f"casereview {command} ") and "models/my-model" in line]
    assert examples
    for args in examples:
        done = run_cli(*args, cwd=tmp_path, env={"CASEREVIEW_WORKSPACE": str(tmp_path / "ws")})
        assert done.returncode == 0, (args, done.stderr)


@pytest.mark.slow  # 12-30 s: the default run keeps under 10 minutes; CI runs it
def test_help_text_wraps_evenly_in_80_columns():
    # rich keeps a docstring's line breaks: a line longer than the terminal wraps and leaves a stub of a
    # few words before the next, so a paragraph reads in ragged halves on an 80-column terminal (SSH)
    from casereview.cli import app

    ragged, cut = [], []
    for command in [()] + list(command_names(app)) + [("models",), ("pii",)]:
        out = run_cli(*command, "--help", env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"}).stdout
        text = out.split("Usage:", 1)[1].split("Examples", 1)[0].split("Example\n", 1)[0].splitlines()[1:]
        for line, after in zip(text, text[1:]):
            if line.strip() and after.strip() and len(line.rstrip()) < 40:
                ragged.append((" ".join(command), line.strip()))
        # an example too long for the line went on on the next, and cannot be copied as one command
        examples = out.partition("Example")[2].partition("╭")[0].splitlines()
        cut += [(" ".join(command), after.strip()) for line, after in zip(examples, examples[1:])
                if line.strip().startswith("casereview ") and after.strip()]
    assert not ragged
    assert not cut


@pytest.mark.parametrize("group", [(), ("models",), ("pii",)])
def test_a_groups_list_of_commands_wraps_evenly_in_80_columns(group):
    # a command's one-line summary is its docstring's first paragraph: a line break in it was kept, and
    # 'models --help' listed "! a model file missing" alone on a line, half of it empty
    out = run_cli(*group, "--help", env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"}).stdout
    rows = [line.strip()[1:-1] for line in out.partition("╭─ Commands")[2].partition("╰")[0].splitlines()[1:]]
    start = len(re.match(r" \S+\s+", rows[0]).group())  # where the summaries' column starts
    width = len(rows[0]) - start - 1
    ragged = [(line.strip(), after.strip()) for line, after in zip(rows, rows[1:])
              if not after[:start].strip() and len(line[start:].rstrip()) + 1 + len(after.split()[0]) <= width]
    assert not ragged


def test_import_whose_rejects_file_cannot_be_written_creates_no_workspace(tmp_path):
    path = write_jsonl(tmp_path / "n.jsonl", [NOTES[0], {"note_id": "no-text"}])
    (tmp_path / "n.jsonl.rejects.jsonl").mkdir()
    done = run_cli("import", str(path), "--skip-invalid", "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and done.stderr == f"error: {tmp_path / 'n.jsonl.rejects.jsonl'}: is a folder, not a file\n"
    assert not (tmp_path / "ws").exists()


def test_a_mapped_columns_error_names_the_csvs_own_column_and_the_field(tmp_path):
    """The user fixes the CSV's AuthorRole column: an error naming only 'author_role' sent them looking for it."""
    path = tmp_path / "cms.csv"
    path.write_text("Ref,Narrative,AuthorRole\nr1,Home visit.,social_worker\nr2,Child seen.,wizard\n", encoding="utf-8")
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"),
                   "--map", "Ref=note_id", "--map", "Narrative=text", "--map", "AuthorRole=author_role")
    assert done.returncode == 2
    assert "cms.csv:3: field 'AuthorRole (author_role)': 'wizard' is not a codebook author role" in done.stderr, done.stderr
    done = run_cli("import", str(path), "-w", str(tmp_path / "ws"), "--skip-invalid",
                   "--map", "Ref=note_id", "--map", "Narrative=text", "--map", "AuthorRole=author_role")
    assert done.returncode == 0, done.stderr
    # the rejects file names the field as the error did ('author_role' alone sent the user looking for a column
    # the file does not have); its row stays keyed by the fields it was read into, importable as JSON Lines
    [reject] = [json.loads(line) for line in (tmp_path / "cms.csv.rejects.jsonl").read_text().splitlines()]
    assert reject["field"] == "AuthorRole (author_role)" and reject["row"]["author_role"] == "wizard"
    assert reject["reason"].startswith("'wizard' is not a codebook author role; known: ")


def test_status_says_which_model_scores_before_one_is_promoted(notes_file, tmp_path):
    from casereview import registry

    ws = str(tmp_path / "ws")
    assert run_cli("import", str(notes_file), "-w", ws).returncode == 0
    done = run_cli("status", "-w", ws)
    assert done.returncode == 0, done.stderr
    default = registry.shipped_pins()["default"]
    assert (f"promoted model: none yet (the shipped default, {default}, scores notes until one is promoted)"
            in done.stdout.splitlines()), done.stdout
    assert json.loads(run_cli("status", "--json", "-w", ws).stdout)["promoted_model"] is None


def test_status_reads_the_workspace_without_loading_the_model_code(notes_file, tmp_path):
    """status imported scikit-learn through the registry (about 2.6 s of its 3 s, and 130 MB): it loads no model."""
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(notes_file), "-w", ws).returncode == 0
    done = run_saying_if_model_code_loaded("status", "-w", ws)
    assert "notes" in done.stdout and done.stderr.strip().endswith("sklearn not loaded"), done.stderr
    # nor numpy (a tenth of every command's start-up, imported for the uncertain queue's order and agreement's sums)
    done = run_saying_if_model_code_loaded("status", "-w", ws, module="numpy")
    assert "notes" in done.stdout and done.stderr.strip().endswith("numpy not loaded"), done.stderr


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_a_promoted_model_whose_file_is_gone_is_said_before_loading_the_model_code(command, tmp_path):
    """The workspace's promoted model's file missing (an upgrade removed it): said after scikit-learn's 2 s import."""
    from casereview.workspace import Workspace

    with Workspace.open(tmp_path / "ws") as ws:
        ws.register_model("gone-1", str(tmp_path / "gone-model"), "0" * 64, promote=True)
    gold = write_jsonl(tmp_path / "gold.jsonl", NOTES[:2])
    done = run_saying_if_model_code_loaded(command, str(gold), "-w", str(tmp_path / "ws"))
    assert "gone-model" in done.stderr and done.stderr.strip().endswith("sklearn not loaded"), done.stderr


def test_models_list_show_and_rollback_load_no_model_code(tmp_path):
    """'models list' and 'models show' imported scikit-learn and spaCy through the learning loop's module (2 s of
    CPU each, about 80% of their time) to read the registry: only retrain and promote load a model."""
    from casereview import registry
    from casereview.model_files import sha256_file
    from casereview.workspace import Workspace

    folder = registry.shipped_default_folder()
    version = registry.shipped_pins()["default"]
    with Workspace.open(tmp_path / "ws") as ws:
        ws.register_model(version, str(folder), sha256_file(folder / "model.joblib"), promote=True)
    ws = str(tmp_path / "ws")
    for args in (["models", "list"], ["models", "show", version], ["models", "rollback"]):
        done = run_saying_if_model_code_loaded(*args, "-w", ws)
        assert done.stderr.strip().endswith("sklearn not loaded"), (args, done.stderr)
        assert version in done.stdout or "nothing to roll back to" in done.stderr, (args, done.stdout, done.stderr)


def test_the_shipped_models_figures_are_listed_from_its_card(notes_file, tmp_path):
    """Registered by 'tag' with no figures of its own, the shipped model showed '-' for its test F1."""
    from casereview import registry
    from casereview.model_files import sha256_file
    from casereview.workspace import Workspace

    folder = registry.shipped_default_folder()
    card = json.loads((folder / "model-card.json").read_text())
    version = card["version"]
    with Workspace.open(tmp_path / "ws") as ws:  # as 'tag' registers it, in a workspace made before this fix too
        ws.register_model(version, str(folder), sha256_file(folder / "model.joblib"), promote=True)
    table = run_cli("models", "list", "-w", str(tmp_path / "ws"), env={"COLUMNS": "80"}).stdout
    row = next(line for line in table.splitlines() if version in line).split()
    assert row[4:6] == [card["corpus"], "-"] and row[6] == f"{card['metrics']['test']['macro_f1']:.3f}", table
    shown = run_cli("models", "show", version, "-w", str(tmp_path / "ws"), env={"COLUMNS": "100"})
    assert shown.returncode == 0, shown.stderr
    counts = card["counts"]
    assert f"notes: {counts['train']:,} train, {counts['dev']:,} dev, {counts['test']:,} test" in shown.stdout
    assert f"corpus: {card['corpus']}" in shown.stdout and "{" not in shown.stdout
    assert f"{card['metrics']['test']['macro_f1']:.3f}" in shown.stdout.split("macro-F1")[1], shown.stdout


def test_models_list_with_no_model_registered_says_what_registers_one(tmp_path):
    """With no model registered, 'models list' printed an empty table and no word of what to do."""
    from casereview.workspace import Workspace

    with Workspace.open(tmp_path / "ws"):
        pass
    done = run_cli("models", "list", "-w", str(tmp_path / "ws"))
    assert done.returncode == 0 and done.stdout == "", done.stdout
    assert "no models yet" in done.stderr and "casereview tag" in done.stderr, done.stderr
    assert run_cli("models", "list", "--json", "-w", str(tmp_path / "ws")).stdout.strip() == "[]"


@pytest.mark.slow  # 4-9 s alone; the default run neared its 10 minutes (533 s idle); CI runs it
@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_a_workspaces_model_named_without_its_workspace_is_refused_with_the_option_to_pass(command, tmp_path):
    from casereview.workspace import Workspace

    with Workspace.open(tmp_path / "ws"):
        pass
    model = tmp_path / "ws" / "models" / "local-12-0a1b2c3d"
    model.mkdir(parents=True)
    (model / "model.joblib").write_bytes(b"never loaded: its hash is not known")
    gold = write_jsonl(tmp_path / "gold.jsonl", NOTES[:2])
    done = run_cli(command, str(gold), "--model", str(model), cwd=tmp_path)
    assert done.returncode == 2
    assert f"It is in the workspace {tmp_path / 'ws'}: pass --workspace {tmp_path / 'ws'}" in done.stderr, done.stderr
    elsewhere = tmp_path / "my-model"
    model.rename(elsewhere)
    done = run_cli(command, str(gold), "--model", str(elsewhere), cwd=tmp_path)
    assert done.returncode == 2 and "pass its workspace with --workspace" in done.stderr, done.stderr


def test_comments_made_in_review_are_exported_for_the_report(tmp_path):
    # A reviewer's comments were saved but no command wrote them out: the inspector's notes on a case were stuck
    # in the workspace (the decision log's "comment" column holds only undo markers).
    from casereview.review import ReviewSession
    from casereview.workspace import QueueQuery, Workspace

    path = write_jsonl(tmp_path / "notes.jsonl", NOTES)
    ws = str(tmp_path / "ws")
    assert run_cli("import", str(path), "-w", ws).returncode == 0
    with Workspace.open(Path(ws)) as workspace:
        session = ReviewSession(workspace, "A. Inspector", QueueQuery())
        session.comment("ISW delay, not escalated", "n2")
        session.comment('said "fine", no analysis', "n3")
    out = tmp_path / "comments.csv"
    done = run_cli("export", "comments", "--format", "csv", "-w", ws, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "2 comment records written" in done.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,note_id,case_id,reviewer,created_at,comment,note_hash"
    assert rows[1].startswith("1,n2,C1,A. Inspector,") and ",\"ISW delay, not escalated\"," in rows[1]
    assert rows[2].startswith("2,n3,C2,A. Inspector,")
    assert mode(out) == "0o600"
    lines = run_cli("export", "comments", "-w", ws).stdout.splitlines()
    assert [json.loads(line)["comment"] for line in lines] == ["ISW delay, not escalated", 'said "fine", no analysis']


def test_comments_holding_personal_data_are_not_exported_unless_allowed(tmp_path):
    # notes with personal data are held back from exports until resolved; a reviewer's comment is free text typed
    # in review ("Rang Jo Bloggs on 07700 900123") and went out unscanned
    from casereview.workspace import Workspace

    ws = str(tmp_path / "ws")
    assert run_cli("import", str(write_jsonl(tmp_path / "notes.jsonl", NOTES)), "-w", ws).returncode == 0
    with Workspace.open(Path(ws)) as workspace:
        workspace.add_comment("n2", "ann", "ISW delay, not escalated")
        workspace.add_comment("n3", "ann", "Rang the school on 07700 900123, no answer")
    out = tmp_path / "comments.jsonl"
    refused = run_cli("export", "comments", "-w", ws, "-o", str(out))
    assert refused.returncode == 1 and not out.exists()
    # the note named too: no command finds a comment by its id
    assert "1 comment to export holds personal data the scanner finds (comment 2 on note n3: PHONE)" in refused.stderr
    assert "07700" not in refused.stderr + refused.stdout
    allowed = run_cli("export", "comments", "--allow-pii", "-w", ws)
    assert allowed.returncode == 0 and len(allowed.stdout.splitlines()) == 2
