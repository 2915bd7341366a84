"""Personal-data findings in the workspace: scanning at import, the export check, and reviewers' resolutions.

The workspace stores where a finding is and its type, never the value. A finding is
resolved as a ``false_alarm`` (logged, the text kept) or ``redacted`` (the value is
replaced by ``[LABEL]`` in the note, its history and its evidence).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..errors import CaseReviewError, RedactionConflictError
from ..names import escaped
from ..notes import Note
from ..taxonomy import PII_TYPES
from ..wording import agree, count
from ..workspace import PiiFinding, SourceForms, Workspace
from .redaction import SPAN_KEYS, OffsetMap, is_span, map_spans, placeholder, redact_text
from .scanner import Entity, Scanner, load_scanner, shipped_scanner_version

__all__ = ["PersonalDataError", "CommentsWithPersonalDataError", "as_imported", "check_comments_exportable",
           "redacted_comments",
           "check_exportable", "check_redactions_kept", "ImportScan", "load_scanner",
           "note_findings", "record_scans", "redact_fields", "redact_for_sharing", "redact_note", "resolve_finding",
           "scan_for_import", "scan_workspace", "PendingScans", "ScanSummary"]

RESOLUTIONS = ("false_alarm", "redacted")
#: How many note ids an export refusal names.
SHOWN_IDS = 10


class PersonalDataError(CaseReviewError):
    """Notes with unresolved personal-data findings would leave the workspace."""

    def __init__(self, note_ids: Sequence[str], what: str):
        self.note_ids = list(note_ids)
        shown = ", ".join(self.note_ids[:SHOWN_IDS]) + (" ..." if len(self.note_ids) > SHOWN_IDS else "")
        super().__init__(
            f"{count(len(self.note_ids), 'note')} to {what} {agree(len(self.note_ids), 'has', 'have')} unresolved "
            f"personal-data findings ({shown}); "
            "resolve them in 'casereview review', import again with --redact, or pass --allow-pii"
        )


def redact_note(note: Note, entities: Sequence[Entity]) -> Note:
    """A copy of ``note`` with its text redacted and any evidence spans in its extra fields moved."""
    redacted = copy.deepcopy(note)
    offsets = OffsetMap(entities)
    redacted.text = redact_text(note.text, entities)
    if "evidence" in redacted.extra:
        redacted.extra["evidence"] = map_spans(redacted.extra["evidence"], offsets, redacted.text)
    return redacted


#: Fields that quote the note's text by offsets: their spans follow the text's redaction, not a scan of their own;
#: anything else in them (evidence given as text, a remark beside a span) is scanned as any field is.
TEXT_SPAN_FIELDS = frozenset({"evidence"})
#: Fields the tool itself reads (``team``: sampling strata and reports' breakdowns; ``origin``, ``split``,
#: ``hard_case``: a corpus's notes). Their values are names of places and teams ("Cardiff North"), which the
#: name recogniser reads as people's: they are scanned with the validated patterns only, so a phone number
#: or e-mail address in them is still redacted, and a team is still a team.
TOOL_FIELDS = frozenset({"team", "origin", "split", "hard_case"})
#: Words that name a field as a place when they end its name ("locality", "AreaOffice", "home_town"). Such a field's value read
#: alone, with no sentence around it, is a name to the recogniser ("Cardiff North", "Ely", "Splott" all
#: score as people's names, as high as "Jayden" does): it is read for addresses, schools and the patterns,
#: not for names of people. The codebook does not count a town or an area as personal data.
PLACE_FIELD_WORDS = frozenset(
    """locality locale area region district town city county borough ward location neighbourhood neighborhood
    village parish patch office hub base site authority council country""".split()
)
_FIELD_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def names_a_place(field: str) -> bool:
    """Whether a field's name says its value is a place: its last word (snake_case, camelCase, spaces) is in
    :data:`PLACE_FIELD_WORDS`. The last word says what the value is: "area_manager" holds a person."""
    words = _FIELD_WORD.findall(field)
    return bool(words) and words[-1].lower() in PLACE_FIELD_WORDS


def _follows_the_text(container: Any, key: str, spans: bool) -> bool:
    """Whether ``container[key]`` is a span's offset or quoted text in a field of spans (``spans``): moved with the
    note's text (:func:`redact_note`), neither scanned nor replaced."""
    return spans and key in SPAN_KEYS and is_span(container)


