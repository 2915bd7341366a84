"""Exports and the report's quotes on a large workspace where most notes are not yet reviewed.

    .venv/bin/python bench/bench_exports.py [--notes 200000] [--labelled 0.1]

Builds a workspace of N notes (bench_qa.build: the sample corpus repeated, model-like scores stored directly) with
a share of them labelled (decisions), as a local authority's export is partly reviewed, then times against a
baseline run in the same process, reading every note id (``Workspace.note_ids``, the cheapest full pass):

- ``export labels`` as JSON Lines and CSV (the notes with a decision: it read every note's text before);
- the report's quotable evidence (``Workspace.confirmed_evidence``: it read and sorted every suggestion's evidence);
- the whole-workspace report (``report.build``).

and the peak traced memory (tracemalloc) of ``export notes`` as CSV against the same export as JSON Lines, which
streams: the CSV kept every row to write its header (a ratio near 1 is a CSV that streams too).
Prints JSON and writes it to bench/out/exports.json.
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

from bench_qa import build, peak_mb, save_figures, timed

from casereview import exporter, report
from casereview.workspace import Workspace


class Sink(io.TextIOBase):
    """Output that keeps nothing: what an export holds in memory is its own."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=200_000)
    parser.add_argument("--labelled", type=float, default=0.1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _, build_s = timed(lambda: build(Path(tmp) / "ws", args.notes, args.labelled).close())
        with Workspace.open(Path(tmp) / "ws") as ws:
            _, baseline_s = timed(ws.note_ids)
            export = lambda kind, fmt: exporter.export(ws, kind, fmt, Sink(), allow_pii=True)  # noqa: E731
            labels, labels_s = timed(lambda: export("labels", "jsonl"))
            _, labels_csv_s = timed(lambda: export("labels", "csv"))
            _, evidence_s = timed(ws.confirmed_evidence)
            _, report_s = timed(lambda: report.build(ws, check=lambda text, date=None: False))
            notes_jsonl_mb = peak_mb(lambda: export("notes", "jsonl"))
            notes_csv_mb = peak_mb(lambda: export("notes", "csv"))
    ratio = lambda s: round(s / baseline_s, 1)  # noqa: E731
    figures = {
        "notes": args.notes, "labelled": args.labelled, "labelled_notes_exported": labels,
        "build_workspace_s": round(build_s, 1), "baseline_note_ids_s": round(baseline_s, 3),
        "export_labels_jsonl_s": round(labels_s, 3), "export_labels_jsonl_ratio": ratio(labels_s),
        "export_labels_csv_s": round(labels_csv_s, 3), "export_labels_csv_ratio": ratio(labels_csv_s),
        "confirmed_evidence_s": round(evidence_s, 3), "confirmed_evidence_ratio": ratio(evidence_s),
        "whole_report_s": round(report_s, 3), "whole_report_ratio": ratio(report_s),
        "export_notes_jsonl_peak_traced_mb": notes_jsonl_mb, "export_notes_csv_peak_traced_mb": notes_csv_mb,
        "export_notes_csv_to_jsonl_memory_ratio": round(notes_csv_mb / notes_jsonl_mb, 1),
    }
    save_figures("exports", figures)


if __name__ == "__main__":
    main()
