"""The spaCy pipeline: ``spacy.blank("en")`` plus our registered components.

- ``casenote_sentences``: sentence boundaries that respect case-note layout (line
  breaks, headings, bullets) and abbreviations with full stops ("approx.", "Dr."),
  and that run-on text with no full stops still has ("at home She said").
- ``casenote_abbreviations``: canonical ``norm_`` for common abbreviations and
  their spelled-out phrases ("TM" and "team manager" -> "team_manager").
- ``casenote_context``: NegEx/ConText-style cues scoped to the sentence: a token
  after a negation or absence cue ("no", "not", "without", "awaiting", "cancelled",
  "has not been", "no evidence of") gets ``token._.negated``; terminators ("but",
  "however", ";") close the scope.

The tokenizer has no special cases: contractions stay whole ("didn't", a negation
cue with the norm "not"), because one special-case hit stops spaCy caching the
rest of a doc's words.

Speed: the components implement ``pipe`` and work on a whole batch of docs at
once, as numpy operations over their concatenated token columns
(:class:`TokenBatch`); properties of a word form are computed once per distinct
form (:class:`WordTable`). Per-token Python would cost several times the
tokenizer. ``__call__`` on one doc is the same code with a batch of one.
No downloaded model is used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
import spacy
from spacy.attrs import IDX, LIKE_NUM, NORM, ORTH, SENT_START
from spacy.strings import hash_string
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import minibatch

from .keytable import KeyTable

# Abbreviation -> canonical norm. Multi-word expansions join with "_" so that
# both spellings produce one feature.
ABBREVIATIONS: dict[str, str] = {
    "sw": "social_worker", "sws": "social_worker", "tm": "team_manager", "tms": "team_manager",
    "tl": "team_manager", "sp": "senior_practitioner", "nqsw": "newly_qualified", "nqsws": "newly_qualified",
    "asye": "newly_qualified", "iro": "independent_reviewing_officer", "fsw": "family_support_worker",
    "hv": "health_visitor", "gp": "gp", "dv": "domestic_abuse", "da": "domestic_abuse",
    "dsl": "school_safeguarding_lead", "cp": "child_protection", "cpp": "child_protection_plan",
    "cin": "child_in_need", "lac": "looked_after", "cla": "looked_after", "cic": "looked_after",
    "icpc": "initial_conference", "rcpc": "review_conference", "plo": "public_law_outline",
    "s47": "section_47", "s17": "section_17", "s20": "section_20", "mash": "mash",
    "nfa": "no_further_action", "ifss": "family_support_service", "tac": "team_around_family",
    "taf": "team_around_family", "cse": "exploitation", "cce": "exploitation",
    "camhs": "camhs", "pep": "education_plan", "pa": "personal_adviser", "fc": "foster_carer",
    "mgm": "grandparent", "pgm": "grandparent", "mgf": "grandparent", "pgf": "grandparent",
    "sup": "supervision", "supervison": "supervision", "supervsion": "supervision",
    "mgr": "manager", "mngr": "manager", "approx": "approximately",
    "wk": "week", "wks": "weeks", "yrs": "years", "yr": "year", "hr": "hour", "hrs": "hours",
    "mum": "mother", "mam": "mother", "dad": "father", "nain": "grandparent", "taid": "grandparent",
    "f2f": "face_to_face", "unalloc": "unallocated", "dr": "doctor",
    # text-message and hurried typing
    "appt": "appointment", "appts": "appointments", "abt": "about", "info": "information", "tmrw": "tomorrow",
    "msg": "message", "msgs": "messages", "txt": "text", "txts": "texts", "b4": "before", "&": "and", "w/": "with",
}
# Multi-word phrases that mean the same as an abbreviation, matched on lower-case tokens.
PHRASES: dict[tuple[str, ...], str] = {
    ("team", "manager"): "team_manager", ("social", "worker"): "social_worker",
    ("senior", "practitioner"): "senior_practitioner", ("newly", "qualified"): "newly_qualified",
    ("health", "visitor"): "health_visitor", ("domestic", "abuse"): "domestic_abuse",
    ("domestic", "violence"): "domestic_abuse", ("no", "further", "action"): "no_further_action",
    ("child", "protection"): "child_protection", ("child", "in", "need"): "child_in_need",
    ("looked", "after"): "looked_after", ("safety", "plan"): "safety_plan",
    ("strategy", "discussion"): "strategy", ("strategy", "meeting"): "strategy",
    ("family", "support", "worker"): "family_support_worker", ("self", "-", "harm"): "self_harm",
    ("self", "harm"): "self_harm", ("w", "/", "o"): "without", ("b", "/", "c"): "because",
}

# Cues that open a negated/absent scope to the end of the sentence.
NEGATION_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split())
    for c in (
        "no", "not", "n't", "never", "without", "nor", "none", "nothing", "cannot", "awaiting",
        "cancelled", "canceled", "postponed", "no evidence of", "has not been", "have not been",
        "had not been", "yet to", "unable to", "failed to", "lack of", "lacking", "absence of",
        "outstanding", "overdue", "missed", "not yet", "still waiting", "waiting for",
        "did not", "unable", "declined", "refused", "w / o",
    )
)
#: Negative contractions, kept whole by the tokenizer (see make_nlp); their norm is "not".
NEGATIVE_CONTRACTIONS = tuple(
    aux + "n" + apostrophe + "t"
    for aux in ("do", "does", "did", "has", "have", "had", "is", "was", "were", "are", "could", "would",
                "should", "must", "need", "might", "ca", "wo", "sha", "ai")
    for apostrophe in ("'", "’")
)
NEGATION_CUES += tuple((c,) for c in NEGATIVE_CONTRACTIONS)
TERMINATORS = frozenset({"but", "however", "although", "though", "whereas", "except", "yet", ";", "which", "who"})
# ("No." is left out: as an answer it ends a sentence far more often than it abbreviates "number")
NO_BREAK_AFTER = frozenset("mr mrs ms dr prof approx e.g i.e etc vs st tel ref dept wk wks incl inc re cf fig".split())
#: Also abbreviations before a full stop, but only when a lower-case word follows: "log no. in the
#: book" goes on, while "he said no. Mum then" ends a sentence.
NO_BREAK_BEFORE_LOWER = NO_BREAK_AFTER | frozenset("no nos v ext".split())
#: Capitalised words that start a sentence even with no full stop before them ("seen at home She said"):
#: a capital pronoun or article mid-sentence is almost never anything else, and notes typed on phones or
#: in a hurry often leave the stops out. Names ("Mum", "J") are left out: they are capitalised anywhere.
OPENERS = frozenset("She He They We It The This That There These Those His Her Their My Our No Nothing Next If When "
                    "Will Agreed Saw Also Then Later Today Yesterday".split())

#: Clause boundaries at which a run-on sentence is cut (CaseNoteSentences): after these marks, before these words.
CLAUSE_PUNCTUATION = frozenset({",", ";", ":", "-", "–", "—"})
CLAUSE_JOINERS = frozenset("and but so then when as because while after before which who".split())
MIN_PART_WORDS = 10

#: Norms that stand for several words: a phrase gives one term, not one per word.
JOINED_NORMS = frozenset(PHRASES.values()) | frozenset(n for n in ABBREVIATIONS.values() if "_" in n)
#: The norm of every number ("3", "twelve", "45,000"): one feature for all of them.
NUMBER = "<num>"
#: Per-token context marks in ``doc._.context``.
PLAIN, CUE, NEGATED = 0, 1, 2

if not Doc.has_extension("context"):
    Doc.set_extension("context", default=None)
if not Token.has_extension("negated"):
    Token.set_extension("negated", getter=lambda t: t.doc._.context is not None and bool(t.doc._.context[t.i] == NEGATED))
if not Token.has_extension("cue"):
    Token.set_extension("cue", getter=lambda t: t.doc._.context is not None and bool(t.doc._.context[t.i] == CUE))


# Where spaCy keeps ``doc._.context`` (its Underscore storage key): batch loops read and
# write it directly, because an Underscore object per access costs microseconds per doc.
_CONTEXT_KEY = ("._.", "context", None, None)
# The token columns our components have read or written, kept with the doc (see TokenBatch).
_COLUMNS_KEY = "casereview.columns"
_ATTRS = {"orth": ORTH, "idx": IDX, "norm": NORM, "sent_start": SENT_START}


def context_marks(docs: Sequence[Doc]) -> np.ndarray:
    """The context marks of a batch of docs, concatenated (plain where a doc has none)."""
    marks = [d.user_data.get(_CONTEXT_KEY) for d in docs]
    marks = [m if m is not None else np.zeros(len(d), dtype=np.int8) for m, d in zip(marks, docs)]
    return np.concatenate(marks) if marks else np.zeros(0, dtype=np.int8)


class TokenBatch:
    """Token columns of a batch of docs, concatenated, with where each doc starts.

    ``Doc.to_array`` costs about as much per value as the tokenizer per token, so a
    doc's columns are read once and kept in ``doc.user_data``; a component that
    changes a column writes the doc and the kept copy together (:meth:`write`).
    The components of one ``nlp.pipe`` see the same batches of docs, so the last
    batch is kept too (:meth:`of`). Word properties come from a :class:`WordTable`, by each token's
    form, looked up once a batch (:meth:`rows`). ``columns_only``: a column written is kept, not
    written into the docs (:func:`featurized_docs`).
    """

    _last: TokenBatch | None = None

    @classmethod
    def of(cls, docs: Sequence[Doc], columns_only: bool | None = None) -> TokenBatch:
        """The batch of ``docs``: the last one if it is of the same docs (and, given ``columns_only``, writes as
        asked; a reader, the featurizer, gives none)."""
        last = cls._last
        if (last is not None and columns_only in (None, last.columns_only) and len(last.docs) == len(docs)
                and all(a is b for a, b in zip(last.docs, docs))):
            return last
        cls._last = batch = cls(docs, bool(columns_only))
        return batch

    def __init__(self, docs: Sequence[Doc], columns_only: bool = False):
        self.docs = list(docs)
        self.columns_only = columns_only
        self.lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        self.offsets = np.concatenate([[0], np.cumsum(self.lengths)])
        self.size = int(self.offsets[-1])
        self.doc_of = np.repeat(np.arange(len(docs)), self.lengths)
        self.position = np.arange(self.size) - self.offsets[:-1][self.doc_of]
        self.columns: dict[str, np.ndarray] = {}
        self._rows: dict[WordForms, np.ndarray] = {}  # keyed by the forms themselves, which it keeps alive
        self._words: dict[WordTable, list[np.ndarray]] = {}  # likewise

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.columns:
            kept = [self._columns(d, name) for d in self.docs]
            self.columns[name] = np.concatenate(kept) if kept else np.zeros(0, np.uint64)
        return self.columns[name]

    def rows(self, forms: WordForms) -> np.ndarray:
        """Each token's form, numbered in ``forms``."""
        if forms not in self._rows:
            self._rows[forms] = forms.rows(self["orth"])
        return self._rows[forms]

    def words(self, table: WordTable) -> list[np.ndarray]:
        """``table``'s word properties for every token of the batch."""
        if table not in self._words:
            self._words[table] = table(self.rows(table.forms))
        return self._words[table]

    @staticmethod
    def _columns(doc: Doc, name: str | None) -> np.ndarray | dict[str, np.ndarray]:
        kept = doc.user_data.get(_COLUMNS_KEY)
        if kept is None:
            values = doc.to_array([ORTH, IDX, NORM]).reshape(len(doc), 3)
            kept = doc.user_data[_COLUMNS_KEY] = {"orth": values[:, 0], "idx": values[:, 1], "norm": values[:, 2]}
        if name is None:
            return kept
        if name not in kept:
            kept[name] = doc.to_array([_ATTRS[name]]).reshape(len(doc))
        return kept[name]

    def write(self, name: str, values: np.ndarray, docs: Iterable[int] | None = None) -> None:
        """Set a column on the docs (all, or the given indices) and on their kept copies (``columns_only``: on the kept
        copies alone)."""
        values = values.astype(np.uint64)
        for i in range(len(self.docs)) if docs is None else docs:
            doc, part = self.docs[i], values[self.offsets[i] : self.offsets[i + 1]]
            if len(doc) and not self.columns_only:
                doc.from_array([_ATTRS[name]], part.reshape(-1, 1))
            self._columns(doc, None)[name] = part
        self.columns[name] = values

    def shifted(self, array: np.ndarray, by: int, fill=0) -> np.ndarray:
        """``array`` moved ``by`` tokens later, within each doc (``fill`` where there is no earlier token)."""
        out = np.full_like(array, fill)
        if by < self.size:
            out[by:] = array[:-by]
        out[self.position < by] = fill
        return out

    def previous(self, where: np.ndarray) -> np.ndarray:
        """For each token, the index of the nearest earlier token of its doc where ``where`` holds (-1: none)."""
        index = np.where(where, np.arange(self.size), -1)
        latest = np.maximum.accumulate(index) if self.size else index
        before = self.shifted(latest, 1, fill=-1)
        return np.where(before >= self.offsets[:-1][self.doc_of], before, -1)

    def matches(self, sequence: Sequence[int], column: np.ndarray) -> np.ndarray:
        """Positions where ``sequence`` of values starts in ``column``, inside one doc."""
        starts = np.flatnonzero(column == sequence[0])
        length = len(sequence)
        starts = starts[starts + length <= self.size]
        for k in range(1, length):
            starts = starts[column[starts + k] == sequence[k]]
        return starts[self.doc_of[starts] == self.doc_of[starts + length - 1]]

    def split(self, array: np.ndarray) -> Iterator[np.ndarray]:
        for a, b in zip(self.offsets[:-1], self.offsets[1:]):
            yield array[a:b]


