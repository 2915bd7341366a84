"""Train the name recogniser on the personal-data corpus: fit on train, tune thresholds on dev, report test."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .. import corpus, model_files
from ..errors import CaseReviewError, InputError
from ..notes import Note
from ..taxonomy import PII_TYPES
from .evaluation import span_metrics
from .ner import FEATURE_VERSION, NER_LABELS, NameModel, build_lexicon, fit, training_examples
from .scanner import Scanner

THRESHOLD_GRID = tuple(round(0.05 + 0.05 * k, 2) for k in range(17))  # 0.05 .. 0.85
#: Thresholds maximise F-beta on dev with beta 2: a missed name costs more than a false alarm.
BETA = 2.0
#: Of the thresholds within this of the best dev F-beta, the one nearest best / (1 + beta^2), where
#: F-beta's optimal threshold lies for calibrated scores (0.5 for F1 near 1, as the concern model's
#: are chosen; about 0.2 for F2). Dev F2 is flat at low thresholds: for a first f4 candidate PERSON's was
#: 0.9476 at 0.05, 0.9469 at 0.10 and 0.9438 at 0.15, while precision on the previous corpus's dev notes
#: was 0.962, 0.985 and 0.991 (recall 0.997, 0.994, 0.993): the exact peak is noise, its false alarms not.
THRESHOLD_TOLERANCE = 0.005


def default_corpus() -> Path:
    return corpus.default_corpus() / "pii"


def check_entities(raw: dict, note: Note, source: str, line: int) -> None:
    """A personal-data corpus note's split and its ``entities`` (none: ``[]``)."""
    corpus.check_split_and_origin(raw, note, source, line)
    _check_entity_spans(raw.get("entities", []), note, source, line)


def check_gold_entities(raw: dict, note: Note, source: str, line: int) -> None:
    """A gold note's ``entities`` (``pii evaluate``), which it must have: ``[]`` for none."""
    if raw.get("entities") is None:
        raise InputError(source, line, "entities", "missing: a gold note needs its entities ([] for none)")
    _check_entity_spans(raw["entities"], note, source, line)


def _check_entity_spans(entities: object, note: Note, source: str, line: int) -> None:
    """``entities``: spans of the note's text, ``{start, end, label}``, each label a personal-data type."""
    corpus.check_spans(entities, note, source, line, "entities")
    for number, entity in enumerate(entities, 1):
        if entity.get("label") not in PII_TYPES:
            raise InputError(source, line, "entities", f"entity {number}: 'label' must be one of {', '.join(PII_TYPES)}")


#: What a personal-data corpus folder holds, said when a ``--corpus`` is not one.
HOLDS = (f"a personal-data corpus folder holds {corpus.NOTES_FILE}: notes in the codebook's schema, one JSON object a "
         "line, each with its split and entities")


def load_corpus(folder: str | Path | None = None) -> list[dict[str, Any]]:
    """Every note of the personal-data corpus, in file order (same layout as the concern corpus, with ``entities``
    for ``labels`` and ``evidence``)."""
    return corpus.load(folder or default_corpus(), check=check_entities, holds=HOLDS)


def gold_spans(record: dict) -> list[tuple[int, int, str]]:
    return [(e["start"], e["end"], e["label"]) for e in record.get("entities", [])]


def evaluate_scanner(scanner: Scanner, records: list[dict]) -> dict:
    found = scanner.scan_many([r["text"] for r in records], [r.get("date") for r in records])
    return span_metrics([gold_spans(r) for r in records], [[(e.start, e.end, e.label) for e in f] for f in found])


def _f_beta(block: dict) -> float:
    p, r = block["precision"], block["recall"]
    return (1 + BETA**2) * p * r / (BETA**2 * p + r) if p + r else 0.0


def _concern_corpus_train() -> list[dict]:
    """The concern corpus's train notes (anonymised): more common words for the lexicon."""
    from ..corpus import default_corpus, load

    try:
        return [{"text": r["text"]} for r in load(default_corpus()) if r.get("split") == "train"]
    except CaseReviewError:
        return []


def tune_thresholds(model: NameModel, dev: list[dict], tolerance: float = THRESHOLD_TOLERANCE) -> dict[str, float]:
    """Per type, of the thresholds within ``tolerance`` of the best exact-span F-beta on dev, the one nearest
    best / (1 + beta^2) (others held at their value)."""
    scanner = Scanner(model, "tuning")
    for label in NER_LABELS:
        scores = {}
        for t in THRESHOLD_GRID:
            model.thresholds[label] = t
            scores[t] = _f_beta(evaluate_scanner(scanner, dev)["exact"]["per_type"][label])
        best = max(scores.values())
        near = [t for t, score in scores.items() if score >= best - tolerance - 1e-9]
        optimal = best / (1 + BETA**2)
        model.thresholds[label] = min(near, key=lambda t: (abs(t - optimal), t))
    return dict(model.thresholds)


def data_hash(records: list[dict]) -> str:
    digest = hashlib.sha256()
    for r in records:
        digest.update(json.dumps([r["note_id"], r["text"], r.get("entities"), r.get("split")], sort_keys=True).encode())
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    return model_files.library_versions(("casereview", "scikit-learn", "numpy", "scipy", "joblib"))


def train_corpus(corpus: str | Path | None = None, *, seed: int = 20261125, C: float = 2.0) -> tuple[NameModel, dict]:
    """Fit on the train split, tune on dev, evaluate on test; returns the model and its card."""
    records = load_corpus(corpus)
    splits = {name: [r for r in records if r.get("split") == name] for name in ("train", "dev", "test")}
    if not splits["train"] or not splits["dev"]:
        raise CaseReviewError("the personal-data corpus needs train and dev notes")
    lexicon = build_lexicon(splits["train"] + _concern_corpus_train())
    rows, targets, missed = training_examples(splits["train"], lexicon)
    model = fit(rows, targets, C=C, seed=seed)
    model.lexicon = lexicon
    thresholds = tune_thresholds(model, splits["dev"])
    digest = data_hash(records)
    # the lexicon comes from the concern corpus too: a new concern corpus makes a new model
    lexicon_digest = hashlib.sha256("\n".join(sorted(lexicon)).encode()).hexdigest()
    version = f"pii-{digest[:8]}-{lexicon_digest[:6]}-f{FEATURE_VERSION}"
    scanner = Scanner(model, version)
    card = {
        "version": version,
        "kind": "casereview personal-data name recogniser (PERSON, ADDRESS, SCHOOL)",
        "method": "candidate spans from capitalised runs; multinomial logistic regression over word, shape, "
                  "suffix, context and small gazetteer features; structured types by validated patterns",
        "labels": list(NER_LABELS),
        "thresholds": thresholds,
        "training": {"corpus": "corpora/sample/pii", "data_sha256": digest, "seed": seed, "C": C,
                     "notes": {k: len(v) for k, v in splits.items()}, "candidates": len(rows),
                     "features": len(model.vocabulary), "lexicon_words": len(lexicon),
                     "lexicon_sha256": lexicon_digest,
                     "gold_spans_without_candidate_in_train": missed},
        "metrics": {"dev": evaluate_scanner(scanner, splits["dev"]),
                    "test": evaluate_scanner(scanner, splits["test"]) if splits["test"] else None},
        "library_versions": library_versions(),
    }
    model.info = {"version": version}
    return model, card
