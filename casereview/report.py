"""Concern reports for an audit or the whole workspace: figures, then Markdown, CSV or one HTML file.

What a rate counts: a note's final decision on a label (an adjudication wins
over reviews); confirmed or added is a concern, rejected is not, unsure,
unreviewed and disputed (coders disagree, not yet adjudicated) are left out.
'Unsure' takes no side (``Workspace.final_decisions``): a label one coder decided and
another marked unsure counts as decided, whoever saved last. A case file shows a concern when any of its decided
notes does. Rates are weighted by the audit's sampling weights (Hajek: the
weighted share, so a sample that over-read flagged notes still estimates the
population's rate), with 95% Wilson intervals on the effective sample size
(Kish: (sum w)^2 / sum w^2); without an audit every weight is 1 and the rate
is plainly k of n.

Evidence sentences are quoted only after a personal-data check: by default
:func:`personal_data_check`, the scanner of ``casereview.pii``.
"""

from __future__ import annotations

import datetime as dt
import math
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import jinja2

from . import __version__, charts, sampling
from .adjudication import ADJUDICATE_ALL_COMMAND, ADJUDICATE_COMMAND
from .agreement import FEW_UNITS, AgreementReport, audit_agreement, too_few_units
from .dates import date_and_time
from .errors import CaseReviewError, ModelError
from .escaping import TEXT_CELLS, markdown_code_lines, markdown_text, visible_controls, write_spreadsheet_csv
from .files import home_shortened
from .taxonomy import BY_NAME, LABELS, POSITIVE_STATES, Label, value_words
from .wording import WORKSPACE_DISPUTES, agree, count, found_in, number, of_the, opening, percent, percent_range
from .notes import Note
from .workspace import NoteFacts, Workspace

FORMATS = ("html", "md", "csv")
Z95 = 1.959963984540054
QUOTES_PER_LABEL = 3
QUOTE_MAX_CHARS = 300
#: Why a sentence is not quoted, when the personal-data check finds something in it (alone, or in its note).
PERSONAL_DATA_FOUND = "the personal-data check found personal data in it"
TOP_CASES = 15
#: Note fields a report breaks rates down by, where the notes have them.
BREAKDOWNS = (("month", "Month"), ("team", "Team"), ("author_role", "Author role"))
BREAKDOWN_NOUNS = {"month": "month", "team": "team", "author_role": "author role"}

#: A check for personal data in a sentence, given its note's date (ISO, or None): True when it holds any (the
#: sentence is then not quoted). The date tells an event's date after a parent from a date of birth, as it does when
#: the scanner reads the whole note.
PersonalDataCheck = Callable[[str, str | None], bool]
#: ``build``'s default check: the personal-data scanner, when one can be loaded.
SCANNER = "scanner"


def personal_data_check() -> PersonalDataCheck | None:
    """The check that clears evidence sentences for quoting: the scanner of ``casereview.pii``.

    None when the scanner cannot be loaded (no personal-data model shipped or
    pinned yet): reports then withhold every quote and say why, because an
    unchecked sentence is never quoted.
    """
    try:
        from .pii import load_scanner

        scanner = load_scanner()
    except (ImportError, ModelError):
        return None
    return ScannerCheck(scanner)


@dataclass(frozen=True)
class ScannerCheck:
    """The personal-data scanner as the reports' check: called, it reads a sentence alone (a
    :data:`PersonalDataCheck`); :meth:`flagged` is where it finds something in a whole note."""

    scanner: Any  # a pii.Scanner, imported only when a report quotes

    def __call__(self, text: str, date: str | None) -> bool:
        return bool(self.scanner.scan(text, date))

    def flagged(self, text: str, date: str | None) -> list[tuple[int, int]]:
        return [(e.start, e.end) for e in self.scanner.scan(text, date)]


def provenance(generated_at: str, casereview_version: str, model_version: str | None, workspace: str,
               workspace_id: str, decision_log_position: int) -> str:
    """Where a report's figures come from, as its first line says it: when, by what, from which model, workspace and
    state of its decision log (two reports of one workspace with the same position are of the same decisions)."""
    return (f"Generated {generated_at} by casereview {casereview_version} · model {model_version or 'none'} · "
            f"workspace {workspace}, id {workspace_id[:WORKSPACE_ID_SHOWN]} (decision log to #{decision_log_position})")


#: How much of a workspace's id a report shows: enough to tell its copies apart (a backup, a coder's own).
WORKSPACE_ID_SHOWN = 8


def workspace_named(workspace: Workspace) -> dict[str, str]:
    """A report's fields naming its workspace: the folder (under the home folder from ``~``) and its id."""
    return {"workspace": home_shortened(workspace.path), "workspace_id": workspace.workspace_id}


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``p`` observed on ``n`` (possibly effective) units."""
    if n <= 0:
        return (0.0, 1.0)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Rate:
    positives: int  # units with the concern (unweighted)
    decided: int  # units with a decision
    estimate: float | None  # weighted share
    low: float | None
    high: float | None

    @classmethod
    def of(cls, outcomes: list[tuple[bool, float]]) -> "Rate":
        """From (has the concern, weight) per decided unit."""
        if not outcomes:
            return cls(0, 0, None, None, None)
        positives, total, squares, positive_weight = 0, 0.0, 0.0, 0.0
        for has_concern, weight in outcomes:  # one pass: a whole-workspace report makes millions
            total += weight
            squares += weight * weight
            if has_concern:
                positives += 1
                positive_weight += weight
        estimate = positive_weight / total
        low, high = wilson(estimate, total * total / squares)
        return cls(positives, len(outcomes), estimate, low, high)


@dataclass(frozen=True)
class LabelRates:
    label: Label
    cases: Rate
    notes: Rate
    # The model's share on the rate's own units, for comparison: the scored notes decided on the label, and the case
    # files with one (the model suggests it on one of those notes). Over every scored note, a whole workspace's share
    # counted the notes no one read beside a rate of the ones read.
    suggested: Rate
    suggested_cases: Rate
    suggested_all_scored: Rate  # every scored note, read or not: what the model flags in the whole (the CSV's)
    suggested_cases_all_scored: Rate


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    notes_read: int
    concern_notes: dict[str, int]  # label -> notes with the concern

    @property
    def labels_with_concern(self) -> int:
        return sum(1 for v in self.concern_notes.values() if v)


@dataclass(frozen=True)
class Quote:
    label: Label
    note_id: str
    case_id: str | None
    date: str | None
    text: str
    time: str | None = None  # the note's time of day, where it has one

    @property
    def when(self) -> str | None:
        """The note's date, with its time where it has one, as the case report and the screens show it."""
        return date_and_time(self.date, self.time)