class WordForms:
    """The word forms (orth keys) a pipeline has met, numbered as met. Its components' word tables
    (:class:`WordTable`) and the featurizer of its docs number forms alike (:func:`word_forms`), so that a batch's
    tokens are looked up once (:meth:`TokenBatch.rows`), not once per table (four hash-table lookups of every token
    of a batch, and as many more for the forms each table had not met)."""

    def __init__(self, strings):
        self.strings = strings
        self.keys = KeyTable()
        self._growing = threading.Lock()

    def __len__(self) -> int:
        return len(self.keys)

    def rows(self, orth: np.ndarray) -> np.ndarray:
        """Each form's number; a form not met before is numbered now."""
        rows = self.keys.find(orth)
        unknown = np.flatnonzero(rows < 0)
        if len(unknown):
            with self._growing:  # two threads sharing a pipeline must not add the same forms twice
                rows[unknown] = self.keys.find(orth[unknown])  # another thread may have added some meanwhile
                unknown = unknown[rows[unknown] < 0]
                new = np.unique(orth[unknown])
                # the new forms take the next numbers, in order: only the tokens that lacked one are looked up
                rows[unknown] = len(self.keys) + np.searchsorted(new, orth[unknown])
                self.keys.add(new)
        return rows

    def texts(self, start: int, stop: int) -> list[str]:
        """The forms numbered ``start`` to ``stop`` - 1, as text."""
        return [self.strings[k] for k in self.keys.keys[start:stop].tolist()]


