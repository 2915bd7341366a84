"""CSV exports of notes and labels: the header read in a pass of its own, the rows streamed after it."""

from __future__ import annotations

import csv
import io
import json

from casereview import exporter
from casereview.notes import validate
from casereview.taxonomy import LABEL_NAMES


def exported(workspace, kind: str, fmt: str) -> str:
    out = io.StringIO()
    exporter.export(workspace, kind, fmt, out, allow_pii=True)
    return out.getvalue()


def as_csv_row(record: dict) -> dict:
    """A record as its CSV row reads back, its empty cells left out."""
    cells = {k: ";".join(v) if isinstance(v, list) else json.dumps(v) if isinstance(v, dict) else str(v)
             for k, v in record.items()}
    return {k: v for k, v in cells.items() if v}


def test_the_csv_header_is_every_records_fields_in_first_seen_order_and_the_rows_are_the_records(workspace):
    # the header is read before any row is written (every row was kept for it, 350 MB for 200,000 notes): the
    # columns are still the codebook's, a time where a note has one, then the other fields in first-seen order, and
    # for labels only those of the notes exported (not of a note left out, every decision on it disputed)
    raw = [{"note_id": "n1", "text": "Visit.", "case_id": "C1", "date": "2024-03-01"},
           {"note_id": "n2", "text": "Call.", "worker": "W1", "labels": ["delay_timeliness"]},
           {"note_id": "n3", "text": "Letter.", "date": "2024-03-02", "time": "09:30", "team": "N", "worker": "W2"},
           {"note_id": "n4", "text": "Meeting.", "panel": "P", "labels": []},
           {"note_id": "n5", "text": "Review.", "only_here": "x", "labels": ["recording_quality"]}]
    workspace.import_notes([validate(r, "f.jsonl", i + 1) for i, r in enumerate(raw)], "f.jsonl")
    workspace.record_decision("n3", "risk_analysis_gap", "confirmed", "ann")
    for label in LABEL_NAMES:  # every decision the import made on n5, disputed
        workspace.record_decision("n5", label, "rejected" if label == "recording_quality" else "confirmed", "bo")
    for kind, columns in (
            ("notes", ["note_id", "text", "case_id", "date", "time", "author_role", "note_type", "worker", "team",
                       "panel", "only_here"]),
            ("labels", ["note_id", "text", "case_id", "date", "time", "author_role", "note_type", "labels",
                        "unreviewed", "worker", "team", "panel"])):
        records = [json.loads(line) for line in exported(workspace, kind, "jsonl").splitlines()]
        rows = list(csv.DictReader(io.StringIO(exported(workspace, kind, "csv"))))
        assert list(rows[0]) == columns, kind
        assert [{k: v for k, v in row.items() if v} for row in rows] == [as_csv_row(r) for r in records], kind
    assert [r["note_id"] for r in rows] == ["n2", "n3", "n4"]  # labels: n5 left out, n1 undecided


def test_an_export_format_no_export_has_is_refused_naming_the_option(tmp_path):
    # "error: unknown format 'xls'" named no option, where report's "--format 'pdf': choose from ..." did
    from .conftest import run_cli

    done = run_cli("export", "notes", "--format", "xls", "-w", str(tmp_path / "ws"))
    assert done.returncode == 2 and done.stderr.startswith("error: --format 'xls': choose from jsonl, csv"), done.stderr
