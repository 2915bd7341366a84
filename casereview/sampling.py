"""QA samples: reproducible, stratified draws of notes or case files, saved as named audits.

A sample is drawn from a *frame* (the workspace's notes, optionally within a date
range). Units (notes or case files) fall into strata by the chosen keys; each
stratum gets a share of the sample size in proportion to its size, at least one
unit when the size allows, and flagged units (the model suggests, or a reviewer
confirmed, a concern) can be over-sampled by a factor. Every sampled unit
records its weight, the inverse of its chance of selection (stratum size /
units drawn from it), so that reports can give unbiased (Horvitz-Thompson /
Hajek) rates however the sample was tilted.

Reproducible: the same seed and the same frame give the same sample, whatever
the import order. Stable: within each stratum the units drawn are the first by
a hash of (seed, unit id), a permanent random number per unit, so drawn again
once reviewers' decisions moved a few units between strata or more notes came,
a unit still in its stratum stays drawn unless a new one outranks it (each
stratum is still a simple random sample of it: the weights are unchanged).
Audits drawn before this (casereview 0.1.0) shuffled each stratum with a
generator seeded by (seed, stratum), a draw that changes whole when the stratum
does; they record ``method`` "shuffle" (schema migration 9) and draw again so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
import json
import math
import random
import re
import secrets
import shlex
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from . import __version__
from .charts import month_named, month_number
from .errors import CaseReviewError, ConflictError
from .names import check_name
from .taxonomy import LABEL_NAMES, POSITIVE_STATES
from .wording import agree, count, number, of_the, part
from .workspace import NoteFacts, Workspace

UNITS = ("note", "case")
#: What a unit is called in words: a "case" unit is a case file, as the reports and the CLI say.
UNIT_NOUNS = {"note": "note", "case": "case file"}
STRATA = ("label", "team", "author_role", "month", "score-band")
#: Upper edges of the score bands of a unit's highest model score.
SCORE_BANDS: tuple[tuple[float, str], ...] = ((0.25, "0.00-0.25"), (0.5, "0.25-0.50"), (0.75, "0.50-0.75"), (math.inf, "0.75-1.00"))
NONE = "none"  # the stratum value of a unit without the attribute
MAX_OVERSAMPLE = 1000.0  # flagged units drawn at most this many times as often
#: How the units of a stratum are drawn, recorded with each audit (``method``) and in its command, in a report's words.
METHODS = {
    "hash-rank": "Within each stratum the units drawn are the first by a hash of the seed and the unit's id: a simple "
                 "random sample of the stratum that, drawn again once notes were coded or added, keeps the units "
                 "still in their stratum but for those a new one outranks.",
    "shuffle": "Within each stratum the units drawn are the first of a shuffle seeded by the seed and the stratum "
               "(casereview 0.1.0's draw): a simple random sample of the stratum that, drawn again once its units "
               "changed, is drawn anew.",
}


@dataclass(frozen=True)
class SampleSpec:
    """What to draw. ``oversample`` multiplies flagged units' share of the sample (1: no tilt)."""

    size: int
    unit: str = "note"
    stratify: tuple[str, ...] = ()
    seed: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    oversample: float = 1.0
    hide_model: bool = False  # reviewers of the audit do not see the model's suggestions
    method: str = "hash-rank"  # one of METHODS: "shuffle" draws an audit of casereview 0.1.0 again

    def check(self) -> None:
        if self.size < 1:
            raise CaseReviewError(f"--size must be at least 1, not {self.size}")
        if self.method not in METHODS:
            raise CaseReviewError(f"--method {self.method!r}: choose from {', '.join(METHODS)}")
        if self.unit not in UNITS:
            raise CaseReviewError(f"--by {self.unit!r}: choose from {', '.join(UNITS)}")
        for key in self.stratify:
            if key not in STRATA:
                raise CaseReviewError(f"--stratify {key!r}: choose from {', '.join(STRATA)}")
        if len(set(self.stratify)) != len(self.stratify):
            raise CaseReviewError("--stratify: a key is given twice")
        for flag, value in (("--from", self.date_from), ("--to", self.date_to)):
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise CaseReviewError(f"{flag} {value!r}: not an ISO date (YYYY-MM-DD)") from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise CaseReviewError(f"--from {self.date_from} is after --to {self.date_to}")
        if not 1 <= self.oversample <= MAX_OVERSAMPLE:  # (NaN fails too; a huge factor overflows the shares)
            raise CaseReviewError(f"--oversample-flagged must be between 1 and {MAX_OVERSAMPLE:g}, not {self.oversample:g}")