def _values(value: Any, field: str, spans: bool = False) -> Iterator[tuple[str, str | int]]:
    """Every string and integer inside ``value`` (dicts and lists, any depth), in order, each with the name of
    the nearest field holding it; in a field of spans (``spans``), not their offsets and quoted text. Other numbers,
    booleans and nulls hold no personal data."""
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        yield field, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if not _follows_the_text(value, key, spans):
                yield from _values(item, str(key), spans)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item, field, spans)


def _replaced(value: Any, strings: Iterator[str], spans: bool = False) -> Any:
    """``value`` with its strings and integers taken in order from ``strings`` (an integer stays one unless
    redacted), as :func:`_values` gave them."""
    if isinstance(value, str):
        return next(strings)
    if isinstance(value, int) and not isinstance(value, bool):
        new = next(strings)
        return value if new == str(value) else new
    if isinstance(value, dict):
        return {k: v if _follows_the_text(value, k, spans) else _replaced(v, strings, spans) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, strings, spans) for v in value]
    return value


def _number_entities(digits: str) -> list[Entity]:
    """An integer's entities: its digits as they are, else as a phone number that lost its leading 0 or
    its + when written as a number (7700900123 is 07700 900123; 447700900123 is +44 7700 900123). Read without the
    note's date: digits alone follow no person, the one place a date of birth is judged by it."""
    for form in (digits, "0" + digits, "+" + digits):
        whole = [e for e in Scanner.scan_exact(form) if e.end - e.start == len(form)]
        if whole:
            return [Entity(0, len(digits), whole[0].label, whole[0].score)]
    return []


def redact_fields(notes: Sequence[Note], scanner: Scanner) -> tuple[list[Note], list[int]]:
    """The notes with the personal data in their other fields (a CMS export's "child_name" column) redacted
    too, and how many entities that replaced in each. Findings and their review cover a note's text only,
    so redaction is the one way such a value is not kept. Strings are scanned as note texts are, except in
    :data:`TOOL_FIELDS` (the patterns only) and in fields named as places (no names of people:
    :func:`names_a_place`); integers by the patterns, as digits and as a phone number."""
    def reading(top: str, field: str) -> str:
        return "patterns" if top in TOOL_FIELDS else "places" if names_a_place(field) else "all"

    values = [[(reading(k, field), value) for k, v in n.extra.items()
               for field, value in _values(v, k, k in TEXT_SPAN_FIELDS)] for n in notes]
    scanned = [(v, n.date) for n, fields in zip(notes, values) for how, v in fields
               if how != "patterns" and isinstance(v, str)]
    found = scanner.scan_stream((v for v, _ in scanned), dates=(date for _, date in scanned))

    def entities(value: str | int, how: str, date: str | None) -> list[Entity]:
        if not isinstance(value, str):
            return _number_entities(str(value))
        if how == "patterns":
            return scanner.scan_exact(value, date)
        return [e for e in next(found) if how == "all" or e.label != "PERSON"]

    redacted, counts = [], []
    for note, fields in zip(notes, values):
        strings = [(str(v), entities(v, how, note.date)) for how, v in fields]
        counts.append(sum(len(e) for _, e in strings))
        if counts[-1]:
            new = iter([redact_text(v, e) for v, e in strings])
            note = copy.deepcopy(note)
            note.extra = {k: _replaced(v, new, k in TEXT_SPAN_FIELDS) for k, v in note.extra.items()}
        redacted.append(note)
    return redacted, counts


def redact_for_sharing(notes: Iterable[Note], scanner: Scanner, batch_size: int = 256) -> Iterator[tuple[Note, int]]:
    """Each note with its personal data redacted, in its text (evidence following) and its other fields,
    and how many entities were replaced; in batches, in constant memory."""
    notes = iter(notes)
    while batch := list(itertools.islice(notes, batch_size)):
        entities = scanner.scan_many([n.text for n in batch], [n.date for n in batch])
        redacted, in_fields = redact_fields([redact_note(n, e) for n, e in zip(batch, entities)], scanner)
        yield from zip(redacted, (len(e) + k for e, k in zip(entities, in_fields)))


