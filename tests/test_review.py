"""The review session's actions as library calls: undo retracts the reviewer's own decision."""

from __future__ import annotations

import sqlite3

import pytest

from casereview.errors import ConflictError, WorkspaceLockedError
from casereview import double_coding, sampling
from casereview.double_coding import audit_session
from casereview.notes import validate
from casereview.review import NotInAudit, ReviewSession, first_to_decide
from casereview.sampling import SampleSpec
from casereview.taxonomy import LABEL_NAMES
from casereview.workspace import QueueQuery, Workspace

LABEL = "delay_timeliness"


def imported(workspace, labels=None):
    record = {"note_id": "a", "text": "Visit delayed again.", **({"labels": labels} if labels is not None else {})}
    workspace.import_notes([validate(record, "gold.jsonl", 1)], "gold.jsonl")


def shown(session) -> str | None:
    decision = session.shown_decisions("a").get(LABEL)
    return decision.state if decision else None


def own(workspace, reviewer) -> dict[str, str]:
    return {label: d.state for label, d in workspace.current_decisions("a", reviewer=reviewer).items()}


def test_undo_falls_back_to_the_imported_label_and_leaves_the_reviewer_no_state(workspace):
    imported(workspace, labels=[LABEL])
    session = ReviewSession(workspace, "ann")
    assert shown(session) == "confirmed"
    rejected = session.toggle(LABEL, "a")
    assert shown(session) == "rejected"
    assert session.undo() == (rejected,)
    current = workspace.current_decisions("a")[LABEL]
    assert (current.state, current.reviewer) == ("confirmed", "import:gold.jsonl")  # the import's own event
    assert own(workspace, "ann") == {}  # ann never chose "confirmed"
    assert workspace.progress("ann")["reviewed_notes"] == 0
    last = list(workspace.iter_decisions())[-1]  # the undo is an event naming what it takes back
    assert (last.reviewer, last.state, last.comment, last.undoes) == ("ann", "rejected", "undo", rejected.id)


def test_undo_between_two_reviewers_leaves_the_other_reviewers_decision_and_no_disagreement(workspace):
    imported(workspace)
    workspace.record_decision("a", LABEL, "confirmed", "bo")
    session = ReviewSession(workspace, "ann")
    session.decide(LABEL, "rejected", "a")
    assert [(d.note_id, d.states) for d in workspace.disagreements()] == [("a", {"ann": "rejected", "bo": "confirmed"})]
    session.undo()
    assert shown(session) == "confirmed"
    assert own(workspace, "ann") == {} and own(workspace, "bo") == {LABEL: "confirmed"}
    assert workspace.disagreements() == []
    assert [r for r in workspace.audit_coding() if r[2] == "ann"] == []  # agreement reads no state of ann's


def test_undo_on_a_blind_note_steps_back_through_the_reviewers_own_states(workspace):
    imported(workspace)
    workspace.record_decision("a", LABEL, "confirmed", "bo")
    session = ReviewSession(workspace, "ann", blind_notes=frozenset({"a"}))
    assert shown(session) is None  # ann does not see bo's decision
    session.decide(LABEL, "rejected", "a")
    session.decide(LABEL, "unsure", "a")
    session.undo()
    assert shown(session) == "rejected"
    session.undo()
    assert shown(session) is None
    assert own(workspace, "bo") == {LABEL: "confirmed"}
    assert session.undo() == ()  # nothing left of this session's


def test_repeated_undos_step_back_past_later_decisions_by_others(workspace):
    imported(workspace, labels=[LABEL])
    session = ReviewSession(workspace, "ann")
    session.decide(LABEL, "rejected", "a")
    session.decide(LABEL, "unsure", "a")
    workspace.record_decision("a", LABEL, "added", "bo")  # bo decides meanwhile
    session.undo()
    assert shown(session) == "added" and own(workspace, "ann") == {LABEL: "rejected"}
    session.undo()
    assert shown(session) == "added" and own(workspace, "ann") == {}
    assert [d.state for d in workspace.iter_decisions() if d.reviewer == "ann"] == ["rejected", "unsure", "unsure", "rejected"]