@dataclass(frozen=True, slots=True)  # slots: a frame may hold one per note of 200,000
class Unit:
    """A note or a case file of the frame, with the attributes strata are made of."""

    id: str
    note_ids: tuple[str, ...]
    labels: frozenset[str]  # suggested by the model or decided positive, on any of its notes
    team: str | None
    author_role: str | None
    month: str | None
    priority: float | None

    @property
    def flagged(self) -> bool:
        return bool(self.labels)


@dataclass(frozen=True)
class Stratum:
    key: str
    population: int
    sampled: int

    @property
    def weight(self) -> float | None:
        return self.population / self.sampled if self.sampled else None


@dataclass
class Sample:
    spec: SampleSpec
    seed: int
    units: list[tuple[str, str, float]]  # (unit id, stratum, weight), sorted by id
    strata: list[Stratum]
    items: list[tuple[str, str, float]]  # (note id, stratum, weight): what the audit stores
    frame_units: int
    frame_hash: str
    model_version: str | None
    warnings: list[str] = field(default_factory=list)

    def params(self, name: str) -> dict:
        """The parameters of audit ``name``: enough to reproduce the sample and to read its figures."""
        spec = {**asdict(self.spec), "seed": self.seed, "stratify": list(self.spec.stratify)}
        return {
            **spec,
            "frame_units": self.frame_units,
            "frame_hash": self.frame_hash,
            "model_version": self.model_version,
            "strata": [{"stratum": s.key, "population": s.population, "sampled": s.sampled, "weight": s.weight}
                       for s in self.strata],
            "command": reproduce_command(self.spec, self.seed, name),
            "casereview_version": __version__,
        }


def reproduce_command(spec: SampleSpec, seed: int, name: str) -> str:
    """The ``casereview sample`` line that draws audit ``name`` again from the same data: in another workspace
    (a copy of the data, to check the audit), since the one holding it refuses a second audit of the name."""
    parts = ["casereview sample", f"--size {spec.size}", f"--by {spec.unit}", f"--seed {seed}"]
    parts += [f"--stratify {key}" for key in spec.stratify]
    if spec.date_from:
        parts.append(f"--from {spec.date_from}")
    if spec.date_to:
        parts.append(f"--to {spec.date_to}")
    if spec.oversample != 1:
        parts.append(f"--oversample-flagged {spec.oversample:g}")
    if spec.hide_model:
        parts.append("--hide-model")
    parts.append(f"--method {spec.method}")  # always: a later default would draw another sample
    parts.append(f"--name {shlex.quote(name)}")
    return " ".join(parts)


def describe(params: dict) -> str:
    """How an audit was drawn, in a few words: ``20 of 300 notes by label, 2024-03-01 to 2024-03-31, flagged x3``."""
    unit = params.get("unit", "note")
    unit = UNIT_NOUNS.get(unit, unit)
    drawn = sum(s.get("sampled", 0) for s in params.get("strata", []))
    text = (part(drawn, params["frame_units"], unit) if "frame_units" in params
            else count(params["size"], unit) if "size" in params else f"? {unit}s")
    if params.get("stratify"):
        text += " by " + ", ".join(params["stratify"])
    if params.get("date_from") or params.get("date_to"):
        text += f", {params.get('date_from') or '…'} to {params.get('date_to') or '…'}"
    if params.get("oversample", 1) != 1:
        text += f", flagged x{params['oversample']:g}"
    if params.get("hide_model"):
        text += ", model hidden"
    return text


