"""The audit review app (blind double coding) and the adjudication app, driven by Pilot, checked in the database."""

from __future__ import annotations

import re

import pytest

from textual.geometry import Region
from textual.widgets._footer import FooterKey

from casereview import corpus, double_coding, importer, registry, report, sampling, tagging
from casereview.adjudication import AdjudicationSession
from casereview.double_coding import audit_session
from casereview.review import ReviewSession
from casereview.sampling import SampleSpec
from casereview.taxonomy import BY_NAME, LABEL_NAMES, LABELS
from casereview.tui import saves
from casereview.tui.audit_apps import AdjudicationApp, AuditReviewApp, audit_app
from casereview.tui.screens.adjudication import FINAL_WORDS, AdjudicationScreen, DisputePanel
from casereview.tui.screens.audit_progress import AuditProgressScreen
from casereview.tui.screens.blind_queue import BlindQueueScreen
from casereview.tui.screens.case_files import CaseFilesScreen
from casereview.tui.screens.timeline import TimelineScreen
from casereview.tui.widgets.row_list import RowList
from casereview.tui.screens.help import HelpMarkdown, HelpScreen
from casereview.tui.screens.note_review import NoteReviewScreen
from casereview.tui.widgets.label_panel import LabelPanel
from casereview.workspace import Workspace

from ..conftest import write_jsonl
from .conftest import (check_a_crash_never_prints, check_g_and_G_reach_the_ends, check_not_saved_while_locked,
                       footer_shown, help_key_rows, press, row_for, settle, status, to_row, type_ahead, until)

FIRST = LABEL_NAMES[0]


def blind_audit(workspace, hide_model: bool) -> str:
    sampling.sample(workspace, SampleSpec(size=6, seed=3, hide_model=hide_model), "qa")
    double_coding.assign(workspace, "qa", ["ann", "bo"], double=1.0)
    return "qa"


async def test_blind_coder_sees_neither_the_other_decisions_nor_the_model(workspace):
    blind_audit(workspace, hide_model=True)
    app = audit_app(workspace, "ann", audit="qa", order="priority")
    assert isinstance(app, AuditReviewApp)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        workspace.record_decision(note_id, FIRST, "confirmed", "bo", audit="qa")
        app.screen.refresh_note()
        await settle(pilot)
        rows = app.screen.query_one(LabelPanel).rows
        assert rows and all(r.state is None and r.score is None and not r.suggested for r in rows)
        await press(pilot, "y")
        mine = workspace.current_decisions(note_id, reviewer="ann")[FIRST]
        # no suggestion shown to confirm: the coder adds the label, as 1-7 does
        assert (mine.state, mine.audit, mine.model_version) == ("added", "qa", None)
        await pilot.press("F")  # case files would show the model's flags: refused
        await settle(pilot)
        assert isinstance(app.screen, NoteReviewScreen)
        await press(pilot, "l")
        assert isinstance(app.screen, BlindQueueScreen)
        line = app.screen.fetch(0, 1)[0].plain
        assert "–" in line  # no score shown
        await press(pilot, "escape", "p")
        assert isinstance(app.screen, AuditProgressScreen)
        shown = " ".join(str(app.screen.query_one("#progress").render()).split())
        assert "0 of 6 notes of audit qa coded by you in it (every label decided), 6 to code; 1 begun" in shown


async def test_a_note_chosen_in_an_audits_queue_list_is_the_note_shown_and_decided_on(workspace):
    # The audit app's mount ran the review app's twice (Textual calls each class's on_mount, and it called its
    # base's too): two note screens, the list opening the note on the hidden one, so the screen kept showing the
    # note left while the keys decided on the one chosen, unseen.
    blind_audit(workspace, hide_model=False)
    app = audit_app(workspace, "ann", audit="qa", order="priority")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert sum(isinstance(s, NoteReviewScreen) for s in app.screen_stack) == 1
        left = app.session.current_id
        await press(pilot, "l")
        assert isinstance(app.screen, BlindQueueScreen)
        await press(pilot, "end", "enter")
        chosen = app.session.note_ids[-1]
        assert chosen != left and app.session.current_id == chosen
        assert isinstance(app.screen, NoteReviewScreen) and app.screen.view.note.note_id == chosen
        await press(pilot, "y")
    assert FIRST in workspace.current_decisions(chosen, reviewer="ann")
    assert workspace.current_decisions(left, reviewer="ann") == {}


def coded_in_qa(workspace, note_id: str) -> dict[str, str]:
    """ann's own states of the note's labels in audit qa."""
    return {name: d.state for name, d in workspace.current_decisions(note_id, reviewer="ann", audit="qa").items()}


async def test_a_blind_coders_note_opens_on_their_first_suggestion_still_to_decide_by_their_own_decisions(workspace):
    # the cursor carried over from the note before; on a blind note, another coder's decision (not shown) leaves the
    # suggestion still to decide for this coder
    app = audit_app(workspace, "ann", audit=blind_audit(workspace, hide_model=False), order="priority")
    ids = app.session.note_ids

    def suggested(note_id: str) -> list[int]:
        predictions = workspace.predictions(note_id)
        return [row for row, name in enumerate(LABEL_NAMES) if name in predictions and predictions[name].suggested]

    at = next(at for at in range(1, len(ids)) if suggested(ids[at]))
    note_id, first = ids[at], suggested(ids[at])[0]
    assert note_id in app.session.blind_notes
    workspace.record_decision(note_id, LABEL_NAMES[first], "confirmed", "bo", audit="qa")  # bo's: not shown to ann
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_note(ids[at - 1])
        await settle(pilot)
        await to_row(pilot, 6 if first != 6 else 5)
        await press(pilot, "enter")
        panel = app.screen.query_one(LabelPanel)
        assert app.session.current_id == note_id and panel.cursor == first
        await press(pilot, "y")
        assert coded_in_qa(workspace, note_id) == {LABEL_NAMES[first]: "confirmed"}


