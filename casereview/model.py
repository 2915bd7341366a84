"""The concern classifier: sentence-level scoring aggregated to the note.

Each sentence of a note becomes a bag of normalised, context-marked terms
(:mod:`casereview.nlp`) plus the note's metadata; a TF-IDF + logistic
regression per label scores every sentence. A note's raw score for a label is
its strongest sentences' scores; a per-label Platt calibrator fitted on the dev
split turns that into a probability, and a per-label threshold tuned on dev
decides the suggestion. The sentences that drive a suggestion are its evidence.

One small interface serves the CLI, the TUI and the learning loop:
:func:`train`, :func:`load` and :meth:`ConcernModel.predict_stream`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from . import model_files
from .evaluation import targets
from .nlp import SentenceFeaturizer, make_nlp
from .notes import Note
from .taxonomy import LABEL_NAMES

DEFAULT_SEED = 20261125
#: Context words: whether the note mentions them anywhere is a feature of every
#: sentence, so that "Case closed. NFA." reads differently with and without a manager.
CONTEXT_TERMS = ("team_manager", "manager", "supervision", "safety_plan", "risk", "analysis", "reviewed", "agreed")
MAX_EVIDENCE = 3


@dataclass(frozen=True)
class TermAnalyzer:
    """A sentence's features: unigrams and bigrams of its terms, ``@`` note features as they are.

    ``plain_negated`` also emits a negated term without its mark (``neg:held`` ->
    ``held``), so the word's meaning is shared and the mark adds the context;
    ``prefix`` adds each word's first letters, which survive typos and inflection.
    """

    plain_negated: bool = False
    prefix: int = 0
    #: weight of hand-written (and reviewed) notes against generated ones: they
    #: carry the variety of real recording that the generator lacks.
    hand_weight: float = 3.0
    note_model: bool = True

    def __call__(self, features: str) -> list[str]:
        words, extra = [], []
        for term in features.split():
            (extra if term.startswith("@") else words).append(term)
        out = words + [f"{a} {b}" for a, b in zip(words, words[1:])] + extra
        if self.plain_negated:
            out += [w[4:] for w in words if w.startswith(("neg:", "cue:"))]
        if self.prefix:
            out += ["p:" + w.rsplit(":", 1)[-1][: self.prefix] for w in words if len(w.rsplit(":", 1)[-1]) > self.prefix]
        return out


def note_context(note: Note, sentences: Sequence[str]) -> str:
    present = set(" ".join(sentences).replace("neg:", "").replace("cue:", "").split())
    parts = [f"@role:{note.author_role or 'none'}", f"@type:{note.note_type or 'none'}"]
    parts += [f"@has:{term}" for term in CONTEXT_TERMS if term in present]
    parts.append(f"@length:{min(len(sentences), 12) // 4}")
    return " ".join(parts)


@dataclass
class NoteFeatures:
    """A note's sentences: character spans and feature strings (with note context)."""

    note: Note
    spans: list[tuple[int, int]]
    features: list[str]


def featurize(notes: Iterable[Note], nlp=None, batch_size: int = 256) -> Iterator[NoteFeatures]:
    """Stream notes through the spaCy pipeline into sentence features."""
    nlp = nlp or make_nlp()
    sentences_of = SentenceFeaturizer(nlp)
    notes_a, notes_b = itertools.tee(notes, 2)  # nlp.pipe reads ahead a batch; tee holds only that
    for note, doc in zip(notes_a, nlp.pipe((n.text for n in notes_b), batch_size=batch_size)):
        sentences = sentences_of(doc) or [(0, len(note.text), "")]
        strings = [s for _, _, s in sentences]
        context = note_context(note, strings)
        yield NoteFeatures(note, [(a, b) for a, b, _ in sentences], [f"{s} {context}" for s in strings])


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def aggregate(sentence_probs: np.ndarray) -> np.ndarray:
    """Note-level inputs to the calibrator from one note's sentence probabilities (n_sent x n_labels)."""
    ordered = np.sort(sentence_probs, axis=0)[::-1]
    top = ordered[0]
    second = ordered[1] if len(ordered) > 1 else np.zeros_like(top)
    return np.stack([_logit(top), _logit(second)], axis=1)  # n_labels x 2