@dataclass(frozen=True)
class ImportScan:
    """What an import's scan found in one note, kept without the note (the import reads its file again to store
    it, :func:`as_imported`): the entities of its text, and, where ``--redact`` replaces values of its other fields
    (``fields_redacted`` of them), those fields as it stores them (None: as the file gives them)."""

    entities: tuple[Entity, ...] = ()
    extra: dict[str, Any] | None = None
    fields_redacted: int = 0


#: The scan of most notes: nothing found, one object shared by them all.
NOTHING_FOUND = ImportScan()


def scan_for_import(notes: Sequence[Note], scanner: Scanner | None = None) -> list[ImportScan]:
    """Each note's scan (:class:`ImportScan`): the entities of its text, and its other fields redacted."""
    scanner = scanner or load_scanner()
    found = list(scanner.scan_stream((n.text for n in notes), dates=(n.date for n in notes)))
    redacted, in_fields = redact_fields([redact_note(n, e) if e else n for n, e in zip(notes, found)], scanner)
    return [ImportScan(tuple(e), r.extra if k else None, k) if e or k else NOTHING_FOUND
            for e, r, k in zip(found, redacted, in_fields)]


def as_imported(note: Note, scan: ImportScan, *, redact: bool = False,
                plain: str | None = None) -> tuple[Note, list[Entity], SourceForms]:
    """A note of a file as an import stores it, given its scan: the note (redacted when ``redact``, its other fields
    too), the findings of its text, as offsets into it, and its forms: its hash as the file gives it (``plain``, if
    the caller has it) and as ``--redact`` stores it, so that the same file imports again as unchanged whichever
    form the workspace holds."""
    redacted = redact_note(note, scan.entities) if scan.entities else note
    if scan.extra is not None:
        redacted = replace(redacted, extra=scan.extra)
    plain = note.content_hash if plain is None else plain
    forms = SourceForms(plain, plain if redacted is note else redacted.content_hash, scan.fields_redacted)
    if not redact:
        return note, list(scan.entities), forms
    return redacted, OffsetMap(scan.entities).new_entities(scan.entities), forms


def record_scans(
    workspace: Workspace, notes: Sequence[Note], findings: Sequence[Sequence[Entity]], *,
    scanner_version: str, redacted_by: str | None = None, digests: Sequence[str] | None = None,
) -> int:
    """Record each note's scan (``digests``: the notes' content hashes, if the caller has them); with ``redacted_by``
    the findings are logged as already redacted."""
    return workspace.record_pii_scans(
        _scan_rows(notes, findings, digests), scanner_version, resolution="redacted" if redacted_by else None,
        reviewer=redacted_by,
    )


def _scan_rows(notes: Sequence[Note], findings: Sequence[Sequence[Entity]],
               digests: Sequence[str] | None = None) -> list[tuple[str, str, list]]:
    """Scans as the workspace stores them: (note id, content hash, [(start, end, label, score)])."""
    digests = [n.content_hash for n in notes] if digests is None else digests
    return [(n.note_id, digest, [(e.start, e.end, e.label, e.score) for e in f])
            for n, f, digest in zip(notes, findings, digests)]


def check_redactions_kept(
    workspace: Workspace, notes: Sequence[Note], places: Sequence[tuple[str, int]], *, redact: bool,
    forms: Sequence[SourceForms] | None = None, plain: Sequence[Note] | None = None,
) -> None:
    """Refuse an import that would bring back personal data redacted in the workspace; in its transaction.

    A note that is the one imported before its redaction, in either of its ``forms`` (as the file gives it,
    as ``--redact`` stores it), is left to :meth:`Workspace.import_notes` (a no-op); so is one whose imported
    form is unknown (redacted before schema 6) and which, as the file gives it (``plain``: ``notes`` unless
    ``redact``), redacts to the stored note: its form is then recorded as the one imported.
    Any other version of a redacted note is refused, :class:`RedactionConflictError` at its
    ``places`` entry (file, line), unless the import redacts (``redact``): the workspace keeps where a
    finding was and its type, never the value, so it cannot tell whether changed text still holds the
    redacted value, nor where; redacting by position in changed text could miss it.
    """
    for note, (source, line), form, original in zip(notes, places, forms or [None] * len(notes), plain or notes):
        stored = workspace.stored_version(note.note_id)
        if stored is None or not stored.redacted or stored.is_from(note.content_hash):
            continue
        if stored.imported_hash is None and _redacts_to(original, workspace):
            workspace.set_imported_hash(note.note_id, original.content_hash)  # the form imported: now known
            continue
        if stored.is_from(note.content_hash, form):
            continue
        if not redact:
            raise RedactionConflictError(
                source, line, "text",
                f"note {note.note_id!r} differs from the note imported, and personal data in it was redacted "
                "in the workspace: importing this row would bring that back; nothing of the file was imported "
                "(to store this version, import the file with --update --redact)",
            )


