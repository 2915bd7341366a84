"""Multi-label metrics and the keyword-search baseline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .taxonomy import LABEL_NAMES, SEARCH_TERMS


def metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, Any]:
    """Per-label precision/recall/F1/support, macro-F1 and exact match (n_notes x n_labels 0/1)."""
    per_label = {}
    for j, name in enumerate(LABEL_NAMES):
        t, p = y_true[:, j].astype(bool), y_pred[:, j].astype(bool)
        tp, fp, fn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[name] = {"precision": round(precision, 4), "recall": round(recall, 4),
                           "f1": round(f1, 4), "support": int(t.sum())}
    macro = float(np.mean([v["f1"] for v in per_label.values()]))
    exact = float((y_true == y_pred).all(axis=1).mean()) if len(y_true) else 0.0
    return {"per_label": per_label, "macro_f1": round(macro, 4), "exact_match": round(exact, 4), "notes": int(len(y_true))}


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