def word_forms(nlp: Language) -> WordForms:
    """The word forms ``nlp``'s components share, and the featurizer of its docs."""
    if "_casereview_forms" not in nlp.__dict__:
        nlp._casereview_forms = WordForms(nlp.vocab.strings)
    return nlp._casereview_forms


class WordTable:
    """Properties of word forms, computed once per distinct form (``describe(text)``), looked up per batch by the
    forms' numbers in ``forms``."""

    def __init__(self, forms: WordForms, describe: Callable[[str], tuple], dtypes: Sequence[type]):
        self.forms = forms
        self.describe = describe
        self.values = [np.zeros(0, dtype=t) for t in dtypes]
        self._growing = threading.Lock()

    def __call__(self, rows: np.ndarray) -> list[np.ndarray]:
        """The properties of the forms numbered ``rows``."""
        if len(self.values[0]) < len(self.forms):
            with self._growing:  # two threads sharing a pipeline must not describe the same forms twice
                known, met = len(self.values[0]), len(self.forms)
                if known < met:
                    described = list(zip(*(self.describe(text) for text in self.forms.texts(known, met))))
                    self.values = [np.concatenate([v, np.array(d, dtype=v.dtype)]) for v, d in zip(self.values, described)]
        values = self.values
        return [v[rows] for v in values]


