"""One case file's findings, as an inspection report quotes them: its notes in date order, each concern a reviewer
decided with the evidence behind it, the suggestions no one decided apart, and a summary per label.

A concern is what the other reports count (``Workspace.final_decisions``): a label whose final state is confirmed
or added. A rejected label is not shown. A label no reviewer took a side on (unsure), a dispute not yet adjudicated
and a model suggestion no reviewer decided are listed apart as suggested, not decided, never among the concerns:
a human decides. Evidence sentences are quoted only after the personal-data check the other reports' quotes pass
(:class:`report.QuoteCheck`: the sentence alone and in its note); a sentence it holds back is said to be held back,
and no other note text is part of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from . import __version__
from .dates import date_and_time
from .errors import CaseReviewError
from .escaping import TEXT_CELLS, write_spreadsheet_csv
from .notes import Note
from .report import (FORMATS, QUOTES_PER_LABEL, SCANNER, PersonalDataCheck, QuoteCheck, environment,
                     personal_data_check, provenance, quote_text, workspace_named)
from .taxonomy import LABELS, POSITIVE_STATES, Label
from .wording import agree, count, number
from .workspace import FinalDecision, Prediction, Workspace

#: The states of a label listed apart, suggested or marked but not decided.
NOT_REVIEWED, UNSURE, DISPUTED = "not reviewed", "unsure", "disputed"
NOT_CHECKED = "no personal-data check could be loaded"
#: What the report counts and quotes, in a reader's words (its Method section).
METHOD = ("A concern is a note's final decision, as the other reports read it (an adjudication wins over reviews): "
          "confirmed or added is a concern; a rejected label is not shown. A model suggestion no reviewer decided, a "
          "label marked unsure with no side taken and a dispute not yet adjudicated are listed apart, never counted: "
          "a human decides. A concern's evidence is the sentences of the suggestion it was decided on, else the "
          "current model's. A sentence is quoted only when the personal-data check finds nothing in it, read alone "
          "and read in its whole note; no other note text is printed.")
#: What the list of labels suggested, not decided, holds.
APART = ("The model's suggestions no reviewer has decided, and labels marked unsure or disputed: not findings until a "
         "reviewer decides them.")


@dataclass(frozen=True)
class NoteEntry:
    """What the report says of a note: where it stands in the case file, who wrote what kind of note; not its text."""

    note_id: str
    date: str | None
    time: str | None
    when: str | None  # date and time, as screens show it
    author_role: str | None
    note_type: str | None
    #: labels a reviewer took a side on (confirmed, added or rejected; not unsure, not an open dispute): none, the
    #: note was not reviewed, which its row says, not "–" as a note reviewed and found with no concern
    labels_decided: int = 0


@dataclass(frozen=True)
class EvidenceQuote:
    text: str | None  # the sentence as quoted; None: held back
    held_back: str | None = None  # why it is not quoted


@dataclass(frozen=True)
class Finding:
    label: Label
    note: NoteEntry
    state: str  # confirmed | added; apart: not reviewed | unsure | disputed
    reviewer: str | None  # who decided it (a dispute: each side); None: no one
    evidence: tuple[EvidenceQuote, ...]

    @property
    def note_id(self) -> str:
        return self.note.note_id

    @property
    def date(self) -> str | None:
        return self.note.date


@dataclass(frozen=True)
class LabelSummary:
    label: Label
    notes: int  # notes with the concern decided
    first: str | None  # the date of the first and of the last of them in date order (None: none dated)
    last: str | None
    undecided: int  # notes where it is suggested (or marked) but not decided
    first_time: str | None = None  # their times of day, where those notes have one
    last_time: str | None = None

    @property
    def first_when(self) -> str | None:
        """The first note's date, with its time where it has one, as the notes table shows it."""
        return date_and_time(self.first, self.first_time)

    @property
    def last_when(self) -> str | None:
        return date_and_time(self.last, self.last_time)

    def line(self) -> str:
        """'Risk not analysed: 4 notes, from 2024-03-04 09:30 to 2024-06-12.', and what is left to decide."""
        if not self.notes:
            return f"{self.label.title}: no note decided; suggested, not decided, in {count(self.undecided, 'note')}."
        text = f"{self.label.title}: {count(self.notes, 'note')}"
        if self.first is not None:
            first, last = self.first_when, self.last_when
            text += f", on {first}" if first == last else f", from {first} to {last}"
        if self.undecided:
            text += f"; suggested, not decided, in {count(self.undecided, 'more note')}"
        return text + "."