@dataclass(frozen=True)
class BreakdownRow:
    """A row of a breakdown table (by month, team or author role): a group's note rates, or, where no note of it is
    decided, how many notes it has. The groups with no decided note are one row after the others, naming them: teams
    or author roles, ``east, west``, and by month each run of consecutive months with no decided note (months with no
    note at all among them), ``2022-04, 2025-07 to 2025-12``: a service of forty teams, or years of notes, and one
    audit's decisions read as a few rows, not a page of empty ones (an audit of 40 notes by label showed 11 runs of
    months it drew nothing from between the 22 months it did)."""

    group: str
    rates: list[Rate] | None  # None: no decided note in the group
    notes: int
    groups: int = 1  # how many groups (months, teams, roles) the row stands for
    drawn: bool = False  # an audit's notes: a month with none is one the sample drew none of, not one without notes
    noun: str = "month"  # what a group is, for a row of several

    @property
    def undecided(self) -> str:
        """What a row with no decided note says in place of its rates."""
        within = f" in {count(self.groups, self.noun)}" if self.groups > 1 else ""
        if self.notes:
            return f"no decided notes{within} ({count(self.notes, 'note')})"
        return f"no notes drawn{within}" if self.drawn else f"no notes{within}"


def _month_rows(rows: list[BreakdownRow], drawn: bool) -> list[BreakdownRow]:
    """The months from the first to the last with notes, each run of consecutive months with no decided note (or
    no note; ``drawn``: no note drawn into the audit) made one row."""
    if not rows:
        return rows
    by_month = {row.group: row for row in rows}
    out: list[BreakdownRow] = []
    run: list[BreakdownRow] = []

    def close_run() -> None:
        if run:
            group = run[0].group if len(run) == 1 else f"{run[0].group} to {run[-1].group}"
            out.append(BreakdownRow(group, None, sum(row.notes for row in run), len(run), drawn))
            run.clear()

    for index in range(charts.month_number(rows[0].group), charts.month_number(rows[-1].group) + 1):
        month = charts.month_named(index)
        row = by_month.get(month, BreakdownRow(month, None, 0))
        if row.rates is None:
            run.append(row)
        else:
            close_run()
            out.append(row)
    close_run()
    return out


def _undecided_last(rows: list[BreakdownRow], noun: str) -> list[BreakdownRow]:
    """A table's rows: those with decided notes, then the groups with none (teams, roles, runs of months) as one row
    naming them."""
    decided = [row for row in rows if row.rates is not None]
    if len(undecided := [row for row in rows if row.rates is None]) < 2:
        return decided + undecided
    return decided + [BreakdownRow(", ".join(row.group for row in undecided), None,
                                   sum(row.notes for row in undecided), sum(row.groups for row in undecided),
                                   any(row.drawn for row in undecided), noun=noun)]


