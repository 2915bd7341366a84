"""The statistical recogniser for PERSON, ADDRESS and SCHOOL.

Design for speed: a compiled regular expression tokenises the note; candidate
spans are the sub-spans of runs of capitalised words (with house numbers and the
lower-case particles of British and Welsh names and places: "ap", "y", "yr",
"of", "primary"...); each candidate becomes a handful of cheap string features
(its words, word shapes, suffixes, the words around it, small gazetteers of street
types, school words and titles) looked up in a vocabulary; a multinomial logistic
regression scores all candidates of a batch in one vectorised step. Names
themselves are learned from context and word form, not from a name list, so
unseen names are found too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .spans import DisjointSpans

NER_LABELS: tuple[str, ...] = ("PERSON", "ADDRESS", "SCHOOL")
#: Bumped whenever tokens, candidates or features change: part of the model version.
FEATURE_VERSION = 4
CLASSES: tuple[str, ...] = ("O",) + NER_LABELS
MAX_SPAN_TOKENS = 7
MAX_RUN_TOKENS = 12

TOKEN_RE = re.compile(
    r"(?:Mr|Mrs|Ms|Mx|Dr|St|Rd|Ave)\.(?=\s)"
    r"|[^\W\d_]+(?:['’](?!s\b)[^\W\d_]+)*(?:-[^\W\d_]+(?:['’](?!s\b)[^\W\d_]+)*)*"
    r"|['’]s\b"
    r"|\d+[A-Za-z]?(?![\w])|\d[\d/.:,-]*\d|\d"
    r"|\S"
)

# Lower-case words that may sit inside a run of a name, place or school.
PARTICLES = frozenset(
    "y yr 'r ar ap ab o of the and in on upon de la le du da di van von der den bin bint al el 's ’s".split()
)
# Lower-case words that may end a school's name ("Oakfield primary school").
SCHOOL_TAILS = frozenset("primary school nursery academy infants juniors comprehensive college high".split())
TITLES = frozenset("mr mrs ms miss mx dr prof sir mr. mrs. ms. dr. pc ds dc sgt cllr rev".split())
STREET_TYPES = frozenset(
    """road rd street st avenue ave lane close drive way crescent court gardens grove place terrace
    rise view walk square mews row parade hill park vale fields meadow meadows croft green wharf
    heights estate chase gate end mount lea bank side dale""".split()
)
WELSH_STREET_HEADS = frozenset(
    "heol stryd ffordd lôn lon maes bryn cae clos rhodfa llys cwrt parc pen tan ty tŷ plas rhes cilgant".split()
)
SCHOOL_WORDS = frozenset(
    """school primary academy nursery infants infant junior juniors high college comprehensive ysgol
    gynradd gymraeg uwchradd meithrin cylch meithrinfa pre-school preschool playgroup grammar""".split()
)
ADDRESS_PREFIX = frozenset("flat apartment apt unit room".split())
MONTHS_DAYS = frozenset(
    """january february march april may june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue tues
    wed weds thu thur thurs fri sat sun""".split()
)
LANGUAGES_NATIONS = frozenset(
    """english welsh british scottish irish polish romanian arabic urdu punjabi bengali somali kurdish farsi
    pashto tigrinya french spanish portuguese lithuanian czech slovak roma gypsy traveller muslim christian
    catholic sikh hindu jewish eritrean afghan syrian iraqi iranian sudanese nigerian ghanaian""".split()
)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if word[0].isdigit():
        return "dx"
    if word.isupper():
        return "X" if len(word) == 1 else "XX"
    if word[0].isupper():
        return "Xx'" if "'" in word or "’" in word else ("Xx-" if "-" in word else "Xx")
    return "x"


def _is_capital(word: str) -> bool:
    return word[0].isupper() and word[0].isalpha()


def _runs(tokens: Sequence[tuple[int, int, str]], text: str = "") -> list[tuple[int, int]]:
    """Token index ranges [i, j) of capitalised runs; a house number may lead a run. With ``text``, a line
    break ends a run ("School: Ysgol Llanhari" and "Phoned ..." on the next line are two)."""
    runs, i, n = [], 0, len(tokens)
    while i < n:
        word = tokens[i][2]
        lead_number = word[0].isdigit() and len(word) <= 4 and i + 1 < n and _is_capital(tokens[i + 1][2])
        if not (_is_capital(word) or lead_number):
            i += 1
            continue
        j = i + 1
        while j < n and j - i < MAX_RUN_TOKENS:
            w = tokens[j][2]
            if tokens[j][0] - tokens[j - 1][1] > 1 or text[tokens[j - 1][1] : tokens[j][0]] == "\n":
                break  # a gap of more than one space, or a line break, ends the run
            if _is_capital(w):
                j += 1
            elif w.lower() in PARTICLES and j + 1 < n and (_is_capital(tokens[j + 1][2]) or tokens[j + 1][2] in PARTICLES):
                j += 1
            elif w.lower() in SCHOOL_TAILS:
                j += 1
            else:
                break
        while j - 1 > i and tokens[j - 1][2].lower() in PARTICLES:
            j -= 1
        runs.append((i, j))
        i = j
    return runs


def candidates(tokens: Sequence[tuple[int, int, str]], text: str = "") -> list[tuple[int, int]]:
    """Token ranges [i, j) worth scoring: contiguous sub-spans of runs (of ``text``'s lines), not edged by particles."""
    spans = []
    for start, end in _runs(tokens, text):
        for i in range(start, end):
            wi = tokens[i][2]
            if wi.lower() in PARTICLES or (wi[0].isdigit() and i != start):
                continue
            for j in range(i + 1, min(end, i + MAX_SPAN_TOKENS) + 1):
                if tokens[j - 1][2].lower() in PARTICLES:
                    continue
                if wi[0].isdigit() and j == i + 1:
                    continue  # a house number alone is not a candidate
                spans.append((i, j))
    return spans


def _context_word(tokens, k: int) -> str:
    if k < 0:
        return "<s>"
    if k >= len(tokens):
        return "</s>"
    w = tokens[k][2]
    if w[0].isdigit():
        return "<num>"
    return w.lower()


def starts_sentence(text: str, tokens: Sequence[tuple[int, int, str]], i: int) -> bool:
    """Whether token ``i`` begins a sentence, a line, a bullet or what follows a colon ("Present: ...")."""
    return i == 0 or tokens[i - 1][2] in ".!?:;•-–*" or "\n" in text[tokens[i - 1][1] : tokens[i][0]]


def features(text: str, tokens: Sequence[tuple[int, int, str]], i: int, j: int,
             lexicon: frozenset[str] = frozenset(), lower_in_text: frozenset[str] = frozenset()) -> list[str]:
    """The feature strings of candidate tokens [i, j).

    ``lexicon``: common words (seen in lower case in the training notes);
    ``lower_in_text``: words this note itself writes in lower case. A capitalised
    word that is usually lower case ("Laundry", "Summary") is rarely a name.
    """
    words = [tokens[k][2] for k in range(i, j)]
    lower = [w.lower() for w in words]
    first, last = lower[0], lower[-1]
    prev, prev2 = _context_word(tokens, i - 1), _context_word(tokens, i - 2)
    nxt, nxt2 = _context_word(tokens, j), _context_word(tokens, j + 1)
    sent_start = starts_sentence(text, tokens, i)
    shapes = "_".join(_shape(w) for w in words[:4])
    f = [
        "bias",
        f"n={min(j - i, 5)}",
        f"shapes={shapes}",
        f"first={first}",
        f"last={last}",
        f"prev={prev}",
        f"prev2={prev2}",
        f"next={nxt}",
        f"next2={nxt2}",
        f"prev+first={prev}|{_shape(words[0])}",
        f"prev2+prev={prev2}|{prev}",
        f"next+next2={nxt}|{nxt2}",
        f"suf3={last[-3:]}",
        f"suf2={last[-2:]}",
        f"pre3={first[:3]}",
        f"fsuf3={first[-3:]}",
    ]
    f += [f"w={w}" for w in lower]
    if sent_start:
        f.append("sent_start")
        f.append(f"sent_start+n={j - i}")
    if prev in TITLES:
        f.append("title_before")
    if first in TITLES:
        f.append("title_first")
    if last in STREET_TYPES or last.rstrip(".") in STREET_TYPES:
        f.append("street_last")
    if first in WELSH_STREET_HEADS or (words[0][0].isdigit() and j - i > 1 and lower[1] in WELSH_STREET_HEADS):
        f.append("welsh_street_head")
    if words[0][0].isdigit():
        f.append("number_first")
        if prev in ADDRESS_PREFIX or prev2 in ADDRESS_PREFIX or prev == ",":
            f.append("flat_before")
    if any(w in SCHOOL_WORDS for w in lower):
        f.append("school_word")
        if first in SCHOOL_WORDS:
            f.append("school_first")
        if last in SCHOOL_WORDS:
            f.append("school_last")
    content = [w for w in lower if w not in PARTICLES and not w[0].isdigit()]
    known = [w in lexicon for w in content]
    if known and all(known):
        f.append("lex_all")
    elif any(known):
        f.append("lex_some")
    if known and known[0]:
        f.append("lex_first")
    if any(w in lower_in_text for w in content):
        f.append("lower_in_note")
    if any(w in MONTHS_DAYS for w in lower):
        f.append("month_or_day")
    if any(w in LANGUAGES_NATIONS for w in lower):
        f.append("language_or_nation")
    if all(w.isupper() for w in words):
        f.append("all_caps")
    if any(w in PARTICLES for w in lower):
        f.append("particle_inside")
    # whether the candidate is the whole capitalised run or cuts it
    if i > 0 and tokens[i - 1][1] + 1 >= tokens[i][0] and _is_capital(tokens[i - 1][2]):
        f.append("cap_before")
        # a sentence's first word before the name, even one the training notes never led a name with
        # ("Debriefed Cadi Voyle", "Ymddiheurodd Harriet": a verb's ending tells it)
        if starts_sentence(text, tokens, i - 1):
            f.append("after_first_word")
            f.append(f"after_first_word+suf3={prev[-3:]}")
            if prev in lexicon:
                f.append("after_first_word+lex")
    if j < len(tokens) and tokens[j][0] <= tokens[j - 1][1] + 1 and _is_capital(tokens[j][2]):
        f.append("cap_after")
    return f


@dataclass
class NameModel:
    """A multinomial logistic regression over candidate-span features."""

    vocabulary: dict[str, int]
    weights: np.ndarray  # n_features x n_classes (float32)
    bias: np.ndarray  # n_classes
    thresholds: dict[str, float] = field(default_factory=lambda: {name: 0.5 for name in NER_LABELS})
    lexicon: frozenset[str] = frozenset()
    info: dict[str, Any] = field(default_factory=dict)

    def scores(self, feature_lists: Sequence[list[str]]) -> np.ndarray:
        """Class probabilities (n_candidates x n_classes) in one vectorised step."""
        if not feature_lists:
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        vocab = self.vocabulary
        flat: list[int] = []
        owners: list[int] = []
        for row, feats in enumerate(feature_lists):
            for name in dict.fromkeys(feats):  # in the order made, not a set's: the float sum is the same in every process
                index = vocab.get(name)
                if index is not None:
                    flat.append(index)
                    owners.append(row)
        logits = np.tile(self.bias, (len(feature_lists), 1))
        if flat:
            np.add.at(logits, np.asarray(owners), self.weights[np.asarray(flat)])
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def find(self, texts: Sequence[str], starts: Sequence[frozenset[int]] | None = None,
             tokens: Sequence[list[tuple[int, int, str]]] | None = None) -> list[list[tuple[int, int, str, float]]]:
        """(start, end, label, score) entities of each text, non-overlapping, best first; with ``starts``,
        only those starting at one of the text's offsets in it. ``tokens``: each text's :func:`tokenize`,
        when the caller has it already."""
        per_text_tokens = [tokenize(t) for t in texts] if tokens is None else tokens
        spans: list[tuple[int, int, int]] = []  # (text index, i, j)
        feature_lists: list[list[str]] = []
        for t, (text, tokens) in enumerate(zip(texts, per_text_tokens)):
            lower_in_text = lower_words(tokens)
            for i, j in candidates(tokens, text):
                if starts is not None and tokens[i][0] not in starts[t]:
                    continue
                spans.append((t, i, j))
                feature_lists.append(features(text, tokens, i, j, self.lexicon, lower_in_text))
        probs = self.scores(feature_lists)
        found: list[list[tuple[int, int, str, float]]] = [[] for _ in texts]
        if not spans:
            return found
        taken = [DisjointSpans() for _ in texts]
        best = probs[:, 1:].argmax(axis=1)
        best_p = probs[np.arange(len(spans)), best + 1]
        limits = np.array([self.thresholds[name] for name in NER_LABELS])
        keep = np.nonzero(best_p >= limits[best])[0]
        for k in keep[np.argsort(-best_p[keep], kind="stable")]:
            t, i, j = spans[k]
            tokens = per_text_tokens[t]
            start, end = tokens[i][0], tokens[j - 1][1]
            if taken[t].overlaps(start, end):
                continue
            label = NER_LABELS[best[k]]
            if label == "ADDRESS":
                flat = _flat_prefix(texts[t], tokens, i, start)
                start = start if taken[t].overlaps(flat, start) else flat  # entities never overlap
            taken[t].add(start, end)
            found[t].append((start, end, label, round(float(best_p[k]), 4)))
        for entities in found:
            entities.sort()
        return found


_FLAT_PREFIX = re.compile(r"(?:Flat|Apartment|Apt\.?|Unit|Room)\s+\w{1,4},?\s*$", re.IGNORECASE)


def _flat_prefix(text: str, tokens, i: int, start: int) -> int:
    """Extend an address over a "Flat 3," before its house number."""
    m = _FLAT_PREFIX.search(text, max(0, start - 20), start)
    return m.start() if m else start


def lower_words(tokens: Sequence[tuple[int, int, str]]) -> frozenset[str]:
    return frozenset(w for _, _, w in tokens if w.islower())


def build_lexicon(records: Iterable[dict], min_count: int = 2) -> frozenset[str]:
    """Words written in lower case (outside gold spans) at least ``min_count`` times in the notes."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for record in records:
        text = record["text"]
        inside = [(e["start"], e["end"]) for e in record.get("entities", [])]
        for start, end, word in tokenize(text):
            if word.islower() and len(word) > 1 and not any(s <= start < e for s, e in inside):
                counts[word] += 1
    return frozenset(w for w, c in counts.items() if c >= min_count)


def training_examples(records: Iterable[dict], lexicon: frozenset[str] = frozenset()) -> tuple[list[list[str]], list[int], dict[str, int]]:
    """Features and class indices of every candidate of gold-annotated notes.

    A candidate is positive when it matches a gold PERSON/ADDRESS/SCHOOL span exactly
    (an address's "Flat 3," prefix aside); anything else, partial overlaps included,
    is ``O``. Also returns how many gold spans no candidate covers (candidate recall).
    """
    rows, targets = [], []
    missed = {name: 0 for name in NER_LABELS}
    for record in records:
        text = record["text"]
        gold = {}
        for e in record.get("entities", []):
            if e["label"] in NER_LABELS:
                start = e["start"]
                if e["label"] == "ADDRESS":
                    m = re.match(r"(?:Flat|Apartment|Apt\.?|Unit|Room)\s+\w{1,4},?\s*", text[e["start"] : e["end"]], re.IGNORECASE)
                    if m:
                        start += m.end()
                gold[(start, e["end"])] = e["label"]
        tokens = tokenize(text)
        lower_in_text = lower_words(tokens)
        seen = set()
        for i, j in candidates(tokens, text):
            key = (tokens[i][0], tokens[j - 1][1])
            label = gold.get(key, "O")
            seen.add(key)
            rows.append(features(text, tokens, i, j, lexicon, lower_in_text))
            targets.append(CLASSES.index(label))
        for key, label in gold.items():
            if key not in seen:
                missed[label] += 1
    return rows, targets, missed


def fit(rows: list[list[str]], targets: list[int], *, C: float = 2.0, min_count: int = 2, seed: int = 0) -> NameModel:
    """Fit the logistic regression on candidate features (features seen fewer than ``min_count`` times dropped)."""
    from collections import Counter

    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for feats in rows for name in set(feats))
    vocabulary = {name: k for k, name in enumerate(sorted(n for n, c in counts.items() if c >= min_count))}
    indptr, indices = [0], []
    for feats in rows:
        indices.extend(sorted({vocabulary[n] for n in feats if n in vocabulary}))
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.asarray(indices), np.asarray(indptr)),
        shape=(len(rows), len(vocabulary)),
    )
    clf = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    clf.fit(matrix, np.asarray(targets))
    weights = np.zeros((len(vocabulary), len(CLASSES)), dtype=np.float32)
    bias = np.zeros(len(CLASSES), dtype=np.float32)
    for k, cls in enumerate(clf.classes_):
        weights[:, cls] = clf.coef_[k] if len(clf.classes_) > 2 else (clf.coef_[0] if k else -clf.coef_[0])
        bias[cls] = clf.intercept_[k] if len(clf.classes_) > 2 else (clf.intercept_[0] if k else -clf.intercept_[0])
    missing = set(range(len(CLASSES))) - set(int(c) for c in clf.classes_)
    for cls in missing:
        bias[cls] = -30.0  # a class with no training example is never predicted
    return NameModel(vocabulary, weights, bias)
