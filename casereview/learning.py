"""The learning loop: training sets from reviewers' decisions, comparison, guarded promotion, rollback.

A label's decision is its final state (``Workspace.final_decisions``, as the reports
count it: an adjudication, else the side reviewers took, 'unsure' taking none).
Confirmed and added labels are positives, rejected labels negatives; an
unreviewed label, or one only marked 'unsure', is *missing*: the mask leaves the note out of
that label's training rows instead of making it a negative. So is a label with an
unadjudicated disagreement, until adjudicated: the note's other decided labels train.

A fixed slice of case files (``HELD_OUT_PERCENT`` of them, chosen by a hash of
``case_id``) is never trained on: its notes with every label decided compare a new model with
the current one, beside the corpus dev/test splits. A note whose labels were decided only where
the model in use suggested them is no evidence between two models: its undecided labels would
count as true negatives for both, so the current model's misses and a new model's false alarms
there go uncounted, and a model copying the current one's confirmed suggestions would score best.
Hashing each case file on
its own keeps the slice stable as case files are added: a case file never moves
between training and held-out. Nothing evaluated is trained on: workspace notes
that are also corpus dev/test notes are left out of training, and corpus train
notes (which every corpus-trained model has seen) are never held out.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shlex
import shutil
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import corpus as corpus_mod
from . import model_saves, registry
from .adjudication import ADJUDICATE_ALL_COMMAND
from .errors import ModelError
from .evaluation import metrics, predictions_matrix, targets
from .files import private_folder
from .model_files import MODEL_FILE, read_card
from .notes import CORE_FIELDS, Note
from .registry import file_problem
from .retrained_card import describe_disputed
from .taxonomy import CORE_LABELS, LABEL_NAMES, POSITIVE_STATES
from .wording import agree, count, number
from .workspace import MODELS_DIR, REFUSED_PROMOTION, ModelRecord, Workspace

if TYPE_CHECKING:  # the model's module imports scikit-learn and spaCy (2 s): 'models list', 'show' and 'rollback'
    from .model import ConcernModel  # load no model, so only what trains, scores or compares imports it

HELD_OUT_PERCENT = 20
MAX_MACRO_F1_DROP = 0.01
MAX_CORE_F1_DROP = 0.03
#: Held-out notes with every label decided the guardrail needs before it judges on them rather than on the corpus test
#: split. With fewer, one note decides a core label: at a 20% rate, 100 notes hold about 20 positives, and one
#: note moves F1 by about 0.025, under the 0.03 limit. (With 2 held-out notes, a model trained on inverted
#: labels passed the guardrail and a better one was refused.)
MIN_HELD_OUT_NOTES = 100
#: ... and each core label confirmed or added on this many of them: the rate that reasoning assumes. A label no note
#: carries has an F1 of 0 for both models: a model trained on shuffled labels passed on 228 such notes. (A note whose
#: labels were decided only where a model suggested them, or on one label only, is not counted at all: see above.)
MIN_HELD_OUT_POSITIVES = 20
_EPSILON = 1e-9  # metrics are rounded to 4 places: a drop of exactly the limit passes
ROLLED_BACK = "rolled_back"


def in_held_out_slice(case_id: str) -> bool:
    """Whether a case file belongs to the fixed held-out slice (a note without a case is its own)."""
    digest = hashlib.sha256(f"casereview-held-out:{case_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < HELD_OUT_PERCENT


@dataclass
class LabelledSet:
    """Notes in the corpus schema with a known-label mask (n_notes x n_labels, 1 = known)."""

    records: list[dict]
    mask: np.ndarray

    @classmethod
    def complete(cls, records: Sequence[dict]) -> "LabelledSet":
        """Fully labelled notes (a corpus split): every label known."""
        return cls(list(records), np.ones((len(records), len(LABEL_NAMES)), dtype=np.int8))

    def targets(self) -> np.ndarray:
        return targets(self.records).reshape(-1, len(LABEL_NAMES))  # (0, n_labels) when empty

    def fully_decided(self) -> "LabelledSet":
        """The notes with every label decided (imported with their labels, corpus notes, a note coded in full):
        the only reviewed notes on which two models' misses and false alarms all count."""
        rows = self.mask.all(axis=1)
        return LabelledSet([r for r, keep in zip(self.records, rows) if keep], self.mask[rows])

    def positives(self, names: Sequence[str] = CORE_LABELS) -> dict[str, int]:
        """How many notes carry each of ``names`` (decided positives)."""
        carried = (self.targets() * self.mask).sum(axis=0)
        return {name: int(carried[LABEL_NAMES.index(name)]) for name in names}

    def training_rows(self, label: str) -> np.ndarray:
        """Indices of the notes that train ``label``: those where it is known."""
        return np.flatnonzero(self.mask[:, LABEL_NAMES.index(label)])

    def __len__(self) -> int:
        return len(self.records)