def test_an_undo_refused_while_another_program_writes_keeps_its_place(workspace, monkeypatch):
    imported(workspace)
    monkeypatch.setattr("casereview.workspace.BUSY_TIMEOUT_MS", 200)  # wait 0.2 s, not 10
    with Workspace.open(workspace.path) as impatient:
        session = ReviewSession(impatient, "ann")
        session.decide(LABEL, "rejected", "a")
        unsure = session.decide(LABEL, "unsure", "a")
        other = sqlite3.connect(impatient.db_path)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(WorkspaceLockedError):
            session.undo()
        other.rollback()
        other.close()
        assert shown(session) == "unsure"  # not saved
        assert session.undo() == (unsure,)  # the next z takes back the same decision
        assert shown(session) == "rejected"


def test_an_undo_of_a_decision_already_taken_back_elsewhere_is_refused_once_and_the_next_undo_goes_on(workspace):
    imported(workspace)
    session = ReviewSession(workspace, "ann")
    first = session.decide(LABEL, "confirmed", "a")
    second = session.decide(LABEL, "rejected", "a")
    workspace.retract_decision(second)  # e.g. ann's other window undid it
    with pytest.raises(ConflictError, match="already undone"):
        session.undo()
    assert session.undo() == (first,)
    assert own(workspace, "ann") == {}


def suggested_only(workspace, label: str) -> None:
    """Note a scored by model m1: ``label`` suggested (0.9), every other label not (0.01)."""
    workspace.store_predictions("m1", [{"note_id": "a", "labels": [label], "evidence": {},
                                        "thresholds": {n: 0.5 for n in LABEL_NAMES},
                                        "scores": {n: 0.9 if n == label else 0.01 for n in LABEL_NAMES}}])


def test_a_positive_decision_is_confirmed_on_a_suggestion_shown_and_added_on_any_other_label(workspace):
    # y recorded 'confirmed' (score 0.01) on a label the model did not suggest, where 1-7 record 'added'
    imported(workspace)
    suggested_only(workspace, LABEL)
    other = next(n for n in LABEL_NAMES if n != LABEL)
    session = ReviewSession(workspace, "ann")
    added = session.decide(other, "confirmed", "a")  # y on a label the model did not suggest
    assert (added.state, added.score, added.model_version) == ("added", 0.01, "m1")
    assert session.decide(LABEL, "added", "a").state == "confirmed"  # the model suggested it: a confirmation
    assert session.toggle(other, "a").state == "rejected"
    assert session.toggle(other, "a").state == "added"
    assert session.decide(other, "rejected", "a").state == "rejected"
    assert workspace.progress("ann")["per_label"][other]["confirmed"] == 0
    blind = ReviewSession(workspace, "bo", hide_model=True)  # nothing suggested to confirm: the coder adds it
    assert blind.decide(LABEL, "confirmed", "a").state == "added"


def test_a_note_opens_on_its_first_suggestion_still_to_decide_as_the_panel_shows_it_else_on_label_1(workspace):
    # the panel kept the row of the note before: y there decided a label the reviewer had not looked at on this note
    imported(workspace)
    third, sixth = LABEL_NAMES[2], LABEL_NAMES[5]
    workspace.store_predictions("m1", [{"note_id": "a", "labels": [third, sixth], "evidence": {},
                                        "thresholds": {n: 0.5 for n in LABEL_NAMES},
                                        "scores": {n: 0.9 if n in (third, sixth) else 0.01 for n in LABEL_NAMES}}])

    def opens_on(session: ReviewSession) -> int:
        row = first_to_decide(session.view("a").labels)
        assert session.first_to_decide("a") == row  # read without the rest of the view (a key typed before it shows)
        return row

    ann = ReviewSession(workspace, "ann")
    assert opens_on(ann) == 2
    assert opens_on(ReviewSession(workspace, "cy", hide_model=True)) == 0  # no suggestion shown: label 1
    ann.decide(LABEL_NAMES[0], "rejected", "a")  # a label the model does not suggest: still to decide or not, no matter
    assert opens_on(ann) == 2
    ann.decide(third, "unsure", "a")  # unsure is decided, as the panel shows it
    assert opens_on(ann) == 5
    workspace.record_decision("a", sixth, "confirmed", "bo")  # another reviewer's, shown on a note that is not blind
    assert opens_on(ann) == 0  # every suggestion decided: label 1
    # blind: the coder's own decisions in the audit, not ann's outside it nor bo's
    sampling.sample(workspace, SampleSpec(size=1, seed=1), "qa")  # the one note
    blind = ReviewSession(workspace, "ann", QueueQuery(audit="qa"), blind_notes=frozenset({"a"}))
    assert opens_on(blind) == 2
    blind.decide(third, "confirmed", "a")
    assert opens_on(blind) == 5


