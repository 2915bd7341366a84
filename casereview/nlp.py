"""The spaCy pipeline: ``spacy.blank("en")`` plus our registered components.

- ``casenote_sentences``: sentence boundaries that respect case-note layout (line
  breaks, headings, bullets) and abbreviations with full stops ("approx.", "Dr.").
- ``casenote_abbreviations``: canonical ``norm_`` for common abbreviations and
  their spelled-out phrases ("TM" and "team manager" -> "team_manager").
- ``casenote_context``: NegEx/ConText-style cues scoped to the sentence: a token
  after a negation or absence cue ("no", "not", "without", "awaiting", "cancelled",
  "has not been", "no evidence of") gets ``token._.negated``; terminators ("but",
  "however", ";") close the scope.

The components work on the Doc's attribute arrays (``Doc.to_array``), not on
Token objects, because per-token Python objects cost ten times the tokenizer.
No downloaded model is used.
"""

from __future__ import annotations

import numpy as np
import spacy
from spacy.attrs import IDX, IS_ALPHA, IS_DIGIT, IS_PUNCT, IS_SPACE, IS_TITLE, IS_UPPER, LIKE_NUM, LOWER, NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

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
    ("family", "support", "worker"): "family_support_worker",
}

# Cues that open a negated/absent scope to the end of the sentence.
NEGATION_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split())
    for c in (
        "no", "not", "n't", "never", "without", "nor", "none", "nothing", "cannot", "awaiting",
        "cancelled", "canceled", "postponed", "no evidence of", "has not been", "have not been",
        "had not been", "yet to", "unable to", "failed to", "lack of", "lacking", "absence of",
        "outstanding", "overdue", "missed", "not yet", "still waiting", "waiting for",
        "did not", "hasn't", "haven't", "wasn't", "weren't", "isn't", "unable",
        "declined", "refused",
    )
)
TERMINATORS = frozenset({"but", "however", "although", "though", "whereas", "except", "yet", ";", "which", "who"})
NO_BREAK_AFTER = frozenset("mr mrs ms dr prof approx e.g i.e etc vs no nos st tel ref dept wk wks incl inc re cf fig".split())

#: Per-token context marks in ``doc._.context``.
PLAIN, CUE, NEGATED = 0, 1, 2

if not Doc.has_extension("context"):
    Doc.set_extension("context", default=None)
if not Token.has_extension("negated"):
    Token.set_extension("negated", getter=lambda t: t.doc._.context is not None and bool(t.doc._.context[t.i] == NEGATED))
if not Token.has_extension("cue"):
    Token.set_extension("cue", getter=lambda t: t.doc._.context is not None and bool(t.doc._.context[t.i] == CUE))


class _Strings:
    """Hash -> string, cached: the vocab's string store lookup is the slow part."""

    def __init__(self, vocab):
        self.store = vocab.strings
        self.cache: dict[int, str] = {}

    def __call__(self, key: int) -> str:
        text = self.cache.get(key)
        if text is None:
            text = self.cache[key] = self.store[key]
        return text