@dataclass
class ReportData:
    audit: str | None
    params: dict | None  # the audit's sampling parameters
    generated_at: str
    model_version: str | None
    notes: int
    case_files: int
    decided_notes: int
    rates: list[LabelRates]
    breakdowns: dict[str, list[tuple[str, list[Rate]]]]  # dimension -> (group, rate per label)
    top_cases: list[CaseRow]
    quotes: list[Quote]
    quotes_checked: bool  # False: no personal-data check was available, so nothing is quoted
    agreement: AgreementReport
    # Labels of these notes that `export labels` and `retrain` hold back as disputed (disputes across
    # the workspace, an imported label counting as a reviewer's decision).
    held_back_by_export_and_retrain: int = 0
    # Of those, the ones an audit's report counts as the audit decided them (not among its open
    # disputes): a coder's decision differs from an imported label or a review made outside the audit.
    held_back_beyond_open_disputes: int = 0
    # And the ones no coder of the audit took a side on: disputed outside it, left out of its rates.
    disputed_outside_audit: int = 0
    # Case files with a decided note and a note with no decision: not read whole.
    case_files_read_in_part: int = 0
    case_files_with_a_decision: int = 0
    workspace: str = ""  # the workspace folder, as home_shortened gives it
    workspace_id: str = ""  # its random id (a backup's or a copy's is its own)
    decision_log_position: int = 0  # the latest decision the figures count
    casereview_version: str = __version__
    labels: tuple[Label, ...] = field(default=LABELS)
    breakdown_notes: dict[str, dict[str, int]] = field(default_factory=dict)  # dimension -> group -> notes

    def breakdown_rows(self, dimension: str, table: bool = True) -> list[BreakdownRow]:
        """The rows of a breakdown's table, as the report's tables list them (:class:`BreakdownRow`: an author role in
        words); ``table`` False: as the CSV lists them, a team or role with no decided note a row of its own (a
        spreadsheet sorts and sums each one's notes; a list of names in a cell it cannot), a role as coded."""
        notes = self.breakdown_notes.get(dimension, {})
        shown = value_words if table and dimension == "author_role" else str
        rows = [BreakdownRow(shown(group), rates if any(rate.decided for rate in rates) else None, notes.get(group, 0))
                for group, rates in self.breakdowns.get(dimension, [])]
        if dimension == "month":
            rows = _month_rows(rows, drawn=self.audit is not None)
        return _undecided_last(rows, BREAKDOWN_NOUNS[dimension]) if table else rows

    @property
    def provenance(self) -> str:
        return provenance(self.generated_at, self.casereview_version, self.model_version, self.workspace,
                          self.workspace_id, self.decision_log_position)

    @property
    def scope(self) -> str:
        return f"audit {self.audit}" if self.audit else "the whole workspace"

    @property
    def weighted(self) -> bool:
        """Whether sampling weights differ between strata (then a rate is not simply k of n)."""
        weights = {round(s["weight"], 9) for s in (self.params or {}).get("strata", []) if s.get("weight")}
        return len(weights) > 1

    @property
    def breakdown_caption(self) -> str:
        """What a breakdown cell holds: in a tilted sample the rate is weighted, not the count beside it."""
        if self.weighted:
            return ("Note rate, weighted by the sample's design (concern notes / decided notes beside it), and its 95% "
                    "interval.")
        return "Note rate (concern notes / decided notes) and its 95% interval."

    @property
    def sampled_notes(self) -> bool:
        """An audit of notes (not whole case files): a case file's figures are from the one or two notes read."""
        return self.params is not None and self.params.get("unit", "note") == "note"

    @property
    def case_files_in_part(self) -> str | None:
        """The notes a case-file audit drawn within dates read of each case file (``notes from ... to ...``), or None
        where case files were read whole: a case file's notes outside the range are not in the audit."""
        return sampling.notes_dated(self.params) if self.params and self.params.get("unit") == "case" else None

    @property
    def case_files_headline(self) -> bool:
        """Whether the headlines are case-file rates: only where case files were read whole. A case file of which a
        reviewer decided one note is not a case file read (a queue of notes from many case files leaves most so)."""
        return not self.sampled_notes and not self.case_files_read_in_part

    def read_in_part_line(self) -> str | None:
        """What the case files read in part change, said where the sample's design does not say it already."""
        part = self.case_files_read_in_part
        if not part or self.sampled_notes:
            return None
        read = self.case_files_with_a_decision
        return (f"{opening(of_the(part, read, 'case file'))} with a decision {agree(part, 'was', 'were')} read in part "
                f"({agree(part, 'it has', 'each has')} a note with no decision): the headline figures are note "
                "rates, and a case file's figures count only its decided notes.")

    def headline_rate(self, r: LabelRates) -> tuple[Rate, str]:
        """The rate a letter quotes and its unit: case files, unless notes were sampled, or case files read only in
        part (or none is decided)."""
        return _headline_rate(r.cases, r.notes, self.case_files_headline, self.case_files_in_part)

    @property
    def model_share_line(self) -> str:
        """What the model's share beside each rate is of (the CSV's ``model_suggested_all_scored`` is of every note)."""
        return ("The model's share is over the same decided case files and notes as the rate beside it (those it "
                "scored): of the notes reviewers decided on a label, the share it suggests the label on; not of every "
                "note it scored, which the CSV gives as model_suggested_all_scored.")

    @property
    def weighting_line(self) -> str:
        """How the rates are worked out, as the method says it: a whole workspace's notes are no sample, and its
        report said its rates were "weighted by the sample's weights"."""
        if self.audit is None:
            return ("Rates are shares of the decided notes (and case files), unweighted: the workspace's notes are not a "
                    "sample, so they describe the notes reviewers chose to read, not every note; 95% Wilson intervals.")
        return ("Rates are weighted by the sample's weights (stratum size / units drawn), with 95% Wilson intervals on "
                "the effective sample size.")

    @property
    def chance_line(self) -> str:
        """Why a high agreement can sit beside a kappa near 0, as the method says it: a board read "95%, kappa 0.00"
        as the coders agreeing on nothing."""
        return ("Kappa and alpha correct the agreement for chance: on a label coders rarely mark, agreement can be high "
                "and kappa near 0 or below (one coder marked it on a note, the other on none), which says they do not "
                "agree on where the label applies, not that they disagree on most notes.")

    @property
    def few_units_line(self) -> str:
        """Why a kappa or alpha on few units is flagged, as the method says it."""
        return (f"A kappa or alpha on fewer than {FEW_UNITS} units is marked \"too few units\": on so few, one unit "
                "coded the other way moves the agreement by more than ten percentage points and kappa mostly by more "
                "(the only unit, coded differently, reads as kappa 0.00), so it says little about how reliably a label "
                "is coded; double-code more units before quoting it.")

    def sample_design(self) -> str:
        """How the audit was drawn, and what its rates cannot speak for, in a reader's words."""
        params = self.params or {}
        unit, frame = params.get("unit", "note"), params.get("frame_units")
        text = f"Sample: {sampling.describe(params)}, seed {params.get('seed')}."
        if params.get("method") in sampling.METHODS:  # every audit drawn records it (migration 9 for the older)
            text += " " + sampling.METHODS[params["method"]]
        empty = [s for s in params.get("strata", []) if not s.get("sampled")]
        if empty and frame:
            missing = sum(s.get("population", 0) for s in empty)
            noun = sampling.UNIT_NOUNS[unit]
            text += (f" {opening(of_the(missing, frame, noun))} {agree(missing, 'is', 'are')} in "
                     f"{count(len(empty), 'stratum', 'strata')} from which nothing was drawn: the rates describe the "
                     f"other {count(frame - missing, noun)} only.")
        if self.sampled_notes:
            text += " Notes were sampled, not whole case files: a case file's figures are from its notes that were read."
        if part := self.case_files_in_part:
            text += f" Case files were read only in their {part}: a case file's figures are from those notes."
        return text

    def headlines(self) -> list[str]:
        """One sentence per label with decided case files (or notes): the figures a letter quotes."""
        return headline_lines(((r.label, r.cases, r.notes) for r in self.rates), self.case_files_headline,
                              self.case_files_in_part, self.weighted)

    def dispute_lines(self) -> list[str]:
        """What the rates leave out as disputed, and what `export labels` and `retrain` hold back besides. Where what
        they hold back is the open disputes the rates leave out, one line says both (the whole workspace's always
        are): two lines of the same 8 labels read as 16, the second with the command that settles them."""
        lines = []
        open_disputes, held = len(self.agreement.open_disputes), self.held_back_by_export_and_retrain
        if open_disputes and held == open_disputes and not (self.held_back_beyond_open_disputes
                                                            or self.disputed_outside_audit):
            command = (ADJUDICATE_ALL_COMMAND if self.audit is None
                       else f"{ADJUDICATE_COMMAND} {shlex.quote(self.audit)}")
            return [left_out_line(open_disputes, self.agreement.disputes_are, command)]
        if open_disputes:
            lines.append(left_out_line(open_disputes, self.agreement.disputes_are))
        if self.held_back_beyond_open_disputes:
            more = self.held_back_beyond_open_disputes
            them = agree(more, "it", "them")
            lines.append(f"{count(more, 'more label')} of these notes {agree(more, 'counts', 'count')} here as the "
                         f"audit decided {them}, but export labels and retrain hold {them} back as disputed until "
                         "adjudicated: a coder's decision differs from an imported label or a review made outside the "
                         "audit.")
        if self.disputed_outside_audit:
            outside = self.disputed_outside_audit
            lines.append(f"{count(outside, 'label')} of these notes that no coder of the audit took a side on "
                         f"{agree(outside, 'is', 'are')} disputed outside it (reviewers decided "
                         f"{agree(outside, 'it', 'them')} differently, not yet adjudicated): left out of the rates "
                         "until adjudicated.")
        if held:
            # held back though the audit's own disputes are settled (review --adjudicate AUDIT): what settles them,
            # said of the line above, or as the total of the lines above: not more labels besides
            settle = f"{agree(held, 'it', 'them')} with {ADJUDICATE_ALL_COMMAND}"
            if not lines:
                lines.append(f"Export labels and retrain hold back {count(held, 'label')} of these notes as disputed "
                             f"until adjudicated. Settle {settle}.")
            elif len(lines) == 1:
                lines[0] += f" Settle {settle}."
            else:
                lines.append(f"In all, export labels and retrain hold back {count(held, 'label')} of these notes, "
                             f"those above, until adjudicated: settle {settle}.")
        return lines

    def summary_lines(self) -> list[str]:
        """The headline figures and the agreement in a few lines (the review UI's progress screen)."""
        overall = self.agreement.overall
        kappas = ", ".join(f"{p.first} ~ {p.second} kappa {'–' if p.kappa is None else f'{p.kappa:.2f}'}"
                           + (" (too few units)" if too_few_units(p.kappa, p.n) else "")
                           for p in overall.pairs)
        return [*(self.headlines() or ["No decisions yet: nothing to report."]),
                f"Agreement, all labels: {kappas or 'no double coding yet'}; "
                f"{count(overall.disagreements, 'dispute')} open, {number(overall.adjudicated)} adjudicated."]


