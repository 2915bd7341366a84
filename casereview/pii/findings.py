"""Personal-data findings in the workspace: scanning at import, the export check, and reviewers' resolutions.

The workspace stores where a finding is and its type, never the value. A finding is
resolved as a ``false_alarm`` (logged, the text kept) or ``redacted`` (the value is
replaced by ``[LABEL]`` in the note, its history and its evidence).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from ..errors import CaseReviewError
from ..notes import Note
from ..workspace import PiiFinding, Workspace
from .redaction import OffsetMap, map_spans, placeholder, redact_text
from .scanner import Entity, Scanner, load_scanner

__all__ = ["PersonalDataError", "check_exportable", "load_scanner", "note_findings", "record_scans",
           "redact_note", "resolve_finding", "scan_for_import", "scan_workspace"]

RESOLUTIONS = ("false_alarm", "redacted")
#: How many note ids an export refusal names.
SHOWN_IDS = 10


class PersonalDataError(CaseReviewError):
    """Notes with unresolved personal-data findings would leave the workspace."""

    def __init__(self, note_ids: Sequence[str], what: str):
        self.note_ids = list(note_ids)
        shown = ", ".join(self.note_ids[:SHOWN_IDS]) + (" ..." if len(self.note_ids) > SHOWN_IDS else "")
        super().__init__(
            f"{len(self.note_ids)} note(s) to {what} have unresolved personal-data findings ({shown}); "
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


def scan_for_import(
    notes: Sequence[Note], *, redact: bool = False, scanner: Scanner | None = None
) -> tuple[list[Note], list[list[Entity]]]:
    """The notes to store (redacted when ``redact``) and the findings of each, as offsets into them."""
    scanner = scanner or load_scanner()
    stored, findings = [], []
    for note, entities in zip(notes, scanner.scan_stream(n.text for n in notes)):
        if redact and entities:
            stored.append(redact_note(note, entities))
            findings.append(OffsetMap(entities).new_entities(entities))
        else:
            stored.append(note)
            findings.append(entities)
    return stored, findings


def record_scans(
    workspace: Workspace, notes: Sequence[Note], findings: Sequence[Sequence[Entity]], *,
    scanner_version: str, redacted_by: str | None = None,
) -> int:
    """Record each note's scan; with ``redacted_by`` the findings are logged as already redacted."""
    scans = [(n.note_id, n.content_hash, [(e.start, e.end, e.label, e.score) for e in f]) for n, f in zip(notes, findings)]
    return workspace.record_pii_scans(
        scans, scanner_version, resolution="redacted" if redacted_by else None, reviewer=redacted_by
    )


def scan_workspace(workspace: Workspace, scanner: Scanner | None = None) -> int:
    """Scan every note whose current version has not been scanned (older workspaces); returns notes scanned."""
    pending = set(workspace.pii_unscanned_note_ids())
    if not pending:
        return 0
    scanner = scanner or load_scanner()
    notes = [n for n in workspace.iter_notes() if n.note_id in pending]
    found = list(scanner.scan_stream(n.text for n in notes))
    record_scans(workspace, notes, found, scanner_version=scanner.version)
    return len(notes)


def check_exportable(workspace: Workspace, kind: str) -> None:
    """Raise :class:`PersonalDataError` if an export of ``kind`` would write a note with unresolved findings."""
    if kind not in ("notes", "labels"):
        return  # the decision log holds no note text
    scan_workspace(workspace)
    blocked = workspace.pii_note_ids_with_unresolved()
    if kind == "labels":
        blocked = [n for n in blocked if workspace.current_decisions(n)]
    if blocked:
        raise PersonalDataError(blocked, f"export as {kind}")


def note_findings(workspace: Workspace, note_id: str) -> list[PiiFinding]:
    """The findings on a note's current text, resolved or not (for the review UI)."""
    return workspace.pii_findings(note_id)


def resolve_finding(workspace: Workspace, finding_id: int, resolution: str, reviewer: str) -> PiiFinding:
    """Mark a finding as a false alarm (logged) or redact it from the note; returns it as it now stands."""
    if resolution not in RESOLUTIONS:
        raise CaseReviewError(f"unknown resolution {resolution!r}; choose from {', '.join(RESOLUTIONS)}")
    found = workspace.pii_findings(finding_id=finding_id)
    if not found:
        raise CaseReviewError(f"no current personal-data finding {finding_id}")
    finding = found[0]
    if finding.resolution == "redacted":
        raise CaseReviewError(f"finding {finding_id} is already redacted")
    if resolution == "false_alarm":
        workspace.resolve_pii_finding(finding_id, resolution, reviewer)
    else:
        _redact_finding(workspace, finding, reviewer)
    return workspace.pii_findings(finding_id=finding_id)[0]


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
