"""Benchmarks of the concern model (issue 4 targets). Figures go into the model card and notes.

    .venv/bin/python bench/bench_model.py [--notes 50000] [--memory-notes 200000] [--train-notes 10000]

1. predict throughput on N notes as a ratio to a bare TfidfVectorizer + LogisticRegression
   pipeline run (single-threaded) in the same process on the same notes (target >= 0.5, with
   evidence): scored in this process alone, and with the forked workers `casereview predict` uses
   by default (one per CPU) -- the second figure compares several processes with one; the best of
   3 interleaved rounds of each (`--repeats`), as timeit does, with every run's time in the output;
2. peak memory of `casereview predict` streaming M notes (target < 600 MB), summed over its
   process and workers (PSS: shared pages counted once, split between the processes);
3. training time on T notes (target < 60 s on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline

from casereview import corpus, registry
from casereview.workers import default_processes
from casereview.evaluation import targets
from casereview.model import TrainingConfig, _note_from_record, fit

OUT = Path(__file__).resolve().parent / "out"


def replicate(records: list[dict], n: int) -> list[dict]:
    """n notes cycling through the corpus, with unique ids."""
    return [{**records[i % len(records)], "note_id": f"bench-{i}", "case_id": f"bench-case-{i // 8}"} for i in range(n)]


def throughput(n: int, processes: int, repeats: int = 3) -> dict:
    """Best of ``repeats`` rounds, each timing the baseline and then the model, so that a slow moment
    of the machine (the baseline takes about 2 s) does not decide the ratio; every time is kept."""
    records = corpus.load()
    train = corpus.split(records, "train")
    notes = replicate(records, n)
    texts = [r["text"] for r in notes]
    words = sum(len(t.split()) for t in texts)
    baseline = make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LogisticRegression(max_iter=1000)))
    baseline.fit([r["text"] for r in train], targets(train))
    model, _ = registry.resolve()
    sum(1 for _ in model.predict_stream(_note_from_record(r) for r in notes[:2000]))  # warm the tokenizer cache
    baseline_runs: list[float] = []
    model_runs: dict[int, list[float]] = {p: [] for p in sorted({1, processes})}
    for _ in range(repeats):
        baseline_runs.append(_timed(lambda: baseline.predict_proba(texts))[0])
        for p, runs in model_runs.items():
            seconds, count = _timed(lambda: sum(1 for _ in model.predict_stream(
                (_note_from_record(r) for r in notes), processes=p)))
            assert count == n
            runs.append(seconds)
    baseline_s = min(baseline_runs)
    result = {"notes": n, "words": words, "repeats": repeats, "baseline_s": round(baseline_s, 2),
              "baseline_runs_s": [round(t, 2) for t in baseline_runs]}
    for p, runs in model_runs.items():
        model_s = min(runs)
        result[f"processes_{p}"] = {"model_s": round(model_s, 2), "runs_s": [round(t, 2) for t in runs],
                                    "notes_per_s": round(n / model_s), "words_per_s": round(words / model_s),
                                    "ratio": round(baseline_s / model_s, 3)}
    return result


def _timed(work):
    """(seconds, result) of ``work()``."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _tree(pid: int) -> list[int]:
    """pid and its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += parents.get(p, [])
    return out


def _memory_kb(pids: list[int]) -> tuple[int, int, int]:
    """Summed RSS, summed PSS and the largest single RSS of the processes, in kB."""
    rss = pss = largest = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                    largest = max(largest, int(line.split()[1]))
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss, largest


def peak_memory(n: int) -> dict:
    records = corpus.load()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notes.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for r in replicate(records, n):
                fh.write(json.dumps({k: r[k] for k in ("note_id", "text", "case_id", "author_role", "note_type") if k in r}) + "\n")
        start = time.perf_counter()
        errors = open(Path(folder) / "stderr.txt", "w+")  # a file, not a pipe: a full pipe would block the run
        run = subprocess.Popen([sys.executable, "-m", "casereview", "predict", str(path), "-o", str(Path(folder) / "out.jsonl")],
                               stdout=subprocess.DEVNULL, stderr=errors, text=True)
        peak_rss = peak_pss = peak_one = 0
        while run.poll() is None:
            rss, pss, one = _memory_kb(_tree(run.pid))
            peak_rss, peak_pss, peak_one = max(peak_rss, rss), max(peak_pss, pss), max(peak_one, one)
            time.sleep(0.1)
        elapsed = time.perf_counter() - start
        if run.returncode:
            errors.seek(0)
            raise SystemExit(errors.read())
        errors.close()
        lines = sum(1 for _ in open(Path(folder) / "out.jsonl"))
    return {"notes": n, "output_lines": lines, "seconds": round(elapsed, 1), "processes": default_processes(),
            "peak_pss_mb": round(peak_pss / 1024, 1), "peak_rss_sum_mb": round(peak_rss / 1024, 1),
            "peak_rss_one_process_mb": round(peak_one / 1024, 1)}


def training_time(n: int, processes: int) -> dict:
    """``fit`` as ``casereview train`` runs it: the stackers' out-of-fold fits in ``processes`` workers."""
    records = corpus.load()
    train = replicate(corpus.split(records, "train"), n)
    dev = corpus.split(records, "dev")
    start = time.perf_counter()
    fit(train, dev, TrainingConfig(), processes=processes)
    return {"train_notes": n, "seconds": round(time.perf_counter() - start, 1), "processes": processes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--memory-notes", type=int, default=200_000)
    parser.add_argument("--train-notes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3, help="Rounds of the throughput timing (the best counts).")
    parser.add_argument("--update-card", action="store_true", help="Write the figures into the shipped model's card.")
    args = parser.parse_args()
    memory = peak_memory(args.memory_notes)  # first: nothing else of this process is in its figures
    results = {"throughput": throughput(args.notes, default_processes(), args.repeats),
               "training": training_time(args.train_notes, default_processes()), "peak_memory": memory}
    OUT.mkdir(exist_ok=True)
    (OUT / "model.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    if args.update_card:
        from casereview.model_card import add_section
        from casereview.wording import count, number

        t, m, tr = results["throughput"], results["peak_memory"], results["training"]
        rows = {f"predict throughput, {count(int(p.split('_')[1]), 'process', 'processes')} (ratio to bare TF-IDF + LR)":
                f"{v['ratio']} ({number(v['notes_per_s'])} notes/s, {number(v['words_per_s'])} words/s on "
                f"{count(t['notes'], 'note')}; "
                f"best of {t['repeats']} rounds)"
                for p, v in t.items() if p.startswith("processes_")}
        add_section(registry.shipped_default_folder(), "benchmarks", {
            **rows,
            "peak memory of `casereview predict` (streaming)": f"{m['peak_pss_mb']} MB PSS summed over the process and its {m['processes']} workers "
                                                               f"(RSS sum {m['peak_rss_sum_mb']} MB) on {count(m['notes'], 'note')}",
            "training time": f"{tr['seconds']} s on {count(tr['train_notes'], 'note')} ({tr['processes']} processes, 2 cores)",
            "machine": "2 cores, 24 GiB; bench/bench_model.py",
        })


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