def _headline_rate(cases: Rate, notes: Rate, case_files: bool, in_part: str | None) -> tuple[Rate, str]:
    """:meth:`ReportData.headline_rate`: the case files' rate where ``case_files`` (read whole; ``in_part``, the notes
    of each a case-file audit read) and some are decided, else the notes'."""
    if cases.decided and case_files:
        return cases, f"case files ({in_part})" if in_part else "case files"
    return notes, "notes"


def headline_lines(rates: Iterable[tuple[Label, Rate, Rate]], case_files: bool, in_part: str | None,
                   weighted: bool) -> list[str]:
    """One sentence per label of ``rates`` (label, case files' rate, notes' rate) with decided case files (or notes):
    :meth:`ReportData.headlines`."""
    lines = []
    for label, cases, notes in rates:
        rate, unit = _headline_rate(cases, notes, case_files, in_part)
        if not rate.decided:
            continue
        one = "note" if unit == "notes" else unit.replace("case files", "case file", 1)  # keeps "(notes from ...)"
        line = (f"{label.title}: {found_in(rate.positives, rate.decided, one, unit)} read "
                f"({percent(rate.estimate)}")
        line += f", 95% CI {percent_range(rate.low, rate.high)}"
        line += ", weighted)." if weighted else ")."
        lines.append(line)
    return lines


def left_out_line(disputes: int, disputes_are: str, settled_by: str | None = None) -> str:
    """What the rates leave out as ``disputes`` open disputes (``disputes_are``: whose decisions differ); with
    ``settled_by``, the command that settles them, that export labels and retrain hold back the same labels."""
    said = f"{count(disputes, 'open dispute')} ({disputes_are}, not yet adjudicated) {agree(disputes, 'is', 'are')}"
    if settled_by is not None:
        return (f"{said} left out of the rates, and held back by export labels and retrain, until adjudicated: settle "
                f"{agree(disputes, 'it', 'them')} with {settled_by}.")
    return f"{said} left out of the rates until adjudicated."