def notes_dated(params: dict) -> str | None:
    """The notes an audit drawn with --from/--to took, in words (``notes from 2024-01-01 to 2024-03-31``): a case
    file's notes dated outside the range are not in it. None when the audit took every date."""
    start, end = params.get("date_from"), params.get("date_to")
    if start and end:
        return f"notes from {start} to {end}"
    if start or end:
        return f"notes from {start} on" if start else f"notes up to {end}"
    return None


def note_labels(facts: NoteFacts) -> set[str]:
    """The labels a note carries for sampling: suggested by the model or decided positive."""
    return set(facts.suggested) | {name for name, state in facts.final.items() if state in POSITIVE_STATES}


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v is not None)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def frame_units(facts: list[NoteFacts], unit: str) -> list[Unit]:
    """The frame's notes as units; a case file takes its notes' commonest team and role and its latest month."""
    if unit == "note":
        label_sets: dict[frozenset[str], frozenset[str]] = {}  # one each: most notes share one of a few
        return [Unit(f.note_id, (f.note_id,), label_sets.setdefault(labels := frozenset(note_labels(f)), labels),
                     f.team, f.author_role, f.date[:7] if f.date else None, f.priority) for f in facts]
    by_case: dict[str, list[NoteFacts]] = {}
    for f in facts:
        if f.case_id is not None:
            by_case.setdefault(f.case_id, []).append(f)
    units = []
    for case_id, notes in by_case.items():
        dates = [f.date for f in notes if f.date]
        scores = [f.priority for f in notes if f.priority is not None]
        units.append(Unit(case_id, tuple(f.note_id for f in notes), frozenset().union(*(note_labels(f) for f in notes)),
                          _most_common(f.team for f in notes), _most_common(f.author_role for f in notes),
                          max(dates)[:7] if dates else None, max(scores) if scores else None))
    return units


def score_band(priority: float | None) -> str:
    if priority is None:
        return "unscored"
    return next(name for edge, name in SCORE_BANDS if priority < edge)


def stratum_value(unit: Unit, key: str, label_rank: dict[str, int]) -> str:
    """The unit's value under one stratification key. A unit with several labels goes to its rarest one."""
    if key == "label":
        return min(unit.labels, key=lambda n: (label_rank[n], LABEL_NAMES.index(n))) if unit.labels else NONE
    if key == "score-band":
        return score_band(unit.priority)
    return getattr(unit, key) or NONE


def stratum_key(unit: Unit, keys: tuple[str, ...], label_rank: dict[str, int], oversampled: bool) -> str:
    """``label=delay_timeliness|month=2024-03``."""
    parts = [f"{key}={stratum_value(unit, key, label_rank)}" for key in keys]
    if oversampled:
        parts.append("flagged=" + ("yes" if unit.flagged else "no"))
    return "|".join(parts) or "all"


def allocate(sizes: dict[str, int], measures: dict[str, float], total: int) -> dict[str, int]:
    """Units to draw per stratum: ``total`` shared in proportion to ``measures``, capped by ``sizes``.

    Largest-remainder rounding; what a full stratum cannot take goes to the
    others. When ``total`` allows, every stratum gets at least one unit (taken
    from the stratum with the most), so no stratum goes unread. Ties break on
    the stratum key, so the result is stable.
    """
    keys = sorted(k for k in sizes if sizes[k] > 0)
    total = min(total, sum(sizes[k] for k in keys))
    counts = {k: 0 for k in sizes}
    while (left := total - sum(counts.values())) > 0:
        open_keys = [k for k in keys if counts[k] < sizes[k]]
        mass = sum(measures[k] for k in open_keys)
        quotas = {k: left * measures[k] / mass for k in open_keys}
        shares = {k: min(int(quotas[k]), sizes[k] - counts[k]) for k in open_keys}
        rest = left - sum(shares.values())
        for k in sorted(open_keys, key=lambda k: (-(quotas[k] - int(quotas[k])), k)):
            if rest and counts[k] + shares[k] < sizes[k]:
                shares[k] += 1
                rest -= 1
        for k, extra in shares.items():
            counts[k] += extra
    if total >= len(keys):
        for k in keys:
            if counts[k] == 0:
                donor = max(keys, key=lambda d: (counts[d], d))
                counts[donor] -= 1
                counts[k] = 1
    return counts