@dataclass
class LoopData:
    """What one retraining reads: the training set, the evaluation sets and their provenance."""

    training: LabelledSet
    held_out: LabelledSet
    dev: LabelledSet
    test: LabelledSet
    decision_log_position: int
    corpus_hash: str
    counts: dict[str, int]

    def evaluation_sets(self) -> dict[str, LabelledSet]:
        """The sets a new model is compared on: the held-out slice's notes with every label decided, corpus dev, test."""
        return {"held_out": self.held_out.fully_decided(), "dev": self.dev, "test": self.test}

    def held_out_corpus_dev_notes(self) -> int:
        """How many of the held-out notes compared on (every label decided) are corpus dev notes (by id, as a note
        replaces its corpus copy): the calibrators and thresholds are fitted on the dev split, so on these notes the
        new model, and a model in use trained on the same corpus, are measured where they were tuned."""
        dev = {r["note_id"] for r in self.dev.records}
        return sum(r["note_id"] in dev for r in self.held_out.fully_decided().records)

    def guard_set(self) -> tuple[str, LabelledSet]:
        """The data the promotion guardrail checks: the held-out slice's notes with every label decided once there
        are ``MIN_HELD_OUT_NOTES`` carrying each core label ``MIN_HELD_OUT_POSITIVES`` times, else the corpus test
        split."""
        return ("test", self.test) if self.too_few_held_out() else ("held_out", self.held_out.fully_decided())

    def too_few_held_out(self) -> str | None:
        """Why the held-out slice cannot judge a promotion yet (None: it can)."""
        reviewed, decided = len(self.held_out), self.held_out.fully_decided()
        if len(decided) < MIN_HELD_OUT_NOTES:
            which = "none" if not decided else number(len(decided))
            return (f"the held-out slice has {count(reviewed, 'reviewed note')}, {which} with every label decided, "
                    f"too few to judge on until {MIN_HELD_OUT_NOTES} have")
        carried = decided.positives()
        fewest = min(carried, key=carried.get)
        if carried[fewest] < MIN_HELD_OUT_POSITIVES:
            return (f"the held-out slice's {count(len(decided), 'note')} with every label decided carry {fewest} on "
                    f"{number(carried[fewest])}, too few to judge on until each core label is carried by "
                    f"{MIN_HELD_OUT_POSITIVES}")
        return None

    def evidence(self, corpus_dir: str | Path | None) -> "Evidence":
        """What the promotion guardrail judges on, as the workspace stands (:meth:`guard_set`)."""
        name, guard = self.guard_set()
        return Evidence(name, len(guard), guard.positives(), str(corpus_mod.corpus_folder(corpus_dir).resolve()),
                        len(self.held_out), len(self.held_out.fully_decided()), self.too_few_held_out())


@dataclass(frozen=True)
class Evidence:
    """What the promotion guardrail judges on, and how much of it there is."""

    set: str  # "held_out" (its notes with every label decided) or "test" (the corpus's test split)
    notes: int
    core_positives: dict[str, int]  # notes of the set carrying each core label
    corpus: str  # the corpus folder whose test split stands in for the held-out slice
    held_out_reviewed: int  # reviewed notes in the held-out slice
    fully_decided: int  # ... of which every label is decided (the others are no evidence between two models)
    too_few_held_out: str | None  # why the corpus test split stands in

    def describe(self) -> str:
        """The evidence in words, as 'judged on ...' or 'promote compares on ...' ends."""
        carried = ", ".join(f"{name} {number(n)}" for name, n in self.core_positives.items())
        if self.set == "held_out":
            left_out = self.held_out_reviewed - self.fully_decided
            return (f"the held-out slice: {count(self.notes, 'reviewed note')} with every label decided (core labels "
                    f"carried: {carried}); {number(left_out)} with some label undecided left out")
        return (f"the test split of the corpus {self.corpus}: {count(self.notes, 'note')}, every label decided "
                f"(core labels carried: {carried}); {self.too_few_held_out}")

    def left_out(self) -> str | None:
        """Why reviewed held-out notes were left out, and how a note comes to count (None: none were)."""
        left_out = self.held_out_reviewed - self.fully_decided
        if not left_out:
            return None
        return (f"{count(left_out, 'reviewed held-out note')} with some label undecided {agree(left_out, 'is', 'are')} "
                "no evidence between two models: no one said whether the current model missed a concern there, nor "
                "whether a new one's suggestion was a false alarm. A note counts once every label on it is decided: "
                "imported with its labels, or each label confirmed, added or rejected (in a --hide-model audit too; in review, "
                "N rejects every label left undecided on the note)")

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _spans(items: Any, text_length: int) -> list[dict[str, int]]:
    """Well-formed character spans of an evidence list (anything else is dropped)."""
    if not isinstance(items, list):
        return []
    spans = []
    for item in items:
        start, end = (item.get("start"), item.get("end")) if isinstance(item, dict) else (None, None)
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= text_length:
            spans.append({"start": start, "end": end})
    return spans