@dataclass
class ConcernModel:
    """A trained concern classifier. Plain data: vectoriser, per-label estimators, calibrators."""

    version: str
    labels: tuple[str, ...]
    vectorizer: TfidfVectorizer
    classifiers: list[LogisticRegression]
    calibrators: list[LogisticRegression]
    thresholds: dict[str, float]
    info: dict[str, Any] = field(default_factory=dict)
    _nlp: Any = field(default=None, repr=False, compare=False)
    #: per-label note-level classifiers over all of a note's terms: a third input to
    #: the calibrator for gaps spread over a note rather than in one sentence.
    note_classifiers: list[LogisticRegression] = field(default_factory=list)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_nlp"] = None  # rebuilt on load: our components are registered in code
        return state

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = make_nlp()
        return self._nlp

    # -- scoring -----------------------------------------------------------------
    def sentence_probabilities(self, matrix) -> np.ndarray:
        columns = [clf.predict_proba(matrix)[:, 1] for clf in self.classifiers]
        return np.stack(columns, axis=1) if columns else np.zeros((matrix.shape[0], 0))

    def calibrate(self, aggregated: np.ndarray) -> np.ndarray:
        """aggregated: n_notes x n_labels x 2 -> calibrated probabilities n_notes x n_labels."""
        return np.stack(
            [cal.predict_proba(aggregated[:, j, :])[:, 1] for j, cal in enumerate(self.calibrators)], axis=1
        )

    def score_features(self, batch: list[NoteFeatures]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Calibrated note scores and per-note sentence probabilities for a batch."""
        aggregated, per_note = _aggregated(self, batch)
        return self.calibrate(aggregated), per_note

    def predict_stream(self, notes: Iterable[Note], batch_size: int = 256) -> Iterator[dict[str, Any]]:
        """One prediction record per note, in order, in constant memory."""
        batch: list[NoteFeatures] = []
        for nf in featurize(notes, self.nlp, batch_size=batch_size):
            batch.append(nf)
            if len(batch) >= batch_size:
                yield from self._records(batch)
                batch = []
        if batch:
            yield from self._records(batch)

    def predict(self, notes: Iterable[Note]) -> list[dict[str, Any]]:
        return list(self.predict_stream(notes))

    def _records(self, batch: list[NoteFeatures]) -> Iterator[dict[str, Any]]:
        scores, per_note = self.score_features(batch)
        for nf, note_scores, sent_probs in zip(batch, scores, per_note):
            labels = [n for j, n in enumerate(self.labels) if note_scores[j] >= self.thresholds[n]]
            evidence = {}
            for j, name in enumerate(self.labels):
                if name in labels:
                    evidence[name] = self._evidence(nf, sent_probs[:, j])
            yield {
                "note_id": nf.note.note_id,
                "labels": labels,
                "scores": {n: round(float(note_scores[j]), 4) for j, n in enumerate(self.labels)},
                "evidence": evidence,
                "model_version": self.version,
                "thresholds": dict(self.thresholds),
            }

    def _evidence(self, nf: NoteFeatures, probs: np.ndarray) -> list[dict[str, Any]]:
        """The sentences that drive a label: the strongest, and any close to it."""
        order = np.argsort(-probs)
        best = probs[order[0]]
        chosen = [i for i in order[:MAX_EVIDENCE] if probs[i] >= max(0.5, best * 0.75) or i == order[0]]
        text = nf.note.text
        return [
            {"start": nf.spans[i][0], "end": nf.spans[i][1], "text": text[nf.spans[i][0] : nf.spans[i][1]],
             "score": round(float(probs[i]), 4)}
            for i in sorted(chosen)
        ]

    def top_terms(self, note: Note, label: str, k: int = 5) -> list[tuple[str, float]]:
        """The terms of a note's strongest sentence that push ``label`` up most."""
        nf = next(featurize([note], self.nlp))
        j = self.labels.index(label)
        matrix = self.vectorizer.transform(nf.features)
        probs = self.classifiers[j].predict_proba(matrix)[:, 1]
        row = matrix[int(np.argmax(probs))].tocoo()
        coef = self.classifiers[j].coef_[0]
        names = self.vectorizer.get_feature_names_out()
        contributions = sorted(((names[c], v * coef[c]) for c, v in zip(row.col, row.data)), key=lambda x: -x[1])
        return [(n, round(float(w), 4)) for n, w in contributions[:k] if w > 0]


# -- training ------------------------------------------------------------------
def sentence_targets(nf: NoteFeatures, record: dict) -> np.ndarray:
    """Per-sentence 0/1 targets: a sentence is positive for a label if it overlaps its evidence."""
    targets = np.zeros((len(nf.spans), len(LABEL_NAMES)), dtype=np.int8)
    labels = set(record.get("labels") or [])
    evidence = record.get("evidence") or {}
    for j, name in enumerate(LABEL_NAMES):
        if name not in labels:
            continue
        spans = [(e["start"], e["end"]) for e in evidence.get(name, [])]
        if not spans:  # no evidence given: every sentence may carry it
            targets[:, j] = 1
            continue
        for i, (s, e) in enumerate(nf.spans):
            if any(s < end and start < e for start, end in spans):
                targets[i, j] = 1
    return targets


def _note_from_record(record: dict) -> Note:
    return Note(record["note_id"], record["text"], record.get("case_id"), record.get("date"),
                record.get("author_role"), record.get("note_type"))


@dataclass
class TrainingConfig:
    # Defaults chosen by leave-one-voice-out cross-validation (`casereview train --cv origin`).
    seed: int = DEFAULT_SEED
    C: float = 16.0
    min_df: int = 2
    max_features: int = 200_000
    plain_negated: bool = True
    prefix: int = 4
    #: weight of hand-written (and reviewed) notes against generated ones: they
    #: carry the variety of real recording that the generator lacks.
    hand_weight: float = 3.0
    note_model: bool = True


def fit(train: Sequence[dict], dev: Sequence[dict], config: TrainingConfig | None = None,
        version: str = "dev", nlp=None, mask: np.ndarray | None = None) -> ConcernModel:
    """Fit sentence classifiers on ``train``, calibrators and thresholds on ``dev``.

    ``mask`` (n_train x n_labels, 1 = known) leaves unreviewed labels out of a
    label's training set instead of treating them as negatives.
    """
    config = config or TrainingConfig()
    nlp = nlp or make_nlp()
    train_nf = list(featurize([_note_from_record(r) for r in train], nlp))
    vectorizer = TfidfVectorizer(analyzer=TermAnalyzer(config.plain_negated, config.prefix), min_df=config.min_df, sublinear_tf=True,
                                 max_features=config.max_features, dtype=np.float32)
    features = [f for nf in train_nf for f in nf.features]
    matrix = vectorizer.fit_transform(features)
    sent_y = np.vstack([sentence_targets(nf, r) for nf, r in zip(train_nf, train)])
    owner = np.repeat(np.arange(len(train_nf)), [len(nf.features) for nf in train_nf])
    note_weight = np.array([1.0 if r.get("origin") == "generator" else config.hand_weight for r in train])
    weight = note_weight[owner]
    classifiers = []
    for j, _name in enumerate(LABEL_NAMES):
        rows = np.ones(len(owner), dtype=bool) if mask is None else mask[owner, j].astype(bool)
        classifiers.append(_fit_label(matrix[rows], sent_y[rows, j], weight[rows], config))
    note_classifiers = []
    if config.note_model:
        notes_matrix = vectorizer.transform([note_string(nf) for nf in train_nf])
        note_y = targets(train)
        for j, _name in enumerate(LABEL_NAMES):
            rows = np.ones(len(train_nf), dtype=bool) if mask is None else mask[:, j].astype(bool)
            note_classifiers.append(_fit_label(notes_matrix[rows], note_y[rows, j], note_weight[rows], config))
    model = ConcernModel(version, LABEL_NAMES, vectorizer, classifiers, [], {}, {}, nlp, note_classifiers)
    dev_nf = list(featurize([_note_from_record(r) for r in dev], nlp))
    dev_y = targets(dev)
    dev_weight = np.array([1.0 if r.get("origin") == "generator" else config.hand_weight for r in dev])
    aggregated, _ = _aggregated(model, dev_nf)
    calibrators, thresholds = [], {}
    for j, name in enumerate(LABEL_NAMES):
        cal = LogisticRegression(C=1.0, random_state=config.seed)
        y = dev_y[:, j]
        if y.min() == y.max():
            cal.fit(np.array([[-1.0] * aggregated.shape[2], [1.0] * aggregated.shape[2]]), [0, 1])
        else:
            cal.fit(aggregated[:, j, :], y, sample_weight=dev_weight)
        calibrators.append(cal)
    model.calibrators = calibrators
    scores = model.calibrate(aggregated)
    for j, name in enumerate(LABEL_NAMES):
        thresholds[name] = tune_threshold(scores[:, j], dev_y[:, j], dev_weight)
    model.thresholds = thresholds
    return model


def _fit_label(matrix, y: np.ndarray, weight: np.ndarray, config: TrainingConfig) -> LogisticRegression:
    """One label's classifier; a constant scorer when the label has one class or no known rows."""
    clf = LogisticRegression(C=config.C, class_weight="balanced", max_iter=2000, solver="liblinear",
                             random_state=config.seed)
    if y.size == 0 or y.min() == y.max():
        clf.fit(np.zeros((2, matrix.shape[1])), [0, 1])
        clf.coef_[:] = 0
        clf.intercept_[:] = 8.0 if y.size and y.max() == 1 else -8.0
        return clf
    return clf.fit(matrix, y, sample_weight=weight)


def _aggregated(model: ConcernModel, nfs: list[NoteFeatures]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Calibrator inputs (n_notes x n_labels x k) and each note's sentence probabilities."""
    width = 3 if model.note_classifiers else 2
    if not nfs:
        return np.zeros((0, len(model.labels), width)), []
    matrix = model.vectorizer.transform([f for nf in nfs for f in nf.features])
    probs = model.sentence_probabilities(matrix)
    per_note, start = [], 0
    for nf in nfs:
        per_note.append(probs[start : start + len(nf.features)])
        start += len(nf.features)
    aggregated = np.stack([aggregate(p) for p in per_note])
    if model.note_classifiers:
        notes_matrix = model.vectorizer.transform([note_string(nf) for nf in nfs])
        note_probs = np.stack([c.predict_proba(notes_matrix)[:, 1] for c in model.note_classifiers], axis=1)
        aggregated = np.concatenate([aggregated, _logit(note_probs)[:, :, None]], axis=2)
    return aggregated, per_note


def note_string(nf: NoteFeatures) -> str:
    return " ".join(nf.features)


def tune_threshold(scores: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> float:
    """The threshold maximising (weighted) F1 on dev (ties: the one nearest 0.5)."""
    if y.sum() == 0:
        return 0.5
    weight = np.ones(len(y)) if weight is None else weight
    positives = float(weight[y == 1].sum())
    best, best_f1 = 0.5, -1.0
    for t in np.round(np.arange(0.05, 0.951, 0.01), 2):
        pred = scores >= t
        tp = float(weight[pred & (y == 1)].sum())
        predicted = float(weight[pred].sum())
        f1 = 2 * tp / (predicted + positives) if (predicted + positives) else 0.0
        if f1 > best_f1 + 1e-9 or (abs(f1 - best_f1) <= 1e-9 and abs(t - 0.5) < abs(best - 0.5)):
            best, best_f1 = float(t), f1
    return best


# -- persistence ---------------------------------------------------------------
def library_versions() -> dict[str, str]:
    return model_files.library_versions(("casereview", "spacy", "scikit-learn", "numpy", "scipy", "joblib"))


def save(model: ConcernModel, folder: Path, card: dict[str, Any]) -> str:
    """Write the model folder (joblib file, model-card.json, MODEL_CARD.md); returns the sha256."""
    from .model_card import render_markdown

    card = {**card, "version": model.version, "labels": list(model.labels),
            "thresholds": model.thresholds, "library_versions": library_versions()}
    return model_files.write_folder(model, folder, card, render_markdown)


def load(folder: str | Path, expected_sha256: str | None, trust: bool = False) -> ConcernModel:
    """Load a model folder after checking its hash against ``expected_sha256``.

    joblib files execute code when loaded, so a model whose hash is unknown or does
    not match is refused unless ``trust`` is given explicitly.
    """
    return model_files.load_verified(folder, expected_sha256, trust, ConcernModel, "concern model")
