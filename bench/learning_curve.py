"""Simulate the learning loop on the sample corpus: uncertainty-first review against random order.

A seed model is trained on a small random seed set of the corpus train split; the
rest of the train split is a workspace of unlabelled notes (without their
evidence). Each round a simulated reviewer decides every label of the next 50
notes with the corpus labels (confirmed if suggested, added if not, else
rejected), through the same calls the review UI makes; then the real loop runs:
`retrain` (held-out slice off, so that every label reviewed trains: the curve is
measured on the corpus test split, or with ``--measure-on dev`` on half the dev
split's case files while the other half calibrates, so that choices about the
queue need not be made on the test split), `promote`, `tag`. Uncertainty order takes the
workspace's `uncertain` queue; random order a shuffle. Both are averaged over
several seed sets (each with its own seed model) and the random runs of each.

The queue takes each label's note nearest its threshold in turn (see
``workspace.uncertain_order``). Chosen with ``--measure-on dev`` against the ranking it
replaced, closeness to doubt averaged over a note's labels (commit 4ab8c06): with
concern-0.10.0's design that reached random order's final macro-F1 at 92% of the labels, the
nearest single label at 83%, the average with a narrower doubt (1 logit) at 75%, a quarter of
the notes in random order behind the old ranking on both seed sets run, and taking turns (in a quick version of this script
that ranked in its own code) at 75%, ahead of all of them over the first 350 notes. The queue
as built: 75% on dev, 67% on test (bench/out).

    /work/venv/bin/python bench/learning_curve.py [--seed-notes 50] [--batch 50] [--max-notes 600] [--random-runs 2] [--seed-sets 3] [--measure-on test|dev]

Writes bench/out/learning_curve.md (table and verdict), .json and .png (learning_curve_dev.* with ``--measure-on dev``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from png_chart import line_chart  # noqa: E402

from casereview import corpus as corpus_mod  # noqa: E402
from casereview import learning, registry, tagging  # noqa: E402
from casereview.model import load  # noqa: E402
from casereview.nlp import make_nlp  # noqa: E402
from casereview.notes import CORE_FIELDS, validate  # noqa: E402
from casereview.review import ReviewSession  # noqa: E402
from casereview.taxonomy import LABEL_NAMES  # noqa: E402
from casereview.training import train_corpus  # noqa: E402
from casereview.workspace import QueueQuery, Workspace  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
BLUE, ORANGE, PALE_ORANGE = (29, 78, 216), (234, 88, 12), (254, 215, 170)
TARGET_SHARE = 0.70


def review(session: ReviewSession, note_id: str, gold: set[str]) -> None:
    """Decide every label of a note as a reviewer who knows the corpus labels would."""
    predictions = session.workspace.predictions(note_id)
    for label in LABEL_NAMES:
        if label in gold:
            session.decide(label, "confirmed" if predictions[label].suggested else "added", note_id)
        else:
            session.decide(label, "rejected", note_id)


def run(order: str, seed_corpus: Path, seed_model: Path, pool: list[dict], folder: Path, batch: int,
        max_notes: int, shuffle_seed: int, nlp) -> list[dict]:
    """One simulated loop; a point (notes reviewed, macro-F1 on the measured split, seconds) after each retraining."""
    workspace = Workspace.open(folder)
    workspace.import_notes([validate({f: r[f] for f in CORE_FIELDS if r.get(f)}, "pool", i)
                            for i, r in enumerate(pool)], "pool.jsonl")
    tagging.tag(workspace, load(seed_model, None, trust=True), seed_model)  # registers and promotes it
    gold = {r["note_id"]: set(r["labels"]) for r in pool}
    shuffled = [r["note_id"] for r in pool]
    random.Random(shuffle_seed).shuffle(shuffled)
    session = ReviewSession(workspace, "simulated-reviewer")
    reviewed: list[str] = []
    points = []
    limit = min(max_notes, len(pool))
    while True:
        started = time.perf_counter()
        result = learning.retrain(workspace, actor="bench", corpus_dir=seed_corpus, hold_out=False, nlp=nlp,
                                  corpus_only=True)  # the first point: before any review
        learning.promote(workspace, result.record.version, actor="bench", force=True, corpus_dir=seed_corpus)
        model, model_folder = registry.resolve(None, workspace)
        tagging.tag(workspace, model, model_folder)
        points.append({"notes": len(reviewed), "label_decisions": len(reviewed) * len(LABEL_NAMES),
                       "macro_f1": result.comparison["sets"]["test"]["new"]["macro_f1"],
                       "seconds": round(time.perf_counter() - started, 2)})
        print(f"  {folder.name}: {points[-1]}", flush=True)
        if len(reviewed) >= limit:
            break
        if order == "uncertain":
            queue = workspace.queue_ids(QueueQuery(order="uncertain", unreviewed=True))
        else:
            done = set(reviewed)
            queue = [n for n in shuffled if n not in done]
        for note_id in queue[:min(batch, limit - len(reviewed))]:
            review(session, note_id, gold[note_id])
            reviewed.append(note_id)
    workspace.close()
    return points


def first_reaching(notes: list[int], f1: list[float], target: float) -> int | None:
    """The first number of notes reviewed at which the curve reaches ``target``."""
    return next((n for n, f in zip(notes, f1) if f >= target - 1e-9), None)


#: --measure-on: (what the curve is measured on, as a report names it; the output files' name)
MEASURED_ON = {"test": ("the corpus test split", "learning_curve"),
               "dev": ("the measuring half of the corpus dev split", "learning_curve_dev")}


def in_measuring_half(case_id: str) -> bool:
    # salted: the unsalted hash is the one that chose the split, and its parity is lopsided within dev
    return int(hashlib.sha256(b"measure:" + case_id.encode()).hexdigest()[:8], 16) % 2 == 1


def held_out(records: list[dict], measure_on: str) -> list[dict]:
    """The seed corpus's dev and test notes: the corpus's own, or with ``dev`` the dev split's case files
    halved (by a hash of the case id), one half to calibrate and the other, as "test", to measure on."""
    dev = corpus_mod.split(records, "dev")
    if measure_on == "test":
        return dev + corpus_mod.split(records, "test")
    return [{**r, "split": "test"} if in_measuring_half(r["case_id"]) else r for r in dev]


def simulate(records: list[dict], args, seed: int, nlp) -> tuple[list[dict], list[list[dict]], int]:
    """One seed set: an uncertainty-order run and ``random_runs`` random-order runs from the same seed model."""
    train = corpus_mod.split(records, "train")
    random.Random(seed).shuffle(train)
    seed_set, pool = train[:args.seed_notes], train[args.seed_notes:]
    with tempfile.TemporaryDirectory(prefix="casereview-bench-") as tmp:
        seed_corpus = Path(tmp) / "seed-corpus"
        seed_corpus.mkdir()
        kept = seed_set + held_out(records, args.measure_on)
        (seed_corpus / corpus_mod.NOTES_FILE).write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
        seed_model = Path(tmp) / "seed-model"
        train_corpus(seed_corpus, seed_model, seed=seed, version="seed")
        uncertain = run("uncertain", seed_corpus, seed_model, pool, Path(tmp) / f"uncertain-seed{seed}", args.batch,
                        args.max_notes, 0, nlp)
        randoms = [run("random", seed_corpus, seed_model, pool, Path(tmp) / f"random-seed{seed}-{i}", args.batch,
                       args.max_notes, seed + i, nlp) for i in range(args.random_runs)]
    return uncertain, randoms, len(pool)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed-notes", type=int, default=50)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--max-notes", type=int, default=600)
    parser.add_argument("--random-runs", type=int, default=2, help="random-order runs per seed set")
    parser.add_argument("--seed-sets", type=int, default=3, help="independent seed sets (seed models) averaged")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure-on", choices=("test", "dev"), default="test",
                        help="test: the corpus test split; dev: half the dev split (the other half calibrates)")
    args = parser.parse_args()
    measured, name = MEASURED_ON[args.measure_on]

    records = corpus_mod.load()
    nlp = make_nlp()
    started = time.perf_counter()
    # One seed set's verdict swings by a round either way (the random runs alone span ~0.03 macro-F1),
    # so the curves are averaged over several seed sets, each with its own seed model.
    sets = [simulate(records, args, args.seed + 100 * k, nlp) for k in range(args.seed_sets)]
    total = time.perf_counter() - started
    pool_size = sets[0][2]

    xs = [p["notes"] for p in sets[0][0]]
    uncertain_f1 = np.array([[p["macro_f1"] for p in unc] for unc, _, _ in sets])
    random_f1 = np.array([[p["macro_f1"] for p in run_] for _, randoms, _ in sets for run_ in randoms])
    uncertain_mean, random_mean = uncertain_f1.mean(axis=0), random_f1.mean(axis=0)
    target = float(random_mean[-1])
    reached = first_reaching(xs, uncertain_mean, target)
    share = reached / xs[-1] if reached is not None else None
    per_set = []
    for unc, randoms, _ in sets:
        own_target = float(np.mean([run_[-1]["macro_f1"] for run_ in randoms]))
        own = first_reaching(xs, [p["macro_f1"] for p in unc], own_target)
        per_set.append(f"{own / xs[-1]:.0%}" if own is not None else "never")
    verdict = (f"Uncertainty order (mean of {args.seed_sets} seed sets) reaches random order's final macro-F1 "
               f"({target:.3f} at {xs[-1]} notes, mean of {len(random_f1)} runs) with "
               + (f"{reached} notes = {share:.0%} of the labels" if reached is not None else "none of its rounds")
               + f": {'PASS' if share is not None and share <= TARGET_SHARE else 'FAIL'} "
               f"(target: at most {TARGET_SHARE:.0%}). Seed sets on their own: {', '.join(per_set)}.")
    table = ["| notes reviewed | label decisions | uncertainty order (mean) | uncertainty min-max | random order (mean) | random min-max |",
             "|---:|---:|---:|---:|---:|---:|"]
    for i, x in enumerate(xs):
        table.append(f"| {x} | {x * len(LABEL_NAMES)} | {uncertain_mean[i]:.3f} | "
                     f"{uncertain_f1[:, i].min():.3f}-{uncertain_f1[:, i].max():.3f} | {random_mean[i]:.3f} | "
                     f"{random_f1[:, i].min():.3f}-{random_f1[:, i].max():.3f} |")
    seconds = [p["seconds"] for unc, randoms, _ in sets for run_ in [unc, *randoms] for p in run_]
    OUT.mkdir(exist_ok=True)
    report = [
        "# Learning curve: uncertainty-first vs random review order", "",
        f"Macro-F1 on {measured} after each retraining. {args.seed_sets} seed sets; for each, a seed model "
        f"from {args.seed_notes} random train notes, and a pool of the other {pool_size} train notes, reviewed "
        f"{args.batch} at a time (every label of a note), up to {min(args.max_notes, pool_size)} notes, once in "
        f"uncertainty order and {args.random_runs} times in random order.", "",
        *table, "", verdict, "",
        f"Each round (retrain + compare + promote + tag): median {np.median(seconds):.1f} s; "
        f"whole run {total:.0f} s.", "",
        f"![learning curve]({name}.png)", "",
        f"Plot: x = notes reviewed, y = macro-F1 on {measured}; blue = uncertainty order (mean), "
        "orange = random order (mean; shaded band = min-max of the random runs).", "",
        f"Command: `/work/venv/bin/python bench/learning_curve.py --seed-notes {args.seed_notes} --batch {args.batch} "
        f"--max-notes {args.max_notes} --random-runs {args.random_runs} --seed-sets {args.seed_sets} --seed {args.seed} "
        f"--measure-on {args.measure_on}`",
    ]
    (OUT / f"{name}.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    results = {"seed_sets": [{"uncertain": unc, "random": randoms} for unc, randoms, _ in sets],
               "measure_on": args.measure_on, "verdict": verdict}
    (OUT / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    all_f1 = np.concatenate([random_f1.ravel(), uncertain_f1.ravel()])
    y_min, y_max = np.floor(all_f1.min() * 20) / 20, np.ceil(all_f1.max() * 20) / 20
    line_chart(OUT / f"{name}.png",
               [(xs, list(random_mean), ORANGE), (xs, list(uncertain_mean), BLUE)],
               x_max=xs[-1], y_min=float(y_min), y_max=float(y_max), x_step=args.batch, y_step=0.05,
               bands=[(xs, list(random_f1.min(axis=0)), list(random_f1.max(axis=0)), PALE_ORANGE)])
    print("\n".join(table) + "\n" + verdict)


if __name__ == "__main__":
    main()