def reviewed_record(note: Note, decisions: dict[str, tuple[str, list[dict]]],
                    corpus_record: dict | None = None, disputed: Collection[str] = ()) -> tuple[dict, np.ndarray]:
    """A reviewed note as a training record and its mask row.

    ``decisions``: label -> (final state, evidence of the suggestion the deciding decision was made on).
    A corpus record with the same text supplies its gold labels for the labels
    nobody decided. A ``disputed`` label is unknown (masked) whatever the corpus or
    the coder who saved last says. A positive label's evidence is, in order of preference,
    human-marked (corpus or the note's own ``evidence`` field), the suggestion's
    evidence the reviewer confirmed, else none here (see :func:`locate_evidence`).
    """
    mask = np.zeros(len(LABEL_NAMES), dtype=np.int8)
    labels: set[str] = set()
    human_evidence = note.extra.get("evidence") if isinstance(note.extra.get("evidence"), dict) else {}
    if corpus_record is not None and corpus_record.get("text") == note.text:
        mask[:] = 1
        labels = set(corpus_record.get("labels") or [])
        human_evidence = corpus_record.get("evidence") or {}
    for j, name in enumerate(LABEL_NAMES):
        if name in disputed:  # held back until adjudicated: the corpus's label is one side of the dispute
            mask[j] = 0
            labels.discard(name)
            continue
        state, shown = decisions.get(name, ("unsure", []))
        if state == "unsure":  # no side taken: leave the label as it was
            continue
        mask[j] = 1
        if state in POSITIVE_STATES:
            labels.add(name)
        else:
            labels.discard(name)
    evidence = {}
    for name in sorted(labels):
        spans = _spans(human_evidence.get(name), len(note.text))
        if not spans and name in decisions:
            spans = _spans(decisions[name][1], len(note.text))
        if spans:
            evidence[name] = spans
    record = {f: getattr(note, f) for f in CORE_FIELDS}
    record.update(labels=[n for n in LABEL_NAMES if n in labels], evidence=evidence)
    return record, mask


def same_as_corpus(record: dict, mask_row: np.ndarray, corpus_record: dict) -> bool:
    """Whether a reviewed note's training record teaches nothing its corpus record does not: the same fields and
    text, and on every label it knows the same label and evidence (a corpus note imported with its labels, or decided
    as the corpus has it; a label it does not know is a disputed one, held back)."""
    known = {name for name, k in zip(LABEL_NAMES, mask_row) if k}
    labels = set(corpus_record.get("labels") or []) & known
    evidence = corpus_record.get("evidence") or {}
    return (all(record[f] == corpus_record.get(f) for f in CORE_FIELDS)
            and set(record["labels"]) == labels
            and all(record["evidence"].get(name, []) == _spans(evidence.get(name), len(record["text"]))
                    for name in labels))


def _stack(rows: list[np.ndarray]) -> np.ndarray:
    return np.vstack(rows).astype(np.int8) if rows else np.zeros((0, len(LABEL_NAMES)), dtype=np.int8)


def locate_evidence(model: ConcernModel, records: list[dict]) -> int:
    """Give each positive label that has no evidence the sentences ``model`` finds strongest for it.

    Reviewers decide labels per note, but the classifier learns from evidence
    sentences: without any, every sentence of the note would count as positive,
    which teaches it noise. Scoring with every threshold at 0 makes the model
    give its evidence for every label. Returns how many labels got evidence.
    """
    pending = [r for r in records if any(name not in r["evidence"] for name in r["labels"])]
    every_label = dataclasses.replace(model, thresholds={name: 0.0 for name in model.thresholds})
    located = 0
    notes = (Note(**{f: r.get(f) for f in CORE_FIELDS}) for r in pending)
    for record, result in zip(pending, every_label.predict_stream(notes)):
        for name in record["labels"]:
            spans = _spans(result["evidence"].get(name), len(record["text"]))
            if name not in record["evidence"] and spans:
                record["evidence"][name] = spans
                located += 1
    return located