#: How many strata a warning names before it counts the rest (``audits --json`` lists every one).
STRATA_NAMED = 12


def strata_left_empty(sizes: dict[str, int], counts: dict[str, int], spec: SampleSpec) -> str | None:
    """How a sample smaller than its strata spread, and which strata it drew nothing from: it said only "some strata
    are not sampled", and a QA lead stratifying 48 months by 6 notes learned which 42 months no one would read only
    from the report. The allocation is kept proportional (the largest strata take the units) rather than one unit
    to each of a chosen few: any choice of which months to leave out is arbitrary, and its weights would not be."""
    strata, empty = _strata_reached(sizes, counts)
    if not empty:
        return None
    noun = UNIT_NOUNS[spec.unit]
    left_out = sum(sizes[k] for k in empty)
    return (f"--size {spec.size} is smaller than the {number(len(strata))} strata: the sample reaches "
            f"{of_the(len(strata) - len(empty), len(strata), 'stratum', 'strata')}, each taking its share by its "
            f"size, and draws nothing from {count(len(empty), 'stratum', 'strata')}, {count(left_out, noun)} the "
            f"rates will not describe: {_strata_named(empty)}; --size {len(strata)} or more draws from every stratum")


def strata_not_reached(params: dict) -> str | None:
    """Which strata an audit's sample drew nothing from (``audits`` says it under its table): the warning of
    :func:`strata_left_empty` was said once, as the sample was drawn, and the QA lead reading the audits later learned
    it only from the report. None where the sample reaches every stratum (or none: an empty frame)."""
    sizes = {s["stratum"]: s["population"] for s in params.get("strata", [])}
    strata, empty = _strata_reached(sizes, {s["stratum"]: s["sampled"] for s in params.get("strata", [])})
    if not empty:
        return None
    unit = params.get("unit", "note")
    return (f"reaches {of_the(len(strata) - len(empty), len(strata), 'stratum', 'strata')}; draws nothing from "
            f"{count(len(empty), 'stratum', 'strata')}, {count(sum(sizes[k] for k in empty), UNIT_NOUNS.get(unit, unit))} "
            f"its rates do not describe: {_strata_named(empty)}")


def _strata_reached(sizes: dict[str, int], counts: dict[str, int]) -> tuple[list[str], list[str]]:
    """The strata holding units, and those of them a sample drew nothing from (none where it drew nothing at all)."""
    strata = sorted(k for k in sizes if sizes[k])
    empty = [k for k in strata if not counts[k]]
    return strata, ([] if len(empty) == len(strata) else empty)


def _strata_named(keys: list[str]) -> str:
    """Strata as a warning lists them: a run of consecutive months one item (``month=2022-01 to 2023-02``), and past
    STRATA_NAMED items the rest counted."""
    items: list[str] = []
    if all(re.fullmatch(r"month=\d{4}-\d{2}", key) for key in keys):
        run: list[int] = []
        for month in [month_number(key.removeprefix("month=")) for key in keys] + [-2]:
            if run and month != run[-1] + 1:
                first, last = month_named(run[0]), month_named(run[-1])
                items.append(f"month={first}" if first == last else f"month={first} to {last}")
                run = []
            run.append(month)
    else:
        items = list(keys)
    shown = ", ".join(items[:STRATA_NAMED])
    return shown if len(items) <= STRATA_NAMED else f"{shown} and {number(len(items) - STRATA_NAMED)} more " \
        "(casereview audits --json lists each stratum)"


