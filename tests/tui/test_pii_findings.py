"""The personal-data findings screen driven by keys typed ahead: resolutions land in key order, Escape after them."""

from __future__ import annotations

from casereview.tui.screens.note_review import NoteReviewScreen
from casereview.tui.screens.pii_findings import PiiFindingsScreen
from casereview.tui.widgets.pii_warning import PiiWarning

from .conftest import press, settle, type_ahead

NOTE = {"note_id": "p1", "case_id": "C1",
        "text": "Visited Kayleigh Thompson; mobile 07700 900123. Visit went well and the child was seen alone."}


async def test_resolutions_typed_ahead_land_in_order_and_escape_waits_for_them(open_imported, workspace):
    async with open_imported(NOTE, size=(120, 36)) as pilot:  # scanned: a name and a phone
        app = pilot.app
        await press(pilot, "d")
        assert isinstance(app.screen, PiiFindingsScreen)
        # redact the name, then the phone: each rewrites the note, so they must not interleave; then close
        type_ahead(app, "r", "down", "r", "escape")
        await settle(pilot)
        assert isinstance(app.screen, NoteReviewScreen)
        assert {f.label: f.resolution for f in workspace.pii_findings("p1")} == {"PERSON": "redacted",
                                                                                  "PHONE": "redacted"}
        assert workspace.get_note("p1").text.startswith("Visited [PERSON]; mobile [PHONE]. Visit went well")
        # the note screen shows the note as the saves left it, not as it was when Escape was pressed
        assert not app.screen.query_one(PiiWarning).display
        shown = str(app.screen.query_one("#note-body").render())
        assert "Visited [PERSON]" in shown and "Kayleigh" not in shown


async def test_the_warning_and_the_findings_screen_name_the_keys_rebound_in_keys_toml(open_imported, workspace):
    keymap = {"personal_data": "P", "pii_false_alarm": "x", "pii_redact": "e", "pii_close": "escape,w"}
    async with open_imported(NOTE, size=(120, 36), keymap=keymap) as pilot:
        app = pilot.app
        assert "press P to review" in str(app.screen.query_one(PiiWarning).render())
        await press(pilot, "P")
        assert isinstance(app.screen, PiiFindingsScreen)
        hint = str(app.screen.query_one(".hint").render())
        assert hint.startswith("x false alarm · e redact") and "Escape close" in hint
        await press(pilot, "x")
        assert [f.resolution for f in workspace.pii_findings("p1")][0] == "false_alarm"
