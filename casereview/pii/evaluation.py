"""Per-type precision, recall and F1 of found entities against gold spans, exact-span and overlap."""

from __future__ import annotations

from collections.abc import Sequence

from ..taxonomy import PII_TYPES

Span = tuple[int, int, str]


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _block(tp_pred: int, predicted: int, tp_gold: int, gold: int) -> dict:
    precision, recall = _ratio(tp_pred, predicted), _ratio(tp_gold, gold)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": gold, "predicted": predicted}


def span_metrics(gold: Sequence[Sequence[Span]], predicted: Sequence[Sequence[Span]]) -> dict:
    """``{"exact": {...}, "overlap": {...}}``, each with ``per_type`` and ``overall`` (micro) blocks.

    Exact: same start, end and type. Overlap: a gold span counts as found when a
    prediction of its type overlaps it; a prediction counts as right when it
    overlaps a gold span of its type.
    """
    result = {}
    for mode in ("exact", "overlap"):
        counts = {t: [0, 0, 0, 0] for t in PII_TYPES}  # tp_pred, predicted, tp_gold, gold
        for gold_spans, pred_spans in zip(gold, predicted):
            for s, e, label in pred_spans:
                counts[label][1] += 1
                if _matches((s, e, label), gold_spans, mode):
                    counts[label][0] += 1
            for s, e, label in gold_spans:
                counts[label][3] += 1
                if _matches((s, e, label), pred_spans, mode):
                    counts[label][2] += 1
        per_type = {t: _block(*c) for t, c in counts.items()}
        total = [sum(c[k] for c in counts.values()) for k in range(4)]
        result[mode] = {"per_type": per_type, "overall": _block(*total)}
    return result


def _matches(span: Span, others: Sequence[Span], mode: str) -> bool:
    s, e, label = span
    if mode == "exact":
        return any(o == (s, e, label) for o in others)
    return any(ol == label and os < e and s < oe for os, oe, ol in others)
