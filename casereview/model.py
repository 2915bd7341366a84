"""The concern classifier: sentence-level scoring aggregated to the note.

Each sentence of a note becomes a bag of normalised, context-marked terms plus
the note's metadata (:mod:`casereview.features`); a TF-IDF + logistic
regression per label scores every sentence, a note-level regression per
label scores all of a note's terms together, and a *contrast* regression per
label scores them again, trained on the label's notes against only the
negatives most like them (the gap against its good-practice near miss). A
per-label *stacker* reads all of these scores, for every label, with the note's
own features (:func:`stack_features`); it is trained on out-of-fold scores of the
training notes (:func:`out_of_fold_features`). A per-label Platt calibrator
fitted on the dev split turns the stacker's score (``calibration="stacked"``; or
the mean of the strongest sentence's, the note's and the contrast logits,
``"mean"``; or all of strongest, second, note and contrast, ``"separate"``) into a
probability, and a per-label threshold from dev (the one nearest 0.5 of those
within ``THRESHOLD_TOLERANCE`` of the best dev F1) decides the suggestion. The
sentences that drive a suggestion are its evidence, with the terms that weigh
most in them.

Scoring is vectorised over a batch of notes: the regressions' weights are one
matrix, aggregation and calibration are numpy operations.

One small interface serves the CLI, the TUI and the learning loop:
:func:`fit`, :func:`load` and :meth:`ConcernModel.predict_stream`.
"""

from __future__ import annotations

import dataclasses
import itertools
import marshal
import math
import operator
import re
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.util import minibatch
from threadpoolctl import threadpool_limits

from . import model_files
from .errors import ModelError
from .evaluation import targets
from .features import (FeatureBatch, FeatureVocabulary, SentenceFeatures, WATCHED_TERMS, describe_feature,
                       largest_first_in_runs, ragged_arange, ranks_in_runs)
from .nlp import featurized_docs, make_nlp, word_forms
from .notes import Note
from .taxonomy import LABEL_NAMES
from .workers import can_fork, collector_skips_live_objects, in_forked_processes, map_in_processes

DEFAULT_SEED = 20261125
MAX_EVIDENCE = 3
#: dev F1 within this of the best counts as the best when choosing a threshold (see tune_threshold)
THRESHOLD_TOLERANCE = 0.01
MAX_TERMS = 4
UNSHOWN_FEATURES = ("p:", "@length:", "@role:", "@type:")
#: Bumped when the model's stored form changes; older files are refused with a clear message.
FORMAT = 5
BATCH_SIZE = 512
CALIBRATIONS = ("stacked", "mean", "separate")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def aggregate(probs: np.ndarray, first_sentence: np.ndarray) -> np.ndarray:
    """Note-level inputs from sentence probabilities (n_sentences x n_labels), notes given by offsets.

    Per note and label: logits of the strongest and the second strongest sentence
    (n_notes x n_labels x 2). Every note has at least one sentence.
    """
    starts = first_sentence[:-1]
    top = np.maximum.reduceat(probs, starts, axis=0)
    counts = np.diff(first_sentence)
    note = np.repeat(np.arange(len(starts)), counts)
    is_top = probs == top[note]
    seen = np.cumsum(is_top, axis=0)
    before = np.vstack([np.zeros((1, probs.shape[1]), dtype=seen.dtype), seen])[starts]
    first_top = is_top & (seen - before[note] == 1)
    second = np.maximum.reduceat(np.where(first_top, -1.0, probs), starts, axis=0)
    second = np.where(counts[:, None] > 1, second, 0.0)
    return np.stack([_logit(top), _logit(second)], axis=2)


def stack_features(probs: np.ndarray, logits: np.ndarray, first_sentence: np.ndarray, note_matrix,
                   note_columns: Sequence[int]) -> np.ndarray:
    """What a stacker reads of each note (n_notes x n_features): every label's stage-one logits, how many
    sentences each label's sentence classifier calls (p > 0.5) and their mean probability, the note's
    length in sentences (log) and which of the note's own features (``note_columns``: author role, note
    type, length band, key context words, the codebook's absence flags such as a risk word with no
    analysis word) it has. A label's gap often shows in the others' scores: a risk decision
    with no manager (oversight), a visit recorded long after (delay)."""
    starts, counts = first_sentence[:-1], np.diff(first_sentence)
    called = np.add.reduceat((probs > 0.5).astype(np.float64), starts, axis=0)
    mean = np.add.reduceat(probs, starts, axis=0) / counts[:, None]
    flags = (note_matrix[:, list(note_columns)] > 0).toarray() if len(note_columns) else np.zeros((len(counts), 0))
    return np.hstack([logits.reshape(len(counts), -1), called, mean, np.log1p(counts)[:, None], flags])


@dataclass
class Scored:
    """A batch scored: calibrated note scores and every sentence's probability per label."""

    batch: FeatureBatch
    scores: np.ndarray           # n_notes x n_labels, calibrated
    sentence_probs: np.ndarray   # n_sentences x n_labels


