"""``casereview merge`` of a large decisions file: a coder's workspace holding the whole sample corpus, imported with
its labels, as the lead's does, and a coder's decisions on some of its notes.

    .venv/bin/python bench/bench_merge.py [--coded 600] [--rounds 1]

Builds two workspaces, each the sample corpus's notes imported with their labels (10,879 notes, 76,153 import
decisions, the same in both, which a merge recognises by what they are), then has a coder (bo) reject six labels on
``--coded`` notes in one (``--rounds``: decide them this many times, rejected, then confirmed, and so on:
``--coded 10879 --rounds 2`` makes a file of 206,701 decisions), exports its decisions (JSON Lines) and times,
against a baseline run in the same process:

- baseline: that export (``export decisions``, every decision with where it was made and on which note version);
- merging the file into the other workspace (every import label found already here, the coder's merged);
- merging it again (everything already here).

and the peak memory Python traces (tracemalloc) while merging, per decision of the file. Prints JSON and writes it to
bench/out/merge.json.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench_exports import Sink
from bench_qa import peak_mb, save_figures, timed

from casereview import corpus, exporter
from casereview.merging import merge
from casereview.notes import validate
from casereview.taxonomy import LABEL_NAMES
from casereview.workspace import Workspace

FIELDS = ("note_id", "case_id", "date", "author_role", "note_type", "text", "labels")


def with_corpus(folder: Path) -> Workspace:
    """A workspace holding the sample corpus's notes, imported with their labels from one file."""
    ws = Workspace.open(folder)
    notes = [validate({k: r[k] for k in FIELDS if k in r}, "notes.jsonl", i) for i, r in enumerate(corpus.load(), 1)]
    ws.import_notes(notes, "notes.jsonl")
    return ws


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--coded", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        decisions = Path(tmp) / "bo.jsonl"
        with with_corpus(Path(tmp) / "bo") as coder:
            with coder.transaction():
                for round_ in range(args.rounds):
                    for note_id in coder.note_ids()[:args.coded]:
                        for label in LABEL_NAMES[:6]:
                            coder.record_decision(note_id, label, ("rejected", "confirmed")[round_ % 2], "bo")
            rows, baseline_s = timed(lambda: exporter.export(coder, "decisions", "jsonl", Sink()))
            with decisions.open("w", encoding="utf-8") as out:
                exporter.export(coder, "decisions", "jsonl", out)
        with with_corpus(Path(tmp) / "lead") as lead:
            first, merge_s = timed(lambda: merge(lead, decisions))
            again, again_s = timed(lambda: merge(lead, decisions))
            merge_mb = peak_mb(lambda: merge(lead, decisions))
    ratio = lambda s: round(s / baseline_s, 1)  # noqa: E731
    figures = {
        "decisions_in_file": rows, "merged": first.merged, "merged_again": again.merged,
        "baseline_export_decisions_s": round(baseline_s, 3),
        "merge_s": round(merge_s, 3), "merge_ratio": ratio(merge_s),
        "merge_again_s": round(again_s, 3), "merge_again_ratio": ratio(again_s),
        "merge_peak_traced_mb": merge_mb, "merge_peak_traced_bytes_per_decision": round(merge_mb * 2**20 / rows),
    }
    save_figures("merge", figures)


if __name__ == "__main__":
    main()
