"""Screen a concern-model design variant without touching the test split.

    python bench/screen_variant.py                          # the default design: dev F1
    python bench/screen_variant.py hard_negatives=3        # a variant (TrainingConfig fields): dev F1
    python bench/screen_variant.py --cv out.jsonl hard_negatives=3  # its leave-one-voice-out, against the gate
    python bench/screen_variant.py --cv screen.jsonl --screen hard_negatives=3  # the first filter: 8 fixed voices
    python bench/screen_variant.py --cv s.jsonl --voices hand:nqsw_wales,hand:mash_england hard_negatives=3

Without ``--cv``: train on the corpus train split with the fields given, print the dev F1 per label and the
macro-F1 (JSON). With ``--cv FILE``: leave each hand-written voice out in turn, as ``casereview train --cv origin``
does, appending each fold to FILE as it finishes and skipping the folds FILE already holds (a run of an hour or more
under load can be stopped and resumed); once every fold is in, print the summary and whether the variant passes the
gate against the shipped model's card: mean macro-F1 and both core labels' means up, no label's mean down by more
than 0.005 (``GATE_LABELS``, ``GATE_DROP``).

With ``--screen`` (the voices in ``SCREEN_VOICES``) or ``--voices A,B,...`` as well, only those voices are left out,
and the summary is each voice's change against the shipped card's fold for it (the core labels' F1 and the
macro-F1), their mean change and how many voices went up. This is the first filter for a variant: dev rewards words
that belong to one voice, and variants that rose on dev have fallen on voices the model never saw. Only a variant up
on the screen for both core labels and the macro-F1 is worth the full run (44 folds, an hour or more). Give each
variant, and the screen and the full run, a log file of their own: a log is resumed by the voices it holds.
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
#: the screen's fixed voices (``--screen``): spread over the shipped card's per-voice macro-F1 (0.821-0.921 of
#: 0.821-0.929) and sizes (95-285 notes), with the worst voice overall and the worst for each core label
SCREEN_VOICES = ("hand:nqsw_wales", "hand:mash_england", "hand:family_time_england", "hand:interim_tm_england",
                 "hand:homeless_1617_wales", "hand:early_help_wales", "hand:placements_england",
                 "hand:kinship_england")


def _value(field: dataclasses.Field, text: str):
    if str(field.type).startswith("tuple"):  # a tuple field (labels=a,b): comma-separated, empty for none
        return tuple(item for item in text.split(",") if item)
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


def read_folds(log: Path) -> dict[str, dict]:
    folds = {}
    for line in log.read_text().splitlines() if log.exists() else []:
        fold = json.loads(line)
        folds[fold.pop("origin")] = fold
    return folds


def run_folds(config: TrainingConfig, records: list[dict], origins: list[str], log: Path,
              processes: int) -> dict[str, dict] | None:
    """Leave out each of ``origins`` not yet in ``log``, each fold appended as it ends; all of them once they are all
    in (else None)."""
    global _LOG
    todo = [o for o in origins if o not in read_folds(log)]
    if todo:
        _LOG, training._FOLDS = log, training._Folds(records, config, make_nlp(config.sentence_words))
        try:
            map_in_processes(_logged_fold, todo, processes)
        finally:
            _LOG = training._FOLDS = None
    folds = read_folds(log)
    if any(o not in folds for o in origins):
        return None
    return {o: folds[o] for o in origins}


def leave_voices_out(config: TrainingConfig, records: list[dict], log: Path, processes: int) -> dict | None:
    """Every voice left out in turn (resumed from ``log``): the summary once all are in (else None)."""
    folds = run_folds(config, records, corpus_mod.hand_origins(records), log, processes)
    if folds is None:
        return None
    scored = [f for f in folds.values() if f["macro_f1"] is not None]
    return {"mean_macro_f1": round(float(np.mean([f["macro_f1"] for f in scored])), 4),
            "worst_macro_f1": min(f["macro_f1"] for f in scored),
            "label_means": {k: round(v, 4) for k, v in label_means(scored).items()}}


def voice_changes(folds: dict[str, dict], shipped_cv: dict) -> dict:
    """Each voice's change against the shipped card's fold for it, in the core labels' F1 and the macro-F1; the
    mean change and how many voices went up, of those where both have a figure."""
    measures = (*GATE_LABELS, "macro_f1")

    def figure(fold: dict, measure: str) -> float | None:
        return fold["macro_f1"] if measure == "macro_f1" else fold["per_label_f1"][measure]

    per_voice = {}
    for origin, fold in folds.items():
        shipped = shipped_cv["folds"][origin]
        per_voice[origin] = {m: None if figure(fold, m) is None or figure(shipped, m) is None
                             else round(figure(fold, m) - figure(shipped, m), 4) for m in measures}
    summary = {}
    for m in measures:
        changes = [v[m] for v in per_voice.values() if v[m] is not None]
        summary[m] = {"mean_change": round(float(np.mean(changes)), 4) if changes else None,
                      "voices_up": sum(c > 0 for c in changes), "voices_down": sum(c < 0 for c in changes),
                      "voices": len(changes)}
    return {"per_voice": per_voice, "summary": summary}


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
    parser.add_argument("fields", nargs="*", help="TrainingConfig fields, name=value (a tuple field: name=a,b)")
    parser.add_argument("--cv", type=Path, help="leave-one-voice-out, folds appended to (and resumed from) this file")
    voices = parser.add_mutually_exclusive_group()
    voices.add_argument("--screen", action="store_true",
                        help=f"with --cv: leave out only the {len(SCREEN_VOICES)} fixed voices in SCREEN_VOICES")
    voices.add_argument("--voices", help="with --cv: leave out only these voices, comma-separated origins")
    parser.add_argument("--processes", "-p", type=int, default=2)
    args = parser.parse_args()
    if (args.screen or args.voices) and args.cv is None:
        parser.error("--screen and --voices need --cv FILE (the log of the folds)")
    config = config_of(args.fields)
    variant = {f: getattr(config, f) for f in (a.partition("=")[0] for a in args.fields)}
    shipped = json.loads((registry.shipped_default_folder() / "model-card.json").read_text())["cv_origin"]
    origins = list(SCREEN_VOICES) if args.screen else args.voices.split(",") if args.voices else None
    unknown = [o for o in origins or () if o not in shipped["folds"]]
    if unknown:  # said before the corpus is read and a fold trained
        raise SystemExit(f"--voices: {', '.join(unknown)}: not a voice the shipped model's card left out "
                         f"(voices: {', '.join(shipped['folds'])})")
    records = corpus_mod.load(None)
    if args.cv is None:
        print(json.dumps({"variant": variant, **screen_on_dev(config, records)}))
        return
    if origins:
        folds = run_folds(config, records, origins, args.cv, args.processes)
        if folds is None:
            raise SystemExit(f"{args.cv}: not every voice is in yet; run again to go on")
        print(json.dumps({"variant": variant, **voice_changes(folds, shipped)}, indent=2))
        return
    summary = leave_voices_out(config, records, args.cv, args.processes)
    if summary is None:
        raise SystemExit(f"{args.cv}: not every voice is in yet; run again to go on")
    print(json.dumps({"variant": variant, **summary, "gate": gate(summary, shipped)}, indent=2))


if __name__ == "__main__":
    main()