#: What a unit lacks when a stratification key puts it in its stratum of none (``unscored`` for score-band).
KEY_LACKS = {
    "label": "has a label suggested by the model or decided as a concern (casereview tag scores them)",
    "team": "has a team field",
    "author_role": "has an author_role",
    "month": "has a date",
    "score-band": "is scored (casereview tag scores them)",
}


def splitting_nothing(units: list[Unit], spec: SampleSpec, label_rank: dict[str, int]) -> list[str]:
    """Warnings for the options that cannot tilt or split this frame: a key no unit has a value for (no team field,
    nothing scored), and over-sampling where no unit, or every unit, is flagged. The sample is still drawn (a simple
    random one, as far as they go), but the audit would read "by team" or "flagged x3" and mean nothing by it."""
    if not units:
        return []
    noun = UNIT_NOUNS[spec.unit]
    warnings = []
    for key in spec.stratify:
        values = {stratum_value(u, key, label_rank) for u in units}
        if len(values) == 1 and (value := values.pop()) in (NONE, score_band(None)):
            warnings.append(f"--stratify {key}: no {noun} of the frame {KEY_LACKS[key]}, so it splits nothing "
                            f"(every {noun} is in {key}={value})")
    flagged = {u.flagged for u in units}
    if spec.oversample != 1 and len(flagged) == 1:
        which = "every" if flagged.pop() else "no"
        warnings.append(f"--oversample-flagged {spec.oversample:g}: {which} {noun} of the frame is flagged (a label "
                        "suggested by the model or decided as a concern), so nothing is over-sampled")
    return warnings


def unit_rank(seed: int, unit_id: str) -> bytes:
    """A unit's place in every stratum's draw under ``seed``: a hash of the two, uniform and independent of the
    stratum, so a unit keeps it when it moves between strata and when the frame grows."""
    return hashlib.sha256(f"{seed}/{unit_id}".encode()).digest()


def pick(pool: list[Unit], k: int, seed: int, stratum: str, method: str) -> list[Unit]:
    """``k`` units of a stratum's ``pool``, drawn without replacement, each set of ``k`` as likely as any other."""
    if method == "shuffle":  # casereview 0.1.0's draw, kept so that its audits draw again as recorded
        return random.Random(f"{seed}/{stratum}").sample(sorted(pool, key=lambda u: u.id), k)
    return heapq.nsmallest(k, pool, key=lambda u: (unit_rank(seed, u.id), u.id))


def draw(facts: list[NoteFacts], spec: SampleSpec, model_version: str | None = None) -> Sample:
    """Draw the sample ``spec`` asks for from the frame ``facts`` (given a seed, a pure function of its inputs)."""
    spec.check()
    seed = spec.seed if spec.seed is not None else secrets.randbelow(2**31)
    units = frame_units(facts, spec.unit)
    warnings = []
    if spec.unit == "case" and any(f.case_id is None for f in facts):
        warnings.append("notes without a case_id cannot be sampled by case and were left out")
    label_rank = Counter(name for u in units for name in u.labels)
    warnings += splitting_nothing(units, spec, label_rank)
    oversampled = spec.oversample != 1
    members: dict[str, list[Unit]] = {}
    for u in units:
        members.setdefault(stratum_key(u, spec.stratify, label_rank, oversampled), []).append(u)
    sizes = {k: len(v) for k, v in members.items()}
    measures = {k: sizes[k] * (spec.oversample if k.endswith("flagged=yes") else 1.0) for k in sizes}
    counts = allocate(sizes, measures, spec.size)
    if spec.size > len(units):
        warnings.append(f"the frame has {count(len(units), spec.unit)}, fewer than --size {spec.size}: all are taken")
    if left_empty := strata_left_empty(sizes, counts, spec):
        warnings.append(left_empty)
    chosen: list[tuple[Unit, str, float]] = []
    for key in sorted(members):
        if counts[key]:
            weight = sizes[key] / counts[key]
            chosen += [(u, key, weight) for u in pick(members[key], counts[key], seed, key, spec.method)]
    chosen.sort(key=lambda c: c[0].id)
    digest = hashlib.sha256(json.dumps(sorted((u.id, k) for k, us in members.items() for u in us)).encode()).hexdigest()
    return Sample(
        spec=spec, seed=seed,
        units=[(u.id, key, weight) for u, key, weight in chosen],
        strata=[Stratum(k, sizes[k], counts[k]) for k in sorted(members)],
        items=[(note_id, key, weight) for u, key, weight in chosen for note_id in u.note_ids],
        frame_units=len(units), frame_hash=digest, model_version=model_version, warnings=warnings,
    )