async def test_a_note_of_an_audit_hiding_the_model_opens_on_label_1_whatever_the_row_left(workspace):
    app = audit_app(workspace, "ann", audit=blind_audit(workspace, hide_model=True), order="priority")
    second = app.session.note_ids[1]
    assert any(p.suggested for p in workspace.predictions(second).values())  # suggested, but not shown
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await to_row(pilot, 3)
        await press(pilot, "enter", "y")
        assert app.session.current_id == second and app.screen.query_one(LabelPanel).cursor == 0
        assert coded_in_qa(workspace, second) == {FIRST: "added"}


async def test_a_blind_coders_queue_list_shows_their_own_decided_labels_not_another_coders(workspace):
    blind_audit(workspace, hide_model=True)
    app = audit_app(workspace, "ann", audit="qa", order="priority")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        theirs, mine = LABELS[0], LABELS[1]
        workspace.record_decision(note_id, theirs.name, "added", "bo", audit="qa")
        await press(pilot, "down", "y")  # the second label: ann's own
        await press(pilot, "l")
        assert isinstance(app.screen, BlindQueueScreen)
        labels = app.screen.fetch(app.session.index, app.session.index + 1)[0].plain.split("–")[-1].split()
        assert mine.symbol in labels and theirs.symbol not in labels


async def test_a_blind_coder_codes_a_note_whole_with_the_concerns_seen_then_capital_n(workspace):
    blind_audit(workspace, hide_model=True)
    app = audit_app(workspace, "ann", audit="qa")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        note_id = app.session.current_id
        for label in LABEL_NAMES:  # bo codes it whole: not shown, not ann's to keep
            workspace.record_decision(note_id, label, "confirmed" if label == FIRST else "rejected", "bo", audit="qa")

        async def listed() -> str:
            """The note's state in ann's queue list: by her own decisions (the list said 'reviewed' at one label)."""
            await press(pilot, "l")
            assert isinstance(app.screen, BlindQueueScreen)
            heading = str(app.screen.query_one("#list-columns").render())
            line = app.screen.fetch(app.session.index, app.session.index + 1)[0].plain
            await press(pilot, "escape")
            return line[heading.index("state"):heading.index("labels")].strip()

        assert await listed() == "open"  # bo's coding finishes nothing for ann
        await press(pilot, "2")
        assert await listed() == "partial"
        await press(pilot, "N")
        assert await listed() == "coded"
        mine = workspace.current_decisions(note_id, reviewer="ann", audit="qa")
        assert {name: d.state for name, d in mine.items()} == {
            name: "added" if name == LABEL_NAMES[1] else "rejected" for name in LABEL_NAMES}
        assert {(d.audit, d.model_version) for d in mine.values()} == {("qa", None)}


async def test_audit_progress_says_how_many_notes_to_code_have_labels_left_undecided(workspace):
    # "2 of 6 notes of audit qa decided" counted a note with one label of seven marked as decided: a coder who forgot
    # N stopped there, and agreement compared only the labels both coders marked
    blind_audit(workspace, hide_model=True)
    app = audit_app(workspace, "ann", audit="qa")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "enter", "N", "p")
        assert isinstance(app.screen, AuditProgressScreen)
        shown = " ".join(str(app.screen.query_one("#progress").render()).split())
        assert shown.startswith("ann: 1 of 6 notes of audit qa coded by you in it (every label decided), 5 to code; "
                                "1 begun has labels left undecided, which agreement counts as unknown (N on a note "
                                "rejects them)"), shown
        await press(pilot, "escape", "backspace", "N", "p")
        shown = " ".join(str(app.screen.query_one("#progress").render()).split())
        assert shown.startswith("ann: 2 of 6 notes of audit qa coded by you in it (every label decided), 4 to code "
                                "Blind coding"), shown


async def test_help_of_a_model_hidden_audit_says_added_is_also_a_concern_the_model_did_not_show(workspace):
    # with the model hidden, y records 'added' on a label the model may well suggest: the help's
    # "+ added: a concern the model did not suggest" alone read as if the model had not suggested it
    blind_audit(workspace, hide_model=True)
    app = audit_app(workspace, "ann", audit="qa")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        notes = " ".join(app.screen.query_one(HelpMarkdown).source.split())
        assert "✓ confirmed: a suggestion agreed with" in notes
        assert "+ added: a concern the model did not suggest, or did not show" in notes


async def test_open_audit_shows_case_files_and_headline_figures(workspace):
    sampling.sample(workspace, SampleSpec(size=4, seed=1), "open")
    app = audit_app(workspace, "lead", audit="open")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(app.session.note_ids) == 4 and not app.blind
        await press(pilot, "p")
        assert "Agreement, all labels" in str(app.screen.query_one("#progress").render())
        await press(pilot, "escape", "F")
        assert isinstance(app.screen, CaseFilesScreen)