@dataclass
class CaseReport:
    case_id: str
    generated_at: str
    model_version: str | None
    reviewers: tuple[str, ...]  # whose decisions settle the case file's labels, or dispute them
    notes: list[NoteEntry]  # in date order
    findings: list[Finding]  # decided concerns, in date order
    undecided: list[Finding]  # suggested or marked, not decided: apart
    summaries: list[LabelSummary]
    quotes_checked: bool  # False: no personal-data check was available, so nothing is quoted
    workspace: str = ""  # the workspace folder, as home_shortened gives it
    workspace_id: str = ""  # its random id
    decision_log_position: int = 0  # the latest decision the report reads
    casereview_version: str = __version__
    labels: tuple[Label, ...] = field(default=LABELS)

    @property
    def provenance(self) -> str:
        return provenance(self.generated_at, self.casereview_version, self.model_version, self.workspace,
                          self.workspace_id, self.decision_log_position)

    def concerns_of(self, note_id: str) -> list[Finding]:
        return [f for f in self.findings if f.note_id == note_id]

    @staticmethod
    def without_concern(note: NoteEntry) -> str:
        """What a note's row says where no concern is decided on it: whether anyone read it. Every such row read "–",
        so a case file of which a sample read 2 notes read as 8 notes found with no concern."""
        if not note.labels_decided:
            return "not reviewed"
        if note.labels_decided == len(LABELS):
            return "no concern"
        return f"no concern ({note.labels_decided} of {len(LABELS)} labels decided)"

    @property
    def reviewed_line(self) -> str:
        """How many of the notes a reviewer decided a label on: '8 notes, 2 reviewed, 6 not reviewed'."""
        reviewed = sum(1 for n in self.notes if n.labels_decided)
        if reviewed == len(self.notes):
            return f"{count(reviewed, 'note')}, {agree(reviewed, 'reviewed', 'all reviewed')}"
        if not reviewed:
            return f"{count(len(self.notes), 'note')}, none reviewed yet"
        return (f"{count(len(self.notes), 'note')}, {number(reviewed)} reviewed, "
                f"{number(len(self.notes) - reviewed)} not reviewed")

    def summary_lines(self) -> list[str]:
        return [s.line() for s in self.summaries]


def build(workspace: Workspace, case_id: str, check: PersonalDataCheck | str | None = SCANNER) -> CaseReport:
    """The findings of case file ``case_id``, read from one state of the workspace (as the decision log position it
    names); ``check`` clears evidence sentences for quoting (None, or no loadable scanner: every quote is held
    back)."""
    with workspace.snapshot():
        return _build(workspace, case_id, check)


def _build(workspace: Workspace, case_id: str, check: PersonalDataCheck | str | None) -> CaseReport:
    notes = workspace.case_notes(case_id)
    if not notes:
        raise CaseReviewError(f"no case file {case_id!r} in this workspace (casereview status counts them; "
                              "casereview review --files lists them)")
    if check == SCANNER:
        check = personal_data_check()
    cleared = QuoteCheck(workspace, check) if check is not None else None
    final = workspace.final_decisions(case_id=case_id, evidence=True)
    sides = workspace.review_sides(case_id=case_id)  # every reviewer's side: a dispute's, and coders who agree
    entries, findings, undecided = [], [], []
    for note in notes:
        decided, suggested = final.get(note.note_id, {}), workspace.predictions(note.note_id)
        entry = NoteEntry(note.note_id, note.date, note.time, note.when, note.author_role, note.note_type,
                          sum(1 for d in decided.values() if not d.disputed and d.state != UNSURE))
        entries.append(entry)
        for label in LABELS:
            decision, prediction = decided.get(label.name), suggested.get(label.name)
            finding = _finding(label, note, entry, decision, prediction, sides.get((note.note_id, label.name)),
                               cleared)
            if finding is not None:
                (findings if finding.state in POSITIVE_STATES else undecided).append(finding)
    reviewers = {d.reviewer for labels in final.values() for d in labels.values()}
    reviewers |= {reviewer for (note_id, label), states in sides.items() for reviewer, state in states.items()
                  if final[note_id][label].disputed or _same_side(state, final[note_id][label].state)}
    return CaseReport(
        case_id=case_id, generated_at=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        model_version=workspace.current_model_version(), reviewers=tuple(sorted(reviewers)), notes=entries,
        findings=findings, undecided=undecided, summaries=_summaries(findings, undecided),
        quotes_checked=check is not None, **workspace_named(workspace),
        # read in the same snapshot as the findings: the decisions reported are those up to it
        decision_log_position=workspace.decision_log_position(),
    )