def test_reject_undecided_rejects_every_label_left_undecided_and_one_undo_takes_the_step_back(workspace):
    # A reviewer (a blind coder above all) marks the concerns they see; the rest stayed undecided, so agreement,
    # promotion and retraining knew nothing of their absence. One call now says "coded: the rest is absent".
    imported(workspace)
    suggested_only(workspace, LABEL)
    first, second, third, *rest = [n for n in LABEL_NAMES if n != LABEL]
    workspace.record_decision("a", third, "confirmed", "bo")  # another reviewer's decision, shown on the panel
    session = ReviewSession(workspace, "ann")
    added = session.decide(first, "added", "a")
    session.decide(second, "unsure", "a")  # unsure is a decision: never overridden
    rejected = session.reject_undecided("a")
    assert [d.label for d in rejected] == [n for n in LABEL_NAMES if n in {LABEL, *rest}]  # the suggestion too
    assert {(d.state, d.reviewer, d.audit, d.model_version) for d in rejected} == {("rejected", "ann", None, "m1")}
    assert next(d for d in rejected if d.label == LABEL).score == 0.9  # the score shown, as every decision has
    assert own(workspace, "ann") == {first: "added", second: "unsure", **{d.label: "rejected" for d in rejected}}
    assert own(workspace, "bo") == {third: "confirmed"}
    # bo's decision stays bo's: N takes no side on a label shown decided; the reviewer is told it is another's
    assert {n: d.reviewer for n, d in session.decided_by_others("a").items()} == {third: "bo"}
    assert ReviewSession(workspace, "ann", blind_notes=frozenset({"a"})).decided_by_others("a") == {}
    assert session.reject_undecided("a") == []  # nothing left undecided: nothing recorded, nothing to undo
    assert session.undo() == tuple(rejected)  # one undo takes the whole step back
    assert own(workspace, "ann") == {first: "added", second: "unsure"}
    assert session.undo()[0].state == "unsure"  # the next undo, the decision before it
    assert session.undo() == (added,) and session.undo() == ()


def test_reject_undecided_lands_whole_or_not_at_all_when_another_program_holds_the_workspace(workspace, monkeypatch):
    imported(workspace)
    monkeypatch.setattr("casereview.workspace.BUSY_TIMEOUT_MS", 200)
    with Workspace.open(workspace.path) as impatient:
        session = ReviewSession(impatient, "ann")
        other = sqlite3.connect(impatient.db_path)
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(WorkspaceLockedError):
            session.reject_undecided("a")
        other.rollback()
        other.close()
        assert own(impatient, "ann") == {} and session.undo() == ()  # nothing saved, nothing to undo
        assert len(session.reject_undecided("a")) == len(LABEL_NAMES)  # pressed again: all of it


def test_a_key_that_would_not_change_the_reviewers_state_records_nothing_and_z_undoes_the_real_step(workspace):
    # y on a label already confirmed appended another identical event: the log counted a decision that changed
    # nothing, and z "undid" it, leaving the label as it was, so the reviewer had to press z twice for one step
    imported(workspace)
    suggested_only(workspace, LABEL)
    other = next(n for n in LABEL_NAMES if n != LABEL)
    session = ReviewSession(workspace, "ann")
    rejected = session.decide(other, "rejected", "a")
    confirmed = session.decide(LABEL, "confirmed", "a")
    events = len(list(workspace.iter_decisions()))
    assert session.decide(LABEL, "confirmed", "a") is None  # y again: already confirmed
    assert session.decide(LABEL, "added", "a") is None  # the same as recorded on a suggestion: confirmed
    assert session.decide(other, "rejected", "a") is None  # n on a rejected one
    assert len(list(workspace.iter_decisions())) == events
    assert session.undo() == (confirmed,)  # the real previous step
    assert session.undo() == (rejected,) and session.undo() == ()
    unsure = session.decide(LABEL, "unsure", "a")
    assert session.decide(LABEL, "unsure", "a") is None and session.undo() == (unsure,)
    # another reviewer's state is not the reviewer's: agreeing with it is a decision of one's own
    workspace.record_decision("a", other, "rejected", "bo")
    assert session.decide(other, "rejected", "a").reviewer == "ann"


