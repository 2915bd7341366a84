"""Screen a concern-model design variant without touching the test split.

    python bench/screen_variant.py                          # the default design: dev F1
    python bench/screen_variant.py hard_negatives=3        # a variant (TrainingConfig fields): dev F1
    python bench/screen_variant.py --cv out.jsonl hard_negatives=3  # its leave-one-voice-out, against the gate

Without ``--cv``: train on the corpus train split with the fields given, print the dev F1 per label and the
macro-F1 (JSON). With ``--cv FILE``: leave each hand-written voice out in turn, as ``casereview train --cv origin``
does, appending each fold to FILE as it finishes and skipping the folds FILE already holds (a run of an hour or more
under load can be stopped and resumed); once every fold is in, print the summary and whether the variant passes the
gate against the shipped model's card: mean macro-F1 and both core labels' means up, no label's mean down by more
than 0.005 (``GATE_LABELS``, ``GATE_DROP``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from casereview import corpus as corpus_mod
from casereview import registry, training
from casereview.model import TrainingConfig, fit
from casereview.nlp import make_nlp
from casereview.workers import map_in_processes

#: how far a label's leave-one-voice-out mean may fall for a variant to be adopted
GATE_DROP = 0.005
#: the labels whose leave-one-voice-out means a variant must raise: the core labels short of issue 4's targets
GATE_LABELS = ("risk_analysis_gap", "management_oversight_missing")


def _value(field: dataclasses.Field, text: str):
    if field.type in ("bool", bool):
        return text.lower() in ("1", "true", "yes")
    for kind in (int, float):
        if field.type in (kind.__name__, kind):
            return kind(text)
    return text


def config_of(assignments: list[str]) -> TrainingConfig:
    fields = {f.name: f for f in dataclasses.fields(TrainingConfig)}
    overrides = {}
    for assignment in assignments:
        name, _, text = assignment.partition("=")
        if name not in fields:
            raise SystemExit(f"{assignment}: no TrainingConfig field {name!r} (fields: {', '.join(fields)})")
        overrides[name] = _value(fields[name], text)
    return TrainingConfig(**overrides)


def screen_on_dev(config: TrainingConfig, records: list[dict]) -> dict:
    train, dev = corpus_mod.split(records, "train"), corpus_mod.split(records, "dev")
    started = time.perf_counter()
    model = fit(train, dev, config, processes=2)
    seconds = time.perf_counter() - started
    result = training.evaluate_model(model, dev)
    return {"dev_macro_f1": round(result["macro_f1"], 4),
            "dev_f1": {name: round(v["f1"], 4) for name, v in result["per_label"].items()},
            "fit_seconds": round(seconds, 1)}


_LOG: Path | None = None


def _logged_fold(origin: str) -> dict:
    result = {"origin": origin, **training._run_fold(origin)}
    with _LOG.open("a", encoding="utf-8") as f:  # a line per fold, written whole: folds end in any order
        f.write(json.dumps(result) + "\n")
    return result


def label_means(folds: list[dict]) -> dict[str, float]:
    """Each label's mean F1 over the folds whose notes carry it (as the model card counts it)."""
    names = folds[0]["per_label_f1"]
    return {name: float(np.mean([f["per_label_f1"][name] for f in folds if f["per_label_f1"][name] is not None]))
            for name in names}


def leave_voices_out(config: TrainingConfig, records: list[dict], log: Path, processes: int) -> dict | None:
    """The folds not yet in ``log``, each appended as it ends; the summary once all are in (else None)."""
    global _LOG
    origins = corpus_mod.hand_origins(records)
    done = {json.loads(line)["origin"] for line in log.read_text().splitlines()} if log.exists() else set()
    todo = [o for o in origins if o not in done]
    if todo:
        _LOG, training._FOLDS = log, training._Folds(records, config, make_nlp(config.sentence_words))
        try:
            map_in_processes(_logged_fold, todo, processes)
        finally:
            _LOG = training._FOLDS = None
    folds = {}
    for line in log.read_text().splitlines():
        fold = json.loads(line)
        folds[fold.pop("origin")] = fold
    missing = [o for o in origins if o not in folds]
    if missing:
        return None
    scored = [f for f in folds.values() if f["macro_f1"] is not None]
    return {"mean_macro_f1": round(float(np.mean([f["macro_f1"] for f in scored])), 4),
            "worst_macro_f1": min(f["macro_f1"] for f in scored),
            "label_means": {k: round(v, 4) for k, v in label_means(scored).items()}}


def gate(variant: dict, shipped_cv: dict) -> dict:
    shipped_folds = [f for f in shipped_cv["folds"].values() if f["macro_f1"] is not None]
    shipped = label_means(shipped_folds)
    change = {name: round(variant["label_means"][name] - shipped[name], 4) for name in shipped}
    passed = (variant["mean_macro_f1"] > shipped_cv["mean_macro_f1"]
              and all(change[name] > 0 for name in GATE_LABELS)
              and min(change.values()) >= -GATE_DROP)
    return {"shipped_mean_macro_f1": shipped_cv["mean_macro_f1"], "label_mean_change": change, "passes": passed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fields", nargs="*", help="TrainingConfig fields, name=value")
    parser.add_argument("--cv", type=Path, help="leave-one-voice-out, folds appended to (and resumed from) this file")
    parser.add_argument("--processes", "-p", type=int, default=2)
    args = parser.parse_args()
    config = config_of(args.fields)
    records = corpus_mod.load(None)
    variant = {f: getattr(config, f) for f in (a.partition("=")[0] for a in args.fields)}
    if args.cv is None:
        print(json.dumps({"variant": variant, **screen_on_dev(config, records)}))
        return
    summary = leave_voices_out(config, records, args.cv, args.processes)
    if summary is None:
        raise SystemExit(f"{args.cv}: not every voice is in yet; run again to go on")
    shipped = json.loads((registry.shipped_default_folder() / "model-card.json").read_text())["cv_origin"]
    print(json.dumps({"variant": variant, **summary, "gate": gate(summary, shipped)}, indent=2))


if __name__ == "__main__":
    main()
