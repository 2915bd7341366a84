"""Inter-rater agreement: Cohen's kappa, Krippendorff's alpha, and an audit's agreement figures.

Each (note, label) decision is coded 1 (confirmed or added) or 0 (rejected);
'unsure' is left out. Kappa compares two reviewers on the notes both coded;
alpha (nominal, missing data allowed) takes every reviewer at once; each
reviewer is also compared with the current model's suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .taxonomy import LABEL_NAMES, POSITIVE_STATES
from .wording import WORKSPACE_DISPUTES
from .workspace import NoteFacts, Workspace

MODEL = "model"  # the model's name where it stands beside reviewers
#: Reports flag a kappa or alpha on fewer units than this: on nine or fewer, one unit coded the other way moves the
#: agreement by more than ten percentage points and kappa mostly by more (one disagreement on the only unit reads as
#: kappa 0.00), so such a figure says little about how reliably a label is coded.
FEW_UNITS = 10


def too_few_units(figure: float | None, units: int) -> bool:
    """Whether a kappa or alpha (None: none) is on too few units to say much (:data:`FEW_UNITS`), as reports, the
    agreement table and the progress screen flag it."""
    return figure is not None and units < FEW_UNITS


def percent_agreement(a: Sequence[int], b: Sequence[int]) -> float | None:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.mean(a == b)) if len(a) else None


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Cohen's kappa of two raters' codes for the same units; None when undefined.

    Undefined: no units, or both raters used one and the same category
    throughout (chance agreement is 1).
    """
    a, b = np.asarray(a), np.asarray(b)
    if len(a) != len(b):
        raise ValueError("the two raters must code the same units")
    if not len(a):
        return None
    observed = np.mean(a == b)
    expected = sum(np.mean(a == c) * np.mean(b == c) for c in np.union1d(a, b))
    if expected >= 1:
        return None
    return float((observed - expected) / (1 - expected))


def krippendorff_alpha(ratings: Sequence[Sequence[float]]) -> float | None:
    """Krippendorff's alpha for nominal data: ``ratings[coder][unit]``, NaN where a coder gave none.

    Builds the coincidence matrix from every unit with two or more values,
    o = sum_u (c_u c_u' - diag(c_u)) / (m_u - 1) for a unit's value counts c_u;
    alpha = 1 - (n - 1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k. None when no
    unit is pairable or every value is the same (no expected disagreement).
    """
    data = np.asarray(ratings, dtype=float)
    if data.size == 0:
        return None
    values = np.unique(data[~np.isnan(data)])
    counts = np.stack([(data == v).sum(axis=0) for v in values]).astype(float) if len(values) else np.zeros((0, 0))
    pairable = counts.sum(axis=0) >= 2
    counts = counts[:, pairable]
    if not counts.size:
        return None
    weighted = counts / (counts.sum(axis=0) - 1)
    coincidence = weighted @ counts.T - np.diag(weighted.sum(axis=1))
    per_value = coincidence.sum(axis=1)
    n = per_value.sum()
    expected = n * n - np.sum(per_value**2)
    if expected == 0:
        return None
    observed = coincidence.sum() - np.trace(coincidence)
    return float(1 - (n - 1) * observed / expected)


@dataclass(frozen=True)
class PairAgreement:
    first: str
    second: str  # a reviewer, or MODEL
    n: int  # units both coded
    agreement: float | None
    kappa: float | None


@dataclass(frozen=True)
class LabelAgreement:
    label: str  # a codebook label, or "all" (every label pooled)
    pairs: tuple[PairAgreement, ...]
    alpha: float | None  # over every reviewer (two or more); None when no unit is coded twice or no value varies
    alpha_units: int  # units coded by two or more reviewers
    versus_model: tuple[PairAgreement, ...]
    disagreements: int  # open (not yet adjudicated)
    adjudicated: int


@dataclass(frozen=True)
class AgreementReport:
    audit: str | None
    reviewers: tuple[str, ...]
    model_version: str | None
    double_coded_notes: int
    labels: tuple[LabelAgreement, ...]  # one per codebook label, then "all"
    open_disputes: tuple[tuple[str, str], ...] = ()  # (note id, label) of each disagreement not yet adjudicated

    @property
    def overall(self) -> LabelAgreement:
        return self.labels[-1]

    @property
    def counted_across(self) -> str | None:
        """Why the whole workspace's figures are not its audits' added up (None in an audit): a workspace's agreement
        was read as 52 notes double-coded where its audits' figures summed to 51."""
        if self.audit is not None:
            return None
        return ("Across the workspace a reviewer's latest decision on a note counts once, wherever it was made (in any "
                "audit or none; an import's labels count as a reviewer's): a note two audits share is one unit, and "
                "one a coder decided in one audit and another coder in the other is double-coded here though in "
                "neither audit. So these figures are not the audits' figures added up.")

    @property
    def disputes_are(self) -> str:
        """What a dispute is at this scope, in a reader's words: whose decisions differ."""
        if self.audit is not None:
            return "labels the audit's coders decided differently"
        return WORKSPACE_DISPUTES