def test_a_key_repeated_on_a_blind_note_compares_the_coders_own_state_in_the_audit(workspace):
    imported(workspace)
    sampling.sample(workspace, SampleSpec(size=1, seed=1), "qa")  # the one note
    workspace.record_decision("a", LABEL, "rejected", "ann")  # outside the audit: not the audit's coding
    session = ReviewSession(workspace, "ann", QueueQuery(audit="qa"), blind_notes=frozenset({"a"}))
    first = session.decide(LABEL, "rejected", "a")
    assert first.audit == "qa"
    assert session.decide(LABEL, "rejected", "a") is None
    assert [d.audit for d in workspace.iter_decisions() if d.reviewer == "ann"] == [None, "qa"]


def imported_cases(workspace) -> None:
    """Unscored notes (the priority queue takes them in import order): case C1's out of date order, C2's between."""
    records = [{"note_id": "c1-march", "case_id": "C1", "date": "2024-03-01"},
               {"note_id": "c2-only", "case_id": "C2", "date": "2024-02-01"},
               {"note_id": "c1-january", "case_id": "C1", "date": "2024-01-01"},
               {"note_id": "c1-undated", "case_id": "C1"},
               {"note_id": "c1-february", "case_id": "C1", "date": "2024-02-01"}]
    workspace.import_notes([validate({**r, "text": "Home visit."}, "n.jsonl", i) for i, r in enumerate(records, 1)],
                           "n.jsonl")


def test_a_note_opened_from_its_timeline_reads_the_case_on_in_date_order_then_goes_back_to_the_queue(workspace):
    # Enter on a note opened from the timeline went on to the priority queue's next note, out of the case file
    imported_cases(workspace)
    timeline = [n.note_id for n in workspace.case_notes("C1")]
    assert timeline == ["c1-january", "c1-february", "c1-march", "c1-undated"]
    session = ReviewSession(workspace, "ann")
    assert session.note_ids[:2] == ["c1-march", "c2-only"]
    session.next()  # on c2-only, the note the reviewer leaves for C1's timeline, opened on its second note
    session.read_case("c1-february", timeline)
    assert session.current_id == "c1-february" and session.view().position == -1  # outside the queue
    assert [session.next() for _ in range(3)] == ["c1-march", "c1-undated", "c2-only"]  # then the note left
    assert session.next() == "c1-january"  # and the queue goes on
    session.read_case("c1-february", timeline)
    assert [session.previous() for _ in range(2)] == ["c1-january", "c1-january"]  # Backspace: the note left
    session.goto("c1-undated")  # from the queue list: the queue's own place
    assert session.view().position == 3 and session.next() == "c1-february"


def test_a_queue_of_one_case_in_case_order_is_its_timeline_and_a_note_opened_from_it_stays_in_the_queue(workspace):
    imported_cases(workspace)
    timeline = [n.note_id for n in workspace.case_notes("C1")]
    session = ReviewSession(workspace, "ann", QueueQuery(case_id="C1", order="case"))
    assert session.note_ids == timeline  # an undated note last in both
    session.read_case("c1-march", timeline)
    assert session.view().position == 2 and session.next() == "c1-undated" and session.next() == "c1-undated"


def test_a_new_query_changes_the_queue_and_leaves_a_case_read_from_its_timeline_reading_on(workspace):
    # a search cleared (a new query) ended the case's reading: the next note was the queue's, in another case file
    imported_cases(workspace)
    timeline = [n.note_id for n in workspace.case_notes("C1")]
    session = ReviewSession(workspace, "ann")
    session.next()  # on c2-only, the note left for C1's timeline
    session.read_case("c1-february", timeline)
    session.reload(QueueQuery(search="nothing holds this"))  # an empty queue: the case still reads on
    assert session.current_id == "c1-february" and session.next() == "c1-march"
    session.reload(QueueQuery())  # the search cleared: the queue's note left is in it again
    assert [session.next() for _ in range(2)] == ["c1-undated", "c2-only"]
    session.reload(QueueQuery(search="nothing holds this"))
    session.reload(QueueQuery())  # outside a case's reading too: on the note the reviewer was on, not the first
    assert session.current_id == "c2-only" and session.view().position == 1
    session.read_case("c1-february", timeline)
    session.reload(QueueQuery(case_id="C1", order="case"))  # the queue is now the case in date order: the queue's
    assert session.view().position == 1 and session.next() == "c1-march"