def _redacts_to(note: Note, workspace: Workspace) -> bool:
    """Whether ``note``, redacted where the stored note has redactions, is the stored note (every field): its
    text where the stored text has redacted findings, its other fields where the stored ones have placeholders
    (no finding records those)."""
    stored = workspace.get_note(note.note_id)
    redacted = sorted((f for f in workspace.pii_findings(note.note_id) if f.resolution == "redacted"),
                      key=lambda f: f.start)
    entities = _values_between(note.text, stored.text, [(f.start, f.end) for f in redacted])
    if entities is None:
        return False
    entities = [Entity(start, end, f.label, f.score) for (start, end), f in zip(entities, redacted)]
    redacted_note = redact_note(note, entities)
    redacted_note.extra = {k: v if k in TEXT_SPAN_FIELDS or k not in stored.extra else _as_stored(v, stored.extra[k], k)
                           for k, v in redacted_note.extra.items()}
    return redacted_note.content_hash == stored.content_hash


_PLACEHOLDER = re.compile("|".join(re.escape(placeholder(label)) for label in PII_TYPES))


def _as_stored(value: Any, stored: Any, field: str) -> Any:
    """``value`` (a field of a file's note) with each string or integer replaced by the stored one where that
    is it with parts replaced by placeholders (``--redact`` of the field); unchanged where the two differ in
    shape or elsewhere, so that the note is then not the stored one."""
    mine, theirs = [v for _, v in _values(value, field)], [v for _, v in _values(stored, field)]
    if len(mine) != len(theirs):
        return value

    def stands_for(text: str, held: Any) -> bool:
        spans = [m.span() for m in _PLACEHOLDER.finditer(held)] if isinstance(held, str) else []
        return bool(spans) and _values_between(text, held, spans) is not None

    return _replaced(value, iter(held if stands_for(str(v), held) else str(v) for v, held in zip(mine, theirs)))


