import json

from .conftest import NOTES, run_cli, write_jsonl


def test_import_status_export_round_trip(tmp_path):
    path = write_jsonl(tmp_path / "notes.jsonl", NOTES)
    ws = str(tmp_path / "ws")
    done = run_cli("import", str(path), "--workspace", ws)
    assert done.returncode == 0, done.stderr
    assert "3 added" in done.stderr
    status = json.loads(run_cli("status", "--json", "-w", ws).stdout)
    assert status["notes"] == 3 and status["case_files"] == 2
    assert status["decisions_by_state"]["confirmed"] == 1
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
    status = json.loads(run_cli("status", "--json", "-w", str(tmp_path / "ws")).stdout)
    assert status["notes"] == 0


def test_csv_import_with_map(tmp_path):
    path = tmp_path / "cms.csv"
    path.write_text("Ref,Narrative,Client\nr1,Home visit. Child seen alone.,C7\n", encoding="utf-8")
    ws = str(tmp_path / "ws")
    done = run_cli("import", str(path), "-w", ws, "--map", "Ref=note_id", "--map", "Narrative=text", "--map", "Client=case_id")
    assert done.returncode == 0, done.stderr
    exported = json.loads(run_cli("export", "notes", "-w", ws).stdout)
    assert exported == {"note_id": "r1", "text": "Home visit. Child seen alone.", "case_id": "C7"}


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


def test_every_command_has_help_with_an_example():
    from casereview.cli import app

    commands = list(command_names(app))
    assert ("import",) in commands and ("status",) in commands
    for command in commands:
        done = run_cli(*command, "--help")
        assert done.returncode == 0, command
        assert "casereview " + " ".join(command) in done.stdout, command


def test_demo_prepares_a_tagged_workspace_of_the_sample():
    done = run_cli("demo", "--no-ui")
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    from casereview import corpus

    assert status["notes"] == len(corpus.load()) == status["scored_notes"]
    assert status["decision_events"] == 0  # the sample's gold labels are not imported as decisions
    assert status["promoted_model"]