async def test_an_audits_case_files_are_the_files_it_sampled(workspace):
    # F listed every case file of the workspace, most outside the sample: the reviewer coded files the audit never
    # drew, its decisions recorded under the audit all the same
    sampling.sample(workspace, SampleSpec(size=2, seed=1, unit="case"), "files")
    app = audit_app(workspace, "lead", audit="files", order="priority")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sampled = {workspace.get_note(n).case_id for n in app.session.note_ids}
        assert len(sampled) == 2 and len(workspace.case_files()) > 2
        await press(pilot, "F")
        assert isinstance(app.screen, CaseFilesScreen)
        assert {case.case_id for case in app.screen.cases} == sampled
        assert str(app.screen.query_one("#list-title").render()) == "Case files of audit files by concern — 2 case files"


async def test_an_audits_status_line_and_progress_screen_count_the_same_notes_coded_in_it(workspace):
    # An inspector's 82-note audit said "0 of 82 decided" on its progress screen and "77/82 left" on the status line:
    # the line counted notes coded outside the audit (an import's labels, an earlier review) as done, and resumed past
    # them, though nothing of them was coded in the audit
    sampling.sample(workspace, SampleSpec(size=8, seed=1), "walk")
    drawn = [item.note_id for item in workspace.audit_items("walk")]
    before = ReviewSession(workspace, "bo")
    for note_id in drawn[:2]:
        before.reject_undecided(note_id)  # coded whole, outside any audit
    audit_session(workspace, "ann", "walk").reject_undecided(drawn[2])  # coded in it
    app = audit_app(workspace, "ann", audit="walk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert status(app) == "resumed where you left off · 7 of 8 audit notes to code · 1 by you today"
        await press(pilot, "p")
        shown = " ".join(str(app.screen.query_one("#progress").render()).split())
        assert shown.startswith("ann: 1 of 8 notes of audit walk coded by you in it (every label decided), 7 to code "
                                "2 notes to code show every label decided outside the audit"), shown
        await press(pilot, "escape", "l")  # the queue list's state column: by ann's coding in the audit
        heading = str(app.screen.query_one("#list-columns").render())
        states = {app.session.note_ids[i]: line.plain[heading.index("state"):heading.index("labels")].strip()
                  for i, line in enumerate(app.screen.fetch(0, 8))}
        assert (states[drawn[0]], states[drawn[1]], states[drawn[2]]) == ("open", "open", "coded")
        app.open_note(drawn[0])
        await settle(pilot)
        await press(pilot, "N")  # every label shown decided, outside the audit: N codes nothing of it in the audit
        assert status(app) == "no labels left undecided; 7 not the audit's kept (y/n/u: yours)"


def audit_note_with_undrawn_case_notes(workspace, audit: str) -> tuple[str, str]:
    """A note of ``audit`` and a note of its case file the audit did not draw."""
    drawn = {item.note_id for item in workspace.audit_items(audit)}
    for note_id in sorted(drawn):
        undrawn = [n.note_id for n in workspace.case_notes(workspace.get_note(note_id).case_id)
                   if n.note_id not in drawn]
        if undrawn:
            return note_id, undrawn[0]
    raise AssertionError("every case file of the audit is drawn whole")


@pytest.mark.parametrize("through", ["timeline", "case files"])
async def test_a_note_the_audit_did_not_draw_opened_from_its_case_file_is_read_only(workspace, through):
    # t (or F and a file) lists every note of the case file: one the audit never drew, opened there and decided, was
    # recorded under the audit, counted in its progress, agreement and report
    sampling.sample(workspace, SampleSpec(size=6, seed=1), "walk")
    mine, undrawn = audit_note_with_undrawn_case_notes(workspace, "walk")
    case_id = workspace.get_note(mine).case_id
    app = audit_app(workspace, "ann", audit="walk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_note(mine)
        await settle(pilot)
        if through == "timeline":
            await press(pilot, "t")
        else:
            await press(pilot, "F")
            assert isinstance(app.screen, CaseFilesScreen)
            app.screen.query_one(RowList).cursor = [c.case_id for c in app.screen.cases].index(case_id)
            await press(pilot, "enter")
        assert isinstance(app.screen, TimelineScreen)
        notes = workspace.case_notes(case_id)
        yours = sum(n.note_id in app.session.audit_notes for n in notes)
        assert str(app.screen.query_one("#list-title").render()) == (
            f"Timeline of case {case_id} (audit walk: {yours} yours, the others read only) — {len(notes)} notes, "
            f"{yours} to code")  # to code: the notes yours in the audit, none coded yet
        app.screen.query_one(RowList).cursor = [n.note_id for n in notes].index(undrawn)
        await press(pilot, "enter")
        assert isinstance(app.screen, NoteReviewScreen) and app.screen.view.note.note_id == undrawn
        assert "read only: not yours in audit walk" in str(app.screen.query_one("#meta").render())
        await press(pilot, "y", "N", "a", "1")
        assert status(app) == f"NOT saved · {undrawn} is not yours in audit walk: read only here"
        assert list(workspace.iter_decisions()) == []
        app.open_note(mine)
        await settle(pilot)
        assert "read only" not in str(app.screen.query_one("#meta").render())
        await press(pilot, "N")
    assert {d.audit for d in workspace.iter_decisions()} == {"walk"}
    assert {d.note_id for d in workspace.iter_decisions()} == {mine}


async def test_adjudicator_sees_both_decisions_and_records_the_final_one(workspace):
    blind_audit(workspace, hide_model=False)
    note_id = workspace.assignments("qa")[0].note_id
    workspace.record_decision(note_id, FIRST, "confirmed", "ann", audit="qa")
    workspace.record_decision(note_id, FIRST, "rejected", "bo", audit="qa")
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AdjudicationScreen)
        panel = app.screen.query_one(DisputePanel)
        assert [r.states for r in panel.rows] == [{"ann": "confirmed", "bo": "rejected"}]
        rendered = panel.render().plain
        assert "ann ✓" in rendered and "bo ✗" in rendered and "open" in rendered
        await press(pilot, "n")
        final = workspace.current_decisions(note_id)[FIRST]
        assert (final.kind, final.state, final.reviewer, final.audit) == ("adjudication", "rejected", "sam", "qa")
        assert "no concern" in panel.render().plain


async def test_a_coder_cannot_adjudicate_their_own_dispute(workspace):
    blind_audit(workspace, hide_model=False)
    note_id = workspace.assignments("qa")[0].note_id
    workspace.record_decision(note_id, FIRST, "confirmed", "ann", audit="qa")
    workspace.record_decision(note_id, FIRST, "rejected", "bo", audit="qa")
    app = audit_app(workspace, "ann", adjudicate="qa")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "y")
        assert "another senior reviewer" in str(app.screen.query_one("#status-line").render())
        assert workspace.current_decisions(note_id)[FIRST].kind == "review"