def _pair(first: str, second: str, a: np.ndarray, b: np.ndarray) -> PairAgreement:
    """Two coders' codes (1 concern, 0 not, -1 none) compared on the units both coded."""
    both = (a >= 0) & (b >= 0)
    x, y = a[both], b[both]
    return PairAgreement(first, second, int(both.sum()), percent_agreement(x, y), cohen_kappa(x, y))


def _label_agreement(label: str, codes: dict[str, np.ndarray], model: np.ndarray, open_: int, settled: int) -> LabelAgreement:
    """``codes``: reviewer -> codes per unit; ``model``: the model's codes for the same units."""
    reviewers = sorted(codes)
    pairs = tuple(_pair(r1, r2, codes[r1], codes[r2]) for r1, r2 in combinations(reviewers, 2))
    alpha, twice = None, 0
    if len(reviewers) > 1:
        matrix = np.stack([codes[r] for r in reviewers]).astype(float)
        matrix[matrix < 0] = np.nan
        coded_twice = (~np.isnan(matrix)).sum(axis=0) >= 2
        twice = int(coded_twice.sum())
        alpha = krippendorff_alpha(matrix[:, coded_twice]) if twice else None
    versus = tuple(_pair(r, MODEL, codes[r], model) for r in reviewers)
    return LabelAgreement(label, pairs, alpha, twice, versus, open_, settled)


def audit_agreement(workspace: Workspace, audit: str | None, facts: list[NoteFacts] | None = None) -> AgreementReport:
    """Per label and pooled: kappa per reviewer pair, alpha over all, each reviewer against the model.

    Codes sit in one small array per reviewer (label x note: 1, 0, or -1 for no
    decision), so 100,000 notes cost a few megabytes. ``facts``: the audit's
    note facts, if the caller has already read them.
    """
    facts = workspace.note_facts(audit=audit, decided=False) if facts is None else facts  # their suggestions alone
    index = {f.note_id: i for i, f in enumerate(facts)}
    row = {name: j for j, name in enumerate(LABEL_NAMES)}
    shape = (len(LABEL_NAMES), len(facts))
    codes: dict[str, np.ndarray] = {}
    for note_id, label, reviewer, state in workspace.audit_coding(audit):
        if state == "unsure" or note_id not in index or label not in row:
            continue
        if reviewer not in codes:
            codes[reviewer] = np.full(shape, -1, dtype=np.int8)
        codes[reviewer][row[label], index[note_id]] = state in POSITIVE_STATES
    model = np.full(shape, -1, dtype=np.int8)
    for i, f in enumerate(facts):
        if f.priority is not None:
            model[:, i] = [name in f.suggested for name in LABEL_NAMES]
    stack = np.stack(list(codes.values())) if codes else np.full((0, *shape), -1, dtype=np.int8)
    disputed = (stack == 1).any(axis=0) & (stack == 0).any(axis=0)
    settled = np.zeros(shape, dtype=bool)
    for note_id, label in workspace.adjudications(audit):
        if note_id in index and label in row:
            settled[row[label], index[note_id]] = True
    rows = [
        _label_agreement(name, {r: c[j] for r, c in codes.items()}, model[j],
                         int((disputed[j] & ~settled[j]).sum()), int((disputed[j] & settled[j]).sum()))
        for j, name in enumerate(LABEL_NAMES)
    ]
    rows.append(_label_agreement("all", {r: c.ravel() for r, c in codes.items()}, model.ravel(),
                                 int((disputed & ~settled).sum()), int((disputed & settled).sum())))
    double_coded = int(((stack >= 0).any(axis=1).sum(axis=0) >= 2).sum())
    labels, notes = np.nonzero(disputed & ~settled)
    open_disputes = tuple(sorted((facts[i].note_id, LABEL_NAMES[j]) for j, i in zip(labels, notes)))
    return AgreementReport(audit, tuple(sorted(codes)), workspace.current_model_version(), double_coded, tuple(rows),
                           open_disputes)