def workspace_headlines(workspace: Workspace) -> list[str]:
    """The whole workspace's headline figures, its report's (``build(workspace).headlines()``), then, as its report
    says next, the open disputes they leave out (a label disputed on every note read was missing unsaid), from its
    decided notes alone: the rates count nothing else, and whether a case file with a decision was read whole is its notes read
    against its size. The review UI's progress screen shows them: the report, reading every note of the workspace
    for its breakdowns, the model's shares and agreement, took 1.3 s of a workspace of 10,879 notes with 21,000
    decisions (a Python loop over every note, and over every label of each, for each figure); this, a tenth of it."""
    with workspace.snapshot():
        final = workspace.final_states()
        facts = workspace.note_facts(final=final, of_notes=final)
        sizes = workspace.case_sizes()
    # the workspace's open disputes: the pairs its final states hold disputed (reviewers on both sides, not
    # adjudicated), as its agreement counts them
    facts = _without_open_disputes(facts, tuple(final.disputed))
    groups = _case_groups(facts)
    read = {case_id: sum(map(_read, notes)) for case_id, notes in groups.items()}
    read_in_part = any(0 < n < sizes[case_id] for case_id, n in read.items())
    rates = zip(LABELS, (_case_rate(groups, _concern(label.name)) for label in LABELS), _label_rates(facts))
    lines = headline_lines(rates, not read_in_part, None, False)
    return lines + [left_out_line(len(final.disputed), WORKSPACE_DISPUTES, ADJUDICATE_ALL_COMMAND)] \
        if final.disputed else lines


def _decided(f: NoteFacts, name: str) -> bool | None:
    """True (a concern), False (rejected) or None (no usable decision) for one note and label."""
    state = f.final.get(name)
    if state in POSITIVE_STATES:
        return True
    return False if state == "rejected" else None


def _read(f: NoteFacts) -> bool:
    """Whether a note has a usable decision on some label. Most notes of a large workspace have no decision at all:
    they are passed over at once (the report looked up each label of each, a Python loop of millions of steps)."""
    return bool(f.final) and any(_decided(f, label.name) is not None for label in LABELS)


def _label_rates(facts: list[NoteFacts]) -> list[Rate]:
    """The note rate of each label, in one pass over the notes' decisions."""
    outcomes: dict[str, list[tuple[bool, float]]] = {label.name: [] for label in LABELS}
    for f in facts:
        for name, state in f.final.items():
            if state != "unsure" and name in outcomes:
                outcomes[name].append((state in POSITIVE_STATES, f.weight))
    return [Rate.of(outcomes[label.name]) for label in LABELS]


def _case_groups(facts: list[NoteFacts]) -> dict[str, list[NoteFacts]]:
    groups: dict[str, list[NoteFacts]] = {}
    for f in facts:
        if f.case_id is not None:
            groups.setdefault(f.case_id, []).append(f)
    return groups


def _case_rate(groups: dict[str, list[NoteFacts]], outcome: Callable[[NoteFacts], bool | None]) -> Rate:
    """A case file counts once, by its notes with an ``outcome`` (None: none): yes if any of them is; its weight is
    their mean."""
    outcomes = []
    for notes in groups.values():
        known = [(y, f.weight) for f in notes if (y := outcome(f)) is not None]
        if known:
            outcomes.append((any(y for y, _ in known), sum(w for _, w in known) / len(known)))
    return Rate.of(outcomes)


def _concern(name: str) -> Callable[[NoteFacts], bool | None]:
    """A note's outcome for a case file's concern rate: its decision on the label."""
    return lambda f: _decided(f, name) if f.final else None


def _suggestion(name: str, decided: bool = False) -> Callable[[NoteFacts], bool | None]:
    """A note's outcome for a case file's model rate: whether the model suggests the label, if it scored the note
    (and, ``decided``, a reviewer decided the label on it: the notes the case file's concern rate counts)."""
    def outcome(f: NoteFacts) -> bool | None:
        if f.priority is None or decided and _decided(f, name) is None:
            return None
        return name in f.suggested
    return outcome


def _group_value(f: NoteFacts, dimension: str) -> str | None:
    if dimension == "month":
        return f.date[:7] if f.date else None
    return getattr(f, dimension)


def _breakdowns(facts: list[NoteFacts]) -> tuple[dict[str, list[tuple[str, list[Rate]]]], dict[str, dict[str, int]]]:
    """Each dimension's groups with their note rates, and how many notes each group has."""
    out, notes = {}, {}
    for dimension, _ in BREAKDOWNS:
        groups: dict[str, list[NoteFacts]] = {}
        for f in facts:
            value = _group_value(f, dimension)
            if value is not None:
                groups.setdefault(value, []).append(f)
        if groups:
            out[dimension] = [(value, _label_rates(groups[value])) for value in sorted(groups)]
            notes[dimension] = {value: len(group) for value, group in groups.items()}
    return out, notes


def _top_cases(groups: dict[str, list[NoteFacts]]) -> list[CaseRow]:
    rows = []
    for case_id, notes in groups.items():
        read = [f for f in notes if _read(f)]
        counts = {label.name: sum(_decided(f, label.name) is True for f in read) for label in LABELS}
        if read and any(counts.values()):
            rows.append(CaseRow(case_id, len(read), counts))
    rows.sort(key=lambda c: (-c.labels_with_concern, -sum(c.concern_notes.values()), c.case_id))
    return rows[:TOP_CASES]


def quote_text(span: dict) -> str:
    """An evidence span's sentence as a report quotes it: its whitespace collapsed, a list item's bullet dropped, a
    control character drawn (:func:`escaping.visible_controls`): a Markdown report is read with ``cat``, and HTML
    holds no control character."""
    return visible_controls(" ".join(str(span.get("text", "")).split()).lstrip("-•* "))