def empty_frame(spec: SampleSpec, facts: list[NoteFacts]) -> str:
    """Why a frame has no units, in the terms of the options that made it."""
    if facts:  # notes, but none of them a unit: sampled by case, none has a case_id
        return "no note of the frame has a case_id (--by case)"
    if spec.date_from or spec.date_to:
        bounds = [f"from {spec.date_from}" if spec.date_from else "", f"to {spec.date_to}" if spec.date_to else ""]
        return f"no note is dated {' '.join(b for b in bounds if b)} (--from/--to)"
    return "the workspace has no notes (casereview import)"


def same_seed_warnings(workspace: Workspace, drawn: Sample) -> list[str]:
    """Warnings for the workspace's audits drawn with the sample's seed, unit and method that share units with it:
    the same seed ranks (or shuffles) units the same way, so such samples overlap far beyond chance (two samples of
    20 of 100 notes share about 4 by chance, and 18 so). The sample is still drawn: a seed given is kept, as its
    reproducibility is the point of giving one."""
    mine = {note_id for note_id, _, _ in drawn.items}  # what reviewers code: notes (a case file's, with --by case)
    warnings = []
    for audit in workspace.audits():
        p = audit.params
        if (p.get("seed"), p.get("unit", "note"), p.get("method")) != (drawn.seed, drawn.spec.unit, drawn.spec.method):
            continue
        if shared := len(mine & {item.note_id for item in workspace.audit_items(audit.name)}):
            warnings.append(f"--seed {drawn.seed} is the seed of audit {audit.name!r} too: the same seed ranks "
                            f"{UNIT_NOUNS[drawn.spec.unit]}s the same way, so {shared} of this sample's "
                            f"{count(len(mine), 'note')} {agree(shared, 'is', 'are')} in it as well; for an "
                            "independent sample give another --seed (or leave it out for a new one)")
    return warnings


def sample(workspace: Workspace, spec: SampleSpec, name: str | None = None) -> tuple[str, Sample]:
    """Draw ``spec`` from the workspace and save it as audit ``name``; returns the name and the sample."""
    spec.check()
    if name is not None:  # white space around it is not part of it, as around a reviewer's name
        name = name.strip()
        if not name:
            raise CaseReviewError("--name: give the audit a name (or leave --name out for audit-<UTC time>)")
        check_name(name, "--name")
        if (taken := workspace.audit(name)) is not None:  # " march", saved before names were stripped, too
            raise CaseReviewError(f"an audit named {taken.name!r} already exists; choose another --name")
    facts = workspace.note_facts(date_from=spec.date_from, date_to=spec.date_to)
    drawn = draw(facts, spec, workspace.current_model_version())
    if not drawn.units:  # an audit of nothing would only be found empty when coding starts
        raise CaseReviewError(f"nothing to sample: {empty_frame(spec, facts)}")
    drawn.warnings += same_seed_warnings(workspace, drawn)
    if name is not None:
        workspace.create_audit(name, drawn.params(name), drawn.items)
        return name, drawn
    # The default name is the UTC second; samples drawn within one second get -2, -3... (another
    # process may take a name between the check and the insert: create_audit refuses it, try the next).
    base = f"audit-{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}"
    for n in itertools.count(1):
        candidate = base if n == 1 else f"{base}-{n}"
        if workspace.audit(candidate) is not None:
            continue
        try:
            workspace.create_audit(candidate, drawn.params(candidate), drawn.items)
        except ConflictError:
            continue
        return candidate, drawn
    raise AssertionError("unreachable")
