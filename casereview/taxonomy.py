"""The codebook's taxonomy: concern labels, note fields and personal-data types.

This is the one place the labels are named; everything else iterates over
:data:`LABELS`. The definitions follow ``codebook.md`` (the labelling guide).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A concern label of the codebook."""

    number: int
    name: str
    title: str
    core: bool
    definition: str
    include: tuple[str, ...]
    exclude: str
    colour: str  # a background with white text at contrast >= 4.5:1, in any theme
    symbol: str  # so that nothing relies on colour alone

    @property
    def shown_name(self) -> str:
        """The label as screens name it to a reader: symbol and codebook title ("R Risk not analysed"). Logs,
        exports and JSON keep :attr:`name`."""
        return f"{self.symbol} {self.title}"


LABELS: tuple[Label, ...] = (
    Label(
        1,
        "risk_analysis_gap",
        "Risk not analysed",
        True,
        "The note records a risk, concern, incident or new information about possible harm "
        "to a child, but does not analyse it: no judgement of what it means for the child's "
        "safety, no mitigation or safety plan, no link to the child's plan; or a safety "
        "decision is recorded without the reasoning about risk that led to it.",
        (
            "an incident or disclosure is described and the note moves on with no assessment of risk",
            "risk factors listed without analysis of their impact on the child",
            "reliance on a parent's self-report without checking it",
            "'no concerns' or 'low risk' concluded in the face of recorded indicators",
            "a safety plan mentioned but without content, or not reviewed after a new incident",
        ),
        "A concern recorded and analysed, with mitigation set; routine notes with no new risk information.",
        "#c2410c",
        "R",
    ),
    Label(
        2,
        "management_oversight_missing",
        "Management oversight missing",
        True,
        "A point that needs a manager's decision or oversight is recorded without evidence "
        "of that oversight, or the oversight recorded is ineffective.",
        (
            "a key decision (closure, step down, NFA, threshold, change of plan, placement) with no manager review",
            "the manager has not reviewed, signed off or decided",
            "a case left unallocated or drifting with no manager direction",
            "a manager's bare approval with no rationale, direction or timescales",
        ),
        "A manager's decision with rationale and clear actions; a worker's note recording the manager's decision and reasons.",
        "#6d28d9",
        "M",
    ),
    Label(
        3,
        "supervision_issue",
        "Supervision issue",
        True,
        "Professional supervision of the worker is missing, late, cancelled, irregular or "
        "lacks case reflection; or an NQSW or student lacks the support they need.",
        (
            "supervision cancelled, postponed, overdue or not held",
            "a worker has had no recent supervision or could not get case direction",
            "a supervision record listing tasks with no discussion of the child, risk or plan",
            "an NQSW or student holding complex work without recorded support",
        ),
        "Supervision held with reflective case discussion and clear actions.",
        "#1d4ed8",
        "S",
    ),
    Label(
        4,
        "delay_timeliness",
        "Delay",
        False,
        "A response, visit, assessment, meeting, decision or planned action did not happen "
        "within the expected timescale.",
        (
            "overdue statutory visits",
            "referrals not actioned for days or weeks",
            "assessments, reviews, conferences or strategy discussions out of timescale",
            "plan actions, letters or referrals not done by their date",
        ),
        "Something done on time; a visit rescheduled for a good reason within timescale.",
        "#be123c",
        "D",
    ),
    Label(
        5,
        "recording_quality",
        "Recording quality",
        False,
        "The recording itself falls short: written long after the event, copied from an "
        "earlier entry, too vague to tell what happened, missing the outcome, or jargon "
        "with no facts.",
        (
            "retrospective entry recorded weeks after the event",
            "text identical to an earlier note",
            "'visit completed, all fine' with nothing else",
            "child seen but their words or wishes not recorded",
        ),
        "A late entry whose delay is explained and which is otherwise full.",
        "#15803d",
        "Q",
    ),
    Label(
        6,
        "workforce_capacity",
        "Workforce and capacity",
        False,
        "Workforce instability or lack of resources affecting the child's case.",
        (
            "change of allocated worker; agency worker leaving",
            "case unallocated; worker off sick with no cover",
            "high caseload named as a reason",
            "IT, phone or system problems preventing work",
        ),
        "A planned, well-managed transfer with a handover visit.",
        "#a16207",
        "W",
    ),
    Label(
        7,
        "family_support_drift",
        "Family support drift",
        False,
        "Long-term family support continues without evidence that it is working.",
        (
            "services in place for months with no review of impact",
            "the same concerns recurring after support",
            "plan unchanged across reviews; repeated referrals for the same issue",
            "no outcome measures",
        ),
        "Support reviewed with evidence of progress or a changed plan.",
        "#0e7490",
        "F",
    ),
)

