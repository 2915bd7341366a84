"""Benchmarks of QA sampling and reports (issue 8) on a large workspace.

    .venv/bin/python bench/bench_qa.py [--notes 100000] [--size 400]

Builds a workspace of N notes (the sample corpus's notes repeated under new ids,
its gold labels as decisions, and model-like scores stored directly so that no
model run is timed), then times, against a baseline run in the same process:

- baseline: reading every note id (``Workspace.note_ids``), the cheapest full pass;
- one reading of the final-state view (``Workspace.final_states``) and of the disputes (``Workspace.disagreements``,
  which read it again: a report, a labels export and a retrain now take the disputes from the final states' reading);
- ``note_facts`` (the sampling frame), ``sampling.sample`` (stratified by label and
  month, flagged notes over-sampled 3x), agreement (the audit's and the whole
  workspace's), and ``report.build`` + HTML for the audit and for the whole workspace.

Prints JSON with seconds, ratios to the baseline, and peak traced memory
(tracemalloc) of the sample, the whole workspace's agreement and its report (each
read every label's final decision, evidence and all, fetched whole: 800 MB for
200,000 notes); writes it to bench/out/qa.json.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from casereview import corpus, report, sampling
from casereview.agreement import audit_agreement
from casereview.notes import validate
from casereview.sampling import SampleSpec
from casereview.taxonomy import LABEL_NAMES
from casereview.workspace import Workspace

OUT = Path(__file__).resolve().parent / "out"
TEAMS = ("north", "south", "east", "west")


def build(folder: Path, n: int, labelled: float = 1.0) -> Workspace:
    """``labelled``: the share of notes imported with their labels (decisions); the rest have none."""
    records = corpus.load()
    rng, labelling = random.Random(0), random.Random(1)  # apart: the scores are the same whatever is labelled
    ws = Workspace.open(folder)
    batch = []
    for i in range(n):
        r = records[i % len(records)]
        raw = {"note_id": f"bench-{i}", "text": r["text"], "case_id": f"case-{i // 8}", "date": r.get("date"),
               "author_role": r.get("author_role"), "team": TEAMS[(i // 8) % len(TEAMS)]}
        if labelling.random() < labelled:
            raw["labels"] = r.get("labels") or []
        batch.append(validate(raw, "bench.jsonl", i + 1))
        if len(batch) == 5000:
            ws.import_notes(batch, "bench.jsonl")
            batch = []
    if batch:
        ws.import_notes(batch, "bench.jsonl")
    results = []
    for i in range(n):
        gold = set(records[i % len(records)].get("labels") or [])
        scores = {name: min(1.0, max(0.0, (0.7 if name in gold else 0.1) + rng.gauss(0, 0.15))) for name in LABEL_NAMES}
        results.append({"note_id": f"bench-{i}", "thresholds": {name: 0.4 for name in LABEL_NAMES},
                        "scores": scores, "labels": [k for k, v in scores.items() if v >= 0.4], "evidence": {}})
    ws.register_model("bench-model", str(folder), "0" * 64, promote=True)
    ws.store_predictions("bench-model", results)
    return ws


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def save_figures(name: str, figures: dict) -> None:
    """Print a benchmark's figures as JSON and write them to bench/out/<name>.json."""
    OUT.mkdir(exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


def peak_mb(fn) -> float:
    """The peak memory Python traces while ``fn`` runs, in MB to one place."""
    tracemalloc.start()
    try:
        fn()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _, build_s = timed(lambda: build(Path(tmp) / "ws", args.notes).close())
        with Workspace.open(Path(tmp) / "ws") as ws:
            _, baseline_s = timed(ws.note_ids)
            _, final_states_s = timed(ws.final_states)
            _, disagreements_s = timed(ws.disagreements)
            _, facts_s = timed(ws.note_facts)
            spec = SampleSpec(size=args.size, stratify=("label", "month"), seed=1, oversample=3)
            (_, drawn), sample_s = timed(lambda: sampling.sample(ws, spec, "bench"))
            _, agreement_s = timed(lambda: audit_agreement(ws, "bench"))
            _, whole_agreement_s = timed(lambda: audit_agreement(ws, None))
            data, audit_report_s = timed(lambda: report.build(ws, "bench", check=lambda text, date: False))
            _, audit_html_s = timed(lambda: report.render(data, "html", io.StringIO()))
            whole, whole_report_s = timed(lambda: report.build(ws, check=lambda text, date: False))
            _, whole_html_s = timed(lambda: report.render(whole, "html", io.StringIO()))
            whole = data = None  # free them before the memory run
            # a second run for memory: tracing slows Python several times over
            peak = peak_mb(lambda: report.render(report.build(ws, check=lambda text, date: False), "html", io.StringIO()))
            sample_peak = peak_mb(lambda: sampling.sample(ws, spec, "bench-memory"))
            agreement_peak = peak_mb(lambda: audit_agreement(ws, None))
    ratio = lambda s: round(s / baseline_s, 1)  # noqa: E731
    figures = {
        "notes": args.notes, "sample_size": args.size, "strata": len(drawn.strata), "build_workspace_s": round(build_s, 1),
        "baseline_note_ids_s": round(baseline_s, 3),
        "final_states_s": round(final_states_s, 3), "final_states_ratio": ratio(final_states_s),
        "disagreements_s": round(disagreements_s, 3), "disagreements_ratio": ratio(disagreements_s),
        "note_facts_s": round(facts_s, 3), "note_facts_ratio": ratio(facts_s),
        "sample_s": round(sample_s, 3), "sample_ratio": ratio(sample_s),
        "agreement_s": round(agreement_s, 3),
        "whole_agreement_s": round(whole_agreement_s, 3), "whole_agreement_ratio": ratio(whole_agreement_s),
        "audit_report_s": round(audit_report_s, 3),
        "audit_html_s": round(audit_html_s, 3),
        "whole_report_s": round(whole_report_s, 3), "whole_report_ratio": ratio(whole_report_s),
        "whole_html_s": round(whole_html_s, 3),
        "whole_report_peak_traced_mb": peak, "sample_peak_traced_mb": sample_peak,
        "whole_agreement_peak_traced_mb": agreement_peak,
    }
    save_figures("qa", figures)


if __name__ == "__main__":
    main()