def ragged_arange(counts: np.ndarray) -> np.ndarray:
    """0..c-1 for each count c, concatenated."""
    ends = np.cumsum(counts)
    return np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - counts, counts)


class _BatchComponent:
    """A component that processes docs a batch at a time (``process``); ``columns_only``, its results are kept in the
    docs' token columns only (:class:`TokenBatch`), which the featurizer reads (:func:`featurized_docs`)."""

    def __call__(self, doc: Doc) -> Doc:
        self.process([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256, columns_only: bool = False) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self.process(batch, columns_only)
            yield from batch

    def process(self, docs: list[Doc], columns_only: bool = False) -> None:
        raise NotImplementedError


def _dotted_word(s: str) -> bool:  # "approx." as one token
    return len(s) > 1 and s.endswith(".") and s[-2].isalpha() and s.count(".") == 1


@Language.factory("casenote_sentences")
class CaseNoteSentences(_BatchComponent):
    """Sentence starts after line breaks, bullets and sentence-final punctuation.

    A full stop ends a sentence when the next word can start one, unless it closes an
    abbreviation ("approx.", "Dr ."). A single capital and a stop ("in band B. The SW")
    ends one: in anonymised notes that is an initial ending a sentence far more often
    than a name going on ("J. Smith"). A lower-case word starts one too: dictated and
    quickly typed notes often leave out capitals ("...in the next town. the return home
    interview..."), and without this a dictated note came out as two sentences of about
    50 words, which dilutes a one-line gap and makes poor evidence. For the same reason a
    capital pronoun or article after a lower-case word starts one with no stop at all
    (``OPENERS``): with every full stop taken out of the hand-written dev notes, concern-0.9.0's
    macro-F1 went from 0.844 to 0.852 with it (bench/bench_robustness.py); it starts one
    sentence in the whole corpus as written.

    A sentence still longer than ``max_words`` words (0: no limit) is run-on text: a note typed
    or exported with no full stops, or flattened onto one line, where a single "sentence" can
    hold a whole visit. It is cut at clause boundaries (after a comma, semicolon, colon or
    dash, or before a joining word: "and", "but", "then"...), into parts of at least
    ``MIN_PART_WORDS`` words, so that a gap keeps its own sentence, evidence and negation scope.
    """

    def __init__(self, nlp: Language, name: str, max_words: int = 0):
        self.max_words = max_words
        self.clause = WordTable(word_forms(nlp), lambda s: (
            any(c.isalnum() for c in s),  # a word (or number): what a sentence's length counts
            s in CLAUSE_PUNCTUATION,
            s.lower() in CLAUSE_JOINERS,
        ), [bool] * 3)
        self.words = WordTable(word_forms(nlp), lambda s: (
            "\n" in s,  # a new line is a new unit in case-note layout
            s in (".", "!", "?") or (_dotted_word(s) and s.lower().rstrip(".") not in NO_BREAK_AFTER),
            s == ".",
            s.lower() in NO_BREAK_AFTER,  # a word a following "." abbreviates
            not s.isspace() and (s.istitle() or s.isupper() or s.isdigit() or not s.isalpha()),
            s.isspace(),
            s.isalpha() and s.islower(),
            s.lower() in NO_BREAK_BEFORE_LOWER,
            s in OPENERS,
        ), [bool] * 9)

    def process(self, docs: list[Doc], columns_only: bool = False) -> None:
        t = TokenBatch.of(docs, columns_only)
        (line_break, stop, period, abbreviated, can_start, space, lower, abbreviated_before_lower,
         opener) = t.words(self.words)
        # The word before, skipping spaces ("hit.   Mother"), and the one before that.
        previous = t.previous(~space)
        before_previous = np.where(previous >= 0, previous[np.maximum(previous, 0)], -1)
        at = lambda flags, index: np.where(index >= 0, flags[np.maximum(index, 0)], False)  # noqa: E731
        after_period = at(period, previous)
        after_stop = at(stop, previous) & ~(after_period & at(abbreviated, before_previous))
        before_lower = ~(after_period & at(abbreviated_before_lower, before_previous))
        start = t.shifted(line_break, 1) | (after_stop & (can_start | (lower & before_lower)))
        start |= opener & at(lower, previous)  # "seen at home She said": no stop between
        start[t.position == 0] = True
        if self.max_words:
            start = self._cut_run_ons(t, start, previous)
        t.write("sent_start", np.where(start, 1, -1))

    def _cut_run_ons(self, t: TokenBatch, start: np.ndarray, previous: np.ndarray) -> np.ndarray:
        """``start`` with sentences of more than ``max_words`` words cut at clause boundaries (greedily, each
        part at least ``MIN_PART_WORDS`` words). Only the tokens of sentences that may be that long (by their
        count of tokens) are looked at, and only their boundaries walked in Python: a few in a batch."""
        first = np.flatnonzero(start)  # a doc's first token starts one: sentences never span docs
        tokens = np.diff(np.append(first, t.size))
        may_be_long = np.flatnonzero(tokens > self.max_words)
        if not len(may_be_long):
            return start
        at = np.repeat(first[may_be_long], tokens[may_be_long]) + ragged_arange(tokens[may_be_long])
        sentence = np.repeat(np.arange(len(may_be_long)), tokens[may_be_long])  # of those sentences
        forms = t.rows(self.clause.forms)
        word, clause_mark, joiner = self.clause(forms[at])
        words_before = np.cumsum(word) - word  # before each token, over the long sentences' tokens
        length = np.bincount(sentence, weights=word, minlength=len(may_be_long)).astype(np.int64)
        before = previous[at]  # the word before, skipping spaces (-1: none, or it is in another doc)
        after_mark = before >= 0
        after_mark[after_mark] = self.clause(forms[before[after_mark]])[1]
        boundary = np.flatnonzero((length[sentence] > self.max_words) & word & (after_mark | joiner) & ~start[at])
        if not len(boundary):
            return start
        start = start.copy()
        first_word = words_before[np.searchsorted(sentence, np.arange(len(may_be_long)))]
        position = (words_before[boundary] - first_word[sentence[boundary]]).tolist()  # words before, in the sentence
        last_sentence, last_cut, total = -1, 0, 0
        for token, s, words in zip(at[boundary].tolist(), sentence[boundary].tolist(), position):
            if s != last_sentence:
                last_sentence, last_cut, total = s, 0, int(length[s])
            if words - last_cut >= MIN_PART_WORDS and total - words >= MIN_PART_WORDS:
                start[token] = True
                last_cut = words
        return start


@Language.factory("casenote_abbreviations")
class CaseNoteAbbreviations(_BatchComponent):
    """Canonical norms: numbers as ``<num>`` and abbreviations as lexeme norms (free per doc), phrases per token."""

    def __init__(self, nlp: Language, name: str):
        vocab = nlp.vocab
        word_norm, like_num = vocab.lex_attr_getters[NORM], vocab.lex_attr_getters[LIKE_NUM]
        vocab.lex_attr_getters[NORM] = lambda s: NUMBER if like_num(s) else word_norm(s)
        for lexeme in vocab:  # the words the vocab already holds
            if like_num(lexeme.orth_):
                lexeme.norm_ = NUMBER
        for short, norm in ABBREVIATIONS.items():
            for form in {short, short.upper(), short.title(), short + ".", short.upper() + ".", short.title() + "."}:
                vocab[form].norm_ = norm
        for contraction in NEGATIVE_CONTRACTIONS:
            for form in {contraction, contraction.upper(), contraction.capitalize()}:
                vocab[form].norm_ = "not"
        self.phrases = [(tuple(vocab.strings.add(w) for w in words), np.uint64(vocab.strings.add(norm)))
                        for words, norm in sorted(PHRASES.items(), key=lambda p: -len(p[0]))]
        self.words = WordTable(word_forms(nlp), lambda s: (hash_string(s.lower()),), [np.uint64])

    def process(self, docs: list[Doc], columns_only: bool = False) -> None:
        t = TokenBatch.of(docs, columns_only)
        [lowers] = t.words(self.words)
        norms = t["norm"].copy()
        covered = np.zeros(t.size, dtype=bool)
        for ids, norm in self.phrases:  # longest first; a token belongs to one phrase
            starts = t.matches(ids, lowers)
            span = starts[:, None] + np.arange(len(ids))
            starts = starts[~covered[span].any(axis=1)]
            span = (starts[:, None] + np.arange(len(ids))).ravel()
            norms[span] = norm
            covered[span] = True
        if covered.any():
            t.write("norm", norms, np.unique(t.doc_of[covered]).tolist())


@Language.factory("casenote_context")
class CaseNoteContext(_BatchComponent):
    """Mark tokens in the scope of a negation/absence cue, within the sentence."""

    def __init__(self, nlp: Language, name: str):
        strings = nlp.vocab.strings
        single = {strings.add(c[0]) for c in NEGATION_CUES if len(c) == 1}
        terminators = {strings.add(w) for w in TERMINATORS}
        self.multi = [tuple(strings.add(w) for w in c) for c in NEGATION_CUES if len(c) > 1]
        self.words = WordTable(word_forms(nlp), lambda s: (
            hash_string(s.lower()), hash_string(s.lower()) in single, hash_string(s.lower()) in terminators,
        ), [np.uint64, bool, bool])

    def process(self, docs: list[Doc], columns_only: bool = False) -> None:
        t = TokenBatch.of(docs, columns_only)
        lowers, cue, terminator = t.words(self.words)
        cue = cue.copy()
        for words in self.multi:
            starts = t.matches(words, lowers)
            cue[(starts[:, None] + np.arange(len(words))).ravel()] = True
        boundary = (t["sent_start"] == 1) | terminator | (t.position == 0)
        index = np.arange(t.size)
        scope_start = np.maximum.accumulate(np.where(boundary, index, 0)) if t.size else index
        last_cue = np.maximum.accumulate(np.where(cue, index, -1)) if t.size else index
        marks = np.where(cue, CUE, np.where(last_cue >= scope_start, NEGATED, PLAIN)).astype(np.int8)
        for doc, part in zip(docs, t.split(marks)):
            doc.user_data[_CONTEXT_KEY] = part  # = doc._.context


PIPELINE = ("casenote_sentences", "casenote_abbreviations", "casenote_context")
#: ``nlp.pipe``'s settings of our components for :func:`featurized_docs`
_COLUMNS_ONLY = {name: {"columns_only": True} for name in PIPELINE}


def featurized_docs(nlp: Language, texts: Sequence[str], batch_size: int) -> list[Doc]:
    """``texts`` through ``nlp`` for the featurizer, which reads the components' results (sentence starts, norms)
    from the docs' token columns (:class:`TokenBatch`): they are not written into the docs themselves, whose
    ``is_sent_start`` and ``norm_`` stay the tokenizer's. Writing them cost a doc a spaCy call each, a twentieth of
    scoring it."""
    return list(nlp.pipe(texts, batch_size=batch_size, component_cfg=_COLUMNS_ONLY))


TOKENIZER_CACHE_CHUNKS = 100_000


def make_nlp(sentence_words: int = 0) -> Language:
    """The case-note pipeline: a blank English tokenizer plus our components; sentences of more than
    ``sentence_words`` words are cut at clause boundaries (0: never; see :class:`CaseNoteSentences`)."""
    nlp = spacy.blank("en")
    # No tokenizer special cases (contractions, emoticons, "a.m."): a doc that meets one stops
    # the tokenizer caching its words (spaCy #1250), which doubled its cost on case notes. Our
    # components handle what matters here: "didn't" is a negation cue, "Dr ." does not end a sentence.
    nlp.tokenizer.rules = {}
    # spaCy caches the tokens of at most 10,000 distinct space-separated chunks, then tokenizes every
    # other chunk afresh each time; the sample corpus alone has 20,000 (tokenizer 70 -> 27 us a note).
    # A cached chunk costs about 275 bytes, so this bounds the cache near 28 MB a process (each
    # forked worker adds the chunks it meets to its own copy).
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_CHUNKS
    for name in PIPELINE:
        nlp.add_pipe(name, config={"max_words": sentence_words} if name == "casenote_sentences" else {})
    return nlp