class QuoteCheck:
    """Whether a report may quote an evidence sentence of a note: the personal-data check clears the sentence alone,
    and it shows no note text flagged in its whole note. What is personal data only in its note's context ("K,
    05/06/2018" under a list's "Siblings:" heading, a date after "born" on the line before) a scan of the sentence
    alone does not find. Flagged in the note: the workspace's findings on it (unresolved, or false alarms, which the
    check of the sentence alone does not tell either; a redacted one is its placeholder now) and, the check being the
    scanner, its scan of the whole note now (the workspace's may be an earlier scanner's). A note is read once."""

    def __init__(self, workspace: Workspace, check: PersonalDataCheck):
        self.workspace, self.check = workspace, check
        self._flagged: dict[str, list[tuple[int, int]]] = {}

    def held_back(self, note: Note, span: dict) -> str | None:
        """Why a report may not quote ``span`` of ``note`` (None: it may): personal data in it, alone or in the note,
        it is not where the note has it, or it is too long to be one sentence (a note with no full stops: most of its
        text)."""
        text = quote_text(span)
        if len(text) > QUOTE_MAX_CHARS:
            return f"longer than {QUOTE_MAX_CHARS} characters"
        if self.check(text, note.date):
            return PERSONAL_DATA_FOUND
        start, end = span.get("start"), span.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or note.text[start:end] != span.get("text"):
            return "it is not where its note has it, so the note's personal-data findings cannot be checked"
        return PERSONAL_DATA_FOUND if any(s < end and start < e for s, e in self._flagged_in(note)) else None

    def _flagged_in(self, note: Note) -> list[tuple[int, int]]:
        if note.note_id not in self._flagged:
            flagged = [(f.start, f.end) for f in self.workspace.pii_findings(note.note_id) if f.resolution != "redacted"]
            if isinstance(self.check, ScannerCheck):
                flagged += self.check.flagged(note.text, note.date)
            self._flagged[note.note_id] = flagged
        return self._flagged[note.note_id]


def _quotes(workspace: Workspace, audit: str | None, facts: dict[str, NoteFacts], final: dict[str, dict[str, str]],
            check: PersonalDataCheck) -> list[Quote]:
    """Up to QUOTES_PER_LABEL evidence sentences per label, one a note, strongest first (the notes by the label's score,
    a note's sentences by theirs), that the check clears (``final``: the final states, open disputes and all, as the
    note facts were read)."""
    quotes: list[Quote] = []
    taken: dict[str, int] = {}
    seen: set[str] = set()
    cleared = QuoteCheck(workspace, check)
    for note_id, label, _score, evidence in workspace.confirmed_evidence(audit, final):
        if taken.get(label, 0) >= QUOTES_PER_LABEL or note_id not in facts or label not in facts[note_id].final:
            continue  # (not in final: a dispute still open)
        f, note = facts[note_id], workspace.get_note(note_id)
        # the note's strongest sentence it can quote, not its first: a heading ("Case:") scored as evidence came first
        for span in sorted(evidence, key=lambda span: -(span.get("score") or 0)):
            text = quote_text(span)
            if not text or text in seen or cleared.held_back(note, span):
                continue
            seen.add(text)
            quotes.append(Quote(BY_NAME[label], note_id, f.case_id, f.date, text, f.time))
            taken[label] = taken.get(label, 0) + 1
            break
    return sorted(quotes, key=lambda q: LABELS.index(q.label))  # the codebook's order, as the tables give the labels


def _without_open_disputes(facts: list[NoteFacts], disputes: tuple[tuple[str, str], ...]) -> list[NoteFacts]:
    """The facts with each disputed, unadjudicated label left undecided.

    Until it is adjudicated, such a label's current state is whichever coder saved
    last: counting it would make a rate depend on the order of coding.
    """
    if not disputes:
        return facts
    open_labels: dict[str, set[str]] = {}
    for note_id, label in disputes:
        open_labels.setdefault(note_id, set()).add(label)
    return [replace(f, final={k: v for k, v in f.final.items() if k not in open_labels[f.note_id]})
            if f.note_id in open_labels else f for f in facts]


def build(workspace: Workspace, audit: str | None = None,
          check: PersonalDataCheck | str | None = SCANNER) -> ReportData:
    """The report's figures for ``audit`` (or the whole workspace), all read from one state of the workspace (a
    review saving meanwhile is in none or all of them, and in the decision log position the report names).

    ``check`` clears evidence sentences for quoting; None (or no loadable
    scanner) means none can be cleared, so every quote is withheld.
    """
    with workspace.snapshot():
        return _build(workspace, audit, check)


