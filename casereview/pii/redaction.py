"""Redaction: each entity becomes ``[LABEL]``; evidence offsets follow the text."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from .scanner import Entity


def placeholder(label: str) -> str:
    return f"[{label}]"


def redact_text(text: str, entities: Sequence[Entity]) -> str:
    """``text`` with every (non-overlapping) entity replaced by its placeholder."""
    out, pos = [], 0
    for e in sorted(entities, key=lambda e: e.start):
        out.append(text[pos : e.start])
        out.append(placeholder(e.label))
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


class OffsetMap:
    """Maps character offsets of the original text to the redacted text."""

    def __init__(self, entities: Sequence[Entity]):
        self.changes = [(e.start, e.end, len(placeholder(e.label))) for e in sorted(entities, key=lambda e: e.start)]

    def start(self, offset: int) -> int:
        """A span start: inside an entity it moves to the placeholder's start."""
        shift = 0
        for s, e, width in self.changes:
            if offset < e and offset >= s:
                return s + shift
            if offset < s:
                break
            shift += width - (e - s)
        return offset + shift

    def end(self, offset: int) -> int:
        """A span end: inside an entity it moves to the placeholder's end."""
        shift = 0
        for s, e, width in self.changes:
            if s < offset <= e:
                return s + shift + width
            if offset <= s:
                break
            shift += width - (e - s)
        return offset + shift

    def new_entities(self, entities: Sequence[Entity]) -> list[Entity]:
        """The entities as spans of their placeholders in the redacted text."""
        return [Entity(self.start(e.start), self.end(e.end), e.label, e.score) for e in entities]


def _remap_span(span: dict, offsets: OffsetMap, new_text: str) -> dict:
    span = dict(span)
    span["start"], span["end"] = offsets.start(span["start"]), offsets.end(span["end"])
    if "text" in span:
        span["text"] = new_text[span["start"] : span["end"]]
    return span


def redact_record(record: dict[str, Any], entities: Sequence[Entity]) -> dict[str, Any]:
    """A note record with its text redacted and any ``evidence`` spans moved with it."""
    record = copy.deepcopy(record)
    text = record["text"]
    new_text = redact_text(text, entities)
    offsets = OffsetMap(entities)
    record["text"] = new_text
    if "evidence" in record:
        record["evidence"] = map_spans(record["evidence"], offsets, new_text)
    return record


#: What of a span (:func:`is_span`) follows the text's redaction: its offsets and the text they quote.
SPAN_KEYS = frozenset({"start", "end", "text"})


def is_span(value: Any) -> bool:
    """Whether ``value`` is a span of a note's text, ``{"start", "end"}`` (a ``text`` beside them or not)."""
    return isinstance(value, dict) and isinstance(value.get("start"), int) and isinstance(value.get("end"), int)


def map_spans(evidence: Any, offsets: OffsetMap, new_text: str) -> Any:
    """Every ``{"start", "end"}`` span inside ``evidence`` (dicts and lists, any depth), moved."""
    if isinstance(evidence, dict):
        if is_span(evidence):
            return _remap_span(evidence, offsets, new_text)
        return {k: map_spans(v, offsets, new_text) for k, v in evidence.items()}
    if isinstance(evidence, list):
        return [map_spans(v, offsets, new_text) for v in evidence]
    return evidence
