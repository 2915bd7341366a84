"""Control characters of a note's text in what casereview writes: data files read back exactly, with nothing a
terminal acts on written raw (``cat predictions.jsonl`` ran a note's C1 CSI, U+009B, which json.dumps with
ensure_ascii=False writes as it is); quotes in reports drawn, not sent (a Markdown report is read with cat)."""

from __future__ import annotations

import csv
import io
import json
import re

from casereview import exporter, importer
from casereview.report import quote_text

from .conftest import run_cli, write_jsonl

TEXT = ("Mother said \x1b]0;pwned\x07 the partner hit her; \x9b2J no risk assessment was done.\x0c"
        " Visit cancelled again by the worker \u202eno manager oversight\x7f recorded.")
NOTE = {"note_id": "esc1", "case_id": "C1", "date": "2026-01-02", "text": TEXT}
#: Raw characters a terminal acts on, or that reorder what it shows, in a file's bytes as read.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_exact_and_inert(output: str, texts) -> None:
    assert RAW.findall(output) == []
    assert [json.loads(line) for line in output.splitlines()] == list(texts)


def test_a_notes_export_reads_back_exactly_with_no_raw_control(workspace, tmp_path):
    importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", [NOTE]))
    out = io.StringIO()
    exporter.export(workspace, "notes", "jsonl", out, allow_pii=True)
    assert RAW.findall(out.getvalue()) == [] and "\\u009b2J" in out.getvalue()
    assert json.loads(out.getvalue())["text"] == TEXT == workspace.get_note("esc1").text  # stored as imported


def test_a_rejects_file_reads_back_exactly_with_no_raw_control(workspace, tmp_path):
    bad = {**NOTE, "note_type": "not a type"}
    report = importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", [bad, {**NOTE, "note_id": "ok"}]),
                                  skip_invalid=True)
    rejects = report.rejects_path.read_text(encoding="utf-8")
    assert RAW.findall(rejects) == []
    assert json.loads(rejects)["row"]["text"] == TEXT


def test_a_reports_quote_shows_control_characters_one_for_one():
    quoted = quote_text({"text": TEXT})
    assert RAW.findall(quoted) == [] and "said ␛]0;pwned␇ the" in quoted and "hit her; �2J no" in quoted
    assert "oversight␡ recorded" in quoted and "\u202e" not in quoted


def test_predict_writes_evidence_exactly_with_no_raw_control(tmp_path):
    done = run_cli("predict", str(write_jsonl(tmp_path / "n.jsonl", [NOTE])), "-p", "1")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    check_exact_and_inert(done.stdout, [result])
    evidence = [span for spans in result["evidence"].values() for span in spans]
    assert evidence and all(span["text"] == TEXT[span["start"]:span["end"]] for span in evidence)
    assert any(RAW.search(span["text"]) for span in evidence)  # a control character in the evidence, escaped


def test_pii_redact_writes_the_note_exactly_with_no_raw_control(tmp_path):
    note = {**NOTE, "text": "Visited Kayleigh Thompson. " + TEXT}
    done = run_cli("pii", "redact", str(write_jsonl(tmp_path / "n.jsonl", [note])))
    assert done.returncode == 0, done.stderr
    redacted = json.loads(done.stdout)
    check_exact_and_inert(done.stdout, [redacted])
    assert redacted["text"] == "Visited [PERSON]. " + TEXT


def test_the_csv_files_people_open_draw_control_characters_and_their_json_lines_stay_exact(workspace, tmp_path):
    # the decisions and comments CSVs wrote a comment's escape sequence raw: `head comments.csv` ran it (a comment
    # stored before comments were checked, an adjudicator's note with a decision); JSON Lines are what merge reads
    importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", [{**NOTE, "text": "Home visit."}]))
    comment = "Seen \x1b]0;pwned\x07 at home \x9b2J\x0c all well"
    workspace.add_comment("esc1", "ann", comment)
    workspace.record_decision("esc1", "delay_timeliness", "confirmed", "ann", comment=comment)
    for kind, column in (("comments", "comment"), ("decisions", "comment")):
        drawn = run_cli("export", kind, "--format", "csv", "--allow-pii", "-w", str(workspace.path))
        assert drawn.returncode == 0, drawn.stderr
        assert RAW.findall(drawn.stdout) == [], kind
        assert next(csv.DictReader(io.StringIO(drawn.stdout)))[column] == \
            "Seen ␛]0;pwned␇ at home \ufffd2J␌ all well", kind
        exact = run_cli("export", kind, "--allow-pii", "-w", str(workspace.path))
        assert exact.returncode == 0, exact.stderr
        assert RAW.findall(exact.stdout) == [] and json.loads(exact.stdout.splitlines()[0])[column] == comment
