"""Multi-label metrics and the keyword-search baseline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .taxonomy import LABEL_NAMES, SEARCH_TERMS

if TYPE_CHECKING:  # model imports this module
    from .model import ConcernModel
    from .notes import Note


#: Why a label is left out of the macro-F1 (``metrics``'s ``left_out_of_macro``).
NO_SUPPORT = "no gold note carries it"


def metrics(y_true: np.ndarray, y_pred: np.ndarray, known: np.ndarray | None = None) -> dict[str, Any]:
    """Per-label precision/recall/F1/support, macro-F1 and exact match (n_notes x n_labels 0/1).

    ``known`` (the same shape, 1 = decided) leaves out the (note, label) pairs no one decided: each is
    zeroed in truth and prediction alike, a true negative, which changes no precision, recall or F1;
    exact match is then over a note's decided labels.

    The macro-F1 is over the labels some note carries (support > 0): a label with nothing to find
    has no recall, so its F1 of 0 says nothing of the system, and averaging it in made a small gold
    file without, say, a ``workforce_capacity`` note look far worse than it is. The labels are the
    gold's, the same for every system measured on it (model, keyword search, the current and a new
    model), so their macros compare; false alarms on a left-out label still count in exact match.
    ``left_out_of_macro`` (only when a label is left out, so a corpus split's metrics, where every
    label has support, are as they were) names each with the reason and its false alarms. With no
    label carried at all the macro-F1 is None.

    A figure with nothing to measure is None (JSON null), never 0: a label's recall and F1 where no note
    carries it, its precision where the system suggested it on no note (its F1 is then 0 if notes carry it:
    every one missed). A 0 read as a measurement made a label a small gold file lacks look never found.
    """
    if known is not None:
        y_true, y_pred = y_true * known, y_pred * known
    per_label, left_out = {}, {}
    for j, name in enumerate(LABEL_NAMES):
        t, p = y_true[:, j].astype(bool), y_pred[:, j].astype(bool)
        tp, fp, fn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum())
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = None if recall is None else 2 * precision * recall / (precision + recall) if tp else 0.0
        per_label[name] = {"precision": _rounded(precision), "recall": _rounded(recall), "f1": _rounded(f1),
                           "support": int(t.sum())}
        if not t.any():
            left_out[name] = {"reason": NO_SUPPORT, "false_alarms": fp}
    carried = [v["f1"] for name, v in per_label.items() if name not in left_out]
    macro = round(float(np.mean(carried)), 4) if carried else None
    exact = float((y_true == y_pred).all(axis=1).mean()) if len(y_true) else 0.0
    result = {"per_label": per_label, "macro_f1": macro, "exact_match": round(exact, 4), "notes": int(len(y_true))}
    if left_out:
        result["left_out_of_macro"] = left_out
    return result


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def false_positive_rate(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Share of (note, label) pairs that are negative yet predicted positive."""
    negatives = y_true == 0
    return round(float((y_pred[negatives] == 1).mean()), 4) if negatives.any() else 0.0


def keyword_predictions(texts: Sequence[str]) -> np.ndarray:
    """What searching the case system for each label's terms would flag."""
    lowered = [t.lower() for t in texts]
    return np.array([[int(any(term in t for term in SEARCH_TERMS[n])) for n in LABEL_NAMES] for t in lowered],
                    dtype=np.int8)


def targets(records: Sequence[dict]) -> np.ndarray:
    return np.array([[int(n in (r.get("labels") or [])) for n in LABEL_NAMES] for r in records], dtype=np.int8)


def predictions_matrix(results: Sequence[dict]) -> np.ndarray:
    return np.array([[int(n in r["labels"]) for n in LABEL_NAMES] for r in results], dtype=np.int8)


def decided(records: Sequence[dict]) -> np.ndarray:
    """1 where a gold note decides a label; 0 for the labels it lists as ``unreviewed`` (as ``export labels``
    lists those no one decided), which are no negatives."""
    return np.array([[int(n not in (r.get("unreviewed") or [])) for n in LABEL_NAMES] for r in records],
                    dtype=np.int8).reshape(-1, len(LABEL_NAMES))


def evaluate_gold(model: ConcernModel, notes: Sequence[Note]) -> dict[str, Any]:
    """The model's metrics on labelled notes beside the keyword-search baseline's, over their decided labels."""
    records = [{"labels": n.labels, "unreviewed": n.unreviewed} for n in notes]
    truth, known = targets(records), decided(records)
    blocks = {"model": metrics(truth, predictions_matrix(model.predict(notes)), known),
              "keyword_baseline": metrics(truth, keyword_predictions([n.text for n in notes]), known)}
    return {"model_version": model.version,
            **{side: {**block, "left_out_of_macro": block.get("left_out_of_macro", {})} for side, block in blocks.items()}}