def _build(workspace: Workspace, audit: str | None, check: PersonalDataCheck | str | None) -> ReportData:
    params = None
    if audit is not None:
        record = workspace.named_audit(audit)
        audit, params = record.name, record.params
    final = workspace.final_states(audit)  # read once: for the figures, the quotes and the disputes
    facts = workspace.note_facts(audit=audit, final=final)
    agreement = audit_agreement(workspace, audit, facts)
    facts = _without_open_disputes(facts, agreement.open_disputes)
    disputed = final.disputed  # held back by export and retrain (Workspace.disagreements' pairs)
    groups = _case_groups(facts)
    note_rates = _label_rates(facts)
    scored = [f for f in facts if f.priority is not None]
    rates = [
        LabelRates(label, _case_rate(groups, _concern(label.name)), note_rates[i],
                   Rate.of([(label.name in f.suggested, f.weight) for f in scored
                            if _decided(f, label.name) is not None]),
                   _case_rate(groups, _suggestion(label.name, decided=True)),
                   Rate.of([(label.name in f.suggested, f.weight) for f in scored]),
                   _case_rate(groups, _suggestion(label.name)))
        for i, label in enumerate(LABELS)
    ]
    reading = [[_read(f) for f in notes] for notes in groups.values()]
    if check == SCANNER:
        check = personal_data_check()
    by_id = {f.note_id: f for f in facts}
    # beyond the audit's open disputes: counted as its coders decided, or (none took a side) left out
    beyond = disputed - set(agreement.open_disputes) if audit is not None else set()
    counted = {(note_id, label) for note_id, label in beyond if label in by_id[note_id].final}
    breakdowns, breakdown_notes = _breakdowns(facts)
    return ReportData(
        audit=audit, params=params,
        generated_at=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        model_version=workspace.current_model_version(),
        notes=len(facts), case_files=len(groups),
        decided_notes=sum(1 for f in facts if _read(f)),
        rates=rates, breakdowns=breakdowns, breakdown_notes=breakdown_notes, top_cases=_top_cases(groups),
        quotes=_quotes(workspace, audit, by_id, final, check) if check else [], quotes_checked=check is not None,
        agreement=agreement, held_back_by_export_and_retrain=len(disputed),
        held_back_beyond_open_disputes=len(counted), disputed_outside_audit=len(beyond - counted),
        case_files_read_in_part=sum(1 for read in reading if any(read) and not all(read)),
        case_files_with_a_decision=sum(1 for read in reading if any(read)),
        # read in the same snapshot as the figures: the decisions counted are those up to it
        **workspace_named(workspace), decision_log_position=workspace.decision_log_position(),
    )


# -- rendering -----------------------------------------------------------------
def label_title(name: str) -> str:
    """An agreement row's label as the report's other tables name it (its title; "all": every label pooled), not the
    codebook's name ("risk_analysis_gap"), which the CSV keeps."""
    return BY_NAME[name].title if name in BY_NAME else "All labels" if name == "all" else name


def stratum_words(key: str) -> str:
    """A sample stratum as a reader reads it: ``label=delay_timeliness|month=2024-03`` -> 'label: Delay · month:
    2024-03' (the CSV keeps the key, as ``audits --json`` gives it)."""
    def part(item: str) -> str:
        name, _, value = item.partition("=")
        shown = BY_NAME[value].title if name == "label" and value in BY_NAME else value_words(value)
        return f"{name.replace('_', ' ')}: {shown}"

    return " · ".join(part(item) for item in key.split("|"))