def _finding(label: Label, note: Note, entry: NoteEntry, decision: FinalDecision | None,
             prediction: Prediction | None, sides: dict[str, str] | None,
             check: QuoteCheck | None) -> Finding | None:
    """The label on the note as the report lists it: decided, apart, or (rejected, or neither suggested nor
    decided) None."""
    suggested = prediction is not None and prediction.suggested
    if decision is None:
        if not suggested:
            return None
        state, reviewer = NOT_REVIEWED, None
    elif decision.disputed:
        state, reviewer = DISPUTED, ", ".join(f"{name} {side}" for name, side in sorted((sides or {}).items()))
    elif decision.state in POSITIVE_STATES or decision.state == UNSURE:
        state, reviewer = decision.state, decision.reviewer
        if _same_side((sides or {}).get(reviewer), state):  # a review, not an adjudication: name every coder of it
            reviewer = ", ".join(sorted(name for name, side in sides.items() if _same_side(side, state)))
    else:
        return None  # rejected: no concern
    # the evidence the decision was made on; else the current model's, where it suggests the label (an import's
    # labels were decided on no suggestion)
    spans = (decision.evidence if decision is not None else []) or (prediction.evidence if suggested else [])
    return Finding(label, entry, state, reviewer or None, _quotes(spans, note, check))


def _same_side(state: str | None, final: str) -> bool:
    """Whether a reviewer's ``state`` takes the side of the ``final`` state: confirmed and added both a concern."""
    return state is not None and (state == final or state in POSITIVE_STATES and final in POSITIVE_STATES)


def _quotes(spans: list[dict], note: Note, check: QuoteCheck | None) -> tuple[EvidenceQuote, ...]:
    quotes: list[EvidenceQuote] = []
    seen: set[str] = set()
    for span in spans:
        text = quote_text(span)
        if not text or text in seen:
            continue
        seen.add(text)
        reason = NOT_CHECKED if check is None else check.held_back(note, span)
        quotes.append(EvidenceQuote(None, reason) if reason else EvidenceQuote(text))
        if len(quotes) == QUOTES_PER_LABEL:
            break
    return tuple(quotes)


def _summaries(findings: list[Finding], undecided: list[Finding]) -> list[LabelSummary]:
    """Per label: its notes, and the first and last of them in the case file's date order (the findings' order: by
    date and time, a day's untimed notes after its timed ones), each with its time where it has one."""
    out = []
    for label in LABELS:
        dated = [f.note for f in findings if f.label == label and f.date]
        notes = len({f.note_id for f in findings if f.label == label})
        apart = len({f.note_id for f in undecided if f.label == label})
        if notes or apart:
            first, last = (dated[0], dated[-1]) if dated else (None, None)
            out.append(LabelSummary(label, notes, first and first.date, last and last.date, apart,
                                    first and first.time, last and last.time))
    return out


# -- rendering -----------------------------------------------------------------
CSV_COLUMNS = ("section", "note_id", "date", "time", "author_role", "note_type", "label", "state", "reviewer",
               "quote", "held_back", "notes", "first_date", "first_time", "last_date", "last_time", "not_decided", "measure",
               "value", "labels_decided")


def csv_rows(data: CaseReport) -> list[dict[str, Any]]:
    """The report as rows: each note in date order, each concern's quotes, the suggestions apart, the summary."""
    def note_fields(note: NoteEntry) -> dict[str, Any]:
        return {"note_id": note.note_id, "date": note.date or "", "time": note.time or "",
                "author_role": note.author_role or "", "note_type": note.note_type or ""}

    rows = [{"section": "note", **note_fields(n), "labels_decided": n.labels_decided} for n in data.notes]
    for section, findings in (("concern", data.findings), ("suggested_not_decided", data.undecided)):
        for f in findings:
            base = {"section": section, **note_fields(f.note), "label": f.label.name, "state": f.state,
                    "reviewer": f.reviewer or ""}
            rows += [{**base, "quote": q.text or "", "held_back": q.held_back or ""} for q in f.evidence] or [base]
    rows += [{"section": "summary", "label": s.label.name, "notes": s.notes, "first_date": s.first or "",
              "first_time": s.first_time or "", "last_date": s.last or "", "last_time": s.last_time or "",
              "not_decided": s.undecided} for s in data.summaries]
    parameters = {"case_id": data.case_id, "generated_at": data.generated_at, "model_version": data.model_version or "",
                  "reviewers": "; ".join(data.reviewers), "casereview_version": data.casereview_version,
                  "workspace": data.workspace, "workspace_id": data.workspace_id,
                  "decision_log_position": data.decision_log_position, "text_cells": TEXT_CELLS}
    rows += [{"section": "parameters", "measure": key, "value": value} for key, value in parameters.items()]
    return rows


def render(data: CaseReport, fmt: str, out: IO[str]) -> None:
    """Write the case file report in ``fmt`` (html | md | csv) to ``out``."""
    if fmt not in FORMATS:
        raise CaseReviewError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "csv":
        write_spreadsheet_csv(out, CSV_COLUMNS, csv_rows(data))  # quotes, ids, reviewers: text, never formulas
        return
    out.write(environment().get_template(f"case_report.{fmt}").render({"r": data, "method": METHOD, "apart": APART}))
