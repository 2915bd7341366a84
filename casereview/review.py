"""A reviewer's session over a queue: the actions of the review UI, as library calls.

Every decision is appended to the workspace's decision log, committed before the
call returns, with the reviewer, the model version and the score shown. The UI
(`casereview.tui`) only calls these methods, in workers.
"""

from __future__ import annotations

import datetime as dt
import getpass
import itertools
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .errors import CaseReviewError, ConflictError
from .names import ONE_LINE, check_given_name, unprintable_character
from .notes import Note
from .taxonomy import BY_NAME, LABEL_NAMES, POSITIVE_STATES
from .wording import as_written
from .workspace import Decision, Prediction, QueueQuery, Workspace


_READS = itertools.count(1)  # next() on a count is atomic: workers read views in several threads


def read_stamp() -> int:
    """A number that orders reads of views: taken as a read starts, a larger one saw at least as much."""
    return next(_READS)


#: where getpass finds the OS user's name, in its order, before the password database
OS_USER_VARIABLES = ("LOGNAME", "USER", "LNAME", "USERNAME")


def reviewer_name(explicit: str | None = None) -> str:
    """``--reviewer``, else ``$CASEREVIEW_REVIEWER``, else the OS user (``$LOGNAME``, ``$USER``... as getpass reads
    them, else the password database), without the white space around it; a name that is blank or not one line of
    printable text is refused, naming where it came from (:func:`check_given_name`). An empty variable counts as unset, as the shell's do."""
    if explicit is not None:
        return check_given_name(explicit, "--reviewer")
    for variable in ("CASEREVIEW_REVIEWER", *OS_USER_VARIABLES):
        if os.environ.get(variable):
            return check_given_name(os.environ[variable], f"${variable}")
    try:
        user = getpass.getuser()  # the variables are unset: the password database's name
    except Exception:  # no passwd entry (containers): still a name on every decision
        return "unknown"
    return check_given_name(user, "the OS user name")


@dataclass(frozen=True)
class LabelView:
    """One row of the label panel."""

    name: str
    score: float | None
    threshold: float | None
    suggested: bool
    state: str | None  # confirmed | rejected | added | unsure | None (unreviewed)
    evidence: tuple[dict, ...]
    #: who made the decision shown (a reviewer, ``import:<file>``, an adjudicator): what a change elsewhere names
    decided_by: str | None = field(default=None, compare=False)

    @property
    def terms(self) -> list[str]:
        """The model's strongest reasons across the evidence sentences, in order, once each, a number in one as its
        sentence writes it (:func:`wording.as_written`)."""
        return list(dict.fromkeys(as_written(t, span.get("text", "")) for span in self.evidence
                                  for t in span.get("terms", ())))


@dataclass(frozen=True)
class NoteView:
    """Everything the note review screen shows for one note."""

    note: Note
    labels: tuple[LabelView, ...]
    position: int  # in the queue, 0-based (-1: opened from a timeline, read outside the queue)
    queue_length: int
    case_position: int  # 1-based position in its case file (0: no case)
    case_length: int
    model_version: str | None
    comments: tuple[dict, ...]
    read: int = field(default=0, compare=False)  # read_stamp() when the read started
    #: the session's audit, where the note is not one the reviewer codes in it (a note of its case file opened from the
    #: timeline): shown to read, its labels not decided here (:class:`NotInAudit`); None: decided here
    outside_audit: str | None = None
    #: the model in use has not scored the note (promoted since `tag` last ran, or the note imported since): its
    #: labels show no score and no suggestion, ``model_version`` naming that model (None: no model in use)
    unscored: bool = False


def positive_state(prediction: Prediction | None) -> str:
    """The state of a label decided as a concern: ``confirmed`` when the decider was shown the model suggesting
    it (the reviewer agrees with the suggestion), else ``added`` (a label the model did not suggest, or a model
    hidden from the decider). The one rule for every key and screen that records a concern (y, 1-7, a, an
    adjudication), so the states count what the progress screen, the log and the exports say they do."""
    return "confirmed" if prediction is not None and prediction.suggested else "added"


def repeats(current: str | None, state: str) -> bool:
    """Whether a key deciding ``state`` would change nothing: ``current`` is already it (the reviewer's own state of
    the label, or, adjudicating, the dispute's final decision). Such a key records nothing, on every screen: a repeat
    would add an event that changes nothing to the append-only log, which z would take back in place of the last
    real step."""
    return current == state


