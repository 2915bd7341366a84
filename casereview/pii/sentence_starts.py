"""Names straight after a sentence's capitalised first word: "Met Jayden Smith at 14 Oak Road."

The recogniser scores pieces of runs of capitalised words. In "Met Jayden Smith" the run is all three
words, so the name is a piece cut from it with a capital word before it. Notes start sentences this way
all the time ("Saw", "Called", "Dad", "Today"). Since the f4 recognisers the training corpus has such
sentences (``NAME_CONTEXT_FRAMES`` in corpora/pii_generator/frames.py) and the recogniser finds most of
these names itself; before, a name was nearly always its whole run in training, and it scored as no
name at all. This rule still finds those after a lead word the frames lack.

A common word (one the recogniser's training notes write in lower case: ``NameModel.lexicon``) that
starts a sentence, line or bullet is capitalised only because it starts it. The notes holding one
before another capital word are read again with it in lower case ("met Jayden Smith at ..."), and the
names found only then are added. No retraining: the rule changes the text the model reads, not the
model, and only adds names that do not overlap any found in the note as written.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .ner import TITLES, NameModel, _is_capital, starts_sentence, tokenize

Hit = tuple[int, int, str, float]

#: A name of one word found only on the second reading must score this much. A single capital word
#: after a sentence's first word is as often a language, a day or a service ("Spoke English", "Said
#: Fridays", "Emergency Nightstop"), a context the recogniser trained on little; at this score the
#: rule adds no finding to a note of the anonymised sample corpus that had none (measured over all
#: of corpora/sample/notes.jsonl), while "Asked Amira about contact." is found.
SINGLE_WORD_SCORE = 0.8

#: First words after which a capital word names a thing (a team, a service, a count), not a person:
#: "The SENCo", "No PPNs", "Two RHIs", "For West LAC team". They are left as written.
NOT_BEFORE_NAMES = frozenset(
    """the a an no not any some each every all either neither this that these those his her their its my our
    your one two three four five six seven eight nine ten first second third last next new old for with from
    to in on at by of as into and or but if when while after before since until then there here what which
    who why how where female male""".split()
)


Token = tuple[int, int, str]


def lower_sentence_starts(text: str, lexicon: frozenset[str], tokens: list[Token] | None = None
                          ) -> tuple[str, frozenset[int], list[Token]] | None:
    """``text`` with each common word that starts a sentence and runs into a capital word in lower case
    (same length, same offsets), where the words after them start, and the tokens of the new text;
    None when there is none. ``tokens``: ``tokenize(text)``, when the caller has it already.

    The new text's tokens are those of ``text`` with the lowered words' first letters lowered: a common
    word (one of the lexicon, which ``tokenize`` found written in lower case) splits the same in either case.
    """
    tokens = tokenize(text) if tokens is None else tokens
    chars: list[str] | None = None
    lowered: list[Token] | None = None
    after: set[int] = set()
    for k in range(len(tokens) - 1):
        start, end, word = tokens[k]
        lower = word.lower()
        if not (word[0].isupper() and word[1:].islower() and len(word[0].lower()) == 1):
            continue  # not a capitalised word ("SW", initials, "I")
        if lower not in lexicon or lower in TITLES or lower in NOT_BEFORE_NAMES:
            continue
        if tokens[k + 1][0] - end > 1 or not _is_capital(tokens[k + 1][2]) or not starts_sentence(text, tokens, k):
            continue
        chars = chars if chars is not None else list(text)
        lowered = lowered if lowered is not None else list(tokens)
        chars[start] = word[0].lower()
        lowered[k] = (start, end, chars[start] + word[1:])
        after.add(tokens[k + 1][0])
    return None if chars is None else ("".join(chars), frozenset(after), lowered)


def _word_count(tokens: list[Token], start: int, end: int) -> int:
    """How many of a text's ``tokens`` (in order) the span from ``start`` to ``end`` holds."""
    return bisect.bisect_left(tokens, (end,)) - bisect.bisect_left(tokens, (start,))


def add_names_after_sentence_starts(model: NameModel, texts: Sequence[str], found: Sequence[list[Hit]],
                                    tokens: Sequence[list[Token]] | None = None) -> list[list[Hit]]:
    """``found`` (the model's entities of each text) with the names that only the reading with sentence
    starts in lower case finds: not overlapping any found, of two words or more, or of one scoring
    :data:`SINGLE_WORD_SCORE`. Only the names starting straight after a lowered word are read again: the
    features of every other piece of text are the same in both readings. ``tokens``: each text's
    ``tokenize``, when the caller has them (the model's reading of the texts did): no text is tokenised twice."""
    variants = {t: v for t, text in enumerate(texts)
                if (v := lower_sentence_starts(text, model.lexicon, None if tokens is None else tokens[t])) is not None}
    if not variants:
        return [list(f) for f in found]
    again = dict(zip(variants, model.find([v for v, _, _ in variants.values()], [a for _, a, _ in variants.values()],
                                          [lowered for _, _, lowered in variants.values()])))
    result = []
    for t, entities in enumerate(found):
        added = [
            hit for hit in again.get(t, ())
            if hit[2] == "PERSON"
            and (hit[3] >= SINGLE_WORD_SCORE or _word_count(variants[t][2], hit[0], hit[1]) > 1)
            and not any(s < hit[1] and hit[0] < e for s, e, _, _ in entities)
        ]
        result.append(sorted([*entities, *added]))
    return result
