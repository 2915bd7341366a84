"""Agreement of the independent second coding (sample/second_coding.jsonl) with the corpus labels.

    python3 corpora/second_coding.py

120 dev-split hand-written notes, each coded blind by two of three coders for the two core
labels that the model falls short on. The notes were drawn in three strata by what
concern-0.9.0 made of them (wrong on risk_analysis_gap, wrong on
management_oversight_missing only, right on both); each record's ``weight`` (the stratum's
dev notes per sampled note) turns the sample's counts into estimates for all 1,301
hand-written dev notes. See DATASHEET.md, "Label reliability".
"""

from __future__ import annotations

import collections
import itertools
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from casereview import corpus  # noqa: E402
from casereview.agreement import cohen_kappa  # noqa: E402

LABELS = ("risk_analysis_gap", "management_oversight_missing")
WRONG_ON = {"risk_analysis_gap": "model_wrong_on_risk", "management_oversight_missing": "model_wrong_on_oversight"}


def load(folder: Path) -> tuple[list[dict], dict[str, list[str]]]:
    """The second coding's records, and the corpus labels of the notes it codes."""
    codes = [json.loads(line) for line in (folder / "second_coding.jsonl").read_text(encoding="utf-8").splitlines()]
    coded = {c["note_id"] for c in codes}
    return codes, {r["note_id"]: r["labels"] for r in corpus.load(folder) if r["note_id"] in coded}


def _kappa(a: list[bool], b: list[bool]) -> float:
    return round(cohen_kappa(a, b), 2)


def agreement(codes: list[dict], gold: dict[str, list[str]], label: str) -> dict:
    """Per coder and pair of coders: kappa on the sample; the coders' weighted precision, recall
    and F1 against the corpus labels; where the model was wrong, how often a coder sided with it."""
    by_coder = collections.defaultdict(dict)
    for c in codes:
        by_coder[c["coder"]][c["note_id"]] = label in c["labels"]
    out = {"coder_vs_corpus_kappa": {}, "coder_vs_coder_kappa": {}}
    for coder, seen in sorted(by_coder.items()):
        ids = sorted(seen)
        out["coder_vs_corpus_kappa"][coder] = _kappa([seen[i] for i in ids], [label in gold[i] for i in ids])
    for a, b in itertools.combinations(sorted(by_coder), 2):
        ids = sorted(set(by_coder[a]) & set(by_coder[b]))
        out["coder_vs_coder_kappa"][f"{a}-{b}"] = _kappa([by_coder[a][i] for i in ids], [by_coder[b][i] for i in ids])
    tp = fp = fn = 0.0
    sided = wrong = 0
    for c in codes:
        coded, truth, weight = label in c["labels"], label in gold[c["note_id"]], c["weight"] / 2  # two coders a note
        tp += weight * (coded and truth)
        fp += weight * (coded and not truth)
        fn += weight * (truth and not coded)
        if c["stratum"] == WRONG_ON[label]:
            wrong += 1
            sided += coded != truth  # the model was wrong, so disagreeing with the corpus is siding with it
    out["coders_vs_corpus_weighted"] = {"precision": round(tp / (tp + fp), 2), "recall": round(tp / (tp + fn), 2),
                                        "f1": round(2 * tp / (2 * tp + fp + fn), 2)}
    out["where_model_wrong_coders_side_with_model"] = f"{sided}/{wrong}"
    return out


def main() -> None:
    codes, gold = load(HERE / "sample")
    report = {label: agreement(codes, gold, label) for label in LABELS}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
