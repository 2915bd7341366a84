"""Sentence features of processed notes, as numpy arrays over a batch of docs.

A note's sentences (from ``casenote_sentences``) each become a bag of features:

- its terms: token norms (``<num>`` for numbers), one per multi-word phrase, with
  the negation context of ``casenote_context`` marked (``neg:held`` is not ``held``);
- the plain form of every marked term as well (``plain_negated``), so the word's
  meaning is shared and the mark adds the context;
- bigrams of consecutive terms, and each word's first letters (``prefix``), which
  survive typos and inflection;
- the note's own features on every sentence: author role, note type, which watched
  words the note mentions anywhere, its length, and flags from the codebook for gaps
  that are an absence spread over the note (:func:`note_features`).

A feature is a 64-bit key (spaCy's string hash of its name, mixed for marked
terms and bigrams), so a whole batch is turned into (sentence, key) pairs with
numpy operations and no per-token Python. :class:`FeatureVocabulary` maps keys
to columns and weighs them with TF-IDF (fitted on the training sentences).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from spacy.attrs import IS_PUNCT, LIKE_NUM
from spacy.strings import hash_string
from spacy.tokens import Doc

from .keytable import KeyTable
from .nlp import (CUE, JOINED_NORMS, NEGATED, NUMBER, PLAIN, TokenBatch, WordForms, WordTable, context_marks,
                  ragged_arange)
from .notes import Note
from .wording import A_NUMBER

MARKS = {PLAIN: "", CUE: "cue:", NEGATED: "neg:"}
#: Context words: whether the note mentions them anywhere is a feature of every
#: sentence, so that "Case closed. NFA." reads differently with and without a manager.
CONTEXT_TERMS = ("team_manager", "manager", "supervision", "safety_plan", "risk", "analysis", "reviewed", "agreed")
# Word lists from the codebook's definitions, for note-level flags of gaps that are an
# absence spread over a note: a risk recorded with no analysis anywhere in the note.
RISK_WORDS = frozenset(
    "incident incidents disclosure disclosed disclose allegation alleged bruise bruises bruising bruised marks injury "
    "injuries pushed hit hitting grabbed assault assaulted police arrested arrest domestic_abuse violence violent drunk "
    "alcohol drinking drink drugs drug cannabis cocaine heroin opiates weed overdose cutting scratches "
    "missing exploitation knife knives neglect conviction convicted caution breach breached bail relapse unexplained self_harm "
    "worried concern concerns concerned smell smelt mess dirty threatened threats scared frightened".split())
ANALYSIS_WORDS = frozenset(
    "analysis analyse analysed likelihood likely severity impact because therefore means given safety_plan mitigate "
    "mitigation protective assessed vulnerable vulnerability rationale reasoning contingency significant "
    "harm strategy".split())
SELF_REPORT_WORDS = frozenset("said says say told reports reported stated states claims".split())
REASON_WORDS = frozenset("because as given rationale reason reasons due since therefore".split())
WATCHED_TERMS = tuple(sorted(set(CONTEXT_TERMS) | RISK_WORDS | ANALYSIS_WORDS | SELF_REPORT_WORDS | REASON_WORDS))

# Odd multipliers and salts (from the golden ratio): marked terms and ordered
# pairs get keys apart from plain ones; uint64 arithmetic wraps by design.
_MARK_MULTIPLIER = {CUE: np.uint64(0x9E3779B97F4A7C15), NEGATED: np.uint64(0xC2B2AE3D27D4EB4F)}
_MARK_SALT = {CUE: np.uint64(0x165667B19E3779F9), NEGATED: np.uint64(0x27D4EB2F165667C5)}
_PREFIX_SALT = np.uint64(0x94D049BB133111EB)
_PAIR = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(0x85EBCA77C2B2AE63))


def ranks_in_runs(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each value's rank in its run (runs of ``counts`` consecutive values): 0 for the largest.

    Equal values rank in their order (a stable sort).
    """
    run = np.repeat(np.arange(len(counts)), counts)
    order = np.lexsort((-values, run))  # by run, largest first: the runs keep their places
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = ragged_arange(counts)
    return ranks


