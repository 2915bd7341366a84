"""Every key path of the review app, driven by Textual's Pilot, checked in the database."""

from __future__ import annotations

import pytest

from casereview.taxonomy import LABEL_NAMES
from casereview.tui.screens.case_files import CaseFilesScreen
from casereview.tui.screens.help import HelpScreen
from casereview.tui.screens.note_review import NoteReviewScreen
from casereview.tui.screens.progress import ProgressScreen
from casereview.tui.screens.queue import QueueScreen
from casereview.tui.screens.timeline import TimelineScreen
from casereview.tui.widgets.label_panel import LabelPanel
from casereview.workspace import QueueQuery

from .conftest import press, settle



def states(ws, note_id, reviewer="ann"):
    return {k: d.state for k, d in ws.current_decisions(note_id, reviewer=reviewer).items()}


async def test_opens_on_first_note_of_the_queue_ready_for_a_key(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoteReviewScreen)
        assert isinstance(app.focused, LabelPanel)
        first = workspace.queue_ids(QueueQuery(order="priority"))[0]
        assert app.session.current_id == first
        assert app.sub_title == "reviewer: ann"
        assert first in str(app.screen.query_one("#meta").render())


async def test_confirm_reject_unsure_write_the_log_with_model_version_and_score(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        await pilot.press("y")  # label 1
        await pilot.press("j", "n")  # label 2
        await pilot.press("down", "u")  # label 3
        await pilot.press("k", "k", "k")  # wraps to label 7
        await settle(pilot)
        assert states(workspace, note_id) == {LABEL_NAMES[0]: "confirmed", LABEL_NAMES[1]: "rejected", LABEL_NAMES[2]: "unsure"}
        decision = workspace.current_decisions(note_id)[LABEL_NAMES[0]]
        prediction = workspace.predictions(note_id)[LABEL_NAMES[0]]
        assert decision.reviewer == "ann"
        assert (decision.model_version, decision.score) == (prediction.model_version, prediction.score)
        assert app.screen.query_one(LabelPanel).cursor == 6


async def test_number_keys_toggle_add_then_reject(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        predictions = workspace.predictions(note_id)
        name = next(n for n in LABEL_NAMES if not predictions[n].suggested)
        key = str(LABEL_NAMES.index(name) + 1)
        await press(pilot, key)
        assert states(workspace, note_id)[name] == "added"
        await press(pilot, key)
        assert states(workspace, note_id)[name] == "rejected"


async def test_accept_all_confirms_every_suggestion(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        suggested = {n for n, p in workspace.predictions(note_id).items() if p.suggested}
        assert suggested, "the first note of the priority queue has suggestions"
        await press(pilot, "a")
        assert states(workspace, note_id) == {n: "confirmed" for n in suggested}


async def test_undo_steps_back_through_decisions(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        await press(pilot, "y")
        await press(pilot, "n")
        assert states(workspace, note_id) == {LABEL_NAMES[0]: "rejected"}
        await press(pilot, "z")
        assert states(workspace, note_id) == {LABEL_NAMES[0]: "confirmed"}
        await press(pilot, "z")
        assert states(workspace, note_id) == {}
        assert len([d for d in workspace.iter_decisions() if d.note_id == note_id]) == 4  # append-only


async def test_comment_is_saved(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        await press(pilot, "c")
        await press(pilot, *"check with TM", "enter")
        assert [c["text"] for c in workspace.comments(note_id)] == ["check with TM"]
        assert workspace.comments(note_id)[0]["reviewer"] == "ann"


async def test_enter_and_backspace_move_through_the_queue_leaving_suggestions_unreviewed(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ids = app.session.note_ids
        await press(pilot, "enter")
        assert app.session.current_id == ids[1]
        assert ids[1] in str(app.screen.query_one("#meta").render())
        await press(pilot, "backspace")
        assert app.session.current_id == ids[0]
        assert workspace.current_decisions(ids[0]) == {}


async def test_queue_list_opens_a_note(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        assert isinstance(app.screen, QueueScreen)
        await press(pilot, "down", "down", "enter")
        assert isinstance(app.screen, NoteReviewScreen)
        assert app.session.current_id == app.session.note_ids[2]


async def test_search_filters_the_queue(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = len(app.session.note_ids)
        await press(pilot, "slash")
        await press(pilot, *"supervision", "enter")
        ids = app.session.note_ids
        assert 0 < len(ids) < before
        assert all("supervision" in workspace.get_note(i).text.lower() for i in ids)


async def test_filter_by_label_and_unreviewed(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = app.session.current_id
        await press(pilot, "y")
        await press(pilot, "f")
        screen = app.screen
        screen.query_one("#label").value = "delay_timeliness"
        screen.query_one("#unreviewed").value = True
        screen.apply()
        await settle(pilot)
        ids = app.session.note_ids
        assert first not in ids and ids
        for note_id in ids:
            assert workspace.predictions(note_id)["delay_timeliness"].suggested


async def test_case_files_timeline_and_jump_to_a_note(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "F")
        assert isinstance(app.screen, CaseFilesScreen)
        top_case = app.screen.cases[0]
        assert top_case.flagged_notes == max(c.flagged_notes for c in app.screen.cases if sum(c.flagged_by_label.values()) == sum(top_case.flagged_by_label.values()))
        await press(pilot, "enter")
        assert isinstance(app.screen, TimelineScreen) and app.screen.case_id == top_case.case_id
        dates = [n.date for n in app.screen.notes]
        assert dates == sorted(dates)
        await press(pilot, "end", "enter")
        assert isinstance(app.screen, NoteReviewScreen)
        assert app.session.current_id == workspace.case_notes(top_case.case_id)[-1].note_id


async def test_timeline_key_opens_the_notes_case(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        case_id = workspace.get_note(app.session.current_id).case_id
        await press(pilot, "t")
        assert isinstance(app.screen, TimelineScreen) and app.screen.case_id == case_id


async def test_progress_and_help(make_app, workspace):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "y")
        await press(pilot, "p")
        assert isinstance(app.screen, ProgressScreen)
        figures = app.screen.figures
        assert figures["reviewed_notes"] == 1 and figures["per_label"][LABEL_NAMES[0]]["confirmed"] == 1
        await press(pilot, "escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape", "q")
    assert app.return_code == 0


async def test_keys_are_rebindable(make_app, workspace):
    app = make_app(keymap={"confirm": "x"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        await press(pilot, "x")
        assert states(workspace, note_id) == {LABEL_NAMES[0]: "confirmed"}


async def test_empty_queue_says_so(make_app):
    app = make_app(QueueQuery(search="no note contains this phrase"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "queue is empty" in str(app.screen.query_one("#meta").render())
        await pilot.press("y", "enter")  # nothing to decide; nothing breaks
        await settle(pilot)


async def test_a_crash_never_prints_note_text(make_app, workspace, capfd):
    """Textual shows locals in crash tracebacks by default; ours must not (notes are sensitive)."""
    app = make_app()
    secret = workspace.get_note(app.session.current_id).text

    def explode():
        note_text = secret  # noqa: F841 - a local a default traceback would print
        raise RuntimeError("boom")

    with pytest.raises(Exception, match="boom"):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.screen._act(explode, None)
            await settle(pilot)
    captured = capfd.readouterr()
    output = captured.err + captured.out
    assert "boom" in output
    assert secret[:40] not in output
