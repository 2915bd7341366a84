"""Assigning an audit's notes to reviewers, some to two independently, and the blind review session.

The unit of assignment is the audit's unit: a sampled case file goes to a
reviewer whole. A chosen fraction of units goes to two reviewers, at least one
unit when the fraction is above 0 (agreement compares reviewers on the units
both coded: none double-coded is no agreement at all); each unit goes to the
reviewers with the least work so far, and a double-coded unit to the pair that
has shared least, so shares stay even and, given enough double-coded units,
every pair overlaps (a pair that shares none is warned of: it has no kappa).
Double-coded notes are always blind (a reviewer sees only their own
decisions); single-coded ones too unless ``blind=False``. An audit sampled with
``hide_model`` hides the model's suggestions from every reviewer in it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from .errors import CaseReviewError
from .names import check_name
from .review import ReviewSession
from .wording import agree, count
from .workspace import QueueQuery, Workspace

#: Queue orders that would reveal the model's scores; an audit that hides the model reads by case.
MODEL_ORDERS = ("priority", "uncertain")


@dataclass(frozen=True)
class AssignmentSummary:
    units: int
    double_units: int
    notes_per_reviewer: dict[str, int]
    double_per_reviewer: dict[str, int]
    warnings: tuple[str, ...] = ()  # what the double coding asked for could not give, in a reader's words


def parse_reviewers(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise CaseReviewError("--reviewers: give at least one name, e.g. --reviewers ann,bo")
    if len(set(names)) != len(names):
        raise CaseReviewError("--reviewers: a name is given twice")
    return [check_name(name, "--reviewers") for name in names]


def _audit_units(workspace: Workspace, audit: str, unit: str) -> list[tuple[str, list[str]]]:
    """(unit id, note ids) of the audit, sorted by unit id."""
    groups: dict[str, list[str]] = {}
    for f in workspace.note_facts(audit=audit):
        key = f.case_id if unit == "case" and f.case_id is not None else f.note_id
        groups.setdefault(key, []).append(f.note_id)
    return sorted(groups.items())


def double_units(double: float, units: int) -> int:
    """How many of ``units`` go to two reviewers: the fraction rounded, but at least one when it is above 0."""
    return min(units, max(1, round(double * units))) if double > 0 else 0


def double_coding_warnings(planned: list[tuple[str, list[str], tuple[str, ...]]], reviewers: list[str],
                           double: float) -> tuple[str, ...]:
    """What the double coding asked for gives less of than a reader would expect: a fraction rounded up to one
    unit, and reviewer pairs that share no unit (kappa is per pair, on the units both coded)."""
    if double <= 0:
        return ()
    warnings = []
    doubled = [chosen for _, _, chosen in planned if len(chosen) > 1]
    if round(double * len(planned)) == 0:
        warnings.append(f"--double {double:g} of {count(len(planned), 'unit')} is less than one unit: "
                        f"{count(len(doubled), 'unit')} is double-coded, as agreement needs units coded by two reviewers")
    pairs = set(doubled)
    alone = [f"{a} ~ {b}" for a, b in combinations(reviewers, 2) if (a, b) not in pairs]
    if alone and doubled:
        named = alone if len(alone) <= 3 else [*alone[:2], f"{len(alone) - 2} more pairs"]
        pairs_text = " and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]
        warnings.append(f"{pairs_text} {agree(len(alone), 'shares', 'share')} no double-coded unit: agreement has no "
                        f"kappa for {agree(len(alone), 'it', 'them')} (alpha, over all reviewers, counts every "
                        "double-coded unit)")
    return tuple(warnings)


def plan(units: list[tuple[str, list[str]]], reviewers: list[str], double: float,
         seed: int) -> list[tuple[str, list[str], tuple[str, ...]]]:
    """(unit id, note ids, reviewers) for every unit: a pure function of its inputs."""
    if not 0 <= double <= 1:
        raise CaseReviewError(f"--double must be between 0 and 1, not {double}")
    if double > 0 and len(reviewers) < 2:
        raise CaseReviewError("--double needs at least two reviewers")
    order = list(units)
    random.Random(f"{seed}/assign").shuffle(order)
    doubles = double_units(double, len(order))
    load = Counter({r: 0 for r in reviewers})
    shared = Counter()
    rank = {r: i for i, r in enumerate(reviewers)}
    result = []
    for i, (unit_id, note_ids) in enumerate(order):
        if i < doubles:
            pair = min(combinations(reviewers, 2),
                       key=lambda p: (load[p[0]] + load[p[1]], shared[p], rank[p[0]], rank[p[1]]))
            shared[pair] += 1
            chosen: tuple[str, ...] = pair
        else:
            chosen = (min(reviewers, key=lambda r: (load[r], rank[r])),)
        for r in chosen:
            load[r] += len(note_ids)
        result.append((unit_id, note_ids, chosen))
    return result


def assign(workspace: Workspace, audit: str, reviewers: list[str], double: float = 0.0,
           seed: int | None = None, blind: bool = True) -> AssignmentSummary:
    """Share the audit's units among ``reviewers``; ``double`` of them go to two reviewers, blind."""
    record = workspace.named_audit(audit)
    audit = record.name
    seed = record.params.get("seed", 0) if seed is None else seed
    planned = plan(_audit_units(workspace, audit, record.params.get("unit", "note")), reviewers, double, seed)
    rows = [(note_id, r, len(chosen) > 1 or blind) for _, note_ids, chosen in planned for r in chosen for note_id in note_ids]
    workspace.assign(audit, rows)
    workspace.update_audit_params(audit, {**record.params, "assignment": {
        "reviewers": reviewers, "double": double, "seed": seed, "blind": blind}})
    notes, doubled = Counter(), Counter()
    for _, note_ids, chosen in planned:
        for r in chosen:
            notes[r] += len(note_ids)
            if len(chosen) > 1:
                doubled[r] += len(note_ids)
    return AssignmentSummary(len(planned), sum(len(c) > 1 for _, _, c in planned),
                             {r: notes[r] for r in reviewers}, {r: doubled[r] for r in reviewers},
                             double_coding_warnings(planned, reviewers, double))