LABEL_NAMES: tuple[str, ...] = tuple(label.name for label in LABELS)
CORE_LABELS: tuple[str, ...] = tuple(label.name for label in LABELS if label.core)
BY_NAME: dict[str, Label] = {label.name: label for label in LABELS}

AUTHOR_ROLES: tuple[str, ...] = (
    "social_worker",
    "agency_social_worker",
    "senior_practitioner",
    "team_manager",
    "student",
    "family_support_worker",
    "iro",
    "other",
)

NOTE_TYPES: tuple[str, ...] = (
    "home_visit",
    "contact",
    "supervision",
    "management_decision",
    "strategy_discussion",
    "assessment",
    "meeting",
    "closure",
    "case_note",
)

#: The states a reviewer's decision on one (note, label) can take. ``cleared``
#: returns the pair to *unreviewed*; a pair with no decision is unreviewed too,
#: never negative.
DECISION_STATES: tuple[str, ...] = ("confirmed", "rejected", "added", "unsure", "cleared")
POSITIVE_STATES: frozenset[str] = frozenset({"confirmed", "added"})

#: Residual personal-data types a scanner must find (codebook, last section).
PII_TYPES: tuple[str, ...] = (
    "PERSON",
    "ADDRESS",
    "POSTCODE",
    "PHONE",
    "EMAIL",
    "DATE_OF_BIRTH",
    "NHS_NUMBER",
    "NI_NUMBER",
    "SCHOOL",
)


#: Codebook values (author roles, note types) not written as their words with spaces.
_VALUE_WORDS = {"iro": "IRO"}


def value_words(value: str | None) -> str | None:
    """A codebook value (an author role, a note type) as a board reader reads it: 'team manager', 'home visit',
    'IRO' (reports printed 'team_manager'); a value the codebook does not list as it is."""
    if value not in AUTHOR_ROLES and value not in NOTE_TYPES:
        return value
    return _VALUE_WORDS.get(value, value.replace("_", " "))


def label(name: str) -> Label:
    """The label called ``name``; KeyError names the known labels otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown label {name!r}; known: {', '.join(LABEL_NAMES)}") from None


#: What a reviewer would type into a case system's search box for each label:
#: the keyword baseline that `casereview evaluate` compares the model against.
SEARCH_TERMS: dict[str, tuple[str, ...]] = {
    "risk_analysis_gap": ("no safety plan", "not assessed", "risk not", "no analysis", "self-report", "no concerns", "low risk", "disclosed", "incident"),
    "management_oversight_missing": ("no management", "awaiting sign", "not signed", "no manager", "unable to discuss with", "agreed. tm", "nfa", "case closed", "without manager"),
    "supervision_issue": ("supervision cancelled", "no supervision", "supervision not", "supervision postponed", "supervision overdue", "last supervision", "not had supervision"),
    "delay_timeliness": ("overdue", "delay", "late", "out of timescale", "not actioned", "outside timescale", "not sent", "not completed"),
    "recording_quality": ("retrospective", "recorded late", "copied", "all fine", "late entry", "weeks after"),
    "workforce_capacity": ("unallocated", "agency", "caseload", "off sick", "left the authority", "change of worker", "it problems", "system down", "new worker"),
    "family_support_drift": ("no progress", "same concerns", "no review", "re-referral", "rereferral", "months of support", "unchanged", "no change"),
}
assert set(SEARCH_TERMS) == set(LABEL_NAMES)