class WritesElsewhere:
    """Whether another connection to the workspace (another window, reviewer or program) has written to it since the
    last call (or since this was made): SQLite's ``data_version``, no table read, a check cheap enough to make every
    second before reading a screen's rows again. Writes through the same connection are not counted: the screen that
    made them shows them as they are saved. Each screen that checks has its own: a check takes the news it reports."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._version = workspace.data_version()

    def __call__(self) -> bool:
        version = self.workspace.data_version()
        changed, self._version = version != self._version, version
        return changed


class NotInAudit(CaseReviewError):
    """A decision refused: in an audit's review, the note is not one the reviewer codes in it (another note of a case
    file, opened from its timeline to read the file whole; another coder's share). Recorded under the audit, it would
    be a decision on a note the audit never drew for them, which its progress, agreement and report would count;
    recorded outside it, a decision the reviewer did not know they made outside the audit."""

    def __init__(self, note_id: str, audit: str):
        self.note_id, self.audit = note_id, audit
        super().__init__(f"{note_id} is not yours in audit {audit}: read only here")


class DecidedElsewhere(CaseReviewError):
    """A decision refused: since the session last read the note (what the reviewer was shown), the reviewer's own
    state of the label was changed elsewhere (another window or program of theirs). Recorded, it would overwrite a
    decision of theirs they had not seen; the session has read it now, and the same call again records the change.
    Another reviewer's decision is not refused: it is theirs, and the reviewer codes their own."""

    def __init__(self, note_id: str, label: str, state: str | None):
        self.note_id, self.label, self.state = note_id, label, state
        super().__init__(f"note {note_id}, {BY_NAME[label].shown_name}: your decision changed elsewhere to "
                         f"{state or 'undecided'} since it was read here; nothing saved")


@dataclass(frozen=True)
class QueuePlace:
    """Where a session opened on its queue (:meth:`ReviewSession.resume`), and how much of the queue is left."""

    position: int  # 0-based: the note opened
    resumed: bool  # after the reviewer's last decision in the queue (False: its first note, nothing of theirs in it)
    left: int  # notes of the queue with a label still undecided (the review screen's ·): notes_to_code
    notes: int  # notes in the queue
    decided_today: int  # notes of the queue the reviewer decided on today (local time; in an audit, in it)
    from_start: bool = False  # opened on its first note as asked (review --from-start), not where the reviewer left off
    audit: str | None = None  # the session's audit: ``left`` counts the notes the reviewer has not coded whole in it


@dataclass(frozen=True)
class AuditProgress:
    """How far a reviewer has coded their notes of an audit (their share; all its notes before it is shared out), by
    their own decisions made in it, the decisions its agreement compares: a note is coded once they have decided its
    every label in the audit. The review's status line ("77/82 audit notes to code") and the audit's progress screen
    both say this; decisions made outside the audit (an import's labels, a review before it) code nothing in it."""

    notes: int
    coded: int  # every label decided by the reviewer in the audit
    begun: int  # not coded: some label decided by the reviewer in the audit, another not
    decided_outside: int  # not coded, not blind, every label shown decided by decisions outside the audit: N saves none

    @property
    def to_code(self) -> int:
        return self.notes - self.coded


def start_of_today() -> str:
    """Local midnight as a UTC ISO 8601 time, comparable with the log's ``created_at``."""
    midnight = dt.datetime.combine(dt.date.today(), dt.time()).astimezone()
    return midnight.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