def model_hidden_notes(workspace: Workspace) -> frozenset[str]:
    """The notes drawn into an audit sampled with ``--hide-model``: whoever decides their labels in the end (an
    adjudicator too, of the audit's disputes or the workspace's) does so without the model's suggestions, as its
    coders did, so that the audit's final decisions, and their agreement with the model, stay blind to it."""
    return frozenset(item.note_id for record in workspace.audits() if record.params.get("hide_model")
                     for item in workspace.audit_items(record.name))


def audit_session(workspace: Workspace, reviewer: str, audit: str, order: str = "case") -> ReviewSession:
    """A review session over an audit: the reviewer's assigned notes (all, if not shared out yet), blind as assigned.

    Once an audit is shared out, only its reviewers code it: anyone else (a name mistyped)
    would see every note unblinded, and code as one more reviewer.
    """
    record = workspace.named_audit(audit)
    audit = record.name
    hide_model = bool(record.params.get("hide_model"))
    if hide_model and order in MODEL_ORDERS:
        order = "case"
    mine = workspace.assignments(audit, reviewer)
    if not mine and workspace.assignments(audit):
        reviewers = ", ".join(record.params.get("assignment", {}).get("reviewers", []))
        raise CaseReviewError(f"--reviewer {reviewer!r} has no notes in audit {audit!r}; it is assigned to {reviewers}")
    query = QueueQuery(order=order, audit=audit, assigned_to=reviewer if mine else None)
    return ReviewSession(workspace, reviewer, query, blind_notes=frozenset(a.note_id for a in mine if a.blind),
                         hide_model=hide_model)