def _values_between(text: str, stored: str, placeholders: Sequence[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """Spans of ``text`` that stand where ``stored`` has ``placeholders``, the rest of both alike; None if the
    rest differs. Each value ends at the first occurrence of the text after it (linear, no backtracking):
    a rarer match found otherwise is missed, and the note is then refused, never wrongly kept."""
    ends = [start for start, _ in placeholders] + [len(stored)]
    literals = [stored[a:b] for a, b in zip([0] + [end for _, end in placeholders], ends)]
    if not text.startswith(literals[0]):
        return None
    spans, pos = [], len(literals[0])
    for i, literal in enumerate(literals[1:], 1):
        last = i == len(literals) - 1
        end = len(text) - len(literal) if last else text.find(literal, pos + 1)
        if end <= pos or (last and not text.endswith(literal)):
            return None
        spans.append((pos, end))
        pos = end + len(literal)
    return spans if pos == len(text) else None


@dataclass(frozen=True)
class PendingScans:
    """Notes about to be scanned by ``scanner``: never scanned, or last scanned by another scanner version."""

    scanner: str
    unscanned: int
    by_others: dict[str, int]  # scanner version of the last scan -> notes

    @property
    def again(self) -> int:
        return sum(self.by_others.values())

    def describe(self) -> list[str]:
        """Which notes are about to be scanned and why, a line for each reason (for people: no note text)."""
        lines = []
        if self.unscanned:
            lines.append(f"Scanning {count(self.unscanned, 'note')} for personal data: never scanned")
        if self.again:
            lines.append(f"Scanning {count(self.again, 'note')} again for personal data: last scanned by another "
                         f"scanner version ({', '.join(self.by_others)}), not this one ({self.scanner}); "
                         "about 15 s for 10,000 notes")
        return lines


@dataclass(frozen=True)
class ScanSummary:
    notes: int = 0  # notes scanned
    added: int = 0  # findings recorded, unresolved
    superseded: int = 0  # earlier findings, unresolved or false alarms, that the scan no longer found

    def describe(self) -> str:
        return (f"{count(self.notes, 'note')} scanned: {count(self.added, 'new finding')} to resolve; "
                f"{count(self.superseded, 'earlier finding')} no longer found")


def scan_workspace(
    workspace: Workspace, scanner: Scanner | None = None, *, starting: Callable[[PendingScans], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False, processes: int = 0,
) -> ScanSummary:
    """Scan every note whose current version has not been scanned (older workspaces) or was last scanned by another
    scanner version (a new recogniser or rules: :meth:`Workspace.rescan_pii` keeps what reviewers resolved);
    ``starting`` is told what is about to be scanned, if anything (~15 s for 10,000 notes). Once ``cancelled()``
    is true (asked after each note scanned), nothing is recorded and the summary is empty: a scan in the
    background stops with its app. ``processes``: scanned here (0) or in that many forked workers
    (:meth:`Scanner.scan_in_processes`). The shipped scanner is loaded only if a note needs it."""
    version = scanner.version if scanner is not None else shipped_scanner_version()
    unscanned = set(workspace.pii_unscanned_note_ids())
    by_others = workspace.pii_scanned_by_others(version)
    if not unscanned and not by_others:
        return ScanSummary()
    scanner = scanner or load_scanner()
    if starting is not None:
        starting(PendingScans(scanner.version, len(unscanned), dict(Counter(by_others.values()))))
    notes = [n for n in workspace.iter_notes() if n.note_id in unscanned or n.note_id in by_others]
    found = []
    texts, dates = (n.text for n in notes), (n.date for n in notes)  # a note's date tells events' dates from births'
    for entities in scanner.scan_in_processes(texts, processes, dates=dates) if processes \
            else scanner.scan_stream(texts, dates=dates):
        if cancelled():
            return ScanSummary()
        found.append(entities)

    def of(ids: Iterable[str]) -> tuple[list[Note], list[list[Entity]]]:
        chosen = [i for i, n in enumerate(notes) if n.note_id in ids]
        return [notes[i] for i in chosen], [found[i] for i in chosen]

    with workspace.transaction():
        added = record_scans(workspace, *of(unscanned), scanner_version=scanner.version)
        again, superseded = workspace.rescan_pii(_scan_rows(*of(by_others)), scanner.version)
    return ScanSummary(len(notes), added + again, superseded)


class CommentsWithPersonalDataError(PersonalDataError):
    """Reviewers' comments the scanner finds personal data in would leave the workspace."""

    def __init__(self, found: Sequence[tuple[int, str, Sequence[str]]]):
        self.comment_ids = [comment_id for comment_id, _, _ in found]
        self.note_ids = list(dict.fromkeys(note_id for _, note_id, _ in found))
        # by its note too: a comment's id alone is found by no command
        shown = ", ".join(f"{comment_id} on note {escaped(note_id)}" for comment_id, note_id, _ in found[:SHOWN_IDS]) \
            + (" ..." if len(found) > SHOWN_IDS else "")
        types = ", ".join(sorted({label for _, _, labels in found for label in labels}))
        CaseReviewError.__init__(
            self, f"{count(len(found), 'comment')} to export {agree(len(found), 'holds', 'hold')} personal data the "
                  f"scanner finds ({'comment' if len(found) == 1 else 'comments'} {shown}: {types}); a comment is a "
                  "reviewer's free text, with no findings to resolve: read them (casereview review shows a note's), "
                  "then pass --allow-pii to export them as typed")


def check_comments_exportable(workspace: Workspace, scanner: Scanner | None = None) -> None:
    """Raise :class:`CommentsWithPersonalDataError` if the scanner finds personal data in a reviewer's comment (the
    shipped scanner is loaded only if there is a comment)."""
    found = [(c["id"], c["note_id"], sorted({e.label for e in entities}))
             for c, entities in scanned_comments(workspace, scanner) if entities]
    if found:
        raise CommentsWithPersonalDataError(found)


def scanned_comments(workspace: Workspace, scanner: Scanner | None = None) -> Iterator[tuple[dict, list[Entity]]]:
    """Every reviewer's comment (``Workspace.iter_comments``) with what the scanner finds in its text (the shipped
    scanner loaded only if there is a comment): what the export check refuses, and ``export comments --redact``
    replaces."""
    comments = workspace.iter_comments()
    first = next(comments, None)
    if first is None:
        return
    scanner = scanner or load_scanner()
    # read once, a page at a time: the scanner reads a batch of texts ahead of the comments they are matched with
    comments, texts = itertools.tee(itertools.chain([first], comments))
    yield from zip(comments, scanner.scan_stream(c["comment"] for c in texts))


def redacted_comments(workspace: Workspace, redacted: Callable[[], None] = lambda: None,
                      scanner: Scanner | None = None) -> Iterator[dict]:
    """Every comment as ``export comments`` writes it, each personal-data entity the scanner finds in its text
    replaced by ``[LABEL]`` (``redacted`` told of each comment changed)."""
    for comment, entities in scanned_comments(workspace, scanner):
        if entities:
            redacted()
            comment = {**comment, "comment": redact_text(comment["comment"], entities)}
        yield comment


def check_exportable(workspace: Workspace, kind: str, *, starting: Callable[[PendingScans], None] | None = None) -> None:
    """Raise :class:`PersonalDataError` if an export of ``kind`` would write a note with unresolved findings
    (notes not scanned by the current scanner are scanned first: ``starting`` as for :func:`scan_workspace`), or
    a reviewer's comment holding personal data (:func:`check_comments_exportable`)."""
    if kind == "comments":
        return check_comments_exportable(workspace)
    if kind not in ("notes", "labels"):
        return  # the decision log holds no note text
    scan_workspace(workspace, starting=starting)
    blocked = workspace.pii_note_ids_with_unresolved()
    if kind == "labels":
        blocked = [n for n in blocked if workspace.final_decisions(n)]  # the notes a labels export writes
    if blocked:
        raise PersonalDataError(blocked, f"export as {kind}")


def note_findings(workspace: Workspace, note_id: str) -> list[PiiFinding]:
    """The findings on a note's current text, resolved or not (for the review UI)."""
    return workspace.pii_findings(note_id)


def resolve_finding(workspace: Workspace, finding_id: int, resolution: str, reviewer: str) -> tuple[PiiFinding, bool]:
    """Mark a finding as a false alarm (logged) or redact it from the note.

    Returns the finding as it now stands and whether anything was recorded: a finding already
    resolved as asked is left as it is (the log keeps who resolved it first, not a duplicate).
    """
    if resolution not in RESOLUTIONS:
        raise CaseReviewError(f"unknown resolution {resolution!r}; choose from {', '.join(RESOLUTIONS)}")
    found = workspace.pii_findings(finding_id=finding_id)
    if not found:
        raise CaseReviewError(f"no current personal-data finding {finding_id}")
    finding = found[0]
    if finding.resolution == resolution:
        return finding, False
    if finding.resolution == "redacted":
        raise CaseReviewError(f"finding {finding_id} is already redacted")
    if resolution == "false_alarm":
        workspace.resolve_pii_finding(finding_id, resolution, reviewer)
    else:
        _redact_finding(workspace, finding, reviewer)
    return workspace.pii_findings(finding_id=finding_id)[0], True


def _redact_finding(workspace: Workspace, finding: PiiFinding, reviewer: str) -> None:
    note = workspace.get_note(finding.note_id)
    entity = Entity(finding.start, finding.end, finding.label, finding.score)
    offsets = OffsetMap([entity])
    redacted = redact_note(note, [entity])
    moved = [(f.id, offsets.start(f.start), offsets.end(f.end)) for f in workspace.pii_findings(note.note_id)]
    evidence = [(version, label, map_spans(spans, offsets, redacted.text))
                for version, label, spans in workspace.prediction_evidence(note.note_id)]
    workspace.redact_note_span(
        finding.id, reviewer, value=note.text[finding.start : finding.end], placeholder=placeholder(finding.label),
        text=redacted.text, extra=redacted.extra, content_hash=redacted.content_hash,
        moved_findings=moved, evidence=evidence,
    )