def build(workspace: Workspace, corpus_records: Sequence[dict], *, hold_out: bool = True,
          evidence_model: ConcernModel | None = None) -> LoopData:
    """Training and evaluation sets from the corpus and the workspace's final decisions (``final_decisions``).

    Training: the corpus train split plus every reviewed workspace note outside
    the held-out slice (a workspace note replaces the corpus note of the same id,
    unless it is the same as that corpus train note: then the corpus note trains as
    it is and the workspace adds nothing); ``evidence_model`` locates the evidence
    of positive labels that have none. A disputed label is unknown (masked) on its
    note, a corpus note's too, until adjudicated; a note with nothing known but
    disputes is left out (and replaces nothing).
    ``hold_out=False`` trains on the held-out slice too (simulations that evaluate elsewhere).
    """
    corpus_by_id = {r["note_id"]: r for r in corpus_records}
    evaluation_ids = {r["note_id"] for r in corpus_records if r.get("split") in ("dev", "test")}
    with workspace.snapshot():
        position = workspace.decision_log_position()
        final = workspace.final_decisions(evidence=True)
        disputed: dict[str, set[str]] = {}
        for note_id, label in final.disputed:  # Workspace.disagreements' pairs, read with the decisions
            disputed.setdefault(note_id, set()).add(label)
        decided = {note_id: {label: (d.state, d.evidence) for label, d in labels.items()}
                   for note_id, labels in final.items()}
        del final  # kept as decided
        notes = [workspace.get_note(note_id) for note_id in sorted(decided)]  # the same order, whatever the log's
    train_records, train_mask, held_records, held_mask = [], [], [], []
    left_out_evaluation = left_out_disputed = 0
    unchanged: set[str] = set()
    replaced: set[str] = set()  # corpus notes a workspace note trains or is held out in place of
    corpus_masks: dict[str, np.ndarray] = {}  # corpus train notes that train without their disputed labels
    for note in notes:
        corpus_record = corpus_by_id.get(note.note_id)
        record, mask_row = reviewed_record(note, decided[note.note_id], corpus_record,
                                           disputed.get(note.note_id, ()))
        if not mask_row.any():  # nothing decided, or nothing but disputes: as a note no one decided
            left_out_disputed += note.note_id in disputed
            continue
        # A corpus train note cannot test any model trained on the corpus: it trains instead. Told by its id, as a
        # note replaces its corpus copy: redacted after its decisions (or updated), it is still the note they learnt.
        seen_in_training = corpus_record is not None and corpus_record.get("split") == "train"
        if seen_in_training and same_as_corpus(record, mask_row, corpus_record):
            unchanged.add(note.note_id)  # its corpus note trains as it is: nothing new to learn from it
            if not mask_row.all():
                corpus_masks[note.note_id] = mask_row
        elif hold_out and not seen_in_training and in_held_out_slice(note.case_id or note.note_id):
            held_records.append(record)
            held_mask.append(mask_row)
            replaced.add(note.note_id)
        elif note.note_id in evaluation_ids:
            left_out_evaluation += 1
        else:
            train_records.append(record)
            train_mask.append(mask_row)
            replaced.add(note.note_id)
    located = locate_evidence(evidence_model, train_records) if evidence_model is not None else 0
    base = [r for r in corpus_mod.split(list(corpus_records), "train") if r["note_id"] not in replaced]
    every_label = np.ones(len(LABEL_NAMES), dtype=np.int8)
    base_mask = [corpus_masks.get(r["note_id"], every_label) for r in base]
    training = LabelledSet(base + train_records, _stack(base_mask + train_mask))
    counts = {"corpus_train": len(base), "workspace_train": len(train_records), "held_out": len(held_records),
              "disputed_labels": sum(map(len, disputed.values())), "disputed_notes": len(disputed),
              "left_out_disputed": left_out_disputed, "left_out_in_corpus_evaluation": left_out_evaluation,
              "same_as_corpus": len(unchanged), "evidence_located": located}
    return LoopData(training, LabelledSet(held_records, _stack(held_mask)),
                    LabelledSet.complete(corpus_mod.split(list(corpus_records), "dev")),
                    LabelledSet.complete(corpus_mod.split(list(corpus_records), "test")),
                    position, corpus_mod.data_hash(list(corpus_records)), counts)


def evaluate(model: ConcernModel, labelled: LabelledSet) -> dict[str, Any]:
    """Metrics over the known labels only (an unknown pair is a true negative: see ``metrics``; fair between two
    models only where which pairs are known does not depend on either, as on notes with every label known)."""
    notes = [Note(**{f: r.get(f) for f in CORE_FIELDS}) for r in labelled.records]
    predicted = predictions_matrix(model.predict(notes)).reshape(-1, len(LABEL_NAMES))
    return metrics(labelled.targets(), predicted, known=labelled.mask)


def compare(new: ConcernModel, current: ConcernModel | None, sets: dict[str, LabelledSet]) -> dict[str, Any]:
    """Per set: notes, the new model's metrics and the current model's (None without a current model)."""
    return {
        "new_version": new.version,
        "current_version": current.version if current else None,
        "sets": {name: {"notes": len(s), "new": evaluate(new, s), "current": evaluate(current, s) if current else None}
                 for name, s in sets.items()},
    }