def coded(session, note_id) -> None:
    """The note coded whole by the session's reviewer: every label decided (N)."""
    session.reject_undecided(note_id)


def test_a_new_session_resumes_at_the_note_after_the_last_one_the_reviewer_coded(workspace):
    # a new session opened on the queue's first note every day: the reviewer skipped through every note decided
    imported_cases(workspace)  # priority queue: c1-march, c2-only, c1-january, c1-undated, c1-february
    yesterday = ReviewSession(workspace, "ann")
    coded(yesterday, "c1-march")
    coded(yesterday, "c2-only")
    today = ReviewSession(workspace, "ann")
    assert today.current_id == "c1-march"  # a session made opens on the first note: resume() moves it
    place = today.resume()
    assert today.current_id == "c1-january" and today.view().position == 2
    assert (place.position, place.resumed, place.left, place.notes, place.decided_today) == (2, True, 3, 5, 2)
    # a note left partly decided is where the reviewer resumes: it is not finished
    today.decide(LABEL, "confirmed", "c1-january")
    again = ReviewSession(workspace, "ann")
    assert again.resume().position == 2 and again.current_id == "c1-january"
    # notes coded out of order: from the last one decided, on to the next not coded, else the first left before it
    coded(again, "c1-january")
    coded(again, "c1-february")
    last = ReviewSession(workspace, "ann")
    place = last.resume()
    assert last.current_id == "c1-undated" and (place.resumed, place.left) == (True, 1)


def test_a_case_file_read_from_its_timeline_resumes_after_the_queues_note_left_not_the_case_notes_place(workspace):
    # the review resumed after the case note decided last, whose place in the priority queue is far on: the queue's
    # notes between (the highest-priority notes, here c2-only) were passed over
    imported_cases(workspace)  # priority queue: c1-march, c2-only, c1-january, c1-undated, c1-february
    timeline = [n.note_id for n in workspace.case_notes("C1")]
    ann = ReviewSession(workspace, "ann")
    ann.read_case("c1-january", timeline)  # t on the queue's first note, c1-march, and the case read from its start
    for note_id in timeline:
        coded(ann, note_id)
    again = ReviewSession(workspace, "ann")
    place = again.resume()
    assert again.current_id == "c2-only" and (place.position, place.resumed, place.left) == (1, True, 1)
    # reached in the queue itself, a note read before from its timeline is decided where it stands in the queue
    bo = ReviewSession(workspace, "bo")
    bo.next()
    bo.read_case("c1-january", timeline)
    assert [bo.next() for _ in timeline][-1] == "c2-only"  # past the case's end: the queue's note left
    assert bo.next() == "c1-january"
    bo.decide(LABEL, "unsure", "c1-january")
    assert workspace.notes_decided_by("bo") == [("c1-january", None)]  # its own place, not c2-only's


def test_resuming_reads_only_the_reviewers_own_live_decisions_in_the_queue(workspace):
    imported_cases(workspace)
    ann = ReviewSession(workspace, "ann")
    coded(ann, "c1-march")
    coded(ann, "c2-only")
    ann.decide(LABEL, "rejected", "c1-undated")
    ann.undo()  # taken back: not where ann left off
    bo = ReviewSession(workspace, "bo")
    place = bo.resume()  # bo has decided nothing: the queue's first note, whatever ann coded
    assert bo.current_id == "c1-march" and not place.resumed and place.left == 3
    again = ReviewSession(workspace, "ann")
    assert again.resume().resumed and again.current_id == "c1-january"
    # --case: the case file's notes in date order, resumed after the last of them ann decided
    case = ReviewSession(workspace, "ann", QueueQuery(case_id="C1", order="case"))
    place = case.resume()
    assert case.current_id == "c1-undated" and (place.position, place.left, place.notes) == (3, 3, 4)
    # --unreviewed: the notes decided are out of the queue, which starts at the first note left
    unreviewed = ReviewSession(workspace, "ann", QueueQuery(unreviewed=True))
    place = unreviewed.resume()
    assert unreviewed.current_id == "c1-january" and not place.resumed and place.left == 3



