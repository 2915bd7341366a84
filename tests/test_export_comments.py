"""Exports of reviewers' comments: scanned for personal data once, by whoever writes them."""

from __future__ import annotations

import io
import json

import pytest

from casereview import exporter
from casereview.notes import validate
from casereview.pii.findings import CommentsWithPersonalDataError


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
