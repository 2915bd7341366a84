"""Exports of reviewers' comments: scanned for personal data once, by whoever writes them."""

from __future__ import annotations

import io
import json

import pytest

from casereview import exporter
from casereview.notes import validate
from casereview.pii.findings import CommentsWithPersonalDataError

from .conftest import mode, run_cli


def test_export_refuses_comments_with_personal_data_and_write_leaves_that_check_to_its_caller(workspace):
    # the CLI checks before it opens the file it writes (a refusal writes nothing) and then writes: the exporter
    # checked again, and every comment was scanned twice
    workspace.import_notes([validate({"note_id": "n1", "text": "Visit.", "case_id": "C1"}, "notes.jsonl", 1)],
                           "notes.jsonl")
    workspace.add_comment("n1", "ann", "ISW delay, not escalated")
    workspace.add_comment("n1", "ann", "Rang the school on 07700 900123, no answer")
    with pytest.raises(CommentsWithPersonalDataError):
        exporter.export(workspace, "comments", "jsonl", io.StringIO())
    out = io.StringIO()
    assert exporter.write(workspace, "comments", "jsonl", out) == 2
    assert [json.loads(line)["comment"] for line in out.getvalue().splitlines()] == [
        "ISW delay, not escalated", "Rang the school on 07700 900123, no answer"]


def test_comments_with_personal_data_export_redacted_for_a_qa_team_and_the_rest_as_typed(workspace, tmp_path):
    """A comment naming a phone number or a person could only be refused, or shared whole with --allow-pii: a QA team
    sharing comments had no --redact, as it has for notes (pii redact)."""
    workspace.import_notes([validate({"note_id": "n1", "text": "Visit.", "case_id": "C1"}, "notes.jsonl", 1)],
                           "notes.jsonl")
    workspace.add_comment("n1", "ann", "ISW delay, not escalated")
    workspace.add_comment("n1", "ann", "Rang the school on 07700 900123, no answer")
    workspace.close()
    for fmt in ("jsonl", "csv"):
        out = tmp_path / f"qa.{fmt}"
        done = run_cli("export", "comments", "--redact", "-f", fmt, "-o", str(out), "-w", str(workspace.path))
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines() == ["2 comment records written", "personal data replaced by [LABEL] in 1 "
                                            "comment (a redacted export is for reading: merge takes the one made "
                                            "without --redact)"]
        text = out.read_text(encoding="utf-8")
        assert "07700 900123" not in text and "Rang the school on [PHONE], no answer" in text
        assert "ISW delay, not escalated" in text and mode(out) == "0o600"
    refused = run_cli("export", "comments", "-w", str(workspace.path))
    assert refused.returncode == 1  # without --redact, refused as before
    notes = run_cli("export", "notes", "--redact", "-w", str(workspace.path))
    assert notes.returncode == 2 and notes.stderr == (
        "error: --redact: only with export comments; a notes export's file is redacted by 'casereview pii redact "
        "notes.jsonl -o shared.jsonl'\n")