def test_the_queue_resumes_after_the_reviewers_last_note_in_it_not_an_audits(workspace):
    # an inspector who coded an audit's notes, then opened their own queue again, was taken past the audit's last note
    # coded (note 1,594 of the demo's 10,879), the notes before it passed over, "resumed where you left off"
    imported_cases(workspace)  # priority queue: c1-march, c2-only, c1-january, c1-undated, c1-february
    coded(ReviewSession(workspace, "ann"), "c1-march")
    sampling.sample(workspace, SampleSpec(size=5, seed=1), "walk")  # every note
    coded(audit_session(workspace, "ann", "walk"), "c1-undated")
    again = ReviewSession(workspace, "ann")
    place = again.resume()
    assert again.current_id == "c2-only" and place.resumed
    audit = audit_session(workspace, "ann", "walk")  # the audit's review resumes after its own last note
    assert audit.resume().resumed and audit.note_ids.index(audit.current_id) == audit.note_ids.index("c1-undated") + 1

def test_a_queue_coded_whole_resumes_on_the_last_note_decided(workspace):
    imported_cases(workspace)
    ann = ReviewSession(workspace, "ann", QueueQuery(case_id="C1", order="case"))
    for note_id in ("c1-february", "c1-january", "c1-undated", "c1-march"):
        coded(ann, note_id)
    again = ReviewSession(workspace, "ann", QueueQuery(case_id="C1", order="case"))
    place = again.resume()
    assert again.current_id == "c1-march" and (place.resumed, place.left) == (True, 0)


def test_a_blind_coder_resumes_after_their_own_coding_in_the_audit(workspace):
    # on a blind note only the coder's own decisions in the audit count: another coder's make no note finished
    imported_cases(workspace)
    blind = frozenset({"c1-march", "c2-only", "c1-january"})
    query = QueueQuery(order="case", case_id="C1")
    bo = ReviewSession(workspace, "bo", query, blind_notes=blind)
    for note_id in ("c1-january", "c1-february", "c1-march"):
        coded(bo, note_id)
    ann = ReviewSession(workspace, "ann", query, blind_notes=blind)
    coded(ann, "c1-january")
    again = ReviewSession(workspace, "ann", query, blind_notes=blind)
    place = again.resume()
    # c1-february is not blind: bo's coding shows there, so it is finished; c1-march is blind: bo's does not count
    assert again.current_id == "c1-march" and place.left == 2


def test_the_notes_coded_whole_among_a_page_of_the_queue_follow_resumes_rule(workspace):
    # the queue list marked a note 'reviewed' as soon as one label was decided: it reads this rule for its page
    imported_cases(workspace)
    ann = ReviewSession(workspace, "ann")
    coded(ann, "c1-march")
    ann.decide(LABEL, "confirmed", "c2-only")  # partly decided: not coded
    page = ["c1-march", "c2-only", "c1-january"]
    assert ann.coded_notes(page) == {"c1-march"} and ann.coded_notes(["c2-only"]) == set()
    assert ann.coded_notes() == {"c1-march"}  # the whole workspace's, as resume() reads it
    # on a blind note only the reviewer's own decisions count: ann's coding makes none of bo's blind notes coded
    bo = ReviewSession(workspace, "bo", blind_notes=frozenset({"c1-march"}))
    assert bo.coded_notes(page) == set()
    coded(bo, "c1-march")
    assert bo.coded_notes(page) == {"c1-march"}
    assert ReviewSession(workspace, "bo").coded_notes([]) == set()


@pytest.mark.parametrize("pasted", ["see \x1b[2J note", "title \x1b]0;x\x07", "csi \x9b31m", "odd \u202e order"])
def test_a_comment_holding_a_control_character_is_refused_naming_it_and_one_stored_before_is_shown_escaped(
        workspace, pasted):
    """A comment typed in the UI was stored as pasted: an escape sequence in it reached the terminal each time the
    note was shown (Textual writes a Text's ESC as it is), and a bidirectional control reordered what it shows."""
    from casereview.errors import CaseReviewError
    from casereview.tui.widgets.note_text import comments_text

    imported(workspace)
    session = ReviewSession(workspace, "ann")
    with pytest.raises(CaseReviewError, match=r"the comment holds .*\(U\+[0-9A-F]{4}, character \d+\)"):
        session.comment(pasted, "a")
    assert workspace.comments("a") == []
    session.comment("Visit late: escalate", "a")  # printable text is kept as typed
    workspace.add_comment("a", "bo", pasted)  # as an earlier casereview stored it
    shown = comments_text(session.view("a")).plain
    assert "Visit late: escalate" in shown and pasted not in shown and pasted.split()[0] in shown, shown
    assert not any(ord(c) < 32 and c != "\n" or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in shown), repr(shown)