def environment() -> jinja2.Environment:
    """The reports' templates (``templates/``: this report's and the case file report's) with their filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )
    env.filters["pct"] = percent
    env.filters["count"] = count  # {{ n | count("case file") }}: "1 case file", "2 case files"
    env.filters["number"] = number  # {{ n | number }}: "1,706", as every count people read is written
    env.filters["ci"] = lambda r: "–" if r.estimate is None else percent_range(r.low, r.high)
    # {{ x | num }}: a measured figure, a kappa or a stratum's weight, thousands apart as counts are ("1,087.90")
    env.filters["num"] = lambda v, digits=2: "–" if v is None else f"{v:,.{digits}f}"
    env.filters["md"] = markdown_text  # free text (quotes, ids, names) shown as written, not as markup
    env.filters["words"] = value_words  # a codebook value, an author role or note type: "team manager"
    env.filters["label_title"] = label_title
    env.filters["stratum"] = stratum_words
    env.filters["md_code"] = markdown_code_lines  # a command to copy (an audit's): as written, in a code block
    return env


def _context(data: ReportData) -> dict[str, Any]:
    return {"r": data, "breakdown_titles": dict(BREAKDOWNS), "too_few_units": too_few_units}


def render_markdown(data: ReportData) -> str:
    return environment().get_template("report.md").render(_context(data))


def rate_chart_rows(data: ReportData) -> list[tuple[Label, Rate, Rate]]:
    """Each label's headline rate and the model's on the same units (case files or notes), as the chart draws them."""
    return [(r.label, rate, r.suggested_cases if rate is r.cases else r.suggested)
            for r in data.rates for rate in (data.headline_rate(r)[0],)]


def render_html(data: ReportData) -> str:
    svg = {
        "rates": charts.rate_chart(rate_chart_rows(data)),
        "trend": charts.trend_chart(data.breakdowns.get("month", []), data.labels),
        "heatmap": charts.heat_map([(c.case_id, c.concern_notes, c.notes_read) for c in data.top_cases], data.labels),
    }
    return environment().get_template("report.html").render({**_context(data), "svg": svg})


#: ``count``, ``of``, ``estimate`` and its interval hold only figures, so a spreadsheet sums and sorts them; how the
#: report was made (``parameters``: scope, workspace, versions, the sample's design, its command) is text, in ``value``,
#: as the case file report's CSV has it.
CSV_COLUMNS = ("section", "measure", "dimension", "group", "label", "unit", "count", "of", "estimate", "ci_low",
               "ci_high", "value")


def csv_rows(data: ReportData) -> list[dict[str, Any]]:
    """The report's figures as long-format rows, one figure a row, for spreadsheets."""
    def rate_row(section, dimension, group, label, unit, rate: Rate) -> dict[str, Any]:
        return {"section": section, "measure": "rate", "dimension": dimension, "group": group, "label": label,
                "unit": unit, "count": rate.positives, "of": rate.decided, "estimate": _round(rate.estimate),
                "ci_low": _round(rate.low), "ci_high": _round(rate.high)}

    rows = [{"section": "coverage", "measure": "notes", "unit": "note", "count": data.notes},
            {"section": "coverage", "measure": "case_files", "unit": "case_file", "count": data.case_files},
            {"section": "coverage", "measure": "decided_notes", "unit": "note", "count": data.decided_notes},
            {"section": "coverage", "measure": "case_files_with_a_decision", "unit": "case_file",
             "count": data.case_files_with_a_decision},
            {"section": "coverage", "measure": "case_files_read_in_part", "unit": "case_file",
             "count": data.case_files_read_in_part}]
    for r in data.rates:
        rows.append(rate_row("rates", "", "", r.label.name, "case_file", r.cases))
        rows.append(rate_row("rates", "", "", r.label.name, "note", r.notes))
        rows.append({**rate_row("rates", "", "", r.label.name, "case_file", r.suggested_cases),
                     "measure": "model_suggested"})
        rows.append({**rate_row("rates", "", "", r.label.name, "note", r.suggested), "measure": "model_suggested"})
        for unit, rate in (("case_file", r.suggested_cases_all_scored), ("note", r.suggested_all_scored)):
            rows.append({**rate_row("rates", "", "", r.label.name, unit, rate), "measure": "model_suggested_all_scored"})
    for dimension in data.breakdowns:  # a group with no decided note (a run of months): one row, its notes
        for row in data.breakdown_rows(dimension, table=False):
            if row.rates is None:
                rows.append({"section": "breakdown", "measure": "no_decided_notes", "dimension": dimension,
                             "group": row.group, "unit": "note", "count": row.notes})
            else:
                rows += [rate_row("breakdown", dimension, row.group, label.name, "note", rate)
                         for label, rate in zip(data.labels, row.rates)]
    for case in data.top_cases:
        rows += [{"section": "top_case_files", "measure": "concern_notes", "group": case.case_id, "label": name,
                  "unit": "note", "count": notes, "of": case.notes_read} for name, notes in case.concern_notes.items()]
    for row in data.agreement.labels:
        for pair in row.pairs + row.versus_model:
            base = {"section": "agreement", "dimension": "versus_model" if pair.second == "model" else "pair",
                    "group": f"{pair.first}~{pair.second}", "label": row.label, "unit": "note_label", "count": pair.n}
            rows.append({**base, "measure": "kappa", "estimate": _round(pair.kappa)})
            rows.append({**base, "measure": "percent_agreement", "estimate": _round(pair.agreement)})
        if row.alpha is not None:
            rows.append({"section": "agreement", "measure": "krippendorff_alpha", "dimension": "all_reviewers",
                         "label": row.label, "unit": "note_label", "count": row.alpha_units, "estimate": _round(row.alpha)})
    rows.append({"section": "agreement", "measure": "double_coded_notes", "dimension": "all_reviewers", "label": "all",
                 "unit": "note", "count": data.agreement.double_coded_notes})
    for row in data.agreement.labels:  # what the rates leave out, then what export and retrain hold back
        base = {"section": "disputes", "label": row.label, "unit": "note_label"}
        rows.append({**base, "measure": "open", "count": row.disagreements})
        rows.append({**base, "measure": "adjudicated", "count": row.adjudicated})
    rows.append({"section": "disputes", "measure": "held_back_counted_as_audit_decided", "label": "all",
                 "unit": "note_label", "count": data.held_back_beyond_open_disputes})
    rows.append({"section": "disputes", "measure": "disputed_outside_audit", "label": "all", "unit": "note_label",
                 "count": data.disputed_outside_audit})
    rows.append({"section": "disputes", "measure": "held_back_by_export_and_retrain", "label": "all",
                 "unit": "note_label", "count": data.held_back_by_export_and_retrain})
    for stratum in (data.params or {}).get("strata", []):  # units drawn of each stratum's, and their weight
        base = {"section": "sample_strata", "group": stratum["stratum"],
                "unit": "case_file" if data.params.get("unit") == "case" else "note"}
        rows.append({**base, "measure": "sampled", "count": stratum["sampled"], "of": stratum["population"]})
        rows.append({**base, "measure": "weight", "estimate": _round(stratum.get("weight"))})
    for key, value in {**_parameters(data), "text_cells": TEXT_CELLS}.items():
        rows.append({"section": "parameters", "measure": key, "value": value})
    return rows


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 4)


def _parameters(data: ReportData) -> dict[str, Any]:
    out = {"scope": data.scope, "generated_at": data.generated_at, "model_version": data.model_version or "",
           "casereview_version": data.casereview_version, "workspace": data.workspace,
           "workspace_id": data.workspace_id, "decision_log_position": data.decision_log_position,
           "agreement_few_units": FEW_UNITS}
    if data.params:
        out.update({k: v for k, v in data.params.items() if k in ("command", "seed", "method", "unit", "frame_units",
                                                                 "frame_hash")})
        # how it was drawn, as the other reports' sample design says it (a date left empty: no bound)
        design = {"size": data.params.get("size"), "stratify": ",".join(data.params.get("stratify", [])),
                  "date_from": data.params.get("date_from") or "", "date_to": data.params.get("date_to") or "",
                  "oversample": data.params.get("oversample", 1.0), "hide_model": bool(data.params.get("hide_model"))}
        out.update({k: v for k, v in design.items() if k != "size" or v is not None})
    return out


def write_csv(data: ReportData, out: IO[str]) -> None:
    write_spreadsheet_csv(out, CSV_COLUMNS, csv_rows(data))  # team names, case ids, reviewers: text, never formulas


def render(data: ReportData, fmt: str, out: IO[str]) -> None:
    """Write the report in ``fmt`` (html | md | csv) to ``out``."""
    if fmt not in FORMATS:
        raise CaseReviewError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "csv":
        write_csv(data, out)
    else:
        out.write(render_html(data) if fmt == "html" else render_markdown(data))
