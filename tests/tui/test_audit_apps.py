"""The audit review app (blind double coding) and the adjudication app, driven by Pilot, checked in the database."""

from __future__ import annotations

from casereview import double_coding, sampling
from casereview.adjudication import AdjudicationSession
from casereview.sampling import SampleSpec
from casereview.taxonomy import LABEL_NAMES
from casereview.tui.audit_apps import AdjudicationApp, AuditReviewApp, audit_app
from casereview.tui.screens.adjudication import AdjudicationScreen, DisputePanel
from casereview.tui.screens.audit_progress import AuditProgressScreen
from casereview.tui.screens.blind_queue import BlindQueueScreen
from casereview.tui.screens.case_files import CaseFilesScreen
from casereview.tui.screens.note_review import NoteReviewScreen
from casereview.tui.widgets.label_panel import LabelPanel

from .conftest import press, settle

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
        assert (mine.state, mine.audit, mine.model_version) == ("confirmed", "qa", None)
        await pilot.press("F")  # case files would show the model's flags: refused
        await settle(pilot)
        assert isinstance(app.screen, NoteReviewScreen)
        await press(pilot, "l")
        assert isinstance(app.screen, BlindQueueScreen)
        line = app.screen.fetch(0, 1)[0].plain
        assert "–" in line  # no score shown
        await press(pilot, "escape", "p")
        assert isinstance(app.screen, AuditProgressScreen)
        assert "1 of 6 notes of audit qa decided" in str(app.screen.query_one("#progress").render())


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