@dataclass
class ConcernModel:
    """A trained concern classifier. Plain data: feature settings, vocabulary, per-label estimators."""

    version: str
    labels: tuple[str, ...]
    feature_settings: dict[str, Any]
    vocabulary: FeatureVocabulary
    classifiers: list[LogisticRegression]
    #: per-label note-level classifiers over all of a note's terms: an input to the stacker
    #: (or the calibrator) for gaps spread over a note rather than in one sentence.
    note_classifiers: list[LogisticRegression]
    #: per-label note-level classifiers of the label's notes against the negatives most like
    #: them (see _fit_contrast); an input to the stacker (or the calibrator). Empty: none.
    contrast_classifiers: list[LogisticRegression] = field(default_factory=list)
    #: per-label logistic regressions over :func:`stack_features`, trained on out-of-fold stage-one
    #: scores of the training notes (see out_of_fold_features); the calibrator's input when ``calibration="stacked"``
    stackers: list[LogisticRegression] = field(default_factory=list)
    #: vocabulary columns of the note's own features (``@``...) that the stackers read
    stack_columns: list[int] = field(default_factory=list)
    #: standardises :func:`stack_features` for the stackers (their regularisation then weighs every input alike)
    stack_scaler: StandardScaler | None = None
    calibrators: list[LogisticRegression] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    #: calibrator input: the "stacked" label's stacker score; the "mean" of the strongest sentence's, the
    #: note's and the contrast logits (one number: few parameters to fit on dev); or "separate" strongest,
    #: second, note and contrast logits
    calibration: str = "stacked"
    format: int = FORMAT
    #: the pipeline's run-on sentence limit (``make_nlp``'s ``sentence_words``); 0 in models made before it
    sentence_words: int = 0
    # built on first use, never pickled nor carried over by dataclasses.replace (init=False)
    _runtime: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    #: the sha256 of the file bytes :func:`load` loaded this model from (None: made here, or changed since by
    #: dataclasses.replace): what a workspace registers for it (``tagging``), never a hash of the file read again
    loaded_sha256: str | None = field(default=None, init=False, repr=False, compare=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_runtime"] = {}  # the pipeline and weight matrices are rebuilt on load
        state.pop("loaded_sha256", None)  # of the file it was loaded from, not of the one written now
        return state

    # -- runtime parts, built on first use ---------------------------------------
    @property
    def nlp(self):
        if "nlp" not in self._runtime:
            self._runtime["nlp"] = make_nlp(self.sentence_words)
        return self._runtime["nlp"]

    @property
    def featurizer(self) -> SentenceFeatures:
        if "featurizer" not in self._runtime:
            self._runtime["featurizer"] = SentenceFeatures(self.nlp.vocab, forms=word_forms(self.nlp),
                                                            **self.feature_settings)
        return self._runtime["featurizer"]

    def _stacked(self, name: str, estimators: list[LogisticRegression]) -> tuple[np.ndarray, np.ndarray]:
        """The estimators' weights as one matrix (features x labels) and their intercepts."""
        if name not in self._runtime:
            weights = np.stack([e.coef_[0] for e in estimators], axis=1).astype(np.float32)
            self._runtime[name] = (weights, np.array([e.intercept_[0] for e in estimators]))
        return self._runtime[name]

    def _note_level_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Note and contrast classifiers' weights as one matrix: each label's note column, then each label's contrast column."""
        return self._stacked("note_level", self.note_classifiers + self.contrast_classifiers)

    @property
    def n_calibrator_inputs(self) -> int:
        """1 when stacked or averaged; else 2 (strongest and second sentence) plus one per set of note-level classifiers."""
        note_inputs = len(self.note_classifiers + self.contrast_classifiers) // len(self.labels)
        return 1 if self._averaged or self.calibration == "stacked" else 2 + note_inputs

    @property
    def _averaged(self) -> bool:
        return self.calibration == "mean" and bool(self.note_classifiers)

    def use_nlp(self, nlp) -> None:
        """Share an already built pipeline (training builds many models on one), if it cuts sentences as this
        model's does; else build its own."""
        if nlp.get_pipe("casenote_sentences").max_words != self.sentence_words:
            nlp = make_nlp(self.sentence_words)
        self._runtime = {"nlp": nlp}

    # -- scoring -----------------------------------------------------------------
    def batches(self, notes: Iterable[Note], batch_size: int = BATCH_SIZE, names: bool = False) -> Iterator[FeatureBatch]:
        """Notes through the spaCy pipeline (``nlp.pipe``) into feature batches, in order."""
        for chunk in minibatch(notes, size=batch_size):
            docs = featurized_docs(self.nlp, [n.text for n in chunk], batch_size)
            yield self.featurizer(chunk, docs, names=names)

    def score(self, batch: FeatureBatch) -> Scored:
        probs, aggregated = self.calibrator_inputs(batch)
        return Scored(batch, self.calibrate(aggregated), probs)

    def calibrator_inputs(self, batch: FeatureBatch) -> tuple[np.ndarray, np.ndarray]:
        """Every sentence's probability per label, and the note-level calibrator inputs (n_notes x n_labels x k)."""
        note_matrix = self.vocabulary.note_matrix(batch) if self.note_classifiers or self.stackers else None
        probs, logits = self.stage_one(self.vocabulary.sentence_matrix(batch), batch.first_sentence, note_matrix)
        if self._averaged:  # strongest sentence, note and contrast; not the second sentence
            return probs, logits[:, :, [0, *range(2, logits.shape[2])]].mean(axis=2, keepdims=True)
        if self.calibration == "stacked":
            weights, intercepts = self._stacked("stackers", self.stackers)
            features = stack_features(probs, logits, batch.first_sentence, note_matrix, self.stack_columns)
            features = (features - self.stack_scaler.mean_) / self.stack_scaler.scale_
            return probs, (features @ weights + intercepts)[:, :, None]
        return probs, logits

    def stage_one(self, sentence_matrix, first_sentence: np.ndarray,
                  note_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Every sentence's probability per label, and per note and label the logits of the strongest and
        second strongest sentence, then of each note-level classifier (n_notes x n_labels x k)."""
        weights, intercepts = self._stacked("sentence", self.classifiers)
        probs = expit(sentence_matrix @ weights + intercepts)
        logits = aggregate(probs, first_sentence)
        if self.note_classifiers:
            # note and contrast classifiers in one product: n_notes x (k x n_labels) -> n_notes x n_labels x k
            weights, intercepts = self._note_level_weights()
            note_level_logits = np.clip(note_matrix @ weights + intercepts, -13.8, 13.8)
            note_level_logits = note_level_logits.reshape(len(first_sentence) - 1, -1, len(self.labels)).transpose(0, 2, 1)
            logits = np.concatenate([logits, note_level_logits], axis=2)
        return probs, logits

    def calibrate(self, aggregated: np.ndarray) -> np.ndarray:
        """aggregated: n_notes x n_labels x k -> calibrated probabilities n_notes x n_labels."""
        weights = np.stack([c.coef_[0] for c in self.calibrators])
        intercepts = np.array([c.intercept_[0] for c in self.calibrators])
        if weights.shape[1] != aggregated.shape[2]:  # einsum would broadcast a single input silently
            raise ModelError(f"model {self.version}: calibrators take {weights.shape[1]} inputs, got {aggregated.shape[2]}")
        return expit(np.einsum("nlk,lk->nl", aggregated, weights) + intercepts)

    def predict_stream(self, notes: Iterable[Note], batch_size: int = BATCH_SIZE,
                       processes: int = 1) -> Iterator[dict[str, Any]]:
        """One prediction record per note, in order, holding a few batches at a time.

        (The tables of word forms seen grow with the vocabulary of the notes, as spaCy's own does.)

        ``processes`` > 1 scores batches in that many forked worker processes (where
        the platform forks; otherwise here), a few batches in flight at a time. A
        single batch is scored here: starting workers would cost more than it saves.
        """
        chunks = minibatch(notes, size=batch_size)
        head = list(itertools.islice(chunks, 2))
        if processes > 1 and len(head) > 1 and can_fork():
            yield from self._predict_in_workers(itertools.chain(head, chunks), processes)
            return
        with collector_skips_live_objects():
            for chunk in itertools.chain(head, chunks):
                yield from self.predict_batch(chunk)

    def predict_batch(self, notes: list[Note]) -> list[dict[str, Any]]:
        [batch] = self.batches(notes, batch_size=max(len(notes), 1))
        return list(self._records(self.score(batch)))

    def _predict_in_workers(self, chunks: Iterable[list[Note]], processes: int) -> Iterator[dict[str, Any]]:
        """Batches scored by ``processes`` forked workers, a few in flight, results in note order."""
        global _WORKER_MODEL
        # built here once, so that the forked workers share them rather than each building its own
        self.featurizer, self._stacked("sentence", self.classifiers), self.vocabulary.table()
        if self.note_classifiers:
            self._note_level_weights()
        if self.stackers:
            self._stacked("stackers", self.stackers)
        _WORKER_MODEL = self  # forked workers inherit it: the model is not pickled per batch
        try:
            for records in in_forked_processes(_predict_in_worker, map(_sent_to_worker, chunks), processes):
                yield from marshal.loads(records)
        finally:
            _WORKER_MODEL = None

    def predict(self, notes: Iterable[Note]) -> list[dict[str, Any]]:
        return list(self.predict_stream(notes))

    def _records(self, scored: Scored) -> list[dict[str, Any]]:
        thresholds = dict(self.thresholds)  # one copy per batch, shared by its records
        above = scored.scores >= np.array([thresholds[n] for n in self.labels])
        rounded = np.round(scored.scores, 4).tolist()
        pair_note, pair_label = np.nonzero(above)  # (note, label) pairs to explain, by note then label
        sentences, sentence_pair, sentence_prob = evidence_with_words(scored.sentence_probs, scored.batch,
                                                                      pair_note, pair_label)
        spans, probs, pair_of = scored.batch.spans[sentences].tolist(), sentence_prob.tolist(), sentence_pair.tolist()
        notes_of_pairs, labels_of_pairs = pair_note.tolist(), pair_label.tolist()
        records, explained = [], []  # explained: the evidence spans, in the order of ``sentences``
        names, version, n_pairs, n_chosen = self.labels, self.version, len(notes_of_pairs), len(pair_of)
        k, p = 0, 0  # next chosen sentence, next pair
        for i, note in enumerate(scored.batch.notes):
            labels, evidence = [], {}
            while p < n_pairs and notes_of_pairs[p] == i:
                name = names[labels_of_pairs[p]]
                labels.append(name)
                chosen = evidence[name] = []
                while k < n_chosen and pair_of[k] == p:
                    start, end = spans[k]
                    chosen.append({"start": start, "end": end, "text": note.text[start:end], "score": round(probs[k], 4)})
                    k += 1
                explained += chosen
                p += 1
            records.append({"note_id": note.note_id, "labels": labels, "scores": dict(zip(names, rounded[i])),
                            "evidence": evidence, "model_version": version, "thresholds": thresholds})
        assert k == n_chosen, "evidence sentences come by pair, pairs by note"
        if explained:
            for span, terms in zip(explained, self._terms(scored.batch, sentences, pair_label[sentence_pair])):
                span["terms"] = terms
        return records

    def top_terms(self, note: Note, label: str, k: int = 5) -> list[tuple[str, float]]:
        """The features of a note's strongest sentence that push ``label`` up most, with their weight."""
        batch = next(self.batches([note]))
        j = self.labels.index(label)
        strongest = int(np.argmax(self.score(batch).sentence_probs[:, j]))
        [contributions] = self._contributions(batch, np.array([strongest]), np.array([j]), k)
        return [(self.vocabulary.names[c], round(w, 4)) for c, w in contributions]

    def _contributions(self, batch: FeatureBatch, sentences: np.ndarray, labels: np.ndarray,
                       k: int) -> list[list[tuple[int, float]]]:
        """For each (sentence, label) pair, its ``k`` features (columns) that push the label up most."""
        pairs, columns, values = self._strongest_features(batch, sentences, labels, k)
        out: list[list[tuple[int, float]]] = [[] for _ in sentences]
        for p, c, v in zip(pairs.tolist(), columns.tolist(), values.tolist()):
            out[p].append((c, v))
        return out

    def _strongest_features(self, batch: FeatureBatch, sentences: np.ndarray, labels: np.ndarray,
                            k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`_contributions` as flat arrays: (pair, column, value), by pair and then strongest first."""
        matrix = self.vocabulary.sentence_matrix(batch)
        weights, _ = self._stacked("sentence", self.classifiers)
        starts, ends = matrix.indptr[sentences], matrix.indptr[sentences + 1]
        lengths = ends - starts
        pair = np.repeat(np.arange(len(sentences)), lengths)
        at = np.repeat(starts, lengths) + ragged_arange(lengths)
        columns = matrix.indices[at]
        values = matrix.data[at] * weights[columns, labels[pair]]
        # only features that push the label up are shown: ranked alone, they keep the ranks they have among all
        positive = np.flatnonzero(values > 0)
        pair, columns, values = pair[positive], columns[positive], values[positive]
        order = largest_first_in_runs(values, pair)  # by pair, strongest first (ties in feature order)
        keep = order[ragged_arange(np.bincount(pair, minlength=len(sentences))) < k]
        return pair[keep], columns[keep], values[keep]

    def _terms(self, batch: FeatureBatch, sentences: np.ndarray, labels: np.ndarray,
               k: int = MAX_TERMS) -> list[list[str]]:
        """What a reviewer is shown of why each sentence is evidence for a label: its strongest features, readable
        (of "sign" and "sign (negated)", the stronger only), at most ``k``."""
        if "shown" not in self._runtime:
            self._runtime["shown"] = ShownTerms(self.vocabulary.names)
        shown: ShownTerms = self._runtime["shown"]
        pairs, columns, _ = self._strongest_features(batch, sentences, labels, 3 * k)
        texts, words = shown.of(columns)
        pairs, texts, words = pairs[texts >= 0], texts[texts >= 0], words[texts >= 0]
        # the first (strongest) feature of each (pair, word), in order: pairs come in order, strongest first
        _, first = np.unique(pairs * (int(words.max(initial=0)) + 1) + words, return_index=True)
        first.sort()
        pairs, texts = pairs[first], texts[first]
        kept = ragged_arange(np.bincount(pairs, minlength=len(sentences))) < k
        pairs, texts = pairs[kept], texts[kept].tolist()
        bounds = np.searchsorted(pairs, np.arange(len(sentences) + 1)).tolist()
        return [[shown.texts[t] for t in texts[a:b]] for a, b in zip(bounds[:-1], bounds[1:])]


class ShownTerms:
    """Vocabulary columns as a reviewer is shown them, each worked out once, when first met (as numbers: a batch's
    evidence terms are then chosen by numpy, not a Python loop over every candidate feature)."""

    def __init__(self, names: Sequence[str]):
        self.names = names
        self.texts: list[str] = []  # what each column shown shows ("not held"), numbered as worked out
        self._words: dict[str, int] = {}  # a shown text without "(negated)" -> its number
        # per column: the index of its text (-1: shown as nothing; -2: not worked out yet), and its word's number
        self._text = np.full(len(names), -2, dtype=np.int64)
        self._word = np.full(len(names), -1, dtype=np.int64)
        self._growing = threading.Lock()  # two threads sharing a model must not number texts twice

    def of(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per column: the index of its text in :attr:`texts` (-1: shown as nothing), and its word's number."""
        if (self._text[columns] == -2).any():
            with self._growing:
                for column in np.unique(columns[self._text[columns] == -2]).tolist():
                    term = _shown_term(self.names[column])
                    if term is not None:
                        self.texts.append(term[0])
                        self._word[column] = self._words.setdefault(term[1], len(self._words))
                    self._text[column] = len(self.texts) - 1 if term is not None else -1
        return self._text[columns], self._word[columns]


def _shown_term(name: str) -> tuple[str, str] | None:
    """A feature as a reviewer is shown it, and without "(negated)"; None: it tells a reviewer nothing."""
    text = describe_feature(name)
    word = text.removesuffix(" (negated)")
    # a prefix ("canc…"), the note's length, type or author, or stop words alone ("this")
    # tell a reviewer nothing about this sentence
    if name.startswith(UNSHOWN_FEATURES) or set(word.lower().split()) <= STOP_WORDS:
        return None
    return text, word


_WORKER_MODEL: ConcernModel | None = None


# A batch goes to a worker, and its records come back, in marshal's form: the notes as tuples of their fields, the
# records as they are (dicts, lists, strings and numbers). Pickling and unpickling Note objects and the records' dicts
# cost 0.18 s of CPU per 10,000 notes, a twelfth of scoring them in two workers (the parent's share 0.11 s); marshal's
# form 0.10 s (0.07 s).
_NOTE_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Note)))


def _sent_to_worker(notes: list[Note]) -> bytes:
    return marshal.dumps([_NOTE_FIELDS(note) for note in notes])


def _predict_in_worker(sent: bytes) -> bytes:
    return marshal.dumps(_WORKER_MODEL.predict_batch([Note(*fields) for fields in marshal.loads(sent)]))


#: A word of two letters or more: a sentence without one ('1.', ')', a date alone) is no evidence to quote.
WORD = re.compile(r"[^\W\d_]{2}")


def evidence_with_words(probs: np.ndarray, batch: FeatureBatch, pair_note: np.ndarray,
                        pair_label: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`evidence_sentences` with each wordless sentence (:data:`WORD`) known as such, reading only what the
    choice needs: the sentences chosen with none known as wordless, and every sentence of a note where one of those
    has no word, which is then chosen again. A sentence not chosen ranks below those that are, so whether it has a
    word changes nothing; a note whose chosen sentences all have words keeps its choice. (Reading every sentence of
    every note explained is a Python loop over all of them; choosing again until no new wordless sentence turned up
    chose every batch's evidence about five times over.)"""
    chosen = evidence_sentences(probs, batch.first_sentence, pair_note, pair_label)
    read = np.unique(chosen[0])
    found = read[_wordless(batch, read)]
    if not len(found):  # the choice stands: every sentence in it has a word
        return chosen
    first = batch.first_sentence
    notes = np.unique(np.searchsorted(first, found, side="right") - 1)
    counts = first[notes + 1] - first[notes]
    read = np.repeat(first[notes], counts) + ragged_arange(counts)
    wordless = np.zeros(batch.n_sentences, dtype=bool)
    wordless[read[_wordless(batch, read)]] = True
    return evidence_sentences(probs, first, pair_note, pair_label, wordless)


def _wordless(batch: FeatureBatch, sentences: np.ndarray) -> np.ndarray:
    """Whether each of these sentences (rows) has no word (:data:`WORD`)."""
    notes = (np.searchsorted(batch.first_sentence, sentences, side="right") - 1).tolist()
    return np.array([WORD.search(batch.notes[note].text, start, end) is None
                     for note, (start, end) in zip(notes, batch.spans[sentences].tolist())], dtype=bool)


def evidence_sentences(probs: np.ndarray, first_sentence: np.ndarray, pair_note: np.ndarray,
                       pair_label: np.ndarray, wordless: np.ndarray | None = None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sentences that drive each (note, label) pair: the strongest, and any close to it.

    At most ``MAX_EVIDENCE`` per pair, those at or above ``max(0.5, 0.75 x the strongest)``;
    returns their sentence rows, their pair and their probability, by pair and then in note order.
    Every note has at least one sentence (the featurizer gives an empty note an empty one).
    A ``wordless`` sentence (per row) is taken only where its note has nothing else: a list's '1.' or a bracket's
    ')' split off after a full stop scores as its neighbours do, and was quoted as the evidence.
    """
    counts = first_sentence[pair_note + 1] - first_sentence[pair_note]
    pair = np.repeat(np.arange(len(pair_note)), counts)
    sentence = np.repeat(first_sentence[pair_note], counts) + ragged_arange(counts)
    prob = probs[sentence, pair_label[pair]].astype(np.float64, copy=False)
    if not len(prob):
        return sentence, pair, prob
    ranked = prob if wordless is None else np.where(wordless[sentence], -1.0, prob)  # below any sentence with words
    rank = ranks_in_runs(ranked, counts)
    strongest = np.maximum.reduceat(ranked, np.cumsum(counts) - counts)[pair]
    keep = (rank < MAX_EVIDENCE) & ((ranked >= np.maximum(0.5, strongest * 0.75)) | (rank == 0))
    return sentence[keep], pair[keep], prob[keep]


# -- training ------------------------------------------------------------------
def sentence_targets(spans: np.ndarray, record: dict) -> np.ndarray:
    """Per-sentence 0/1 targets: a sentence is positive for a label if it overlaps its evidence."""
    targets = np.zeros((len(spans), len(LABEL_NAMES)), dtype=np.int8)
    labels = set(record.get("labels") or [])
    evidence = record.get("evidence") or {}
    for j, name in enumerate(LABEL_NAMES):
        if name not in labels:
            continue
        marked = [(e["start"], e["end"]) for e in evidence.get(name, [])]
        if not marked:  # no evidence given: every sentence may carry it
            targets[:, j] = 1
            continue
        for start, end in marked:
            targets[(spans[:, 0] < end) & (start < spans[:, 1]), j] = 1
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
    prefix: int = 5
    #: weight of hand-written (and reviewed) notes against generated ones: they
    #: carry the variety of real recording that the generator lacks.
    hand_weight: float = 3.0
    note_model: bool = True
    calibration: str = "stacked"
    #: out-of-fold folds (by case) for the stackers, and their regularisation
    stack_folds: int = 4
    stack_C: float = 0.1
    #: contrast classifiers (with the note model): per label, its notes against this many
    #: times as many negatives, those the note classifier scores highest; 0 for none.
    hard_negatives: float = 2.0
    #: sentences of more words are cut at clause boundaries (run-on text: no full stops, flattened lines)
    sentence_words: int = 40


def _note_weights(records: Sequence[dict], config: TrainingConfig) -> np.ndarray:
    return np.array([1.0 if r.get("origin") == "generator" else config.hand_weight for r in records])


def fit(train: Sequence[dict], dev: Sequence[dict], config: TrainingConfig | None = None,
        version: str = "dev", nlp=None, mask: np.ndarray | None = None, processes: int = 1,
        folds_done: Callable[[int, int], None] = lambda done, total: None) -> ConcernModel:
    """Fit sentence, note and contrast classifiers and the stackers on ``train``, calibrators and thresholds on ``dev``.

    ``mask`` (n_train x n_labels, 1 = known) leaves unreviewed labels out of a
    label's training set instead of treating them as negatives. ``processes`` > 1 fits
    the stackers' out-of-fold models in that many forked workers (where the platform
    forks); the model is the same either way. ``folds_done`` is told how many of those folds are done of how many,
    0 as they start, then as each ends (they are most of a retrain's minutes: a person waiting sees it at work).

    Native code (BLAS, OpenMP) runs in one thread: its sums then come out the same in
    every process, so a model does not depend on where it was trained (a fold in a
    worker or here), and the solvers gain nothing from more threads at this size. The
    limit holds for the whole process while ``fit`` runs (threadpoolctl is not thread-safe:
    do not fit on one thread while another does numpy work).
    """
    with threadpool_limits(1):
        return _fit(train, dev, config or TrainingConfig(), version, nlp, mask, processes, folds_done)


@dataclass
class _TrainingMatrices:
    """The training notes as the classifiers see them; forked out-of-fold workers inherit it."""

    sentences: Any               # TF-IDF, one row per sentence
    sentence_y: np.ndarray       # n_sentences x n_labels: overlaps the label's evidence
    sentence_note: np.ndarray    # the note of each sentence
    first_sentence: np.ndarray   # n_notes + 1 offsets
    notes: Any                   # TF-IDF, one row per note (None without the note model)
    note_y: np.ndarray           # n_notes x n_labels
    weight: np.ndarray           # per note
    known: np.ndarray            # n_notes x n_labels: label reviewed (else left out of its training set)


def _fit(train: Sequence[dict], dev: Sequence[dict], config: TrainingConfig, version: str, nlp,
         mask: np.ndarray | None, processes: int, folds_done: Callable[[int, int], None]) -> ConcernModel:
    if config.hard_negatives < 0:
        raise ModelError(f"hard_negatives must be 0 (no contrast classifiers) or more, not {config.hard_negatives}")
    if config.calibration not in CALIBRATIONS:
        raise ModelError(f"calibration must be one of {', '.join(CALIBRATIONS)}, not {config.calibration!r}")
    if not train:
        raise ModelError("no training notes: a model needs labelled notes to learn from")
    model, data = _training_matrices(train, config, version, nlp, mask)
    model.classifiers, model.note_classifiers, model.contrast_classifiers = _fit_stage_one(
        data, np.ones(len(train), dtype=bool), config)
    if config.calibration == "stacked":
        folds = _stacking_folds(train, config)
        if folds and config.note_model:
            model.stack_columns = [i for i, name in sorted(enumerate(model.vocabulary.names), key=lambda c: c[1])
                                   if name.startswith("@")]  # the note's own features, by name
            features = out_of_fold_features(model, data, folds, config, processes, folds_done)
            model.stack_scaler = StandardScaler().fit(features)  # one scale for every label's stacker
            features = model.stack_scaler.transform(features)
            # weighted as the classifiers are: hand-written notes carry the variety of real recording
            model.stackers = [_fit_constant_or(LogisticRegression(C=config.stack_C, max_iter=5000), features[known],
                                               data.note_y[known, j], data.weight[known])
                              for j, known in enumerate(data.known.T)]
        else:  # nothing to stack without the note model, or too few case files to score out of fold
            model.calibration = "mean"
    aggregated = np.zeros((0, len(LABEL_NAMES), model.n_calibrator_inputs))  # no dev notes: calibrators pass the logit through
    for dev_batch in model.batches([_note_from_record(r) for r in dev], batch_size=max(len(dev), 1)):
        aggregated = model.calibrator_inputs(dev_batch)[1]
    dev_y, dev_weight = targets(dev).reshape(len(dev), len(LABEL_NAMES)), _note_weights(dev, config)
    for j in range(len(LABEL_NAMES)):
        cal = LogisticRegression(C=1.0, random_state=config.seed)
        y = dev_y[:, j]
        if len(y) == 0 or y.min() == y.max():
            cal.fit(np.array([[-1.0] * aggregated.shape[2], [1.0] * aggregated.shape[2]]), [0, 1])
        else:
            cal.fit(aggregated[:, j, :], y, sample_weight=dev_weight)
        model.calibrators.append(cal)
    scores = model.calibrate(aggregated)
    model.thresholds = {name: tune_threshold(scores[:, j], dev_y[:, j], dev_weight) for j, name in enumerate(LABEL_NAMES)}
    return model


def _training_matrices(train: Sequence[dict], config: TrainingConfig, version: str, nlp,
                       mask: np.ndarray | None) -> tuple[ConcernModel, _TrainingMatrices]:
    """A model with its vocabulary fitted on ``train`` and no classifiers yet, and the training notes as matrices."""
    settings = {"plain_negated": config.plain_negated, "prefix": config.prefix, "watched": list(WATCHED_TERMS)}
    model = ConcernModel(version, LABEL_NAMES, settings, FeatureVocabulary(config.min_df, config.max_features), [], [],
                         calibration=config.calibration, sentence_words=config.sentence_words)
    model.use_nlp(nlp or make_nlp(config.sentence_words))
    [batch] = model.batches([_note_from_record(r) for r in train], batch_size=len(train), names=True)
    model.vocabulary.fit(batch)
    first = batch.first_sentence
    data = _TrainingMatrices(
        model.vocabulary.sentence_matrix(batch),
        np.vstack([sentence_targets(batch.spans[first[i] : first[i + 1]], r) for i, r in enumerate(train)]),
        batch.sentence_note, first, model.vocabulary.note_matrix(batch) if config.note_model else None,
        targets(train), _note_weights(train, config),
        np.ones((len(train), len(LABEL_NAMES)), dtype=bool) if mask is None else mask.astype(bool))
    return model, data


def _fit_stage_one(data: _TrainingMatrices, notes: np.ndarray, config: TrainingConfig
                   ) -> tuple[list[LogisticRegression], list[LogisticRegression], list[LogisticRegression]]:
    """Sentence, note and contrast classifiers per label, trained on the ``notes`` (a mask) of ``data``."""
    owner = data.sentence_note
    sentence_in, sentence_weight = notes[owner], data.weight[owner]
    sentence_classifiers, note_classifiers, contrast_classifiers = [], [], []
    for j in range(len(LABEL_NAMES)):
        rows = sentence_in & data.known[owner, j]
        sentence_classifiers.append(_fit_label(data.sentences[rows], data.sentence_y[rows, j], sentence_weight[rows], config))
        if data.notes is None:
            continue
        rows = notes & data.known[:, j]
        note_classifier = _fit_label(data.notes[rows], data.note_y[rows, j], data.weight[rows], config)
        note_classifiers.append(note_classifier)
        if config.hard_negatives:
            contrast_classifiers.append(
                _fit_contrast(data.notes[rows], data.note_y[rows, j], data.weight[rows], note_classifier, config))
    return sentence_classifiers, note_classifiers, contrast_classifiers


def _stacking_folds(train: Sequence[dict], config: TrainingConfig) -> list[np.ndarray]:
    """Held-out note masks of ``config.stack_folds`` folds, a case's notes together (none: too few cases)."""
    cases = [r.get("case_id") or r["note_id"] for r in train]
    n_folds = min(config.stack_folds, len(set(cases)))
    if n_folds < 2:
        return []
    held = np.zeros((n_folds, len(train)), dtype=bool)
    for k, (_, rows) in enumerate(GroupKFold(n_folds).split(np.zeros(len(train)), groups=cases)):
        held[k, rows] = True
    return list(held)


_STACKING: tuple[ConcernModel, _TrainingMatrices, TrainingConfig] | None = None


def out_of_fold_features(model: ConcernModel, data: _TrainingMatrices, folds: list[np.ndarray],
                         config: TrainingConfig, processes: int,
                         folds_done: Callable[[int, int], None] = lambda done, total: None) -> np.ndarray:
    """:func:`stack_features` of every training note, from stage-one classifiers trained without its fold.

    The stackers learn from these how far to trust each score on notes the classifiers have not
    seen (in-sample scores would teach them to trust everything).
    """
    global _STACKING
    _STACKING = (model, data, config)
    folds_done(0, len(folds))
    try:
        scored, _ = map_in_processes(_out_of_fold_features, folds, processes,
                                     done=lambda done, _fold: folds_done(done, len(folds)))
    finally:
        _STACKING = None
    features = np.zeros((len(data.note_y), scored[0].shape[1]))
    for held, fold_features in zip(folds, scored):
        features[held] = fold_features
    return features


def _out_of_fold_features(held: np.ndarray) -> np.ndarray:
    """Stack features of the ``held`` notes, scored by stage-one classifiers trained on the others."""
    model, data, config = _STACKING
    classifiers, note_classifiers, contrast_classifiers = _fit_stage_one(data, ~held, config)
    fold_model = dataclasses.replace(model, classifiers=classifiers, note_classifiers=note_classifiers,
                                     contrast_classifiers=contrast_classifiers)
    counts = np.diff(data.first_sentence)[held]
    first = np.concatenate([[0], np.cumsum(counts)])
    sentences, notes = data.sentences[held[data.sentence_note]], data.notes[held]
    probs, logits = fold_model.stage_one(sentences, first, notes)
    return stack_features(probs, logits, first, notes, model.stack_columns)


def _fit_label(matrix, y: np.ndarray, weight: np.ndarray, config: TrainingConfig) -> LogisticRegression:
    """One label's classifier; a constant scorer when the label has one class or no known rows."""
    clf = LogisticRegression(C=config.C, class_weight="balanced", max_iter=2000, solver="liblinear",
                             random_state=config.seed)
    return _fit_constant_or(clf, matrix, y, weight)


def _fit_constant_or(clf: LogisticRegression, matrix, y: np.ndarray, weight: np.ndarray | None) -> LogisticRegression:
    """``clf`` fitted; a constant scorer when the label has one class or no rows."""
    if y.size == 0 or y.min() == y.max():
        clf.fit(np.zeros((2, matrix.shape[1])), [0, 1])
        clf.coef_[:] = 0
        clf.intercept_[:] = 8.0 if y.size and y.max() == 1 else -8.0
        return clf
    return clf.fit(matrix, y, sample_weight=weight)


def _fit_contrast(matrix, y: np.ndarray, weight: np.ndarray, note_classifier: LogisticRegression,
                  config: TrainingConfig) -> LogisticRegression:
    """A label's notes against the ``hard_negatives`` x as many negatives that ``note_classifier`` scores highest.

    Against all negatives, the few that share a gap's vocabulary (its good-practice near misses:
    a risk recorded *and* analysed, a decision *with* its rationale) weigh little; against these
    alone, the terms that tell them apart are what the classifier learns.
    """
    # scores on its own training notes: the negatives it finds most like the label even having learnt them
    rows = contrast_rows(matrix @ note_classifier.coef_[0], y, config.hard_negatives)
    return _fit_label(matrix[rows], y[rows], weight[rows], config)


def contrast_rows(scores: np.ndarray, y: np.ndarray, hard_negatives: float) -> np.ndarray:
    """Every positive row, and the ``hard_negatives`` x as many negative rows with the highest scores, in order."""
    positives, negatives = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    wanted = math.ceil(hard_negatives * len(positives))  # at least one negative when there are positives
    hardest = negatives[np.argsort(-scores[negatives], kind="stable")[:wanted]]
    return np.sort(np.concatenate([positives, hardest]))


def tune_threshold(scores: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None,
                   tolerance: float = THRESHOLD_TOLERANCE) -> float:
    """A threshold for F1 on dev: of those within ``tolerance`` of the best (weighted) F1, the nearest 0.5.

    Dev F1 is flat over a wide range of thresholds for most labels, so its exact peak is noise:
    by leave-one-voice-out the peak moved between 0.13 and 0.73 for one label across folds.
    The scores are calibrated, so 0.5 is the natural cut unless dev clearly says otherwise.
    """
    if y.sum() == 0:
        return 0.5
    weight = np.ones(len(y)) if weight is None else weight
    candidates = np.round(np.arange(0.05, 0.951, 0.01), 2)
    predicted = scores[None, :] >= candidates[:, None]
    true_positive = (predicted & (y == 1)[None, :]) @ weight
    denominator = predicted @ weight + float(weight[y == 1].sum())
    f1 = np.divide(2 * true_positive, denominator, out=np.zeros(len(candidates)), where=denominator > 0)
    near = candidates[f1 >= f1.max() - tolerance - 1e-9]
    return float(near[np.argmin(np.abs(near - 0.5))])


# -- persistence ---------------------------------------------------------------
def library_versions() -> dict[str, str]:
    return model_files.library_versions(("casereview", "spacy", "scikit-learn", "numpy", "scipy", "joblib"))


def save(model: ConcernModel, folder: Path, card: dict[str, Any]) -> str:
    """Write the model folder (joblib file, model-card.json, MODEL_CARD.md); returns the sha256."""
    from .model_card import render_markdown

    card = {**card, "version": model.version, "labels": list(model.labels),
            "thresholds": model.thresholds, "library_versions": library_versions()}
    return model_files.write_folder(model, folder, card, render_markdown)


def load(folder: str | Path, expected_sha256: str | Collection[str] | None, trust: bool = False,
         unknown_hint: str = "") -> ConcernModel:
    """Load a model folder after checking its hash against ``expected_sha256`` (or any of several recorded for it).

    joblib files execute code when loaded, so a model whose hash is unknown or does
    not match is refused unless ``trust`` is given explicitly (``unknown_hint``: what else to try).
    """
    model, sha256 = model_files.load_verified(folder, expected_sha256, trust, ConcernModel, "concern model",
                                              unknown_hint)
    model.loaded_sha256 = sha256
    written = model.__dict__.get("format", 1)  # not getattr: the class default would answer for old files
    if written != FORMAT:
        raise ModelError(f"{Path(folder)}: written by another casereview version (model format {written}, "
                         f"this one reads {FORMAT}); retrain it")
    return model