# -- keys typed ahead on the adjudication screen: every final decision lands as typed --------------
def disputed(workspace, notes: int = 2, labels: int = 2) -> list[str]:
    """The first ``notes`` notes of audit qa, with ann and bo disagreeing on the first ``labels`` labels."""
    blind_audit(workspace, hide_model=False)
    note_ids = sorted({a.note_id for a in workspace.assignments("qa")})[:notes]
    for note_id in note_ids:
        for label in LABEL_NAMES[:labels]:
            workspace.record_decision(note_id, label, "confirmed", "ann", audit="qa")
            workspace.record_decision(note_id, label, "rejected", "bo", audit="qa")
    return note_ids


def finals(workspace, note_id) -> dict[str, str]:
    return {label: FINAL_WORDS[d.state] for (n, label), d in workspace.adjudications("qa").items() if n == note_id}


async def test_an_adjudication_crash_never_prints_note_text(workspace, capfd):
    # the review app printed a crash's traceback without local variables; the adjudication app printed Textual's,
    # with them, and a local holding the note's text went to the terminal
    note_id = disputed(workspace, notes=1, labels=1)[0]
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    await check_a_crash_never_prints(app, workspace.get_note(note_id).text, capfd, (100, 30))


async def test_a_final_decision_typed_just_before_enter_or_backspace_lands_on_its_note(workspace):
    first, second = disputed(workspace)
    second_label = LABEL_NAMES[1]
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.adjudication.note_ids == [first, second]
        type_ahead(app, "y", "enter")
        await settle(pilot)
        assert app.adjudication.current_id == second
        assert finals(workspace, first) == {FIRST: "concern"}
        assert finals(workspace, second) == {}
        assert status(app) in ("", f"saved on {first} · {BY_NAME[FIRST].shown_name}: concern")  # whichever showed last
        type_ahead(app, "j", "n", "backspace")
        await settle(pilot)
        assert app.adjudication.current_id == first
        assert finals(workspace, second) == {second_label: "no concern"}
        assert finals(workspace, first) == {FIRST: "concern"}
        # y just after Enter: the next note, on the row its panel opens on, its first open dispute (shown selected)
        type_ahead(app, "enter", "y")
        await settle(pilot)
        assert finals(workspace, second) == {FIRST: "concern", second_label: "no concern"}
        assert status(app) in ("", f"saved · {BY_NAME[FIRST].shown_name}: concern")  # the save's or the move's, whichever last
        assert app.screen.query_one(DisputePanel).selected == FIRST


async def test_final_decisions_typed_ahead_are_saved_in_the_order_of_the_keys(workspace):
    note_id = disputed(workspace, notes=1, labels=1)[0]
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        keys = ["y", "n"] * 12 + ["y"]
        type_ahead(app, *keys)
        await settle(pilot)
        log = [FINAL_WORDS[d.state] for d in workspace.iter_decisions() if d.reviewer == "sam"]
        assert log == [{"y": "concern", "n": "no concern"}[k] for k in keys]
        assert finals(workspace, note_id) == {FIRST: "concern"}
        assert status(app) == f"saved · {BY_NAME[FIRST].shown_name}: concern"


async def test_a_final_decision_repeated_records_nothing_and_says_so(workspace):
    # y on a dispute settled as a concern saved another identical adjudication ("saved · ...: concern" again)
    note_id = disputed(workspace, notes=1, labels=1)[0]
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "y", "y")
        assert status(app) == f"not changed · {BY_NAME[FIRST].shown_name}: already concern"
        await press(pilot, "n", "n")
        assert status(app) == f"not changed · {BY_NAME[FIRST].shown_name}: already no concern"
        assert [FINAL_WORDS[d.state] for d in workspace.iter_decisions() if d.reviewer == "sam"] == [
            "concern", "no concern"]
        assert finals(workspace, note_id) == {FIRST: "no concern"}


async def test_keys_typed_after_quit_settle_nothing(workspace):
    from .conftest import until_stopped

    note_id = disputed(workspace, notes=2, labels=1)[0]
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        type_ahead(app, "y", "q", "n", "enter", "y")
        await until_stopped(app)
    assert [(d.note_id, FINAL_WORDS[d.state]) for d in workspace.iter_decisions() if d.reviewer == "sam"] == [
        (note_id, "concern")]  # the y before q saved; nothing after it