class ReviewSession:
    """A reviewer working through one queue of notes."""

    def __init__(self, workspace: Workspace, reviewer: str, query: QueueQuery | None = None, *,
                 blind_notes: frozenset[str] = frozenset(), hide_model: bool = False):
        self.workspace = workspace
        self.reviewer = reviewer
        self.query = query or QueueQuery()
        # Blind double coding (see casereview.double_coding): on these notes the reviewer
        # sees only their own decisions; with hide_model, no suggestions either.
        self.blind_notes = blind_notes
        self.hide_model = hide_model
        self.note_ids: list[str] = []
        self.index = 0
        # notes read outside the queue, from the note at reading_at: a case file opened from its timeline (in date
        # order), or one note; past either end, back to the queue's note at index
        self.reading: tuple[str, ...] = ()
        self.reading_at = 0
        # note read outside the queue -> the queue's note left to read it: a decision on it records that note, which
        # the review resumes after (resume), not the note's own place in the queue, another case file's
        self._read_from: dict[str, str] = {}
        self._left: str | None = None  # the queue's note the reviewer was on, kept through an empty queue (reload)
        self._steps: list[tuple[Decision, ...]] = []  # this session's decisions, a key's together: what z takes back
        self._elsewhere = WritesElsewhere(workspace)  # the open note's check (changed_elsewhere)
        # note -> label -> the reviewer's own state as last read (view) or left by this session's keys (a key typed
        # ahead of the screen is not elsewhere): what decide compares with (DecidedElsewhere)
        self._seen: dict[str, dict[str, str | None]] = {}
        self._written_at: dict[str, int] = {}  # note -> read_stamp() after this session's last write on it
        # an audit's review: the notes the reviewer codes in it, as the session opens (a search or filter narrows the
        # queue, not these): its progress counts them, its case files are theirs, and only they are decided here
        self.audit_notes: frozenset[str] = frozenset(workspace.queue_ids(QueueQuery(
            order="case", audit=self.query.audit, assigned_to=self.query.assigned_to))) \
            if self.query.audit is not None else frozenset()
        self.reload()

    # -- the queue ---------------------------------------------------------------
    def reload(self, query: QueueQuery | None = None) -> None:
        """(Re)build the queue (a search, a filter), on the queue's note the reviewer is on, or left to read a case
        file from its timeline, if it is still in it, else on its first. The case file reads on: the queue changed,
        not the case (a search cleared ended it, and Enter then went on in the queue, in another case file)."""
        if query is not None:
            self.query = query
        # an empty queue (a search matching nothing) has no note: the one left before it is kept for the next query
        left = self.note_ids[self.index] if self.note_ids else self._left
        self.note_ids = self.workspace.queue_ids(self.query)
        self.index = self.note_ids.index(left) if left in self.note_ids else 0
        self._left = left
        if self.reading:  # read on, or in the queue if it is now these notes in this order (_read)
            self._read(self.reading, self.reading[self.reading_at])
        self._in_queue_now()

    def resume(self) -> QueuePlace:
        """Open the queue where the reviewer left off: on the note they last decided on, if it still has a label
        undecided, else the next one that has (else the first such before it, a note skipped; else that last
        note, the queue coded whole). A note decided while read outside the queue (a case file from its timeline)
        counts as decided at the queue's note left to read it, where the queue has that note. A reviewer with no
        decision in the queue starts at its first note. Read from the decision log, so a session that was quit, or
        killed, resumes as the reviewer left it."""
        positions = {note_id: i for i, note_id in enumerate(self.note_ids)}
        last = next((positions[place] for place in (
            read_from if read_from in positions else note_id
            for note_id, read_from in self.workspace.notes_decided_by(self.reviewer, self.query.audit))
            if place in positions), None)
        uncoded = self._uncoded()
        if last is not None:
            self.reading = ()
            self.index = next((i for i in uncoded if i >= last), uncoded[0] if uncoded else last)
        return self._place(last is not None, uncoded)

    def from_start(self) -> QueuePlace:
        """Open the queue on its first note, wherever the reviewer left off (``review --from-start``)."""
        self.reading, self.index = (), 0
        return self._place(False, self._uncoded(), from_start=True)

    def notes_to_code(self) -> int:
        """How many of the queue's notes are still to code: a label on them undecided (· on the panel), ``open`` or
        ``partial`` in the lists' state column, by :meth:`coded_notes`. What is left of a review is counted this one
        way, and said so ("197 of 200 notes to code"), on every screen that counts it: the status line as the review
        opens, the queue list's title and the progress screen (its "remaining" once counted the workspace's notes
        without a decision of the reviewer's, beside the status line's "notes left" of the queue: two figures for
        one question)."""
        return len(self._uncoded())

    def to_code_among(self, note_ids: Sequence[str]) -> int:
        """How many of ``note_ids`` (a case file's, as its timeline lists them) are still to code here, by the rule
        :meth:`notes_to_code` counts the queue's by: in an audit, of the reviewer's notes in it (the others are read
        only)."""
        return self._left_to_code(note_ids, self.coded_notes(note_ids))

    def to_code_by_case(self) -> dict[str, int]:
        """Case file -> how many of its notes are still to code here (:meth:`to_code_among`'s rule): the case files
        list's ``to code`` column, which the file's timeline title says again ("8 notes, 5 to code")."""
        coded = self.coded_notes()
        return {case_id: self._left_to_code(note_ids, coded)
                for case_id, note_ids in self.workspace.note_ids_by_case().items()}

    def _left_to_code(self, note_ids: Iterable[str], coded: set[str]) -> int:
        return sum(self.decides(note_id) and note_id not in coded for note_id in note_ids)

    def _uncoded(self) -> list[int]:
        """The queue's positions of the notes with a label still undecided."""
        coded = self.coded_notes()
        return [i for i, note_id in enumerate(self.note_ids) if note_id not in coded]

    def _place(self, resumed: bool, uncoded: list[int], from_start: bool = False) -> QueuePlace:
        today = self.workspace.notes_decided_since(self.reviewer, start_of_today(), self.query.audit)
        queued = set(self.note_ids)
        return QueuePlace(self.index, resumed, len(uncoded), len(self.note_ids),
                          sum(note_id in queued for note_id in today), from_start, self.query.audit)

    def changed_elsewhere(self) -> bool:
        """Whether another connection to the workspace (another window, reviewer or program) has written to it since
        the last call (or since the session began): a cheap check, made often, before reading a note's view again.
        This session's own writes are not counted: their screen shows them as they are saved."""
        return self._elsewhere()

    def coded_notes(self, note_ids: Sequence[str] | None = None) -> set[str]:
        """The notes coded whole, among ``note_ids`` if given (a list's page), else the workspace's: where a review
        resumes past. A note every label of which the screen shows decided; in an audit, a note of the reviewer's in it
        only once they decided its every label in the audit (an import's labels, another review, code nothing there)."""
        return self._coded_given_shown(self.workspace.coded_notes(note_ids=note_ids), note_ids)

    def _coded_given_shown(self, shown: set[str], note_ids: Sequence[str] | None = None) -> set[str]:
        """:meth:`coded_notes` from ``shown``, the notes coded whole by anyone (among ``note_ids``)."""
        by_own = self.blind_notes | self.audit_notes
        if not by_own:
            return shown
        own = self.workspace.coded_notes(self.reviewer, self.query.audit, note_ids)
        return (shown - by_own) | (own & by_own)

    def audit_progress(self) -> AuditProgress:
        """How far the reviewer has coded their notes of the session's audit (:class:`AuditProgress`), by the rule
        the queue's places are counted by (:meth:`coded_notes`)."""
        if self.query.audit is None:
            raise ValueError("not an audit's review")
        share = self.audit_notes
        shown = self.workspace.coded_notes()  # read once: the rule's input and what the screen shows
        coded = self._coded_given_shown(shown) & share
        labels = Counter(note_id for note_id, _, reviewer, _ in self.workspace.audit_coding(self.query.audit)
                         if reviewer == self.reviewer and note_id in share)
        shown_coded = (shown & share) - self.blind_notes
        return AuditProgress(len(share), len(coded), sum(note_id not in coded for note_id in labels),
                             len(shown_coded - coded))

    def labels_decided(self, note_id: str, decided: int) -> int:
        """How many of the note's labels a list counts decided (its state, partial or open, beside
        :meth:`coded_notes`): ``decided``, its final states', but on a note the reviewer codes in an audit (or blind),
        their own decisions in it."""
        by_own = note_id in self.blind_notes or note_id in self.audit_notes
        return len(self.own_decisions(note_id)) if by_own else decided

    def decides(self, note_id: str) -> bool:
        """Whether the session decides on ``note_id``: in an audit, only on the notes the reviewer codes in it."""
        return self.query.audit is None or note_id in self.audit_notes

    @property
    def current_id(self) -> str | None:
        if self.reading:
            return self.reading[self.reading_at]
        return self.note_ids[self.index] if self.note_ids else None

    def leaves_reading(self, step: int) -> bool:
        """Whether a step (1: next, -1: previous) goes back to the queue from the notes read outside it."""
        return bool(self.reading) and not 0 <= self.reading_at + step < len(self.reading)

    def next(self) -> str | None:
        return self._step(1)

    def previous(self) -> str | None:
        return self._step(-1)

    def _step(self, step: int) -> str | None:
        if self.leaves_reading(step):
            self.reading = ()  # back to the note the reviewer left in the queue
        elif self.reading:
            self.reading_at += step
        elif 0 <= self.index + step < len(self.note_ids):
            self.index += step
        self._in_queue_now()
        return self.current_id

    def _in_queue_now(self) -> None:
        """The open note, if it is the queue's, is decided where it stands in the queue from now on."""
        if not self.reading and self.note_ids:
            self._read_from.pop(self.note_ids[self.index], None)

    def goto(self, note_id: str) -> None:
        """Open a note: its queue position if it is in the queue, else that note alone, outside it."""
        self._read((note_id,), note_id)

    def read_case(self, note_id: str, timeline: list[str]) -> None:
        """Open a note from its case file's ``timeline`` (the case's note ids in date order): next and previous
        read the case on from it, oldest first, and past either end go back to the queue's note the reviewer left,
        as an inspector reading a case file expects (the queue's next note is, in priority order, another case's).
        Where the queue holds just those notes in that order (``--case``, in date order), it is the queue's."""
        self._read(tuple(timeline), note_id)

    def _read(self, notes: tuple[str, ...], note_id: str) -> None:
        start = self.note_ids.index(notes[0]) if notes and notes[0] in self.note_ids else -1
        if start >= 0 and tuple(self.note_ids[start:start + len(notes)]) == notes:  # these notes are the queue's
            self.index, self.reading = self.note_ids.index(note_id), ()
            self._in_queue_now()
        else:
            left = self.note_ids[self.index] if self.note_ids else self._left
            if left is not None:
                self._read_from.update(dict.fromkeys(notes, left))
            self.reading, self.reading_at = notes, notes.index(note_id)

    # -- what the screen shows ---------------------------------------------------
    def shown_predictions(self, note_id: str) -> dict[str, Prediction]:
        return {} if self.hide_model else self.workspace.predictions(note_id)

    def shown_decisions(self, note_id: str) -> dict[str, Decision]:
        if note_id in self.blind_notes:  # the coder's own, made in this audit: all that its figures count
            return self.workspace.current_decisions(note_id, reviewer=self.reviewer, audit=self.query.audit)
        return self.workspace.current_decisions(note_id)

    def shown_comments(self, note_id: str) -> list[dict]:
        """The note's comments; on a blind note only the reviewer's own (another coder's would show their reading)."""
        comments = self.workspace.comments(note_id)
        if note_id in self.blind_notes:
            return [c for c in comments if c["reviewer"] == self.reviewer]
        return comments

    def view(self, note_id: str | None = None) -> NoteView | None:
        read = read_stamp()
        note_id = note_id or self.current_id
        if note_id is None:
            return None
        note = self.workspace.get_note(note_id)
        if note is None:
            return None
        predictions = self.shown_predictions(note_id)
        decisions = self.shown_decisions(note_id)
        own = decisions if note_id in self.blind_notes else self.own_decisions(note_id)
        if read > self._written_at.get(note_id, 0):  # a read begun before a key's save here may have missed it
            self._seen[note_id] = {name: own[name].state if name in own else None for name in LABEL_NAMES}
        labels = _label_views(predictions, decisions)
        case_place, case_length = self.workspace.case_place(note_id, note.case_id) if note.case_id else (0, 0)
        position = self.note_ids.index(note_id) if not self.reading and note_id in self.note_ids else -1
        unscored = not predictions and not self.hide_model
        version = next(iter(predictions.values())).model_version if predictions \
            else self.workspace.current_model_version() if unscored else None
        return NoteView(note, labels, position, len(self.note_ids), case_place, case_length, version,
                        tuple(self.shown_comments(note_id)), read,
                        None if self.decides(note_id) else self.query.audit, unscored)

    def first_to_decide(self, note_id: str) -> int:
        """:func:`first_to_decide` of the note as its view shows it, reading only its suggestions and decisions (the
        review screen's row for a key typed before the note's view has shown)."""
        return first_to_decide(_label_views(self.shown_predictions(note_id), self.shown_decisions(note_id)))

    # -- decisions ---------------------------------------------------------------
    def own_decisions(self, note_id: str) -> dict[str, Decision]:
        """The reviewer's own current decisions on the note (those made in the session's audit, in an audit): the
        state a key of theirs changes."""
        return self.workspace.current_decisions(note_id, reviewer=self.reviewer, audit=self.query.audit)

    def decide(self, label: str, state: str, note_id: str | None = None,
               comment: str | None = None) -> Decision | None:
        """Record ``state`` for ``label`` on the note, with the model version and score shown; None, recording
        nothing, when the reviewer's own state of the label is that already (y on a label they confirmed).

        A positive ``state`` (confirmed or added) is recorded as :func:`positive_state` has it for what was shown.
        A repeat (:func:`repeats`) records nothing. Another reviewer's state is not theirs: agreeing with it is
        recorded. The reviewer's own state changed elsewhere (another window of theirs) since the session read the
        note, and not by this session's keys, is refused (:class:`DecidedElsewhere`): it would be overwritten unseen.
        In an audit, a note that is not the reviewer's in it is refused (:class:`NotInAudit`).
        """
        note_id = self._decided_here(note_id)
        with self.workspace.transaction():  # read and written under the write lock: no other window's key between
            prediction = self.shown_predictions(note_id).get(label)
            if state in POSITIVE_STATES:
                state = positive_state(prediction)
            own = self.own_decisions(note_id).get(label)
            now = own.state if own else None
            seen = self._seen.get(note_id)  # None: a note never read here (a library call): nothing to compare
            was = now
            if seen is not None:
                was, seen[label] = seen.get(label), now  # read now: the same key again records
            if repeats(now, state):
                return None
            if was != now:
                raise DecidedElsewhere(note_id, label, now)
            decision = self._record(label, state, note_id, prediction, comment)
        self._left_here((decision,))
        self._steps.append((decision,))
        return decision

    def _left_here(self, decisions: Iterable[Decision], states: dict[str, str | None] | None = None) -> None:
        """Note what this session's keys left the reviewer's states as (``states``: label -> state after an undo;
        else each decision's): a later key compares with them, not with the note as last read."""
        for d in decisions:
            self._written_at[d.note_id] = read_stamp()
            if d.note_id in self._seen:
                self._seen[d.note_id][d.label] = states[d.label] if states is not None else d.state

    def _note(self, note_id: str | None) -> str:
        """The note a decision is on: the one given, else the open one."""
        note_id = note_id or self.current_id
        if note_id is None:
            raise ValueError("the queue is empty")
        return note_id

    def _decided_here(self, note_id: str | None) -> str:
        """:meth:`_note`, refused (:class:`NotInAudit`) where the session does not decide it (:meth:`decides`)."""
        note_id = self._note(note_id)
        if not self.decides(note_id):
            raise NotInAudit(note_id, self.query.audit)
        return note_id

    def _record(self, label: str, state: str, note_id: str, prediction: Prediction | None,
                comment: str | None = None) -> Decision:
        """Record a decision on what was shown: ``prediction``, the label's shown prediction (None: none shown)."""
        if state in POSITIVE_STATES:
            state = positive_state(prediction)
        return self.workspace.record_decision(
            note_id, label, state, self.reviewer,
            model_version=prediction.model_version if prediction else None,
            score=prediction.score if prediction else None, comment=comment, audit=self.query.audit,
            read_from=self._read_from.get(note_id),
        )

    def _decide_undecided(self, note_id: str, state: str, labels: Iterable[str]) -> list[Decision]:
        """Record ``state`` for each of ``labels`` the note shows undecided, in one transaction and one undo step
        (the reviewer pressed one key)."""
        note_id = self._decided_here(note_id)
        with self.workspace.transaction():  # read and written under the write lock: all of it lands, or none
            decided, shown = self.shown_decisions(note_id), self.shown_predictions(note_id)  # read once, not per label
            made = [self._record(name, state, note_id, shown.get(name)) for name in labels if name not in decided]
        self._left_here(made)
        if made:
            self._steps.append(tuple(made))
        return made

    def toggle(self, label: str, note_id: str | None = None) -> Decision | None:
        """Key 1-7: a positive label becomes rejected; otherwise positive (confirmed if suggested, else added)."""
        note_id = note_id or self.current_id
        current = self.shown_decisions(note_id).get(label)
        if current is not None and current.state in POSITIVE_STATES:
            return self.decide(label, "rejected", note_id)
        return self.decide(label, "added", note_id)

    def accept_all(self, note_id: str | None = None) -> list[Decision]:
        """Confirm every suggestion on the note not yet decided (one undo takes them all back)."""
        note_id = self._note(note_id)
        suggested = [name for name, p in self.shown_predictions(note_id).items() if p.suggested]
        return self._decide_undecided(note_id, "confirmed", suggested)

    def reject_undecided(self, note_id: str | None = None) -> list[Decision]:
        """The note is coded: reject every label it shows undecided (one undo takes them all back).

        What the reviewer has not marked is absent. A label the note shows decided (``shown_decisions``: 'unsure'
        too, and, unless the note is blind, another reviewer's or an import's decision) is left as it is: a key
        pressed for the whole note neither overturns a decision shown (a dispute made unseen) nor agrees with another's
        (a decision recorded as theirs that they did not make); ``decided_by_others`` says which. Without
        this, a coder who marks only the concerns they see leaves the rest undecided: agreement then compares only
        the labels both marked, report rates count only marks, and retraining and promotion learn nothing of absence.
        """
        return self._decide_undecided(self._note(note_id), "rejected", LABEL_NAMES)

    def decided_by_others(self, note_id: str | None = None) -> dict[str, Decision]:
        """The labels the note shows decided by someone else (another reviewer, an import, an adjudicator; none on a
        blind note): the panel shows them as it shows the reviewer's own, and ``reject_undecided`` leaves them as
        they are, so the reviewer is told. In an audit, every label shown decided that the reviewer has not decided
        in it, their own decision outside it too: none of those codes the note in the audit."""
        note_id = self._note(note_id)
        shown = self.shown_decisions(note_id)
        if self.query.audit is not None:
            own = self.own_decisions(note_id)
            return {name: d for name, d in shown.items() if name not in own}
        return {name: d for name, d in shown.items() if d.reviewer != self.reviewer}

    def undo(self) -> tuple[Decision, ...]:
        """Take back this session's last step (one key's decisions: one, or all that ``accept_all`` or
        ``reject_undecided`` made); returns the decisions undone, none when there is nothing to undo.

        The undo is a retraction event naming each decision (the log stays
        append-only), not a new decision: the label falls back to whatever was
        current before it, from anyone (an import, another reviewer) and, per
        reviewer, to the reviewer's own earlier state or none. Repeated undos step
        further back through the session's decisions.
        """
        if not self._steps:
            return ()
        last = self._steps[-1]
        try:
            with self.workspace.transaction():  # a step is taken back whole, or not at all
                for decision in reversed(last):
                    self.workspace.retract_decision(decision)
                own = self.own_decisions(last[0].note_id)  # a key's decisions are on one note
        except ConflictError:
            self._steps.pop()  # already taken back (by another program of this reviewer's): the next undo goes on
            raise
        self._left_here(last, {d.label: own[d.label].state if d.label in own else None for d in last})
        self._steps.pop()  # only once saved: an undo refused (workspace locked) can be tried again
        return last

    def comment(self, text: str, note_id: str | None = None) -> None:
        """Save a comment on the note; one holding a control or format character (a pasted escape sequence would
        reach the terminal whenever the note is shown) is refused, naming it (:func:`names.unprintable_character`)."""
        if (character := unprintable_character(text, joiners=True)) is not None:
            raise CaseReviewError(f"the comment holds {character}: a comment is {ONE_LINE}")
        self.workspace.add_comment(note_id or self.current_id, self.reviewer, text)


def first_to_decide(labels: Sequence[LabelView]) -> int:
    """The row (0-based) of the label panel a note opens on: its first label the model suggests that shows no
    decision yet, else the first row. What the screen shows decides: a blind note's own decisions (another coder's
    leave a suggestion to decide), and no suggestion at all with the model hidden (the first row). A row carried
    over from the note before was one the reviewer had not looked at on this note, and y there could add the wrong
    label."""
    return next((i for i, row in enumerate(labels) if row.suggested and row.state is None), 0)


def _label_views(predictions: dict[str, Prediction], decisions: dict[str, Decision]) -> tuple[LabelView, ...]:
    """The panel's rows, one per label in codebook order, from what the note shows."""
    return tuple(_label_view(n, predictions.get(n), decisions.get(n)) for n in LABEL_NAMES)


def _label_view(name: str, prediction: Prediction | None, decision: Decision | None) -> LabelView:
    return LabelView(
        name,
        prediction.score if prediction else None,
        prediction.threshold if prediction else None,
        bool(prediction and prediction.suggested),
        decision.state if decision else None,
        tuple(prediction.evidence) if prediction else (),
        decision.reviewer if decision else None,
    )