def largest_first_in_runs(values: np.ndarray, run: np.ndarray) -> np.ndarray:
    """The order of positive ``values`` by ``run`` (ints from 0, below 2**32), then largest first within a
    run, equal values in their order: ``np.lexsort((-values, run))``, as one stable sort of 64-bit keys.

    Positive float32 values order as their bit patterns do, so a key is the run in its high half and the
    value's bits, inverted, in its low half; sorting one key array, mostly in order already, costs a
    thirtieth of what lexsort takes on a batch's evidence (where lexsort was a third of explaining it).
    """
    if values.dtype != np.float32:
        return np.lexsort((-values, run))
    inverted = np.uint64(0xFFFFFFFF) - values.view(np.uint32).astype(np.uint64)
    return np.argsort((run.astype(np.uint64) << np.uint64(32)) | inverted, kind="stable")


def counts_matrix(rows: np.ndarray, columns: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """How often each (row, column) pair occurs, as a CSR matrix in canonical form (columns in order within a row,
    each once; float32 counts): what scipy makes of the pairs with ``sum_duplicates``, from one sort of
    ``row x n_columns + column`` keys, which costs two thirds of scipy's conversion and its sort row by row."""
    n_rows, n_columns = shape
    keys = np.sort(rows.astype(np.int64) * n_columns + columns)
    first = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else keys
    counts = np.diff(np.append(first, len(keys))).astype(np.float32)
    keys = keys[first]
    key_rows = keys // n_columns
    return sparse.csr_matrix((counts, keys - key_rows * n_columns, np.searchsorted(key_rows, np.arange(n_rows + 1))),
                             shape=shape)  # scipy picks the index type, as it did


@dataclass
class FeatureBatch:
    """A batch of notes as sentences and (sentence, feature key) occurrences."""

    notes: list[Note]
    spans: np.ndarray            # n_sentences x 2: character offsets into the note
    sentence_note: np.ndarray    # the note of each sentence
    first_sentence: np.ndarray   # n_notes + 1 offsets into the sentences
    rows: np.ndarray             # the sentence of each occurrence
    keys: np.ndarray             # the feature key of each occurrence (uint64)
    names: dict[int, str] = field(default_factory=dict)  # key -> readable name, when asked for
    columns: np.ndarray | None = None  # each occurrence's vocabulary column, once looked up
    counts: sparse.csr_matrix | None = None  # sentence x column counts, once built
    sentence_tfidf: sparse.csr_matrix | None = None

    @property
    def n_sentences(self) -> int:
        return len(self.spans)

    def note_spans(self, i: int) -> np.ndarray:
        return self.spans[self.first_sentence[i] : self.first_sentence[i + 1]]


class SentenceFeatures:
    """Processed docs -> :class:`FeatureBatch` (the feature design lives here).

    Properties of a word form that never change (is it a term, its length, its first
    ``prefix`` letters) come from a :class:`~casereview.nlp.WordTable`, computed once per form.
    """

    def __init__(self, vocab, plain_negated: bool = True, prefix: int = 5,
                 watched: Sequence[str] = WATCHED_TERMS, forms: WordForms | None = None):
        self.strings = vocab.strings
        self.plain_negated = plain_negated
        self.prefix = prefix
        is_punct, like_num = vocab.lex_attr_getters[IS_PUNCT], vocab.lex_attr_getters[LIKE_NUM]

        def describe(s: str) -> tuple:
            word_prefix = s.lower()[:prefix] if prefix and len(s) > prefix and not like_num(s) else ""
            return (not s.isspace(),
                    # a term: a word, number or "?" (a question is worth a feature; other punctuation is not)
                    not s.isspace() and not (is_punct(s) and s != "?"),
                    len(s),
                    self.strings.add(word_prefix) if word_prefix else 0)

        # forms: the pipeline's (nlp.word_forms), whose components have numbered every token's form already
        self.words = WordTable(forms or WordForms(vocab.strings), describe, [bool, bool, np.int64, np.uint64])
        self.joined = KeyTable(np.array(sorted({hash_string(n) for n in JOINED_NORMS}), dtype=np.uint64))
        self.watched = tuple(watched)
        self.watched_table = KeyTable(np.array([hash_string(w) for w in self.watched], dtype=np.uint64))
        self._name_keys: dict[str, int] = {}

    def __call__(self, notes: Sequence[Note], docs: Sequence[Doc], names: bool = False) -> FeatureBatch:
        t = TokenBatch.of(docs)
        solid, term, length, prefix = t.words(self.words)
        sentences = _Sentences(t, notes, t["sent_start"], t["idx"].astype(np.int64), length, solid)
        base, row, mark, prefix = t["norm"][term], sentences.row_of(term), context_marks(docs)[term], prefix[term]
        # one term per multi-word phrase: "team manager" is one "team_manager"
        repeat = np.flatnonzero((row[1:] == row[:-1]) & (base[1:] == base[:-1])) + 1
        keep = np.ones(len(base), dtype=bool)
        keep[repeat[self.joined.find(base[repeat]) >= 0]] = False
        base, row, mark, prefix, note_of = base[keep], row[keep], mark[keep], prefix[keep], t.doc_of[term][keep]
        unigram = base.copy()
        for m in (CUE, NEGATED):
            at = mark == m
            unigram[at] = (base[at] ^ _MARK_SALT[m]) * _MARK_MULTIPLIER[m]
        pair = np.flatnonzero(row[1:] == row[:-1])
        bigram = (unigram[pair] * _PAIR[0]) ^ (unigram[pair + 1] * _PAIR[1]) ^ _PAIR[2]
        rows, keys = [row, row[pair]], [unigram, bigram]
        if self.plain_negated:
            marked = mark != PLAIN
            rows.append(row[marked])
            keys.append(base[marked])
        if self.prefix:
            has_prefix = prefix != 0
            rows.append(row[has_prefix])
            keys.append((prefix[has_prefix] ^ _PREFIX_SALT) * _PAIR[1])
        note_names = self._note_feature_names(notes, base, note_of, np.diff(sentences.first))
        note_rows, note_keys = self._note_feature_occurrences(note_names, sentences.first)
        batch = FeatureBatch(list(notes), sentences.spans, sentences.note, sentences.first,
                             np.concatenate(rows + [note_rows]).astype(np.int64),
                             np.concatenate(keys + [note_keys]).astype(np.uint64))
        if names:
            batch.names = self._names(base, mark, unigram, pair, bigram, prefix, note_names)
        return batch

    # -- helpers -------------------------------------------------------------------
    def _key(self, name: str) -> int:
        key = self._name_keys.get(name)
        if key is None:
            key = self._name_keys[name] = hash_string(name)
        return key

    def _note_feature_names(self, notes: Sequence[Note], base: np.ndarray, note_of: np.ndarray,
                            n_sentences: np.ndarray) -> list[list[str]]:
        which = self.watched_table.find(base)
        hit = which >= 0
        n_watched = len(self.watched)
        counts = np.bincount(note_of[hit] * n_watched + which[hit], minlength=len(notes) * n_watched)
        # the (note, word) pairs used, by note and then word: per-note numpy rows cost more than the features
        used = np.flatnonzero(counts)
        words, uses = [self.watched[j] for j in (used % n_watched).tolist()], counts[used].tolist()
        bounds = np.searchsorted(used // n_watched, np.arange(len(notes) + 1)).tolist()
        n_terms = np.bincount(note_of, minlength=len(notes)).tolist()
        return [note_features(NoteSummary(note, dict(zip(words[a:b], uses[a:b])), terms, n))
                for note, a, b, terms, n in zip(notes, bounds[:-1], bounds[1:], n_terms, n_sentences.tolist())]

    def _note_feature_occurrences(self, note_names: list[list[str]], first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each note feature on each of the note's sentences."""
        counts = np.array([len(n) for n in note_names], dtype=np.int64)
        keys = np.array([self._key(n) for names in note_names for n in names], dtype=np.uint64)
        if not len(keys):
            return np.zeros(0, np.int64), keys
        per_sentence = np.diff(first)[np.repeat(np.arange(len(note_names)), counts)]
        rows = np.repeat(np.repeat(first[:-1], counts), per_sentence) + ragged_arange(per_sentence)
        return rows, np.repeat(keys, per_sentence)

    def _names(self, base, mark, unigram, pair, bigram, prefix, note_names) -> dict[int, str]:
        strings = self.strings
        names: dict[int, str] = {}
        unigram_names: dict[int, str] = {}
        for key, b, m in zip(unigram.tolist(), base.tolist(), mark.tolist()):
            if key not in unigram_names:
                unigram_names[key] = MARKS[m] + strings[b]
                names[b] = strings[b]
        names.update(unigram_names)
        for key, a, b in zip(bigram.tolist(), unigram[pair].tolist(), unigram[pair + 1].tolist()):
            if key not in names:
                names[key] = f"{unigram_names[a]} {unigram_names[b]}"
        has_prefix = prefix != 0
        for key, p in zip(((prefix[has_prefix] ^ _PREFIX_SALT) * _PAIR[1]).tolist(), prefix[has_prefix].tolist()):
            names.setdefault(key, "p:" + strings[p])
        for note in note_names:
            for name in note:
                names[self._key(name)] = name
        return names


class _Sentences:
    """A batch's sentences: tokens from one sentence start to the next; a sentence of spaces only is none.

    A note with no words still gets one (empty) sentence, so that every note is scored.
    """

    def __init__(self, t: TokenBatch, notes: Sequence[Note], sent_start: np.ndarray, idx: np.ndarray,
                 length: np.ndarray, solid: np.ndarray):
        self.token_sentence = np.cumsum(sent_start == 1) - 1  # non-decreasing over the batch
        at = np.flatnonzero(solid)
        numbers = self.token_sentence[at]
        first = np.flatnonzero(np.concatenate([[True], numbers[1:] != numbers[:-1]])) if len(at) else at
        ends = np.maximum.reduceat((idx + length)[at], first) if len(first) else first
        self.spans = np.stack([idx[at][first], ends], axis=1).astype(np.int64)
        self.note = t.doc_of[at][first]
        self.row = np.full(int(self.token_sentence[-1]) + 1 if t.size else 0, -1, dtype=np.int64)
        self.row[numbers[first]] = np.arange(len(first))
        empty = np.flatnonzero(np.bincount(self.note, minlength=len(notes)) == 0)
        if len(empty):
            order = np.argsort(np.concatenate([self.note, empty]), kind="stable")
            self.spans = np.concatenate([self.spans, [[0, len(notes[i].text)] for i in empty]]).astype(np.int64)[order]
            self.note = np.concatenate([self.note, empty])[order]
            real = self.row >= 0  # -1: a sentence of spaces only, which has no row
            self.row[real] = np.argsort(order)[self.row[real]]  # rows of real sentences after the insertions
        self.first = np.searchsorted(self.note, np.arange(len(notes) + 1))

    def row_of(self, tokens: np.ndarray) -> np.ndarray:
        """The sentence row of each selected token (a boolean mask over the batch)."""
        return self.row[self.token_sentence[tokens]]


@dataclass(frozen=True)
class NoteSummary:
    """What a note's own features are made from."""

    note: Note
    watched: dict[str, int]  # the watched words the note uses (in any context), and how often
    n_terms: int
    n_sentences: int


def note_features(summary: NoteSummary) -> list[str]:
    """The note's own features, given to each of its sentences."""
    note, words = summary.note, summary.watched
    names = [f"@role:{note.author_role or 'none'}", f"@type:{note.note_type or 'none'}"]
    names += [f"@has:{term}" for term in CONTEXT_TERMS if term in words]
    risks = sum(n for w, n in words.items() if w in RISK_WORDS)
    if risks and not any(w in ANALYSIS_WORDS for w in words):
        names.append("@risk_unanalysed")
        if sum(n for w, n in words.items() if w in SELF_REPORT_WORDS) >= 2:
            names.append("@risk_self_reported")  # "mother says ..., she told me ...", unchecked
    if note.author_role == "team_manager" and summary.n_terms < 25 and not any(w in REASON_WORDS for w in words):
        names.append("@bare_manager_entry")  # a short manager's entry with no reasons
    names.append(f"@length:{min(summary.n_sentences, 12) // 4}")
    return names


_NOTE_FEATURES = {"@role:": "author: ", "@type:": "note type: ", "@has:": "the note mentions ", "@length:": "note length "}
_FLAGS = {"@risk_unanalysed": "the note: a risk and no analysis", "@risk_self_reported": "the note: a risk resting on what was said",
          "@bare_manager_entry": "the note: a manager's entry with no reasons"}


#: words of a feature shown otherwise than as written: a number's norm, and spaCy's norm of every currency sign, "$"
#: (a note's "£200" is "$ <num>"), which a reviewer saw in the model's reasons for a note holding no "$"
_SHOWN_WORDS = {NUMBER: A_NUMBER, "$": "£"}


def describe_feature(name: str) -> str:
    """A feature as a reviewer reads it: "cue:not neg:held" -> "not held", "@has:manager" -> "the note mentions manager"."""
    if name in _FLAGS:
        return _FLAGS[name]
    for prefix, text in _NOTE_FEATURES.items():
        if name.startswith(prefix):
            return text + name[len(prefix):].replace("_", " ")
    if name.startswith("p:"):
        return name[2:] + "…"
    words = [w.removeprefix("neg:").removeprefix("cue:") for w in name.split()]
    text = " ".join(_SHOWN_WORDS.get(w) or w.replace("_", " ") for w in words)
    return text + " (negated)" if len(words) == 1 and name.startswith("neg:") else text


class FeatureVocabulary:
    """Feature keys -> columns (in ``min_df`` sentences, at most ``max_features`` by frequency), TF-IDF weighted.

    The weighting is scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``: ``1 + log(count)`` times the
    smoothed idf of the training sentences, rows scaled to unit length. Keys are found through an
    open-addressing hash table (numpy gathers), which is several times faster than a sorted search.
    """

    def __init__(self, min_df: int = 2, max_features: int = 200_000):
        self.min_df = min_df
        self.max_features = max_features
        self.keys = np.zeros(0, dtype=np.uint64)
        self.idf = np.zeros(0, dtype=np.float32)
        self.names: list[str] = []
        self._table: KeyTable | None = None

    def __getstate__(self):
        return {**self.__dict__, "_table": None}  # rebuilt on first use

    def fit(self, batch: FeatureBatch) -> FeatureVocabulary:
        order = np.lexsort((batch.rows, batch.keys))
        keys, rows = batch.keys[order], batch.rows[order]
        new_pair = np.ones(len(keys), dtype=bool)
        new_pair[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
        unique, frequency = np.unique(keys, return_counts=True)
        _, df = np.unique(keys[new_pair], return_counts=True)
        chosen = np.flatnonzero(df >= self.min_df)
        if len(chosen) > self.max_features:
            chosen = chosen[np.argsort(-frequency[chosen], kind="stable")[: self.max_features]]
        chosen = np.sort(chosen)
        self.keys = unique[chosen]
        self.idf = (np.log((1 + batch.n_sentences) / (1 + df[chosen])) + 1).astype(np.float32)
        self.names = [batch.names.get(int(k), f"#{int(k)}") for k in self.keys.tolist()]
        self._table = None
        return self

    def columns(self, batch: FeatureBatch) -> np.ndarray:
        """Each occurrence's column (-1: not in the vocabulary), computed once per batch."""
        if batch.columns is None:
            batch.columns = self.table().find(batch.keys)
        return batch.columns

    def table(self) -> KeyTable:
        if self._table is None:
            self._table = KeyTable(self.keys)
        return self._table

    def sentence_matrix(self, batch: FeatureBatch) -> sparse.csr_matrix:
        """TF-IDF rows, one per sentence (kept with the batch: evidence explains itself from them)."""
        if batch.sentence_tfidf is None:
            batch.sentence_tfidf = self._weighted(self._sentence_counts(batch))
        return batch.sentence_tfidf

    def note_matrix(self, batch: FeatureBatch) -> sparse.csr_matrix:
        """TF-IDF rows, one per note: all of its sentences' features together."""
        return self._weighted(self._note_counts(batch))

    def _sentence_counts(self, batch: FeatureBatch) -> sparse.csr_matrix:
        if batch.counts is None:
            columns = self.columns(batch)
            known = columns >= 0
            batch.counts = counts_matrix(batch.rows[known], columns[known], (batch.n_sentences, len(self.keys)))
        return batch.counts

    def _note_counts(self, batch: FeatureBatch) -> sparse.csr_matrix:
        # the sum of the note's sentence rows; a sparse product sums without sorting
        owner = sparse.csr_matrix((np.ones(batch.n_sentences, dtype=np.float32),
                                   (batch.sentence_note, np.arange(batch.n_sentences))),
                                  shape=(len(batch.notes), batch.n_sentences))
        return owner @ self._sentence_counts(batch)

    def _weighted(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        data = (1 + np.log(counts.data)) * self.idf[counts.indices]
        squares = np.concatenate([[0.0], np.cumsum(data.astype(np.float64) ** 2)])
        norms = np.sqrt(squares[counts.indptr[1:]] - squares[counts.indptr[:-1]])
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(((data / np.repeat(norms, np.diff(counts.indptr))).astype(np.float32),
                                  counts.indices, counts.indptr), shape=counts.shape)

    def __len__(self) -> int:
        return len(self.keys)