@Language.factory("casenote_sentences")
class CaseNoteSentences:
    """Sentence starts after line breaks, bullets and sentence-final punctuation."""

    def __init__(self, nlp: Language, name: str):
        self.strings = _Strings(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        rows = doc.to_array([ORTH, IS_SPACE, IS_TITLE, IS_UPPER, IS_DIGIT, IS_ALPHA]).tolist()
        text = [self.strings(r[0]) for r in rows]
        starts = np.full(n, -1, dtype=np.int64)
        starts[0] = 1
        for i in range(1, n):
            prev = text[i - 1]
            _, is_space, is_title, is_upper, is_digit, is_alpha = rows[i]
            if "\n" in prev:
                start = True  # a new line is a new unit in case-note layout
            elif is_space:
                start = False
            elif prev in (".", "!", "?") or (len(prev) > 1 and prev.endswith(".") and prev[-2].isalpha() and prev.count(".") == 1):
                before = (text[i - 2] if i >= 2 else "").lower() if prev == "." else prev.lower().rstrip(".")
                abbreviation = before in NO_BREAK_AFTER or (prev == "." and len(before) == 1 and before.isalpha())
                start = not abbreviation and bool(is_title or is_upper or is_digit or not is_alpha)
            else:
                start = False
            if start:
                starts[i] = 1
        doc.from_array([SENT_START], starts.astype(np.uint64).reshape(-1, 1))
        return doc


@Language.factory("casenote_abbreviations")
class CaseNoteAbbreviations:
    """Canonical norms: abbreviations as lexeme norms (free per doc), phrases per token."""

    def __init__(self, nlp: Language, name: str):
        vocab = nlp.vocab
        for short, norm in ABBREVIATIONS.items():
            for form in {short, short.upper(), short.title(), short + ".", short.upper() + ".", short.title() + "."}:
                vocab[form].norm_ = norm
        self.phrases: dict[int, list[tuple[tuple[int, ...], str]]] = {}
        for words, norm in sorted(PHRASES.items(), key=lambda p: -len(p[0])):
            ids = tuple(vocab.strings.add(w) for w in words)
            self.phrases.setdefault(ids[0], []).append((ids, norm))

    def __call__(self, doc: Doc) -> Doc:
        lowers = doc.to_array([LOWER]).ravel().tolist()
        i, n = 0, len(lowers)
        while i < n:
            for ids, norm in self.phrases.get(lowers[i], ()):
                if tuple(lowers[i : i + len(ids)]) == ids:
                    for token in doc[i : i + len(ids)]:
                        token.norm_ = norm
                    i += len(ids) - 1
                    break
            i += 1
        return doc


@Language.factory("casenote_context")
class CaseNoteContext:
    """Mark tokens in the scope of a negation/absence cue, within the sentence."""

    def __init__(self, nlp: Language, name: str):
        self.strings = _Strings(nlp.vocab)
        self.cues: dict[str, list[tuple[str, ...]]] = {}
        for cue in sorted(NEGATION_CUES, key=len, reverse=True):
            self.cues.setdefault(cue[0], []).append(cue)

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([LOWER, SENT_START]).tolist()
        lowers = [self.strings(r[0]) for r in rows]
        marks = np.zeros(len(rows), dtype=np.int8)
        in_scope = False
        i = 0
        while i < len(rows):
            if rows[i][1] == 1:
                in_scope = False  # scope ends with the sentence
            word = lowers[i]
            if word in TERMINATORS:
                in_scope = False
            matched = next((c for c in self.cues.get(word, ()) if tuple(lowers[i : i + len(c)]) == c), None)
            if matched:
                marks[i : i + len(matched)] = CUE
                in_scope = True
                i += len(matched)
                continue
            if in_scope:
                marks[i] = NEGATED
            i += 1
        doc._.context = marks
        return doc


PIPELINE = ("casenote_sentences", "casenote_abbreviations", "casenote_context")


def make_nlp() -> Language:
    """The case-note pipeline: a blank English tokenizer plus our components."""
    nlp = spacy.blank("en")
    for name in PIPELINE:
        nlp.add_pipe(name)
    return nlp


class SentenceFeaturizer:
    """Each sentence of a processed doc as (start, end, terms): normalised, context-marked."""

    def __init__(self, nlp: Language):
        self.strings = _Strings(nlp.vocab)

    def __call__(self, doc: Doc) -> list[tuple[int, int, str]]:
        if not len(doc):
            return []
        rows = doc.to_array([NORM, ORTH, LIKE_NUM, IS_PUNCT, IS_SPACE, SENT_START, IDX]).tolist()
        context = doc._.context if doc._.context is not None else np.zeros(len(rows), dtype=np.int8)
        context = context.tolist()
        sentences: list[tuple[int, int, str]] = []
        terms: list[str] = []
        start = end = -1
        for i, (norm, orth, like_num, is_punct, is_space, sent_start, idx) in enumerate(rows):
            if sent_start == 1 and start >= 0:
                sentences.append((start, end, " ".join(terms)))
                terms, start = [], -1
            if is_space:
                continue
            orth_text = self.strings(orth)
            if start < 0:
                start = idx
            end = idx + len(orth_text)
            if is_punct and orth_text != "?":
                continue
            term = "<num>" if like_num else self.strings(norm).lower()
            if "_" in term and terms and terms[-1].endswith(term):
                continue  # one feature for a multi-word phrase
            mark = context[i]
            terms.append(term if mark == PLAIN else ("cue:" if mark == CUE else "neg:") + term)
        if start >= 0:
            sentences.append((start, end, " ".join(terms)))
        return sentences
