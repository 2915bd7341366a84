"""The spaCy pipeline: ``spacy.blank("en")`` plus our registered components.

- ``casenote_sentences``: sentence boundaries that respect case-note layout (line
  breaks, headings, bullets) and abbreviations with full stops ("approx.", "Dr.").
- ``casenote_abbreviations``: sets ``token.norm_`` of common abbreviations to one
  canonical form ("TM" -> "team_manager"), so "TM" and "team manager" look alike.
- ``casenote_context``: NegEx/ConText-style cues scoped to the sentence: a token
  after a negation or absence cue ("no", "not", "without", "awaiting", "cancelled",
  "has not been", "no evidence of") gets ``token._.negated``; terminators ("but",
  "however", ";") close the scope.

No downloaded model is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

# Abbreviation -> canonical norm. Multi-word expansions join with "_" so that
# both spellings produce one feature.
ABBREVIATIONS: dict[str, str] = {
    "sw": "social_worker", "sws": "social_worker", "tm": "team_manager", "tms": "team_manager",
    "sp": "senior_practitioner", "nqsw": "newly_qualified", "nqsws": "newly_qualified",
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
    "mgr": "manager", "mngr": "manager", "asap": "asap", "approx": "approximately",
    "wk": "week", "wks": "weeks", "yrs": "years", "yr": "year", "hr": "hour", "hrs": "hours",
    "mum": "mother", "mam": "mother", "dad": "father", "nain": "grandparent", "taid": "grandparent",
    "cp/cin": "child_protection", "w/c": "week_commencing", "f2f": "face_to_face",
    "u/a": "unallocated", "unalloc": "unallocated", "dr": "doctor",
}
# Multi-word phrases that mean the same as an abbreviation, matched on lower text.
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
        "did not", "didn't", "hasn't", "haven't", "wasn't", "weren't", "isn't", "unable",
        "declined", "refused",
    )
)
TERMINATORS = frozenset({"but", "however", "although", "though", "whereas", "except", "yet", ";", "which", "who"})

LAYOUT_HEADING = re.compile(r"^\s*[A-Za-z][A-Za-z /&'-]{1,40}:\s*$")
NO_BREAK_AFTER = frozenset(
    "mr mrs ms dr prof approx e.g i.e etc vs no nos st tel ref dept wk wks incl inc re cf fig".split()
)

if not Token.has_extension("negated"):
    Token.set_extension("negated", default=False)
if not Token.has_extension("cue"):
    Token.set_extension("cue", default=False)


@Language.component("casenote_sentences")
def casenote_sentences(doc: Doc) -> Doc:
    """Sentence starts after line breaks, bullets and sentence-final punctuation."""
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        prev = doc[i - 1]
        start = False
        if "\n" in prev.text or "\n" in prev.whitespace_:
            start = True  # a new line is a new unit in case-note layout
        elif token.is_space:
            start = False
        elif prev.text in ("•", "*", "·") and (i < 2 or "\n" in doc[i - 2].text_with_ws):
            start = False
        elif prev.text in (".", "!", "?") or (prev.text.endswith(".") and len(prev.text) > 1 and prev.text[-2].isalpha() and prev.text.count(".") == 1):
            before = doc[i - 2].lower_ if i >= 2 and prev.text in (".",) else prev.lower_.rstrip(".")
            abbreviation = before in NO_BREAK_AFTER or (len(before) == 1 and before.isalpha() and prev.text == ".")
            start = not abbreviation and (token.is_title or token.is_upper or token.is_digit or not token.is_alpha)
        token.is_sent_start = start
    return doc


@Language.component("casenote_abbreviations")
def casenote_abbreviations(doc: Doc) -> Doc:
    """Canonical ``norm_`` for abbreviations and their spelled-out phrases."""
    lowers = [t.lower_ for t in doc]
    i = 0
    while i < len(doc):
        for phrase, norm in PHRASES.items():
            n = len(phrase)
            if tuple(lowers[i : i + n]) == phrase:
                for token in doc[i : i + n]:
                    token.norm_ = norm
                i += n - 1
                break
        else:
            key = lowers[i].rstrip(".")
            if key in ABBREVIATIONS:
                doc[i].norm_ = ABBREVIATIONS[key]
        i += 1
    return doc


_CUE_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _cue in sorted(NEGATION_CUES, key=len, reverse=True):
    _CUE_FIRST.setdefault(_cue[0], []).append(_cue)


@Language.component("casenote_context")
def casenote_context(doc: Doc) -> Doc:
    """Mark tokens in the scope of a negation/absence cue, within the sentence."""
    for sent in doc.sents:
        lowers = [t.lower_ for t in sent]
        in_scope = False
        i = 0
        while i < len(lowers):
            word = lowers[i]
            if word in TERMINATORS or sent[i].text in (",", ":") and in_scope and i + 1 < len(lowers) and lowers[i + 1] in TERMINATORS:
                in_scope = False
            matched = None
            for cue in _CUE_FIRST.get(word, ()):
                if tuple(lowers[i : i + len(cue)]) == cue:
                    matched = cue
                    break
            if matched:
                for token in sent[i : i + len(matched)]:
                    token._.cue = True
                in_scope = True
                i += len(matched)
                continue
            if in_scope:
                sent[i]._.negated = True
            i += 1
    return doc


PIPELINE = ("casenote_sentences", "casenote_abbreviations", "casenote_context")


def make_nlp() -> Language:
    """The case-note pipeline: a blank English tokenizer plus our components."""
    nlp = spacy.blank("en")
    for name in PIPELINE:
        nlp.add_pipe(name)
    return nlp


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence, trimmed of surrounding space."""
    spans = []
    for sent in doc.sents:
        text = sent.text
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = sent.end_char - (len(text) - len(text.rstrip()))
        if end > start:
            spans.append((start, end))
    return spans


def sentence_features(sent) -> str:
    """The sentence as a space-separated string of normalised, context-marked terms."""
    terms: list[str] = []
    for token in sent:
        if token.is_space or token.is_punct and token.text not in ("?",):
            continue
        norm = token.norm_.lower() if token.norm_ else token.lower_
        if token.like_num:
            norm = "<num>"
        if "_" in norm and terms and terms[-1].endswith(norm):
            continue  # one feature for a multi-word phrase
        if token._.cue:
            terms.append("cue:" + norm)
        elif token._.negated:
            terms.append("neg:" + norm)
        else:
            terms.append(norm)
    return " ".join(terms)


def pipe(nlp: Language, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
    """Stream docs through the pipeline (``nlp.pipe``), one process."""
    yield from nlp.pipe(texts, batch_size=batch_size)
