"""Control characters in a note's text (a CMS export's form feed, an escape sequence) drawn as visible characters on
every screen that shows the text, never sent to the reviewer's terminal: Textual writes ESC and U+009B as they are,
so an imported note holding ``ESC ] 0 ; ... BEL`` retitled the terminal, ``ESC c`` reset it, ``CSI 2 J`` cleared it."""

from __future__ import annotations

import re

from casereview import importer, tagging
from casereview.adjudication import AdjudicationSession
from casereview.escaping import visible_controls
from casereview.taxonomy import BY_NAME
from casereview.tui.audit_apps import AdjudicationApp
from casereview.tui.screens.adjudication import AdjudicationScreen
from casereview.tui.screens.pii_findings import PiiFindingsScreen
from casereview.tui.screens.timeline import TimelineScreen
from casereview.tui.widgets.note_text import NoteText

from ..conftest import write_jsonl
from .conftest import drawn_note, press, screen_rows, settle, until

#: Escape sequences (none with a "[", which the screen's label marks begin with), a form feed, a C1 CSI, DEL and a
#: right-to-left override, around and inside the sentences the shipped model gives as evidence.
TEXT = ("Home visit.\x0c\x1b]0;pwned\x07 Mother said the partner had hit her last week.\n"
        "\x9b2JVisit cancelled again by the \x1bcworker, no manager oversight\x7f recorded. \u202eMum's words.\r\n"
        "Next visit booked.")
NOTE = {"note_id": "esc1", "case_id": "C-ESC", "date": "2026-01-02", "author_role": "social_worker",
        "note_type": "home_visit", "text": TEXT}
#: Textual's own output: cursor moves and colours (CSI sequences of digits), which the note's are not.
TEXTUALS_OWN = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: What a terminal acts on, or what reorders the text shown.
ACTED_ON = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_output(app) -> str:
    """What the app writes to the terminal to draw the screen as it is now, whole."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.render_segments(app.console)


def check_sends_nothing_acted_on(app) -> None:
    output = terminal_output(app)
    assert ACTED_ON.findall(TEXTUALS_OWN.sub("", output)) == []
    assert "pwned" in output  # the text is there, drawn


def imported_and_tagged(workspace, tmp_path, shipped_model) -> None:
    importer.import_path(workspace, write_jsonl(tmp_path / "n.jsonl", [NOTE]))
    tagging.tag(workspace, *shipped_model)  # the real model's evidence, on the note as stored


def evidence_spans(view) -> list[tuple[int, int, str]]:
    return [(span["start"], span["end"], BY_NAME[row.name].symbol) for row in view.labels if row.suggested
            for span in row.evidence]


def check_drawn_with_evidence(app, body, spans) -> None:
    """The note drawn as its text with each control character a visible one in its place, the evidence marks and
    underline on the characters the spans name in the stored text."""
    shown = visible_controls(TEXT)
    assert "␛]0;pwned␇" in shown and shown.endswith("Mum's words.\r\nNext visit booked.")  # a Windows line end kept
    marks, styled = drawn_note(app, shown, body)  # (white space, the line end's carriage return too, aside)
    assert styled == {at for at in range(len(TEXT)) if not shown[at].isspace()
                      and any(start <= at < end for start, end, _ in spans)}
    assert sorted(marks) == sorted((start, symbol) for start, _, symbol in spans)


async def test_the_note_screen_and_the_timeline_draw_control_characters_never_sending_them(
        make_app, workspace, tmp_path, shipped_model, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # styles without colours: the evidence's underline alone
    imported_and_tagged(workspace, tmp_path, shipped_model)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_note("esc1")
        await settle(pilot)
        spans = evidence_spans(app.screen.view)
        assert any(TEXT[start:end].count("\x1b") for start, end, _ in spans)  # an escape inside evidence
        check_sends_nothing_acted_on(app)
        check_drawn_with_evidence(app, app.screen.query_one("#note-body"), spans)
        await press(pilot, "t")
        assert isinstance(app.screen, TimelineScreen)
        assert await until(pilot, lambda: "pwned" in terminal_output(app))  # its rows, read in a worker
        check_sends_nothing_acted_on(app)
        assert "Home visit. ␛]0;pwned␇" in "".join(char for row in screen_rows(app) for char, _ in row)


async def test_the_adjudication_screen_draws_control_characters_never_sending_them(
        workspace, tmp_path, shipped_model, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    imported_and_tagged(workspace, tmp_path, shipped_model)
    disputed = next(name for name, p in workspace.predictions("esc1").items() if p.suggested and p.evidence)
    workspace.record_decision("esc1", disputed, "confirmed", "ann")
    workspace.record_decision("esc1", disputed, "rejected", "bo")
    app = AdjudicationApp(AdjudicationSession(workspace, None, "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AdjudicationScreen)
        check_sends_nothing_acted_on(app)
        spans = [(s["start"], s["end"], BY_NAME[disputed].symbol) for s in workspace.predictions("esc1")[disputed].evidence]
        check_drawn_with_evidence(app, app.screen.query_one(NoteText).query_one("#note-body"), spans)


async def test_the_personal_data_findings_draw_control_characters_never_sending_them(open_imported):
    note = {**NOTE, "text": "Visited Kayleigh Thompson\x1b]0;pwned\x07 \x9b2J; mobile 07700 900123. Child seen alone."}
    async with open_imported(note, size=(120, 30)) as pilot:
        await press(pilot, "d")
        screen = pilot.app.screen
        assert isinstance(screen, PiiFindingsScreen) and screen.findings
        check_sends_nothing_acted_on(pilot.app)
        drawn = "\n".join("".join(char for char, _ in row) for row in screen_rows(pilot.app))
        assert "Kayleigh Thompson␛]0;pwned␇ �2J; mobile" in drawn
        # the value reversed is the finding's, as the stored text has it
        first = screen.findings[0]
        reversed_text = "".join(char for row in screen_rows(pilot.app) for char, style in row if style.reverse)
        assert note["text"][first.start:first.end] in reversed_text