def guardrail(new: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Why promoting ``new`` over ``current`` is refused (empty: it is not)."""
    reasons = []
    # None: no note of the set carries any label, so there is no macro-F1 to compare (evaluation.metrics)
    drop = current["macro_f1"] - new["macro_f1"] if None not in (current["macro_f1"], new["macro_f1"]) else 0.0
    if drop > MAX_MACRO_F1_DROP + _EPSILON:
        reasons.append(f"macro-F1 drops by {drop:.3f} ({current['macro_f1']:.3f} -> {new['macro_f1']:.3f}; "
                       f"limit {MAX_MACRO_F1_DROP})")
    for name in CORE_LABELS:
        before, after = current["per_label"][name]["f1"], new["per_label"][name]["f1"]
        if None in (before, after):  # no note of the set carries it: no F1 to compare (not 0: nothing to find)
            continue
        if before - after > MAX_CORE_F1_DROP + _EPSILON:
            reasons.append(f"core label {name} F1 drops by {before - after:.3f} ({before:.3f} -> {after:.3f}; "
                           f"limit {MAX_CORE_F1_DROP})")
    return reasons


class NothingToLearnError(ModelError):
    """No reviewed note would train the new model: it would be the corpus-only model again."""


def described(record: ModelRecord, card: dict[str, Any] | None = None) -> ModelRecord:
    """``record``, with the figures of its model card (``card``, read if not given) when the registry has none.

    A model scored with before it was retrained here (the shipped one, a folder given to 'tag') is registered
    with no metrics and no training data: its card has them, measured on the corpus it was trained on.
    """
    if record.metrics or record.trained_on:
        return record
    card = read_card(record.path) if card is None else card
    if not card.get("metrics"):
        return record
    trained_on = {"corpus": card.get("corpus"), "corpus_hash": card.get("data_hash"), "seed": card.get("seed"),
                  "notes": card.get("counts")}
    return dataclasses.replace(record, metrics=card["metrics"],
                               trained_on={k: v for k, v in trained_on.items() if v is not None})


@dataclass(frozen=True)
class ListedModel:
    """A model version as 'models list' shows it."""

    record: ModelRecord  # with its card's figures when the registry has none (:func:`described`)
    trained_at: str | None  # its card's date: the shipped model was trained long before a workspace registered it
    file_problem: str | None  # its file missing, or not the one registered (``registry.file_problem``)

    def as_json(self) -> dict[str, Any]:
        """The record's fields with the card's date and the file's problem: what 'models list' and 'show' print."""
        return {**dataclasses.asdict(self.record), "trained_at": self.trained_at, "file_problem": self.file_problem}


def listed_model(record: ModelRecord) -> ListedModel:
    """A registered model with its card's figures and date, its file checked against its registered hash (about
    10 ms for the shipped model's 12 MB: 'models list' checks every version, so a data lead sees it at a glance)."""
    card = read_card(record.path)
    if card.get("sha256", record.sha256) != record.sha256:  # written with another model, trained into its folder since
        card = {}
    trained_at = card.get("created_at") if isinstance(card.get("created_at"), str) else None
    return ListedModel(described(record, card), trained_at, file_problem(record))


def listed(workspace: Workspace) -> list[ListedModel]:
    """The workspace's model versions in the order registered, as :func:`listed_model`."""
    return [listed_model(record) for record in workspace.models()]


def _load_registered(record: ModelRecord) -> ConcernModel:
    """A registered model, checked against its registered hash first (so the error names no option to override)."""
    from .model import load

    problem = file_problem(record)
    if problem is None:
        try:
            return load(record.path, record.sha256)
        except ModelError as e:  # an old format, an unreadable file
            raise ModelError(f"model {record.version}: {e}") from None
    raise ModelError(f"model {record.version}: {Path(record.path, MODEL_FILE)}: {problem}")


def current_model(workspace: Workspace) -> ConcernModel | None:
    """The model in use: the workspace's promoted model, else the shipped default, else None."""
    promoted = workspace.promoted_model()
    if promoted is not None:
        return _load_registered(promoted)
    if not registry.shipped_pins().get("default"):
        return None
    return registry.resolve(None, workspace)[0]


def _usable_current_model(workspace: Workspace) -> ConcernModel | None:
    """The current model for retraining, which needs it to locate evidence and to compare with."""
    try:
        return current_model(workspace)
    except ModelError as e:
        promoted = workspace.promoted_model()
        way_out = registry.promote_instead(promoted.version if promoted else "")
        raise ModelError(f"cannot retrain against the promoted {e}; {way_out}") from None


# -- retraining --------------------------------------------------------------------
@dataclass
class RetrainResult:
    record: ModelRecord
    comparison: dict[str, Any]
    counts: dict[str, int]
    already_registered: bool = False
    too_few_held_out: str | None = None  # why promote will judge on the corpus test split (LoopData.too_few_held_out)
    registered_by_another_run: bool = False  # a retrain run at the same time on the same data registered it first
    removed_leftovers: list[model_saves.UnfinishedSave] = field(default_factory=list)  # of retrains killed saving
    #: what promote judges the version on, as the workspace stands (:meth:`Evidence.as_json`)
    promote_compares_on: dict[str, Any] = field(default_factory=dict)

    @property
    def promote_command(self) -> str:
        """The command that promotes the version, with the --corpus it was retrained with unless the default
        (promote refuses to compare on another corpus)."""
        corpus = self.promote_compares_on["corpus"]
        return f"casereview models promote {self.record.version}" + (
            "" if corpus_mod.is_sample(corpus) else f" --corpus {shlex.quote(corpus)}")


def training_digest(data: LoopData, seed: int) -> str:
    """A hash of exactly what a model is trained on: same digest, same model."""
    digest = hashlib.sha256(f"{data.corpus_hash}:{seed}".encode("utf-8"))
    for record, mask_row in zip(data.training.records, data.training.mask):
        digest.update(json.dumps([record["note_id"], record["text"], record["labels"], record.get("evidence"),
                                  mask_row.tolist()], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def registered_with_digest(workspace: Workspace, digest: str) -> ModelRecord | None:
    """The retrained version whose training data has this digest (its version ends with the digest's start)."""
    return next((m for m in workspace.models()
                 if m.version.startswith("local-") and m.version.rsplit("-", 1)[-1] == digest[:8]), None)


def _register_private(workspace: Workspace, model: ConcernModel, card: dict[str, Any], *, metrics: dict[str, Any],
                      trained_on: dict[str, Any], actor: str) -> bool:
    """Save a model (owner-only files) and register it; a failure leaves no model folder. False: another process
    (a retrain run at the same time on the same data) registered this version while this one trained or saved.

    The files are written in a private hidden folder (``model_saves``: 0700 before any file exists) renamed to
    ``models/<version>`` when complete, so an interrupted or refused retrain (Ctrl-C, a locked workspace)
    leaves no half-written or unregistered folder under a version's name, and a registered model's file is
    never rewritten in place. The check that the version is not registered, the rename and the registration
    are one write transaction: a retrain saving at the same time waits, then finds the version registered. A
    process killed between the rename and the commit leaves the folder unregistered: ``model_saves`` counts it a
    leftover (this happens still under the save lock).
    """
    from .model import save

    models_dir = workspace.path / MODELS_DIR
    private_folder(models_dir, lambda entry: True)  # the workspace's own: all in it is the tool's
    folder = models_dir / model.version
    with model_saves.saving_folder(models_dir, model.version) as staging:
        sha = save(model, staging, card)
        placed = False
        try:
            with workspace.transaction():
                if workspace.model(model.version) is not None:  # the other run's file, the same training data
                    return False
                if folder.exists():  # left by a retrain stopped before registering
                    shutil.rmtree(folder)
                staging.rename(folder)
                placed = True
                workspace.register_model(model.version, str(folder.resolve()), sha, metrics=metrics,
                                         trained_on=trained_on, actor=actor)
        except BaseException:
            if placed:
                shutil.rmtree(folder, ignore_errors=True)
            raise
    return True


def retrain(workspace: Workspace, *, actor: str, corpus_dir: str | Path | None = None, seed: int | None = None,
            hold_out: bool = True, nlp=None, processes: int = 1, corpus_only: bool = False,
            stage: Callable[[str], None] = lambda _: None) -> RetrainResult:
    """Train on the corpus plus the workspace's decisions, compare with the current model, register (not promote).

    The model is saved in ``<workspace>/models/<version>/``; its version names the
    decision-log position and a digest of its training data. ``processes``: forked workers
    for the stackers' out-of-fold fits (the model is the same with any number).
    Refused (:class:`NothingToLearnError`) while no reviewed note would train it, unless
    ``corpus_only`` (a simulation's starting point). The folders of earlier retrains killed while saving
    are removed first (``registry.remove_leftover_saves``). ``seed``: the model's default seed unless given.
    ``stage`` is told each step as it starts, in words (training takes minutes: a person waiting is told what on).
    """
    from .model import DEFAULT_SEED, TrainingConfig, fit
    from .nlp import make_nlp
    from .training import design, folds_told

    seed = DEFAULT_SEED if seed is None else seed
    stage("reading the corpus and the workspace's decisions")
    removed = registry.remove_leftover_saves(workspace)
    corpus_records = corpus_mod.load(corpus_dir)
    corpus_mod.check_splits(corpus_records, corpus_dir, ("dev", "test"),
                            "retrain tunes the new model on dev and compares it with the current one on test")
    current = _usable_current_model(workspace)
    data = build(workspace, corpus_records, hold_out=hold_out, evidence_model=current)
    if not data.counts["workspace_train"] and not corpus_only:
        counts = data.counts
        disputed = (f"held back as disputed until adjudicated ('{ADJUDICATE_ALL_COMMAND}' settles them): "
                    f"{describe_disputed(counts)}; " if counts.get("disputed_labels") else "")
        raise NothingToLearnError(
            f"nothing to learn: no reviewed note to train on ({number(counts['held_out'])} held out for the comparison, "
            f"{number(counts['left_out_in_corpus_evaluation'])} in the corpus dev/test splits, "
            f"{number(counts['same_as_corpus'])} the "
            f"same as the corpus train notes they would replace); {disputed}"
            "review more notes first ('casereview review --queue uncertain --unreviewed')")
    digest = training_digest(data, seed)
    existing = registered_with_digest(workspace, digest)
    if existing is not None:  # the same data and seed train the same model, whatever the log position
        return RetrainResult(existing, {}, data.counts, already_registered=True,
                             too_few_held_out=data.too_few_held_out(), removed_leftovers=removed,
                             promote_compares_on=data.evidence(corpus_dir).as_json())
    version = f"local-{data.decision_log_position}-{digest[:8]}"
    config = TrainingConfig(seed=seed)
    counts = data.counts
    stage(f"training on {count(counts['corpus_train'], 'corpus train note')} and "
          f"{count(counts['workspace_train'], 'reviewed note')}")
    model = fit(data.training.records, data.dev.records, config, version=version,
                nlp=nlp or make_nlp(config.sentence_words), mask=data.training.mask, processes=processes,
                folds_done=folds_told(stage))
    sets = data.evaluation_sets()
    stage(f"{f'comparing with {current.version}' if current else 'measuring'} on "
          f"{count(sum(len(labelled) for labelled in sets.values()), 'note')}")
    comparison = compare(model, current, sets)
    comparison["sets"]["held_out"]["corpus_dev_notes"] = data.held_out_corpus_dev_notes()  # the card says so
    new_metrics = {name: s["new"] for name, s in comparison["sets"].items()}
    trained_on = {
        "decision_log_position": data.decision_log_position,
        "corpus": str(corpus_mod.corpus_folder(corpus_dir).resolve()),  # the --corpus to compare on
        "corpus_hash": data.corpus_hash,
        "seed": seed,
        "notes": data.counts,
        "held_out_percent": HELD_OUT_PERCENT if hold_out else 0,
        "compared_with": comparison["current_version"],
        "evidence_located_by": comparison["current_version"],  # the same current model
    }
    sample_corpus = corpus_mod.is_sample(corpus_dir)
    evidence = data.evidence(corpus_dir).as_json()
    card = {
        "summary": "Concern classifier retrained on the corpus plus a workspace's review decisions (casereview).",
        "design": design(sample_corpus=sample_corpus), "corpus": trained_on["corpus"],
        "sample_corpus": sample_corpus, "data_hash": data.corpus_hash, "seed": seed,
        "config": vars(config), "counts": data.counts, "metrics": new_metrics, "trained_on": trained_on,
        "comparison": comparison, "promote_compares_on": evidence,  # the card says what promotion judges
    }
    stage(f"saving {version}")
    registered = _register_private(workspace, model, card, metrics=new_metrics, trained_on=trained_on, actor=actor)
    return RetrainResult(workspace.model(version), comparison, data.counts, too_few_held_out=data.too_few_held_out(),
                         registered_by_another_run=not registered, removed_leftovers=removed,
                         promote_compares_on=evidence)


# -- promotion and rollback ------------------------------------------------------------
@dataclass
class PromotionResult:
    version: str
    previous: str | None
    guard_set: str
    notes: int
    new: dict[str, Any]
    current: dict[str, Any] | None
    reasons: list[str] = field(default_factory=list)  # why the guardrail refuses
    held_out_notes: int = 0  # reviewed notes in the held-out slice (those with every label decided judge)
    too_few_held_out: str | None = None  # why the corpus test split stands in for the held-out slice
    promoted: bool = False
    forced: bool = False
    already_promoted: bool = False  # it was the promoted model already: nothing compared or recorded
    same_file_as: str | None = None  # the version in use, whose file it is (the same hash): nothing compared
    sha256: str = ""
    corpus: str = ""  # the corpus folder whose test split stands in for the held-out slice
    evidence: Evidence | None = None  # what it was judged on (None: nothing was compared)


def _other_corpus(record: ModelRecord, corpus_records: list[dict], corpus_dir: str | Path | None) -> str | None:
    """Why the comparison's corpus is not the one ``record`` was trained with (None if it is, or is not recorded).

    The held-out slice leaves out the corpus's train notes and the corpus test split stands in for it:
    with another corpus, the guardrail may measure the candidate on notes it was trained on.
    """
    trained_hash = record.trained_on.get("corpus_hash")
    compared_hash = corpus_mod.data_hash(corpus_records)
    if not trained_hash or trained_hash == compared_hash:
        return None
    compared = corpus_mod.corpus_folder(corpus_dir).resolve()
    return (f"{record.version} was retrained with --corpus {record.trained_on.get('corpus')} ({trained_hash[:12]}…), "
            f"not {compared} ({compared_hash[:12]}…): compare on the same --corpus, or it may be tested on its "
            "own training notes")


def _in_use_with_hash(workspace: Workspace, sha256: str) -> str | None:
    """The version of the model in use (the promoted one, else the shipped default) if its recorded hash is
    ``sha256``: the same file, read without loading either."""
    promoted = workspace.promoted_model()
    if promoted is not None:
        return promoted.version if promoted.sha256 == sha256 else None
    pins = registry.shipped_pins()
    default = pins.get("default")
    return default if default and pins["models"][default]["sha256"] == sha256 else None


def promote(workspace: Workspace, version: str, *, actor: str, force: bool = False,
            corpus_dir: str | Path | None = None) -> PromotionResult:
    """Promote ``version`` unless it does worse than the current model on the held-out data.

    The held-out data is the held-out slice's notes with every label decided once there are ``MIN_HELD_OUT_NOTES``
    of them carrying each core label ``MIN_HELD_OUT_POSITIVES`` times, else the corpus test split (``evidence``
    says which, how many notes and positives, and how many reviewed notes were left out). Refused when
    its macro-F1 drops by more than ``MAX_MACRO_F1_DROP`` or a core label's F1 by more than ``MAX_CORE_F1_DROP``;
    ``force`` promotes anyway and the audit log records it as forced, with ``actor``. A version whose file is the
    model in use (the same registered hash: the shipped default in a workspace that promoted none yet, or a copy of
    the promoted model) is promoted with nothing compared.
    """
    # the shipped model needs no 'tag' first: after an upgrade, the way out of a promoted model it removed
    record = workspace.model(version) or registry.register_shipped(workspace, version)
    if record is None:
        known = ", ".join(m.version for m in workspace.models()) or "none"
        raise ModelError(f"no model version {version!r} in this workspace (known: {known})")
    promoted = workspace.promoted_model()
    if promoted is not None and promoted.version == version:  # what was asked holds: nothing to judge or record
        return PromotionResult(version, version, "", 0, {}, None, already_promoted=True)
    in_use = _in_use_with_hash(workspace, record.sha256)
    if in_use is not None and file_problem(record) is None:  # the model in use itself: it would be compared with itself
        workspace.promote_model(version, actor=actor, replacing=promoted.version if promoted else None)
        return PromotionResult(version, in_use, "", 0, {}, None, promoted=True, same_file_as=in_use,
                               sha256=record.sha256)
    candidate = _load_registered(record)
    try:
        current, unusable = current_model(workspace), None
    except ModelError as e:  # the guardrail cannot compare; --force is the way past a broken promoted model
        current, unusable = None, f"the current {e}: the guardrail cannot compare with it"
    corpus_records = corpus_mod.load(corpus_dir)
    data = build(workspace, corpus_records)
    name, guard = data.guard_set()
    new_metrics = evaluate(candidate, guard)
    current_metrics = evaluate(current, guard) if current is not None else None
    reasons = guardrail(new_metrics, current_metrics) if current_metrics else []
    if unusable:
        reasons.insert(0, unusable)
    if not len(guard):  # nothing to judge it on: it would pass with no comparison at all
        reasons.insert(0, f"cannot compare: corpus {corpus_mod.corpus_folder(corpus_dir)} has no test notes (a note's "
                          f"'split') and {data.too_few_held_out()} in its stead")
    other_corpus = _other_corpus(record, corpus_records, corpus_dir)
    if other_corpus:
        reasons.insert(0, other_corpus)
    previous = current.version if current else (promoted.version if promoted else None)
    result = PromotionResult(version, previous, name, len(guard), new_metrics, current_metrics, reasons,
                             len(data.held_out), data.too_few_held_out(),
                             corpus=str(corpus_mod.corpus_folder(corpus_dir).resolve()),
                             evidence=data.evidence(corpus_dir))
    # what the guardrail judged on and why it refused, kept with the event: a data lead reading a version's history
    # sees a promotion tried and refused, or forced past it, and why
    guardrail_said = {"compared_with": previous, "judged_on": result.evidence.describe() if len(guard) else None,
                      "reasons": reasons} if reasons else None
    if reasons and not force:
        workspace.refuse_promotion(version, actor=actor, guardrail=guardrail_said)
        return result
    # compared with the model promoted when promote began: if another program promoted another since, refuse
    workspace.promote_model(version, actor=actor, forced=bool(reasons), replacing=promoted.version if promoted else None,
                            guardrail=guardrail_said)
    result.promoted, result.forced = True, bool(reasons)
    return result


def _replay(events: list[dict]) -> tuple[list[str], dict[int, str]]:
    """The promotion history the model events leave, and for each rollback event the version it took off.

    A rollback event names the version it restored; the one it took off is the history's top before it.
    """
    stack: list[str] = []
    taken_off: dict[int, str] = {}
    for event in events:
        if event["action"] == "promoted" and (not stack or stack[-1] != event["version"]):
            stack.append(event["version"])
        elif event["action"] == ROLLED_BACK:
            if stack:
                taken_off[event["id"]] = stack.pop()
            if not stack or stack[-1] != event["version"]:
                stack.append(event["version"])
    return stack, taken_off


def promotion_history(workspace: Workspace) -> list[str]:
    """The versions promoted in turn, oldest first, with rolled-back promotions taken off."""
    return _replay(workspace.model_events())[0]


def audit_log(workspace: Workspace, version: str) -> list[dict]:
    """The model events about ``version``, oldest first, each with ``what`` happened in words:
    its own (registered, promoted, promoted again by a rollback from X, refused promotion: its ``guardrail`` says what
    it was judged on and why) and the rollbacks that took it off."""
    events = workspace.model_events()
    taken_off = _replay(events)[1]
    log = []
    for event in events:
        if event["version"] == version:
            what = (f"promoted again by a rollback from {taken_off.get(event['id'], '?')}"
                    if event["action"] == ROLLED_BACK else
                    "promotion refused by the guardrail" if event["action"] == REFUSED_PROMOTION else event["action"])
        elif taken_off.get(event["id"]) == version:
            what = f"rolled back to {event['version']}"
        else:
            continue
        log.append({**event, "what": what})
    return log


def _shipped_before(workspace: Workspace, current: str) -> str | None:
    """The shipped default, registered, when ``current``, the only version ever promoted, was retrained here: until
    it was promoted the workspace used the model casereview ships (a workspace never tagged registers none), so a
    rollback of that first promotion goes back to it. None for any other version."""
    record = workspace.model(current)
    if not Path(record.path).resolve().is_relative_to((workspace.path / MODELS_DIR).resolve()):
        return None
    default = registry.shipped_pins().get("default")
    return default if default and registry.register_shipped(workspace, default) is not None else None


def rollback(workspace: Workspace, *, actor: str) -> tuple[str, str]:
    """Promote again the version promoted before the current one (before the first promotion of a model retrained
    here: the shipped model, which the workspace used until then); returns (restored, rolled back)."""
    history = promotion_history(workspace)
    if not history:
        raise ModelError("nothing to roll back to: no version is promoted in this workspace yet ('casereview tag' "
                         "promotes the model it scores with; 'casereview models promote VERSION' another)")
    current = history[-1]
    restored = history[-2] if len(history) > 1 else _shipped_before(workspace, current)
    if restored is None:
        raise ModelError(f"nothing to roll back to: no version was promoted in this workspace before {current}, "
                         "the promoted one; to use another, promote it: 'casereview models promote VERSION' "
                         "(versions: 'casereview models list')")
    record = workspace.model(restored)
    problem = file_problem(record)
    if problem is not None:
        raise ModelError(f"{Path(record.path, MODEL_FILE)}: {problem}; not rolling back to {restored}")
    workspace.promote_model(restored, actor=actor, action=ROLLED_BACK, replacing=current)
    return restored, current
