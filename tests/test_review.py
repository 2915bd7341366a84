"""The review session's actions as library calls: undo restores what the reviewer saw."""

from __future__ import annotations

from casereview.notes import validate
from casereview.review import ReviewSession

LABEL = "delay_timeliness"


def imported(workspace, labels=None):
    record = {"note_id": "a", "text": "Visit delayed again.", **({"labels": labels} if labels is not None else {})}
    workspace.import_notes([validate(record, "gold.jsonl", 1)], "gold.jsonl")


def shown(session) -> str | None:
    decision = session.shown_decisions("a").get(LABEL)
    return decision.state if decision else None


def test_undo_restores_an_imported_label_not_unreviewed(workspace):
    imported(workspace, labels=[LABEL])
    session = ReviewSession(workspace, "ann")
    assert shown(session) == "confirmed"
    session.toggle(LABEL, "a")
    assert shown(session) == "rejected"
    undone = session.undo()
    assert (undone.note_id, undone.state) == ("a", "rejected")
    assert shown(session) == "confirmed"
    last = list(workspace.iter_decisions())[-1]
    assert (last.reviewer, last.state, last.comment) == ("ann", "confirmed", "undo")  # an event, append-only


def test_undo_restores_another_reviewers_state_where_decisions_are_shared(workspace):
    imported(workspace)
    workspace.record_decision("a", LABEL, "confirmed", "bo")
    session = ReviewSession(workspace, "ann")
    session.decide(LABEL, "rejected", "a")
    session.undo()
    assert shown(session) == "confirmed"


def test_undo_on_a_blind_note_restores_the_reviewers_own_state(workspace):
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
    assert workspace.current_decisions("a", reviewer="bo")[LABEL].state == "confirmed"