async def test_adjudication_on_a_locked_workspace_says_not_saved_and_keeps_running(
        workspace, impatient_workspace, write_lock):
    note_id = disputed(workspace, notes=1, labels=1)[0]
    app = AdjudicationApp(AdjudicationSession(impatient_workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check_not_saved_while_locked(
            pilot, write_lock, lambda: finals(workspace, note_id), {FIRST: "concern"})


async def test_one_open_dispute_is_counted_in_the_singular(workspace):
    # the note's line said "1 disputes open", and the audit's progress "1 disputes open, 0 adjudicated"
    disputed(workspace, notes=1, labels=1)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "·  1 dispute open" in str(app.screen.query_one("#meta").render())
    summary = report.build(workspace, "qa", check=None).summary_lines()[-1]
    assert summary.endswith("; 1 dispute open, 0 adjudicated.")


async def test_adjudication_help_lists_the_adjudication_keys_not_the_review_keys(workspace):
    disputed(workspace, notes=1, labels=1)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(HelpMarkdown).source
        assert "final decision on the selected label: concern / no concern" in source
        assert "accept every suggestion" not in source and "undo your last decision" not in source
        await press(pilot, "escape")
        assert isinstance(app.screen, AdjudicationScreen)


async def test_adjudicating_the_whole_workspace_settles_a_rejected_imported_label(workspace, tmp_path):
    """No audit: the import's labels are a reviewer's decisions, and a reviewer overturning one disputes it."""
    record = next(r for r in corpus.split(corpus.load(), "train") if FIRST in r["labels"])
    importer.import_path(workspace, write_jsonl(tmp_path / "notes.jsonl", [record]))
    note_id = record["note_id"]
    workspace.record_decision(note_id, FIRST, "rejected", "ann")
    app = audit_app(workspace, "S. Senior", adjudicate_all=True)
    assert isinstance(app, AdjudicationApp) and app.adjudication.audit is None
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.title == "adjudication · workspace" and "audit" not in app.sub_title
        assert app.adjudication.note_ids == [note_id]
        panel = app.screen.query_one(DisputePanel)
        rendered = panel.render().plain
        assert "import:notes.jsonl ✓" in rendered and "ann ✗" in rendered and "open" in rendered
        await press(pilot, "n")
        final = workspace.current_decisions(note_id)[FIRST]
        assert (final.kind, final.state, final.reviewer, final.audit) == ("adjudication", "rejected", "S. Senior", None)
        assert "no concern" in panel.render().plain and workspace.disagreements() == []
    app = audit_app(workspace, "S. Senior", adjudicate_all=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "No open disputes in the workspace" in str(app.screen.query_one("#meta").render())


async def test_adjudication_rows_show_every_title_whole_and_both_coders_at_80_columns(workspace):
    # the title column was 22 wide: 'Management oversight …', 'Workforce and capacity' only just
    disputed(workspace, notes=1, labels=len(LABEL_NAMES))
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(DisputePanel)
        lines = [line.rstrip() for line in str(panel.render()).splitlines()]
        assert len(lines) == len(LABEL_NAMES) and panel.region.height >= len(lines)
        for line, label in zip(lines, LABELS):
            assert f" {label.title} " in line and "ann ✓" in line and "bo ✗" in line, line
            assert len(line) <= panel.content_region.width, line


def shown_lines(widget) -> list[str]:
    """The widget's content lines as the screen shows them (wrapped or cropped to its width), without border or padding."""
    gutter = widget.styles.gutter
    strips = widget.render_lines(Region(0, 0, *widget.outer_size))[gutter.top:gutter.top + widget.size.height]
    return [strip.text[gutter.left:gutter.left + widget.size.width].rstrip() for strip in strips]


async def test_adjudication_rows_and_header_fit_80_columns_with_an_imported_reviewer(workspace, tmp_path):
    # a row with 'import:notes.jsonl ✓' ran past the edge and lost the model's score, and the header
    # ended on the count of disputes, which wrapped to a second line or split across two ("4" / "disputes open")
    record = next(r for r in corpus.split(corpus.load(), "train")
                  if len(r["labels"]) >= 2 and r["author_role"] == "agency_social_worker")
    importer.import_path(workspace, write_jsonl(tmp_path / "notes.jsonl", [record]))
    tagging.tag(workspace, *registry.resolve(None, workspace))
    for label in record["labels"]:
        workspace.record_decision(record["note_id"], label, "rejected", "ann")
    app = audit_app(workspace, "S. Senior", adjudicate_all=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(DisputePanel)
        lines = shown_lines(panel)
        assert len(lines) == len(record["labels"])
        for line in lines:
            assert re.search(r"ann ✗ +import:\S*… ✓ +model \d\.\d\d", line), line
        disputes = f"{len(record['labels'])} disputes open in the workspace"
        header = shown_lines(app.screen.query_one("#meta"))
        assert header[0].startswith(f"note 1 of 1  ·  {disputes}  ·  {record['note_id']}"), header
    app = audit_app(workspace, "S. Senior", adjudicate_all=True)
    async with app.run_test(size=(120, 30)) as pilot:  # room enough: the name whole
        await settle(pilot)
        assert all("import:notes.jsonl ✓" in line for line in shown_lines(app.screen.query_one(DisputePanel)))


async def test_adjudication_footer_keeps_help_and_quit_at_80_columns_with_longer_keys(workspace):
    note_id = disputed(workspace, notes=1, labels=1)[0]
    keymap = {"settle_concern": "insert", "settle_no_concern": "delete", "next": "pagedown", "previous": "pageup"}
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"), keymap=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.adjudication.note_ids == [note_id]
        shown = footer_shown(app.screen)
        assert shown.get("?") == "Help" and shown.get("q") == "Quit", shown


async def test_adjudication_help_and_footer_show_the_keys_rebound_in_keys_toml(workspace):
    note_id = disputed(workspace, notes=1, labels=1)[0]
    keymap = {"settle_concern": "c", "settle_no_concern": "o", "next": "space", "dispute_down": "s", "help": "h"}
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"), keymap=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = {key.key_display: key.description for key in app.screen.query(FooterKey)}
        assert footer["c"] == "Concern" and footer["o"] == "No concern" and "y" not in footer
        await press(pilot, "h")
        assert isinstance(app.screen, HelpScreen)
        rows = help_key_rows(app)
        assert row_for(rows, "final decision on the selected label") == "c / o"
        assert row_for(rows, "next / previous note") == "Space / Backspace"
        assert row_for(rows, "select a disputed label") == "Up, k / s"  # down and j gave way to s
        assert row_for(rows, "this help") == "h"
        keys = app.screen.query_one(HelpMarkdown).source.split("# The codebook")[0]
        assert "You cannot settle a dispute you coded yourself." in " ".join(keys.split())
        assert "disagree" not in keys.lower()  # "dispute" is the one word, as in the report and the CLI
        await press(pilot, "h")  # the help key closes it again
        assert isinstance(app.screen, AdjudicationScreen)
        await press(pilot, "c")
        assert finals(workspace, note_id) == {FIRST: "concern"}


async def test_enter_on_the_last_note_brings_in_disputes_recorded_since_the_screen_opened(workspace):
    # the queue was fixed when the screen opened: a dispute another reviewer's decision made meanwhile
    # showed only after quitting and opening the screen again
    first, second = disputed(workspace, notes=2, labels=1)
    workspace.record_decision(second, FIRST, "confirmed", "bo", audit="qa")  # bo comes round: no dispute yet
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.adjudication.note_ids == [first]
        await press(pilot, "y")
        with Workspace.open(workspace.path) as other:  # another reviewer, in another program, same workspace
            other.record_decision(second, FIRST, "rejected", "cy", audit="qa")
            other.record_decision(first, LABEL_NAMES[1], "confirmed", "ann", audit="qa")
            other.record_decision(first, LABEL_NAMES[1], "rejected", "cy", audit="qa")
        await press(pilot, "enter")
        assert app.adjudication.current_id == first  # no jump: a key typed next lands on the note on screen
        assert status(app) == "end of the queue; 1 more note with open disputes since it opened: Enter for it"
        assert [r.label for r in app.screen.query_one(DisputePanel).rows] == [FIRST, LABEL_NAMES[1]]
        assert "note 1 of 2" in str(app.screen.query_one("#meta").render())
        await press(pilot, "enter")
        assert app.adjudication.current_id == second
        assert [r.states for r in app.screen.query_one(DisputePanel).rows] == [{"ann": "confirmed", "bo": "confirmed",
                                                                               "cy": "rejected"}]
        await press(pilot, "n")
        assert finals(workspace, second) == {FIRST: "no concern"}
        await press(pilot, "enter")
        assert status(app) == "end of the queue"


async def test_an_empty_adjudication_queue_looks_again_on_enter(workspace):
    blind_audit(workspace, hide_model=False)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "No open disputes in audit qa." in str(app.screen.query_one("#meta").render())
        note_id = workspace.assignments("qa")[0].note_id
        with Workspace.open(workspace.path) as other:
            other.record_decision(note_id, FIRST, "confirmed", "ann", audit="qa")
            other.record_decision(note_id, FIRST, "rejected", "bo", audit="qa")
        await press(pilot, "enter")
        assert app.adjudication.current_id == note_id
        assert f"note 1 of 1  ·  1 dispute open in this audit  ·  {note_id}" in str(app.screen.query_one("#meta").render())
        await press(pilot, "y")
        assert finals(workspace, note_id) == {FIRST: "concern"}


async def test_the_adjudicator_of_an_audit_that_hides_the_model_sees_no_model_either(workspace):
    # its coders saw no suggestion, but the adjudication screen showed the model's scores and evidence beside
    # their decisions: the final decision, which its report and agreement count, was no longer blind to the model
    sampling.sample(workspace, SampleSpec(size=20, seed=3, hide_model=True), "qa")
    note_id, label = next((i.note_id, name) for i in workspace.audit_items("qa")
                          for name, p in workspace.predictions(i.note_id).items() if p.suggested and p.evidence)
    workspace.record_decision(note_id, label, "added", "ann", audit="qa")
    workspace.record_decision(note_id, label, "rejected", "bo", audit="qa")
    for app in (audit_app(workspace, "sam", adjudicate="qa"), audit_app(workspace, "sam", adjudicate_all=True)):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.adjudication.current_id == note_id
            panel = app.screen.query_one(DisputePanel)
            assert [r.label for r in panel.rows] == [label] and panel.rows[0].prediction is None
            assert "model" not in panel.render().plain
            body = app.screen.query_one("#note-body").render()
            assert str(body) == workspace.get_note(note_id).text  # no evidence highlighted
            assert "model hidden" in app.screen.query_one("#meta").render().plain
    app = audit_app(workspace, "sam", adjudicate="qa")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "y")
        final = workspace.current_decisions(note_id)[label]
        assert (final.kind, final.state, final.model_version, final.score) == ("adjudication", "added", None, None)


async def test_the_header_shows_the_audit_name_whole_and_blind_at_80_columns(workspace):
    # 'casereview · adjudication — adjudicator: sam · audit: la-blin…': the audit's name was cut, and a coder's
    # 'blind' fell off the end
    from textual.widgets._header import HeaderTitle

    name = "la-blind-march-2024-qa"
    sampling.sample(workspace, SampleSpec(size=6, seed=3, hide_model=True), name)
    double_coding.assign(workspace, name, ["ann", "bo"], double=1.0)
    for app in (audit_app(workspace, "sam", adjudicate=name), audit_app(workspace, "ann", audit=name)):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            header = shown_lines(app.screen.query_one(HeaderTitle))[0]
            assert f"audit {name}" in header, header
            if isinstance(app, AuditReviewApp):
                assert "blind" in header and "ann" in header, header
            else:
                assert "adjudication" in header, header


async def test_the_adjudicator_reads_a_long_note_to_its_end_with_keys(workspace, tmp_path):
    # the adjudication screen had no key to scroll the note: over SSH, keys only, the end of a long note was unreadable
    from casereview.tui.widgets.note_text import NoteText

    text = " ".join(f"Visit {i}: spoke with mother about the school run; no concerns raised." for i in range(60))
    importer.import_path(workspace, write_jsonl(tmp_path / "long.jsonl", [{"note_id": "long", "text": text}]))
    workspace.record_decision("long", FIRST, "confirmed", "ann")
    workspace.record_decision("long", FIRST, "rejected", "bo")
    app = audit_app(workspace, "sam", adjudicate_all=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.adjudication.current_id == "long"
        note = app.screen.query_one(NoteText)
        assert note.max_scroll_y > 0 and note.scroll_y == 0
        await press(pilot, "pagedown")
        page = note.scroll_y
        assert page > 1
        await press(pilot, "shift+down")
        assert note.scroll_y == page + 1
        await press(pilot, "end")
        assert note.scroll_y == note.max_scroll_y
        await press(pilot, "home")
        assert note.scroll_y == 0
        await press(pilot, "ctrl+d", "pageup")
        assert note.scroll_y == 0
        await check_g_and_G_reach_the_ends(pilot, note)
        await press(pilot, "question_mark")
        rows = help_key_rows(app)
        assert row_for(rows, "scroll the note text a page") == "PageDown, ctrl+d / PageUp, ctrl+u"
        assert row_for(rows, "the note text's start / end") == "Home, g / End, G"



async def test_adjudication_footer_at_60_columns_keeps_the_keys_to_settle_and_move_on(workspace):
    # at 60 columns the footer left out Enter (next) and Backspace (previous) whole, as the note screen's footer
    # did before it kept them: an adjudicator could not see how to move on
    disputed(workspace, notes=1, labels=1)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        shown = footer_shown(app.screen, width=60)
        assert {"y": "Concern", "n": "No concern", "⏎": "Next", "⌫": "Previous", "?": "Help",
                "q": "Quit"}.items() <= shown.items(), shown


async def test_adjudication_opened_again_after_quitting_midway_opens_on_the_first_open_dispute(workspace):
    # settled disputes drop out of the queue as it opens: no skipping through notes settled in an earlier sitting
    first, second, third = disputed(workspace, notes=3, labels=2)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "y", "j", "n", "enter", "y")  # the first note settled, the second half (its first
        await pilot.press("q")                           # open dispute, where the cursor opens), then quit
    assert finals(workspace, first) == {FIRST: "concern", LABEL_NAMES[1]: "no concern"}
    assert finals(workspace, second) == {FIRST: "concern"}
    again = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.adjudication.note_ids == [second, third]
        assert again.adjudication.current_id == second  # a dispute of it is still open
        assert str(again.screen.query_one("#meta").render()).startswith(
            f"note 1 of 2  ·  3 disputes open in this audit  ·  {second}")
        # the cursor opened on row 0, settled already: y or n there changed a final decision instead of making one
        assert again.screen.query_one(DisputePanel).selected == LABEL_NAMES[1]
        await press(pilot, "n")
        assert finals(workspace, second) == {FIRST: "concern", LABEL_NAMES[1]: "no concern"}


async def test_the_dispute_cursor_opens_each_note_on_its_first_open_dispute(workspace):
    first, second, third = disputed(workspace, notes=3, labels=3)
    earlier = AdjudicationSession(workspace, "qa", "sam")
    for note_id, settled in ((first, LABEL_NAMES[:1]), (second, LABEL_NAMES[:2])):
        for label in settled:
            earlier.settle(label, True, note_id=note_id)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(DisputePanel)
        assert (app.adjudication.current_id, panel.selected) == (first, LABEL_NAMES[1])
        assert LABELS[1].title in str(app.screen.query_one("#adjudication-definition").render())
        await press(pilot, "enter")
        assert (app.adjudication.current_id, panel.selected) == (second, LABEL_NAMES[2])
        await press(pilot, "enter")
        assert (app.adjudication.current_id, panel.selected) == (third, FIRST)
        await press(pilot, "j", "y")  # the cursor moved on a note stays where the adjudicator put it
        assert panel.selected == LABEL_NAMES[1] and finals(workspace, third) == {LABEL_NAMES[1]: "concern"}
        await press(pilot, "backspace", "backspace")  # back on a note: its first open dispute again
        assert (app.adjudication.current_id, panel.selected) == (first, LABEL_NAMES[1])


# -- two windows on one workspace: the note open here is kept current, and a settlement made elsewhere is not overwritten
def meta(app) -> str:
    return str(app.screen.query_one("#meta").render())


async def test_a_dispute_settled_or_ended_in_another_window_shows_on_the_note_open_here(workspace):
    # the screen read the disputes once: a second adjudicator's final decision, or a coder coming round to the other's
    # side, showed only after leaving the note (or quitting), and the row still read "open"
    note_id = disputed(workspace, notes=1, labels=2)[0]
    second = LABEL_NAMES[1]
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(DisputePanel)
        await press(pilot, "j")  # on the second dispute: the cursor stays on it whatever happens to the first
        assert "2 disputes open in this audit" in meta(app)
        with Workspace.open(workspace.path) as other:  # another adjudicator's window: its own connection to the file
            AdjudicationSession(other, "qa", "tom").settle(FIRST, False, note_id=note_id)
            assert await until(pilot, lambda: panel.rows[0].final == "rejected")
            assert status(app) == f"changed elsewhere · {BY_NAME[FIRST].shown_name}: now no concern"
            assert "1 dispute open in this audit" in meta(app) and panel.selected == second
            other.record_decision(note_id, FIRST, "rejected", "ann", audit="qa")  # ann comes round: no dispute left
            assert await until(pilot, lambda: [r.label for r in panel.rows] == [second])
            assert status(app) == f"changed elsewhere · {BY_NAME[FIRST].shown_name}: no longer disputed"
            assert panel.selected == second  # not moved onto another label by the row gone above it
        await press(pilot, "y")
        assert finals(workspace, note_id) == {FIRST: "no concern", second: "concern"}


async def test_the_count_of_open_disputes_in_the_header_follows_disputes_settled_on_other_notes_elsewhere(workspace):
    # the header's count followed the open note's disputes only: one settled on another note in another window left it
    # saying "4 disputes open" until the queue was read again at its end
    first, second = disputed(workspace, notes=2, labels=2)
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "y")
        said = status(app)
        assert "3 disputes open in this audit" in meta(app) and said.startswith("saved · ")
        with Workspace.open(workspace.path) as other:
            AdjudicationSession(other, "qa", "tom").settle(FIRST, False, note_id=second)
        assert await until(pilot, lambda: "2 disputes open in this audit" in meta(app))
        assert status(app) == said  # nothing changed on the note open here: its line is not "changed elsewhere"
        assert app.adjudication.current_id == first


async def test_a_final_decision_on_a_dispute_settled_elsewhere_since_it_showed_is_refused_and_the_new_one_shown(
        workspace):
    # y / n here overwrote a final decision made in another window that the adjudicator had not seen yet
    note_id = disputed(workspace, notes=1, labels=1)[0]
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(DisputePanel)
        assert panel.rows[0].final is None
        with Workspace.open(workspace.path) as other:
            AdjudicationSession(other, "qa", "tom").settle(FIRST, False, note_id=note_id)
        type_ahead(app, "y")  # at once: the row still shows the dispute open
        await settle(pilot)
        assert finals(workspace, note_id) == {FIRST: "no concern"}  # tom's stands
        assert status(app) == f"NOT saved · {BY_NAME[FIRST].shown_name}: no concern elsewhere by tom; y again"
        assert panel.rows[0].final == "rejected"  # shown now
        await press(pilot, "y")  # seen, and changed: saved
        assert finals(workspace, note_id) == {FIRST: "concern"}
        assert status(app) == f"saved · {BY_NAME[FIRST].shown_name}: concern"


def settle_elsewhere(workspace, note_id: str, label: str) -> None:
    with Workspace.open(workspace.path) as other:  # another adjudicator's window: its own connection to the file
        AdjudicationSession(other, "qa", "tom").settle(label, False, note_id=note_id)


def end_dispute(workspace, note_id: str, label: str) -> None:
    workspace.record_decision(note_id, label, "rejected", "ann", audit="qa")  # ann comes round: no dispute left


# "NOT saved · M Management oversight missing: settled elsewhere as no concern by tom; y again to change it", 103
# characters, wrapped at 80 columns; on a note the adjudicator had left, "y again" would settle another note. And "NOT
# saved on X · note X, M Management oversight missing: no longer disputed, its coders' decisions changed since it was
# read here; nothing saved" named the note twice and took two or three lines.
@pytest.mark.parametrize(("change", "on_it", "left", "final"), [
    (settle_elsewhere, "no concern elsewhere; y again", "no concern elsewhere", {LABEL_NAMES[1]: "no concern"}),
    (end_dispute, "no longer disputed; nothing to do", "no longer disputed", {}),
])
async def test_a_refusal_of_a_dispute_changed_elsewhere_fits_80_columns_and_offers_the_key_again_only_on_its_note(
        workspace, write_lock, change, on_it, left, final, monkeypatch):
    # the once-a-second check for changes made elsewhere would show the change before y on a loaded machine
    monkeypatch.setattr(saves, "CHECK_ELSEWHERE_SECONDS", 3600.0)
    first, second = disputed(workspace, notes=2, labels=2)
    longest = LABEL_NAMES[1]  # M, the longest title
    app = AdjudicationApp(AdjudicationSession(workspace, "qa", "sam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "j")
        change(workspace, first, longest)
        type_ahead(app, "y")  # at once: the row still shows the dispute as it was
        await settle(pilot)
        assert status(app) == f"NOT saved · {BY_NAME[longest].shown_name}: {on_it}"
        assert app.screen.query_one("#status-line").region.height == 1 and finals(workspace, first) == final
        await press(pilot, "enter", "j")
        change(workspace, second, longest)
        write_lock.hold()  # the save waits for the lock: it ends after the move, on a note the adjudicator has left
        type_ahead(app, "y", "backspace")
        await pilot.pause(0.3)
        write_lock.release()
        await settle(pilot)
        assert app.adjudication.current_id == first
        assert status(app) == f"NOT saved on {second} · {BY_NAME[longest].shown_name}: {left}"
        assert app.screen.query_one("#status-line").region.height == 1 and finals(workspace, second) == final