def test_an_audits_queue_places_and_progress_count_the_notes_the_reviewer_coded_in_it(workspace):
    # An 82-note audit opened on "77/82 left" while its progress screen said "0 of 82 decided": the queue's places
    # counted a note coded outside the audit (an import's labels, a review before it) as done, and resuming skipped
    # it, though the auditor had coded nothing of it in the audit
    imported_cases(workspace)
    workspace.import_notes([validate({"note_id": "labelled", "case_id": "C3", "date": "2024-01-05", "text": "Visit.",
                                      "labels": [LABEL]}, "gold.jsonl", 1)], "gold.jsonl")  # every label decided
    coded(ReviewSession(workspace, "ann"), "c2-only")  # outside any audit
    sampling.sample(workspace, SampleSpec(size=6, seed=1), "walk")  # every note
    session = audit_session(workspace, "ann", "walk")
    place, progress = session.resume(), session.audit_progress()
    assert (place.left, place.notes, place.audit, place.resumed) == (6, 6, "walk", False)
    assert (progress.notes, progress.coded, progress.to_code, progress.begun, progress.decided_outside) == (6, 0, 6, 0, 2)
    coded(session, "c1-march")
    session.decide(LABEL, "confirmed", "c1-january")  # begun
    for note_id in ("labelled", "c2-only"):  # every label shown decided, outside the audit: N saves nothing, says so
        assert session.reject_undecided(note_id) == [] and len(session.decided_by_others(note_id)) == len(LABEL_NAMES)
    for note_id in ("c1-undated", "c1-february"):
        coded(session, note_id)
    again = audit_session(workspace, "ann", "walk")
    place, progress = again.resume(), again.audit_progress()
    assert place.left == progress.to_code == 3 and (progress.coded, progress.begun, progress.decided_outside) == (3, 1, 2)
    assert again.current_id in {"c1-january", "labelled", "c2-only"}  # not passed over as coded outside the audit
    for note_id in ("labelled", "c2-only"):
        for label in LABEL_NAMES:  # y, n or u on each label: the auditor's own in the audit
            again.decide(label, "rejected", note_id)
    coded(again, "c1-january")
    last = audit_session(workspace, "ann", "walk")
    assert last.resume().left == last.audit_progress().to_code == 0


def test_an_audits_review_decides_only_the_reviewers_notes_in_it_and_reads_the_rest_of_a_case_file(workspace):
    # Reading an audit note's case file from its timeline (t, or F and a file), a note the audit never drew was
    # decided there under the audit, and counted in its progress, agreement and report
    imported_cases(workspace)
    sampling.sample(workspace, SampleSpec(size=2, seed=1), "walk")
    double_coding.assign(workspace, "walk", ["ann", "bo"], blind=False)  # a note each, neither blind
    session = audit_session(workspace, "ann", "walk")
    timeline = [n.note_id for n in workspace.case_notes("C1")]
    (mine,) = session.note_ids
    drawn = {item.note_id for item in workspace.audit_items("walk")}
    (theirs,) = drawn - {mine}
    undrawn = next(n for n in timeline if n not in drawn)
    for note_id in (undrawn, theirs):
        session.read_case(note_id, [note_id] if note_id == theirs else timeline)
        assert session.view().outside_audit == "walk"
        for key in (lambda: session.decide(LABEL, "confirmed"), lambda: session.toggle(LABEL), session.accept_all,
                    session.reject_undecided):
            with pytest.raises(NotInAudit, match=f"{note_id} is not yours in audit walk: read only here"):
                key()
    assert list(workspace.iter_decisions()) == []
    session.goto(mine)
    assert session.view().outside_audit is None
    assert session.decide(LABEL, "confirmed").audit == "walk"
    plain = ReviewSession(workspace, "ann")  # outside an audit every note is decided
    assert plain.decide(LABEL, "rejected", undrawn).audit is None
