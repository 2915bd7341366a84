"""Disagreements between coders, and the senior reviewer's session that settles them.

A *dispute* is a (note, label) that two or more reviewers decided differently:
one positive (confirmed/added), another rejected; 'unsure' takes no side. In an
audit the reviewers are its coders; across the workspace (no audit) they are
every reviewer, an import's labels counting as decisions of ``import:<file>``:
the disputes that ``export labels`` and ``retrain`` hold back
(``Workspace.disagreements()``). The adjudicator's final decision is an event of
kind 'adjudication' (with the audit, or none), which the workspace's current
state (and so retraining, exports and reports) prefers over every review. A
reviewer does not adjudicate a dispute they coded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from .double_coding import model_hidden_notes
from .errors import CaseReviewError
from .notes import Note
from .review import WritesElsewhere, positive_state, read_stamp, repeats
from .taxonomy import BY_NAME, LABEL_NAMES, POSITIVE_STATES
from .workspace import Decision, Prediction, Workspace

#: The command that settles the workspace's disputes, which ``export labels`` and ``retrain`` hold back.
ADJUDICATE_ALL_COMMAND = "casereview review --adjudicate-all"
#: The command that settles one audit's disputes, its name after it.
ADJUDICATE_COMMAND = "casereview review --adjudicate"

#: A dispute's final decision in words (None: open, not yet settled).
FINAL_WORDS = {None: "open", "confirmed": "concern", "added": "concern", "rejected": "no concern"}


@dataclass(frozen=True)
class Dispute:
    note_id: str
    label: str
    states: dict[str, str]  # reviewer -> their current decision (in the audit, if any)
    final: str | None  # the adjudicated state, None while open
    adjudicator: str | None = None  # who settled it (None while open)
    settled_by: int | None = None  # the adjudication event that settled it (its id in the log; None while open)


class SettledElsewhere(CaseReviewError):
    """A final decision refused: since the session last read the dispute (what the adjudicator was shown), another
    adjudicator, or this one in another window, settled it otherwise. Recorded, it would overwrite a final decision
    the adjudicator had not seen; the session has read it now, and the same call again records the change."""

    def __init__(self, note_id: str, dispute: Dispute):
        self.note_id, self.dispute = note_id, dispute
        super().__init__(f"note {note_id}, {BY_NAME[dispute.label].shown_name}: settled elsewhere as "
                         f"{FINAL_WORDS[dispute.final]}{f' by {dispute.adjudicator}' if dispute.adjudicator else ''} "
                         "since it was read here; nothing saved")


class NoLongerDisputed(CaseReviewError):
    """A final decision refused: since the session last read the note, its coders' decisions changed and the label is
    disputed no more. Recorded, it would settle what no coder now disagrees on, unseen."""

    def __init__(self, note_id: str, label: str):
        self.note_id, self.label = note_id, label
        super().__init__(f"note {note_id}, {BY_NAME[label].shown_name}: no longer disputed, its coders' decisions "
                         "changed since it was read here; nothing saved")


def coding_by_pair(workspace: Workspace, audit: str | None,
                   note_id: str | None = None) -> dict[tuple[str, str], dict[str, str]]:
    """(note, label) -> {reviewer: state} of the audit's review decisions (all reviews if no audit; one note's, given
    ``note_id``)."""
    pairs: dict[tuple[str, str], dict[str, str]] = {}
    for note_id, label, reviewer, state in workspace.audit_coding(audit, note_id=note_id):
        pairs.setdefault((note_id, label), {})[reviewer] = state
    return pairs


def is_disagreement(states: dict[str, str]) -> bool:
    sides = {s in POSITIVE_STATES for s in states.values() if s != "unsure"}
    return len(sides) > 1


def disputes(workspace: Workspace, audit: str | None,
             coding: dict[tuple[str, str], dict[str, str]] | None = None, note_id: str | None = None) -> list[Dispute]:
    """Every disagreement of the audit, settled or not, in note then codebook order (``coding``: if already read;
    ``note_id``: that note's alone, a read of its labels only)."""
    settled = workspace.adjudications(audit, note_id=note_id)
    coding = coding_by_pair(workspace, audit, note_id) if coding is None else coding
    found = [
        Dispute(note, label, states, *((settled[(note, label)].state, settled[(note, label)].reviewer,
                                        settled[(note, label)].id) if (note, label) in settled else (None, None, None)))
        for (note, label), states in coding.items()
        if is_disagreement(states)
    ]
    return sorted(found, key=lambda d: (d.note_id, LABEL_NAMES.index(d.label)))


@dataclass(frozen=True)
class DisputeView:
    label: str
    states: dict[str, str]
    final: str | None
    prediction: Prediction | None


@dataclass(frozen=True)
class AdjudicationView:
    note: Note
    disputes: tuple[DisputeView, ...]
    position: int  # 0-based in the adjudication queue
    queue_length: int
    open_disputes: int  # in the session's scope (the audit's, or the workspace's), not the note's
    model_hidden: bool = False  # a note of an audit that hides the model: no prediction shown
    read: int = field(default=0, compare=False)  # read_stamp() when the read started


#: read_changed: more notes changed than this are read as the whole scope is, in one read rather than one per note
READ_WHOLE_SCOPE_FROM = 200

#: settle's default ``shown_final``: the final decision as the session last read it
AS_READ = object()


class AdjudicationSession:
    """A senior reviewer working through the notes with disputes in one audit, or (``audit`` None) in the workspace."""

    def __init__(self, workspace: Workspace, audit: str | None, adjudicator: str):
        if audit is not None:
            audit = workspace.named_audit(audit, "--adjudicate").name
        self.workspace, self.audit, self.adjudicator = workspace, audit, adjudicator
        self._elsewhere = WritesElsewhere(workspace)  # the open note's check (changed_elsewhere)
        self._disputes_lock = threading.Lock()  # one note's disputes put in at a time (views and saves run in threads)
        self._catching_up = threading.Lock()  # the notes changed since a log position read by one thread at a time
        self._log_position = 0  # the decision log's position when the disputes were last read (read_changed)
        self._settled_here: set[int] = set()  # the adjudications this session recorded: not made elsewhere
        # The queue is the notes with an open dispute when the session starts; it keeps them
        # so the adjudicator can go back to a settled note (look_again adds later ones).
        self.note_ids: list[str] = []
        self.look_again()
        self.index = 0

    def reload(self) -> None:
        with self._catching_up:
            position = self.workspace.decision_log_position()  # read first: an event after it is read again later
            self.disputes = disputes(self.workspace, self.audit)
            self._log_position = position
        self.model_hidden = model_hidden_notes(self.workspace)

    def read_changed(self) -> list[str]:
        """Read again the disputes of every note with an event in the log since they were last read (a final decision,
        a coder's decision or its undo; here or in another window or program) and return those notes: the count of
        open disputes is the scope's, not the open note's, and it stays true while the queue is not read again. Many
        notes changed (an import's labels) are read as the whole scope is, at once."""
        with self._catching_up:
            position, changed = self.workspace.notes_decided_after(self._log_position)
            if len(changed) > READ_WHOLE_SCOPE_FROM:
                fresh = disputes(self.workspace, self.audit)
                with self._disputes_lock:
                    self.disputes = fresh
            else:
                for note_id in changed:
                    self.read_note(note_id)
            self._log_position = position
        return changed

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another adjudicator's window, a reviewer coding on) has written to the
        workspace since the last call: a cheap check, made every second, before reading the open note again."""
        return self._elsewhere()

    def read_note(self, note_id: str) -> list[Dispute]:
        """Read the note's disputes again and keep them (its labels alone, a cheap read): a final decision made
        elsewhere since, and a dispute its coders ended or started, show. The other notes' are read by
        :meth:`look_again`."""
        fresh = disputes(self.workspace, self.audit, note_id=note_id)
        with self._disputes_lock:
            # the list stays in note order: the notes before this one, its disputes now, the notes after it
            self.disputes = ([d for d in self.disputes if d.note_id < note_id] + fresh
                             + [d for d in self.disputes if d.note_id > note_id])
        return fresh

    def shown_predictions(self, note_id: str) -> dict[str, Prediction]:
        """The model's predictions, none on a note of an audit that hides the model (:func:`model_hidden_notes`)."""
        return {} if note_id in self.model_hidden else self.workspace.predictions(note_id)

    def look_again(self) -> int:
        """Read the disputes again and add the notes with an open one that the queue lacks; how many were added.

        Another reviewer may have made a dispute since the queue was made (reviews go on in the
        same workspace while the adjudicator works). The queue keeps its order and position; new
        notes go at its end. It reads every dispute of the scope, so it is for the end of the
        queue, not for every key.
        """
        self.reload()
        queued = set(self.note_ids)
        new = [n for n in dict.fromkeys(d.note_id for d in self.disputes if d.final is None) if n not in queued]
        self.note_ids.extend(new)
        return len(new)

    @property
    def scope(self) -> str:
        """Whose disputes these are, in a reader's words."""
        return f"audit {self.audit}" if self.audit is not None else "the workspace"

    @property
    def current_id(self) -> str | None:
        return self.note_ids[self.index] if self.note_ids else None

    def next(self) -> str | None:
        self.index = min(self.index + 1, max(len(self.note_ids) - 1, 0))
        return self.current_id

    def previous(self) -> str | None:
        self.index = max(self.index - 1, 0)
        return self.current_id

    def view(self) -> AdjudicationView | None:
        read = read_stamp()
        note_id = self.current_id
        if note_id is None:
            return None
        if note_id not in self.read_changed():  # the other notes' disputes too: the count of open ones is the scope's
            self.read_note(note_id)
        predictions = self.shown_predictions(note_id)
        rows = tuple(DisputeView(d.label, d.states, d.final, predictions.get(d.label))
                     for d in self.disputes if d.note_id == note_id)
        return AdjudicationView(self.workspace.get_note(note_id), rows, self.index, len(self.note_ids),
                                sum(d.final is None for d in self.disputes), note_id in self.model_hidden, read)

    def disputed_labels(self, note_id: str) -> list[str]:
        """The note's disputed labels, settled or not, in codebook order (the rows the adjudicator sees)."""
        return [d.label for d in self.disputes if d.note_id == note_id]

    def first_open(self, note_id: str) -> int:
        """The row of the note's first open dispute among :meth:`disputed_labels` (0 if all are settled): where the
        adjudicator starts on the note, not on a dispute settled already."""
        rows = [d for d in self.disputes if d.note_id == note_id]
        return next((i for i, d in enumerate(rows) if d.final is None), 0)

    def _dispute(self, note_id: str, label: str) -> Dispute | None:
        """The dispute on ``label`` of the note (None: no such dispute)."""
        return next((d for d in self.disputes if d.note_id == note_id and d.label == label), None)

    def final(self, note_id: str, label: str) -> str | None:
        """The state the dispute on ``label`` of the note is settled as (None: open, or no such dispute)."""
        dispute = self._dispute(note_id, label)
        return dispute.final if dispute is not None else None

    def settle(self, label: str, positive: bool, comment: str | None = None, note_id: str | None = None,
               shown_final: str | None | object = AS_READ) -> Decision | None:
        """Record the final decision on ``label`` of the note (the current one if none given; kind 'adjudication');
        None, recording nothing, when the dispute is settled so already (:func:`review.repeats`), by any
        adjudicator: the final decision is the audit's (the workspace's), not each adjudicator's.

        The dispute is read again first, under the write lock. Settled otherwise since the adjudicator was shown it
        (``shown_final``: the final decision shown, None for open; by default as this session last read it), it is
        refused (:class:`SettledElsewhere`), and refused too if its coders no longer disagree (:class:`NoLongerDisputed`): recorded, either would
        overwrite a decision the adjudicator had not seen. A final decision this session recorded since (a key typed
        ahead of the screen) is not elsewhere. The session has read it then: the same call again records.
        """
        note_id = note_id or self.current_id
        was = self._dispute(note_id, label)
        shown = (was.final if was else None) if shown_final is AS_READ else shown_final
        with self.workspace.transaction():  # read and written under the write lock: no other adjudicator's key between
            dispute = next((d for d in self.read_note(note_id) if d.label == label), None)
            if dispute is None:
                if was is not None or shown_final is not AS_READ:  # shown disputed
                    raise NoLongerDisputed(note_id, label)
                raise CaseReviewError(f"note {note_id!r} has no dispute on {label!r}")
            if self.adjudicator in dispute.states:
                where = f" in audit {self.audit!r}" if self.audit is not None else ""
                raise CaseReviewError(f"{self.adjudicator} coded this label of the note{where}; "
                                      "another senior reviewer must adjudicate it")
            prediction = self.shown_predictions(note_id).get(label)
            state = positive_state(prediction) if positive else "rejected"
            if repeats(dispute.final, state):
                return None  # settled so, here or elsewhere: nothing is overwritten
            if dispute.final != shown and dispute.settled_by not in self._settled_here:  # not by a key typed ahead here
                raise SettledElsewhere(note_id, dispute)
            decision = self.workspace.record_decision(
                note_id, label, state, self.adjudicator, audit=self.audit, kind="adjudication", comment=comment,
                model_version=prediction.model_version if prediction else None,
                score=prediction.score if prediction else None,
            )
        # The note was read before the decision: only this dispute changed since (reading every dispute again, the
        # whole workspace's without an audit, on each key would take seconds in a large workspace).
        self._settled_here.add(decision.id)
        with self._disputes_lock:
            self.disputes = [replace(d, final=state, adjudicator=self.adjudicator, settled_by=decision.id)
                             if (d.note_id, d.label) == (note_id, label) else d for d in self.disputes]
        return decision
